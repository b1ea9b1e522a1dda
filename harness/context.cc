#include "harness/context.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <boost/version.hpp>
#include <chrono>

#include "build_info.h"
#include "harness/peer_libraries.h"

namespace gelubench {

nlohmann::json library_versions() {
  nlohmann::json v;
  v["boost"] = fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                           BOOST_VERSION % 100);
  v["fmt"] = fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
  v["nlohmann_json"] = fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                   NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  v["gelubench"] = GELUBENCH_VERSION;
  if (std::string peers = GELUBENCH_PEER_VERSIONS; !peers.empty()) v["peers"] = peers;
  return v;
}

static nlohmann::json feature_names(FeatureMask mask) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : all_features())
    if (mask & f.bit) out.push_back(std::string(f.name));
  return out;
}

nlohmann::json cpu_info_json() {
  const CpuInfo& cpu = cpu_info();
  return {
      {"schema", "gelubench.info/1"},
      {"vendor", cpu.vendor},
      {"model", cpu.model},
      {"features", feature_names(cpu.features)},
      {"best_isa", std::string(isa_name(best_isa(cpu)))},
      {"caches", {{"l1d", cpu.l1d_bytes}, {"l2", cpu.l2_bytes}, {"l3", cpu.l3_bytes}}},
      {"logical_cpus", sysconf(_SC_NPROCESSORS_ONLN)},
      {"peer_libraries", peer_libraries_json(best_isa(cpu))},
  };
}

nlohmann::json run_context(IsaCap cap) {
  const CpuInfo& cpu = cpu_info();
  auto now = std::chrono::system_clock::now();
  return {
      {"cpu_model", cpu.model},
      {"features", feature_names(cpu.features)},
      {"isa_cap", std::string(isa_name(cap))},
      {"compiler", GELUBENCH_CXX_COMPILER},
      {"flags", GELUBENCH_CXX_FLAGS},
      {"build_type", GELUBENCH_BUILD_TYPE},
      {"git_commit", GELUBENCH_GIT_COMMIT},
      {"library_versions", library_versions()},
      {"peer_libraries", peer_libraries_json(cap)},
      {"date", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(now)))},
  };
}

}  // namespace gelubench
