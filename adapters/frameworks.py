#!/usr/bin/env python3
"""The framework adapters shipped in this folder and which of them can run
here (their framework imports in this Python).

    frameworks.py externals   one NAME=COMMAND line per runnable adapter, for
                              `gelubench --external` (scripts/sweep uses it)
    frameworks.py json        {"installed": [...], "not_installed": [...]} with
                              each framework's version, for the results folder
"""

import importlib
import importlib.metadata
import json
import os
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # importing TensorFlow to check it is there: quietly

# (kernel name, framework module, PyPI distribution, adapter and its arguments)
ADAPTERS = [
    ("f32_erf_onnxruntime_gelu__ext", "onnxruntime", "onnxruntime", "onnxruntime_gelu.py gelu"),
    ("f32_tanh_onnxruntime_gelu__ext", "onnxruntime", "onnxruntime", "onnxruntime_gelu.py gelu_tanh"),
    ("f32_erf_onnxruntime_msgelu__ext", "onnxruntime", "onnxruntime", "onnxruntime_gelu.py ms_gelu"),
    ("f32_tanh_onnxruntime_msfastgelu__ext", "onnxruntime", "onnxruntime", "onnxruntime_gelu.py ms_fastgelu"),
    ("f32_erf_jax_gelu__ext", "jax", "jax", "jax_gelu.py exact"),
    ("f32_tanh_jax_gelu__ext", "jax", "jax", "jax_gelu.py tanh"),
    ("f32_erf_tensorflow_gelu__ext", "tensorflow", "tensorflow-cpu", "tensorflow_gelu.py exact"),
    ("f32_tanh_tensorflow_gelu__ext", "tensorflow", "tensorflow-cpu", "tensorflow_gelu.py tanh"),
    ("f32_erf_torch_gelu__ext", "torch", "torch", "torch_gelu.py gelu"),
    ("f32_erf_torch_aten__ext", "torch", "torch", "torch_gelu.py aten"),
    ("f32_erf_torch_strided__ext", "torch", "torch", "torch_gelu.py strided"),
    ("f32_tanh_torch_aten__ext", "torch", "torch", "torch_gelu.py tanh"),
    ("f32_erf_litert_gelu__ext", "ai_edge_litert", "ai-edge-litert", "litert_gelu.py exact"),
    ("f32_tanh_litert_gelu__ext", "ai_edge_litert", "ai-edge-litert", "litert_gelu.py tanh"),
    ("f32_erf_litert_builtin__ext", "ai_edge_litert", "ai-edge-litert", "litert_gelu.py exact_builtin"),
    ("f32_tanh_litert_builtin__ext", "ai_edge_litert", "ai-edge-litert", "litert_gelu.py tanh_builtin"),
    # The narrow formats, where the framework computes GELU in them on the CPU
    # (the adapter is the same program: the dtype travels with each block).
    ("f16_erf_torch_gelu__ext", "torch", "torch", "torch_gelu.py gelu"),
    ("bf16_erf_torch_gelu__ext", "torch", "torch", "torch_gelu.py gelu"),
    ("f16_erf_jax_gelu__ext", "jax", "jax", "jax_gelu.py exact"),
    ("bf16_erf_jax_gelu__ext", "jax", "jax", "jax_gelu.py exact"),
    ("f16_erf_tensorflow_gelu__ext", "tensorflow", "tensorflow-cpu", "tensorflow_gelu.py exact"),
    ("bf16_erf_tensorflow_gelu__ext", "tensorflow", "tensorflow-cpu", "tensorflow_gelu.py exact"),
    ("f16_erf_onnxruntime_gelu__ext", "onnxruntime", "onnxruntime", "onnxruntime_gelu.py gelu"),
]


def status() -> dict:
    installed, missing, seen = [], [], {}
    for name, module, dist, args in ADAPTERS:
        if module not in seen:
            try:
                importlib.import_module(module)
                seen[module] = (True, importlib.metadata.version(dist))
            except Exception as e:  # ImportError, or a broken install
                seen[module] = (False, f"{type(e).__name__}: {e}".splitlines()[0])
        ok, detail = seen[module]
        script, *rest = args.split()
        command = shlex.join([sys.executable, os.path.join(HERE, script), *rest])
        if ok:
            installed.append({"kernel": name, "framework": dist, "version": detail, "command": command})
        else:
            missing.append({"kernel": name, "framework": dist, "reason": detail})
    return {"schema": "gelubench.frameworks/1", "installed": installed, "not_installed": missing}


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "externals":
        for a in status()["installed"]:
            print(f"{a['kernel']}={a['command']}")
    elif what == "json":
        print(json.dumps(status(), indent=1))
    else:
        sys.exit("usage: frameworks.py {externals|json}")


if __name__ == "__main__":
    main()
