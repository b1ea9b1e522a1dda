#include "harness/cli.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <regex>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/accuracy.h"
#include "harness/accuracy_document.h"
#include "harness/context.h"
#include "harness/cpu_features.h"
#include "harness/external.h"
#include "harness/narrow.h"
#include "harness/narrow_accuracy.h"
#include "harness/npy.h"
#include "harness/plugins.h"
#include "harness/registry.h"
#include "harness/result_file.h"
#include "harness/throughput.h"

namespace gelubench {
namespace {

constexpr int kExitBudget = 1, kExitUsage = 2, kExitInterrupted = 130;

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

// A user-facing error: one line on stderr, exit 2.
struct UsageError {
  std::string message;
};

IsaCap resolve_isa(const std::string& requested) {
  const CpuInfo& cpu = cpu_info();
  IsaCap best = best_isa(cpu);
  if (requested.empty()) return best;
  auto cap = parse_isa(requested);
  if (!cap) throw UsageError{fmt::format("--isa: unknown ISA '{}' (expected scalar, avx2 or avx512)", requested)};
  if (static_cast<int>(*cap) > static_cast<int>(best))
    throw UsageError{fmt::format("--isa={} is above this CPU (best: {})", requested, isa_name(best))};
  return *cap;
}

// The selected kernels that can run under `cap`; the rest are reported.
std::vector<const KernelInfo*> runnable_selection(const std::vector<std::string>& globs, IsaCap cap,
                                                  nlohmann::json* skipped) {
  Selection sel = select_kernels(globs);
  if (!sel.unmatched_patterns.empty())
    throw UsageError{fmt::format("--kernel: no kernel matches '{}' (see `gelubench list`)",
                                 sel.unmatched_patterns.front())};
  std::vector<const KernelInfo*> run;
  for (const KernelInfo* k : sel.kernels) {
    std::string why = why_not_runnable(*k, cap);
    if (why.empty()) {
      run.push_back(k);
    } else {
      fmt::print(stderr, "skip {}: {}\n", k->name, why);
      if (skipped) skipped->push_back({{"name", std::string(k->name)}, {"reason", why}});
    }
  }
  return run;
}

// CLI11's message for a bad command line, as one line: its range check says
// "Value abc not in range" also when abc is no number at all (every ranged
// option here takes a whole number); its conversion and missing-value messages
// are its own jargon ("Could not convert: --x = abc", "--x: 1 required UINT missing").
std::string parse_error_text(std::string msg) {
  std::smatch m;
  static const std::regex kRange(R"(^(.*?): ?Value (\S+) not in range (.*)$)");
  static const std::regex kWhole(R"(^[+-]?\d+$)");
  static const std::regex kConversion(R"(^Could not convert: (\S+) = (.*)$)");
  static const std::regex kMissing(R"(^(\S+): \d+ required .+ missing$)");
  if (std::regex_match(msg, m, kRange)) {
    char* end = nullptr;
    const std::string value = m[2];
    std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0')
      return fmt::format("{}: '{}' is not a number (expected one in {})", m[1].str(), value, m[3].str());
    if (!std::regex_match(value, kWhole))
      return fmt::format("{}: '{}' is not a whole number (expected one in {})", m[1].str(), value, m[3].str());
    return fmt::format("{}: {} is not in {}", m[1].str(), value, m[3].str());
  }
  if (std::regex_match(msg, m, kConversion)) return fmt::format("{}: '{}' is not a number", m[1].str(), m[2].str());
  if (std::regex_match(msg, m, kMissing)) return fmt::format("{} needs a value", m[1].str());
  for (char& c : msg)
    if (c == '\n') c = ';';
  return msg;
}

// Edit distance (insertions, deletions, substitutions) between a and b.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

// The `count` registered names nearest to `name`, nearest first.
std::vector<std::string> closest_names(const std::string& name, size_t count) {
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const auto& k : all_kernels()) ranked.emplace_back(edit_distance(name, k.name), std::string(k.name));
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < std::min(count, ranked.size()); ++i) out.push_back(ranked[i].second);
  return out;
}

