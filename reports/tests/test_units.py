"""Small pieces: formatting, kernel methods, throughput rows by their
fields, Pareto front, result selection, atomic writes."""

import json
import math
import os

import pytest

from reports import fmt, output
from reports.analysis import pareto_front
from reports.errors import ReportError
from reports.model import Point, Run, method_of


@pytest.mark.parametrize("x, s", [
    (None, "—"), (math.inf, "inf"), (math.nan, "nan"), (0.0, "0"), (0.4999, "0.5"),
    (1.52, "1.52"), (12.0, "12"), (48210.4, "48210"), (3.1e6, "3100000"), (2.5e9, "2.500e+09"),
    (0.5, "0.5"), (0.500058801, "0.500059"), (0.5000000111758709, "0.500000011"), (0.5234, "0.523"),
])
def test_fmt_ulp(x, s):
    assert fmt.ulp(x) == s


def test_fmt_misc():
    assert fmt.sci(4.7312e-4) == "4.73e-04"
    assert fmt.fraction_pct(0.99999999) == ">99.9999%"
    assert fmt.fraction_pct(1.0) == "100%"
    assert fmt.rate(2.31e9) == "2.31 Gelem/s"
    assert fmt.rate(950.0) == "950 elem/s"
    assert fmt.bytes_rate(1.85e10) == "18.5 GB/s"
    assert fmt.ratio(0.0104) == "0.0104×"
    assert fmt.hexval("-0x1.8p+1") == "-3 (-0x1.8p+1)"
    assert fmt.hexval("nan") == "nan"
    assert fmt.nbytes(49152) == "48 KiB"


def test_kernel_method():
    assert method_of("f32_erf_rational_12_10__avx512") == "rational"
    assert method_of("f32_tanh_poly__avx2") == "poly"
    assert method_of("f32_erf_mkl_cdfnorm_ha__dispatch") == "mkl"
    assert method_of("copy") == "other"
    assert method_of("f32_erf__avx2") == "other"


def test_rows_are_read_by_their_fields_not_their_names(tmp_path):
    # The name says one thing, the fields another: the fields win.
    rows = [_row("f32_erf_x__avx2", 4096, "L2", name="whatever/N:1", dist="normal"),
            _row("copy", 64, "L1", name="copy/uniform/N:99/threads:2", threads=1),
            _row("f32_erf_x__avx2", 4096, "L2", name="f32_erf_x__avx2/uniform/N:4096", threads=2),
            _row("f32_erf_fw__ext", 64, "L1", out_of_process=True),
            _row("f32_erf_fw__ext", 64, "L1", name="roof", out_of_process=True, copy_roof=True)]
    r = _run_with(rows, tmp_path)
    assert r.series["f32_erf_x__avx2"] == {"normal": [Point(4096, 1e9, 8e9, "L2")]}
    assert r.series["copy"] == {"uniform": [Point(64, 1e9, 8e9, "L1")]}
    assert r.threaded["f32_erf_x__avx2"]["uniform"][4096][2] == Point(4096, 1e9, 8e9, "L2")
    assert r.out_of_process == {"f32_erf_fw__ext", "copy@f32_erf_fw__ext"}
    assert sorted(r.series) == ["copy", "copy@f32_erf_fw__ext", "f32_erf_fw__ext", "f32_erf_x__avx2"]
    k = r.bench_kind("f32_erf_x__avx2")
    assert (k.dtype, k.formula, k.method, k.copy_roof) == ("f32", "erf", "x", False)
    assert r.bench_kind("copy@f32_erf_fw__ext").copy_roof


def test_pareto_front():
    pts = [("fast_bad", 10.0, 100.0), ("mid", 5.0, 2.0), ("slow_good", 1.0, 0.5),
           ("dominated", 4.0, 3.0), ("broken", 20.0, math.inf), ("tie_slower", 5.0, 2.0)]
    assert pareto_front(pts) == ["fast_bad", "mid", "slow_good"]


