// The `gelubench` command line: info, list, accuracy, throughput, run.
#pragma once

namespace gelubench {

// Exit status: 0 success, 1 a measured budget failed, 2 bad usage or input,
// 130 interrupted.
int cli_main(int argc, char** argv);

}  // namespace gelubench
