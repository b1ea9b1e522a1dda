// The accuracy driver: result keys (the contract with the report and outside
// tools), determinism across thread counts, and the figures it computes.
#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <map>

#include "harness/accuracy.h"
#include "harness/accuracy_stats.h"
#include "harness/cpu_features.h"
#include "harness/exact_sum.h"
#include "harness/narrow_accuracy.h"
#include "harness/registry.h"

namespace gelubench {
namespace {

AccuracyResult run(const std::vector<std::string>& globs, uint64_t stride, int threads) {
  AccuracyOptions opt;
  opt.kernels = select_kernels(globs).kernels;
  opt.stride = stride;
  opt.threads = threads;
  return run_accuracy(opt);
}

TEST(Accuracy, ResultCarriesTheContractKeys) {
  AccuracyResult r = run({"f32_erf_libm_erfcf__scalar", "f32_tanh_libm_tanhf__scalar"}, 65537, 2);
  ASSERT_TRUE(r.completed);
  ASSERT_EQ(r.kernels.size(), 2u);
  for (const auto& k : r.kernels) {
    for (const char* key : {"name", "dtype", "formula", "peer", "features", "budget", "verdict", "specials", "vs"})
      EXPECT_TRUE(k.contains(key)) << key;
    for (const char* vs : {"exact", "formula"}) {
      const auto& s = k["vs"][vs];
      for (const char* key : {"count", "max_ulp", "worst_input", "worst_output", "worst_expected", "mean_ulp",
                              "histogram", "correctly_rounded_fraction", "max_abs", "max_abs_input", "max_rel",
                              "max_rel_input", "regions", "profiles", "error_profile"})
        EXPECT_TRUE(s.contains(key)) << vs << "." << key;
      for (const char* region : {"neg_tail", "core", "pos"}) EXPECT_TRUE(s["regions"].contains(region));
      EXPECT_TRUE(s["worst_reference_certified"].get<bool>()) << vs;
      for (const char* p : {"torch_allclose_default", "pytorch_test_fp32"}) {
        EXPECT_TRUE(s["profiles"][p].contains("violations"));
        EXPECT_TRUE(s["profiles"][p].contains("pass"));
      }
      for (const char* b : {"correctly_rounded", "le_1", "le_2", "le_4", "le_16", "le_1024", "more"})
        EXPECT_TRUE(s["histogram"].contains(b));
      uint64_t total = 0;
      for (const auto& [name, c] : s["histogram"].items()) total += c.get<uint64_t>();
      EXPECT_EQ(total, s["count"].get<uint64_t>());
      uint64_t regions = 0;
      for (const auto& [name, reg] : s["regions"].items()) regions += reg["count"].get<uint64_t>();
      EXPECT_EQ(regions, s["count"].get<uint64_t>());
    }
  }
}

TEST(Accuracy, FiguresDoNotDependOnTheThreadCount) {
  // Stride 997: ~4.3M inputs in five 2^20-input chunks, four of them holding
  // finite inputs of both signs, so the workers really do split and merge
  // (at stride 4093 the second chunk held only NaN encodings).
  const std::vector<std::string> kernels = {"f32_erf_libm_erff__scalar", "f32_sigmoid_exp_div__avx2"};
  AccuracyResult one = run(kernels, 997, 1);
  AccuracyResult two = run(kernels, 997, 2);
  AccuracyResult three = run(kernels, 997, 3);
  ASSERT_TRUE(one.completed && two.completed && three.completed);
  ASSERT_GT(one.inputs, uint64_t{4} << 20);
  ASSERT_EQ(one.kernels.size(), 2u);
  EXPECT_EQ(one.kernels.dump(), two.kernels.dump());
  EXPECT_EQ(one.kernels.dump(), three.kernels.dump());
}

TEST(Accuracy, OnePlusErfCollapsesInTheTailAndErfcDoesNot) {
  AccuracyResult r = run({"f32_erf_libm_erff__scalar", "f32_erf_libm_erfcf__scalar"}, 257, 2);
  ASSERT_TRUE(r.completed);
  auto tail_ulp = [](const nlohmann::json& k) {
    const auto& v = k["vs"]["exact"]["regions"]["neg_tail"]["max_ulp"];
    return v.is_string() ? INFINITY : v.get<double>();
  };
  EXPECT_GT(tail_ulp(r.kernels[0]), 1e6);  // 1 + erf cancels: the result is 0 or garbage
  EXPECT_LT(tail_ulp(r.kernels[1]), 1e3);  // erfc form: only the argument rounding
}

TEST(Accuracy, SpecialsAreCheckedBitwise) {
  AccuracyResult r = run({"f32_erf_libm_double__scalar", "f32_erf_libm_erff__scalar"}, 1u << 20, 1);
  ASSERT_TRUE(r.completed);
  ASSERT_EQ(r.kernels[0]["name"], "f32_erf_libm_erff__scalar");  // registry order
  auto special = [](const nlohmann::json& k, const std::string& name) {
    for (const auto& s : k["specials"])
      if (s["name"] == name) return s;
    return nlohmann::json();
  };
  // The double kernel maps -inf to -0; 0.5*x*(1+erf(x/sqrt2)) gives -inf*0 = NaN.
  EXPECT_TRUE(special(r.kernels[1], "-inf")["pass"].get<bool>());
  EXPECT_EQ(special(r.kernels[1], "-inf")["output"], "-0x0p+0");
  EXPECT_FALSE(special(r.kernels[0], "-inf")["pass"].get<bool>());
  EXPECT_TRUE(special(r.kernels[0], "-0")["pass"].get<bool>());
  EXPECT_TRUE(special(r.kernels[0], "+qnan")["pass"].get<bool>());
}

TEST(Accuracy, StoppedRunReportsIncomplete) {
  std::atomic<bool> stop{true};
  AccuracyOptions opt;
  opt.kernels = select_kernels({"f32_erf_libm_erff__scalar"}).kernels;
  opt.stop = &stop;
  EXPECT_FALSE(run_accuracy(opt).completed);
}

// same_bits_as (issue #18): the harness's proof, from its memcmp of every
// block, that a kernel's outputs are an earlier kernel's bit for bit; the
// report shows such ISA versions as one row.
std::map<std::string, std::string> same_bits_as(const nlohmann::json& kernels) {
  std::map<std::string, std::string> out;
  for (const auto& k : kernels)
    if (k.contains("same_bits_as")) out[k["name"].get<std::string>()] = k["same_bits_as"].get<std::string>();
  return out;
}

std::vector<const KernelInfo*> runnable_here(const std::vector<std::string>& names) {
  std::vector<const KernelInfo*> out;
  for (const auto& n : names) {
    const KernelInfo* k = find_kernel(n);
    EXPECT_NE(k, nullptr) << n;
    if (k && why_not_runnable(*k, best_isa(cpu_info())).empty()) out.push_back(k);
  }
  return out;
}

TEST(SameBits, IsaSiblingsNameTheFirstAndOwnBitsVersionsDoNot) {
  AccuracyOptions opt;
  opt.kernels = runnable_here({"f32_erf_poly_4__scalar", "f32_erf_poly_4__avx2", "f32_erf_poly_4__avx512",
                               "f32_erf_rational_12_10_nr__scalar", "f32_erf_rational_12_10_nr__avx2",
                               "f32_erf_rational_12_10_nr__avx512"});
  opt.stride = 997;
  opt.threads = 2;
  AccuracyResult r = run_accuracy(opt);
  ASSERT_TRUE(r.completed);
  const auto same = same_bits_as(r.kernels);
  std::map<std::string, std::string> expected;
  for (const KernelInfo* k : opt.kernels) {
    const std::string name(k->name);
    const std::string scalar = name.substr(0, name.rfind("__")) + "__scalar";
    // The registry's own_bits versions differ from their siblings somewhere
    // (tests/isa_siblings_test.cc); the rest are the scalar version's bits.
    if (name != scalar && !k->declared.own_bits) expected[name] = scalar;
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(same, expected);
  if (const KernelInfo* k = find_kernel("f32_erf_rational_12_10_nr__avx512"); k && opt.kernels.back() == k) {
    ASSERT_TRUE(k->declared.own_bits);
    EXPECT_EQ(same.count("f32_erf_rational_12_10_nr__avx512"), 0u);
  }
}

// Two kernels that agree on 2^20 + 4096 inputs (x in [8, 9): both return x)
// and on the special inputs share their bits; one input where they differ,
// in the second chunk, takes that away, in a whole run and in two shards
// merged (the first shard alone has no difference to see). A third kernel
// that agrees on those inputs but not on a special one is apart too.
TEST(SameBits, OneDifferentInputIsEnoughToKeepTwoKernelsApart) {
  const KernelInfo* a = find_kernel("f32_erf_poly_3x32__scalar");
  const KernelInfo* b = find_kernel("f32_erf_poly_4__scalar");
  const KernelInfo* c = find_kernel("f32_erf_lut_64_hermite__scalar");
  ASSERT_TRUE(a && b && c);
  auto outputs = [](const KernelInfo* k, const std::vector<uint32_t>& bits) {
    std::vector<float> x(bits.size()), y(bits.size());
    for (size_t i = 0; i < bits.size(); ++i) x[i] = std::bit_cast<float>(bits[i]);
    k->f32(x.size(), x.data(), y.data());
    return y;
  };
  std::vector<uint32_t> agree;
  for (uint32_t i = 0; i < (1u << 20) + 4096; ++i) agree.push_back(std::bit_cast<uint32_t>(8.0f) + i);
  const std::vector<float> ya = outputs(a, agree), yb = outputs(b, agree), yc = outputs(c, agree);
  ASSERT_EQ(std::memcmp(ya.data(), yb.data(), ya.size() * sizeof(float)), 0) << "a and b differ on [8, 9)";
  ASSERT_EQ(std::memcmp(ya.data(), yc.data(), ya.size() * sizeof(float)), 0) << "a and c differ on [8, 9)";
  bool special_differs = false;
  for (const SpecialCase& sc : special_cases()) {
    const float sa = outputs(a, {sc.bits})[0], sb = outputs(b, {sc.bits})[0], sc_out = outputs(c, {sc.bits})[0];
    ASSERT_EQ(std::bit_cast<uint32_t>(sa), std::bit_cast<uint32_t>(sb)) << sc.name;
    special_differs |= std::bit_cast<uint32_t>(sa) != std::bit_cast<uint32_t>(sc_out);
  }
  ASSERT_TRUE(special_differs) << "c gives a's bits on every special input";
  uint32_t differ = 0;
  for (uint32_t bits = std::bit_cast<uint32_t>(1.0f);; ++bits) {
    const std::vector<float> pa = outputs(a, {bits}), pb = outputs(b, {bits});
    if (std::bit_cast<uint32_t>(pa[0]) != std::bit_cast<uint32_t>(pb[0])) {
      differ = bits;
      break;
    }
  }

  AccuracyOptions opt;
  opt.kernels = {a, b, c};
  opt.inputs = agree;
  AccuracyResult same = run_accuracy(opt);
  ASSERT_TRUE(same.completed);
  const std::map<std::string, std::string> b_as_a = {{std::string(b->name), std::string(a->name)}};
  EXPECT_EQ(same_bits_as(same.kernels), b_as_a);
  opt.kernels = {a, b};

  opt.inputs.insert(opt.inputs.begin() + (1u << 20) + 100, differ);
  AccuracyResult whole = run_accuracy(opt);
  ASSERT_TRUE(whole.completed);
  EXPECT_TRUE(same_bits_as(whole.kernels).empty()) << whole.kernels.dump();
  std::vector<nlohmann::json> partials;
  for (uint64_t s = 0; s < 2; ++s) {
    opt.shard = {s, 2};
    AccuracyResult part = run_accuracy(opt);
    ASSERT_TRUE(part.completed);
    partials.push_back(part.partial);
  }
  EXPECT_EQ(partials[0]["same_bits"], nlohmann::json({0, 0}));  // no difference in the first chunk
  EXPECT_EQ(partials[1]["same_bits"], nlohmann::json({0, 1}));
  AccuracyResult merged = merge_partials(partials);
  EXPECT_TRUE(same_bits_as(merged.kernels).empty());
  EXPECT_EQ(merged.kernels.dump(), whole.kernels.dump());
}

// f16/bf16 over all 65536 encodings, qs8 over all codes of every case.
TEST(SameBits, NarrowKernelsOfOneDtypeOnly) {
  NarrowAccuracyResult r = run_narrow_accuracy(runnable_here(
      {"f16_erf_table__scalar", "f16_erf_table__avx2", "f16_erf_convert_poly_4__avx2", "bf16_erf_table__scalar",
       "qs8_erf_lut__scalar", "qs8_erf_lut__avx2"}));
  const auto same = same_bits_as(r.kernels), same_q = same_bits_as(r.quantized);
  if (find_kernel("f16_erf_table__avx2") && r.kernels.size() == 4) {
    EXPECT_EQ(same, (std::map<std::string, std::string>{{"f16_erf_table__avx2", "f16_erf_table__scalar"}}));
    EXPECT_EQ(same_q, (std::map<std::string, std::string>{{"qs8_erf_lut__avx2", "qs8_erf_lut__scalar"}}));
  } else {
    GTEST_SKIP() << "no AVX2 here";
  }
}

// The verdict is judged on the measured figures handed to it, never on the
// JSON entries written beside them (#16).
TEST(Verdict, IsJudgedOnTheMeasuredFigures) {
  nlohmann::json kj = {{"peer", false}, {"specials", nlohmann::json::array()}};
  // What a reader would find in "vs": all fine. The measurement says otherwise.
  kj["vs"]["formula"] = {{"max_ulp", 0.0}, {"count", 10}, {"histogram", {{"correctly_rounded", 10}}}};
  kj["vs"]["exact"] = {{"max_ulp", 0.0}, {"max_abs", 0.0}};
  Contract c;
  c.budget = {1.0, 2.0, 1e-6};
  c.core_ulp = 0.75;
  c.correctly_rounded = true;
  Measured m;
  m.ulp_vs_formula = 1.5;
  m.ulp_vs_exact = INFINITY;  // a NaN figure is measured as inf
  m.abs_vs_exact = 1e-7;
  m.core_ulp_vs_formula = 0.5;
  m.misrounded = 3;
  EXPECT_FALSE(add_verdict(kj, c, m));
  std::map<std::string, nlohmann::json> checks;
  for (const auto& ch : kj["verdict"]["checks"]) checks[ch["metric"]] = ch;
  EXPECT_EQ(checks["max_ulp_vs_formula"]["measured"], 1.5);
  EXPECT_FALSE(checks["max_ulp_vs_formula"]["pass"].get<bool>());
  EXPECT_EQ(checks["max_ulp_vs_exact"]["measured"], "inf");
  EXPECT_TRUE(checks["max_abs_vs_exact"]["pass"].get<bool>());
  EXPECT_TRUE(checks["core_max_ulp_vs_formula"]["pass"].get<bool>());
  EXPECT_EQ(checks["misrounded"]["measured"], 3);
  EXPECT_EQ(checks["specials_wrong"]["measured"], 0);
}

// Special values are tallied by one rule for the verdict and the console:
// a deviation counts as declared only where it happened as declared.
TEST(Verdict, SpecialsAreTalliedOnce) {
  nlohmann::json sp = nlohmann::json::array(
      {special_json("+0", 0.0f, "0x00000000", 0.0f, 0.0f, "0x00000000", true),
       special_json("-inf", -INFINITY, "0xff800000", -0.0f, NAN, "0x7fc00000", false, true),
       special_json("+inf", INFINITY, "0x7f800000", INFINITY, NAN, "0x7fc00000", false, false),
       special_json("qnan", NAN, "0x7fc00000", NAN, 1.0f, "0x3f800000", false)});
  const SpecialsTally t = tally_specials(sp);
  EXPECT_EQ(t.wrong, 2);
  EXPECT_EQ(t.declared, 1);
  EXPECT_EQ(t.wrong_text, (std::vector<std::string>{"+inf -> nan", "qnan -> 0x1p+0"}));
  nlohmann::json kj = {{"peer", false}, {"specials", sp}};
  EXPECT_FALSE(add_verdict(kj, Contract{}, Measured{}));
  EXPECT_EQ(kj["verdict"]["checks"].back()["metric"], "specials_wrong");
  EXPECT_EQ(kj["verdict"]["checks"].back()["measured"], 2);
  kj["peer"] = true;  // peers claim nothing: no specials check
  EXPECT_TRUE(add_verdict(kj, Contract{}, Measured{}));
}

// One comparison's entry: the regions merged in order, the whole's ULP sum
// as given where the caller has it exactly, and the figures the verdict takes.
TEST(Verdict, ComparisonFiguresAndWhatIsMeasured) {
  std::array<Stats, kRegions> regions;
  const double tol[kNumProfiles] = {1, 1};
  regions[kNegTail].add(4.0, 1e-9, false, 1e-3, tol, 0xc1000000u, 0.0f, 0.0f);
  regions[kCore].add(0.25, 1e-9, true, 1e-9, tol, 0x3f800000u, 1.0f, 1.0f);
  regions[kCore].add(NAN, NAN, false, NAN, tol, 0x40000000u, NAN, 2.0f);
  std::vector<Bin> bins(kBins);
  const ComparisonFigures merged = comparison_figures(regions, bins, Formula::erf);
  const ComparisonFigures exact_sum = comparison_figures(regions, bins, Formula::erf, 3.0);
  EXPECT_EQ(merged.all.count, 3u);
  EXPECT_EQ(merged.json["regions"]["core"]["count"], 2);
  EXPECT_EQ(exact_sum.json["mean_ulp"], 1.0);
  const Measured m = measured(merged, merged);
  EXPECT_EQ(m.ulp_vs_formula, 4.0);
  EXPECT_EQ(m.core_ulp_vs_formula, 0.25);  // NaN never wins a max: Stats keeps the first larger
  EXPECT_EQ(m.misrounded, 2u);
}

TEST(Formatting, HexFloatsAndInfinities) {
  EXPECT_EQ(hexfloat(-3.0f), "-0x1.8p+1");
  EXPECT_EQ(hexfloat(-0.0f), "-0x0p+0");
  EXPECT_EQ(hexfloat(INFINITY), "inf");
  EXPECT_EQ(json_number(INFINITY), "inf");
  EXPECT_EQ(json_number(1.5), 1.5);
}

// The sweep's ULP sums are exact, rounded once: any order of the chunks (and
// any split into shards) gives the same figure, where plain addition does not.
TEST(ExactSum, IsTheRoundedExactSumInAnyOrder) {
  const double big = 0x1p53;
  ExactSum s;
  for (double v : {big, 1.0, 1.0}) s.add(v);
  EXPECT_EQ(s.value(), big + 2);  // (big + 1) + 1 rounds to big twice
  EXPECT_EQ((big + 1.0) + 1.0, big);
  // Cancellation down to the smallest term, in two orders, and split in two.
  const std::vector<double> terms = {1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50};
  ExactSum a, b, left, right;
  for (double v : terms) a.add(v);
  for (auto it = terms.rbegin(); it != terms.rend(); ++it) b.add(*it);
  for (size_t i = 0; i < terms.size(); ++i) (i < 3 ? left : right).add(terms[i]);
  left.merge(right);
  EXPECT_EQ(a.value(), 1e-100);
  EXPECT_EQ(b.value(), 1e-100);
  EXPECT_EQ(left.value(), 1e-100);
  // Ties round to even: 1 + 2^-53 is halfway between 1 and its successor;
  // a further tiny term decides it upward.
  ExactSum tie;
  for (double v : {1.0, 0x1p-53}) tie.add(v);
  EXPECT_EQ(tie.value(), 1.0);
  tie.add(0x1p-100);
  EXPECT_EQ(tie.value(), 1.0 + 0x1p-52);
  // A restored state (shard files) has the same value; infinities stay.
  EXPECT_EQ(ExactSum::restore(a.partials(), a.special()).value(), a.value());
  ExactSum inf;
  inf.add(1.0);
  inf.add(INFINITY);
  EXPECT_EQ(inf.value(), INFINITY);
}

}  // namespace
}  // namespace gelubench
