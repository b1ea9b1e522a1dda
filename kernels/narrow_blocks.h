// The narrow (f16, bf16) kernels that run an f32 kernel on their inputs:
// decode a block of 16-bit encodings to floats on the stack, run the f32
// kernel on it in place, encode each result back (encode sees the result and
// its input). x[i] is read before y[i] is written, so in place works.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernel.h"

namespace gelubench::narrow {

// Elements per block: the f32 kernel runs on a stack buffer of this many
// floats (2 KiB: stays in L1 with the narrow input and output).
inline constexpr size_t kBlock = 512;

template <class Decode, class Encode>
inline void through_f32(size_t n, const uint16_t* x, uint16_t* y, F32Kernel f32, Decode decode, Encode encode) {
  float buf[kBlock];
  while (n > 0) {
    const size_t m = n < kBlock ? n : kBlock;
    for (size_t i = 0; i < m; ++i) buf[i] = decode(x[i]);
    f32(m, buf, buf);
    for (size_t i = 0; i < m; ++i) y[i] = encode(buf[i], x[i]);
    x += m, y += m, n -= m;
  }
}

}  // namespace gelubench::narrow
