// The one interface every GELU kernel implements, and the facts the registry
// records about it. Kernels include only this header; the harness includes it
// through harness/registry.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace gelubench {

// Element type of a kernel's input and output: float32; IEEE binary16 and
// bfloat16 (as uint16 bit patterns); int8 with per-tensor quantization.
enum class DType { f32, f16, bf16, qs8 };

// The function a kernel approximates.
//   erf     exact GELU, x*Phi(x) = 0.5*x*erfc(-x/sqrt(2))
//   tanh    0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))
//   sigmoid x*sigmoid(1.702*x)   ("quick GELU")
enum class Formula { erf, tanh, sigmoid };

// CPU features a kernel needs (bit mask). Values are stable: they are also
// the order `gelubench info` prints them in.
enum Feature : uint32_t {
  kSSE42 = 1u << 0,
  kAVX = 1u << 1,
  kAVX2 = 1u << 2,
  kFMA = 1u << 3,
  kF16C = 1u << 4,
  kAVX512F = 1u << 5,
  kAVX512BW = 1u << 6,
  kAVX512VL = 1u << 7,
  kAVX512DQ = 1u << 8,
  kAVX512VBMI = 1u << 9,
  kAVX512VNNI = 1u << 10,
  kAVX512BF16 = 1u << 11,
  kAVX512FP16 = 1u << 12,
};
using FeatureMask = uint32_t;

// Feature sets the registry uses for the usual ISA tiers.
inline constexpr FeatureMask kScalar = 0;
inline constexpr FeatureMask kAvx2Fma = kAVX | kAVX2 | kFMA;
inline constexpr FeatureMask kAvx512 = kAvx2Fma | kAVX512F | kAVX512BW | kAVX512VL | kAVX512DQ;

// y[i] = GELU(x[i]) for i in [0, n). Any n (including 0), any alignment,
// and x == y (in place) must all work.
using F32Kernel = void (*)(size_t n, const float* x, float* y);

// Narrow formats. f16 (IEEE binary16) and bf16 kernels take and return the
// raw 16-bit encodings; qs8 kernels take signed 8-bit codes with per-tensor
// quantization, real = scale * (q - zero_point).
//
// Every narrow kernel receives a state the harness prepares once, outside any
// timed loop, from the high-precision reference (harness/narrow.cc); kernels
// that compute instead of looking up simply ignore the table.
struct U16State {
  const uint16_t* table;  // 65536 entries: GELU of each encoding, correctly rounded to the format
};
using U16Kernel = void (*)(size_t n, const uint16_t* x, uint16_t* y, const U16State* state);

struct QuantParams {
  float input_scale;
  int32_t input_zero_point;
  float output_scale;
  int32_t output_zero_point;
};
struct QS8State {
  // table[uint8_t(q)]: dequantize q, exact GELU, round to nearest-even in
  // output units, clamp to [-128, 127].
  alignas(64) int8_t table[256];
  QuantParams params;  // for compute-path kernels
};
using QS8Kernel = void (*)(size_t n, const int8_t* x, int8_t* y, const QS8State* state);

// A declared error budget. Accuracy runs and the shared budget test fail a
// kernel whose measured error exceeds any bound; kUnbounded means "no claim".
// ULP is in the kernel's output format (one LSB for qs8).
inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();
struct Budget {
  double max_ulp_vs_formula = kUnbounded;  // ULP against the kernel's own formula
  double max_ulp_vs_exact = kUnbounded;    // ULP against exact GELU
  double max_abs_vs_exact = kUnbounded;    // absolute error against exact GELU
};

// What a kernel's registry line may declare beyond its budget (the optional
// `.field = value` tail of GELU_KERNEL).
//
// Special values: GELU's limits are NaN -> NaN, +inf -> +inf, -inf -> -0,
// +-0 -> +-0; a kernel that deliberately differs names the difference in
// `deviations`, and the specials test (tests/specials_test.cc) holds it to
// exactly that.
//
// ISA versions: the versions of one kernel (same name up to the __<isa>
// suffix) return the same bits as the lowest-ISA version, checked by
// tests/isa_siblings_test.cc; the scalar files' exhaustive figures rely on
// it. `own_bits` marks a version that does not, because it uses a different
// instruction (e.g. a reciprocal estimate of other precision).
enum Deviation : uint32_t {
  kNegInfToNaN = 1u << 0,  // -inf -> NaN: the formula's 0 * inf, evaluated as written
};
struct Declarations {
  uint32_t deviations = 0;  // Deviation bits
  // |x| where the kernel changes regime (saturates to x or -0, clamps its
  // argument, switches method); 0 = unused. Tested at +-edge and neighbours.
  std::array<float, 3> edges{};
  bool own_bits = false;  // results differ from the lower-ISA versions'
  // Every result is the exact value rounded to nearest-even (compared as
  // bits): the verdict then requires 0 misrounded results, which a ULP
  // bound cannot express (a misrounded subnormal result can score 0.5).
  bool correctly_rounded = false;
  // Max ULP against the kernel's own formula in the core, -3 <= x <= 3,
  // where activations live. For kernels whose whole-range ULP budget is
  // set by a tail they give up on (1 + erf returning 0 where GELU is a
  // tiny float: ~2^24 ULP), that budget says nothing about the core; this
  // one does. kUnbounded = no separate claim.
  double core_ulp = kUnbounded;
};

}  // namespace gelubench
