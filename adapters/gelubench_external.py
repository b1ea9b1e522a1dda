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
DTYPE_F32 = 0
_HEADER = struct.Struct("<4sIQ")  # magic, dtype, count (little-endian)
_TIMING = struct.Struct("<II")    # calls, what (0 = GELU, 1 = copy)


def _shared_memory() -> tuple[np.ndarray, np.ndarray] | None:
    """The input and output regions gelubench shares with us (fd
    GELUBENCH_SHM_FD, two regions of GELUBENCH_SHM_BYTES), or None."""
    fd, size = os.environ.get("GELUBENCH_SHM_FD"), os.environ.get("GELUBENCH_SHM_BYTES")
    if not fd or not size:
        return None
    try:
        size_b = int(size)
        mm = mmap.mmap(int(fd), 2 * size_b, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    except (ValueError, OSError):
        return None
    floats = size_b // 4
    return (np.frombuffer(mm, dtype="<f4", count=floats, offset=0),
            np.frombuffer(mm, dtype="<f4", count=floats, offset=size_b))


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
    each float32 block x, as an array of x's length. prepare (default: x as
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
        if magic not in known or dtype != DTYPE_F32 or (in_shm and shared is None):
            sys.exit(f"gelubench_external: unexpected block header {bytes(head)!r}")
        if magic in (MAGIC_TIME, MAGIC_TIME_SHARED):
            calls, what = _TIMING.unpack(_read_exact(inp, _TIMING.size))
            if in_shm:
                x = shared[0][:count]
            else:
                x = np.frombuffer(_read_exact(inp, 4 * count) if count else bytearray(), dtype="<f4")
            out.write(_HEADER.pack(MAGIC_TIME, DTYPE_F32, calls) + struct.pack("<d", _time(gelu, prepare, x, calls, what)))
            out.flush()
            continue
        if magic == MAGIC_SHARED:
            x = shared[0][:count]
        else:
            data = _read_exact(inp, 4 * count) if count else bytearray()
            x = np.frombuffer(data, dtype="<f4")
        y = np.asarray(gelu(prepare(x)))
        if np.shape(y) != (count,):
            sys.exit(f"gelubench_external: the GELU function returned shape {np.shape(y)} for ({count},)")
        if shared is not None and count <= shared[1].size:
            shared[1][:count] = y  # converts to float32 if it is not
            out.write(_HEADER.pack(MAGIC_SHARED, DTYPE_F32, count))
        else:
            out.write(_HEADER.pack(MAGIC, DTYPE_F32, count))
            out.write(memoryview(np.ascontiguousarray(y, dtype="<f4")).cast("B"))
        out.flush()
