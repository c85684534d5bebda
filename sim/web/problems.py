"""Where each of the schema's problems goes on the page, and how it reads there.

A problem of :func:`sim.scenario.parse` has a key path (``sharing.shares``,
``firms.battery-plant.growth``) and a reason (:class:`sim.i18n.Reason`). On the page it is shown
beside the field or group of fields it concerns (its *slot*: the nearest enclosing
place on the form that has room for a message), in the page's language, naming the
field by its label in the key table (:data:`sim.schema.keys.KEYS`: ``税收分成比例``
rather than ``sharing.shares``); the key path follows in small print. A problem with no
slot on the form (a party's name, say) goes in the summary at the top of the form.
Nothing here imports Flask.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sim.errors import Problem
from sim.i18n import Reason, colon, pick
from sim.rules import CLAUSES
from sim.schema.keys import KEYS, Key
from sim.schema.typed import number, show
from sim.web.edits import locate
from sim.web.form import ARRAYS, Form

__all__ = ["Placed", "field_label", "label_of", "place", "row_names", "slots"]

_SLOT = re.compile(r"<[a-z]+>")
_SLOT_WORDS = re.compile(r"\s*(?:of\s+)?<[a-z]+>\s*[:：]?\s*|\s*[:：]\s*<[a-z]+>")
_GROUPS = ("sharing.review", "sharing.review.shares", "investment", "investment.equity",
           "investment.capex", *ARRAYS)  # fmt: skip
"""Groups of fields with one message slot of their own (besides every field's and each
agreement's)."""


@dataclass(frozen=True)
class Placed:
    """A problem as the page shows it."""

    path: str
    """The key path of the schema's message (``firms.battery-plant.growth``)."""
    field: str
    """The form's name for that place (``firms.battery-plant.growth``)."""
    slot: str
    """The form's place for the message: the field, its group, or ``""`` (the summary)."""
    label: str
    """The field's (or group's) name in the page's language, ``""`` when it has none."""
    message: str
    """The reason in the page's language."""

    def json(self) -> dict[str, str]:
        """The problem as the page's endpoints send it."""
        return {
            "path": self.path,
            "field": self.field,
            "slot": self.slot,
            "label": self.label,
            "message": self.message,
        }


def slots(form: Form, rows: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """Every place on the form that has room for a message: each field, each row of an
    array, and in each agreement (the agreement's and each alternative's) its rule's
    shares and weights, its floors and each clause's shares; the review's shares and the
    investment's equity."""
    agreements = ["sharing", *(f"compare.{r}" for r in rows.get("compare", ()))]
    groups = [
        g
        for a in agreements
        for g in (a, f"{a}.shares", f"{a}.weights", f"{a}.floors",
                  *(f"{a}.{c}.shares" for c in CLAUSES))
    ]  # fmt: skip
    fields = [
        f"{table}.{r}{'.' + rest if rest else ''}"
        for table in ARRAYS
        for r in rows.get(table, ())
        for rest in ("", *form.templates.get(table, {}))
    ]
    return frozenset([*form.inputs, *_GROUPS, *groups, *fields])


def _slot(field: str, room: frozenset[str]) -> str:
    key = field
    while key and key not in room:
        key = key.rpartition(".")[0]
    return key


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Key], ...]:
    out = []
    for k in KEYS:
        parts = [("(.+)" if _SLOT.fullmatch(p) else re.escape(p)) for p in k.path.split(".")]
        out.append((re.compile(r"\.".join(parts)), k))
    return tuple(out)


