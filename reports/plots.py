"""The report's figures, rendered headless (Agg) to PNG bytes.

No pyplot: each figure is a matplotlib.figure.Figure with its own Agg
canvas, so nothing global is touched and nothing needs a display.
"""

from __future__ import annotations

import io
import math
import statistics

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import (FixedLocator, FuncFormatter, LogLocator,  # noqa: E402
                               NullFormatter, NullLocator)

from reports import fmt  # noqa: E402
from reports.model import COPY_KERNEL, Run  # noqa: E402
from reports.schema import HISTOGRAM_BUCKETS  # noqa: E402

DPI = 100
PANELS_PER_FIGURE = 12
FORMULA_MARKERS = {"erf": "o", "tanh": "s", "sigmoid": "D"}
BUCKET_LABELS = ["CR", "≤1", "≤2", "≤4", "≤16", "≤1024", ">1024"]
INF_COLOR = "#c0392b"
DTYPE_ORDER = ("f32", "f16", "bf16")  # ULP means something different in each
ULP_CLIP = 1e9        # max ULP above this is drawn at the top of the plot, marked ↑
ERR_FLOOR = 1e-3      # error-vs-x: ULP below this are drawn at this floor
FRONT_RTOL = 1e-3     # errors within this relative distance tie on the Pareto front
GROUP_MAX = 10        # throughput: at most this many kernels (tab10 colours) per panel
# tab10, then colours far enough from it and from each other when there are
# more than 10 methods (all dark enough to read as a hollow marker).
DISTINCT = list(matplotlib.colormaps["tab10"].colors) + [
    "#000000", "#000080", "#ff00ff", "#7cfc00", "#008080", "#800000", "#f0c000", "#b0b0b0"]


class Palette:
    """Stable colours across every figure and run of one report."""

    def __init__(self, runs: list[Run]):
        methods = {k.method for r in runs for k in r.kernels}
        tab10 = matplotlib.colormaps["tab10"].colors
        # Colour = method in the Pareto plot: one colour per method, never repeated
        # while the distinct list lasts.
        cmap = tab10 if len(methods) <= 10 else DISTINCT
        self._method = {m: cmap[i % len(cmap)] for i, m in enumerate(sorted(methods))}
        self._run = {r.label: tab10[i % 10] for i, r in enumerate(runs)}

    def method(self, m: str):
        return self._method.get(m, "0.4")

    def run(self, label: str):
        return self._run.get(label, "0.4")


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # No "Software" stamp: the same inputs give byte-identical PNGs.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _layout(fig: Figure, nrows: int, ncols: int, *, left: float, right: float, top: float,
            bottom: float, wgap: float = 0.0, hgap: float = 0.0) -> None:
    """Fixed margins and gaps in inches. tight_layout would measure every
    tick label first and costs about 40% of the rendering time."""
    w, h = fig.get_size_inches()
    axw = (w - left - right - wgap * (ncols - 1)) / ncols
    axh = (h - top - bottom - hgap * (nrows - 1)) / nrows
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h,
                        wspace=wgap / axw, hspace=hgap / axh)


def _rate_axis(axis, lo: float, hi: float) -> None:
    """Log axis of elements/s labelled 2 G, 5 G, 10 G rather than 2×10⁹."""
    decades = math.log10(hi / lo)
    subs = (1.0, 2.0, 5.0) if decades <= 3 else (1.0,)
    axis.set_major_locator(LogLocator(base=10, subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.si(v, "")))
    axis.set_minor_formatter(NullFormatter())


def _finite_positive(values) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v) and v > 0]


def _log_range(values, default=(0.1, 10.0)) -> tuple[float, float]:
    """(floor, top) for a log axis; non-finite values are drawn at `top`."""
    pos = _finite_positive(values)
    if not pos:
        return default
    lo, hi = min(pos), max(pos)
    return lo / 3, hi * 8 if hi > lo else hi * 30


def _chunks(items: list, n: int) -> list[list]:
    return [items[i:i + n] for i in range(0, len(items), n)] if items else []


