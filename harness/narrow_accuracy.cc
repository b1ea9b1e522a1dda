#include "harness/narrow_accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "harness/accuracy_stats.h"
#include "harness/narrow.h"
#include "harness/peer_libraries.h"
#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

constexpr uint32_t kEncodings = 65536;

// Reference facts per encoding for one format and formula.
struct RefTable {
  std::vector<double> value;       // exact value (double tier)
  std::vector<uint16_t> rounded;   // correctly rounded in the format
};

const RefTable& ref_table(const BinaryFormat& f, Formula formula) {
  static std::map<std::pair<const BinaryFormat*, int>, RefTable> cache;
  RefTable& t = cache[{&f, static_cast<int>(formula)}];
  if (t.value.empty()) {
    t.value.resize(kEncodings);
    t.rounded.resize(kEncodings);
    for (uint32_t b = 0; b < kEncodings; ++b) {
      const float x = decode(f, static_cast<uint16_t>(b));
      t.value[b] = reference(formula, x).value;
      t.rounded[b] = reference_rounded(f, formula, static_cast<uint16_t>(b));
    }
  }
  return t;
}

struct NamedEncoding {
  const char* name;
  uint16_t f16, bf16;
};
constexpr NamedEncoding kSpecials[] = {
    {"+0", 0x0000, 0x0000},           {"-0", 0x8000, 0x8000},
    {"+inf", 0x7c00, 0x7f80},         {"-inf", 0xfc00, 0xff80},
    {"+qnan", 0x7e00, 0x7fc0},        {"-qnan", 0xfe00, 0xffc0},
    {"+snan", 0x7c01, 0x7f81},        {"-snan", 0xfc01, 0xff81},
    {"+min_subnormal", 0x0001, 0x0001}, {"-min_subnormal", 0x8001, 0x8001},
    {"+max_subnormal", 0x03ff, 0x007f}, {"+min_normal", 0x0400, 0x0080},
    {"+max_finite", 0x7bff, 0x7f7f},  {"-max_finite", 0xfbff, 0xff7f},
};

std::string hex16(uint16_t b) { return fmt::format("{:#06x}", b); }

// `outputs` receives the kernel's result for every encoding.
nlohmann::json u16_kernel(const KernelInfo& k, int* failed, std::vector<uint16_t>* outputs) {
  const BinaryFormat& f = format_of(k.dtype);
  const U16State& state = u16_state(k.dtype);
  std::vector<uint16_t> x(kEncodings);
  std::vector<uint16_t>& y = *outputs;
  y.assign(kEncodings, 0);
  for (uint32_t b = 0; b < kEncodings; ++b) x[b] = static_cast<uint16_t>(b);
  k.u16(kEncodings, x.data(), y.data(), &state);

  nlohmann::json kj = kernel_identity_json(k);
  // An external program that failed left NaN: its figures are void, and say so.
  if (k.dl)
    if (std::string failure = peer_failure(*k.dl); !failure.empty()) {
      fmt::print(stderr, "gelubench: {}; its accuracy figures are void\n", failure);
      kj["failure"] = failure;
    }
  const ToleranceProfile& profile = k.dtype == DType::f16 ? kF16Profile : kBf16Profile;
  auto figures = [&](Formula formula) {
    const RefTable& ref = ref_table(f, formula);
    std::array<Stats, kRegions> regions;
    std::vector<Bin> bins(kBins);
    for (uint32_t b = 0; b < kEncodings; ++b) {
      const float xf = decode(f, static_cast<uint16_t>(b));
      if (!std::isfinite(xf)) continue;  // specials, below
      const float yf = decode(f, y[b]);
      const double r = ref.value[b];
      double d = std::fabs(static_cast<double>(yf) - r);
      if (std::isnan(d)) d = INFINITY;
      const double e = d / ulp_in(f, r);
      const double rel = r == 0 ? (d == 0 ? 0.0 : INFINITY) : d / std::fabs(r);
      const double tol[kNumProfiles] = {profile.atol + profile.rtol * std::fabs(r), INFINITY};
      regions[region_of(xf)].add(e, d, y[b] == ref.rounded[b], rel, tol, f32_bits(xf), yf,
                                 decode(f, ref.rounded[b]));
      bins[bin_of(xf)].add(e);
    }
    return comparison_figures(regions, bins, formula, std::nullopt, &profile, 1);
  };
  const ComparisonFigures exact = figures(Formula::erf), formula = figures(k.formula);
  kj["vs"]["exact"] = exact.json;
  kj["vs"]["formula"] = formula.json;

  nlohmann::json specials = nlohmann::json::array();
  const RefTable& own = ref_table(f, k.formula);
  for (const NamedEncoding& sc : kSpecials) {
    const uint16_t in = k.dtype == DType::f16 ? sc.f16 : sc.bf16;
    const float xf = decode(f, in), yf = decode(f, y[in]);
    bool pass;
    if (std::isnan(xf)) {
      pass = std::isnan(yf);
    } else if (std::isinf(xf) || xf == 0.0f) {
      pass = y[in] == own.rounded[in];
    } else {
      pass = !std::isnan(yf) && std::signbit(yf) == std::signbit(xf) &&
             std::fabs(yf - own.value[in]) <= ulp_in(f, own.value[in]);
    }
    specials.push_back(
        special_json(sc.name, xf, hex16(in), decode(f, own.rounded[in]), yf, hex16(y[in]), pass));
  }
  kj["specials"] = specials;
  kj["ulp_unit"] = f.name;
  if (!add_verdict(kj, contract_of(k), measured(exact, formula))) ++*failed;
  return kj;
}

