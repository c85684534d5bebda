"""The figures and tables of ``sim robust`` and ``sim discover``, and their reports."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim import i18n, plots, style
from sim.report.base import (
    Figure,
    Report,
    _names,
    _rule_text,
    _t,
    shown_path,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.decisions.discover import Box, Discovery
    from sim.decisions.robust import Robust
    from sim.sweep.spec import SweepSpec


def scenario_count(n: int, done: int | None, lang: str) -> str:
    """``n=…`` of a sweep of ``n`` scenarios, or how many of them were done (``done``)
    when it is incomplete."""
    if done is None or done >= n:
        return f"n={n:,}"
    return _t("incomplete", lang) + f" {done:,} / {n:,}"


def _sweep_caption(spec: SweepSpec, lang: str, done: int | None = None) -> str:
    return (
        f"{_t('scenario', lang)} {spec.scenario.heading(lang)} · {_t(spec.design, lang)} "
        f"{scenario_count(spec.n, done, lang)} · {_t('seed', lang)} {spec.seed}"
    )


def robust_figures(spec: SweepSpec, result: Robust, lang: str = "en") -> list[Figure]:
    """The figure of ``sim robust``: P(every party accepts) against the first party's
    share (two parties) or over the simplex (three); none for more parties."""
    parties = list(result.parties)
    names = _names(spec.scenario, lang)
    basis = style.label("standalone" if result.basis == "standalone" else "source", lang)
    caption = f"{_sweep_caption(spec, lang)} · {basis}"
    if result.curve is not None:
        curve = pd.DataFrame(result.curve, columns=["share", "probability"])
        marks = {k: (v["shares"][parties[0]], v["probability"]) for k, v in result.marked.items()}
        draw = partial(
            plots.robust_curve,
            curve,
            parties[0],
            best=float(result.best_shares[0]),
            probability=result.best_probability,
            marks=marks,
            near=result.near_best,
            basis=result.basis,
            lang=lang,
            names=names,
        )
        return [Figure("robust", style.label("robust", lang), caption, draw)]
    if result.grid is not None and len(parties) == 3:
        grid = pd.DataFrame(result.grid, columns=[*parties, "probability"])
        points = {k: [v["shares"][p] for p in parties] for k, v in result.marked.items()}
        draw = partial(
            plots.robust_simplex,
            grid,
            parties,
            best=list(result.best_shares),
            marks=points,
            basis=result.basis,
            lang=lang,
            names=names,
        )
        return [Figure("robust", style.label("robust", lang), caption, draw)]
    return []


def robust_tables(
    result: Robust, lang: str = "en", scenario: Scenario | None = None
) -> dict[str, pd.DataFrame]:
    """The shares compared and the regret table of ``sim robust``."""
    parties = list(result.parties)
    p_head = style.label("p_accept" if result.basis == "standalone" else "p_accept_source", lang)
    share = {p: f"{p}{i18n.colon(lang)}{style.label('share_of', lang)}" for p in parties}
    rows = [
        {"": style.label("best", lang),
         **{share[p]: x for p, x in zip(parties, result.best_shares, strict=True)},
         p_head: result.best_probability}
    ]  # fmt: skip
    for name, entry in result.marked.items():
        written = "" if name == "drafted" else " " + style.label("as_written", lang)
        rows.append(
            {
                "": style.label(name, lang) + written,
                **{share[p]: entry["shares"][p] for p in parties},
                p_head: entry["probability"],
            }
        )
    regret = result.regret
    reg = pd.DataFrame(
        {
            _t("rule", lang): [_rule_text(scenario, k, lang) for k in regret["max_regret"]],
            _t("max_regret", lang): list(regret["max_regret"].values()),
            _t("p95_regret", lang): list(regret["p95_regret"].values()),
        }
    )
    return {_t("robust_shares", lang): pd.DataFrame(rows), _t("minimax_regret", lang): reg}


def _choice(scenario: Scenario, result: Robust, lang: str) -> str:
    """The minimax-regret choice by its name in ``lang``, with how often it is acceptable
    to every party (a choice kept in 18% of scenarios is no safe choice)."""
    choice = result.regret["choice"]
    said = _t("choice", lang) + i18n.colon(lang)
    if choice is None:
        return said + "—"
    said += _rule_text(scenario, choice, lang)
    ok = result.regret.get("choice_accepted")
    if ok:
        key = "choice_accepted" if result.basis == "standalone" else "choice_accepted_source"
        note = style.Note(key, {**ok, "share": f"{ok['share']:.1%}"}).text(lang).strip()
        said += i18n.semicolon(lang) + note
    return said


def robust_report(spec: SweepSpec, result: Robust, lang: str = "en") -> Report:
    """``sim robust`` as a report: the shares compared, the regret table and the figure."""
    sc = spec.scenario
    title = i18n.pick(lang, sc.title, sc.title_zh)
    summary = [
        (_t("sweep", lang), shown_path(spec.source)),
        (_t("robust_shares", lang), _choice(sc, result, lang)),
    ]
    return Report(
        title,
        lang,
        summary,
        robust_tables(result, lang, spec.scenario),
        robust_figures(spec, result, lang),
    )


def _limits_table(box: Box, ranges: dict[str, tuple[float, float]], lang: str, unit: str) -> Any:
    from sim.schema import value_text

    rows = []
    for c in box.conditions:
        lo, hi = ranges.get(c.path, (np.nan, np.nan))
        lower, upper = c.limits()  # a year: the whole numbers the box keeps, as its text says
        rows.append(
            {
                "input": i18n.pick(lang, c.label_en, c.label_zh),
                "low": lo,
                "high": hi,
                "low_text": value_text(lo, c.unit, lang, unit),
                "high_text": value_text(hi, c.unit, lang, unit),
                "lower": np.nan if lower is None else lower,
                "upper": np.nan if upper is None else upper,
                "lower_text": "" if lower is None else value_text(lower, c.unit, lang, unit),
                "upper_text": "" if upper is None else value_text(upper, c.unit, lang, unit),
            }
        )
    return pd.DataFrame(rows)


def discovery_figures(
    spec: SweepSpec, result: Discovery, lang: str = "en", done: int | None = None
) -> list[Figure]:
    """PRIM's trade-off curve and the limits of each box it found (``done``: how many
    scenarios an interrupted sweep holds, told in the captions)."""
    amount = style.unit(spec.scenario.unit, lang)
    event = result.event.describe(spec.scenario, lang)
    caption = f"{_sweep_caption(spec, lang, done)} · {event}"
    figures = []
    for i, (box, trajectory) in enumerate(zip(result.boxes, result.trajectories, strict=True)):
        k = i + 1
        assert box.step is not None  # PRIM's boxes carry their step on the trajectory
        figures.append(
            Figure(
                f"tradeoff-{k}",
                i18n.t("name_in_brackets", lang, code=style.label("tradeoff", lang), name=k),
                caption,
                partial(plots.prim_tradeoff, trajectory, chosen=box.step, lang=lang),
            )
        )
        limits = _limits_table(box, result.ranges, lang, amount)
        stats = (
            f"{style.label('coverage', lang)} {box.coverage:.0%} · "
            f"{style.label('density', lang)} {box.density:.0%}"
        )
        # the event, then its statistics on a line of their own: on one line the title ran
        # wider than the chart, to the picture's right edge
        title = i18n.t("name_in_brackets", lang, code=event, name=k) + "\n" + stats
        figures.append(
            Figure(
                f"box-{k}",
                i18n.t("name_in_brackets", lang, code=style.label("box", lang), name=k),
                f"{caption} · {stats}",
                partial(plots.box_limits, limits, lang=lang, title=title),
                size=(style.FIGSIZE[0], max(4.0, 2.0 + 1.2 * len(limits)) / 2.54 * 1.6),
            )
        )
    return figures


def discovery_tables(
    spec: SweepSpec, result: Discovery, lang: str = "en"
) -> dict[str, pd.DataFrame]:
    """The boxes PRIM and CART found, as conditions in words."""
    event = result.event.describe(spec.scenario, lang)
    title = f"{_t('discovery', lang)}{style.COLON[lang]}{event}"
    return {title: boxes_table(result, spec.scenario.unit, lang)}


def boxes_table(result: Discovery, unit: str, lang: str = "en") -> pd.DataFrame:
    """The boxes PRIM and CART found, one row each, conditions in words."""
    amount = style.unit(unit, lang)
    rows = [
        {
            _t("method", lang): b.method.upper(),
            _t("conditions", lang): b.text(lang, amount),
            style.label("coverage", lang): b.coverage,
            style.label("density", lang): b.density,
            _t("mass", lang): b.mass,
            i18n.with_unit(style.label("lift", lang), f"÷ {result.rate:.1%}", lang): result.lift(b),
        }
        for b in [*result.boxes, *result.tree]
    ]
    return pd.DataFrame(rows)


def discovery_report(spec: SweepSpec, result: Discovery, lang: str = "en") -> Report:
    """``sim discover`` as a report: the boxes in words and PRIM's figures."""
    sc = spec.scenario
    title = i18n.pick(lang, sc.title, sc.title_zh)
    summary = [
        (_t("sweep", lang), shown_path(spec.source)),
        (_t("event", lang), result.event.describe(sc, lang)),
        (_t("with_event", lang),
         f"{result.events:,} / {result.scenarios:,} ({result.rate:.1%})"),
    ]  # fmt: skip
    return Report(
        title,
        lang,
        summary,
        discovery_tables(spec, result, lang),
        discovery_figures(spec, result, lang),
    )
