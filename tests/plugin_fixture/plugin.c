/* Broken plugins for tests/cli_test.cc (kernels/plugin.h), one per way a
 * plugin can be wrong, chosen by a -D at build time (tests/CMakeLists.txt):
 *   GELUBENCH_BAD_ABI        an ABI version this gelubench does not read
 *   GELUBENCH_BAD_DUPLICATE  a name the registry already has
 *   GELUBENCH_BAD_FEATURES   the features in $GELUBENCH_TEST_PLUGIN_FEATURES
 *                            (the test picks ones this CPU lacks)
 *   GELUBENCH_BAD_NAME       a name outside the naming rule */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/plugin.h"

static void identity(size_t n, const float* x, float* y) { memmove(y, x, n * sizeof(float)); }

const gelubench_plugin* gelubench_plugin_v1(void) {
  static gelubench_plugin_kernel k = {"f32_erf_fixture_plugin__scalar", "erf", 0, INFINITY, INFINITY, INFINITY, identity};
  static gelubench_plugin p = {GELUBENCH_PLUGIN_ABI_VERSION, 1, &k};
#if defined(GELUBENCH_BAD_ABI)
  p.abi_version = 99;
#elif defined(GELUBENCH_BAD_DUPLICATE)
  k.name = "f32_erf_libm_double__scalar";
#elif defined(GELUBENCH_BAD_FEATURES)
  const char* f = getenv("GELUBENCH_TEST_PLUGIN_FEATURES");
  k.features = f ? (uint32_t)strtoul(f, NULL, 0) : 0;
#elif defined(GELUBENCH_BAD_NAME)
  k.name = "GELU-mine";
#endif
  return &p;
}
