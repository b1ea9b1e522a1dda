#include "harness/accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "harness/accuracy_stats.h"
#include "harness/block_metrics.h"
#include "harness/peer_libraries.h"
#include "harness/progress.h"
#include "harness/reference.h"
#include "harness/ulp.h"

namespace gelubench {
namespace {

constexpr uint64_t kAllEncodings = uint64_t{1} << 32;
constexpr uint64_t kChunk = uint64_t{1} << 20;  // unit of work and of ordered merging

// One comparison's results for one chunk; bins holds [bin_lo, bin_lo + size).
struct ComparisonChunk {
  std::array<Stats, kRegions> regions;
  int bin_lo = 0;
  std::vector<Bin> bins;
};

struct ChunkResult {
  std::vector<ComparisonChunk> comparisons;
  std::array<uint64_t, 3> certified{};
  uint64_t inputs = 0;
};

// A kernel compared against one formula's reference.
struct Comparison {
  size_t kernel;
  Formula ref;
};

class Sweep {
 public:
  explicit Sweep(const AccuracyOptions& opt) : opt_(opt) {
    for (size_t k = 0; k < opt.kernels.size(); ++k) {
      add_comparison(k, Formula::erf);
      add_comparison(k, opt.kernels[k]->formula);
    }
    n_indices_ = opt.inputs.empty() ? (kAllEncodings + opt.stride - 1) / opt.stride
                                    : opt.inputs.size();
    n_chunks_ = (n_indices_ + kChunk - 1) / kChunk;
  }

  AccuracyResult run();

 private:
  void add_comparison(size_t kernel, Formula f) {
    for (const auto& c : comparisons_)
      if (c.kernel == kernel && c.ref == f) return;
    comparisons_.push_back({kernel, f});
    formula_used_[static_cast<int>(f)] = true;
  }
  uint32_t input_bits(uint64_t index) const {
    return opt_.inputs.empty() ? static_cast<uint32_t>(index * opt_.stride) : opt_.inputs[index];
  }
  ChunkResult process_chunk(uint64_t chunk) const;
  // Name, declared facts and special-value checks of kernel k.
  nlohmann::json kernel_header_json(size_t k) const;
  size_t comparison_index(size_t kernel, Formula f) const {
    for (size_t i = 0; i < comparisons_.size(); ++i)
      if (comparisons_[i].kernel == kernel && comparisons_[i].ref == f) return i;
    return 0;
  }

