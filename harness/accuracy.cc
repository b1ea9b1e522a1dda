#include "harness/accuracy.h"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "harness/accuracy_stats.h"
#include "harness/block_metrics.h"
#include "harness/exact_sum.h"
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

// Kernels partitioned by their outputs: same[k] is the first kernel (lowest
// index) whose outputs were bit for bit kernel k's on every input seen, k
// itself if none. All zeros (one class) is the partition before any input.
using SameBits = std::vector<uint32_t>;

// The common refinement of two such partitions: kernels together in both.
// Order does not matter, so chunks and shards combine to the whole run's.
void refine(SameBits& same, const SameBits& other) {
  if (same == other) return;
  SameBits out(same.size());
  for (uint32_t k = 0; k < same.size(); ++k)
    for (uint32_t j = same[k]; j <= k; ++j)  // no earlier j is in k's class of `same`
      if (same[j] == same[k] && other[j] == other[k]) {
        out[k] = j;
        break;
      }
  same = std::move(out);
}

struct ChunkResult {
  std::vector<ComparisonChunk> comparisons;
  std::array<uint64_t, 3> certified{};
  uint64_t inputs = 0;
  SameBits same;
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

  const AccuracyOptions& opt_;
  std::vector<Comparison> comparisons_;
  std::array<bool, 3> formula_used_{};
  uint64_t n_indices_ = 0, n_chunks_ = 0;
};

ChunkResult Sweep::process_chunk(uint64_t chunk) const {
  ChunkResult res;
  const size_t nc = comparisons_.size();
  res.comparisons.resize(nc);
  res.same.assign(opt_.kernels.size(), 0);
  SameBits block_same(opt_.kernels.size());
  std::vector<std::vector<Bin>> dense(nc, std::vector<Bin>(kBins));
  int bin_min = kBins, bin_max = -1;

  std::array<float, kBlock> x;
  std::array<RefBlock, 3> refs;
  std::vector<std::array<float, kBlock>> y(opt_.kernels.size());
  std::vector<const float*> out(opt_.kernels.size());  // kernel k's outputs for this block
  ErrorBlock eb;
  // Runs of inputs sharing one region and one profile bin: a block is a
  // contiguous slice of encodings, so there are few.
  struct Run {
    size_t begin, end;
    Region region;
    int bin;
  };
  std::vector<Run> runs;
  // Per comparison, its figures for each run of the current block.
  std::vector<std::vector<Stats>> run_stats(nc);
  // A cheap first test of equal outputs: the reference and three outputs.
  struct OutputKey {
    Formula ref;
    uint32_t a, b, c;
    bool operator==(const OutputKey&) const = default;
  };
  std::vector<std::pair<OutputKey, size_t>> distinct;  // key, first comparison with these outputs

  uint64_t begin = chunk * kChunk, end = std::min(n_indices_, begin + kChunk);

  // Outside code costs something per call: an external program a round
  // trip, a shim peer its library's dispatch (an OpenVINO inference ~10 us).
  // Each gets the chunk's finite inputs in one call, and the blocks below
  // read its answer. The buffers are per thread and kept from chunk to chunk
  // (fresh 4 MiB allocations cost page faults every chunk).
  thread_local std::vector<float> all;
  thread_local std::vector<std::vector<float>> batched_tl;
  batched_tl.resize(std::max(batched_tl.size(), opt_.kernels.size()));
  std::vector<const float*> batched(opt_.kernels.size(), nullptr);
  size_t batched_pos = 0;
  // A shim peer or an external program (harness/peer_libraries.h).
  auto is_outside = [](const KernelInfo* k) { return k->dl != nullptr; };
  if (std::any_of(opt_.kernels.begin(), opt_.kernels.end(), is_outside)) {
    all.clear();
    for (uint64_t index = begin; index < end; ++index)
      if (float v = f32_from_bits(input_bits(index)); std::isfinite(v)) all.push_back(v);
    for (size_t k = 0; k < opt_.kernels.size(); ++k)
      if (is_outside(opt_.kernels[k])) {
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
      if (batched[k] == nullptr) {
        opt_.kernels[k]->f32(n, x.data(), y[k].data());
        out[k] = y[k].data();
      } else {
        out[k] = batched[k] + batched_pos;
      }
    }
    batched_pos += n;

    // Outputs seen in this block, by reference: a kernel whose outputs are
    // bit for bit those of an earlier comparison against the same reference
    // (ISA siblings, kernels agreeing on a whole block) takes its per-run
    // figures as they are, which is what recomputing them would give. The
    // memcmp is the proof, on every input.
    // The erf comparison, which every kernel has, also records the first
    // kernel with these outputs: `distinct` holds the first of each.
    distinct.clear();
    for (uint32_t k = 0; k < block_same.size(); ++k) block_same[k] = k;
    for (size_t c = 0; c < nc; ++c) {
      const Formula ref = comparisons_[c].ref;
      const RefBlock& rb = refs[static_cast<int>(ref)];
      const float* yk = out[comparisons_[c].kernel];
      const OutputKey key{ref, f32_bits(yk[0]), f32_bits(yk[n / 2]), f32_bits(yk[n - 1])};
      std::vector<Stats>& stats = run_stats[c];
      stats.assign(runs.size(), Stats{});
      bool reused = false;
      for (const auto& [dkey, dc] : distinct)
        if (dkey == key && std::memcmp(out[comparisons_[dc].kernel], yk, n * sizeof(float)) == 0) {
          stats = run_stats[dc];
          reused = true;
          if (ref == Formula::erf) block_same[comparisons_[c].kernel] = static_cast<uint32_t>(comparisons_[dc].kernel);
          break;
        }
      if (!reused) {
        distinct.push_back({key, c});
        const bool exact = exact_block(yk, rb, n);
        if (!exact) eb.compute(yk, rb, n);
        for (size_t r = 0; r < runs.size(); ++r) {
          if (exact)
            accumulate_exact(stats[r], x.data(), yk, runs[r].begin, runs[r].end);
          else
            eb.accumulate(stats[r], rb, x.data(), yk, runs[r].begin, runs[r].end);
        }
      }
      for (size_t r = 0; r < runs.size(); ++r) {
        const Stats& st = stats[r];
        dense[c][runs[r].bin].merge(Bin{std::max(st.max_ulp, 0.0), st.sum_ulp, st.count});
        res.comparisons[c].regions[runs[r].region].merge(st);
      }
    }
    refine(res.same, block_same);
  }
  if (bin_max >= bin_min) {
    for (size_t c = 0; c < nc; ++c) {
      res.comparisons[c].bin_lo = bin_min;
      res.comparisons[c].bins.assign(dense[c].begin() + bin_min, dense[c].begin() + bin_max + 1);
    }
  }
  return res;
}