std::string budget_text(double v) { return std::isinf(v) ? "-" : fmt::format("{:g}", v); }

int cmd_info(bool json) {
  nlohmann::json info = cpu_info_json();
  if (json) {
    fmt::print("{}\n", info.dump(2));
    return 0;
  }
  const CpuInfo& cpu = cpu_info();
  fmt::print("CPU:       {} ({})\n", cpu.model, cpu.vendor);
  fmt::print("Features:  {}\n", feature_list(cpu.features));
  fmt::print("Best ISA:  {}\n", isa_name(best_isa(cpu)));
  fmt::print("Caches:    L1d {} KiB, L2 {} KiB, L3 {} KiB\n", cpu.l1d_bytes >> 10, cpu.l2_bytes >> 10,
             cpu.l3_bytes >> 10);
  fmt::print("CPUs:      {}\n", info["logical_cpus"].get<long>());
  for (const auto& [name, lib] : info["peer_libraries"].items()) {
    if (lib.contains("unavailable"))
      fmt::print("Peer {:<9} unavailable: {}\n", name + ":", lib["unavailable"].get<std::string>());
    else
      fmt::print("Peer {:<9} {} {} ({})\n", name + ":", lib.value("library", "?"), lib.value("version", "?"),
                 lib.value("code_path", "?"));
  }
  return 0;
}

