// Peers reached through run-time loaded shims (harness/peer_libraries.h):
// every registry shim loads here after scripts/setup, and a shim that is
// missing, refuses, lacks a kernel or fails a call is contained: a reason or
// one failure line naming it, NaN for its output, and the other kernels'
// results kept.
#include <gtest/gtest.h>
#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/accuracy.h"
#include "harness/peer_libraries.h"
#include "harness/registry.h"

namespace gelubench {
namespace {

const IsaCap kCap = best_isa(cpu_info());

// The asan preset: OpenVINO's shim refuses to load there (its TBB uses
// RTLD_DEEPBIND, which the ASan runtime aborts on).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

TEST(PeerLibraries, EveryRegistryShimLoadsAndDescribesItself) {
  // scripts/setup installs every peer library (kernels/peers/requirements.txt
  // and Debian's libdnnl-dev), so on a set-up machine none may be missing.
  int shim_peers = 0;
  for (const KernelInfo& k : all_kernels()) {
    if (k.dl == nullptr) continue;
    ++shim_peers;
    const std::string why = why_not_runnable(k, kCap);
    if (kSanitized && std::string_view(k.dl->library) == "openvino") {
      EXPECT_NE(why.find("not under AddressSanitizer"), std::string::npos) << why;  // its shim says why
      continue;
    }
    EXPECT_EQ(why, "") << k.name;
  }
  EXPECT_EQ(shim_peers, 15);  // oneDNN 2 and 3 x2, MKL x9, OpenVINO x2
  const nlohmann::json libs = peer_libraries_json(kCap);
  for (const char* lib : {"onednn2", "onednn3", "mkl", "openvino"}) {
    ASSERT_TRUE(libs.contains(lib)) << lib;
    if (kSanitized && std::string_view(lib) == "openvino") continue;
    for (const char* key : {"library", "version", "code_path", "shim"})
      EXPECT_TRUE(libs[lib].contains(key)) << lib << " lacks " << key << ": " << libs[lib].dump();
  }
  EXPECT_EQ(libs["onednn2"]["version"].get<std::string>().substr(0, 2), "2.");
  EXPECT_EQ(libs["onednn3"]["version"].get<std::string>().substr(0, 2), "3.");
}

// How far a peer's GELU may be from exact in RegistryShimPeersComputeGelu.
double tolerance(const KernelInfo& k, float x) {
  if (k.formula == Formula::tanh) return 5e-4;  // the tanh formula's own distance from GELU
  // MKL's EP mode promises about half the mantissa bits (11 of float's 24).
  // On Intel CPUs its erf really is that coarse (1.3e-4 at x = -2 on a
  // Sapphire Rapids-class Xeon); 0.5*x*(1 + erf) passes erf's absolute error
  // on, scaled by 0.5*|x|. Twice the promise, so a wrong mode still fails.
  if (std::string_view(k.name).find("_ep__") != std::string_view::npos)
    return std::max(1e-5, 0.5 * std::fabs(x) * 0x1p-10);
  return 1e-5;
}

TEST(PeerLibraries, RegistryShimPeersComputeGelu) {
  // Not a budget (peers claim none): a plain check that each one computes
  // its formula, so a shim bound to the wrong library or mode cannot pass.
  const std::vector<float> x = {-2.0f, -0.5f, 0.0f, 0.5f, 1.0f, 3.0f};
  for (const KernelInfo& k : all_kernels()) {
    if (k.dl == nullptr || !why_not_runnable(k, kCap).empty()) continue;
    std::vector<float> y(x.size());
    k.f32(x.size(), x.data(), y.data());
    for (size_t i = 0; i < x.size(); ++i) {
      const double exact = 0.5 * x[i] * std::erfc(-x[i] / std::sqrt(2.0));
      EXPECT_NEAR(y[i], exact, tolerance(k, x[i])) << k.name << " at " << x[i];
    }
    EXPECT_EQ(peer_failure(*k.dl), "") << k.name;
  }
}

// The threads the process has now (libgomp keeps a team's threads until
// the thread that started it exits).
int process_threads() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

// MKL on its GNU OpenMP layer: gelubench_peer_set_threads(T) gives the
// calling thread T MKL threads (the shim refuses unless mkl_get_max_threads()
// then says T), a long call then starts MKL's OpenMP threads, and every form
// and mode returns the bits it returns on one thread. Where the shim fell
// back to the sequential layer, set_threads refuses and says why.
TEST(PeerLibraries, MklRunsOnItsOwnThreadsWhenSet) {
  std::vector<const KernelInfo*> mkl;
  for (const KernelInfo& k : all_kernels())
    if (k.dl != nullptr && !k.dl->external() && std::string_view(k.dl->library) == "mkl") mkl.push_back(&k);
  ASSERT_EQ(mkl.size(), 9u);  // cdfnorm, erf, erfc x HA, LA, EP
  ASSERT_NE(std::string_view(mkl[0]->name).find("cdfnorm"), std::string_view::npos) << mkl[0]->name;
  for (const KernelInfo* k : mkl)
    if (const std::string why = why_not_runnable(*k, kCap); !why.empty()) GTEST_SKIP() << "no MKL here: " << why;
  PeerSlot& slot = *mkl.front()->dl;
  const nlohmann::json mkl_json = peer_libraries_json(kCap)["mkl"];
  if (mkl_json.value("threading_layer", "") != "gnu") {
    const std::string refused = set_peer_threads(slot, 2);
    EXPECT_NE(refused.find("no threads of its own"), std::string::npos) << refused;
    GTEST_SKIP() << "MKL runs without its GNU OpenMP layer here: " << mkl_json.dump();
  }
  EXPECT_NE(mkl_json.value("threading", "").find("GNU OpenMP"), std::string::npos) << mkl_json.dump();
  EXPECT_NE(set_peer_threads(slot, 0).find("at least 1"), std::string::npos);

  // 2^21 floats spread over every binade (NaN, infinities and subnormals
  // among them): far longer than MKL's threshold for threading (~27 K).
  const size_t n = size_t{1} << 21;
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    const auto bits = static_cast<uint32_t>((i << 11) | ((i * 7) & 2047));
    std::memcpy(&x[i], &bits, sizeof bits);
  }
  std::vector<std::vector<float>> one(mkl.size(), std::vector<float>(n)), two = one, in_place = one;
  for (size_t k = 0; k < mkl.size(); ++k) mkl[k]->f32(n, x.data(), one[k].data());

