#include "harness/registry.h"

#include <deque>
#include <regex>

#include "harness/peer_libraries.h"

namespace gelubench {

// Each dtype's function signature and KernelInfo function slots.
#define GELU_DECLARE_f32(name) void name(size_t n, const float* x, float* y);
#define GELU_DECLARE_f16(name) void name(size_t n, const uint16_t* x, uint16_t* y, const U16State* s);
#define GELU_DECLARE_bf16(name) GELU_DECLARE_f16(name)
#define GELU_DECLARE_qs8(name) void name(size_t n, const int8_t* x, int8_t* y, const QS8State* s);
#define GELU_FUNCTIONS_f32(name) &name, nullptr, nullptr
#define GELU_FUNCTIONS_f16(name) nullptr, &name, nullptr
#define GELU_FUNCTIONS_bf16(name) nullptr, &name, nullptr
#define GELU_FUNCTIONS_qs8(name) nullptr, nullptr, &name

// Declarations of every kernel function listed in kernels/registry.inc.
#define GELU_KERNEL(name, dtype, formula, features, ulp_f, ulp_e, abs_e, ...) GELU_DECLARE_##dtype(name)
#define GELU_PEER(name, dtype, formula, features) GELU_DECLARE_##dtype(name)
#define GELU_PEER_DL(name, dtype, formula, features, shim)
#include "kernels/registry.inc"
#undef GELU_KERNEL
#undef GELU_PEER
#undef GELU_PEER_DL

// Shim peers: a slot each, and a function that calls through it.
namespace peer_slots {
#define GELU_KERNEL(...)
#define GELU_PEER(...)
#define GELU_PEER_DL(name, dtype, formula, features, shim) PeerSlot name{#shim, #name};
#include "kernels/registry.inc"
#undef GELU_PEER_DL
}  // namespace peer_slots
#define GELU_PEER_DL(name, dtype, formula, features, shim) \
  void name(size_t n, const float* x, float* y) { call_peer(peer_slots::name, n, x, y); }
#include "kernels/registry.inc"
#undef GELU_KERNEL
#undef GELU_PEER
#undef GELU_PEER_DL

namespace {

const KernelInfo kKernels[] = {
#define GELU_KERNEL(name, dtype, formula, features, ulp_f, ulp_e, abs_e, ...)                                \
  {#name, DType::dtype, Formula::formula, features, Budget{ulp_f, ulp_e, abs_e}, false, Declarations{__VA_ARGS__}, \
   GELU_FUNCTIONS_##dtype(name), nullptr, nullptr},
#define GELU_PEER(name, dtype, formula, features)                                                           \
  {#name, DType::dtype, Formula::formula, features, Budget{}, true, Declarations{}, GELU_FUNCTIONS_##dtype(name), \
   nullptr, nullptr},
#define GELU_PEER_DL(name, dtype, formula, features, shim)                                                  \
  {#name, DType::dtype, Formula::formula, features, Budget{}, true, Declarations{}, GELU_FUNCTIONS_##dtype(name), \
   &peer_slots::name, nullptr},
#include "kernels/registry.inc"
#undef GELU_KERNEL
#undef GELU_PEER
#undef GELU_PEER_DL
};

// The registry's lines, then the kernels added at run time (plugins). A deque:
// adding one keeps every KernelInfo* handed out valid.
std::deque<KernelInfo>& kernels() {
  static std::deque<KernelInfo> all(std::begin(kKernels), std::end(kKernels));
  return all;
}

}  // namespace

const std::deque<KernelInfo>& all_kernels() { return kernels(); }

const KernelInfo& add_kernel(const KernelInfo& k) { return kernels().emplace_back(k); }

const KernelInfo* find_kernel(std::string_view name) {
  for (const auto& k : kernels())
    if (k.name == name) return &k;
  return nullptr;
}

std::string why_not_runnable(const KernelInfo& k, IsaCap cap) {
  std::string why = why_not_runnable(k.features, cap, cpu_info());
  if (why.empty() && k.dl != nullptr) why = load_peer(*k.dl, cap);
  return why;
}

std::optional<Formula> parse_formula(std::string_view s) {
  for (Formula f : {Formula::erf, Formula::tanh, Formula::sigmoid})
    if (formula_name(f) == s) return f;
  return std::nullopt;
}

std::optional<std::pair<DType, Formula>> float_name_kind(std::string_view name) {
  static const std::regex kName("(f32|f16|bf16)_(erf|tanh|sigmoid)_[a-z0-9]+(_[a-z0-9_]+)?__[a-z0-9]+");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(name.begin(), name.end(), m, kName)) return std::nullopt;
  const std::string_view dtype(&*m[1].first, static_cast<size_t>(m[1].length()));
  const auto formula = parse_formula(std::string_view(&*m[2].first, static_cast<size_t>(m[2].length())));
  if (!formula) return std::nullopt;
  return std::pair{dtype == "f32" ? DType::f32 : dtype == "f16" ? DType::f16 : DType::bf16, *formula};
}

std::optional<Formula> f32_name_formula(std::string_view name) {
  const auto kind = float_name_kind(name);
  if (!kind || kind->first != DType::f32) return std::nullopt;
  return kind->second;
}

std::string name_method(std::string_view name) {
  static const std::regex kName("[a-z0-9]+_[a-z0-9]+_([a-z0-9]+)(_[a-z0-9_]+?)?__[a-z0-9_]+", std::regex::icase);
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(name.begin(), name.end(), m, kName)) return {};
  return m[1].str();
}

std::string_view dtype_name(DType d) {
  switch (d) {
    case DType::f32: return "f32";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
    case DType::qs8: return "qs8";
  }
  return "?";
}

std::string_view formula_name(Formula f) {
  switch (f) {
    case Formula::erf: return "erf";
    case Formula::tanh: return "tanh";
    case Formula::sigmoid: return "sigmoid";
  }
  return "?";
}

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with single-star backtracking: linear in practice.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi, ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++, mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1, ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

Selection select_kernels(const std::vector<std::string>& patterns) {
  Selection sel;
  for (const auto& p : patterns) {
    bool any = false;
    for (const auto& k : kernels()) any = any || glob_match(p, k.name);
    if (!any) sel.unmatched_patterns.push_back(p);
  }
  for (const auto& k : kernels()) {
    bool match = patterns.empty();
    for (const auto& p : patterns) match = match || glob_match(p, k.name);
    if (match) sel.kernels.push_back(&k);
  }
  return sel;
}

}  // namespace gelubench
