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
// One thread: MKL's sequential threading layer, set before any other MKL call.
// The VM call runs over blocks of kBlock elements into an 8 KiB per-thread
// buffer that stays in L1, and the GELU glue (x * (1/sqrt 2), the product)
// is plain C++ in this file (-O3, no ISA flags, no FMA contraction); the
// product of the CdfNorm form is vsMul, MKL's own. In place works: each block
// reads x before it writes y.
//
// --isa: mkl_enable_instructions() caps MKL's dispatch (scalar -> SSE4.2,
// avx2 -> AVX2); where MKL refuses (it does on AMD, where it runs its generic
// path anyway) the peer runs if the VM library MKL loads is within the cap. The code path recorded is MKL's own processor string and the
// VM library MKL loaded for the call (e.g. libmkl_vml_avx512.so.3), read from
// the process's list of loaded objects after a warm-up call.
#include <link.h>
#include <mkl.h>

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

// The VM library (or libraries) MKL dispatched to, after a warm-up call that
// makes it load one: read from the process's list of loaded objects.
std::string vm_library() {
  float x[64], y[64];
  for (int i = 0; i < 64; ++i) x[i] = -8.0f + 0.25f * static_cast<float>(i);
  gelu<Form::cdfnorm, VML_HA>(64, x, y);
  std::string vml;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        const char* base = std::strrchr(info->dlpi_name, '/');
        base = base ? base + 1 : info->dlpi_name;
        if (std::strncmp(base, "libmkl_vml_", 11) == 0) {
          auto* s = static_cast<std::string*>(out);
          if (!s->empty()) s->push_back(' ');
          s->append(base);
        }
        return 0;
      },
      &vml);
  return vml;
}

}  // namespace

GELUBENCH_PEER_EXPORT const char* gelubench_peer_open(int isa_cap) {
  mkl_set_threading_layer(MKL_THREADING_SEQUENTIAL);
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
    return "{\"library\": \"Intel oneMKL\", \"version\": \"" + std::string(version) + "\", \"build\": \"" +
           json_escape(full) + "\", \"code_path\": \"" + json_escape(v.Processor) + "; VM library " +
           (vml.empty() ? std::string("unknown") : vml) +
           "\", \"threading\": \"sequential\", \"mode\": \"VML_ERRMODE_IGNORE | VML_FTZDAZ_OFF\"}";
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
