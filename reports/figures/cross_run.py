"""The comparison across runs (other CPUs, other --isa caps)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from reports.figures.common import (
    INF_COLOR,
    Palette,
    _finite_positive,
    _layout,
    _log_range,
    _png,
    _rate_axis,
)
from reports.model import Run


# ------------------------------------------------------- cross-run
def cross_run(runs: list[Run], palette: Palette) -> bytes | None:
    names = sorted({n for r in runs for k in r.kernels for n in k.names}
                   | {k for r in runs for k in r.throughput_kernels()})
    if not names:
        return None
    width = 0.8 / len(runs)
    idx = np.arange(len(names))
    longest = max(len(n) for n in names)
    label_h = 0.3 + 0.05 * longest * 0.6  # rotated kernel names under the axis
    fig = Figure(figsize=(max(8.0, 0.35 * len(names) * len(runs) + 3), 7.0 + label_h))
    ax_s, ax_e = fig.subplots(2, 1, sharex=True)
    speeds, errs = [], []
    for r in runs:
        speeds += [r.l2_speed(n) for n in names]
        errs += [r.kernel(n).exact["max_ulp"] for n in names if r.kernel(n)]
    e_floor, e_top = _log_range(errs)
    for j, r in enumerate(runs):
        off = (j - (len(runs) - 1) / 2) * width
        color = palette.run(r.label)
        sp = np.array([r.l2_speed(n) or np.nan for n in names])
        ax_s.bar(idx + off, sp, width, color=color, label=r.label)
        ev, inf_x = [], []
        for i, n in enumerate(names):
            k = r.kernel(n)
            if k is None:
                ev.append(np.nan)
            elif math.isfinite(k.exact["max_ulp"]):
                ev.append(max(k.exact["max_ulp"], e_floor * 1.01))
            else:
                ev.append(e_top)
                inf_x.append(i + off)
        bars = ax_e.bar(idx + off, ev, width, color=color, label=r.label)
        for i, n in enumerate(names):
            k = r.kernel(n)
            if k is not None and not math.isfinite(k.exact["max_ulp"]):
                bars[i].set_hatch("//")
        for x in inf_x:
            ax_e.text(x, e_top, "inf", ha="center", va="bottom", fontsize=7, color=INF_COLOR)
    ax_s.set_yscale("log")
    ax_e.set_yscale("log")
    finite_speeds = _finite_positive(speeds)
    if finite_speeds:
        _rate_axis(ax_s.yaxis, min(finite_speeds), max(finite_speeds))
    ax_e.set_ylim(e_floor, e_top * 3)
    ax_s.set_ylabel("elements/s at L2 size (uniform)")
    ax_e.set_ylabel("max ULP vs exact GELU")
    ax_s.set_title("Across runs: speed at the L2-resident size", fontsize=10)
    ax_e.set_title("Across runs: max ULP vs exact (missing bar: kernel not run)", fontsize=10)
    for ax in (ax_s, ax_e):
        ax.grid(True, axis="y", alpha=0.3)
    ax_s.legend(fontsize=8)
    ax_e.set_xticks(idx, names, rotation=35, ha="right", fontsize=7)
    _layout(fig, 2, 1, left=0.9, right=0.3, top=0.4, bottom=label_h, hgap=0.5)
    return _png(fig)
