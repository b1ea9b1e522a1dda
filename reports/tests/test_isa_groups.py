"""ISA versions of one kernel shown as one row (issue #18): only on the
harness's proof ("same_bits_as" in accuracy.json), never on equal figures;
versions whose bits differ stay apart; speed given per version."""

import copy
import json
import shutil

import pytest

from reports import model
from reports.cli import main

from .conftest import Rendered, fixture_dir

GROUP = "f32_erf_erfc_tail__{avx2,avx512}"
# Tables with one row per kernel (and "vs" rows for the histogram table).
ACCURACY_TABLES = ["Declared vs measured budgets", "Max ULP by region", "ULP histograms", "Tolerance profiles",
                   "Accuracy by region vs exact GELU", "Accuracy by region vs the kernel's own formula"]
APPENDIX_TABLES = ["Special values"]  # the main page's lists only kernels off GELU's limits


def _sibling(entry: dict, isa: str, features: list[str], same_bits_as: str | None) -> dict:
    e = copy.deepcopy(entry)
    e["name"] = entry["name"].rsplit("__", 1)[0] + "__" + isa
    e["features"] = features
    if same_bits_as:
        e["same_bits_as"] = same_bits_as
    return e


def _faster(thr: dict, kernel: str, new: str, factor: float) -> None:
    """Adds `new` to throughput.json: `kernel`'s rows at `factor` times its speed."""
    added = []
    for b in thr["benchmarks"]:
        if b["name"].split("/")[0] == kernel:
            t = copy.deepcopy(b)
            for key in ("name", "run_name"):
                if key in t:
                    t[key] = t[key].replace(kernel, new, 1)
            t["gelubench"]["kernel"] = new
            for key in ("items_per_second", "bytes_per_second"):
                if key in t:
                    t[key] *= factor
            added.append(t)
    assert added
    thr["benchmarks"] += added


def _run(tmp_path, edit=None):
    """run_a with ISA versions added: f32_erf_erfc_tail__avx512, bit-identical
    to the avx2 version by the harness's word and 1.5x as fast;
    f32_tanh_poly_7__avx512, equal figures but no proof. edit(acc) may
    change accuracy.json further."""
    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    acc = json.loads((run / "accuracy.json").read_text())
    by = {k["name"]: k for k in acc["kernels"]}
    acc["kernels"].append(_sibling(by["f32_erf_erfc_tail__avx2"], "avx512", ["avx512f"], "f32_erf_erfc_tail__avx2"))
    acc["kernels"].append(_sibling(by["f32_tanh_poly_7__avx2"], "avx512", ["avx512f"], None))
    for k in acc["kernels"][-2:]:
        acc["summary"]["kernels"] += 1
        acc["summary"]["passed" if k["verdict"]["pass"] else "failed"] += 1
    if edit:
        edit(acc)
    (run / "accuracy.json").write_text(json.dumps(acc))
    thr = json.loads((run / "throughput.json").read_text())
    _faster(thr, "f32_erf_erfc_tail__avx2", "f32_erf_erfc_tail__avx512", 1.5)
    _faster(thr, "f32_tanh_poly_7__avx2", "f32_tanh_poly_7__avx512", 1.2)
    (run / "throughput.json").write_text(json.dumps(thr))
    return run


def _render(tmp_path, capsys, run) -> Rendered:
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    cap = capsys.readouterr()
    return Rendered(str(out), cap.out, cap.err, 0)


@pytest.fixture
def grouped(tmp_path, capsys) -> Rendered:
    return _render(tmp_path, capsys, _run(tmp_path))


def _names(rendered: Rendered, heading: str) -> list[str]:
    _, rows = rendered.table(heading)
    return [r[0].replace(" (peer)", "") for r in rows]


def test_model_groups_only_what_the_harness_proved(tmp_path):
    r = model.load_run(str(_run(tmp_path)))
    assert [k.name for k in r.kernels] == [
        "f32_erf_rational_12_10__avx512", "f32_tanh_poly_7__avx2", "f32_erf_libm_erff__scalar", GROUP,
        "f32_tanh_poly_7__avx512"]
    g = r.kernel(GROUP)
    assert g.names == ["f32_erf_erfc_tail__avx2", "f32_erf_erfc_tail__avx512"]
    assert r.kernel("f32_erf_erfc_tail__avx512") is g
    # Speed: the group's is its fastest version's, and only the others are
    # left out of the throughput figures.
    assert r.fastest_version(GROUP) == "f32_erf_erfc_tail__avx512"
    assert r.l2_speed(GROUP) == r.l2_speed("f32_erf_erfc_tail__avx512") == 1.5 * r.l2_speed("f32_erf_erfc_tail__avx2")
    assert r.slower_versions() == {"f32_erf_erfc_tail__avx2"}
    assert not r.warnings


