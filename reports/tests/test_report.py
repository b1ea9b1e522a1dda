"""The rendered report over the fixture runs: files, figures, numbers."""

import base64
import json
import os
import re
import struct

from reports import fmt

from .conftest import fixture_dir

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PER_RUN_FIGURES = ["pareto", "error-overview", "error-vs-x", "histograms", "throughput-overview",
                   "throughput-vs-size"]
APPENDIX_FIGURES = ["error-vs-x", "histograms", "throughput-vs-size"]  # on appendix.html


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def _accuracy(run: str) -> dict:
    with open(os.path.join(fixture_dir(run), "accuracy.json")) as f:
        return json.load(f)


# ----------------------------------------------------------- files
def test_every_figure_is_written_as_png(two_runs):
    expected = {"cross-run.png"} | {f"run{i}-{f}.png" for i in (1, 2) for f in PER_RUN_FIGURES}
    pngs = {f for f in os.listdir(two_runs.out) if f.endswith(".png")}
    assert pngs == expected
    for name in pngs:
        with open(os.path.join(two_runs.out, name), "rb") as f:
            w, h = _png_size(f.read())
        assert w > 300 and h > 200, name


def test_no_temporary_files_left(two_runs):
    assert not [f for f in os.listdir(two_runs.out) if f.startswith(".") or f.endswith(".tmp")]


def test_clean_run_reports_no_warning(two_runs):
    # Only our own lines: matplotlib may log e.g. "building the font cache" on a new machine.
    assert "reports:" not in two_runs.stderr
    assert "wrote" in two_runs.stdout and "13 figures" in two_runs.stdout
    assert "## Warnings" not in two_runs.md


def _embedded(html: str) -> set[bytes]:
    srcs = re.findall(r'\bsrc\s*=\s*"([^"]*)"', html, re.I)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html, re.I)
    assert "url(" not in html and "@import" not in html
    assert not re.search(r'href\s*=\s*"(https?:)?//', html, re.I)
    return {base64.b64decode(s.split(",", 1)[1]) for s in srcs}


def _on_disk(out: str, names) -> set[bytes]:
    found = set()
    for f in names:
        with open(os.path.join(out, f), "rb") as fh:
            found.add(fh.read())
    return found


def test_html_is_self_contained(two_runs):
    # index.html embeds its figures, appendix.html the per-kernel ones: between
    # them exactly the PNGs written beside report.md, none twice.
    with open(os.path.join(two_runs.out, "appendix.html"), encoding="utf-8") as f:
        appendix = f.read()
    pngs = [f for f in os.listdir(two_runs.out) if f.endswith(".png")]
    in_appendix = [f for f in pngs if any(f.endswith(f"-{a}.png") for a in APPENDIX_FIGURES)]
    assert _embedded(appendix) == _on_disk(two_runs.out, in_appendix)
    assert _embedded(two_runs.html) == _on_disk(two_runs.out, set(pngs) - set(in_appendix))
    # Each links to the other, relatively.
    assert 'href="appendix.html#error-vs-x-' in two_runs.html and 'href="index.html"' in appendix


def test_markdown_images_exist_beside_it(two_runs):
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", two_runs.md)
    with open(os.path.join(two_runs.out, "appendix.md"), encoding="utf-8") as f:
        refs += re.findall(r"!\[[^\]]*\]\(([^)]+)\)", f.read())
    assert len(refs) == 13
    for ref in refs:
        assert "/" not in ref and os.path.exists(os.path.join(two_runs.out, ref))


def test_sweep_log_is_linked(two_runs):
    link = re.search(r"\[sweep\.log\]\(([^)]+)\)", two_runs.md)
    assert link and os.path.samefile(os.path.join(two_runs.out, link.group(1)),
                                     os.path.join(fixture_dir("run_a"), "sweep.log"))


