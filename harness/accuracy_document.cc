#include "harness/accuracy_document.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "harness/accuracy_stats.h"
#include "harness/context.h"

namespace gelubench {
namespace {

constexpr const char* kSchema = "gelubench.accuracy/1";
// /2: the partial figures carry "same_bits", the kernels with identical outputs.
constexpr const char* kShardSchema = "gelubench.accuracy-shard/2";
constexpr const char* kOldShardSchema = "gelubench.accuracy-shard/1";

// What every shard of one run shares: the context without its date and
// thread count (which do not change a figure), and the kernels skipped.
nlohmann::json run_key(const nlohmann::json& context, const nlohmann::json& skipped) {
  nlohmann::json key = context;
  key.erase("date");
  key.erase("threads");
  key["skipped"] = skipped;
  return key;
}

std::string num_text(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : fmt::format("{:.3g}", v.get<double>());
}

std::string verdict_text(const nlohmann::json& k) {
  std::string v = k["peer"].get<bool>() ? "peer" : (k["verdict"]["pass"].get<bool>() ? "PASS" : "FAIL");
  // "input -> output" per wrong one, named so a reader can find it
  const SpecialsTally t = tally_specials(k.value("specials", nlohmann::json::array()));
  if (t.wrong)
    v += fmt::format(" ({} special{} wrong: {})", t.wrong, t.wrong > 1 ? "s" : "", fmt::join(t.wrong_text, ", "));
  if (t.declared) v += fmt::format(" ({} declared special deviation{})", t.declared, t.declared > 1 ? "s" : "");
  return v;
}

}  // namespace

nlohmann::json accuracy_context(IsaCap cap, uint64_t stride, int threads) {
  nlohmann::json ctx = run_context(cap);
  ctx["mode"] = stride == 1 ? "exhaustive" : "stride";
  ctx["stride"] = stride;
  ctx["threads"] = threads;
  return ctx;
}

nlohmann::json accuracy_document(const AccuracyResult& f32, const NarrowAccuracyResult& narrow,
                                 nlohmann::json ctx, nlohmann::json skipped) {
  ctx["inputs"] = f32.inputs;
  ctx["elapsed_s"] = f32.elapsed_s;
  ctx["ulp_definition"] = kUlpDefinition;
  ctx["region_bounds"] = {kTailBelow, kCoreAbove};
  ctx["certified_calls"] = f32.certified_calls;
  nlohmann::json kernels = f32.kernels;
  for (const auto& k : narrow.kernels) kernels.push_back(k);
  const int failed = f32.failed + narrow.failed;
  // Peers claim nothing, so they always pass; "peers" says how many there were.
  int total = static_cast<int>(kernels.size() + narrow.quantized.size()), peers = 0;
  for (const auto& k : kernels) peers += k["peer"].get<bool>();
  return {{"schema", kSchema},
          {"context", ctx},
          {"skipped", skipped},
          {"summary", {{"kernels", total}, {"peers", peers}, {"passed", total - failed}, {"failed", failed}}},
          {"kernels", kernels},
          {"quantized", narrow.quantized}};
}

nlohmann::json shard_document(const AccuracyResult& f32, const NarrowAccuracyResult& narrow,
                              nlohmann::json ctx, nlohmann::json skipped, Shard shard) {
  nlohmann::json doc = {{"schema", kShardSchema},
                        {"shard", {{"index", shard.index}, {"count", shard.count}}},
                        {"run_key", run_key(ctx, skipped)},
                        {"context", ctx},
                        {"skipped", skipped},
                        {"elapsed_s", f32.elapsed_s},
                        {"partial", f32.partial.is_null() ? nlohmann::json::object() : f32.partial},
                        {"narrow", nullptr}};
  if (shard.index == 0)
    doc["narrow"] = {{"kernels", narrow.kernels}, {"quantized", narrow.quantized}, {"failed", narrow.failed}};
  return doc;
}

nlohmann::json merge_shard_documents(const std::vector<std::pair<std::string, nlohmann::json>>& shards) {
  if (shards.empty()) throw std::runtime_error("no shard files given");
  for (const auto& [path, doc] : shards) {
    if (doc.is_object() && doc.value("schema", "") == kOldShardSchema)
      throw std::runtime_error(fmt::format("{}: a shard file of an older gelubench (schema '{}'); run the shards "
                                           "again with this one",
                                           path, kOldShardSchema));
    if (!doc.is_object() || doc.value("schema", "") != kShardSchema)
      throw std::runtime_error(fmt::format("{}: not a shard file (schema '{}'; `gelubench accuracy --shard K/N "
                                           "--out FILE` writes them)",
                                           path, doc.is_object() ? doc.value("schema", "") : ""));
  }
  // Shard K of N at position K, each once.
  const uint64_t count = shards.front().second.at("shard").at("count").get<uint64_t>();
  std::vector<const std::pair<std::string, nlohmann::json>*> by_index(count, nullptr);
  for (const auto& s : shards) {
    const uint64_t n = s.second.at("shard").at("count").get<uint64_t>();
    const uint64_t k = s.second.at("shard").at("index").get<uint64_t>();
    if (n != count)
      throw std::runtime_error(fmt::format("{} is shard {}/{}, but {} is one of {}", s.first, k, n,
                                           shards.front().first, count));
    if (k >= count) throw std::runtime_error(fmt::format("{}: shard index {} is not below {}", s.first, k, count));
    if (by_index[k])
      throw std::runtime_error(fmt::format("shard {}/{} given twice: {} and {}", k, count, by_index[k]->first, s.first));
    by_index[k] = &s;
  }
  std::vector<std::string> missing;
  for (uint64_t k = 0; k < count; ++k)
    if (!by_index[k]) missing.push_back(fmt::format("{}/{}", k, count));
  if (!missing.empty()) throw std::runtime_error(fmt::format("shard {} missing", fmt::join(missing, ", ")));

  const auto& [path0, doc0] = *by_index[0];
  const nlohmann::json& key0 = doc0.at("run_key");
  std::vector<nlohmann::json> partials;
  double elapsed = 0;
  for (const auto* s : by_index) {
    const nlohmann::json& key = s->second.at("run_key");
    if (key != key0) {
      // Name the first field that differs (commit, CPU, stride, ...).
      std::string field = "its kernel set";
      for (const auto& [name, value] : key0.items())
        if (!key.contains(name) || key[name] != value) {
          field = name;
          break;
        }
      throw std::runtime_error(fmt::format("{} does not belong to the run of {}: {} differs ({} vs {})", s->first,
                                           path0, field, key.value(field, nlohmann::json()).dump(),
                                           key0.value(field, nlohmann::json()).dump()));
    }
    partials.push_back(s->second.at("partial"));
    elapsed += s->second.at("elapsed_s").get<double>();
  }
  AccuracyResult f32;
  try {
    f32 = merge_partials(partials);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("the shards do not fit together: {}", e.what()));
  }
  f32.elapsed_s = elapsed;
  const nlohmann::json& nj = doc0.at("narrow");
  if (!nj.is_object()) throw std::runtime_error(fmt::format("{}: shard 0 lacks the narrow formats' results", path0));
  NarrowAccuracyResult narrow{nj.at("kernels"), nj.at("quantized"), nj.at("failed").get<int>()};
  return accuracy_document(f32, narrow, doc0.at("context"), doc0.at("skipped"));
}

