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
from sim.output import _num, agreement_name, table

if TYPE_CHECKING:
    from sim.decisions.discover import Discovery
    from sim.decisions.robust import Robust
    from sim.sweep.spec import SweepSpec

__all__ = ["discovery_text", "render_discovery", "render_robust"]


def _pct(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:.1%}"


def render_robust(spec: SweepSpec, result: Robust, lang: str = "en") -> str:
    """The readable text of ``sim robust``."""
    from sim.style import Note, label, unit

    pids = list(result.parties)
    two = len(pids) == 2
    basis = label("standalone" if result.basis == "standalone" else "source", lang)
    head = i18n.t(
        "robust_head",
        lang,
        name=spec.scenario.name,
        n=f"{result.scenarios:,}",
        design=i18n.name(spec.design, lang),
        seed=spec.seed,
        basis=basis,
        basis_lower=basis.lower(),
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
        lines.append(i18n.t("robust_no_drafted", lang, rule=i18n.name(rule, lang)))
    fair = [k for k in result.marked if k != "drafted"]
    if fair:
        rules = i18n.listing((label(k, lang) for k in fair), lang)
        lines.append(i18n.t("robust_fair", lang, rules=rules))
    if two and result.near_best:
        spans = ", ".join(f"{_pct(a)}–{_pct(b)}" for a, b in result.near_best)
        lines.append(i18n.t("robust_near_best", lang, party=pids[0], spans=spans))
    amount = unit(spec.scenario.unit, lang)
    gains = ", ".join(f"{p} {_num(g)}" for p, g in zip(pids, result.maximin_gains, strict=True))
    split = ", ".join(f"{p} {_pct(x)}" for p, x in zip(pids, result.maximin_shares, strict=True))
    lines += [
        "",
        i18n.t(
            "robust_maximin", lang, split=split, basis=basis.lower(), amount=amount, gains=gains
        ),
    ]
    acc = result.acceptable
    if two and acc.get("low_quantiles"):
        q = acc["low_quantiles"]
        r = acc["high_quantiles"]
        lines.append(
            i18n.t("robust_acceptable", lang, party=pids[0], low=_pct(q[2]), q5=_pct(q[0]),
                   q95=_pct(q[4]), high=_pct(r[2]), empty=_pct(acc["empty"]))
        )  # fmt: skip
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
    header = [
        i18n.t("regret_agreement", lang),
        p_head,
        i18n.t("regret_max", lang, amount=amount),
        i18n.t("regret_whose", lang),
        i18n.t("regret_p95", lang),
    ]
    lines += [
        "",
        i18n.t("regret_head", lang, n=f"{reg['scenarios']:,}"),
        table(header, regret_rows),
    ]
    if reg["choice"] is not None:
        choice = i18n.pick(lang, reg["choice"], agreement_name(spec.scenario, reg["choice"], lang))
        lines.append(i18n.t("regret_choice", lang, choice=choice))
        ok = reg["choice_accepted"]
        key = "choice_accepted" if result.basis == "standalone" else "choice_accepted_source"
        lines.append(Note(key, {**ok, "share": _pct(ok["share"])}).text(lang))
        lines += _more_often(spec, result, ok["share"], lang)
    if len(reg["tied"]) > 1:
        tied = i18n.listing((agreement_name(spec.scenario, t, lang) for t in reg["tied"]), lang)
        lines.append(i18n.t("regret_tied", lang, tied=tied))
    if reg.get("left_out"):
        lines.append(i18n.t("regret_left_out", lang, n=f"{reg['left_out']:,}"))
    lines += _note_lines(result.notes, lang)
    return "\n".join(lines)


def _more_often(spec: SweepSpec, result: Robust, share: float, lang: str) -> list[str]:
    """A line naming up to three agreements every party accepts more often than the
    minimax-regret choice (accepted in ``share`` of the scenarios), if any: the choice
    limits the largest shortfall, not how often the agreement is signed."""
    better = sorted(
        (a for a, p in result.accepted.items() if p > share + 0.005),
        key=lambda a: -result.accepted[a],
    )
    if not better:
        return []
    others = i18n.listing(
        (
            f"{agreement_name(spec.scenario, a, lang)} {_pct(result.accepted[a])}"
            for a in better[:3]
        ),
        lang,
    )
    return [i18n.t("regret_more_often", lang, others=others)]


def _note_lines(notes: Sequence[Any], lang: str) -> list[str]:
    """Notes as lines of text, each in ``lang``."""
    return [i18n.t("note_line", lang, note=n.text(lang)) for n in notes]


def _lift(x: float) -> str:
    return "—" if math.isnan(x) else f"{x:.2f}×"


def render_discovery(spec: SweepSpec, result: Discovery, lang: str = "en") -> str:
    """The readable text of ``sim discover``."""
    sc = spec.scenario
    return discovery_text(result, sc.name, result.event.describe(sc, lang), sc.unit, lang)


def discovery_text(result: Discovery, name: str, event: str, amount_unit: str, lang: str) -> str:
    """The readable text of a discovery of ``event`` (in words) on the sweep of ``name``."""
    from sim.style import Note, label, unit

    amount = unit(amount_unit, lang)
    lines = [
        i18n.t(
            "discover_head",
            lang,
            name=name,
            event=event,
            events=f"{result.events:,}",
            n=f"{result.scenarios:,}",
            rate=_pct(result.rate),
        ),
        "",
    ]
    for name, found in (("PRIM", result.boxes), ("CART", result.tree)):
        if not found:
            continue
        header = [
            name,
            i18n.t("conditions_col", lang),
            i18n.t("coverage", lang),
            i18n.t("density", lang),
            i18n.t("mass_col", lang),
            label("lift", lang),
        ]
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
        lines.append(i18n.t("discover_legend", lang))
        lines.append(Note("lift_basis", {"rate": _pct(result.rate)}).text(lang))
    if result.left_out:
        lines.append(i18n.t("discover_left_out", lang, n=f"{result.left_out:,}"))
    lines += _note_lines(result.notes, lang)
    return "\n".join(lines).rstrip()