# ------------------------------------------------------------ Pareto
_LABEL_OFFSETS = [(7, 3), (7, -11), (None, 3), (None, -11), (7, 13), (7, -21), (None, 13),
                  (None, -21), (7, 23), (7, -31), (None, 23), (None, -31)]


def _annotate(ax, labels: list[tuple[str, float, float]], fontsize: float,
              obstacles: list[tuple[float, float]] = ()) -> None:
    """Name each point, choosing for each label the first nearby spot (right
    or left, stepping up and down) that overlaps no earlier label or marker
    (the labelled points and `obstacles`, both in data coordinates).
    Text extents are estimated from the character count, which is close
    enough for DejaVu Sans at this size and avoids a costly draw."""
    px = ax.figure.dpi / 72.0
    char_w, text_h = 0.6 * fontsize * px, 1.2 * fontsize * px
    axes_box = ax.get_window_extent()
    pts = [ax.transData.transform((x, y)) for _, x, y in labels]
    taken = [(px_ - 6 * px, py - 6 * px, px_ + 6 * px, py + 6 * px)
             for px_, py in pts + [ax.transData.transform(o) for o in obstacles]]

    def overlap(a, b) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    for (name, x, y), (dx0, dy0) in zip(labels, pts):
        w = len(name) * char_w
        best, best_cost = None, math.inf
        for ox, oy in _LABEL_OFFSETS:
            ox_px = (-7 * px - w) if ox is None else ox * px
            box = (dx0 + ox_px, dy0 + oy * px, dx0 + ox_px + w, dy0 + oy * px + text_h)
            cost = sum(overlap(box, t) for t in taken)
            if (box[0] < axes_box.x0 or box[2] > axes_box.x1
                    or box[1] < axes_box.y0 or box[3] > axes_box.y1):
                cost += 1e6  # keep labels inside the plot
            if cost < best_cost:
                best, best_cost = (ox_px / px, oy, box), cost
            if cost == 0:
                break
        ox_pt, oy_pt, box = best
        taken.append(box)
        ax.annotate(name, (x, y), xytext=(ox_pt, oy_pt), textcoords="offset points",
                    fontsize=fontsize, color="0.15", va="bottom")


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


def _dtype_key(dtype: str) -> tuple[int, str]:
    return (DTYPE_ORDER.index(dtype) if dtype in DTYPE_ORDER else len(DTYPE_ORDER), dtype)


