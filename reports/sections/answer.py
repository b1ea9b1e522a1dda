"""The answer (f32): the report's first screen."""

from __future__ import annotations

from reports import fmt
from reports.analysis import ANSWER_DIST, Answer, answer_speed, answers
from reports.document import Cell, Code, Heading, Inline, Para, Table, cell
from reports.model import Kernel, Run
from reports.sections.common import SectionBase, _isa_speeds, _na


class AnswerSection(SectionBase):
    """The first screen: six questions, the pick and the best library beside it (f32)."""

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
