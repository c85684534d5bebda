"""The workbook's sheets, laid out from the schema's keys, and where each cell goes.

Every key of :data:`sim.schema.KEYS` has one place, decided by its pattern alone:

- **records** sheets hold one row per item of a table and one column per key:
  ``parties`` (every ``<party>`` key outside the agreement: the party's own keys,
  its ``investment.equity`` and ``cooperation.standalone_capex``), ``firms`` (every
  ``<firm>`` key: the firm's own and ``cooperation.requires``), ``land_sales``
  (``<sale>``) and ``capex`` (``investment.capex.<year>``, a year a row);
- **items** sheets hold one row per key and a column of values: ``scenario`` (every key
  without a slot: ``meta``, ``horizon``, ``taxes``, the joint company's rates,
  ``cooperation.synergy``) and ``agreements`` (every ``sharing`` key, a row for each
  party or factor it names; a column for ``[sharing]`` and one for each ``[[compare]]``).

A key added to the schema appears in the workbook without a change here. A cell's
place in the scenario mapping is a tuple of keys and list positions,
``("firms", 2, "growth")``; :func:`key_path` writes it as the checker names it
(``firms[2].growth``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from sim import i18n
from sim.rules import FACTORS
from sim.schema import ARRAYS, KEYS, Key

__all__ = [
    "AGREEMENTS",
    "NOTES",
    "SHEETS",
    "SLOT_COLUMN",
    "Item",
    "Sheet",
    "column_name",
    "get",
    "headers",
    "item_key",
    "items",
    "key_path",
    "leaves",
    "normal",
    "put",
    "sheet_of",
]

Shape = Literal["records", "items"]
Segment = str | int
Segments = tuple[Segment, ...]


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name in English (the name of the table it holds) and Chinese."""

    name: str
    zh: str
    shape: Shape
    slot: str
    """Records sheets: the slot each row fills (``<firm>``); items sheets: ``""``."""
    about_en: str
    about_zh: str

    @cached_property
    def keys(self) -> tuple[Key, ...]:
        """Its keys, in the schema's order: the columns or the rows."""
        return tuple(k for k in KEYS if sheet_of(k) == self.name)

    @cached_property
    def array(self) -> str:
        """The array of tables its rows are (``firms``), or ``""`` (capex: a year a row)."""
        return next((t for t, s in ARRAYS.items() if s == self.slot and s), "")

    @cached_property
    def id_key(self) -> Key | None:
        """The key that names a row (``firms.<firm>.id``), if its rows have one."""
        return next((k for k in self.keys if k.name == "id" and k.table == self.array), None)

    def title(self, lang: str = "en") -> str:
        """The sheet's name in ``lang``."""
        return i18n.pick(lang, self.name, self.zh)

    def about(self, lang: str = "en") -> str:
        """What the sheet holds, in ``lang``."""
        return i18n.pick(lang, self.about_en, self.about_zh)


SHEETS: tuple[Sheet, ...] = (
    Sheet("scenario", "情景", "items", "", "the scenario's id, horizon, tax sharing and rates",
          "情景编号、测算期、税收分享体制及其他参数"),
    Sheet("parties", "参与方", "records", "<party>", "a row per cooperating party",
          "每个合作方一行"),
    Sheet("firms", "企业", "records", "<firm>", "a row per firm or cohort of firms",
          "每个企业（或企业群）一行"),
    Sheet("land_sales", "土地出让", "records", "<sale>", "a row per sale of land-use rights",
          "每宗土地出让一行"),
    Sheet("capex", "共同投资", "records", "<year>", "a row per year of joint capital spending",
          "共同投资每年一行"),
    Sheet("agreements", "协议", "items", "",
          "the agreement in force, then the alternatives compare shows beside it (a column each)",
          "第一列为协议，其后每列为一个比较方案"),
)  # fmt: skip
AGREEMENTS = SHEETS[-1]
NOTES = ("notes", "说明")
"""The notes sheet's name in English and Chinese (read past, never as data)."""
SLOT_COLUMN = {"<year>": ("year", "年份")}
"""The column of a records sheet whose rows are named by their slot alone (capex)."""


def sheet_of(k: Key) -> str:
    """The name of the sheet that holds key ``k``."""
    if k.table == "sharing":
        return "agreements"
    by_slot = {"": "scenario", "<party>": "parties", "<firm>": "firms", "<sale>": "land_sales"}
    return by_slot.get(k.slot, "capex")


