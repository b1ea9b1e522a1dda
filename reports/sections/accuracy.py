"""Each run's accuracy sections (and the appendix's per-kernel figures)."""

from __future__ import annotations

import math

from reports import fmt, plots
from reports.document import Cell, Heading, Link, Para, Table, cell
from reports.model import L2_LABEL, PRIMARY_DIST, Run, declared_as_such, isa_groups, isa_of, stem
from reports.schema import BUDGET_METRICS, HISTOGRAM_BUCKETS, REGIONS
from reports.sections.common import (
    BUCKET_TITLES,
    BUDGET_TITLES,
    SectionBase,
    _bounds_text,
    _budget_fmt,
    _kcell,
    _measured,
    _na,
    _pf,
)


class AccuracySections(SectionBase):
    """Each run's accuracy: accuracy vs speed, budgets, regions, error vs x, histograms, special values, tolerance profiles, qs8."""

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
