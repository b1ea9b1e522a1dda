// Peer shim: Intel oneMKL Vector Mathematics (VM), single precision, three
// ways a user writes GELU with it, each in the three VM accuracy modes:
//   f32_erf_mkl_cdfnorm_<mode>__dispatch  y = x * vsCdfNorm(x)
//   f32_erf_mkl_erf_<mode>__dispatch      y = 0.5 * x * (1 + vsErf(x * (1/sqrt 2)))
//   f32_erf_mkl_erfc_<mode>__dispatch     y = 0.5 * x * vsErfc(-x * (1/sqrt 2))
// with <mode> ha (VML_HA), la (VML_LA) or ep (VML_EP), through the public
// vms* API (the mode passed per call) with VML_ERRMODE_IGNORE (no errno or
// callback on underflow: with error handling on, CdfNorm runs ~150x slower on
// negative inputs) and VML_FTZDAZ_OFF (subnormals kept, as GELU needs).
//
// One thread (the default): the VM call runs over blocks of kBlock elements
// into an 8 KiB per-thread buffer that stays in L1, and the GELU glue
// (x * (1/sqrt 2), the product) is plain C++ in this file (-O3, no ISA flags,
// no FMA contraction); the product of the CdfNorm form is vsMul, MKL's own.
// In place works: each block reads x before it writes y.
//
// Threading: MKL's GNU OpenMP layer (libmkl_gnu_thread, on the system's
// libgomp, which oneDNN's shims use too), set before any other MKL call, with
// MKL's thread count 1 (mkl_set_num_threads), so every calling thread runs
// MKL on itself alone, as the sequential layer did. For throughput --threads,
// gelubench_peer_set_threads(T) gives the calling thread T threads
// (mkl_set_num_threads_local, refused unless mkl_get_max_threads then says
// T). A call at T > 1 hands MKL the whole array, each VM function once: MKL
// only starts its threads on long vectors (MKL_DYNAMIC, on unless the
// environment says otherwise: at 2 threads on a Sapphire Rapids-class Xeon,
// from about 27 K elements for CdfNorm, Erf and Erfc HA, 32 K for most of LA
// and EP, 147 K for Erf EP and 423 K for Mul, found by counting MKL's
// GOMP_parallel calls), so 2048-element blocks would never run on more than
// the caller's thread. The glue loops of the erf and erfc forms then run on
// the same T OpenMP threads from 32 K elements (through libgomp's
// GOMP_parallel, what `#pragma omp parallel for` compiles to), as an OpenMP
// user of MKL writes them. Per element, every path computes the same bits.
//
// Where the GNU layer cannot run (no libgomp, no libmkl_gnu_thread), the shim
// asks for the sequential layer instead, says why in its description, and
// gelubench_peer_set_threads refuses with that reason. It checks before
// asking: MKL itself would accept the GNU layer and then end the process,
// with "Cannot load libmkl_gnu_thread.so.3" (exit 2) or an undefined
// omp_get_num_procs (a libgomp.so.1 lacking it: exit 127). With no libgomp
// at all, MKL would load LLVM's libiomp5 (its GNU-compatible entry points)
// in its place, if it finds one; this shim wants libgomp, and records the
// OpenMP runtime and the layer MKL reports.
//
// --isa: mkl_enable_instructions() caps MKL's dispatch (scalar -> SSE4.2,
// avx2 -> AVX2); where MKL refuses (it does on AMD, where it runs its generic
// path anyway) the peer runs if the VM library MKL loads is within the cap. The code path recorded is MKL's own processor string and the
// VM library MKL loaded for the call (e.g. libmkl_vml_avx512.so.3), read from
// the process's list of loaded objects after a warm-up call.
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <mkl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>

#include "kernels/peers/peer_shim.h"

