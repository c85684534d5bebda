"""Scenarios back to files: a validated :class:`~sim.scenario.Scenario` as the mapping
:func:`sim.scenario.parse` reads, and as TOML text in the shipped files' layout.

``loads(dumps(scenario))`` is the same scenario: every number is written with
:func:`repr` (the shortest text that reads back to the same float), every default is
written out, and only what the format allows in each place is written (a clause at
its default is left out, since ``dividends = "equity"`` written out would demand
``investment.equity`` of a file that has none). Comments and the layout of the file
the scenario came from are not kept. The text itself comes from
:mod:`sim.workbook.totoml`, the project's one TOML writer.

>>> import sim
>>> from dataclasses import replace
>>> sc = sim.load_scenario("scenarios/gaozhu.toml")
>>> back = sim.loads_scenario(dumps(sc))
>>> replace(back, source="", digest="") == replace(sc, source="", digest="")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.rules import CLAUSES
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.rules.clauses import firm_inputs
from sim.scenario import Scenario, Sharing

__all__ = ["dumps", "scenario_data", "sharing_data"]


def sharing_data(
    sharing: Sharing, *, with_label: bool, agreement: Sharing | None = None
) -> dict[str, Any]:
    """One agreement as a ``[sharing]`` (or, ``with_label``, a ``[[compare]]``) table.

    An alternative's terms taken from ``agreement`` (``sharing.inherited``) are left out,
    so that they still follow the agreement when it changes (on the ``sim serve`` page);
    the terms it wrote itself are written, an empty ``floors`` and a clause at its
    default where the agreement's differs too.
    """
    t: dict[str, Any] = {"rule": sharing.rule}
    for name, value in sharing.params.items():
        t[name] = dict(value) if isinstance(value, Mapping) else value
    t["scope"] = sharing.scope
    for key in ("base_year", "from_year", "years"):
        if getattr(sharing, key) is not None:
            t[key] = getattr(sharing, key)
    t["compliance"] = sharing.compliance
    if sharing.floors or (with_label and "floors" not in sharing.inherited):
        t["floors"] = dict(sharing.floors)
    if sharing.cap is not None:
        t["cap"] = sharing.cap
    if sharing.review is not None:
        r = sharing.review
        t["review"] = {
            "party": r.party,
            "below": r.below,
            "after": r.after,
            "shares": dict(r.shares),
        }
    t |= _clauses(sharing, agreement)
    for term in sharing.inherited:
        t.pop(term, None)
    if with_label:
        t["label"] = sharing.label
        t["label_zh"] = sharing.label_zh
    return t


def _clauses(sharing: Sharing, agreement: Sharing | None) -> dict[str, Any]:
    """The clauses not at their defaults (a rule name, or a table with its shares), and
    those of an alternative at their defaults where ``agreement``'s differ."""
    out: dict[str, Any] = {}
    for name in CLAUSES:
        clause = sharing.clause(name)
        if clause.params:
            shares = {k: dict(v) for k, v in clause.params.items() if isinstance(v, Mapping)}
            out[name] = {"rule": clause.rule, **shares}
        elif clause.rule != CLAUSE_DEFAULTS[name] or (
            agreement is not None and agreement.clause(name) != clause
        ):
            out[name] = clause.rule
    return out


def _inputs(inputs: Mapping[str, float]) -> dict[str, float | int]:
    """Clause inputs as written: whole numbers as whole numbers."""
    whole = {i.name for i in firm_inputs() if i.integer}
    return {k: int(v) if k in whole else v for k, v in inputs.items()}


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the mapping a TOML file of it parses to, every default written out.

    :func:`sim.scenario.parse` reads it back to an equal scenario (its ``source`` and
    ``digest`` aside: the digest hashes the mapping, which now spells out defaults).
    """
    sc = scenario
    inv = sc.investment
    investment: dict[str, Any] = {"capex": {str(y): v for y, v in inv.capex.items()}}
    if inv.equity is not None:
        investment["equity"] = dict(inv.equity)
    investment |= {"return_rate": inv.return_rate, "payout_ratio": inv.payout_ratio}
    coop = sc.cooperation
    cooperation: dict[str, Any] = {
        "synergy": coop.synergy,
        "requires": {k: list(v) for k, v in coop.requires.items()},
    }
    if coop.standalone_capex is not None:
        cooperation["standalone_capex"] = dict(coop.standalone_capex)
    data: dict[str, Any] = {
        "meta": {"name": sc.name, "title": sc.title, "title_zh": sc.title_zh, "unit": sc.unit},
        "horizon": {
            "start_year": sc.start_year,
            "years": sc.n_years,
            "discount_rate": sc.discount_rate,
        },
        "parties": [
            {
                "id": p.id,
                "name": p.name,
                "name_zh": p.name_zh,
                "retained_share": p.retained_share,
                **_inputs(p.inputs),
            }
            for p in sc.parties
        ],
        "taxes": {
            "vat_local_share": sc.taxes.vat_local_share,
            "cit_local_share": sc.taxes.cit_local_share,
            "pit_local_share": sc.taxes.pit_local_share,
        },
        "firms": [
            {**{k: v for k, v in vars(f).items() if k != "inputs"}, **_inputs(f.inputs)}
            for f in sc.firms
        ],
        "land_sales": [dict(vars(s)) for s in sc.land_sales],
        "investment": investment,
        "cooperation": cooperation,
        "sharing": sharing_data(sc.sharing, with_label=False),
        "compare": [sharing_data(s, with_label=True, agreement=sc.sharing) for s in sc.compare],
    }
    return {k: v for k, v in data.items() if v != []}


def dumps(scenario: Scenario, header: str = "") -> str:
    """The scenario as TOML text; ``header`` (lines of text) goes first, as comments.
    The text is written by :func:`sim.workbook.totoml.dumps`, the one TOML writer."""
    from sim.workbook.totoml import dumps as toml_dumps

    return toml_dumps(scenario_data(scenario), header.splitlines())
