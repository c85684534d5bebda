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
from functools import cache
from typing import TYPE_CHECKING

from sim import i18n
from sim.i18n import Reason
from sim.rules import FACTORS, Param, clause_rule, get_rule
from sim.schema.keys import KEYS, Extreme, Key, Sets, Target, interval

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
    extreme: Extreme = "high"
    """The end of its range a sweep checks a scenario at (:data:`sim.schema.keys.Extreme`)."""

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
          k.kind in ("whole", "year"), k.sets, k.schedule, k.extreme)
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
    """Why the field does not exist in this scenario (empty when it does), from the key
    table alone: what holds it is not written (:func:`_holder`: ``investment.equity``,
    ``sharing.cap``, ``[sharing.review]``), or the rule written for its table does not
    read it (:func:`_reader`: the agreement's rule, a clause's)."""
    parts = _walked(f.pattern)
    holder = _holder(parts, scenario)
    if holder:
        whose = Reason("sweep_agreement" if holder.startswith("sharing.") else "sweep_scenario")
        if holder in _KEY_PATHS:  # a term nothing holds unwritten
            name = holder.rsplit(".", 1)[-1]
            return Reason("no_term_sweep", whose=whose, term=name, key=holder)
        own = any(k.path.startswith(f"{holder}.") and not k.slot for k in KEYS)
        table = f"[{holder}]" if own else holder  # a table of its own keys, or of ids
        return Reason("no_table_sweep", whose=whose, table=table)
    found = _reader(parts)
    if found is not None:
        k, name = found
        at = _at(scenario, _walked(k.path))
        rule = str(getattr(at, "rule", at))  # a clause holds its rule
        if name not in {p.name for p in _params(k, rule)}:
            if k.kind == "clause":
                return Reason("clause_not_fixed", clause=k.name, rule=repr(rule))
            return Reason("rule_has_no", rule=repr(rule), name=name)
    return ""


_KEY_PATHS = frozenset(k.path for k in KEYS)
_MISSING = object()


def _walked(pattern: str) -> tuple[str, ...]:
    """The parts of a key path before its first slot (``sharing.review.shares``)."""
    return tuple(pattern.split(".<", 1)[0].split("."))


def _part(obj: object, name: str) -> object:
    """``obj``'s term or field ``name`` (:data:`_MISSING`: it has none by that name)."""
    term = getattr(obj, "term", None)  # the agreement: its clauses by name, then its fields
    try:
        return term(name) if callable(term) else getattr(obj, name)
    except (AttributeError, KeyError):
        return _MISSING


def _at(scenario: Scenario, parts: tuple[str, ...]) -> object:
    """What ``scenario`` holds at the key path ``parts`` (:data:`_MISSING`: not a field)."""
    obj: object = scenario
    for name in parts:
        obj = _part(obj, name)
        if obj is None or obj is _MISSING:
            return obj
    return obj


def _holder(parts: tuple[str, ...], scenario: Scenario) -> str:
    """The table or term on the way to a key that ``scenario`` does not write (``None``
    there: nothing holds it unwritten), or ``""``."""
    for i in range(1, len(parts) + 1):
        at = _at(scenario, parts[:i])
        if at is _MISSING:  # not a field (a rule's parameter, the horizon's keys)
            return ""
        if at is None:
            return ".".join(parts[:i])
    return ""


@cache
def _reader(parts: tuple[str, ...]) -> tuple[Key, str] | None:
    """The key of the rule that reads a key (of kind ``rule``, which reads its table's
    keys, or ``clause``, which reads its own) and the parameter it reads it as, when
    some rule that key may name has that parameter; nearest table first."""
    for i in range(len(parts) - 1, 0, -1):
        table, name = ".".join(parts[:i]), parts[i]
        for k in (k for k in KEYS if k.kind in ("rule", "clause")):
            governs = k.path if k.kind == "clause" else k.path.rpartition(".")[0]
            if governs == table and any(name == p.name for r in k.choices() for p in _params(k, r)):
                return k, name
    return None


def _params(k: Key, rule: str) -> tuple[Param, ...]:
    """The parameters of the rule ``rule`` that the key ``k`` names."""
    return clause_rule(k.name, rule).params if k.kind == "clause" else get_rule(rule).params


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
            if slot == "<year>" and ids:  # the horizon's years, first to last
                known = f"{ids[0]}–{ids[-1]}"
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
    return tuple(i for i, x in enumerate(firms) if x.party == party and name not in x.inputs)


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
