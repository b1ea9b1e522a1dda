// Writing result files so that an interrupted run never leaves a
// half-written file: write to a temporary name in the same directory,
// flush to disk, then rename over the target (atomic on POSIX), with
// SIGINT/SIGTERM/SIGHUP held back while the temporary file exists.
// A symbolic link is followed (the link stays; its target is replaced). An
// existing target that is not a regular file (/dev/null, /dev/stdout, a
// FIFO) is written in place: there is nothing to replace atomically there.
#pragma once

#include <string>
#include <string_view>

namespace gelubench {

// Throws std::runtime_error with a readable message on failure; the target
// is untouched in that case.
void write_file_atomically(const std::string& path, std::string_view contents);

// Checks up front that `path` can be written (by creating and removing a
// file next to it), so a long run does not fail at its very end. Returns an
// error message, or empty when fine.
std::string check_writable(const std::string& path);

// The name of the temporary file write_file_atomically would use for `path`
// (for writers that stream into it themselves, such as Google Benchmark's
// --benchmark_out). Empty when `path` is written in place.
std::string temporary_path_for(const std::string& path);

// Renames a complete temporary file from temporary_path_for(path) onto
// `path`'s target; on failure removes it and throws std::runtime_error.
void commit_temporary(const std::string& tmp, const std::string& path);

}  // namespace gelubench
