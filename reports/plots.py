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
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

from reports import fmt  # noqa: E402
from reports.analysis import pareto_front  # noqa: E402
from reports.model import COPY_KERNEL, Run  # noqa: E402
from reports.schema import HISTOGRAM_BUCKETS  # noqa: E402

DPI = 100
PANELS_PER_FIGURE = 12
FORMULA_MARKERS = {"erf": "o", "tanh": "s", "sigmoid": "D"}
BUCKET_LABELS = ["CR", "≤1", "≤2", "≤4", "≤16", "≤1024", ">1024"]
INF_COLOR = "#c0392b"


class Palette:
    """Stable colours across every figure and run of one report."""

    def __init__(self, runs: list[Run]):
        methods, kernels = set(), set()
        for r in runs:
            for k in r.kernels:
                methods.add(k.method)
                kernels.add(k.name)
            kernels.update(r.throughput_kernels())
        tab10 = matplotlib.colormaps["tab10"].colors
        tab20 = matplotlib.colormaps["tab20"].colors
        self._method = {m: tab10[i % 10] for i, m in enumerate(sorted(methods))}
        # tab10 keeps neighbouring lines distinct; tab20 only when it must.
        cmap = tab10 if len(kernels) <= 10 else tab20
        self._kernel = {k: cmap[i % len(cmap)] for i, k in enumerate(sorted(kernels))}
        self._run = {r.label: tab10[i % 10] for i, r in enumerate(runs)}

    def method(self, m: str):
        return self._method.get(m, "0.4")

    def kernel(self, k: str):
        return self._kernel.get(k, "0.4")

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


