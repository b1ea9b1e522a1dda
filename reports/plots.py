"""The report's figures, rendered headless (Agg) to PNG bytes. One module per
section of the report under reports/figures/ (common: what they share); this
module names what the report and its tests use."""

from __future__ import annotations

from reports.figures.accuracy import error_overview, error_profiles, histograms
from reports.figures.common import DPI, GROUP_MAX, Palette
from reports.figures.cross_run import cross_run
from reports.figures.pareto import pareto, pareto_front_tied
from reports.figures.throughput import (
    _throughput_groups,
    scaling_dist,
    thread_scaling,
    throughput_overview,
    throughput_vs_size,
)

__all__ = [
    "DPI", "GROUP_MAX", "Palette", "_throughput_groups", "cross_run", "error_overview", "error_profiles",
    "histograms", "pareto", "pareto_front_tied", "scaling_dist", "thread_scaling", "throughput_overview",
    "throughput_vs_size",
]