def _axes_at(fig: Figure, x: float, y: float, w: float, h: float):
    """Axes placed in inches from the figure's bottom-left corner."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, y / fh, w / fw, h / fh))


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


# ------------------------------------------------------ error vs x
def _profile_arrays(ep: dict):
    cnt = np.asarray(ep["count"], dtype=float)
    x = ep["lo"] + (np.arange(len(cnt)) + 0.5) * ep["bin_width"]
    mx = np.asarray(ep["max_ulp"], dtype=float)
    mn = np.asarray(ep["mean_ulp"], dtype=float)
    mx[cnt == 0] = np.nan  # empty bins: nothing to draw
    mn[cnt == 0] = np.nan
    return x, cnt, mx, mn


def error_profiles(run: Run) -> list[bytes]:
    """Small multiples, one panel per kernel: max and mean ULP per x bin,
    floored at ERR_FLOOR ULP; max is drawn over the (shaded) mean."""
    pngs = []
    for chunk in _chunks(run.kernels, PANELS_PER_FIGURE):
        ncols = min(3, len(chunk))
        nrows = math.ceil(len(chunk) / ncols)
        fig = Figure(figsize=(4.4 * ncols, 2.7 * nrows + 0.5))
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax in axes.flat[len(chunk):]:
            ax.set_visible(False)
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


def throughput_overview(run: Run, kernels: list[str], dist: str) -> bytes | None:
    """Elements/s over the copy roof's at each size level, one line per
    kernel (own solid, libraries dashed), on `dist` inputs."""
    levels = ["L1", "L2", "L3", "DRAM"]
    lines = []
    for name in kernels:
        pts = {}
        for p in run.series.get(name, {}).get(dist, []):
            c = run.copy_point(p.n, dist)
            lvl = run.level(p)
            if c and c.items_per_second and lvl in levels:
                pts[levels.index(lvl)] = p.items_per_second / c.items_per_second
        if pts:
            lines.append((name, sorted(pts.items())))
    if not lines:
        return None
    fig = Figure(figsize=(11, 4.2))
    ax = fig.subplots()
    ax.set_yscale("log")
    for i, (name, pts) in enumerate(lines):
        xs, ys = zip(*pts)
        peer = run.is_peer(name)
        ax.plot(xs, ys, marker="o", ms=4, lw=1.2, ls="--" if peer else "-", color=f"C{i % 10}",
                label=name + (" (peer)" if peer else ""))
    ax.axhline(1.0, color="k", lw=0.8, ls=":")
    ax.set_xticks(range(len(levels)), levels)
    ax.set_xlabel("array size (in + out filling half of this level)")
    ax.set_ylabel("elements/s ÷ copy's (log)")
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(f"Throughput against the memory roof, {dist} inputs, one thread — {run.label}", fontsize=10)
    _layout(fig, 1, 1, left=0.8, right=4.0, top=0.45, bottom=0.6, wgap=0.0, hgap=0.0)
    return _png(fig)


# --------------------------------------------------- throughput vs N
def _throughput_groups(run: Run) -> list[tuple[str, list[str]]]:
    """Kernels in panels of at most GROUP_MAX, so each line has its own tab10
    colour: own kernels before peers, by dtype then method; neighbouring
    methods share a panel while they fit (f32 with f32 only, the narrow
    dtypes with each other). Returns (title, names) per panel."""
    keyed: dict[tuple, list[str]] = {}
    slower = run.slower_versions()
    for name in (n for n in run.throughput_kernels() if n not in slower):
        kind = run.bench_kind(name)
        # A program's own copy roof is drawn apart from the kernels' methods.
        dtype, method = ((kind.dtype, kind.method or "other") if kind and not kind.copy_roof
                         else ("other", "other"))
        keyed.setdefault((run.is_peer(name), _dtype_key(dtype), dtype, method), []).append(name)
    groups: list[tuple[bool, dict[str, list[str]], list[str]]] = []
    for (peer, _, dtype, method), names in sorted(keyed.items()):
        for chunk in _chunks(names, GROUP_MAX):
            last = groups[-1] if groups else None
            if (last and last[0] == peer and len(last[2]) + len(chunk) <= GROUP_MAX
                    and (dtype in last[1] or "f32" not in (dtype, *last[1]))):
                methods = groups[-1][1].setdefault(dtype, [])
                if method not in methods:
                    methods.append(method)
                groups[-1][2].extend(chunk)
            else:
                groups.append((peer, {dtype: [method]}, list(chunk)))
    return [("; ".join(f"{d}: {', '.join(ms)}" for d, ms in by_dtype.items())
             + (" — peers" if peer else ""), names) for peer, by_dtype, names in groups]


def throughput_vs_size(run: Run, palette: Palette) -> bytes | None:
    """Elements/s against N: one row of panels per group of kernels (each
    named in the row's legend), one column per input distribution; the
    other kernels are drawn faintly behind for context."""
    dists = run.dists()
    if not dists:
        return None
    groups = _throughput_groups(run) or [("copy only", [])]
    slower = run.slower_versions()  # one line per group of ISA versions: its fastest
    all_pts = [p for per in run.series.values() for pts in per.values() for p in pts]
    sizes = sorted({p.n for p in all_pts})
    # Only the sizes measured, plus the top of each cache level a size was measured in.
    copy_all = run.series.get(COPY_KERNEL, {})
    bpe = [p.bytes_per_second / p.items_per_second for pts in copy_all.values() for p in pts
           if p.bytes_per_second and p.items_per_second]
    per = statistics.median(bpe) if bpe else None
    levels = {run.level(p) for p in all_pts}
    bounds = []
    if per:  # where each cache fills, in elements of the copy kernel
        bounds = [(level, run.info["caches"][key] / per)
                  for level, key in (("L1", "l1d"), ("L2", "l2"), ("L3", "l3"))
                  if level in levels]
    x_lo = sizes[0] / 2
    x_hi = max([sizes[-1] * 2] + [n * 1.4 for _, n in bounds])
    ys = [p.items_per_second for p in all_pts if p.items_per_second > 0]
    y_lo, y_hi = (min(ys) / 1.6, max(ys) * 1.6) if ys else (1.0, 10.0)

    nrows, ncols = len(groups), len(dists)
    panel_w, panel_h, legend_w = 4.6, 2.1, 3.0
    left, right, top, bottom, wgap, hgap = 0.85, legend_w, 0.75, 0.75, 0.3, 0.5
    fig = Figure(figsize=(left + right + ncols * panel_w + (ncols - 1) * wgap,
                          top + bottom + nrows * panel_h + (nrows - 1) * hgap))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    tab10 = matplotlib.colormaps["tab10"].colors
    for (title, names), row in zip(groups, axes):
        for ax, dist in zip(row, dists):
            for other in run.throughput_kernels():  # context, behind
                pts = run.series[other].get(dist, [])
                if other not in names and other not in slower and pts:
                    ax.plot([p.n for p in pts], [p.items_per_second for p in pts], lw=0.6,
                            color="0.85", zorder=1)
            for i, name in enumerate(names):
                pts = run.series[name].get(dist, [])
                if not pts:
                    continue
                peer = run.is_peer(name)
                color = tab10[i % 10]
                ax.plot([p.n for p in pts], [p.items_per_second for p in pts], marker="o",
                        ms=4, lw=1.3, ls="-." if peer else "-", color=color,
                        markerfacecolor="white" if peer else color, zorder=3,
                        label=name + (" (peer)" if peer else ""))
            copy = copy_all.get(dist) or next(iter(copy_all.values()), [])
            if copy:
                ax.plot([p.n for p in copy], [p.items_per_second for p in copy], "k--", lw=2,
                        zorder=2, label="copy (memory roof)")
            for level, n in bounds:
                ax.axvline(n, color="0.6", lw=0.8, ls=":")
                ax.text(n, 1.0, f" {level}", transform=ax.get_xaxis_transform(),
                        fontsize=7, color="0.4", va="top")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_title(f"{title} — {dist} inputs", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(True, which="major", alpha=0.3)
        row[-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                       borderaxespad=0)
    ax0 = axes[0][0]
    ax0.set_xlim(x_lo, x_hi)
    ax0.set_ylim(y_lo, y_hi)
    _rate_axis(ax0.yaxis, y_lo, y_hi)
    labels = {p.n: run.level(p) for p in all_pts}
    ax0.xaxis.set_major_locator(FixedLocator(sizes))
    ax0.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _pos: f"{int(round(v)):,}" + (f"\n({labels[round(v)]})" if labels.get(round(v))
                                                else "")))
    ax0.xaxis.set_minor_locator(NullLocator())
    for ax in axes[-1]:
        ax.set_xlabel("N (elements per call)", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("elements/s", fontsize=8)
    fig.suptitle(f"Throughput vs array size — {run.label} (grey: the other kernels)",
                 fontsize=10, y=1 - 0.15 / fig.get_size_inches()[1], va="top")
    _layout(fig, nrows, ncols, left=left, right=right, top=top, bottom=bottom, wgap=wgap,
            hgap=hgap)
    return _png(fig)


# --------------------------------------------------- thread scaling
def scaling_dist(run: Run) -> str | None:
    """The input distribution the thread-scaling figures show: normal(0, 1)
    (what GELU sees) when it was run with more than one thread."""
    dists = {d for per in run.threaded.values() for d in per}
    for d in ("normal", "uniform"):
        if d in dists:
            return d
    return min(dists) if dists else None


def thread_scaling(run: Run) -> bytes | None:
    """Elements/s against the thread count, one panel per array size: every
    f32 kernel a grey line, the copy roof dashed black, the fastest kernel at
    the most threads named; the dotted line is perfect scaling of that kernel."""
    dist = scaling_dist(run)
    if dist is None:
        return None
    sizes = sorted({n for per in run.threaded.values() for n in per.get(dist, {})})

    def curve(kernel: str, n: int) -> list[tuple[int, float]]:
        one = next((p for p in run.series.get(kernel, {}).get(dist, []) if p.n == n), None)
        pts = {t: p.items_per_second for t, p in run.threaded.get(kernel, {}).get(dist, {}).get(n, {}).items()}
        if one:
            pts[1] = one.items_per_second
        return sorted((t, v) for t, v in pts.items() if v and v > 0)

    # f32 only: elements/s of a 1- or 2-byte format are not comparable, and
    # the copy roof moves f32.
    kernels = sorted(k for k in run.threaded
                     if k == COPY_KERNEL or (run.bench_kind(k) and run.bench_kind(k).dtype == "f32"))
    fig = Figure(figsize=(0.9 + 3.4 * len(sizes), 3.6))
    axes = fig.subplots(1, len(sizes), squeeze=False, sharey=True)[0]
    ys = [v for k in kernels for n in sizes for _, v in curve(k, n)]
    if not ys:
        return None
    y_lo, y_hi = min(ys) / 1.6, max(ys) * 2.2
    t_max = max(t for k in kernels for n in sizes for t, _ in curve(k, n))
    for ax, n in zip(axes, sizes):
        best = None
        for k in kernels:
            c = curve(k, n)
            if len(c) < 2 or k == COPY_KERNEL:
                continue
            ax.plot([t for t, _ in c], [v for _, v in c], color="0.7", lw=0.8, marker="o", ms=2.5, zorder=2)
            if not k.startswith("copy@") and (best is None or c[-1][1] > best[1][-1][1]):
                best = (k, c)
        if best:
            k, c = best
            ax.plot([t for t, _ in c], [v for _, v in c], color="tab:blue", lw=1.6, marker="o", ms=4,
                    zorder=4, label=f"fastest: {k}")
            ax.plot([1, t_max], [c[0][1], c[0][1] * t_max], color="tab:blue", lw=0.8, ls=":",
                    zorder=3, label="perfect scaling")
        copy = curve(COPY_KERNEL, n)
        if copy:
            ax.plot([t for t, _ in copy], [v for _, v in copy], "k--", lw=1.8, zorder=5,
                    label="copy (memory roof)")
        level = next((run.level(p) for p in run.series.get(COPY_KERNEL, {}).get(dist, []) if p.n == n), None)
        ax.set_title(f"N={n:,}" + (f" ({level})" if level else ""), fontsize=8)
        ax.set_yscale("log")
        ax.set_xlim(0.7, t_max + 0.3)
        ax.xaxis.set_major_locator(FixedLocator(sorted({t for k in kernels for t, _ in curve(k, n)})))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(round(v))}"))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("threads", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=6, loc="best")
    axes[0].set_ylim(y_lo, y_hi)
    _rate_axis(axes[0].yaxis, y_lo, y_hi)
    axes[0].set_ylabel("elements/s (all threads)", fontsize=8)
    fig.suptitle(f"Throughput against threads — {run.label}, {dist} inputs (grey: every f32 kernel)",
                 fontsize=10)
    fig.subplots_adjust(left=0.9 / fig.get_size_inches()[0], right=0.98, top=0.85, bottom=0.15, wspace=0.08)
    return _png(fig)


# ------------------------------------------------------- histograms
def histograms(run: Run) -> list[bytes]:
    """Per kernel: share of inputs in each error bucket, vs exact and vs formula."""
    pngs = []
    idx = np.arange(len(HISTOGRAM_BUCKETS))
    for chunk in _chunks(run.kernels, PANELS_PER_FIGURE):
        ncols = min(3, len(chunk))
        nrows = math.ceil(len(chunk) / ncols)
        fig = Figure(figsize=(4.4 * ncols, 2.6 * nrows + 0.5))
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for ax in axes.flat[len(chunk):]:
            ax.set_visible(False)
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
