"""What every section of the report shares: module helpers (cells, formatting of
facts) and SectionBase, the document being written and how images and
headings are added."""

from __future__ import annotations

import os

from reports import fmt, plots
from reports.document import Cell, Code, Document, Heading, Image, Inline
from reports.model import Kernel, Run, isa_of


BUCKET_TITLES = ["CR", "≤1", "≤2", "≤4", "≤16", "≤1024", ">1024"]
BUDGET_TITLES = {"max_ulp_vs_formula": "max ULP vs formula",
                 "max_ulp_vs_exact": "max ULP vs exact",
                 "max_abs_vs_exact": "max abs vs exact"}


def _pf(ok: bool) -> Cell:
    return Cell(["pass" if ok else "FAIL"], "pass" if ok else "fail")


def _kcell(name: str, peer: bool = False) -> Cell:
    return Cell([Code(name)] + ([" (peer)"] if peer else []))


def _na(text: str = fmt.DASH) -> Cell:
    return Cell([text], "na")


def _isa_speeds(k: Kernel, speed_of) -> str | None:
    """A group of ISA versions: each version's speed, fastest first
    ("avx512 7.59 G · avx2 2.23 G · scalar 243 M elem/s"); None for a
    single kernel."""
    if len(k.names) < 2:
        return None
    speeds = [(speed_of(n), isa_of(n)) for n in k.names]
    speeds.sort(key=lambda t: -(t[0] or 0.0))
    return " · ".join(f"{isa} {fmt.si(sp, '').strip() if sp else fmt.DASH}" for sp, isa in speeds) + " elem/s"


def _budget_fmt(metric: str, x: float | None) -> str:
    return fmt.sci(x) if metric.startswith("max_abs") else fmt.ulp(x)


def _frameworks_text(fw: dict | None) -> str:
    """Which frameworks' adapters ran (with versions) and which were not installed."""
    if fw is None:
        return fmt.DASH
    ran = sorted({f"{a['framework']} {a['version']}" for a in fw["installed"]})
    missing = sorted({a["framework"] for a in fw["not_installed"]})
    text = ", ".join(ran) or "none installed"
    if missing:
        text += "; not installed: " + ", ".join(missing) + " (scripts/setup --frameworks)"
    return text


def _peer_library_text(name: str, lib: dict) -> str:
    """One peer library from the context: version and code path, or why it was unavailable."""
    if "unavailable" in lib:
        return f"{name}: unavailable ({lib['unavailable']})"
    return f"{name}: {lib.get('library', '?')} {lib.get('version', '?')}, {lib.get('code_path', '?')}"


# ------------------------------------------------------------- misc
CLIFF_RATIO = 0.5  # tail / uniform elements/s below this is a subnormal cliff


def _size_headers(r: Run, kernels: list[str], dist: str, sizes: list[int]) -> list[str]:
    """'N=<n> (<cache level>)' per size, the level from the first kernel that has one."""
    out = []
    for n in sizes:
        level = None
        for k in kernels:
            p = next((p for p in r.series[k].get(dist, []) if p.n == n), None)
            if p and r.level(p):
                level = r.level(p)
                break
        out.append(f"N={n}" + (f" ({level})" if level else ""))
    return out


def _coverage(r: Run) -> str:
    """Which inputs the accuracy figures cover."""
    if not r.accuracy:
        return ""
    c = r.accuracy["context"]
    narrow = any(k.dtype in ("f16", "bf16") for k in r.kernels)
    if c["mode"] == "stride":
        text = (f"Accuracy here is sampled, not exhaustive: f32 figures cover every "
                f"{c['stride']}th encoding ({fmt.count(c['inputs'])} finite inputs), so a "
                "max over them is a lower bound on the true max")
    else:
        text = f"Accuracy here is exhaustive: all {fmt.count(c['inputs'])} finite f32 inputs"
    if narrow:
        text += "; f16 and bf16 kernels always cover all 65536 encodings"
    return text + "."


def _timing_conditions(r: Run) -> str:
    """How the timings were taken, from throughput.json: what limits reading them."""
    c = r.throughput["context"]
    reps = sorted({b.get("repetitions", 1) for b in r.throughput["benchmarks"]}) or [1]
    text = ("Single thread" + ("; the multi-threaded figures are in their own section. "
                                if r.threaded else ". ") + (f"Median of {reps[-1]} repetitions per point"
                                 if reps[-1] > 1 else "One measurement per point (no repetitions)"))
    load = c.get("load_avg")
    if isinstance(load, list) and load:
        text += f"; load average at the start {', '.join(f'{x:.2f}' for x in load)}"
        cpus = c.get("num_cpus")
        if isinstance(cpus, int) and load[0] > 0.5 * cpus:
            text += f" on {cpus} CPUs: the machine was busy, so timings are less reliable"
    return text + (". Compare kernels by ratios within one run; differences of 10–20% "
                   "can be noise on a shared or virtual machine.")


def _bounds_text(bounds: tuple[float, float]) -> str:
    """x = ±3 for symmetric bounds, x = −3 and 5 otherwise."""
    lo, hi = bounds
    return f"±{fmt.bound(hi)}" if lo == -hi else f"{fmt.bound(lo)} and {fmt.bound(hi)}"


def _join_inline(items: list[list[Inline]], sep: str = ", ") -> list[Inline]:
    out: list[Inline] = []
    for i, it in enumerate(items):
        if i:
            out.append(sep)
        out += it
    return out


def _plain(v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    return str(v)


def _commit(r: Run) -> str | None:
    for src in (r.accuracy, r.throughput):
        if src and isinstance(src["context"].get("git_commit"), str):
            return src["context"]["git_commit"]
    return None


def _measured(k: Kernel, metric: str) -> float:
    return {"max_ulp_vs_formula": k.vs_formula["max_ulp"],
            "max_ulp_vs_exact": k.exact["max_ulp"],
            "max_abs_vs_exact": k.exact["max_abs"]}[metric]



class SectionBase:
    """The state every section writes into, and the helpers they share."""

    def __init__(self, runs: list[Run], out_dir: str):
        self.runs = runs
        self.out_dir = out_dir
        self.multi = len(runs) > 1
        self.doc = Document("gelubench report")
        self.doc.appendix = Document("gelubench report — appendix")
        self.palette = plots.Palette(runs)

    # ------------------------------------------------------ helpers
    def _prefix(self, i: int) -> str:
        return f"run{i + 1}-" if self.multi else ""

    def _rel(self, path: str) -> str:
        try:
            return os.path.relpath(path, self.out_dir)
        except ValueError:  # other drive on Windows
            return os.path.abspath(path)

    def _image(self, filename: str, png: bytes, alt: str, caption: str | None = None,
               appendix: bool = False) -> None:
        (self.doc.appendix if appendix else self.doc).add(Image(filename, png, alt, caption))

    def _h(self, lvl: int, text: str, r: Run) -> None:
        self.doc.add(Heading(lvl, f"{text} — {r.label}" if self.multi else text))
