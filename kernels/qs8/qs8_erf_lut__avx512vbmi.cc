// qs8 GELU by lookup, AVX-512 VBMI: the 256-byte table the harness prepares
// (QS8State, exact by construction: 0 LSB from the prepared code) lives in
// four zmm registers; 64 codes per step go through two vpermi2b (each picks
// from 128 bytes by the low 7 bits of the code) and a byte blend on bit 7
// (vpmovb2m). Port 5 bound (vpermi2b issues every other cycle on the
// Sapphire Rapids-class Xeon it was tuned on); a zero-masked second permute
// plus XOR instead of the blend was no faster.
// Flags relied on: -mavx512f -mavx512bw -mavx512vbmi (file suffix
// __avx512vbmi).
// Tail (n % 64): masked byte loads/stores, nothing touched past n; in place
// works (each vector is loaded before its store).
// GCC 12 false positive on _mm512_undefined_* inside the masked intrinsics.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "kernels/kernel.h"

namespace gelubench {

namespace {

struct Table {
  __m512i t0, t1, t2, t3;
};

__attribute__((always_inline)) inline __m512i lookup(__m512i v, const Table& t) {
  const __m512i lo = _mm512_permutex2var_epi8(t.t0, v, t.t1);  // codes 0 .. 127
  const __m512i hi = _mm512_permutex2var_epi8(t.t2, v, t.t3);  // codes -128 .. -1
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), lo, hi);
}

}  // namespace

void qs8_erf_lut__avx512vbmi(size_t n, const int8_t* x, int8_t* y, const QS8State* s) {
  const Table t{_mm512_load_si512(s->table), _mm512_load_si512(s->table + 64), _mm512_load_si512(s->table + 128),
                _mm512_load_si512(s->table + 192)};
  size_t i = 0;
  for (; i + 256 <= n; i += 256) {
    const __m512i a = lookup(_mm512_loadu_si512(x + i), t);
    const __m512i b = lookup(_mm512_loadu_si512(x + i + 64), t);
    const __m512i c = lookup(_mm512_loadu_si512(x + i + 128), t);
    const __m512i d = lookup(_mm512_loadu_si512(x + i + 192), t);
    _mm512_storeu_si512(y + i, a);
    _mm512_storeu_si512(y + i + 64, b);
    _mm512_storeu_si512(y + i + 128, c);
    _mm512_storeu_si512(y + i + 192, d);
  }
  for (; i + 64 <= n; i += 64) _mm512_storeu_si512(y + i, lookup(_mm512_loadu_si512(x + i), t));
  if (i < n) {
    const __mmask64 k = (uint64_t{1} << (n - i)) - 1;
    _mm512_mask_storeu_epi8(y + i, k, lookup(_mm512_maskz_loadu_epi8(k, x + i), t));
  }
}

}  // namespace gelubench
