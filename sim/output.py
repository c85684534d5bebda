"""What the commands print: JSON documents (SPEC.md section 4) and readable text tables.

Pure functions from results to ``dict`` or ``str``; the CLI only prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.compare import Comparison
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
        "results": [
            {
                "label": row.label,
                "rule": row.rule,
                "npv": {p: float(row.npv[i]) for i, p in enumerate(pids)},
                "gain_vs_source": {p: float(row.gain_vs_source[i]) for i, p in enumerate(pids)},
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


def describe_sharing(scenario: Scenario, sharing: Sharing) -> str:
    """One line an official can read: rule and parameters, scope, window, settlement."""
    parts = [sharing.rule]
    for name, value in sharing.params.items():
        if isinstance(value, float | int):
            parts.append(f"{name} {value:g}")
        else:
            keys = scenario.party_ids if name == "shares" else FACTORS
            parts.append(f"{name} " + ":".join(f"{value[k]:g}" for k in keys if k in value))
    first, last = scenario.window(sharing)
    bits = [" ".join(parts), f"scope {sharing.scope}", f"{first}–{last}"]
    if sharing.scope == "above_base":
        bits.append(f"base year {scenario.base_year(sharing)}")
    if sharing.compliance != 1.0:
        bits.append(f"compliance {sharing.compliance:g}")
    if sharing.floors:
        bits.append("floors " + ", ".join(f"{k} {v:g}" for k, v in sharing.floors.items()))
    if sharing.land == "shared":
        bits.append("land shared")
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
    header = ["label", "rule", *(f"NPV {p}" for p in pids), *(f"gain {p}" for p in pids)]
    rows = [
        [row.label, row.rule, *(_num(v) for v in row.npv), *(_num(v) for v in row.gain_vs_source)]
        for row in comparison.rows
    ]
    out = [
        f"{sc.title}  [{sc.name}]",
        f"NPV at {sc.discount_rate:.4g} discount rate, in {sc.unit}; gain = NPV − NPV under "
        "source (no agreement)",
        "parties: " + "; ".join(f"{p.id} = {p.name}" for p in sc.parties),
        "",
        table(header, rows, left=2),
        "",
        *(f"{row.label}: {describe_sharing(sc, row.sharing)}" for row in comparison.rows),
    ]
    out += [f"note: {n}" for n in comparison.notes]
    return "\n".join(out)


def render_rules() -> str:
    """Every registered rule with its parameters and reference."""
    out = []
    for r in rules():
        params = ", ".join(p.name for p in r.params) or "none"
        out += [f"{r.name}", f"  parameters: {params}"]
        out += [f"    {p.name} ({p.kind}): {p.description}" for p in r.params]
        out += [f"  {r.summary}", f"  reference: {r.reference}", ""]
    return "\n".join(out).rstrip()
