"""What every figure shares: Agg rendering to PNG bytes, fixed layout, the
palette (stable colours per method and run), axis and label helpers.

No pyplot: each figure is a matplotlib.figure.Figure with its own Agg
canvas, so nothing global is touched and nothing needs a display.
"""

from __future__ import annotations

import io
import math

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from reports import fmt
from reports.model import Run

matplotlib.use("Agg")


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


def _dtype_key(dtype: str) -> tuple[int, str]:
    return (DTYPE_ORDER.index(dtype) if dtype in DTYPE_ORDER else len(DTYPE_ORDER), dtype)


def _axes_at(fig: Figure, x: float, y: float, w: float, h: float):
    """Axes placed in inches from the figure's bottom-left corner."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, y / fh, w / fw, h / fh))
