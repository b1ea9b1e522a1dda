#include "harness/plugins.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <deque>
#include <vector>

#include "harness/registry.h"
#include "kernels/plugin.h"

namespace gelubench {
namespace {

// The registry's feature bits and the plugin header's are one set of values.
static_assert(GELUBENCH_FEATURE_SSE42 == kSSE42 && GELUBENCH_FEATURE_AVX2 == kAVX2 &&
              GELUBENCH_FEATURE_AVX512F == kAVX512F && GELUBENCH_FEATURE_AVX512FP16 == kAVX512FP16);
constexpr uint32_t kKnownFeatures = (GELUBENCH_FEATURE_AVX512FP16 << 1) - 1;

std::deque<std::string> g_strings;  // plugin paths and kernel names, alive as long as the registry

// What is wrong with entry k of the plugin ("" if nothing), given the names
// taken so far.
std::string check_entry(const gelubench_plugin_kernel& k, const std::vector<std::string>& taken) {
  const std::string name = k.name ? k.name : "";
  const auto named = f32_name_formula(name);
  if (!named)
    return fmt::format("kernel name '{}' is not f32_<formula>_<method>[_<detail>]__<isa> in [a-z0-9_]", name);
  const auto formula = parse_formula(k.formula ? k.formula : "");
  if (!formula) return fmt::format("{}: formula '{}' is not erf, tanh or sigmoid", name, k.formula ? k.formula : "");
  if (*formula != *named)
    return fmt::format("{}: the name says {} but the entry says {}", name, formula_name(*named), k.formula);
  if (k.f32 == nullptr) return fmt::format("{}: no function", name);
  if (k.features & ~kKnownFeatures) return fmt::format("{}: unknown feature bits {:#x}", name, k.features & ~kKnownFeatures);
  for (double b : {k.max_ulp_vs_formula, k.max_ulp_vs_exact, k.max_abs_vs_exact})
    if (std::isnan(b) || b < 0) return fmt::format("{}: a budget is negative or NaN (INFINITY = no claim)", name);
  for (const auto& t : taken)
    if (t == name) return fmt::format("duplicate kernel name {}", name);
  if (FeatureMask lacking = k.features & ~cpu_info().features)
    return fmt::format("{} needs {}, which this CPU lacks", name, feature_list(lacking));
  return "";
}

}  // namespace

std::string load_plugin(const std::string& path) {
  auto fail = [&](const std::string& why) { return fmt::format("plugin {}: {}", path, why); };
  if (access(path.c_str(), R_OK) != 0) return fail("no such readable file");
  // A relative name without a slash would make dlopen search the library path.
  const std::string open_path = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = dlopen(open_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* e = dlerror();
    return fail(fmt::format("cannot load: {}", e ? e : "dlopen failed"));
  }
  auto entry = reinterpret_cast<const gelubench_plugin* (*)()>(dlsym(handle, "gelubench_plugin_v1"));
  if (entry == nullptr) return fail("exports no gelubench_plugin_v1 (see kernels/plugin.h)");
  const gelubench_plugin* p = entry();
  if (p == nullptr) return fail("gelubench_plugin_v1 returned no table");
  if (p->abi_version != GELUBENCH_PLUGIN_ABI_VERSION)
    return fail(fmt::format("ABI version {}, but this gelubench reads version {}", p->abi_version,
                            GELUBENCH_PLUGIN_ABI_VERSION));
  if (p->count == 0 || p->kernels == nullptr) return fail("its table declares no kernels");

  std::vector<std::string> taken;
  for (const auto& k : all_kernels()) taken.emplace_back(k.name);
  for (uint32_t i = 0; i < p->count; ++i) {
    if (std::string why = check_entry(p->kernels[i], taken); !why.empty()) return fail(why);
    taken.emplace_back(p->kernels[i].name);
  }
  const char* plugin = g_strings.emplace_back(path).c_str();
  for (uint32_t i = 0; i < p->count; ++i) {
    const gelubench_plugin_kernel& k = p->kernels[i];
    const Budget budget{k.max_ulp_vs_formula, k.max_ulp_vs_exact, k.max_abs_vs_exact};
    add_kernel({g_strings.emplace_back(k.name), DType::f32, *parse_formula(k.formula), k.features, budget, false,
                Declarations{}, k.f32, nullptr, nullptr, nullptr, plugin});
  }
  return "";
}

}  // namespace gelubench