// The figures of a set of chunks, merged in chunk order: everything but the
// ULP sums merges exactly (counts, and maxima keeping the first worst case);
// the sums are exact too (ExactSum), so a run split into shards and merged
// gives the figures of the whole run, byte for byte.
struct ComparisonTotals {
  std::array<Stats, kRegions> regions;  // sum_ulp superseded by region_sums
  std::array<ExactSum, kRegions> region_sums;
  std::vector<Bin> bins = std::vector<Bin>(kBins);  // sum_ulp superseded by bin_sums
  std::vector<ExactSum> bin_sums = std::vector<ExactSum>(kBins);

  void add(const ComparisonChunk& cc) {
    for (int g = 0; g < kRegions; ++g) regions[g].merge(cc.regions[g]), region_sums[g].add(cc.regions[g].sum_ulp);
    for (size_t b = 0; b < cc.bins.size(); ++b)
      bins[cc.bin_lo + b].merge(cc.bins[b]), bin_sums[cc.bin_lo + b].add(cc.bins[b].sum_ulp);
  }
  // Appends totals of later inputs.
  void merge(const ComparisonTotals& t) {
    for (int g = 0; g < kRegions; ++g) regions[g].merge(t.regions[g]), region_sums[g].merge(t.region_sums[g]);
    for (int b = 0; b < kBins; ++b) bins[b].merge(t.bins[b]), bin_sums[b].merge(t.bin_sums[b]);
  }
};

struct Totals {
  uint64_t inputs = 0;
  std::array<uint64_t, 3> certified{};
  std::vector<ComparisonTotals> comparisons;
  SameBits same;  // sized to the kernel count, all zeros before any input

