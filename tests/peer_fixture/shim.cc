// A peer shim for tests/peer_libraries_test.cc, built as
// libgelubench_peer_test_fixture.so (and, with GELUBENCH_FIXTURE_REFUSE, as
// libgelubench_peer_test_refuses.so): the shim contract of
// kernels/peers/peer_shim.h with kernels that work, fail, or are missing.
#include <cstdio>
#include <cstring>

#include "kernels/peers/peer_shim.h"

using gelubench::peer_shim::last_error;

GELUBENCH_PEER_EXPORT const char* gelubench_peer_open(int) {
#ifdef GELUBENCH_FIXTURE_REFUSE
  return "the test fixture refuses to open";
#else
  return nullptr;
#endif
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_describe() {
  return "{\"library\": \"test fixture\", \"version\": \"1.0\", \"code_path\": \"plain C++\"}";
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_error() { return last_error; }

// Works: y = x (a wrong GELU, which is not what the tests look at).
GELUBENCH_PEER_EXPORT int f32_erf_fixture_identity__jit(size_t n, const float* x, float* y) {
  std::memmove(y, x, n * sizeof(float));
  return 0;
}

// Fails on every call with more than 4 elements, as a library that rejects
// a size would.
GELUBENCH_PEER_EXPORT int f32_erf_fixture_fails__jit(size_t n, const float* x, float* y) {
  if (n <= 4) return f32_erf_fixture_identity__jit(n, x, y);
  std::snprintf(last_error, sizeof last_error, "fixture: %zu elements is too many", n);
  return 1;
}