  // A fresh thread, so that MKL's OpenMP team is started for it here.
  std::string set_error;
  int started = 0;
  std::thread caller([&] {
    set_error = set_peer_threads(slot, 2);
    if (!set_error.empty()) return;
    const int before = process_threads();
    mkl[0]->f32(n, x.data(), two[0].data());  // CdfNorm and Mul: MKL's threads alone, no glue loop
    started = process_threads() - before;
    for (size_t k = 1; k < mkl.size(); ++k) mkl[k]->f32(n, x.data(), two[k].data());
    for (size_t k = 0; k < mkl.size(); ++k) {  // in place: through a buffer of the shim's
      in_place[k] = x;
      mkl[k]->f32(n, in_place[k].data(), in_place[k].data());
    }
    set_peer_threads(slot, 1);
  });
  caller.join();
  ASSERT_EQ(set_error, "");
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 2) {
    EXPECT_GE(started, 1) << "MKL started no OpenMP thread for CdfNorm on 2^21 elements at 2 threads";
  }
  for (size_t k = 0; k < mkl.size(); ++k) {
    EXPECT_EQ(std::memcmp(one[k].data(), two[k].data(), n * sizeof(float)), 0) << mkl[k]->name;
    EXPECT_EQ(std::memcmp(one[k].data(), in_place[k].data(), n * sizeof(float)), 0) << mkl[k]->name << " in place";
    EXPECT_EQ(peer_failure(*mkl[k]->dl), "") << mkl[k]->name;
  }
}

