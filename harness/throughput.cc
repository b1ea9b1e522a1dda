#include "harness/throughput.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>

#include "harness/context.h"
#include "harness/result_file.h"
#include "kernels/copy/copy.h"

namespace gelubench {
namespace {

// Input buffers, one per (distribution, size), shared by every kernel so all
// of them see the same inputs. Seeded: two runs measure the same thing.
class Buffers {
 public:
  const float* input(const std::string& dist, size_t n) {
    auto& buf = inputs_[{dist, n}];
    if (!buf) {
      buf = std::make_unique<float[]>(n);
      std::mt19937_64 rng(0x6e1ab3c4ULL + n);
      if (dist == "uniform") {
        std::uniform_real_distribution<float> d(-10.0f, 10.0f);
        for (size_t i = 0; i < n; ++i) buf[i] = d(rng);
      } else {
        std::normal_distribution<float> d(0.0f, 1.0f);
        for (size_t i = 0; i < n; ++i) buf[i] = d(rng);
      }
    }
    return buf.get();
  }
  float* output(size_t n) {
    auto& buf = outputs_[n];
    if (!buf) {
      buf = std::make_unique<float[]>(n);
      std::fill_n(buf.get(), n, 0.0f);  // touch the pages outside any timing
    }
    return buf.get();
  }

 private:
  std::map<std::pair<std::string, size_t>, std::unique_ptr<float[]>> inputs_;
  std::map<size_t, std::unique_ptr<float[]>> outputs_;
};

void run_one(benchmark::State& state, F32Kernel fn, Buffers& buffers, const std::string& dist,
             const ArraySize& size) {
  const float* x = buffers.input(dist, size.n);
  float* y = buffers.output(size.n);
  fn(size.n, x, y);  // warm-up: one-time setup (e.g. a peer's primitive) stays untimed
  for (auto _ : state) {
    fn(size.n, x, y);
    benchmark::DoNotOptimize(y);
    benchmark::ClobberMemory();
  }
  const auto items = static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(size.n);
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * 2 * static_cast<int64_t>(sizeof(float)));
  state.SetLabel(size.level);
}

F32Kernel copy_for(IsaCap cap) {
  switch (cap) {
    case IsaCap::avx512: return copy_f32__avx512;
    case IsaCap::avx2: return copy_f32__avx2;
    case IsaCap::scalar: return copy_f32__scalar;
  }
  return copy_f32__scalar;
}

}  // namespace

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

int run_throughput(const ThroughputOptions& opt) {
  // Write --benchmark_out to a temporary name and rename it when complete.
  std::vector<std::string> args = {"gelubench throughput"};
  std::string out_path, tmp_path;
  for (const auto& a : opt.benchmark_args) {
    const std::string key = "--benchmark_out=";
    if (a.rfind(key, 0) == 0) {
      out_path = a.substr(key.size());
      if (std::string err = check_writable(out_path); !err.empty()) {
        fmt::print(stderr, "gelubench: error: --benchmark_out: {}\n", err);
        return 2;
      }
      tmp_path = out_path + ".tmp." + std::to_string(getpid());
      args.push_back(key + tmp_path);
    } else {
      args.push_back(a);
    }
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data())) return 2;

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

  Buffers buffers;  // outlives the benchmarks: they all run inside this function
  struct Entry {
    std::string name;
    F32Kernel fn;
  };
  std::vector<Entry> entries = {{"copy", copy_for(opt.cap)}};
  for (const KernelInfo* k : opt.kernels) entries.push_back({std::string(k->name), k->f32});
  for (const auto& e : entries) {
    for (const char* dist : {"uniform", "normal"}) {
      for (const auto& size : sizes) {
        std::string name = fmt::format("{}/{}/N:{}", e.name, dist, size.n);
        benchmark::RegisterBenchmark(name.c_str(), [fn = e.fn, d = std::string(dist), size, &buffers](benchmark::State& st) {
          run_one(st, fn, buffers, d, size);
        })->Unit(benchmark::kMicrosecond)->UseRealTime();
      }
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (!tmp_path.empty()) {
    if (std::rename(tmp_path.c_str(), out_path.c_str()) != 0) {
      fmt::print(stderr, "gelubench: error: cannot write {}\n", out_path);
      std::remove(tmp_path.c_str());
      return 2;
    }
  }
  return 0;
}

}  // namespace gelubench
