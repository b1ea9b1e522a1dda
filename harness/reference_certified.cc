// The certified tier: 166-bit binary floating point (cpp_bin_float_50).
// Kept in its own translation unit because it is slow to compile.
#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>

#include "harness/reference.h"

namespace gelubench {
namespace {

using Big = boost::multiprecision::cpp_bin_float_50;

// Same splits as the fast tier (see reference.cc): 0.5*x + 0.5*x*g(x) for
// |x| <= 1, where the sum is exact at 166 bits even for subnormal x.
Big certified(Formula f, float xf) {
  const Big x = xf;
  const Big half_x = x / 2;
  const bool small = std::fabs(xf) <= 1.0f;
  switch (f) {
    case Formula::erf: {
      const Big z = x / boost::multiprecision::sqrt(Big(2));
      if (small) return half_x + half_x * boost::math::erf(z);
      return half_x * boost::math::erfc(-z);
    }
    case Formula::tanh: {
      const Big k = boost::multiprecision::sqrt(Big(2) / boost::math::constants::pi<Big>());
      const Big u = k * (x + Big("0.044715") * x * x * x);
      if (small) return half_x + half_x * boost::multiprecision::tanh(u);
      return x / (1 + boost::multiprecision::exp(-2 * u));
    }
    case Formula::sigmoid: {
      const Big a = Big("1.702") * x;
      if (small) return half_x + half_x * boost::multiprecision::tanh(a / 2);
      return x / (1 + boost::multiprecision::exp(-a));
    }
  }
  return 0;
}

}  // namespace

FastRef reference_certified_parts(Formula f, float x) {
  Big v = certified(f, x);
  double hi = static_cast<double>(v);
  double lo = static_cast<double>(Big(v - hi));
  return {hi, lo, std::fabs(hi) * 0x1p-150};
}

float reference_certified_f32(Formula f, float x) {
  FastRef v = reference_certified_parts(f, x);
  float out = 0.0f;
  // 166 bits: an exact GELU value of a float is never this close to a float
  // midpoint (it is transcendental for x != 0), so this always decides.
  if (!round_to_f32(v.hi, v.lo, v.err, &out)) out = static_cast<float>(v.hi);
  return out == 0.0f ? std::copysign(0.0f, x) : out;
}

}  // namespace gelubench
