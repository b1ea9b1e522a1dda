// The ISA is stated in three places that must agree: the name's __<isa>
// suffix, the registry line's CPU features, and the flags cmake/Kernels.cmake
// compiles the kernel's file with (chosen by the same suffix). A kernel that
// declared fewer features than its file is compiled for would be offered on
// a CPU that cannot run it; one that declared more would be skipped where it
// could run. Each compiled kernel also has its own file, <name>.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "harness/cpu_features.h"
#include "harness/registry.h"

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
