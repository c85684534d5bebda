"""What a briefing opens with: the findings of one scenario in a few sentences, and the
terms it was computed on — in English and Chinese, from the same numbers as
``sim compare`` and ``sim game``.

The findings say who gains what under the agreement (against no agreement), whether
every party does at least as well as standing alone, the range of pool shares both
sides accept (the agreement's other terms as written) and the fair-division splits
with the pool shares that deliver them. Every figure in them is a number of the
comparison; nothing is rounded before it is compared.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import i18n, style
from sim.i18n import t
from sim.rules.clauses import firm_inputs
from sim.schema.fields import value_text
from sim.schema.labels import FAIR_RULES  # whose split the findings report
from sim.schema.policy import policy_lines, schedule_spans

if TYPE_CHECKING:
    import pandas as pd

    from sim.compare import Comparison
    from sim.scenario import Scenario

__all__ = ["FAIR_RULES", "findings", "terms_table"]


def _amount(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def _value(x: float) -> str:
    return f"{x:.2f}".replace("-", "−")


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _gains(scenario: Scenario, comparison: Comparison, lang: str) -> str:
    from sim.output import describe_sharing

    names = _names(scenario, lang)
    row = comparison.row("agreement")
    each = i18n.semicolon(lang).join(
        t("brief_gain_item", lang, name=names[p], npv=_value(row.npv[i]),
          gain=_amount(row.gain_vs_source[i]))
        for i, p in enumerate(scenario.party_ids)
    )  # fmt: skip
    return t(
        "brief_gains",
        lang,
        terms=describe_sharing(scenario, scenario.sharing, lang),
        start=scenario.start_year,
        end=scenario.end_year,
        rate=f"{scenario.discount_rate:.1%}",
        each=each,
        unit=style.unit(scenario.unit, lang),
    )


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def _standalone(scenario: Scenario, comparison: Comparison, lang: str) -> str:
    names = _names(scenario, lang)
    row = comparison.row("agreement")
    alone = comparison.standalone
    short = [
        (p, float(alone[i] - row.npv[i]), i)
        for i, p in enumerate(scenario.party_ids)
        if row.npv[i] < alone[i]
    ]
    join = i18n.semicolon(lang).join
    if not short:
        each = join(
            t("brief_alone_item", lang, name=names[p], alone=_value(alone[i]))
            for i, p in enumerate(scenario.party_ids)
        )
        return t("brief_all_alone", lang, each=each)
    each = join(
        t("brief_short_item", lang, name=names[p], gap=_value(gap), npv=_value(row.npv[i]),
          alone=_value(alone[i]))
        for p, gap, i in short
    )  # fmt: skip
    return t("brief_not_all_alone", lang, each=each)


def _acceptable(scenario: Scenario, comparison: Comparison, lang: str) -> str:
    from sim.agreement import acceptable

    ctx = comparison.context
    outcome = comparison.row("agreement").outcome
    batch = ctx.batch if ctx is not None else None
    ok = acceptable(scenario, batch=batch, context=ctx, outcome=outcome)
    names = _names(scenario, lang)
    pids = scenario.party_ids
    approx = "" if ok.exact else t("brief_approx", lang)
    drafted = ""
    if scenario.sharing.rule == "fixed":
        shares = scenario.sharing.params["shares"]
        first = float(shares[pids[0]])  # type: ignore[index]
        drafted = t("brief_drafted", lang, name=names[pids[0]], share=_pct(first))
    if not ok.feasible:  # beyond two parties, acceptable means in the core: coalitions too
        return t("brief_none_acceptable" if len(pids) == 2 else "brief_none_acceptable_many", lang)
    if len(pids) == 2:
        return t(
            "brief_acceptable_two",
            lang,
            first=names[pids[0]],
            second=names[pids[1]],
            low=_pct(ok.low[0]),
            high=_pct(ok.high[0]),
            approx=approx,
            drafted=drafted,
        )
    ranges = [f"{names[p]} {_pct(ok.low[i])}–{_pct(ok.high[i])}" for i, p in enumerate(pids)]
    return t("brief_acceptable_many", lang, approx=approx, ranges=i18n.semicolon(lang).join(ranges))


def _fair(scenario: Scenario, comparison: Comparison, lang: str) -> list[str]:
    names = _names(scenario, lang)
    pids = scenario.party_ids
    groups: list[tuple[list[str], Any]] = []
    labels = {r.label for r in comparison.rows}
    for rule in FAIR_RULES:
        if rule not in labels:
            continue
        row = comparison.row(rule)
        if not row.defined:
            continue
        for group in groups:
            if np.allclose(group[1].npv, row.npv, rtol=0, atol=1e-9):
                group[0].append(rule)
                break
        else:
            groups.append(([rule], row))
    out = []
    for rules, row in groups:
        who = " = ".join(style.label(r, lang) for r in rules)
        split = i18n.semicolon(lang).join(
            f"{names[p]} {_value(row.npv[i])}" for i, p in enumerate(pids)
        )
        shares = ""
        if row.shares is not None:
            ratio = ":".join(_pct(x) for x in row.shares)
            near = ""
            if not row.exact:
                near = t("brief_nearest", lang)
            shares = t("brief_delivered", lang, ratio=ratio, near=near)
        out.append(t("brief_fair", lang, who=who, split=split, shares=shares))
    return out


def findings(scenario: Scenario, comparison: Comparison, lang: str = "en") -> list[str]:
    """The scenario's findings in a few sentences (see the module docstring)."""
    from sim.errors import UndefinedError

    out = [_gains(scenario, comparison, lang), _standalone(scenario, comparison, lang)]
    with suppress(UndefinedError):  # a coalition's value is undefined: nothing to accept
        out.append(_acceptable(scenario, comparison, lang))
    return out + _fair(scenario, comparison, lang)


