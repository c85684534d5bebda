"""Figures of a portfolio (several parks and a joint fund): each party's gains grouped
by park (or by rule), and one party's yearly net stacked by budget."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from sim import style
from sim.plots.base import _ax, _colour, _legend_below
from sim.style import STREAM_COLOURS, label

__all__ = ["budget_flows", "grouped_gains"]

_BUDGET_COLOURS = ("#4C72B0", "#DD8452", "#55A868")
"""The three budgets' colours (general, government-fund, state capital): never a party's
meaning, as budgets are stacked for one party."""


def grouped_gains(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str,
    ylabel: str,
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Each party's value in each group, as bars side by side (a park, the fund and the
    total; or the package, Shapley and nucleolus).

    ``frame`` columns: ``group`` (in the order shown), ``party`` and ``value`` (NaN: the
    party has no part in the group, no bar).
    """
    ax = _ax(ax)
    groups = list(dict.fromkeys(frame["group"]))
    parties = list(dict.fromkeys(frame["party"]))
    width = 0.8 / len(parties)
    x = np.arange(len(groups))
    for i, p in enumerate(parties):
        rows = frame[frame["party"] == p].set_index("group").reindex(groups)
        offset = (i - (len(parties) - 1) / 2) * width
        ax.bar(
            x + offset,
            rows["value"].to_numpy(dtype=float),
            width,
            color=_colour(parties, p),
            label=(names or {}).get(p, p),
        )
    ax.set_xticks(
        x,
        groups,
        rotation=15 if len(groups) > 4 else 0,
        ha="right" if len(groups) > 4 else "center",
    )
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    _legend_below(ax, ncols=min(len(parties), 4))
    return ax


def budget_flows(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    title: str,
    unit: str = "100m CNY",
) -> Axes:
    """One party's yearly net stacked by budget, and the net as a line.

    ``frame``: indexed by year; one column per budget (its label, in the order stacked)
    and the last column the net.
    """
    ax = _ax(ax)
    ax.use_sticky_edges = False  # a zero segment on top must not pin the axis
    years = frame.index.to_numpy()
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    budgets = list(frame.columns[:-1])
    for k, name in enumerate(budgets):
        v = frame[name].to_numpy(dtype=float)
        base = np.where(v >= 0, up, down)
        colour = _BUDGET_COLOURS[k % len(_BUDGET_COLOURS)]
        ax.bar(years, v, bottom=base, color=colour, label=name, width=0.8)
        up += np.where(v >= 0, v, 0)
        down += np.where(v < 0, v, 0)
    net = frame.columns[-1]
    ax.plot(
        years,
        frame[net].to_numpy(dtype=float),
        color=STREAM_COLOURS["net"],
        marker="o",
        markersize=2.5,
        linewidth=1.2,
        label=net,
    )
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(style.unit(unit, lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    _legend_below(ax, ncols=2)
    return ax