def field_label(field: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """The name of ``field`` (a form name, e.g. ``sharing.shares.SC``) in ``lang``: its
    key's label with the slot filled by the party's name (``names``) or the firm's id;
    for a group (``sharing.shares``) the label its fields share; ``""`` when the key
    table has no name for it.

    Examples
    --------
    >>> field_label("sharing.shares.SC", "zh", {"SC": "四川"})
    '四川：税收分成比例'
    >>> field_label("sharing.shares", "zh"), field_label("sharing.weights", "en")
    ('税收分成比例', 'formula weight')
    >>> field_label("firms.battery-plant.first_year", "en")
    'battery-plant: first year of output'
    """
    names = names or {}
    for pattern, k in _patterns():
        m = pattern.fullmatch(field)
        if m is None:
            continue
        if not m.groups():
            return k.label(lang)
        slot = m.group(1)
        filled = k.label(lang, names.get(slot, slot))
        text = pick(lang, k.en, k.zh)
        named = names.get(slot, slot)
        return filled if _SLOT.search(text) else f"{named}{colon(lang)}{filled}"
    for _, k in _patterns():
        rest = k.path.removeprefix(field + ".")
        if rest != k.path and _SLOT.fullmatch(rest):  # the group of a slot's fields
            return _SLOT_WORDS.sub("", pick(lang, k.en, k.zh)).strip()
    for pattern, k in _patterns():  # a whole item of an array (a firm)
        head = k.path.rsplit(".", 1)[0]
        if k.slot and head.endswith(k.slot):
            m = re.compile(pattern.pattern.rsplit(r"\.", 1)[0]).fullmatch(field)
            if m is not None:
                return names.get(m.group(1), m.group(1))
    return ""


def row_names(data: Mapping[str, Any], rows: Mapping[str, Sequence[str]], lang: str
              ) -> dict[str, dict[str, str]]:  # fmt: skip
    """What the page calls each row of each array in ``lang``: a firm by its name (its
    id when it has none), a land sale by its number from 1, an alternative by its label."""
    out: dict[str, dict[str, str]] = {}
    for table in ARRAYS:
        items = data.get(table, [])
        named = {}
        for i, row in enumerate(rows.get(table, ())):
            item = items[i] if i < len(items) and isinstance(items[i], Mapping) else {}
            if table == "firms":
                en = str(item.get("name") or item.get("id") or row)
                named[row] = pick(lang, en, str(item.get("name_zh") or en))
            elif table == "compare":
                en = str(item.get("label") or item.get("rule") or i + 1)
                named[row] = pick(lang, en, str(item.get("label_zh") or en))
            else:
                named[row] = str(i + 1)
        out[table] = named
    return out


def label_of(field: str, lang: str, names: Mapping[str, str],
             rows: Mapping[str, Mapping[str, str]]) -> str:  # fmt: skip
    """The label of a form field: :func:`field_label`, with a row's slot filled by the
    row's name (``rows``: :func:`row_names`); an alternative's field is the agreement's
    key of that name, after the alternative's name."""
    table, _, tail = field.partition(".")
    if table == "compare":
        for row, name in rows.get("compare", {}).items():
            rest = tail.removeprefix(f"{row}.")
            if tail == row:
                return name
            if rest != tail:
                return f"{name}{colon(lang)}{field_label('sharing.' + rest, lang, names)}"
    return field_label(field, lang, {**names, **rows.get(table, {})})


def place(
    problems: Sequence[Problem],
    data: Mapping[str, Any],
    form: Form,
    lang: str,
    names: Mapping[str, str] | None = None,
    rows: Mapping[str, Sequence[str]] | None = None,
) -> list[Placed]:
    """Each problem of the edited scenario ``data`` with its place on ``form``, its
    field's label and its reason in ``lang`` (``rows``: each array's rows as sent,
    :func:`sim.web.edits.rows_of`; as loaded by default)."""
    rows = rows if rows is not None else form.rows
    room = slots(form, rows)
    named = row_names(data, rows, lang)
    out = []
    amount = str((data.get("meta") or {}).get("unit", "100m CNY"))
    for p in problems:
        field = locate(p, rows, data)
        reason = _typed_number(p, form, field, amount)
        out.append(
            Placed(p.path, field, _slot(field, room), label_of(field, lang, names or {}, named),
                   reason.text(lang) if reason is not None else p.reason_text(lang))
        )  # fmt: skip
    return out


def _typed_number(p: Problem, form: Form, field: str, amount_unit: str) -> Reason | None:
    """``must be a number, got the string '1,200'`` said as what to type instead
    (``type the number alone: 1,200 is written 1200``) where the text is a number with a thousands
    separator or the field's unit (as a workbook's cell reads it); else ``None``."""
    reason = p.reason
    if not isinstance(reason, Reason) or reason.key not in ("not_number", "not_whole"):
        return None
    got = reason.params.get("got")
    if not isinstance(got, Reason):
        return None
    typed = got.params.get("value") if got.key == "got_string" else None
    found = form.find(field)
    spec = found.spec if found is not None else None
    if not isinstance(typed, str) or spec is None:
        return None
    text = ast.literal_eval(typed)
    read = number(text, spec.unit, amount_unit)
    if not isinstance(read, int | float) or isinstance(read, bool):
        return None
    return Reason("typed_number", got=text, read=show(read))
