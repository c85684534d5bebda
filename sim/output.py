"""What the commands print: JSON documents (docs/reference/json.md) and readable text tables.

Pure functions from results to ``dict`` or ``str``; the CLI only prints them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import i18n
from sim.compare import Comparison, ComparisonRow
from sim.games.tu import coalition_sums
from sim.inheritance import INHERITED_TERMS
from sim.model import INDICATORS, Result
from sim.rules import CLAUSES, FACTORS, rules
from sim.scenario import Clause, Scenario, Sharing
from sim.schema.labels import zh_name
from sim.tables import table as table  # moved: the sweep summary prints tables too

if TYPE_CHECKING:
    from sim.agreement import Decomposition, Outcome
    from sim.decisions.discover import Box, Discovery
    from sim.decisions.robust import Robust
    from sim.sweep.spec import SweepSpec

__all__ = [
    "capex_text",
    "compare_document",
    "describe_row",
    "describe_sharing",
    "discovery_document",
    "discovery_fields",
    "outside_core",
    "robust_document",
    "rules_document",
    "run_document",
    "table",
]


def _by_party(pids: Sequence[str], values: Any) -> dict[str, float | None]:
    """``{party: value}``; NaN (undefined) becomes ``None`` so JSON stays strict."""
    return {p: _finite(values[i]) for i, p in enumerate(pids)}


def _finite(x: Any) -> float | None:
    value = float(x)
    return value + 0.0 if math.isfinite(value) else None


def statistics_document(result: Result, index: int = 0) -> dict[str, Any] | None:
    """Each indicator counted to each party: per year and over the horizon, with shares."""
    if result.statistics is None:
        return None
    pids = list(result.parties)
    out: dict[str, Any] = {}
    for name in INDICATORS:
        values = result.statistics[name][index]  # (P, T)
        total = values.sum(axis=1)
        grand = float(total.sum())
        out[name] = {
            "by_year": {p: values[i].tolist() for i, p in enumerate(pids)},
            "total": _by_party(pids, total),
            "share": _by_party(pids, total / grand if grand else np.full(len(pids), np.nan)),
        }
    return out


def decomposition_document(
    pids: Sequence[str], decomposition: Decomposition, index: int = 0
) -> dict[str, Any]:
    """Each party's gain over no agreement and the part of it each feature brings."""
    parts = decomposition.parts[index]  # (F, P)
    return {
        "basis": "gain over no agreement (source), split by the Shapley value over the "
        "agreement's features",
        "features": list(decomposition.features),
        "gain": _by_party(pids, decomposition.gain[index]),
        "parts": {f: _by_party(pids, parts[k]) for k, f in enumerate(decomposition.features)},
    }


def resolution_document(
    pids: Sequence[str], outcome: Outcome, index: int = 0
) -> dict[str, Any] | None:
    """How a fair-division rule or a resolved investment clause became shares."""
    out: dict[str, Any] = {}
    if outcome.target is not None and outcome.shares is not None:
        out["target"] = _by_party(pids, outcome.target[index])
        out["pool_shares"] = _by_party(pids, outcome.shares[index])
        out["target_reached"] = bool(outcome.status[index] == 0)
    if outcome.capex_shares is not None:
        out["capex_shares"] = _by_party(pids, outcome.capex_shares[index])
    if outcome.reasons[index]:
        out["note"] = outcome.reasons[index]
    return out or None