int cmd_list(const std::vector<std::string>& globs, IsaCap cap, bool json) {
  Selection sel = select_kernels(globs);
  if (!sel.unmatched_patterns.empty())
    throw UsageError{fmt::format("--kernel: no kernel matches '{}'", sel.unmatched_patterns.front())};
  nlohmann::json out = nlohmann::json::array();
  // Columns as wide as their longest entry (AVX-512 feature lists run long).
  auto features_text = [](const KernelInfo* k) {
    return k->peer ? "peer; " + feature_list(k->features) : feature_list(k->features);
  };
  size_t name_w = 6, feat_w = 8;
  for (const KernelInfo* k : sel.kernels)
    name_w = std::max(name_w, k->name.size()), feat_w = std::max(feat_w, features_text(k).size());
  if (!json)
    fmt::print("{:<{}} {:<5} {:<8} {:<{}} {:>10} {:>10} {:>11}  {}\n", "kernel", name_w, "dtype", "formula",
               "features", feat_w, "ulp_form", "ulp_exact", "abs_exact", "runnable");
  for (const KernelInfo* k : sel.kernels) {
    std::string why = why_not_runnable(*k, cap);
    if (json) {
      auto b = [](double v) { return std::isinf(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
      out.push_back({{"name", std::string(k->name)},
                     {"dtype", std::string(dtype_name(k->dtype))},
                     {"formula", std::string(formula_name(k->formula))},
                     {"features", feature_list(k->features)},
                     {"peer", k->peer},
                     {"budget",
                      {{"max_ulp_vs_formula", b(k->budget.max_ulp_vs_formula)},
                       {"max_ulp_vs_exact", b(k->budget.max_ulp_vs_exact)},
                       {"max_abs_vs_exact", b(k->budget.max_abs_vs_exact)}}},
                     {"runnable", why.empty()},
                     {"reason", why}});
    } else {
      fmt::print("{:<{}} {:<5} {:<8} {:<{}} {:>10} {:>10} {:>11}  {}\n", k->name, name_w, dtype_name(k->dtype),
                 formula_name(k->formula), features_text(k), feat_w, budget_text(k->budget.max_ulp_vs_formula),
                 budget_text(k->budget.max_ulp_vs_exact), budget_text(k->budget.max_abs_vs_exact),
                 why.empty() ? "yes" : "no: " + why);
    }
  }
  if (json) fmt::print("{}\n", out.dump(2));
  return 0;
}

int cmd_accuracy(const std::vector<std::string>& globs, IsaCap cap, uint64_t stride, int threads,
                 const std::optional<std::string>& out_path, Shard shard) {
  if (shard.count > 1 && !out_path)
    throw UsageError{"--shard needs --out: a shard's result is a file for `gelubench merge`"};
  if (out_path)
    if (std::string err = check_writable(*out_path); !err.empty()) throw UsageError{"--out: " + err};
  nlohmann::json skipped = nlohmann::json::array();
  std::vector<const KernelInfo*> narrow;
  AccuracyOptions opt;
  for (const KernelInfo* k : runnable_selection(globs, cap, &skipped))
    (k->dtype == DType::f32 ? opt.kernels : narrow).push_back(k);
  opt.stride = stride;
  opt.threads = threads;
  opt.progress = true;
  opt.stop = &g_stop;
  opt.shard = shard;
  if (opt.kernels.empty() && narrow.empty()) throw UsageError{"no runnable kernel selected"};

  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);
  AccuracyResult r;
  r.completed = true;
  if (!opt.kernels.empty()) r = run_accuracy(opt);
  if (!r.completed || g_stop.load()) {
    fmt::print(stderr, "gelubench: interrupted; no result written\n");
    return kExitInterrupted;
  }
  // f16, bf16 and qs8 are always exhaustive: 65536 or 256 inputs (in shard 0
  // of a split run).
  NarrowAccuracyResult nr;
  if (shard.index == 0) nr = run_narrow_accuracy(narrow);

  const nlohmann::json ctx = accuracy_context(cap, stride, threads);
  if (shard.count > 1) {
    write_file_atomically(*out_path, shard_document(r, nr, ctx, skipped, shard).dump() + "\n");
    fmt::print("shard {}/{}: {} f32 inputs, {:.1f}s -> {} (combine the shards with `gelubench merge`)\n",
               shard.index, shard.count, r.inputs, r.elapsed_s, *out_path);
    return 0;
  }
  const nlohmann::json doc = accuracy_document(r, nr, ctx, skipped);
  print_accuracy_table(doc);
  if (out_path) write_file_atomically(*out_path, doc.dump(1) + "\n");
  // The verdicts as measured (the document states the same counts).
  return r.failed + nr.failed ? kExitBudget : 0;
}

int cmd_merge(const std::vector<std::string>& paths, const std::string& out_path) {
  if (std::string err = check_writable(out_path); !err.empty()) throw UsageError{"--out: " + err};
  std::vector<std::pair<std::string, nlohmann::json>> shards;
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) throw UsageError{fmt::format("{}: cannot read it", path)};
    try {
      shards.emplace_back(path, nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& e) {
      throw UsageError{fmt::format("{}: not a JSON file ({})", path, e.what())};
    }
  }
  nlohmann::json doc;
  try {
    doc = merge_shard_documents(shards);
  } catch (const std::exception& e) {
    throw UsageError{e.what()};
  }
  print_accuracy_table(doc);
  write_file_atomically(out_path, doc.dump(1) + "\n");
  return doc["summary"]["failed"].get<int>() ? kExitBudget : 0;
}

// "K/N" with 0 <= K < N.
Shard parse_shard(const std::string& text) {
  std::smatch m;
  static const std::regex kShard(R"(^(\d{1,9})/(\d{1,9})$)");
  if (!std::regex_match(text, m, kShard))
    throw UsageError{fmt::format("--shard: '{}' is not K/N (shard K of N, counting from 0)", text)};
  Shard s{std::stoull(m[1]), std::stoull(m[2])};
  if (s.count == 0 || s.index >= s.count)
    throw UsageError{fmt::format("--shard {}: K must be below N (shards 0 to N-1)", text)};
  return s;
}

const char* npy_descr(DType d) {
  switch (d) {
    case DType::f32: return "<f4";
    case DType::f16: return "<f2";
    case DType::bf16: return "<u2";  // bf16 bit patterns: NumPy has no bfloat16
    case DType::qs8: return "|i1";
  }
  return "";
}

