"""The adapter side of gelubench's external-kernel protocol (adapters/README.md).

An adapter is a program that reads blocks of inputs on stdin and writes GELU
of each block on stdout. This module does the framing; an adapter supplies
one function from a float32 NumPy array to an array of the same length:

    from gelubench_external import serve
    serve(lambda x: my_framework_gelu(x))

Only NumPy is needed here; the framework is the adapter's business.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
import time
from typing import Callable

import numpy as np

MAGIC = b"GBEV"         # the array follows the header
MAGIC_SHARED = b"GBES"  # the array is in the shared memory (inputs, then outputs)
MAGIC_TIME = b"GBTP"    # a timing request; its array follows
MAGIC_TIME_SHARED = b"GBTS"  # a timing request; its array is in the shared memory
DTYPE_F32, DTYPE_F16, DTYPE_BF16 = 0, 1, 2
_HEADER = struct.Struct("<4sIQ")  # magic, dtype, count (little-endian)
_TIMING = struct.Struct("<II")    # calls, what (0 = GELU, 1 = copy)


def numpy_dtype(code: int) -> np.dtype:
    """The NumPy dtype of a block's dtype code: float32, float16, or
    ml_dtypes' bfloat16 (the NumPy extension JAX, TensorFlow and LiteRT use)."""
    if code == DTYPE_F32:
        return np.dtype("<f4")
    if code == DTYPE_F16:
        return np.dtype("<f2")
    if code == DTYPE_BF16:
        try:
            import ml_dtypes
        except ImportError:
            sys.exit("gelubench_external: a bf16 block needs the ml_dtypes package (pip install ml_dtypes)")
        return np.dtype(ml_dtypes.bfloat16)
    sys.exit(f"gelubench_external: unknown dtype code {code}")


class _SharedMemory:
    """The input and output regions gelubench shares with us (fd
    GELUBENCH_SHM_FD, two regions of GELUBENCH_SHM_BYTES), viewed as arrays
    of a block's dtype."""

    def __init__(self, mm: mmap.mmap, size: int):
        self.mm, self.size = mm, size

    def inputs(self, dtype: np.dtype, count: int) -> np.ndarray:
        return np.frombuffer(self.mm, dtype=dtype, count=count, offset=0)

    def outputs(self, dtype: np.dtype) -> np.ndarray:
        return np.frombuffer(self.mm, dtype=dtype, count=self.size // dtype.itemsize, offset=self.size)


def _shared_memory() -> _SharedMemory | None:
    fd, size = os.environ.get("GELUBENCH_SHM_FD"), os.environ.get("GELUBENCH_SHM_BYTES")
    if not fd or not size:
        return None
    try:
        size_b = int(size)
        mm = mmap.mmap(int(fd), 2 * size_b, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    except (ValueError, OSError):
        return None
    return _SharedMemory(mm, size_b)


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


def _time(gelu: Callable, prepare: Callable, x: np.ndarray, calls: int, what: int) -> float:
    """Seconds for `calls` calls of gelu(prepare(x)), prepared once and not
    timed, or (what = 1) of copying x into an array of its size: this
    process's memory roof, for comparison."""
    x = np.array(x)  # our own copy: timing reads private memory, as a framework's caller would
    if what == 1:
        y = np.empty_like(x)
        t0 = time.perf_counter()
        for _ in range(calls):
            np.copyto(y, x)
        return time.perf_counter() - t0
    p = prepare(x)
    t0 = time.perf_counter()
    for _ in range(calls):
        gelu(p)
    return time.perf_counter() - t0


def serve(gelu: Callable, shared_memory: bool = True, prepare: Callable | None = None) -> None:
    """Answers blocks until gelubench closes our stdin: gelu(prepare(x)) for
    each block x, as an array of x's length. x is float32, float16 or
    bfloat16 (numpy_dtype), as the kernel's name says; a float16 or bfloat16
    answer must be of that dtype (the framework's own rounding, not ours),
    a float32 one is converted if it is not. prepare (default: x as
    it is) turns the block into what the framework's GELU takes, a tensor
    already in the framework's hands as a network's activations are, and is
    left out of the timed calls. With shared_memory (and gelubench offering
    it) the arrays go through the shared regions instead of the pipes; x is
    then a view of shared memory, valid only during the call."""
    prepare = prepare or (lambda x: x)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    shared = _shared_memory() if shared_memory else None
    while True:
        head = _read_exact(inp, _HEADER.size)
        if head is None:
            return
        magic, dtype, count = _HEADER.unpack(head)
        known = (MAGIC, MAGIC_SHARED, MAGIC_TIME, MAGIC_TIME_SHARED)
        in_shm = magic in (MAGIC_SHARED, MAGIC_TIME_SHARED)
        if magic not in known or dtype not in (DTYPE_F32, DTYPE_F16, DTYPE_BF16) or (in_shm and shared is None):
            sys.exit(f"gelubench_external: unexpected block header {bytes(head)!r}")
        dt = numpy_dtype(dtype)
        if magic in (MAGIC_TIME, MAGIC_TIME_SHARED):
            calls, what = _TIMING.unpack(_read_exact(inp, _TIMING.size))
            if in_shm:
                x = shared.inputs(dt, count)
            else:
                x = np.frombuffer(_read_exact(inp, dt.itemsize * count) if count else bytearray(), dtype=dt)
            seconds = _time(gelu, prepare, x, calls, what)
            x = None  # a large array is not kept while waiting for the next request
            out.write(_HEADER.pack(MAGIC_TIME, dtype, calls) + struct.pack("<d", seconds))
            out.flush()
            continue
        if magic == MAGIC_SHARED:
            x = shared.inputs(dt, count)
        else:
            data = _read_exact(inp, dt.itemsize * count) if count else bytearray()
            x = np.frombuffer(data, dtype=dt)
        y = np.asarray(gelu(prepare(x)))
        if np.shape(y) != (count,):
            sys.exit(f"gelubench_external: the GELU function returned shape {np.shape(y)} for ({count},)")
        if dtype != DTYPE_F32 and y.dtype != dt:
            sys.exit(f"gelubench_external: the GELU function returned {y.dtype} for a {dt} block")
        if shared is not None and count <= shared.outputs(dt).size:
            shared.outputs(dt)[:count] = y  # (an f32 answer of another dtype is converted here)
            out.write(_HEADER.pack(MAGIC_SHARED, dtype, count))
        else:
            out.write(_HEADER.pack(MAGIC, dtype, count))
            out.write(memoryview(np.ascontiguousarray(y, dtype=dt)).cast("B"))
        out.flush()
        x = y = data = None  # nor the arrays of the last block
