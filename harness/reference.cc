#include "harness/reference.h"

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "harness/ulp.h"
#include "harness/vector_clones.h"

namespace gelubench {
namespace {

namespace bmp = boost::math::policies;
// Stay in double (no long double promotion): the error bounds below are for
// double evaluation, and errno/exceptions have no place in a sweep.
using FastPolicy = bmp::policy<bmp::promote_double<false>, bmp::domain_error<bmp::ignore_error>,
                               bmp::pole_error<bmp::ignore_error>,
                               bmp::overflow_error<bmp::ignore_error>,
                               bmp::underflow_error<bmp::ignore_error>,
                               bmp::evaluation_error<bmp::ignore_error>>;

constexpr double kEps = 0x1p-53;
// Each term is trusted to kSlack eps (Boost documents ~1-2 eps for erf/erfc,
// glibc < 1 ulp for exp/tanh; the rest is argument rounding), times the
// condition number where it matters.
constexpr double kSlack = 16;
// An absolute floor for results that underflow double: exp() overflowing at
// 709.78 or erfc underflowing returns 0 for a true value of at most
// |x|*e^-709.78 < 2.3e-306 (x ~ -417, sigmoid), and double subnormals carry
// 2^-1074 absolute error. 2^-1000 covers both and is 850 binades below the
// 2^-150 resolution that float rounding needs.
constexpr double kUnderflowFloor = 0x1p-1000;
constexpr double kRsqrt2 = 0.70710678118654752440;
constexpr double kRsqrt2Lo = -4.833646656726457e-17;  // 1/sqrt(2) - kRsqrt2
constexpr double kTwoOverSqrtPi = 1.1283791670955126;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kTanhCubic = 0.044715;
constexpr double kSigmoidAlpha = 1.702;

// tests/reference_test.cc checks these bounds against the certified tier
// with a factor of 2 to spare.
//
// For |x| <= 1 every formula is split as 0.5*x + 0.5*x*g(x), g odd and small:
// the 0.5*x part is exact, so the tiny x^2 term that decides rounding for
// subnormal x is kept instead of vanishing in a double sum.
FastRef fast_erf(double x) {
  // Beyond |x| = 40, Phi(-|x|) < 1e-349: GELU(x) is x, or 0 with the sign
  // of x, to far below double resolution. Saves the sweep half its erfc calls.
  if (x > 40) return {x, 0.0, x * 0x1p-1000};
  if (x < -40) return {-0.0, -0.0, 0x1p-1000};
  if (std::fabs(x) <= 1.0) {
    double lo = 0.5 * x * boost::math::erf(x * kRsqrt2, FastPolicy());
    return {0.5 * x, lo, std::fabs(lo) * kSlack * kEps};
  }
  // erfc(-z) for z = x/sqrt(2): no cancellation for negative x. Rounding the
  // argument would cost a relative 2*z^2*eps = x^2*eps through erfc's
  // condition number, so carry it as w + w_lo (exact product by FMA, plus the
  // error of the constant) and correct to first order:
  // erfc(w + w_lo) = erfc(w) - (2/sqrt(pi)) e^(-w^2) w_lo. The bound keeps the
  // uncorrected x^2 factor all the same: certified, and cheap to keep.
  // For x > 0, Phi(x) is well conditioned (x*phi(x)/Phi(x) < 1).
  const double w = -x * kRsqrt2;
  const double w_lo = std::fma(-x, kRsqrt2, -w) - x * kRsqrt2Lo;
  const double e = boost::math::erfc(w, FastPolicy()) - kTwoOverSqrtPi * std::exp(-w * w) * w_lo;
  double v = 0.5 * x * e;
  double cond = x < 0 ? 1 + x * x : 2;
  return {v, 0.0, std::fabs(v) * kSlack * kEps * cond};
}

// x * sigmoid(2u) == 0.5*x*(1 + tanh(u)) without the 1 + tanh cancellation.
FastRef fast_tanh(double x) {
  double u = kSqrt2OverPi * (x + kTanhCubic * x * x * x);
  if (std::fabs(x) <= 1.0) {
    double lo = 0.5 * x * std::tanh(u);
    return {0.5 * x, lo, std::fabs(lo) * kSlack * kEps};
  }
  // sigmoid(t) has condition number t*sigmoid(-t): about |t| for t < 0, below 1 for t > 0.
  double v = x / (1.0 + std::exp(-2.0 * u));
  double cond = x < 0 ? 1 + 2 * std::fabs(u) : 2;
  return {v, 0.0, std::fabs(v) * kSlack * kEps * cond};
}

FastRef fast_sigmoid(double x) {
  double a = kSigmoidAlpha * x;
  if (std::fabs(x) <= 1.0) {
    double lo = 0.5 * x * std::tanh(0.5 * a);  // sigmoid(a) = (1 + tanh(a/2)) / 2
    return {0.5 * x, lo, std::fabs(lo) * kSlack * kEps};
  }
  double v = x / (1.0 + std::exp(-a));
  double cond = x < 0 ? 1 + std::fabs(a) : 2;
  return {v, 0.0, std::fabs(v) * kSlack * kEps * cond};
}

// Second-order coefficient of each formula at 0: every one is
// 0.5*x + c*x^2 + O(x^4) (erf: 1/sqrt(2 pi); tanh: sqrt(2/pi)/2, the same;
// sigmoid: 1.702/4).
constexpr double kSecondOrder[3] = {0.39894228040143267794, 0.39894228040143267794, 0.4255};

FastRef fast_any(Formula f, double x) {
  // For |x| < 2^-30 the next term is below 2^-58 of c*x^2: the sweep spends
  // ~40% of its inputs here, and needs no special function for them.
  if (std::fabs(x) < 0x1p-30) {
    double lo = kSecondOrder[static_cast<int>(f)] * x * x;
    return {0.5 * x, lo, lo * 0x1p-50};
  }
  switch (f) {
    case Formula::erf: return fast_erf(x);
    case Formula::tanh: return fast_tanh(x);
    case Formula::sigmoid: return fast_sigmoid(x);
  }
  return {};
}

}  // namespace

FastRef reference_fast(Formula f, float x) {
  FastRef r = fast_any(f, f32_to_f64(x));
  r.err += kUnderflowFloor;
  return r;
}

namespace {
// Neighbouring floats by stepping the encoding (sign-magnitude order).
float next_up(float f) {
  uint32_t b = f32_bits(f);
  if (b == 0x80000000u) return f32_from_bits(1);  // -0 -> smallest positive
  return f32_from_bits(b >> 31 ? b - 1 : b + 1);
}
float next_down(float f) {
  uint32_t b = f32_bits(f);
  if (b == 0) return f32_from_bits(0x80000001u);  // +0 -> smallest negative
  return f32_from_bits(b >> 31 ? b + 1 : b - 1);
}

// Results below 2^-126 are integer multiples of 2^-149: round s*2^149 to an
// integer in plain double arithmetic. Besides being simple, this keeps the
// sweep off the CPU's slow path for subnormal operands and results.
bool round_subnormal(double s, double t, double err, float* out) {
  if (std::fabs(s) < 0x1p-200 && err < 0x1p-200) {  // far below 2^-150: rounds to zero
    *out = std::signbit(s) ? -0.0f : 0.0f;
    return true;
  }
  double v = s * 0x1p149, vt = t * 0x1p149, ve = err * 0x1p149;  // exact scalings
  double k = std::nearbyint(v);
  double m = v - k;  // exact, in [-0.5, 0.5]; the value is k + m + vt (+- ve)
  if (std::fabs(m) == 0.5) {
    // s sits on a midpoint: the remainder decides, if it is clear of the error.
    if (std::fabs(vt) <= ve) return false;
    if ((vt > 0) != (m > 0)) {
      // pulled back toward k: stays at k
    } else {
      k += m > 0 ? 1 : -1;
    }
  } else if (0.5 - std::fabs(m) <= std::fabs(vt) + ve + 0x1p-60) {
    return false;  // within the error of a midpoint
  }
  // k * 2^-149 (|k| <= 2^23) is the float whose encoding is |k| (k = 2^23
  // gives FLT_MIN): built from bits, again to stay off the subnormal slow path.
  uint32_t mag = static_cast<uint32_t>(std::fabs(k));
  *out = f32_from_bits(mag | (std::signbit(s) ? 0x80000000u : 0u));
  return true;
}

}  // namespace

bool round_to_f32(double hi, double lo, double err, float* out) {
  // Renormalize so that s carries the value and t the exact remainder.
  double s = hi + lo;
  double bb = s - hi;
  double t = (hi - (s - bb)) + (lo - bb);
  if (std::fabs(s) < 0x1p-126) return round_subnormal(s, t, err, out);
  float f = static_cast<float>(s);
  if (std::isinf(f)) {
    // Past the overflow threshold FLT_MAX + ulp/2 (unreachable for GELU,
    // whose magnitude never exceeds |x|, but defined all the same).
    const double threshold = 0x1.fffffep127 + 0x1p103;
    double beyond = (std::fabs(s) - threshold) + (s > 0 ? t : -t);
    if (beyond > err) {
      *out = f;
      return true;
    }
    f = std::copysign(0x1.fffffep127f, f);
  }
  // Common case: s is well inside f's rounding interval. Half an ulp of f is
  // exact in double; at a power of two the lower half-interval is narrower,
  // so test against the smaller of the two.
  {
    double fd = f, dist = std::fabs(s - fd);  // exact: s and fd are within an ulp of f
    double half = 0.5 * ulp_f32(fd) * (f32_bits(f) & 0x7fffff ? 1.0 : 0.5);
    if (half - dist > err + std::fabs(t) + std::fabs(dist) * 0x1p-50) {
      *out = f;
      return true;
    }
  }
  for (int step = 0; step < 3; ++step) {
    float up = next_up(f), dn = next_down(f);
    // Midpoints between neighbouring floats are exact in double; past
    // FLT_MAX the boundary is where rounding goes to infinity.
    double fd = f;
    double m_up = std::isinf(up) ? fd + 0x1p103 : (fd + up) * 0.5;
    double m_dn = std::isinf(dn) ? fd - 0x1p103 : (fd + dn) * 0.5;
    double above_dn = (s - m_dn) + t;  // > 0: value is above the lower boundary
    double below_up = (m_up - s) - t;  // > 0: value is below the upper boundary
    // The margins carry their own rounding error of about one double ulp.
    double slack_dn = err + std::fabs(above_dn) * 0x1p-50;
    double slack_up = err + std::fabs(below_up) * 0x1p-50;
    if (below_up < -slack_up) { f = up; continue; }
    if (above_dn < -slack_dn) { f = dn; continue; }
    if (below_up <= slack_up || above_dn <= slack_dn) return false;
    *out = f;
    return true;
  }
  return false;
}

namespace {

// Inputs whose reference needs no special function and no rounding search:
// most of the 2^32 encodings. Branch-free on the bits, so that the sweep's
// loop over a block vectorizes; every value is what the general path below
// computes for the same input (tests/reference_test.cc checks this).
struct Shortcut {
  uint32_t taken;  // 0 or 1
  double value;
  uint32_t rounded_bits;
};
inline Shortcut reference_shortcut(Formula f, uint32_t bits) {
  // Conditions as 0/1 integers and selects as masks: GCC vectorizes those.
  const uint32_t a = bits & 0x7fffffffu, negative = bits >> 31;
  // GELU(x) = x to far below double resolution for x > 40 (all formulas);
  // for x < -40 the erf and tanh forms are below 2^-1000 (-0 in double),
  // the sigmoid form only below -440 (where exp(-1.702x) overflows).
  const uint32_t big = static_cast<uint32_t>(a > 0x42200000u) & static_cast<uint32_t>(a < 0x7f800000u);
  const uint32_t big_positive = big & (negative ^ 1u);
  const uint32_t tail_limit = f == Formula::sigmoid ? 0x43dc0000u : 0x42200000u;  // 440 : 40
  const uint32_t zero_tail = big & negative & static_cast<uint32_t>(a > tail_limit);
  // 2^-125 <= |x| < 2^-30: value = 0.5x + c*x^2 (fast_any's series), a
  // relative 0.8|x| < 2^-30 away from 0.5x, a normal float, so 0.5x is the
  // correctly rounded result: the bits of x with the exponent lowered by one.
  const uint32_t tiny = static_cast<uint32_t>(a >= 0x01000000u) & static_cast<uint32_t>(a < 0x30800000u);
  const double x = f32_to_f64(std::bit_cast<float>(bits));
  const double tiny_value = 0.5 * x + kSecondOrder[static_cast<int>(f)] * x * x;
  const uint64_t m_pos = -static_cast<uint64_t>(big_positive), m_zero = -static_cast<uint64_t>(zero_tail);
  const uint64_t value_bits = (std::bit_cast<uint64_t>(x) & m_pos) | (0x8000000000000000ull & m_zero) |
                              (std::bit_cast<uint64_t>(tiny_value) & ~(m_pos | m_zero));
  const uint32_t r_pos = -big_positive, r_zero = -zero_tail;
  Shortcut s;
  s.taken = big_positive | zero_tail | tiny;
  s.value = std::bit_cast<double>(value_bits);
  s.rounded_bits = (bits & r_pos) | (0x80000000u & r_zero) | ((bits - 0x00800000u) & ~(r_pos | r_zero));
  return s;
}

// Fills the shortcut inputs of a block; returns how many are left for the
// general path (marked in general[]).
GELUBENCH_VECTOR_CLONES
uint32_t shortcut_loop(Formula f, size_t n, const float* __restrict x, double* __restrict value,
                       float* __restrict rounded, uint32_t* __restrict general) {
  uint32_t left = 0;
  for (size_t i = 0; i < n; ++i) {
    const Shortcut s = reference_shortcut(f, std::bit_cast<uint32_t>(x[i]));
    value[i] = s.value;
    rounded[i] = std::bit_cast<float>(s.rounded_bits);
    general[i] = s.taken ^ 1u;
    left += s.taken ^ 1u;
  }
  return left;
}

RefPoint reference_general(Formula f, float x, uint64_t* certified_calls) {
  if ((f32_bits(x) & 0x7f800000u) == 0x7f800000u) {  // NaN or infinity (tested on bits)
    if (f32_bits(x) & 0x7fffffu) return {x, x};
    float r = x > 0 ? x : -0.0f;
    return {r, r};
  }
  FastRef fr = reference_fast(f, x);
  float rounded;
  if (!round_to_f32(fr.hi, fr.lo, fr.err, &rounded)) {
    rounded = reference_certified_f32(f, x);
    if (certified_calls) ++*certified_calls;
  }
  // GELU(x) has the sign of x; underflow to zero keeps it.
  const bool negative = f32_bits(x) >> 31;
  if ((f32_bits(rounded) & 0x7fffffffu) == 0) rounded = negative ? -0.0f : 0.0f;
  double value = fr.value();
  if (value == 0.0) value = negative ? -0.0 : 0.0;
  return {value, rounded};
}

}  // namespace

RefPoint reference(Formula f, float x, uint64_t* certified_calls) {
  const Shortcut s = reference_shortcut(f, f32_bits(x));
  if (s.taken) return {s.value, f32_from_bits(s.rounded_bits)};
  return reference_general(f, x, certified_calls);
}

RefPoint reference_general_for_tests(Formula f, float x) { return reference_general(f, x, nullptr); }

void reference_block(Formula f, const float* x, size_t n, double* value, float* rounded,
                     uint64_t* certified_calls) {
  constexpr size_t kPart = 1024;
  uint32_t general[kPart];
  for (size_t begin = 0; begin < n; begin += kPart) {
    const size_t m = std::min(n - begin, kPart);
    if (shortcut_loop(f, m, x + begin, value + begin, rounded + begin, general) == 0) continue;
    for (size_t i = 0; i < m; ++i) {
      if (!general[i]) continue;
      const RefPoint p = reference_general(f, x[begin + i], certified_calls);
      value[begin + i] = p.value;
      rounded[begin + i] = p.rounded;
    }
  }
}

}  // namespace gelubench