def _clause_inputs(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    """The numbers written for the clauses (a rebate's share and years): each party's
    default for its firms, then each firm's own (a firm writing none takes its party's)."""
    inputs = firm_inputs()
    rows = []
    for p in scenario.parties:
        rows += [
            (t("terms_party_default", lang, id=p.id, what=t(f"firm {i.name}", lang)),
             value_text(p.inputs[i.name], i.unit, lang))
            for i in inputs if i.name in p.inputs
        ]  # fmt: skip
    for f in scenario.firms:
        rows += [
            (t("terms_firm_own", lang, name=f.label(lang), what=t(f"firm {i.name}", lang)),
             value_text(f.inputs[i.name], i.unit, lang))
            for i in inputs if i.name in f.inputs
        ]  # fmt: skip
    return rows


def terms_table(scenario: Scenario, lang: str = "en") -> pd.DataFrame:
    """The basis of every number: unit, horizon, discount rate, the parties, the numbers
    written for the clauses (a rebate's share and years, by party and firm) and each
    term of the agreement, one per row (``item``, ``value``)."""
    import pandas as pd

    from sim.output import describe_sharing

    rows = [
        (t("terms_unit", lang), style.unit(scenario.unit, lang)),
        (t("terms_horizon", lang), f"{scenario.start_year}–{scenario.end_year}"),
        (t("terms_rate", lang), f"{scenario.discount_rate:.1%}"),
    ]
    for p in scenario.parties:
        name = i18n.pick(lang, p.name, p.name_zh)
        kept = t("terms_keeps", lang, name=name, kept=f"{p.retained_share:.0%}")
        schedule = scenario.schedules.get(f"parties.{p.id}.retained_share")
        if schedule is not None:  # by year: each share with its years
            spans = schedule_spans(scenario, schedule, "fraction", lang)
            kept = t("terms_keeps_by_year", lang, name=name, kept=spans)
        rows.append((t("terms_party", lang, id=p.id), kept))
    rows += _clause_inputs(scenario, lang)
    others = {k: v for k, v in scenario.schedules.items() if not k.startswith("parties.")}
    for line in policy_lines(scenario, lang, others):  # the other fiscal parameters by year
        rows.append((t("policy_label", lang), line))
    for k, term in enumerate(describe_sharing(scenario, scenario.sharing, lang).split(" · ")):
        rows.append((t("terms_term", lang, k=k + 1), term))
    return pd.DataFrame(rows, columns=[t("terms_item", lang), t("terms_value", lang)])
