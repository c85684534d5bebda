"""A workbook as read: :class:`Book`, the scenario mapping it gives and where each of
its values came from (:class:`Place`, a sheet's cell or range and its column's name), so
that :meth:`Book.locate` can turn the checker's key paths into sheets, cells and column
headers (``firms!G7 output growth``). Filled by the sheet readers of
:mod:`sim.workbook.sheets` through :func:`sim.workbook.read.read_workbook`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sim import i18n
from sim.errors import Problem
from sim.i18n import Reason
from sim.rules import FACTORS
from sim.schema import ARRAYS, KEYS, Key
from sim.schema.checks import indexed
from sim.schema.typed import ReadAs
from sim.workbook.bounds import title_lang
from sim.workbook.layout import AGREEMENTS, SHEETS, Item

__all__ = ["Book", "Cell", "Place", "column"]


@dataclass(frozen=True)
class Place:
    """A cell or range of a sheet, and the name of its column (or row)."""

    sheet: str
    ref: str
    """``G7``, ``D8:D9``, ``1:1`` (the header row), or ``""`` (no such row or column)."""
    name: str

    def __str__(self) -> str:
        sheet = f"'{self.sheet}'" if re.search(r"[^\w]", self.sheet) else self.sheet
        at = f"{sheet}!{self.ref}" if self.sheet and self.ref else sheet
        return " ".join(part for part in (at, self.name) if part)


@dataclass
class Cell:
    """The cell a key path was read from, and its column's (or row's) name."""

    sheet: str
    row: int
    col: int
    name: str


@dataclass
class Book:
    """A workbook read: the scenario mapping, and where each of its values came from."""

    source: str
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """What is wrong with the workbook itself, each with its place."""
    cells: dict[str, Cell] = field(default_factory=dict)
    """Key path → the cell it was read from (empty cells of a row or column included)."""
    groups: dict[str, Place] = field(default_factory=dict)
    """Key path of a row or an agreement's column → its range."""
    absent: dict[str, Place] = field(default_factory=dict)
    insert_at: dict[str, tuple[Place, str, str]] = field(default_factory=dict)
    """A key of an items sheet without its row → the cell where the row goes (below the
    row of the key before it), the key to type in it and the column of its value."""
    """Key pattern → the header row of a sheet without its column (or the sheet without
    its row)."""
    sheets: dict[str, str] = field(default_factory=dict)
    """Sheet name (``firms``) → its title in this workbook."""
    flagged: set[tuple[str, str]] = field(default_factory=set)
    """The cells the workbook's own problems are in (sheet title, reference)."""
    read_as: list[ReadAs] = field(default_factory=list)
    """The cells read differently from how they were typed (``1,200`` as 1200)."""
    party_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A party's id → its id, name and Chinese name: a row of a party on the agreements
    sheet (``shares.广安``, ``广安（四川）：税收分成比例``) may name it by any of them."""
    key_columns: dict[str, int] = field(default_factory=dict)
    """Sheet title → the column of its keys (an items sheet's column A)."""

    @property
    def lang(self) -> str:
        """The workbook's language: Chinese when a sheet's title is (``sim template --lang
        zh``), so that its problems are told in Chinese."""
        return "zh" if any(title_lang(title) == "zh" for title in self.sheets.values()) else "en"

    def fail(self, place: Place, reason: str) -> None:
        """A problem of the workbook itself, at ``place``."""
        self.problems.append(Problem("", reason, str(place)))
        self.flagged.add((place.sheet, place.ref))

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """The workbook's own problems, then ``problems`` with the sheet, cell and column
        each is in; one message a cell (the workbook's own first), none twice."""
        out = list(self.problems)
        seen = {(p.where, p.reason) for p in out}
        for p in problems:
            place, reason = self._where(p)
            where = str(place)
            if (place.sheet, place.ref) in self.flagged or (where, reason) in seen:
                continue
            seen.add((where, reason))
            out.append(Problem(p.path, reason, where))
        return out

    def _where(self, problem: Problem) -> tuple[Place, str]:
        path, reason = indexed(problem.path, self.data), problem.reason
        if path in self.groups:
            return self.groups[path], reason
        cell = path.split(".from", 1)[0]  # a step of a schedule: the cell it was typed in
        if path in self.cells or cell in self.cells:
            c = self.cells.get(path) or self.cells[cell]
            if isinstance(reason, Reason) and reason.key == "missing_party":  # an empty cell
                reason = Reason("missing_party_cell", party=reason.params["party"])
            return Place(c.sheet, f"{column(c.col)}{c.row}", c.name), reason
        row = self._missing_row(path, reason)
        if row is not None:
            return row
        k = _pattern(path)
        missing = isinstance(reason, Reason) and "missing" in reason.params
        if k is not None and k.path in self.insert_at and missing:
            place, key, value_col = self.insert_at[k.path]
            col = place.ref.rstrip("0123456789")
            return place, Reason("missing_key_row", key=key, key_col=col, column=value_col)
        if k is not None and k.path in self.absent:
            place = self.absent[k.path]
            what = "missing column" if place.ref else "missing row"
            if isinstance(reason, Reason) and "missing" in reason.params:
                return place, reason.but(missing=what)
            return place, reason.replace("missing", what, 1) if "missing" in reason else reason
        group = self._group(path)
        if group is not None:
            return group, reason
        return self._sheet_place(path), reason

    def _missing_row(self, path: str, reason: str) -> tuple[Place, str] | None:
        """Where the row of a party missing from a table of shares goes (below the
        table's last row), and what to type in it; ``None`` for any other problem."""
        if not isinstance(reason, Reason) or reason.key != "missing_party":
            return None
        k = _pattern(path)
        if k is None or k.slot != "<party>" or k.table != "sharing":
            return None
        parent, _, party = path.rpartition(".")
        depth = path.count(".")
        rows = [
            c for p, c in self.cells.items()
            if p.startswith(f"{parent}.") and p.count(".") == depth
        ]  # fmt: skip
        if not rows:
            return None
        sheet, col = rows[0].sheet, rows[0].col
        key_col = column(self.key_columns.get(sheet, 1))
        below = max(c.row for c in rows) + 1
        text = Item(k, party).text(AGREEMENTS)
        lang = title_lang(sheet)
        names = self.party_names.get(party, (party,))
        name = i18n.pick(lang, names[min(1, len(names) - 1)], names[-1])
        who = party if name == party else Reason("party_named", party=party, name=name)
        place = Place(sheet, f"{key_col}{below}", k.label(lang, party))
        return place, Reason("missing_party_row", party=who, key=text, column=column(col))

    def _group(self, path: str) -> Place | None:
        """The range of every cell read under ``path`` (``sharing.shares``), if any."""
        members = [c for p, c in self.cells.items() if p.startswith((f"{path}.", f"{path}["))]
        if not members:
            parent = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path)
            return self._group(parent) if parent and parent != path else None
        sheet = members[0].sheet
        members = [c for c in members if c.sheet == sheet]
        top, bottom = min(c.row for c in members), max(c.row for c in members)
        left, right = min(c.col for c in members), max(c.col for c in members)
        ref = f"{column(left)}{top}"
        if (top, left) != (bottom, right):
            ref += f":{column(right)}{bottom}"
        last = re.split(r"[.\[]", path)[-1]
        name = "" if "." not in path and "[" not in path else last
        return Place(sheet, ref, i18n.name(name, title_lang(sheet)))

    def _sheet_place(self, path: str) -> Place:
        table = re.split(r"[.\[]", path, maxsplit=1)[0]
        for sheet in SHEETS:
            if any(k.table == table for k in sheet.keys) or (
                table == "compare" and sheet is AGREEMENTS
            ):
                found = self.sheets.get(sheet.name)
                return Place(found, "", "") if found else Place("", "", f"(no {sheet.name} sheet)")
        return Place("", "", path)


def column(c: int) -> str:
    """The letters of column ``c`` (1 → A, 27 → AA)."""
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Key], ...]:
    """Each key's pattern as a regular expression over the checker's key paths."""
    out = []
    for k in KEYS:
        text = re.escape(k.path)
        if k.slot:
            in_array = k.table in ARRAYS and k.table != "compare"
            ids = "|".join(FACTORS) if k.slot == "<factor>" else ".+"
            filler = r"\[\d+\]" if in_array else rf"\.(?:{ids})"
            text = text.replace(rf"\.{re.escape(k.slot)}", filler, 1)
        if k.table == "sharing":
            text = r"(?:sharing|compare\[\d+\])" + text.removeprefix("sharing")
        out.append((re.compile(text), k))
    return tuple(out)


def _pattern(path: str) -> Key | None:
    """The key a checker's key path is an instance of (``firms[3].output``,
    ``compare[1].shares.SC``)."""
    return next((k for rx, k in _patterns() if rx.fullmatch(path)), None)
