// The ULP metric and float rounding, at the edges where definitions differ.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

TEST(Ulp, PowersOfTwoUseTheBinadeOfTheExactValue) {
  EXPECT_EQ(ulp_f32(1.0), 0x1p-23);
  EXPECT_EQ(ulp_f32(std::nextafter(1.0, 0.0)), 0x1p-24);  // just below 1: binade [0.5, 1)
  EXPECT_EQ(ulp_f32(2.0), 0x1p-22);
  EXPECT_EQ(ulp_f32(-8.0), 0x1p-20);
  EXPECT_EQ(ulp_f32(0x1.fffffep127), 0x1p104);
}

TEST(Ulp, SubnormalRangeHasTheFixedSpacing) {
  EXPECT_EQ(ulp_f32(0x1p-126), 0x1p-149);  // smallest normal: 2^(-126-23)
  EXPECT_EQ(ulp_f32(0x1p-127), 0x1p-149);
  EXPECT_EQ(ulp_f32(0x1p-149), 0x1p-149);
  EXPECT_EQ(ulp_f32(1e-300), 0x1p-149);
  EXPECT_EQ(ulp_f32(0.0), 0x1p-149);
  EXPECT_EQ(ulp_f32(-0.0), 0x1p-149);
}

TEST(Ulp, BitBasedWideningMatchesTheHardwareConversion) {
  // f32_to_f64 builds the double from the bits (no subnormal assists, and it
  // vectorizes): every exponent, both signs, edge mantissas.
  for (uint32_t e = 0; e < 256; ++e)
    for (uint32_t m : {0u, 1u, 2u, 0x400000u, 0x7ffffeu, 0x7fffffu, 0x123457u})
      for (uint32_t sign : {0u, 0x80000000u}) {
        const float f = f32_from_bits(sign | e << 23 | m);
        const double got = f32_to_f64(f), want = static_cast<double>(f);
        if (std::isnan(want)) {
          EXPECT_TRUE(std::isnan(got)) << std::hex << f32_bits(f);
          EXPECT_EQ(std::signbit(got), std::signbit(want));
        } else {
          EXPECT_EQ(std::bit_cast<uint64_t>(got), std::bit_cast<uint64_t>(want)) << std::hex << f32_bits(f);
        }
      }
}

TEST(Ulp, ErrorIsMeasuredAgainstTheExactValue) {
  // y = 1, r = 1 + 2^-24 (a midpoint): half an ulp, not zero or one.
  EXPECT_EQ(ulp_error(1.0f, 1.0 + 0x1p-24), 0.5);
  EXPECT_EQ(ulp_error(1.0f, 1.0), 0.0);
  // Below 1 the ulp halves: r = 1 - 2^-25 is 0.5 ulp(r) from 1.
  EXPECT_EQ(ulp_error(1.0f, 1.0 - 0x1p-25), 0.5);
  EXPECT_EQ(ulp_error(0x1p-149f, 0.0), 1.0);
  EXPECT_EQ(ulp_error(0.0f, 0x1p-150), 0.5);
}

TEST(Ulp, SignedZeroIsZeroErrorButNotTheSameBits) {
  EXPECT_EQ(ulp_error(-0.0f, 0.0), 0.0);
  EXPECT_NE(f32_bits(-0.0f), f32_bits(0.0f));
}

TEST(Ulp, NanAndInfinityOutputsAreInfinitelyWrong) {
  EXPECT_TRUE(std::isinf(ulp_error(std::numeric_limits<float>::quiet_NaN(), 1.0)));
  EXPECT_TRUE(std::isinf(ulp_error(std::numeric_limits<float>::infinity(), 1.0)));
}

TEST(RoundToF32, RoundsToNearestEvenWhenDecided) {
  float out = 0;
  ASSERT_TRUE(round_to_f32(1.0 + 0x1p-30, 0.0, 0.0, &out));
  EXPECT_EQ(out, 1.0f);
  ASSERT_TRUE(round_to_f32(1.0 + 0x1p-24 + 0x1p-40, 0.0, 0x1p-50, &out));
  EXPECT_EQ(out, 1.0f + 0x1p-23f);
}

TEST(RoundToF32, UndecidedNearAMidpoint) {
  float out = 0;
  EXPECT_FALSE(round_to_f32(1.0 + 0x1p-24, 0.0, 0x1p-60, &out));
  EXPECT_FALSE(round_to_f32(1.0 + 0x1p-24 + 0x1p-62, 0.0, 0x1p-60, &out));
}

TEST(RoundToF32, TheLowPartDecidesAMidpointHighPart) {
  float out = 0;
  // hi is exactly the midpoint between 1 and 1 + 2^-23; lo says which side.
  ASSERT_TRUE(round_to_f32(1.0 + 0x1p-24, 0x1p-80, 0x1p-90, &out));
  EXPECT_EQ(out, 1.0f + 0x1p-23f);
  ASSERT_TRUE(round_to_f32(1.0 + 0x1p-24, -0x1p-80, 0x1p-90, &out));
  EXPECT_EQ(out, 1.0f);
}

TEST(RoundToF32, SubnormalsAndUnderflow) {
  float out = 1;
  // 3 * 2^-150 is the midpoint between 2^-149 and 2^-148.
  ASSERT_TRUE(round_to_f32(3 * 0x1p-150, 0x1p-200, 0x1p-210, &out));
  EXPECT_EQ(out, 0x1p-148f);
  ASSERT_TRUE(round_to_f32(3 * 0x1p-150, -0x1p-200, 0x1p-210, &out));
  EXPECT_EQ(out, 0x1p-149f);
  ASSERT_TRUE(round_to_f32(-0x1p-151, 0.0, 0x1p-200, &out));
  EXPECT_EQ(f32_bits(out), f32_bits(-0.0f));
  EXPECT_FALSE(round_to_f32(0x1p-150, 0.0, 0x1p-170, &out));
  ASSERT_TRUE(round_to_f32(0x1p-126 - 0x1p-170, 0.0, 0x1p-180, &out));  // rounds up to FLT_MIN
  EXPECT_EQ(out, 0x1p-126f);
}

TEST(RoundToF32, OverflowBoundary) {
  float out = 0;
  const double max = 0x1.fffffep127;
  ASSERT_TRUE(round_to_f32(max + 0x1p102, 0.0, 0.0, &out));
  EXPECT_EQ(out, static_cast<float>(max));
  ASSERT_TRUE(round_to_f32(max + 0x1p104, 0.0, 0.0, &out));
  EXPECT_TRUE(std::isinf(out));
}

}  // namespace
}  // namespace gelubench
