// f16 GELU computed in fp16 arithmetic, 32 lanes per vector (AVX512-FP16):
// a cubic on each of 64 pieces of a warped x, so every operation is one
// IEEE binary16 operation and no input is widened. Within 1 fp16 ULP of
// exact GELU for all 65536 inputs (the fit script proves it on an exact
// emulation of these operations; the exhaustive sweep measures it here).
// Method, pieces and error analysis: tools/fit/gelu_f16_fit.py, whose
// output is f16_native_tables.h.
// Specials: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0.
// Flags relied on: -mavx512fp16 -mavx512bw (file suffix __avx512fp16);
// round to nearest (one fma is explicitly rounded toward zero); FP16
// arithmetic ignores MXCSR's FTZ/DAZ. Tail (n % 32): masked load/store, no
// access past n.
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "kernels/f16/f16_native_tables.h"
#include "kernels/kernel.h"
#include "kernels/prefetch.h"

namespace gelubench {
namespace {

namespace t = f16_native;

// A 64-entry fp16 table in two registers, read per lane by one vpermt2w.
struct Tab64 {
  __m512i lo, hi;
};
inline Tab64 tab(const uint16_t* p) { return {_mm512_load_si512(p), _mm512_load_si512(p + 32)}; }
inline __m512h fetch(const Tab64& tb, __m512i idx) {
  return _mm512_castsi512_ph(_mm512_permutex2var_epi16(tb.lo, idx, tb.hi));
}
inline __m512h splat(uint16_t bits) { return _mm512_castsi512_ph(_mm512_set1_epi16(static_cast<short>(bits))); }

struct Consts {
  Tab64 centre, a, b1, b2, b3, scale;
};
inline Consts consts() {
  const t::Tables& k = t::kTables;
  return {tab(k.centre), tab(k.a), tab(k.b[0]), tab(k.b[1]), tab(k.b[2]), tab(k.scale)};
}

inline __m512i gelu32(__m512i xi, const Consts& k) {
  // Below x_lo the result is -0, as it is at x_lo (checked by the fit
  // script); NaN becomes x_lo here and x again at the end.
  const __m512h x = _mm512_max_ph(_mm512_castsi512_ph(xi), splat(t::kXLo));
  // Piece: the low 6 bits of u = trunc(x (|x| + beta) + M), an integer in [1024, 2048).
  const __m512h w = _mm512_add_ph(_mm512_abs_ph(x), splat(t::kBeta));
  const __m512i idx = _mm512_castph_si512(
      _mm512_fmadd_round_ph(x, w, splat(t::kM), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
  const __m512h d = _mm512_sub_ph(x, fetch(k.centre, idx));
  __m512h r = fetch(k.b3, idx);
  r = _mm512_fmadd_ph(r, d, fetch(k.b2, idx));
  r = _mm512_mul_ph(_mm512_fmadd_ph(r, d, fetch(k.b1, idx)), d);
  // x (A + r) 2^-k with x A = p + e exactly: the only large rounding is the last.
  const __m512h a = fetch(k.a, idx);
  const __m512h p = _mm512_mul_ph(x, a);
  const __m512h e = _mm512_fmsub_ph(x, a, p);
  const __m512h ys = _mm512_add_ph(p, _mm512_fmadd_ph(x, r, e));
  const __m512i y = _mm512_castph_si512(_mm512_mul_ph(ys, fetch(k.scale, idx)));
  const __m512i sign = _mm512_set1_epi16(static_cast<short>(0x8000));
  __m512i out = _mm512_ternarylogic_epi32(y, xi, sign, 0xf8);  // y | (x & sign): GELU(-0) = -0
  // x >= top, +inf and NaN: x.
  return _mm512_mask_mov_epi16(out, _mm512_cmp_ph_mask(_mm512_castsi512_ph(xi), splat(t::kXTop), _CMP_NLT_UQ), xi);
}

}  // namespace

void f16_erf_native_poly_3x64__avx512fp16(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  const Consts k = consts();
  size_t i = 0;
  // Four independent vectors per iteration.
  for (; i + 128 <= n; i += 128) {
    prefetch_ahead(x + i);
    prefetch_ahead(x + i + 64);
    const __m512i a = gelu32(_mm512_loadu_si512(x + i), k);
    const __m512i b = gelu32(_mm512_loadu_si512(x + i + 32), k);
    const __m512i c = gelu32(_mm512_loadu_si512(x + i + 64), k);
    const __m512i d = gelu32(_mm512_loadu_si512(x + i + 96), k);
    _mm512_storeu_si512(y + i, a);
    _mm512_storeu_si512(y + i + 32, b);
    _mm512_storeu_si512(y + i + 64, c);
    _mm512_storeu_si512(y + i + 96, d);
  }
  for (; i < n; i += 32) {
    const __mmask32 live = n - i >= 32 ? ~__mmask32{0} : static_cast<__mmask32>((1u << (n - i)) - 1);
    _mm512_mask_storeu_epi16(y + i, live, gelu32(_mm512_maskz_loadu_epi16(live, x + i), k));
  }
}

}  // namespace gelubench
