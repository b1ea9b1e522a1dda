"""serve()'s side of the protocol (adapters/README.md), through real pipes:
the answer is gelu(prepare(x)), and a timing request times gelu alone."""

import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

ADAPTERS = Path(__file__).resolve().parents[1]
HEADER = struct.Struct("<4sIQ")

# prepare doubles the block and sleeps; gelu adds one: y = 2x + 1, and the
# sleep must stay out of the timed calls.
PROGRAM = textwrap.dedent(f"""
    import sys, time
    sys.path.insert(0, {str(ADAPTERS)!r})
    from gelubench_external import serve
    def prepare(x):
        time.sleep(0.3)
        return x * 2
    serve(lambda t: t + 1, shared_memory=False, prepare=prepare)
""")


def exchange(requests: bytes) -> bytes:
    done = subprocess.run([sys.executable, "-c", PROGRAM], input=requests, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_an_answer_is_gelu_of_the_prepared_block():
    x = np.array([0.0, 1.5, -3.0], dtype="<f4")
    out = exchange(HEADER.pack(b"GBEV", 0, x.size) + x.tobytes())
    magic, dtype, count = HEADER.unpack(out[:16])
    assert (magic, dtype, count) == (b"GBEV", 0, 3)
    assert np.frombuffer(out[16:], dtype="<f4").tolist() == [1.0, 4.0, -5.0]


def test_a_timing_request_leaves_prepare_out():
    x = np.ones(1024, dtype="<f4")
    calls = 5
    out = exchange(HEADER.pack(b"GBTP", 0, x.size) + struct.pack("<II", calls, 0) + x.tobytes())
    magic, dtype, count = HEADER.unpack(out[:16])
    assert (magic, dtype, count) == (b"GBTP", 0, calls)
    (seconds,) = struct.unpack("<d", out[16:24])
    assert 0 < seconds < 0.3  # five additions on 1024 floats; prepare's 0.3 s sleep not in it
