#!/usr/bin/env python3
"""Piecewise minimax polynomials for the kernels/poly family (f32_erf_poly_*).

The kernels compute exact GELU as
    GELU(x) = max(-0, x) - G(|x|),   G(t) = t * Phi(-t) = t * erfc(t/sqrt(2)) / 2
(x*Phi(x) = x - |x|Phi(-|x|) for x > 0 and -|x|Phi(-|x|) for x < 0). G is
small (<= 0.17) and decays like a Gaussian, so its rounding errors are tiny
and there is no 1 + erf cancellation to lose accuracy to.

|x| is split into N equal intervals of width 1/k centred on j/k:
    q = fma(|x|, k, 1.5*2^23)   (round to nearest: the low mantissa bits are j)
    j = q - 1.5*2^23,  u = fma(|x|, k, -j)  in [-1/2, 1/2]
and interval j evaluates its own degree-d polynomial in u (Horner, FMA). The
kernels keep each coefficient's N values in one register (vpermps). Beyond
c = (N - 1/2)/k the kernels saturate: GELU = max(-0, x) (G(c) is the error).

Each interval is a weighted minimax fit (Remez exchange, families_remez.py):
interval 0 keeps G's Taylor terms c_0 = 0, c_1 = 1/(2k) and fits the rest
for relative error, so that GELU is relatively accurate near 0 (subnormals
included); the others fit
absolute error of G (the error GELU inherits).

Usage: poly_fit.py --intervals N --scale K --degree D [--out FILE]
Writes the C++ header of the PolyErf<D>x<N> table (kernels/poly/, one per
command; stdout without --out): the coefficient tables as hex floats, and as
comments the command, the levelled error of each piece and the error of the
float32 evaluation measured on a dense sample against mpmath.
"""
import argparse

import mpmath as mp

from families_remez import f32, fma32, hexf, remez_poly
from generated import emit

SQRT2 = mp.sqrt(2)
MAGIC = 12582912.0  # 1.5 * 2^23


def G(t):
    return t * mp.erfc(t / SQRT2) / 2


def gelu(x):
    return x * mp.erfc(-x / SQRT2) / 2


def fit(N, k, d):
    pieces = []
    for j in range(N):
        if j == 0:
            # c0 = 0 and c1 = 1/(2k) (rounded to float), the Taylor terms of
            # G(t) = t/2 - t^2/sqrt(2 pi) + ...: relative error -> 0 at 0.
            c1 = mp.mpf(f32(1 / (2 * k)))
            basis = [(lambda u, p=p: u**p) for p in range(2, d + 1)]
            f = lambda u: G(u / k) - c1 * u  # noqa: E731
            c, E, emax = remez_poly(f, mp.mpf(2) ** -20, 0.5, basis,
                                    weight=lambda u: 1 / G(u / k), grid=600)
            c = [mp.mpf(0), c1] + c
            kind = "rel"
        else:
            basis = [(lambda u, p=p: u**p) for p in range(0, d + 1)]
            f = lambda u, j=j: G((j + u) / k)  # noqa: E731
            c, E, emax = remez_poly(f, -0.5, 0.5, basis, grid=600)
            kind = "abs"
        pieces.append(([f32(v) for v in c], E, kind))
    return pieces


def eval_kernel(x, N, kf, tables, c):
    """The kernel's float32 arithmetic, step by step."""
    a = abs(x)
    if not a < c:
        return max(x, -0.0) if x == x else x
    q = fma32(a, kf, MAGIC)
    j = f32(q - MAGIC)
    u = fma32(a, kf, -j)
    idx = int(j) % N
    d = len(tables) - 1
    p = tables[d][idx]
    for i in range(d - 1, -1, -1):
        p = fma32(p, u, tables[i][idx])
    m = x if x > 0 else -0.0
    return f32(m - p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--intervals", type=int, default=16)
    ap.add_argument("--scale", type=float, required=True, help="k: intervals per unit of |x|")
    ap.add_argument("--degree", type=int, required=True)
    ap.add_argument("--samples", type=int, default=400, help="float32 samples per interval")
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    report, body = [], []
    N, d = args.intervals, args.degree
    kf = f32(args.scale)
    k = mp.mpf(kf)
    c = f32((N - 0.5) / kf)
    report.append(f"G(t) = t*Phi(-t) on |x| in [0, {c!r}] = [0, (N-1/2)/k], N = {N}, k = {kf!r} "
                  f"(interval width {1 / kf:.6f}), degree {d} per interval")
    report.append(f"saturation error G(c) = {mp.nstr(G(mp.mpf(c)), 4)}")
    pieces = fit(N, k, d)
    worst_fit = 0
    for j, (cs, E, kind) in enumerate(pieces):
        report.append(f"  interval {j:2d}: t in [{max(0, (j - 0.5)) / kf:.4f}, {(j + 0.5) / kf:.4f}] "
                      f"levelled {kind} error {mp.nstr(E, 3)}")
        if kind == "abs":
            worst_fit = max(worst_fit, E)
    report.append(f"worst levelled absolute error over intervals 1..{N - 1}: {mp.nstr(worst_fit, 4)}")
    tables = [[pieces[j][0][i] for j in range(N)] for i in range(d + 1)]
    # C++ for kernels/poly/poly_erf_<d>x<N>.h: coef[i][j] = coefficient of u^i in interval j.
    body.append(f"struct PolyErf{d}x{N} {{")
    body.append(f"  static constexpr int kIntervals = {N};")
    body.append(f"  static constexpr int kDegree = {d};")
    body.append(f"  static constexpr float kScale = {hexf(kf)};  // k = {kf!r}")
    body.append(f"  static constexpr float kSaturate = {hexf(c)};  // c = (N - 1/2)/k = {c!r}")
    body.append(f"  alignas(64) static constexpr float kCoef[{d + 1}][{N}] = {{")
    for i in range(d + 1):
        vals = ", ".join(hexf(v) for v in tables[i])
        body.append(f"      {{{vals}}},")
    body.append("  };")
    body.append("};")
    # float32 evaluation, against mpmath, on a dense sample of each interval
    # (both signs) plus the saturation neighbourhood.
    worst_abs, worst_x, worst_rel0 = 0, 0, 0
    xs = []
    for j in range(N):
        lo, hi = max(0.0, (j - 0.5) / kf), (j + 0.5) / kf
        xs += [lo + (hi - lo) * (i + 0.5) / args.samples for i in range(args.samples)]
    xs += [c * (1 + i * 1e-4) for i in range(-50, 50)]
    for xv in xs:
        for x in (f32(xv), -f32(xv)):
            y = eval_kernel(x, N, kf, tables, c)
            r = gelu(mp.mpf(x))
            e = abs(y - r)
            if e > worst_abs:
                worst_abs, worst_x = e, x
    for p in range(-149, -1, 3):  # relative accuracy near 0
        for x in (2.0**p, -(2.0**p), 1.37 * 2.0**p, -1.37 * 2.0**p):
            x = f32(x)
            y = eval_kernel(x, N, kf, tables, c)
            r = gelu(mp.mpf(x))
            ulp = mp.mpf(2) ** max(-149, int(mp.floor(mp.log(abs(r), 2))) - 23)
            worst_rel0 = max(worst_rel0, abs(y - r) / ulp)
    report.append(f"float32 evaluation: max |error| vs exact GELU {mp.nstr(worst_abs, 4)} at x = {worst_x!r}"
                  f" (saturation included); max ULP for |x| < 0.25 {mp.nstr(worst_rel0, 3)}")

    emit("poly_fit.py", report, "gelubench::poly", body, args.out)


if __name__ == "__main__":
    main()
