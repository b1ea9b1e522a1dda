/* The plugin ABI: your own GELU kernels, in your own shared object, measured
 * by gelubench exactly like its registry kernels (list, accuracy with the
 * budget verdict, throughput in process, run, the report):
 *
 *   gelubench accuracy --plugin ./libmine.so --kernel 'f32_erf_mine*'
 *
 * A plugin exports one C function, gelubench_plugin_v1, returning a table
 * that lives as long as the process. Plain C, so a plugin can be written in
 * C, C++, Rust or anything else that emits a C symbol; build it with the
 * ISA flags its kernels need and declare those features in each entry (the
 * harness refuses a plugin whose kernels need a feature this CPU lacks
 * rather than let them fault). examples/plugin/ is a complete one.
 *
 * Each kernel follows kernels/kernel.h: y[i] = GELU(x[i]) for i in [0, n),
 * any n (0 too), any alignment, in place allowed, nothing touched past n.
 * Version 1 carries float32 kernels only. */
#ifndef GELUBENCH_PLUGIN_H_
#define GELUBENCH_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GELUBENCH_PLUGIN_ABI_VERSION 1u

/* CPU feature bits for `features` (the same values as kernels/kernel.h). */
#define GELUBENCH_FEATURE_SSE42 (1u << 0)
#define GELUBENCH_FEATURE_AVX (1u << 1)
#define GELUBENCH_FEATURE_AVX2 (1u << 2)
#define GELUBENCH_FEATURE_FMA (1u << 3)
#define GELUBENCH_FEATURE_F16C (1u << 4)
#define GELUBENCH_FEATURE_AVX512F (1u << 5)
#define GELUBENCH_FEATURE_AVX512BW (1u << 6)
#define GELUBENCH_FEATURE_AVX512VL (1u << 7)
#define GELUBENCH_FEATURE_AVX512DQ (1u << 8)
#define GELUBENCH_FEATURE_AVX512VBMI (1u << 9)
#define GELUBENCH_FEATURE_AVX512VNNI (1u << 10)
#define GELUBENCH_FEATURE_AVX512BF16 (1u << 11)
#define GELUBENCH_FEATURE_AVX512FP16 (1u << 12)

typedef void (*gelubench_f32_kernel)(size_t n, const float* x, float* y);

typedef struct gelubench_plugin_kernel {
  /* <dtype>_<formula>_<method>[_<detail>]__<isa>, e.g. "f32_erf_mine_poly5__avx2";
   * unique among the registry's and every other plugin's kernels. */
  const char* name;
  const char* formula; /* "erf" (exact GELU), "tanh" or "sigmoid" */
  uint32_t features;   /* GELUBENCH_FEATURE_* bits the kernel's code needs */
  /* Declared error budget, enforced by the accuracy verdict; INFINITY (or
   * HUGE_VAL) = no claim. ULP against the kernel's own formula and against
   * exact GELU, and absolute error against exact GELU. */
  double max_ulp_vs_formula;
  double max_ulp_vs_exact;
  double max_abs_vs_exact;
  gelubench_f32_kernel f32;
} gelubench_plugin_kernel;

typedef struct gelubench_plugin {
  uint32_t abi_version; /* GELUBENCH_PLUGIN_ABI_VERSION */
  uint32_t count;
  const gelubench_plugin_kernel* kernels;
} gelubench_plugin;

/* The one symbol a plugin exports. */
const gelubench_plugin* gelubench_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* GELUBENCH_PLUGIN_H_ */
