#include "harness/throughput.h"

#include <benchmark/benchmark.h>
#include <boost/align/aligned_allocator.hpp>
#include <fmt/format.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <functional>
#include <tuple>
#include <vector>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <random>
#include <sstream>

#include "harness/context.h"
#include "harness/external.h"
#include "harness/narrow.h"
#include "harness/peer_libraries.h"
#include "harness/registry.h"
#include "harness/result_file.h"
#include "kernels/copy/copy.h"

namespace gelubench {
namespace {

// Page-aligned bytes: where an array lands must not depend on malloc.
using PageBuffer = std::vector<unsigned char, boost::alignment::aligned_allocator<unsigned char, 4096>>;

// Outputs start this far into their page, inputs at its start. Arrays at
// malloc's 16-byte alignment split every 64-byte access across two cache
// lines, and an output whose address equals an input's modulo 4 KiB, less a
// few lines, makes the loads that run ahead wait on the pending stores (4K
// aliasing): in an A/B run at L1 size each cost the copy roof ~35%.
constexpr size_t kOutputPageOffset = 1024;

// Input buffers, one per (dtype, distribution, size), shared by every kernel
// so all of them see the same inputs. Seeded: two runs measure the same
// thing. Narrow inputs are the f32 inputs converted (nearest-even) or, for
// qs8, quantized with the first quantization case.
class Buffers {
 public:
  // The threads of one multi-threaded benchmark ask at once.
  const void* input(DType dtype, const std::string& dist, size_t n) {
    std::lock_guard lock(mu_);
    return input_locked(dtype, dist, n);
  }
  void* output(size_t bytes) {
    std::lock_guard lock(mu_);
    auto& buf = outputs_[bytes];
    if (buf.empty()) buf.resize(kOutputPageOffset + bytes);  // zero-filled: pages touched outside any timing
    return buf.data() + kOutputPageOffset;
  }
  const QS8State& qs8_state() {
    static const QS8State state = prepare_qs8(quant_cases().front().params);
    return state;
  }

 private:
  const void* input_locked(DType dtype, const std::string& dist, size_t n) {
    auto& buf = inputs_[{static_cast<int>(dtype), dist, n}];
    if (!buf.empty()) return buf.data();
    const float* x = dtype == DType::f32 ? nullptr : static_cast<const float*>(input_locked(DType::f32, dist, n));
    switch (dtype) {
      case DType::f32: {
        buf.resize(n * sizeof(float));
        float* out = reinterpret_cast<float*>(buf.data());
        std::mt19937_64 rng(0x6e1ab3c4ULL + n);
        if (dist == "uniform") {
          std::uniform_real_distribution<float> d(-10.0f, 10.0f);
          for (size_t i = 0; i < n; ++i) out[i] = d(rng);
        } else if (dist == "tail") {
          std::uniform_real_distribution<float> d(-15.0f, -11.0f);
          for (size_t i = 0; i < n; ++i) out[i] = d(rng);
        } else {
          std::normal_distribution<float> d(0.0f, 1.0f);
          for (size_t i = 0; i < n; ++i) out[i] = d(rng);
        }
        break;
      }
      case DType::f16:
      case DType::bf16: {
        buf.resize(n * sizeof(uint16_t));
        const BinaryFormat& f = format_of(dtype);
        uint16_t* out = reinterpret_cast<uint16_t*>(buf.data());
        for (size_t i = 0; i < n; ++i) {
          double r = 0;
          round_to_format(f, x[i], 0.0, 0.0, &r);
          out[i] = encode_exact(f, r);
        }
        break;
      }
      case DType::qs8: {
        buf.resize(n);
        const QuantParams& p = qs8_state().params;
        int8_t* out = reinterpret_cast<int8_t*>(buf.data());
        for (size_t i = 0; i < n; ++i)
          out[i] = static_cast<int8_t>(std::clamp(std::nearbyint(x[i] / p.input_scale) + p.input_zero_point, -128.0f, 127.0f));
        break;
      }
    }
    return buf.data();
  }

