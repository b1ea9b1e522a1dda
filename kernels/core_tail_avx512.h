// The AVX-512 loop of the core + tail kernels (f32_erf_accurate,
// f32_erf_fast_accurate, f32_tanh_fast_accurate): an exp-free core path for
// the inputs GELU mostly sees, and an exp-based algorithm only for the lanes
// that need it (x < -3: 0.13% of normal(0, 1) inputs).
//
// Core (tables: tools/fit/gelu_core_fit.py, whose docstring has the method):
// slot i from the exponent and top 3 mantissa bits of u = x + 4 - 2^-21
// (u >= 1: x >= -3 + 2^-21), d = x - c_i (exact), one polynomial q(d) with
// coefficients fetched by vpermt2ps, then
//   Phi form (accurate):  y = fma(x, H_i, x q),
//   product form (fast):  y = x q;
// x >= 6 and NaN return x.
//
// Tail: a pair of vectors with no lane below the core range (one min, one
// compare, one kortest for both) runs the core alone. In any other vector the
// core runs too, and its tail lanes are packed (vcompressps) into a buffer; a
// vector of tail lanes only is left for later whole. At the end of each block
// of kBlock inputs the tail function runs on those vectors and on the packed
// lanes, 16 at a time, and vexpandps puts the packed results back. So a
// lane's result depends only on its own x, whatever its neighbours are, and
// the exp-based path runs only for the lanes that need it. Packing has a
// price where nearly every vector has tail lanes (uniform[-10, 10] inputs):
// there the one-path kernels are faster, and sorting every lane (the core's
// too) into two buffers was slower still (docs/results.md, 2026-12-03).
//
// Flags relied on: -mavx512f -mavx512dq; round to nearest; no FTZ/DAZ.
// Internal linkage: include from __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "kernels/perm32_avx512.h"
#include "kernels/prefetch.h"

namespace gelubench::core_tail {
namespace {

using perm32::Tab;
using perm32::fetch;
using perm32::tab;

// The slot of u = x + offset: its exponent and top 3 mantissa bits
// (vpermt2ps reads the low 5 bits of the index).
inline __m512i core_slot(__m512 u) { return _mm512_srli_epi32(_mm512_castps_si512(u), 20); }

// Horner over the tables c[0..D] (c[D] the leading coefficient).
template <int D>
inline __m512 core_poly(const Tab* c, __m512i idx, __m512 d) {
  __m512 p = fetch(c[D], idx);
  for (int i = D - 1; i >= 0; --i) p = _mm512_fmadd_ps(p, d, fetch(c[i], idx));
  return p;
}

// The core path over one slot lookup: y = x q(d) (kWithH false: the product
// form of f32_erf_fast_accurate and f32_tanh_fast_accurate, the same body over
// other tables) or y = fma(x, H_i, x q(d)) (kWithH true: the Phi form of
// f32_erf_accurate); x >= x_top and NaN return x.
template <int D, bool kWithH>
struct PolyCore {
  Tab centre, hi, c[D + 1];
  float x_top;

  PolyCore(const float* centres, const float* his, const float (*coefficients)[32], float top)
      : centre(tab(centres)), x_top(top) {
    if constexpr (kWithH) hi = tab(his);
    for (int i = 0; i <= D; ++i) c[i] = tab(coefficients[i]);
  }
  __m512 operator()(__m512 x, __m512 u) const {
    const __m512i idx = core_slot(u);
    const __m512 d = _mm512_sub_ps(x, fetch(centre, idx));
    const __m512 q = core_poly<D>(c, idx, d);
    const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(x_top), _CMP_LT_OQ);
    if constexpr (kWithH) return _mm512_mask_fmadd_ps(x, live, fetch(hi, idx), _mm512_mul_ps(x, q));
    return _mm512_mask_mul_ps(x, live, x, q);
  }
};

// The deferred tail work of one block: the vectors whose lanes are all in the
// tail (read from x, written to y: the first pass left them alone), then the
// packed lanes of the mixed ones, in place, 16 at a time (the last vector
// padded with zeros). A function of its own so that the tail's tables are in
// registers here, not spilled around the core's.
struct TailVector {
  unsigned short at;  // vector index from the block start
  __mmask16 lanes;    // its tail lanes (all of them, for a whole vector)
};
template <class Tail>
__attribute__((noinline)) void run_tail(const Tail& tail_in, const float* xb, float* yb, const TailVector* whole,
                                        size_t nw, float* packed, size_t np) {
  const Tail tail = tail_in;  // a local copy: its tables need not be reloaded after each store
  for (size_t i = 0; i < nw; ++i) {
    const size_t j = 16 * size_t{whole[i].at};
    _mm512_mask_storeu_ps(yb + j, whole[i].lanes, tail(_mm512_maskz_loadu_ps(whole[i].lanes, xb + j)));
  }
  for (size_t k = 0; k < np; k += 16) {
    const __mmask16 live = np - k >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (np - k)) - 1);
    _mm512_mask_storeu_ps(packed + k, live, tail(_mm512_maskz_loadu_ps(live, packed + k)));
  }
}

