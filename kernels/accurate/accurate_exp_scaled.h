// The accurate kernels' 2^(1 - j/32) table (hi + lo, accurate_tables_d5.h)
// pre-scaled by 2^24 (exact), so that the products built from it never go
// subnormal before the final scalef: see f32_erf_accurate_onepath__avx512.cc.
// Shared by the AVX2 and AVX-512 versions; ISA-neutral.
#pragma once

#include "kernels/accurate/accurate_tables_d5.h"

namespace gelubench::accurate {

struct ExpTables {
  alignas(64) float hi[32];
  alignas(64) float lo[32];
};
constexpr ExpTables scaled_exp_tables() {
  ExpTables e{};
  for (int j = 0; j < 32; ++j) {
    e.hi[j] = kAccExpHi[j] * 0x1p24f;
    e.lo[j] = kAccExpLo[j] * 0x1p24f;
  }
  return e;
}
inline constexpr ExpTables kExp = scaled_exp_tables();

}  // namespace gelubench::accurate
