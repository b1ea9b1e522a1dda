#!/usr/bin/env python3
"""TensorFlow's GELU as a gelubench external kernel (adapters/README.md).

    tensorflow_gelu.py exact   tf.nn.gelu(x, approximate=False)   (TensorFlow's default)
    tensorflow_gelu.py tanh    tf.nn.gelu(x, approximate=True)

Eager float32 on the CPU, one intra-op and one inter-op thread, as a
TensorFlow user would call it.
"""

import os
import sys

# Quiet, CPU only, before TensorFlow initializes.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import serve  # noqa: E402

import tensorflow as tf  # noqa: E402


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in ("exact", "tanh"):
        sys.exit("usage: tensorflow_gelu.py {exact|tanh}")
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    approximate = mode == "tanh"
    # The block as a tf.Tensor first (untimed), as a network's activations are.
    serve(lambda t: tf.nn.gelu(t, approximate=approximate), prepare=tf.constant)


if __name__ == "__main__":
    main()
