"""Assembles the report (text, tables, figures) from loaded runs."""

from __future__ import annotations

import math
import os

from reports import fmt, plots
from reports.analysis import (
    ABS_LIMIT,
    ANSWER_DIST,
    EXACT_ULP_LIMIT,
    Answer,
    Pick,
    against_fastest_peer,
    answer_speed,
    answers,
    recommend,
)
from reports.document import (
    Bullets,
    Cell,
    Code,
    Document,
    Heading,
    Image,
    Inline,
    Link,
    Para,
    Strong,
    Table,
    cell,
)
from reports.model import (
    COPY_KERNEL,
    L2_LABEL,
    PRIMARY_DIST,
    Kernel,
    Run,
    declared_as_such,
    isa_groups,
    isa_of,
    stem,
)
from reports.schema import BUDGET_METRICS, HISTOGRAM_BUCKETS, REGIONS

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


class Builder:
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

    # ------------------------------------------------------- build
    def build(self) -> Document:
        d = self.doc
        d.add(Heading(1, "gelubench report"))
        d.appendix.add(Heading(1, "gelubench report — appendix"))
        d.appendix.add(Para(["The per-kernel figures of the report (", Link("index.html", "index.html"),
                             "), on a page of their own: they are most of its bytes."]))
        d.add(Para(["Generated from "] + _join_inline(
            [[Code(r.directory)] for r in self.runs]) + [
            ". Every number below is read from those result files; the "
            "thresholds in the recommendations are the questions asked."]))
        self._answer()
        self._ulp_definition()
        self._warnings()
        self._recommendations()
        if self.multi:
            self._cross_run()
        for i, r in enumerate(self.runs):
            self._run(i, r)
        return d

    # ------------------------------------------------- the answer
    def _answer(self) -> None:
        """The first screen: six questions, the pick and the best library
        beside it (f32)."""
        runs = [r for r in self.runs if r.accuracy and any(k.dtype == "f32" for k in r.kernels)]
        if not runs:
            return
        d = self.doc
        d.add(Heading(2, "The answer (f32)"))
        for i, r in enumerate(runs):
            rows, ans = [], answers(r)
            for a in ans:
                rows.append([cell(a.criterion.title)] + self._answer_cells(r, a.pick, a.pick_speed)
                            + self._answer_cells(r, a.peer, a.peer_speed, None if a.peer_qualifies else
                                                 "fastest library of its class; it does not qualify"))
            cpu = r.info.get("model", "?")
            titles = fmt.region_titles(r.region_bounds)
            d.add(Table(["question", "pick", "core", "tail", "speed", "best library", "core", "tail", "speed"],
                        rows, caption=(f"{r.label + ': ' if self.multi else ''}{cpu}. Error: max ULP vs the "
                                       "kernel's formula (exact GELU; the tanh formula for tanh-form kernels), "
                                       f"core {titles['core']}, tail {titles['neg_tail']}; speed: elements/s, "
                                       "L2-sized array, "
                                       f"{ANSWER_DIST} inputs, one thread; for ISA versions with identical "
                                       "bits (one name, __{isa,…}), each version's speed, fastest first."),
                        anchor="answer-f32" if i == 0 else f"answer-f32-{r.label}"))
            gain = self._gain_line(ans)
            if gain:
                d.add(Para(gain))

    @staticmethod
    def _overview_kernels(r: Run) -> list[Kernel]:
        """The kernels the answer table names for this run, in its order."""
        seen: dict[str, Kernel] = {}
        if any(k.dtype == "f32" for k in r.kernels):
            for a in answers(r):
                for k in (a.pick, a.peer):
                    if k is not None:
                        seen.setdefault(k.name, k)
        return list(seen.values())

    @staticmethod
    def _answer_cells(r: Run, k: Kernel | None, speed: float | None, why_not: str | None = None) -> list[Cell]:
        if k is None:
            return [_na("none"), _na(), _na(), _na()]
        reg = k.vs_formula["regions"]  # exact GELU's for erf kernels
        name = Cell([Code(k.name)] + ([" (peer)"] if k.peer else []) + ([" — does not qualify"] if why_not else []),
                    "na" if why_not else None, why_not)
        per_isa = _isa_speeds(k, lambda n: answer_speed(r, n))
        return [name, cell(fmt.ulp(reg["core"]["max_ulp"])), cell(fmt.ulp(reg["neg_tail"]["max_ulp"])),
                cell(per_isa) if per_isa and speed else cell(fmt.rate(speed)) if speed else _na()]

    @staticmethod
    def _gain_line(ans: list[Answer]) -> list[Inline] | None:
        """What switching buys: the fastest pick within 1 ULP against the
        fastest erf-form library measured."""
        a = ans[1]
        lib = ans[1].peer if not ans[1].peer_qualifies else None
        if a.pick is None or a.pick.peer or lib is None or not a.pick_speed or not a.peer_speed:
            return None
        tail = lib.exact["regions"]["neg_tail"]["max_ulp"]
        return ["Switching from ", Code(lib.name), f" (max {fmt.ulp(lib.exact['max_ulp'])} ULP, "
                f"{fmt.ulp(tail)} in the tail) to ", Code(a.pick.name), " gives results within "
                f"{fmt.ulp(a.pick.exact['max_ulp'])} ULP everywhere at "
                f"{fmt.ratio(a.pick_speed / a.peer_speed)} its speed."]

    def _ulp_definition(self) -> None:
        defs = {r.label: r.ulp_definition for r in self.runs if r.ulp_definition}
        if not defs:
            return
        if len(set(defs.values())) == 1:
            self.doc.add(Para([Strong("ULP definition"), " (from accuracy.json): ",
                               next(iter(defs.values()))]))
        else:
            self.doc.add(Para([Strong("ULP definitions differ between runs"),
                               " (from accuracy.json):"]))
            self.doc.add(Bullets([[Code(k), ": ", v] for k, v in defs.items()]))

    def _warnings(self) -> None:
        items: list[list[Inline]] = []
        for r in self.runs:
            for w in r.warnings:
                items.append([Code(r.label), ": ", w])
        if items:
            self.doc.add(Heading(2, "Warnings"))
            self.doc.add(Para(["Inconsistencies found while reading the result files:"]))
            self.doc.add(Bullets(items))

    # ------------------------------------------------ which GELU
    def _recommendations(self) -> None:
        d = self.doc
        d.add(Heading(2, "Which GELU to use"))
        d.add(Para([
            "Computed from the files: speed is elements/s at the largest array size "
            f"labelled {L2_LABEL} ({PRIMARY_DIST} inputs); accuracy is measured against exact "
            f"GELU x·Φ(x). \"Within {EXACT_ULP_LIMIT:g} ULP\" means max ULP ≤ "
            f"{EXACT_ULP_LIMIT:g} over every input tested; \"within {ABS_LIMIT:g}\" means max "
            "absolute error. Peers (other libraries) compete too and are marked."]))
        for r in self.runs:
            if self.multi:
                d.add(Heading(3, f"On {r.label}"))
            if not r.accuracy:
                d.add(Para(["No accuracy.json in this run: nothing to recommend."]))
                continue
            if not r.kernels:
                d.add(Para(["accuracy.json lists no kernels: nothing to recommend."]))
                continue
            d.add(Para([_coverage(r)]))
            if not r.throughput:
                d.add(Para(["No throughput.json in this run: only the accuracy pick is "
                            "possible."]))
            recs = recommend(r)
            for dtype, picks in recs.items():
                if len(recs) > 1:
                    d.add(Para([Strong(f"{dtype} kernels"), ":"]))
                d.add(Bullets([self._pick_line(r, p) for p in picks]))

    def _pick_line(self, r: Run, p: Pick) -> list[Inline]:
        c = p.criterion
        head: list[Inline] = [Strong(c.title), ": "]
        if p.kernel is None:
            why = "no kernel qualifies"
            if p.qualifying and p.without_speed == p.qualifying:
                why = (f"{p.qualifying} {'qualifies' if p.qualifying == 1 else 'qualify'} "
                       "but none has L2 throughput data")
            return head + [f"{why} ({c.why})."]
        k = p.kernel
        out = head + [Code(k.name)]
        if k.peer:
            out.append(" (peer)")
        facts = []
        if p.speed is not None:
            per_isa = _isa_speeds(k, r.l2_speed)
            facts.append(f"at L2 {per_isa}" if per_isa else fmt.rate(p.speed) + " at L2")
        facts.append(f"max {fmt.ulp(k.exact['max_ulp'])} ULP vs exact")
        facts.append(f"max abs {fmt.sci(k.exact['max_abs'])}")
        if k.formula != "erf":
            facts.append(f"max {fmt.ulp(k.vs_formula['max_ulp'])} ULP vs {k.formula} formula")
        bad = k.specials_failed
        if bad:
            facts.append(f"special values wrong: {', '.join(s['name'] for s in bad)}")
        out.append(" — " + "; ".join(facts))
        total = len(r.kernels_of(k.dtype))
        if c.fastest:
            verb = "qualifies" if p.qualifying == 1 else "qualify"
            out.append(f" ({p.qualifying} of {total} kernels {verb}: {c.why}).")
        else:
            out.append(f" (of {total} kernels: {c.why}).")
        return out

    # ------------------------------------------------- cross-run
    def _cross_run(self) -> None:
        d = self.doc
        d.add(Heading(2, "Comparison across runs"))
        d.add(Bullets([[Code(r.label), ": ", r.info["model"],
                        f"; ISA cap {r.isa_cap or fmt.DASH}",
                        f"; best ISA {r.info['best_isa']}",
                        "; commit ", Code(_commit(r) or fmt.DASH)] for r in self.runs]))
        png = plots.cross_run(self.runs, self.palette)
        if png:
            self._image("cross-run.png", png, "speed and max ULP per kernel across runs",
                        "Top: elements/s at the L2-resident size (uniform). Bottom: max ULP "
                        "vs exact GELU; inf drawn to the top and labelled.")
        # Per kernel name, ISA versions apart: runs on other CPUs or caps ran
        # other versions, and speed is what they compare.
        names = sorted({n for r in self.runs for k in r.kernels for n in k.names}
                       | {k for r in self.runs for k in r.throughput_kernels()})
        headers = ["kernel"]
        for r in self.runs:
            headers += [f"{r.label}: elem/s at L2", f"{r.label}: max ULP vs exact"]
        rows = []
        for n in names:
            row = [_kcell(n, any(r.is_peer(n) for r in self.runs))]
            for r in self.runs:
                k = r.kernel(n)
                s = r.l2_speed(n)
                row.append(cell(fmt.rate(s)) if s is not None else _na())
                row.append(cell(fmt.ulp(k.exact["max_ulp"])) if k else _na())
            rows.append(row)
        d.add(Table(headers, rows, "Per kernel and run, each ISA version its own row "
                                   "(— = not measured in that run)"))

    # -------------------------------------------------------- run
    def _run(self, i: int, r: Run) -> None:
        d = self.doc
        lvl = 3 if self.multi else 2
        if self.multi:
            d.add(Heading(2, f"Run {r.label}"))
        pre = self._prefix(i)
        self._context(r, lvl)
        if r.accuracy:
            self._accuracy_summary(r, lvl)
        if r.accuracy and r.throughput:
            self._pareto(r, lvl, pre)
        if r.kernels:
            self._budgets(r, lvl)
            anchor = self._region_summary(r, lvl)
            self._regions(r, "exact", anchor)
            self._regions(r, "formula")
            self._error_profiles(r, lvl, pre)
            self._histograms(r, lvl, pre)
            self._specials(r, lvl)
            self._profiles(r, lvl)
        if r.accuracy and r.accuracy.get("quantized"):
            self._quantized(r, lvl)
        if r.throughput:
            self._throughput(r, lvl, pre)

    def _quantized(self, r: Run, lvl: int) -> None:
        self._h(lvl, "int8 (qs8) kernels: all 256 codes per quantization case", r)
        self.doc.add(Para(["Error in output LSB against the table built from the reference "
                           "(dequantize, exact GELU, round to nearest-even, clamp); max abs is the "
                           "dequantized output against exact GELU of the dequantized input "
                           "(it includes the quantization step and, for saturating cases, the clamp)."]))
        rows = []
        for group in isa_groups(r.accuracy["quantized"]):
            q = group[0]
            name = (f"{stem(q['name'])}__{{{','.join(isa_of(m['name']) for m in group)}}}"
                    if len(group) > 1 else q["name"])
            for c in q["cases"]:
                p = c["params"]
                rows.append([_kcell(name, q["peer"]), cell(c["name"]),
                             cell(f"{p['input_scale']:.4g}/{p['input_zero_point']} -> "
                                  f"{p['output_scale']:.4g}/{p['output_zero_point']}"),
                             cell(str(c["max_lsb"])), cell(f"{c['mean_lsb']:.4f}"),
                             cell(f"{100 * c['exact_fraction']:.2f}%"), cell(f"{c['max_abs_vs_exact']:.3g}"),
                             _pf(q["verdict"]["pass"])])
        self.doc.add(Table(["kernel", "case", "scale/zero in -> out", "max LSB", "mean LSB", "exact",
                            "max abs vs exact", "budget"], rows))

    def _h(self, lvl: int, text: str, r: Run) -> None:
        self.doc.add(Heading(lvl, f"{text} — {r.label}" if self.multi else text))

    def _context(self, r: Run, lvl: int) -> None:
        self._h(lvl, "Context", r)
        info = r.info
        rows: list[tuple[str, list[Inline] | str]] = [
            ("result directory", [Code(r.directory)]),
            ("CPU (info.json)", f"{info['vendor']} {info['model']}"),
            ("logical CPUs", str(info["logical_cpus"])),
            ("caches", ", ".join(f"{n} {fmt.nbytes(info['caches'][k])}"
                                 for n, k in (("L1d", "l1d"), ("L2", "l2"), ("L3", "l3")))),
            ("best ISA detected", info["best_isa"]),
            ("CPU features", " ".join(info["features"]) or fmt.DASH),
        ]
        if r.accuracy:
            c = r.accuracy["context"]
            mode = f"stride {c['stride']}" if c["mode"] == "stride" else c["mode"]
            rows += [
                ("ISA cap", c["isa_cap"]),
                ("features used (accuracy run)", " ".join(c["features"]) or fmt.DASH),
                ("compiler", c["compiler"]),
                ("flags", [Code(c["flags"])] if c["flags"] else fmt.DASH),
                ("git commit", [Code(c["git_commit"])]),
                ("library versions", ", ".join(f"{k} {v}" for k, v in
                                               sorted(c["library_versions"].items()))
                 or fmt.DASH),
                ("peer libraries", "; ".join(_peer_library_text(k, v) for k, v in
                                             sorted(c.get("peer_libraries", {}).items()))
                 or fmt.DASH),
                ("frameworks (adapters)", _frameworks_text(r.frameworks)),
                ("accuracy sweep", f"{mode}; {fmt.count(c['inputs'])} inputs; "
                                   f"{c['threads']} threads; {fmt.seconds(c['elapsed_s'])}"),
                ("accuracy date", c["date"]),
                ("certified reference calls", ", ".join(
                    f"{k} {fmt.count(v)}" for k, v in sorted(c["certified_calls"].items()))
                 or fmt.DASH),
            ]
        if r.throughput:
            c = r.throughput["context"]
            gb = []
            for key, title in (("library_version", "Google Benchmark"),
                               ("library_build_type", "library build"), ("num_cpus", "CPUs"),
                               ("mhz_per_cpu", "MHz"), ("cpu_scaling_enabled", "scaling"),
                               ("date", "date")):
                if key in c:
                    gb.append(f"{title} {_plain(c[key])}")
            rows.append(("throughput run", "; ".join(gb) or fmt.DASH))
            if "gelubench_arrays" in c:
                rows.append(("array placement", _plain(c["gelubench_arrays"])))
            for key in ("isa_cap", "compiler", "git_commit"):
                if key in c and not (r.accuracy and r.accuracy["context"].get(key) == c[key]):
                    rows.append((f"{key.replace('_', ' ')} (throughput.json)", _plain(c[key])))
        files = []
        for name in ("info.json", "accuracy.json", "throughput.json", "sweep.log"):
            p = os.path.join(r.directory, name)
            if os.path.exists(p):
                files += [Link(name, self._rel(p)), " "]
        rows.append(("files", files[:-1] if files else fmt.DASH))
        self.doc.add(Table(["", "value"], [[cell(k), cell(v)] for k, v in rows]))

    def _accuracy_summary(self, r: Run, lvl: int) -> None:
        s = r.accuracy["summary"]
        self._h(lvl, "Accuracy verdicts", r)
        peers = s.get("peers", sum(1 for k in r.kernels if k.peer))
        own = s["kernels"] - peers
        self.doc.add(Para([f"{own} own kernels checked against their declared budgets: ",
                           Strong(f"{s['passed'] - peers} passed"), ", ",
                           Strong(f"{s['failed']} failed"),
                           f"; {peers} peers measured, with no budget to check. ", _coverage(r)]))
        self._grouping(r)
        if r.accuracy["skipped"]:
            self.doc.add(Para(["Skipped (not run on this machine or cap):"]))
            self.doc.add(Bullets([[Code(x["name"]), ": ", x["reason"]]
                                  for x in r.accuracy["skipped"]]))

    def _grouping(self, r: Run) -> None:
        """Which rows stand for several ISA versions, on what proof, and which
        versions of one kernel stay apart."""
        groups = [len(k.members) for k in r.kernels if len(k.members) > 1]
        groups += [len(g) for g in isa_groups(r.accuracy.get("quantized", [])) if len(g) > 1]
        if groups:
            c = r.accuracy["context"]
            over = ("every finite f32 input swept (a stride: the proof covers those inputs, not all 2^32)"
                    if c["mode"] == "stride" else "every finite f32 input")
            self.doc.add(Para([
                f"One row per kernel: {sum(groups)} ISA versions of {len(groups)} "
                f"kernel{'s' if len(groups) > 1 else ''} are shown one row per kernel, named ",
                Code("<kernel>__{isa,…}"), ", in every accuracy table and figure. The harness proved each "
                "version's outputs bit-identical to the first version's (", Code("same_bits_as"),
                f" in accuracy.json: a memcmp over {over} and the special inputs; f16/bf16 all 65536 "
                "encodings, qs8 every code of every case), so one set of figures is theirs; equal figures "
                "alone never merge rows. Speed differs by ISA: the answer table and the picks give each "
                "version's, the Pareto plot and the throughput figures draw the fastest version (at L2), "
                "and the throughput tables keep one row per version."]))
        rows_of: dict[str, list[Kernel]] = {}
        for k in r.kernels:
            rows_of.setdefault(stem(k.raw["name"]), []).append(k)
        apart = [k for ks in rows_of.values() if len(ks) > 1 for k in ks]
        if apart:
            self.doc.add(Para(["ISA versions of one kernel in rows of their own (no proof of identical "
                               "bits: they differ somewhere, or their registry lines declare other budgets "
                               "or edges): "] + _join_inline([[Code(k.name)] for k in apart]) + ["."]))

    def _pareto(self, r: Run, lvl: int, pre: str) -> None:
        res = plots.pareto(r, self.palette)
        self._h(lvl, "Accuracy vs speed", r)
        if res is None:
            self.doc.add(Para(["No kernel has both accuracy and L2 throughput data."]))
            return
        png, front = res
        sizes = sorted({p.n for k in r.kernels if (p := r.l2_point(k.name))})
        missing = [k.name for k in r.kernels if r.l2_point(k.name) is None]
        cap = (f"Max ULP vs exact GELU (log) against elements/s at the {L2_LABEL}-resident size "
               f"(N = {', '.join(map(str, sizes))}; {PRIMARY_DIST} inputs). Colour = method, "
               "shape = formula, hollow = peer; inf/nan drawn at the top; ISA versions with "
               "identical bits are one kernel, at their fastest version's speed. Pareto front: "
               + (", ".join(front) or "none") + ".")
        if missing:
            cap += " Not shown (no L2 throughput): " + ", ".join(missing) + "."
        self._image(f"{pre}pareto.png", png, "accuracy vs speed", cap)

    def _budgets(self, r: Run, lvl: int) -> None:
        self._h(lvl, "Declared vs measured budgets", r)
        self.doc.add(Para(["Each kernel declares its error budget next to its code; "
                           "\"no claim\" = null in the file (peers claim nothing). Measured "
                           "values come from the verdict's checks. A max ULP of about 1.68e7 "
                           "(2^24) is what ±0 scores where exact GELU is a tiny nonzero float: "
                           "kernels that give up the far negative tail (1 + erf cancels) "
                           "measure it, and a budget that size bounds nothing in the core; "
                           f"such kernels declare core_max_ulp_vs_formula ({fmt.region_titles(r.region_bounds)['core']}), shown "
                           "with the other checks (specials_wrong: special values off GELU's "
                           "limits, must be 0; misrounded: for kernels declared correctly "
                           "rounded, must be 0)."]))
        headers = ["kernel", "formula", "verdict"]
        for m in BUDGET_METRICS:
            headers += [f"{BUDGET_TITLES[m]}: declared", "measured"]
        headers.append("other checks")
        rows = []
        for k in r.kernels:
            v = k.raw["verdict"]
            checks = {c["metric"]: c for c in v["checks"]}
            row = [_kcell(k.name, k.peer), cell(k.formula),
                   _na("no budget") if k.peer else _pf(v["pass"])]
            for m in BUDGET_METRICS:
                declared = k.raw["budget"][m]
                c = checks.pop(m, None)
                if c is not None:
                    row.append(cell(_budget_fmt(m, c["declared"])))
                    row.append(Cell([_budget_fmt(m, c["measured"])],
                                    "pass" if c["pass"] else "fail"))
                else:
                    row.append(_na("no claim") if declared is None
                               else cell(_budget_fmt(m, declared)))
                    row.append(_na(_budget_fmt(m, _measured(k, m))))
            other = [f"{c['metric']}: {fmt.ulp(c['measured'])} vs {fmt.ulp(c['declared'])} "
                     f"{'pass' if c['pass'] else 'FAIL'}" for c in checks.values()]
            row.append(cell("; ".join(other)) if other else _na())
            rows.append(row)
        self.doc.add(Table(headers, rows))

    def _region_summary(self, r: Run, lvl: int) -> str:
        """Max ULP per region, one row per kernel; the full figures (worst
        input, mean, correctly rounded share, abs and rel) on the appendix,
        at the anchor returned."""
        self._h(lvl, "Max ULP by region", r)
        anchor = self.doc.appendix._anchor(f"accuracy-by-region-{r.label}")
        self.doc.add(Para(["Worst inputs, mean ULP, correctly rounded shares, absolute and relative "
                           "errors per region: ", Link("the appendix", f"appendix.html#{anchor}"), "."]))
        rows = []
        for k in r.kernels:
            row = [_kcell(k.name, k.peer)]
            for ref in ("exact", "formula"):
                st = k.raw["vs"][ref]
                for reg in ("all",) + REGIONS:
                    s = st if reg == "all" else st["regions"][reg]
                    bad = s["count"] and not math.isfinite(s["max_ulp"])
                    row.append(_na() if s["count"] == 0 else Cell([fmt.ulp(s["max_ulp"])], "fail" if bad else None))
            rows.append(row)
        titles = fmt.region_titles(r.region_bounds)
        regions = [titles[g] for g in ("all",) + REGIONS]
        self.doc.add(Table(["kernel"] + [f"{g} (exact)" for g in regions] + [f"{g} (formula)" for g in regions],
                           rows, "Max ULP vs exact GELU and vs the kernel's own formula, per region"))
        return anchor

    def _regions(self, r: Run, ref: str, anchor: str = "") -> None:
        """The full per-region figures, on the appendix."""
        title = ("Accuracy by region vs exact GELU" if ref == "exact"
                 else "Accuracy by region vs the kernel's own formula")
        app = self.doc.appendix
        app.add(Heading(2, f"{title} — {r.label}" if self.multi else title, anchor))
        if ref == "formula":
            app.add(Para(["Against the formula the kernel implements (erf, tanh or "
                          "sigmoid form), evaluated exactly: how well the kernel does "
                          "what it claims to do."]))
        app.add(Para(["Max rel = max |y − r|/|r|. It is dominated by subnormal results, "
                           "whose spacing is fixed (so even correctly rounded ones reach ~1e-3 "
                           "near 2^-140 and more below), and is inf where r is a nonzero float "
                           "the kernel returns as 0; max ULP is the figure to compare."]))
        headers = ["kernel", "region", "inputs", "max ULP", "worst input", "mean ULP",
                   "correctly rounded", "max abs", "max rel"]
        rows = []
        for k in r.kernels:
            st = k.raw["vs"][ref]
            for reg in ("all",) + REGIONS:
                s = st if reg == "all" else st["regions"][reg]
                name = _kcell(k.name, k.peer)
                if s["count"] == 0:
                    rows.append([name, cell(fmt.region_titles(r.region_bounds)[reg]), cell("0")]
                                + [_na() for _ in range(6)])
                    continue
                worst = Cell([fmt.hexval(s["worst_input"])],
                             title=f"output {s['worst_output']}, expected {s['worst_expected']}")
                bad = not math.isfinite(s["max_ulp"])
                rows.append([
                    name, cell(fmt.region_titles(r.region_bounds)[reg]), cell(fmt.count(s["count"])),
                    Cell([fmt.ulp(s["max_ulp"])], "fail" if bad else None), worst,
                    cell(fmt.ulp(s["mean_ulp"])), cell(fmt.fraction_pct(
                        s["correctly_rounded_fraction"])),
                    Cell([fmt.sci(s["max_abs"])], title=f"at x = {s['max_abs_input']}"),
                    Cell([fmt.sci(s["max_rel"])], title=f"at x = {s['max_rel_input']}")])
        app.add(Table(headers, rows))

    def _error_profiles(self, r: Run, lvl: int, pre: str) -> None:
        self._h(lvl, "Error vs x", r)
        shown = self._overview_kernels(r)
        png = plots.error_overview(r, shown) if shown else None
        if png:
            self._image(f"{pre}error-overview.png", png, "max ULP vs x of the picks and the best libraries",
                        "Max ULP vs exact GELU per bin of x (log scale, floored), for the kernels "
                        "the answer table names (solid: own; dashed: libraries).")
        anchor = self.doc.appendix._anchor(f"error-vs-x-{r.label}")
        self.doc.add(Para(["Every kernel's panel (max and mean ULP, and vs its own formula): ",
                           Link("the appendix", f"appendix.html#{anchor}"), "."]))
        self.doc.appendix.add(Heading(2, f"Error vs x — {r.label}" if self.multi else "Error vs x", anchor))
        pngs = plots.error_profiles(r)
        ep = r.kernels[0].exact["error_profile"] if r.kernels else None
        cap = "Max (blue) and mean (green) ULP vs exact GELU per bin of x, log scale"
        if ep:
            cap += f"; bins of {ep['bin_width']:g} over [{ep['lo']:g}, {ep['hi']:g}]"
        cap += ("; tanh/sigmoid kernels also show max ULP vs their own formula (dotted). "
                f"Dashed verticals at x = {_bounds_text(r.region_bounds)} bound the table regions; red triangles mark "
                "bins with inf/nan error.")
        for j, png in enumerate(pngs):
            self._image(f"{pre}error-vs-x{'' if j == 0 else f'-{j + 1}'}.png", png,
                        "error vs x per kernel", cap, appendix=True)

    def _histograms(self, r: Run, lvl: int, pre: str) -> None:
        self._h(lvl, "ULP histograms", r)
        anchor = self.doc.appendix._anchor(f"ulp-histograms-{r.label}")
        self.doc.add(Para(["Figures of these counts: ", Link("the appendix", f"appendix.html#{anchor}"), "."]))
        self.doc.appendix.add(Heading(2, f"ULP histograms — {r.label}" if self.multi else "ULP histograms",
                                      anchor))
        for j, png in enumerate(plots.histograms(r)):
            self._image(f"{pre}histograms{'' if j == 0 else f'-{j + 1}'}.png", png,
                        "ULP error histograms",
                        "Share of inputs per error bucket (log scale). Buckets are "
                        "exclusive: CR = correctly rounded, ≤1 = not CR and error ≤ 1 ULP, …",
                        appendix=True)
        rows = []
        for k in r.kernels:
            for ref in ("exact", "formula"):
                st = k.raw["vs"][ref]
                rows.append([_kcell(k.name, k.peer), cell(ref), cell(fmt.count(st["count"]))]
                            + [cell(fmt.count(st["histogram"][b])) for b in HISTOGRAM_BUCKETS])
        self.doc.add(Table(["kernel", "vs", "inputs"] + BUCKET_TITLES, rows,
                           "Inputs per ULP bucket"))

    def _specials(self, r: Run, lvl: int) -> None:
        self._h(lvl, "Special values", r)
        names: list[str] = []
        for k in r.kernels:
            for s in k.raw["specials"]:
                if s["name"] not in names:
                    names.append(s["name"])
        if not names:
            self.doc.add(Para(["No special values recorded."]))
            return
        rows = []
        for k in r.kernels:
            by = {s["name"]: s for s in k.raw["specials"]}
            row = [_kcell(k.name, k.peer)]
            for n in names:
                s = by.get(n)
                if s is None:
                    row.append(_na())
                    continue
                tip = f"input {s['input']}: expected {s['expected']}, got {s['output']}"
                if s["pass"]:
                    row.append(Cell(["pass"], "pass", tip))
                elif declared_as_such(s):
                    row.append(Cell([f"declared: {s['output']}"], "declared", tip
                                    + " (a deviation its registry line declares)"))
                else:
                    row.append(Cell([f"FAIL: got {s['output']}"], "fail", tip))
            rows.append(row)
        failing = sum(1 for k in r.kernels if k.specials_failed)
        declared = sum(1 for k in r.kernels if k.specials_declared)
        anchor = self.doc.appendix._anchor(f"special-values-{r.label}")
        self.doc.add(Para([f"{failing} of {len(r.kernels)} kernels get at least one special "
                           "value wrong (compared bit for bit; expected values in the "
                           f"tooltips of the HTML page); {declared} differ only where their "
                           "registry line declares it (\"declared\": e.g. -inf -> NaN, the "
                           "formula's 0 * inf evaluated as written). Below, those kernels; every "
                           "kernel and input: ", Link("the appendix", f"appendix.html#{anchor}"),
                           ". Edge rows are each kernel's declared regime changes, at the edge "
                           "and one ULP either side."]))
        off = [row for row in rows if any(c.status in ("fail", "declared") for c in row[1:])]
        if off:
            self.doc.add(Table(["kernel"] + names, off))
        app = self.doc.appendix
        app.add(Heading(2, f"Special values — {r.label}" if self.multi else "Special values", anchor))
        app.add(Table(["kernel"] + names, rows))

    def _profiles(self, r: Run, lvl: int) -> None:
        self._h(lvl, "Tolerance profiles", r)
        profs: dict[str, dict] = {}
        for k in r.kernels:
            for ref in ("exact", "formula"):
                for name, p in k.raw["vs"][ref]["profiles"].items():
                    profs.setdefault(name, p)
        if not profs:
            self.doc.add(Para(["No tolerance profiles recorded."]))
            return
        self.doc.add(Para(["An input violates a profile when |out − ref| > atol + rtol·|ref| "
                           "(the torch.allclose rule). Cells: verdict (violations)."]))
        headers = ["kernel"]
        for name, p in profs.items():
            for ref in ("exact", "formula"):
                headers.append(f"{name} (rtol {p['rtol']:g}, atol {p['atol']:g}) vs {ref}")
        rows = []
        for k in r.kernels:
            row = [_kcell(k.name, k.peer)]
            for name in profs:
                for ref in ("exact", "formula"):
                    p = k.raw["vs"][ref]["profiles"].get(name)
                    if p is None:
                        row.append(_na())
                    else:
                        row.append(Cell([f"{'pass' if p['pass'] else 'FAIL'} "
                                         f"({fmt.count(p['violations'])})"],
                                        "pass" if p["pass"] else "fail"))
            rows.append(row)
        self.doc.add(Table(headers, rows))

    def _throughput(self, r: Run, lvl: int, pre: str) -> None:
        d = self.doc
        self._h(lvl, "Throughput", r)
        dist = ANSWER_DIST if ANSWER_DIST in r.dists() else PRIMARY_DIST
        shown = [v for k in self._overview_kernels(r) if (v := r.fastest_version(k.name, dist)) in r.series
                 and v not in r.out_of_process]
        png = plots.throughput_overview(r, shown, dist) if shown else None
        if png:
            self._image(f"{pre}throughput-overview.png", png, "throughput of the picks and libraries vs size",
                        "The answer table's kernels: elements/s over the copy kernel's at the same "
                        "size (1 = the memory roof), per cache level; of ISA versions with identical "
                        "bits, the fastest at L2, under its own name.")
        png = plots.throughput_vs_size(r, self.palette)
        if png:
            anchor = self.doc.appendix._anchor(f"throughput-vs-size-{r.label}")
            d.add(Para(["Every kernel against N: ", Link("the appendix", f"appendix.html#{anchor}"), "."]))
            self.doc.appendix.add(Heading(2, f"Throughput vs size — {r.label}" if self.multi
                                          else "Throughput vs size", anchor))
            self._image(f"{pre}throughput-vs-size.png", png, "throughput vs array size",
                        "Elements/s against N (log-log); dashed black = copy, the memory "
                        "roof; dotted verticals = where the copy kernel's working set fills "
                        "each cache (from info.json). Of ISA versions with identical bits, only "
                        f"the fastest at L2 ({PRIMARY_DIST} inputs) is drawn, under its own name; "
                        "the tables below have every version.", appendix=True)
        if r.bench_skipped:
            d.add(Para(["Benchmarks skipped by the harness:"]))
            d.add(Bullets([[Code(n), ": ", m] for n, m in r.bench_skipped]))
        d.add(Para([_timing_conditions(r)]))
        kernels = ([COPY_KERNEL] if COPY_KERNEL in r.series else []) + r.throughput_kernels()
        if r.out_of_process:
            d.add(Para([
                "Out of process (marked so in the tables): external programs, framework "
                "adapters among them, time their own calls in their own process on the inputs "
                "gelubench sends them; ", Code("copy@NAME"), " is a plain array copy timed in "
                "that same process, its memory roof. Their figures include each framework's "
                "per-call cost (dispatch, checks, allocation), so compare one with its own copy "
                "roof, not with the in-process kernels; they take no part in the picks, the "
                "Pareto plot or the peer ratios."]))
        for dist in r.dists():
            sizes = sorted({p.n for k in kernels for p in r.series[k].get(dist, [])})
            headers = ["kernel"] + _size_headers(r, kernels, dist, sizes)
            rows = []
            for k in kernels:
                pts = {p.n: p for p in r.series[k].get(dist, [])}
                row = [_kcell(k, r.is_peer(k))]
                if k in r.out_of_process:
                    row[0] = Cell(row[0].parts + [" (out of process)"])
                for n in sizes:
                    p = pts.get(n)
                    if p is None:
                        row.append(_na())
                        continue
                    parts = [fmt.rate(p.items_per_second), fmt.bytes_rate(p.bytes_per_second)]
                    if k != COPY_KERNEL and not k.startswith("copy@"):
                        # Bytes/s against the copy roof: a 1- or 2-byte format moves
                        # fewer bytes per element than the f32 copy does. An
                        # out-of-process kernel against its own process's copy.
                        c = (next((q for q in r.series.get("copy@" + k, {}).get(dist, []) if q.n == n), None)
                             if k in r.out_of_process else r.copy_point(n, dist))
                        parts.append(fmt.ratio(p.bytes_per_second / c.bytes_per_second)
                                     + " copy" if c and c.bytes_per_second and p.bytes_per_second
                                     else fmt.DASH)
                    row.append(cell(" · ".join(parts)))
                rows.append(row)
            d.add(Table(headers, rows, f"{dist} inputs: elements/s · bytes/s · bytes/s over "
                                       "copy's at the same N (median of repetitions where "
                                       "repeated)"))
        self._against_peers(r, lvl + 1)
        self._subnormal_cliff(r, lvl + 1)
        self._thread_scaling(r, lvl + 1, pre)

    def _thread_scaling(self, r: Run, lvl: int, pre: str) -> None:
        """throughput --threads: elements/s of all threads together and the
        scaling efficiency, rate(T) / (T x rate(1)), per kernel and size."""
        dist = plots.scaling_dist(r)
        if dist is None:
            return
        self._h(lvl, "Thread scaling", r)
        d = self.doc
        d.add(Para([
            "Each kernel on T threads, each thread on its own contiguous slice of one array "
            "of N elements (as an inference runtime's parallel loop splits a tensor), "
            "threads pinned one per CPU where the OS allows; elements/s are those of all "
            "threads together, and the copy roof is measured at the same T. Efficiency is "
            "elements/s at T over T times those at one thread: 100% is perfect scaling. "
            "Peers with threads of their own (oneDNN's and MKL's OpenMP, OpenVINO's inference "
            "threads; marked \"own threads\") run at T through their own API instead: one "
            "call on the whole array, the library set to T threads. The others run on "
            "gelubench's threads. Out-of-process kernels "
            f"run on one thread only. {dist} inputs."]))
        png = plots.thread_scaling(r)
        if png:
            self._image(f"{pre}thread-scaling.png", png, "throughput against threads",
                        "Elements/s against the thread count per array size (log y).")
        sizes = sorted({n for per in r.threaded.values() for n in per.get(dist, {})})
        threads = sorted({t for per in r.threaded.values() for pts in per.get(dist, {}).values() for t in pts})
        kernels = ([COPY_KERNEL] if COPY_KERNEL in r.threaded else []) + sorted(
            k for k in r.threaded if k != COPY_KERNEL)
        rows = []
        for k in kernels:
            one = {p.n: p.items_per_second for p in r.series.get(k, {}).get(dist, [])}
            row = [_kcell(k, r.is_peer(k))]
            if k in r.library_threaded:
                row[0] = Cell(row[0].parts + [" (own threads)"])
            for n in sizes:
                parts = []
                for t in threads:
                    p = r.threaded[k].get(dist, {}).get(n, {}).get(t)
                    if p is None or not p.items_per_second:
                        continue
                    text = f"T={t}: {fmt.rate(p.items_per_second)}"
                    if one.get(n):
                        text += f" ({p.items_per_second / (t * one[n]):.0%})"
                    parts.append(text)
                row.append(cell(" · ".join(parts)) if parts else _na())
            rows.append(row)
        headers = ["kernel"] + [f"N={n}" for n in sizes]
        d.add(Table(headers, rows, "elements/s of all threads (scaling efficiency)"))

    def _subnormal_cliff(self, r: Run, lvl: int) -> None:
        """Elements/s on the tail inputs over those on uniform[-10, 10], per
        kernel and size: where results or intermediates are subnormal, some
        CPUs take a microcode assist per instruction."""
        if "tail" not in r.dists() or "uniform" not in r.dists():
            return
        rows, sizes = [], sorted({p.n for k in r.throughput_kernels() for p in r.series[k].get("tail", [])})
        for k in r.throughput_kernels():
            tail = {p.n: p.items_per_second for p in r.series[k].get("tail", []) if p.items_per_second}
            uni = {p.n: p.items_per_second for p in r.series[k].get("uniform", []) if p.items_per_second}
            if not any(n in tail and n in uni for n in sizes):
                continue
            row = [_kcell(k, r.is_peer(k))]
            for n in sizes:
                if n in tail and n in uni:
                    ratio = tail[n] / uni[n]
                    row.append(cell(fmt.ratio(ratio) + (" (cliff)" if ratio < CLIFF_RATIO else "")))
                else:
                    row.append(_na())
            rows.append(row)
        if not rows:
            return
        self._h(lvl, "Subnormal inputs", r)
        self.doc.add(Para([
            "Elements/s on tail inputs, uniform[-15, -11] (GELU's result is subnormal below "
            "x ~ -13.2 and some algorithms' intermediates earlier), over those on "
            f"uniform[-10, 10], at the same N. Below {fmt.ratio(CLIFF_RATIO)} is marked a "
            "cliff: the CPU is taking a microcode assist on subnormal floating-point results, "
            "or the kernel a slower path."]))
        headers = ["kernel"] + _size_headers(r, r.throughput_kernels(), "tail", sizes)
        self.doc.add(Table(headers, rows, "tail / uniform elements/s"))

    def _against_peers(self, r: Run, lvl: int) -> None:
        tables = {dist: against_fastest_peer(r, dist) for dist in r.dists()}
        if not any(tables.values()):
            return
        self._h(lvl, "Against the fastest peer", r)
        self.doc.add(Para([
            "Each own kernel's elements/s over those of the fastest peer of the same dtype and "
            "formula (any ISA) measured at the same N on the same inputs (named in "
            "parentheses). Speed "
            "says nothing about error: read it with the accuracy tables. Kernels of a dtype "
            "and formula no peer was measured for (here typically sigmoid, f16, bf16, qs8) "
            "are left out; \"own\" includes the scalar kernels built on the C library "
            "(libm), which are registry kernels, not peers."]))
        for dist, ratios in tables.items():
            if not ratios:
                continue
            sizes = sorted({n for per in ratios.values() for n in per})
            rows = []
            for k, per in sorted(ratios.items()):
                row = [_kcell(k)]
                for n in sizes:
                    pr = per.get(n)
                    row.append(cell(f"{fmt.ratio(pr.ratio)} ({pr.peer})") if pr else _na())
                rows.append(row)
            headers = ["kernel"] + _size_headers(r, r.throughput_kernels(), dist, sizes)
            self.doc.add(Table(headers, rows, f"{dist} inputs"))


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


def build(runs: list[Run], out_dir: str) -> Document:
    return Builder(runs, out_dir).build()
