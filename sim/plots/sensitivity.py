"""Figures of a sensitivity analysis: the tornado, Sobol indices and Morris screening."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim import i18n, style
from sim.plots.base import _ax, _legend_below
from sim.style import label

__all__ = ["morris", "sobol_indices", "tornado"]


def tornado(
    table: pd.DataFrame,
    base: float,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    unit: str = "100m CNY",
    party: str = "",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """One-at-a-time sensitivity: NPV with each input at its low and high value.

    ``table`` columns: ``parameter``, ``low``, ``high`` (NPV there); sorted widest first.
    Low and high are greys, not party colours; ``names`` the inputs' names.
    """
    ax = _ax(ax)
    t = table.assign(width=(table["high"] - table["low"]).abs()).sort_values("width")
    y = np.arange(len(t))
    ax.barh(y, t["low"] - base, left=base, color="0.72", label=label("low", lang))
    ax.barh(y, t["high"] - base, left=base, color="0.3", label=label("high", lang))
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(y, [(names or {}).get(p, p) for p in t["parameter"]])
    ax.set_xlabel(i18n.with_unit(f"{label('npv', lang)} {party}", style.unit(unit, lang), lang))
    ax.set_title(label("tornado", lang))
    _legend_below(ax, ncols=3)
    return ax


def sobol_indices(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    party: str = "",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """First- and total-order Sobol indices with their confidence intervals, or (a
    ``shapley_effect`` column: correlated inputs) Shapley effects.

    ``table`` columns: ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (or
    ``shapley_effect`` and, in tables stored since it was computed, ``shapley_effect_conf``).
    """
    ax = _ax(ax)
    shapley = "shapley_effect" in table
    table = table.sort_values("shapley_effect" if shapley else "ST")  # largest on top
    y = np.arange(len(table))
    ticks = [(names or {}).get(p, p) for p in table["parameter"]]
    if shapley:
        conf = table.get("shapley_effect_conf")  # absent from tables stored before it
        ax.barh(
            y, table["shapley_effect"], 0.6, xerr=conf, color="0.35", error_kw={"linewidth": 0.8}
        )
        ax.set_yticks(y, ticks)
        ax.set_xlim(left=0)
        ax.set_xlabel(label("shapley_axis", lang))
        ax.set_title(f"{label('shapley_effects', lang)} {party}".strip())
        return ax
    ax.barh(
        y + 0.2,
        table["S1"],
        0.4,
        xerr=table["S1_conf"],
        color="0.3",  # greys: the colours of the parties mean parties
        label=label("first_order", lang),
        error_kw={"linewidth": 0.8},
    )
    ax.barh(
        y - 0.2,
        table["ST"],
        0.4,
        xerr=table["ST_conf"],
        color="0.7",
        label=label("total_order", lang),
        error_kw={"linewidth": 0.8},
    )
    ax.set_yticks(y, ticks)
    ax.set_xlim(left=0)
    ax.set_xlabel(label("sobol_axis", lang))
    ax.set_title(f"{label('sobol', lang)} {party}".strip())
    _legend_below(ax, ncols=3)
    return ax


def morris(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    party: str = "",
    unit: str = "100m CNY",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Morris screening: μ* (importance) against σ (interaction or non-linearity), per a
    move across an input's distribution.

    ``table`` columns: ``parameter``, ``mu_star``, ``sigma``.
    """
    ax = _ax(ax)
    ax.scatter(table["mu_star"], table["sigma"], color="0.3", zorder=3)
    labels = [(names or {}).get(p, p) for p in table["parameter"]]
    _label_points(ax, list(zip(table["mu_star"], table["sigma"], strict=True)), labels)
    ax.set_xlabel(i18n.with_unit("μ*", style.unit(unit, lang), lang))
    ax.set_ylabel(i18n.with_unit("σ", style.unit(unit, lang), lang))
    ax.set_title(f"{label('morris', lang)} {party}".strip())
    return ax


def _label_points(
    ax: Axes, points: Sequence[tuple[float, float]], labels: Sequence[str], size: float = 7.0
) -> None:
    """Label scattered points without labels overlapping: each beside its point (to the
    left in the right third of the axes), moved down a line at a time while it would
    cover a label already placed, with a thin line to its point when moved."""
    ax.autoscale_view()
    to_px = ax.transData.transform
    width_px = ax.bbox.width
    pt = ax.figure.dpi / 72.0
    placed: list[tuple[float, float, float, float]] = []  # boxes in pixels
    order = sorted(range(len(points)), key=lambda i: -points[i][1])
    for i in order:
        x, y = to_px(points[i])
        left = (x - ax.bbox.x0) > 0.66 * width_px
        wide = sum(unicodedata.east_asian_width(c) in "WF" for c in labels[i])
        w, h = (0.55 * (len(labels[i]) - wide) + wide) * size * pt, 1.25 * size * pt
        dx = -3 * pt - w if left else 3 * pt
        dy = 3 * pt
        for _ in range(12):
            box = (x + dx, y + dy, x + dx + w, y + dy + h)
            if not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]
                       for b in placed):  # fmt: skip
                break
            dy -= h
        placed.append(box)
        moved = dy != 3 * pt
        ax.annotate(
            labels[i],
            points[i],
            fontsize=size,
            xytext=((dx + (w if left else 0)) / pt, dy / pt),
            textcoords="offset points",
            ha="right" if left else "left",
            arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.5} if moved else None,
        )
