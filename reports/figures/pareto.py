"""Accuracy vs speed: the per-dtype Pareto panels."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from reports import fmt
from reports.figures.common import (
    DPI,
    FRONT_RTOL,
    INF_COLOR,
    ULP_CLIP,
    Palette,
    _annotate,
    _axes_at,
    _dtype_key,
    _log_range,
    _png,
    _rate_axis,
)
from reports.model import Run


def pareto_front_tied(points: list[tuple[str, float, float]],
                      rtol: float = FRONT_RTOL) -> list[str]:
    """Names on the speed/error front, fastest first: no faster point is
    meaningfully more accurate. Errors within `rtol` of each other tie (the
    faster wins), so 16,776,949 vs 16,776,963 ULP, the same flush to zero,
    decide nothing. Infinite or NaN errors are never on the front."""
    pts = sorted((p for p in points if math.isfinite(p[2])), key=lambda p: (-p[1], p[2]))
    front, best = [], math.inf
    for name, _speed, err in pts:
        if err < best * (1 - rtol):
            front.append(name)
            best = err
    return front


FRONT_COLOR, PEER_COLOR, OTHER_COLOR = "C0", "C3", "0.72"


def _region_max(k, region: str) -> float | None:
    r = k.exact.get("regions", {}).get(region)
    return r["max_ulp"] if r and r["count"] else None


def _pareto_panel(ax, dtype: str, pts: list, palette: Palette, xlim: tuple[float, float]) -> dict:
    """One dtype's kernels: max ULP in the core (region_bounds lo..hi, filled)
    and in the negative tail (x < lo, a triangle on the same vertical), against speed.
    The front (on the overall max ULP) and the libraries' own front are
    coloured and named; every other kernel is grey."""
    front = pareto_front_tied([(k.name, s, e) for k, s, e in pts])
    peer_front = pareto_front_tied([(k.name, s, e) for k, s, e in pts if k.peer])
    ys = [v for k, _, _ in pts for v in (_region_max(k, "core"), _region_max(k, "neg_tail"))
          if v is not None and math.isfinite(v) and v <= ULP_CLIP]
    floor, top = _log_range(ys)
    off_y = top * 3                      # off scale (> ULP_CLIP), and inf/nan above it
    inf_y = off_y * 6
    ax.set_xscale("log")
    ax.set_yscale("log")

    def y_of(v: float) -> float:
        return inf_y if not math.isfinite(v) else off_y if v > ULP_CLIP else max(v, floor)

    placed, any_off, any_inf = [], False, False
    # Grey first, so the coloured ones are drawn over them.
    order = sorted(pts, key=lambda p: (p[0].name in front or p[0].name in peer_front, p[1]))
    for k, s, _e in order:
        named = k.name in front or (k.peer and k.name in peer_front)
        color = (PEER_COLOR if k.peer else FRONT_COLOR) if named else OTHER_COLOR
        core, tail = _region_max(k, "core"), _region_max(k, "neg_tail")
        z = 3 if named else 2
        yc = y_of(core) if core is not None else None
        yt = y_of(tail) if tail is not None else None
        if yc is not None and yt is not None:
            ax.plot([s, s], [yc, yt], color=color, lw=0.8, alpha=0.6, zorder=z)
        if yc is not None:
            ax.scatter([s], [yc], marker="o", s=48 if named else 26, linewidths=1.4, zorder=z,
                       facecolors="none" if k.peer else [color], edgecolors=[color])
        if yt is not None:
            ax.scatter([s], [yt], marker="v", s=40 if named else 20, linewidths=1.2, zorder=z,
                       facecolors="none" if k.peer else [color], edgecolors=[color])
        for v in (core, tail):
            if v is not None:
                any_inf |= not math.isfinite(v)
                any_off |= math.isfinite(v) and v > ULP_CLIP
        if yc is not None or yt is not None:
            placed.append((k, s, yc if yc is not None else yt, named))
    if any_off:
        ax.axhline(off_y, color="0.5", ls=":", lw=1)
        ax.text(0.995, off_y * 1.15, f"> {ULP_CLIP:.0e} ULP", fontsize=7, color="0.35",
                ha="right", va="bottom", transform=ax.get_yaxis_transform())
    if any_inf:
        ax.axhline(inf_y, color=INF_COLOR, ls=":", lw=1)
    ax.set_xlim(*xlim)
    _rate_axis(ax.xaxis, *xlim)
    ax.set_ylim(floor / 2, inf_y * 8 if any_inf else off_y * 8)
    ax.set_ylabel(f"max ULP of {dtype} vs exact GELU\n(lower is better)", fontsize=8)
    ax.set_title(f"{dtype} kernels ({dtype} ULP)", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, which="major", alpha=0.3)
    _annotate(ax, [(k.name, x, y) for k, x, y, named in placed if named], fontsize=7,
              obstacles=[(x, y) for k, x, y, named in placed if not named])
    return {"front": front, "off": [], "front_line": False, "nonfinite": any_inf}


def pareto(run: Run, palette: Palette) -> tuple[bytes, list[str]] | None:
    """Max ULP vs exact against elements/s at the L2 size, one panel and one
    front per dtype (an f16 ULP is not an f32 ULP); returns the PNG and the
    names on the fronts (per dtype, fastest first)."""
    pts = []
    for k in run.kernels:
        s = run.l2_speed(k.name)
        if s is not None and s > 0:
            pts.append((k, s, k.exact["max_ulp"]))
    if not pts:
        return None
    by_dtype: dict[str, list] = {}
    for p in pts:
        by_dtype.setdefault(p[0].dtype, []).append(p)
    dtypes = sorted(by_dtype, key=_dtype_key)
    xs = [s for _, s, _ in pts]
    xlim = (min(xs) / 2, max(xs) * 4)
    # The first dtype (f32 when present) across the top, the others in a row below.
    left, right, top_m, bottom, legend_w = 1.0, 0.3, 0.75, 0.65, 2.3
    main_h, rest_h, hgap, wgap = 5.2, 3.3, 1.05, 1.0
    rest = dtypes[1:]
    width = 11.5
    height = top_m + main_h + bottom + ((rest_h + hgap) if rest else 0)
    fig = Figure(figsize=(width, height), dpi=DPI)
    main_w = width - left - right - legend_w
    ax_main = _axes_at(fig, left, height - top_m - main_h, main_w, main_h)
    axes = [(dtypes[0], ax_main)]
    if rest:
        w = (width - left - right - wgap * (len(rest) - 1)) / len(rest)
        axes += [(d, _axes_at(fig, left + i * (w + wgap), bottom, w, rest_h))
                 for i, d in enumerate(rest)]
    front, info = [], []
    for dtype, ax in axes:
        res = _pareto_panel(ax, dtype, by_dtype[dtype], palette, xlim)
        front += res["front"]
        info.append(res)
    for _, ax in axes[1:] if rest else axes:
        ax.set_xlabel("elements/s at the L2-resident size (uniform inputs; higher is faster)",
                      fontsize=8)
    if rest:
        ax_main.set_xlabel("elements/s at the L2-resident size", fontsize=8)
    fig.suptitle(f"Accuracy vs speed — {run.label}", fontsize=11)
    lo, hi = run.region_bounds
    handles = [
        Line2D([], [], ls="none", marker="o", color="0.3",
               label=f"core ({fmt.bound(lo)}..{fmt.bound(hi)}) max ULP"),
        Line2D([], [], ls="none", marker="v", color="0.3", label=f"tail (x < {fmt.bound(lo)}) max ULP"),
        Line2D([], [], ls="none", marker="o", color=FRONT_COLOR, label="front (named)"),
        Line2D([], [], ls="none", marker="o", color=PEER_COLOR, markerfacecolor="none",
               label="library front (named)"),
        Line2D([], [], ls="none", marker="o", color=OTHER_COLOR, label="other kernels (grey)"),
    ]
    if any(i["nonfinite"] for i in info):
        handles.append(Line2D([], [], ls=":", marker="^", color=INF_COLOR, label="max ULP inf/nan"))
    ax_main.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return _png(fig), front
