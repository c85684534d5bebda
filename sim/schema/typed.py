"""Read what people type: numbers with thousands separators and units, names in words.

A scenario's values are typed by people, often pasted from another spreadsheet: an
amount as ``1,200`` or ``5亿元``, a share as ``50%``, a rule as ``固定比例``. This module
reads them as the file means them, and nothing silently: every value read differently
from how it was typed gives a :class:`ReadAs` note (``sim validate`` lists them). What
is read (docs/workbooks.md, "What is read"):

- thousands separators, ASCII or full-width commas, only in groups of three digits
  (``1,200`` and ``1，200`` are 1200; ``1,20`` is not a number); spaces between digits;
  full-width digits;
- a unit after a number where it is the key's unit (:attr:`sim.schema.keys.Key.unit`):
  ``%`` for a fraction, ``亩``/``mu`` for an area, ``年`` for a year or a number of years,
  ``亿元``/``亿`` for an amount of a scenario in 100m CNY (``/年``, ``/亩`` after it
  where the key's unit is per year or per mu). ``万元`` and ``元`` in such an amount are
  converted exactly (÷ 10,000 and ÷ 100,000,000, in decimal, rounded once); any other
  unit a number carries is refused with the unit the key takes;
- a rule, scope or clause rule by its name in either language (``固定比例`` → ``fixed``),
  and a formula factor by its name (``产值`` → ``output``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sim.i18n import ALIASES, TERMS, Names, Reason, describe, unit
from sim.i18n import name as term_name
from sim.rules import FACTOR_NAMES, FACTORS

__all__ = [
    "ReadAs",
    "Refused",
    "choice",
    "factor",
    "near",
    "number",
    "one_of",
    "out_of_range",
    "read_names",
    "show",
    "unknown_rule",
    "unknown_sheet_key",
]

_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPLIT = re.compile(r"^([+-]?[\d.,]*\d\.?)(\D.*)$")
_CNY = ("100m cny", "亿元")
_AMOUNT = {"亿元": Decimal(1), "亿": Decimal(1), "万元": Decimal("1e-4"), "元": Decimal("1e-8")}
"""Amount units of a scenario in 亿元, and what one of each is in 亿元 (exact)."""
_OTHER_UNITS = ("万亩", "万", "千元", "百万元", "美元", "公顷", "ha", "km²", "个月", "月", "天")
"""Units a number may carry that no key takes (refused with the key's unit)."""
_PER = {"unit/yr": ("/年", "/yr", "/a"), "unit/mu": ("/亩", "/mu")}
_WANT = {
    "fraction": "unit_fraction",
    "fraction/yr": "unit_fraction",
    "year": "unit_year",
    "years": "unit_years",
    "mu": "unit_mu",
}
"""The reason naming each unit a number's key takes (an amount's: ``unit_cny``)."""
_SUFFIXES = {
    "fraction": ("%",),
    "fraction/yr": ("%", "%/年", "%/yr"),
    "mu": ("亩", "mu"),
    "year": ("年",),
    "years": ("年", "years", "yrs", "yr"),
}


@dataclass(frozen=True)
class ReadAs:
    """A value read differently from how it was typed: where (a cell or a key path),
    what was typed and what it was read as."""

    where: str
    typed: str
    read: str

    def text(self, lang: str = "en") -> str:
        """``协议!D5: 50% read as 0.5`` in ``lang``."""
        return Reason("read_as", where=self.where, typed=self.typed, read=self.read).text(lang)

    def tells(self, lang: str = "en") -> bool:
        """Whether the note says anything in ``lang``: 亿元 read as the unit 100m CNY does
        in English, not in Chinese (亿元 is that unit's Chinese name); likewise 固定比例
        read as the rule ``fixed``, a choice typed by its Chinese name."""
        return self.typed not in (unit(self.read, lang), term_name(self.read, lang))

    def as_dict(self) -> dict[str, str]:
        """For ``--format json``."""
        return {"where": self.where, "typed": self.typed, "read": self.read}


@dataclass(frozen=True)
class Refused:
    """A number typed with a unit its key does not take."""

    reason: Reason


def show(value: Any) -> str:
    """A value read, as a note shows it: ``1200``, ``0.5``, ``fixed``, ``true``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if not isinstance(value, float) else repr(value)


def number(text: str, unit: str, amount_unit: str = "100m CNY") -> int | float | Refused | None:
    """The number ``text`` means in a key of unit ``unit`` (:func:`sim.schema.unit_text`);
    ``None`` when it is no number at all; :class:`Refused` when it carries another unit.

    Examples
    --------
    >>> number("1,200", "unit/yr"), number("1，200", "mu"), number("50%", "fraction")
    (1200, 1200, 0.5)
    >>> number("1200亩", "mu"), number("5亿元", "unit"), number("5万元", "unit")
    (1200, 5, 0.0005)
    >>> number("1,20", "unit") is None, number("1.2.3", "unit") is None
    (True, True)
    >>> number("50%", "year").reason
    '50%: % is not a unit of this value (a year: type the number alone)'
    """
    t = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u00a0", "")
    plain = _digits(t)
    if plain is not None:
        return plain
    split = _SPLIT.match(t)
    value = _digits(split.group(1)) if split else None
    if split is None or value is None:
        return None
    suffix = split.group(2)
    scale = _scale(suffix, unit, amount_unit)
    if scale is None:
        if not _is_unit(suffix):
            return None
        want = _want(unit, amount_unit)
        return Refused(Reason("wrong_unit", typed=text.strip(), unit=suffix, want=want))
    if scale == 1:
        return value
    exact = float(Decimal(str(value)) * scale)
    return int(exact) if unit in ("year", "years") and exact.is_integer() else exact


def _digits(t: str) -> int | float | None:
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    if not _PLAIN.fullmatch(t):
        return None
    return int(t) if re.fullmatch(r"[+-]?\d+", t) else float(t)


def _scale(suffix: str, unit: str, amount_unit: str) -> Decimal | None:
    """What one of ``suffix`` is in ``unit`` (``None``: not a unit of it)."""
    if suffix in _SUFFIXES.get(unit, ()):
        return Decimal("0.01") if suffix.startswith("%") else Decimal(1)
    if unit in ("unit", "unit/yr", "unit/mu") and amount_unit.strip().lower() in _CNY:
        for per in ("", *_PER.get(unit, ())):
            base = suffix.removesuffix(per) if per else suffix
            if (not per or suffix.endswith(per)) and base in _AMOUNT:
                return _AMOUNT[base]
    return None


def _is_unit(suffix: str) -> bool:
    known = {*_AMOUNT, *_OTHER_UNITS, *(s for v in _SUFFIXES.values() for s in v)}
    base = re.sub(r"/(年|yr|a|亩|mu)$", "", suffix)
    return base in known or suffix in known


def _want(unit: str, amount_unit: str) -> Reason:
    """The unit a key takes, in words."""
    if unit.startswith("unit"):
        cny = amount_unit.strip().lower() in _CNY
        return Reason("unit_cny" if cny else "unit_amount", amount=amount_unit)
    return Reason(_WANT.get(unit, "unit_none"))


def choice(text: str, options: Iterable[str]) -> str:
    """The option ``text`` names: itself, or the option whose English or Chinese name it
    is (case and surrounding spaces aside); ``text`` unchanged when it names none.

    Examples
    --------
    >>> choice("固定比例", ("source", "fixed")), choice(" Fixed ", ("fixed",))
    ('fixed', 'fixed')
    >>> choice("新引进企业", ("all", "new_firms")), choice("fixd", ("fixed",))
    ('new_firms', 'fixd')
    """
    options = tuple(options)
    if text in options:
        return text
    wanted = _key(text)
    for option in options:
        names = (option, TERMS.get(option, option), *ALIASES.get(option, ()))
        if wanted in map(_key, names):
            return option
    return text


def factor(text: str) -> str:
    """The formula factor ``text`` names (``产值`` → ``output``), else ``text``."""
    if text in FACTORS:
        return text
    wanted = _key(text)
    for f in FACTORS:
        if wanted in (_key(f), *map(_key, FACTOR_NAMES[f])):
            return f
    return text


def near(text: str, options: Iterable[str]) -> Names:
    """The known names closest to a misspelt ``text`` (by their ids or Chinese names),
    quoted: ``'fixed'``, in Chinese ``'固定比例'（fixed）``; empty when none is close.

    Examples
    --------
    >>> near("fixd", ("fixed", "formula")), near("固定比率", ("fixed",)), near("xyz", ("a",))
    ("'fixed'", "'fixed'", '')
    >>> near("shaply", ("shapley", "nash")).text("zh")
    "'Shapley 值'（shapley）"
    >>> near("纳许", ("shapley", "nash")).text("zh")  # close to 纳什, another name of nash
    "'纳什谈判'（nash）"
    """
    names = _names(tuple(options))
    typed = text.strip()
    cutoff = 0.6 if typed.isascii() else 0.5  # a Chinese name is a few characters long
    found = difflib.get_close_matches(typed, list(names), n=3, cutoff=cutoff)
    found += [n for n in names if not typed.isascii() and typed and typed in n]
    return Names(list(dict.fromkeys(names[n] for n in found))[:3], quoted=True)


@cache
def _names(options: tuple[str, ...]) -> Mapping[str, str]:
    """Every name of each option (its id, its Chinese name, the other names a reader may
    type, :data:`~sim.i18n.ALIASES`) → the option: those :func:`choice` reads."""
    out = {o: o for o in options}
    for o in options:
        for name in (TERMS.get(o, o), *ALIASES.get(o, ())):
            out.setdefault(name, o)
    return out


def _key(text: str) -> str:
    """``text`` as compared with a name: case, width and spaces aside."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def read_names(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[ReadAs]]:
    """``data`` (a scenario mapping) with each agreement's rule, scope and clause rules,
    and the factors of its weights, by their identifiers where they were written by
    their names (``固定比例`` → ``fixed``), and a note for each.

    Examples
    --------
    >>> out, notes = read_names({"sharing": {"rule": "按股比", "scope": "新引进企业"}})
    >>> out["sharing"], [n.text() for n in notes]
    ({'rule': 'equity', 'scope': 'new_firms'}, ['sharing.rule: 按股比 read as equity', \
'sharing.scope: 新引进企业 read as new_firms'])
    """
    out = dict(data)
    notes: list[ReadAs] = []
    if isinstance(data.get("sharing"), Mapping):
        out["sharing"] = _agreement(data["sharing"], "sharing", notes)
    if isinstance(data.get("compare"), list):
        out["compare"] = [
            _agreement(t, f"compare[{i}]", notes) if isinstance(t, Mapping) else t
            for i, t in enumerate(data["compare"])
        ]
    return out, notes


def _agreement(table: Mapping[str, Any], path: str, notes: list[ReadAs]) -> dict[str, Any]:
    """One agreement's table with its names read (:func:`read_names`)."""
    from sim.rules import CLAUSES, clause_rule_names, rule_names
    from sim.schema.keys import SCOPES

    new = dict(table)
    options = {"rule": rule_names(), "scope": SCOPES}
    options.update({c: clause_rule_names(c) for c in CLAUSES})
    for name, known in options.items():
        value = new.get(name)
        if isinstance(value, Mapping) and isinstance(value.get("rule"), str):
            read = choice(value["rule"], known)
            if read != value["rule"]:
                notes.append(ReadAs(f"{path}.{name}.rule", value["rule"], read))
                new[name] = {**value, "rule": read}
        elif isinstance(value, str) and choice(value, known) != value:
            new[name] = choice(value, known)
            notes.append(ReadAs(f"{path}.{name}", value, new[name]))
    weights = new.get("weights")
    if isinstance(weights, Mapping):
        renamed = {w: factor(w) for w in weights}
        if len(set(renamed.values())) == len(weights):  # else the checker tells
            new["weights"] = {renamed[w]: v for w, v in weights.items()}
            notes += [ReadAs(f"{path}.weights.{w}", w, f) for w, f in renamed.items() if f != w]
    return new


# --------------------------------------------------------------------------- hints


def out_of_range(interval: str, value: float, lo: float | None, hi: float | None) -> Reason:
    """``must be in [0, 1], got 50``, with ``— did you mean 50% = 0.5?`` where a number
    at most 1 (a share, a rate) was typed as a percentage (from 2 to 100: 1.5 may as well
    be 150% as 1.5%).

    Examples
    --------
    >>> out_of_range("[0, 1]", 50, 0.0, 1.0)
    'must be in [0, 1], got 50 — did you mean 50% = 0.5?'
    >>> out_of_range("(-1, 1]", 5, -1.0, 1.0)  # a discount rate
    'must be in (-1, 1], got 5 — did you mean 5% = 0.05?'
    >>> out_of_range("[0, 1]", 150, 0.0, 1.0), out_of_range("[0, 10]", 50, 0.0, 10.0)
    ('must be in [0, 1], got 150', 'must be in [0, 10], got 50')
    """
    got = repr(value)
    if hi == 1.0 and (lo is None or lo <= 0.0) and 2 <= value <= 100:
        fraction = show(float(Decimal(got) / 100))
        return Reason("range_percent", interval=interval, got=got, fraction=fraction)
    return Reason("range", interval=interval, got=got)


def unknown_rule(got: str, known: tuple[str, ...]) -> Reason:
    """``unknown rule 'fixd' — did you mean 'fixed'? (known: …)``; without the question
    when no known name is close."""
    hint = near(got, known)
    listed = Names(known)
    if hint:
        return Reason("unknown_rule_near", got=repr(got), near=hint, known=listed)
    return Reason("unknown_rule", got=repr(got), known=listed)


def unknown_sheet_key(got: str, known: Iterable[str]) -> Reason:
    """A workbook's ``unknown key 'horizon.discont_rate' — did you mean
    'horizon.discount_rate'? (see the notes sheet)``; without the question when no known
    key is close."""
    hint = near(got, tuple(known))
    if hint:
        return Reason("unknown_sheet_key_near", got=repr(got), near=hint)
    return Reason("unknown_sheet_key", got=repr(got))


def one_of(got: Any, known: tuple[str, ...]) -> Reason:
    """``must be one of 'all', …, got 'al' — did you mean 'all'?`` (a scope, a clause's
    rule); without the question when no known name is close."""
    options = Names(known, quoted=True)
    shown = repr(got) if isinstance(got, str) else describe(got)
    hint = near(got, known) if isinstance(got, str) else ""
    if hint:
        return Reason("one_of_near", options=options, got=shown, near=hint)
    return Reason("one_of", options=options, got=shown)
