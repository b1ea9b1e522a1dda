// The gelubench binary as a user meets it: exit codes and messages.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/cpu_features.h"
#include "harness/npy.h"

namespace gelubench {
namespace {

namespace fs = std::filesystem;

struct CliResult {
  int status;
  std::string output;  // stdout and stderr together
};

// Runs `cmd` through the shell.
CliResult shell(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// Runs gelubench with `args` through the shell; `env` ("NAME=value ") prefixes the command.
CliResult gelubench(const std::string& args, const std::string& env = "") {
  return shell(env + std::string(GELUBENCH_BINARY) + " " + args);
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gelubench-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct BadInput {
  const char* args;
  const char* message;
};

class CliRejects : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliRejects, WithExitTwoAndAMessage) {
  CliResult r = gelubench(GetParam().args);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, CliRejects,
    ::testing::Values(BadInput{"", "A subcommand is required"},
                      BadInput{"frobnicate", "frobnicate"},
                      BadInput{"list --bogus", "--bogus"},
                      BadInput{"list --kernel no_such_kernel", "no kernel matches 'no_such_kernel'"},
                      BadInput{"accuracy --stride 0", "--stride"},
                      BadInput{"accuracy --threads -1", "--threads"},
                      BadInput{"accuracy --stride abc", "--stride: 'abc' is not a number"},
                      BadInput{"accuracy --threads 1.5", "--threads: '1.5' is not a whole number"},
                      BadInput{"accuracy --stride", "--stride needs a value"},
                      BadInput{"list --bogus", "(see `gelubench list --help`)"},
                      BadInput{"run --kernal f32_erf_libm_erff__scalar --in a.npy --out b.npy",
                               "unexpected arguments: --kernal f32_erf_libm_erff__scalar"},
                      BadInput{"run --kernel qs8_erf_lut__scalar --in /tmp/x.i8 --out /tmp/y.i8 --input-scale abc "
                               "--input-zero-point 0 --output-scale 0.05 --output-zero-point 0",
                               "--input-scale: 'abc' is not a number"},
                      BadInput{"run --kernel 'f32_*' --in a.npy --out b.npy", "one exact kernel name, not a pattern"},
                      BadInput{"run --kernel f32_erf_libm_erf__scalar --in a.npy --out b.npy",
                               "closest: f32_erf_libm_erff__scalar"},
                      BadInput{"list --isa neon", "unknown ISA 'neon'"},
                      BadInput{"accuracy --stride 65537 --out /nonexistent/dir/a.json", "directory does not exist"},
                      BadInput{"run --kernel nope --in a.npy --out b.npy", "unknown kernel 'nope'"},
                      BadInput{"run --kernel f32_erf_libm_erff__scalar --in /nonexistent.npy --out /tmp/x.npy",
                               "cannot open"},
                      BadInput{"info --benchmark_filter=x", "only `throughput` takes it"},
                      BadInput{"throughput --benchmark_bogus_flag=1", "benchmark_bogus_flag"},
                      BadInput{"throughput --baseline nope", "--baseline: 'nope' is not among"},
                      BadInput{"throughput --size L7", "--size"},
                      BadInput{"throughput --threads 0", "--threads: '0' is not a thread count"},
                      BadInput{"throughput --threads 1,,2", "--threads: '' is not a thread count"},
                      BadInput{"accuracy --stride 65537 --out ''", "--out: empty path"},
                      BadInput{"accuracy --stride 65537 --out /proc/x.json", "cannot create files in /proc"},
                      BadInput{"throughput --benchmark_repetitions=0", "expected a whole number >= 1"},
                      BadInput{"throughput --benchmark_out_format=bogus", "expected console, json or csv"},
                      BadInput{"throughput --kernel f32_erf_poly_4__avx2 --isa scalar --size L1",
                               "no runnable kernel selected"},
                      BadInput{"throughput --kernel f32_erf_poly_4__scalar --size L1 --benchmark_filter=nomatch",
                               "no benchmark matches"},
                      BadInput{"run --kernel f32_erf_poly_4__scalar --in /dev/zero.npy --out /tmp/x.npy",
                               "no such file"},
                      BadInput{"run --kernel f32_erf_poly_4__scalar --in /tmp/x.f16 --out /tmp/y.f16",
                               "unknown extension for '<f4' elements: use .npy or .f32"},
                      BadInput{"run --kernel qs8_erf_lut__scalar --in /tmp/x.i8 --out /tmp/y.i8 --input-scale inf "
                               "--input-zero-point 0 --output-scale 0.05 --output-zero-point 0",
                               "positive and finite"}));

TEST(Cli, HelpExitsZero) {
  CliResult r = gelubench("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("accuracy"), std::string::npos);
  EXPECT_EQ(gelubench("accuracy --help").status, 0);
}

TEST(Cli, InfoJsonDescribesTheCpu) {
  CliResult r = gelubench("info --json");
  ASSERT_EQ(r.status, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["schema"], "gelubench.info/1");
  for (const char* key : {"vendor", "model", "features", "best_isa", "caches", "logical_cpus"})
    EXPECT_TRUE(j.contains(key)) << key;
}

TEST(Cli, ListJsonHasEveryKernel) {
  CliResult r = gelubench("list --json");
  ASSERT_EQ(r.status, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_GE(j.size(), 5u);
  for (const auto& k : j)
    for (const char* key : {"name", "dtype", "formula", "features", "budget", "runnable"})
      EXPECT_TRUE(k.contains(key)) << key;
}

TEST(Cli, IsaCapSkipsKernelsWithAReason) {
  CliResult r = gelubench("list --isa scalar");
  ASSERT_EQ(r.status, 0) << r.output;
  // Scalar kernels stay runnable under the lowest cap.
  EXPECT_NE(r.output.find("f32_erf_libm_erff__scalar"), std::string::npos);
}

TEST(Cli, AccuracyWritesAResultFile) {
  TempDir dir;
  CliResult r = gelubench("accuracy --kernel 'f32_erf_libm_erfcf*' --stride 65537 --out " + dir / "acc.json");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(dir / "acc.json");
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["schema"], "gelubench.accuracy/1");
  EXPECT_EQ(j["context"]["mode"], "stride");
  EXPECT_TRUE(j["context"].contains("ulp_definition"));
  // The compiler flags, not an unexpanded configure_file template.
  const std::string flags = j["context"]["flags"];
  EXPECT_EQ(flags.find('@'), std::string::npos) << flags;
  EXPECT_EQ(flags.find("_bt"), std::string::npos) << flags;
  EXPECT_EQ(j["kernels"][0]["name"], "f32_erf_libm_erfcf__scalar");
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(Cli, RunAppliesAKernelToANpyArray) {
  TempDir dir;
  Array a = f32_array({-1.0f, 0.0f, 1.0f, 2.0f, -0.0f, 100.0f}, {2, 3});
  write_array(dir / "x.npy", a);
  CliResult r = gelubench("run --kernel f32_erf_libm_double__scalar --in " + dir / "x.npy" + " --out " + dir / "y.npy");
  ASSERT_EQ(r.status, 0) << r.output;
  Array out = read_array(dir / "y.npy", "<f4");
  EXPECT_EQ(out.shape, a.shape);
  std::vector<float> y = as_f32(out);
  ASSERT_EQ(y.size(), 6u);
  EXPECT_FLOAT_EQ(y[0], -0.15865525f);
  EXPECT_EQ(y[1], 0.0f);
  EXPECT_FLOAT_EQ(y[2], 0.84134475f);
  EXPECT_TRUE(std::signbit(y[4]));
  EXPECT_EQ(y[5], 100.0f);
}

// Results go through symbolic links to their target, and into devices as
// they are; never by replacing the link or the device node.
TEST(Cli, RunWritesThroughLinksAndIntoDevices) {
  TempDir dir;
  write_array(dir / "x.npy", f32_array({-1.0f, 1.0f}));
  std::ofstream(dir / "target.npy") << "old";
  fs::create_symlink("target.npy", dir / "link.npy");
  CliResult r = gelubench("run --kernel f32_erf_libm_double__scalar --in " + dir / "x.npy" + " --out " + dir / "link.npy");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::is_symlink(dir / "link.npy"));
  EXPECT_EQ(as_f32(read_array(dir / "target.npy", "<f4")).size(), 2u);

  // /dev/null stays a character device (the old writer renamed a file over it).
  r = gelubench("accuracy --kernel f32_erf_poly_4__scalar --stride 1000003 --out /dev/null");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(Cli, RunKeepsRawFilesRawAndZeroDimensionalArraysZeroDimensional) {
  TempDir dir;
  std::ofstream(dir / "x.f32", std::ios::binary).write("\0\0\x80\x3f\0\0\x80\xbf", 8);  // 1, -1
  CliResult r = gelubench("run --kernel f32_erf_libm_double__scalar --in " + dir / "x.f32" + " --out " + dir / "y.f32");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(fs::file_size(dir / "y.f32"), 8u);
  write_array(dir / "s.npy", f32_array({1.0f}, {}));
  r = gelubench("run --kernel f32_erf_libm_double__scalar --in " + dir / "s.npy" + " --out " + dir / "t.npy");
  ASSERT_EQ(r.status, 0) << r.output;
  Array t = read_array(dir / "t.npy", "<f4");
  EXPECT_TRUE(t.shape.empty());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_FLOAT_EQ(as_f32(t)[0], 0.84134475f);
}

TEST(Cli, RunRejectsWrongDtypeAndTruncatedFiles) {
  TempDir dir;
  std::string good = encode_npy(f32_array({1, 2, 3, 4}));
  std::string f8 = good;
  f8.replace(f8.find("<f4"), 3, "<f8");
  std::ofstream(dir / "f8.npy", std::ios::binary) << f8;
  std::ofstream(dir / "short.npy", std::ios::binary) << good.substr(0, good.size() - 3);
  std::ofstream(dir / "empty.npy", std::ios::binary) << "";
  for (const auto& [file, msg] : {std::pair{"f8.npy", "expected '<f4'"}, std::pair{"short.npy", "truncated"},
                                  std::pair{"empty.npy", "empty"}}) {
    CliResult r = gelubench("run --kernel f32_erf_libm_erff__scalar --in " + dir / file + " --out " + dir / "o.npy");
    EXPECT_EQ(r.status, 2) << file;
    EXPECT_NE(r.output.find(msg), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "o.npy"));
  }
  // A FIFO (like /dev/zero, a stream that need not end) is refused before it is read.
  ASSERT_EQ(mkfifo((dir / "fifo.npy").c_str(), 0600), 0);
  CliResult r = gelubench("run --kernel f32_erf_libm_erff__scalar --in " + dir / "fifo.npy" + " --out " + dir / "o.npy");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("not a regular file"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace gelubench

namespace gelubench {
namespace {

// Runs gelubench with `args` (output discarded), sends SIGINT after `delay_ms`
// and returns its exit status (-1 if it did not exit normally).
int interrupted_exit_status(const std::vector<std::string>& args, int delay_ms) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    std::vector<char*> argv = {const_cast<char*>(GELUBENCH_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GELUBENCH_BINARY, argv.data());
    _exit(127);
  }
  usleep(static_cast<useconds_t>(delay_ms) * 1000);
  kill(pid, SIGINT);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// Ctrl-C in the middle of a sweep: exit 130, the earlier result intact, no
// half-written or temporary file left behind.
TEST(Cli, InterruptedAccuracyLeavesEarlierResultsIntact) {
  TempDir dir;
  std::string out = dir / "acc.json";
  std::ofstream(out) << "earlier result\n";
  // 1.5 s: well into the sweep, which takes minutes.
  EXPECT_EQ(interrupted_exit_status({"accuracy", "--exhaustive", "--out", out}, 1500), 130);
  std::ifstream in(out);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "earlier result\n");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir / "")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

// Google Benchmark streams --benchmark_out into a temporary file; Ctrl-C
// removes it.
TEST(Cli, InterruptedThroughputLeavesNoFile) {
  TempDir dir;
  // 1.5 s: the first benchmark (1 s minimum) has started writing.
  EXPECT_EQ(interrupted_exit_status({"throughput", "--kernel", "f32_erf_libm_erff__scalar", "--size", "L1",
                                     "--benchmark_min_time=1", "--benchmark_out=" + dir / "tp.json"},
                                    1500),
            130);
  EXPECT_TRUE(fs::is_empty(dir / "")) << "left: " << fs::directory_iterator(dir / "")->path();
}


// accuracy --shard K/N and merge (issue #17): the shards of a run, merged in
// any order, give the unsharded run's file byte for byte, save its timing
// lines; shards that do not fit together are refused with a reason.
std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
// The file without the lines that say how the run was executed, not what
// it found: "date", "elapsed_s" and "threads" (a merged file records shard 0's).
std::string untimed(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("\"date\":") == std::string::npos && line.find("\"elapsed_s\":") == std::string::npos &&
        line.find("\"threads\":") == std::string::npos)
      out += line + "\n";
  return out;
}

TEST(CliShards, MergedShardsAreTheUnshardedResult) {
  TempDir dir;
  // Stride 997: five chunks of 2^20 inputs, so four shards hold one or two
  // each; a tanh-formula kernel adds a second comparison, f16 the narrow path,
  // an ISA sibling (where the CPU runs it) a "same_bits_as".
  const std::string run = "accuracy --stride 997 --kernel f32_erf_libm_erfcf__scalar --kernel f32_tanh_exp_div__scalar "
                          "--kernel f32_erf_poly_4__scalar --kernel f32_erf_poly_4__avx2 "
                          "--kernel f16_erf_table__scalar";
  CliResult whole = gelubench(run + " --threads 2 --out " + dir / "whole.json");
  ASSERT_EQ(whole.status, 0) << whole.output;
  for (int k = 0; k < 4; ++k) {
    CliResult r = gelubench(run + " --threads " + std::to_string(1 + k % 2) + " --shard " + std::to_string(k) +
                            "/4 --out " + dir / ("s" + std::to_string(k) + ".json"));
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("shard " + std::to_string(k) + "/4"), std::string::npos) << r.output;
  }
  CliResult m = gelubench("merge " + dir / "s2.json" + " " + dir / "s0.json" + " " + dir / "s3.json" + " " +
                          dir / "s1.json --out " + dir / "merged.json");
  ASSERT_EQ(m.status, 0) << m.output;
  const std::string a = read_text(dir / "whole.json"), b = read_text(dir / "merged.json");
  ASSERT_GT(a.size(), 10000u);
  EXPECT_TRUE(untimed(a) == untimed(b)) << "merged result differs from the unsharded one";
  if (best_isa(cpu_info()) >= IsaCap::avx2)
    EXPECT_NE(a.find("\"same_bits_as\": \"f32_erf_poly_4__scalar\""), std::string::npos);
  // Same console table (its timing line aside).
  EXPECT_NE(m.output.find("f32_tanh_exp_div__scalar"), std::string::npos) << m.output;
  EXPECT_NE(m.output.find("f16_erf_table__scalar"), std::string::npos) << m.output;
}

TEST(CliShards, ShardsThatDoNotFitAreRefused) {
  TempDir dir;
  const std::string run = "accuracy --stride 997 --kernel f32_erf_libm_erfcf__scalar";
  for (int k = 0; k < 2; ++k)
    ASSERT_EQ(gelubench(run + " --shard " + std::to_string(k) + "/2 --out " + dir / ("s" + std::to_string(k) + ".json"))
                  .status,
              0);
  ASSERT_EQ(gelubench("accuracy --stride 499 --kernel f32_erf_libm_erfcf__scalar --shard 1/2 --out " +
                      dir / "other_stride.json")
                .status,
            0);
  ASSERT_EQ(gelubench("accuracy --stride 997 --kernel f32_erf_libm_erff__scalar --shard 1/2 --out " +
                      dir / "other_kernel.json")
                .status,
            0);
  // Another commit: shard 1 with its recorded commit changed.
  nlohmann::json j = nlohmann::json::parse(read_text(dir / "s1.json"));
  j["run_key"]["git_commit"] = "0000000";
  std::ofstream(dir / "other_commit.json") << j.dump();
  std::ofstream(dir / "not_json.json") << "{ truncated";
  // A shard of the format before "same_bits" (issue #18).
  j = nlohmann::json::parse(read_text(dir / "s1.json"));
  j["schema"] = "gelubench.accuracy-shard/1";
  std::ofstream(dir / "old_shard.json") << j.dump();
  const std::string out = " --out " + dir / "m.json";
  const std::pair<std::string, std::string> cases[] = {
      {dir / "s0.json", "shard 1/2 missing"},
      {dir / "s0.json " + dir / "s1.json " + dir / "s1.json", "shard 1/2 given twice"},
      {dir / "s0.json " + dir / "other_stride.json", "stride differs"},
      {dir / "s0.json " + dir / "other_kernel.json", "other kernels"},
      {dir / "s0.json " + dir / "other_commit.json", "git_commit differs"},
      {dir / "s0.json " + dir / "not_json.json", "not a JSON file"},
      {dir / "s0.json " + dir / "old_shard.json", "a shard file of an older gelubench"},
      {dir / "s0.json " + dir / "nowhere.json", "cannot read it"},
  };
  for (const auto& [files, message] : cases) {
    CliResult r = gelubench("merge " + files + out);
    EXPECT_EQ(r.status, 2) << files << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << files << ": " << r.output;
  }
  // A finished result is no shard.
  ASSERT_EQ(gelubench(run + " --out " + dir / "whole.json").status, 0);
  CliResult r = gelubench("merge " + dir / "whole.json" + out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("not a shard file"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "m.json"));
  for (const char* bad : {"2/2", "x", "1/0", "-1/2"}) {
    r = gelubench(run + " --shard " + bad + out);
    EXPECT_EQ(r.status, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--shard"), std::string::npos) << r.output;
  }
  r = gelubench(run + " --shard 0/2");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--shard needs --out"), std::string::npos) << r.output;
}

// Plugins (kernels/plugin.h): the example plugin's kernels join every
// command; a broken plugin is one line and exit 2, before any work.
const std::string kExample = GELUBENCH_EXAMPLE_PLUGIN;
std::string bad_plugin(const char* what) { return std::string(GELUBENCH_TEST_PLUGIN_DIR) + "/libbad_" + what + ".so"; }

TEST(CliPlugin, ExampleKernelsAreListedMeasuredAndRun) {
  CliResult list = gelubench("list --plugin " + kExample + " --kernel 'f32_tanh_example_*' --json");
  ASSERT_EQ(list.status, 0) << list.output;
  auto j = nlohmann::json::parse(list.output);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["name"], "f32_tanh_example_double__scalar");
  EXPECT_TRUE(j[0]["runnable"].get<bool>());
  EXPECT_FALSE(j[0]["peer"].get<bool>());

  TempDir dir;
  CliResult acc = gelubench("accuracy --plugin " + kExample +
                            " --kernel 'f32_tanh_example_*' --stride 4099 --out " + dir / "acc.json");
  ASSERT_EQ(acc.status, 0) << acc.output;  // both within their declared budgets
  std::ifstream in(dir / "acc.json");
  auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["kernels"].size(), 2u);
  for (const auto& k : doc["kernels"]) {
    EXPECT_EQ(k["plugin"], kExample);
    EXPECT_TRUE(k["verdict"]["pass"].get<bool>()) << k["name"];
    EXPECT_FALSE(k["verdict"]["checks"].empty()) << "a declared budget was not checked";
  }

  {
    std::ofstream raw(dir / "x.f32", std::ios::binary);
    const float x[2] = {1.0f, -1.0f};
    raw.write(reinterpret_cast<const char*>(x), sizeof x);
  }
  CliResult run = gelubench("run --plugin " + kExample + " --kernel f32_tanh_example_double__scalar --in " +
                            dir / "x.f32" + " --out " + dir / "y.f32");
  ASSERT_EQ(run.status, 0) << run.output;
  std::ifstream raw(dir / "y.f32", std::ios::binary);
  float y[2];
  raw.read(reinterpret_cast<char*>(y), sizeof y);
  EXPECT_NEAR(y[0], 0.841192f, 1e-6f);  // tanh-form GELU(1)
  EXPECT_NEAR(y[1], -0.158808f, 1e-6f);

  CliResult thr = gelubench("throughput --plugin " + kExample +
                            " --kernel f32_tanh_example_float__scalar --size L1 --benchmark_min_time=0.01");
  ASSERT_EQ(thr.status, 0) << thr.output;
  EXPECT_NE(thr.output.find("f32_tanh_example_float__scalar/uniform"), std::string::npos) << thr.output;
}

TEST(CliPlugin, BrokenPluginsAreRejectedWithExitTwo) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/nonexistent/libmine.so", "no such readable file"},
      {std::string(GELUBENCH_BINARY), "cannot load"},
      {bad_plugin("abi"), "ABI version 99, but this gelubench reads version 1"},
      {bad_plugin("duplicate"), "duplicate kernel name f32_erf_libm_double__scalar"},
      {bad_plugin("name"), "kernel name 'GELU-mine' is not"},
  };
  for (const auto& [path, message] : cases) {
    CliResult r = gelubench("list --plugin " + path);
    EXPECT_EQ(r.status, 2) << path << ": " << r.output;
    EXPECT_NE(r.output.find("plugin " + path + ": " + message), std::string::npos) << r.output;
  }
  // A shared object that is not a plugin: the peer fixture shim has no table.
  CliResult r = gelubench("accuracy --stride 65537 --plugin " + std::string(GELUBENCH_TEST_PLUGIN_DIR) +
                          "/../../peers/libgelubench_peer_test_fixture.so");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("exports no gelubench_plugin_v1"), std::string::npos) << r.output;
}

TEST(CliPlugin, AKernelNeedingFeaturesThisCpuLacksIsRejected) {
  const FeatureMask lacking = ~cpu_info().features & ((kAVX512FP16 << 1) - 1);
  if (lacking == 0) GTEST_SKIP() << "this CPU has every feature a plugin can declare";
  // The fixture declares the features named in its environment.
  CliResult r = gelubench("list --plugin " + bad_plugin("features"),
                          "GELUBENCH_TEST_PLUGIN_FEATURES=" + std::to_string(lacking) + " ");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("f32_erf_fixture_plugin__scalar needs " + feature_list(lacking) + ", which this CPU lacks"),
            std::string::npos)
      << r.output;
}