def run_document(
    scenario: Scenario,
    result: Result,
    outcome: Outcome | None = None,
    decomposition: Decomposition | None = None,
    index: int = 0,
) -> dict[str, Any]:
    """The JSON document of ``sim run`` for scenario ``index`` of ``result``.

    Its keys are documented in docs/reference/json.md: the flows, NPVs and gains, plus
    ``statistics`` (the statistics clause's split), ``decomposition`` (the gain over no
    agreement by feature) and ``resolution`` (the shares a fair-division rule or
    investment rule came to), where available.
    """
    pids = list(result.parties)
    npv = result.npv[index]
    doc: dict[str, Any] = {
        "scenario": scenario.name,
        "rule": result.rule,
        "unit": scenario.unit,
        "parties": pids,
        "years": [int(y) for y in result.years],
        "flows": {
            p: {
                **{s: result.stream(s)[index, i].tolist() for s in result.streams},
                "net": result.net[index, i].tolist(),
            }
            for i, p in enumerate(pids)
        },
        "source_tax": {p: result.source_tax[index, i].tolist() for i, p in enumerate(pids)},
        **{  # a stream that arises with the firms: what each pays of it where it arises
            f"source_{s}": {p: result.at_source(s)[index, i].tolist() for i, p in enumerate(pids)}
            for s in result.arising
        },
        "upper_tier": {p: result.upper_tier[index, i].tolist() for i, p in enumerate(pids)},
        "central": result.central[index].tolist(),
        "npv": {p: float(npv[i]) for i, p in enumerate(pids)},
        "gain_vs_source": _by_party(pids, npv - result.source_npv[index]),
    }
    stats = statistics_document(result, index)
    if stats is not None:
        doc["statistics"] = stats
    if decomposition is not None:
        doc["decomposition"] = decomposition_document(pids, decomposition, index)
    if outcome is not None:
        resolution = resolution_document(pids, outcome, index)
        if resolution is not None:
            doc["resolution"] = resolution
    return doc


def compare_document(comparison: Comparison) -> dict[str, Any]:
    """The JSON document of ``sim compare``.

    Amounts of an agreement undefined for the scenario are ``null``, with ``defined``
    false and the reason in ``note``.
    """
    pids = comparison.scenario.party_ids
    return {
        "scenario": comparison.scenario.name,
        "unit": comparison.scenario.unit,
        "parties": list(pids),
        "standalone": _by_party(pids, comparison.standalone),
        "core_empty": comparison.core_empty,
        "results": [_row_document(pids, row) for row in comparison.rows],
        "notes": list(comparison.notes),
    }


def _row_document(pids: Sequence[str], row: ComparisonRow) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "label": row.label,
        "rule": row.rule,
        "defined": row.defined,
        "npv": _by_party(pids, row.npv),
        "gain_vs_source": _by_party(pids, row.gain_vs_source),
        "gain_vs_standalone": _by_party(pids, row.gain_vs_standalone),
        "all_gain_vs_standalone": row.all_gain_vs_standalone,
        "all_gain_vs_source": row.all_gain_vs_source,
        "in_core": row.in_core,
    }
    if row.shares is not None:
        doc["shares"] = _by_party(pids, row.shares) if row.defined else None
        doc["target_reached"] = row.exact
    if row.outcome.capex_shares is not None:
        capex = row.outcome.capex_shares[0]
        doc["capex_shares"] = _by_party(pids, capex) if row.defined else None
    if row.reason:
        doc["note"] = row.reason
    if row.result is not None and row.result.statistics is not None:
        stats = statistics_document(row.result)
        assert stats is not None
        doc["statistics"] = {
            k: {"total": v["total"], "share": v["share"]} for k, v in stats.items()
        }
    if row.decomposition is not None:
        doc["decomposition"] = decomposition_document(pids, row.decomposition)
    return doc


def rules_document() -> dict[str, Any]:
    """The JSON document of ``sim rules``: the tax rules, then each other clause's rules."""
    from sim.rules import clause_rules

    return {
        "rules": [
            {
                "name": r.name,
                "params": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "description": p.description,
                        "default": p.default,
                    }
                    for p in r.params
                ],
                "kind": r.kind,
                "summary": r.summary,
                "reference": r.reference,
            }
            for r in rules()
        ],
        "clauses": {
            clause: [
                {
                    "name": r.name,
                    "basis": r.basis,
                    "params": [p.name for p in r.params],
                    "summary": r.summary,
                    "reference": r.reference,
                }
                for r in clause_rules(clause)
            ]
            for clause in CLAUSES
        },
    }


# --------------------------------------------------------------------------- text


def _num(x: float, digits: int = 3) -> str:
    if not math.isfinite(x):
        return "—"
    s = f"{x:,.{digits}f}"
    return "0" if s.lstrip("-").strip("0.,") == "" else s


def _param_text(scenario: Scenario, name: str, value: Any, t: Any) -> str:
    # "fixed shares 0.6:0.4" reads in English; in Chinese the rule's name 固定比例
    # already says 比例, so the parameter's name is left out (固定比例 0.6:0.4)
    label = "" if t(name) == "比例" else f"{t(name)} "
    if isinstance(value, float | int):
        return f"{label}{value:g}"
    keys = FACTORS if name == "weights" and set(value) <= set(FACTORS) else scenario.party_ids
    return label + ":".join(f"{value[k]:g}" for k in keys if k in value)