// y = core(x, u) where u = x + offset >= 1 (the core's slots), tail(x)
// below (see the header comment). The tail test and the slot come from the
// same u, so they cannot disagree.
template <class Core, class Tail>
inline void core_tail_loop(size_t n, const float* x, float* y, float offset, const Core& core, const Tail& tail) {
  constexpr size_t kBlock = 1024;
  alignas(64) float packed[kBlock];
  TailVector whole[kBlock / 16], mixed_at[kBlock / 16];
  const __m512 off = _mm512_set1_ps(offset), one = _mm512_set1_ps(1.0f);

  for (size_t b = 0; b < n; b += kBlock) {
    const size_t m = n - b < kBlock ? n - b : kBlock;
    const float* xb = x + b;
    float* yb = y + b;
    size_t np = 0, nw = 0, nm = 0;
    // One vector with tail lanes t (of its lanes live): all tail, left for
    // run_tail whole; otherwise the core, and the tail lanes packed.
    const auto with_tail = [&](__m512 v, __m512 u, __mmask16 live, __mmask16 t, size_t j) {
      const auto at = static_cast<unsigned short>(j / 16);
      if (t == live) {
        whole[nw++] = {at, live};
        return;
      }
      _mm512_mask_storeu_ps(yb + j, live, core(v, u));
      _mm512_mask_compressstoreu_ps(packed + np, t, v);
      np += static_cast<size_t>(__builtin_popcount(t));
      mixed_at[nm++] = {at, t};
    };
    size_t j = 0;
    // Two independent vectors per iteration (measured faster than one and
    // than four).
    for (; j + 32 <= m; j += 32) {
      prefetch_ahead(xb + j);
      prefetch_ahead(xb + j + 16);
      const __m512 x0 = _mm512_loadu_ps(xb + j);
      const __m512 x1 = _mm512_loadu_ps(xb + j + 16);
      const __m512 u0 = _mm512_add_ps(x0, off), u1 = _mm512_add_ps(x1, off);
      // One test for both: a lane of min(u0, u1) below 1, or unordered (a NaN
      // in u1 hides u0's lane; the exact tests below sort that out).
      const __mmask16 any = _mm512_cmp_ps_mask(_mm512_min_ps(u0, u1), one, _CMP_NGE_UQ);
      if (__builtin_expect(_kortestz_mask16_u8(any, any), 1)) {
        _mm512_storeu_ps(yb + j, core(x0, u0));
        _mm512_storeu_ps(yb + j + 16, core(x1, u1));
        continue;
      }
      const __mmask16 t0 = _mm512_cmp_ps_mask(u0, one, _CMP_LT_OQ);
      const __mmask16 t1 = _mm512_cmp_ps_mask(u1, one, _CMP_LT_OQ);
      if (t0) with_tail(x0, u0, 0xffff, t0, j);
      else _mm512_storeu_ps(yb + j, core(x0, u0));
      if (t1) with_tail(x1, u1, 0xffff, t1, j + 16);
      else _mm512_storeu_ps(yb + j + 16, core(x1, u1));
    }
    for (; j < m; j += 16) {
      const __mmask16 live = m - j >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (m - j)) - 1);
      const __m512 x0 = _mm512_maskz_loadu_ps(live, xb + j);
      const __m512 u0 = _mm512_add_ps(x0, off);
      const __mmask16 t0 = _mm512_mask_cmp_ps_mask(live, u0, one, _CMP_LT_OQ);
      if (t0) with_tail(x0, u0, live, t0, j);
      else _mm512_mask_storeu_ps(yb + j, live, core(x0, u0));
    }
    if (nw + nm == 0) continue;
    run_tail(tail, xb, yb, whole, nw, packed, np);
    // The packed results back where they came from.
    size_t pos = 0;
    for (size_t v = 0; v < nm; ++v) {
      const TailVector& mv = mixed_at[v];
      _mm512_mask_storeu_ps(yb + 16 * size_t{mv.at}, mv.lanes, _mm512_maskz_expandloadu_ps(mv.lanes, packed + pos));
      pos += static_cast<size_t>(__builtin_popcount(mv.lanes));
    }
  }
}

}  // namespace
}  // namespace gelubench::core_tail
