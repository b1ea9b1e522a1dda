// Every registered f32 kernel honours (narrow kernels: tests/narrow_test.cc) the interface contract: any n, unaligned
// pointers, in place, and no writes past the end.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "harness/registry.h"
#include "tests/registry_params.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

using KernelContract = RunnableKernelTest;

// Runs of 4096 inputs from normal(0, 1), uniform[-15, -3] and
// uniform[-12, 12] in turn, so that the kernels that choose a path per
// vector (core_tail_avx512.h) see vectors with no tail lane, only tail lanes
// and a mix, and must give each lane the bits it gets alone.
std::vector<float> inputs(size_t n) {
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> tail(-15.0f, -3.0f), wide(-12.0f, 12.0f);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    switch (i / 4096 % 3) {
      case 0: x[i] = normal(rng); break;
      case 1: x[i] = tail(rng); break;
      default: x[i] = wide(rng); break;
    }
  }
  return x;
}

// Element-by-element results: the ground truth for the bulk calls below.
std::vector<uint32_t> one_at_a_time(const KernelInfo& k, const std::vector<float>& x) {
  std::vector<uint32_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    float y;
    k.f32(1, &x[i], &y);
    out[i] = f32_bits(y);
  }
  return out;
}

TEST_P(KernelContract, AnyLengthAnyAlignmentInPlaceNoOverrun) {
  const KernelInfo& k = *GetParam();
  constexpr size_t kGuard = 64;
  constexpr uint32_t kCanary = 0x7fbadbadu;  // a NaN no kernel produces
  for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{17}, size_t{1000003}}) {
    std::vector<float> x = inputs(n);
    std::vector<uint32_t> expected = one_at_a_time(k, x);
    for (size_t offset : {size_t{0}, size_t{1}, size_t{3}}) {
      // Output buffer with guards on both sides, shifted by `offset` floats.
      std::vector<float> buf(n + offset + 2 * kGuard, f32_from_bits(kCanary));
      std::vector<float> src(n + offset);
      std::copy(x.begin(), x.end(), src.begin() + offset);
      float* y = buf.data() + kGuard + offset;
      k.f32(n, src.data() + offset, y);
      for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(f32_bits(y[i]), expected[i]) << k.name << " n=" << n << " offset=" << offset << " i=" << i;
      for (size_t g = 0; g < kGuard + offset; ++g)
        ASSERT_EQ(f32_bits(buf[g]), kCanary) << k.name << " wrote before the output, n=" << n;
      for (size_t g = kGuard + offset + n; g < buf.size(); ++g)
        ASSERT_EQ(f32_bits(buf[g]), kCanary) << k.name << " wrote past the output, n=" << n;

      // In place.
      std::vector<float> inplace = src;
      k.f32(n, inplace.data() + offset, inplace.data() + offset);
      for (size_t i = 0; i < n; ++i)
        ASSERT_EQ(f32_bits(inplace[offset + i]), expected[i]) << k.name << " in place, n=" << n;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, KernelContract,
                         ::testing::ValuesIn(registry_kernels([](const KernelInfo& k) { return k.dtype == DType::f32; })),
                         kernel_param_name);

}  // namespace
}  // namespace gelubench
