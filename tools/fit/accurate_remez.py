"""Weighted minimax polynomials for the kernels/accurate family.

remez(f, w, a, b, degree, fixed)   minimise max |w(d) * (p(d) - f(d))| over
                                   [a, b], p(d) = sum_k c_k d^k, some c_k fixed
lawson(f, w, a, b, degree, fixed)  the same by iteratively reweighted least
                                   squares (no Haar condition needed)
fpminimax(f, w, a, b, degree)      the same with float32 coefficients: fit,
                                   round c_0 to float32, refit the others
                                   (Lawson), round c_1, ... (greedy, the
                                   simplest form of Sollya's fpminimax)
f32(v), hexf(v)                    float32 rounding; C++ hex-float literal

Function values, the Remez systems and the error measurements run in mpmath
at 40 digits, so the printed errors are those of the fit, not of double
arithmetic (Lawson solves its least squares in float64 on the residual,
which is ~1e-9, so float64 still carries it to ~1e-17 absolute). The exchange runs on a dense Chebyshev grid of the interval
(discrete Remez); `max_error` re-measures a result on a denser grid.
"""
import math
import struct

import mpmath as mp
import numpy as np

mp.mp.dps = 40


def f32(v):
    """Round to the nearest float32, ties to even (returned as an exact Python
    float). Rounds once, straight from the mpf value: no double rounding."""
    v = mp.mpf(v)
    if v == 0:
        return 0.0
    assert abs(v) >= mp.mpf(2) ** -126, "subnormal float32 coefficients are not expected"
    with mp.workprec(24):
        r = +v  # unary plus rounds to the working precision (nearest, ties to even)
    out = float(r)
    assert abs(out) < 2.0 ** 128
    return out


def hexf(v):
    """C++ hex-float literal of a float32 value, e.g. 0x1.8p-3f (exact)."""
    v = float(v)
    if v == 0.0:
        return "-0.0f" if math.copysign(1.0, v) < 0 else "0.0f"
    sign = "-" if v < 0 else ""
    m, e = math.frexp(abs(v))  # |v| = m * 2^e, m in [0.5, 1)
    frac = int(m * 2 * (1 << 24)) - (1 << 24)  # exact: a float32 has 24 bits
    digits = f"{frac:06x}".rstrip("0")
    body = f"0x1.{digits}" if digits else "0x1"
    return f"{sign}{body}p{e - 1}f"


def _cheb_grid(a, b, n):
    return [a + (b - a) * (1 - mp.cos(mp.pi * i / (n - 1))) / 2 for i in range(n)]


def remez(f, w, a, b, degree, fixed=None, grid=600, iters=40):
    """Weighted minimax polynomial; returns ({k: c_k} for every k, levelled error)."""
    fixed = dict(fixed or {})
    free = [k for k in range(degree + 1) if k not in fixed]
    n = len(free)
    a, b = mp.mpf(a), mp.mpf(b)
    S = max(abs(a), abs(b))
    xs = _cheb_grid(a, b, grid)
    fv = [f(x) - sum(c * x**k for k, c in fixed.items()) for x in xs]
    wv = [w(x) for x in xs]
    if n == 0:
        return fixed, max(abs(wv[i] * fv[i]) for i in range(grid))
    ref = [int(round((grid - 1) * (1 - math.cos(math.pi * i / n)) / 2)) for i in range(n + 1)]
    coef = None
    for _ in range(iters):
        A = mp.matrix(n + 1, n + 1)
        rhs = mp.matrix(n + 1, 1)
        for r, idx in enumerate(ref):
            for j, k in enumerate(free):
                A[r, j] = (xs[idx] / S) ** k  # scaled basis: a well-conditioned system
            A[r, n] = (-1) ** r / wv[idx]
            rhs[r] = fv[idx]
        try:
            sol = mp.lu_solve(A, rhs)
        except ZeroDivisionError:
            # A symmetric reference can be singular (odd basis, symmetric
            # interval); restart from an asymmetric one.
            ref = sorted({int((grid - 1) * (i + 0.3) / (n + 0.6)) for i in range(n + 1)})
            continue
        coef = [sol[j] / S**k for j, k in enumerate(free)]
        lev = abs(sol[n])
        err = [wv[i] * (sum(coef[j] * xs[i] ** k for j, k in enumerate(free)) - fv[i]) for i in range(grid)]
        # One extremum per run of equal sign, then trim to n + 1 alternating points.
        segs, cur = [], [0]
        for i in range(1, grid):
            if (err[i] >= 0) == (err[cur[-1]] >= 0):
                cur.append(i)
            else:
                segs.append(cur)
                cur = [i]
        segs.append(cur)
        ext = [max(s, key=lambda i: abs(err[i])) for s in segs]
        while len(ext) > n + 1:
            if abs(err[ext[0]]) < abs(err[ext[-1]]):
                ext.pop(0)
            else:
                ext.pop()
        top = max(abs(e) for e in err)
        if len(ext) < n + 1 or top <= lev * (1 + mp.mpf(10) ** -8):
            break
        ref = ext
    out = dict(fixed)
    out.update({k: coef[j] for j, k in enumerate(free)})
    return out, lev


