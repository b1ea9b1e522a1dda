// Error statistics shared by the accuracy drivers (f32 in accuracy.cc, the
// narrow formats in narrow_accuracy.cc): regions, histogram buckets,
// tolerance profiles, the error profile over x, and their JSON form.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/json_format.h"
#include "harness/regions.h"
#include "harness/registry.h"

namespace gelubench {

enum Region { kNegTail, kCore, kPos, kRegions };
inline constexpr const char* kRegionNames[kRegions] = {"neg_tail", "core", "pos"};
inline Region region_of(float x) { return x < kTailBelow ? kNegTail : (x > kCoreAbove ? kPos : kCore); }

// Exclusive histogram buckets: correctly rounded first, then by error bound.
inline constexpr int kBuckets = 7;
inline constexpr const char* kBucketNames[kBuckets] = {"correctly_rounded", "le_1", "le_2", "le_4",
                                                       "le_16", "le_1024", "more"};

// |y - r| <= atol + rtol*|r|, the allclose rule.
struct ToleranceProfile {
  const char* name;
  double rtol, atol;
};
inline constexpr ToleranceProfile kProfiles[] = {
    {"torch_allclose_default", 1e-5, 1e-8},
    {"pytorch_test_fp32", 1.3e-6, 1e-5},
};
inline constexpr int kNumProfiles = 2;
// The narrow formats are judged by tolerances meant for them, PyTorch's
// assert_close defaults for float16 and bfloat16 (never by fp32's): one
// profile each, in slot 0 (slot 1 unused, unbounded).
inline constexpr ToleranceProfile kF16Profile = {"pytorch_test_fp16", 1e-3, 1e-5};
inline constexpr ToleranceProfile kBf16Profile = {"pytorch_test_bf16", 1.6e-2, 1e-5};

// Error profile bins: [lo, hi) in steps of kProfileBinWidth, plus bin 0 for
// x < lo and the last bin for x >= hi.
inline constexpr int kInnerBins = static_cast<int>((kProfileHi - kProfileLo) / kProfileBinWidth);
inline constexpr int kBins = kInnerBins + 2;
inline int bin_of(float x) {
  if (x < kProfileLo) return 0;
  if (x >= kProfileHi) return kBins - 1;
  int b = 1 + static_cast<int>((static_cast<double>(x) - kProfileLo) / kProfileBinWidth);
  return std::clamp(b, 1, kInnerBins);
}

// Statistics of one comparison (one kernel against one reference) over a set
// of inputs. Merging b into a, with b's inputs after a's, keeps the first
// worst case, so results do not depend on how the work was split.
struct Stats {
  uint64_t count = 0, correctly_rounded = 0;
  std::array<uint64_t, kBuckets> hist{};
  std::array<uint64_t, kNumProfiles> violations{};
  double sum_ulp = 0;
  double max_ulp = -1, max_abs = -1, max_rel = -1;
  uint32_t worst_x = 0, max_abs_x = 0, max_rel_x = 0;  // float bits of the input
  float worst_y = 0, worst_expected = 0;

  // One input: ULP error e, absolute error d, whether the output is the
  // correctly rounded value, relative error, and the profile tolerances.
  void add(double e, double d, bool cr, double rel, const double* tolerance, uint32_t x_bits, float y,
           float expected) {
    ++count;
    sum_ulp += e;
    correctly_rounded += cr;
    ++hist[cr ? 0 : 1 + (e > 1) + (e > 2) + (e > 4) + (e > 16) + (e > 1024)];
    for (int t = 0; t < kNumProfiles; ++t) violations[t] += !(d <= tolerance[t]);
    if (e > max_ulp) max_ulp = e, worst_x = x_bits, worst_y = y, worst_expected = expected;
    if (d > max_abs) max_abs = d, max_abs_x = x_bits;
    if (rel > max_rel) max_rel = rel, max_rel_x = x_bits;
  }

