// libFuzzer target: drives every runnable f32 kernel (but the shim peers) with fuzzer-chosen lengths,
// alignment offsets, in-place or not, and input bit patterns. Built with
// AddressSanitizer, so any read or write past n is caught; every output is
// checked against the kernel's declared budget and the special-value rules.
//
// Input layout: byte 0 picks the kernel, byte 1 the flags (bit 0: in place),
// byte 2 the alignment offset in floats; the rest are the input floats.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "harness/reference.h"
#include "harness/registry.h"
#include "harness/ulp.h"

namespace {

using namespace gelubench;

const std::vector<const KernelInfo*>& runnable() {
  static const std::vector<const KernelInfo*> ks = [] {
    std::vector<const KernelInfo*> v;
    // Not the shim peers (oneDNN, MKL, OpenVINO): their code is not built
    // with the sanitizers, so fuzzing it here finds nothing ASan can see, and
    // their special values are theirs to get wrong (the sweep reports them).
    for (const auto& k : all_kernels())
      if (k.dtype == DType::f32 && k.dl == nullptr && why_not_runnable(k, best_isa(cpu_info())).empty())
        v.push_back(&k);
    return v;
  }();
  return ks;
}

[[noreturn]] void fail(const KernelInfo& k, float x, float y, const char* what) {
  std::fprintf(stderr, "%.*s: x=%a (0x%08x) -> y=%a (0x%08x): %s\n", static_cast<int>(k.name.size()),
               k.name.data(), x, f32_bits(x), y, f32_bits(y), what);
  std::abort();
}

void check(const KernelInfo& k, float x, float y) {
  if (std::isnan(x)) {
    if (!std::isnan(y)) fail(k, x, y, "NaN input must give NaN");
    return;
  }
  if (std::isinf(x)) {
    if (x > 0 && y != x) fail(k, x, y, "+inf must give +inf");
    return;  // -inf -> -0 is not claimed by the 1+erf forms (x*0 = NaN); the sweep reports it
  }
  if (x == 0.0f && !k.peer && f32_bits(y) != f32_bits(x)) fail(k, x, y, "+-0 must give +-0 (bitwise)");
  const Budget& b = k.budget;
  if (std::isfinite(b.max_ulp_vs_formula) &&
      ulp_error(y, reference(k.formula, x).value) > b.max_ulp_vs_formula)
    fail(k, x, y, "over the declared ULP budget vs its formula");
  double exact = reference(Formula::erf, x).value;
  if (std::isfinite(b.max_ulp_vs_exact) && ulp_error(y, exact) > b.max_ulp_vs_exact)
    fail(k, x, y, "over the declared ULP budget vs exact GELU");
  if (std::isfinite(b.max_abs_vs_exact) && !(std::fabs(static_cast<double>(y) - exact) <= b.max_abs_vs_exact))
    fail(k, x, y, "over the declared absolute budget vs exact GELU");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3 || runnable().empty()) return 0;
  const KernelInfo& k = *runnable()[data[0] % runnable().size()];
  const bool in_place = data[1] & 1;
  const size_t offset = data[2] % 16;
  const size_t n = (size - 3) / sizeof(float);

  // Exactly sized heap buffers: ASan flags any access past either end.
  std::unique_ptr<float[]> xbuf(new float[offset + n]);
  std::memcpy(xbuf.get() + offset, data + 3, n * sizeof(float));
  std::vector<float> x(xbuf.get() + offset, xbuf.get() + offset + n);
  std::unique_ptr<float[]> ybuf;
  float* y = xbuf.get() + offset;
  if (!in_place) {
    ybuf.reset(new float[offset + n]);
    y = ybuf.get() + offset;
  }
  k.f32(n, xbuf.get() + offset, y);
  for (size_t i = 0; i < n; ++i) check(k, x[i], y[i]);
  return 0;
}
