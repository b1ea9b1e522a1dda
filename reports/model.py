"""One result directory as objects the report can query.

A Run bundles info.json with whichever of accuracy.json / throughput.json
is present, plus warnings found while cross-checking them (the report
prints those; they never stop it).
"""

from __future__ import annotations

import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from reports import schema
from reports.errors import ReportError

COPY_KERNEL = "copy"  # the memory-roof pseudo-kernel in throughput.json
L2_LABEL = "L2"
PRIMARY_DIST = "uniform"



def method_of(name: str) -> str:
    """The <method> of a kernel name, <dtype>_<formula>_<method>[_<detail>]__<isa>
    ("other" for a name without one). accuracy.json has no method field, and
    the figures' colours are per method; throughput.json rows carry it."""
    parts = name.split("__", 1)[0].split("_") if "__" in name else []
    return parts[2] if len(parts) > 2 and all(parts[:3]) else "other"


@dataclass(frozen=True)
class BenchKind:
    """What throughput.json says a series measured (its rows' "gelubench")."""
    dtype: str
    formula: str | None
    method: str | None
    copy_roof: bool


@dataclass
class Kernel:
    """One entry of accuracy.json's "kernels" (already validated), or a group
    of ISA versions of one kernel that the harness proved bit-identical
    (see isa_groups): then `raw` is the first version's entry, which holds
    the figures of all, and `members` names every version."""
    raw: dict
    members: list[str] = field(default_factory=list)  # the versions' names, file order

    @property
    def name(self) -> str:
        """What the report calls it: the kernel's name, or for a group
        <stem>__{isa,isa,...}."""
        if len(self.members) < 2:
            return self.raw["name"]
        return f"{stem(self.members[0])}__{{{','.join(isa_of(m) for m in self.members)}}}"

    @property
    def names(self) -> list[str]:
        """The kernel names it stands for (one unless a group)."""
        return self.members or [self.raw["name"]]

    @property
    def dtype(self) -> str:
        return self.raw["dtype"]

    @property
    def formula(self) -> str:
        return self.raw["formula"]

    @property
    def peer(self) -> bool:
        return self.raw["peer"]

    @property
    def exact(self) -> dict:
        return self.raw["vs"]["exact"]

    @property
    def vs_formula(self) -> dict:
        return self.raw["vs"]["formula"]

    @property
    def method(self) -> str:
        return method_of(self.raw["name"])

    @property
    def specials_failed(self) -> list[dict]:
        """Special values off GELU's limits, except deviations the kernel's
        registry line declares and that happen as declared."""
        return [s for s in self.raw["specials"] if not s["pass"] and not declared_as_such(s)]

    @property
    def specials_declared(self) -> list[dict]:
        return [s for s in self.raw["specials"] if not s["pass"] and declared_as_such(s)]


def stem(name: str) -> str:
    """A kernel name without its __<isa> suffix."""
    return name.rsplit("__", 1)[0]


def isa_of(name: str) -> str:
    return name.rsplit("__", 1)[1] if "__" in name else ""


# What ISA versions with identical outputs may still differ in: their name
# and CPU features, and whom they name. Anything else apart (a budget, an
# edge, hence a verdict or a special-value row) keeps them separate rows.
_GROUP_FREE_KEYS = ("name", "features", "same_bits_as")


def isa_groups(entries: list[dict], warnings: list[str] | None = None) -> list[list[dict]]:
    """accuracy.json entries ("kernels" or "quantized") grouped into ISA
    versions of one kernel: same name up to __<isa>, and the harness's proof
    of identical outputs, "same_bits_as" (the first kernel it found them
    identical to; kernels with one such first are identical to each other).
    Equal figures alone never group kernels. A group's entries must agree
    in everything but name and features; where the harness's claim and the
    figures disagree, a warning, and the kernels stay apart. In file order."""
    keyed: dict[tuple[str, str], list[dict]] = {}
    for e in entries:
        keyed.setdefault((stem(e["name"]), e.get("same_bits_as", e["name"])), []).append(e)
    groups: dict[str, list[dict]] = {}  # by the first member's name
    for members in keyed.values():
        free = [{k: v for k, v in m.items() if k not in _GROUP_FREE_KEYS} for m in members]
        together = [members[0]]
        for m, f in zip(members[1:], free[1:]):
            if f == free[0]:
                together.append(m)
                continue
            groups[m["name"]] = [m]
            if warnings is not None and f.get("vs") != free[0].get("vs"):
                warnings.append(f'accuracy.json: {m["name"]} has the same bits as {m["same_bits_as"]} '
                                f'but other figures than {members[0]["name"]}; shown apart')
        groups[members[0]["name"]] = together
    order = {e["name"]: i for i, e in enumerate(entries)}
    return sorted(groups.values(), key=lambda g: order[g[0]["name"]])


