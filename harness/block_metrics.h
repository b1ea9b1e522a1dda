// The f32 sweep's inner loop: per-input errors of one kernel's outputs
// against one reference, for a block of inputs, and their statistics.
//
// Written to vectorize (this loop runs 2^32 times per comparison): a
// branch-free pass computes every input's errors into arrays, then one pass
// per run of inputs folds them into Stats with fixed-order lane sums (so the
// figures are deterministic) and searches for a maximum's first input only
// when the maximum improves. The result equals Stats::add on each input in
// turn, except for the order in which the ULP sum is added up.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "harness/accuracy_stats.h"

namespace gelubench {

inline constexpr size_t kBlock = 512;  // inputs per kernel call in the sweep

// Per-input reference facts, shared by every kernel compared against them.
struct RefBlock {
  std::array<double, kBlock> value;   // exact value (double)
  std::array<float, kBlock> rounded;  // correctly rounded float
  // Derived by derive(): 1/ulp(value) and 1/|value| (0 for a zero value).
  std::array<double, kBlock> inv_ulp, inv_abs;
  // Whether every value is its rounded float exactly (y = x for large x,
  // -0 deep in the tail): then a kernel that returns those floats has zero
  // error everywhere, and the block needs no per-input work.
  bool all_exact = false;

  void derive(size_t n);
};

// Whether y[0, n) are exactly rb's values (see RefBlock::all_exact).
bool exact_block(const float* y, const RefBlock& rb, size_t n);
// Adds inputs [begin, end) of an exact block to s: what accumulate() would.
void accumulate_exact(Stats& s, const float* x, const float* y, size_t begin, size_t end);

// Per-input errors of one kernel against one reference.
struct ErrorBlock {
  std::array<double, kBlock> ulp, abs, rel;
  // Histogram bucket (0 = correctly rounded ... 6 = more than 1024 ULP) in
  // bits 0-2, and a violation of profile t in bit 3 + t.
  std::array<uint32_t, kBlock> code;

  void compute(const float* y, const RefBlock& rb, size_t n);
  // Adds inputs [begin, end) to s; x and y are the block's inputs and outputs.
  void accumulate(Stats& s, const RefBlock& rb, const float* x, const float* y, size_t begin, size_t end) const;
};

}  // namespace gelubench
