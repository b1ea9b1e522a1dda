"""The figures' own logic: per-dtype Pareto fronts with tied errors,
throughput panels, and that each figure renders from odd data."""

import math

from reports import plots
from reports.model import BenchKind, Kernel, Point, Run
from reports.plots import GROUP_MAX, pareto_front_tied


def _profile(max_ulp: float) -> dict:
    n = 8
    return {"lo": -4.0, "hi": 4.0, "bin_width": 1.0, "count": [0, 2] * (n // 2),
            "max_ulp": [0.0, max_ulp] * (n // 2), "mean_ulp": [0.0, max_ulp / 2] * (n // 2)}


def _kernel(name: str, max_ulp: float, peer: bool = False) -> Kernel:
    dtype, formula = name.split("_")[:2]
    stats = {"max_ulp": max_ulp, "error_profile": _profile(max_ulp)}
    return Kernel({"name": name, "dtype": dtype, "formula": formula, "peer": peer,
                   "vs": {"exact": stats, "formula": stats}})


def _run(kernels: list[tuple[str, float, float]]) -> Run:
    """(name, max ULP, elements/s at L2) per kernel."""
    run = Run(directory="x", info={"caches": {"l1d": 1 << 15, "l2": 1 << 20, "l3": 1 << 25}},
              label="t")
    run.accuracy = {"context": {"region_bounds": (-3.0, 3.0)}}
    run.kernels = [_kernel(n, e) for n, e, _ in kernels]
    run.series = {n: {"uniform": [Point(1024, s * 1.1, s * 8.8, "L1"),
                                  Point(16384, s, s * 8, "L2")]} for n, _, s in kernels}
    run.series["copy"] = {"uniform": [Point(1024, 3e10, 2.4e11, "L1"),
                                      Point(16384, 2e10, 1.6e11, "L2")]}
    run.bench_kinds = {n: BenchKind(*n.split("_")[:3], copy_roof=False) for n, _, _ in kernels}
    run.bench_kinds["copy"] = BenchKind("f32", None, None, copy_roof=True)
    return run


def test_front_treats_near_equal_errors_as_ties():
    pts = [("fast", 3e9, 16776963.0), ("slow_same", 1e9, 16776949.0), ("slow_good", 5e8, 0.7)]
    assert pareto_front_tied(pts) == ["fast", "slow_good"]
    # A real improvement still counts, and inf/nan never make the front.
    pts += [("mid", 2e9, 16000000.0), ("bad", 9e9, math.inf)]
    assert pareto_front_tied(pts) == ["fast", "mid", "slow_good"]


def test_pareto_has_one_front_per_dtype():
    # The f16 table kernel's 0.5 f16-ULP must not push the f32 kernels off their front.
    run = _run([("f32_erf_poly_4__avx512", 16776963.0, 5e9),
                ("f32_erf_accurate__avx512", 0.708, 1.4e9),
                ("f32_sigmoid_exp_div__avx512", 1.96e36, 2.5e9),
                ("f16_erf_table__scalar", 0.5, 1.5e9),
                ("f16_erf_convert_accurate__avx512", 0.50006, 1.3e9)])
    png, front = plots.pareto(run, plots.Palette([run]))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert front == ["f32_erf_poly_4__avx512", "f32_erf_accurate__avx512",
                     "f16_erf_table__scalar"]


def test_palette_has_a_colour_per_method():
    names = [f"f32_erf_m{i:02d}__scalar" for i in range(16)]
    run = _run([(n, 1.0, 1e9) for n in names])
    pal = plots.Palette([run])
    assert len({pal.method(f"m{i:02d}") for i in range(16)}) == 16


def test_throughput_panels_name_every_kernel_once():
    names = ([f"f32_erf_poly_{i}__avx2" for i in range(13)] + ["f32_erf_lut_1__avx2"]
             + ["f16_erf_table__scalar", "bf16_erf_table__scalar"])
    run = _run([(n, 1.0, 1e9) for n in names])
    run.kernels[-1].raw["peer"] = True  # a peer gets a panel of its own
    groups = plots._throughput_groups(run)
    listed = [n for _, ns in groups for n in ns]
    assert sorted(listed) == sorted(names)
    assert all(len(ns) <= GROUP_MAX for _, ns in groups)
    for _, ns in groups:  # f32 never shares a panel with a narrower dtype, nor own with peers
        assert len({n.startswith("f32") for n in ns}) == 1
        assert len({run.is_peer(n) for n in ns}) == 1
    assert plots.throughput_vs_size(run, plots.Palette([run]))[:4] == b"\x89PNG"


def test_error_profiles_render_with_empty_and_zero_bins():
    run = _run([("bf16_erf_table__scalar", 0.5, 1e9), ("f32_tanh_exp_div__avx2", 0.0, 1e9)])
    assert len(plots.error_profiles(run)) == 1


def test_region_bounds_are_drawn_from_the_file():
    """The error-vs-x verticals and the Pareto legend follow accuracy.json's
    region_bounds."""
    run = _run([("f32_erf_poly_4__avx512", 3.0, 5e9), ("f32_erf_accurate__avx512", 0.7, 1.4e9)])
    profiles, (pareto_png, _) = plots.error_profiles(run), plots.pareto(run, plots.Palette([run]))
    run.accuracy["context"]["region_bounds"] = (-4.5, 2.0)
    assert plots.error_profiles(run) != profiles
    assert plots.pareto(run, plots.Palette([run]))[0] != pareto_png
