// Writing result files so that an interrupted run never leaves a
// half-written file: write to a temporary name in the same directory,
// flush to disk, then rename over the target (atomic on POSIX).
#pragma once

#include <string>
#include <string_view>

namespace gelubench {

// Throws std::runtime_error with a readable message on failure; the target
// is untouched in that case.
void write_file_atomically(const std::string& path, std::string_view contents);

// Checks up front that `path` can be created (directory exists and is
// writable), so a long run does not fail at its very end. Returns an error
// message, or empty when fine.
std::string check_writable(const std::string& path);

}  // namespace gelubench
