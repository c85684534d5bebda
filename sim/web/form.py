"""The page's form: every table of a scenario an official can edit, generated from the
schema's key table (:data:`sim.schema.keys.KEYS`: kind, bounds, unit, default, names).

Every input is named by the key path it sets (``sharing.shares.SC``,
``investment.equity.CQ``, ``sharing.review.below``). The rows of the arrays — firms,
land sales and the ``[[compare]]`` alternatives — are named by a *row key* in place of
their position: a firm's id as loaded (``firms.battery-plant.growth``), a land sale's or
an alternative's position as loaded (``land_sales.0.price``, ``compare.1.rule``), or
``new-1``, ``new-2`` … for a row added on the page; the field ``firms.rows`` lists the
rows in their order (a row removed is left out of it). How an edit changes the
scenario is :mod:`sim.web.edits`. Nothing here imports Flask.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sim import i18n
from sim.rules import CLAUSES, FACTORS, clause_rule, clause_rule_names, get_rule, rule_names
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.scenario import Scenario
from sim.schema import SCOPES, unit_text
from sim.schema.keys import KEYS, Key, key, names

__all__ = ["ARRAYS", "MAX_VALUE", "NEW_ROW", "ROW", "Form", "Input", "build_form"]

Kind = Literal["number", "year", "choice", "text", "flag", "schedule"]
"""``schedule``: a value given by year (``{ from = { 2021 = 0.12 } }``), shown, not edited."""
MAX_VALUE = 200
"""Longest text a field may hold (the schema's longest name)."""
ROW = "__ROW__"
"""The row key of a table's template row (the page copies it to add a row)."""
NEW_ROW = "new-"
"""A row added on the page is keyed ``new-<n>``."""
ARRAYS = ("firms", "land_sales", "compare")
"""The arrays of tables whose rows the page adds and removes."""
_EDITABLE_PARAMS = ("party_shares", "factor_weights", "fraction")
"""Rule parameters the form edits; others (Nash's weights) stay as the file has them."""
_KINDS: dict[str, Kind] = {
    "id": "text", "text": "text", "party": "choice", "flag": "flag", "whole": "number",
    "year": "year", "number": "number", "rule": "choice", "scope": "choice", "clause": "choice",
}  # fmt: skip
"""The form's kind of field for each kind of key (a list of parties has none)."""
_PARTY_KEYS = tuple(n for n in names("parties.<party>") if n != "id")
"""A party's keys on the page: its names, retained share and its defaults for its firms'
clause inputs (its id is not edited)."""
_SLOTS = {"firms": "<firm>", "land_sales": "<sale>"}


@dataclass(frozen=True)
class Input:
    """One field of the form: the key path it sets and its value in the loaded file."""

    name: str
    kind: Kind
    value: str
    options: tuple[str, ...] = ()
    optional: bool = False
    """Blank means the schema's default (or none, for floors, cap and the window; in an
    alternative, the agreement's term)."""
    rule: str = ""
    """A rule parameter: shown only while the rule of :attr:`prefix` is this rule."""
    clause: str = ""
    """A clause's share: shown only while that clause of :attr:`prefix` is ``fixed``."""
    key: str = ""
    """The party, factor or firm the field is about."""
    pattern: str = ""
    """Its key in the key table (``firms.<firm>.growth``): its names, unit and default."""
    prefix: str = "sharing"
    """The agreement it belongs to: ``sharing`` or an alternative (``compare.1``)."""

    @property
    def spec(self) -> Key | None:
        """Its key in the key table, if it has one."""
        return _KNOWN.get(self.pattern)

    def label(self, lang: str, amount_unit: str = "") -> str:
        """Its name in ``lang`` from the key table, where the row or party is given
        beside it (``output growth``), with its unit where it is an amount, an area or
        a number of years (``output in its first year (100m CNY/yr)``, ``首年产值（亿元/年）``)."""
        k = self.spec
        if k is None:
            return self.name.rsplit(".", 1)[-1]
        text = k.label(lang)
        if k.unit in _SHOWN_UNITS:
            text = i18n.with_unit(text, unit_text(k.unit, lang, amount_unit), lang)
        return text

    def blank(self, lang: str) -> str:
        """What a blank choice means, in ``lang`` (``no review``; ``as the agreement``)."""
        if self.prefix.startswith("compare."):
            return i18n.t("page_same", lang)
        default = self.spec.default_text(lang) if self.spec else ""
        return default or i18n.t("page_nothing", lang)

    def hint(self, lang: str) -> str:
        """What a blank field means, in ``lang``: the key's default, or in an alternative
        the agreement's term (``""`` for a field that must be filled)."""
        if not self.optional:
            return ""
        if self.prefix.startswith("compare.") and self.pattern not in _OWN:
            return i18n.t("page_as_agreement", lang)
        default = self.spec.default_text(lang) if self.spec else ""
        return i18n.t("page_blank", lang, default=default or i18n.t("page_nothing", lang))


_KNOWN = {k.path: k for k in KEYS}
_SHOWN_UNITS = ("unit", "unit/yr", "unit/mu", "mu", "years")
_OWN = ("sharing.label", "sharing.label_zh")
"""An alternative's own keys: blank is the key's default, not the agreement's."""


@dataclass(frozen=True)
class Form:
    """Every editable field of a scenario, by name, in the order the page shows them."""

    inputs: dict[str, Input]
    parties: tuple[str, ...]
    firms: tuple[str, ...]
    rows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each array's row keys as loaded (``firms``: the firms' ids)."""
    templates: dict[str, dict[str, Input]] = field(default_factory=dict)
    """Each array's fields by their name within a row (``growth``, ``shares.SC``), as an
    added row has them (named with the row key :data:`ROW`)."""

    def __getitem__(self, name: str) -> Input:
        return self.inputs[name]

    def group(self, prefix: str) -> list[Input]:
        """The fields whose names start with ``prefix`` (in a template row too)."""
        table, _, rest = prefix.partition(f".{ROW}.")
        if rest or prefix.endswith(f".{ROW}."):
            head = f"{table}.{ROW}."
            return [i for n, i in self.templates[table].items() if (head + n).startswith(prefix)]
        return [i for n, i in self.inputs.items() if n.startswith(prefix)]

    def row(self, table: str, row: str) -> list[Input]:
        """The fields of one row of an array (:data:`ROW`: its template)."""
        if row == ROW:
            return list(self.templates[table].values())
        return [self.inputs[f"{table}.{row}.{rest}"] for rest in self.templates[table]]

    def values(self) -> dict[str, str]:
        """Every field's value as loaded, and each array's rows."""
        out = {n: i.value for n, i in self.inputs.items() if i.kind != "schedule"}
        out.update({f"{t}.rows": ",".join(keys) for t, keys in self.rows.items()})
        return out

    def find(self, name: str) -> Input | None:
        """The field ``name``: one of the form's, or one of a row added on the page."""
        if name in self.inputs:
            return self.inputs[name]
        split = self.split(name)
        if split is None:
            return None
        table, _, rest = split
        return self.templates[table][rest]

    def split(self, name: str) -> tuple[str, str, str] | None:
        """``(table, row, field)`` of a row's field name (``firms.new-1.growth``), else
        ``None``; the row is a loaded one or an added one (``new-<n>``)."""
        table, _, tail = name.partition(".")
        if table not in self.templates:
            return None
        for rest in self.templates[table]:
            row = tail.removesuffix(f".{rest}")
            if row != tail and (row in self.rows[table] or is_new(row) or row == ROW):
                return table, row, rest
        return None


