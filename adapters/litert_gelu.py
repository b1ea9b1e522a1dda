#!/usr/bin/env python3
"""LiteRT's GELU as a gelubench external kernel (adapters/README.md).

    litert_gelu.py exact           builtin GELU op, approximate=false, LiteRT's default op
                                   resolver (which hands the op to the XNNPACK delegate
                                   when XNNPACK takes it)
    litert_gelu.py tanh            the same, approximate=true
    litert_gelu.py exact_builtin   approximate=false with the default delegates off:
                                   LiteRT's own builtin kernel
    litert_gelu.py tanh_builtin    approximate=true, the same

A one-op float32 model, GELU over a 1-D tensor whose length follows the
block, built here with the flatbuffers schema LiteRT ships
(ai_edge_litert.schema_py_generated): nothing is converted or downloaded.
Run by ai_edge_litert's Interpreter with num_threads=1, as a user serving a
.tflite model from Python would.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gelubench_external import serve  # noqa: E402

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
from ai_edge_litert import schema_py_generated as schema  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402


def gelu_model(approximate: bool) -> bytes:
    """The .tflite bytes of y = GELU(x), x and y float32 of shape [-1]."""
    def tensor(name: bytes, buffer: int) -> schema.TensorT:
        t = schema.TensorT()
        t.name, t.type, t.buffer = name, schema.TensorType.FLOAT32, buffer
        t.shape, t.shapeSignature = [1], [-1]
        return t

    code = schema.OperatorCodeT()
    code.builtinCode = schema.BuiltinOperator.GELU
    # Codes past 127 keep the old int8 field at its placeholder.
    code.deprecatedBuiltinCode = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
    code.version = 1
    options = schema.GeluOptionsT()
    options.approximate = approximate
    op = schema.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0], [1]
    op.builtinOptionsType, op.builtinOptions = schema.BuiltinOptions.GeluOptions, options
    graph = schema.SubGraphT()
    graph.tensors = [tensor(b"x", 1), tensor(b"y", 2)]
    graph.inputs, graph.outputs, graph.operators = [0], [1], [op]
    graph.name = b"gelu"
    model = schema.ModelT()
    model.version, model.description = 3, b"gelubench: one GELU op"
    model.operatorCodes, model.subgraphs = [code], [graph]
    model.buffers = [schema.BufferT() for _ in range(3)]  # buffer 0 is the empty sentinel
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


class Gelu:
    """The interpreter, resized to each new block length."""

    def __init__(self, approximate: bool, resolver: OpResolverType):
        self.interpreter = Interpreter(model_content=gelu_model(approximate), num_threads=1,
                                       experimental_op_resolver_type=resolver)
        self.x = self.interpreter.get_input_details()[0]["index"]
        self.y = self.interpreter.get_output_details()[0]["index"]
        self.n = None

    def prepare(self, x: np.ndarray) -> np.ndarray:
        if x.size != self.n:
            self.interpreter.resize_tensor_input(self.x, [x.size])
            self.interpreter.allocate_tensors()
            self.n = x.size
        return x

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.interpreter.set_tensor(self.x, x)
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self.y)


MODES = {
    "exact": (False, OpResolverType.AUTO),
    "tanh": (True, OpResolverType.AUTO),
    "exact_builtin": (False, OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES),
    "tanh_builtin": (True, OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES),
}


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode not in MODES:
        sys.exit(f"usage: litert_gelu.py {{{'|'.join(MODES)}}}")
    gelu = Gelu(*MODES[mode])
    serve(gelu, prepare=gelu.prepare)


if __name__ == "__main__":
    main()
