"""Reading and checking the result files against the input contract.

Each file is parsed, then walked with a small declarative spec that both
checks it and normalises it: numbers (including the strings "inf"/"nan"
that stand for non-finite values) become floats, counts become ints. The
first problem raises ReportError naming the file and the JSON path, e.g.
`accuracy.json: kernels[1] (f32_erf_x__avx2).vs.exact: missing key "max_ulp"`.

Keys the contract does not name are ignored, so the C++ side can add
fields without breaking older reports.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable

from reports.errors import ReportError

INFO_SCHEMA = "gelubench.info/1"
ACCURACY_SCHEMA = "gelubench.accuracy/1"

_HEX_RE = re.compile(r"^[+-]?(0x[0-9a-f]+(\.[0-9a-f]*)?p[+-]?[0-9]+|inf|nan)$", re.I)


class SchemaError(Exception):
    def __init__(self, path: str, what: str):
        super().__init__(what)
        self.path = path
        self.what = what


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# ---------------------------------------------------------------- specs
# A spec is a callable (value, path) -> normalised value, raising SchemaError.
Spec = Callable[[Any, str], Any]


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return f'the string "{v[:40]}"'
    if isinstance(v, list):
        return "a list"
    return "an object"


def num(v: Any, path: str) -> float:
    """A JSON number, or "inf"/"-inf"/"nan" for non-finite values."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str) and v in ("inf", "-inf", "+inf", "nan"):
        return float(v)
    raise SchemaError(path, f'expected a number or "inf"/"nan", got {_type_name(v)}')


def finite(v: Any, path: str) -> float:
    x = num(v, path)
    if not math.isfinite(x):
        raise SchemaError(path, f"expected a finite number, got {v!r}")
    return x


def integer(v: Any, path: str) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    raise SchemaError(path, f"expected an integer, got {_type_name(v)}")


def string(v: Any, path: str) -> str:
    if isinstance(v, str):
        return v
    raise SchemaError(path, f"expected a string, got {_type_name(v)}")


def boolean(v: Any, path: str) -> bool:
    if isinstance(v, bool):
        return v
    raise SchemaError(path, f"expected true/false, got {_type_name(v)}")


def hexfloat(v: Any, path: str) -> str:
    """A C99 %a string ("-0x1.8p+1", "inf", "nan"); kept as text for display."""
    if isinstance(v, str) and _HEX_RE.match(v):
        return v
    raise SchemaError(path, f'expected a C99 hex float like "-0x1.8p+1", got {_type_name(v)}')


def nullable(spec: Spec) -> Spec:
    def check(v: Any, path: str) -> Any:
        return None if v is None else spec(v, path)

    return check


def one_of(*values: str) -> Spec:
    def check(v: Any, path: str) -> str:
        if isinstance(v, str) and v in values:
            return v
        allowed = ", ".join(f'"{x}"' for x in values)
        raise SchemaError(path, f"expected one of {allowed}, got {_type_name(v)}")

    return check


def list_of(spec: Spec) -> Spec:
    def check(v: Any, path: str) -> list:
        if not isinstance(v, list):
            raise SchemaError(path, f"expected a list, got {_type_name(v)}")
        out = []
        for i, item in enumerate(v):
            p = f"{path}[{i}]"
            # Name list items by their "name" so a message points at a kernel.
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                p += f" ({item['name']})"
            out.append(spec(item, p))
        return out

    return check


def map_of(spec: Spec) -> Spec:
    def check(v: Any, path: str) -> dict:
        if not isinstance(v, dict):
            raise SchemaError(path, f"expected an object, got {_type_name(v)}")
        return {k: spec(x, _join(path, k)) for k, x in v.items()}

    return check


def obj(required: dict[str, Spec], optional: dict[str, Spec] | None = None) -> Spec:
    optional = optional or {}

    def check(v: Any, path: str) -> dict:
        if not isinstance(v, dict):
            raise SchemaError(path, f"expected an object, got {_type_name(v)}")
        out = dict(v)  # unknown keys pass through untouched
        for key, spec in required.items():
            if key not in v:
                raise SchemaError(path, f'missing key "{key}"')
            out[key] = spec(v[key], _join(path, key))
        for key, spec in optional.items():
            if key in v:
                out[key] = spec(v[key], _join(path, key))
        return out

    return check


def _same_length(*keys: str) -> Callable[[dict, str], None]:
    def check(d: dict, path: str) -> None:
        n = len(d[keys[0]])
        for k in keys[1:]:
            if len(d[k]) != n:
                raise SchemaError(path, f'"{k}" has {len(d[k])} entries but "{keys[0]}" has {n}')

    return check


def then(spec: Spec, post: Callable[[Any, str], None]) -> Spec:
    def check(v: Any, path: str) -> Any:
        out = spec(v, path)
        post(out, path)
        return out

    return check


