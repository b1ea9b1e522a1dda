// The x*sigmoid(v) engine of the kernels/tanh and kernels/sigmoid families,
// once per ISA. Both GELU forms are x*sigmoid(v):
//   tanh form     0.5x(1 + tanh(u)) = x*sigmoid(2u), 2u = 2*sqrt(2/pi)(x + 0.044715x^3)
//   sigmoid form  x*sigmoid(1.702x)
// and x*sigmoid(v) has no 1 + tanh cancellation: in the negative tail it is
// x*e^v/(1 + e^v), relatively accurate down to the last subnormal.
//
// With z = v*log2(e) = |x|*(W_hi + W_lo) (Arg policy below; sign(z) = sign(x)):
//   xc = max(lo, x),  xe = min(hi, xc)    (lo: the result is -0 below it; hi:
//                                          the result is x above it; the
//                                          operand order keeps NaN)
//   zn = -|xe|*W_hi,  n = round(zn),  g = (-|xe|*W_hi - n) + (-|xe|*W_lo)
//                                          (FMA: g exact to ~2^-24 absolute)
//   p = 2^g (degree-6 polynomial),  t = 2^-|z| = p*2^n,  d = 1 + t
//   y = x/d                 for x >= 0   (sigmoid(v) = 1/(1 + e^-v))
//   y = (xc*p/d) * 2^n      for x < 0    (sigmoid(v) = e^v/(1 + e^v)),
// the final 2^n applied exactly with one rounding (vscalefps; AVX2: two
// exact power-of-two multiplies; scalar: ldexp), so subnormal results are
// correctly rounded from the last quotient.
// Quotient: kNewton = false: true division; true: reciprocal estimate
// (vrcp14ps) + one Newton-Raphson step (AVX-512 only).
// The 2^g polynomial and the split constants: tools/fit/tanh_exp2_fit.py
// (Remez, relative error), exp2_consts.h.
// Range: all floats (the clamps of each Arg policy below).
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: the file suffix's ISA flags; round to nearest; no FTZ/DAZ
// (subnormal results are produced and must not be flushed). Scalar: std::fma
// and std::nearbyint correctly rounded, 2^n exact in double then one
// rounding to float (ldexp_exact).
// Scalar, AVX2 and AVX-512 division versions are bit-identical.
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

// GCC 12 false positive inside its own AVX-512 intrinsics (_mm512_undefined_ps
// passthrough operands): silenced for the kernel files including this header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <immintrin.h>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/pow2_scale.h"
#include "kernels/simd_loop.h"
#include "kernels/simd_ops.h"
#include "kernels/xsigmoid/exp2_consts.h"

