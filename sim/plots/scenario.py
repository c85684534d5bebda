"""Figures of one scenario: the agreements side by side, the decomposition of a
party's gain, the yearly flows and the transfers."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from sim import i18n, style
from sim.model import STREAMS
from sim.plots.base import _amount, _ax, _colour, _legend_below
from sim.style import STREAM_COLOURS, label

__all__ = ["decomposition_waterfall", "flows", "rule_comparison", "transfers"]


def rule_comparison(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """NPV by party under each rule, with the source and standalone levels marked.

    ``table`` columns: ``label``, ``party``, ``npv``, ``source`` (the party's NPV with no
    agreement) and ``standalone`` (its value alone; may be NaN).
    """
    ax = _ax(ax)
    labels = list(dict.fromkeys(table["label"]))
    parties = list(dict.fromkeys(table["party"]))
    width = 0.8 / len(parties)
    x = np.arange(len(labels))
    for i, p in enumerate(parties):
        rows = table[table["party"] == p].set_index("label").loc[labels]
        offset = (i - (len(parties) - 1) / 2) * width
        ax.bar(
            x + offset, rows["npv"], width, color=_colour(parties, p), label=(names or {}).get(p, p)
        )
        ax.hlines(
            rows["source"].iloc[0],
            -0.5,
            len(labels) - 0.5,
            colors=_colour(parties, p),
            linestyles="--",
            linewidth=1,
        )
        if rows["standalone"].notna().all():
            ax.hlines(
                rows["standalone"].iloc[0],
                -0.5,
                len(labels) - 0.5,
                colors=_colour(parties, p),
                linestyles=":",
                linewidth=1.2,
            )
    ax.plot([], [], "k--", linewidth=1, label=label("source", lang))
    ax.plot([], [], "k:", linewidth=1.2, label=label("standalone", lang))
    ax.set_xticks(x, labels, rotation=20, ha="right")
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(_amount(unit, lang))
    ax.set_xlabel(label("rule", lang))
    ax.set_title(label("comparison", lang))
    _legend_below(ax, ncols=2)
    return ax


def decomposition_waterfall(
    frame: pd.DataFrame,
    party: str,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """One party's gain over no agreement built up clause by clause (a waterfall).

    ``frame`` columns: ``party``, ``feature`` and ``value`` (each feature's part of the
    gain, in NPV); the bars start where the previous one ended and the last bar is the
    total gain.
    """
    ax = _ax(ax)
    rows = frame[frame["party"] == party]
    features = list(rows["feature"])
    values = rows["value"].to_numpy(dtype=float)
    ends = np.cumsum(values)
    starts = ends - values
    # one colour for the parts, another for the total: colours here never mean a party
    if len(features) == 1:  # one clause moves money: its part is the whole gain, one bar
        ax.bar([0], values, color="#404040", edgecolor="black", width=0.6)
        whole = i18n.t("waterfall_whole", lang, feature=style.feature_label(features[0], lang))
        ticks, x, bars = [whole], np.arange(1), list(zip(ends, values, strict=True))
        ax.set_xlim(-1.5, 1.5)  # a bar as wide as those of a waterfall
    else:
        x = np.arange(len(features) + 1)
        ax.bar(x[:-1], values, bottom=starts, color="#A6A6A6", edgecolor="black", width=0.6)
        total = float(ends[-1]) if len(ends) else 0.0
        ax.bar(x[-1], total, color="#404040", edgecolor="black", width=0.6)
        for k in range(len(features)):
            ax.plot([k + 0.3, k + 0.7], [ends[k], ends[k]], color="black", linewidth=0.6)
        ticks = [style.feature_label(f, lang) for f in features] + [label("total_gain", lang)]
        bars = [*zip(ends, values, strict=True), (total, total)]
    for k, (end, value) in enumerate(bars):
        ax.annotate(
            f"{value:+.2f}".replace("-", "−"),  # the typographic minus, as on the axis
            (k, end),
            xytext=(0, 3 if value >= 0 else -3),
            textcoords="offset points",
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize="small",
        )
    ax.set_xticks(x, ticks, rotation=15, ha="right")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(i18n.with_unit(label("gain", lang), style.unit(unit, lang), lang))
    ax.set_title(f"{label('waterfall', lang)}{style.COLON[lang]}{(names or {}).get(party, party)}")
    ax.use_sticky_edges = False  # room above and below the bars for their labels
    ax.margins(y=0.12)
    return ax


def flows(
    frame: pd.DataFrame,
    party: str,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """One party's yearly flows stacked by stream (tax, land, dividends, investment) and net.

    ``frame``: the tidy flows table of ``sim run --out`` (columns ``party``, ``year``,
    ``stream``, ``value``).
    """
    ax = _ax(ax)
    # a zero-height segment on top of a stack is sticky at its base and would pin the
    # axis to the tallest bar, clipping it: keep the usual margin above and below
    ax.use_sticky_edges = False
    rows = frame[frame["party"] == party].pivot(index="year", columns="stream", values="value")
    years = rows.index.to_numpy()
    up = np.zeros(len(years))
    down = np.zeros(len(years))
    for stream in STREAMS:
        if stream not in rows:  # a clause stream that arises in no scenario of the file
            continue
        v = rows[stream].to_numpy()
        base = np.where(v >= 0, up, down)
        ax.bar(
            years,
            v,
            bottom=base,
            color=style.stream_colour(stream, STREAMS),
            label=label(stream, lang),
            width=0.8,
        )
        up += np.where(v >= 0, v, 0)
        down += np.where(v < 0, v, 0)
    ax.plot(
        years,
        rows["net"].to_numpy(),
        color=STREAM_COLOURS["net"],
        marker="o",
        markersize=2.5,
        linewidth=1.2,
        label=label("net", lang),
    )
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel(style.unit(unit, lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{label('flows', lang)}{style.COLON[lang]}{(names or {}).get(party, party)}")
    _legend_below(ax, ncols=3)
    return ax


def transfers(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """Transfers of tax between parties by year (positive: received, negative: paid)."""
    ax = _ax(ax)
    rows = frame[frame["stream"] == "transfer"]
    parties = [p for p in dict.fromkeys(rows["party"]) if p != "central"]
    width = 0.8 / len(parties)
    for i, p in enumerate(parties):
        r = rows[rows["party"] == p]
        offset = (i - (len(parties) - 1) / 2) * width
        ax.bar(
            r["year"].to_numpy() + offset,
            r["value"].to_numpy(),
            width,
            color=_colour(parties, p),
            label=(names or {}).get(p, p),
        )
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(label("year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(i18n.with_unit(label("transfer", lang), style.unit(unit, lang), lang))
    ax.set_title(label("transfers", lang))
    _legend_below(ax, ncols=3)
    return ax