namespace {

using gelubench::peer_shim::last_error;

constexpr MKL_INT kBlock = 2048;
constexpr size_t kMaxCall = size_t{1} << 30;  // elements per VM call at T > 1 (MKL_INT is 32-bit)
constexpr size_t kGlueThreadsFrom = 32768;    // elements: about where MKL starts its own (see the top)
constexpr float kSqrtHalf = 0.70710678118654752440f;  // 1/sqrt(2), rounded to float
constexpr MKL_INT64 kCommonMode = VML_ERRMODE_IGNORE | VML_FTZDAZ_OFF;

enum class Form { cdfnorm, erf, erfc };

// The threading layer MKL reported (mkl_set_threading_layer's return), and
// why it is not the GNU one ("" when it is).
int g_layer = -1;
std::string g_not_gnu;

// The calling thread's MKL thread count (gelubench_peer_set_threads).
thread_local int t_threads = 1;

// libgomp's entry points for the glue loops (the runtime MKL's GNU layer runs
// on); looked up at run time so that the shim loads, and falls back to the
// sequential layer, where there is no libgomp.
struct Gomp {
  void (*parallel)(void (*)(void*), void*, unsigned, unsigned) = nullptr;
  int (*thread_num)() = nullptr;
  int (*num_threads)() = nullptr;
} g_gomp;

// f(begin, end) over [0, n): on `threads` OpenMP threads, each on one
// contiguous slice, or on the caller alone for short arrays.
void parallel_for(size_t n, int threads, const std::function<void(size_t, size_t)>& f) {
  if (threads <= 1 || n < kGlueThreadsFrom || g_gomp.parallel == nullptr) {
    f(0, n);
    return;
  }
  struct Job {
    const std::function<void(size_t, size_t)>* f;
    size_t n;
  } job{&f, n};
  g_gomp.parallel(
      [](void* p) {
        const Job& j = *static_cast<const Job*>(p);
        const size_t i = static_cast<size_t>(g_gomp.thread_num()), nt = static_cast<size_t>(g_gomp.num_threads());
        const size_t begin = j.n * i / nt, end = j.n * (i + 1) / nt;
        if (begin < end) (*j.f)(begin, end);
      },
      &job, static_cast<unsigned>(threads), 0);
}

// The glue, shared by both paths so that they compute the same bits.
void scale(size_t n, const float* x, float* t, float s) {
  for (size_t j = 0; j < n; ++j) t[j] = x[j] * s;
}
void finish_erf(size_t n, const float* x, const float* t, float* y) {
  for (size_t j = 0; j < n; ++j) y[j] = 0.5f * x[j] * (1.0f + t[j]);
}
void finish_erfc(size_t n, const float* x, const float* t, float* y) {
  for (size_t j = 0; j < n; ++j) y[j] = 0.5f * x[j] * t[j];
}

// One thread: blocks of kBlock through an L1-resident buffer.
template <Form kForm, MKL_INT64 kAccuracy>
void gelu_blocks(size_t n, const float* x, float* y) {
  alignas(64) thread_local float t[kBlock];
  constexpr MKL_INT64 mode = kAccuracy | kCommonMode;
  for (size_t i = 0; i < n; i += kBlock) {
    const MKL_INT m = static_cast<MKL_INT>(std::min<size_t>(kBlock, n - i));
    const float* xi = x + i;
    float* yi = y + i;
    if constexpr (kForm == Form::cdfnorm) {
      vmsCdfNorm(m, xi, t, mode);
      vmsMul(m, xi, t, yi, mode);
    } else if constexpr (kForm == Form::erf) {
      scale(m, xi, t, kSqrtHalf);
      vmsErf(m, t, t, mode);
      finish_erf(m, xi, t, yi);
    } else {
      scale(m, xi, t, -kSqrtHalf);
      vmsErfc(m, t, t, mode);
      finish_erfc(m, xi, t, yi);
    }
  }
}

// T > 1 threads: each VM function once on the whole array (up to kMaxCall),
// its result in y, or in a per-thread buffer of n floats when x == y.
template <Form kForm, MKL_INT64 kAccuracy>
int gelu_whole(size_t n, const float* x, float* y) {
  constexpr MKL_INT64 mode = kAccuracy | kCommonMode;
  float* t = y;
  if (x == y) {
    thread_local std::unique_ptr<float[]> buffer;
    thread_local size_t capacity = 0;
    if (capacity < n) {
      buffer.reset(new (std::nothrow) float[n]);
      capacity = buffer ? n : 0;
      if (!buffer) {
        std::snprintf(last_error, sizeof last_error, "no memory for a %zu-element buffer (in place at %d threads)", n,
                      t_threads);
        return 1;
      }
    }
    t = buffer.get();
  }
  for (size_t i = 0; i < n; i += kMaxCall) {
    const size_t c = std::min(kMaxCall, n - i);
    const MKL_INT m = static_cast<MKL_INT>(c);
    const float* xi = x + i;
    float* ti = t + i;
    float* yi = y + i;
    if constexpr (kForm == Form::cdfnorm) {
      vmsCdfNorm(m, xi, ti, mode);
      vmsMul(m, xi, ti, yi, mode);
    } else {
      const float s = kForm == Form::erf ? kSqrtHalf : -kSqrtHalf;
      parallel_for(c, t_threads, [&](size_t b, size_t e) { scale(e - b, xi + b, ti + b, s); });
      if constexpr (kForm == Form::erf) {
        vmsErf(m, ti, ti, mode);
        parallel_for(c, t_threads, [&](size_t b, size_t e) { finish_erf(e - b, xi + b, ti + b, yi + b); });
      } else {
        vmsErfc(m, ti, ti, mode);
        parallel_for(c, t_threads, [&](size_t b, size_t e) { finish_erfc(e - b, xi + b, ti + b, yi + b); });
      }
    }
  }
  return 0;
}

template <Form kForm, MKL_INT64 kAccuracy>
int gelu(size_t n, const float* x, float* y) {
  if (t_threads > 1) return gelu_whole<kForm, kAccuracy>(n, x, y);
  gelu_blocks<kForm, kAccuracy>(n, x, y);
  return 0;
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) o += c;
  }
  return o;
}

