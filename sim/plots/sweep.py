"""Figures of a sweep: the distribution of NPVs, the fan of yearly values, a heatmap
over two inputs and the band of acceptable shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from sim import i18n, style
from sim.plots.base import _amount, _ax, _colour, _finite, _legend_below
from sim.style import PARTY_COLOURS, label

__all__ = ["acceptable_band", "fan_chart", "heatmap", "npv_distribution"]


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
    ax.set_xticks(np.arange(len(rules)), rules, rotation=35 if i18n.is_zh(lang) else 20, ha="right")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.12 * (hi - lo))  # room for the percentages
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(_amount(unit, lang))
    title = label("distribution", lang)
    if any(f"gain_vs_standalone.{p}" in results for p in parties):
        title += i18n.t("figures_at_top", lang, what=label("p_loss", lang))
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
            label=i18n.t(
                "name_in_brackets", lang, code=(names or {}).get(p, p), name=label("median", lang)
            ),
        )
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel(label("year", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(i18n.with_unit(label("net", lang), style.unit(unit, lang), lang))
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
    shown = label(rule, lang) if rule == "agreement" else rule
    ax.set_title(i18n.t("name_in_brackets", lang, code=title, name=shown))
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
            label=f"{i18n.t('agreement', lang)} {agreed:.0%}",
        )
    ax.set_ylim(0, 1)
    ax.set_xlabel(parameter)
    ax.set_ylabel(f"{(names or {}).get(party, party)}: {label('share_of', lang)}")
    ax.set_title(label("band", lang))
    _legend_below(ax, ncols=3)
    return ax
