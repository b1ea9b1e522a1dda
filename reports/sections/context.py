"""Each run's context and the accuracy summary, ISA versions grouped."""

from __future__ import annotations

import os

from reports import fmt
from reports.document import Bullets, Code, Inline, Link, Para, Strong, Table, cell
from reports.model import Kernel, Run, isa_groups, stem
from reports.sections.common import (
    SectionBase,
    _coverage,
    _frameworks_text,
    _join_inline,
    _peer_library_text,
    _plain,
)


class ContextSections(SectionBase):
    """Each run's context: machine, build, files, what was measured, ISA versions grouped."""

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
