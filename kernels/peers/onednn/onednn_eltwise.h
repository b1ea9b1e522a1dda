// Shared driver for the oneDNN peers (f32_erf_onednn__jit, f32_tanh_onednn__jit):
// one f32 eltwise forward_inference primitive over a 1-D tensor of n elements,
// as a oneDNN user would run GELU. oneDNN JIT-generates the code at primitive
// creation and picks the ISA itself (capped by ONEDNN_MAX_CPU_ISA, which the
// harness sets before first use for --isa).
//
// Costs kept out of the timed loop: the engine is created once per process;
// the stream, the primitive and two memory objects are created once per
// (thread, algorithm, n) and cached thread-locally. A call only rebinds the two
// data handles and executes through the C API (no std::unordered_map of
// arguments per call, which the C++ execute() would allocate).
//
// Threading: this oneDNN is built with an OpenMP CPU runtime (Debian:
// DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP, libgomp). oneDNN parallelises
// over omp_get_max_threads() of the calling thread, so each calling thread
// sets its own OpenMP nthreads-var to 1 once (omp_set_num_threads only changes
// the calling thread's ICV; no other thread is affected). The peer therefore
// runs on the caller's thread, like every other kernel. libgomp reads
// OMP_NUM_THREADS when it is loaded (before main), so setting that variable
// from the harness would come too late. A sequential oneDNN needs nothing;
// other runtimes (TBB, threadpool) are rejected by cmake/Peers.cmake.
//
// Thread safety: the engine is shared (oneDNN engines and primitives are
// thread-safe); streams, primitives and memory objects are per thread.
// In place (x == y) is supported by oneDNN eltwise (src and dst may alias).
// Flags relied on: none (no ISA flags; oneDNN's JIT code is generated at run time).
#pragma once

#include <oneapi/dnnl/dnnl.h>

#include <cstddef>
#include <cstdlib>
#include <cstdio>
#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
#include <omp.h>
#elif DNNL_CPU_THREADING_RUNTIME != DNNL_RUNTIME_SEQ
#error "gelubench oneDNN peers support the OMP and SEQ oneDNN CPU runtimes only"
#endif

namespace gelubench::peers {

template <dnnl::algorithm kAlg>
void onednn_eltwise_f32(size_t n, const float* x, float* y) {
  if (n == 0) return;

  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);

  struct Entry {
    size_t n;
    dnnl::primitive prim;
    dnnl::memory src, dst;
  };
  struct PerThread {
    dnnl::stream stream;
    std::vector<Entry> entries;  // few distinct n per thread; linear search
    PerThread() : stream(engine) {
#if DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP
      omp_set_num_threads(1);  // this thread's ICV only
#endif
    }
  };
  thread_local PerThread t;

  Entry* e = nullptr;
  for (auto& c : t.entries)
    if (c.n == n) e = &c;
  if (e == nullptr) {
    if (t.entries.size() >= 8) t.entries.erase(t.entries.begin());
    const dnnl::memory::desc md({static_cast<dnnl::memory::dim>(n)}, dnnl::memory::data_type::f32,
                                dnnl::memory::format_tag::a);
    const dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, kAlg, md, 0.f, 0.f);
    const dnnl::eltwise_forward::primitive_desc pd(d, engine);
    t.entries.push_back(Entry{n, dnnl::eltwise_forward(pd),
                              dnnl::memory(md, engine, DNNL_MEMORY_NONE),
                              dnnl::memory(md, engine, DNNL_MEMORY_NONE)});
    e = &t.entries.back();
  }

  dnnl_status_t st = dnnl_memory_set_data_handle(e->src.get(), const_cast<float*>(x));
  if (st == dnnl_success) st = dnnl_memory_set_data_handle(e->dst.get(), y);
  const dnnl_exec_arg_t args[2] = {{DNNL_ARG_SRC, e->src.get()}, {DNNL_ARG_DST, e->dst.get()}};
  if (st == dnnl_success) st = dnnl_primitive_execute(e->prim.get(), t.stream.get(), 2, args);
  if (st == dnnl_success) st = dnnl_stream_wait(t.stream.get());
  if (st != dnnl_success) {
    std::fprintf(stderr, "gelubench: oneDNN eltwise failed (status %d)\n", static_cast<int>(st));
    std::abort();
  }
}

}  // namespace gelubench::peers
