#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>

#include "harness/npy.h"

namespace gelubench {
namespace {

TEST(Npy, RoundTripKeepsShapeAndBits) {
  F32Array a{{1.5f, -0.0f, 3.0f, -2.25f, 1e-40f, 7.0f}, {3, 2}};
  std::string bytes = encode_npy_f32(a);
  EXPECT_EQ((bytes.size() - a.data.size() * 4) % 64, 0u);  // data 64-byte aligned
  F32Array b = decode_npy_f32(bytes, "mem");
  EXPECT_EQ(b.shape, a.shape);
  ASSERT_EQ(b.data.size(), a.data.size());
  EXPECT_EQ(0, std::memcmp(a.data.data(), b.data.data(), a.data.size() * 4));
}

TEST(Npy, OneDimensionalHeaderUsesTrailingComma) {
  std::string bytes = encode_npy_f32({{1, 2, 3}, {}});
  EXPECT_NE(bytes.find("'shape': (3,)"), std::string::npos);
}

TEST(Npy, RejectsBadFiles) {
  std::string good = encode_npy_f32({{1, 2}, {}});
  EXPECT_THROW(decode_npy_f32("not numpy", "x"), std::runtime_error);
  EXPECT_THROW(decode_npy_f32(good.substr(0, 20), "x"), std::runtime_error);
  EXPECT_THROW(decode_npy_f32(good.substr(0, good.size() - 1), "x"), std::runtime_error);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_THROW(decode_npy_f32(fortran, "x"), std::runtime_error);
}

}  // namespace
}  // namespace gelubench
