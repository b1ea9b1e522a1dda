#include "harness/narrow.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {

const BinaryFormat& format_of(DType d) {
  if (d == DType::f16) return kF16;
  if (d == DType::bf16) return kBF16;
  throw std::logic_error("format_of: not a 16-bit float type");
}

float decode(const BinaryFormat& f, uint16_t bits) {
  if (&f == &kBF16 || f.exponent_bits == 8) return f32_from_bits(uint32_t{bits} << 16);
  const bool neg = bits >> 15;
  const int exp = (bits >> 10) & 0x1f;
  const int mant = bits & 0x3ff;
  float mag;
  if (exp == 0x1f) {
    mag = mant ? NAN : INFINITY;
  } else if (exp == 0) {
    mag = std::ldexp(static_cast<float>(mant), -24);
  } else {
    mag = std::ldexp(static_cast<float>(1024 + mant), exp - 25);
  }
  return neg ? -mag : mag;
}

uint16_t encode_exact(const BinaryFormat& f, double v) {
  if (f.exponent_bits == 8) return static_cast<uint16_t>(f32_bits(static_cast<float>(v)) >> 16);
  const uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(v);
  if (std::isnan(v)) return sign | 0x7e00;
  if (std::isinf(v) || a > f.max_finite) return sign | 0x7c00;
  if (a < 0x1p-14) return sign | static_cast<uint16_t>(a * 0x1p24);  // subnormal (or zero)
  int e = std::ilogb(a);
  uint16_t mant = static_cast<uint16_t>(std::ldexp(a, 10 - e) - 1024);
  return sign | static_cast<uint16_t>((e + 15) << 10) | mant;
}

double ulp_in(const BinaryFormat& f, double r) {
  const double a = std::fabs(r);
  int e = a == 0 ? f.min_exponent : std::max(std::ilogb(a), f.min_exponent);
  return std::ldexp(1.0, e - f.precision + 1);
}

bool round_to_format(const BinaryFormat& f, double hi, double lo, double err, double* out) {
  double s = hi + lo;
  double bb = s - hi;
  double t = (hi - (s - bb)) + (lo - bb);
  // Scale so the format's spacing at s is 1: then rounding is to an integer.
  const double q = ulp_in(f, s);
  const double v = s / q, vt = t / q, ve = err / q;  // exact: q is a power of two
  double k = std::nearbyint(v);
  const double m = v - k;  // exact
  if (std::fabs(m) == 0.5) {
    if (std::fabs(vt) <= ve) return false;
    if ((vt > 0) == (m > 0)) k += m > 0 ? 1 : -1;
  } else if (0.5 - std::fabs(m) <= std::fabs(vt) + ve + 0x1p-40) {
    return false;
  }
  // At the bottom of a normal binade (not the smallest normal one, whose
  // lower neighbours are subnormals of the same spacing) the spacing below is
  // half as wide: a value pulled below 2^e by more than a quarter step would
  // round on the finer grid. Never happens within GELU's error bounds.
  const double half_binade = std::ldexp(1.0, f.precision - 1);
  if (std::fabs(k) == half_binade && std::ilogb(std::fabs(s)) > f.min_exponent && (m + vt) * k < 0 &&
      std::fabs(m) + std::fabs(vt) + ve >= 0.25)
    return false;
  double r = k * q;
  if (std::fabs(r) > f.max_finite) r = std::copysign(INFINITY, r);
  *out = r == 0 ? std::copysign(0.0, s) : r;
  return true;
}

uint16_t reference_rounded(const BinaryFormat& f, Formula formula, uint16_t x_bits) {
  const float x = decode(f, x_bits);
  if (std::isnan(x)) return x_bits | (f.exponent_bits == 8 ? 0x0040 : 0x0200);  // quiet NaN
  if (std::isinf(x)) return encode_exact(f, x > 0 ? x : -0.0);
  double r = 0;
  FastRef fr = reference_fast(formula, x);
  if (!round_to_format(f, fr.hi, fr.lo, fr.err, &r)) {
    FastRef c = reference_certified_parts(formula, x);
    // 166 bits: a GELU value is never that close to a boundary; if it were,
    // round the certified value as it stands rather than leave it unrounded.
    if (!round_to_format(f, c.hi, c.lo, c.err, &r)) round_to_format(f, c.hi, c.lo, 0.0, &r);
  }
  if (r == 0) r = std::signbit(x) ? -0.0 : 0.0;  // GELU keeps the sign of x
  return encode_exact(f, r);
}

const U16State& u16_state(DType d) {
  static std::once_flag once[2];
  static std::vector<uint16_t> tables[2];
  static U16State states[2];
  const int i = d == DType::f16 ? 0 : 1;
  std::call_once(once[i], [&] {
    const BinaryFormat& f = format_of(d);
    tables[i].resize(65536);
    for (uint32_t b = 0; b < 65536; ++b) tables[i][b] = reference_rounded(f, Formula::erf, static_cast<uint16_t>(b));
    states[i].table = tables[i].data();
  });
  return states[i];
}

const std::vector<QuantCase>& quant_cases() {
  // Input ranges as deployments pick them; the last saturates the output.
  static const std::vector<QuantCase> cases = {
      {"sym_8", {8.0f / 127, 0, 8.0f / 127, 0}},
      {"sym_4", {4.0f / 127, 0, 4.0f / 127, 0}},
      {"asym_-6_2", {8.0f / 255, 63, 2.2f / 255, -105}},
      {"saturating", {0.25f, 0, 0.05f, -100}},
  };
  return cases;
}

float dequantize(float scale, int32_t zero_point, int8_t q) {
  // One float rounding, as every kernel's float dequantization does; the
  // reference is GELU of exactly this float.
  return scale * static_cast<float>(q - zero_point);
}

QS8State prepare_qs8(const QuantParams& p) {
  QS8State s{};
  s.params = p;
  for (int q = -128; q < 128; ++q) {
    const float xf = dequantize(p.input_scale, p.input_zero_point, static_cast<int8_t>(q));
    FastRef fr = reference_fast(Formula::erf, xf);
    double code = (fr.hi + fr.lo) / p.output_scale + p.output_zero_point;
    double k = std::nearbyint(code);
    if (std::fabs(std::fabs(code - k) - 0.5) <= fr.err / p.output_scale + 0x1p-40) {
      FastRef c = reference_certified_parts(Formula::erf, xf);
      code = (c.hi + c.lo) / p.output_scale + p.output_zero_point;
      k = std::nearbyint(code);
    }
    s.table[static_cast<uint8_t>(q)] = static_cast<int8_t>(std::clamp(k, -128.0, 127.0));
  }
  return s;
}

}  // namespace gelubench
