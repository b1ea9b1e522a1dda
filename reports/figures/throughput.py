"""The throughput figures: elements/s overview, throughput vs array size,
thread scaling."""

from __future__ import annotations

import statistics

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from reports.figures.common import (
    GROUP_MAX,
    Palette,
    _chunks,
    _dtype_key,
    _layout,
    _png,
    _rate_axis,
)
from reports.model import COPY_KERNEL, Run


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