// The paths of the process's loaded objects whose file name starts with
// `prefix`, space-separated ("" if none); base names only if `base`.
std::string loaded(const char* prefix, bool base) {
  struct Query {
    const char* prefix;
    bool base;
    std::string out;
  } q{prefix, base, ""};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto& q = *static_cast<Query*>(data);
        const char* name = std::strrchr(info->dlpi_name, '/');
        name = name ? name + 1 : info->dlpi_name;
        if (std::strncmp(name, q.prefix, std::strlen(q.prefix)) == 0) {
          if (!q.out.empty()) q.out.push_back(' ');
          q.out.append(q.base ? name : info->dlpi_name);
        }
        return 0;
      },
      &q);
  return q.out;
}

// The VM library (or libraries) MKL dispatched to, after a warm-up call that
// makes it load one.
std::string vm_library() {
  float x[64], y[64];
  for (int i = 0; i < 64; ++i) x[i] = -8.0f + 0.25f * static_cast<float>(i);
  gelu_blocks<Form::cdfnorm, VML_HA>(64, x, y);
  return loaded("libmkl_vml_", true);
}

bool is_elf(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char magic[4] = {};
  const bool elf = read(fd, magic, 4) == 4 && std::memcmp(magic, "\177ELF", 4) == 0;
  close(fd);
  return elf;
}

// Why MKL's GNU layer cannot run here ("" when it can). Loads libgomp into the
// global scope, where libmkl_gnu_thread (which does not name it as a
// dependency) finds it, and takes the glue's entry points from it.
std::string gnu_layer_unavailable() {
  // MKL loads its layer from its own folder, with its own soname suffix.
  const std::string rt = loaded("libmkl_rt.so", false);  // e.g. <prefix>/lib/libmkl_rt.so.3
  if (rt.empty() || rt.find(' ') != std::string::npos) return "libmkl_rt not found among the loaded objects";
  const size_t base = rt.rfind("libmkl_rt.so"), suffix = base + std::strlen("libmkl_rt");
  const std::string thread_lib = rt.substr(0, base) + "libmkl_gnu_thread" + rt.substr(suffix);
  if (!is_elf(thread_lib)) return "no " + thread_lib;
  void* gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (gomp == nullptr) {
    const char* e = dlerror();
    return std::string("cannot load libgomp.so.1: ") + (e ? e : "dlopen failed");
  }
  // A few entry points MKL's layer calls: a stub or a pre-4.9 libgomp lacks them.
  for (const char* name : {"omp_get_num_procs", "omp_get_max_threads", "GOMP_barrier"})
    if (dlsym(gomp, name) == nullptr) return "libgomp.so.1 lacks " + std::string(name);
  g_gomp.parallel = reinterpret_cast<decltype(g_gomp.parallel)>(dlsym(gomp, "GOMP_parallel"));
  g_gomp.thread_num = reinterpret_cast<decltype(g_gomp.thread_num)>(dlsym(gomp, "omp_get_thread_num"));
  g_gomp.num_threads = reinterpret_cast<decltype(g_gomp.num_threads)>(dlsym(gomp, "omp_get_num_threads"));
  if (!g_gomp.parallel || !g_gomp.thread_num || !g_gomp.num_threads) {
    g_gomp = {};
    return "libgomp.so.1 lacks GOMP_parallel, omp_get_thread_num or omp_get_num_threads";
  }
  return "";
}

const char* layer_name(int layer) {
  switch (layer) {
    case MKL_THREADING_INTEL: return "intel";
    case MKL_THREADING_SEQUENTIAL: return "sequential";
    case MKL_THREADING_GNU: return "gnu";
    case MKL_THREADING_TBB: return "tbb";
    default: return "unknown";
  }
}

}  // namespace

