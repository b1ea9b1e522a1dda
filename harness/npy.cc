#include "harness/npy.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "harness/result_file.h"

namespace gelubench {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw std::runtime_error(name + ": " + what);
}

std::string slurp(const std::string& path) {
  // Regular files only: a device such as /dev/zero never ends.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) fail(path, "cannot open for reading (no such file)");
  if (std::filesystem::is_directory(status)) fail(path, "is a directory");
  if (!std::filesystem::is_regular_file(status)) fail(path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) fail(path, "read error");
  return ss.str();
}

// The raw (headerless) file extension of each element type.
std::string raw_extension(const std::string& descr) {
  if (descr == "<f4") return ".f32";
  if (descr == "<f2") return ".f16";
  if (descr == "<u2") return ".bf16";
  if (descr == "|i1") return ".i8";
  return "";
}

// .npy, or the raw extension of `descr`; anything else is an error, so that
// a file of another element type is never read or written as this one.
bool is_npy_path(const std::string& path, const std::string& descr) {
  if (ends_with(path, ".npy")) return true;
  const std::string raw = raw_extension(descr);
  if (!raw.empty() && ends_with(path, raw)) return false;
  fail(path, "unknown extension for '" + descr + "' elements: use .npy or " + raw);
}

// How to save an array as `expected`, for the message refusing another dtype.
std::string conversion_hint(const std::string& expected) {
  if (expected == "<f4") return " (convert it first, e.g. numpy.save(path, x.astype(numpy.float32)))";
  if (expected == "<f2") return " (convert it first, e.g. numpy.save(path, x.astype(numpy.float16)))";
  if (expected == "<u2")  // NumPy has no bfloat16; the ml_dtypes package has one
    return " (bfloat16 as its uint16 bit patterns, e.g. "
           "numpy.save(path, x.astype(ml_dtypes.bfloat16).view(numpy.uint16)))";
  if (expected == "|i1") return " (quantized int8 values, e.g. numpy.save(path, q.astype(numpy.int8)))";
  return "";
}

}  // namespace

Array decode_npy(const std::string& b, const std::string& name, const std::string& expected) {
  static const char kMagic[] = "\x93NUMPY";
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, 6) != 0) fail(name, "not a .npy file (bad magic)");
  int major = static_cast<unsigned char>(b[6]);
  size_t header_len, header_start;
  if (major == 1) {
    header_len = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) fail(name, "truncated header");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i])) << (8 * i);
    header_start = 12;
  } else {
    fail(name, "unsupported .npy version " + std::to_string(major));
  }
  if (b.size() < header_start + header_len) fail(name, "truncated header");
  std::string header = b.substr(header_start, header_len);

  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) {
    if (header.find("'descr'") != std::string::npos)
      fail(name, "dtype is not a plain element type (structured arrays are not supported)");
    fail(name, "header has no 'descr'");
  }
  std::string descr = m[1];
  if (descr != expected)
    fail(name, "dtype is '" + descr + "', expected '" + expected + "'" + conversion_hint(expected));
  if (!std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*(\w+))")))
    fail(name, "header has no 'fortran_order'");
  if (m[1] == "True") fail(name, "Fortran-order arrays are not supported (save numpy.ascontiguousarray(x) instead)");
  if (m[1] != "False") fail(name, "'fortran_order' is '" + m[1].str() + "', expected True or False");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    fail(name, "header has no 'shape'");
  Array a;
  a.descr = descr;
  a.npy = true;
  // A tuple of non-negative integers: (), (n,), (a, b), ...
  const std::string dims = m[1];
  if (!std::regex_match(dims, std::regex(R"(\s*(\d+\s*,\s*)*(\d+\s*,?\s*)?)")))
    fail(name, "shape (" + dims + ") is not a tuple of non-negative integers");
  uint64_t count = 1;
  const size_t item = item_size(descr);
  std::regex num(R"(\d+)");
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), num); it != std::sregex_iterator(); ++it) {
    uint64_t d = 0;
    try {
      d = std::stoull(it->str());
    } catch (const std::out_of_range&) {
      fail(name, "shape (" + dims + ") is too large");
    }
    a.shape.push_back(d);
    if (__builtin_mul_overflow(count, d, &count) || count > SIZE_MAX / item)
      fail(name, "shape (" + dims + ") is too large");
  }
  size_t data_start = header_start + header_len;
  size_t have = b.size() - data_start;
  if (have < count * item)
    fail(name, "truncated data: expected " + std::to_string(count) + " elements, found " +
                   std::to_string(have / item));
  a.bytes.assign(b.begin() + static_cast<std::ptrdiff_t>(data_start),
                 b.begin() + static_cast<std::ptrdiff_t>(data_start + count * item));
  return a;
}

std::string encode_npy(const Array& a) {
  // Raw input is written back 1-D; an .npy input keeps its shape, 0-d included.
  std::vector<uint64_t> shape = a.npy ? a.shape : std::vector<uint64_t>{a.size()};
  std::string dims;
  for (uint64_t d : shape) dims += std::to_string(d) + ",";
  if (shape.size() > 1) dims.pop_back();  // () for 0-d, (n,) for 1-D, (a, b) otherwise
  std::string header = "{'descr': '" + a.descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad so the data starts on a 64-byte boundary; the header ends in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(a.bytes.data()), a.bytes.size());
  return out;
}

size_t item_size(const std::string& descr) {
  if (descr == "<f4") return 4;
  if (descr == "<f2" || descr == "<u2") return 2;
  if (descr == "|i1") return 1;
  throw std::runtime_error("unsupported element type '" + descr + "'");
}

size_t Array::size() const { return bytes.size() / item_size(descr); }

Array read_array(const std::string& path, const std::string& descr) {
  const bool npy = is_npy_path(path, descr);
  std::string bytes = slurp(path);
  if (bytes.empty()) fail(path, "file is empty");
  if (npy) return decode_npy(bytes, path, descr);
  const size_t item = item_size(descr);
  if (bytes.size() % item != 0)
    fail(path, "size " + std::to_string(bytes.size()) + " bytes is not a multiple of " + std::to_string(item) +
                   " (raw little-endian '" + descr + "' elements expected)");
  return Array{descr, {}, std::vector<unsigned char>(bytes.begin(), bytes.end()), false};
}

void write_array_check(const std::string& path, const Array& a) { is_npy_path(path, a.descr); }

void write_array(const std::string& path, const Array& a) {
  if (is_npy_path(path, a.descr)) {
    write_file_atomically(path, encode_npy(a));
  } else {
    write_file_atomically(path, std::string(reinterpret_cast<const char*>(a.bytes.data()), a.bytes.size()));
  }
}

}  // namespace gelubench