  void add(const ChunkResult& r) {
    inputs += r.inputs;
    for (int f = 0; f < 3; ++f) certified[f] += r.certified[f];
    for (size_t i = 0; i < comparisons.size(); ++i) comparisons[i].add(r.comparisons[i]);
    refine(same, r.same);
  }
  void merge(const Totals& t) {
    inputs += t.inputs;
    for (int f = 0; f < 3; ++f) certified[f] += t.certified[f];
    for (size_t i = 0; i < comparisons.size(); ++i) comparisons[i].merge(t.comparisons[i]);
    refine(same, t.same);
  }
};

// ---- Lossless JSON of the totals, for shard files (doubles round-trip
// through JSON numbers; floats travel as their bits).

nlohmann::json exact_sum_json(const ExactSum& s) {
  nlohmann::json p = nlohmann::json::array();
  for (double v : s.partials()) p.push_back(v);
  return {{"partials", p}, {"special", json_number(s.special())}};
}

ExactSum exact_sum_from_json(const nlohmann::json& j) {
  std::vector<double> p;
  for (const auto& v : j.at("partials")) p.push_back(v.get<double>());
  return ExactSum::restore(std::move(p), number_from_json(j.at("special")));
}

nlohmann::json stats_state_json(const Stats& s, const ExactSum& sum) {
  return {{"count", s.count},
          {"correctly_rounded", s.correctly_rounded},
          {"hist", s.hist},
          {"violations", s.violations},
          {"sum_ulp", exact_sum_json(sum)},
          {"max", {json_number(s.max_ulp), json_number(s.max_abs), json_number(s.max_rel)}},
          {"max_x", {s.worst_x, s.max_abs_x, s.max_rel_x}},
          {"worst_y_bits", {f32_bits(s.worst_y), f32_bits(s.worst_expected)}}};
}

void stats_state_from_json(const nlohmann::json& j, Stats& s, ExactSum& sum) {
  s.count = j.at("count").get<uint64_t>();
  s.correctly_rounded = j.at("correctly_rounded").get<uint64_t>();
  s.hist = j.at("hist").get<std::array<uint64_t, kBuckets>>();
  s.violations = j.at("violations").get<std::array<uint64_t, kNumProfiles>>();
  sum = exact_sum_from_json(j.at("sum_ulp"));
  s.max_ulp = number_from_json(j.at("max").at(0));
  s.max_abs = number_from_json(j.at("max").at(1));
  s.max_rel = number_from_json(j.at("max").at(2));
  s.worst_x = j.at("max_x").at(0).get<uint32_t>();
  s.max_abs_x = j.at("max_x").at(1).get<uint32_t>();
  s.max_rel_x = j.at("max_x").at(2).get<uint32_t>();
  s.worst_y = f32_from_bits(j.at("worst_y_bits").at(0).get<uint32_t>());
  s.worst_expected = f32_from_bits(j.at("worst_y_bits").at(1).get<uint32_t>());
}

nlohmann::json comparison_totals_json(const ComparisonTotals& t) {
  nlohmann::json regions = nlohmann::json::array(), bins = nlohmann::json::array();
  for (int g = 0; g < kRegions; ++g) regions.push_back(stats_state_json(t.regions[g], t.region_sums[g]));
  for (int b = 0; b < kBins; ++b)  // only the bins with inputs: a shard holds a slice of x
    if (t.bins[b].count)
      bins.push_back({b, json_number(t.bins[b].max_ulp), t.bins[b].count, exact_sum_json(t.bin_sums[b])});
  return {{"regions", regions}, {"bins", bins}};
}

void comparison_totals_from_json(const nlohmann::json& j, ComparisonTotals& t) {
  for (int g = 0; g < kRegions; ++g) stats_state_from_json(j.at("regions").at(g), t.regions[g], t.region_sums[g]);
  for (const auto& e : j.at("bins")) {
    const int b = e.at(0).get<int>();
    if (b < 0 || b >= kBins) throw std::runtime_error(fmt::format("error-profile bin {} out of range", b));
    t.bins[b] = Bin{number_from_json(e.at(1)), 0.0, e.at(2).get<uint64_t>()};
    t.bin_sums[b] = exact_sum_from_json(e.at(3));
  }
}

