"""Scenarios back to files: a validated :class:`~sim.scenario.Scenario` as the mapping
:func:`sim.scenario.parse` reads, and as TOML text in the shipped files' layout.

``loads(dumps(scenario))`` is the same scenario: every number is written with
:func:`repr` (the shortest text that reads back to the same float), every default is
written out, and only what the format allows in each place is written (a clause at
its default is left out, since ``dividends = "equity"`` written out would demand
``investment.equity`` of a file that has none; a firm's ``name`` and ``name_zh`` are
written only where the file gave them, since their default, the id, would not follow a
changed id). Comments and the layout of the file
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
from dataclasses import is_dataclass
from typing import Any

from sim.rules import CLAUSES
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.rules.clauses import firm_inputs
from sim.scenario import Scenario, Sharing
from sim.schema import SHARING_TERMS, names

__all__ = ["dumps", "scenario_data", "sharing_data"]


def sharing_data(
    sharing: Sharing, *, with_label: bool, agreement: Sharing | None = None
) -> dict[str, Any]:
    """One agreement as a ``[sharing]`` (or, ``with_label``, a ``[[compare]]``) table,
    its keys in the key table's order (:func:`sim.schema.names`).

    An alternative's terms taken from ``agreement`` (``sharing.inherited``) are left out,
    so that they still follow the agreement when it changes (on the ``sim serve`` page);
    the terms it wrote itself are written, an empty ``floors`` and a clause at its
    default where the agreement's differs too.
    """
    t: dict[str, Any] = {"rule": sharing.rule}
    for name in names("sharing"):
        if name in sharing.params:
            t[name] = _plain(sharing.params[name])
        elif name in SHARING_TERMS and name != "rule" and getattr(sharing, name) is not None:
            t[name] = _plain(getattr(sharing, name), f"sharing.{name}")
    if not sharing.floors and not (with_label and "floors" not in sharing.inherited):
        del t["floors"]
    t |= _clauses(sharing, agreement)
    for term in sharing.inherited:
        t.pop(term, None)
    if with_label:
        t["label"] = sharing.label
        t["label_zh"] = sharing.label_zh
    return t


def _plain(value: Any, table: str = "") -> Any:
    """A value as TOML writes it: a mapping as a dict, a tuple as a list, and a record
    of the scenario (a review) as the table of its keys (``table``) in the key table's
    order."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return list(value)
    if is_dataclass(value):
        return {n: _plain(getattr(value, n)) for n in names(table)}
    return value


_OWN_NAMES = {"firms.<firm>": ("name", "name_zh")}
"""The names a record keeps only as the file gave them (:attr:`sim.scenario.Firm.name`)."""


def _record(value: Any, table: str) -> dict[str, Any]:
    """A record (a party, a firm, a land sale) as the table of its keys; a clause input
    (:func:`sim.rules.clauses.firm_inputs`) only where the record has one, a whole
    number as a whole number. What a firm takes from its party (a clause input, its
    introducer) is left unwritten, so that it follows the party; so is a firm's name it
    was not given (it is called by its id, also after the id is changed)."""
    inputs: Mapping[str, float] = getattr(value, "inputs", {})
    kinds = {i.name: i.integer for i in firm_inputs()}
    out: dict[str, Any] = {}
    for n in names(table):
        if n == "introduced_by" and not getattr(value, "introducer_written", True):
            continue  # its party's: left to follow the party
        if n in _OWN_NAMES.get(table, ()) and not getattr(value, n):
            continue  # no name given: the firm is called by its id, whatever it becomes
        if n not in kinds:
            out[n] = _plain(getattr(value, n))
        elif n in inputs:
            out[n] = int(inputs[n]) if kinds[n] else inputs[n]
    return out


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


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the mapping a TOML file of it parses to, every default written out
    but what a firm takes from its party (which follows the party) and a firm's names it
    was not given (which follow its id), each table's keys in
    the key table's order (:func:`sim.schema.names`).

    :func:`sim.scenario.parse` reads it back to an equal scenario (its ``source`` and
    ``digest`` aside: the digest hashes the mapping, which now spells out defaults).
    """
    sc = scenario
    investment = _record(sc.investment, "investment")
    if sc.investment.equity is None:
        del investment["equity"]
    cooperation = _record(sc.cooperation, "cooperation")
    if sc.cooperation.standalone_capex is None:
        del cooperation["standalone_capex"]
    data: dict[str, Any] = {
        "meta": _record(sc, "meta"),
        "horizon": {n: getattr(sc, _HORIZON.get(n, n)) for n in names("horizon")},
        "parties": [_record(p, "parties.<party>") for p in sc.parties],
        "taxes": _record(sc.taxes, "taxes"),
        "firms": [_record(f, "firms.<firm>") for f in sc.firms],
        "land_sales": [_record(s, "land_sales.<sale>") for s in sc.land_sales],
        "investment": investment,
        "cooperation": cooperation,
        "sharing": sharing_data(sc.sharing, with_label=False),
        "compare": [sharing_data(s, with_label=True, agreement=sc.sharing) for s in sc.compare],
    }
    for path, schedule in sc.schedules.items():  # a fiscal parameter given by year
        steps = {"from": {str(year): value for year, value in schedule.steps}}
        table, *ident, field = path.split(".")  # taxes.<field>, parties.<id>.<field> …
        if table == "taxes":
            data["taxes"][field] = steps
        else:
            next(r for r in data[table] if r["id"] == ".".join(ident))[field] = steps
    return {k: v for k, v in data.items() if v != []}


_HORIZON = {"years": "n_years"}
"""A key of ``[horizon]`` whose attribute of :class:`Scenario` is named otherwise."""


def dumps(scenario: Scenario, header: str = "") -> str:
    """The scenario as TOML text; ``header`` (lines of text) goes first, as comments.
    The text is written by :func:`sim.workbook.totoml.dumps`, the one TOML writer."""
    from sim.workbook.totoml import dumps as toml_dumps

    return toml_dumps(scenario_data(scenario), header.splitlines())
