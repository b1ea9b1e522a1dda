"""Minimax fitting helpers shared by the poly/rational/tanh/sigmoid fit scripts.

remez_poly     weighted minimax polynomial (Remez exchange on a dense grid)
lawson_rational near-minimax rational P/Q (Loeb + Lawson reweighting, Q(0) = 1)
f32, fma32     float32 rounding and a float32 fused multiply-add, for
               measuring a fit the way the kernel will evaluate it

Everything is done in mpmath at `mp.dps` digits (30): the function
values, the linear systems and the error curves, so the printed errors are
the errors of the fit itself, not of double-precision arithmetic.
"""
import struct

import mpmath as mp

mp.mp.dps = 30


def f32(v):
    """Round an mpmath/float value to the nearest float32 (as a Python float)."""
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def fma32(a, b, c):
    """float32 fma: a*b + c rounded once to float32 (a, b, c are float32)."""
    return f32(mp.mpf(a) * mp.mpf(b) + mp.mpf(c))


def hexf(v):
    """C++ hex-float literal of a float32 value (exact), e.g. 0x1.8p-3f."""
    v = float(v)
    if v == 0:
        return "-0.0f" if str(v).startswith("-") else "0.0f"
    h = v.hex()  # 0x1.8000000000000p-3
    mant, exp = h.split("p")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}p{exp}f"


def _grid(a, b, n):
    # Chebyshev-distributed dense grid, endpoints included.
    return [a + (b - a) * (1 - mp.cos(mp.pi * i / (n - 1))) / 2 for i in range(n)]


def _alternating_extrema(xs, es, npts):
    """Indices of npts alternating-sign local extrema of es, keeping the global max."""
    runs = []  # (index of max |e| in a run of constant sign)
    start = 0
    for i in range(1, len(es) + 1):
        if i == len(es) or mp.sign(es[i]) != mp.sign(es[start]):
            j = max(range(start, i), key=lambda k: abs(es[k]))
            runs.append(j)
            start = i
    while len(runs) > npts:
        # drop the smaller end run, or merge the smallest pair of neighbours
        if abs(es[runs[0]]) < abs(es[runs[-1]]):
            runs.pop(0)
        else:
            runs.pop()
    return runs


def remez_poly(f, a, b, basis, weight=lambda x: 1, grid=3000, iters=40, tol=1e-9):
    """Minimise max |weight(x)*(sum c_k basis_k(x) - f(x))| over [a, b].

    basis: list of functions of x (e.g. [lambda x: x**k for k in ...]).
    Returns (coefficients, levelled error E, max error on the grid).
    """
    n = len(basis)
    xs = _grid(mp.mpf(a), mp.mpf(b), grid)
    fx = [f(x) for x in xs]
    wx = [weight(x) for x in xs]
    bx = [[bk(x) for bk in basis] for x in xs]
    ref = [int(round((grid - 1) * (1 - mp.cos(mp.pi * i / n)) / 2)) for i in range(n + 1)]
    best = None
    for _ in range(iters):
        A = mp.matrix(n + 1, n + 1)
        rhs = mp.matrix(n + 1, 1)
        for r, i in enumerate(ref):
            for k in range(n):
                A[r, k] = bx[i][k]
            A[r, n] = (-1) ** r / wx[i]
            rhs[r] = fx[i]
        sol = mp.lu_solve(A, rhs)
        c = [sol[k] for k in range(n)]
        E = abs(sol[n])
        es = [wx[i] * (mp.fsum(c[k] * bx[i][k] for k in range(n)) - fx[i]) for i in range(grid)]
        emax = max(abs(e) for e in es)
        best = (c, E, emax)
        if emax - E <= tol * emax:
            break
        new = _alternating_extrema(xs, es, n + 1)
        if len(new) < n + 1:
            break
        ref = new
    return best


def lawson_rational(f, a, b, n, m, weight=lambda x: 1, grid=4000, iters=300):
    """Near-minimax rational P/Q (monomials in x, Q(0) = 1, deg n/m) by Loeb's
    linearised least squares with Lawson's reweighting, in mpmath.

    Each step minimises sum_i v_i w_i^2 (P(x_i) - f_i Q(x_i))^2 / Qprev(x_i)^2
    and multiplies v_i by the resulting |weighted error|; the weights
    concentrate on the extrema and the error levels towards the minimax one.
    Robust where the exchange algorithm stalls (degenerate or badly started
    problems). Returns (p, q, max weighted error on the grid).
    """
    xs = _grid(mp.mpf(a), mp.mpf(b), grid)
    scale = mp.mpf(b) if b != 0 else mp.mpf(1)
    ts = [x / scale for x in xs]  # fit in t = x/b in [0, 1], rescale at the end
    fx = [f(x) for x in xs]
    wx = [weight(x) for x in xs]
    v = [mp.mpf(1) / grid] * grid
    qprev = [mp.mpf(1)] * grid
    best = None
    for _ in range(iters):
        rows = []
        rhs = []
        for i in range(grid):
            sc = mp.sqrt(v[i]) * wx[i] / qprev[i]
            rows.append([sc * ts[i] ** j for j in range(n + 1)] +
                        [-sc * fx[i] * ts[i] ** k for k in range(1, m + 1)])
            rhs.append(sc * fx[i])
        A = mp.matrix(rows)
        y = mp.matrix(rhs)
        sol = mp.qr_solve(A, y)[0]
        pt = [sol[j] for j in range(n + 1)]
        qt = [sol[n + 1 + k] for k in range(m)]
        qv = [1 + mp.fsum(qt[k] * ts[i] ** (k + 1) for k in range(m)) for i in range(grid)]
        es = [wx[i] * (mp.fsum(pt[j] * ts[i] ** j for j in range(n + 1)) / qv[i] - fx[i])
              for i in range(grid)]
        emax = max(abs(e) for e in es)
        p = [pt[j] / scale**j for j in range(n + 1)]
        q = [qt[k] / scale ** (k + 1) for k in range(m)]
        if best is None or emax < best[2]:
            best = (p, q, emax)
        v = [v[i] * abs(es[i]) for i in range(grid)]
        tot = mp.fsum(v)
        v = [vi / tot for vi in v]
        qprev = qv
    return best
