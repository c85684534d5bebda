"""The field table: every number a sweep can set, by key path, with its bounds, unit and
names — the keys of the key table (:data:`sim.schema.keys.KEYS`) that have a sweep
target, nothing declared here. Sweep parameters name these key paths and are checked
against them (:mod:`sim.sweep.spec`), a sweep sets them on a batch through
:attr:`Field.target`, and tables, figures and reports take their English and Chinese
names and units from here.

A key path names one number: ``firms.battery-plant.growth``, ``sharing.shares.SC``,
``sharing.dividends.shares.CQ``. In the patterns below ``<party>``, ``<firm>``,
``<sale>`` (a land sale's position, from 0), ``<year>`` and ``<factor>`` stand for ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim import i18n
from sim.i18n import Reason
from sim.rules import FACTORS, clause_rule, get_rule
from sim.schema.keys import KEYS, Sets, Target, interval
from sim.schema.keys import key as schema_key

if TYPE_CHECKING:
    from sim.scenario_types import Scenario

__all__ = [
    "FIELDS",
    "Binding",
    "Field",
    "bind",
    "field",
    "input_value",
    "is_year",
    "slot_ids",
    "unit_text",
    "value_text",
]


@dataclass(frozen=True)
class Field:
    """A numeric input: its key path pattern, bounds, unit and names."""

    pattern: str
    lo: float
    hi: float
    unit: str
    en: str
    zh: str
    target: Target
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    sets: Sets = "scalar"
    """How a sweep sets it on a batch (:data:`sim.schema.keys.Sets`)."""
    schedule: bool = False
    """Whether it may be a schedule by year (its batch array then has a year axis)."""

    @property
    def shares(self) -> bool:
        """Part of a table of shares that sums to 1 (the others are rescaled when swept)."""
        return self.sets == "share"

    @property
    def term(self) -> str:
        """The array of the agreement's terms it sets, by its path under ``sharing`` without
        its slot (``compliance``, ``floors``, ``review.shares``, ``dividends.shares``, a
        rule parameter ``shares``); ``""`` for an input of the batch."""
        parts = [p for p in self.pattern.split(".") if not p.startswith("<")]
        return ".".join(parts[1:]) if parts[0] == "sharing" else ""

    def admits(self, x: float) -> bool:
        """Whether ``x`` lies within the field's bounds."""
        if not math.isfinite(x):
            return False
        above_lo = x > self.lo if self.lo_open else x >= self.lo
        below_hi = x < self.hi if self.hi_open else x <= self.hi
        return above_lo and below_hi

    @property
    def span(self) -> str:
        """The bounds as an interval, e.g. ``(-1, 10]``."""
        return interval(self.lo, self.hi, self.lo_open, self.hi_open)


FIELDS: tuple[Field, ...] = tuple(
    Field(k.path, k.lo, k.hi, k.unit, k.en, k.zh, k.sweep, k.lo_open, k.hi_open,
          k.kind in ("whole", "year"), k.sets, k.schedule)
    for k in KEYS
    if k.sweep is not None and k.sets is not None
)  # fmt: skip
"""Every number a sweep can set: the keys of :data:`sim.schema.keys.KEYS` with a
:attr:`~sim.schema.keys.Key.sweep` target, in the file's order."""

_BY_PATTERN = {f.pattern: f for f in FIELDS}


def field(pattern: str) -> Field:
    """The field of a key path pattern, e.g. ``field("firms.<firm>.growth")``."""
    return _BY_PATTERN[pattern]