def is_new(row: str) -> bool:
    """Whether ``row`` is the key of a row added on the page (``new-1`` … ``new-9999``)."""
    n = row.removeprefix(NEW_ROW)
    return n != row and n.isdigit() and 0 < len(n) <= 4 and n.isascii()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _input(name: str, pattern: str, value: Any, parties: tuple[str, ...], **kw: Any) -> Input:
    """The field ``name`` of the key ``pattern``, its kind and choices from the key table."""
    k = key(pattern)
    if isinstance(value, Mapping):  # a schedule: shown as the file has it, kept
        kw.pop("optional", None)
        years = " · ".join(f"{y}: {_text(x)}" for y, x in dict(value.get("from", {})).items())
        return Input(name, "schedule", years, pattern=pattern, **kw)
    kind = _KINDS[k.kind]
    options: tuple[str, ...] = ()
    if k.kind == "party":
        options = parties
    elif k.kind == "flag":
        options = ("false", "true")
    elif kind == "choice":
        options = k.choices()
    optional = kw.pop("optional", not k.required)
    if optional and kind == "choice" and k.kind != "rule":
        options = ("", *options)  # blank: the default (an alternative's: the agreement's)
    return Input(name, kind, _text(value), options, optional, pattern=pattern, **kw)


def _params(prefix: str, sharing: Mapping[str, Any], pids: tuple[str, ...]) -> Iterator[Input]:
    """The parameters of every rule (each shown only while its rule is chosen), as
    ``sharing`` (an agreement's mapping) has them."""
    for rule in rule_names():
        for prm in get_rule(rule).params:
            if prm.kind not in _EDITABLE_PARAMS:
                continue
            current = sharing.get(prm.name) if sharing.get("rule") == rule else None
            if prm.kind == "fraction":
                pattern = f"sharing.{prm.name}"
                yield Input(f"{prefix}.{prm.name}", "number", _text(current), rule=rule,
                            pattern=pattern, prefix=prefix)  # fmt: skip
                continue
            keys = pids if prm.kind == "party_shares" else FACTORS
            pattern = f"sharing.{prm.name}.<{'party' if prm.kind == 'party_shares' else 'factor'}>"
            for k in keys:
                value = current.get(k) if isinstance(current, Mapping) else None
                yield Input(f"{prefix}.{prm.name}.{k}", "number", _text(value), rule=rule, key=k,
                            pattern=pattern, prefix=prefix)  # fmt: skip


