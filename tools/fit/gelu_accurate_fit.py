#!/usr/bin/env python3
"""Tables of the kernels/accurate family (f32_erf_accurate*, f32_erf_fast_accurate*).

Method (kernels/accurate/f32_erf_accurate__avx512.cc evaluates it):

    GELU(x) = V                 for x < 1
            = x - V             for x >= 1
    V = m * exp(-h) * G(t),     t = |x|, m = sign(x) * min(t, 1),
    h = t^2/2 (computed exactly as h_hi + h_lo with an FMA), except h = 0
    when 0 <= x < 1, and
        G(t) = Phi(x)                    0 <= x < 1   ("small positive")
        G(t) = F(t) = Phi(-t) e^(t^2/2)  t < 1, x < 0  (so V = x Phi(x))
        G(t) = t F(t)                    t >= 1, either sign (V = -+t Phi(-t))
    F is the scaled complementary normal CDF (Mills' ratio / sqrt(2 pi)),
    smooth and slowly varying, so all of the Gaussian decay sits in exp(-h).

G is piecewise: 32 slots, selected by the exponent and top 3 mantissa bits
of u = fma(t, 1 - 2^-23, 2) (nearest), i.e. 8 intervals per binade of u.
The kernels' slot of a t within ~2^-20 of a boundary may be the neighbour
(t on a boundary b >= 1.25, or one ulp above it, gets the lower slot; t just
under 0.25 or 0.5 the upper one), so each fit must hold on the closed
interval [a, b] and a little beyond; fpminimax/max_error below work on the
closed interval, and the kernels' exhaustive sweeps are the proof:
    slots 0-3    small positive x in [0, 1), width 1/4
    slots 4-28   t in [0, 2) width 1/4, [2, 6) width 1/2, [6, 14) width 1,
                 [14, 16) (t is clamped to 15 first)
    slots 29-31  unused (copies of slot 28)
On slot i, with d = t - c_i (c_i the centre, or 0 for an interval that
starts at 0, so d is exact by Sterbenz' lemma):
    G(t) = 2^(-k_i/32) * (1 + p_i(d)),  p_i a degree-D float32 polynomial,
    k_i an integer chosen so |p_i| stays small (the geometric middle of G on
    the interval). The 2^(-k_i/32) factor joins exp(-h)'s argument reduction:
    h = K ln2/32 + r, exp(-h) = 2^(-K/32) e^(-r), |r| <= ln2/64, so
    exp(-h) G = 2^(-(K+k_i)/32) e^(-r) (1 + p_i(d)), and 2^(-J/32) with
    J = K + k_i comes from a 32-entry table (hi + lo floats) and a scalef.
    e^(-r) - 1 = r (-1 + r (q2 + r q3)) (minimax, absolute error;
    --exp-degree 2 gives r (q1 + r q2), unused by the kernels so far).

Fits: weighted minimax (relative error of G) by Remez exchange, then float32
coefficients by greedy rounding, lowest order first, refitting the rest
after each rounding (Lawson iteration; accurate_remez.py). Function values
in mpmath at 40 digits. Runs in about 3 minutes per table.

Needs tools/fit/requirements.txt (mpmath, numpy). Run from the repository root:
    gelu_accurate_fit.py --degree 5 --prefix kAcc --out kernels/accurate/accurate_tables_d5.h
    gelu_accurate_fit.py --degree 4 --prefix kFast --out kernels/accurate/fast_tables_d4.h
Prints the intervals, k, the degree, the coefficients and the achieved
error of every piece (exact arithmetic with the float32 coefficients).
"""
import argparse
import sys

import mpmath as mp

from accurate_remez import f32, fpminimax, hexf, max_error, remez
from generated import header

SQRT2 = mp.sqrt(2)
MAGIC = 12582912.0  # 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits
T_MAX = 15.0        # |x| clamp: GELU(-15) ~ -5e-50 underflows to -0, GELU(15) rounds to 15
SLOTS = 32


def Phi(x):
    return mp.erfc(-x / SQRT2) / 2


def F(t):
    return mp.erfc(t / SQRT2) / 2 * mp.exp(t * t / 2)


def tF(t):
    return t * F(t)


def slots():
    """(slot, kind, a, b, centre, G) for the 29 used slots."""
    out = []
    for j in range(4):  # small positive x: u = x + 2 in [2, 3), 3 mantissa bits
        a, b = j / 4, (j + 1) / 4
        out.append((j, "pos", a, b, 0.0 if a == 0 else (a + b) / 2, Phi))
    s = 4
    for e in range(1, 5):  # u = t + 2 in [2^e, 2^(e+1))
        for m in range(8):
            a = 2.0**e * (1 + m / 8) - 2
            b = 2.0**e * (1 + (m + 1) / 8) - 2
            if a >= T_MAX:
                break
            b = min(b, T_MAX)
            out.append((s, "neg" if a < 1 else "tail", a, b, 0.0 if a == 0 else (a + b) / 2,
                        F if a < 1 else tF))
            s += 1
    assert s == 29
    return out


def fit_slot(kind, a, b, c, G, degree):
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    gmin = min(G(a), G(b))
    gmax = max(G(a), G(b))
    k = int(mp.nint(-32 * mp.log(mp.sqrt(gmin * gmax), 2)))
    B = mp.mpf(2) ** (mp.mpf(-k) / 32)
    f = lambda d: G(c + d) / B - 1
    w = lambda d: B / G(c + d)
    coef = fpminimax(f, w, a - c, b - c, degree)
    err = max_error(f, w, a - c, b - c, {i: mp.mpf(v) for i, v in coef.items()})
    _, lev = remez(f, w, a - c, b - c, degree)
    pmax = max(abs(f(a - c)), abs(f(b - c)))
    return k, coef, err, lev, pmax


