// Input samples shared by the registry-wide suites.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace gelubench {

// Float encodings covering every binade: for each sign and each of the 256
// exponent fields, the smallest and largest mantissa and `random_per_binade`
// random ones (std::mt19937 from `seed`, so the sample is fixed).
inline std::vector<uint32_t> stratified_f32_bits(uint32_t seed, int random_per_binade) {
  std::mt19937 rng(seed);
  std::vector<uint32_t> bits;
  for (uint32_t sign = 0; sign < 2; ++sign) {
    for (uint32_t exponent = 0; exponent < 256; ++exponent) {
      const uint32_t base = (sign << 31) | (exponent << 23);
      bits.push_back(base);
      bits.push_back(base | 0x7fffff);
      for (int i = 0; i < random_per_binade; ++i) bits.push_back(base | (rng() & 0x7fffff));
    }
  }
  return bits;
}

}  // namespace gelubench
