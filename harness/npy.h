// Reading and writing a user's arrays: NumPy .npy (version 1-3, C order, any
// shape) or raw little-endian element files. Element types by NumPy descr:
// "<f4" float32, "<f2" float16, "<u2" bfloat16 bit patterns (NumPy has no
// bf16), "|i1" int8.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace gelubench {

struct Array {
  std::string descr;
  std::vector<uint64_t> shape;  // as in the .npy header (empty: 0-d); unused for raw files
  std::vector<unsigned char> bytes;
  bool npy = false;  // read from .npy (keeps `shape`); raw files are written back 1-D

  size_t size() const;  // element count
};

size_t item_size(const std::string& descr);

// Chooses the format by extension: .npy, or raw little-endian elements with
// the extension of `descr` (.f32, .f16, .bf16, .i8); any other extension is
// an error. The file's dtype must be `descr`; only regular files are read. Throws std::runtime_error with a message that
// names the file and the problem.
Array read_array(const std::string& path, const std::string& descr);
void write_array(const std::string& path, const Array& a);  // atomic
// Throws as write_array would for `path`'s extension, without writing.
void write_array_check(const std::string& path, const Array& a);

std::string encode_npy(const Array& a);
Array decode_npy(const std::string& bytes, const std::string& name, const std::string& descr);

// float32 convenience: an .npy array of `shape`, or 1-D.
inline Array f32_array(const std::vector<float>& v, std::vector<uint64_t> shape) {
  Array a{"<f4", std::move(shape), std::vector<unsigned char>(v.size() * sizeof(float)), true};
  if (!v.empty()) std::memcpy(a.bytes.data(), v.data(), a.bytes.size());
  return a;
}
inline Array f32_array(const std::vector<float>& v) { return f32_array(v, {v.size()}); }
inline std::vector<float> as_f32(const Array& a) {
  std::vector<float> v(a.bytes.size() / sizeof(float));
  if (!v.empty()) std::memcpy(v.data(), a.bytes.data(), v.size() * sizeof(float));
  return v;
}

}  // namespace gelubench