// External kernels (harness/external.h): a program in its own process. The
// NumPy adapter stands in for a framework; its misbehaving modes are the
// ways outside code fails, each contained to its own kernel.
std::string numpy_adapter(const std::string& mode) {
  return std::string(GELUBENCH_VENV_PYTHON) + " " + GELUBENCH_ADAPTERS_DIR + "/numpy_gelu.py " + mode;
}

TEST(CliExternal, AProgramIsAKernelAndItsFailuresAreContained) {
  TempDir dir;
  std::string args = "accuracy --stride 65537 --threads 2 --out " + dir / "acc.json" +
                     " --kernel '*__ext' --kernel f32_erf_libm_double__scalar";
  const std::vector<std::pair<std::string, std::string>> kernels = {
      {"f32_erf_numpy_identity__ext", "identity"}, {"f32_erf_numpy_pipe__ext", "identity-pipe"},
      {"f32_erf_numpy_crash__ext", "crash after 3"},
      {"f32_erf_numpy_hang__ext", "hang after 3"},  {"f32_erf_numpy_short__ext", "short after 3"},
      {"f32_erf_numpy_garbage__ext", "garbage after 3"}};
  for (const auto& [name, mode] : kernels) args += " --external '" + name + "=" + numpy_adapter(mode) + "'";
  // 5 s: ample for 16-element blocks even on a loaded machine, short for the hang.
  CliResult r = gelubench(args, "GELUBENCH_EXTERNAL_TIMEOUT=5 ");
  ASSERT_EQ(r.status, 0) << r.output;  // failed peers are not failed budgets
  for (const char* why : {"it closed its output", "no answer within 5 s (timed out)", "short__ext ('",
                          "') failed: it returned ",
                          "it answered with garbage (header bytes 4e 4f 50 45"})
    EXPECT_NE(r.output.find(why), std::string::npos) << why << "\n" << r.output;
  std::ifstream in(dir / "acc.json");
  auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["kernels"].size(), 7u);
  for (const auto& k : doc["kernels"]) {
    const std::string name = k["name"];
    if (name == "f32_erf_libm_double__scalar") {
      EXPECT_FALSE(k.contains("failure"));
      EXPECT_LE(k["vs"]["exact"]["max_ulp"].get<double>(), 0.5000001);  // untouched by the others' failures
    } else if (name == "f32_erf_numpy_identity__ext" || name == "f32_erf_numpy_pipe__ext") {
      // y = x came back intact, through the shared memory the adapter maps,
      // or through the pipes when it ignores it.
      const bool pipe = name == "f32_erf_numpy_pipe__ext";
      EXPECT_FALSE(k.contains("failure")) << k["failure"];
      EXPECT_EQ(k["external"], numpy_adapter(pipe ? "identity-pipe" : "identity"));
      EXPECT_EQ(k["external_transport"], pipe ? "pipe" : "shared memory");
      EXPECT_EQ(k["vs"]["exact"]["worst_output"], k["vs"]["exact"]["worst_input"]);
    } else {
      EXPECT_NE(k.value("failure", "").find("external " + name), std::string::npos) << name;
    }
  }
}