@dataclass(frozen=True)
class Binding:
    """A key path bound to a scenario: its field, the id it names and where it goes."""

    path: str
    field: Field
    key: str
    """The id the path names (party, firm, sale, year or factor; empty for none)."""
    position: int
    """Index of that id among its kind (party order, firm order, year − start …)."""
    lo: float
    hi: float
    """The field's bounds for this scenario (a firm's first year: the horizon)."""
    name_en: str = ""
    name_zh: str = ""
    """What tables call the id in each language (a firm's name; empty: the id)."""
    columns: tuple[int, ...] = ()
    """For a party's default for its firms (``sets = "default"``): the positions of the
    firms that take it (its firms that do not write their own)."""

    @property
    def label_en(self) -> str:
        """The input's English name, e.g. ``battery-plant: output growth``."""
        return _fill(self.field.en, self.name_en or self.key)

    @property
    def label_zh(self) -> str:
        """The input's Chinese name, e.g. ``电池厂：产值年增速`` (the firm's ``name_zh``)."""
        return _fill(self.field.zh, self.name_zh or self.name_en or self.key)

    @property
    def group(self) -> str:
        """The table a share belongs to (``sharing.shares``) or the path itself."""
        return self.path.rsplit(".", 1)[0] if self.field.shares else self.path


def value_text(x: float, unit: str, lang: str = "en", amount_unit: str = "") -> str:
    """A field's value in words by its unit: rates as percentages, years whole.

    Examples
    --------
    >>> value_text(0.0312, "fraction/yr"), value_text(0.62, "fraction", "zh")
    ('3.12%/yr', '62%')
    >>> value_text(2026.0, "year"), value_text(12.5, "unit/yr", "en", "100m CNY")
    ('2026', '12.5 100m CNY/yr')
    """
    per_year = i18n.t("per_year", lang)
    if unit == "fraction":
        return f"{x:.3g}" if abs(x) >= 10 else f"{100 * x:.3g}%"
    if unit == "fraction/yr":
        return f"{100 * x:.3g}%{per_year}"
    if unit == "year":
        return f"{x:.0f}"
    if unit == "years":
        return i18n.t("value_years", lang, x=f"{x:.3g}")
    if unit == "mu":
        return i18n.t("value_mu", lang, x=f"{x:.4g}")
    amount = f"{x:.3g} {amount_unit}".rstrip()
    if unit == "unit/yr":
        return amount + per_year
    if unit == "unit/mu":
        return amount + i18n.t("per_mu", lang)
    return amount


def is_year(path: str) -> bool:
    """Whether the key path names a year (its field's unit is ``"year"``).

    Examples
    --------
    >>> is_year("firms.battery-plant.first_year"), is_year("horizon.discount_rate")
    (True, False)
    """
    return any(f.unit == "year" for f, _ in _candidates(path))


def input_value(x: float, path: str) -> float | int:
    """A value of the input at ``path`` as tables, files and printouts hold it: a year
    whole (``2025``, never ``2025.0`` or ``2,025.000``), any other number unchanged.

    The one place that decides how a swept year is written: sensitivity tables and
    CSVs, discovery's ranges and the exports all pass their input values through it.

    Examples
    --------
    >>> input_value(2025.0, "firms.battery-plant.first_year"), input_value(0.5, "sharing.share")
    (2025, 0.5)
    """
    if is_year(path) and math.isfinite(x):
        return round(x)
    return x


def unit_text(unit: str, lang: str = "en", amount_unit: str = "") -> str:
    """A field's unit in words, as a column header shows it (``""`` for none).

    Examples
    --------
    >>> unit_text("fraction/yr"), unit_text("unit/yr", "zh", "亿元"), unit_text("")
    ('fraction/yr', '亿元/年', '')
    """
    if not unit:
        return ""
    return i18n.t(f"unit_word_{unit}", lang, amount=amount_unit or "unit")


def _fill(text: str, key: str) -> str:
    for slot in ("<party>", "<firm>", "<sale>", "<year>", "<factor>"):
        text = text.replace(slot, key)
    return text


def slot_ids(kind: str, scenario: Scenario) -> tuple[str, ...]:
    """The ids a slot stands for in ``scenario`` (``<party>``: its parties' ids, in order;
    ``<firm>``, ``<sale>``, ``<year>``, ``<factor>`` likewise): how many of a key there are."""
    if kind == "<party>":
        return scenario.party_ids
    if kind == "<firm>":
        return tuple(f.id for f in scenario.firms)
    if kind == "<sale>":
        return tuple(str(i) for i in range(len(scenario.land_sales)))
    if kind == "<year>":
        return tuple(str(y) for y in scenario.years)
    return FACTORS


