// Accuracy of the narrow-format kernels, exhaustively in their own units:
// f16 and bf16 over all 65536 encodings (ULP of the format, reference rounded
// directly from high precision), qs8 over all 256 codes for each
// quantization case (error in output LSB).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "harness/registry.h"

namespace gelubench {

struct NarrowAccuracyResult {
  nlohmann::json kernels = nlohmann::json::array();    // f16/bf16: same schema as f32 entries
  nlohmann::json quantized = nlohmann::json::array();  // qs8 entries
  int failed = 0;
};

// Every kernel must be runnable here and of dtype f16, bf16 or qs8.
NarrowAccuracyResult run_narrow_accuracy(const std::vector<const KernelInfo*>& kernels);

}  // namespace gelubench