// --external-budget makes an external kernel one of yours: its budget is
// judged like a registry kernel's, and exceeding it fails the run.
TEST(CliExternal, ABudgetIsJudgedLikeARegistryKernels) {
  TempDir dir;
  const std::string base = "accuracy --stride 65537 --kernel '*__ext' --out " + dir / "acc.json";
  CliResult good = gelubench(base + " --external 'f32_erf_numpy_double__ext=" + numpy_adapter("erf") +
                             "' --external-budget f32_erf_numpy_double__ext=0.5000001,0.5000001,-");
  ASSERT_EQ(good.status, 0) << good.output;
  EXPECT_NE(good.output.find("budgets: 1 passed, 0 failed (0 peers"), std::string::npos) << good.output;
  std::ifstream in(dir / "acc.json");
  auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["kernels"].size(), 1u);
  EXPECT_FALSE(doc["kernels"][0]["peer"].get<bool>());
  EXPECT_TRUE(doc["kernels"][0]["verdict"]["pass"].get<bool>());
  EXPECT_EQ(doc["kernels"][0]["budget"]["max_ulp_vs_exact"], 0.5000001);
  EXPECT_TRUE(doc["kernels"][0]["budget"]["max_abs_vs_exact"].is_null());

  CliResult bad = gelubench(base + " --external 'f32_erf_numpy_identity__ext=" + numpy_adapter("identity") +
                            "' --external-budget f32_erf_numpy_identity__ext=4");
  EXPECT_EQ(bad.status, 1) << bad.output;
  EXPECT_NE(bad.output.find("budgets: 0 passed, 1 failed (0 peers"), std::string::npos) << bad.output;

  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--external-budget f32_erf_x__ext=1", "no --external named f32_erf_x__ext"},
           {"--external 'f32_erf_x__ext=true' --external-budget f32_erf_x__ext=big", "'big' is not a number"},
           {"--external 'f32_erf_x__ext=true' --external-budget f32_erf_x__ext=1,2,3,4", "at most three figures"}}) {
    CliResult r = gelubench("list " + args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  }
}

