// Reading and writing a user's float32 arrays: NumPy .npy (version 1-3,
// little-endian '<f4', C order, any shape) and raw little-endian .f32.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gelubench {

struct F32Array {
  std::vector<float> data;
  std::vector<uint64_t> shape;  // empty for .f32 files (written back as 1-D)
};

// Chooses the format by extension (.npy, else raw .f32). Throws
// std::runtime_error with a message naming the file and the problem.
F32Array read_f32_array(const std::string& path);
void write_f32_array(const std::string& path, const F32Array& a);  // atomic

// The .npy encoding itself, for tests.
std::string encode_npy_f32(const F32Array& a);
F32Array decode_npy_f32(const std::string& bytes, const std::string& name);

}  // namespace gelubench