TEST(PeerLibraries, AMissingShimIsAReasonNotACrash) {
  PeerSlot slot("test_absent", "f32_erf_absent__jit");
  const std::string why = load_peer(slot, kCap);
  EXPECT_NE(why.find("no shim at"), std::string::npos) << why;
  EXPECT_NE(why.find("libgelubench_peer_test_absent.so"), std::string::npos) << why;
}

TEST(PeerLibraries, AShimThatRefusesGivesItsReason) {
  PeerSlot slot("test_refuses", "f32_erf_fixture_identity__jit");
  EXPECT_EQ(load_peer(slot, kCap), "the test fixture refuses to open");
}

TEST(PeerLibraries, AMissingKernelSymbolIsNamed) {
  PeerSlot slot("test_fixture", "f32_erf_fixture_nowhere__jit");
  EXPECT_EQ(load_peer(slot, kCap), "the test_fixture shim does not export f32_erf_fixture_nowhere__jit");
}

TEST(PeerLibraries, ACallBeforeLoadingFailsCleanly) {
  PeerSlot slot("test_fixture", "f32_erf_fixture_identity__jit");
  float x = 1.0f, y = 0.0f;
  call_peer(slot, 1, &x, &y);
  EXPECT_TRUE(std::isnan(y));
  EXPECT_NE(peer_failure(slot).find("called before its shim was loaded"), std::string::npos);
}

TEST(PeerLibraries, AnExternalSlotCalledBeforeItAnsweredFailsCleanly) {
  PeerSlot slot(nullptr, "f32_erf_never__ext");  // an external program's slot, never started
  float x = 1.0f, y = 0.0f;
  call_peer(slot, 1, &x, &y);
  EXPECT_TRUE(std::isnan(y));
  EXPECT_EQ(peer_failure(slot), "peer f32_erf_never__ext (external) failed: called before it answered");
}

PeerSlot g_fails("test_fixture", "f32_erf_fixture_fails__jit");
void fails(size_t n, const float* x, float* y) { call_peer(g_fails, n, x, y); }

TEST(PeerLibraries, AFailingCallIsRecordedOnceAndLeavesNaN) {
  ASSERT_EQ(load_peer(g_fails, kCap), "");
  std::vector<float> x(8, 1.0f), y(8, 0.0f);
  fails(4, x.data(), y.data());  // small calls work
  EXPECT_EQ(y[0], 1.0f);
  EXPECT_EQ(peer_failure(g_fails), "");
  fails(8, x.data(), y.data());
  for (float v : y) EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(peer_failure(g_fails),
            "peer f32_erf_fixture_fails__jit (test_fixture) failed: fixture: 8 elements is too many");
}

TEST(PeerLibraries, AFailedPeerIsMarkedAndTheOtherResultsStand) {
  ASSERT_EQ(load_peer(g_fails, kCap), "");
  const KernelInfo failing{"f32_erf_fixture_fails__jit", DType::f32, Formula::erf, kScalar, Budget{}, true,
                           Declarations{}, &fails, nullptr, nullptr, &g_fails, nullptr};
  AccuracyOptions opt;
  opt.kernels = {&failing, find_kernel("f32_erf_libm_double__scalar")};
  opt.stride = 65537;
  opt.threads = 2;
  const AccuracyResult r = run_accuracy(opt);
  ASSERT_TRUE(r.completed);
  ASSERT_EQ(r.kernels.size(), 2u);
  EXPECT_NE(r.kernels[0].value("failure", "").find("fixture:"), std::string::npos) << r.kernels[0].dump().substr(0, 300);
  EXPECT_FALSE(r.kernels[1].contains("failure"));
  EXPECT_LT(r.kernels[1]["vs"]["exact"]["max_ulp"].get<double>(), 0.51);
  EXPECT_EQ(r.failed, 0);  // a failed peer is no failed budget
}

}  // namespace
}  // namespace gelubench