// throughput --external: the program times itself, with its own copy roof;
// one that cannot (or dies) leaves an errored benchmark and the rest runs.
TEST(CliExternal, ThroughputIsTimedByTheProgramItself) {
  TempDir dir;
  CliResult r = gelubench("throughput --kernel '*__ext' --kernel f32_erf_libm_double__scalar --size L1 --dist normal "
                          "--benchmark_min_time=0.01 --benchmark_out=" + dir / "thr.json" +
                          " --external 'f32_erf_numpy_identity__ext=" + numpy_adapter("identity") + "'" +
                          " --external 'f32_erf_numpy_crash__ext=" + numpy_adapter("crash after 1") + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(dir / "thr.json");
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, nlohmann::json> by_kernel;
  for (const auto& b : doc["benchmarks"]) by_kernel[b["name"].get<std::string>().substr(0, b["name"].get<std::string>().find('/'))] = b;
  for (const char* name : {"f32_erf_numpy_identity__ext", "copy@f32_erf_numpy_identity__ext"}) {
    ASSERT_TRUE(by_kernel.count(name)) << name << "\n" << doc.dump();
    const auto& b = by_kernel[name];
    EXPECT_EQ(b.value("out_of_process", 0.0), 1.0) << name;
    EXPECT_GT(b.value("items_per_second", 0.0), 0.0) << name;
    EXPECT_FALSE(b.value("error_occurred", false)) << name;
  }
  ASSERT_TRUE(by_kernel.count("f32_erf_numpy_crash__ext"));
  EXPECT_TRUE(by_kernel["f32_erf_numpy_crash__ext"].value("error_occurred", false));
  EXPECT_NE(by_kernel["f32_erf_numpy_crash__ext"].value("error_message", "").find("external f32_erf_numpy_crash__ext"),
            std::string::npos);
  EXPECT_FALSE(by_kernel["f32_erf_libm_double__scalar"].value("error_occurred", false));
  EXPECT_FALSE(by_kernel["f32_erf_libm_double__scalar"].contains("out_of_process"));
}

// External kernels are not timed on arrays over 32 MiB (their copies in two
// dozen framework processes once exhausted memory): at DRAM size only the
// in-process kernels are registered, and one line says what was left out.
TEST(CliExternal, LargeArraysAreNotSentToExternalKernels) {
  CliResult r = gelubench("throughput --kernel '*__ext' --kernel f32_erf_libm_double__scalar --size L1 --size DRAM "
                          "--dist normal --benchmark_list_tests=true --external 'f32_erf_numpy_identity__ext=" +
                          numpy_adapter("identity") + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  const size_t cap = size_t{32} << 20;
  auto n_of = [](const std::string& line) { return std::stoul(line.substr(line.find("/N:") + 3)); };
  std::vector<size_t> ext, own;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("f32_erf_numpy_identity__ext/normal/N:", 0) == 0) ext.push_back(n_of(line));
    if (line.rfind("f32_erf_libm_double__scalar/normal/N:", 0) == 0) own.push_back(n_of(line));
  }
  ASSERT_EQ(own.size(), 2u) << r.output;  // L1 and DRAM, in that order
  if (own[1] * 4 <= cap) GTEST_SKIP() << "this CPU's DRAM size is only " << own[1] * 4 << " bytes";
  EXPECT_EQ(ext, std::vector<size_t>{own[0]}) << r.output;
  EXPECT_NE(r.output.find("external kernels are timed on arrays up to 32 MiB; not at DRAM"), std::string::npos)
      << r.output;
}

