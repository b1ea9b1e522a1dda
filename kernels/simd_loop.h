// The array loops shared by the kernel families (poly, rational, lut, tanh,
// sigmoid): apply a per-vector functor to n floats, any n (0 included), any
// alignment, in place allowed, never reading or writing past n.
//   AVX-512: two vectors per iteration, then masked loads/stores for the rest;
//            input prefetched 2 KiB ahead (kernels/prefetch.h).
//   AVX2:    two vectors per iteration, one more, then the last n % 8 floats
//            through a zero-padded stack buffer.
// The tail runs the same functor, so every element gets the same bits
// whatever its position (tests/kernel_contract_test.cc checks this).
// Internal linkage only: each ISA's .cc file gets its own copy.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "kernels/prefetch.h"

// Per-vector functors are always inlined into the loops: GCC otherwise keeps
// big ones (the lut permute trees) out of line and pays a call per vector.
#define GELU_FAMILIES_INLINE __attribute__((always_inline)) inline

namespace gelubench::families {
namespace {

#if defined(__AVX512F__)
template <class F>
inline void loop_avx512(size_t n, const float* x, float* y, const F& f) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    prefetch_ahead(x + i);
    prefetch_ahead(x + i + 16);
    const __m512 v0 = f(_mm512_loadu_ps(x + i));
    const __m512 v1 = f(_mm512_loadu_ps(x + i + 16));
    _mm512_storeu_ps(y + i, v0);
    _mm512_storeu_ps(y + i + 16, v1);
  }
  for (; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, f(_mm512_maskz_loadu_ps(m, x + i)));
  }
}
// The same with the functor's run<K>(x, y) on K vectors at a time (its steps
// interleaved over the K vectors), then the per-vector operator() for the rest.
template <int K, class F>
inline void loop_avx512_batched(size_t n, const float* x, float* y, const F& f) {
  size_t i = 0;
  for (; i + 16 * K <= n; i += 16 * K) {
    __m512 v[K], r[K];
#pragma GCC unroll 8
    for (int k = 0; k < K; ++k) prefetch_ahead(x + i + 16 * k), v[k] = _mm512_loadu_ps(x + i + 16 * k);
    f.template run<K>(v, r);
#pragma GCC unroll 8
    for (int k = 0; k < K; ++k) _mm512_storeu_ps(y + i + 16 * k, r[k]);
  }
  loop_avx512(n - i, x + i, y + i, f);
}
#endif  // __AVX512F__

#if defined(__AVX2__)
template <class F>
inline void loop_avx2(size_t n, const float* x, float* y, const F& f) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256 v0 = f(_mm256_loadu_ps(x + i));
    const __m256 v1 = f(_mm256_loadu_ps(x + i + 8));
    _mm256_storeu_ps(y + i, v0);
    _mm256_storeu_ps(y + i + 8, v1);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, f(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float buf[8] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    _mm256_store_ps(buf, f(_mm256_load_ps(buf)));
    std::memcpy(y + i, buf, (n - i) * sizeof(float));
  }
}
#endif  // __AVX2__

// The scalar kernels' loop. Their std::fma calls become one instruction in
// the clone for CPUs with FMA, picked once at load time (as glibc's fmaf
// picks its own code), and stay calls of libm's fmaf in the default clone:
// the same bits either way, fma rounding once. The clones stay scalar: the
// __scalar.cc files build without the vectorizers (cmake/Kernels.cmake).
// GCC only: Clang (the fuzz build) cannot clone templates, and its kernels
// keep the fmaf calls.
#if defined(__clang__)
#define GELU_SCALAR_CLONES
#else
#define GELU_SCALAR_CLONES __attribute__((target_clones("fma", "default")))
#endif
template <class F>
GELU_SCALAR_CLONES void loop_scalar(size_t n, const float* x, float* y, const F& f) {
  for (size_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

}  // namespace
}  // namespace gelubench::families
