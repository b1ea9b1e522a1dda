// The Eigen peers' GELU, written as Eigen users write it, on
// Map<const ArrayXf> / Map<ArrayXf>:
//   erf form:  y = 0.5f * x * (1 + (x * M_SQRT1_2).erf())
//   tanh form: y = 0.5f * x * (1 + (sqrt(2/pi) * (x + 0.044715f * x * x * x)).tanh())
// Eigen 3.4 vectorizes both under its default EIGEN_FAST_MATH=1:
//   .erf() (<unsupported/Eigen/SpecialFunctions>, HasErf):
//     generic_fast_erf_float, a 13/8 rational on x clamped to [-4, 4], so erf
//     is exactly +-1 beyond |x/sqrt(2)| = 4; the 1 + erf sum cancels for x
//     below about -3 (a comparator, left as is);
//   .tanh() (HasTanh): generic_fast_tanh_float, a 13/6 rational on x clamped
//     to +-7.9988 with FMA (tanh exactly +-1 beyond), tanh(x) = x for
//     |x| < 4e-4.
// Eigen picks its packet from the file's ISA flags (__avx2: Packet8f,
// __avx512: Packet16f) and runs unaligned heads and n % packet tails through
// its scalar path (the same rationals, scalar).
// Each kernel is a __attribute__((flatten)) function calling one of these:
// flatten inlines all of Eigen's (non-ISA-specific, COMDAT) template code
// into it, so the linker can never substitute the instantiation of the same
// expression compiled for another ISA file. Internal linkage, as well.
#pragma once

// GCC 12 false positive inside Eigen's AVX-512 pmin/pmax (_mm512_undefined_ps
// self-initializes by design).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <cmath>
#include <cstddef>
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

namespace gelubench::eigen_peer {
namespace {

inline void gelu_erf(size_t n, const float* x, float* y) {
  if (n == 0) return;
  const Eigen::Index len = static_cast<Eigen::Index>(n);
  Eigen::Map<const Eigen::ArrayXf> xv(x, len);
  Eigen::Map<Eigen::ArrayXf> yv(y, len);
  yv = 0.5f * xv * (1.0f + (xv * static_cast<float>(M_SQRT1_2)).erf());
}

inline void gelu_tanh(size_t n, const float* x, float* y) {
  if (n == 0) return;
  constexpr float kSqrt2OverPi = 0.79788456080286535588f;
  constexpr float kCubic = 0.044715f;
  const Eigen::Index len = static_cast<Eigen::Index>(n);
  Eigen::Map<const Eigen::ArrayXf> xv(x, len);
  Eigen::Map<Eigen::ArrayXf> yv(y, len);
  yv = 0.5f * xv * (1.0f + (kSqrt2OverPi * (xv + kCubic * xv * xv * xv)).tanh());
}

}  // namespace
}  // namespace gelubench::eigen_peer
