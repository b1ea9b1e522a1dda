"""Number formatting shared by the tables and the summary text."""

from __future__ import annotations

import math

DASH = "—"


def nonfinite(x: float) -> str | None:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return None


def ulp(x: float | None) -> str:
    """ULP figures: small ones to 3 significant digits, large ones whole."""
    if x is None:
        return DASH
    s = nonfinite(x)
    if s:
        return s
    if x == 0:
        return "0"
    if abs(x) >= 1e7:
        return f"{x:.3e}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if 0.5 < x < 0.6:
        # Just above half an ULP means a misrounded result: never print it as
        # "0.5"; show the excess over 0.5 to two significant digits.
        decimals = 1 - math.floor(math.log10(x - 0.5))
        return f"{x:.{decimals}f}"
    return f"{x:.3g}"


def sci(x: float | None, digits: int = 3) -> str:
    """Absolute/relative errors and tolerances: 4.72e-04."""
    if x is None:
        return DASH
    s = nonfinite(x)
    if s:
        return s
    if x == 0:
        return "0"
    return f"{x:.{digits - 1}e}"


def fraction_pct(x: float | None) -> str:
    """Correctly rounded fraction as a percentage; never rounds up to 100%."""
    if x is None:
        return DASH
    s = nonfinite(x)
    if s:
        return s
    pct = 100.0 * x
    if pct >= 100.0:
        return "100%"
    out = f"{pct:.4f}%"
    return ">99.9999%" if out == "100.0000%" else out


_SI = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]


def si(x: float | None, unit: str) -> str:
    """2.31 G/s, 18.5 GB/s."""
    if x is None:
        return DASH
    s = nonfinite(x)
    if s:
        return s
    for scale, prefix in _SI:
        if abs(x) >= scale:
            return f"{x / scale:.3g} {prefix}{unit}"
    return f"{x:.3g} {unit}"


def rate(x: float | None) -> str:
    return si(x, "elem/s")


def bytes_rate(x: float | None) -> str:
    return si(x, "B/s")


def ratio(x: float | None) -> str:
    if x is None:
        return DASH
    return nonfinite(x) or f"{x:.3g}×"


def count(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def nbytes(n: int) -> str:
    for scale, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= scale:
            return f"{n / scale:.4g} {unit}"
    return f"{n} B"


def hexval(h: str) -> str:
    """A hex-float input shown with its decimal value: -3 (-0x1.8p+1)."""
    try:
        v = float.fromhex(h)
    except ValueError:
        return h
    s = nonfinite(v)
    if s:
        return h
    return f"{v:.7g} ({h})"


def bound(x: float) -> str:
    """A region bound as the text writes it: -3.0 -> "−3"."""
    return f"{x:g}".replace("-", "−")


def region_titles(bounds: tuple[float, float]) -> dict[str, str]:
    """Table titles of the regions (accuracy.json's region_bounds) and "all"."""
    lo, hi = map(bound, bounds)
    return {"all": "all", "neg_tail": f"x < {lo}", "core": f"{lo} ≤ x ≤ {hi}", "pos": f"x > {hi}"}


def seconds(x: float) -> str:
    s = nonfinite(x)
    if s:
        return s
    if x >= 3600:
        return f"{x / 3600:.2f} h ({x:.0f} s)"
    if x >= 60:
        return f"{x / 60:.1f} min ({x:.0f} s)"
    return f"{x:.3g} s"
