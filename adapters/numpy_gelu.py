#!/usr/bin/env python3
"""A trivial external kernel in NumPy, for the protocol's own tests and for
measuring its overhead (adapters/README.md):

    numpy_gelu.py erf         0.5 x erfc(-x/sqrt 2) in float64 (math.erfc per element: slow,
                              within 0.5000001 ULP; -inf -> -0), rounded once to the
                              block's dtype (float32 or float16; bfloat16 through ml_dtypes)
    numpy_gelu.py identity    y = x: the protocol's cost alone
    numpy_gelu.py identity-pipe   the same through the pipes only (a program that ignores
                              the shared memory)
    numpy_gelu.py crash|hang|short|garbage [after N]
                              misbehave on the block after the first N (default 1), to test
                              that gelubench contains it: die by SIGSEGV, stop answering,
                              return one element too few, or answer with a bad header.
"""

import os
import signal
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import DTYPE_F32, MAGIC, _HEADER, serve  # noqa: E402


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "identity"
    after = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "after" else 1
    calls = 0

    def gelu(x: np.ndarray) -> np.ndarray:
        nonlocal calls
        calls += 1
        if mode in ("identity", "identity-pipe"):
            return x
        if mode == "erf":
            from math import erfc
            v = x.astype(np.float64)
            y = np.array([0.5 * t * erfc(-t / 2 ** 0.5) if t != -np.inf else -0.0 for t in v])
            return y.astype(x.dtype)
        if calls <= after:  # behave until then (gelubench's handshake is one block)
            return x
        if mode == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        if mode == "hang":
            time.sleep(3600)
        if mode == "short":  # framed by hand: serve() itself refuses a wrong length
            sys.stdout.buffer.write(_HEADER.pack(MAGIC, DTYPE_F32, x.size - 1) + x[:-1].tobytes())
            sys.stdout.buffer.flush()
            time.sleep(3600)
        if mode == "garbage":
            sys.stdout.buffer.write(b"NOPE" + bytes(12))
            sys.stdout.buffer.flush()
            time.sleep(3600)
        sys.exit(f"numpy_gelu.py: unknown mode {mode!r}")

    serve(gelu, shared_memory=mode != "identity-pipe")


if __name__ == "__main__":
    main()
