#include "harness/peer_libraries.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "build_info.h"
#include "harness/registry.h"

namespace gelubench {
namespace {

struct Library {
  std::string unavailable;  // "" once loaded and opened
  void* handle = nullptr;
  const char* (*error)() = nullptr;
  nlohmann::json description;
};

std::mutex g_mu;
std::map<std::string, Library, std::less<>> g_libraries;
std::optional<IsaCap> g_cap;

std::string shim_dir() {
  const char* env = std::getenv("GELUBENCH_PEER_DIR");
  return env && *env ? env : GELUBENCH_PEER_DIR;
}

// Why cmake built no shim for `name` ("" if it did).
std::string not_built(std::string_view name) {
  std::string_view all = GELUBENCH_PEER_SHIMS_NOT_BUILT;
  while (!all.empty()) {
    const size_t bar = all.find('|');
    std::string_view item = all.substr(0, bar);
    if (item.substr(0, item.find('=')) == name) return std::string(item.substr(item.find('=') + 1));
    all = bar == std::string_view::npos ? std::string_view{} : all.substr(bar + 1);
  }
  return "";
}

template <class F>
F symbol(void* handle, const char* name) {
  return reinterpret_cast<F>(dlsym(handle, name));
}

Library& library(const std::string& name, IsaCap cap) {
  if (auto it = g_libraries.find(name); it != g_libraries.end()) return it->second;
  Library& lib = g_libraries[name];
  if (std::string why = not_built(name); !why.empty()) {
    lib.unavailable = "shim not built: " + why;
    return lib;
  }
  if (g_cap && *g_cap != cap) {
    lib.unavailable = fmt::format("peer libraries were loaded under --isa {} in this process", isa_name(*g_cap));
    return lib;
  }
  g_cap = cap;
  const std::string path = fmt::format("{}/libgelubench_peer_{}.so", shim_dir(), name);
  if (access(path.c_str(), R_OK) != 0) {
    lib.unavailable = fmt::format("no shim at {} (cmake --build the release preset)", path);
    return lib;
  }
  lib.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib.handle == nullptr) {
    const char* e = dlerror();
    lib.unavailable = fmt::format("cannot load: {}", e ? e : "dlopen failed");
    return lib;
  }
  auto open = symbol<const char* (*)(int)>(lib.handle, "gelubench_peer_open");
  auto describe = symbol<const char* (*)()>(lib.handle, "gelubench_peer_describe");
  lib.error = symbol<const char* (*)()>(lib.handle, "gelubench_peer_error");
  if (!open || !describe || !lib.error) {
    lib.unavailable = fmt::format("{} lacks the gelubench_peer_open/describe/error entry points", path);
    return lib;
  }
  if (const char* why = open(static_cast<int>(cap))) {
    lib.unavailable = why;
    return lib;
  }
  const char* text = describe();
  lib.description = nlohmann::json::parse(text ? text : "", nullptr, /*allow_exceptions=*/false);
  if (!lib.description.is_object()) {
    lib.unavailable = fmt::format("{} described itself with no JSON object", path);
    return lib;
  }
  lib.description["shim"] = path;
  return lib;
}

}  // namespace

std::string load_peer(PeerSlot& slot, IsaCap cap) {
  if (slot.external()) {  // started when it was added
    std::lock_guard lock(slot.mu);
    return slot.fn.load() ? "" : slot.unavailable;
  }
  std::lock_guard lock(g_mu);
  Library& lib = library(slot.library, cap);
  if (!lib.unavailable.empty()) return lib.unavailable;
  if (slot.fn.load() == nullptr) {
    auto fn = symbol<PeerFn>(lib.handle, slot.symbol);
    if (fn == nullptr) return fmt::format("the {} shim does not export {}", slot.library, slot.symbol);
    slot.set_threads.store(symbol<int (*)(int)>(lib.handle, "gelubench_peer_set_threads"));
    slot.fn.store(fn);
  }
  return "";
}

void call_peer(PeerSlot& slot, size_t n, const float* x, float* y) {
  const PeerFn fn = slot.fn.load(std::memory_order_relaxed);
  if (fn != nullptr && fn(n, x, y) == 0) return;
  {
    std::lock_guard lock(slot.mu);
    if (slot.error.empty()) {
      // An external program records its own failure before returning nonzero;
      // here it can only have been called before it answered.
      std::string why = slot.external() ? "called before it answered" : "called before its shim was loaded";
      if (fn != nullptr && !slot.external()) {
        std::lock_guard libs(g_mu);
        const char* e = g_libraries[slot.library].error();
        why = e && *e ? e : "the shim returned an error";
      }
      slot.error = fmt::format("peer {} ({}) failed: {}", slot.symbol, slot.external() ? "external" : slot.library, why);
    }
  }
  std::fill(y, y + n, std::numeric_limits<float>::quiet_NaN());
}

std::string set_peer_threads(PeerSlot& slot, int threads) {
  auto set = slot.set_threads.load();
  if (set == nullptr) return fmt::format("{} has no threads of its own", slot.library ? slot.library : "this kernel");
  if (set(threads) == 0) return "";
  std::lock_guard libs(g_mu);
  const char* e = g_libraries[slot.library].error();
  return fmt::format("{} cannot use {} threads: {}", slot.library, threads, e && *e ? e : "refused");
}

std::string peer_failure(PeerSlot& slot) {
  std::lock_guard lock(slot.mu);
  return slot.error;
}

nlohmann::json peer_libraries_json(IsaCap cap) {
  nlohmann::json out = nlohmann::json::object();
  for (const KernelInfo& k : all_kernels()) {
    if (k.dl == nullptr || k.dl->external() || out.contains(k.dl->library)) continue;
    load_peer(*k.dl, cap);
    std::lock_guard lock(g_mu);
    const Library& lib = g_libraries[k.dl->library];
    out[k.dl->library] = lib.unavailable.empty() ? lib.description : nlohmann::json{{"unavailable", lib.unavailable}};
  }
  return out;
}

}  // namespace gelubench
