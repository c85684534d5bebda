"""What the commands print: JSON documents (SPEC.md section 4) and readable text tables.

Pure functions from results to ``dict`` or ``str``; the CLI only prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.compare import Comparison, ComparisonRow
from sim.model import STREAMS, Result
from sim.rules import FACTORS, rules
from sim.scenario import Scenario, Sharing

__all__ = [
    "compare_document",
    "describe_sharing",
    "render_compare",
    "render_rules",
    "render_run",
    "rules_document",
    "run_document",
    "table",
]


def run_document(scenario: Scenario, result: Result, index: int = 0) -> dict[str, Any]:
    """The JSON document of ``sim run`` for scenario ``index`` of ``result``."""
    pids = list(result.parties)
    npv = result.npv[index]
    return {
        "scenario": scenario.name,
        "rule": result.rule,
        "unit": scenario.unit,
        "parties": pids,
        "years": [int(y) for y in result.years],
        "flows": {
            p: {
                **{s: result.stream(s)[index, i].tolist() for s in STREAMS},
                "net": result.net[index, i].tolist(),
            }
            for i, p in enumerate(pids)
        },
        "source_tax": {p: result.source_tax[index, i].tolist() for i, p in enumerate(pids)},
        "upper_tier": {p: result.upper_tier[index, i].tolist() for i, p in enumerate(pids)},
        "central": result.central[index].tolist(),
        "npv": {p: float(npv[i]) for i, p in enumerate(pids)},
    }


def compare_document(comparison: Comparison) -> dict[str, Any]:
    """The JSON document of ``sim compare``."""
    pids = comparison.scenario.party_ids
    return {
        "scenario": comparison.scenario.name,
        "unit": comparison.scenario.unit,
        "parties": list(pids),
        "standalone": {p: float(comparison.standalone[i]) for i, p in enumerate(pids)},
        "core_empty": comparison.core_empty,
        "results": [
            {
                "label": row.label,
                "rule": row.rule,
                "npv": {p: float(row.npv[i]) for i, p in enumerate(pids)},
                "gain_vs_source": {p: float(row.gain_vs_source[i]) for i, p in enumerate(pids)},
                "gain_vs_standalone": {
                    p: float(row.gain_vs_standalone[i]) for i, p in enumerate(pids)
                },
                "all_gain_vs_standalone": row.all_gain_vs_standalone,
                "in_core": row.in_core,
                **(
                    {}
                    if row.shares is None
                    else {
                        "shares": {p: float(row.shares[i]) for i, p in enumerate(pids)},
                        "target_reached": row.exact,
                    }
                ),
            }
            for row in comparison.rows
        ],
        "notes": list(comparison.notes),
    }


def rules_document() -> dict[str, Any]:
    """The JSON document of ``sim rules``."""
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
        ]
    }


# --------------------------------------------------------------------------- text


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """Align columns: the first ``left`` columns to the left, the rest to the right."""
    cols = list(zip(header, *rows, strict=True))
    widths = [max(len(c) for c in col) for col in cols]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _num(x: float, digits: int = 3) -> str:
    s = f"{x:,.{digits}f}"
    return "0" if s.lstrip("-").strip("0.,") == "" else s


ZH_TERMS = {  # Chinese names of rules and agreement terms, for reports
    "source": "属地",
    "fixed": "固定比例",
    "equity": "按股比",
    "formula": "因素法",
    "introducer": "引进方分成",
    "shapley": "Shapley 值",
    "normalized_banzhaf": "标准化 Banzhaf",
    "nucleolus": "核仁",
    "prenucleolus": "前核仁",
    "tau_value": "τ 值",
    "equal_surplus": "等分剩余",
    "proportional_standalone": "按独立价值比例",
    "nash": "纳什谈判",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "平等收益",
    "shares": "比例",
    "weights": "权重",
    "share": "引进方比例",
    "all": "全部税收",
    "new_firms": "新引进企业",
    "above_base": "超基数增量",
    "scope": "范围",
    "base year": "基年",
    "compliance": "结算率",
    "floors": "保底",
    "land shared": "土地收益共享",
}


def describe_sharing(scenario: Scenario, sharing: Sharing, lang: str = "en") -> str:
    """One line an official can read: rule and parameters, scope, window, settlement."""

    def t(word: str) -> str:
        return ZH_TERMS.get(word, word) if lang == "zh" else word

    parts = [t(sharing.rule)]
    for name, value in sharing.params.items():
        if isinstance(value, float | int):
            parts.append(f"{t(name)} {value:g}")
        else:
            keys = (
                FACTORS if name == "weights" and set(value) <= set(FACTORS) else scenario.party_ids
            )
            parts.append(f"{t(name)} " + ":".join(f"{value[k]:g}" for k in keys if k in value))
    first, last = scenario.window(sharing)
    bits = [" ".join(parts), f"{t('scope')} {t(sharing.scope)}", f"{first}–{last}"]
    if sharing.scope == "above_base":
        bits.append(f"{t('base year')} {scenario.base_year(sharing)}")
    if sharing.compliance != 1.0:
        bits.append(f"{t('compliance')} {sharing.compliance:g}")
    if sharing.floors:
        bits.append(f"{t('floors')} " + ", ".join(f"{k} {v:g}" for k, v in sharing.floors.items()))
    if sharing.land == "shared":
        bits.append(t("land shared"))
    return " · ".join(bits)


def render_run(scenario: Scenario, result: Result, index: int = 0) -> str:
    """A readable report of one scenario: yearly streams per party, then NPVs."""
    unit = scenario.unit
    out = [
        f"{scenario.title}  [{scenario.name}]",
        f"agreement: {describe_sharing(scenario, scenario.sharing)}",
        f"amounts in {unit} per year; net = tax + land + dividends + investment",
    ]
    for i, party in enumerate(scenario.parties):
        rows = []
        for t, year in enumerate(result.years):
            vals = [result.stream(s)[index, i, t] for s in STREAMS]
            rows.append(
                [
                    str(year),
                    *(_num(v) for v in vals),
                    _num(result.net[index, i, t]),
                    _num(result.source_tax[index, i, t]),
                    _num(result.transfers[index, i, t]),
                ]
            )
        out += [
            "",
            f"{party.name} [{party.id}]",
            table(["year", *STREAMS, "net", "source tax", "transfer"], rows),
        ]
    npv = result.npv[index]
    rate = scenario.discount_rate
    rows = [[p.name, p.id, _num(npv[i])] for i, p in enumerate(scenario.parties)]
    rows.append(["total", "", _num(float(npv.sum()))])
    out += [
        "",
        f"NPV at {rate:.4g} discount rate ({unit}, {scenario.start_year} = year 0)",
        table(["party", "id", "NPV"], rows, left=2),
    ]
    return "\n".join(out)


def render_compare(comparison: Comparison) -> str:
    """The side-by-side table of ``sim compare``."""
    sc = comparison.scenario
    pids = sc.party_ids
    header = [
        "label",
        "rule",
        *(f"NPV {p}" for p in pids),
        *(f"gain {p}" for p in pids),
        "≥ alone",
        "in core",
    ]
    rows = [
        [
            row.label,
            row.rule,
            *(_num(v) for v in row.npv),
            *(_num(v) for v in row.gain_vs_source),
            "yes" if row.all_gain_vs_standalone else "NO",
            "yes" if row.in_core else "no",
        ]
        for row in comparison.rows
    ]
    out = [
        f"{sc.title}  [{sc.name}]",
        f"NPV at {sc.discount_rate:.4g} discount rate, in {sc.unit}; gain = NPV − NPV under "
        "source (no agreement)",
        "parties: " + "; ".join(f"{p.id} = {p.name}" for p in sc.parties),
        "standing alone (v(i), see `sim game`): "
        + ", ".join(f"{p} {_num(v)}" for p, v in zip(pids, comparison.standalone, strict=True))
        + f"; core {'empty' if comparison.core_empty else 'not empty'}",
        "",
        table(header, rows, left=2),
        "",
        *(f"{row.label}: {describe_row(sc, row)}" for row in comparison.rows),
    ]
    out += [f"note: {n}" for n in comparison.notes]
    return "\n".join(out)


def describe_row(scenario: Scenario, row: ComparisonRow) -> str:
    text = describe_sharing(scenario, row.sharing)
    if row.shares is not None:
        shares = ":".join(f"{x:.4f}" for x in row.shares)
        text += f" → pool shares {shares}" + ("" if row.exact else " (nearest feasible)")
    return text


def _coalition_name(members: Sequence[str]) -> str:
    return ",".join(members)


def game_document(scenario: Scenario) -> dict[str, Any]:
    """What ``sim game FILE.toml`` reports, as a JSON-ready dict."""
    from sim.fair import acceptable_shares, coalition_game
    from sim.games import solutions
    from sim.games.nucleolus import core_report
    from sim.games.tu import GameUndefinedError

    game = coalition_game(scenario)
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
    ok = acceptable_shares(scenario, game)
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


def render_game(doc: dict[str, Any]) -> str:
    pids = doc["players"]
    unit = doc["unit"]
    out = [
        f"Cooperative game of [{doc['scenario']}]: v(S) = total NPV of coalition S "
        f"cooperating alone ({unit})",
        "",
    ]
    out.append(table(["coalition", "v(S)"], [[k, _num(v)] for k, v in doc["values"].items()]))
    core = doc["core"]
    out += [
        "",
        f"surplus of cooperating: v(N) − Σ v(i) = {_num(doc['surplus'])}",
        f"core: {'EMPTY' if core['empty'] else 'not empty'} (least-core ε = "
        f"{_num(core['least_core_epsilon'], 4)})",
        "",
    ]
    rows = []
    for name, alloc in doc["allocations"].items():
        if alloc is None:
            rows.append([name, *(["—"] * len(pids)), "—"])
        else:
            rows.append(
                [name, *(_num(alloc[p]) for p in pids), "yes" if doc["in_core"][name] else "no"]
            )
    out.append(table(["rule", *pids, "in core"], rows))
    out += [f"  {k}: undefined, {v}" for k, v in doc["notes"].items()]
    acc = doc["acceptable_shares"]
    out.append("")
    if not acc["feasible"]:
        out.append(
            f"no pool shares (scope {acc['scope']}) leave every coalition at least as "
            "well off as on its own"
        )
    elif len(pids) == 2:
        lo, hi = acc["low"][pids[0]], acc["high"][pids[0]]
        out.append(
            f"acceptable shares (scope {acc['scope']}): {pids[0]} between {lo:.4f} and "
            f"{hi:.4f} of the pool ({pids[1]} the rest); both do at least as well as "
            "alone"
        )
    else:
        out.append(
            f"acceptable shares (scope {acc['scope']}): every coalition does at least "
            "as well as alone with shares in these ranges (jointly, summing to 1):"
        )
        out.append(
            table(
                ["party", "least", "most"],
                [[p, f"{acc['low'][p]:.4f}", f"{acc['high'][p]:.4f}"] for p in pids],
            )
        )
    return "\n".join(out)


def render_solved(doc: dict[str, Any]) -> str:
    pids = doc["players"]
    rows = []
    for name, alloc in doc["allocations"].items():
        cells = ["—"] * len(pids) if alloc is None else [f"{alloc[p]:.6g}" for p in pids]
        in_core = (
            ""
            if doc["core"] is None
            else (
                "—"
                if doc["core"]["in_core"][name] is None
                else ("yes" if doc["core"]["in_core"][name] else "no")
            )
        )
        rows.append([name, *cells, *([in_core] if doc["core"] is not None else [])])
    header = ["rule", *pids, *(["in core"] if doc["core"] is not None else [])]
    out = [f"{doc['problem']} problem, players {', '.join(pids)}", "", table(header, rows)]
    if doc["core"] is not None:
        c = doc["core"]
        out += [
            "",
            f"core: {'EMPTY' if c['empty'] else 'not empty'} (least-core ε = "
            f"{_num(c['least_core_epsilon'], 6)})",
        ]
    out += [f"{k}: undefined, {v}" for k, v in doc["notes"].items()]
    return "\n".join(out)


def render_rules() -> str:
    """Every registered rule with its parameters and reference."""
    out = []
    for r in rules():
        params = ", ".join(p.name for p in r.params) or "none"
        kind = (
            "divides the pool"
            if r.kind == "pool"
            else ("fair-division target, delivered as constant pool shares")
        )
        out += [f"{r.name}  ({kind})", f"  parameters: {params}"]
        out += [f"    {p.name} ({p.kind}): {p.description}" for p in r.params]
        out += [f"  {r.summary}", f"  reference: {r.reference}", ""]
    return "\n".join(out).rstrip()
