"""qs8 results (accuracy.json's "quantized" array) get their own table."""

import json
import os
import shutil

from reports.cli import main

from .conftest import Rendered, fixture_dir


def test_quantized_kernels_are_tabulated(tmp_path, capsys):
    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    acc_path = run / "accuracy.json"
    acc = json.loads(acc_path.read_text())
    case = {"name": "sym_8", "params": {"input_scale": 0.063, "input_zero_point": 0,
                                        "output_scale": 0.063, "output_zero_point": 0},
            "max_lsb": 1, "mean_lsb": 0.0039, "exact_fraction": 0.9961,
            "worst_input_code": 12, "worst_output_code": 6, "expected_code": 5, "max_abs_vs_exact": 0.047}
    acc["quantized"] = [{"name": "qs8_erf_lut__scalar", "dtype": "qs8", "formula": "erf", "peer": False,
                         "features": [], "budget": {"max_ulp_vs_formula": 0, "max_ulp_vs_exact": 0,
                                                    "max_abs_vs_exact": None},
                         "cases": [case], "max_lsb": 1, "max_abs_vs_exact": 0.047, "ulp_unit": "output LSB",
                         "verdict": {"pass": False, "checks": []}}]
    acc["summary"]["kernels"] += 1
    acc["summary"]["failed"] += 1
    acc_path.write_text(json.dumps(acc))
    out = tmp_path / "out"
    rc = main([str(run), "-o", str(out)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "summary says" not in captured.err  # the qs8 entry is counted
    r = Rendered(str(out), captured.out, captured.err, rc)
    row = r.row("int8 (qs8) kernels", "qs8_erf_lut__scalar", "sym_8")
    assert row["max LSB"] == "1"
    assert row["exact"] == "99.61%"
    assert row["budget"].startswith("FAIL")
