"""Figures computed from the data: Pareto front and the "which GELU" picks.

Nothing here holds a measured number; the thresholds below are the
questions asked, the answers come from the result files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from reports.model import Kernel, Run

# Questions a user asks. Thresholds are part of the question, not results.
EXACT_ULP_LIMIT = 1.0      # "within 1 ULP of exact GELU"
ABS_LIMIT = 1.5e-6         # "within 1.5e-6 absolute of exact GELU"
TANH_FORMULA_ULP_LIMIT = 4.0  # "within 4 ULP of the tanh formula"
LOOSE_ULP_LIMIT = 4.0      # "within 4 ULP of exact GELU"
# PyTorch's assert_close default tolerances, per dtype (the profile names
# accuracy.json uses): each format is judged by the one meant for it.
PYTORCH_PROFILES = {"f32": "pytorch_test_fp32", "f16": "pytorch_test_fp16", "bf16": "pytorch_test_bf16"}


def err_key(x: float) -> float:
    """Sort key for an error: NaN counts as worst."""
    return math.inf if math.isnan(x) else x


def pareto_front(points: list[tuple[str, float, float]]) -> list[str]:
    """Names on the speed/error front: no other point is both faster and
    at least as accurate. Points are (name, speed, error); infinite or NaN
    errors are never on the front."""
    pts = sorted((p for p in points if math.isfinite(p[2])), key=lambda p: (-p[1], p[2]))
    front, best = [], math.inf
    for name, _speed, err in pts:
        if err < best:
            front.append(name)
            best = err
    return front


@dataclass(frozen=True)
class Criterion:
    title: str
    why: str
    accepts: Callable[[Kernel], bool]
    fastest: bool = True   # False: the most accurate, speed only breaks ties
    dtypes: tuple[str, ...] | None = None  # the formats the question is asked for (None: all)


def _profile_pass(k: Kernel, name: str) -> bool:
    p = k.exact["profiles"].get(name)
    return bool(p and p["pass"])


CRITERIA = [
    Criterion(
        "Closest to exact GELU",
        "lowest max ULP vs exact GELU over the inputs measured; ties go to the higher "
        "correctly rounded share, then the lower mean ULP",
        lambda k: True, fastest=False),
    Criterion(
        f"Fastest within {EXACT_ULP_LIMIT:g} ULP of exact GELU",
        f"max ULP vs exact ≤ {EXACT_ULP_LIMIT:g} on every input measured",
        lambda k: k.exact["max_ulp"] <= EXACT_ULP_LIMIT),
    Criterion(
        f"Fastest within {ABS_LIMIT:g} absolute of exact GELU",
        f"max |error| vs exact ≤ {ABS_LIMIT:g} (asked of f32 only: a 16-bit format's "
        "spacing is wider)",
        lambda k: k.exact["max_abs"] <= ABS_LIMIT, dtypes=("f32",)),
    Criterion(
        "Fastest passing PyTorch's test tolerance for its format",
        "no violation vs exact GELU of assert_close's default rtol/atol for the dtype "
        "(profiles pytorch_test_fp32, _fp16, _bf16)",
        lambda k: k.dtype in PYTORCH_PROFILES and _profile_pass(k, PYTORCH_PROFILES[k.dtype]),
        dtypes=tuple(PYTORCH_PROFILES)),
    Criterion(
        "Fastest tanh-form GELU",
        f"formula = tanh (PyTorch approximate='tanh') and max ULP vs that formula ≤ "
        f"{TANH_FORMULA_ULP_LIMIT:g}",
        lambda k: k.formula == "tanh" and k.vs_formula["max_ulp"] <= TANH_FORMULA_ULP_LIMIT),
    Criterion(
        "Fastest overall",
        "any kernel, whatever its error",
        lambda k: True),
]


@dataclass
class Pick:
    criterion: Criterion
    kernel: Kernel | None
    speed: float | None
    qualifying: int          # kernels meeting the criterion
    without_speed: int       # of those, how many have no L2 throughput


def recommend(run: Run) -> dict[str, list[Pick]]:
    """Per dtype (ULP means something different per format), one pick per
    criterion. Needs accuracy.json; speeds need throughput.json."""
    by_dtype: dict[str, list[Kernel]] = {}
    for k in run.kernels:
        by_dtype.setdefault(k.dtype, []).append(k)
    out: dict[str, list[Pick]] = {}
    for dtype, kernels in sorted(by_dtype.items()):
        picks = []
        for c in CRITERIA:
            if c.dtypes is not None and dtype not in c.dtypes:
                continue
            ok = [k for k in kernels if c.accepts(k)]
            timed = [(k, run.l2_speed(k.name)) for k in ok]
            no_speed = sum(1 for _, s in timed if s is None)
            if c.fastest:
                timed = [(k, s) for k, s in timed if s is not None]
                best = max(timed, key=lambda t: (t[1], -err_key(t[0].exact["max_ulp"])),
                           default=None)
            else:
                best = min(timed, key=lambda t: (err_key(t[0].exact["max_ulp"]),
                                                 -t[0].exact["correctly_rounded_fraction"],
                                                 err_key(t[0].exact["mean_ulp"]),
                                                 -(t[1] or 0.0)), default=None)
            picks.append(Pick(c, best[0] if best else None, best[1] if best else None,
                              len(ok), no_speed))
        out[dtype] = picks
    return out


@dataclass(frozen=True)
class PeerRatio:
    ratio: float  # the kernel's elements/s over the peer's, same N and inputs
    peer: str


def _kind(run: Run, name: str) -> tuple[str, str | None]:
    """(dtype, formula) of a throughput series, as its rows say."""
    k = run.bench_kind(name)
    return (k.dtype, k.formula) if k else (name, None)


def against_fastest_peer(run: Run, dist: str) -> dict[str, dict[int, PeerRatio]]:
    """For each own kernel with throughput data: at each N, its elements/s
    over those of the fastest peer of the same dtype and formula measured at
    that N on the same inputs (speed goals are stated this way). Kernels no
    peer of their kind was measured against are left out."""
    in_process = [k for k in run.throughput_kernels() if k not in run.out_of_process]
    own = [k for k in in_process if not run.is_peer(k)]
    peers = [k for k in in_process if run.is_peer(k)]
    out: dict[str, dict[int, PeerRatio]] = {}
    for k in own:
        mine = {p.n: p.items_per_second for p in run.series[k].get(dist, []) if p.items_per_second}
        for n, speed in sorted(mine.items()):
            rivals = [(p.items_per_second, q) for q in peers if _kind(run, q) == _kind(run, k)
                      for p in run.series[q].get(dist, []) if p.n == n and p.items_per_second]
            if rivals:
                best, name = max(rivals)
                out.setdefault(k, {})[n] = PeerRatio(speed / best, name)
    return out


# ------------------------------------------------- the first screen
# The six questions the report answers first (f32), each with the fastest
# peer or framework of the same class beside the pick.
ANSWER_DIST = "normal"  # GELU's inputs in a network; speed at L2 on these


def _erf_class(k: Kernel) -> bool:
    return k.formula == "erf"


ANSWER_QUESTIONS = [
    (Criterion("Closest to exact GELU", "lowest max ULP vs exact GELU",
               lambda k: True, fastest=False), _erf_class),
    (Criterion(f"Fastest within {EXACT_ULP_LIMIT:g} ULP", f"max ULP vs exact ≤ {EXACT_ULP_LIMIT:g}",
               lambda k: k.exact["max_ulp"] <= EXACT_ULP_LIMIT), _erf_class),
    (Criterion(f"Fastest within {LOOSE_ULP_LIMIT:g} ULP", f"max ULP vs exact ≤ {LOOSE_ULP_LIMIT:g}",
               lambda k: k.exact["max_ulp"] <= LOOSE_ULP_LIMIT), _erf_class),
    (Criterion(f"Fastest erf-class within {ABS_LIMIT:g} absolute", f"erf formula, max |error| ≤ {ABS_LIMIT:g}",
               lambda k: k.formula == "erf" and k.exact["max_abs"] <= ABS_LIMIT), _erf_class),
    (Criterion("Fastest tanh form", f"tanh formula, max ULP vs it ≤ {TANH_FORMULA_ULP_LIMIT:g}",
               lambda k: k.formula == "tanh" and k.vs_formula["max_ulp"] <= TANH_FORMULA_ULP_LIMIT),
     lambda k: k.formula == "tanh"),
    (Criterion("Fastest overall", "any error", lambda k: True), lambda k: True),
]


@dataclass
class Answer:
    criterion: Criterion
    pick: Kernel | None        # own kernel or peer, whichever answers best
    pick_speed: float | None
    peer: Kernel | None        # the best peer/framework for the question, else the fastest of its class
    peer_speed: float | None
    peer_qualifies: bool


def answer_speed(run: Run, name: str) -> float | None:
    """Elements/s at L2 on normal inputs (the run's primary inputs if it
    has none); None out of process (not comparable in process)."""
    if name in run.out_of_process:
        return None
    p = run.l2_point(name, ANSWER_DIST) or run.l2_point(name)
    return p.items_per_second if p else None


def _best(c: Criterion, timed: list[tuple[Kernel, float | None]]) -> tuple[Kernel, float | None] | None:
    if c.fastest:
        timed = [(k, s) for k, s in timed if s is not None]
        return max(timed, key=lambda t: (t[1], -err_key(t[0].exact["max_ulp"])), default=None)
    return min(timed, key=lambda t: (err_key(t[0].exact["max_ulp"]), -t[0].exact["correctly_rounded_fraction"],
                                     err_key(t[0].exact["mean_ulp"]), -(t[1] or 0.0)), default=None)


def answers(run: Run, dtype: str = "f32") -> list[Answer]:
    """The first screen: per question, the best kernel of all and the best
    peer (or, when no peer qualifies, the fastest peer of the same class)."""
    kernels = [k for k in run.kernels if k.dtype == dtype]
    out = []
    for c, same_class in ANSWER_QUESTIONS:
        timed = [(k, answer_speed(run, k.name)) for k in kernels]
        pick = _best(c, [t for t in timed if c.accepts(t[0])])
        peers = [t for t in timed if t[0].peer]
        peer = _best(c, [t for t in peers if c.accepts(t[0])])
        qualifies = peer is not None
        if peer is None:
            peer = max(((k, s) for k, s in peers if same_class(k) and s is not None),
                       key=lambda t: t[1], default=None)
        out.append(Answer(c, pick[0] if pick else None, pick[1] if pick else None,
                          peer[0] if peer else None, peer[1] if peer else None, qualifies))
    return out