@dataclass(frozen=True)
class Item:
    """A row of an items sheet: a key, and the id that fills its slot."""

    key: Key
    slot: str = ""

    def text(self, sheet: Sheet) -> str:
        """The key as column A shows it: ``meta.name``, or ``shares.SC`` in ``agreements``."""
        filled = self.key.path.replace(self.key.slot, self.slot) if self.key.slot else self.key.path
        return filled.removeprefix("sharing.") if sheet is AGREEMENTS else filled

    def segments(self) -> Segments:
        """Where its value goes, under the agreement's table for an agreement's row."""
        parts = self.key.path.split(".")
        filled = tuple(self.slot if p == self.key.slot else p for p in parts)
        return filled[1:] if self.key.table == "sharing" else filled


def items(sheet: Sheet, party_ids: Sequence[str]) -> list[Item]:
    """The rows of an items sheet: each key, and a row per party or factor it names."""
    out = []
    for k in sheet.keys:
        fills = {"<party>": tuple(party_ids), "<factor>": FACTORS}.get(k.slot, ("",))
        out += [Item(k, s) for s in fills]
    return out


def item_key(sheet: Sheet, text: str) -> Item | None:
    """The row that column A's ``text`` names (``shares.SC``), or ``None``."""
    full = f"sharing.{text}" if sheet is AGREEMENTS else text
    for k in sheet.keys:
        if not k.slot:
            if full == k.path:
                return Item(k)
            continue
        head, _, tail = k.path.partition(k.slot)
        if full.startswith(head) and full.endswith(tail) and len(full) > len(head) + len(tail):
            slot = full[len(head) : len(full) - len(tail)]
            if k.slot == "<factor>" and slot not in FACTORS:
                continue
            return Item(k, slot)
    return None


def normal(text: str) -> str:
    """A header as compared: width-folded, without its unit in brackets, case-folded,
    ``_`` as a space (``产值年增速（比例/年）`` and ``Output_Growth`` match their keys)."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"\s*[\[(][^\[\]()]*[\])]\s*$", "", text)
    return " ".join(text.casefold().replace("_", " ").split())


def column_name(k: Key) -> str:
    """The key a column of ``k`` is headed by in TOML terms (``growth``, ``equity``)."""
    return next(p for p in reversed(k.path.split(".")) if not p.startswith("<"))


def headers(k: Key) -> set[str]:
    """Every header a column of ``k`` is recognised by: its key, and its names."""
    return {normal(column_name(k)), normal(k.label("en")), normal(k.label("zh"))}


def key_path(segments: Segments) -> str:
    """The key path the checker names a place by: ``firms[2].growth``."""
    out = ""
    for s in segments:
        out += f"[{s}]" if isinstance(s, int) else (f".{s}" if out else s)
    return out


def get(data: Mapping[str, Any], segments: Segments) -> Any:
    """The value at ``segments`` (``None`` where there is none)."""
    node: Any = data
    for s in segments:
        if isinstance(s, int):
            node = node[s] if isinstance(node, list) and s < len(node) else None
        else:
            node = node.get(s) if isinstance(node, Mapping) else None
        if node is None:
            return None
    return node


def put(data: dict[str, Any], segments: Segments, value: Any) -> None:
    """Set ``value`` at ``segments``, making tables and list items on the way. A value
    and keys under the same place make a table with the value as its ``rule``
    (``land = "fixed"`` and ``land.shares.SC = 0.6``: ``land = { rule = "fixed", … }``)."""
    node: Any = data
    for s, after in itertools.pairwise(segments):
        node = _child(node, s, after)
    last = segments[-1]
    if isinstance(node, dict) and isinstance(node.get(last), dict):
        node[last]["rule"] = value
    else:
        node[last] = value


def _child(node: Any, s: Segment, after: Segment) -> Any:
    if isinstance(s, int):
        while len(node) <= s:
            node.append({})
        return node[s]
    current = node.get(s)
    if current is None:
        current = node[s] = [] if isinstance(after, int) else {}
    elif not isinstance(current, dict | list):
        current = node[s] = {"rule": current}
    return current


def leaves(data: Any, at: Segments = ()) -> Iterator[Segments]:
    """Every value's place: tables and lists of tables are walked, anything else is a value
    (a list of party ids too). An empty table is a place of its own."""
    if isinstance(data, Mapping) and data:
        for k, v in data.items():
            yield from leaves(v, (*at, k))
    elif isinstance(data, list) and data and all(isinstance(v, Mapping) for v in data):
        for i, v in enumerate(data):
            yield from leaves(v, (*at, i))
    else:
        yield at
