#include "harness/block_metrics.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "harness/ulp.h"
#include "harness/vector_clones.h"

namespace gelubench {
namespace {

// Four doubles (two SSE2 registers on baseline x86-64).
using V4d = double __attribute__((vector_size(32)));
// By reference, not by value: a 32-byte vector argument or result without
// AVX has a different ABI, which Clang refuses and GCC warns about.
inline void load4(V4d& v, const double* p) { std::memcpy(&v, p, sizeof v); }
inline double hmax(const V4d& v) { return std::max(std::max(v[0], v[1]), std::max(v[2], v[3])); }

// The loops take restrict parameters: the arrays are members of one struct,
// and GCC's dependence analysis gives up on them otherwise (restrict on local
// pointers is not used).
// Returns how many values are not their rounded float exactly.
GELUBENCH_VECTOR_CLONES
uint32_t derive_loop(size_t n, const double* __restrict v, const float* __restrict r, double* __restrict iu,
                     double* __restrict ia) {
  uint32_t inexact = 0;
  for (size_t i = 0; i < n; ++i) {
    inexact += v[i] != f32_to_f64(r[i]);
    const double av = std::fabs(v[i]);
    iu[i] = inv_ulp_f32(v[i]);
    ia[i] = 1.0 / select_bits(av != 0, av, INFINITY);  // 0 for a zero value
  }
  return inexact;
}

GELUBENCH_VECTOR_CLONES
uint32_t differing_bits(size_t n, const float* __restrict y, const float* __restrict rounded) {
  uint32_t differ = 0;
  for (size_t i = 0; i < n; ++i) differ |= f32_bits(y[i]) ^ f32_bits(rounded[i]);
  return differ;
}

GELUBENCH_VECTOR_CLONES
void compute_loop(size_t n, const float* __restrict y, const double* __restrict value,
                  const double* __restrict inv_ulp, const double* __restrict inv_abs,
                  const float* __restrict rounded, double* __restrict out_ulp, double* __restrict out_abs,
                  double* __restrict out_rel, uint32_t* __restrict out_code) {
  static_assert(kNumProfiles == 2);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t yb = f32_bits(y[i]);
    const double av = std::fabs(value[i]);
    double d = std::fabs(f32_to_f64(y[i]) - value[i]);
    d = select_bits(d == d, d, INFINITY);  // a NaN output for a finite input: infinitely wrong
    const double e = d * inv_ulp[i];
    out_abs[i] = d;
    out_ulp[i] = e;
    out_rel[i] = select_bits(inv_abs[i] != 0, d * inv_abs[i], select_bits(d == 0, 0.0, INFINITY));
    const uint32_t wrong = yb != f32_bits(rounded[i]);
    const uint32_t bucket = wrong * (1 + (e > 1) + (e > 2) + (e > 4) + (e > 16) + (e > 1024));
    // A profile is violated unless |y - r| <= atol + rtol*|r| (allclose).
    out_code[i] = bucket |
                  static_cast<uint32_t>(!(d <= kProfiles[0].atol + kProfiles[0].rtol * av)) << 3 |
                  static_cast<uint32_t>(!(d <= kProfiles[1].atol + kProfiles[1].rtol * av)) << 4;
  }
}

}  // namespace

void RefBlock::derive(size_t n) {
  all_exact = 0 == derive_loop(n, value.data(), rounded.data(), inv_ulp.data(), inv_abs.data());
}

bool exact_block(const float* y, const RefBlock& rb, size_t n) {
  return rb.all_exact && differing_bits(n, y, rb.rounded.data()) == 0;
}

void accumulate_exact(Stats& s, const float* x, const float* y, size_t begin, size_t end) {
  const uint64_t len = end - begin;
  s.count += len;
  s.correctly_rounded += len;
  s.hist[0] += len;
  if (s.max_ulp < 0) s.max_ulp = 0, s.worst_x = f32_bits(x[begin]), s.worst_y = s.worst_expected = y[begin];
  if (s.max_abs < 0) s.max_abs = 0, s.max_abs_x = f32_bits(x[begin]);
  if (s.max_rel < 0) s.max_rel = 0, s.max_rel_x = f32_bits(x[begin]);
}

void ErrorBlock::compute(const float* y, const RefBlock& rb, size_t n) {
  compute_loop(n, y, rb.value.data(), rb.inv_ulp.data(), rb.inv_abs.data(), rb.rounded.data(), ulp.data(), abs.data(), rel.data(), code.data());
}

GELUBENCH_VECTOR_CLONES
void ErrorBlock::accumulate(Stats& s, const RefBlock& rb, const float* x, const float* y, size_t begin,
                            size_t end) const {
  // Counts: one vectorizable pass over the codes.
  uint32_t hist[kBuckets] = {}, viol[kNumProfiles] = {};
  for (size_t i = begin; i < end; ++i) {
    const uint32_t c = code[i];
    for (int b = 0; b < kBuckets; ++b) hist[b] += (c & 7) == static_cast<uint32_t>(b);
    for (int t = 0; t < kNumProfiles; ++t) viol[t] += (c >> (3 + t)) & 1;
  }
  // Sum and maxima over four lanes; the remainder goes to the first lanes.
  V4d sum = {}, mx_ulp = {-1, -1, -1, -1}, mx_abs = mx_ulp, mx_rel = mx_ulp;
  size_t i = begin;
  for (; i + 4 <= end; i += 4) {
    V4d e, d, r;
    load4(e, &ulp[i]), load4(d, &abs[i]), load4(r, &rel[i]);
    sum += e;
    mx_ulp = e > mx_ulp ? e : mx_ulp;
    mx_abs = d > mx_abs ? d : mx_abs;
    mx_rel = r > mx_rel ? r : mx_rel;
  }
  for (int l = 0; i < end; ++i, ++l) {
    sum[l] += ulp[i];
    mx_ulp[l] = std::max(mx_ulp[l], ulp[i]);
    mx_abs[l] = std::max(mx_abs[l], abs[i]);
    mx_rel[l] = std::max(mx_rel[l], rel[i]);
  }

  s.count += end - begin;
  s.sum_ulp += (sum[0] + sum[1]) + (sum[2] + sum[3]);
  s.correctly_rounded += hist[0];
  for (int b = 0; b < kBuckets; ++b) s.hist[b] += hist[b];
  for (int t = 0; t < kNumProfiles; ++t) s.violations[t] += viol[t];
  // The first input reaching a new maximum, as Stats::add would keep it.
  auto first = [&](const std::array<double, kBlock>& v, double m) {
    size_t k = begin;
    while (v[k] != m) ++k;
    return k;
  };
  if (const double m = hmax(mx_ulp); m > s.max_ulp) {
    const size_t k = first(ulp, m);
    s.max_ulp = m, s.worst_x = f32_bits(x[k]), s.worst_y = y[k], s.worst_expected = rb.rounded[k];
  }
  if (const double m = hmax(mx_abs); m > s.max_abs) s.max_abs = m, s.max_abs_x = f32_bits(x[first(abs, m)]);
  if (const double m = hmax(mx_rel); m > s.max_rel) s.max_rel = m, s.max_rel_x = f32_bits(x[first(rel, m)]);
}

}  // namespace gelubench
