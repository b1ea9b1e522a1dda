// Hot loops of the accuracy sweep are written branch-free so that the
// compiler vectorizes them. Baseline x86-64 (SSE2) lacks the 64-bit integer
// compares they need, so they are compiled twice, for AVX2 and for the
// baseline, and the loader picks one for this CPU (GCC/Clang target_clones).
#pragma once

#include <bit>
#include <cstdint>

#define GELUBENCH_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))

namespace gelubench {

// c ? a : b on the bits: GCC keeps a ?: on doubles as a branch, which stops
// a loop from vectorizing.
inline double select_bits(bool c, double a, double b) {
  const uint64_t m = -static_cast<uint64_t>(c);
  return std::bit_cast<double>((std::bit_cast<uint64_t>(a) & m) | (std::bit_cast<uint64_t>(b) & ~m));
}

}  // namespace gelubench
