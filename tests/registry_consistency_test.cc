// The ISA is stated in three places that must agree: the name's __<isa>
// suffix, the registry line's CPU features, and the flags cmake/Kernels.cmake
// compiles the kernel's file with (chosen by the same suffix, read from that
// file here). A kernel that declared fewer features than its file is
// compiled for would be offered on a CPU that cannot run it; one that
// declared more would be skipped where it could run. Each compiled kernel
// also has its own file, <name>.cc. The saturation edges the registry lines
// declare are the ones the kernels' generated tables saturate at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "harness/cpu_features.h"
#include "harness/registry.h"
#include "kernels/lut/lut_erf_128_hermite.h"
#include "kernels/lut/lut_erf_256_linear.h"
#include "kernels/lut/lut_erf_64_hermite.h"
#include "kernels/poly/poly_erf_2x32.h"
#include "kernels/poly/poly_erf_3x32.h"
#include "kernels/poly/poly_erf_4x16.h"
#include "kernels/rational/rational_erf_coeffs.h"

namespace gelubench {
namespace {

std::string suffix(std::string_view name) {
  const size_t at = name.rfind("__");
  return at == std::string_view::npos ? "" : std::string(name.substr(at + 2));
}

// The features each suffix's compile flags (cmake/Kernels.cmake) let the
// compiler use; F16C comes with the AVX2 and AVX-512 flags, so declaring it
// is allowed but not required.
const std::map<std::string, FeatureMask>& features_by_suffix() {
  static const std::map<std::string, FeatureMask> m = {
      {"scalar", kScalar},
      {"avx2", kAvx2Fma},
      {"avx512", kAvx512},
      {"avx512vbmi", kAvx512 | kAVX512VBMI},
      {"avx512bf16", kAvx512 | kAVX512BF16},
      {"avx512fp16", kAvx512 | kAVX512FP16},
      // Shim peers: the library picks its ISA at run time (kSSE42: the floor
      // gelubench itself assumes for them).
      {"jit", kSSE42},
      {"dispatch", kSSE42},
  };
  return m;
}

TEST(RegistryConsistency, SuffixFeaturesAndFlagsAgree) {
  for (const KernelInfo& k : all_kernels()) {
    const std::string s = suffix(k.name);
    const auto it = features_by_suffix().find(s);
    ASSERT_NE(it, features_by_suffix().end()) << k.name << ": unknown ISA suffix __" << s;
    const FeatureMask allowed_extra = (s == "scalar" || k.dl) ? FeatureMask{0} : FeatureMask{kF16C};
    EXPECT_EQ(k.features & ~allowed_extra, it->second)
        << k.name << ": features " << k.features << " do not match the __" << s << " flags";
    EXPECT_EQ(k.dl != nullptr, s == "jit" || s == "dispatch") << k.name << ": shim peers and only they are __jit/__dispatch";
  }
}

// cmake/Kernels.cmake's flags per suffix: set(GELUBENCH_ISA_FLAGS_<isa> ...),
// with ${GELUBENCH_ISA_FLAGS_<other>} expanded, as the features they enable.
std::map<std::string, FeatureMask> cmake_features_by_suffix() {
  std::ifstream in(GELUBENCH_SOURCE_DIR "/cmake/Kernels.cmake");
  std::stringstream text;
  text << in.rdbuf();
  const std::map<std::string, FeatureMask> flag_features = {
      {"-mavx2", kAVX | kAVX2}, {"-mfma", kFMA},           {"-mf16c", kF16C},
      {"-mavx512f", kAVX512F},  {"-mavx512bw", kAVX512BW}, {"-mavx512vl", kAVX512VL},
      {"-mavx512dq", kAVX512DQ}, {"-mavx512vbmi", kAVX512VBMI}, {"-mavx512bf16", kAVX512BF16},
      {"-mavx512fp16", kAVX512FP16}};
  std::map<std::string, FeatureMask> out;
  const std::regex set_re(R"(set\(GELUBENCH_ISA_FLAGS_(\w+)\s+([^)]*)\))");
  const std::string s = text.str();
  for (std::sregex_iterator it(s.begin(), s.end(), set_re), end; it != end; ++it) {
    FeatureMask f = 0;
    std::istringstream words((*it)[2].str());
    for (std::string w; words >> w;) {
      if (w.rfind("${GELUBENCH_ISA_FLAGS_", 0) == 0) {
        const std::string other = w.substr(22, w.size() - 23);
        EXPECT_TRUE(out.count(other)) << "cmake/Kernels.cmake: " << w << " used before it is set";
        f |= out[other];
      } else {
        EXPECT_TRUE(flag_features.count(w)) << "cmake/Kernels.cmake: flag " << w << " has no feature here";
        f |= flag_features.count(w) ? flag_features.at(w) : 0;
      }
    }
    out[(*it)[1].str()] = f;
  }
  // The suffixes the foreach over kernel files gives those flags to.
  const std::regex loop_re(R"(foreach\(isa IN ITEMS ([^)]*)\)|foreach\(isa ([^)]*)\))");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(s, m, loop_re)) << "cmake/Kernels.cmake: no foreach(isa ...) over the suffixes";
  std::istringstream isas(m[1].matched ? m[1].str() : m[2].str());
  std::set<std::string> looped;
  for (std::string w; isas >> w;) looped.insert(w);
  for (const auto& [isa, f] : out) EXPECT_TRUE(looped.count(isa)) << isa << ": flags set but no file gets them";
  return out;
}

TEST(RegistryConsistency, SuffixTableMatchesCmakeFlags) {
  const auto cmake = cmake_features_by_suffix();
  for (const auto& [s, f] : features_by_suffix()) {
    if (s == "scalar" || s == "jit" || s == "dispatch") continue;
    ASSERT_TRUE(cmake.count(s)) << "__" << s << ": cmake/Kernels.cmake sets no flags for it";
    // F16C comes with the flags but is not required of a kernel.
    EXPECT_EQ(cmake.at(s) & ~FeatureMask{kF16C}, f)
        << "__" << s << ": cmake/Kernels.cmake's flags enable other features";
  }
  for (const auto& [s, f] : cmake)
    EXPECT_TRUE(features_by_suffix().count(s))
        << "__" << s << ": cmake/Kernels.cmake has flags the registry does not know";
}

// The saturation edge a registry line declares is its table's: the fit
// scripts write kSaturate (tools/fit), the registry repeats it as an edge.
TEST(RegistryConsistency, SaturationEdgesAreTheTables) {
  const std::map<std::string, float> by_prefix = {
      {"f32_erf_poly_2x32__", poly::PolyErf2x32::kSaturate},
      {"f32_erf_poly_3x32__", poly::PolyErf3x32::kSaturate},
      {"f32_erf_poly_4__", poly::PolyErf4x16::kSaturate},
      {"f32_erf_lut_256_linear__", lut::LutErf256Linear::kSaturate},
      {"f32_erf_lut_128_hermite__", lut::LutErf128Hermite::kSaturate},
      {"f32_erf_lut_64_hermite__", lut::LutErf64Hermite::kSaturate},
      {"f32_erf_rational_12_10_", rational::RationalErf::kSaturate},
  };
  int checked = 0;
  for (const KernelInfo& k : all_kernels()) {
    for (const auto& [prefix, edge] : by_prefix) {
      if (k.name.substr(0, prefix.size()) != prefix) continue;
      EXPECT_EQ(k.declared.edges[0], edge) << k.name << ": declared edge is not its table's kSaturate";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 24);  // 9 poly, 9 lut, 6 rational
}

TEST(RegistryConsistency, EveryCompiledKernelHasItsOwnFile) {
  std::set<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(GELUBENCH_SOURCE_DIR "/kernels"))
    if (e.path().extension() == ".cc") files.insert(e.path().stem().string());
  for (const KernelInfo& k : all_kernels()) {
    if (k.dl != nullptr || k.plugin != nullptr) continue;
    EXPECT_TRUE(files.count(std::string(k.name))) << k.name << ": no kernels/**/" << k.name << ".cc";
  }
}

}  // namespace
}  // namespace gelubench
