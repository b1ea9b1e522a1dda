// Pieces of the AVX-512 f16 convert-path kernels: vcvtph2ps (zmm) widens
// 16 binary16 exactly (subnormals included, NaN made quiet); vcvtps2ph
// narrows with round to nearest-even taken from the immediate below, not
// from MXCSR (subnormal results and overflow to +-inf per IEEE). Tails
// (n % 16) use masked 16-bit loads/stores from first16().
// Internal linkage: include from __avx512*.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "kernels/f16/f16_convert.h"
#include "kernels/kernel.h"

namespace gelubench::narrow {
namespace {

constexpr int kF16Rne512 = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

inline __mmask16 first16(size_t r) { return r >= 16 ? __mmask16(0xffff) : __mmask16((1u << r) - 1); }

}  // namespace
}  // namespace gelubench::narrow