def test_ulp_definition_is_stated(two_runs):
    definition = _accuracy("run_a")["context"]["ulp_definition"]
    assert definition in two_runs.html.replace("&lt;", "<").replace("&gt;", ">")
    assert "ULP definition" in two_runs.md


# ---------------------------------------------------------- tables
def test_region_table_vs_exact(two_runs):
    row = two_runs.row("Accuracy by region vs exact GELU — run_a",
                       "f32_erf_rational_12_10__avx512", "−3 ≤ x ≤ 3")
    assert row["inputs"] == "28,576"
    assert row["max ULP"] == "0.97"
    assert row["worst input"] == "0.75 (0x1.8p-1)"
    assert row["mean ULP"] == "0.27"
    assert row["correctly rounded"] == "95.1008%"
    assert row["max abs"] == "1.10e-08"
    assert row["max rel"] == "6.00e-08"


def test_region_tables_match_every_number_in_the_file(two_runs):
    for run in ("run_a", "run_b"):
        for k in _accuracy(run)["kernels"]:
            for ref, heading in (("exact", "Accuracy by region vs exact GELU"),
                                 ("formula", "Accuracy by region vs the kernel's own formula")):
                st = k["vs"][ref]
                for region, title in (("all", "all"), ("neg_tail", "x < −3"),
                                      ("core", "−3 ≤ x ≤ 3"), ("pos", "x > 3")):
                    s = st if region == "all" else st["regions"][region]
                    name = k["name"] + (" (peer)" if k["peer"] else "")
                    row = two_runs.row(f"{heading} — {run}", name, title)
                    assert row["max ULP"] == fmt.ulp(float(s["max_ulp"]))
                    assert row["mean ULP"] == fmt.ulp(float(s["mean_ulp"]))
                    assert row["max abs"] == fmt.sci(float(s["max_abs"]))
                    assert s["worst_input"] in row["worst input"]


def test_inf_max_ulp_is_shown_as_inf(two_runs):
    row = two_runs.row("Accuracy by region vs exact GELU — run_a",
                       "f32_erf_libm_erff__scalar (peer)", "all")
    assert row["max ULP"] == "inf"
    assert row["mean ULP"] == "inf"
    tail = two_runs.row("Accuracy by region vs exact GELU — run_a",
                        "f32_erf_libm_erff__scalar (peer)", "x > 3")
    assert tail["max ULP"] == "0.5"


def test_vs_formula_differs_from_vs_exact_for_tanh(two_runs):
    exact = two_runs.row("Accuracy by region vs exact GELU — run_a", "f32_tanh_poly_7__avx2",
                         "all")
    formula = two_runs.row("Accuracy by region vs the kernel's own formula — run_a",
                           "f32_tanh_poly_7__avx2", "all")
    assert exact["max ULP"] == "3100000"
    assert formula["max ULP"] == "2.75"


def test_budget_table(two_runs):
    h = "Declared vs measured budgets — run_a"
    erfc = two_runs.row(h, "f32_erf_erfc_tail__avx2")
    assert erfc["verdict"] == "FAIL"
    assert erfc["max ULP vs exact: declared"] == "0.9"
    assert erfc["measured#2"] == "0.98"
    tanh = two_runs.row(h, "f32_tanh_poly_7__avx2")
    assert tanh["verdict"] == "pass"
    assert tanh["max ULP vs formula: declared"] == "4" and tanh["measured"] == "2.75"
    assert tanh["max ULP vs exact: declared"] == "no claim"
    assert tanh["max abs vs exact: declared"] == "5.00e-04" and tanh["measured#3"] == "4.73e-04"
    peer = two_runs.row(h, "f32_erf_libm_erff__scalar (peer)")
    assert peer["max ULP vs exact: declared"] == "no claim" and peer["measured#2"] == "inf"
    assert peer["verdict"] == "no budget"  # peers claim nothing: neither pass nor fail
    # The summary counts own kernels only; the peer is named apart.
    assert "3 own kernels checked" in two_runs.md
    assert "2 passed" in two_runs.md and "1 failed" in two_runs.md and "1 peers measured" in two_runs.md


