"""Small pieces: formatting, name parsing, Pareto front, result selection,
atomic writes."""

import json
import math
import os

import pytest

from reports import fmt, output
from reports.analysis import pareto_front
from reports.errors import ReportError
from reports.model import Point, Run, _parse_bench_name, parse_kernel_name


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


def test_kernel_name_parts():
    p = parse_kernel_name("f32_erf_rational_12_10__avx512")
    assert (p.dtype, p.formula, p.method, p.detail, p.isa) == (
        "f32", "erf", "rational", "12_10", "avx512")
    p = parse_kernel_name("f32_tanh_poly__avx2")
    assert (p.method, p.detail, p.isa) == ("poly", "", "avx2")
    assert parse_kernel_name("copy") is None


def test_bench_name_parsing():
    assert _parse_bench_name("f32_erf_x__avx2/uniform/N:4096") == (
        "f32_erf_x__avx2", "uniform", 4096)
    assert _parse_bench_name("copy/normal/N:64/real_time/threads:1") == ("copy", "normal", 64)
    assert _parse_bench_name("BM_something") is None
    assert _parse_bench_name("k/uniform/N:x") is None


def test_pareto_front():
    pts = [("fast_bad", 10.0, 100.0), ("mid", 5.0, 2.0), ("slow_good", 1.0, 0.5),
           ("dominated", 4.0, 3.0), ("broken", 20.0, math.inf), ("tie_slower", 5.0, 2.0)]
    assert pareto_front(pts) == ["fast_bad", "mid", "slow_good"]


def _run_with(benchmarks, tmp_path) -> Run:
    from reports.model import load_run
    d = tmp_path / "r"
    d.mkdir()
    here = os.path.join(os.path.dirname(__file__), "fixtures", "run_a")
    (d / "info.json").write_text(open(os.path.join(here, "info.json")).read())
    (d / "throughput.json").write_text(json.dumps({"context": {}, "benchmarks": benchmarks}))
    return load_run(str(d))


def test_repetitions_without_aggregates_use_the_median(tmp_path):
    rows = [{"name": "k__avx2/uniform/N:64", "run_type": "iteration", "items_per_second": v,
             "bytes_per_second": 8 * v, "label": "L1"} for v in (1.0, 9.0, 2.0)]
    r = _run_with(rows, tmp_path)
    assert r.series["k__avx2"]["uniform"] == [Point(64, 2.0, 16.0, "L1")]
    assert any("no \"copy\" benchmark" in w for w in r.warnings)


def test_level_from_caches_when_label_missing(tmp_path):
    # info.json caches: L1d 48 KiB, L2 1.25 MiB; 8 bytes per element.
    rows = [{"name": f"k__avx2/uniform/N:{n}", "items_per_second": 1e9,
             "bytes_per_second": 8e9} for n in (1024, 65536, 1 << 20, 1 << 24)]
    r = _run_with(rows, tmp_path)
    assert [r.level(p) for p in r.series["k__avx2"]["uniform"]] == ["L1", "L2", "L3", "DRAM"]
    assert r.l2_point("k__avx2").n == 65536


def test_gb_nan_literals_and_errors_are_accepted(tmp_path):
    rows = [{"name": "k__avx2/uniform/N:64", "run_type": "iteration", "items_per_second": 5.0},
            {"name": "k__avx2/uniform/N:64_cv", "run_type": "aggregate", "aggregate_name": "cv",
             "real_time": float("nan")},
            {"name": "j__avx512/uniform/N:64", "error_occurred": True,
             "error_message": "no avx512"}]
    r = _run_with(rows, tmp_path)
    assert r.bench_skipped == [("j__avx512/uniform/N:64", "no avx512")]
    assert list(r.series) == ["k__avx2"]


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
