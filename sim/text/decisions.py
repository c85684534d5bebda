"""The readable text of ``sim robust`` and ``sim discover``, in English or Chinese.

Pure functions from a sweep's decision results to ``str``; the JSON documents of these
commands stay in :mod:`sim.output`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import i18n
from sim.i18n import TERMS as ZH_TERMS
from sim.output import _num, agreement_name, table

if TYPE_CHECKING:
    from sim.decisions.discover import Discovery
    from sim.decisions.robust import Robust
    from sim.sweep.spec import SweepSpec

__all__ = ["render_discovery", "render_robust"]


def _pct(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:.1%}"


def render_robust(spec: SweepSpec, result: Robust, lang: str = "en") -> str:
    """The readable text of ``sim robust``."""
    from sim.style import Note, label, unit

    zh = lang == "zh"
    pids = list(result.parties)
    two = len(pids) == 2
    basis = label("standalone" if result.basis == "standalone" else "source", lang)
    head = (
        f"稳健分成比例 [{spec.scenario.name}]：{result.scenarios:,} 个情景（"
        f"{ZH_TERMS.get(spec.design, spec.design)}，"
        f"随机种子 {spec.seed}）；基准：{basis}"
        if zh
        else f"Robust pool shares for [{spec.scenario.name}]: {result.scenarios:,} scenarios "
        f"({spec.design}, seed {spec.seed}); each party compared with: {basis.lower()}"
    )
    p_head = label("p_accept" if result.basis == "standalone" else "p_accept_source", lang)
    rows = [
        [label("best", lang), *(_pct(x) for x in result.best_shares), _pct(result.best_probability)]
    ]
    for name, entry in result.marked.items():
        shares = [entry["shares"][p] for p in pids]
        name_text = label(name, lang) + (
            "" if name == "drafted" else " " + label("as_written", lang)
        )
        rows.append([name_text, *(_pct(x) for x in shares), _pct(entry["probability"])])
    lines = [head, "", table(["", *pids, p_head], rows)]
    if "drafted" not in result.marked:
        rule = spec.scenario.sharing.rule
        lines.append(
            f"协议规则（{ZH_TERMS.get(rule, rule)}）没有固定分成比例，无法标出"
            if zh
            else f"as drafted: the agreement's rule ({rule}) has no constant pool shares to mark"
        )
    fair = [k for k in result.marked if k != "drafted"]
    if fair:
        lines.append(
            f"{'、'.join(label(k, lang) for k in fair)}：按文件所设情景求得的比例，"
            "在各情景中保持不变"
            if zh
            else f"{', '.join(label(k, lang) for k in fair)}: the shares of the scenario as "
            "written, held constant in every scenario."
        )
    if two and result.near_best:
        spans = ", ".join(f"{_pct(a)}–{_pct(b)}" for a, b in result.near_best)
        lines.append(
            f"{pids[0]} 分成比例在 {spans} 内，概率与最高值相差不超过 1 个百分点"
            if zh
            else f"Any {pids[0]} share in {spans} is within one percentage point of the best."
        )
    amount = unit(spec.scenario.unit, lang)
    gains = ", ".join(f"{p} {_num(g)}" for p, g in zip(pids, result.maximin_gains, strict=True))
    split = ", ".join(f"{p} {_pct(x)}" for p, x in zip(pids, result.maximin_shares, strict=True))
    lines += [
        "",
        f"使最差一方期望收益最大的比例：{split}；期望收益（{amount}）：{gains}"
        if zh
        else f"Best for the worst-off party on average: {split}; expected gain over "
        f"{basis.lower()} ({amount}): {gains}",
    ]
    acc = result.acceptable
    if two and acc.get("low_quantiles"):
        q = acc["low_quantiles"]
        r = acc["high_quantiles"]
        lines.append(
            f"各情景可接受的 {pids[0]} 比例：下限中位数 {_pct(q[2])}（5%–95%：{_pct(q[0])}–"
            f"{_pct(q[4])}），上限中位数 {_pct(r[2])}；无可接受比例的情景 {_pct(acc['empty'])}"
            if zh
            else f"Acceptable {pids[0]} share per scenario: least {_pct(q[2])} at the median "
            f"(5–95%: {_pct(q[0])}–{_pct(q[4])}), greatest {_pct(r[2])} at the median; "
            f"no acceptable share in {_pct(acc['empty'])} of scenarios"
        )
    reg = result.regret
    regret_rows = []
    for name, worst in reg["max_regret"].items():
        by_party = reg["max_regret_by_party"][name]
        regret_rows.append(
            [
                agreement_name(spec.scenario, name, lang),
                _pct(result.accepted[name]),
                "—" if worst is None else _num(worst),
                "—" if by_party is None else pids[int(np.argmax(by_party))],
                "—" if worst is None else _num(reg["p95_regret"][name]),
            ]
        )
    header = (
        [
            "协议（各情景分别求解）",
            p_head,
            f"最大遗憾（{amount}）",
            "遗憾最大的一方",
            "95% 分位遗憾",
        ]
        if zh
        else [
            "agreement (resolved in each scenario)",
            p_head,
            f"max regret ({amount})",
            "whose",
            "p95 regret",
        ]
    )
    lines += [
        "",
        (
            f"极小化最大遗憾（Savage）：各协议在 {reg['scenarios']:,} 个情景中的遗憾"
            if zh
            else f"Minimax regret (Savage) among the agreements compared, over "
            f"{reg['scenarios']:,} scenarios (regret: a party's shortfall from the agreement "
            "best for it in that scenario)"
        ),
        table(header, regret_rows),
    ]
    if reg["choice"] is not None:
        lines.append(
            f"选择：{agreement_name(spec.scenario, reg['choice'], lang)}"
            if zh
            else f"Choice: {reg['choice']}"
        )
        ok = reg["choice_accepted"]
        key = "choice_accepted" if result.basis == "standalone" else "choice_accepted_source"
        lines.append(Note(key, {**ok, "share": _pct(ok["share"])}).text(lang))
    if len(reg["tied"]) > 1:
        lines.append(
            f"并列：{'、'.join(agreement_name(spec.scenario, t, lang) for t in reg['tied'])}"
            "（取扫描顺序中的第一个）"
            if zh
            else f"tied: {', '.join(reg['tied'])} (the first in the sweep's order is named)"
        )
    if reg.get("left_out"):
        lines.append(
            f"有协议无定义的 {reg['left_out']:,} 个情景未计入"
            if zh
            else f"{reg['left_out']:,} scenarios where some agreement is undefined are left out"
        )
    lines += _note_lines(result.notes, lang)
    return "\n".join(lines)


def _note_lines(notes: Sequence[Any], lang: str) -> list[str]:
    """Notes as lines of text, each in ``lang``."""
    return [i18n.t("note_line", lang, note=n.text(lang)) for n in notes]


def _lift(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.2f}×"


def render_discovery(spec: SweepSpec, result: Discovery, lang: str = "en") -> str:
    """The readable text of ``sim discover``."""
    from sim.style import Note, label, unit

    sc = spec.scenario
    zh = lang == "zh"
    amount = unit(sc.unit, lang)
    lines = [
        (
            f"情景发现 [{sc.name}]：{result.event.describe(sc, lang)}——"
            f"{result.events:,} / {result.scenarios:,} 个情景（{_pct(result.rate)}）"
            if zh
            else f"Scenario discovery for [{sc.name}]: {result.event.describe(sc, lang)} in "
            f"{result.events:,} of {result.scenarios:,} scenarios ({_pct(result.rate)})"
        ),
        "",
    ]
    for name, found in (("PRIM", result.boxes), ("CART", result.tree)):
        if not found:
            continue
        header = (
            [name, "条件", "覆盖率", "密度", "情景占比"]
            if zh
            else [name, "conditions", "coverage", "density", "mass"]
        ) + [label("lift", lang)]
        rows = [
            [
                str(i + 1),
                b.text(lang, amount),
                _pct(b.coverage),
                _pct(b.density),
                _pct(b.mass),
                _lift(result.lift(b)),
            ]
            for i, b in enumerate(found)
        ]
        lines += [table(header, rows, left=2), ""]
    if result.boxes:
        lines.append(
            "覆盖率：事件落在区域内的比例；密度：区域内情景发生事件的比例；"
            "情景占比：区域内情景占全部情景的比例。"
            if zh
            else "coverage: share of the event's scenarios inside the box; density: share of "
            "the box's scenarios with the event; mass: share of all scenarios in the box."
        )
        lines.append(Note("lift_basis", {"rate": _pct(result.rate)}).text(lang))
    if result.left_out:
        lines.append(
            f"协议无定义的 {result.left_out:,} 个情景未计入"
            if zh
            else f"{result.left_out:,} scenarios where the agreement is undefined are left out"
        )
    lines += _note_lines(result.notes, lang)
    return "\n".join(lines).rstrip()