def declared_as_such(special: dict) -> bool:
    dev = special.get("declared_deviation")
    return bool(dev and dev["as_declared"])


@dataclass(frozen=True)
class Point:
    """One throughput measurement (median when repeated)."""
    n: int
    items_per_second: float
    bytes_per_second: float | None
    label: str | None


@dataclass
class Run:
    directory: str
    info: dict
    accuracy: dict | None = None
    throughput: dict | None = None
    label: str = ""
    warnings: list[str] = field(default_factory=list)
    # one per row of the report: ISA versions proven bit-identical grouped
    kernels: list[Kernel] = field(default_factory=list)
    # throughput: kernel -> dist -> points sorted by n (includes COPY_KERNEL)
    series: dict[str, dict[str, list[Point]]] = field(default_factory=dict)
    bench_skipped: list[tuple[str, str]] = field(default_factory=list)
    # throughput: series key (as in `series`) -> what its rows say it measured
    bench_kinds: dict[str, BenchKind] = field(default_factory=dict)
    # kernels timed out of process (external programs timing themselves,
    # counter out_of_process), and their own copy roofs ("copy@<kernel>")
    out_of_process: set[str] = field(default_factory=set)
    # frameworks.json (scripts/sweep): adapters installed and not installed
    frameworks: dict | None = None
    # throughput --threads: kernel -> dist -> n -> {threads: point}, T > 1
    # only (one thread is `series`, which every single-core figure reads)
    threaded: dict[str, dict[str, dict[int, dict[int, Point]]]] = field(default_factory=dict)
    # peers run at T > 1 with their library's own threads (counter library_threads)
    library_threaded: set[str] = field(default_factory=set)

    # ---------------------------------------------------------- lookups
    def kernel(self, name: str) -> Kernel | None:
        """By the report's name, or by any kernel name a group stands for."""
        for k in self.kernels:
            if k.name == name or name in k.names:
                return k
        return None

    def members(self, name: str) -> list[str]:
        """The kernel names (throughput.json's) behind a report name."""
        k = self.kernel(name)
        return k.names if k and name == k.name else [name]

    @property
    def grouped_versions(self) -> int:
        """ISA versions shown in a row with others."""
        return sum(len(k.members) for k in self.kernels if len(k.members) > 1)

    @property
    def ulp_definition(self) -> str | None:
        return self.accuracy["context"]["ulp_definition"] if self.accuracy else None

    @property
    def region_bounds(self) -> tuple[float, float] | None:
        """accuracy.json's [lo, hi]: tail x < lo, core lo ≤ x ≤ hi, pos x > hi."""
        return self.accuracy["context"]["region_bounds"] if self.accuracy else None

    @property
    def isa_cap(self) -> str | None:
        for src in (self.accuracy, self.throughput):
            if src and isinstance(src["context"].get("isa_cap"), str):
                return src["context"]["isa_cap"]
        return None

    def kernels_of(self, dtype: str) -> list[Kernel]:
        return [k for k in self.kernels if k.dtype == dtype]

    def throughput_kernels(self) -> list[str]:
        return sorted(k for k in self.series if k != COPY_KERNEL)

    def is_peer(self, name: str) -> bool:
        k = self.kernel(name)
        if k:
            return k.peer
        # Throughput-only runs: gelubench records the peers in the context.
        peers = (self.throughput or {}).get("context", {}).get("gelubench_peers", "")
        return isinstance(peers, str) and name in peers.split(",")

    def dists(self) -> list[str]:
        ds = {d for per in self.series.values() for d in per}
        return sorted(ds, key=lambda d: (d != PRIMARY_DIST, d))

    def l2_point(self, name: str, dist: str = PRIMARY_DIST) -> Point | None:
        """The L2-resident measurement: the largest N labelled "L2". For a
        group of ISA versions, its fastest version's (fastest_version)."""
        best = self.fastest_version(name, dist)
        pts = [p for p in self.series.get(best, {}).get(dist, []) if self.level(p) == L2_LABEL]
        return max(pts, key=lambda p: p.n) if pts else None

    def slower_versions(self) -> set[str]:
        """Of each group of ISA versions, every version but its fastest: the
        throughput figures draw one line per group."""
        return {n for k in self.kernels if len(k.members) > 1 for n in k.members
                if n != self.fastest_version(k.name)}

    def fastest_version(self, name: str, dist: str = PRIMARY_DIST) -> str:
        """The kernel behind a report name with the most elements/s at L2 on
        `dist` inputs (the first, when none has a figure)."""
        names = self.members(name)
        if len(names) == 1:
            return names[0]

        def speed(n: str) -> float:
            pts = [p for p in self.series.get(n, {}).get(dist, []) if self.level(p) == L2_LABEL]
            return max(pts, key=lambda p: p.n).items_per_second if pts else -1.0
        return max(names, key=lambda n: (speed(n), -names.index(n)))

    def level(self, p: Point) -> str | None:
        """Cache level of a measurement (its rows' size.level)."""
        return p.label

    def bench_kind(self, name: str) -> BenchKind | None:
        """dtype, formula and method of a throughput series, from its rows."""
        return self.bench_kinds.get(name)

    def copy_point(self, n: int, dist: str) -> Point | None:
        per = self.series.get(COPY_KERNEL, {})
        # copy does not depend on the input distribution: any dist will do.
        for d in [dist] + sorted(per):
            for p in per.get(d, []):
                if p.n == n:
                    return p
        return None

    def l2_speed(self, name: str) -> float | None:
        """Elements/s at L2 (uniform inputs); None for out-of-process kernels,
        whose figures include a framework's per-call cost and are not
        comparable with in-process ones."""
        if name in self.out_of_process:
            return None
        p = self.l2_point(name)
        return p.items_per_second if p else None


