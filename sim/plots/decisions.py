"""Figures of the decisions on a sweep: the robust share (curve or simplex), PRIM's
trade-off and box limits, and NPVs along one input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from sim import style
from sim.plots.base import _amount, _ax, _colour, _legend_below, fit_title
from sim.style import PARTY_COLOURS, STREAM_COLOURS, label

__all__ = ["box_limits", "npv_along", "prim_tradeoff", "robust_curve", "robust_simplex"]


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
    fit_title(ax)
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