# ------------------------------------------------------ accuracy.json
def _region_bounds(v: Any, path: str) -> tuple[float, float]:
    """[lo, hi]: the regions are neg_tail x < lo, core lo <= x <= hi, pos x > hi."""
    if not (isinstance(v, list) and len(v) == 2):
        raise SchemaError(path, f"expected [lo, hi], got {_type_name(v)}")
    lo, hi = finite(v[0], f"{path}[0]"), finite(v[1], f"{path}[1]")
    if not lo < hi:
        raise SchemaError(path, f"expected lo < hi, got [{lo:g}, {hi:g}]")
    return lo, hi


HISTOGRAM_BUCKETS = ("correctly_rounded", "le_1", "le_2", "le_4", "le_16", "le_1024", "more")
REGIONS = ("neg_tail", "core", "pos")

_histogram = obj({b: integer for b in HISTOGRAM_BUCKETS})

_region_keys: dict[str, Spec] = {
    "count": integer,
    "max_ulp": num,
    "worst_input": hexfloat,
    "worst_output": hexfloat,
    "worst_expected": hexfloat,
    "mean_ulp": num,
    "histogram": _histogram,
    "correctly_rounded_fraction": num,
    "max_abs": num,
    "max_abs_input": hexfloat,
    "max_rel": num,
    "max_rel_input": hexfloat,
}

_profile = obj({"rtol": finite, "atol": finite, "violations": integer, "pass": boolean})


def _check_error_profile(d: dict, path: str) -> None:
    _same_length("count", "max_ulp", "mean_ulp")(d, path)
    if d["bin_width"] <= 0 or d["hi"] <= d["lo"]:
        raise SchemaError(path, "needs lo < hi and bin_width > 0")
    expect = round((d["hi"] - d["lo"]) / d["bin_width"])
    if len(d["count"]) != expect:
        raise SchemaError(
            path, f"has {len(d['count'])} bins but (hi - lo) / bin_width = {expect}")


_error_profile = then(
    obj({
        "lo": finite,
        "hi": finite,
        "bin_width": finite,
        "max_ulp": list_of(num),
        "mean_ulp": list_of(num),
        "count": list_of(integer),
    }),
    _check_error_profile,
)

_stats = obj({
    **_region_keys,
    "regions": obj({r: obj(_region_keys) for r in REGIONS}),
    "profiles": map_of(_profile),
    "error_profile": _error_profile,
})

BUDGET_METRICS = ("max_ulp_vs_formula", "max_ulp_vs_exact", "max_abs_vs_exact")

_kernel = obj({
    "name": string,
    "dtype": string,
    "formula": string,
    "peer": boolean,
    "features": list_of(string),
    "budget": obj({m: nullable(num) for m in BUDGET_METRICS}),
    "verdict": obj({
        "pass": boolean,
        "checks": list_of(obj({
            "metric": string, "declared": num, "measured": num, "pass": boolean})),
    }),
    "specials": list_of(obj({
        "name": string, "input": hexfloat, "expected": hexfloat, "output": hexfloat,
        "pass": boolean}, {"declared_deviation": obj({"as_declared": boolean})})),
    "vs": obj({"exact": _stats, "formula": _stats}),
}, {"failure": string, "same_bits_as": string})

_accuracy_context = obj({
    "cpu_model": string,
    "features": list_of(string),
    "isa_cap": string,
    "compiler": string,
    "flags": string,
    "git_commit": string,
    "library_versions": map_of(string),
    "mode": one_of("exhaustive", "stride"),
    "stride": nullable(integer),
    "inputs": integer,
    "threads": integer,
    "elapsed_s": num,
    "ulp_definition": string,
    "date": string,
    "certified_calls": map_of(integer),
    "region_bounds": lambda v, p: _region_bounds(v, p),
}, {"peer_libraries": map_of(obj({}))})


def _unique_kernel_names(d: dict, path: str) -> None:
    seen: set[str] = set()
    for i, k in enumerate(d["kernels"]):
        if k["name"] in seen:
            raise SchemaError(f"kernels[{i}]", f'duplicate kernel name "{k["name"]}"')
        seen.add(k["name"])


def _same_bits_as_earlier(d: dict, path: str) -> None:
    """"same_bits_as" (optional, the harness's proof of identical outputs)
    names an earlier kernel of the same list and dtype."""
    for key in ("kernels", "quantized"):
        entries = d.get(key)
        if not isinstance(entries, list):
            continue
        earlier: dict[str, object] = {}
        for i, k in enumerate(entries):
            if not isinstance(k, dict):
                continue
            where = f"{key}[{i}] ({k.get('name')})"
            if "same_bits_as" in k:
                other = k["same_bits_as"]
                if not isinstance(other, str):
                    raise SchemaError(f"{where}.same_bits_as", f"expected a string, got {_type_name(other)}")
                if other not in earlier:
                    raise SchemaError(f"{where}.same_bits_as",
                                      f'"{other}" is not a kernel listed before it')
                if earlier[other] != k.get("dtype"):
                    raise SchemaError(f"{where}.same_bits_as",
                                      f'"{other}" is {earlier[other]}, this kernel {k.get("dtype")}')
            earlier[k.get("name")] = k.get("dtype")


ACCURACY = then(
    obj({
        "schema": string,
        "context": _accuracy_context,
        "skipped": list_of(obj({"name": string, "reason": string})),
        "summary": obj({"kernels": integer, "passed": integer, "failed": integer}),
        "kernels": list_of(_kernel),
    }),
    lambda d, path: (_unique_kernel_names(d, path), _same_bits_as_earlier(d, path)),
)