int cmd_run(const std::string& kernel, IsaCap cap, const std::string& in, const std::string& out,
            const std::optional<QuantParams>& quant) {
  const KernelInfo* k = find_kernel(kernel);
  if (!k) {
    if (kernel.find_first_of("*?") != std::string::npos)
      throw UsageError{fmt::format("--kernel: run takes one exact kernel name, not a pattern like '{}' "
                                   "(see `gelubench list --kernel '{}'`)",
                                   kernel, kernel)};
    throw UsageError{fmt::format("--kernel: unknown kernel '{}'; closest: {} (see `gelubench list`)", kernel,
                                 fmt::join(closest_names(kernel, 3), ", "))};
  }
  if (std::string why = why_not_runnable(*k, cap); !why.empty())
    throw UsageError{fmt::format("{} cannot run here: {}", kernel, why)};
  if (k->dtype == DType::qs8 && !quant)
    throw UsageError{"qs8 kernels need --input-scale, --input-zero-point, --output-scale, --output-zero-point"};
  if (k->dtype != DType::qs8 && quant) throw UsageError{"quantization flags apply to qs8 kernels only"};
  if (quant && !(quant->input_scale > 0 && quant->output_scale > 0 && std::isfinite(quant->input_scale) &&
                 std::isfinite(quant->output_scale)))
    throw UsageError{"--input-scale and --output-scale must be positive and finite"};
  if (std::string err = check_writable(out); !err.empty()) throw UsageError{"--out: " + err};
  // Ctrl-C is honoured between the steps (reading, the kernel, writing);
  // the write itself completes or leaves nothing (result_file.h).
  std::signal(SIGINT, on_sigint);
  std::signal(SIGTERM, on_sigint);
  auto interrupted = [] {
    if (!g_stop.load()) return false;
    fmt::print(stderr, "gelubench: interrupted; no result written\n");
    return true;
  };
  Array a;
  try {
    a = read_array(in, npy_descr(k->dtype));
    // Fail on a bad --out extension before the work, not after it.
    write_array_check(out, a);
  } catch (const std::runtime_error& e) {
    throw UsageError{e.what()};
  }
  if (interrupted()) return kExitInterrupted;
  const size_t n = a.size();
  switch (k->dtype) {
    case DType::f32: {
      float* p = reinterpret_cast<float*>(a.bytes.data());
      k->f32(n, p, p);
      break;
    }
    case DType::f16:
    case DType::bf16: {
      uint16_t* p = reinterpret_cast<uint16_t*>(a.bytes.data());
      k->u16(n, p, p, &u16_state(k->dtype));
      break;
    }
    case DType::qs8: {
      int8_t* p = reinterpret_cast<int8_t*>(a.bytes.data());
      QS8State state = prepare_qs8(*quant);
      k->qs8(n, p, p, &state);
      break;
    }
  }
  if (interrupted()) return kExitInterrupted;
  write_array(out, a);
  fmt::print(stderr, "{}: {} elements -> {}\n", kernel, n, out);
  return 0;
}

}  // namespace