def agreement_name(scenario: Scenario | None, label: str, lang: str = "en") -> str:
    """An agreement's label in ``lang``: a ``[[compare]]`` table's ``label_zh`` where it
    has one, else the glossary's name of the rule (``shapley`` → ``Shapley 值``)."""
    own = next((s.label_zh for s in scenario.compare if s.label == label), "") if scenario else ""
    return i18n.pick(lang, label, zh_name(label, own))


def describe_clause(scenario: Scenario, name: str, clause: Clause, lang: str = "en") -> str:
    """One clause in words, e.g. ``dividends fixed shares 0.6:0.4``."""

    def t(word: str) -> str:
        return i18n.name(word, lang)

    bits = [t(name), t(clause.rule)]
    bits += [_param_text(scenario, k, v, t) for k, v in clause.params.items()]
    return " ".join(bits)


def _review_text(scenario: Scenario, sharing: Sharing, lang: str) -> str:
    """The review clause in words: when it is checked, on what, and the shares after."""
    r = sharing.review
    assert r is not None
    first = scenario.window(sharing)[0] + r.after
    after = ":".join(f"{r.shares[p]:g}" for p in scenario.party_ids)
    return i18n.t(
        "review_text", lang, first=first, party=r.party, below=f"{r.below:g}", after=after
    )


def describe_sharing(scenario: Scenario, sharing: Sharing, lang: str = "en") -> str:
    """One line an official can read: the tax clause, then every clause not at its default."""
    from sim.rules.clauses import DEFAULTS

    def t(word: str) -> str:
        return i18n.name(word, lang)

    parts = [t(sharing.rule)]
    parts += [_param_text(scenario, k, v, t) for k, v in sharing.params.items()]
    first, last = scenario.window(sharing)
    bits = [" ".join(parts), f"{t('scope')} {t(sharing.scope)}", f"{first}–{last}"]
    if sharing.scope == "above_base":
        bits.append(f"{t('base year')} {scenario.base_year(sharing)}")
    if sharing.compliance != 1.0:
        bits.append(f"{t('compliance')} {sharing.compliance:g}")
    if sharing.floors:
        floors = i18n.listing((f"{k} {v:g}" for k, v in sharing.floors.items()), lang)
        bits.append(f"{t('floors')} {floors}")
    if sharing.cap is not None:
        bits.append(f"{t('cap')} {sharing.cap:g}/{t('yr')}")
    if sharing.review is not None:
        bits.append(_review_text(scenario, sharing, lang))
    for name in CLAUSES:
        clause = sharing.clause(name)
        if clause.rule != DEFAULTS[name]:
            bits.append(describe_clause(scenario, name, clause, lang))
    return " · ".join(bits + _inherited_text(scenario, sharing, t, lang))


def _inherited_text(scenario: Scenario, sharing: Sharing, t: Any, lang: str) -> list[str]:
    """Which of the terms described a row took from the agreement (those not at their
    defaults: the others read the same either way), and a review it did not take."""
    if not sharing.inherited:
        return []
    blank = Sharing(rule=sharing.rule)
    words = {"from_year": "window", "years": "window", "base_year": "base year"}
    taken = [
        t(words.get(term, term))
        for term in INHERITED_TERMS
        if term in sharing.inherited and sharing.term(term) != blank.term(term)
    ]
    out = []
    if taken:
        out.append(t("as in the agreement: {}").format(i18n.listing(dict.fromkeys(taken), lang)))
    if scenario.sharing.review is not None and sharing.review is None:
        out.append(t("not the agreement's review"))
    return out


def capex_text(pids: Sequence[str], shares: Any, lang: str = "en") -> str:
    """The capex shares an investment rule came to, in words."""
    if not np.isfinite(shares).all():
        return i18n.t("no_capex", lang)
    text = ":".join(f"{x:.4f}" for x in shares)
    return i18n.t("capex_shares", lang, pids=":".join(pids), shares=text)


def _file_label(comparison: Comparison) -> str:
    source = comparison.scenario.source
    return os.path.basename(source) if source else comparison.scenario.name