def test_specials_grid(two_runs):
    h = "Special values — run_a"
    assert two_runs.row(h, "f32_tanh_poly_7__avx2")["-inf"] == "FAIL: got nan"
    assert two_runs.row(h, "f32_tanh_poly_7__avx2")["nan"] == "pass"
    # A deviation the registry line declares is shown as such, not as a failure.
    assert two_runs.row(h, "f32_erf_rational_12_10__avx512")["-inf"] == "declared: nan"
    assert set(two_runs.row(h, "f32_erf_rational_12_10__avx512").values()) == {
        "f32_erf_rational_12_10__avx512", "pass", "declared: nan"}
    assert "differ only where their registry line declares it" in two_runs.md


def test_tolerance_profiles(two_runs):
    row = two_runs.row("Tolerance profiles — run_a", "f32_tanh_poly_7__avx2")
    assert row["torch_allclose_default (rtol 1e-05, atol 1e-08) vs exact"] == "FAIL (123,456)"
    assert row["pytorch_test_fp32 (rtol 1.3e-06, atol 1e-05) vs exact"] == "FAIL (98,765)"
    assert row["pytorch_test_fp32 (rtol 1.3e-06, atol 1e-05) vs formula"] == "pass (0)"


def test_histogram_table(two_runs):
    row = two_runs.row("ULP histograms — run_a", "f32_tanh_poly_7__avx2", "exact")
    assert row["CR"] == "204,000" and row[">1024"] == "520,000"


def test_throughput_uses_median_aggregates(two_runs):
    # run_a has 3 repetitions: iterations 0.7x/1x/1.01x the median, so the
    # mean (0.903x) or any single iteration would show a different figure.
    h = "uniform inputs: elements/s"
    headers, _ = two_runs.table("Throughput — run_a")
    assert "N=65536 (L2)" in headers
    cellv = two_runs.row("Throughput — run_a", "f32_erf_rational_12_10__avx512")["N=65536 (L2)"]
    assert cellv == "9 Gelem/s · 72 GB/s · 0.45× copy", h
    copy = two_runs.row("Throughput — run_a", "copy")["N=1024 (L1)"]
    assert copy == "30 Gelem/s · 240 GB/s"


def test_throughput_single_repetition_uses_iterations(two_runs):
    cellv = two_runs.row("Throughput — run_b", "f32_tanh_poly_7__avx2")["N=65536 (L2)"]
    assert cellv == "8.8 Gelem/s · 70.4 GB/s · 0.44× copy"


def test_skips_are_listed(two_runs):
    assert "needs avx512f; ISA capped at avx2" in two_runs.md
    assert "CPU lacks avx512\\_bf16" in two_runs.md


def test_context_table(two_runs):
    _, rows = two_runs.table("Context — run_b")
    ctx = {r[0]: r[1] for r in rows}
    assert ctx["ISA cap"] == "avx2"
    assert ctx["compiler"] == "GNU 12.2.0"
    assert ctx["flags"] == "-O2 -fno-fast-math"
    assert ctx["git commit"] == "0123abcd"
    assert ctx["library versions"] == "boost 1.81.0, xnnpack deadbeef"
    assert ctx["caches"] == "L1d 48 KiB, L2 1.25 MiB, L3 40 MiB"
    assert ctx["array placement"] == "inputs page-aligned, outputs at page offset 1024"
    assert ctx["accuracy sweep"].startswith("stride 4096; 1,048,576 inputs; 2 threads; 10.7 min")


# ----------------------------------------------------- summaries
def _bullet(md: str, run: str, title: str) -> str:
    section = md.split(f"### On {run}", 1)[1].split("\n#", 1)[0]
    line = next(x for x in section.splitlines() if x.startswith(f"- **{title}**"))
    return line