// What the verdict of one kernel needs, with its header (identity and
// special values) and whether its library failed a call.
struct KernelEntry {
  nlohmann::json header;
  Contract contract;
  std::string failure;
};

// For each kernel, the first kernel whose outputs were its own bit for bit on
// every finite input swept (the sweep's memcmp, totals.same) and on every
// special input all kernels are checked on (NaNs, infinities: their output
// bits in the headers); itself if none. A kernel whose library failed a call
// is like no other. No input swept, no proof: each kernel is its own.
SameBits same_bits(const Totals& totals, const std::vector<KernelEntry>& entries) {
  SameBits same(entries.size());
  for (uint32_t k = 0; k < same.size(); ++k) same[k] = k;
  if (totals.inputs == 0) return same;
  SameBits specials(entries.size());
  std::map<std::string, uint32_t> first_with;
  for (uint32_t k = 0; k < entries.size(); ++k) {
    std::string key;
    if (!entries[k].failure.empty()) {
      key = fmt::format("failed {}", k);
    } else {
      for (const auto& s : entries[k].header.at("specials"))
        for (const SpecialCase& sc : special_cases())
          if (s.at("name") == sc.name) key += fmt::format("{}={};", sc.name, s.at("output_bits").get<std::string>());
    }
    specials[k] = first_with.emplace(key, k).first->second;
  }
  same = totals.same;
  refine(same, specials);
  return same;
}

// The finished "kernels" entries from the totals of the whole input set.
AccuracyResult finish(const Totals& totals, const std::vector<Comparison>& comparisons,
                      const std::vector<KernelEntry>& entries) {
  AccuracyResult out;
  out.completed = true;
  out.inputs = totals.inputs;
  out.certified_calls = {{"erf", totals.certified[0]}, {"tanh", totals.certified[1]},
                         {"sigmoid", totals.certified[2]}};
  auto comparison_index = [&](size_t kernel, Formula f) {
    for (size_t i = 0; i < comparisons.size(); ++i)
      if (comparisons[i].kernel == kernel && comparisons[i].ref == f) return i;
    throw std::runtime_error("a kernel's comparison is missing");
  };
  const SameBits same = same_bits(totals, entries);
  for (size_t k = 0; k < entries.size(); ++k) {
    nlohmann::json kj = entries[k].header;
    const Formula own = *parse_formula(kj.at("formula").get<std::string>());
    auto figures = [&](Formula f) {
      const ComparisonTotals& t = totals.comparisons[comparison_index(k, f)];
      ExactSum all_sum;
      std::array<Stats, kRegions> regions = t.regions;
      for (int g = 0; g < kRegions; ++g) {
        regions[g].sum_ulp = t.region_sums[g].value();
        all_sum.merge(t.region_sums[g]);
      }
      std::vector<Bin> bins = t.bins;
      for (int b = 0; b < kBins; ++b) bins[b].sum_ulp = t.bin_sums[b].value();
      return comparison_figures(regions, bins, f, all_sum.value());
    };
    const ComparisonFigures exact = figures(Formula::erf), formula = figures(own);
    kj["vs"]["exact"] = exact.json;
    kj["vs"]["formula"] = formula.json;
    // A shim peer whose library failed a call has NaN where its results
    // were: its figures are void, and it says so (the other kernels' stand).
    if (const std::string& failure = entries[k].failure; !failure.empty()) {
      fmt::print(stderr, "gelubench: {}; its accuracy figures are void\n", failure);
      kj["failure"] = failure;
    }
    if (same[k] != k) kj["same_bits_as"] = entries[same[k]].header.at("name");
    if (!add_verdict(kj, entries[k].contract, measured(exact, formula))) ++out.failed;
    out.kernels.push_back(std::move(kj));
  }
  return out;
}