def evaluate(coef, d):
    return sum(c * d**k for k, c in coef.items())


def max_error(f, w, a, b, coef, n=4000):
    """max |w (p - f)| on a dense grid, p with the given (exact) coefficients."""
    return max(abs(w(x) * (evaluate(coef, x) - f(x))) for x in _cheb_grid(mp.mpf(a), mp.mpf(b), n))


def lawson(f, w, a, b, degree, fixed, grid=1500, iters=3000):
    """Weighted minimax by Lawson's iteratively reweighted least squares.

    Unlike the Remez exchange it needs no Haar condition, so it also works
    when the free basis functions all vanish inside the interval (d^1..d^n
    once c_0 is fixed), which is what greedy rounding produces. Function
    values come from mpmath; the least squares run in float64 on the
    residual, which is far below 1 (so float64 carries it to ~1e-17)."""
    fixed = {k: mp.mpf(v) for k, v in fixed.items()}
    free = [k for k in range(degree + 1) if k not in fixed]
    a, b = mp.mpf(a), mp.mpf(b)
    S = float(max(abs(a), abs(b)))
    xs = _cheb_grid(a, b, grid)
    res = np.array([float(f(x) - sum(c * x**k for k, c in fixed.items())) for x in xs])
    wv = np.array([float(w(x)) for x in xs])
    X = np.array([float(x) for x in xs]) / S
    A = np.stack([X**k for k in free], axis=1) * wv[:, None]
    rhs = res * wv
    u = np.full(grid, 1.0 / grid)
    best, best_c = np.inf, None
    for _ in range(iters):
        sw = np.sqrt(u)
        c, *_ = np.linalg.lstsq(A * sw[:, None], rhs * sw, rcond=None)
        e = np.abs(A @ c - rhs)
        if e.max() < best:
            best, best_c = e.max(), c
        u = u * e
        u /= u.sum()
    out = dict(fixed)
    out.update({k: mp.mpf(float(best_c[j])) / mp.mpf(S) ** k for j, k in enumerate(free)})
    return out, best


def fpminimax(f, w, a, b, degree, fixed=None):
    """Float32 coefficients by greedy rounding, lowest order first, each step
    refitting the still-free coefficients (Lawson) to absorb the rounding."""
    fixed = {k: mp.mpf(v) for k, v in (fixed or {}).items()}
    coef, _ = remez(f, w, a, b, degree, fixed)
    for k in range(degree + 1):
        if k in fixed:
            continue
        fixed[k] = mp.mpf(f32(coef[k]))
        if len(fixed) <= degree:
            coef, _ = lawson(f, w, a, b, degree, fixed)
    return {k: float(v) for k, v in fixed.items()}
