// Certifies the fast reference tier against the 166-bit tier: its declared
// error bound holds, and the correctly rounded floats agree.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>
#include <random>
#include <thread>
#include <vector>

#include "harness/accuracy.h"
#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

// Points over the whole float range (random encodings cover every binade),
// dense in [-16, 16] where GELU is interesting, and known hard cases.
std::vector<float> certification_points(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> pts;
  for (size_t i = 0; pts.size() < n / 2; ++i) {
    float x = f32_from_bits(static_cast<uint32_t>(rng()));
    if (std::isfinite(x)) pts.push_back(x);
  }
  std::uniform_real_distribution<float> core(-16.0f, 16.0f);
  while (pts.size() < n) pts.push_back(core(rng));
  for (float x : {0.0f, -0.0f, 0x1p-149f, -0x1p-149f, 0x1.003p-137f, -3.0f, 3.0f, -5.16f, -5.54f,
                  -9.01f, -10.0f, -13.5f, -14.0f, -14.5f, -0x1.970ebep+3f, -0x1.a120aap+2f, 1e-20f,
                  // worst cases reported by exhaustive sweeps
                  -0x1.458decp+3f, -0x1.a3047p+3f, 0x1.6148dep-16f, -0x1.a2fd3ap+3f, -0x1.ce5b94p+2f,
                  -0x1.fffffep127f, 0x1.fffffep127f})
    pts.push_back(x);
  return pts;
}

void certify(Formula f, size_t n, uint64_t seed) {
  std::vector<float> pts = certification_points(n, seed);
  std::vector<std::string> failures[2];
  auto work = [&](int part) {
    for (size_t i = part; i < pts.size(); i += 2) {
      float x = pts[i];
      FastRef fast = reference_fast(f, x);
      FastRef cert = reference_certified_parts(f, x);
      // Both as unevaluated double-double sums. The certified one is good to
      // cert.err (2^-150 relative): far inside the fast bound, except for
      // tiny x where the fast tier's second-order term is finer than that.
      double diff = std::fabs((fast.hi - cert.hi) + (fast.lo - cert.lo));
      if (diff > fast.err / 2 + cert.err + 0x1p-1074)
        failures[part].push_back(::testing::PrintToString(x) + ": |fast - certified| = " +
                                 ::testing::PrintToString(diff) + " > err/2 = " +
                                 ::testing::PrintToString(fast.err / 2));
      // reference() takes the fast tier's rounding when it is decided.
      if (f32_bits(reference(f, x).rounded) != f32_bits(reference_certified_f32(f, x)))
        failures[part].push_back(::testing::PrintToString(x) + ": rounded results differ");
    }
  };
  std::thread t(work, 1);
  work(0);
  t.join();
  for (const auto& part : failures)
    for (size_t i = 0; i < part.size() && i < 20; ++i) ADD_FAILURE() << part[i];
}

TEST(ReferenceCertification, ErfFastTierWithinItsBound) { certify(Formula::erf, 100000, 1); }
TEST(ReferenceCertification, TanhFastTierWithinItsBound) { certify(Formula::tanh, 20000, 2); }
TEST(ReferenceCertification, SigmoidFastTierWithinItsBound) { certify(Formula::sigmoid, 20000, 3); }

TEST(Reference, SpecialValues) {
  for (Formula f : {Formula::erf, Formula::tanh, Formula::sigmoid}) {
    EXPECT_TRUE(std::isnan(reference(f, NAN).rounded));
    EXPECT_EQ(reference(f, INFINITY).rounded, INFINITY);
    EXPECT_EQ(f32_bits(reference(f, -INFINITY).rounded), f32_bits(-0.0f));
    EXPECT_EQ(f32_bits(reference(f, 0.0f).rounded), f32_bits(0.0f));
    EXPECT_EQ(f32_bits(reference(f, -0.0f).rounded), f32_bits(-0.0f));
    EXPECT_EQ(f32_bits(reference(f, -100.0f).rounded), f32_bits(-0.0f));
    EXPECT_EQ(reference(f, 100.0f).rounded, 100.0f);
  }
}

TEST(Reference, KnownValues) {
  // GELU(1) = Phi(1) = 0.841344746068542948585232545632...
  EXPECT_NEAR(reference(Formula::erf, 1.0f).value, 0.8413447460685429, reference_fast(Formula::erf, 1.0f).err);
  // GELU(-1) = -Phi(-1) = -0.158655253931457051414767454368...
  EXPECT_NEAR(reference(Formula::erf, -1.0f).value, -0.15865525393145705, reference_fast(Formula::erf, -1.0f).err);
  // GELU(-10) = -10 * Phi(-10) = -7.6198530241605260659733432515993e-23
  EXPECT_NEAR(reference(Formula::erf, -10.0f).value / -7.6198530241605260659733e-23, 1.0, 1e-14);
}

TEST(Reference, ShortcutsAgreeWithTheGeneralPath) {
  // reference() answers large and tiny |x| without Boost or a rounding
  // search; reference_block() does the same over a block. All three must
  // give the general path's bits, on every binade and at each class edge.
  std::vector<float> xs;
  for (uint32_t e = 0; e < 255; ++e)
    for (uint32_t m : {0u, 1u, 0x2aaaabu, 0x400000u, 0x7fffffu})
      for (uint32_t sign : {0u, 0x80000000u}) xs.push_back(f32_from_bits(sign | e << 23 | m));
  for (float edge : {40.0f, 440.0f, 0x1p-125f, 0x1p-30f})
    for (float x : {std::nextafter(edge, 0.0f), edge, std::nextafter(edge, INFINITY)})
      xs.insert(xs.end(), {x, -x});
  for (Formula f : {Formula::erf, Formula::tanh, Formula::sigmoid}) {
    std::vector<double> value(xs.size());
    std::vector<float> rounded(xs.size());
    reference_block(f, xs.data(), xs.size(), value.data(), rounded.data(), nullptr);
    for (size_t i = 0; i < xs.size(); ++i) {
      const RefPoint want = reference_general_for_tests(f, xs[i]), got = reference(f, xs[i]);
      const std::string where = "formula " + std::to_string(static_cast<int>(f)) + ", x = " + hexfloat(xs[i]);
      EXPECT_EQ(std::bit_cast<uint64_t>(got.value), std::bit_cast<uint64_t>(want.value)) << where;
      EXPECT_EQ(f32_bits(got.rounded), f32_bits(want.rounded)) << where;
      EXPECT_EQ(std::bit_cast<uint64_t>(value[i]), std::bit_cast<uint64_t>(want.value)) << where;
      EXPECT_EQ(f32_bits(rounded[i]), f32_bits(want.rounded)) << where;
    }
  }
}

TEST(Reference, SubnormalInputsRoundByTheSecondOrderTerm) {
  // GELU(x) = x/2 + x^2/sqrt(2 pi) + ...: for x = +-2^-149, x/2 is a midpoint
  // and the (positive) x^2 term decides: up for +x, toward zero for -x.
  EXPECT_EQ(reference(Formula::erf, 0x1p-149f).rounded, 0x1p-149f);
  EXPECT_EQ(f32_bits(reference(Formula::erf, -0x1p-149f).rounded), f32_bits(-0.0f));
  // 3 * 2^-149 -> 1.5 * 2^-149: up to 2 * 2^-149 for +x, down to 1 * 2^-149 for -x.
  EXPECT_EQ(reference(Formula::erf, 3 * 0x1p-149f).rounded, 2 * 0x1p-149f);
  EXPECT_EQ(reference(Formula::erf, -3 * 0x1p-149f).rounded, -0x1p-149f);
}

}  // namespace
}  // namespace gelubench
