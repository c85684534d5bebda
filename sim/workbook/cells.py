"""A workbook cell's value as the scenario file would write it for its key.

A number typed as text is read as :mod:`sim.schema.typed` reads it (``1,200``,
``50%``, ``1200亩``, ``5亿元``), a rule, scope or clause rule by its name in either
language, ``TRUE``/``是`` a flag, ``SC, CQ`` a list of party ids; anything else is
passed on as it is, for the scenario checker to report as it would in a TOML file.
:func:`typed_differently` says when a cell was read differently from how it was typed.
"""

from __future__ import annotations

import re
from typing import Any

from sim import i18n
from sim.schema import Key
from sim.schema.typed import Refused, choice, number

__all__ = [
    "convert",
    "convert_schedule",
    "convert_year",
    "empty",
    "schedule_cell",
    "typed_differently",
]

_TRUE = {"true", "yes", "y", "是", "对", "√"}
_FALSE = {"false", "no", "n", "否", "不是", "×"}
_NONE = {"-", "none", "无", "—"}
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_TEXT_KINDS = ("id", "text", "party")
_NAME_KINDS = ("rule", "scope", "clause")


def convert(k: Key, value: Any, amount_unit: str = "100m CNY") -> Any:
    """A cell's value as the scenario file would write it for key ``k`` (amounts in
    ``amount_unit``); :class:`~sim.schema.typed.Refused` for a number with a unit ``k``
    does not take; what cannot be read is passed on unchanged, for the checker to report.

    Examples
    --------
    >>> from sim.schema import key
    >>> convert(key("land_sales.<sale>.area_mu"), "1,200亩")
    1200
    >>> convert(key("sharing.rule"), "固定比例")
    'fixed'
    """
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    if value is None or (isinstance(value, bool) and k.kind != "flag"):
        return value
    if k.kind in _TEXT_KINDS:
        return _text(value)
    if k.kind in _NAME_KINDS:
        text = _text(value)
        return choice(text, k.choices()) if isinstance(text, str) else text
    if k.kind == "flag":
        return _flag(value)
    if k.kind == "parties":
        return _parties(value)
    return _number(k, value, amount_unit)


def _number(k: Key, value: Any, amount_unit: str) -> Any:
    read = number(value, k.unit, amount_unit) if isinstance(value, str) else value
    if isinstance(read, Refused):
        return read
    if k.kind in ("whole", "year") and isinstance(read, float) and read.is_integer():
        return int(read)
    if isinstance(read, int | float) and not isinstance(read, bool):
        return read
    return str(value)


_STEPS = re.compile(r"[;；\n，、]|,(?!\d{3}(?!\d))")
_STEP_FORMS = (
    # 2027年起 45% · 2027起45% · 2027: 45% · 2027 = 0.45
    re.compile(r"(?P<year>\d{4})\s*(?:年起|年以后|起|:|：|=)\s*(?P<value>.+)"),
    # 45% from 2027 · 0.45 since 2027 on
    re.compile(r"(?P<value>.+?)\s+(?:from|since)\s+(?P<year>\d{4})(?:\s+on)?", re.IGNORECASE),
    # from 2027: 45%
    re.compile(r"(?:from|since)\s+(?P<year>\d{4})\s*[:：]?\s*(?P<value>.+)", re.IGNORECASE),
)


def convert_schedule(
    k: Key, value: Any, amount_unit: str = "100m CNY", start: int = 1900
) -> dict[str, Any] | Refused | None:
    """A fiscal parameter's cell written as a schedule by year, as the scenario file writes
    it (``{"from": {"2021": 0.5, "2027": 0.45}}``); ``None`` when the cell is no schedule.

    Each step is a value and the year it holds from, in either language: ``2021年起
    50%，2027年起 45%``, ``50% from 2021; 45% from 2027``, ``2021: 0.5; 2027: 0.45``. The
    first step may leave its year out (``50%，2027年起 45%``): it holds from ``start``,
    the horizon's first year.

    Examples
    --------
    >>> from sim.schema import key
    >>> convert_schedule(key("taxes.vat_local_share"), "2021年起 50%，2027年起 45%")
    {'from': {'2021': 0.5, '2027': 0.45}}
    >>> convert_schedule(key("taxes.vat_local_share"), "0.5, 0.45 from 2027", start=2021)
    {'from': {'2021': 0.5, '2027': 0.45}}
    >>> convert_schedule(key("taxes.vat_local_share"), "0.5") is None
    True
    """
    if not isinstance(value, str):
        return None
    pieces = [p.strip() for p in _STEPS.split(value.strip()) if p.strip()]
    found = [next((m for f in _STEP_FORMS if (m := f.fullmatch(p))), None) for p in pieces]
    if not any(found):
        return None
    steps: dict[str, Any] = {}
    for i, (piece, m) in enumerate(zip(pieces, found, strict=True)):
        year, text = (m["year"], m["value"]) if m else (str(start), piece)
        if m is None and i > 0:
            text = piece  # a later step without its year: the checker names it
            year = piece
        read = convert(k, text, amount_unit)
        if isinstance(read, Refused):
            return read
        steps[year] = read
    return {"from": steps}


def schedule_cell(steps: Any, lang: str) -> str:
    """A schedule ``{"from": {year: value}}`` as a cell writes it in ``lang``, read back
    by :func:`convert_schedule` to the same schedule (``0.5 from 2021; 0.45 from 2027``,
    ``2021年起 0.5；2027年起 0.45``)."""
    from sim import i18n

    words = [
        i18n.t("schedule_step", lang, year=year, value=repr(v) if _number_like(v) else v)
        for year, v in steps["from"].items()
    ]
    return i18n.t("schedule_sep", lang).join(words)


def _number_like(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def typed_differently(typed: Any, read: Any) -> bool:
    """Whether text ``typed`` in a cell was read as something it does not spell: a number
    with separators, a unit or full-width digits, a name in words, a flag in words."""
    if not isinstance(typed, str) or read is None or isinstance(read, list | Refused):
        return False
    text = typed.strip()
    if isinstance(read, bool):  # TRUE, true or the workbook's word: 是
        return text.casefold() not in {i18n.flag(read, lang).casefold() for lang in i18n.LANGS}
    if isinstance(read, int | float):
        return not _PLAIN.fullmatch(text)
    return isinstance(read, str) and read != text


def convert_year(value: Any) -> str | None:
    """A capex row's year as its key (``"2021"``), or ``None`` for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def empty(value: Any) -> bool:
    """Whether a cell holds nothing (``None`` or blank text)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> Any:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value if isinstance(value, str) else str(value)


def _flag(value: Any) -> Any:
    if isinstance(value, str):
        word = value.casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return value


def _parties(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.casefold() in _NONE:
        return []
    return [p for p in _SEPARATORS.split(value) if p]
