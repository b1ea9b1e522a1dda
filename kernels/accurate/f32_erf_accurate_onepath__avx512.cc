// Exact GELU, x*Phi(x), within 1 ULP of the exact value for every float
// input (exhaustive sweep), including the negative tail down to where GELU
// underflows (x ~ -14.4, subnormal results from x ~ -13.2) and subnormal x.
// Float-only: no double arithmetic; 16 lanes per step.
//
// Method (tables: accurate_tables_d5.h, made by
//   tools/fit/gelu_accurate_fit.py --degree 5 --prefix kAcc --out kernels/accurate/accurate_tables_d5.h
// whose docstring has the full derivation):
//   t = |x|, m = sign(x)*min(t, 1), h = t^2/2 (h = 0 for 0 <= x < 1),
//   V = m * exp(-h) * G(t),  GELU(x) = V for x < 1, x - V for x >= 1,
//   with G = Phi(x) (0 <= x < 1), Phi(-t) e^(t^2/2) (-1 < x < 0) or
//   t Phi(-t) e^(t^2/2) (t >= 1): smooth functions with no Gaussian decay,
//   so no 1 + erf cancellation anywhere and no tail clamp.
//   * h = t^2/2 is split exactly into h + hl with an FMA (rounding x/sqrt(2)
//     or t^2 would cost ~x^2 ULP in the tail).
//   * G on 29 intervals (slot = exponent and top 3 mantissa bits of
//     u = fma(t, 1 - 2^-23, 2), plus a sign bit): G = 2^(-k/32) (1 + p(d)),
//     p of degree 5 in d = t - centre (exact: Sterbenz). The shrink by
//     2^-23 keeps every t < 1 out of 1's slot (where G changes function:
//     0 <= x < 1 and -1 < x <= -0.75 against the t F(t) slots); elsewhere a
//     t within ~2^-20 of a boundary may be evaluated by the neighbouring
//     slot of the same function (t on a boundary b >= 1.25, or one ulp
//     above it, by the lower one; t just under 0.25 or 0.5 by the upper
//     one), whose fit holds on the closed interval and that little beyond.
//     The AVX2 version uses the same rule (it has no truncating add), so
//     the two give the same bits.
//     Coefficients come from 32-entry tables via vpermt2ps (one uop each).
//   * exp(-h) 2^(-k/32) = 2^(-J/32) e^(-r): J = K + k from one FMA with the
//     slot's magic constant, r = (h - K*C_hi) - K*C_lo + hl exactly enough,
//     e^(-r) - 1 a degree-3 minimax; 2^(-J/32) = ExpHi + ExpLo (32-entry
//     table, pre-scaled by 2^24 so the products never go subnormal) times
//     scalef(2^floor(-J/32 - 24)): one rounding for subnormal results too,
//     done without a subnormal-producing instruction (kernels/pow2_scale.h).
//   * Everything beyond the leading m*ExpHi is gathered into one small
//     correction W, so the result is fma(m, ExpHi, m*W): the only roundings
//     of size ~|p| are in p itself, W and m*W.
// Error budget (relative, before the final rounding): fit <= 2^-28.0, exp
// polynomial 2^-33.2, argument reduction <= 2^-30.5, roundings of p, W, m*W
// <= 2^-27 each at |p| <= 0.1: a bound of ~0.4 ULP on top of the final 0.5.
// Declared error: <= 1 ULP (see the registry line for the measured figure).
// Valid for all float inputs: |x| is clamped to 15 (GELU(-15) ~ -5e-50
// rounds to -0; GELU(15) rounds to 15); NaN -> NaN, +inf -> +inf,
// -inf -> -0, +-0 -> +-0 (a positive c0 in slot 4 keeps -0's sign).
// Flags relied on: -mavx512f -mavx512dq (file suffix __avx512); round to
// nearest (MXCSR default); no FTZ/DAZ (subnormal inputs and results are exact
// IEEE operations here). Tail (n % 16): masked load/store, no access past n.
// GCC 12 false positive on _mm512_undefined_ps inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/accurate/accurate_avx512.h"
#include "kernels/prefetch.h"

namespace gelubench {

void f32_erf_accurate_onepath__avx512(size_t n, const float* x, float* y) {
  using accurate_avx512::gelu16;
  const accurate_avx512::Consts k = accurate_avx512::consts();
  size_t i = 0;
  // Two independent 16-lane chains per iteration (measured faster than one).
  for (; i + 32 <= n; i += 32) {
    prefetch_ahead(x + i);
    prefetch_ahead(x + i + 16);
    const __m512 a = gelu16(_mm512_loadu_ps(x + i), k);
    const __m512 b = gelu16(_mm512_loadu_ps(x + i + 16), k);
    _mm512_storeu_ps(y + i, a);
    _mm512_storeu_ps(y + i + 16, b);
  }
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, gelu16(_mm512_loadu_ps(x + i), k));
  if (i < n) {
    const __mmask16 mask = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, mask, gelu16(_mm512_maskz_loadu_ps(mask, x + i), k));
  }
}

}  // namespace gelubench
