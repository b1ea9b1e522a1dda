"""Bad input stops the report with one line on stderr and exit status 2."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from reports.cli import main

from .conftest import fixture_dir

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reports", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name, what", [
    ("bad_truncated", "truncated JSON: file ends at line"),
    ("bad_schema", 'schema is "gelubench.accuracy/0", expected "gelubench.accuracy/1"'),
    ("bad_missing_key", 'kernels[1] (f32_tanh_poly_7__avx2).vs.exact: missing key "max_ulp"'),
])
def test_malformed_fixture_exits_2(tmp_path, name, what):
    out = tmp_path / "out"
    p = run_cli(fixture_dir(name), "-o", str(out))
    assert p.returncode == 2
    assert p.stdout == ""
    path = os.path.join(fixture_dir(name), "accuracy.json")
    assert p.stderr.startswith(f"reports: error: {path}: {what}")
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert not out.exists(), "nothing may be written when an input is bad"


def test_bad_run_among_good_ones_writes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous report")
    p = run_cli(fixture_dir("run_a"), fixture_dir("bad_schema"), "-o", str(out))
    assert p.returncode == 2
    assert (out / "index.html").read_text() == "previous report"
    assert os.listdir(out) == ["index.html"]


# In-process from here on: same code path, no interpreter start-up per case.
def _error(capsys, *dirs, out=None) -> str:
    rc = main([*map(str, dirs), "-o", str(out or "/nonexistent/never-written")])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("reports: error: ") and err.count("\n") == 1
    return err.strip()


def _copy_run(tmp_path, name="run_a", *, throughput=False) -> str:
    d = tmp_path / name
    d.mkdir()
    files = ["info.json", "accuracy.json"] + (["throughput.json"] if throughput else [])
    for f in files:
        shutil.copy(os.path.join(fixture_dir("run_a"), f), d / f)
    return str(d)


def _edit(path: str, change) -> None:
    with open(path) as f:
        data = json.load(f)
    change(data)
    with open(path, "w") as f:
        json.dump(data, f)


def test_missing_result_dir(capsys, tmp_path):
    d = tmp_path / "nope"
    assert _error(capsys, d) == f"reports: error: {d}: no such result directory"


def test_missing_info_json(capsys, tmp_path):
    d = _copy_run(tmp_path)
    os.remove(os.path.join(d, "info.json"))
    assert _error(capsys, d) == (f"reports: error: {d}/info.json: missing "
                                 "(every result directory needs info.json)")


def test_neither_accuracy_nor_throughput(capsys, tmp_path):
    d = _copy_run(tmp_path)
    os.remove(os.path.join(d, "accuracy.json"))
    assert _error(capsys, d) == (f"reports: error: {d}: has neither accuracy.json nor "
                                 "throughput.json")


@pytest.mark.parametrize("content, what", [
    ("", "empty file"),
    ("[1, 2]", "expected a JSON object at the top level"),
    ('{"schema": "gelubench.accuracy/1", "x": NaN}', "bare NaN is not JSON"),
    ('{"schema": "gelubench.accuracy/1",}', "not valid JSON: Expecting property name"),
])
def test_unparseable_accuracy(capsys, tmp_path, content, what):
    d = _copy_run(tmp_path)
    with open(os.path.join(d, "accuracy.json"), "w") as f:
        f.write(content)
    assert what in _error(capsys, d)


def test_not_utf8(capsys, tmp_path):
    d = _copy_run(tmp_path)
    with open(os.path.join(d, "accuracy.json"), "wb") as f:
        f.write(b'{"schema": "\xff"}')
    assert "not UTF-8" in _error(capsys, d)


@pytest.mark.parametrize("change, what", [
    (lambda a: a.pop("schema"), 'missing key "schema"'),
    (lambda a: a["context"].pop("ulp_definition"), 'context: missing key "ulp_definition"'),
    (lambda a: a["kernels"][0].update(peer="yes"),
     'kernels[0] (f32_erf_rational_12_10__avx512).peer: expected true/false, got the string'),
    (lambda a: a["kernels"][0]["vs"]["exact"].update(max_ulp="infinity"),
     '.vs.exact.max_ulp: expected a number or "inf"/"nan"'),
    (lambda a: a["kernels"][0]["vs"]["exact"].update(worst_input="1.5"),
     ".vs.exact.worst_input: expected a C99 hex float"),
    (lambda a: a["kernels"][2]["vs"]["formula"]["regions"]["core"]["histogram"].pop("le_16"),
     'vs.formula.regions.core.histogram: missing key "le_16"'),
    (lambda a: a["kernels"][0]["vs"]["exact"]["error_profile"]["count"].pop(),
     'error_profile: "max_ulp" has 8 entries but "count" has 7'),
    (lambda a: a["kernels"][0]["vs"]["exact"]["error_profile"].update(bin_width=2.5),
     "error_profile: has 8 bins but (hi - lo) / bin_width = 16"),
    (lambda a: a["kernels"][1].update(name=a["kernels"][0]["name"]),
     'kernels[1]: duplicate kernel name "f32_erf_rational_12_10__avx512"'),
])
def test_accuracy_contract_violations(capsys, tmp_path, change, what):
    d = _copy_run(tmp_path)
    _edit(os.path.join(d, "accuracy.json"), change)
    err = _error(capsys, d)
    assert err.startswith(f"reports: error: {d}/accuracy.json: ")
    assert what in err


def test_info_wrong_schema(capsys, tmp_path):
    d = _copy_run(tmp_path)
    _edit(os.path.join(d, "info.json"), lambda i: i.update(schema="gelubench.info/9"))
    assert _error(capsys, d) == (f'reports: error: {d}/info.json: schema is '
                                 f'"gelubench.info/9", expected "gelubench.info/1"')


def test_info_missing_cache(capsys, tmp_path):
    d = _copy_run(tmp_path)
    _edit(os.path.join(d, "info.json"), lambda i: i["caches"].pop("l2"))
    assert _error(capsys, d) == f'reports: error: {d}/info.json: caches: missing key "l2"'


def test_accuracy_without_region_bounds(capsys, tmp_path):
    d = _copy_run(tmp_path)
    _edit(os.path.join(d, "accuracy.json"), lambda a: a["context"].pop("region_bounds"))
    assert _error(capsys, d) == f'reports: error: {d}/accuracy.json: context: missing key "region_bounds"'
    _edit(os.path.join(d, "accuracy.json"), lambda a: a["context"].update(region_bounds=[3, -3]))
    assert _error(capsys, d).endswith("context.region_bounds: expected lo < hi, got [3, -3]")


def test_throughput_from_before_the_fields(capsys, tmp_path):
    """A throughput.json whose rows lack the "gelubench" fields (a gelubench
    from before #16): the report does not fall back to parsing names."""
    d = _copy_run(tmp_path, throughput=True)

    def drop(t):
        for b in t["benchmarks"]:
            del b["gelubench"]

    _edit(os.path.join(d, "throughput.json"), drop)
    err = _error(capsys, d)
    assert err.startswith(f"reports: error: {d}/throughput.json: benchmarks[0] (copy/uniform/")
    assert err.endswith('no "gelubench" object (what the row measured: kernel, dtype, inputs, size): '
                        'written by a gelubench older than its report; re-run `gelubench throughput`')


def test_throughput_with_a_malformed_field(capsys, tmp_path):
    d = _copy_run(tmp_path, throughput=True)

    def bad(t):
        t["benchmarks"][1]["gelubench"]["size"]["elements"] = "many"

    _edit(os.path.join(d, "throughput.json"), bad)
    assert _error(capsys, d).endswith(".gelubench.size.elements: expected an integer, got the string \"many\"")


def test_throughput_without_items_per_second(capsys, tmp_path):
    d = _copy_run(tmp_path, throughput=True)

    def drop(t):
        row = next(b for b in t["benchmarks"] if b["run_type"] == "iteration")
        del row["items_per_second"]

    _edit(os.path.join(d, "throughput.json"), drop)
    err = _error(capsys, d)
    assert err.startswith(f"reports: error: {d}/throughput.json: benchmarks[0] (copy/uniform/")
    assert err.endswith('missing key "items_per_second"')


def test_throughput_truncated(capsys, tmp_path):
    d = _copy_run(tmp_path, throughput=True)
    p = os.path.join(d, "throughput.json")
    with open(p) as f:
        text = f.read()
    with open(p, "w") as f:
        f.write(text[:1000])
    assert "throughput.json: truncated JSON" in _error(capsys, d)


def test_cut_inside_a_string_is_truncated(capsys, tmp_path):
    d = _copy_run(tmp_path)
    p = os.path.join(d, "accuracy.json")
    with open(p) as f:
        text = f.read()
    cut = text.index('"name"') + 3  # inside the key's quotes
    with open(p, "w") as f:
        f.write(text[:cut])
    line = text[:cut].count("\n") + 1
    assert f"accuracy.json: truncated JSON: file ends at line {line} column" in _error(capsys, d)


def test_output_dir_is_a_file(capsys, tmp_path):
    d = _copy_run(tmp_path)
    out = tmp_path / "file"
    out.write_text("x")
    assert _error(capsys, d, out=out) == f"reports: error: {out}: exists and is not a directory"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main([])
    assert e.value.code == 2