void print_accuracy_table(const nlohmann::json& doc) {
  fmt::print("{:<40} {:>12} {:>16} {:>12} {:>8} {:>10}  {}\n", "kernel", "ulp(exact)", "worst x",
             "ulp(formula)", "CR %", "max abs", "budget");
  for (const auto& k : doc["kernels"]) {
    const auto& ex = k["vs"]["exact"];
    const auto& fo = k["vs"]["formula"];
    fmt::print("{:<40} {:>12} {:>16} {:>12} {:>8.3f} {:>10}  {}\n", k["name"].get<std::string>(),
               num_text(ex["max_ulp"]), ex["worst_input"].get<std::string>(), num_text(fo["max_ulp"]),
               100 * fo["correctly_rounded_fraction"].get<double>(), num_text(ex["max_abs"]), verdict_text(k));
  }
  for (const auto& k : doc["quantized"])
    fmt::print("{:<40} {:>12} {:>16} {:>12} {:>8} {:>10}  {}\n", k["name"].get<std::string>(),
               fmt::format("{} LSB", k["max_lsb"].get<double>()), "", "", "", num_text(k["max_abs_vs_exact"]),
               verdict_text(k));
  const nlohmann::json& ctx = doc["context"];
  const nlohmann::json& sum = doc["summary"];
  fmt::print("ULP: {} (f16/bf16: the same in the format's own spacing; qs8: output LSB)\n", kUlpDefinition);
  fmt::print("{} f32 inputs, {:.1f}s; certified-tier calls: {}\n", ctx["inputs"].get<uint64_t>(),
             ctx["elapsed_s"].get<double>(), ctx["certified_calls"].dump());
  const int peers = sum["peers"].get<int>(), failed = sum["failed"].get<int>();
  fmt::print("budgets: {} passed, {} failed ({} peers, no budget)\n", sum["kernels"].get<int>() - peers - failed,
             failed, peers);
}

}  // namespace gelubench
