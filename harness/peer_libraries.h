// Peer libraries reached through run-time loaded shims (kernels/peers/peer_shim.h):
// loading them once per process, resolving each GELU_PEER_DL registry line's
// kernel, and containing their failures.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/cpu_features.h"

namespace gelubench {

using PeerFn = int (*)(size_t n, const float* x, float* y);

// The link from a kernel to outside code: a GELU_PEER_DL registry line's
// shim, libgelubench_peer_<library>.so, or an external program
// (harness/external.h; library == nullptr).
struct PeerSlot {
  PeerSlot(const char* library_, const char* symbol_) : library(library_), symbol(symbol_) {}
  const char* library;
  const char* symbol;  // the kernel's name (exported by the shim)
  std::atomic<PeerFn> fn{nullptr};
  // Shims of libraries with their own threads (peer_shim.h), else nullptr.
  std::atomic<int (*)(int)> set_threads{nullptr};
  std::mutex mu;            // guards error and unavailable
  std::string error;        // the first failed call, "" if none
  std::string unavailable;  // external programs: why it cannot run ("" once it answered)
  std::string command;      // external programs: the command line
  std::atomic<const char*> transport{nullptr};  // external programs: "pipe" or "shared memory", once answered

  bool external() const { return library == nullptr; }  // an external program, not a shim
};

// Loads the slot's shim (once per process: the first call's cap holds for
// the process) and resolves its kernel. Returns "" when the kernel can run,
// else why not (not built, library missing, refused the --isa cap, ...).
std::string load_peer(PeerSlot& slot, IsaCap cap);

// The registry's function for a shim kernel: calls through the slot. A failed
// call (the shim returns nonzero, or the kernel was never loaded) is recorded
// once and leaves NaN in y[0, n), so no result of it can pass for a GELU.
void call_peer(PeerSlot& slot, size_t n, const float* x, float* y);

// Sets the threads the slot's library uses for this thread's later calls
// (shims exporting gelubench_peer_set_threads); "" or why it cannot.
std::string set_peer_threads(PeerSlot& slot, int threads);

// The slot's first failure ("" if none): one line naming the library's error.
std::string peer_failure(PeerSlot& slot);

// Every shim named in the registry, loaded under cap: library name ->
// {"library", "version", "code_path", "shim", ...} as the shim describes
// itself, or {"unavailable": why}. Recorded in `info --json` and every result file.
nlohmann::json peer_libraries_json(IsaCap cap);

}  // namespace gelubench
