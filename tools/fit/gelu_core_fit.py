#!/usr/bin/env python3
"""Tables of the exp-free core path of the kernels/accurate family.

GELU's inputs in a network are near normal(0, 1). On -3 <= x < 6 the core
path evaluates one polynomial per slot, with no exponential; lanes below -3
(0.13% of normal(0, 1) inputs) take the family's exp-based tail path
(kernels/core_tail_avx512.h).

Slots: 32, selected by the exponent and top 3 mantissa bits of u = x + 4
(rounded to float; OFFSET = 4 - 2^-21, see below): 8 slots per binade of u,
so they are finest where GELU varies fastest relative to its size (near the
tail) and coarsest where it is nearly x:
    u in [1, 2)    x in [-3, -2)   width 1/8    slots 24-31 (idx = bits(u) >> 20 & 31)
    u in [2, 4)    x in [-2, 0)    width 1/4    slots  0-7
    u in [4, 8)    x in [0, 4)     width 1/2    slots  8-15
    u in [8, 16)   x in [4, 12)    width 1      slots 16-23 (used up to x = 6)
At and above x = 6 the kernels return x (Phi(-6) = 1e-9).
A lane's slot can be its neighbour's when x + OFFSET rounds across a boundary, so
every fit holds on its interval widened by half an ulp of u.

On slot i, d = x - c_i, exact: c_i is the slot's centre (Sterbenz' lemma)
or, for the two slots next to 0, 0. Then:

  --form accurate (f32_erf_accurate*):
    y = fma(x, H_i, x * q(d)),  q ~ Phi(c_i + d) - H_i,
    with H_i the float that makes the largest |q/Phi| on the slot smallest:
    the roundings of q and of x * q are of size |q| <= 0.28 |y|, and x H_i is
    exact inside the FMA, so tiny x keep full relative precision. (An earlier
    version used y = H_i + q(d), q ~ GELU - H_i, below x = -1/2, where
    |q/y| is smaller (0.21 at most) and the error was 0.794 ULP instead of
    0.933; one form everywhere saves the kernel a compare and a blend.)
  --form fast (f32_erf_fast_accurate*): y = x * q(d), q ~ Phi(c_i + d).
  --formula tanh (with --form fast; f32_tanh_fast_accurate*): the same, Phi
    replaced by the tanh formula's, sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)).

q is a degree-D float32 polynomial, weighted minimax (relative error of y)
by Remez exchange and greedy rounding to float32 (accurate_remez.py).

Needs tools/fit/requirements.txt (mpmath, numpy). Run from the repository root:
    gelu_core_fit.py --form accurate --degree 6 --prefix kCoreAcc --out kernels/accurate/core_tables_accurate.h
    gelu_core_fit.py --form fast --degree 5 --prefix kCoreFast --out kernels/accurate/core_tables_fast.h
    gelu_core_fit.py --formula tanh --form fast --degree 5 --prefix kCoreTanh --out kernels/tanh/core_tables_tanh.h
"""
import argparse
import sys

import mpmath as mp

from accurate_remez import f32, fpminimax, hexf, max_error, remez
from generated import header, write

SQRT2 = mp.sqrt(2)
SLOTS = 32
# u = x + OFFSET. 2^-22 under 3.5 moves every boundary 2^-22 up, so that
# x = -0 and +0 share the slot left of 0, where q(0) > 0: fma(x, H, x q)
# then keeps -0's sign (-0 + -0).
DELTA = 2.0**-21
OFFSET = 4.0 - DELTA
X_TAIL = -3.0 + DELTA  # lanes below (u < 1) take the tail path
X_TOP = 6.0     # lanes at or above return x


def Phi_erf(x):
    return mp.erfc(-x / SQRT2) / 2


def Phi_tanh(x):
    """The tanh formula's Phi: GELU_tanh(x) = x Phi_tanh(x) = x sigmoid(2u),
    u = sqrt(2/pi) (x + 0.044715 x^3) (the sigmoid form has no 1 + tanh
    cancellation)."""
    u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
    return 1 / (1 + mp.exp(-2 * u))


Phi = Phi_erf


def slots():
    """(slot, a, b, half-ulp of u) for each used slot, in x order."""
    out = []
    for e in range(4):
        for m in range(8):
            lo = 2.0**e * (1 + m / 8) - OFFSET  # exact
            hi = 2.0**e * (1 + (m + 1) / 8) - OFFSET
            if lo >= X_TOP:
                break
            idx = ((((127 + e) << 3) | m) & (SLOTS - 1))
            out.append((idx, lo, hi, 2.0 ** (e - 24)))
    return out


