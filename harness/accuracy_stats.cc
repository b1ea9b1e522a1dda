#include "harness/accuracy_stats.h"

#include "harness/peer_libraries.h"

#include <cmath>

#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

// Declared budgets: kUnbounded ("no claim") is written as null.
nlohmann::json budget_json(double v) { return std::isinf(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

nlohmann::json mean_json(double sum, uint64_t count) {
  return json_number(count ? sum / static_cast<double>(count) : 0.0);
}

}  // namespace

bool certified_agrees(Formula f, float x) {
  FastRef fast = reference_fast(f, x);
  FastRef cert = reference_certified_parts(f, x);
  return std::fabs((fast.hi - cert.hi) + (fast.lo - cert.lo)) <= fast.err + cert.err;
}

nlohmann::json stats_json(const Stats& s, Formula f, bool with_extra, const ToleranceProfile* profiles,
                          int n_profiles) {
  if (profiles == nullptr) profiles = kProfiles, n_profiles = kNumProfiles;
  nlohmann::json j;
  j["count"] = s.count;
  j["max_ulp"] = json_number(std::max(s.max_ulp, 0.0));
  j["worst_input"] = hexfloat(f32_from_bits(s.worst_x));
  j["worst_output"] = hexfloat(s.worst_y);
  j["worst_expected"] = hexfloat(s.worst_expected);
  // Re-derive the worst case's reference with the 166-bit tier: the reported
  // figure stands on a certified value, not only on the fast tier's bound.
  j["worst_reference_certified"] = s.count == 0 || certified_agrees(f, f32_from_bits(s.worst_x));
  j["mean_ulp"] = mean_json(s.sum_ulp, s.count);
  nlohmann::json h;
  for (int b = 0; b < kBuckets; ++b) h[kBucketNames[b]] = s.hist[b];
  j["histogram"] = h;
  j["correctly_rounded_fraction"] =
      s.count ? static_cast<double>(s.correctly_rounded) / static_cast<double>(s.count) : 1.0;
  j["max_abs"] = json_number(std::max(s.max_abs, 0.0));
  j["max_abs_input"] = hexfloat(f32_from_bits(s.max_abs_x));
  j["max_rel"] = json_number(std::max(s.max_rel, 0.0));
  j["max_rel_input"] = hexfloat(f32_from_bits(s.max_rel_x));
  if (with_extra) {
    nlohmann::json p;
    for (int t = 0; t < n_profiles; ++t)
      p[profiles[t].name] = {{"rtol", profiles[t].rtol},
                             {"atol", profiles[t].atol},
                             {"violations", s.violations[t]},
                             {"pass", s.violations[t] == 0}};
    j["profiles"] = p;
  }
  return j;
}

nlohmann::json error_profile_json(const std::vector<Bin>& bins) {
  nlohmann::json prof = {{"lo", kProfileLo}, {"hi", kProfileHi}, {"bin_width", kProfileBinWidth}};
  nlohmann::json mx = nlohmann::json::array(), mean = nlohmann::json::array(), cnt = nlohmann::json::array();
  for (int b = 1; b <= kInnerBins; ++b) {
    mx.push_back(json_number(bins[b].max_ulp));
    mean.push_back(mean_json(bins[b].sum_ulp, bins[b].count));
    cnt.push_back(bins[b].count);
  }
  prof["max_ulp"] = mx, prof["mean_ulp"] = mean, prof["count"] = cnt;
  for (auto [key, b] : {std::pair{"below", &bins[0]}, std::pair{"above", &bins[kBins - 1]}})
    prof[key] = {{"max_ulp", json_number(b->max_ulp)}, {"mean_ulp", mean_json(b->sum_ulp, b->count)},
                 {"count", b->count}};
  return prof;
}

nlohmann::json kernel_identity_json(const KernelInfo& k) {
  nlohmann::json j;
  j["name"] = std::string(k.name);
  j["dtype"] = std::string(dtype_name(k.dtype));
  j["formula"] = std::string(formula_name(k.formula));
  j["peer"] = k.peer;
  if (k.plugin) j["plugin"] = k.plugin;
  if (k.dl && k.dl->external()) {
    j["external"] = k.dl->command;
    if (const char* t = k.dl->transport.load()) j["external_transport"] = t;
  }
  nlohmann::json feats = nlohmann::json::array();
  for (const auto& f : all_features())
    if (k.features & f.bit) feats.push_back(std::string(f.name));
  j["features"] = feats;
  j["budget"] = {{"max_ulp_vs_formula", budget_json(k.budget.max_ulp_vs_formula)},
                 {"max_ulp_vs_exact", budget_json(k.budget.max_ulp_vs_exact)},
                 {"max_abs_vs_exact", budget_json(k.budget.max_abs_vs_exact)}};
  return j;
}

namespace {

// Appends one check to kj["verdict"] and folds it into the verdict's pass.
void add_check(nlohmann::json& kj, const char* metric, nlohmann::json declared, nlohmann::json measured, bool ok) {
  kj["verdict"]["checks"].push_back(
      {{"metric", metric}, {"declared", std::move(declared)}, {"measured", std::move(measured)}, {"pass", ok}});
  if (!ok) kj["verdict"]["pass"] = false;
}

}  // namespace

bool add_verdict(nlohmann::json& kj, const Budget& budget, double ulp_vs_formula, double ulp_vs_exact,
                 double abs_vs_exact) {
  kj["verdict"] = {{"pass", true}, {"checks", nlohmann::json::array()}};
  auto check = [&](const char* metric, double declared, double value) {
    if (!std::isinf(declared)) add_check(kj, metric, declared, json_number(value), value <= declared);
  };
  check("max_ulp_vs_formula", budget.max_ulp_vs_formula, ulp_vs_formula);
  check("max_ulp_vs_exact", budget.max_ulp_vs_exact, ulp_vs_exact);
  check("max_abs_vs_exact", budget.max_abs_vs_exact, abs_vs_exact);
  return kj["verdict"]["pass"].get<bool>();
}

Contract contract_of(const KernelInfo& k) {
  return {k.budget, k.declared.core_ulp, k.declared.correctly_rounded};
}

nlohmann::json contract_json(const Contract& c) {
  return {{"budget", {json_number(c.budget.max_ulp_vs_formula), json_number(c.budget.max_ulp_vs_exact),
                      json_number(c.budget.max_abs_vs_exact)}},
          {"core_ulp", json_number(c.core_ulp)},
          {"correctly_rounded", c.correctly_rounded}};
}

Contract contract_from_json(const nlohmann::json& j) {
  auto num = number_from_json;
  Contract c;
  c.budget = {num(j.at("budget").at(0)), num(j.at("budget").at(1)), num(j.at("budget").at(2))};
  c.core_ulp = num(j.at("core_ulp"));
  c.correctly_rounded = j.at("correctly_rounded").get<bool>();
  return c;
}

ComparisonFigures comparison_figures(const std::array<Stats, kRegions>& regions, const std::vector<Bin>& bins,
                                     Formula f, std::optional<double> all_sum_ulp, const ToleranceProfile* profiles,
                                     int n_profiles) {
  ComparisonFigures c;
  c.regions = regions;
  for (const Stats& s : regions) c.all.merge(s);
  if (all_sum_ulp) c.all.sum_ulp = *all_sum_ulp;
  c.json = stats_json(c.all, f, true, profiles, n_profiles);
  for (int g = 0; g < kRegions; ++g) c.json["regions"][kRegionNames[g]] = stats_json(regions[g], f, false);
  c.json["error_profile"] = error_profile_json(bins);
  return c;
}

nlohmann::json special_json(const std::string& name, float input, const std::string& input_bits, float expected,
                            float output, const std::string& output_bits, bool pass,
                            std::optional<bool> as_declared) {
  nlohmann::json j = {{"name", name},
                      {"input", hexfloat(input)},
                      {"input_bits", input_bits},
                      {"expected", hexfloat(expected)},
                      {"output", hexfloat(output)},
                      {"output_bits", output_bits},
                      {"pass", pass}};
  if (as_declared) j["declared_deviation"] = {{"as_declared", *as_declared}};
  return j;
}

SpecialsTally tally_specials(const nlohmann::json& specials) {
  SpecialsTally t;
  for (const auto& s : specials) {
    if (s["pass"].get<bool>()) continue;
    if (s.contains("declared_deviation") && s["declared_deviation"]["as_declared"].get<bool>()) {
      ++t.declared;
    } else {
      ++t.wrong;
      t.wrong_text.push_back(s["name"].get<std::string>() + " -> " + s["output"].get<std::string>());
    }
  }
  return t;
}

Measured measured(const ComparisonFigures& exact, const ComparisonFigures& formula) {
  // As stats_json writes them: max(figure, 0), and a NaN (written "nan") fails
  // any bound, like inf.
  auto figure = [](double v) {
    v = std::max(v, 0.0);
    return std::isnan(v) ? INFINITY : v;
  };
  Measured m;
  m.ulp_vs_formula = figure(formula.all.max_ulp);
  m.ulp_vs_exact = figure(exact.all.max_ulp);
  m.abs_vs_exact = figure(exact.all.max_abs);
  m.core_ulp_vs_formula = figure(formula.regions[kCore].max_ulp);
  m.misrounded = formula.all.count - formula.all.hist[0];
  return m;
}

bool add_verdict(nlohmann::json& kj, const Contract& k, const Measured& m) {
  add_verdict(kj, k.budget, m.ulp_vs_formula, m.ulp_vs_exact, m.abs_vs_exact);
  if (!std::isinf(k.core_ulp))
    add_check(kj, "core_max_ulp_vs_formula", k.core_ulp, json_number(m.core_ulp_vs_formula),
              m.core_ulp_vs_formula <= k.core_ulp);
  if (k.correctly_rounded) add_check(kj, "misrounded", 0, m.misrounded, m.misrounded == 0);
  // Special values are part of every own kernel's contract (NaN -> NaN,
  // +-inf and +-0 as bits, ...): a wrong one fails the verdict unless its
  // registry line declares exactly that deviation. Peers claim nothing.
  if (!kj.value("peer", false) && kj.contains("specials")) {
    const int wrong = tally_specials(kj["specials"]).wrong;
    add_check(kj, "specials_wrong", 0, wrong, wrong == 0);
  }
  return kj["verdict"]["pass"].get<bool>();
}

}  // namespace gelubench
