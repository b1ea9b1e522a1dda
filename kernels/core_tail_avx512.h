// The AVX-512 loop of the core + tail kernels (f32_erf_accurate,
// f32_erf_fast_accurate, f32_tanh_fast_accurate): an exp-free core path for
// the inputs GELU mostly sees, and an exp-based algorithm only for the lanes
// that need it (x < -2.5: 0.6% of normal(0, 1) inputs).
//
// Core (tables: tools/fit/gelu_core_fit.py, whose docstring has the method):
// slot i from the exponent and top 3 mantissa bits of u = x + 4 - 2^-21
// (u >= 1: x >= -3 + 2^-21), d = x - c_i (exact), one polynomial q(d) with
// coefficients fetched by vpermt2ps, then
//   accurate form: y = H_i + q (x < -1/2) or fma(x, H_i, x q) (x >= -1/2),
//   fast form:     y = x q;
// x >= 6 and NaN return x.
//
// Tail: a vector with no lane below the core range runs the core alone. In
// any other one the core runs too, and its tail lanes are packed
// (vcompressps) into a buffer; at the end of each block of kBlock inputs the
// tail function runs 16 packed lanes at a time and vexpandps puts the results
// back (a vector of tail lanes only runs the tail function alone). So a
// lane's result depends only on its own x, whatever its neighbours are, and
// the exp-based path runs only for the lanes that need it. On AMD Zen 4
// compress and expand each cost about as much as 5 FMAs, so packing the core
// lanes as well (to run no lane twice) was slower, measured.
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

// The fast form's core, y = x q(d) (f32_erf_fast_accurate,
// f32_tanh_fast_accurate: the same body, other tables); x >= x_top and NaN
// return x.
template <int D>
struct ProductCore {
  Tab centre, c[D + 1];
  float x_top;

  ProductCore(const float* centres, const float (*coefficients)[32], float top) : centre(tab(centres)), x_top(top) {
    for (int i = 0; i <= D; ++i) c[i] = tab(coefficients[i]);
  }
  __m512 operator()(__m512 x, __m512 u) const {
    const __m512i idx = core_slot(u);
    const __m512 d = _mm512_sub_ps(x, fetch(centre, idx));
    const __m512 q = core_poly<D>(c, idx, d);
    const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(x_top), _CMP_LT_OQ);
    return _mm512_mask_mul_ps(x, live, x, q);
  }
};

// y = core(x, u) where u = x + offset >= 1 (the core's slots), tail(x)
// below (see the header comment). The tail test and the slot come from the
// same u, so they cannot disagree.
template <class Core, class Tail>
inline void core_tail_loop(size_t n, const float* x, float* y, float offset, const Core& core, const Tail& tail) {
  constexpr size_t kBlock = 1024;
  alignas(64) float packed[kBlock];
  struct Marked {
    unsigned short at;  // vector index from the block start
    __mmask16 lanes;    // its tail lanes
  } marked[kBlock / 16];
  const __m512 off = _mm512_set1_ps(offset), one = _mm512_set1_ps(1.0f);

  for (size_t b = 0; b < n; b += kBlock) {
    const size_t m = n - b < kBlock ? n - b : kBlock;
    const float* xb = x + b;
    float* yb = y + b;
    size_t np = 0, nm = 0;
    // Runs one vector that has tail lanes: all tail (the "tail" input
    // distribution) runs the tail path alone; otherwise the core, and the
    // tail lanes are packed for later.
    const auto mixed = [&](__m512 v, __m512 u, __mmask16 live, __mmask16 t, size_t j) {
      if (t == live) {
        _mm512_mask_storeu_ps(yb + j, live, tail(v));
        return;
      }
      _mm512_mask_storeu_ps(yb + j, live, core(v, u));
      _mm512_mask_compressstoreu_ps(packed + np, t, v);
      np += static_cast<size_t>(__builtin_popcount(t));
      marked[nm++] = {static_cast<unsigned short>(j / 16), t};
    };
    size_t j = 0;
    // Two independent vectors per iteration (measured faster than one).
    for (; j + 32 <= m; j += 32) {
      prefetch_ahead(xb + j);
      prefetch_ahead(xb + j + 16);
      const __m512 x0 = _mm512_loadu_ps(xb + j);
      const __m512 x1 = _mm512_loadu_ps(xb + j + 16);
      const __m512 u0 = _mm512_add_ps(x0, off), u1 = _mm512_add_ps(x1, off);
      const __mmask16 t0 = _mm512_cmp_ps_mask(u0, one, _CMP_LT_OQ);
      const __mmask16 t1 = _mm512_cmp_ps_mask(u1, one, _CMP_LT_OQ);
      if (__builtin_expect((t0 | t1) == 0, 1)) {
        _mm512_storeu_ps(yb + j, core(x0, u0));
        _mm512_storeu_ps(yb + j + 16, core(x1, u1));
        continue;
      }
      if (t0) mixed(x0, u0, 0xffff, t0, j);
      else _mm512_storeu_ps(yb + j, core(x0, u0));
      if (t1) mixed(x1, u1, 0xffff, t1, j + 16);
      else _mm512_storeu_ps(yb + j + 16, core(x1, u1));
    }
    for (; j < m; j += 16) {
      const __mmask16 live = m - j >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (m - j)) - 1);
      const __m512 x0 = _mm512_maskz_loadu_ps(live, xb + j);
      const __m512 u0 = _mm512_add_ps(x0, off);
      const __mmask16 t0 = _mm512_mask_cmp_ps_mask(live, u0, one, _CMP_LT_OQ);
      if (t0) mixed(x0, u0, live, t0, j);
      else _mm512_mask_storeu_ps(yb + j, live, core(x0, u0));
    }
    if (nm == 0) continue;
    // The packed tail lanes, 16 at a time (the last vector padded with zeros),
    // then put back where they came from.
    for (size_t k = 0; k < np; k += 16) {
      const __mmask16 live = np - k >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (np - k)) - 1);
      _mm512_mask_storeu_ps(packed + k, live, tail(_mm512_maskz_loadu_ps(live, packed + k)));
    }
    size_t pos = 0;
    for (size_t v = 0; v < nm; ++v) {
      const Marked& mv = marked[v];
      _mm512_mask_storeu_ps(yb + 16 * size_t{mv.at}, mv.lanes, _mm512_maskz_expandloadu_ps(mv.lanes, packed + pos));
      pos += static_cast<size_t>(__builtin_popcount(mv.lanes));
    }
  }
}

}  // namespace
}  // namespace gelubench::core_tail
