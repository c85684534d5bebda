"""Figures: each function takes a tidy table and an optional Axes, and returns the Axes.

Tables in, pictures out; nothing here runs the model. Every function takes ``lang``
(``en`` or ``zh``) for its labels, ``names`` to show parties by name, and uses the
style of :mod:`sim.style` (call inside ``matplotlib.pyplot.rc_context(style.apply(lang))``,
as :func:`figure` does).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # headless: the CLI and the tests never open a window

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim import style
from sim.style import PARTY_COLOURS, STREAM_COLOURS, label

__all__ = [
    "acceptable_band",
    "box_limits",
    "decomposition_waterfall",
    "fan_chart",
    "figure",
    "flows",
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


@contextmanager
def figure(lang: str = "en", size: tuple[float, float] | None = None) -> Iterator[tuple[Any, Axes]]:
    """A new figure and Axes in sim's style; the figure is closed afterwards."""
    with plt.rc_context(cast(Any, style.apply(lang))):
        fig, ax = plt.subplots(figsize=size or style.FIGSIZE)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def _ax(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots()[1]


def _colour(parties: Sequence[str], party: str) -> str:
    return PARTY_COLOURS[list(parties).index(party) % len(PARTY_COLOURS)]


def _finite(values: Any) -> Any:
    """The finite values of an array (NaN marks an undefined scenario)."""
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _amount(unit: str, lang: str) -> str:
    return f"{label('npv', lang)} ({style.unit(unit, lang)})"


def _legend_below(ax: Axes, *, ncols: int, fontsize: str | None = None) -> None:
    """The legend under the figure, beneath the tick and axis labels (constrained layout
    makes room for it): never over a bar, a line or a label."""
    handles, labels = ax.get_legend_handles_labels()
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    fig.legend(
        handles,
        labels,
        ncols=ncols,
        frameon=False,
        loc="outside lower center",
        fontsize=fontsize,
    )


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
    x = np.arange(len(features) + 1)
    ax.bar(x[:-1], values, bottom=starts, color="#A6A6A6", edgecolor="black", width=0.6)
    total = float(ends[-1]) if len(ends) else 0.0
    ax.bar(x[-1], total, color="#404040", edgecolor="black", width=0.6)
    for k in range(len(features)):
        ax.plot([k + 0.3, k + 0.7], [ends[k], ends[k]], color="black", linewidth=0.6)
    for k, (end, value) in enumerate([*zip(ends, values, strict=True), (total, total)]):
        ax.annotate(
            f"{value:+.2f}".replace("-", "−"),  # the typographic minus, as on the axis
            (k, end),
            xytext=(0, 3 if value >= 0 else -3),
            textcoords="offset points",
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize="small",
        )
    ticks = [style.feature_label(f, lang) for f in features] + [label("total_gain", lang)]
    ax.set_xticks(x, ticks, rotation=15, ha="right")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(f"{label('gain', lang)} ({style.unit(unit, lang)})")
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
    for stream in ("tax", "land", "dividends", "investment"):
        v = rows[stream].to_numpy()
        base = np.where(v >= 0, up, down)
        ax.bar(
            years,
            v,
            bottom=base,
            color=STREAM_COLOURS[stream],
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
    ax.set_ylabel(f"{label('transfer', lang)} ({style.unit(unit, lang)})")
    ax.set_title(label("transfers", lang))
    _legend_below(ax, ncols=3)
    return ax


def npv_distribution(
    results: pd.DataFrame,
    parties: Sequence[str],
    ax: Axes | None = None,
    *,
    rules: Sequence[str] | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """NPV across sweep scenarios per rule and party (box plots), P(worse than alone) above.

    ``results``: the sweep table (``rule``, ``npv.<P>``, optionally ``gain_vs_standalone.<P>``).
    Scenarios where a rule is undefined (NaN) are left out of its box and its share, as
    in the sweep's summary.
    """
    ax = _ax(ax)
    rules = list(rules or dict.fromkeys(results["rule"]))
    width = 0.8 / len(parties)
    for i, p in enumerate(parties):
        data = [_finite(results.loc[results["rule"] == r, f"npv.{p}"].to_numpy()) for r in rules]
        pos = np.arange(len(rules)) + (i - (len(parties) - 1) / 2) * width
        box = ax.boxplot(
            data,
            positions=pos,
            widths=width * 0.9,
            patch_artist=True,
            showfliers=False,
            whis=(5, 95),
        )
        for patch in box["boxes"]:
            patch.set(facecolor=_colour(parties, p), alpha=0.75)
        for median in box["medians"]:
            median.set(color="black")
        col = f"gain_vs_standalone.{p}"
        if col in results:
            for x, r in zip(pos, rules, strict=True):
                gains = _finite(results.loc[results["rule"] == r, col].to_numpy())
                loss = float(np.mean(gains < -1e-9)) if len(gains) else float("nan")
                ax.text(
                    x,
                    0.99,
                    f"{loss:.0%}",
                    ha="center",
                    va="top",
                    fontsize=6.5,
                    color=_colour(parties, p),
                    transform=ax.get_xaxis_transform(),
                )
        ax.bar([0], [0], color=_colour(parties, p), label=(names or {}).get(p, p))
    ax.set_xticks(np.arange(len(rules)), rules, rotation=20 if lang == "en" else 35, ha="right")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.12 * (hi - lo))  # room for the percentages
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(_amount(unit, lang))
    title = label("distribution", lang)
    if any(f"gain_vs_standalone.{p}" in results for p in parties):
        title += (
            f"\n(figures at the top: {label('p_loss', lang)})"
            if lang == "en"
            else f"\n（顶部数字：{label('p_loss', lang)}）"
        )
    ax.set_title(title)
    _legend_below(ax, ncols=2)
    return ax


def fan_chart(
    quantiles: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
) -> Axes:
    """Yearly net benefit per party over the uncertainty: median and 5–95% band.

    ``quantiles`` columns: ``party``, ``year``, ``p5``, ``p50``, ``p95``.
    """
    ax = _ax(ax)
    parties = list(dict.fromkeys(quantiles["party"]))
    for p in parties:
        q = quantiles[quantiles["party"] == p]
        c = _colour(parties, p)
        ax.fill_between(q["year"], q["p5"], q["p95"], color=c, alpha=0.2, linewidth=0)
        ax.plot(
            q["year"],
            q["p50"],
            color=c,
            linewidth=1.5,
            label=f"{(names or {}).get(p, p)} ({label('median', lang)})",
        )
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(label("year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"{label('net', lang)} ({style.unit(unit, lang)})")
    ax.set_title(label("fan", lang))
    _legend_below(ax, ncols=3)
    return ax


def heatmap(
    results: pd.DataFrame,
    x: str,
    y: str,
    parties: Sequence[str],
    ax: Axes | None = None,
    *,
    rule: str = "agreement",
    bins: int = 8,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
) -> Axes:
    """Share of scenarios in which every party does at least as well as standing alone
    (as under no agreement where the sweep has no standalone values), over two swept
    parameters; scenarios where the agreement is undefined are left out. ``labels``
    names the parameters (default: their key paths).
    """
    ax = _ax(ax)
    rows = results[results["rule"] == rule]
    if "status" in rows:
        rows = rows[rows["status"] != "undefined"]
    alone = f"gain_vs_standalone.{parties[0]}" in rows
    basis = "gain_vs_standalone" if alone else "gain_vs_source"
    title = label("heatmap" if alone else "heatmap_source", lang)
    ok = np.all([rows[f"{basis}.{p}"].to_numpy() >= -1e-9 for p in parties], axis=0)
    xe = np.linspace(rows[x].min(), rows[x].max(), bins + 1)
    ye = np.linspace(rows[y].min(), rows[y].max(), bins + 1)
    total, _, _ = np.histogram2d(rows[x], rows[y], bins=(xe, ye))
    good, _, _ = np.histogram2d(rows[x][ok], rows[y][ok], bins=(xe, ye))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, good / total, np.nan)
    mesh = ax.pcolormesh(xe, ye, share.T, cmap="cividis", vmin=0, vmax=1)
    cbar = ax.figure.colorbar(mesh, ax=ax)
    cbar.set_label(title)
    ax.set_xlabel((labels or {}).get(x, x))
    ax.set_ylabel((labels or {}).get(y, y))
    ax.grid(False)
    ax.set_title(f"{title} ({label(rule, lang) if rule == 'agreement' else rule})")
    return ax


def acceptable_band(
    band: pd.DataFrame,
    party: str,
    ax: Axes | None = None,
    *,
    parameter: str = "",
    agreed: float | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """The range of ``party``'s pool share acceptable to both parties, across a parameter.

    ``band`` columns: ``value`` (the parameter), ``low`` and ``high`` (NaN where no share
    is acceptable).
    """
    ax = _ax(ax)
    ax.fill_between(
        band["value"],
        band["low"],
        band["high"],
        color=PARTY_COLOURS[0],
        alpha=0.35,
        linewidth=0,
        label=label("band", lang),
    )
    ax.plot(band["value"], band["low"], color=PARTY_COLOURS[0], linewidth=1)
    ax.plot(band["value"], band["high"], color=PARTY_COLOURS[0], linewidth=1)
    if agreed is not None:
        ax.axhline(
            agreed,
            color="black",
            linestyle="--",
            linewidth=1,
            label=f"{'agreement' if lang == 'en' else '协议'} {agreed:.0%}",
        )
    ax.set_ylim(0, 1)
    ax.set_xlabel(parameter)
    ax.set_ylabel(f"{(names or {}).get(party, party)}: {label('share_of', lang)}")
    ax.set_title(label("band", lang))
    _legend_below(ax, ncols=3)
    return ax


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
    ax.set_xlabel(f"{label('npv', lang)} {party} ({style.unit(unit, lang)})")
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
    ax.set_xlabel(f"μ* ({style.unit(unit, lang)})")
    ax.set_ylabel(f"σ ({style.unit(unit, lang)})")
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


_MARK_STYLES = {"drafted": "--", "shapley": ":", "nucleolus": "-.", "nash": (0, (1, 3))}


def robust_curve(
    curve: pd.DataFrame,
    party: str,
    ax: Axes | None = None,
    *,
    best: float,
    probability: float,
    marks: Mapping[str, tuple[float, float]] | None = None,
    near: Sequence[tuple[float, float]] = (),
    basis: str = "standalone",
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """P(every party accepts | the first party's pool share), across a sweep's scenarios.

    ``curve`` columns: ``share`` and ``probability``; ``marks`` the drafted ratio and the
    fair-division shares (the first party's share, and its probability), drawn as
    vertical lines; ``near`` the shares within a point of the best, shaded.
    """
    ax = _ax(ax)
    ax.plot(curve["share"], curve["probability"], color=PARTY_COLOURS[0], linewidth=1.6)
    for a, b in near:
        ax.axvspan(a, b, color=PARTY_COLOURS[0], alpha=0.12, linewidth=0)
    ax.plot(
        [best],
        [probability],
        "o",
        color=PARTY_COLOURS[0],
        zorder=5,
        label=f"{label('best', lang)} {best:.1%}: {probability:.1%}",
    )
    groups: dict[float, list[str]] = {}
    for name, (share, _p) in (marks or {}).items():
        groups.setdefault(round(share, 4), []).append(name)
    for share, members in groups.items():
        p = dict(marks or {})[members[0]][1]
        written = "" if members == ["drafted"] else " " + label("as_written", lang)
        ax.axvline(
            share,
            color="black",
            linestyle=_MARK_STYLES.get(members[0], "--"),
            linewidth=1,
            label=f"{' = '.join(label(k, lang) for k in members)}{written} {share:.1%}: {p:.1%}",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(f"{(names or {}).get(party, party)}: {label('share_of', lang)}")
    ax.set_ylabel(label("p_accept" if basis == "standalone" else "p_accept_source", lang))
    ax.set_title(label("robust", lang))
    _legend_below(ax, ncols=1, fontsize="small")
    return ax


def robust_simplex(
    grid: pd.DataFrame,
    parties: Sequence[str],
    ax: Axes | None = None,
    *,
    best: Sequence[float],
    marks: Mapping[str, Sequence[float]] | None = None,
    basis: str = "standalone",
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Three parties: P(every party accepts | pool shares) over the simplex of shares.

    ``grid`` columns: one per party (its share) and ``probability``. A point's position
    is the barycentre of the triangle's corners (corner *i*: the whole pool to party *i*).
    """
    ax = _ax(ax)
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])

    def xy(shares: Any) -> Any:
        return np.asarray(shares, dtype=float) @ corners

    points = xy(grid[list(parties)].to_numpy())
    dots = ax.scatter(
        points[:, 0], points[:, 1], c=grid["probability"], cmap="cividis", vmin=0, vmax=1,
        s=6, marker="h", linewidths=0,
    )  # fmt: skip
    cbar = ax.figure.colorbar(dots, ax=ax, pad=0.1, format=matplotlib.ticker.PercentFormatter(1.0))
    cbar.set_label(label("p_accept" if basis == "standalone" else "p_accept_source", lang))
    ax.plot(*np.vstack([corners, corners[:1]]).T, color="black", linewidth=0.8)
    places = (((0, -14), "left"), ((0, -14), "right"), ((10, -6), "left"))
    for i, p in enumerate(parties):
        offset, ha = places[i]
        ax.annotate(
            f"{(names or {}).get(p, p)} 100%",
            corners[i],
            textcoords="offset points",
            xytext=offset,
            ha=ha,
            fontsize="small",
        )
    b = xy(best)
    ax.plot([b[0]], [b[1]], "o", color="white", markeredgecolor="black", zorder=5)
    ax.annotate(label("best", lang), b, textcoords="offset points", xytext=(8, 4), fontsize="small")
    groups: dict[tuple[float, ...], list[str]] = {}
    for name, shares in (marks or {}).items():
        groups.setdefault(tuple(np.round(shares, 4)), []).append(name)
    for shares_key, members in groups.items():
        m = xy(np.array(shares_key))
        ax.plot([m[0]], [m[1]], "x", color="black", zorder=5)
        text = " = ".join(label(k, lang) for k in members)
        near_best = np.hypot(*(m - b)) < 0.08  # then to the left, clear of the best's label
        offset, ha = ((-8, -12), "right") if near_best else ((8, -10), "left")
        ax.annotate(text, m, textcoords="offset points", xytext=offset, ha=ha, fontsize="small")
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(label("robust", lang), pad=18)
    return ax


def prim_tradeoff(
    trajectory: pd.DataFrame, ax: Axes | None = None, *, chosen: int, lang: str = "en"
) -> Axes:
    """PRIM's peeling trajectory: each step's coverage against its density, coloured by
    how many inputs the box restricts; the chosen step circled."""
    ax = _ax(ax)
    dots = ax.scatter(
        trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"],
        cmap="viridis", s=18, zorder=3,
    )  # fmt: skip
    cbar = ax.figure.colorbar(dots, ax=ax)
    cbar.set_label(label("res_dim", lang))
    cbar.locator = MaxNLocator(integer=True)
    cbar.update_ticks()
    row = trajectory.iloc[chosen]
    ax.plot([row["coverage"]], [row["density"]], "o", markersize=12, markerfacecolor="none",
            markeredgecolor="black", zorder=4)  # fmt: skip
    ax.annotate(
        f"{label('chosen', lang)}{style.COLON[lang]}{row['coverage']:.0%} / {row['density']:.0%}",
        (row["coverage"], row["density"]),
        textcoords="offset points",
        xytext=(-8, 10),
        ha="right",
        fontsize="small",
    )
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(label("coverage", lang))
    ax.set_ylabel(label("density", lang))
    ax.set_title(label("tradeoff", lang))
    return ax


def box_limits(
    limits: pd.DataFrame, ax: Axes | None = None, *, lang: str = "en", title: str = ""
) -> Axes:
    """A box's limits: for each input it restricts, the range it keeps (dark) within the
    range the sweep covered (light), with the limits written at the ends.

    ``limits`` columns: ``input`` (its name), ``low`` and ``high`` (the sweep's range),
    ``lower`` and ``upper`` (the box's limits, NaN where it sets none), ``lower_text`` and
    ``upper_text`` (the limits as written), optionally ``low_text`` and ``high_text``
    (the sweep's range as written, under the ends of each bar).
    """
    ax = _ax(ax)
    rows = limits.reset_index(drop=True)
    for i, r in rows.iterrows():
        y = len(rows) - 1 - int(cast(int, i))
        span = r["high"] - r["low"] or 1.0
        a = 0.0 if pd.isna(r["lower"]) else (r["lower"] - r["low"]) / span
        b = 1.0 if pd.isna(r["upper"]) else (r["upper"] - r["low"]) / span
        ax.plot([0, 1], [y, y], color="0.85", linewidth=8, solid_capstyle="butt")
        ax.plot([a, b], [y, y], color=PARTY_COLOURS[0], linewidth=8, solid_capstyle="butt")
        if not pd.isna(r["lower"]):
            ax.annotate(r["lower_text"], (a, y), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize="small")  # fmt: skip
        if not pd.isna(r["upper"]):
            ax.annotate(r["upper_text"], (b, y), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize="small")  # fmt: skip
        for end, key, ha in ((0.0, "low_text", "left"), (1.0, "high_text", "right")):
            if key in r:
                ax.annotate(str(r[key]), (end, y), textcoords="offset points", xytext=(0, -14),
                            ha=ha, fontsize="x-small", color="0.4")  # fmt: skip
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(list(rows["input"])[::-1])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xticks([0, 1])
    ax.set_xticklabels([label("sweep_low", lang), label("sweep_high", lang)])
    ax.grid(False)
    ax.set_title(title or label("box", lang))
    return ax


def npv_along(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    parameter: str,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
    unit: str = "100m CNY",
    percent: bool = False,
) -> Axes:
    """Each party's NPV under the agreement as one input moves (solid), its standalone
    value (dotted), and the values of the input where every party does at least as well
    as standing alone (shaded). ``percent``: the input is a rate, shown in per cent.

    ``table``: one row per value of the input and party, columns ``value``, ``party``,
    ``npv``, ``standalone`` (NaN where unknown) and ``all_ok`` (every party ≥ alone).
    """
    ax = _ax(ax)
    parties = list(dict.fromkeys(table["party"]))
    for p in parties:
        rows = table[table["party"] == p].sort_values("value")
        colour = _colour(parties, p)
        name = (names or {}).get(p, p)
        ax.plot(rows["value"], rows["npv"], color=colour, linewidth=1.6, label=name)
        if rows["standalone"].notna().any():
            ax.plot(rows["value"], rows["standalone"], color=colour, linestyle=":", linewidth=1.2)
    first = table[table["party"] == parties[0]].sort_values("value")
    ok = first["all_ok"].fillna(False).to_numpy(dtype=bool)
    if ok.any():
        ax.fill_between(
            first["value"],
            0,
            1,
            where=ok,
            transform=ax.get_xaxis_transform(),
            color=STREAM_COLOURS["dividends"],
            alpha=0.12,
            linewidth=0,
            label=label("all_alone", lang),
        )
    ax.plot([], [], color="0.4", linestyle=":", label=label("standalone", lang))
    if percent:
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.axhline(0, color="0.6", linewidth=0.6)
    ax.set_xlabel(parameter)
    ax.set_ylabel(_amount(unit, lang))
    _legend_below(ax, ncols=2)
    return ax