// f16 and bf16 external kernels: their encodings travel as they are (dtype
// codes 1 and 2), are judged in their own format's ULP like registry f16/bf16
// kernels, time themselves on arrays of their dtype, and fail alone.
TEST(CliExternal, NarrowFormatsTravelInTheirOwnDtype) {
  TempDir dir;
  CliResult r = gelubench("accuracy --kernel '*__ext' --kernel f16_erf_table__scalar --out " + dir / "acc.json" +
                          " --external 'f16_erf_numpy_double__ext=" + numpy_adapter("erf") + "'" +
                          " --external 'bf16_erf_numpy_identity__ext=" + numpy_adapter("identity") + "'" +
                          " --external 'f16_erf_numpy_crash__ext=" + numpy_adapter("crash after 1") + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("external f16_erf_numpy_crash__ext"), std::string::npos) << r.output;
  std::ifstream in(dir / "acc.json");
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& k : doc["kernels"]) by_name[k["name"]] = k;
  ASSERT_EQ(by_name.size(), 4u) << doc.dump();
  // float64 GELU rounded once to binary16 by NumPy: correctly rounded, like the table.
  const auto& f16 = by_name["f16_erf_numpy_double__ext"];
  EXPECT_EQ(f16["dtype"], "f16");
  EXPECT_EQ(f16["ulp_unit"], "f16");
  EXPECT_FALSE(f16.contains("failure"));
  EXPECT_EQ(f16["vs"]["exact"]["correctly_rounded_fraction"], 1.0);
  for (const auto& sp : f16["specials"]) EXPECT_TRUE(sp["pass"].get<bool>()) << sp.dump();
  // y = x came back bit for bit, as bfloat16, through the shared memory.
  const auto& bf16 = by_name["bf16_erf_numpy_identity__ext"];
  EXPECT_EQ(bf16["dtype"], "bf16");
  EXPECT_EQ(bf16["external_transport"], "shared memory");
  EXPECT_EQ(bf16["vs"]["exact"]["worst_output"], bf16["vs"]["exact"]["worst_input"]);
  EXPECT_NE(by_name["f16_erf_numpy_crash__ext"].value("failure", "").find("external f16_erf_numpy_crash__ext"),
            std::string::npos);
  EXPECT_TRUE(by_name["f16_erf_table__scalar"]["verdict"]["pass"].get<bool>());

  CliResult t = gelubench("throughput --kernel '*__ext' --size L1 --dist normal --benchmark_min_time=0.01 "
                          "--benchmark_out=" + dir / "thr.json" +
                          " --external 'bf16_erf_numpy_identity__ext=" + numpy_adapter("identity") + "'");
  ASSERT_EQ(t.status, 0) << t.output;
  std::ifstream tin(dir / "thr.json");
  auto thr = nlohmann::json::parse(tin);
  int seen = 0;
  for (const auto& b : thr["benchmarks"]) {
    const std::string name = b["name"];
    if (name.find("bf16_erf_numpy_identity__ext/") == std::string::npos) continue;
    ++seen;
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    EXPECT_EQ(b.value("out_of_process", 0.0), 1.0);
    // Two bytes in and two out per element.
    EXPECT_NEAR(b["bytes_per_second"].get<double>(), 4 * b["items_per_second"].get<double>(),
                1e-6 * b["bytes_per_second"].get<double>());
  }
  EXPECT_EQ(seen, 2) << thr.dump();  // the kernel and its copy roof
}