  void merge(const Stats& b) {
    count += b.count;
    correctly_rounded += b.correctly_rounded;
    for (int i = 0; i < kBuckets; ++i) hist[i] += b.hist[i];
    for (int i = 0; i < kNumProfiles; ++i) violations[i] += b.violations[i];
    sum_ulp += b.sum_ulp;
    if (b.max_ulp > max_ulp) {
      max_ulp = b.max_ulp, worst_x = b.worst_x, worst_y = b.worst_y;
      worst_expected = b.worst_expected;
    }
    if (b.max_abs > max_abs) max_abs = b.max_abs, max_abs_x = b.max_abs_x;
    if (b.max_rel > max_rel) max_rel = b.max_rel, max_rel_x = b.max_rel_x;
  }
};

struct Bin {
  double max_ulp = 0, sum_ulp = 0;
  uint64_t count = 0;
  void add(double e) {
    max_ulp = std::max(max_ulp, e);
    sum_ulp += e;
    ++count;
  }
  void merge(const Bin& b) {
    max_ulp = std::max(max_ulp, b.max_ulp);
    sum_ulp += b.sum_ulp;
    count += b.count;
  }
};

// The JSON contract (see reports/README.md). with_extra adds the tolerance
// profiles; regions and error_profile are added by the caller.
// profiles: the tolerance profiles s counted violations of, in order
// (nullptr: kProfiles); written when with_extra.
nlohmann::json stats_json(const Stats& s, Formula f, bool with_extra, const ToleranceProfile* profiles = nullptr,
                          int n_profiles = kNumProfiles);
nlohmann::json error_profile_json(const std::vector<Bin>& bins);  // kBins entries

// One comparison of a kernel against one reference, from its statistics per
// region and its error-profile bins (kBins): the whole is the regions merged
// in order, its ULP sum all_sum_ulp where the caller has it exactly (the f32
// sweep), else the regions' sums added. The f32 and narrow drivers both
// report through this.
struct ComparisonFigures {
  Stats all;
  std::array<Stats, kRegions> regions;
  nlohmann::json json;  // the "vs" entry: stats_json with profiles, "regions", "error_profile"
};
ComparisonFigures comparison_figures(const std::array<Stats, kRegions>& regions, const std::vector<Bin>& bins,
                                     Formula f, std::optional<double> all_sum_ulp = std::nullopt,
                                     const ToleranceProfile* profiles = nullptr, int n_profiles = kNumProfiles);

// One special input's entry in "specials": its input, the expected (GELU's
// limit or the formula's value) and actual output as hex floats and as bits,
// whether it passed and, where the registry line declares this input's
// difference, whether the output is what it declares.
nlohmann::json special_json(const std::string& name, float input, const std::string& input_bits, float expected,
                            float output, const std::string& output_bits, bool pass,
                            std::optional<bool> as_declared = std::nullopt);

// The special values of one kernel's "specials", counted once for the
// verdict, the console and (by the same rule) the report: wrong = not passed
// and not a deviation that happened as declared.
struct SpecialsTally {
  int wrong = 0, declared = 0;
  std::vector<std::string> wrong_text;  // "name -> output" per wrong one
};
SpecialsTally tally_specials(const nlohmann::json& specials);
// name, dtype, formula, peer, features, budget
nlohmann::json kernel_identity_json(const KernelInfo& k);
// What a kernel's verdict is judged on: its registry line's budget and
// declarations (also carried in shard files, so `merge` judges alike).
struct Contract {
  Budget budget;
  double core_ulp = kUnbounded;  // max ULP vs formula for -3 <= x <= 3
  bool correctly_rounded = false;
};
Contract contract_of(const KernelInfo& k);
nlohmann::json contract_json(const Contract& c);
Contract contract_from_json(const nlohmann::json& j);

// Adds "verdict": each declared bound against the measured figure; returns
// whether all hold.
bool add_verdict(nlohmann::json& kernel, const Budget& budget, double ulp_vs_formula, double ulp_vs_exact,
                 double abs_vs_exact);

// What a float kernel's verdict is judged on, taken from its statistics (as
// the result file states them: NaN counts as inf).
struct Measured {
  double ulp_vs_formula = 0, ulp_vs_exact = 0, abs_vs_exact = 0;
  double core_ulp_vs_formula = 0;  // the core region, vs the formula
  uint64_t misrounded = 0;         // vs the formula: results not correctly rounded
};
Measured measured(const ComparisonFigures& exact, const ComparisonFigures& formula);

// The same for a kernel under contract c, plus a "specials_wrong" check
// (must be 0) for own kernels with "specials" (tally_specials), a
// "misrounded" check (must be 0) for kernels declared correctly rounded and
// a "core_max_ulp_vs_formula" check for kernels that declare a core budget.
bool add_verdict(nlohmann::json& kernel, const Contract& c, const Measured& m);

// The fast reference tier agrees with the certified tier, within its bound.
bool certified_agrees(Formula f, float x);

}  // namespace gelubench
