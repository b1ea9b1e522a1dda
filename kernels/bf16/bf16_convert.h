// Software bf16 <-> binary32 conversion for the scalar bf16 kernels, and the
// fix-up the AVX-512 BF16 kernel needs.
//   bf16 -> f32: the top half of the float (exact; NaN payload kept as is).
//   f32 -> bf16: round to nearest, ties to even, in integer arithmetic: add
//     0x7fff plus the lowest kept bit, keep the top 16 bits. Valid for every
//     non-NaN float: subnormals round to bf16 subnormals (same exponent
//     field), the carry moves into the exponent, and the largest floats round
//     to +-inf exactly when RNE says so. NaN -> the top 16 bits with the quiet
//     bit set (vcvtneps2bf16's result), never rounded into an infinity.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace gelubench::narrow {

inline float bf16_to_f32(uint16_t h) { return std::bit_cast<float>(static_cast<uint32_t>(h) << 16); }

inline uint16_t f32_to_bf16(float f) {
  const uint32_t b = std::bit_cast<uint32_t>(f);
  const uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
  const uint32_t quiet = (b >> 16) | 0x0040u;
  // Mask select, not ?:, so GCC keeps the block loop branch-free (vectorized).
  const uint32_t nan = 0u - static_cast<uint32_t>(static_cast<int32_t>(b & 0x7fffffffu) > 0x7f800000);
  return static_cast<uint16_t>((quiet & nan) | (rounded & ~nan));
}

// Inputs with |x| < 2^-24 (bf16 bits & 0x7fff below this): the f32 kernel's
// result is x/2 exactly (x^2/sqrt(2 pi) is under half a float ULP of x/2).
// x/2 is a bf16 midpoint when it lands below 2^-126 with one bit more than
// bf16 keeps there (x an odd subnormal, or in [2^-126, 2^-125) with an odd
// significand), and exact GELU, x/2 + x^2/sqrt(2 pi) - ..., lies just above
// it: ties toward +inf give the correctly rounded result. For the other tiny
// x, x/2 is exactly representable and both tie rules agree.
inline constexpr uint16_t kBf16TinyInput = (127 - 24) << 7;

// f32 -> bf16, nearest with ties toward +inf; non-NaN inputs only.
inline uint16_t f32_to_bf16_ties_up(float f) {
  const uint32_t b = std::bit_cast<uint32_t>(f);
  return static_cast<uint16_t>((b + 0x7fffu + (~b >> 31)) >> 16);
}

}  // namespace gelubench::narrow