// throughput --threads: each kernel and the copy roof at every thread count;
// one thread keeps the plain name, T threads add /threads:T; an external
// program (timed in its own process) runs at one thread only.
TEST(CliThroughput, ThreadCountsRunEveryKernelAndTheCopyRoof) {
  TempDir dir;
  CliResult r = gelubench("throughput --kernel f32_erf_libm_erff__scalar --kernel '*__ext' --size L1 --dist normal "
                          "--threads 1,2,all --benchmark_min_time=0.01 --benchmark_out=" + dir / "thr.json" +
                          " --external 'f32_erf_numpy_identity__ext=" + numpy_adapter("identity") + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(dir / "thr.json");
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, int> threads_of;  // benchmark name -> threads
  for (const auto& b : doc["benchmarks"]) {
    threads_of[b["name"].get<std::string>()] = b["threads"].get<int>();
    EXPECT_GT(b.value("items_per_second", 0.0), 0.0) << b.dump();
  }
  const std::string n = "/normal/N:";
  auto count = [&](const std::string& prefix, int threads) {
    int c = 0;
    for (const auto& [name, t] : threads_of) c += name.rfind(prefix + n, 0) == 0 && t == threads;
    return c;
  };
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  for (const std::string k : {"copy", "f32_erf_libm_erff__scalar"}) {
    EXPECT_EQ(count(k, 1), 1) << k;
    EXPECT_EQ(count(k, 2), 1) << k;  // 2, and "all" when that is 2 too: each count once
    if (cpus > 2) {
      EXPECT_EQ(count(k, static_cast<int>(cpus)), 1) << k;
    }
  }
  EXPECT_EQ(count("f32_erf_numpy_identity__ext", 1), 1);
  EXPECT_EQ(count("f32_erf_numpy_identity__ext", 2), 0);
  for (const auto& [name, t] : threads_of)
    EXPECT_EQ(name.find("/threads:") != std::string::npos, t > 1) << name;
}

// Every row of throughput.json says what it measured in its "gelubench"
// object (#16): readers take kernel, dtype, formula, inputs, size, threads
// and process from there, never from the benchmark name. Repetitions'
// aggregate rows carry it too.
TEST(CliThroughput, EveryRowCarriesWhatItMeasuredAsFields) {
  TempDir dir;
  CliResult r = gelubench("throughput --kernel f32_erf_libm_erff__scalar --kernel '*__ext' --size L1 --dist normal "
                          "--threads 1,2 --benchmark_min_time=0.001 --benchmark_repetitions=2 --benchmark_out=" +
                          dir / "thr.json" + " --external 'f32_erf_numpy_identity__ext=" + numpy_adapter("identity") + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(dir / "thr.json");
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, int> rows;  // kernel field (copy@ for a program's own roof) -> rows
  for (const auto& b : doc["benchmarks"]) {
    ASSERT_TRUE(b.contains("gelubench")) << b.dump();
    const auto& f = b["gelubench"];
    const std::string name = b["name"], kernel = f["kernel"];
    const bool roof = f["copy_roof"], oop = f["out_of_process"];
    ++rows[(roof && oop ? "copy@" : "") + kernel];
    EXPECT_EQ(name.rfind((roof && oop ? "copy@" : "") + kernel + "/normal/N:3", 0), 0u) << b.dump();
    EXPECT_EQ(f["distribution"], "normal");
    EXPECT_EQ(f["dtype"], "f32");
    EXPECT_EQ(f["size"]["level"], "L1");
    EXPECT_NE(name.find(fmt::format("/N:{}/", f["size"]["elements"].get<size_t>())), std::string::npos) << name;
    EXPECT_EQ(f["size"]["bytes"].get<size_t>(), 8 * f["size"]["elements"].get<size_t>());
    EXPECT_EQ(f["threads"].get<int>(), name.find("/threads:2") != std::string::npos ? 2 : 1) << name;
    EXPECT_EQ(f["threads"].get<int>(), b["threads"].get<int>()) << name;
    EXPECT_EQ(oop, kernel == "f32_erf_numpy_identity__ext") << name;
    EXPECT_EQ(roof, kernel == "copy" || name.rfind("copy@", 0) == 0) << name;
    EXPECT_EQ(f["formula"].is_null(), kernel == "copy") << b.dump();  // a program's own roof: its kernel's
    if (roof) {
      EXPECT_TRUE(f["method"].is_null()) << b.dump();
    } else {
      EXPECT_EQ(f["formula"], "erf");
      EXPECT_EQ(f["method"], kernel == "f32_erf_libm_erff__scalar" ? "libm" : "numpy");
    }
  }
  // copy and erff at 1 and 2 threads, the program and its roof at one; each
  // two repetitions and their mean, median, stddev and cv rows.
  EXPECT_EQ(rows, (std::map<std::string, int>{{"copy", 12},
                                              {"f32_erf_libm_erff__scalar", 12},
                                              {"f32_erf_numpy_identity__ext", 6},
                                              {"copy@f32_erf_numpy_identity__ext", 6}}))
      << doc.dump();
}

// A peer library with threads of its own (oneDNN's and MKL's OpenMP) runs at
// T through its own API: one gelubench thread, the library set to T. MKL
// without its GNU OpenMP layer (no libgomp) has no threads and says so.
TEST(CliThroughput, ALibraryWithItsOwnThreadsRunsThemAtT) {
  TempDir dir;
  CliResult r = gelubench("throughput --kernel 'f32_erf_onednn*' --kernel f32_erf_mkl_cdfnorm_ha__dispatch --size L1 "
                          "--dist normal --threads 1,2 --benchmark_min_time=0.01 --benchmark_out=" + dir / "thr.json");
  if (r.status == 2 && r.output.find("no runnable kernel") != std::string::npos)
    GTEST_SKIP() << "no oneDNN or MKL shim here: " << r.output;
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream in(dir / "thr.json");
  auto doc = nlohmann::json::parse(in);
  std::map<std::string, int> library_threaded;  // library -> benchmarks at 2 of its threads
  bool mkl_sequential = false;
  for (const auto& b : doc["benchmarks"]) {
    const std::string name = b["name"];
    if (name.find("/threads:2") == std::string::npos) continue;
    const std::string library = name.rfind("f32_erf_onednn", 0) == 0 ? "onednn"
                                : name.rfind("f32_erf_mkl", 0) == 0    ? "mkl"
                                                                       : "";
    if (library.empty()) continue;
    if (library == "mkl" && b.value("error_message", "").find("no threads of its own") != std::string::npos) {
      mkl_sequential = true;
      continue;
    }
    ++library_threaded[library];
    EXPECT_EQ(b.value("library_threads", 0.0), 2.0) << b.dump();
    EXPECT_EQ(b["threads"].get<int>(), 1) << b.dump();
    EXPECT_FALSE(b.value("error_occurred", false)) << b.dump();
    EXPECT_GT(b.value("items_per_second", 0.0), 0.0) << b.dump();
  }
  const int threaded = library_threaded["onednn"] + library_threaded["mkl"];
  if (threaded == 0 && mkl_sequential) GTEST_SKIP() << "no oneDNN here, and MKL without its GNU OpenMP layer";
  EXPECT_GE(threaded, 1) << doc.dump();
}

TEST(CliExternal, BadSpecificationsAreRejectedAndDeadProgramsReported) {
  for (const auto& [spec, message] : std::vector<std::pair<std::string, std::string>>{
           {"f32_erf_x__ext", "expected NAME=COMMAND"},
           {"GELU=true", "name 'GELU' is not"},
           {"qs8_erf_x__ext=true", "name 'qs8_erf_x__ext' is not <f32|f16|bf16>_"},
           {"f32_erf_libm_erff__scalar=true", "duplicate kernel name f32_erf_libm_erff__scalar"}}) {
    CliResult r = gelubench("list --external '" + spec + "'");
    EXPECT_EQ(r.status, 2) << spec << ": " << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  }
  CliResult r = gelubench("list --kernel f32_erf_gone__ext --external 'f32_erf_gone__ext=exit 3'");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("no: external f32_erf_gone__ext ('exit 3') failed: it closed its output (it exited with status 3)"),
            std::string::npos)
      << r.output;
}

// The frictions a newcomer met: one-line errors with the program's prefix,
// a hint for float64 arrays, which special value is wrong, aligned columns.
TEST(CliFriction, ParseErrorsAreOneLineWithThePrefix) {
  for (const char* args : {"list --bogus", "accuracy --stride abc", "accuracy --threads 0", "merge --bogus",
                           "run --bogus --kernel f32_erf_libm_erff__scalar", "--bogus", "accuracy --stride"}) {
    CliResult r = gelubench(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.output.rfind("gelubench: error: ", 0), 0u) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  CliResult help = gelubench("--help");
  EXPECT_NE(help.output.find("Usage: gelubench"), std::string::npos) << help.output;
}

TEST(CliFriction, AFloat64ArrayGetsAConversionHint) {
  TempDir dir;
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
  header.append(128 - 10 - header.size() - 1, ' ');  // magic + version + length + header: 128 bytes
  header += '\n';
  std::ofstream f(dir / "x.npy", std::ios::binary);
  f.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  f.write(reinterpret_cast<const char*>(&len), 2);
  f << header;
  const double v = 1.0;
  f.write(reinterpret_cast<const char*>(&v), sizeof v);
  f.close();
  CliResult r = gelubench("run --kernel f32_erf_libm_erff__scalar --in " + dir / "x.npy" + " --out " + dir / "y.npy");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("x.astype(numpy.float32)"), std::string::npos) << r.output;
}

TEST(CliFriction, AWrongSpecialValueIsNamed) {
  // The broken-plugin fixture, declaring no features, is a sound plugin whose
  // kernel returns x: -inf -> -inf where GELU gives -0.
  CliResult r = gelubench("accuracy --stride 65537 --plugin " + bad_plugin("features") +
                              " --kernel f32_erf_fixture_plugin__scalar",
                          "GELUBENCH_TEST_PLUGIN_FEATURES=0 ");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("special wrong: -inf -> -inf"), std::string::npos) << r.output;
}

