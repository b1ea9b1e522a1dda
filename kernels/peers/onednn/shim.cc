// Peer shim: oneDNN eltwise_gelu_erf and eltwise_gelu_tanh, f32,
// forward_inference on a 1-D tensor of n elements, as a oneDNN user (PyTorch's
// exact GELU on contiguous float32, for one) runs GELU. Built once per oneDNN
// major version found (cmake/Peers.cmake): Debian's 2.x exports
// f32_{erf,tanh}_onednn2__jit, the PyPI 3.x wheel f32_{erf,tanh}_onednn3__jit.
// The two versions export the same C symbols; each shim is dlopen'ed
// RTLD_LOCAL, so neither library enters the global scope and each shim
// binds to its own.
//
// oneDNN computes 0.5*x*(1 + erf(x/sqrt 2)) with its own JIT erf (2.x and the
// 3.x paths below AVX-512: Abramowitz-Stegun 7.1.26 with exp(-x^2); 3.x on
// AVX-512: piecewise degree-5 minimax polynomials fetched with vpermt2ps),
// and the tanh form with its own JIT tanh. Comparators: nothing is fixed here.
//
// Only the C API, which reaches both major versions. Costs kept out of the
// timed loop: the engine is created once per process; a stream, a primitive
// and two memory objects once per (thread, algorithm, n), cached per thread.
// A call rebinds the two data handles and executes.
//
// Threading: oneDNN with an OpenMP runtime parallelises over the calling
// thread's omp_get_max_threads(), so each calling thread sets its own
// nthreads-var to 1 once; the peer runs on the caller's thread like every
// other kernel. gelubench_peer_set_threads(T) sets it to T (throughput
// --threads: oneDNN's own OpenMP threads on the whole array). --isa: dnnl_set_max_cpu_isa() before the first primitive.
// The code path recorded is oneDNN's implementation name for each primitive
// (e.g. "jit:avx512_core").
#include <oneapi/dnnl/dnnl.h>

#include <cstdio>
#include <string>
#include <vector>

#include "kernels/peers/peer_shim.h"

#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
#include <omp.h>
#elif DNNL_CPU_THREADING_RUNTIME != DNNL_RUNTIME_SEQ
#error "the gelubench oneDNN shim supports the OMP and SEQ oneDNN CPU runtimes only"
#endif

#define GELUBENCH_PASTE3(a, b, c) a##b##c
#define GELUBENCH_ONEDNN_NAME(formula, major) GELUBENCH_PASTE3(f32_##formula##_onednn, major, __jit)

namespace {

using gelubench::peer_shim::last_error;

dnnl_engine_t engine = nullptr;

bool failed(dnnl_status_t st, const char* what) {
  if (st == dnnl_success) return false;
  std::snprintf(last_error, sizeof last_error, "oneDNN %s failed (status %d)", what, static_cast<int>(st));
  return true;
}

// A primitive descriptor for alg over n f32 elements, and its memory
// descriptor; nullptr (and last_error) on failure.
dnnl_primitive_desc_t make_pd(dnnl_alg_kind_t alg, size_t n, dnnl_memory_desc_t* md_out) {
  const dnnl_dims_t dims = {static_cast<dnnl_dim_t>(n)};
  dnnl_primitive_desc_t pd = nullptr;
#if DNNL_VERSION_MAJOR >= 3
  dnnl_memory_desc_t md = nullptr;
  if (failed(dnnl_memory_desc_create_with_tag(&md, 1, dims, dnnl_f32, dnnl_a), "memory_desc_create")) return nullptr;
  if (failed(dnnl_eltwise_forward_primitive_desc_create(&pd, engine, dnnl_forward_inference, alg, md, md, 0.f, 0.f,
                                                        nullptr),
             "eltwise_forward_primitive_desc_create")) {
    dnnl_memory_desc_destroy(md);
    return nullptr;
  }
#else
  dnnl_memory_desc_t md;
  dnnl_eltwise_desc_t ed;
  if (failed(dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a), "memory_desc_init")) return nullptr;
  if (failed(dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, alg, &md, 0.f, 0.f), "eltwise_desc_init"))
    return nullptr;
  if (failed(dnnl_primitive_desc_create(&pd, &ed, nullptr, engine, nullptr), "primitive_desc_create")) return nullptr;
#endif
  *md_out = md;
  return pd;
}

void destroy_md([[maybe_unused]] dnnl_memory_desc_t& md) {
#if DNNL_VERSION_MAJOR >= 3
  dnnl_memory_desc_destroy(md);
#endif
}

dnnl_status_t memory_create(dnnl_memory_t* m, const dnnl_memory_desc_t& md) {
#if DNNL_VERSION_MAJOR >= 3
  return dnnl_memory_create(m, md, engine, DNNL_MEMORY_NONE);
#else
  return dnnl_memory_create(m, &md, engine, DNNL_MEMORY_NONE);
#endif
}

struct Entry {
  dnnl_alg_kind_t alg;
  size_t n;
  dnnl_primitive_t prim = nullptr;
  dnnl_memory_t src = nullptr, dst = nullptr;
};

void destroy(Entry& e) {
  if (e.src) dnnl_memory_destroy(e.src);
  if (e.dst) dnnl_memory_destroy(e.dst);
  if (e.prim) dnnl_primitive_destroy(e.prim);
}