def files_document(comparisons: Sequence[Comparison]) -> dict[str, Any]:
    """The JSON document of ``sim compare A.toml B.toml …``: each file's own agreement
    side by side (``files``), and each file's full comparison (``comparisons``)."""
    first = comparisons[0].scenario
    pids = first.party_ids
    files = []
    for c in comparisons:
        row = c.row("agreement")
        files.append(
            {
                "file": _file_label(c),
                "scenario": c.scenario.name,
                "agreement": describe_row(c.scenario, row),
                "discount_rate": c.scenario.discount_rate,
                "defined": row.defined,
                "npv": _by_party(pids, row.npv),
                "source": _by_party(pids, c.row("source").npv),
                "gain_vs_source": _by_party(pids, row.gain_vs_source),
                "standalone": _by_party(pids, c.standalone),
                "all_gain_vs_standalone": row.all_gain_vs_standalone,
                "all_gain_vs_source": row.all_gain_vs_source,
            }
        )
    return {
        "unit": first.unit,
        "parties": list(pids),
        "files": files,
        "comparisons": [compare_document(c) for c in comparisons],
    }


def describe_row(scenario: Scenario, row: ComparisonRow, lang: str = "en") -> str:
    """The row's agreement in words, with the shares a fair-division rule came to."""
    text = describe_sharing(scenario, row.sharing, lang)
    if not row.defined:
        return text + i18n.t("row_undefined", lang)
    if row.shares is not None:
        shares = ":".join(f"{x:.4f}" for x in row.shares)
        text += i18n.t("row_shares", lang, shares=shares)
        text += "" if row.exact else i18n.t("row_nearest", lang)
    if row.outcome.capex_shares is not None:
        text += " → " + capex_text(scenario.party_ids, row.outcome.capex_shares[0], lang)
    return text


def _coalition_name(members: Sequence[str]) -> str:
    return ",".join(members)


def game_document(scenario: Scenario) -> dict[str, Any]:
    """What ``sim game FILE.toml`` reports, as a JSON-ready dict.

    The acceptable shares are those of the agreement as it runs: the pool shares vary,
    and its scope, window, compliance, floors and other clauses stay as written.
    """
    from sim.agreement import Context, acceptable
    from sim.games import solutions
    from sim.games.nucleolus import core_report
    from sim.games.tu import Game, GameUndefinedError
    from sim.model import batch_from_scenario

    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    game = Game(scenario.party_ids, ctx.values[0])
    pids = scenario.party_ids
    values = {_coalition_name(game.coalition(m)): float(game.v[m]) for m in range(1, 1 << game.n)}
    allocations: dict[str, dict[str, float] | None] = {}
    notes: dict[str, str] = {}
    for sol in solutions.solutions("tu"):
        try:
            x = sol.func(game)
        except GameUndefinedError as exc:
            allocations[sol.name], notes[sol.name] = None, str(exc)
            continue
        allocations[sol.name] = {p: float(v) + 0.0 for p, v in zip(pids, x, strict=True)}
    core = core_report(game)
    ok = acceptable(scenario, batch=batch, context=ctx)
    return {
        "scenario": scenario.name,
        "unit": scenario.unit,
        "players": list(pids),
        "values": values,
        "standalone": {p: float(v) for p, v in zip(pids, game.standalone, strict=True)},
        "surplus": game.total - float(game.standalone.sum()),
        "core": {"empty": core.empty, "least_core_epsilon": core.least_core_epsilon},
        "allocations": allocations,
        "in_core": {
            k: None if a is None else game.in_core(np.array(list(a.values())))
            for k, a in allocations.items()
        },
        "acceptable_shares": {
            "scope": scenario.sharing.scope,
            "terms": describe_sharing(scenario, scenario.sharing),
            "exact": ok.exact,
            "feasible": ok.feasible,
            "low": {p: float(v) for p, v in zip(pids, ok.low, strict=True)}
            if ok.feasible
            else None,
            "high": {p: float(v) for p, v in zip(pids, ok.high, strict=True)}
            if ok.feasible
            else None,
        },
        "notes": notes,
    }


# --------------------------------------------------------------------------- decisions