// scripts/new-kernel's kernel passes as generated (its scaffold once gave NaN
// at -inf, undeclared, and failed three tests). For each formula, in a scratch
// copy of the script and the registry: the line it appends, then its file
// built into a plugin and held by `accuracy` to GELU's special values and to
// its budget (none claimed yet), as the registry's tests hold a kernel.
TEST(CliFriction, ANewKernelPassesAsScaffolded) {
  TempDir dir;
  fs::create_directories(dir / "scripts");
  fs::create_directories(dir / "kernels");
  fs::create_directories(dir / "cmake");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/scripts/new-kernel", dir / "scripts/new-kernel");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/kernels/registry.inc", dir / "kernels/registry.inc");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/cmake/Kernels.cmake", dir / "cmake/Kernels.cmake");
  for (const std::string formula : {"erf", "tanh", "sigmoid"}) {
    const std::string name = "f32_" + formula + "_scaffoldtest_plain__scalar";
    CliResult r = shell(dir / "scripts/new-kernel" + " " + name);
    ASSERT_EQ(r.status, 0) << r.output;
    std::ifstream registry(dir / "kernels/registry.inc");
    std::string line, last;
    while (std::getline(registry, line)) last = line;
    EXPECT_EQ(last, "GELU_KERNEL(" + name + ", f32, " + formula + ", kScalar, kUnbounded, kUnbounded, kUnbounded)");
    std::ofstream(dir / name + "_plugin.cc")
        << "#include <cmath>\n#include \"kernels/plugin.h\"\n#include \"" << dir / "kernels/scaffoldtest/" + name
        << ".cc\"\nstatic const gelubench_plugin_kernel kKernels[] = {{\"" << name << "\", \"" << formula
        << "\", 0, INFINITY, INFINITY, INFINITY, gelubench::" << name << "}};\n"
        << "extern \"C\" const gelubench_plugin* gelubench_plugin_v1() {\n"
        << "  static const gelubench_plugin plugin = {GELUBENCH_PLUGIN_ABI_VERSION, 1, kKernels};\n"
        << "  return &plugin;\n}\n";
    r = shell(std::string(GELUBENCH_CXX) + " -std=c++17 -O2 -shared -fPIC -I" GELUBENCH_SOURCE_DIR " -o " +
              dir / name + ".so " + dir / name + "_plugin.cc");
    ASSERT_EQ(r.status, 0) << r.output;
    r = gelubench("accuracy --stride 65537 --plugin " + dir / name + ".so --kernel " + name);
    EXPECT_EQ(r.status, 0) << r.output;
  }
  CliResult taken = shell(dir / "scripts/new-kernel" + " f32_erf_scaffoldtest_plain__scalar");
  EXPECT_EQ(taken.status, 2) << taken.output;
  EXPECT_NE(taken.output.find("already exists"), std::string::npos) << taken.output;
  CliResult bad = shell(dir / "scripts/new-kernel" + " f32_gelu_x__avx2");
  EXPECT_EQ(bad.status, 2) << bad.output;
  CliResult isa = shell(dir / "scripts/new-kernel" + " f32_erf_x__avx3");
  EXPECT_EQ(isa.status, 2) << isa.output;
  EXPECT_NE(isa.output.find("unknown ISA suffix"), std::string::npos) << isa.output;
  // The narrow formats and every ISA suffix of cmake/Kernels.cmake compile
  // (their scaffolds ran through the registry's tests once; plugins carry f32 only).
  CliResult narrow = shell(dir / "scripts/new-kernel" +
                           " f16_erf_scaffoldtest_plain__avx512fp16 bf16_erf_scaffoldtest_plain__avx512bf16"
                           " qs8_erf_scaffoldtest_plain__avx512vbmi");
  ASSERT_EQ(narrow.status, 0) << narrow.output;
  for (const std::string name : {"f16_erf_scaffoldtest_plain__avx512fp16", "bf16_erf_scaffoldtest_plain__avx512bf16",
                                 "qs8_erf_scaffoldtest_plain__avx512vbmi"}) {
    CliResult cc = shell(std::string(GELUBENCH_CXX) + " -std=c++20 -fsyntax-only -Wall -Werror -I" +
                         GELUBENCH_SOURCE_DIR " " + dir / "kernels/scaffoldtest/" + name + ".cc");
    EXPECT_EQ(cc.status, 0) << name << ": " << cc.output;
  }
}

