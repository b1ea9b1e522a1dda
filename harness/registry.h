// The kernel registry, built from kernels/registry.inc.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/cpu_features.h"
#include "kernels/kernel.h"

namespace gelubench {

struct PeerSlot;  // harness/peer_libraries.h

struct KernelInfo {
  std::string_view name;
  DType dtype;
  Formula formula;
  FeatureMask features;
  Budget budget;
  bool peer;  // another library's kernel: measured, no budget claimed
  Declarations declared;  // the optional tail of its registry line
  // Exactly one is set, by dtype: f32; f16 and bf16 (u16); qs8.
  F32Kernel f32;
  U16Kernel u16;
  QS8Kernel qs8;
  // Shim peers (GELU_PEER_DL) only: the link to the run-time loaded library.
  PeerSlot* dl;
  // Kernels from a plugin (--plugin, kernels/plugin.h) only: its path.
  const char* plugin;
};

// The registry's kernels in kernels/registry.inc order, then any added at
// run time (plugins), in the order they were added.
const std::deque<KernelInfo>& all_kernels();

// Appends a kernel (harness/plugins.cc checks it first); pointers to
// kernels already handed out stay valid.
const KernelInfo& add_kernel(const KernelInfo& k);
const KernelInfo* find_kernel(std::string_view name);

// Why kernel k cannot run under cap on this CPU ("" when it can): a CPU
// feature it needs, or, for a shim peer, why its library cannot be loaded.
// Loads a shim peer's library on first use.
std::string why_not_runnable(const KernelInfo& k, IsaCap cap);

// The dtype and formula named by a kernel name that follows the naming rule,
// <f32|f16|bf16>_<erf|tanh|sigmoid>_<method>[_<detail>]__<isa> in
// [a-z0-9_]; nullopt for a name that does not (external kernels are checked
// by it). f32_name_formula: the same for f32 names only (plugins).
std::optional<std::pair<DType, Formula>> float_name_kind(std::string_view name);
std::optional<Formula> f32_name_formula(std::string_view name);
// The <method> field of a name that follows the naming rule (any dtype,
// qs8 included); "" for a name that does not (e.g. "copy").
std::string name_method(std::string_view name);
// "erf", "tanh" or "sigmoid" -> the Formula; nullopt otherwise.
std::optional<Formula> parse_formula(std::string_view s);

std::string_view dtype_name(DType d);
std::string_view formula_name(Formula f);

// Shell-style glob: '*' any run, '?' one character.
bool glob_match(std::string_view pattern, std::string_view text);

// Kernels matching any pattern (all kernels when `patterns` is empty), in
// registry order. A pattern matching nothing is an error the caller reports.
struct Selection {
  std::vector<const KernelInfo*> kernels;
  std::vector<std::string> unmatched_patterns;
};
Selection select_kernels(const std::vector<std::string>& patterns);

}  // namespace gelubench
