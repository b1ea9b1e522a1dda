"""The sections before the runs: ULP definition, warnings, recommendations,
the comparison across runs."""

from __future__ import annotations

from reports import fmt, plots
from reports.analysis import ABS_LIMIT, EXACT_ULP_LIMIT, Pick, recommend
from reports.document import Bullets, Code, Heading, Inline, Para, Strong, Table, cell
from reports.model import L2_LABEL, PRIMARY_DIST, Run
from reports.sections.common import SectionBase, _commit, _coverage, _isa_speeds, _kcell, _na


class SummarySections(SectionBase):
    """Before the runs: the ULP definition, warnings, the recommendations, the comparison across runs."""

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