def _clauses(
    prefix: str, sharing: Mapping[str, Any], pids: tuple[str, ...], inherit: bool
) -> Iterator[Input]:
    """Each clause's rule and the parameters its rules take (every clause of the
    registry, :data:`sim.rules.CLAUSES`). ``inherit``: blank is the agreement's clause."""
    for name in CLAUSES:
        written = sharing.get(name)
        rule = written.get("rule") if isinstance(written, Mapping) else written
        if rule is None and not inherit:
            rule = CLAUSE_DEFAULTS[name]
        options = clause_rule_names(name)
        choices = ("", *options) if inherit else options
        yield Input(f"{prefix}.{name}", "choice", _text(rule), choices, inherit,
                    pattern=f"sharing.{name}", prefix=prefix)  # fmt: skip
        params = {  # shares by party (a parameter of another kind stays as the file has it)
            p.name for r in options for p in clause_rule(name, r).params if p.kind == "party_shares"
        }
        for prm in sorted(params):
            table = written.get(prm) if isinstance(written, Mapping) else None
            for p in pids:
                value = table.get(p) if isinstance(table, Mapping) else None
                pattern = f"sharing.{name}.{prm}.<party>"
                yield Input(f"{prefix}.{name}.{prm}.{p}", "number", _text(value), clause=name,
                            key=p, pattern=pattern, prefix=prefix)  # fmt: skip


def _agreement(s: Mapping[str, Any], pids: tuple[str, ...]) -> list[Input]:
    """The agreement's terms (``[sharing]``): rule and parameters, scope, window,
    compliance, cap, floors, the clauses and the review clause."""
    review = s.get("review") if isinstance(s.get("review"), Mapping) else {}
    assert isinstance(review, Mapping)
    shares = review.get("shares") if isinstance(review.get("shares"), Mapping) else {}
    assert isinstance(shares, Mapping)
    floors = s.get("floors") if isinstance(s.get("floors"), Mapping) else {}
    assert isinstance(floors, Mapping)
    return [
        Input("sharing.rule", "choice", _text(s.get("rule", "source")), rule_names(),
              pattern="sharing.rule"),
        *_params("sharing", s, pids),
        Input("sharing.scope", "choice", _text(s.get("scope", "all")), SCOPES,
              pattern="sharing.scope"),
        *(
            _input(f"sharing.{k}", f"sharing.{k}", s.get(k), pids)
            for k in ("base_year", "from_year", "years", "compliance", "cap")
        ),
        *(
            _input(f"sharing.floors.{p}", "sharing.floors.<party>", floors.get(p), pids, key=p)
            for p in pids
        ),
        *_clauses("sharing", s, pids, inherit=False),
        _input("sharing.review.party", "sharing.review.party", review.get("party"), pids),
        _input("sharing.review.below", "sharing.review.below", review.get("below"), pids,
               optional=True),
        _input("sharing.review.after", "sharing.review.after", review.get("after"), pids),
        *(
            _input(f"sharing.review.shares.{p}", "sharing.review.shares.<party>", shares.get(p),
                   pids, key=p)
            for p in pids
        ),
    ]  # fmt: skip


def _investment(data: Mapping[str, Any], years: range, pids: tuple[str, ...]) -> list[Input]:
    inv = data.get("investment", {})
    capex = inv.get("capex", {})
    equity = inv.get("equity") or {}
    return [
        *(
            _input(f"investment.capex.{y}", "investment.capex.<year>", capex.get(str(y)), pids,
                   key=str(y))
            for y in years
        ),
        *(
            _input(f"investment.equity.{p}", "investment.equity.<party>", equity.get(p), pids,
                   key=p, optional=True)
            for p in pids
        ),
        _input("investment.return_rate", "investment.return_rate", inv.get("return_rate"), pids),
        _input("investment.payout_ratio", "investment.payout_ratio", inv.get("payout_ratio"), pids),
    ]  # fmt: skip