def _candidates(path: str) -> list[tuple[Field, str]]:
    """Fields whose pattern matches ``path`` with one slot filled, and the slot's text."""
    parts = path.split(".")
    out = []
    for f in FIELDS:
        pat = f.pattern.split(".")
        if len(pat) != len(parts):
            continue
        slots = [(p, q) for p, q in zip(pat, parts, strict=True) if p != q]
        if not slots:
            out.append((f, ""))
        elif len(slots) == 1 and slots[0][0].startswith("<"):
            out.append((f, slots[0][1]))
    return out


def _applies(f: Field, scenario: Scenario) -> str:
    """Why the field does not exist in this scenario (empty when it does)."""
    sharing = scenario.sharing
    if f.target == "equity" and scenario.investment.equity is None:
        return Reason("no_equity_sweep")
    if f.target == "param":
        name = f.pattern.split(".")[1]
        if name not in {p.name for p in get_rule(sharing.rule).params}:
            return Reason("rule_has_no", rule=repr(sharing.rule), name=name)
    table, _, name = f.pattern.rpartition(".")
    optional = table == "sharing" and f.target != "param" and schema_key(f.pattern).optional
    if optional and getattr(sharing, name) is None:  # a term that holds only where written
        return Reason("no_term_sweep", term=name, key=f.pattern)
    if f.target == "review" and sharing.review is None:
        return Reason("no_review_sweep")
    if f.target == "clause":
        clause = f.pattern.split(".")[1]
        rule = sharing.clause(clause).rule
        if clause_rule(clause, rule).basis != "shares":
            return Reason("clause_not_fixed", clause=clause, rule=repr(rule))
    return ""


def bind(path: str, scenario: Scenario) -> Binding | str:
    """The binding of a key path in ``scenario``, or why there is no such input."""
    for f, key in _candidates(path):
        why = _applies(f, scenario)
        if why:
            return why
        slot = next((p for p in f.pattern.split(".") if p.startswith("<")), "")
        if not slot:
            return Binding(path, f, "", _position(f, path), f.lo, f.hi)
        ids = slot_ids(slot, scenario)
        if key not in ids:
            kind = slot.strip("<>")
            known = ", ".join(ids) or "none"
            return Reason("unknown_slot", kind=kind, got=repr(key), known=known)
        lo, hi = f.lo, f.hi
        if f.pattern == "firms.<firm>.first_year":
            lo, hi = float(scenario.start_year), float(scenario.end_year)
        names = ("", "")
        if slot == "<firm>":
            firm = scenario.firms[ids.index(key)]
            names = (firm.label("en"), firm.label("zh"))
        return Binding(path, f, key, ids.index(key), lo, hi, *names, _takers(f, key, scenario))
    return _unknown(path)


def _takers(f: Field, party: str, scenario: Scenario) -> tuple[int, ...]:
    """For a party's default for its firms: the positions of the firms that take it."""
    if f.sets != "default":
        return ()
    name = f.pattern.rsplit(".", 1)[-1]
    firms = scenario.firms
    return tuple(i for i, f in enumerate(firms) if f.party == party and name not in f.inputs)


def _unknown(path: str) -> str:
    """Why ``path`` names no input, with the names its family does have."""
    parts = path.split(".")
    siblings = sorted(
        {
            f.pattern.split(".")[-1]
            for f in FIELDS
            if f.pattern.split(".")[0] == parts[0] and len(f.pattern.split(".")) == len(parts)
        }
    )
    if parts[0] in ("firms", "land_sales") and len(parts) == 3 and siblings:
        kind = "firms" if parts[0] == "firms" else "land sales"
        return Reason("no_numeric_field", kind=kind, got=repr(parts[-1]), known=", ".join(siblings))
    return Reason("no_input", got=repr(path))


def _position(f: Field, path: str) -> int:
    """Index of a slot-less field among the fields of its target, in the key table's order:
    its column of a batch array it shares (``taxes.cit_local_share``: 1 of
    ``local_share``), else 0."""
    if f.sets != "column":
        return 0
    return [g.pattern for g in FIELDS if g.target == f.target].index(path)
