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
// One thread: the VM call runs over blocks of kBlock elements into an 8 KiB
// per-thread buffer that stays in L1, and the GELU glue (x * (1/sqrt 2), the
// product) is plain C++ in this file (-O3, no ISA flags, no FMA contraction);
// the product of the CdfNorm form is vsMul, MKL's own. In place works: each
// block reads x before it writes y.
//
// Threading: MKL's GNU OpenMP layer (libmkl_gnu_thread, on the system's
// libgomp, which oneDNN's shims use too), set before any other MKL call, with
// MKL's thread count 1 (mkl_set_num_threads), so every calling thread runs
// MKL on itself alone, as the sequential layer did.
//
// Where the GNU layer cannot run (no libgomp, no libmkl_gnu_thread), the shim
// asks for the sequential layer instead and says why in its description. It
// checks before asking: MKL itself would accept the GNU layer and then end
// the process, with "Cannot load libmkl_gnu_thread.so.3" (exit 2) or an
// undefined omp_get_num_procs (a libgomp.so.1 lacking it: exit 127). With
// no libgomp at all, MKL would load LLVM's libiomp5 (its GNU-compatible
// entry points) in its place, if it finds one; this shim wants libgomp, and
// records the OpenMP runtime and the layer MKL reports.
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
#include <string>

#include "kernels/peers/peer_shim.h"

namespace {

using gelubench::peer_shim::last_error;

constexpr MKL_INT kBlock = 2048;
constexpr float kSqrtHalf = 0.70710678118654752440f;  // 1/sqrt(2), rounded to float
constexpr MKL_INT64 kCommonMode = VML_ERRMODE_IGNORE | VML_FTZDAZ_OFF;

enum class Form { cdfnorm, erf, erfc };

// The threading layer MKL reported (mkl_set_threading_layer's return), and
// why it is not the GNU one ("" when it is).
int g_layer = -1;
std::string g_not_gnu;

template <Form kForm, MKL_INT64 kAccuracy>
int gelu(size_t n, const float* x, float* y) {
  alignas(64) thread_local float t[kBlock];
  constexpr MKL_INT64 mode = kAccuracy | kCommonMode;
  for (size_t i = 0; i < n; i += kBlock) {
    const MKL_INT m = static_cast<MKL_INT>(std::min<size_t>(kBlock, n - i));
    const float* xi = x + i;
    float* yi = y + i;
    if constexpr (kForm == Form::cdfnorm) {
      vmsCdfNorm(m, xi, t, mode);
      vmsMul(m, xi, t, yi, mode);
    } else {
      const float s = kForm == Form::erf ? kSqrtHalf : -kSqrtHalf;
      for (MKL_INT j = 0; j < m; ++j) t[j] = xi[j] * s;
      if constexpr (kForm == Form::erf) {
        vmsErf(m, t, t, mode);
        for (MKL_INT j = 0; j < m; ++j) yi[j] = 0.5f * xi[j] * (1.0f + t[j]);
      } else {
        vmsErfc(m, t, t, mode);
        for (MKL_INT j = 0; j < m; ++j) yi[j] = 0.5f * xi[j] * t[j];
      }
    }
  }
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
  gelu<Form::cdfnorm, VML_HA>(64, x, y);
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
// dependency) finds it.
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
  if (g_layer == MKL_THREADING_GNU)
    mkl_set_num_threads(1);  // every calling thread: itself alone
  else if (g_not_gnu.empty())
    g_not_gnu = std::string("MKL chose its ") + layer_name(g_layer) + " layer";
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
                  "), 1 thread per caller; MKL_DYNAMIC " + (mkl_get_dynamic() ? "on" : "off");
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