  std::mutex mu_;
  std::map<std::tuple<int, std::string, size_t>, PageBuffer> inputs_;
  std::map<size_t, PageBuffer> outputs_;
};

size_t element_bytes(DType d) {
  switch (d) {
    case DType::f32: return 4;
    case DType::f16:
    case DType::bf16: return 2;
    case DType::qs8: return 1;
  }
  return 4;
}

// One kernel call on n elements, with its prepared state bound.
using Call = std::function<void(size_t, const void*, void*)>;

Call bind(const KernelInfo& k, Buffers& buffers) {
  switch (k.dtype) {
    case DType::f32:
      return [fn = k.f32](size_t n, const void* x, void* y) {
        fn(n, static_cast<const float*>(x), static_cast<float*>(y));
      };
    case DType::f16:
    case DType::bf16:
      return [fn = k.u16, state = &u16_state(k.dtype)](size_t n, const void* x, void* y) {
        fn(n, static_cast<const uint16_t*>(x), static_cast<uint16_t*>(y), state);
      };
    case DType::qs8:
      return [fn = k.qs8, state = &buffers.qs8_state()](size_t n, const void* x, void* y) {
        fn(n, static_cast<const int8_t*>(x), static_cast<int8_t*>(y), state);
      };
  }
  return {};
}

// Pins the calling thread to the i-th CPU it may run on, for the lifetime of
// this object, where the OS allows (no CPU list, or a refusal: unpinned).
class PinThread {
 public:
  explicit PinThread(int i) {
    if (pthread_getaffinity_np(pthread_self(), sizeof saved_, &saved_) != 0) return;
    std::vector<int> cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &saved_)) cpus.push_back(c);
    if (cpus.empty()) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpus[static_cast<size_t>(i) % cpus.size()], &one);
    pinned_ = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  }
  ~PinThread() {
    if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof saved_, &saved_);
  }
  bool pinned() const { return pinned_; }

 private:
  cpu_set_t saved_{};
  bool pinned_ = false;
};

// One kernel on `size` elements. With T threads (state.threads()), thread i
// takes the contiguous slice [n*i/T, n*(i+1)/T) of the one shared array, as
// an inference runtime's parallel loop does; Google Benchmark adds up the
// threads' items and divides by the wall time.
void run_one(benchmark::State& state, const Call& call, DType dtype, Buffers& buffers, const std::string& dist,
             const ArraySize& size) {
  const size_t t = static_cast<size_t>(state.thread_index()), nt = static_cast<size_t>(state.threads());
  const size_t begin = size.n * t / nt, end = size.n * (t + 1) / nt, n = end - begin;
  const size_t bytes = element_bytes(dtype);
  const void* x = static_cast<const unsigned char*>(buffers.input(dtype, dist, size.n)) + begin * bytes;
  void* y = static_cast<unsigned char*>(buffers.output(size.n * bytes)) + begin * bytes;
  std::optional<PinThread> pin;
  if (nt > 1) pin.emplace(static_cast<int>(t));
  call(n, x, y);  // warm-up: one-time setup (e.g. a peer's primitive) stays untimed
  for (auto _ : state) {
    call(n, x, y);
    benchmark::DoNotOptimize(y);
    benchmark::ClobberMemory();
  }
  if (nt > 1) state.counters["pinned"] = benchmark::Counter(pin->pinned(), benchmark::Counter::kAvgThreads);
  const auto items = static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * 2 * static_cast<int64_t>(bytes));
  state.SetLabel(size.level);
}

// The largest array an external kernel is timed on. The array travels
// through a pipe and the program holds its own copies (the bytes read, the
// framework's tensor, its output): at a DRAM size, two dozen framework
// processes each keeping a few of those outran 24 GiB beside gelubench's own
// inputs, and the OOM killer stopped gelubench. Larger sizes are skipped for
// external kernels, and the run's context says so.
constexpr size_t kExternalMaxBytes = size_t{32} << 20;

