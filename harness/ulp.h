// The error metric, stated once.
//
// ULP error of a float result y against the exact value r:
//     err = |y - r| / ulp(r),
//     ulp(r) = 2^(e-23) for |r| in [2^e, 2^(e+1)), and 2^-149 (the subnormal
//     spacing) for |r| < 2^-126.
// r is the exact value, not its rounded float: a correctly rounded result has
// err <= 0.5. "Correctly rounded" means y equals r rounded to nearest-even
// in float, compared as bits (so -0 != +0).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace gelubench {

inline uint32_t f32_bits(float f) { return std::bit_cast<uint32_t>(f); }
inline float f32_from_bits(uint32_t b) { return std::bit_cast<float>(b); }

// float -> double without touching the FPU on subnormal floats: x86 takes a
// slow microcode assist (~100 cycles) for subnormal operands, and a quarter
// of all float encodings are subnormal or give subnormal GELU results.
// Built from the bits, branch-free, so that loops over it vectorize.
inline double f32_to_f64(float f) {
  const uint32_t b = f32_bits(f), a = b & 0x7fffffffu;
  const uint64_t sign = static_cast<uint64_t>(b >> 31) << 63;
  const uint64_t normal = (static_cast<uint64_t>(a) << 29) + (uint64_t{1023 - 127} << 52);  // rebias
  const uint64_t special = (static_cast<uint64_t>(a) << 29) | 0x7ff0000000000000ull;   // inf, NaN
  // Subnormal: the 23-bit integer mantissa times 2^-149, exact.
  const uint64_t subnormal = std::bit_cast<uint64_t>(static_cast<double>(static_cast<int32_t>(a)) * 0x1p-149);
  // Selected with masks, not ?: (which GCC keeps as a branch here).
  const uint64_t is_subnormal = -static_cast<uint64_t>(a < 0x00800000u);
  const uint64_t is_special = -static_cast<uint64_t>(a >= 0x7f800000u);
  uint64_t mag = (subnormal & is_subnormal) | (normal & ~is_subnormal);
  mag = (special & is_special) | (mag & ~is_special);
  return std::bit_cast<double>(mag | sign);
}

// ulp(r) for the float format, from the exponent of r (exact in double).
inline double ulp_f32(double r) {
  uint64_t bits = std::bit_cast<uint64_t>(r) & 0x7fffffffffffffffull;
  int e = static_cast<int>(bits >> 52) - 1023;  // floor(log2|r|) for normal doubles
  if (e < -126) return 0x1p-149;
  if (e > 127) e = 127;  // |r| >= 2^128 cannot come from GELU; keep finite
  return std::bit_cast<double>(static_cast<uint64_t>(e - 23 + 1023) << 52);
}

// 1 / ulp_f32(r), without a division (branch-free: it vectorizes).
inline double inv_ulp_f32(double r) {
  const uint64_t bits = std::bit_cast<uint64_t>(r) & 0x7fffffffffffffffull;
  const int e = std::clamp(static_cast<int>(bits >> 52) - 1023, -126, 127);
  return std::bit_cast<double>(static_cast<uint64_t>(23 - e + 1023) << 52);
}

// err in ULP as defined above. A NaN or infinite y against a finite r is +inf.
inline double ulp_error(float y, double r) {
  if (std::isnan(y) || std::isinf(y)) return INFINITY;
  return std::fabs(f32_to_f64(y) - r) / ulp_f32(r);
}

}  // namespace gelubench