// A shard's figures, chunks [first, last) of `total`: what merge_partials reads.
nlohmann::json partial_json(uint64_t first, uint64_t last, uint64_t total, const Totals& totals,
                            const std::vector<Comparison>& comparisons, const std::vector<KernelEntry>& entries) {
  nlohmann::json kernels = nlohmann::json::array(), cmp = nlohmann::json::array();
  for (const KernelEntry& e : entries)
    kernels.push_back({{"header", e.header}, {"contract", contract_json(e.contract)}, {"failure", e.failure}});
  for (size_t i = 0; i < comparisons.size(); ++i) {
    nlohmann::json cj = comparison_totals_json(totals.comparisons[i]);
    cj["kernel"] = comparisons[i].kernel;
    cj["formula"] = std::string(formula_name(comparisons[i].ref));
    cmp.push_back(std::move(cj));
  }
  return {{"chunks", {{"first", first}, {"last", last}, {"total", total}}},
          {"inputs", totals.inputs},
          {"same_bits", totals.same},
          {"certified", totals.certified},
          {"kernels", kernels},
          {"comparisons", cmp}};
}

AccuracyResult Sweep::run() {
  AccuracyResult out;
  // This shard's slice of the chunks (all of them when unsharded).
  const uint64_t first = n_chunks_ * opt_.shard.index / opt_.shard.count;
  const uint64_t last = n_chunks_ * (opt_.shard.index + 1) / opt_.shard.count;
  Totals totals;
  totals.comparisons.resize(comparisons_.size());
  totals.same.assign(opt_.kernels.size(), 0);

  std::mutex mu;
  std::condition_variable ready;
  std::vector<std::unique_ptr<ChunkResult>> slots(last - first);
  std::atomic<uint64_t> next{first};
  std::atomic<bool> failed_stop{false};
  auto stopped = [&] { return failed_stop.load() || (opt_.stop && opt_.stop->load()); };

  // Outside code may pin the calling thread (OpenVINO did, on every
  // inference, until its shim turned that off): two sweep threads on one
  // core run at half speed. Each chunk ends with the thread's CPUs restored.
  std::atomic<bool> repinned{false};
  auto worker = [&] {
    cpu_set_t cpus;
    const bool have_cpus = sched_getaffinity(0, sizeof cpus, &cpus) == 0;
    for (;;) {
      if (stopped()) break;
      uint64_t c = next.fetch_add(1);
      if (c >= last) break;
      auto r = std::make_unique<ChunkResult>(process_chunk(c));
      if (cpu_set_t now; have_cpus && sched_getaffinity(0, sizeof now, &now) == 0 && !CPU_EQUAL(&now, &cpus)) {
        sched_setaffinity(0, sizeof cpus, &cpus);
        if (!repinned.exchange(true))
          fmt::print(stderr, "gelubench: a kernel's library pinned a sweep thread to {} CPU(s); restored after "
                             "each chunk\n",
                     CPU_COUNT(&now));
      }
      std::lock_guard lock(mu);
      slots[c - first] = std::move(r);
      ready.notify_one();
    }
    std::lock_guard lock(mu);
    ready.notify_one();
  };
  int nthreads = std::max(1, opt_.threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < nthreads; ++t) pool.emplace_back(worker);

  Progress progress("accuracy", last - first);
  // Merge chunk results strictly in chunk order: deterministic figures.
  for (uint64_t c = first; c < last; ++c) {
    std::unique_ptr<ChunkResult> r;
    {
      std::unique_lock lock(mu);
      auto arrived = [&] { return slots[c - first] != nullptr || stopped(); };
      while (!arrived()) ready.wait_for(lock, std::chrono::milliseconds(200), arrived);
      if (!slots[c - first]) break;
      r = std::move(slots[c - first]);
    }
    totals.add(*r);
    if (opt_.progress) progress.update(c + 1 - first);
  }
  for (auto& t : pool) t.join();
  out.elapsed_s = progress.elapsed_seconds();
  if (stopped()) return out;
  if (opt_.progress) progress.finish();

  std::vector<KernelEntry> entries;
  for (size_t k = 0; k < opt_.kernels.size(); ++k) {
    const KernelInfo& ki = *opt_.kernels[k];
    entries.push_back({kernel_header_json(k), contract_of(ki), ki.dl ? peer_failure(*ki.dl) : std::string()});
  }
  if (opt_.shard.count == 1) {
    const double elapsed = out.elapsed_s;
    out = finish(totals, comparisons_, entries);
    out.elapsed_s = elapsed;
    return out;
  }
  // A shard: the figures in lossless form, for `gelubench merge`.
  out.completed = true;
  out.inputs = totals.inputs;
  out.partial = partial_json(first, last, n_chunks_, totals, comparisons_, entries);
  return out;
}