// An external kernel (harness/external.h) times itself, in its own process,
// on the inputs gelubench sends: each iteration is one request for `calls`
// calls (enough for ~2 ms), and the seconds it reports are the iteration's
// manual time. copy: the program's own array copy, its memory roof.
// Counter out_of_process = 1 marks both in throughput.json.
void run_external(benchmark::State& state, PeerSlot& slot, DType dtype, bool copy, Buffers& buffers,
                  const std::string& dist, const ArraySize& size) {
  const void* x = buffers.input(dtype, dist, size.n);
  double s = 0;
  // Twice untimed: a first call may compile or set up for this length.
  std::string why = time_external(slot, size.n, x, 1, copy, &s);
  if (why.empty()) why = time_external(slot, size.n, x, 1, copy, &s);
  const auto calls = static_cast<uint32_t>(why.empty() ? std::clamp(std::ceil(2e-3 / s), 1.0, double{1 << 20}) : 1);
  int64_t done = 0;
  for (auto _ : state) {
    if (!why.empty()) {
      state.SkipWithError(why.c_str());
      break;
    }
    why = time_external(slot, size.n, x, calls, copy, &s);
    if (!why.empty()) {
      state.SkipWithError(why.c_str());
      break;
    }
    state.SetIterationTime(s);
    done += calls;
  }
  const auto items = done * static_cast<int64_t>(size.n);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * 2 * static_cast<int64_t>(element_bytes(dtype)));
  state.counters["out_of_process"] = 1;
  state.SetLabel(size.level);
}

// Console output plus, at the end, every kernel's elements/s as a ratio to a
// baseline kernel at the same distribution and size (--baseline NAME): the
// form in which speed goals are judged, within one run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(std::string baseline)
      : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_Color : OO_None), baseline_(std::move(baseline)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
      auto it = r.counters.find("items_per_second");
      if (it == r.counters.end()) continue;
      // name: <kernel>/<dist>/N:<n>[/real_time][_median]
      std::string name = r.run_name.function_name;
      size_t a = name.find('/'), b = name.find('/', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      rates_[{name.substr(a + 1, b - a - 1), name.substr(b + 1)}].push_back({name.substr(0, a), it->second.value});
      labels_[name.substr(b + 1)] = r.report_label;
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    auto& out = GetOutputStream();
    out << fmt::format("\nelements/s relative to {} (same distribution and size; > 1 is faster)\n", baseline_);
    for (const auto& [key, entries] : rates_) {
      double base = 0;
      for (const auto& [kernel, rate] : entries)
        if (kernel == baseline_) base = rate;
      if (base <= 0) continue;
      for (const auto& [kernel, rate] : entries)
        out << fmt::format("  {:<44} {:<8} {:<10} {:<5} {:>8.3f}x\n", kernel, key.first, key.second,
                           labels_[key.second], rate / base);
    }
  }

 private:
  std::string baseline_;
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<std::string, double>>> rates_;
  std::map<std::string, std::string> labels_;
};

// What one registered benchmark measures, written into each of its rows in
// throughput.json as the object "gelubench", so that readers (the report)
// take kernel, dtype, formula, inputs and size from fields instead of
// parsing benchmark names.
struct BenchFields {
  std::string kernel;   // the kernel timed, or "copy" for the in-process copy roof
  bool copy_roof;       // a memory roof: "copy", or an external program's own copy
  DType dtype;
  std::optional<Formula> formula;  // none for the in-process copy roof; "method": none for any roof
  std::string distribution;
  ArraySize size;
  int threads;          // benchmark threads, or the library's own (library_threads)
  bool out_of_process;  // an external program timing itself
};

// One registered name runs at 1 and at T benchmark threads (->Threads(T)).
std::string fields_key(const std::string& name, int benchmark_threads) {
  return fmt::format("{}#{}", name, benchmark_threads);
}

nlohmann::ordered_json to_json(const BenchFields& f) {
  const std::string method = f.copy_roof ? "" : name_method(f.kernel);
  return {{"kernel", f.kernel},
          {"copy_roof", f.copy_roof},
          {"dtype", dtype_name(f.dtype)},
          {"formula", f.formula ? nlohmann::ordered_json(formula_name(*f.formula)) : nlohmann::ordered_json()},
          {"method", method.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(method)},
          {"distribution", f.distribution},
          {"size", {{"level", f.size.level}, {"elements", f.size.n}, {"bytes", f.size.n * 2 * element_bytes(f.dtype)}}},
          {"threads", f.threads},
          {"out_of_process", f.out_of_process}};
}