// The right output code for input code q, from the 166-bit reference alone:
// independent of prepare_qs8's table, which the lookup kernels return, so a
// wrong table fails here instead of agreeing with itself.
int certified_code(const QuantParams& p, int8_t q) {
  const float xf = dequantize(p.input_scale, p.input_zero_point, q);
  const FastRef c = reference_certified_parts(Formula::erf, xf);
  const double code = (c.hi + c.lo) / p.output_scale + p.output_zero_point;
  return static_cast<int>(std::clamp(std::nearbyint(code), -128.0, 127.0));
}

// `outputs` receives the kernel's output codes, all 256 per quantization case.
nlohmann::json qs8_kernel(const KernelInfo& k, int* failed, std::vector<int8_t>* outputs) {
  nlohmann::json kj = kernel_identity_json(k);
  nlohmann::json cases = nlohmann::json::array();
  double worst_lsb = 0, worst_abs = 0;
  std::vector<int8_t> x(256), y(256);
  for (int i = 0; i < 256; ++i) x[i] = static_cast<int8_t>(i - 128);
  for (const QuantCase& qc : quant_cases()) {
    const QS8State state = prepare_qs8(qc.params);
    k.qs8(256, x.data(), y.data(), &state);
    outputs->insert(outputs->end(), y.begin(), y.end());
    const QuantParams& p = qc.params;
    int max_lsb = -1, worst = 0;
    uint64_t exact = 0;
    double sum_lsb = 0, max_abs = 0;
    int expected_code[256];
    for (int i = 0; i < 256; ++i) expected_code[i] = certified_code(p, x[i]);
    for (int i = 0; i < 256; ++i) {
      const int expected = expected_code[i];
      const int lsb = std::abs(y[i] - expected);
      exact += lsb == 0;
      sum_lsb += lsb;
      if (lsb > max_lsb) max_lsb = lsb, worst = i;
      // Dequantized output against exact GELU of the dequantized input.
      const float xin = dequantize(p.input_scale, p.input_zero_point, x[i]);
      const double out = dequantize(p.output_scale, p.output_zero_point, y[i]);
      max_abs = std::max(max_abs, std::fabs(out - reference(Formula::erf, xin).value));
    }
    worst_lsb = std::max<double>(worst_lsb, max_lsb);
    worst_abs = std::max(worst_abs, max_abs);
    cases.push_back({{"name", qc.name},
                     {"params",
                      {{"input_scale", p.input_scale}, {"input_zero_point", p.input_zero_point},
                       {"output_scale", p.output_scale}, {"output_zero_point", p.output_zero_point}}},
                     {"max_lsb", max_lsb},
                     {"mean_lsb", sum_lsb / 256},
                     {"exact_fraction", static_cast<double>(exact) / 256},
                     {"worst_input_code", static_cast<int>(x[worst])},
                     {"worst_output_code", static_cast<int>(y[worst])},
                     {"expected_code", expected_code[worst]},
                     {"max_abs_vs_exact", max_abs}});
  }
  kj["cases"] = cases;
  kj["max_lsb"] = worst_lsb;
  kj["max_abs_vs_exact"] = worst_abs;
  kj["ulp_unit"] = "output LSB";
  // The qs8 kernels' formula is exact GELU: one LSB figure serves both bounds.
  if (!add_verdict(kj, k.budget, worst_lsb, worst_lsb, worst_abs)) ++*failed;
  return kj;
}

}  // namespace

NarrowAccuracyResult run_narrow_accuracy(const std::vector<const KernelInfo*>& kernels) {
  NarrowAccuracyResult out;
  // Every input of the format (every code of every quantization case) per
  // kernel: a kernel whose outputs equal an earlier one's of the same dtype,
  // bit for bit, names the first such ("same_bits_as", as the f32 sweep does).
  struct Seen {
    DType dtype;
    std::string name;
    std::vector<uint16_t> u16;
    std::vector<int8_t> qs8;
  };
  std::vector<Seen> seen;
  for (const KernelInfo* k : kernels) {
    Seen s{k->dtype, std::string(k->name), {}, {}};
    nlohmann::json kj = k->dtype == DType::qs8 ? qs8_kernel(*k, &out.failed, &s.qs8)
                                               : u16_kernel(*k, &out.failed, &s.u16);
    for (const Seen& e : seen)
      if (e.dtype == s.dtype && e.u16 == s.u16 && e.qs8 == s.qs8) {
        kj["same_bits_as"] = e.name;
        break;
      }
    (k->dtype == DType::qs8 ? out.quantized : out.kernels).push_back(std::move(kj));
    seen.push_back(std::move(s));
  }
  return out;
}

}  // namespace gelubench
