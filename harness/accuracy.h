// The accuracy driver: every selected kernel against exact GELU and against
// its own formula, over all float inputs (or a stride through them, or an
// explicit list), in parallel, with figures that do not depend on the
// thread count. See ulp.h for the error metric.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/json_format.h"
#include "harness/regions.h"
#include "harness/registry.h"

namespace gelubench {

// One slice of the sweep's chunks: shard `index` of `count` (K/N). The
// slices of 0..N-1 are contiguous and cover every chunk once.
struct Shard {
  uint64_t index = 0, count = 1;
};

struct AccuracyOptions {
  std::vector<const KernelInfo*> kernels;  // all must be runnable here
  uint64_t stride = 1;                     // 1 = all 2^32 encodings
  std::vector<uint32_t> inputs;            // if non-empty: exactly these encodings
  int threads = 1;
  bool progress = false;                   // bar/lines on stderr
  const std::atomic<bool>* stop = nullptr; // set asynchronously to abandon the run
  Shard shard;                             // count > 1: compute one slice, return it as `partial`
};

// Written into every accuracy result and the report.
inline constexpr const char* kUlpDefinition =
    "err = |y - r| / ulp(r), r = exact value (not rounded); ulp(r) = 2^(e-23) for |r| in "
    "[2^e, 2^(e+1)), 2^-149 below 2^-126. Correctly rounded = y equals r rounded to "
    "nearest-even in float, compared as bits.";

// Runs the sweep and returns the "kernels" array entries (one per kernel) plus
// run facts. Returns std::nullopt-like empty json when stopped.
struct AccuracyResult {
  bool completed = false;
  nlohmann::json kernels = nlohmann::json::array();
  uint64_t inputs = 0;  // finite inputs measured (NaN/inf go to "specials")
  double elapsed_s = 0;
  nlohmann::json certified_calls;  // formula -> count
  int failed = 0;                  // own kernels over budget
  // A shard's run only (shard.count > 1), instead of `kernels`: its figures
  // in lossless form, for merge_partials.
  nlohmann::json partial;
};
AccuracyResult run_accuracy(const AccuracyOptions& opt);

// The result of the whole run from the partials of shards 0..N-1, in
// order: the same figures, bit for bit, as the unsharded run. Throws
// std::runtime_error naming what does not fit (other kernels, a gap or an
// overlap in the chunks).
AccuracyResult merge_partials(const std::vector<nlohmann::json>& partials);

// The special inputs every f32 kernel is checked on: NaNs (quiet and
// signalling, both signs), infinities, zeros, subnormal and normal extremes,
// the largest finite floats.
struct SpecialCase {
  std::string name;
  uint32_t bits;
};
const std::vector<SpecialCase>& special_cases();
// The same plus kernel k's declared edges (+-e and the floats either side).
std::vector<SpecialCase> special_cases_for(const KernelInfo& k);

// One special input through kernel k. GELU's limits are NaN -> NaN,
// +inf -> +inf, -inf -> -0, +-0 -> +-0 (bits compared). A finite input
// passes when the output is not NaN, has the sign of x, and is within the
// kernel's declared ULP budget against its formula (at least 1 ULP; exactly
// 1 ULP for peers, which declare none).
struct SpecialCheck {
  float input, expected, output;
  bool pass;
  bool declared_deviation;  // the registry line declares this input's difference
  bool as_declared;         // ... and the output is what it declares
};
SpecialCheck check_special(const KernelInfo& k, uint32_t input_bits);

}  // namespace gelubench
