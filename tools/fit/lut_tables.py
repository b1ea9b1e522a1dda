#!/usr/bin/env python3
"""Lookup tables for the kernels/lut family (f32_erf_lut_<N>_{linear,hermite}_*).

The table holds GELU samples on the negative half-line, as
    G(t) = -GELU(-t) = t * Phi(-t),   t_i = i*h,  i = 0..N,   h = c/N
and the kernels use GELU(x) = max(-0, x) - G(|x|) (GELU(x) = x - G(x) for
x > 0, -G(-x) for x < 0), saturating to max(-0, x) for |x| >= c.

With f = |x|/h (h's reciprocal rounded to float, the samples placed at
t_i = i / fl(1/h) so that table and kernel agree), i = floor(f), w = f - i:
  linear   G ~ G_i + w*(G_{i+1} - G_i)                stored: G_i, G_{i+1} - G_i
  hermite  cubic Hermite interpolation of G and h*G'   stored per interval in
           monomial form (Horner in w):
             c0 = G_i, c1 = D_i, c2 = 3(G_{i+1} - G_i) - 2D_i - D_{i+1},
             c3 = 2(G_i - G_{i+1}) + D_i + D_{i+1},    D_i = h*G'(t_i),
           G'(t) = Phi(-t) - t*phi(t).
Samples are computed in mpmath (40 digits) and each stored number rounded
once to float32.

Usage: lut_tables.py --size N --clamp C --method {linear,hermite} [--out FILE]
Writes the C++ header of the table (kernels/lut/, one per command; stdout
without --out), and as comments the command and the error of the float32
evaluation against mpmath on a dense sample (interpolation plus rounding).
"""
import argparse

import mpmath as mp

from families_remez import f32, fma32, hexf
from generated import emit

SQRT2 = mp.sqrt(2)


def G(t):
    return t * mp.erfc(t / SQRT2) / 2


def dG(t):
    return mp.erfc(t / SQRT2) / 2 - t * mp.exp(-t * t / 2) / mp.sqrt(2 * mp.pi)


def gelu(x):
    return x * mp.erfc(-x / SQRT2) / 2


def tables(N, invh, method):
    t = [mp.mpf(i) / mp.mpf(invh) for i in range(N + 1)]
    g = [G(v) for v in t]
    if method == "linear":
        return [[f32(g[i]) for i in range(N)], [f32(g[i + 1] - g[i]) for i in range(N)]]
    h = 1 / mp.mpf(invh)
    d = [h * dG(v) for v in t]
    c0 = [g[i] for i in range(N)]
    c1 = [d[i] for i in range(N)]
    c2 = [3 * (g[i + 1] - g[i]) - 2 * d[i] - d[i + 1] for i in range(N)]
    c3 = [2 * (g[i] - g[i + 1]) + d[i] + d[i + 1] for i in range(N)]
    return [[f32(v) for v in c] for c in (c0, c1, c2, c3)]


def eval_kernel(x, N, invh, c, tab):
    a = abs(x)
    m = x if x > 0 else -0.0
    if not a < c:
        return m
    f = f32(a * invh)
    f = min(f, float(N - 1))
    i = int(f)
    w = f32(f - i)
    p = tab[-1][i]
    for k in range(len(tab) - 2, -1, -1):
        p = fma32(p, w, tab[k][i])
    return f32(m - p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True, help="N: intervals (table entries)")
    ap.add_argument("--clamp", type=float, default=5.3, help="c: table covers |x| in [0, c]")
    ap.add_argument("--method", choices=["linear", "hermite"], required=True)
    ap.add_argument("--samples", type=int, default=40, help="float32 samples per interval")
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    report, body = [], []
    N = args.size
    invh = f32(N / args.clamp)
    c = f32(N / invh)
    report.append(f"G(t) = t*Phi(-t) = -GELU(-t) sampled at t_i = i/{invh!r}, i = 0..{N}; "
                  f"|x| in [0, c = {c!r}), {args.method} interpolation")
    report.append(f"saturation error G(c) = {mp.nstr(G(mp.mpf(c)), 4)}")
    tab = tables(N, invh, args.method)
    name = f"LutErf{N}{args.method.capitalize()}"
    body.append(f"struct {name} {{")
    body.append(f"  static constexpr int kSize = {N};")
    body.append(f"  static constexpr float kInvStep = {hexf(invh)};  // 1/h = {invh!r}")
    body.append(f"  static constexpr float kSaturate = {hexf(c)};  // c = N*h = {c!r}")
    body.append(f"  alignas(64) static constexpr float kC[{len(tab)}][{N}] = {{")
    for col in tab:
        body.append("      {" + ", ".join(hexf(v) for v in col) + "},")
    body.append("  };")
    body.append("};")
    worst, wx = 0, 0
    for i in range(N):
        for k in range(args.samples):
            xv = f32((i + (k + 0.5) / args.samples) / invh)
            for x in (xv, -xv):
                e = abs(eval_kernel(x, N, invh, c, tab) - gelu(mp.mpf(x)))
                if e > worst:
                    worst, wx = e, x
    report.append(f"float32 evaluation: max |error| vs exact GELU {mp.nstr(worst, 4)} at x = {wx!r}")

    emit("lut_tables.py", report, "gelubench::lut", body, args.out)


if __name__ == "__main__":
    main()
