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

struct ThroughputOptions {
  std::vector<const KernelInfo*> kernels;  // all runnable here
  IsaCap cap = IsaCap::scalar;
  std::vector<std::string> sizes;          // level names to run; empty = all
  std::vector<std::string> benchmark_args; // --benchmark_* flags, passed through
  std::string baseline;                    // kernel (or "copy") to print ratios against
};

// Returns a process exit status. Errors are printed.
int run_throughput(const ThroughputOptions& opt);

}  // namespace gelubench
