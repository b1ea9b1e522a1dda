"""The accuracy figures: error vs x per kernel, the error overview and the
ULP histograms."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from reports.figures.common import (
    BUCKET_LABELS,
    ERR_FLOOR,
    INF_COLOR,
    PANELS_PER_FIGURE,
    _chunks,
    _layout,
    _log_range,
    _png,
)
from reports.model import Run
from reports.schema import HISTOGRAM_BUCKETS


# ------------------------------------------------------ error vs x
def _profile_arrays(ep: dict):
    cnt = np.asarray(ep["count"], dtype=float)
    x = ep["lo"] + (np.arange(len(cnt)) + 0.5) * ep["bin_width"]
    mx = np.asarray(ep["max_ulp"], dtype=float)
    mn = np.asarray(ep["mean_ulp"], dtype=float)
    mx[cnt == 0] = np.nan  # empty bins: nothing to draw
    mn[cnt == 0] = np.nan
    return x, cnt, mx, mn


def _panel_grid(panels: int, *, panel_height: float):
    """The per-kernel small multiples: up to three panels a row, 4.4 wide;
    the cells past the last panel hidden. (figure, axes grid, rows, columns)."""
    ncols = min(3, panels)
    nrows = math.ceil(panels / ncols)
    fig = Figure(figsize=(4.4 * ncols, panel_height * nrows + 0.5))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    return fig, axes, nrows, ncols


def error_profiles(run: Run) -> list[bytes]:
    """Small multiples, one panel per kernel: max and mean ULP per x bin,
    floored at ERR_FLOOR ULP; max is drawn over the (shaded) mean."""
    pngs = []
    for chunk in _chunks(run.kernels, PANELS_PER_FIGURE):
        fig, axes, nrows, ncols = _panel_grid(len(chunk), panel_height=2.7)
        for ax, k in zip(axes.flat, chunk):
            x, cnt, mx, mn = _profile_arrays(k.exact["error_profile"])
            series = [mx, mn]
            form = None
            if k.formula != "erf":  # erf kernels: formula == exact, nothing new
                form = _profile_arrays(k.vs_formula["error_profile"])
                series.append(form[2])
            floor = ERR_FLOOR  # below it max and mean would only blur into each other
            top = _log_range(np.concatenate(series), default=(floor, 10.0))[1]
            top = max(top, floor * 100)
            ax.set_yscale("log")
            # Only measured, finite bins, joined across the empty ones: a bf16
            # spacing wider than a bin leaves every other bin empty.
            ok = np.isfinite(mn)
            ax.fill_between(x[ok], floor, np.clip(mn[ok], floor, None), lw=0, color="C2",
                            alpha=0.3, zorder=1)
            ax.plot(x[ok], np.clip(mn[ok], floor, None), lw=0.8, color="C2", zorder=2,
                    label="mean vs exact")
            if form is not None:
                fx, fmx = form[0], form[2]
                ok = np.isfinite(fmx)
                ax.plot(fx[ok], np.clip(fmx[ok], floor, None), lw=0.9, ls=":", color="C1",
                        zorder=3, label=f"max vs {k.formula} formula")
            ok = np.isfinite(mx)
            ax.plot(x[ok], np.clip(mx[ok], floor, None), lw=1.1, color="C0", zorder=4,
                    label="max vs exact")
            bad = (cnt > 0) & ~np.isfinite(np.asarray(k.exact["error_profile"]["max_ulp"],
                                                      dtype=float))
            if bad.any():
                ax.scatter(x[bad], np.full(bad.sum(), top), marker="^", s=14,
                           color=INF_COLOR, zorder=5, label="inf/nan")
            for b in run.region_bounds:  # region boundaries of the tables
                ax.axvline(b, color="0.6", lw=0.6, ls="--")
            ax.set_ylim(floor, top * 2)
            ax.axhline(floor, color="0.5", lw=0.6)  # values below are drawn on it
            ax.set_xlim(k.exact["error_profile"]["lo"], k.exact["error_profile"]["hi"])
            ax.set_title(k.name + (" (peer)" if k.peer else ""), fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(True, alpha=0.25)
            handles, labels = ax.get_legend_handles_labels()
            order = sorted(range(len(labels)), key=lambda i: labels[i] != "max vs exact")
            ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize=6,
                      loc="upper right")
        for ax in axes[-1]:
            ax.set_xlabel("x", fontsize=8)
        for ax in axes[:, 0]:
            ax.set_ylabel(f"ULP (floor {ERR_FLOOR:g})", fontsize=8)
        fig.suptitle(f"Error vs x — {run.label}", fontsize=10)
        _layout(fig, nrows, ncols, left=0.7, right=0.2, top=0.6, bottom=0.5, wgap=0.6,
                hgap=0.55)
        pngs.append(_png(fig))
    return pngs


def error_overview(run: Run, kernels: list) -> bytes | None:
    """One panel: max ULP vs exact per x bin of the given kernels on a
    shared log scale (own kernels solid, libraries dashed)."""
    shown = [k for k in kernels if k.exact.get("error_profile")]
    if not shown:
        return None
    fig = Figure(figsize=(11, 4.2))
    ax = fig.subplots()
    ax.set_yscale("log")
    floor, top = ERR_FLOOR, ERR_FLOOR * 100
    for i, k in enumerate(shown):
        x, _cnt, mx, _mn = _profile_arrays(k.exact["error_profile"])
        ok = np.isfinite(mx)
        if ok.any():
            top = max(top, float(np.max(mx[ok])))
        ax.plot(x[ok], np.clip(mx[ok], floor, None), lw=1.2, ls="--" if k.peer else "-",
                color=f"C{i % 10}", label=k.name + (" (peer)" if k.peer else ""))
    for b in (-3, 3):
        ax.axvline(b, color="0.6", lw=0.6, ls=":")
    ep = shown[0].exact["error_profile"]
    ax.set_xlim(ep["lo"], ep["hi"])
    ax.set_ylim(floor, top * 2)
    ax.set_xlabel("x")
    ax.set_ylabel(f"max ULP vs exact (floor {ERR_FLOOR:g})")
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(f"Error vs x of the picks and the best libraries — {run.label}", fontsize=10)
    _layout(fig, 1, 1, left=0.8, right=4.0, top=0.45, bottom=0.55, wgap=0.0, hgap=0.0)
    return _png(fig)


# ------------------------------------------------------- histograms
def histograms(run: Run) -> list[bytes]:
    """Per kernel: share of inputs in each error bucket, vs exact and vs formula."""
    pngs = []
    idx = np.arange(len(HISTOGRAM_BUCKETS))
    for chunk in _chunks(run.kernels, PANELS_PER_FIGURE):
        fig, axes, nrows, ncols = _panel_grid(len(chunk), panel_height=2.6)
        for ax, k in zip(axes.flat, chunk):
            fr = []
            for st in (k.exact, k.vs_formula):
                total = max(st["count"], 1)
                fr.append(np.array([st["histogram"][b] / total for b in HISTOGRAM_BUCKETS]))
            pos = np.concatenate(fr)
            pos = pos[pos > 0]
            floor = pos.min() / 3 if pos.size else 1e-9
            ax.set_yscale("log")
            ax.bar(idx - 0.2, np.where(fr[0] > 0, fr[0], np.nan), 0.4, color="C0",
                   label="vs exact")
            ax.bar(idx + 0.2, np.where(fr[1] > 0, fr[1], np.nan), 0.4, color="C1", alpha=0.7,
                   label=f"vs {k.formula} formula")
            ax.set_ylim(floor, 2.0)
            ax.set_xticks(idx, BUCKET_LABELS, fontsize=7)
            ax.tick_params(axis="y", labelsize=7)
            ax.set_title(k.name + (" (peer)" if k.peer else ""), fontsize=8)
            ax.grid(True, axis="y", alpha=0.25)
            ax.legend(fontsize=6, loc="upper right")
        for ax in axes[:, 0]:
            ax.set_ylabel("share of inputs", fontsize=8)
        fig.suptitle(f"ULP error histograms — {run.label} (CR = correctly rounded; "
                     "buckets are exclusive)", fontsize=10)
        _layout(fig, nrows, ncols, left=0.7, right=0.2, top=0.6, bottom=0.35, wgap=0.6,
                hgap=0.55)
        pngs.append(_png(fig))
    return pngs
