#!/usr/bin/env python3
"""Constants and the 2^g polynomial of the kernels/tanh and kernels/sigmoid
families (f32_tanh_exp_*, f32_sigmoid_exp_*).

Both formulas are x*sigmoid(v):
  tanh form     0.5x(1 + tanh(u)) = x*sigmoid(2u),  2u = 2*sqrt(2/pi)*(x + 0.044715x^3)
  sigmoid form  x*sigmoid(1.702x)
and the kernels compute sigmoid(v) from t = e^-|v| = 2^-|z|, z = v*log2(e):
  sigmoid(v) = 1/(1 + t) for v >= 0,  t/(1 + t) for v < 0
with 2^-|z| = 2^n * 2^g, n = round(-|z|), g = -|z| - n in [-1/2, 1/2], and
2^g by a minimax polynomial (this script), 2^n applied exactly (vscalefps).

z must be accurate to about 2^-24 absolute, not relative: in the negative
tail sigmoid(v) ~ e^v and a relative error e in z is a relative error |z|*e
of the result. So the kernels carry z as z_hi + z_lo:
  tanh     z = x*W(s), W = D1 + D2*s, s = x^2 = s_hi + s_lo (FMA),
           W_hi = fma(D2h, s_hi, D1h), whose rounding error is recovered by
           fma(D2h, s_hi, D1h - W_hi): exact because D1h has 12 significant
           bits (D1h - W_hi is then representable for all |x| <= 12).
  sigmoid  z = x*K, K = Kh + Kl.
This script writes those split constants (from mpmath, 40 digits).

Polynomial: 2^g ~ 1 + c1 g + ... + cd g^d on [-1/2 - 2^-20, 1/2 + 2^-20], minimax
relative error (Remez, families_remez.remez_poly), c0 = 1 exactly.
Usage: tanh_exp2_fit.py --degree 6 [--out FILE]
Writes the C++ header (stdout without --out): the constants and the
coefficients as hex floats, and as comments the command, the levelled error
and the error of the float32 Horner evaluation on a dense sample.
"""
import argparse

import mpmath as mp

from families_remez import f32, fma32, hexf, remez_poly
from generated import emit


def split(v, bits):
    """v = hi + lo, hi = v rounded to `bits` significant bits, lo rounded to float."""
    e = mp.floor(mp.log(abs(v), 2))
    q = mp.mpf(2) ** (e - bits + 1)
    hi = mp.nint(v / q) * q
    return f32(hi), f32(v - hi)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--degree", type=int, default=6)
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    report, body = [], []
    d = args.degree
    log2e = 1 / mp.log(2)
    D1 = 2 * mp.sqrt(2 / mp.pi) * log2e
    D2 = D1 * mp.mpf("0.044715")
    K = mp.mpf("1.702") * log2e
    D1h, D1l = split(D1, 12)
    D2h, D2l = split(D2, 24)
    Kh, Kl = split(K, 24)
    report.append(f"D1 = 2*sqrt(2/pi)*log2(e) = {mp.nstr(D1, 20)}, D2 = 0.044715*D1 = {mp.nstr(D2, 20)}, "
                  f"K = 1.702*log2(e) = {mp.nstr(K, 20)}")
    report.append(f"split: D1h + D1l error {mp.nstr(D1 - mp.mpf(D1h) - mp.mpf(D1l), 3)}, "
                  f"D2h + D2l error {mp.nstr(D2 - mp.mpf(D2h) - mp.mpf(D2l), 3)}, "
                  f"Kh + Kl error {mp.nstr(K - mp.mpf(Kh) - mp.mpf(Kl), 3)}")
    lo, hi = -0.5 - 2.0**-20, 0.5 + 2.0**-20
    basis = [(lambda g, k=k: g**k) for k in range(1, d + 1)]
    c, E, emax = remez_poly(lambda g: mp.mpf(2) ** g - 1, lo, hi, basis,
                            weight=lambda g: mp.mpf(2) ** -g, grid=1000)
    cf = [1.0] + [f32(v) for v in c]
    report.append(f"2^g on [{lo}, {hi}], degree {d}, c0 = 1: levelled relative error {mp.nstr(E, 4)}")
    worst = 0
    N = 20000
    for i in range(N + 1):
        g = f32(lo + (hi - lo) * i / N)
        p = cf[d]
        for k in range(d - 1, -1, -1):
            p = fma32(p, g, cf[k])
        exact = mp.mpf(2) ** g
        ulp = mp.mpf(2) ** (mp.floor(mp.log(exact, 2)) - 23)
        worst = max(worst, abs(p - exact) / ulp)
    report.append(f"float32 Horner evaluation: max error {mp.nstr(worst, 3)} ULP of 2^g")
    body.append("struct Exp2Consts {")
    body.append(f"  static constexpr float kD1Hi = {hexf(D1h)};  // 12 significant bits")
    body.append(f"  static constexpr float kD1Lo = {hexf(D1l)};")
    body.append(f"  static constexpr float kD2Hi = {hexf(D2h)};")
    body.append(f"  static constexpr float kD2Lo = {hexf(D2l)};")
    body.append(f"  static constexpr float kKHi = {hexf(Kh)};")
    body.append(f"  static constexpr float kKLo = {hexf(Kl)};")
    body.append(f"  static constexpr float kP[{d + 1}] = {{{', '.join(hexf(v) for v in cf)}}};")
    body.append("};")

    emit("tanh_exp2_fit.py", report, "gelubench::xsigmoid", body, args.out)


if __name__ == "__main__":
    main()
