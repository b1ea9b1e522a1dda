// A 32-entry float table held in two zmm registers, read per lane with one
// vpermt2ps (index bits 0-4; higher bits ignored): how the piecewise kernels
// (kernels/accurate, core_tail_avx512.h) fetch their per-slot coefficients. Internal linkage: include from
// __avx512*.cc files only.
#pragma once

#include <immintrin.h>

namespace gelubench::perm32 {
namespace {

struct Tab {
  __m512 lo, hi;
};

inline Tab tab(const float* p) { return {_mm512_load_ps(p), _mm512_load_ps(p + 16)}; }
inline __m512 fetch(const Tab& tb, __m512i idx) { return _mm512_permutex2var_ps(tb.lo, idx, tb.hi); }

}  // namespace
}  // namespace gelubench::perm32
