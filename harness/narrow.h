// Narrow formats: f16 (IEEE binary16), bf16 and qs8. Encoding and decoding,
// correct rounding of the high-precision reference directly into each format
// (never through float: that would round twice), and the prepared states
// (reference tables) the narrow kernels receive.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace gelubench {

// A binary floating-point format: p significand bits (with the implicit
// one), smallest normal exponent, largest finite value.
struct BinaryFormat {
  const char* name;
  int precision;
  int min_exponent;
  double max_finite;
  int exponent_bits;
};
inline constexpr BinaryFormat kF16{"f16", 11, -14, 65504.0, 5};
inline constexpr BinaryFormat kBF16{"bf16", 8, -126, 0x1.fep127, 8};
const BinaryFormat& format_of(DType d);  // f16 or bf16

// Exact decoding to float (every f16 and bf16 value is a float).
float decode(const BinaryFormat& f, uint16_t bits);
// Encoding of a value the format holds exactly (or +-inf / NaN).
uint16_t encode_exact(const BinaryFormat& f, double v);

// ulp(r) in the format: 2^(e - p + 1) for |r| in [2^e, 2^(e+1)), the
// subnormal spacing below the smallest normal (same definition as ulp.h).
double ulp_in(const BinaryFormat& f, double r);

// Rounds hi + lo (exact, error err) to nearest-even in the format, or
// returns false when a rounding boundary lies within err.
bool round_to_format(const BinaryFormat& f, double hi, double lo, double err, double* out);

// GELU (exact, or a formula) of a decoded input, correctly rounded to the
// format: the fast reference tier, with the certified tier when undecided.
uint16_t reference_rounded(const BinaryFormat& f, Formula formula, uint16_t x_bits);

// The 65536-entry state for f16/bf16 kernels (built once, cached).
const U16State& u16_state(DType d);

// qs8: a named quantization parameter set and its prepared state.
struct QuantCase {
  std::string name;
  QuantParams params;
};
const std::vector<QuantCase>& quant_cases();  // symmetric, asymmetric, saturating
QS8State prepare_qs8(const QuantParams& p);
// scale * (q - zero_point), rounded once to float.
float dequantize(float scale, int32_t zero_point, int8_t q);

}  // namespace gelubench
