"""Where each of the schema's problems goes on the page, and how it reads there.

A problem of :func:`sim.scenario.parse` has a key path (``sharing.shares``,
``firms[2].growth``) and a reason (:class:`sim.i18n.Reason`). On the page it is shown
beside the field or group of fields it concerns (its *slot*: the nearest enclosing
place on the form that has room for a message), in the page's language, naming the
field by its label in the key table (:data:`sim.schema.keys.KEYS`: ``税收分成比例``
rather than ``sharing.shares``); the key path follows in small print. A problem with no
slot on the form (a party's name, say) goes in the summary at the top of the form.
Nothing here imports Flask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sim.errors import Problem
from sim.i18n import colon, pick
from sim.rules import CLAUSES
from sim.schema.keys import KEYS, Key
from sim.web.form import Form, locate

__all__ = ["Placed", "field_label", "place", "slots"]

_SLOT = re.compile(r"<[a-z]+>")
_SLOT_WORDS = re.compile(r"\s*(?:of\s+)?<[a-z]+>\s*[:：]?\s*|\s*[:：]\s*<[a-z]+>")
_GROUPS = ("sharing.shares", "sharing.weights", "sharing.floors", "sharing")
"""Groups of fields with one message slot of their own (besides every field's)."""


@dataclass(frozen=True)
class Placed:
    """A problem as the page shows it."""

    path: str
    """The key path of the schema's message (``firms[2].growth``)."""
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


def slots(form: Form) -> frozenset[str]:
    """Every place on the form that has room for a message: each field, the groups of
    shares, weights and floors, each clause's shares, each firm's row, the agreement."""
    groups = [*_GROUPS, *(f"sharing.{c}.shares" for c in CLAUSES)]
    return frozenset([*form.inputs, *groups, *(f"firms.{f}" for f in form.firms)])


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
        return filled if _SLOT.search(text) else f"{slot}{colon(lang)}{filled}"
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


def place(
    problems: Sequence[Problem],
    data: Mapping[str, Any],
    form: Form,
    lang: str,
    names: Mapping[str, str] | None = None,
) -> list[Placed]:
    """Each problem of the edited scenario ``data`` with its place on ``form``, its
    field's label and its reason in ``lang``."""
    room = slots(form)
    out = []
    for p in problems:
        field = locate(p, data)
        out.append(
            Placed(p.path, field, _slot(field, room), field_label(field, lang, names),
                   p.reason_text(lang))
        )  # fmt: skip
    return out
