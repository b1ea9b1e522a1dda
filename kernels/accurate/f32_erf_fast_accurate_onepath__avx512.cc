// Exact GELU, x*Phi(x), within 4 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included, built for
// speed: the f32_erf_accurate_onepath__avx512 algorithm (see that file for the
// method) with the precision it does not need here taken out:
//   * degree-4 polynomials (tables: fast_tables_d4.h, made by
//       tools/fit/gelu_accurate_fit.py --degree 4 --prefix kFast --out kernels/accurate/fast_tables_d4.h
//     worst fit error 2^-23.2 relative, slot [2, 2.5));
//   * no low part of 2^(-J/32) (2^-25 relative);
//   * V = fma(m*T, eps, m*T) with m*T rounded (2^-24 relative when |x| < 1,
//     exact otherwise), eps = p + q + p q.
// Kept (each is worth 2^-18 or more in the tail): the exact split of t^2/2,
// the two-constant reduction K*ln2/32, the degree-3 e^-r.
// Error budget (relative, before the final rounding, as a multiple of the
// 2^-24 that one ULP can be): fit <= 1.7, no table low part <= 0.5, m*T
// <= 1, other roundings ~0.2; with the final rounding a bound of ~3.9 ULP
// (the sweep measures well below it; see the registry line).
// Valid for all float inputs, specials as f32_erf_accurate_onepath__avx512: NaN ->
// NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512); round to
// nearest; no FTZ/DAZ.
// Tail (n % 16): masked load/store, no access past n.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/fast_accurate_avx512.h"
#include "kernels/kernel.h"
#include "kernels/prefetch.h"

namespace gelubench {

void f32_erf_fast_accurate_onepath__avx512(size_t n, const float* x, float* y) {
  using fast_accurate_avx512::gelu16;
  const fast_accurate_avx512::Consts k = fast_accurate_avx512::consts();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    prefetch_ahead(x + i);
    _mm512_storeu_ps(y + i, gelu16(_mm512_loadu_ps(x + i), k));
  }
  if (i < n) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, mask, gelu16(_mm512_maskz_loadu_ps(mask, x + i), k));
  }
}

}  // namespace gelubench