def test_which_gelu_picks_are_computed(two_runs):
    md = two_runs.md
    assert "`f32_erf_erfc_tail__avx2`" in _bullet(md, "run\\_a",
                                                  "Fastest within 1 ULP of exact GELU")
    line = _bullet(md, "run\\_a", "Fastest within 1.5e-06 absolute of exact GELU")
    assert "`f32_erf_rational_12_10__avx512` — 9 Gelem/s at L2" in line
    assert "3 of 4 kernels qualify" in line
    assert "`f32_tanh_poly_7__avx2`" in _bullet(md, "run\\_a", "Fastest tanh-form GELU")
    assert "special values wrong: -inf" in _bullet(md, "run\\_a", "Fastest overall")
    assert "`f32_erf_erfc_tail__avx2`" in _bullet(md, "run\\_a", "Closest to exact GELU")
    # Without the avx512 kernel (ISA cap avx2) the answer changes.
    assert "`f32_erf_erfc_tail__avx2` — 3.2 Gelem/s" in _bullet(
        md, "run\\_b", "Fastest within 1.5e-06 absolute of exact GELU")


def test_cross_run_table(two_runs):
    h = "Comparison across runs"
    row = two_runs.row(h, "f32_erf_rational_12_10__avx512")
    assert row["run_a: elem/s at L2"] == "9 Gelem/s"
    assert row["run_b: elem/s at L2"] == "—"
    assert row["run_b: max ULP vs exact"] == "—"
    peer = two_runs.row(h, "f32_erf_libm_erff__scalar (peer)")
    assert peer["run_a: max ULP vs exact"] == "inf"
    assert peer["run_b: elem/s at L2"] == "200 Melem/s"


def test_pareto_caption_names_the_front(two_runs):
    cap = re.search(r"Pareto front: ([^.]*)\.", two_runs.md.replace("\\_", "_")).group(1)
    assert cap.split(", ") == ["f32_tanh_poly_7__avx2", "f32_erf_rational_12_10__avx512",
                               "f32_erf_erfc_tail__avx2"]


# ------------------------------------------------ partial inputs
def test_throughput_only_run(throughput_only):
    pngs = sorted(f for f in os.listdir(throughput_only.out) if f.endswith(".png"))
    assert pngs == ["throughput-vs-size.png"]
    assert "No accuracy.json in this run" in throughput_only.md
    row = throughput_only.row("Throughput", "f32_tanh_poly_7__avx2")
    assert row["N=65536 (L2)"].startswith("8.8 Gelem/s")


# ----------------------------------------------------- against the peers
def test_against_fastest_peer_table(two_runs):
    # run_a: the one erf peer (libm erff, 2.6e8 elem/s at N=1024); the tanh
    # kernel has no tanh peer and is left out.
    headers, rows = two_runs.table("Against the fastest peer — run_a")
    assert headers[:2] == ["kernel", "N=1024 (L1)"]
    table = {r[0]: r for r in rows}
    assert set(table) == {"f32_erf_erfc_tail__avx2", "f32_erf_rational_12_10__avx512"}
    assert table["f32_erf_rational_12_10__avx512"][1] == "36.5× (f32_erf_libm_erff__scalar)"
    assert table["f32_erf_erfc_tail__avx2"][-1] == "7.5× (f32_erf_libm_erff__scalar)"


def test_peer_libraries_and_a_failed_peer(tmp_path):
    """A run whose context names its peer libraries (one unavailable) and
    whose peer failed a call: the context lists each library's version and
    code path, and the failure is a warning saying its figures are void."""
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    acc = json.loads((run / "accuracy.json").read_text())
    acc["context"]["peer_libraries"] = {
        "mkl": {"library": "Intel oneMKL", "version": "2026.2", "code_path": "VM library libmkl_vml_def.so.3"},
        "openvino": {"unavailable": "no shim at /x/libgelubench_peer_openvino.so"},
    }
    failing = next(k for k in acc["kernels"] if k["peer"])
    failing["failure"] = f"peer {failing['name']} (mkl) failed: fixture"
    (run / "accuracy.json").write_text(json.dumps(acc))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "mkl: Intel oneMKL 2026.2, VM library libmkl\\_vml\\_def.so.3" in md
    assert "openvino: unavailable (no shim at" in md
    assert "(mkl) failed: fixture: its accuracy figures are void" in md