int cli_main(int argc, char** argv) {
  // --benchmark_* flags belong to Google Benchmark; keep them out of CLI11.
  std::vector<std::string> args, benchmark_args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    (a.rfind("--benchmark_", 0) == 0 ? benchmark_args : args).push_back(a);
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector

  CLI::App app{"gelubench: accuracy and throughput of GELU implementations", "gelubench"};
  app.require_subcommand(1);
  std::string isa;
  std::vector<std::string> globs;
  bool json = false;
  const char* isa_help = "cap the ISA: scalar, avx2 or avx512 (default: best this CPU has)";
  const char* kernel_help = "kernel name or glob (repeatable; default: all)";
  std::vector<std::string> plugins, externals, external_budgets;
  const char* plugin_help = "load your own kernels from this shared object (kernels/plugin.h; repeatable)";
  const char* external_help =
      "NAME=COMMAND: a program computing GELU in its own process (adapters/README.md; repeatable)";
  const char* external_budget_help =
      "NAME=ULP[,ULP_EXACT[,ABS_EXACT]]: a budget for the --external NAME, judged like a registry kernel's "
      "(max ULP vs its formula, vs exact GELU, max abs vs exact; - = no claim; repeatable)";

  auto* info = app.add_subcommand("info", "print the CPU's model, features and caches");
  info->add_flag("--json", json, "machine-readable output");

  auto* list = app.add_subcommand("list", "list the registered kernels");
  list->add_option("--kernel", globs, kernel_help);
  list->add_option("--isa", isa, isa_help);
  list->add_option("--plugin", plugins, plugin_help);
  list->add_option("--external", externals, external_help);
  list->add_option("--external-budget", external_budgets, external_budget_help);
  list->add_flag("--json", json, "machine-readable output");

  uint64_t stride = 1;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string out;
  std::optional<std::string> acc_out;
  auto* acc = app.add_subcommand("accuracy", "measure error against the Boost reference over all float inputs");
  acc->add_option("--kernel", globs, kernel_help);
  acc->add_option("--isa", isa, isa_help);
  acc->add_option("--plugin", plugins, plugin_help);
  acc->add_option("--external", externals, external_help);
  acc->add_option("--external-budget", external_budgets, external_budget_help);
  bool exhaustive_flag = false;
  auto* exhaustive = acc->add_flag("--exhaustive", exhaustive_flag, "all 2^32 encodings (the default)");
  acc->add_option("--stride", stride, "measure every N-th encoding instead")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32))
      ->excludes(exhaustive);
  acc->add_option("--threads", threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  acc->add_option("--out", acc_out, "write the JSON result here (atomically)");
  std::string shard_text;
  acc->add_option("--shard", shard_text,
                  "K/N: compute only shard K (0..N-1) of the run's inputs, into --out; combine the N files "
                  "with `gelubench merge`");

  std::vector<std::string> merge_inputs;
  std::string merge_out;
  auto* merge = app.add_subcommand("merge", "combine the shard files of an `accuracy --shard K/N` run into its result");
  merge->add_option("shards", merge_inputs, "the N shard files, in any order")->required();
  merge->add_option("--out", merge_out, "write the JSON result here (atomically)")->required();

  std::vector<std::string> sizes;
  auto* thr = app.add_subcommand("throughput",
                                 "Google Benchmark of each kernel; --benchmark_* flags pass through");
  thr->add_option("--kernel", globs, kernel_help);
  thr->add_option("--isa", isa, isa_help);
  thr->add_option("--plugin", plugins, plugin_help);
  thr->add_option("--external", externals,
                  "NAME=COMMAND: a program computing GELU in its own process, timed by itself "
                  "(adapters/README.md; repeatable)");
  thr->add_option("--size", sizes, "array sizes to run: L1, L2, L3, DRAM (repeatable; default: all)")
      ->check(CLI::IsMember({"L1", "L2", "L3", "DRAM"}));
  std::vector<std::string> dists;
  thr->add_option("--dist", dists,
                  "input distributions: uniform ([-10, 10]), normal ((0, 1)), tail ([-15, -11]) "
                  "(repeatable; default: all)")
      ->check(CLI::IsMember(kDistributions));
  std::string thread_list = "1";
  thr->add_option("--threads", thread_list,
                  "thread counts to run each kernel at, e.g. 1,2,all: each thread takes a contiguous slice of one "
                  "array (default: 1)");
  std::string baseline;
  thr->add_option("--baseline", baseline,
                  "after the run, print every kernel's elements/s relative to this kernel (or copy)");

  std::string kernel, in;
  auto* run = app.add_subcommand("run", "apply one kernel to an array (.npy, or raw elements: .f32, .f16, .bf16, .i8 by the kernel's dtype)");
  run->add_option("--kernel", kernel, "kernel name")->required();
  run->add_option("--in", in, "input file")->required();
  run->add_option("--out", out, "output file (.npy, or raw like the input; a symlink is followed, a device written in place)")->required();
  run->add_option("--isa", isa, isa_help);
  run->add_option("--plugin", plugins, plugin_help);
  run->add_option("--external", externals, external_help);
  run->add_option("--external-budget", external_budgets, external_budget_help);
  QuantParams qp{};
  auto* q1 = run->add_option("--input-scale", qp.input_scale, "qs8: input scale");
  auto* q2 = run->add_option("--input-zero-point", qp.input_zero_point, "qs8: input zero point")
                 ->check(CLI::Range(-128, 127));
  auto* q3 = run->add_option("--output-scale", qp.output_scale, "qs8: output scale");
  auto* q4 = run->add_option("--output-zero-point", qp.output_zero_point, "qs8: output zero point")
                 ->check(CLI::Range(-128, 127));
  q1->needs(q2, q3, q4);

  // CLI11 reports an unknown command as a missing one; name it instead.
  if (!args.empty() && args.back()[0] != '-') {
    std::vector<std::string> known;
    for (const CLI::App* sc : app.get_subcommands([](CLI::App*) { return true; }))
      known.push_back(sc->get_name());
    if (std::find(known.begin(), known.end(), args.back()) == known.end()) {
      fmt::print(stderr, "gelubench: error: unknown command '{}' (commands: {})\n", args.back(),
                 fmt::join(known, ", "));
      return kExitUsage;
    }
  }
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // A command's options are in its own help; the top-level one lists only the commands.
    std::string help = "gelubench --help";
    for (const CLI::App* sc : app.get_subcommands()) help = "gelubench " + sc->get_name() + " --help";
    // CLI11 checks required options before unknown ones: `run --kernal K ...`
    // would say "--kernel is required". Name what it did not know instead.
    std::string text = parse_error_text(e.what());
    if (std::vector<std::string> extra = app.remaining(true); !extra.empty())
      text = fmt::format("unexpected argument{}: {}", extra.size() > 1 ? "s" : "", fmt::join(extra, " "));
    fmt::print(stderr, "gelubench: error: {} (see `{}`)\n", text, help);
    return kExitUsage;
  }
  if (!benchmark_args.empty() && !thr->parsed()) {
    fmt::print(stderr, "gelubench: error: {} is a Google Benchmark flag; only `throughput` takes it\n",
               benchmark_args.front());
    return kExitUsage;
  }

  try {
    for (const auto& path : plugins)
      if (std::string err = load_plugin(path); !err.empty()) throw UsageError{err};
    std::map<std::string, Budget> budgets;
    if (std::string err = parse_external_budgets(external_budgets, externals, budgets); !err.empty())
      throw UsageError{err};
    for (const auto& spec : externals) {
      const auto b = budgets.find(spec.substr(0, spec.find('=')));
      if (std::string err = add_external(spec, b == budgets.end() ? nullptr : &b->second); !err.empty())
        throw UsageError{err};
    }
    IsaCap cap = resolve_isa(isa);
    if (info->parsed()) return cmd_info(json);
    if (list->parsed()) return cmd_list(globs, cap, json);
    if (acc->parsed())
      return cmd_accuracy(globs, cap, stride, threads, acc_out, shard_text.empty() ? Shard{} : parse_shard(shard_text));
    if (merge->parsed()) return cmd_merge(merge_inputs, merge_out);
    if (run->parsed()) {
      std::optional<QuantParams> quant;
      if (q1->count()) quant = qp;
      return cmd_run(kernel, cap, in, out, quant);
    }
    if (thr->parsed()) {
      ThroughputOptions opt;
      opt.kernels = runnable_selection(globs, cap, nullptr);
      opt.cap = cap;
      opt.sizes = sizes;
      opt.dists = dists;
      opt.benchmark_args = benchmark_args;
      opt.baseline = baseline;
      std::string err;
      opt.threads = parse_thread_list(thread_list, &err);
      if (!err.empty()) throw UsageError{err};
      if (!baseline.empty() && baseline != "copy") {
        bool selected = false;
        for (const KernelInfo* k : opt.kernels) selected = selected || k->name == baseline;
        if (!selected)
          throw UsageError{fmt::format("--baseline: '{}' is not among the kernels run (or copy)", baseline)};
      }
      return run_throughput(opt);
    }
  } catch (const UsageError& e) {
    fmt::print(stderr, "gelubench: error: {}\n", e.message);
    return kExitUsage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gelubench: error: {}\n", e.what());
    return kExitUsage;
  }
  return kExitUsage;
}

}  // namespace gelubench
