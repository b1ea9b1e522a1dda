// ISA versions of one kernel (same name up to the __<isa> suffix) return the
// same bits as its lowest-ISA version (the sibling whose CPU features are a
// strict subset, fewest first), unless the registry line declares
// `.own_bits = true`, in which case they must differ somewhere (a stale
// declaration fails too). The scalar kernels' exhaustive figures were
// measured on their vector siblings, and one results line stands for the
// AVX-512 and AVX2 one-path accurate kernels: this guards that, on a sample (the
// full proof, all 2^32 inputs, is a one-off check noted in the commit).
// Inputs: f32, every 1021st encoding, every exponent of both signs with its
// extreme mantissas and 510 random ones, and +-8 ULP around every float of
// at most 4 significant bits (the slot and binade boundaries of the
// piecewise kernels) and around each declared edge; f16/bf16 all 65536
// encodings; qs8 all 256 codes under each quantization case. Compared as
// bits (NaN payloads included).
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <string_view>
#include <vector>

#include "harness/narrow.h"
#include "harness/registry.h"
#include "tests/registry_params.h"
#include "tests/test_inputs.h"

namespace gelubench {
namespace {

std::string_view stem(std::string_view name) { return name.substr(0, name.rfind("__")); }

// The sibling a version is compared with: the same stem, a strict subset of
// its CPU features (a lower ISA tier), as few features as possible.
const KernelInfo* lowest_sibling(const KernelInfo& k) {
  const KernelInfo* best = nullptr;
  for (const auto& s : all_kernels()) {
    if (&s == &k || s.peer || stem(s.name) != stem(k.name) || s.dtype != k.dtype) continue;
    const bool lower = (s.features & k.features) == s.features && s.features != k.features;
    if (lower && (!best || std::popcount(s.features) < std::popcount(best->features))) best = &s;
  }
  return best;
}

std::vector<const KernelInfo*> versions_with_a_lower_sibling() {
  return registry_kernels([](const KernelInfo& k) { return !k.peer && lowest_sibling(k) != nullptr; });
}

std::vector<float> f32_inputs(const KernelInfo& k) {
  std::vector<uint32_t> bits = stratified_f32_bits(97, 510);
  auto around = [&bits](uint32_t b) {
    for (int d = -8; d <= 8; ++d) bits.push_back(b + static_cast<uint32_t>(d));
  };
  for (uint64_t b = 0; b < (1ull << 32); b += 1021) bits.push_back(static_cast<uint32_t>(b));
  for (uint32_t sign = 0; sign < 2; ++sign)
    for (uint32_t exponent = 1; exponent < 255; ++exponent)
      for (uint32_t top = 0; top < 8; ++top) around((sign << 31) | (exponent << 23) | (top << 20));
  for (float e : k.declared.edges)
    if (e > 0) {
      around(std::bit_cast<uint32_t>(e));
      around(std::bit_cast<uint32_t>(-e));
    }
  std::vector<float> x;
  x.reserve(bits.size());
  for (uint32_t b : bits) x.push_back(std::bit_cast<float>(b));
  return x;
}

// Index of the first input where a and b give different bits, or -1.
// run(kernel, n, x, y) applies one kernel.
template <class T, class Run>
long first_difference(const std::vector<T>& x, const KernelInfo& a, const KernelInfo& b, Run run) {
  // Different fillers, so an output neither kernel writes cannot look equal.
  std::vector<T> ya(x.size()), yb(x.size());
  std::memset(ya.data(), 0xaa, ya.size() * sizeof(T));
  std::memset(yb.data(), 0x55, yb.size() * sizeof(T));
  run(a, x.size(), x.data(), ya.data());
  run(b, x.size(), x.data(), yb.data());
  for (size_t i = 0; i < x.size(); ++i)
    if (std::memcmp(&ya[i], &yb[i], sizeof(T)) != 0) return static_cast<long>(i);
  return -1;
}

using IsaSiblings = RunnableKernelTest;

TEST_P(IsaSiblings, SameBitsAsTheLowerIsaVersionUnlessDeclared) {
  const KernelInfo& k = *GetParam();
  const KernelInfo& low = *lowest_sibling(k);
  std::string where;  // the first input where the two differ, if any
  switch (k.dtype) {
    case DType::f32: {
      const std::vector<float> x = f32_inputs(k);
      const long i = first_difference(x, k, low, [](const KernelInfo& kk, size_t n, const float* in, float* out) {
        kk.f32(n, in, out);
      });
      if (i >= 0) where = fmt::format("x = {:a}", x[i]);
      break;
    }
    case DType::f16:
    case DType::bf16: {
      std::vector<uint16_t> x(65536);
      for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<uint16_t>(i);
      const U16State& s = u16_state(k.dtype);
      const long i = first_difference(x, k, low, [&s](const KernelInfo& kk, size_t n, const uint16_t* in, uint16_t* out) {
        kk.u16(n, in, out, &s);
      });
      if (i >= 0) where = fmt::format("encoding 0x{:04x}", x[i]);
      break;
    }
    case DType::qs8: {
      std::vector<int8_t> x(256);
      for (int i = 0; i < 256; ++i) x[i] = static_cast<int8_t>(i - 128);
      for (const QuantCase& q : quant_cases()) {
        const QS8State s = prepare_qs8(q.params);
        const long i = first_difference(x, k, low, [&s](const KernelInfo& kk, size_t n, const int8_t* in, int8_t* out) {
          kk.qs8(n, in, out, &s);
        });
        if (i >= 0 && where.empty()) where = fmt::format("code {} ({})", x[i], q.name);
      }
      break;
    }
  }
  if (k.declared.own_bits)
    EXPECT_FALSE(where.empty()) << k.name << " declares own_bits but matches " << low.name << " everywhere";
  else
    EXPECT_TRUE(where.empty()) << k.name << " differs from " << low.name << " at " << where;
}

INSTANTIATE_TEST_SUITE_P(Registry, IsaSiblings, ::testing::ValuesIn(versions_with_a_lower_sibling()),
                         kernel_param_name);

TEST(IsaSiblings, LowestSiblingIsTheLowestTier) {
  const KernelInfo* avx512 = find_kernel("f32_erf_poly_4__avx512");
  ASSERT_NE(avx512, nullptr);
  ASSERT_NE(lowest_sibling(*avx512), nullptr);
  EXPECT_EQ(lowest_sibling(*avx512)->name, "f32_erf_poly_4__scalar");
  EXPECT_EQ(lowest_sibling(*find_kernel("f32_erf_poly_4__scalar")), nullptr);
}

}  // namespace
}  // namespace gelubench