namespace gelubench::xsigmoid {
namespace {

using E = Exp2Consts;

// Arg policies: |z| = |xe| * (hi + lo), xe already clamped to [kLo, kHi].
//
// Tanh form: W(s) = D1 + D2*s, s = x^2 (exact as s_hi + s_lo), and the
// rounding error of W_hi = fma(D2h, s_hi, D1h) recovered exactly by
// fma(D2h, s_hi, D1h - W_hi) (D1h has 12 significant bits, so D1h - W_hi is
// exact for every W_hi up to 2^14). Clamps: below x = -12 the result is under
// 2^-150 (-0); above x = 12, 2^-|z| < 2^-200 and the result is x.
struct TanhArg {
  static constexpr float kLo = -12.0f, kHi = 12.0f;
  static constexpr float kDeep = -9.9f;  // below: 2^-|z| < 2^-125 (|z| = 126 at x = -10.0)
  template <class V, class Ops>
  static GELU_FAMILIES_INLINE void w(V xe, V& hi, V& lo, const Ops& o) {
    const V sh = o.mul(xe, xe);
    const V sl = o.fmsub(xe, xe, sh);
    const V d2h = o.set(E::kD2Hi), d1h = o.set(E::kD1Hi);
    hi = o.fmadd(d2h, sh, d1h);
    const V rho = o.fmadd(d2h, sh, o.sub(d1h, hi));
    lo = o.add(o.fmadd(d2h, sl, rho), o.fmadd(o.set(E::kD2Lo), sh, o.set(E::kD1Lo)));
  }
};

// Sigmoid form: z = 1.702*log2(e)*x, the constant split in two floats.
// Clamps: below x = -64 the result is under 2^-150; above 64 it is x.
struct SigmoidArg {
  static constexpr float kLo = -64.0f, kHi = 64.0f;
  static constexpr float kDeep = -51.0f;  // below: 2^-|z| < 2^-125 (|z| = 125.5 at x = -51.1)
  template <class V, class Ops>
  static GELU_FAMILIES_INLINE void w(V, V& hi, V& lo, const Ops& o) {
    hi = o.set(E::kKHi);
    lo = o.set(E::kKLo);
  }
};

// ---------------------------------------------------------------- scalar
using simd::ScalarOps;

// std::ldexp(v, n) for |n| <= 1022, without glibc's call: v * 2^n is exact
// in double (float's range sits far inside double's), and the one
// conversion to float rounds it as ldexp does, to nearest-even, into the
// subnormals too. (The AVX-512 code's vscalefps rounds the same way.)
inline float ldexp_exact(float v, int n) {
  const double scale = std::bit_cast<double>(static_cast<uint64_t>(1023 + n) << 52);
  return static_cast<float>(static_cast<double>(v) * scale);
}

template <class Arg, bool kNewton>
inline float xsigmoid_scalar_one(float x) {
  // Same operations as the AVX-512 code (whose clamp is one vrangeps).
  static_assert(!kNewton, "the scalar file divides");
  const ScalarOps o;
  const float xc = Arg::kLo > x ? Arg::kLo : x;   // vmaxps(lo, x)
  const float xe = Arg::kHi < xc ? Arg::kHi : xc;  // vminps(hi, xc)
  float wh, wl;
  Arg::w(xe, wh, wl, o);
  const float nx = -std::fabs(xe);
  const float n = std::nearbyint(nx * wh);
  float g = std::fma(nx, wh, -n);
  g = std::fma(nx, wl, g);
  float p = E::kP[6];
  for (int k = 5; k >= 0; --k) p = std::fma(p, g, E::kP[k]);
  // NaN input: n is NaN, and converting it to int is undefined (found by
  // the fuzzer); any exponent gives the NaN result.
  const int ni = std::isnan(n) ? 0 : static_cast<int>(n);
  const float d = ldexp_exact(p, ni) + 1.0f;
  if (xc < 0.0f) return ldexp_exact(xc * p / d, ni);
  return xc / d;
}

template <class Arg, bool kNewton>
void xsigmoid_scalar(size_t n, const float* x, float* y) {
  families::loop_scalar(n, x, y, [](float v) { return xsigmoid_scalar_one<Arg, kNewton>(v); });
}

// ---------------------------------------------------------------- AVX-512
#if defined(__AVX512F__)
using simd::Ops512;

// K vectors at a time, every step applied to all K before the next: the
// dependency chain of one vector is ~100 cycles long (roundscale, the
// polynomial, the division, two scalefs), longer than the scheduler can hide
// when the vectors come one after another; interleaving them in program
// order lets K chains advance together. Same operations per lane as K = 1.
#define GELU_EACH _Pragma("GCC unroll 8") for (int k = 0; k < K; ++k)
template <class Arg, bool kNewton>
struct XSigmoid512 {
  // vscalefps takes a microcode assist on Intel when its result is
  // subnormal or underflows to 0 (kernels/pow2_scale.h); here that is t =
  // p*2^n for n <= -126 and the final 2^n (|num| > 2^2.8 below kDeep: under
  // 2^-126 only for n < -128). One test of x per batch: without a lane below
  // kDeep, the plain instructions; with one, t's exponent is clamped where
  // t stays normal (below 2^-25 only 1 + t = 1 matters) and the final 2^n
  // goes through pow2_scale. The same bits either way.
  template <int K>
  GELU_FAMILIES_INLINE void run(const __m512* x, __m512* y) const {
    __m512 xmin = x[0];
#pragma GCC unroll 8
    for (int k = 1; k < K; ++k) xmin = _mm512_min_ps(xmin, x[k]);
    if (__builtin_expect(_mm512_cmp_ps_mask(xmin, _mm512_set1_ps(Arg::kDeep), _CMP_LT_OQ) == 0, 1)) {
      body<K, false>(x, y);
    } else {
      body<K, true>(x, y);
    }
  }
  GELU_FAMILIES_INLINE __m512 operator()(__m512 x) const {
    __m512 y;
    run<1>(&x, &y);
    return y;
  }

