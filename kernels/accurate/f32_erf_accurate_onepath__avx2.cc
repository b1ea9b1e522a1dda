// Exact GELU, x*Phi(x), within 1 ULP of the exact value for every float
// input (exhaustive sweep), negative tail and subnormals included. The same
// algorithm and tables as f32_erf_accurate_onepath__avx512 (see that file's header
// for the method and the error budget; tables from
//   tools/fit/gelu_accurate_fit.py --degree 5 --prefix kAcc --out kernels/accurate/accurate_tables_d5.h),
// on 8 lanes with AVX2 substitutes for the AVX-512 pieces:
//   * table lookups: the 8 per-slot values sit in one 32-byte row per slot;
//     8 row loads and an 8x8 transpose (avx2_rows.h) fetch them all, as
//     8 vgatherdps would cost several times more; the exp table (indexed by
//     J, not by slot) uses two vgatherdps;
//   * (the slot of t, u = fma(t, 1 - 2^-23, 2), is the AVX-512 kernel's rule:
//     both give the same bits, checked by tests/isa_siblings_test.cc);
//   * scalef: pow2_scale::scale, one rounding (also into the subnormal
//     range), with no instruction producing a subnormal;
//   * min(|x|, 1) with the sign of x from and/min/or; masks as vectors.
// Flags relied on: -mavx2 -mfma (file suffix __avx2); round to nearest; no
// FTZ/DAZ. NaN -> NaN (the final x - v), +inf -> +inf, -inf -> -0,
// +-0 -> +-0. Tail (n % 8): copied through a stack buffer, no access past n.
#include <immintrin.h>

#include <cstring>

#include "kernels/accurate/accurate_exp_scaled.h"
#include "kernels/accurate/accurate_tables_d5.h"
#include "kernels/accurate/avx2_rows.h"
#include "kernels/kernel.h"
#include "kernels/pow2_scale.h"

namespace gelubench {

namespace {

namespace t = accurate;

using accurate::kExp;  // the exp table scaled by 2^24 (accurate_exp_scaled.h)

constexpr const float* kCols[8] = {t::kAccCentre, t::kAccMagicK, t::kAccC0, t::kAccC1,
                                   t::kAccC2,     t::kAccC3,     t::kAccC4, t::kAccC5};
constexpr t::RowTable<8> kRows = t::make_rows(kCols);

inline __m256 fetch(const float* table, __m256i idx) { return _mm256_i32gather_ps(table, idx, 4); }

inline __m256 gelu8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256i xi = _mm256_castps_si256(x);
  // Gaussian lanes: bits(x) >= bits(1.0) as unsigned (all but 0 <= x < 1).
  const __m256i gauss = _mm256_cmpgt_epi32(_mm256_xor_si256(xi, _mm256_set1_epi32(INT32_MIN)),
                                           _mm256_set1_epi32(static_cast<int32_t>(0xbf7fffffu)));
  const __m256 sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
  const __m256 tabs = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
  const __m256 tc = _mm256_min_ps(tabs, _mm256_set1_ps(15.0f));  // NaN -> 15; see the final step

  const __m256 u = _mm256_fmadd_ps(tc, _mm256_set1_ps(1.0f - 0x1p-23f), _mm256_set1_ps(2.0f));
  __m256i idx = _mm256_srli_epi32(_mm256_castps_si256(u), 20);
  idx = _mm256_add_epi32(idx, _mm256_and_si256(gauss, _mm256_set1_epi32(4)));
  idx = _mm256_and_si256(idx, _mm256_set1_epi32(31));
  __m256 col[8];  // centre, magic + k, c0 .. c5 of each lane's slot
  t::lookup_rows(kRows.rows, idx, col);
  const __m256 d = _mm256_sub_ps(tc, col[0]);

  const __m256 ht = _mm256_and_ps(_mm256_mul_ps(tc, _mm256_set1_ps(0.5f)), _mm256_castsi256_ps(gauss));
  const __m256 h = _mm256_mul_ps(ht, tc);
  const __m256 hl = _mm256_fmsub_ps(ht, tc, h);

  const __m256 mk = col[1];
  const __m256 kf = _mm256_fmadd_ps(h, _mm256_set1_ps(t::kAccL), mk);
  const __m256 kk = _mm256_sub_ps(kf, mk);
  const __m256 r1 = _mm256_fnmadd_ps(kk, _mm256_set1_ps(t::kAccChi), h);
  const __m256 r2 = _mm256_fnmadd_ps(kk, _mm256_set1_ps(t::kAccClo), hl);
  const __m256 r = _mm256_add_ps(r1, r2);
  __m256 q = _mm256_fmadd_ps(r, _mm256_set1_ps(t::kAccQ3), _mm256_set1_ps(t::kAccQ2));
  q = _mm256_fmsub_ps(r, q, one);
  q = _mm256_mul_ps(r, q);

  __m256 p = col[7];
  p = _mm256_fmadd_ps(p, d, col[6]);
  p = _mm256_fmadd_ps(p, d, col[5]);
  p = _mm256_fmadd_ps(p, d, col[4]);
  p = _mm256_fmadd_ps(p, d, col[3]);
  p = _mm256_fmadd_ps(p, d, col[2]);

  // J = K + k; j = J mod 32 indexes the exp table.
  const __m256i jj = _mm256_sub_epi32(_mm256_castps_si256(kf), _mm256_set1_epi32(0x4b400000));
  const __m256i j = _mm256_and_si256(jj, _mm256_set1_epi32(31));
  const __m256 thi = fetch(kExp.hi, j);
  const __m256 tlo = fetch(kExp.lo, j);

  const __m256 a = _mm256_fmadd_ps(p, q, q);
  const __m256 b = _mm256_fmadd_ps(thi, a, tlo);
  const __m256 w = _mm256_fmadd_ps(thi, p, b);
  const __m256 m = _mm256_or_ps(_mm256_min_ps(tc, one), sign);
  const __m256 vv = _mm256_fmadd_ps(m, thi, _mm256_mul_ps(m, w));

  // v = vv * 2^e, e = floor(-J/32) - 24 = -24 - ceil(J/32).
  const __m256i c = _mm256_srai_epi32(_mm256_add_epi32(jj, _mm256_set1_epi32(31)), 5);
  const __m256i e = _mm256_sub_epi32(_mm256_set1_epi32(-24), c);
  const __m256 v = pow2_scale::scale(vv, e, _mm256_cmpgt_epi32(_mm256_set1_epi32(-148), e));

  // x >= 1 (or NaN): x - v.
  const __m256 big = _mm256_cmp_ps(x, one, _CMP_NLT_UQ);
  return _mm256_blendv_ps(v, _mm256_sub_ps(x, v), big);
}

}  // namespace

void f32_erf_accurate_onepath__avx2(size_t n, const float* x, float* y) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, gelu8(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float buf[8] = {};
    std::memcpy(buf, x + i, (n - i) * sizeof(float));
    _mm256_store_ps(buf, gelu8(_mm256_load_ps(buf)));
    std::memcpy(y + i, buf, (n - i) * sizeof(float));
  }
}

}  // namespace gelubench
