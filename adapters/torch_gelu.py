#!/usr/bin/env python3
"""PyTorch's GELU as a gelubench external kernel (adapters/README.md).

    torch_gelu.py gelu      F.gelu(x) on a contiguous tensor (PyTorch's default,
                            approximate="none"): PyTorch hands float32 and bfloat16 to
                            oneDNN's eltwise_gelu_erf, float16 too on CPUs with AVX512-FP16
                            or AMX-FP16 (elsewhere ATen's kernel takes float16)
    torch_gelu.py aten      the same call with torch.backends.mkldnn disabled: ATen's own
                            kernel, 0.5*x*(1 + erf(x/sqrt 2)) with Vectorized<float>::erf
    torch_gelu.py strided   the same call on a non-contiguous view (every other element of a
                            buffer, as a slice or transpose gives): ATen's element-wise
                            loop, std::erf per element
    torch_gelu.py tanh      F.gelu(x, approximate="tanh"): ATen's kernel (oneDNN is not used
                            for it on x86)

On the CPU with one intra-op thread, as an inference user would call it,
in the block's dtype: float32, float16 or bfloat16. Which path ran is
visible with ONEDNN_VERBOSE=1 (a line per oneDNN call). PyTorch sends
tensors of one element to ATen even in "gelu" mode (its use_mkldnn test
wants more than one), and gelubench checks f32 special values one at a
time: "gelu" evaluates a block of one as a tensor of two, so that the
special values take the path of any real activation tensor.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import serve  # noqa: E402

import ml_dtypes  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def contiguous(x: np.ndarray) -> torch.Tensor:
    """The block as a tensor of its dtype (NumPy has no bfloat16 of its own:
    that one travels as its bits)."""
    if x.dtype == ml_dtypes.bfloat16:
        return torch.from_numpy(x.view(np.int16)).view(torch.bfloat16)
    return torch.from_numpy(x)


def to_numpy(t: torch.Tensor) -> np.ndarray:
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16)
    return t.numpy()


def two_at_least(x: np.ndarray) -> tuple[torch.Tensor, int]:
    """The block as a tensor of at least two elements, and its length."""
    return contiguous(np.repeat(x, 2) if x.size == 1 else x), x.size


def strided(x: np.ndarray) -> torch.Tensor:
    t = contiguous(x)
    view = torch.empty(2 * x.size, dtype=t.dtype)[::2]
    view.copy_(t)
    return view


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in ("gelu", "aten", "strided", "tanh"):
        sys.exit("usage: torch_gelu.py {gelu|aten|strided|tanh}")
    torch.set_num_threads(1)
    if mode == "aten":
        torch.backends.mkldnn.enabled = False
    if mode == "gelu":
        serve(lambda tn: to_numpy(F.gelu(tn[0])[: tn[1]]), prepare=two_at_least)
    elif mode == "tanh":
        serve(lambda t: to_numpy(F.gelu(t, approximate="tanh")), prepare=contiguous)
    else:
        serve(lambda t: to_numpy(F.gelu(t)), prepare=strided if mode == "strided" else contiguous)


if __name__ == "__main__":
    main()