  template <int K, bool kTail>
  GELU_FAMILIES_INLINE void body(const __m512* x, __m512* y) const {
    const Ops512 o;
    __m512 nx[K], wh[K], wl[K], n[K], g[K], p[K];
    static_assert(Arg::kLo == -Arg::kHi, "one symmetric clamp");
    // nx = -min(|x|, hi) in one vrangeps (imm 0b1110: min of magnitudes,
    // sign set); NaN stays NaN. For x < 0 it is also max(lo, x).
    GELU_EACH nx[k] = _mm512_range_ps(x[k], _mm512_set1_ps(Arg::kHi), 0x0e);
    GELU_EACH Arg::w(nx[k], wh[k], wl[k], o);
    GELU_EACH n[k] = _mm512_roundscale_ps(_mm512_mul_ps(nx[k], wh[k]), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    GELU_EACH g[k] = _mm512_fmsub_ps(nx[k], wh[k], n[k]);
    GELU_EACH g[k] = _mm512_fmadd_ps(nx[k], wl[k], g[k]);
    GELU_EACH p[k] = _mm512_set1_ps(E::kP[6]);
#pragma GCC unroll 6
    for (int i = 5; i >= 0; --i) GELU_EACH p[k] = _mm512_fmadd_ps(p[k], g[k], _mm512_set1_ps(E::kP[i]));
    __m512 d[K], num[K];
    __mmask16 neg[K];
    if constexpr (kTail) {
      GELU_EACH d[k] = _mm512_add_ps(_mm512_scalef_ps(p[k], _mm512_max_ps(n[k], _mm512_set1_ps(-125.0f))),
                                     _mm512_set1_ps(1.0f));
    } else {
      GELU_EACH d[k] = _mm512_add_ps(_mm512_scalef_ps(p[k], n[k]), _mm512_set1_ps(1.0f));
    }
    GELU_EACH neg[k] = _mm512_cmp_ps_mask(x[k], _mm512_setzero_ps(), _CMP_LT_OQ);
    GELU_EACH num[k] = _mm512_mask_mul_ps(x[k], neg[k], nx[k], p[k]);
    if constexpr (kNewton) {
      GELU_EACH num[k] = _mm512_mul_ps(num[k], o.rcp_nr(d[k]));
    } else {
      GELU_EACH num[k] = _mm512_div_ps(num[k], d[k]);
    }
    if constexpr (kTail) {
      GELU_EACH y[k] = pow2_scale::mask_scalef(num[k], neg[k], num[k], n[k],
                                               _mm512_cmp_ps_mask(n[k], _mm512_set1_ps(-128.0f), _CMP_LT_OQ));
    } else {
      GELU_EACH y[k] = _mm512_mask_scalef_ps(num[k], neg[k], num[k], n[k]);
    }
  }
};
#undef GELU_EACH

template <class Arg, bool kNewton>
void xsigmoid_avx512(size_t n, const float* x, float* y) {
  families::loop_avx512_batched<4>(n, x, y, XSigmoid512<Arg, kNewton>());
}
#endif  // __AVX512F__

// ---------------------------------------------------------------- AVX2
#if defined(__AVX2__) && defined(__FMA__)
using simd::Ops256;

// 2^k for integer-valued float k in [-126, 127], built in the exponent field.
GELU_FAMILIES_INLINE __m256 pow2_256(__m256 k) {
  return _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23));
}

template <class Arg, bool kNewton>
struct XSigmoid256 {
  static_assert(!kNewton, "AVX2 divides");
  GELU_FAMILIES_INLINE __m256 operator()(__m256 x) const {
    const Ops256 o;
    const __m256 xc = _mm256_max_ps(_mm256_set1_ps(Arg::kLo), x);
    const __m256 xe = _mm256_min_ps(_mm256_set1_ps(Arg::kHi), xc);
    __m256 wh, wl;
    Arg::w(xe, wh, wl, o);
    const __m256 nx = _mm256_or_ps(xe, _mm256_set1_ps(-0.0f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(nx, wh), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 g = _mm256_fmsub_ps(nx, wh, n);
    g = _mm256_fmadd_ps(nx, wl, g);
    __m256 p = _mm256_set1_ps(E::kP[6]);
    for (int k = 5; k >= 0; --k) p = _mm256_fmadd_ps(p, g, _mm256_set1_ps(E::kP[k]));
    // t = p*2^n: below 2^-126 only 1 + t = 1 matters, so clamp the exponent.
    const __m256 t = _mm256_mul_ps(p, pow2_256(_mm256_max_ps(n, _mm256_set1_ps(-126.0f))));
    const __m256 d = _mm256_add_ps(t, _mm256_set1_ps(1.0f));
    const __m256 neg = _mm256_cmp_ps(xc, _mm256_setzero_ps(), _CMP_LT_OQ);
    const __m256 num = _mm256_blendv_ps(xc, _mm256_mul_ps(xc, p), neg);
    const __m256 q = _mm256_div_ps(num, d);
    // q*2^n for x < 0 as two exact power-of-two multiplies, one rounding:
    // q*2^a is exact (|q| > 2^-20 for x < 0 with n < 0, a >= -100), then
    // *2^b (b >= -105, a normal power of two) rounds once, subnormals included.
    // (Multiplies that underflow to 0, the tail below x = -10.8, cost no
    // microcode assist; vscalefps would: kernels/pow2_scale.h.)
    const __m256 ne = _mm256_and_ps(n, neg);
    const __m256 a = _mm256_max_ps(ne, _mm256_set1_ps(-100.0f));
    const __m256 b = _mm256_sub_ps(ne, a);
    return _mm256_mul_ps(_mm256_mul_ps(q, pow2_256(a)), pow2_256(b));
  }
};

template <class Arg, bool kNewton>
void xsigmoid_avx2(size_t n, const float* x, float* y) {
  families::loop_avx2(n, x, y, XSigmoid256<Arg, kNewton>());
}
#endif  // __AVX2__ && __FMA__

}  // namespace
}  // namespace gelubench::xsigmoid