struct PerThread {
  dnnl_stream_t stream = nullptr;
  std::vector<Entry> entries;  // few distinct (alg, n) per thread; linear search
  PerThread() = default;
  PerThread(const PerThread&) = delete;
  PerThread& operator=(const PerThread&) = delete;
  ~PerThread() {  // at thread exit, before the engine goes
    for (Entry& e : entries) destroy(e);
    if (stream) dnnl_stream_destroy(stream);
  }
};

// Destroys the engine at exit, after every thread's PerThread.
struct EngineOwner {
  ~EngineOwner() {
    if (engine) dnnl_engine_destroy(engine);
  }
} engine_owner;

Entry* entry(PerThread& t, dnnl_alg_kind_t alg, size_t n) {
  for (auto& e : t.entries)
    if (e.alg == alg && e.n == n) return &e;
  if (t.entries.size() >= 8) {  // the harness uses few sizes; drop the oldest
    destroy(t.entries.front());
    t.entries.erase(t.entries.begin());
  }
  Entry e{alg, n};
  dnnl_memory_desc_t md;
  dnnl_primitive_desc_t pd = make_pd(alg, n, &md);
  if (pd == nullptr) return nullptr;
  const bool ok = !failed(dnnl_primitive_create(&e.prim, pd), "primitive_create") &&
                  !failed(memory_create(&e.src, md), "memory_create") &&
                  !failed(memory_create(&e.dst, md), "memory_create");
  dnnl_primitive_desc_destroy(pd);
  destroy_md(md);
  if (!ok) {
    destroy(e);
    return nullptr;
  }
  t.entries.push_back(e);
  return &t.entries.back();
}

// The calling thread's requested OpenMP thread count (gelubench_peer_set_threads).
thread_local int requested_threads = 1;

int gelu(dnnl_alg_kind_t alg, size_t n, const float* x, float* y) {
  if (n == 0) return 0;
  thread_local PerThread t;
  if (t.stream == nullptr) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
    omp_set_num_threads(requested_threads);  // this thread's ICV only
#endif
    if (failed(dnnl_stream_create(&t.stream, engine, dnnl_stream_default_flags), "stream_create")) return 1;
  }
  Entry* e = entry(t, alg, n);
  if (e == nullptr) return 1;
  const dnnl_exec_arg_t args[2] = {{DNNL_ARG_SRC, e->src}, {DNNL_ARG_DST, e->dst}};
  if (failed(dnnl_memory_set_data_handle(e->src, const_cast<float*>(x)), "memory_set_data_handle") ||
      failed(dnnl_memory_set_data_handle(e->dst, y), "memory_set_data_handle") ||
      failed(dnnl_primitive_execute(e->prim, t.stream, 2, args), "primitive_execute") ||
      failed(dnnl_stream_wait(t.stream), "stream_wait"))
    return 1;
  return 0;
}

// oneDNN's implementation name for alg (e.g. "jit:avx512_core").
std::string impl_name(dnnl_alg_kind_t alg) {
  dnnl_memory_desc_t md;
  dnnl_primitive_desc_t pd = make_pd(alg, 1024, &md);
  if (pd == nullptr) return "unknown";
  const char* impl = nullptr;
  std::string out =
      dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl ? impl : "unknown";
  dnnl_primitive_desc_destroy(pd);
  destroy_md(md);
  return out;
}

}  // namespace

GELUBENCH_PEER_EXPORT const char* gelubench_peer_open(int isa_cap) {
  if (isa_cap != gelubench::peer_shim::kAvx512) {
    const dnnl_cpu_isa_t isa = isa_cap == gelubench::peer_shim::kScalar ? dnnl_cpu_isa_sse41 : dnnl_cpu_isa_avx2;
    if (dnnl_set_max_cpu_isa(isa) != dnnl_success) return "dnnl_set_max_cpu_isa refused the --isa cap";
  }
  if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) return "dnnl_engine_create(cpu) failed";
  return nullptr;
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_describe() {
  static const std::string text = [] {
    const dnnl_version_t* v = dnnl_version();
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"library\": \"oneDNN\", \"version\": \"%d.%d.%d\", \"git_hash\": \"%s\", "
                  "\"code_path\": \"gelu_erf %s; gelu_tanh %s\", \"threading\": \"%s\"}",
                  v->major, v->minor, v->patch, v->hash, impl_name(dnnl_eltwise_gelu_erf).c_str(),
                  impl_name(dnnl_eltwise_gelu_tanh).c_str(),
                  DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP ? "OpenMP, 1 thread per caller" : "sequential");
    return std::string(buf);
  }();
  return text.c_str();
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_error() { return last_error; }

GELUBENCH_PEER_EXPORT int gelubench_peer_set_threads(int threads) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
  if (threads < 1) return 1;
  requested_threads = threads;
  omp_set_num_threads(threads);  // this thread's ICV only
  return 0;
#else
  (void)threads;
  std::snprintf(last_error, sizeof last_error, "oneDNN built sequential: no threads of its own");
  return 1;
#endif
}

GELUBENCH_PEER_EXPORT int GELUBENCH_ONEDNN_NAME(erf, DNNL_VERSION_MAJOR)(size_t n, const float* x, float* y) {
  return gelu(dnnl_eltwise_gelu_erf, n, x, y);
}

GELUBENCH_PEER_EXPORT int GELUBENCH_ONEDNN_NAME(tanh, DNNL_VERSION_MAJOR)(size_t n, const float* x, float* y) {
  return gelu(dnnl_eltwise_gelu_tanh, n, x, y);
}
