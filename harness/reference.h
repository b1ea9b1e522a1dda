// The high-precision GELU reference, in two tiers.
//
// Fast tier: Boost.Math in double (no promotion to long double, errors
// ignored), in the stable erfc form, with a per-input absolute error bound.
// Certified tier: the same formulas in boost::multiprecision::cpp_bin_float_50
// (166 bits). Whenever the fast tier cannot decide the correctly rounded float
// (the exact value is within its error bound of a rounding boundary), the
// certified tier decides. tests/reference_test.cc certifies the fast tier's
// bound against the certified tier.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernel.h"

namespace gelubench {

// value = hi + lo, with |exact - value| <= err.
struct FastRef {
  double hi = 0, lo = 0, err = 0;
  double value() const { return hi + lo; }
};

// Fast tier. Finite x only.
FastRef reference_fast(Formula f, float x);

// Certified tier, rounded to float (nearest-even; sign of zero = sign of x).
// Finite x only. About 100 microseconds per call.
float reference_certified_f32(Formula f, float x);

// Certified tier as hi + lo (to ~2^-106 relative), for certification tests.
FastRef reference_certified_parts(Formula f, float x);

// What the harness compares kernels against: the exact value (as a double,
// for ULP/absolute/relative error) and the correctly rounded float.
struct RefPoint {
  double value;
  float rounded;
};

// Both tiers combined; handles NaN and infinities too (NaN -> NaN,
// +inf -> +inf, -inf -> -0). `certified_calls` is incremented each time the
// certified tier had to decide.
RefPoint reference(Formula f, float x, uint64_t* certified_calls = nullptr);

// reference() without its shortcuts for large and tiny |x| (tests check
// that the shortcuts agree with it).
RefPoint reference_general_for_tests(Formula f, float x);

// reference() for n finite or special inputs, into value[] and rounded[]:
// the same results, without a call per input (the sweep's inner loop).
void reference_block(Formula f, const float* x, size_t n, double* value, float* rounded,
                     uint64_t* certified_calls);

// Rounds hi + lo (exact) to float if every value within `err` of it rounds to
// the same float; returns false when the rounding is undecided.
bool round_to_f32(double hi, double lo, double err, float* out);

}  // namespace gelubench