  const AccuracyOptions& opt_;
  std::vector<Comparison> comparisons_;
  std::array<bool, 3> formula_used_{};
  uint64_t n_indices_ = 0, n_chunks_ = 0;
};

ChunkResult Sweep::process_chunk(uint64_t chunk) const {
  ChunkResult res;
  const size_t nc = comparisons_.size();
  res.comparisons.resize(nc);
  std::vector<std::vector<Bin>> dense(nc, std::vector<Bin>(kBins));
  int bin_min = kBins, bin_max = -1;

  std::array<float, kBlock> x;
  std::array<RefBlock, 3> refs;
  std::vector<std::array<float, kBlock>> y(opt_.kernels.size());
  ErrorBlock eb;
  // Runs of inputs sharing one region and one profile bin: a block is a
  // contiguous slice of encodings, so there are few.
  struct Run {
    size_t begin, end;
    Region region;
    int bin;
  };
  std::vector<Run> runs;

  uint64_t begin = chunk * kChunk, end = std::min(n_indices_, begin + kChunk);

  // An external program costs a round trip per call: it gets the chunk's
  // finite inputs in one call, and the blocks below read its answer. The
  // buffers are per thread and kept from chunk to chunk (fresh 4 MiB
  // allocations cost page faults every chunk).
  thread_local std::vector<float> all;
  thread_local std::vector<std::vector<float>> batched_tl;
  batched_tl.resize(std::max(batched_tl.size(), opt_.kernels.size()));
  std::vector<const float*> batched(opt_.kernels.size(), nullptr);
  size_t batched_pos = 0;
  // A kernel run by an external program (harness/external.h).
  auto is_external = [](const KernelInfo* k) { return k->dl != nullptr && k->dl->external(); };
  if (std::any_of(opt_.kernels.begin(), opt_.kernels.end(), is_external)) {
    all.clear();
    for (uint64_t index = begin; index < end; ++index)
      if (float v = f32_from_bits(input_bits(index)); std::isfinite(v)) all.push_back(v);
    for (size_t k = 0; k < opt_.kernels.size(); ++k)
      if (is_external(opt_.kernels[k])) {
        if (batched_tl[k].size() < all.size()) batched_tl[k].resize(all.size());
        opt_.kernels[k]->f32(all.size(), all.data(), batched_tl[k].data());
        batched[k] = batched_tl[k].data();
      }
  }

  for (uint64_t index = begin; index < end;) {
    // Fill a block with finite inputs; NaN and infinities are specials.
    size_t n = 0;
    for (; index < end && n < kBlock; ++index) {
      float v = f32_from_bits(input_bits(index));
      if (std::isfinite(v)) x[n++] = v;
    }
    if (n == 0) continue;
    res.inputs += n;
    runs.clear();
    const Region first_region = region_of(x[0]), last_region = region_of(x[n - 1]);
    const int first_bin = bin_of(x[0]), last_bin = bin_of(x[n - 1]);
    if (opt_.inputs.empty() && std::signbit(x[0]) == std::signbit(x[n - 1]) && first_region == last_region &&
        first_bin == last_bin) {
      // Increasing encodings of one sign are monotonic in x, and so are the
      // region and the bin: equal ends make one run (the common case).
      runs.push_back({0, n, first_region, first_bin});
    } else {
      for (size_t i = 0; i < n; ++i) {
        const Region reg = region_of(x[i]);
        const int bn = bin_of(x[i]);
        if (runs.empty() || runs.back().region != reg || runs.back().bin != bn) runs.push_back({i, i, reg, bn});
        runs.back().end = i + 1;
      }
    }
    for (const Run& run : runs) bin_min = std::min(bin_min, run.bin), bin_max = std::max(bin_max, run.bin);
    for (int f = 0; f < 3; ++f) {
      if (!formula_used_[f]) continue;
      RefBlock& rb = refs[f];
      reference_block(static_cast<Formula>(f), x.data(), n, rb.value.data(), rb.rounded.data(), &res.certified[f]);
      rb.derive(n);
    }
    for (size_t k = 0; k < opt_.kernels.size(); ++k) {
      if (batched[k] == nullptr)
        opt_.kernels[k]->f32(n, x.data(), y[k].data());
      else
        std::copy_n(batched[k] + batched_pos, n, y[k].data());
    }
    batched_pos += n;

    for (size_t c = 0; c < nc; ++c) {
      const RefBlock& rb = refs[static_cast<int>(comparisons_[c].ref)];
      const float* yk = y[comparisons_[c].kernel].data();
      const bool exact = exact_block(yk, rb, n);
      if (!exact) eb.compute(yk, rb, n);
      for (const Run& run : runs) {
        Stats s;
        if (exact)
          accumulate_exact(s, x.data(), yk, run.begin, run.end);
        else
          eb.accumulate(s, rb, x.data(), yk, run.begin, run.end);
        dense[c][run.bin].merge(Bin{std::max(s.max_ulp, 0.0), s.sum_ulp, s.count});
        res.comparisons[c].regions[run.region].merge(s);
      }
    }
  }
  if (bin_max >= bin_min) {
    for (size_t c = 0; c < nc; ++c) {
      res.comparisons[c].bin_lo = bin_min;
      res.comparisons[c].bins.assign(dense[c].begin() + bin_min, dense[c].begin() + bin_max + 1);
    }
  }
  return res;
}

AccuracyResult Sweep::run() {
  AccuracyResult out;
  const size_t nc = comparisons_.size();
  std::vector<std::array<Stats, kRegions>> totals(nc);
  std::vector<std::vector<Bin>> bins(nc, std::vector<Bin>(kBins));
  std::array<uint64_t, 3> certified{};

  std::mutex mu;
  std::condition_variable ready;
  std::vector<std::unique_ptr<ChunkResult>> slots(n_chunks_);
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed_stop{false};
  auto stopped = [&] { return failed_stop.load() || (opt_.stop && opt_.stop->load()); };

  auto worker = [&] {
    for (;;) {
      if (stopped()) break;
      uint64_t c = next.fetch_add(1);
      if (c >= n_chunks_) break;
      auto r = std::make_unique<ChunkResult>(process_chunk(c));
      std::lock_guard lock(mu);
      slots[c] = std::move(r);
      ready.notify_one();
    }
    std::lock_guard lock(mu);
    ready.notify_one();
  };
  int nthreads = std::max(1, opt_.threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < nthreads; ++t) pool.emplace_back(worker);

  Progress progress("accuracy", n_chunks_);
  // Merge chunk results strictly in chunk order: deterministic figures.
  for (uint64_t c = 0; c < n_chunks_; ++c) {
    std::unique_ptr<ChunkResult> r;
    {
      std::unique_lock lock(mu);
      ready.wait_for(lock, std::chrono::milliseconds(200), [&] { return slots[c] != nullptr || stopped(); });
      while (!slots[c] && !stopped())
        ready.wait_for(lock, std::chrono::milliseconds(200), [&] { return slots[c] != nullptr || stopped(); });
      if (!slots[c]) break;
      r = std::move(slots[c]);
    }
    out.inputs += r->inputs;
    for (int f = 0; f < 3; ++f) certified[f] += r->certified[f];
    for (size_t i = 0; i < nc; ++i) {
      const ComparisonChunk& cc = r->comparisons[i];
      for (int g = 0; g < kRegions; ++g) totals[i][g].merge(cc.regions[g]);
      for (size_t b = 0; b < cc.bins.size(); ++b) bins[i][cc.bin_lo + b].merge(cc.bins[b]);
    }
    if (opt_.progress) progress.update(c + 1);
  }
  for (auto& t : pool) t.join();
  out.elapsed_s = progress.elapsed_seconds();
  if (stopped()) return out;
  if (opt_.progress) progress.finish();

  out.completed = true;
  out.certified_calls = {{"erf", certified[0]}, {"tanh", certified[1]}, {"sigmoid", certified[2]}};
  for (size_t k = 0; k < opt_.kernels.size(); ++k) {
    nlohmann::json kj = kernel_header_json(k);
    for (const char* vs : {"exact", "formula"}) {
      Formula f = std::string_view(vs) == "exact" ? Formula::erf : opt_.kernels[k]->formula;
      size_t ci = comparison_index(k, f);
      Stats all;
      for (int g = 0; g < kRegions; ++g) all.merge(totals[ci][g]);
      nlohmann::json j = stats_json(all, f, true);
      for (int g = 0; g < kRegions; ++g) j["regions"][kRegionNames[g]] = stats_json(totals[ci][g], f, false);
      j["error_profile"] = error_profile_json(bins[ci]);
      kj["vs"][vs] = j;
    }
    // A shim peer whose library failed a call has NaN where its results
    // were: its figures are void, and it says so (the other kernels' stand).
    if (const KernelInfo& ki = *opt_.kernels[k]; ki.dl != nullptr)
      if (std::string failure = peer_failure(*ki.dl); !failure.empty()) {
        fmt::print(stderr, "gelubench: {}; its accuracy figures are void\n", failure);
        kj["failure"] = failure;
      }
    bool pass = add_verdict(kj, *opt_.kernels[k]);
    if (!pass) ++out.failed;
    out.kernels.push_back(std::move(kj));
  }
  return out;
}


nlohmann::json Sweep::kernel_header_json(size_t k) const {
  const KernelInfo& ki = *opt_.kernels[k];
  nlohmann::json j = kernel_identity_json(ki);

  nlohmann::json specials = nlohmann::json::array();
  for (const SpecialCase& sc : special_cases_for(ki)) {
    const SpecialCheck c = check_special(ki, sc.bits);
    nlohmann::json sj = {{"name", sc.name},
                         {"input", hexfloat(c.input)},
                         {"input_bits", fmt::format("{:#010x}", sc.bits)},
                         {"expected", hexfloat(c.expected)},
                         {"output", hexfloat(c.output)},
                         {"output_bits", fmt::format("{:#010x}", f32_bits(c.output))},
                         {"pass", c.pass}};
    if (c.declared_deviation) sj["declared_deviation"] = {{"as_declared", c.as_declared}};
    specials.push_back(std::move(sj));
  }
  j["specials"] = specials;
  return j;
}

}  // namespace

const std::vector<SpecialCase>& special_cases() {
  static const std::vector<SpecialCase> cases = {
      {"+0", 0x00000000u},          {"-0", 0x80000000u},
      {"+inf", 0x7f800000u},        {"-inf", 0xff800000u},
      {"+qnan", 0x7fc00000u},       {"-qnan", 0xffc00000u},
      {"+snan", 0x7f800001u},       {"-snan", 0xff800001u},
      {"+min_subnormal", 0x00000001u}, {"-min_subnormal", 0x80000001u},
      {"+max_subnormal", 0x007fffffu}, {"-max_subnormal", 0x807fffffu},
      {"+min_normal", 0x00800000u}, {"-min_normal", 0x80800000u},
      {"+max_finite", 0x7f7fffffu}, {"-max_finite", 0xff7fffffu},
  };
  return cases;
}

std::vector<SpecialCase> special_cases_for(const KernelInfo& k) {
  std::vector<SpecialCase> cases = special_cases();
  for (float e : k.declared.edges) {
    if (!(e > 0)) continue;
    const std::string at = fmt::format("{}", e);
    for (float sign : {1.0f, -1.0f}) {
      const float x = sign * e;
      const char* s = sign > 0 ? "+" : "-";
      cases.push_back({fmt::format("{}edge {} - ulp", s, at), f32_bits(std::nextafter(x, -INFINITY))});
      cases.push_back({fmt::format("{}edge {}", s, at), f32_bits(x)});
      cases.push_back({fmt::format("{}edge {} + ulp", s, at), f32_bits(std::nextafter(x, INFINITY))});
    }
  }
  return cases;
}

SpecialCheck check_special(const KernelInfo& k, uint32_t input_bits) {
  SpecialCheck c{};
  c.input = f32_from_bits(input_bits);
  k.f32(1, &c.input, &c.output);
  const RefPoint rp = reference(k.formula, c.input);
  c.expected = rp.rounded;
  if (std::isnan(c.input)) {
    c.pass = std::isnan(c.output);
  } else if (std::isinf(c.input) || c.input == 0.0f) {
    c.pass = f32_bits(c.output) == f32_bits(rp.rounded);
  } else {
    const double bound = k.peer ? 1.0 : std::max(1.0, k.budget.max_ulp_vs_formula);
    c.pass = !std::isnan(c.output) && std::signbit(c.output) == std::signbit(c.input) &&
             ulp_error(c.output, rp.value) <= bound;
  }
  if ((k.declared.deviations & kNegInfToNaN) && input_bits == 0xff800000u) {
    c.declared_deviation = true;
    c.as_declared = std::isnan(c.output);
  }
  return c;
}

std::string hexfloat(float f) {
  if (std::isnan(f)) return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  return fmt::format("{:a}", f);
}

nlohmann::json json_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

AccuracyResult run_accuracy(const AccuracyOptions& opt) { return Sweep(opt).run(); }

}  // namespace gelubench