def test_frameworks_row(tmp_path):
    """frameworks.json (scripts/sweep) names the frameworks whose adapters ran
    and those not installed."""
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    (run / "frameworks.json").write_text(json.dumps({
        "schema": "gelubench.frameworks/1",
        "installed": [{"kernel": "f32_erf_jax_gelu__ext", "framework": "jax", "version": "0.10.2",
                       "command": "python jax_gelu.py exact"}],
        "not_installed": [{"kernel": "f32_erf_onnxruntime_gelu__ext", "framework": "onnxruntime",
                           "reason": "ModuleNotFoundError: No module named 'onnxruntime'"}]}))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "jax 0.10.2; not installed: onnxruntime (scripts/setup --frameworks)" in md


def _report_with_added_benchmarks(tmp_path, derive) -> tuple[str, object]:
    """The report of fixture run_a with benchmarks added to its
    throughput.json: derive(copy, kernel) turns a copy of each uniform-input
    benchmark into an added one, or returns None to add nothing. Returns report.md and the output
    directory."""
    import copy
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    thr = json.loads((run / "throughput.json").read_text())
    added = []
    for b in thr["benchmarks"]:
        kernel, dist, _n = b["name"].split("/")[:3]
        if dist == "uniform":
            t = derive(copy.deepcopy(b), kernel)
            if t is not None:
                added.append(t)
    assert added
    thr["benchmarks"] += added
    (run / "throughput.json").write_text(json.dumps(thr))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    return (out / "report.md").read_text(encoding="utf-8"), out


def test_subnormal_cliff_table(tmp_path):
    """A run with tail inputs: each kernel's tail / uniform elements/s per
    size, below 0.5 marked as a cliff; no tail inputs, no table."""
    def tail(t, kernel):
        if kernel not in ("f32_erf_rational_12_10__avx512", "f32_erf_libm_erff__scalar"):
            return None
        scale = 0.25 if kernel == "f32_erf_libm_erff__scalar" else 1.0
        for key in ("name", "run_name"):
            t[key] = t[key].replace("/uniform/", "/tail/")
        t["gelubench"]["distribution"] = "tail"
        for key in ("items_per_second", "bytes_per_second"):
            if key in t:
                t[key] *= scale
        return t

    md, _ = _report_with_added_benchmarks(tmp_path, tail)
    section = md[md.index("Subnormal inputs"):]
    rows = {line.split("`")[1]: line for line in section.splitlines()
            if line.startswith("| `f32_")}
    assert set(rows) == {"f32_erf_rational_12_10__avx512", "f32_erf_libm_erff__scalar"}
    assert "| 1× |" in rows["f32_erf_rational_12_10__avx512"] and "cliff" not in rows["f32_erf_rational_12_10__avx512"]
    assert "0.25× (cliff)" in rows["f32_erf_libm_erff__scalar"]


def test_no_tail_inputs_no_cliff_table(two_runs):
    assert "Subnormal inputs" not in two_runs.md