# ---------------------------------------------------------- frameworks.json
FRAMEWORKS = obj({
    "installed": list_of(obj({"kernel": string, "framework": string, "version": string, "command": string})),
    "not_installed": list_of(obj({"kernel": string, "framework": string, "reason": string})),
})


# ---------------------------------------------------------- info.json
INFO = obj({
    "schema": string,
    "vendor": string,
    "model": string,
    "features": list_of(string),
    "best_isa": string,
    "caches": obj({"l1d": integer, "l2": integer, "l3": integer}),
    "logical_cpus": integer,
})


# ----------------------------------------------------- throughput.json
# Google Benchmark's own format: only what the report reads is required.
# Rows skipped with SkipWithError/SkipWithMessage carry no counters.
# What each row measured, written by gelubench (harness/throughput.cc): the
# report reads these fields and never parses a benchmark's name.
_BENCH_FIELDS = obj({
    "kernel": string,
    "copy_roof": boolean,
    "dtype": string,
    "formula": nullable(string),
    "method": nullable(string),
    "distribution": string,
    "size": obj({"level": string, "elements": integer, "bytes": integer}),
    "threads": integer,
    "out_of_process": boolean,
})


def _benchmark(v: Any, path: str) -> dict:
    if isinstance(v, dict) and "gelubench" not in v:
        raise SchemaError(path, 'no "gelubench" object (what the row measured: kernel, dtype, inputs, '
                                'size): written by a gelubench older than its report; re-run '
                                '`gelubench throughput`')
    base = obj({"name": string, "gelubench": _BENCH_FIELDS},
               {"run_name": string, "run_type": string, "aggregate_name": string,
                "repetitions": integer, "label": string,
                "error_occurred": boolean, "error_message": string,
                "skipped": boolean, "skip_message": string})(v, path)
    if base.get("error_occurred") or base.get("skipped"):
        return base
    if base.get("run_type") == "aggregate" and base.get("aggregate_name") != "median":
        return base  # mean/stddev/cv rows are not read
    return obj({"items_per_second": num}, {"bytes_per_second": num})(base, path)


THROUGHPUT = obj({
    "context": obj({}, {"cpu_model": string, "isa_cap": string, "compiler": string,
                        "git_commit": string}),
    "benchmarks": list_of(_benchmark),
})


# -------------------------------------------------------------- loading
def _reject_constant(name: str) -> float:
    raise ValueError(f'bare {name} is not JSON; write non-finite numbers as "inf"/"nan" strings')


def read_json(path: str, *, allow_nonfinite_literals: bool = False) -> Any:
    """Parse one file; every failure becomes a ReportError naming the file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise ReportError(path, "no such file") from None
    except IsADirectoryError:
        raise ReportError(path, "is a directory, expected a JSON file") from None
    except OSError as e:
        raise ReportError(path, f"cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReportError(path, f"not UTF-8 text (byte {e.start})") from None
    if not text.strip():
        raise ReportError(path, "empty file")
    kwargs = {} if allow_nonfinite_literals else {"parse_constant": _reject_constant}
    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError as e:
        # The parser stopped at the end of the text, or at a string that the
        # end of the text left open: either way the file was cut short.
        if not text[e.pos:].strip() or e.msg.startswith("Unterminated string"):
            line = text.count("\n") + 1
            col = len(text) - (text.rfind("\n") + 1) + 1
            what = f"truncated JSON: file ends at line {line} column {col} mid-document"
        else:
            what = f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        raise ReportError(path, what) from None
    except ValueError as e:  # from _reject_constant
        raise ReportError(path, str(e)) from None


def validate(path: str, data: Any, spec: Spec, schema: str | None = None) -> dict:
    if not isinstance(data, dict):
        raise ReportError(path, "expected a JSON object at the top level")
    if schema is not None:
        if "schema" not in data:
            raise ReportError(path, f'missing key "schema" (expected "{schema}")')
        if data["schema"] != schema:
            raise ReportError(path, f'schema is {json.dumps(data["schema"])}, expected "{schema}"')
    try:
        return spec(data, "")
    except SchemaError as e:
        where = f"{e.path}: " if e.path else ""
        raise ReportError(path, where + e.what) from None


def load_info(path: str) -> dict:
    return validate(path, read_json(path), INFO, INFO_SCHEMA)


def load_accuracy(path: str) -> dict:
    return validate(path, read_json(path), ACCURACY, ACCURACY_SCHEMA)


def load_throughput(path: str) -> dict:
    # Google Benchmark itself writes bare NaN/Infinity, so accept them here.
    return validate(path, read_json(path, allow_nonfinite_literals=True), THROUGHPUT)


FRAMEWORKS_SCHEMA = "gelubench.frameworks/1"


def load_frameworks(path: str) -> dict:
    """frameworks.json, written by scripts/sweep from adapters/frameworks.py."""
    return validate(path, read_json(path), FRAMEWORKS, FRAMEWORKS_SCHEMA)
