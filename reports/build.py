"""Assembles the report (text, tables, figures) from loaded runs."""

from __future__ import annotations

from reports.document import Code, Document, Heading, Link, Para
from reports.model import Run
from reports.sections.accuracy import AccuracySections
from reports.sections.answer import AnswerSection
from reports.sections.common import _join_inline
from reports.sections.context import ContextSections
from reports.sections.summary import SummarySections
from reports.sections.throughput import ThroughputSections


class Builder(AnswerSection, SummarySections, ContextSections, AccuracySections, ThroughputSections):
    """The whole report: each section is a method of one of the section
    classes (reports/sections/), in the order build() calls them."""

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



def build(runs: list[Run], out_dir: str) -> Document:
    return Builder(runs, out_dir).build()