def test_thread_scaling_section(tmp_path):
    """throughput --threads: /threads:T benchmarks go to their own section
    (a plot and elements/s with the efficiency against one thread), without
    colliding with the one-thread figures."""
    def two_threads(t, kernel):
        if kernel not in ("copy", "f32_erf_libm_erff__scalar", "f32_tanh_poly_7__avx2"):
            return None
        for key in ("name", "run_name"):
            if key in t:
                t[key] += "/threads:2"
        t["gelubench"]["threads"] = 2
        if kernel == "f32_tanh_poly_7__avx2":  # as if a library's own threads ran it
            t["library_threads"] = 2
        else:
            t["threads"] = 2
        for key in ("items_per_second", "bytes_per_second"):
            if key in t:
                t[key] *= 1.5  # 75% efficiency
        return t

    md, out = _report_with_added_benchmarks(tmp_path, two_threads)
    assert "more than one result" not in md
    section = md[re.search(r"^#+ Thread scaling", md, re.M).start():]
    row = next(line for line in section.splitlines() if "`f32_erf_libm_erff__scalar`" in line)
    assert "T=2:" in row and "(75%)" in row, row
    own = next((line for line in section.splitlines() if "`f32_tanh_poly_7__avx2`" in line), None)
    assert own and "(own threads)" in own and "T=2:" in own, own
    assert any(f.endswith("thread-scaling.png") for f in os.listdir(out))


def test_no_threads_no_scaling_section(two_runs):
    assert not re.search(r"^#+ Thread scaling", two_runs.md, re.M)


def test_narrow_formats_are_judged_in_their_own_terms(tmp_path):
    """An f16 kernel's picks: no question in fp32 absolute terms, and the
    tolerance question asked with its own profile (pytorch_test_fp16)."""
    import copy
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    acc = json.loads((run / "accuracy.json").read_text())
    k = copy.deepcopy(next(k for k in acc["kernels"] if not k["peer"]))
    k["name"], k["dtype"] = "f16_erf_table__scalar", "f16"
    for vs in k["vs"].values():
        vs["profiles"] = {"pytorch_test_fp16": {"rtol": 1e-3, "atol": 1e-5, "violations": 0, "pass": True}}
    acc["kernels"].append(k)
    acc["summary"]["kernels"] += 1
    acc["summary"]["passed"] += k["verdict"]["pass"]
    acc["summary"]["failed"] += not k["verdict"]["pass"]
    (run / "accuracy.json").write_text(json.dumps(acc))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    section = md.split("**f16 kernels**", 1)[1].split("**f32 kernels**", 1)[0]
    assert "absolute of exact GELU" not in section
    line = next(x for x in section.splitlines() if "PyTorch's test tolerance for its format" in x)
    assert "1 qualifies" in line  # by pytorch_test_fp16; it has no throughput figure
    f32 = md.split("**f32 kernels**", 1)[1].split("\n#", 1)[0]
    assert "absolute of exact GELU" in f32


def test_out_of_process_kernels_are_marked_and_kept_apart(tmp_path):
    """An external program's self-timed figures (counter out_of_process)
    and its own copy roof: marked in the tables, compared with that roof,
    and no part of the peer ratios or the picks."""
    import copy
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    thr = json.loads((run / "throughput.json").read_text())
    added = []
    for b in thr["benchmarks"]:
        kernel, dist = b["name"].split("/")[:2]
        if kernel not in ("f32_erf_libm_erff__scalar", "copy"):
            continue
        t = copy.deepcopy(b)
        name = "f32_erf_fw_gelu__ext" if kernel != "copy" else "copy@f32_erf_fw_gelu__ext"
        for key in ("name", "run_name"):
            t[key] = t[key].replace(kernel + "/", name + "/", 1)
        t["out_of_process"] = 1
        t["gelubench"].update(kernel="f32_erf_fw_gelu__ext", out_of_process=True)
        if kernel != "copy":
            t["gelubench"]["method"] = "fw"
        else:
            t["gelubench"]["formula"] = "erf"
        for key in ("items_per_second", "bytes_per_second"):
            if key in t:
                t[key] *= 1000.0 if kernel != "copy" else 0.5  # faster than every in-process kernel
        added.append(t)
    thr["benchmarks"] += added
    (run / "throughput.json").write_text(json.dumps(thr))
    acc = json.loads((run / "accuracy.json").read_text())
    k = copy.deepcopy(next(k for k in acc["kernels"] if k["name"] == "f32_erf_libm_erff__scalar"))
    k["name"] = "f32_erf_fw_gelu__ext"
    acc["kernels"].append(k)
    acc["summary"]["kernels"] += 1
    (run / "accuracy.json").write_text(json.dumps(acc))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "`f32_erf_fw_gelu__ext` (peer) (out of process)" in md
    assert "`copy@f32_erf_fw_gelu__ext` (out of process)" in md
    peers = md[md.index("Against the fastest peer"):]
    assert "fw_gelu" not in peers.split("\n#", 1)[0]
    overall = next(x for x in md.splitlines() if x.startswith("- **Fastest overall**"))
    # It qualifies (any kernel does) but, out of process, has no comparable speed.
    assert overall.startswith("- **Fastest overall**: `f32_tanh_poly_7__avx2`") and "5 of 5" in overall


