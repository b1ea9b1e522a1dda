// What the CPU can do, read with CPUID/XGETBV, and the --isa cap that lets
// one machine emulate a lesser one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/kernel.h"

namespace gelubench {

struct CacheInfo {
  int level = 0;       // 1, 2, 3
  uint64_t bytes = 0;  // per instance (per core for L1/L2 on most CPUs)
};

struct CpuInfo {
  std::string vendor;
  std::string model;      // brand string, e.g. "Intel(R) Xeon(R) ..."
  FeatureMask features = 0;  // usable features (OS state checked with XGETBV)
  uint64_t l1d_bytes = 0, l2_bytes = 0, l3_bytes = 0;  // 0 = unknown
};

// Detected once; cheap to call.
const CpuInfo& cpu_info();

// All known features in a fixed order, with display names.
struct FeatureName {
  Feature bit;
  std::string_view name;
};
const std::vector<FeatureName>& all_features();
std::string feature_list(FeatureMask mask);  // "AVX2 FMA ..." or "none"

// ISA tiers a user can cap execution at.
enum class IsaCap { scalar, avx2, avx512 };
std::optional<IsaCap> parse_isa(std::string_view s);
std::string_view isa_name(IsaCap cap);
FeatureMask isa_allowed_features(IsaCap cap);
IsaCap best_isa(const CpuInfo& cpu);  // highest tier the CPU fully supports

// Why a kernel needing `required` cannot run under `cap` on `cpu`;
// empty when it can.
std::string why_not_runnable(FeatureMask required, IsaCap cap, const CpuInfo& cpu);

}  // namespace gelubench