// A family variant starts from the family's one body: the poly kernel that
// scripts/new-kernel writes over an existing table (4x16, the table of
// f32_erf_poly_4__*) returns f32_erf_poly_4__scalar's bits, as the harness
// proves (same_bits_as); its registry lines land in the poly block with the
// table's saturation edge; a variant without its table gets the fit command
// and changes nothing.
TEST(CliFriction, ANewPolyVariantStartsFromItsFamily) {
  TempDir dir;
  for (const char* d : {"scripts", "cmake", "kernels/poly"}) fs::create_directories(dir / d);
  fs::copy_file(GELUBENCH_SOURCE_DIR "/scripts/new-kernel", dir / "scripts/new-kernel");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/kernels/registry.inc", dir / "kernels/registry.inc");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/cmake/Kernels.cmake", dir / "cmake/Kernels.cmake");
  fs::copy_file(GELUBENCH_SOURCE_DIR "/kernels/poly/poly_erf_4x16.h", dir / "kernels/poly/poly_erf_4x16.h");

  CliResult missing = shell(dir / "scripts/new-kernel" + " f32_erf_poly_4x16__scalar f32_erf_poly_7x16__avx2");
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("tools/fit/poly_fit.py --intervals 16 --scale K --degree 7 --out "
                                "kernels/poly/poly_erf_7x16.h"),
            std::string::npos)
      << missing.output;
  EXPECT_FALSE(fs::exists(dir / "kernels/poly/f32_erf_poly_4x16__scalar.cc")) << "a refused run wrote a file";

  CliResult r = shell(dir / "scripts/new-kernel" + " f32_erf_poly_4x16__scalar f32_erf_poly_4x16__avx2");
  ASSERT_EQ(r.status, 0) << r.output;
  std::ifstream registry(dir / "kernels/registry.inc");
  std::vector<std::string> lines;
  for (std::string line; std::getline(registry, line);) lines.push_back(line);
  const auto at = std::find(lines.begin(), lines.end(),
                            "GELU_KERNEL(f32_erf_poly_4x16__scalar, f32, erf, kScalar, kUnbounded, kUnbounded, "
                            "kUnbounded, .edges = {0x1.5611a6p+2f})");
  ASSERT_NE(at, lines.end()) << "no poly line with the table's edge";
  // At the end of the poly block: a poly line before, none after the two new ones.
  EXPECT_EQ(at[-1].rfind("GELU_KERNEL(f32_erf_poly_", 0), 0u) << "not in the poly block: " << at[-1];
  ASSERT_LT(at + 2, lines.end());
  EXPECT_NE(at[2].rfind("GELU_KERNEL(f32_erf_poly_", 0), 0u) << "not at the block's end: " << at[2];
  EXPECT_EQ(at[1], "GELU_KERNEL(f32_erf_poly_4x16__avx2, f32, erf, kAvx2Fma, kUnbounded, kUnbounded, kUnbounded, "
                   ".edges = {0x1.5611a6p+2f})");

  const std::string name = "f32_erf_poly_4x16__avx2";
  std::stringstream source;
  source << std::ifstream(dir / ("kernels/poly/" + name + ".cc")).rdbuf();
  EXPECT_NE(source.str().find("poly::poly_erf_avx2<poly::PolyErf4x16>(n, x, y);"), std::string::npos)
      << "not the family's AVX2 body: " << source.str();
  std::ofstream(dir / "plugin.cc") << "#include <cmath>\n#include \"kernels/plugin.h\"\n#include \""
                                   << dir / ("kernels/poly/" + name) << ".cc\"\n"
                                   << "static const gelubench_plugin_kernel kKernels[] = {{\"" << name
                                   << "\", \"erf\", GELUBENCH_FEATURE_AVX | GELUBENCH_FEATURE_AVX2 | "
                                      "GELUBENCH_FEATURE_FMA, INFINITY, INFINITY, INFINITY, gelubench::"
                                   << name << "}};\n"
                                   << "extern \"C\" const gelubench_plugin* gelubench_plugin_v1() {\n"
                                   << "  static const gelubench_plugin plugin = {GELUBENCH_PLUGIN_ABI_VERSION, 1, "
                                      "kKernels};\n  return &plugin;\n}\n";
  r = shell(std::string(GELUBENCH_CXX) + " -std=c++20 -O2 -mavx2 -mfma -shared -fPIC -I" + dir / "" +
            " -I" GELUBENCH_SOURCE_DIR " -o " + dir / "plugin.so " + dir / "plugin.cc");
  ASSERT_EQ(r.status, 0) << r.output;
  if ((cpu_info().features & kAvx2Fma) != kAvx2Fma) GTEST_SKIP() << "no AVX2/FMA here";
  r = gelubench("accuracy --stride 65537 --plugin " + dir / "plugin.so --kernel f32_erf_poly_4__scalar --kernel " +
                name + " --out " + dir / "acc.json");
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json doc = nlohmann::json::parse(std::ifstream(dir / "acc.json"));
  bool seen = false;
  for (const auto& k : doc["kernels"])
    if (k["name"] == name) {
      seen = true;
      EXPECT_EQ(k.value("same_bits_as", ""), "f32_erf_poly_4__scalar") << k.dump();
    }
  EXPECT_TRUE(seen);
}

TEST(CliFriction, ListColumnsStayAligned) {
  CliResult r = gelubench("list");
  ASSERT_EQ(r.status, 0) << r.output;
  std::istringstream lines(r.output);
  std::string header, line;
  std::getline(lines, header);
  const size_t col = header.find("runnable");
  ASSERT_NE(col, std::string::npos);
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    EXPECT_TRUE(line.compare(col, 3, "yes") == 0 || line.compare(col, 3, "no:") == 0) << line;
  }
  EXPECT_GT(rows, 50);
}

}  // namespace
}  // namespace gelubench
