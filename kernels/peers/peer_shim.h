// The C interface between the harness and a peer shim: a small shared object,
// built against one peer library and loaded at run time with
// dlopen(RTLD_NOW | RTLD_LOCAL) (harness/peer_libraries.cc).
//
// Why a shim and not a link: the library lives in the project's .venv (from
// PyPI) or may be missing, so `gelubench list` must still start and say why a
// peer cannot run; and two oneDNN major versions export the same C symbols,
// which only stay apart when neither sits in the process's global scope.
//
// A shim exports, with C linkage:
//   const char* gelubench_peer_open(int isa_cap);
//       Once, before anything else. isa_cap: 0 scalar, 1 avx2, 2 avx512 (the
//       harness's --isa); the shim caps the library's own dispatch to it, or
//       refuses. Returns nullptr on success, else why the peer cannot run.
//   const char* gelubench_peer_describe(void);
//       After open: a JSON object {"library", "version", "code_path", ...}
//       recorded in every result file. code_path is what the library reports
//       it dispatched to, or says how it was found.
//   const char* gelubench_peer_error(void);
//       The calling thread's last kernel error (a kernel returned nonzero).
//   int gelubench_peer_set_threads(int threads);            (optional)
//       Libraries with their own thread pool: the number of threads the
//       library uses for the calling thread's later calls (1, the default:
//       the caller's thread alone). `throughput --threads` then measures
//       such a peer at T threads through its own API: one call on the whole
//       array. Returns 0, or nonzero when it cannot (nothing changed).
//   int <kernel name>(size_t n, const float* x, float* y);
//       One per registry line GELU_PEER_DL(<kernel name>, f32, ...): the
//       kernel.h contract (any n, any alignment, in place allowed), returning
//       0 on success. On failure y is unspecified and the harness marks the
//       peer failed.
#pragma once

#include <cstddef>

#define GELUBENCH_PEER_EXPORT extern "C" __attribute__((visibility("default")))

namespace gelubench::peer_shim {

enum IsaCap : int { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// A thread's last error message, kept by the shim for gelubench_peer_error().
inline thread_local char last_error[512] = "";

}  // namespace gelubench::peer_shim