nlohmann::json Sweep::kernel_header_json(size_t k) const {
  const KernelInfo& ki = *opt_.kernels[k];
  nlohmann::json j = kernel_identity_json(ki);

  nlohmann::json specials = nlohmann::json::array();
  for (const SpecialCase& sc : special_cases_for(ki)) {
    const SpecialCheck c = check_special(ki, sc.bits);
    specials.push_back(special_json(sc.name, c.input, fmt::format("{:#010x}", sc.bits), c.expected, c.output,
                                    fmt::format("{:#010x}", f32_bits(c.output)), c.pass,
                                    c.declared_deviation ? std::optional<bool>(c.as_declared) : std::nullopt));
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

AccuracyResult run_accuracy(const AccuracyOptions& opt) {
  if (opt.shard.count == 0 || opt.shard.index >= opt.shard.count)
    throw std::invalid_argument("shard index must be below the shard count");
  return Sweep(opt).run();
}

AccuracyResult merge_partials(const std::vector<nlohmann::json>& partials) {
  if (partials.empty()) throw std::runtime_error("no shard to merge");
  const nlohmann::json& p0 = partials.front();
  // Kernels, comparisons and chunk count must agree; the chunk slices must
  // follow each other from the first chunk to the last.
  uint64_t expected_first = 0;
  const uint64_t total = p0.at("chunks").at("total").get<uint64_t>();
  for (size_t s = 0; s < partials.size(); ++s) {
    const nlohmann::json& p = partials[s];
    if (p.at("chunks").at("total").get<uint64_t>() != total)
      throw std::runtime_error(fmt::format("shard {} has {} chunks in all, shard 0 {}", s,
                                           p.at("chunks").at("total").get<uint64_t>(), total));
    if (p.at("chunks").at("first").get<uint64_t>() != expected_first)
      throw std::runtime_error(fmt::format("shard {} starts at chunk {}, not {}", s,
                                           p.at("chunks").at("first").get<uint64_t>(), expected_first));
    expected_first = p.at("chunks").at("last").get<uint64_t>();
    if (p.at("kernels") != p0.at("kernels"))
      throw std::runtime_error(fmt::format("shard {} has other kernels, or other results on the special inputs, "
                                           "than shard 0",
                                           s));
    if (p.at("comparisons").size() != p0.at("comparisons").size())
      throw std::runtime_error(fmt::format("shard {} has other comparisons than shard 0", s));
  }
  if (expected_first != total)
    throw std::runtime_error(fmt::format("the shards end at chunk {} of {}", expected_first, total));

  std::vector<Comparison> comparisons;
  for (const auto& cj : p0.at("comparisons"))
    comparisons.push_back({cj.at("kernel").get<size_t>(), *parse_formula(cj.at("formula").get<std::string>())});
  const size_t n_kernels = p0.at("kernels").size();
  Totals totals;
  totals.comparisons.resize(comparisons.size());
  totals.same.assign(n_kernels, 0);
  for (const nlohmann::json& p : partials) {
    Totals t;
    t.inputs = p.at("inputs").get<uint64_t>();
    t.same = p.at("same_bits").get<SameBits>();
    if (t.same.size() != n_kernels)
      throw std::runtime_error(fmt::format("a shard's same_bits lists {} kernels, not {}", t.same.size(), n_kernels));
    for (uint32_t k = 0; k < n_kernels; ++k)
      if (t.same[k] > k || t.same[t.same[k]] != t.same[k])
        throw std::runtime_error(fmt::format("a shard's same_bits is not a partition (kernel {})", k));
    t.certified = p.at("certified").get<std::array<uint64_t, 3>>();
    t.comparisons.resize(comparisons.size());
    for (size_t i = 0; i < comparisons.size(); ++i) comparison_totals_from_json(p.at("comparisons").at(i), t.comparisons[i]);
    totals.merge(t);
  }
  std::vector<KernelEntry> entries;
  for (const auto& kj : p0.at("kernels"))
    entries.push_back({kj.at("header"), contract_from_json(kj.at("contract")), kj.at("failure").get<std::string>()});
  return finish(totals, comparisons, entries);
}

}  // namespace gelubench