def balanced(F, a, b):
    """The float H that minimizes max |F - H| / |F| on [a, b] for a monotonic
    F of one sign: the harmonic mean of its end values."""
    fa, fb = F(a), F(b)
    return f32(2 * fa * fb / (fa + fb))


def fit_slot(form, a, b, ext, degree):
    c = (a + b - 2 * DELTA) / 2  # the unshifted middle: a short float
    lo_x, hi_x = sorted((abs(a), abs(b)))
    if lo_x < abs(c) / 2 or hi_x > 2 * abs(c):
        c = 0.0  # next to 0: x - c would round (Sterbenz needs c/2 <= x <= 2c)
    lo, hi = mp.mpf(a) - ext - c, mp.mpf(b) + ext - c
    if form == "fast":
        H = 0.0
        f = lambda d: Phi(c + d)
    else:
        H = balanced(Phi, lo + c, hi + c)
        f = lambda d: Phi(c + d) - H
    w = lambda d: 1 / Phi(c + d)
    coef = fpminimax(f, w, lo, hi, degree)
    err = max_error(f, w, lo, hi, {i: mp.mpf(v) for i, v in coef.items()})
    # Largest |q| relative to y: the size of the rounding before the final one.
    qrel = max(abs(w(d) * (f(d))) for d in (lo, hi)) if form == "accurate" else 0
    return c, H, coef, err, qrel


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--form", choices=["accurate", "fast"], required=True)
    ap.add_argument("--formula", choices=["erf", "tanh"], default="erf",
                    help="the GELU fitted: exact (erf) or the tanh formula (--form fast only)")
    ap.add_argument("--degree", type=int, required=True)
    ap.add_argument("--prefix", required=True, help="C++ name prefix of the tables")
    ap.add_argument("--out", help="write the C++ header here (default: stdout)")
    args = ap.parse_args()
    D = args.degree
    if args.formula == "tanh":
        if args.form != "fast":
            ap.error("--formula tanh needs --form fast")
        global Phi
        Phi = Phi_tanh

    names = ["centre", "hi"] + [f"c{i}" for i in range(D + 1)]
    table = {name: [0.0] * SLOTS for name in names}
    report = [f"formula {args.formula}, form {args.form}, degree {D}; slot [a, b) centre max|q/y| achieved error (relative)"]
    worst = 0
    used = []
    for (s, a, b, ext) in slots():
        c, H, coef, err, qrel = fit_slot(args.form, a, b, ext, D)
        worst = max(worst, err)
        table["centre"][s] = c
        table["hi"][s] = H
        for i in range(D + 1):
            table[f"c{i}"][s] = coef.get(i, 0.0)
        used.append(s)
        report.append(f"  slot {s:2d} [{a:6.3f}, {b:6.3f}) c={c:7.4f} "
                      f"max|q/y|={float(qrel):.3f} err=2^{float(mp.log(err, 2)):6.2f}")
    last = used[-1]
    for s in range(SLOTS):
        if s not in used:
            for name in names:
                table[name][s] = table[name][last]
    report.append(f"worst achieved relative error: 2^{float(mp.log(worst, 2)):.2f}")

    P = args.prefix
    lines = header("gelu_core_fit.py", report) + [
        "",
        "namespace gelubench::core_tables {",
        "",
        f"inline constexpr int {P}Degree = {D};",
        f"inline constexpr float {P}XTop = {hexf(X_TOP)};    // x at or above: GELU(x) = x",
        f"inline constexpr float {P}Offset = {hexf(OFFSET)};  // u = x + this selects the slot; u < 1: the tail path",
    ] + [
        "",
    ]

    def arr(name, vals, comment):
        body = ", ".join(hexf(v) for v in vals)
        return [f"// {comment}", f"alignas(64) inline constexpr float {P}{name}[{SLOTS}] = {{{body}}};"]

    lines += arr("Centre", table["centre"], "c_i: d = x - c_i")
    if args.form == "accurate":
        lines += arr("Hi", table["hi"], "H_i")
    lines += [f"// q's coefficients: row k holds the coefficient of d^k of every slot",
              f"alignas(64) inline constexpr float {P}C[{D + 1}][{SLOTS}] = {{"]
    lines += ["    {" + ", ".join(hexf(v) for v in table[f"c{i}"]) + "}," for i in range(D + 1)]
    lines += ["};", "", "}  // namespace gelubench::core_tables", ""]
    write(args.out, lines)
    print("\n".join(report), file=sys.stderr)


if __name__ == "__main__":
    main()