def _row(kernel, n, level, *, name=None, dist="uniform", threads=1, out_of_process=False,
         copy_roof=None, ips=1e9, **extra) -> dict:
    """One throughput.json row with its "gelubench" fields."""
    roof = kernel == "copy" if copy_roof is None else copy_roof
    parts = kernel.split("_")
    return {"name": name or f"{kernel}/{dist}/N:{n}", "run_type": "iteration",
            "items_per_second": ips, "bytes_per_second": 8 * ips,
            "gelubench": {"kernel": kernel, "copy_roof": roof, "dtype": "f32",
                          "formula": None if kernel == "copy" else parts[1],
                          "method": None if roof else parts[2], "distribution": dist,
                          "size": {"level": level, "elements": n, "bytes": 8 * n},
                          "threads": threads, "out_of_process": out_of_process},
            **extra}


def _run_with(benchmarks, tmp_path) -> Run:
    from reports.model import load_run
    d = tmp_path / "r"
    d.mkdir()
    here = os.path.join(os.path.dirname(__file__), "fixtures", "run_a")
    (d / "info.json").write_text(open(os.path.join(here, "info.json")).read())
    (d / "throughput.json").write_text(json.dumps({"context": {}, "benchmarks": benchmarks}))
    return load_run(str(d))


def test_repetitions_without_aggregates_use_the_median(tmp_path):
    rows = [_row("f32_erf_k__avx2", 64, "L1", ips=v, label="L1") for v in (1.0, 9.0, 2.0)]
    r = _run_with(rows, tmp_path)
    assert r.series["f32_erf_k__avx2"]["uniform"] == [Point(64, 2.0, 16.0, "L1")]
    assert any("no \"copy\" benchmark" in w for w in r.warnings)


def test_level_from_the_fields(tmp_path):
    # Google Benchmark's label is not read: size.level says it.
    rows = [_row("f32_erf_k__avx2", n, level, label="L9")
            for n, level in ((1024, "L1"), (65536, "L2"), (1 << 20, "L3"), (1 << 24, "DRAM"))]
    r = _run_with(rows, tmp_path)
    assert [r.level(p) for p in r.series["f32_erf_k__avx2"]["uniform"]] == ["L1", "L2", "L3", "DRAM"]
    assert r.l2_point("f32_erf_k__avx2").n == 65536


def test_gb_nan_literals_and_errors_are_accepted(tmp_path):
    rows = [_row("f32_erf_k__avx2", 64, "L1", ips=5.0),
            {**_row("f32_erf_k__avx2", 64, "L1", name="f32_erf_k__avx2/uniform/N:64_cv"),
             "run_type": "aggregate", "aggregate_name": "cv", "real_time": float("nan")},
            {"name": "f32_erf_j__avx512/uniform/N:64", "error_occurred": True, "error_message": "no avx512",
             "gelubench": _row("f32_erf_j__avx512", 64, "L1")["gelubench"]}]
    r = _run_with(rows, tmp_path)
    assert r.bench_skipped == [("f32_erf_j__avx512/uniform/N:64", "no avx512")]
    assert list(r.series) == ["f32_erf_k__avx2"]


def test_atomic_write_replaces_whole_file(tmp_path):
    p = tmp_path / "index.html"
    p.write_text("old")
    output.write_atomically(str(p), b"new")
    assert p.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["index.html"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "index.html"
    p.write_text("old")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(ReportError) as e:
        output.write_atomically(str(p), b"new")
    assert e.value.what == "cannot write: No space left on device"
    assert p.read_text() == "old"
    assert os.listdir(tmp_path) == ["index.html"]


def test_text_from_files_is_escaped():
    from reports.document import Cell, Code, Document, Para, Table, to_html, to_markdown
    doc = Document("t")
    doc.add(Para(["<script>x</script> & ", Code("a|b<i>")]))
    doc.add(Table(["k|1"], [[Cell([Code("x|y"), " *z*"])]]))
    html = to_html(doc)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<code>a|b&lt;i&gt;</code>" in html
    md = to_markdown(doc)
    assert "| k\\|1 |" in md
    assert "| `x\\|y` \\*z\\* |" in md
