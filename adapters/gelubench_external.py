"""The adapter side of gelubench's external-kernel protocol (adapters/README.md).

An adapter is a program that reads blocks of inputs on stdin and writes GELU
of each block on stdout. This module does the framing; an adapter supplies
one function from a float32 NumPy array to an array of the same length:

    from gelubench_external import serve
    serve(lambda x: my_framework_gelu(x))

Only NumPy is needed here; the framework is the adapter's business.
"""

from __future__ import annotations

import struct
import sys
from typing import Callable

import numpy as np

MAGIC = b"GBEV"
DTYPE_F32 = 0
_HEADER = struct.Struct("<4sIQ")  # magic, dtype, count (little-endian)


def _read_exact(stream, n: int) -> bytearray | None:
    """n bytes from stream, or None at a clean end of input before any byte."""
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        r = stream.readinto(view[got:])
        if not r:
            if got == 0:
                return None
            raise EOFError(f"input ended inside a block ({got} of {n} bytes)")
        got += r
    return buf


def serve(gelu: Callable[[np.ndarray], np.ndarray]) -> None:
    """Answers blocks until gelubench closes our stdin."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = _read_exact(inp, _HEADER.size)
        if head is None:
            return
        magic, dtype, count = _HEADER.unpack(head)
        if magic != MAGIC or dtype != DTYPE_F32:
            sys.exit(f"gelubench_external: unexpected block header {bytes(head)!r}")
        data = _read_exact(inp, 4 * count) if count else bytearray()
        x = np.frombuffer(data, dtype="<f4")
        y = np.ascontiguousarray(gelu(x), dtype="<f4")
        if y.shape != (count,):
            sys.exit(f"gelubench_external: the GELU function returned shape {y.shape} for ({count},)")
        out.write(_HEADER.pack(MAGIC, DTYPE_F32, count))
        out.write(memoryview(y).cast("B"))
        out.flush()
