// Tests parameterized over the kernels of kernels/registry.inc: the kernels
// a suite runs on, their test names, and a fixture that skips (with the
// reason) any kernel this CPU cannot run.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/cpu_features.h"
#include "harness/registry.h"

namespace gelubench {

// Registry kernels for which keep(kernel) holds, in registry order.
template <class Keep>
std::vector<const KernelInfo*> registry_kernels(Keep keep) {
  std::vector<const KernelInfo*> v;
  for (const auto& k : all_kernels())
    if (keep(k)) v.push_back(&k);
  return v;
}

// Our own f32 kernels: the ones that declare budgets and specials.
inline std::vector<const KernelInfo*> own_f32_kernels() {
  return registry_kernels([](const KernelInfo& k) { return k.dtype == DType::f32 && !k.peer; });
}

inline std::string kernel_param_name(const ::testing::TestParamInfo<const KernelInfo*>& info) {
  return std::string(info.param->name);
}

class RunnableKernelTest : public ::testing::TestWithParam<const KernelInfo*> {
 protected:
  void SetUp() override {
    const std::string why = why_not_runnable(*GetParam(), best_isa(cpu_info()));
    if (!why.empty()) GTEST_SKIP() << why;
  }
};

}  // namespace gelubench