# ------------------------------------------------------ the answer
def test_the_answer_comes_first_with_six_questions_and_a_library_beside_each(two_runs):
    md = two_runs.md
    # Before the ULP definition and the long recommendations, after the title.
    assert md.index("## The answer (f32)") < md.index("**ULP definition**") < md.index("## Which GELU to use")
    headers, rows = two_runs.table("The answer (f32)")
    assert headers == ["question", "pick", "core", "tail", "speed", "best library", "core", "tail", "speed"]
    assert [r[0] for r in rows] == ["Closest to exact GELU", "Fastest within 1 ULP", "Fastest within 4 ULP",
                                    "Fastest erf-class within 1.5e-06 absolute", "Fastest tanh form",
                                    "Fastest overall"]
    one_ulp = two_runs.row("The answer (f32)", "Fastest within 1 ULP")
    assert one_ulp["pick"] == "f32_erf_erfc_tail__avx2"
    # Its figures are the run's own: core and tail max ULP, L2 speed on normal inputs.
    core = _accuracy("run_a")["kernels"]
    k = next(k for k in core if k["name"] == "f32_erf_erfc_tail__avx2")["vs"]["formula"]["regions"]
    assert one_ulp["core"] == fmt.ulp(k["core"]["max_ulp"]) and one_ulp["tail"] == fmt.ulp(k["neg_tail"]["max_ulp"])
    # No library qualifies there: the fastest of its class stands beside, marked.
    assert one_ulp["best library"].endswith("(peer) — does not qualify")
    # The gain line compares the pick with that library.
    assert re.search(r"Switching from f32_erf_libm_erff__scalar .* to f32_erf_erfc_tail__avx2 .* its speed\.",
                     md.replace("`", ""))


def test_the_answer_table_is_the_html_anchor_and_the_contents_follow_it(two_runs):
    html = two_runs.html
    assert html.count('id="answer-f32"') == 1
    assert html.index('id="answer-f32"') < html.index("<nav>") < html.index('id="which-gelu-to-use"')


def test_region_bounds_come_from_the_file(tmp_path):
    """The core and tail bounds are accuracy.json's region_bounds, in every
    text that names them (nothing assumes −3 and 3)."""
    import shutil

    from reports.cli import main

    run = tmp_path / "run"
    shutil.copytree(fixture_dir("run_a"), run)
    acc = json.loads((run / "accuracy.json").read_text())
    acc["context"]["region_bounds"] = [-4.5, 2.0]
    (run / "accuracy.json").write_text(json.dumps(acc))
    out = tmp_path / "out"
    assert main([str(run), "-o", str(out)]) == 0
    md = (out / "report.md").read_text(encoding="utf-8").replace("\\<", "<")
    appendix = (out / "appendix.md").read_text(encoding="utf-8")
    assert "core −4.5 ≤ x ≤ 2, tail x < −4.5" in md
    assert "| x < −4.5 (exact) | −4.5 ≤ x ≤ 2 (exact) | x > 2 (exact) |" in md
    assert "core\\_max\\_ulp\\_vs\\_formula (−4.5 ≤ x ≤ 2)" in md
    assert "Dashed verticals at x = −4.5 and 2 bound" in appendix
    assert "−3" not in md and "x > 3" not in md
