// The accuracy result file (schema gelubench.accuracy/1, see
// reports/README.md), the shard files of a split run
// (gelubench.accuracy-shard/1) and their merge, and the console table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "harness/accuracy.h"
#include "harness/narrow_accuracy.h"

namespace gelubench {

// The run's context before its figures: run_context() plus "mode", "stride"
// and "threads".
nlohmann::json accuracy_context(IsaCap cap, uint64_t stride, int threads);

// `context`: accuracy_context(); the run's
// facts (inputs, time, certified calls, ULP definition, regions) are added.
// `skipped`: the selected kernels this CPU cannot run, with the reason.
nlohmann::json accuracy_document(const AccuracyResult& f32, const NarrowAccuracyResult& narrow,
                                 nlohmann::json context, nlohmann::json skipped);

// One shard's file: its slice of the f32 figures in lossless form; shard 0
// also carries the narrow formats' results (65536 inputs: not worth
// splitting). "run_key" is what every shard of one run must share.
nlohmann::json shard_document(const AccuracyResult& f32, const NarrowAccuracyResult& narrow,
                              nlohmann::json context, nlohmann::json skipped, Shard shard);

// The result document of the whole run from its shard files (path, parsed
// contents), given in any order: the same bytes as the unsharded run's,
// except the timing fields (context.date, context.elapsed_s, the sum of the
// shards' times). Throws std::runtime_error naming the file and what does
// not fit: not a shard file, another commit, CPU, kernel set or options, a
// shard missing or given twice.
nlohmann::json merge_shard_documents(const std::vector<std::pair<std::string, nlohmann::json>>& shards);

// The console summary of a result document: one line per kernel, the ULP
// definition, the run's size and time, the budget count.
void print_accuracy_table(const nlohmann::json& doc);

}  // namespace gelubench
