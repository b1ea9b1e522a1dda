// Software binary16 <-> binary32 conversion for the scalar f16 kernels, and
// the block size the convert-path kernels share.
//   f16 -> f32: exact for every encoding (inf kept; NaN kept with its
//     payload, made quiet as vcvtph2ps does; subnormals through one exact
//     float subtraction of normal numbers).
//   f32 -> f16: round to nearest, ties to even: overflow to +-inf from 65520
//     up, gradual underflow to f16 subnormals, the sign of zero kept, NaN ->
//     quiet NaN with the top 10 payload bits (vcvtps2ph's result). Normal
//     results by integer rounding; subnormal results by one float addition
//     (|f| + 0.5), which relies on MXCSR round-to-nearest (the default; DAZ
//     would only flush float subnormals, which round to 0 anyway).
// Branch-free, so compilers can vectorize the block loops. Both
// were checked bit for bit against F16C (vcvtph2ps / vcvtps2ph) over all
// 2^16 and 2^32 encodings.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "kernels/narrow_blocks.h"

namespace gelubench::narrow {

// Bitwise select: a where c, else b. Written as masks, not ?:, so GCC keeps
// the block loops branch-free and vectorizes them (SSE2 in __scalar files).
inline uint32_t select(bool c, uint32_t a, uint32_t b) {
  const uint32_t m = 0u - static_cast<uint32_t>(c);
  return (a & m) | (b & ~m);
}

inline float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t em = static_cast<uint32_t>(h & 0x7fffu) << 13;  // exponent and mantissa, float position
  const int32_t exp = static_cast<int32_t>(em & 0x0f800000u);
  uint32_t o = em + ((127u - 15u) << 23);                          // rebias: normal numbers done
  o += select(exp == 0x0f800000, (128u - 16u) << 23, 0u);          // inf / NaN: exponent 255
  o |= select(exp == 0x0f800000 && (h & 0x3ffu), 0x00400000u, 0u);  // NaN made quiet
  // Zero / subnormal: 2^-14 (1 + m/1024) - 2^-14 = m 2^-24, exact (Sterbenz).
  const float sub = std::bit_cast<float>(o + (1u << 23)) - std::bit_cast<float>(0x38800000u);
  o = select(exp == 0, std::bit_cast<uint32_t>(sub), o);
  return std::bit_cast<float>(o | sign);
}

inline uint16_t f32_to_f16(float f) {
  const uint32_t b = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (b >> 16) & 0x8000u;
  const uint32_t a = b & 0x7fffffffu;
  const int32_t ai = static_cast<int32_t>(a);  // signed compares vectorize in SSE2
  // Normal result (|f| >= 2^-14): rebias, add 0xfff plus the kept LSB, keep
  // the top bits; the carry moves into the exponent, up to 0x7c00 (inf) for
  // |f| >= 65520 (the midpoint between 65504 and 2^16 rounds to even: up).
  const uint32_t normal = (a - ((127u - 15u) << 23) + 0x0fffu + ((a >> 13) & 1u)) >> 13;
  // Subnormal or zero result: adding 0.5 rounds |f| to a multiple of 2^-24
  // (float's spacing at 0.5) to nearest-even; the count of 2^-24 steps is
  // then the encoding (0x400 = the smallest normal when it rounds up).
  const uint32_t subnormal = std::bit_cast<uint32_t>(std::bit_cast<float>(a) + 0.5f) - 0x3f000000u;
  uint32_t r = select(ai < 0x38800000, subnormal, normal);
  r = select(ai >= 0x47800000, 0x7c00u, r);                          // >= 2^16 (and inf): inf
  r = select(ai > 0x7f800000, 0x7e00u | ((a >> 13) & 0x3ffu), r);    // NaN: quiet, top payload bits
  return static_cast<uint16_t>(r | sign);
}

}  // namespace gelubench::narrow