# ------------------------------------------------------------ loading
def load_run(directory: str) -> Run:
    if not os.path.exists(directory):
        raise ReportError(directory, "no such result directory")
    if not os.path.isdir(directory):
        raise ReportError(directory, "not a directory")
    info_path = os.path.join(directory, "info.json")
    acc_path = os.path.join(directory, "accuracy.json")
    thr_path = os.path.join(directory, "throughput.json")
    if not os.path.exists(info_path):
        raise ReportError(info_path, "missing (every result directory needs info.json)")
    info = schema.load_info(info_path)
    if not os.path.exists(acc_path) and not os.path.exists(thr_path):
        raise ReportError(directory, "has neither accuracy.json nor throughput.json")
    run = Run(directory=directory, info=info)
    fw_path = os.path.join(directory, "frameworks.json")
    if os.path.exists(fw_path):
        run.frameworks = schema.load_frameworks(fw_path)
    if os.path.exists(acc_path):
        run.accuracy = schema.load_accuracy(acc_path)
        run.kernels = [Kernel(g[0], [m["name"] for m in g] if len(g) > 1 else [])
                       for g in isa_groups(run.accuracy["kernels"], run.warnings)]
        _check_accuracy(run)
    if os.path.exists(thr_path):
        run.throughput = schema.load_throughput(thr_path)
        _index_throughput(run)
    _check_context(run)
    return run


def _check_accuracy(run: Run) -> None:
    acc = run.accuracy
    w = run.warnings
    s = acc["summary"]
    quantized = acc.get("quantized", [])  # qs8 entries: per quantization case, in LSB
    entries = acc["kernels"]  # one per kernel, ISA versions in a group each counted
    n = len(entries) + len(quantized)
    passed = sum(1 for e in entries if e["verdict"]["pass"])
    passed += sum(1 for q in quantized if q["verdict"]["pass"])
    if s["kernels"] != n:
        w.append(f"accuracy.json: summary says {s['kernels']} kernels but the file lists {n}")
    if (s["passed"], s["failed"]) != (passed, n - passed):
        w.append(f"accuracy.json: summary says {s['passed']} passed / {s['failed']} failed, "
                 f"verdicts say {passed} / {n - passed}")
    for k in run.kernels:
        v = k.raw["verdict"]
        for c in v["checks"]:
            ok = c["measured"] <= c["declared"]  # NaN/inf compare False: a failure
            if ok != c["pass"]:
                w.append(f"{k.name}: check {c['metric']} says pass={str(c['pass']).lower()} "
                         f"but measured {c['measured']} vs declared {c['declared']}")
        if v["pass"] and not all(c["pass"] for c in v["checks"]):
            w.append(f"{k.name}: verdict is pass although a check failed")
        if "failure" in k.raw:  # a shim peer whose library failed a call
            w.append(f"{k.raw['failure']}: its accuracy figures are void")
        for ref in ("exact", "formula"):
            st = k.raw["vs"][ref]
            total = sum(st["histogram"].values())
            if total != st["count"]:
                w.append(f"{k.name}: vs {ref} histogram sums to {total}, count is {st['count']}")


def series_key(fields: dict) -> str:
    """The name a row's series goes by in the report: its kernel; "copy" for
    the in-process copy roof; "copy@<kernel>" for an external program's own."""
    roof_of_program = fields["copy_roof"] and fields["out_of_process"]
    return ("copy@" if roof_of_program else "") + fields["kernel"]


