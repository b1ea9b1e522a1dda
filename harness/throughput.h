// The throughput driver: Google Benchmark, registered at run time for every
// runnable kernel x array size x input distribution, with the copy roof.
#pragma once

#include <string>
#include <vector>

#include "harness/cpu_features.h"
#include "harness/registry.h"

namespace gelubench {

struct ArraySize {
  std::string level;  // "L1", "L2", "L3", "DRAM"
  size_t n;           // elements; input + output arrays take 8*n bytes
};

// Sizes whose input and output arrays together fill about half of each cache
// level (DRAM: four times the last-level cache), from the detected caches,
// with fixed fallbacks where detection failed.
std::vector<ArraySize> array_sizes(const CpuInfo& cpu);

// Input distributions: uniform[-10, 10], normal(0, 1) (what GELU sees in a
// network) and tail, uniform[-15, -11] (results and intermediates subnormal).
inline const std::vector<std::string> kDistributions = {"uniform", "normal", "tail"};

struct ThroughputOptions {
  std::vector<const KernelInfo*> kernels;  // all runnable here
  IsaCap cap = IsaCap::scalar;
  std::vector<std::string> sizes;          // level names to run; empty = all
  std::vector<std::string> dists;          // input distributions (kDistributions); empty = all
  std::vector<std::string> benchmark_args; // --benchmark_* flags, passed through
  std::string baseline;                    // kernel (or "copy") to print ratios against
  std::vector<int> threads = {1};          // thread counts: each kernel (and copy) runs at each
};

// "1,2,all" -> {1, 2, CPUs this process may run on}; nullopt-like empty
// vector with `error` set on anything else.
std::vector<int> parse_thread_list(const std::string& text, std::string* error);

// Returns a process exit status. Errors are printed.
int run_throughput(const ThroughputOptions& opt);

}  // namespace gelubench