def _annotate(ax, labels: list[tuple[str, float, float]], fontsize: float) -> None:
    """Name each point, choosing for each label the first nearby spot (right
    or left, stepping up and down) that overlaps no earlier label or marker.
    Text extents are estimated from the character count, which is close
    enough for DejaVu Sans at this size and avoids a costly draw."""
    px = ax.figure.dpi / 72.0
    char_w, text_h = 0.6 * fontsize * px, 1.2 * fontsize * px
    axes_box = ax.get_window_extent()
    pts = [ax.transData.transform((x, y)) for _, x, y in labels]
    taken = [(px_ - 6 * px, py - 6 * px, px_ + 6 * px, py + 6 * px) for px_, py in pts]

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
            if (box[0] < axes_box.x0 or box[2] > axes_box.x1 + 40 * px
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

def pareto(run: Run, palette: Palette) -> tuple[bytes, list[str]] | None:
    """Max ULP vs exact against elements/s at the L2 size; returns the PNG
    and the names on the Pareto front."""
    pts = []
    for k in run.kernels:
        s = run.l2_speed(k.name)
        if s is not None and s > 0:
            pts.append((k, s, k.exact["max_ulp"]))
    if not pts:
        return None
    floor, top = _log_range([e for _, _, e in pts])
    fig = Figure(figsize=(10, 6.5), dpi=DPI)
    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.set_yscale("log")
    any_nonfinite = False
    placed = []  # (kernel, x, y) in data coordinates
    for k, s, e in sorted(pts, key=lambda p: p[1]):
        color = palette.method(k.method)
        if math.isfinite(e):
            y, marker = max(e, floor), FORMULA_MARKERS.get(k.formula, "P")
        else:
            y, marker, any_nonfinite = top, "^", True
        ax.scatter([s], [y], marker=marker, s=80, linewidths=1.8, zorder=3,
                   facecolors="none" if k.peer else [color], edgecolors=[color])
        placed.append((k, s, y))
    front = pareto_front([(k.name, s, e) for k, s, e in pts])
    fp = sorted(((s, e) for k, s, e in pts if k.name in front))
    if len(fp) > 1:
        ax.plot([s for s, _ in fp], [max(e, floor) for _, e in fp], drawstyle="steps-post",
                color="0.3", ls="--", lw=1, zorder=2)
    if any_nonfinite:  # the legend says what the dotted line means
        ax.axhline(top, color=INF_COLOR, ls=":", lw=1)
    xs = [s for _, s, _ in pts]
    ax.set_xlim(min(xs) / 2, max(xs) * 4)
    _rate_axis(ax.xaxis, min(xs) / 2, max(xs) * 4)
    ax.set_ylim(floor, top * 6)  # headroom for the labels of inf points
    _layout(fig, 1, 1, left=0.9, right=1.9, top=0.45, bottom=0.65)
    _annotate(ax, [(k.name, x, y) for k, x, y in placed], fontsize=7)
    ax.set_xlabel("elements/s at the L2-resident size (uniform inputs; higher is faster)")
    ax.set_ylabel("max ULP vs exact GELU (lower is better)")
    ax.set_title(f"Accuracy vs speed — {run.label}")
    ax.grid(True, which="major", alpha=0.3)
    handles = [Line2D([], [], ls="none", marker="o", color=palette.method(m), label=m)
               for m in sorted({k.method for k, _, _ in pts})]
    handles += [Line2D([], [], ls="none", marker=FORMULA_MARKERS.get(f, "P"), color="0.3",
                       markerfacecolor="0.3", label=f"formula: {f}")
                for f in sorted({k.formula for k, _, _ in pts})]
    if any(k.peer for k, _, _ in pts):
        handles.append(Line2D([], [], ls="none", marker="o", color="0.3",
                              markerfacecolor="none", label="peer (hollow)"))
    if len(fp) > 1:
        handles.append(Line2D([], [], color="0.3", ls="--", label="Pareto front"))
    if any_nonfinite:
        handles.append(Line2D([], [], ls=":", marker="^", color=INF_COLOR,
                              label="max ULP inf/nan"))
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
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
    """Small multiples, one panel per kernel: max and mean ULP per x bin."""
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
            floor, top = _log_range(np.concatenate(series), default=(0.01, 10.0))
            ax.set_yscale("log")
            ax.plot(x, np.clip(mx, floor, None), lw=1, color="C0", label="max vs exact")
            ax.plot(x, np.clip(mn, floor, None), lw=1, color="C2", label="mean vs exact")
            if form is not None:
                ax.plot(form[0], np.clip(form[2], floor, None), lw=0.8, ls=":", color="C1",
                        label=f"max vs {k.formula} formula")
            bad = (cnt > 0) & ~np.isfinite(np.asarray(k.exact["error_profile"]["max_ulp"],
                                                      dtype=float))
            if bad.any():
                ax.scatter(x[bad], np.full(bad.sum(), top), marker="^", s=14,
                           color=INF_COLOR, zorder=3, label="inf/nan")
            for b in (-3, 3):  # region boundaries of the tables
                ax.axvline(b, color="0.6", lw=0.6, ls="--")
            ax.set_ylim(floor, top * 2)
            ax.set_xlim(k.exact["error_profile"]["lo"], k.exact["error_profile"]["hi"])
            ax.set_title(k.name + (" (peer)" if k.peer else ""), fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(True, alpha=0.25)
            ax.legend(fontsize=6, loc="upper right")
        for ax in axes[-1]:
            ax.set_xlabel("x", fontsize=8)
        for ax in axes[:, 0]:
            ax.set_ylabel("ULP", fontsize=8)
        fig.suptitle(f"Error vs x — {run.label}", fontsize=10)
        _layout(fig, nrows, ncols, left=0.7, right=0.2, top=0.6, bottom=0.5, wgap=0.6,
                hgap=0.55)
        pngs.append(_png(fig))
    return pngs


# --------------------------------------------------- throughput vs N
def throughput_vs_size(run: Run, palette: Palette) -> bytes | None:
    dists = run.dists()
    if not dists:
        return None
    fig = Figure(figsize=(6.0 * len(dists) + 3.0, 5.2))
    axes = fig.subplots(1, len(dists), squeeze=False, sharey=True)[0]
    for ax, dist in zip(axes, dists):
        for name in run.throughput_kernels():
            pts = run.series[name].get(dist, [])
            if not pts:
                continue
            ax.plot([p.n for p in pts], [p.items_per_second for p in pts], marker="o", ms=3,
                    lw=1.2, ls="-." if run.is_peer(name) else "-", color=palette.kernel(name),
                    label=name + (" (peer)" if run.is_peer(name) else ""))
        copy = run.series.get(COPY_KERNEL, {}).get(dist) or next(
            iter(run.series.get(COPY_KERNEL, {}).values()), [])
        if copy:
            ax.plot([p.n for p in copy], [p.items_per_second for p in copy], "k--", lw=2,
                    label="copy (memory roof)")
            bpe = [p.bytes_per_second / p.items_per_second for p in copy
                   if p.bytes_per_second and p.items_per_second]
            if bpe:  # where each cache fills, in elements of the copy kernel
                per = statistics.median(bpe)
                for level, key in (("L1", "l1d"), ("L2", "l2"), ("L3", "l3")):
                    n = run.info["caches"][key] / per
                    ax.axvline(n, color="0.6", lw=0.8, ls=":")
                    ax.text(n, 1.0, f" {level}", transform=ax.get_xaxis_transform(),
                            fontsize=7, color="0.4", va="top")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("N (elements per call)")
        ax.set_title(f"{dist} inputs", fontsize=9)
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("elements/s")
    ys = [p.items_per_second for per in run.series.values() for pts in per.values()
          for p in pts if p.items_per_second > 0]
    if ys:
        _rate_axis(axes[0].yaxis, min(ys), max(ys))
    seen: dict[str, object] = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(lab, h)
    axes[-1].legend(list(seen.values()), list(seen), fontsize=7, loc="upper left",
                    bbox_to_anchor=(1.02, 1.0))
    fig.suptitle(f"Throughput vs array size — {run.label}", fontsize=10)
    _layout(fig, 1, len(dists), left=0.85, right=2.9, top=0.6, bottom=0.6, wgap=0.3)
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
    names = sorted({k.name for r in runs for k in r.kernels}
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
