#!/usr/bin/env python3
"""Minimax rational approximation for the kernels/rational family
(f32_erf_rational_12_10_{div,nr}_*), the form XNNPACK and Eigen use:

    erf(x/sqrt(2)) ~ 2x * P(x^2) / Q(x^2),   Q(0) = 1
    GELU(x) = x/2 + x/2 * erf(x/sqrt(2)) ~ fma(s, P(s)/Q(s), x/2),   s = x^2

P and Q have degree --num and --den in s; the name counts like XNNPACK's
rational_12_10: odd numerator x*P(x^2) of degree 2*num+1 (num+1 terms) and
even denominator of degree 2*den. The fit minimises
    max over s in [0, c^2] of  sqrt(x^2 + 0.01) * |P/Q - R|,   R(s) = erf(x/sqrt 2)/(2x)
(about |x| times the error of R: the absolute error of GELU is |x| times
that, and near 0 the relative error of GELU is about 6x that), by near-minimax fitting in
mpmath (families_remez.lawson_rational: Loeb's linearised least squares with
Lawson reweighting, 60 steps on 400 Chebyshev-spaced points; the exchange
algorithm stalls on this problem). Beyond |x| = c the kernels saturate:
GELU = max(-0, x).

Usage: rational_fit.py --num 5 --den 5 --clamp 5.3 [--out FILE]
Writes the C++ header (stdout without --out): the coefficients (hex floats,
rounded to float32), and as comments the command, interval, degrees, the
weighted error of the fit and the error of the float32 evaluation (Horner
with FMA, true division) against mpmath on a dense sample.
"""
import argparse

import mpmath as mp

from families_remez import f32, fma32, hexf, lawson_rational
from generated import emit

SQRT2 = mp.sqrt(2)


def R(s):
    if s == 0:
        return 1 / mp.sqrt(2 * mp.pi)
    x = mp.sqrt(s)
    return mp.erf(x / SQRT2) / (2 * x)


def gelu(x):
    return x * mp.erfc(-x / SQRT2) / 2


def horner(c, s):
    p = c[-1]
    for v in reversed(c[:-1]):
        p = fma32(p, s, v)
    return p


def eval_kernel(x, p, q, c):
    s = f32(x * x)
    if not s < c * c:
        return x if x > 0 else -0.0
    hx = f32(0.5 * x)
    r = f32(mp.mpf(horner(p, s)) / mp.mpf(horner(q, s)))
    return fma32(s, r, hx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--num", type=int, default=5, help="degree of P in s = x^2")
    ap.add_argument("--den", type=int, default=5, help="degree of Q in s = x^2")
    ap.add_argument("--clamp", type=float, default=5.3, help="c: fit |x| in [0, c]")
    ap.add_argument("--samples", type=int, default=20000)
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    report, body = [], []
    n, m = args.num, args.den
    c = f32(args.clamp)
    S = mp.mpf(c) ** 2
    report.append(f"erf(x/sqrt2)/(2x) = P(s)/Q(s), s = x^2 in [0, {mp.nstr(S, 8)}] (|x| <= c = {c!r}), "
                  f"deg P = {n}, deg Q = {m}, Q(0) = 1; weight sqrt(x^2 + 0.01)")
    p, q, emax = lawson_rational(R, 0, S, n, m, weight=lambda s: mp.sqrt(s + mp.mpf(1) / 100),
                                 grid=400, iters=60)
    report.append(f"weighted error sqrt(x^2 + 0.01)*|P/Q - R| (exact coefficients): {mp.nstr(emax, 4)}")
    qmin = min(1 + sum(q[k - 1] * (S * i / 1000) ** k for k in range(1, m + 1)) for i in range(1001))
    report.append(f"min Q on the interval: {mp.nstr(qmin, 4)} (no pole)")
    pf = [f32(v) for v in p]
    qf = [1.0] + [f32(v) for v in q]
    report.append(f"saturation error G(c) = c*Phi(-c) = {mp.nstr(mp.mpf(c) * mp.erfc(mp.mpf(c) / SQRT2) / 2, 4)}")
    body.append("struct RationalErf {")
    body.append(f"  static constexpr float kSaturate = {hexf(c)};  // c = {c!r}")
    body.append(f"  static constexpr float kSaturateSq = {hexf(f32(mp.mpf(c) ** 2))};  // c^2 rounded")
    body.append(f"  static constexpr float kP[{n + 1}] = {{{', '.join(hexf(v) for v in pf)}}};")
    body.append(f"  static constexpr float kQ[{m + 1}] = {{{', '.join(hexf(v) for v in qf)}}};")
    body.append("};")
    worst, wx = 0, 0
    for i in range(args.samples):
        xv = f32(float(c) * (i + 0.5) / args.samples)
        for x in (xv, -xv):
            e = abs(eval_kernel(x, pf, qf, c) - gelu(mp.mpf(x)))
            if e > worst:
                worst, wx = e, x
    report.append(f"float32 evaluation (true division): max |error| vs exact GELU {mp.nstr(worst, 4)} "
                  f"at x = {wx!r}")

    emit("rational_fit.py", report, "gelubench::rational", body, args.out)


if __name__ == "__main__":
    main()