// Google Benchmark's JSON, each row with its "gelubench" object added as the
// last key. The row is rendered by JSONReporter itself (its number format,
// its bare NaN) into a string, and the object inserted before its closing
// brace: nothing else of the file changes.
class FieldsJsonReporter : public benchmark::JSONReporter {
 public:
  // fields: by fields_key(registered name, benchmark threads)
  explicit FieldsJsonReporter(const std::map<std::string, BenchFields>& fields) : fields_(fields) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    std::ostream& out = GetOutputStream();
    for (const Run& r : runs) {
      std::ostringstream row;
      SetOutputStream(&row);
      JSONReporter::ReportRuns({r});
      SetOutputStream(&out);
      std::string text = row.str();
      auto it = fields_.find(fields_key(r.run_name.function_name, static_cast<int>(r.threads)));
      const size_t close = text.rfind('}'), eol = close == std::string::npos ? close : text.rfind('\n', close);
      if (it != fields_.end() && eol != std::string::npos)
        text.insert(eol, ",\n      \"gelubench\": " + to_json(it->second).dump());
      out << text;
    }
  }

 private:
  const std::map<std::string, BenchFields>& fields_;
};

F32Kernel copy_for(IsaCap cap) {
  switch (cap) {
    case IsaCap::avx512: return copy_f32__avx512;
    case IsaCap::avx2: return copy_f32__avx2;
    case IsaCap::scalar: return copy_f32__scalar;
  }
  return copy_f32__scalar;
}

}  // namespace

std::vector<int> parse_thread_list(const std::string& text, std::string* error) {
  cpu_set_t set;
  const int all = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                              : static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    int t = 0;
    if (item == "all") {
      t = all;
    } else {
      char* end = nullptr;
      const long v = std::strtol(item.c_str(), &end, 10);
      if (item.empty() || *end != '\0' || v < 1 || v > 1024) {
        *error = fmt::format("--threads: '{}' is not a thread count (a number 1..1024 or 'all'; e.g. 1,2,all)", item);
        return {};
      }
      t = static_cast<int>(v);
    }
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  if (out.empty()) *error = "--threads: empty list (e.g. 1,2,all)";
  return out;
}

std::vector<ArraySize> array_sizes(const CpuInfo& cpu) {
  auto or_default = [](uint64_t v, uint64_t fallback) { return v ? v : fallback; };
  uint64_t l1 = or_default(cpu.l1d_bytes, 32 << 10);
  uint64_t l2 = or_default(cpu.l2_bytes, 1 << 20);
  uint64_t l3 = or_default(cpu.l3_bytes, 8 << 20);
  // Half of the level's capacity for in + out (8 bytes per element); round to
  // a multiple of 64 elements so every vector width divides it.
  auto fit = [](uint64_t bytes) { return static_cast<size_t>(std::max<uint64_t>(64, bytes / 16 / 64 * 64)); };
  return {
      {"L1", fit(l1)},
      {"L2", fit(l2)},
      {"L3", fit(l3)},
      {"DRAM", fit(l3 * 8)},  // 4x the last-level cache for in + out
  };
}

namespace {

// Google Benchmark streams --benchmark_out into the temporary file during
// the run; an interrupt removes it, so no partial result is left behind.
char g_stream_tmp[4096];
extern "C" void on_interrupt_remove_tmp(int sig) {
  if (g_stream_tmp[0]) unlink(g_stream_tmp);
  static const char kMsg[] = "gelubench: interrupted; no result written\n";
  ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  (void)ignored;
  _exit(128 + sig);
}

// Values Google Benchmark would take without complaint but that measure
// nothing, or that it rejects by printing its usage and exiting 0.
std::string check_benchmark_flag(const std::string& a) {
  auto value = [&](const std::string& key) -> std::optional<std::string> {
    if (a.rfind(key, 0) != 0) return std::nullopt;
    return a.substr(key.size());
  };
  if (auto v = value("--benchmark_repetitions=")) {
    char* end = nullptr;
    long r = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || r < 1) return a + ": expected a whole number >= 1";
  }
  for (const char* key : {"--benchmark_format=", "--benchmark_out_format="})
    if (auto v = value(key); v && *v != "console" && *v != "json" && *v != "csv")
      return a + ": expected console, json or csv";
  if (auto v = value("--benchmark_out="); v && v->empty()) return "--benchmark_out: empty path";
  return {};
}

}  // namespace

