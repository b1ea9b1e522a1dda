#!/usr/bin/env python3
"""ONNX Runtime's GELU as a gelubench external kernel (adapters/README.md).

    onnxruntime_gelu.py gelu         ONNX Gelu (opset 20), approximate="none"
    onnxruntime_gelu.py gelu_tanh    ONNX Gelu (opset 20), approximate="tanh"
    onnxruntime_gelu.py ms_gelu      com.microsoft Gelu (contrib op)
    onnxruntime_gelu.py ms_fastgelu  com.microsoft FastGelu (contrib op, the tanh form)

A one-op model over a 1-D tensor of any length, of the block's dtype
(float32; float16 for the ONNX Gelu, whose CPU kernel takes it), run by an
InferenceSession on the CPU execution provider with one intra-op and one
inter-op thread, at ONNX Runtime's default graph optimizations, as a user
serving an ONNX model would. The opset-20 Gelu runs as the contrib kernel
when ONNX Runtime fuses it (see the session's profile for which).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import serve  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402

MODES = {
    "gelu": ("Gelu", "", 20, {"approximate": "none"}),
    "gelu_tanh": ("Gelu", "", 20, {"approximate": "tanh"}),
    "ms_gelu": ("Gelu", "com.microsoft", 1, {}),
    "ms_fastgelu": ("FastGelu", "com.microsoft", 1, {}),
}


def session(mode: str, elem_type: int = TensorProto.FLOAT) -> ort.InferenceSession:
    op, domain, version, attrs = MODES[mode]
    x = helper.make_tensor_value_info("x", elem_type, ["n"])
    y = helper.make_tensor_value_info("y", elem_type, ["n"])
    node = helper.make_node(op, ["x"], ["y"], domain=domain, **attrs)
    opsets = [helper.make_opsetid("", 20)]
    if domain:
        opsets.append(helper.make_opsetid(domain, version))
    model = helper.make_model(helper.make_graph([node], "gelu", [x], [y]), opset_imports=opsets)
    model.ir_version = 10
    onnx.checker.check_model(model)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in MODES:
        sys.exit(f"usage: onnxruntime_gelu.py {{{'|'.join(MODES)}}}")
    sessions = {}  # by the block's dtype (float32, or float16 for the ONNX Gelu)

    def gelu(x: np.ndarray) -> np.ndarray:
        if x.dtype not in sessions:
            sessions[x.dtype] = session(mode, helper.np_dtype_to_tensor_dtype(x.dtype))
        return sessions[x.dtype].run(["y"], {"x": x})[0]

    serve(gelu)


if __name__ == "__main__":
    main()