GELUBENCH_PEER_EXPORT const char* gelubench_peer_open(int isa_cap) {
  g_not_gnu = gnu_layer_unavailable();
  g_layer = mkl_set_threading_layer(g_not_gnu.empty() ? MKL_THREADING_GNU : MKL_THREADING_SEQUENTIAL);
  if (g_layer == MKL_THREADING_GNU) {
    mkl_set_num_threads(1);  // every calling thread: itself alone, unless it sets its own count
  } else {
    g_gomp = {};  // no glue threads either
    if (g_not_gnu.empty()) g_not_gnu = std::string("MKL chose its ") + layer_name(g_layer) + " layer";
  }
  if (isa_cap == gelubench::peer_shim::kAvx512) return nullptr;
  const int want = isa_cap == gelubench::peer_shim::kScalar ? MKL_ENABLE_SSE4_2 : MKL_ENABLE_AVX2;
  if (mkl_enable_instructions(want) == 1) return nullptr;
  // MKL refuses a cap it would not dispatch to on this CPU (on AMD it runs
  // its generic path whatever is asked). Accept when the VM library it then
  // loads is within the cap; refuse otherwise.
  const std::string vml = vm_library();
  const bool above = vml.find("avx512") != std::string::npos || vml.find("avx10") != std::string::npos ||
                     (isa_cap == gelubench::peer_shim::kScalar && vml.find("avx2") != std::string::npos);
  if (!above) return nullptr;
  std::snprintf(last_error, sizeof last_error, "mkl_enable_instructions refused the --isa cap and MKL loads %s",
                vml.c_str());
  return last_error;
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_describe() {
  static const std::string text = [] {
    const std::string vml = vm_library();
    MKLVersion v;
    mkl_get_version(&v);
    char full[256];
    mkl_get_version_string(full, sizeof full);
    char version[64];  // Intel names releases <major>.<update>, e.g. "2026.2"
    std::snprintf(version, sizeof version, "%d.%d", v.MajorVersion, v.UpdateVersion);
    // The threading library MKL loaded (libmkl_gnu_thread.so.3, libmkl_sequential.so.3, ...).
    std::string layer_lib;
    for (const char* prefix : {"libmkl_gnu_thread", "libmkl_sequential", "libmkl_intel_thread", "libmkl_tbb_thread"})
      if (std::string name = loaded(prefix, true); !name.empty()) layer_lib += (layer_lib.empty() ? "" : " ") + name;
    if (layer_lib.empty()) layer_lib = "no threading library loaded";
    std::string threading;
    if (g_layer == MKL_THREADING_GNU) {
      const std::string gomp = loaded("libgomp", false);
      threading = "GNU OpenMP (" + layer_lib + " on " + (gomp.empty() ? "an unnamed OpenMP runtime" : gomp) +
                  "), 1 thread per caller unless set; MKL_DYNAMIC " + (mkl_get_dynamic() ? "on" : "off");
    } else {
      threading = std::string(layer_name(g_layer)) + " (" + layer_lib + "): " + g_not_gnu;
    }
    return "{\"library\": \"Intel oneMKL\", \"version\": \"" + std::string(version) + "\", \"build\": \"" +
           json_escape(full) + "\", \"code_path\": \"" + json_escape(v.Processor) + "; VM library " +
           (vml.empty() ? std::string("unknown") : vml) + "\", \"threading\": \"" + json_escape(threading) +
           "\", \"threading_layer\": \"" + layer_name(g_layer) +
           "\", \"mode\": \"VML_ERRMODE_IGNORE | VML_FTZDAZ_OFF\"}";
  }();
  return text.c_str();
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_error() { return last_error; }

GELUBENCH_PEER_EXPORT int gelubench_peer_set_threads(int threads) {
  if (g_layer != MKL_THREADING_GNU) {
    std::snprintf(last_error, sizeof last_error, "MKL runs its %s layer, no threads of its own: %s",
                  layer_name(g_layer), g_not_gnu.c_str());
    return 1;
  }
  if (threads < 1) {
    std::snprintf(last_error, sizeof last_error, "%d threads: at least 1", threads);
    return 1;
  }
  const int before = mkl_set_num_threads_local(threads);  // this thread only; 0 = MKL's global count
  if (const int got = mkl_get_max_threads(); got != threads) {
    mkl_set_num_threads_local(before);
    std::snprintf(last_error, sizeof last_error, "MKL keeps %d threads after mkl_set_num_threads_local(%d)", got,
                  threads);
    return 1;
  }
  t_threads = threads;
  return 0;
}

#define GELUBENCH_MKL_KERNEL(form, mode, MODE)                                                      \
  GELUBENCH_PEER_EXPORT int f32_erf_mkl_##form##_##mode##__dispatch(size_t n, const float* x, float* y) { \
    return gelu<Form::form, MODE>(n, x, y);                                                        \
  }
GELUBENCH_MKL_KERNEL(cdfnorm, ha, VML_HA)
GELUBENCH_MKL_KERNEL(cdfnorm, la, VML_LA)
GELUBENCH_MKL_KERNEL(cdfnorm, ep, VML_EP)
GELUBENCH_MKL_KERNEL(erf, ha, VML_HA)
GELUBENCH_MKL_KERNEL(erf, la, VML_LA)
GELUBENCH_MKL_KERNEL(erf, ep, VML_EP)
GELUBENCH_MKL_KERNEL(erfc, ha, VML_HA)
GELUBENCH_MKL_KERNEL(erfc, la, VML_LA)
GELUBENCH_MKL_KERNEL(erfc, ep, VML_EP)
