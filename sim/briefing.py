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

from sim import style
from sim.schema.labels import FAIR_RULES  # whose split the findings report

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
    unit = style.unit(scenario.unit, lang)
    terms = describe_sharing(scenario, scenario.sharing, lang)
    r = scenario.discount_rate
    if lang == "zh":
        each = "；".join(
            f"{names[p]}净现值 {_value(row.npv[i])}（比无协议{_amount(row.gain_vs_source[i])}）"
            for i, p in enumerate(scenario.party_ids)
        )
        return (
            f"按协议（{terms}），{scenario.start_year}–{scenario.end_year} 年、折现率 {r:.1%} "
            f"下：{each}，单位{unit}。"
        )
    each = "; ".join(
        f"{names[p]} nets {_value(row.npv[i])} ({_amount(row.gain_vs_source[i])} against no "
        "agreement)"
        for i, p in enumerate(scenario.party_ids)
    )
    return (
        f"Under the agreement ({terms}), over {scenario.start_year}–{scenario.end_year} at "
        f"a {r:.1%} discount rate: {each}; in {unit}."
    )


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    return {p.id: (p.name_zh if lang == "zh" else p.name) for p in scenario.parties}


def _standalone(scenario: Scenario, comparison: Comparison, lang: str) -> str:
    names = _names(scenario, lang)
    row = comparison.row("agreement")
    alone = comparison.standalone
    short = [
        (p, float(alone[i] - row.npv[i]), i)
        for i, p in enumerate(scenario.party_ids)
        if row.npv[i] < alone[i]
    ]
    if not short:
        if lang == "zh":
            return "各方均不低于独立发展：" + "；".join(
                f"{names[p]}独立发展 {_value(alone[i])}" for i, p in enumerate(scenario.party_ids)
            ) + "。"  # fmt: skip
        return "Every party does at least as well as standing alone (" + "; ".join(
            f"{names[p]} {_value(alone[i])} alone" for i, p in enumerate(scenario.party_ids)
        ) + ")."  # fmt: skip
    if lang == "zh":
        return "并非各方均不低于独立发展：" + "；".join(
            f"{names[p]}比独立发展少 {_value(gap)}（{_value(row.npv[i])}，独立发展 "
            f"{_value(alone[i])}）"
            for p, gap, i in short
        ) + "。"  # fmt: skip
    return "Not every party does at least as well as standing alone: " + "; ".join(
        f"{names[p]} falls {_value(gap)} short ({_value(row.npv[i])} against "
        f"{_value(alone[i])} alone)"
        for p, gap, i in short
    ) + "."  # fmt: skip


def _acceptable(scenario: Scenario, lang: str) -> str:
    from sim.agreement import acceptable

    ok = acceptable(scenario)
    names = _names(scenario, lang)
    pids = scenario.party_ids
    approx = "" if ok.exact else (" (approximate)" if lang == "en" else "（近似）")
    drafted = ""
    if scenario.sharing.rule == "fixed":
        shares = scenario.sharing.params["shares"]
        first = float(shares[pids[0]])  # type: ignore[index]
        drafted = (
            f"；协议为{names[pids[0]]} {_pct(first)}"
            if lang == "zh"
            else f"; the agreement gives {names[pids[0]]} {_pct(first)}"
        )
    if not ok.feasible:
        if lang == "zh":
            return "在协议其他条款不变时，任何分成比例都不能使各方均不低于独立发展。"
        return (
            "With the agreement's other terms as written, no pool shares leave every party "
            "at least as well off as standing alone."
        )
    if len(pids) == 2:
        lo, hi = _pct(ok.low[0]), _pct(ok.high[0])
        if lang == "zh":
            return (
                f"在协议其他条款不变时，{names[pids[0]]}分成比例在 {lo}–{hi} 之间"
                f"（其余归{names[pids[1]]}）可使双方均不低于独立发展{approx}{drafted}。"
            )
        return (
            f"With the agreement's other terms as written, a pool share for "
            f"{names[pids[0]]} between {lo} and {hi} ({names[pids[1]]} the rest) leaves "
            f"both at least as well off as standing alone{approx}{drafted}."
        )
    ranges = [f"{names[p]} {_pct(ok.low[i])}–{_pct(ok.high[i])}" for i, p in enumerate(pids)]
    if lang == "zh":
        return (
            "在协议其他条款不变时，各方分成比例在以下范围内（合计 100%）可使每一方及每个"
            f"联盟均不低于独立发展{approx}：" + "；".join(ranges) + "。"
        )
    return (
        "With the agreement's other terms as written, pool shares in these ranges (summing "
        f"to 100%) leave every party and coalition at least as well off as alone{approx}: "
        + "; ".join(ranges)
        + "."
    )


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
        split = ("；" if lang == "zh" else "; ").join(
            f"{names[p]} {_value(row.npv[i])}" for i, p in enumerate(pids)
        )
        shares = ""
        if row.shares is not None:
            ratio = ":".join(_pct(x) for x in row.shares)
            near = ""
            if not row.exact:
                near = " (nearest feasible)" if lang == "en" else "（最接近的可行值）"
            shares = (
                f"，由分成比例 {ratio} 实现{near}"
                if lang == "zh"
                else f", delivered by pool shares {ratio}{near}"
            )
        out.append(f"{who}：{split}{shares}。" if lang == "zh" else f"{who}: {split}{shares}.")
    return out


def findings(scenario: Scenario, comparison: Comparison, lang: str = "en") -> list[str]:
    """The scenario's findings in a few sentences (see the module docstring)."""
    from sim.errors import UndefinedError

    out = [_gains(scenario, comparison, lang), _standalone(scenario, comparison, lang)]
    with suppress(UndefinedError):  # a coalition's value is undefined: nothing to accept
        out.append(_acceptable(scenario, lang))
    return out + _fair(scenario, comparison, lang)


def terms_table(scenario: Scenario, lang: str = "en") -> pd.DataFrame:
    """The basis of every number: unit, horizon, discount rate, the parties and each
    term of the agreement, one per row (``item``, ``value``)."""
    import pandas as pd

    from sim.output import describe_sharing

    zh = lang == "zh"
    rows = [
        ("单位" if zh else "unit", style.unit(scenario.unit, lang)),
        ("期限" if zh else "horizon", f"{scenario.start_year}–{scenario.end_year}"),
        ("折现率" if zh else "discount rate", f"{scenario.discount_rate:.1%}"),
    ]
    for p in scenario.parties:
        name = p.name_zh if zh else p.name
        kept = f"{p.retained_share:.0%}"
        rows.append(
            (f"参与方 {p.id}" if zh else f"party {p.id}",
             f"{name}，本级留成 {kept}" if zh else f"{name}, keeps {kept} of its local tax")
        )  # fmt: skip
    for k, term in enumerate(describe_sharing(scenario, scenario.sharing, lang).split(" · ")):
        rows.append((f"协议条款 {k + 1}" if zh else f"agreement term {k + 1}", term))
    return pd.DataFrame(rows, columns=["项目", "内容"] if zh else ["item", "value"])