def _index_throughput(run: Run) -> None:
    """Rows by the fields gelubench writes into each ("gelubench"); a row's
    name only identifies it (repetitions and aggregates share it)."""
    rows = run.throughput["benchmarks"]
    medians: dict[str, dict] = {}
    iterations: dict[str, list[dict]] = defaultdict(list)
    fields: dict[str, dict] = {}
    for r in rows:
        run_name = r.get("run_name") or r["name"]
        if r.get("error_occurred") or r.get("skipped"):
            msg = r.get("error_message") or r.get("skip_message") or "skipped"
            if (run_name, msg) not in run.bench_skipped:
                run.bench_skipped.append((run_name, msg))
            continue
        f = r["gelubench"]
        fields.setdefault(run_name, f)
        if f["out_of_process"] or r.get("library_threads"):
            (run.out_of_process if f["out_of_process"] else run.library_threaded).add(series_key(f))
        if r.get("run_type") == "aggregate":
            if r.get("aggregate_name") == "median":
                medians[run_name] = r
        else:
            iterations[run_name].append(r)

    series: dict[str, dict[str, dict[int, Point]]] = defaultdict(lambda: defaultdict(dict))
    for run_name in list(dict.fromkeys(list(iterations) + list(medians))):
        f = fields[run_name]
        kernel, dist, n, threads = series_key(f), f["distribution"], f["size"]["elements"], f["threads"]
        run.bench_kinds.setdefault(kernel, BenchKind(f["dtype"], f["formula"], f["method"], f["copy_roof"]))
        label = f["size"]["level"]
        its = iterations.get(run_name, [])
        if run_name in medians:  # repetitions > 1: the median aggregate
            m = medians[run_name]
            ips, bps = m["items_per_second"], m.get("bytes_per_second")
        elif len(its) == 1:
            ips, bps = its[0]["items_per_second"], its[0].get("bytes_per_second")
        else:  # repetitions without aggregates in the file: take the median ourselves
            ips = statistics.median(r["items_per_second"] for r in its)
            b = [r["bytes_per_second"] for r in its if "bytes_per_second" in r]
            bps = statistics.median(b) if len(b) == len(its) else None
        if threads > 1:
            per_n = run.threaded.setdefault(kernel, {}).setdefault(dist, {}).setdefault(n, {})
            per_n.setdefault(threads, Point(n, ips, bps, label))
            continue
        if n in series[kernel][dist]:
            run.warnings.append(f"throughput.json: more than one result for {run_name}; "
                                "kept the first")
            continue
        series[kernel][dist][n] = Point(n, ips, bps, label)
    run.series = {k: {d: sorted(pts.values(), key=lambda p: p.n) for d, pts in per.items()}
                  for k, per in series.items()}
    if run.series and COPY_KERNEL not in run.series:
        run.warnings.append('throughput.json: no "copy" benchmark; no memory roof to compare with')


def _check_context(run: Run) -> None:
    """Files in one directory should describe one machine and one build."""
    ctxs = {}
    if run.accuracy:
        ctxs["accuracy.json"] = run.accuracy["context"]
    if run.throughput:
        ctxs["throughput.json"] = run.throughput["context"]
    for key in ("cpu_model", "isa_cap", "git_commit", "compiler"):
        seen = {f: c[key] for f, c in ctxs.items() if isinstance(c.get(key), str)}
        if len(set(seen.values())) > 1:
            detail = ", ".join(f"{f} says {v!r}" for f, v in seen.items())
            run.warnings.append(f"{key} differs between files: {detail}")
    model = run.info["model"].strip()
    for f, c in ctxs.items():
        cpu = c.get("cpu_model")
        if isinstance(cpu, str) and cpu.strip() and cpu.strip() != model:
            run.warnings.append(f"{f}: cpu_model {cpu!r} differs from info.json model {model!r}")
    for f, c in ctxs.items():
        commit = c.get("git_commit")
        if isinstance(commit, str) and commit.endswith("-dirty"):
            run.warnings.append(f"{f}: built from a working tree with uncommitted changes "
                                f"({commit}); the commit alone does not identify the code")
    if run.throughput and run.throughput["context"].get("library_build_type") == "debug":
        # Debian's libbenchmark says "debug": it is compiled -O2 but without
        # NDEBUG. The timed loop (for (auto _ : state)) is inline in gelubench's
        # own -O3 code; the library only starts and stops the clock per batch.
        run.warnings.append("throughput.json: the Google Benchmark library reports a debug build "
                            "(Debian's package is optimized but keeps asserts); the timed loop is "
                            "compiled into gelubench at -O3, so this costs only per-batch bookkeeping, "
                            "but check the library if timings look off")


def label_runs(runs: list[Run]) -> None:
    """Short unique labels: the directory name, longer paths only on clashes."""
    names = [os.path.basename(os.path.normpath(r.directory)) or r.directory for r in runs]
    if len(set(names)) < len(names):
        names = [os.path.normpath(r.directory) for r in runs]
    seen: dict[str, int] = {}
    for r, name in zip(runs, names):
        seen[name] = seen.get(name, 0) + 1
        r.label = name if seen[name] == 1 else f"{name} #{seen[name]}"

