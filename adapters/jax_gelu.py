#!/usr/bin/env python3
"""JAX's GELU as a gelubench external kernel (adapters/README.md).

    jax_gelu.py exact   jax.nn.gelu(x, approximate=False)
    jax_gelu.py tanh    jax.nn.gelu(x, approximate=True)   (JAX's default)

jit-compiled for the CPU backend in float32, with XLA's CPU runtime on one
thread, as a JAX user would call it. Each new block length compiles once.
"""

import os
import sys

# One thread, and the CPU backend, before JAX initializes.
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import serve  # noqa: E402

import jax  # noqa: E402


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in ("exact", "tanh"):
        sys.exit("usage: jax_gelu.py {exact|tanh}")
    f = jax.jit(lambda x: jax.nn.gelu(x, approximate=mode == "tanh"))
    # The block as a jax.Array first (untimed), as a network's activations are.
    serve(lambda a: f(a).block_until_ready(), prepare=jax.device_put)


if __name__ == "__main__":
    main()