def robust_document(spec: SweepSpec, result: Robust) -> dict[str, Any]:
    """The JSON document of ``sim robust``."""
    pids = list(result.parties)
    doc: dict[str, Any] = {
        "sweep": spec.source,
        "sweep_digest": spec.digest,
        "design": spec.design,
        "seed": spec.seed,
        "scenarios": result.scenarios,
        "basis": result.basis,
        "parties": pids,
        "best": {
            "shares": _by_party(pids, result.best_shares),
            "probability": result.best_probability,
            "upper_bound": result.best_upper_bound,
            "exact": len(pids) == 2,
            "set": [list(x) for x in result.best_set],
            "within_one_point": [list(x) for x in result.near_best],
            "resolution": result.resolution,
        },
        "marked": result.marked,
        "maximin": {
            "shares": _by_party(pids, result.maximin_shares),
            "expected_gain": _by_party(pids, result.maximin_gains),
        },
        "acceptable": result.acceptable,
        "regret": result.regret,
        "notes": [n.text("en") for n in result.notes],
        "notes_zh": [n.text("zh") for n in result.notes],
    }
    if result.curve is not None:
        every = max(1, len(result.curve) // 100)
        doc["curve"] = [[float(a), float(b)] for a, b in result.curve[::every]]
    return doc


def _box_document(box: Box, amount_unit: str, lift: float) -> dict[str, Any]:
    return {
        "method": box.method,
        "text": box.text("en", amount_unit),
        "text_zh": box.text("zh", "亿元" if amount_unit == "100m CNY" else amount_unit),
        "coverage": box.coverage,
        "density": box.density,
        "lift": None if math.isnan(lift) else lift,
        "mass": box.mass,
        "scenarios": box.scenarios,
        "events": box.events,
        "step": box.step,
        "conditions": [
            {
                "input": c.path,
                "name": c.label_en,
                "name_zh": c.label_zh,
                "lower": c.limits()[0],
                "upper": c.limits()[1],
                "quasi_p": c.qp,
            }
            for c in box.conditions
        ],
    }


def discovery_document(spec: SweepSpec, result: Discovery) -> dict[str, Any]:
    """The JSON document of ``sim discover``."""
    sc = spec.scenario
    return {
        "sweep": spec.source,
        "sweep_digest": spec.digest,
        "event": {
            "rule": result.event.rule,
            "party": result.event.party,
            "basis": result.event.basis,
            "holds": result.event.holds,
            "text": result.event.describe(sc, "en"),
            "text_zh": result.event.describe(sc, "zh"),
        },
        **discovery_fields(result, sc.unit),
    }


def discovery_fields(result: Discovery, unit: str) -> dict[str, Any]:
    """A discovery's boxes, counts, ranges and notes, as its JSON document holds them."""
    return {
        "scenarios": result.scenarios,
        "events": result.events,
        "rate": result.rate,
        "left_out": result.left_out,
        "density_target": result.density_target,
        "prim": [_box_document(b, unit, result.lift(b)) for b in result.boxes],
        "cart": [_box_document(b, unit, result.lift(b)) for b in result.tree],
        "ranges": {k: list(v) for k, v in result.ranges.items()},
        "notes": [n.text("en") for n in result.notes],
        "notes_zh": [n.text("zh") for n in result.notes],
    }


def outside_core(
    game: Any, x: Any, lang: str = "en", names: Mapping[str, str] | None = None
) -> str:
    """Why the allocation ``x`` is not in ``game``'s core, in words (:meth:`Game.outside_core
    <sim.games.tu.Game.outside_core>`): each party or coalition that gets less than on its
    own, what it gets and what it would have; empty in the core. ``names``: each party's
    name (default its id)."""
    got = np.asarray(x, dtype=float)
    out = []
    for mask in game.outside_core(got):
        members = game.coalition(mask)
        who = i18n.listing(((names or {}).get(p, p) for p in members), lang)
        amounts = {"got": _num(float(coalition_sums(got)[mask])), "value": _num(game.v[mask])}
        if mask == game.grand:
            out.append(i18n.t("short_total", lang, **amounts))
        elif len(members) == 1:
            out.append(i18n.t("short_alone", lang, who=who, **amounts))
        else:
            out.append(i18n.t("short_together", lang, who=f"{{{who}}}", **amounts))
    return i18n.semicolon(lang).join(out)
