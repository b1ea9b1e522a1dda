// External kernels: any program, in any language, that computes GELU in its
// own process (a framework adapter under adapters/, or your own), talked to
// over its stdin/stdout with the framing in adapters/README.md:
//
//   gelubench accuracy --external f32_erf_onnxruntime_gelu__ext='adapters/onnxruntime_gelu.py gelu'
//
// The program is started once and stays up; each kernel call sends it one
// block and reads the block back. It runs in its own process, so a crash,
// a hang (no answer within the timeout), a wrong count or garbage is
// contained: the kernel is marked failed (NaN output, one line naming it,
// "failure" in the results) and every other result stands.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace gelubench {

// Seconds an external program may take to answer one block (default 120;
// GELUBENCH_EXTERNAL_TIMEOUT overrides). The first block, which also waits
// for the program to start, gets at least 60.
double external_timeout_seconds();

// Parses NAME=COMMAND, starts COMMAND (through /bin/sh), checks it answers
// one block, and adds NAME to the registry as a peer of the dtype its name
// starts with (f32, f16 or bf16: what travels, both ways), or, given a
// budget, as a kernel whose budget the verdict enforces like a registry
// kernel's. Returns "" or one line saying what is wrong (the CLI exits 2): a
// malformed argument, a name outside the naming rule or already taken. A
// program that cannot start or fails the first block is still added, and
// `list` shows why it cannot run.
std::string add_external(const std::string& spec, const Budget* budget = nullptr);

struct PeerSlot;

// Out-of-process throughput: asks the external program behind slot to run
// `calls` calls of its GELU (or, with copy, of its plain array copy: its own
// memory roof) on the n elements of its dtype at x, timing them itself. Returns "" and the
// seconds all calls took, or why not (the program failed: recorded as for
// any call). x is sent once per request; timing covers only the calls.
std::string time_external(PeerSlot& slot, size_t n, const void* x, uint32_t calls, bool copy, double* seconds);

// Parses the --external-budget arguments, NAME=ULP[,ULP_EXACT[,ABS_EXACT]]
// (max ULP vs the name's formula, vs exact GELU, max absolute error vs exact;
// "-" or an omitted one: no claim), into budgets by name; every NAME must be
// one of the --external specs. Returns "" or what is wrong.
std::string parse_external_budgets(const std::vector<std::string>& args, const std::vector<std::string>& externals,
                                   std::map<std::string, Budget>& out);

}  // namespace gelubench
