// The accuracy driver: result keys (the contract with the report and outside
// tools), determinism across thread counts, and the figures it computes.
#include <gtest/gtest.h>

#include "harness/accuracy.h"
#include "harness/exact_sum.h"
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
