// Every registered f32 kernel on GELU's special values and at its declared
// edges, from the registry, so a new kernel is covered by adding its line.
// Expectations are written out here, independently of the sweep's check:
//   NaN (quiet or signalling, either sign, any payload) -> NaN
//   +inf -> +inf, -inf -> -0, +0 -> +0, -0 -> -0 (bits)
//   finite x (subnormals, extremes, +-edge and neighbours) -> not NaN, the
//   sign of x, within the kernel's ULP budget of its formula (>= 1 ULP) and
//   its absolute budget of exact GELU.
// A deviation declared in the registry line must happen exactly as declared.
#include <gtest/gtest.h>

#include <cmath>

#include "harness/accuracy.h"
#include "harness/reference.h"
#include "harness/registry.h"
#include "harness/ulp.h"
#include "tests/registry_params.h"

namespace gelubench {
namespace {

class KernelSpecials : public RunnableKernelTest {
 protected:
  float run(float x) const {
    float y;
    GetParam()->f32(1, &x, &y);
    return y;
  }
};

TEST_P(KernelSpecials, NanInfinityAndZeroGiveGelusLimits) {
  const KernelInfo& k = *GetParam();
  for (uint32_t nan : {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u, 0x7fc12345u, 0x7fffffffu, 0xffffffffu})
    EXPECT_TRUE(std::isnan(run(f32_from_bits(nan)))) << std::hex << "NaN input 0x" << nan;
  EXPECT_EQ(f32_bits(run(INFINITY)), f32_bits(INFINITY)) << "+inf";
  if (k.declared.deviations & kNegInfToNaN)
    EXPECT_TRUE(std::isnan(run(-INFINITY))) << "declared -inf -> NaN, got " << hexfloat(run(-INFINITY))
                                            << ": remove the declaration from the registry line";
  else
    EXPECT_EQ(f32_bits(run(-INFINITY)), f32_bits(-0.0f)) << "-inf gave " << hexfloat(run(-INFINITY));
  EXPECT_EQ(f32_bits(run(0.0f)), f32_bits(0.0f)) << "+0";
  EXPECT_EQ(f32_bits(run(-0.0f)), f32_bits(-0.0f)) << "-0";
}

TEST_P(KernelSpecials, FiniteEdgesWithinBudgetWithTheSignOfX) {
  const KernelInfo& k = *GetParam();
  const double ulp_bound = std::max(1.0, k.budget.max_ulp_vs_formula);
  int checked = 0;
  for (const SpecialCase& sc : special_cases_for(k)) {
    const float x = f32_from_bits(sc.bits);
    if (!std::isfinite(x) || x == 0.0f) continue;
    const float y = run(x);
    ++checked;
    ASSERT_FALSE(std::isnan(y)) << sc.name;
    EXPECT_EQ(std::signbit(y), std::signbit(x)) << sc.name << ": " << hexfloat(y);
    EXPECT_LE(ulp_error(y, reference(k.formula, x).value), ulp_bound) << sc.name << ": " << hexfloat(y);
    if (std::isfinite(k.budget.max_abs_vs_exact)) {
      EXPECT_LE(std::fabs(f32_to_f64(y) - reference(Formula::erf, x).value), k.budget.max_abs_vs_exact)
          << sc.name << ": " << hexfloat(y);
    }
  }
  // 8 fixed finite cases (subnormal and normal extremes) plus 6 per edge.
  int edges = 0;
  for (float e : k.declared.edges) edges += e > 0;
  EXPECT_EQ(checked, 8 + 6 * edges);
}

// The sweep's own check (what accuracy.json and the report show) agrees.
TEST_P(KernelSpecials, SweepReportsEveryUndeclaredSpecialAsPassing) {
  const KernelInfo& k = *GetParam();
  for (const SpecialCase& sc : special_cases_for(k)) {
    const SpecialCheck c = check_special(k, sc.bits);
    if (c.declared_deviation) {
      EXPECT_TRUE(c.as_declared) << sc.name;
    } else {
      EXPECT_TRUE(c.pass) << sc.name << ": expected " << hexfloat(c.expected) << ", got " << hexfloat(c.output);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, KernelSpecials, ::testing::ValuesIn(own_f32_kernels()), kernel_param_name);

TEST(Specials, EdgesAddBothSignsAndNeighbours) {
  const KernelInfo* k = find_kernel("f32_erf_poly_4__scalar");
  ASSERT_NE(k, nullptr);
  const auto cases = special_cases_for(*k);
  ASSERT_EQ(cases.size(), special_cases().size() + 6);
  const float e = k->declared.edges[0];
  EXPECT_EQ(cases[special_cases().size() + 1].bits, f32_bits(e));
  EXPECT_EQ(cases[special_cases().size() + 2].bits, f32_bits(std::nextafter(e, INFINITY)));
  EXPECT_EQ(cases.back().bits, f32_bits(std::nextafter(-e, INFINITY)));
}

}  // namespace
}  // namespace gelubench
