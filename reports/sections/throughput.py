"""Each run's throughput sections."""

from __future__ import annotations

from reports import fmt, plots
from reports.analysis import ANSWER_DIST, against_fastest_peer
from reports.document import Bullets, Cell, Code, Heading, Link, Para, Table, cell
from reports.model import COPY_KERNEL, PRIMARY_DIST, Run
from reports.sections.common import (
    CLIFF_RATIO,
    SectionBase,
    _kcell,
    _na,
    _size_headers,
    _timing_conditions,
)


class ThroughputSections(SectionBase):
    """Each run's throughput: elements/s per size, thread scaling, the subnormal cliff, ratios to the fastest peer."""

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