def test_every_accuracy_table_has_one_row_per_group(grouped):
    appendix = copy.copy(grouped)
    appendix.md, appendix.appendix_md = grouped.appendix_md, ""
    for heading, page in [(h, grouped) for h in ACCURACY_TABLES] + [(h, appendix) for h in APPENDIX_TABLES]:
        names = _names(page, heading)
        assert GROUP in names, heading
        assert "f32_erf_erfc_tail__avx2" not in names and "f32_erf_erfc_tail__avx512" not in names, heading
        # Equal figures without the harness's proof: two rows.
        assert "f32_tanh_poly_7__avx2" in names and "f32_tanh_poly_7__avx512" in names, heading
    # One row per kernel (two in the histogram table: vs exact and vs formula).
    assert len(_names(grouped, "Declared vs measured budgets")) == 5
    assert _names(grouped, "ULP histograms").count(GROUP) == 2


def test_speed_per_isa_and_the_grouping_said(grouped):
    line = next(x for x in grouped.md.splitlines() if x.startswith("- **Closest to exact GELU**"))
    assert f"`{GROUP}`" in line
    assert "at L2 avx512 6 G · avx2 4 G elem/s" in line  # uniform inputs
    assert "2 ISA versions of 1 kernel are shown one row per kernel" in grouped.md
    assert "`same_bits_as`" in grouped.md
    assert "rows of their own (no proof of identical bits" in grouped.md
    # The throughput tables keep every version.
    names = _names(grouped, "Throughput")
    assert "f32_erf_erfc_tail__avx2" in names and "f32_erf_erfc_tail__avx512" in names
    assert GROUP not in names
    assert "## Warnings" not in grouped.md


def test_answer_table_gives_each_versions_speed(grouped):
    row = grouped.row("The answer (f32)", "Closest to exact GELU")
    assert row["pick"] == GROUP
    assert row["speed"].startswith("avx512 ") and " · avx2 " in row["speed"]


def test_proof_with_other_figures_is_a_warning_and_no_group(tmp_path, capsys):
    def contradict(acc):
        k = acc["kernels"][4]
        assert k["name"] == "f32_erf_erfc_tail__avx512"
        k["vs"]["exact"]["max_ulp"] = 7.0
    r = _render(tmp_path, capsys, _run(tmp_path, contradict))
    names = _names(r, "Declared vs measured budgets")
    assert "f32_erf_erfc_tail__avx2" in names and "f32_erf_erfc_tail__avx512" in names
    assert GROUP not in names
    assert "has the same bits as f32_erf_erfc_tail__avx2 but other figures" in r.stderr


def test_other_budget_keeps_versions_apart_quietly(tmp_path, capsys):
    def other_budget(acc):
        acc["kernels"][4]["budget"]["max_abs_vs_exact"] = 1.0
    r = _render(tmp_path, capsys, _run(tmp_path, other_budget))
    names = _names(r, "Declared vs measured budgets")
    assert "f32_erf_erfc_tail__avx2" in names and "f32_erf_erfc_tail__avx512" in names
    assert "reports: warning" not in r.stderr
    assert "rows of their own" in r.md


@pytest.mark.parametrize("same, message", [
    ("f32_erf_nowhere__avx2", '"f32_erf_nowhere__avx2" is not a kernel listed before it'),
    ("f32_tanh_poly_7__avx512", '"f32_tanh_poly_7__avx512" is not a kernel listed before it'),  # a later one
    (3, "expected a string"),
])
def test_same_bits_as_must_name_an_earlier_kernel(tmp_path, capsys, same, message):
    def bad(acc):
        acc["kernels"][4]["same_bits_as"] = same
    run = _run(tmp_path, bad)
    assert main([str(run), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "kernels[4] (f32_erf_erfc_tail__avx512).same_bits_as" in err and message in err
    assert not (tmp_path / "out" / "index.html").exists()


def test_same_bits_as_across_dtypes_is_refused(tmp_path, capsys):
    def f16(acc):
        acc["kernels"][4]["dtype"] = "f16"
    run = _run(tmp_path, f16)
    assert main([str(run), "-o", str(tmp_path / "out")]) == 2
    assert '"f32_erf_erfc_tail__avx2" is f32, this kernel f16' in capsys.readouterr().err
