// Narrow formats: encodings, rounding straight from high precision, the
// prepared states, and every registered f16/bf16/qs8 kernel against its
// budget (exhaustively: 65536 or 256 inputs) and the interface contract.
#include <gtest/gtest.h>

#include <tuple>

#include <cmath>
#include <random>

#include "harness/narrow.h"
#include "harness/narrow_accuracy.h"
#include "harness/registry.h"
#include "harness/ulp.h"
#include "tests/registry_params.h"

namespace gelubench {
namespace {

TEST(Narrow, F16EncodingRoundTripsEveryFiniteValue) {
  for (uint32_t b = 0; b < 65536; ++b) {
    float v = decode(kF16, static_cast<uint16_t>(b));
    if (std::isnan(v)) continue;
    ASSERT_EQ(encode_exact(kF16, v), b) << std::hex << b;
  }
  EXPECT_EQ(decode(kF16, 0x3c00), 1.0f);
  EXPECT_EQ(decode(kF16, 0x0001), 0x1p-24f);
  EXPECT_EQ(decode(kF16, 0x7bff), 65504.0f);
  EXPECT_EQ(decode(kBF16, 0x3f80), 1.0f);
}

TEST(Narrow, RoundingIsDirectNotThroughFloat) {
  double out = 0;
  // 1 + 2^-11 + 2^-40 rounds up in f16 (just above the midpoint), although
  // rounding it to float first gives exactly the midpoint, which would round
  // to even (down): the double-rounding trap.
  ASSERT_TRUE(round_to_format(kF16, 1.0 + 0x1p-11, 0x1p-40, 0x1p-60, &out));
  EXPECT_EQ(out, 1.0 + 0x1p-10);
  EXPECT_EQ(static_cast<float>(1.0 + 0x1p-11 + 0x1p-40), 1.0f + 0x1p-11f);
  EXPECT_FALSE(round_to_format(kF16, 1.0 + 0x1p-11, 0.0, 0x1p-60, &out));
  ASSERT_TRUE(round_to_format(kF16, 65520.0 - 1, 0.0, 0.0, &out));  // just below the overflow threshold
  EXPECT_EQ(out, 65504.0);
  ASSERT_TRUE(round_to_format(kF16, 65520.0 + 1, 0.0, 0.0, &out));
  EXPECT_TRUE(std::isinf(out));
  ASSERT_TRUE(round_to_format(kF16, 0x1p-25 + 0x1p-40, 0.0, 0.0, &out));  // above half the smallest subnormal
  EXPECT_EQ(out, 0x1p-24);
}

TEST(Narrow, SmallestNormalBinadeHasNoFinerGridBelow) {
  // f16 0x07ff = 0x1.ffcp-14: GELU = 1023.5996 * 2^-24 rounds up to 0x0400
  // (the smallest normal); found by the f16 kernels' exhaustive run.
  EXPECT_EQ(reference_rounded(kF16, Formula::erf, 0x07ff), 0x0400);
  EXPECT_EQ(reference_rounded(kBF16, Formula::erf, 0x00ff), 0x0080);
}

TEST(Narrow, ReferenceTablesAreCorrectlyRoundedGelu) {
  const U16State& f16 = u16_state(DType::f16);
  EXPECT_EQ(f16.table[0x3c00], encode_exact(kF16, 0.8413085938));  // GELU(1) = 0.841344..., f16 0x3abb
  EXPECT_EQ(f16.table[0xfc00], 0x8000);                             // -inf -> -0
  EXPECT_EQ(f16.table[0x7c00], 0x7c00);                             // +inf -> +inf
  EXPECT_EQ(f16.table[0x8000], 0x8000);
  const U16State& bf16 = u16_state(DType::bf16);
  EXPECT_EQ(decode(kBF16, bf16.table[0x3f80]), 0.83984375f);  // nearest bf16 to 0.841344...
}

TEST(Narrow, Qs8TableFollowsTheQuantizedReference) {
  QuantParams p{8.0f / 127, 0, 8.0f / 127, 0};
  QS8State s = prepare_qs8(p);
  EXPECT_EQ(s.table[static_cast<uint8_t>(int8_t{0})], 0);
  EXPECT_EQ(s.table[static_cast<uint8_t>(int8_t{127})], 127);  // GELU(8) = 8 - tiny
  EXPECT_EQ(s.table[static_cast<uint8_t>(int8_t{-128})], 0);   // GELU(-8.06) ~ -6e-15 -> 0
  // GELU(1 * 8/127) = 0.0331...; / (8/127) = 0.5253... -> 1
  EXPECT_EQ(s.table[static_cast<uint8_t>(int8_t{1})], 1);
  QS8State sat = prepare_qs8({0.25f, 0, 0.05f, -100});
  EXPECT_EQ(sat.table[static_cast<uint8_t>(int8_t{127})], 127);  // clamped
}

using NarrowKernel = RunnableKernelTest;

TEST_P(NarrowKernel, WithinDeclaredBudgetExhaustively) {
  const KernelInfo& k = *GetParam();
  NarrowAccuracyResult r = run_narrow_accuracy({&k});
  const auto& entry = k.dtype == DType::qs8 ? r.quantized.at(0) : r.kernels.at(0);
  for (const auto& c : entry["verdict"]["checks"])
    EXPECT_TRUE(c["pass"].get<bool>()) << c.dump();
  EXPECT_EQ(r.failed, 0);
}

// f16 and bf16 are judged by PyTorch's assert_close tolerances for their own
// dtype, never by fp32's; the correctly rounded tables pass them.
TEST(Narrow, EachFormatHasItsOwnToleranceProfile) {
  for (const auto& [name, profile, rtol] : {std::tuple{"f16_erf_table__scalar", "pytorch_test_fp16", 1e-3},
                                            std::tuple{"bf16_erf_table__scalar", "pytorch_test_bf16", 1.6e-2}}) {
    const KernelInfo* k = find_kernel(name);
    ASSERT_NE(k, nullptr) << name;
    NarrowAccuracyResult r = run_narrow_accuracy({k});
    for (const char* vs : {"exact", "formula"}) {
      const auto& p = r.kernels.at(0)["vs"][vs]["profiles"];
      ASSERT_EQ(p.size(), 1u) << name << " " << p.dump();
      EXPECT_EQ(p[profile]["rtol"].get<double>(), rtol) << name;
      EXPECT_TRUE(p[profile]["pass"].get<bool>()) << name;
    }
  }
}

// The specials are part of the verdict, not just reported: a kernel that is
// right on every finite input but maps NaN to +inf must fail.
const KernelInfo* g_wrapped = nullptr;
void nan_to_inf(size_t n, const uint16_t* x, uint16_t* y, const U16State* s) {
  g_wrapped->u16(n, x, y, s);
  for (size_t i = 0; i < n; ++i)
    if ((x[i] & 0x7fff) > 0x7c00) y[i] = 0x7c00;
}

TEST(Narrow, AWrongSpecialValueFailsTheVerdict) {
  g_wrapped = find_kernel("f16_erf_table__scalar");
  ASSERT_NE(g_wrapped, nullptr);
  KernelInfo broken = *g_wrapped;
  broken.u16 = nan_to_inf;
  NarrowAccuracyResult good = run_narrow_accuracy({g_wrapped});
  NarrowAccuracyResult bad = run_narrow_accuracy({&broken});
  EXPECT_EQ(good.failed, 0);
  EXPECT_EQ(bad.failed, 1);
  int wrong = -1;
  for (const auto& c : bad.kernels.at(0)["verdict"]["checks"])
    if (c["metric"] == "specials_wrong") wrong = c["measured"].get<int>();
  EXPECT_EQ(wrong, 4);  // +-qnan, +-snan
}

// Any n, unaligned, in place, nothing written past the end; bulk results
// equal element-by-element results.
template <typename T, typename Call>
void check_contract(const KernelInfo& k, Call call) {
  std::mt19937 rng(7);
  for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{17}, size_t{1000003}}) {
    std::vector<T> x(n + 1);
    for (auto& v : x) v = static_cast<T>(rng());
    std::vector<T> expected(n);
    for (size_t i = 0; i < n && i < 4096; ++i) call(1, &x[1 + i], &expected[i]);
    constexpr T kCanary = static_cast<T>(0x5a5a);
    std::vector<T> y(n + 3, kCanary);
    call(n, x.data() + 1, y.data() + 1);  // both misaligned by one element
    ASSERT_EQ(y[0], kCanary) << k.name;
    ASSERT_EQ(y[n + 1], kCanary) << k.name << " wrote past n=" << n;
    for (size_t i = 0; i < n && i < 4096; ++i) ASSERT_EQ(y[1 + i], expected[i]) << k.name << " i=" << i;
    std::vector<T> inplace(x.begin() + 1, x.end());
    call(n, inplace.data(), inplace.data());
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(inplace[i], y[1 + i]) << k.name << " in place, i=" << i;
  }
}

TEST_P(NarrowKernel, AnyLengthAnyAlignmentInPlace) {
  const KernelInfo& k = *GetParam();
  if (k.dtype == DType::qs8) {
    QS8State s = prepare_qs8(quant_cases().front().params);
    check_contract<int8_t>(k, [&](size_t n, const int8_t* x, int8_t* y) { k.qs8(n, x, y, &s); });
  } else {
    const U16State& s = u16_state(k.dtype);
    check_contract<uint16_t>(k, [&](size_t n, const uint16_t* x, uint16_t* y) { k.u16(n, x, y, &s); });
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, NarrowKernel,
                         ::testing::ValuesIn(registry_kernels([](const KernelInfo& k) { return k.dtype != DType::f32; })),
                         kernel_param_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NarrowKernel);

}  // namespace
}  // namespace gelubench
