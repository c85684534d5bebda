"""Figures: each function takes a tidy table and an optional Axes, and returns the Axes.

Tables in, pictures out; nothing here runs the model. Every function takes ``lang``
(``en`` or ``zh``) for its labels, ``names`` to show parties by name, and uses the
style of :mod:`sim.style` (call inside ``matplotlib.pyplot.rc_context(style.apply(lang))``,
as :func:`figure` does).
"""

from __future__ import annotations

from sim.plots.base import figure
from sim.plots.decisions import box_limits, npv_along, prim_tradeoff, robust_curve, robust_simplex
from sim.plots.portfolio import budget_flows, grouped_gains
from sim.plots.scenario import decomposition_waterfall, flows, rule_comparison, transfers
from sim.plots.sensitivity import morris, sobol_indices, tornado
from sim.plots.sweep import acceptable_band, fan_chart, heatmap, npv_distribution

__all__ = [
    "acceptable_band",
    "box_limits",
    "budget_flows",
    "decomposition_waterfall",
    "fan_chart",
    "figure",
    "flows",
    "grouped_gains",
    "heatmap",
    "morris",
    "npv_along",
    "npv_distribution",
    "prim_tradeoff",
    "robust_curve",
    "robust_simplex",
    "rule_comparison",
    "sobol_indices",
    "tornado",
    "transfers",
]