int run_throughput(const ThroughputOptions& opt) {
  // Write --benchmark_out to a temporary name and rename it when complete.
  std::vector<std::string> args = {"gelubench throughput"};
  std::string out_path, tmp_path;
  bool out_json = true;  // --benchmark_out_format: json unless said otherwise
  for (const auto& a : opt.benchmark_args) {
    if (a.rfind("--benchmark_out_format=", 0) == 0) out_json = a == "--benchmark_out_format=json";
    if (std::string err = check_benchmark_flag(a); !err.empty()) {
      fmt::print(stderr, "gelubench: error: {}\n", err);
      return 2;
    }
    const std::string key = "--benchmark_out=";
    if (a.rfind(key, 0) == 0) {
      out_path = a.substr(key.size());
      if (std::string err = check_writable(out_path); !err.empty()) {
        fmt::print(stderr, "gelubench: error: --benchmark_out: {}\n", err);
        return 2;
      }
      tmp_path = temporary_path_for(out_path);
      if (tmp_path.size() >= sizeof g_stream_tmp) {
        fmt::print(stderr, "gelubench: error: --benchmark_out: path too long\n");
        return 2;
      }
      args.push_back(key + (tmp_path.empty() ? out_path : tmp_path));  // empty: /dev/null and the like
    } else {
      args.push_back(a);
    }
  }
  if (opt.kernels.empty()) {
    fmt::print(stderr, "gelubench: error: no runnable kernel selected\n");
    return 2;
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) return 2;
  std::memcpy(g_stream_tmp, tmp_path.c_str(), tmp_path.size() + 1);
  std::signal(SIGINT, on_interrupt_remove_tmp);
  std::signal(SIGTERM, on_interrupt_remove_tmp);
  std::signal(SIGHUP, on_interrupt_remove_tmp);

  const CpuInfo& cpu = cpu_info();
  nlohmann::json ctx = run_context(opt.cap);
  for (const auto& [key, value] : ctx.items())
    benchmark::AddCustomContext(key, value.is_string() ? value.get<std::string>() : value.dump());

  std::vector<ArraySize> sizes;
  for (const auto& s : array_sizes(cpu)) {
    bool wanted = opt.sizes.empty();
    for (const auto& w : opt.sizes) wanted = wanted || w == s.level;
    if (wanted) sizes.push_back(s);
  }
  std::string size_list;
  for (const auto& s : sizes) size_list += fmt::format("{}{}={}", size_list.empty() ? "" : " ", s.level, s.n);
  benchmark::AddCustomContext("gelubench_sizes", size_list);
  std::string peers;
  for (const KernelInfo* k : opt.kernels)
    if (k->peer) peers += (peers.empty() ? "" : ",") + std::string(k->name);
  benchmark::AddCustomContext("gelubench_peers", peers);
  benchmark::AddCustomContext("gelubench_external_max_bytes", std::to_string(kExternalMaxBytes));
  benchmark::AddCustomContext("gelubench_arrays",
                              fmt::format("inputs page-aligned, outputs at page offset {}", kOutputPageOffset));

  Buffers buffers;  // outlives the benchmarks: they all run inside this function
  // The copy roof first, then every kernel; sizes are in elements for every
  // dtype, so bytes/s differ by element size while elements/s compare directly.
  struct Entry {
    std::string name;
    DType dtype;
    std::optional<Formula> formula;  // none: the copy roof
    Call call;
    PeerSlot* dl = nullptr;  // shim peers: where a failed call is recorded
  };
  F32Kernel copy = copy_for(opt.cap);
  std::vector<Entry> entries = {{"copy", DType::f32, std::nullopt, [copy](size_t n, const void* x, void* y) {
                                   copy(n, static_cast<const float*>(x), static_cast<float*>(y));
                                 }}};
  for (const KernelInfo* k : opt.kernels)
    entries.push_back({std::string(k->name), k->dtype, k->formula, bind(*k, buffers), k->dl});
  std::map<std::string, BenchFields> fields;  // by fields_key: each row's "gelubench" object
  std::set<std::string> external_skipped;     // size levels too large for external kernels
  for (const auto& e : entries) {
    for (const std::string& dist : opt.dists.empty() ? kDistributions : opt.dists) {
      for (const auto& size : sizes) {
        if (e.dl && e.dl->external()) {
          // A program in its own process times itself: one thread (gelubench's),
          // at the sizes whose array fits kExternalMaxBytes (see there).
          if (size.n * element_bytes(e.dtype) > kExternalMaxBytes) {
            external_skipped.insert(size.level);
            continue;
          }
          for (bool copy : {false, true}) {
            const std::string name = fmt::format("{}{}/{}/N:{}", copy ? "copy@" : "", e.name, dist, size.n);
            fields[fields_key(name, 1)] = {e.name, copy, e.dtype, e.formula, dist, size, 1, true};
            benchmark::RegisterBenchmark(name.c_str(),
                                         [&e, copy, d = dist, size, &buffers](benchmark::State& st) {
                                           run_external(st, *e.dl, e.dtype, copy, buffers, d, size);
                                         })
                ->Unit(benchmark::kMicrosecond)
                ->UseManualTime();
          }
          continue;
        }
        for (int threads : opt.threads) {
          // A library with threads of its own (oneDNN, MKL, OpenVINO) runs at T
          // through its own API: one call on the whole array, T threads set
          // in the library, on one benchmark thread. The others run on T
          // benchmark threads. Either way the name carries /threads:T.
          const int library_threads = threads > 1 && e.dl && e.dl->set_threads.load() ? threads : 1;
          const std::string name = fmt::format("{}/{}/N:{}{}", e.name, dist, size.n,
                                               library_threads > 1 ? fmt::format("/threads:{}", threads) : "");
          fields[fields_key(name, library_threads > 1 ? 1 : threads)] = {e.name,  !e.formula, e.dtype, e.formula,
                                                                         dist,    size,        threads, false};
          auto* b = benchmark::RegisterBenchmark(
              name.c_str(), [&e, d = dist, size, library_threads, &buffers](benchmark::State& st) {
                if (library_threads > 1)
                  if (std::string why = set_peer_threads(*e.dl, library_threads); !why.empty()) {
                    st.SkipWithError(why.c_str());
                    for (auto _ : st) {
                    }
                    return;
                  }
                run_one(st, e.call, e.dtype, buffers, d, size);
                if (library_threads > 1) {
                  set_peer_threads(*e.dl, 1);
                  st.counters["library_threads"] = library_threads;
                }
                // A shim peer that failed (its library returned an error) has no
                // figure: the run is marked errored and the others go on.
                if (e.dl)
                  if (std::string failure = peer_failure(*e.dl); !failure.empty()) st.SkipWithError(failure.c_str());
              });
          b->Unit(benchmark::kMicrosecond)->UseRealTime();
          // One thread keeps the plain name; more add Google Benchmark's /threads:T.
          if (threads > 1 && library_threads == 1) b->Threads(threads);
        }
      }
    }
  }
  if (!external_skipped.empty()) {
    std::string levels;
    for (const auto& s : sizes)
      if (external_skipped.count(s.level)) levels += (levels.empty() ? "" : ", ") + s.level;
    fmt::print(stderr, "gelubench: external kernels are timed on arrays up to {} MiB; not at {}\n",
               kExternalMaxBytes >> 20, levels);
  }
  // --benchmark_out in JSON gets the fields; Google Benchmark makes its
  // default reporters for whatever is not given here.
  FieldsJsonReporter json_out(fields);
  benchmark::BenchmarkReporter* file_reporter = !out_path.empty() && out_json ? &json_out : nullptr;
  std::optional<RatioReporter> ratios;
  if (!opt.baseline.empty()) ratios.emplace(opt.baseline);
  const size_t ran = benchmark::RunSpecifiedBenchmarks(ratios ? &*ratios : nullptr, file_reporter);
  benchmark::Shutdown();

  if (ran == 0) {
    if (!tmp_path.empty()) std::remove(tmp_path.c_str());
    fmt::print(stderr, "gelubench: error: no benchmark matches --benchmark_filter\n");
    return 2;
  }
  if (!tmp_path.empty()) {
    // A signal after the rename finds no temporary file to remove (unlink
    // fails harmlessly); one before it removes the file, as it should.
    try {
      commit_temporary(tmp_path, out_path);
    } catch (const std::runtime_error& e) {
      g_stream_tmp[0] = '\0';
      fmt::print(stderr, "gelubench: error: {}\n", e.what());
      return 2;
    }
    g_stream_tmp[0] = '\0';
  }
  return 0;
}

}  // namespace gelubench
