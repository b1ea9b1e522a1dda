#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "harness/npy.h"

namespace gelubench {
namespace {

TEST(Npy, RoundTripKeepsShapeAndBits) {
  Array a = f32_array({1.5f, -0.0f, 3.0f, -2.25f, 1e-40f, 7.0f}, {3, 2});
  std::string bytes = encode_npy(a);
  EXPECT_EQ((bytes.size() - a.bytes.size()) % 64, 0u);  // data 64-byte aligned
  Array b = decode_npy(bytes, "mem", "<f4");
  EXPECT_EQ(b.shape, a.shape);
  EXPECT_EQ(b.bytes, a.bytes);
  EXPECT_THROW(decode_npy(bytes, "mem", "<f2"), std::runtime_error);  // wrong dtype
}

TEST(Npy, NarrowElementTypes) {
  Array h{"<f2", {3}, {0x00, 0x3c, 0x00, 0xbc, 0xff, 0x7b}};  // 1, -1, 65504
  Array b = decode_npy(encode_npy(h), "mem", "<f2");
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b.bytes, h.bytes);
  Array q{"|i1", {}, {0x80, 0x00, 0x7f}};
  EXPECT_EQ(decode_npy(encode_npy(q), "mem", "|i1").bytes, q.bytes);
}

TEST(Npy, OneDimensionalHeaderUsesTrailingComma) {
  std::string bytes = encode_npy(f32_array({1, 2, 3}));
  EXPECT_NE(bytes.find("'shape': (3,)"), std::string::npos);
}

TEST(Npy, RejectsBadFiles) {
  std::string good = encode_npy(f32_array({1, 2}));
  EXPECT_THROW(decode_npy("not numpy", "x", "<f4"), std::runtime_error);
  EXPECT_THROW(decode_npy(good.substr(0, 20), "x", "<f4"), std::runtime_error);
  EXPECT_THROW(decode_npy(good.substr(0, good.size() - 1), "x", "<f4"), std::runtime_error);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_THROW(decode_npy(fortran, "x", "<f4"), std::runtime_error);
}

// A header with `field` (e.g. "'shape': (2,)") replaced; the data stays 2 floats.
std::string with_header_field(const std::string& from, const std::string& to) {
  std::string b = encode_npy(f32_array({1, 2}));
  b.replace(b.find(from), from.size(), to);
  return b;
}

std::string decode_error(const std::string& bytes) {
  try {
    decode_npy(bytes, "x", "<f4");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(Npy, RejectsMalformedHeaders) {
  // Same header length, so only the field differs.
  EXPECT_NE(decode_error(with_header_field("(2,)", "(-2,)")).find("non-negative integers"), std::string::npos);
  EXPECT_NE(decode_error(with_header_field("(2,)", "('a',)")).find("non-negative integers"), std::string::npos);
  EXPECT_NE(decode_error(with_header_field("(2,)", "(4611686018427387904, 8)")).find("too large"),
            std::string::npos);
  EXPECT_NE(decode_error(with_header_field("(2,)", "(99999999999999999999999,)")).find("too large"),
            std::string::npos);
  EXPECT_NE(decode_error(with_header_field("False", "yes")).find("expected True or False"), std::string::npos);
  EXPECT_NE(decode_error(with_header_field("'<f4'", "[('a', '<f4')]")).find("structured"), std::string::npos);
  EXPECT_EQ(decode_error(with_header_field("(2,)", "(1, 2)")), "(accepted)");
}

// Another dtype is refused with the NumPy line that converts it, for every
// element type a kernel reads (int64 or big-endian float32 as much as float64).
TEST(Npy, AnotherDtypeGetsTheConversionForTheKernelsDtype) {
  const std::string f64 = with_header_field("'<f4'", "'<f8'");
  auto error = [](const std::string& bytes, const char* expected) {
    try {
      decode_npy(bytes, "x", expected);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(error(f64, "<f4").find("x.astype(numpy.float32)"), std::string::npos);
  EXPECT_NE(error(with_header_field("'<f4'", "'<i8'"), "<f4").find("x.astype(numpy.float32)"), std::string::npos);
  EXPECT_NE(error(with_header_field("'<f4'", "'>f4'"), "<f4").find("x.astype(numpy.float32)"), std::string::npos);
  EXPECT_NE(error(f64, "<f2").find("x.astype(numpy.float16)"), std::string::npos);
  EXPECT_NE(error(f64, "<u2").find("view(numpy.uint16)"), std::string::npos);
  EXPECT_NE(error(f64, "|i1").find("astype(numpy.int8)"), std::string::npos);
  EXPECT_NE(decode_error(with_header_field("False", "True ")).find("numpy.ascontiguousarray(x)"), std::string::npos);
}

TEST(Npy, ZeroDimensionalArrayKeepsItsShape) {
  Array a = f32_array({1.5f}, {});
  std::string bytes = encode_npy(a);
  EXPECT_NE(bytes.find("'shape': ()"), std::string::npos);
  Array b = decode_npy(bytes, "x", "<f4");
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(encode_npy(b), bytes);
}

}  // namespace
}  // namespace gelubench