def exp_poly(R, degree):
    """e^(-r) - 1 ~ r * (-1 + r * (q2 + r * q3)) (degree 3, the linear term
    exact) or r * (q1 + r * q2) (degree 2, q1 free: the odd r^3 error needs
    it). Minimax absolute error on [-R, R]. Returns {k: q_k}, error."""
    fixed = {0: 0, 1: -1} if degree == 3 else {0: 0}
    coef = fpminimax(lambda r: mp.exp(-r) - 1, lambda r: 1, -R, R, degree, fixed=fixed)
    err = max(abs(mp.exp(-r) - 1 - sum(c * r**k for k, c in coef.items()))
              for r in [mp.mpf(R) * i / 2000 for i in range(-2000, 2001)])
    return {k: float(c) for k, c in coef.items() if k >= 1 and k not in fixed}, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--degree", type=int, required=True)
    ap.add_argument("--prefix", default="kAcc", help="C++ name prefix of the tables")
    ap.add_argument("--exp-degree", type=int, default=3, choices=[2, 3],
                    help="degree of the e^-r polynomial (default 3)")
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    D = args.degree

    ln2_32 = mp.log(2) / 32
    L = f32(1 / ln2_32)
    C_hi = f32(ln2_32)
    C_lo = f32(ln2_32 - mp.mpf(C_hi))
    # |r| bound: half a step, plus K*(1/L - C) drift (K <= 15^2/2 * L), plus
    # |h_lo| <= ulp(h)/2 <= 2^-18 and K*|C - C_hi - C_lo|; rounded up.
    R = float(ln2_32 / 2 + 2e-5)
    qs, qerr = exp_poly(R, args.exp_degree)

    report = [f"degree {D}; slots: [a, b) kind centre k max|p| levelled-error achieved-error (relative, of G)"]
    table = {name: [0.0] * SLOTS for name in ["centre", "magic_k"] + [f"c{i}" for i in range(D + 1)]}
    worst = 0
    last = None
    for (s, kind, a, b, c, G) in slots():
        k, coef, err, lev, pmax = fit_slot(kind, a, b, c, G, D)
        if kind == "neg" and a == 0:
            # x = -0 lands here with d = 0, p = c0: a positive c0 keeps the
            # result's sign (m * W with W > 0 is -0; see the kernel).
            assert coef[0] > 0, coef[0]
        worst = max(worst, err)
        table["centre"][s] = c
        table["magic_k"][s] = MAGIC + k
        for i in range(D + 1):
            table[f"c{i}"][s] = coef[i]
        report.append(f"  slot {s:2d} [{a:7.4f}, {b:7.4f}) {kind:4s} c={c:7.4f} k={k:4d} "
                      f"max|p|={float(pmax):.4f} lev=2^{float(mp.log(lev, 2)):6.2f} "
                      f"err=2^{float(mp.log(err, 2)):6.2f}")
        last = s
    for s in range(last + 1, SLOTS):
        for name in table:
            table[name][s] = table[name][last]
    report.append(f"worst achieved relative error of G: 2^{float(mp.log(worst, 2)):.2f}")
    report.append(f"exp: e^-r - 1 on |r| <= {R:.6f}, degree {args.exp_degree}: "
                  + ", ".join(f"q{k} = {v!r}" for k, v in qs.items())
                  + f", abs error 2^{float(mp.log(qerr, 2)):.2f}")

    exp_hi, exp_lo = [], []
    for j in range(SLOTS):
        T = mp.mpf(2) ** (mp.mpf(32 - j) / 32) if j else mp.mpf(1)
        hi = f32(T)
        exp_hi.append(hi)
        exp_lo.append(f32(T - mp.mpf(hi)))

    P = args.prefix
    lines = header("gelu_accurate_fit.py", report) + [
        "",
        "namespace gelubench::accurate {",
        "",
        f"inline constexpr int {P}Degree = {D};",
        f"inline constexpr float {P}L = {hexf(L)};      // 32/ln2",
        f"inline constexpr float {P}Chi = {hexf(C_hi)};  // ln2/32, high part",
        f"inline constexpr float {P}Clo = {hexf(C_lo)};  // ln2/32 - Chi",
    ] + [f"inline constexpr float {P}Q{k} = {hexf(v)};" for k, v in qs.items()] + [
        "",
    ]

    def arr(name, vals, comment):
        body = ", ".join(hexf(v) for v in vals)
        return [f"// {comment}", f"alignas(64) inline constexpr float {P}{name}[{SLOTS}] = {{{body}}};"]

    lines += arr("Centre", table["centre"], "c_i: d = t - c_i")
    lines += arr("MagicK", table["magic_k"], "1.5*2^23 + k_i: fma(h, L, this) leaves K + k_i in the low bits")
    for i in range(D + 1):
        lines += arr(f"C{i}", table[f"c{i}"], f"coefficient of d^{i} in p_i(d)")
    lines += arr("ExpHi", exp_hi, "2^(1 - j/32) (j > 0), 1 (j = 0): high part")
    lines += arr("ExpLo", exp_lo, "low part")
    lines += ["", "}  // namespace gelubench::accurate", ""]
    text = "\n".join(lines)
    for r in report:
        print(r)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text)
        print(f"wrote {args.out}")
    else:
        print(text)


if __name__ == "__main__":
    main()