def _item_inputs(table: str, row: str, item: Mapping[str, Any], pids: tuple[str, ...]
                 ) -> list[Input]:  # fmt: skip
    """The fields of one firm or land sale: every key of its table that the form can hold."""
    slot = _SLOTS[table]
    return [
        _input(f"{table}.{row}.{n}", f"{table}.{slot}.{n}", item.get(n), pids, key=row)
        for n in names(f"{table}.{slot}")
        if key(f"{table}.{slot}.{n}").kind in _KINDS
    ]


def _alternative(row: str, t: Mapping[str, Any], pids: tuple[str, ...]) -> list[Input]:
    """The fields of one ``[[compare]]`` alternative: its labels, rule and parameters,
    and the agreement's terms, each blank where it takes the agreement's."""
    prefix = f"compare.{row}"
    floors = t.get("floors") if isinstance(t.get("floors"), Mapping) else {}
    assert isinstance(floors, Mapping)
    return [
        _input(f"{prefix}.label", "sharing.label", t.get("label"), pids, prefix=prefix),
        _input(f"{prefix}.label_zh", "sharing.label_zh", t.get("label_zh"), pids, prefix=prefix),
        Input(f"{prefix}.rule", "choice", _text(t.get("rule", "fixed")), rule_names(),
              pattern="sharing.rule", prefix=prefix),
        *_params(prefix, t, pids),
        _input(f"{prefix}.scope", "sharing.scope", t.get("scope"), pids, prefix=prefix),
        *(
            _input(f"{prefix}.{k}", f"sharing.{k}", t.get(k), pids, prefix=prefix, optional=True)
            for k in ("base_year", "from_year", "years", "compliance", "cap")
        ),
        *(
            _input(f"{prefix}.floors.{p}", "sharing.floors.<party>", floors.get(p), pids, key=p,
                   prefix=prefix)
            for p in pids
        ),
        *_clauses(prefix, t, pids, inherit=True),
    ]  # fmt: skip


def _plain(data: Mapping[str, Any], pids: tuple[str, ...]) -> list[Input]:
    """The horizon, the tax shares, each party's names, retained share and defaults for
    its firms (its id is not edited: a party is added in the file or the workbook) and
    the cooperation's synergy and capex alone; a share given by year is shown, not
    edited."""
    horizon, taxes, coop = (data.get(t) or {} for t in ("horizon", "taxes", "cooperation"))
    alone = coop.get("standalone_capex") or {}
    by_id = {str(p.get("id")): p for p in data.get("parties", []) if isinstance(p, Mapping)}
    return [
        *(_input(f"horizon.{n}", f"horizon.{n}", horizon.get(n), pids) for n in names("horizon")),
        *(_input(f"taxes.{n}", f"taxes.{n}", taxes.get(n), pids) for n in names("taxes")),
        *(
            _input(f"parties.{p}.{n}", f"parties.<party>.{n}", by_id.get(p, {}).get(n), pids,
                   key=p)
            for p in pids
            for n in _PARTY_KEYS
        ),
        _input("cooperation.synergy", "cooperation.synergy", coop.get("synergy"), pids),
        *(
            _input(f"cooperation.standalone_capex.{p}", "cooperation.standalone_capex.<party>",
                   alone.get(p), pids, key=p)
            for p in pids
        ),
    ]  # fmt: skip


def _template(inputs: list[Input], table: str, row: str) -> dict[str, Input]:
    head = f"{table}.{row}."
    return {i.name.removeprefix(head): i for i in inputs}


def build_form(scenario: Scenario, data: Mapping[str, Any] | None = None) -> Form:
    """The form of ``scenario`` (``data``: its mapping, :func:`sim.scenario_toml.scenario_data`
    by default): the agreement's terms, its clauses and review, the investment, the
    firms, the land sales and the alternatives."""
    if data is None:
        from sim.scenario_toml import scenario_data

        data = scenario_data(scenario)
    pids = scenario.party_ids
    years = range(scenario.start_year, scenario.end_year + 1)
    inputs = [
        *_agreement(data.get("sharing", {}), pids),
        *_plain(data, pids),
        *_investment(data, years, pids),
    ]
    rows: dict[str, tuple[str, ...]] = {}
    templates: dict[str, dict[str, Input]] = {}
    for table in ARRAYS:
        items = [t for t in data.get(table, []) if isinstance(t, Mapping)]
        keys = (
            [str(t.get("id")) for t in items]
            if table == "firms"
            else [str(i) for i in range(len(items))]
        )
        rows[table] = tuple(keys)
        make = _alternative if table == "compare" else None
        for row, item in zip(keys, items, strict=True):
            inputs += make(row, item, pids) if make else _item_inputs(table, row, item, pids)
        blank: list[Input] = make(ROW, {}, pids) if make else _item_inputs(table, ROW, {}, pids)
        templates[table] = _template(blank, table, ROW)
    return Form({i.name: i for i in inputs}, pids, rows["firms"], rows, templates)
