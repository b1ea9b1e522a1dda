#include "harness/cpu_features.h"

#include <cpuid.h>

#include <cstring>

namespace gelubench {
namespace {

struct Regs {
  uint32_t a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(uint32_t leaf, uint32_t sub = 0) {
  Regs r;
  __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
  return r;
}

// XGETBV(0): which register states the OS saves. A CPU can report AVX-512
// while the OS has it disabled; the features are usable only if both agree.
uint64_t xgetbv0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}

bool bit(uint32_t reg, int n) { return (reg >> n) & 1u; }

// CPUID leaf 4 (Intel) and 0x8000001D (AMD) share one layout.
void read_caches(uint32_t leaf, CpuInfo& info) {
  for (uint32_t sub = 0; sub < 16; ++sub) {
    Regs r = cpuid(leaf, sub);
    uint32_t type = r.a & 0x1f;  // 0 none, 1 data, 2 instruction, 3 unified
    if (type == 0) break;
    if (type == 2) continue;
    uint32_t level = (r.a >> 5) & 0x7;
    uint64_t ways = ((r.b >> 22) & 0x3ff) + 1;
    uint64_t partitions = ((r.b >> 12) & 0x3ff) + 1;
    uint64_t line = (r.b & 0xfff) + 1;
    uint64_t sets = uint64_t{r.c} + 1;
    uint64_t bytes = ways * partitions * line * sets;
    if (level == 1) info.l1d_bytes = bytes;
    if (level == 2) info.l2_bytes = bytes;
    if (level == 3) info.l3_bytes = bytes;
  }
}

CpuInfo detect() {
  CpuInfo info;
  Regs r0 = cpuid(0);
  char vendor[13] = {};
  std::memcpy(vendor + 0, &r0.b, 4);
  std::memcpy(vendor + 4, &r0.d, 4);
  std::memcpy(vendor + 8, &r0.c, 4);
  info.vendor = vendor;
  uint32_t max_leaf = r0.a;

  Regs ext0 = cpuid(0x80000000);
  if (ext0.a >= 0x80000004) {
    char brand[49] = {};
    for (uint32_t i = 0; i < 3; ++i) {
      Regs r = cpuid(0x80000002 + i);
      std::memcpy(brand + 16 * i + 0, &r.a, 4);
      std::memcpy(brand + 16 * i + 4, &r.b, 4);
      std::memcpy(brand + 16 * i + 8, &r.c, 4);
      std::memcpy(brand + 16 * i + 12, &r.d, 4);
    }
    std::string s = brand;
    size_t first = s.find_first_not_of(' ');
    size_t last = s.find_last_not_of(' ');
    info.model = first == std::string::npos ? "" : s.substr(first, last - first + 1);
  }

  Regs r1 = cpuid(1);
  bool osxsave = bit(r1.c, 27);
  uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  bool os_avx = (xcr0 & 0x6) == 0x6;       // XMM and YMM state
  bool os_avx512 = (xcr0 & 0xe6) == 0xe6;  // plus opmask, ZMM_Hi256, Hi16_ZMM

  FeatureMask f = 0;
  if (bit(r1.c, 20)) f |= kSSE42;
  if (os_avx && bit(r1.c, 28)) f |= kAVX;
  if (os_avx && bit(r1.c, 12)) f |= kFMA;
  if (os_avx && bit(r1.c, 29)) f |= kF16C;
  if (max_leaf >= 7) {
    Regs r7 = cpuid(7, 0);
    Regs r71 = cpuid(7, 1);
    if (os_avx && bit(r7.b, 5)) f |= kAVX2;
    if (os_avx512) {
      if (bit(r7.b, 16)) f |= kAVX512F;
      if (bit(r7.b, 17)) f |= kAVX512DQ;
      if (bit(r7.b, 30)) f |= kAVX512BW;
      if (bit(r7.b, 31)) f |= kAVX512VL;
      if (bit(r7.c, 1)) f |= kAVX512VBMI;
      if (bit(r7.c, 11)) f |= kAVX512VNNI;
      if (bit(r7.d, 23)) f |= kAVX512FP16;
      if (bit(r71.a, 5)) f |= kAVX512BF16;
    }
  }
  info.features = f;

  if (info.vendor == "AuthenticAMD" && ext0.a >= 0x8000001D) {
    read_caches(0x8000001D, info);
  } else if (max_leaf >= 4) {
    read_caches(4, info);
  }
  return info;
}

}  // namespace

const CpuInfo& cpu_info() {
  static const CpuInfo info = detect();
  return info;
}

const std::vector<FeatureName>& all_features() {
  static const std::vector<FeatureName> names = {
      {kSSE42, "SSE4.2"},         {kAVX, "AVX"},
      {kAVX2, "AVX2"},            {kFMA, "FMA"},
      {kF16C, "F16C"},            {kAVX512F, "AVX512F"},
      {kAVX512BW, "AVX512BW"},    {kAVX512VL, "AVX512VL"},
      {kAVX512DQ, "AVX512DQ"},    {kAVX512VBMI, "AVX512VBMI"},
      {kAVX512VNNI, "AVX512VNNI"}, {kAVX512BF16, "AVX512BF16"},
      {kAVX512FP16, "AVX512FP16"},
  };
  return names;
}

std::string feature_list(FeatureMask mask) {
  std::string out;
  for (const auto& f : all_features()) {
    if (mask & f.bit) {
      if (!out.empty()) out += ' ';
      out += f.name;
    }
  }
  return out.empty() ? "none" : out;
}

std::optional<IsaCap> parse_isa(std::string_view s) {
  if (s == "scalar") return IsaCap::scalar;
  if (s == "avx2") return IsaCap::avx2;
  if (s == "avx512") return IsaCap::avx512;
  return std::nullopt;
}

std::string_view isa_name(IsaCap cap) {
  switch (cap) {
    case IsaCap::scalar: return "scalar";
    case IsaCap::avx2: return "avx2";
    case IsaCap::avx512: return "avx512";
  }
  return "?";
}

FeatureMask isa_allowed_features(IsaCap cap) {
  switch (cap) {
    case IsaCap::scalar: return kScalar;
    case IsaCap::avx2: return kSSE42 | kAvx2Fma | kF16C;
    case IsaCap::avx512: return ~FeatureMask{0};
  }
  return 0;
}

IsaCap best_isa(const CpuInfo& cpu) {
  if ((cpu.features & kAvx512) == kAvx512) return IsaCap::avx512;
  if ((cpu.features & kAvx2Fma) == kAvx2Fma) return IsaCap::avx2;
  return IsaCap::scalar;
}

std::string why_not_runnable(FeatureMask required, IsaCap cap, const CpuInfo& cpu) {
  if (FeatureMask lacking = required & ~cpu.features)
    return "CPU lacks " + feature_list(lacking);
  if (FeatureMask capped = required & ~isa_allowed_features(cap))
    return "needs " + feature_list(capped) + " above --isa=" + std::string(isa_name(cap));
  return {};
}

}  // namespace gelubench
