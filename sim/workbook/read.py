"""Read a scenario workbook into the mapping a TOML scenario file gives, and say where
each of its problems is.

The workbook is read as data, never trusted: a cell becomes the value its column's kind
takes (:mod:`sim.workbook.cells`: ``1,200`` or ``1200亩`` a number, ``13%`` 0.13 where
a fraction belongs, ``固定比例`` the rule ``fixed``, ``TRUE``/``是`` a flag, ``SC, CQ`` a
list of party ids), each cell read differently from how it was typed noted in
:attr:`Book.read_as`; anything else is passed on as it is, so that the scenario checker
(:mod:`sim.scenario`) reports it as it would in a TOML file. :meth:`Book.locate` then
turns the checker's key paths into sheets, cells and column headers (``firms!G7 output
growth``). What only a workbook can get wrong (an unknown sheet or column, a column
twice, a year twice, a formula never computed) is found here, all at once with
the checker's problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sim import i18n
from sim.errors import Problem
from sim.i18n import Reason
from sim.rules import FACTORS
from sim.scenario_types import SCHEDULED
from sim.schema import ARRAYS, KEYS, TABLES, Key
from sim.schema.typed import ReadAs, Refused, show, unknown_sheet_key
from sim.workbook.bounds import inspect, title_lang
from sim.workbook.cells import (
    convert,
    convert_schedule,
    convert_year,
    empty,
    typed_differently,
)
from sim.workbook.grids import Grid, open_sheets
from sim.workbook.layout import (
    AGREEMENTS,
    NOTES,
    SHEETS,
    SLOT_COLUMN,
    Item,
    Segments,
    Sheet,
    headers,
    item_key,
    items,
    key_path,
    normal,
    put,
)

__all__ = ["Book", "Place", "read_workbook"]

HEADER_ROWS = 10
"""Rows searched for a sheet's header (a title may stand above it)."""


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
class _Cell:
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
    cells: dict[str, _Cell] = field(default_factory=dict)
    """Key path → the cell it was read from (empty cells of a row or column included)."""
    groups: dict[str, Place] = field(default_factory=dict)
    """Key path of a row or an agreement's column → its range."""
    absent: dict[str, Place] = field(default_factory=dict)
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
        return "zh" if any(_lang(title) == "zh" for title in self.sheets.values()) else "en"

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
        path, reason = problem.path, problem.reason
        if path in self.groups:
            return self.groups[path], reason
        cell = path.split(".from", 1)[0]  # a step of a schedule: the cell it was typed in
        if path in self.cells or cell in self.cells:
            c = self.cells.get(path) or self.cells[cell]
            if isinstance(reason, Reason) and reason.key == "missing_party":  # an empty cell
                reason = Reason("missing_party_cell", party=reason.params["party"])
            return Place(c.sheet, f"{_column(c.col)}{c.row}", c.name), reason
        row = self._missing_row(path, reason)
        if row is not None:
            return row
        k = _pattern(path)
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
        key_col = _column(self.key_columns.get(sheet, 1))
        below = max(c.row for c in rows) + 1
        text = Item(k, party).text(AGREEMENTS)
        lang = _lang(sheet)
        names = self.party_names.get(party, (party,))
        name = i18n.pick(lang, names[min(1, len(names) - 1)], names[-1])
        who = party if name == party else Reason("party_named", party=party, name=name)
        place = Place(sheet, f"{key_col}{below}", k.label(lang, party))
        return place, Reason("missing_party_row", party=who, key=text, column=_column(col))

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
        ref = f"{_column(left)}{top}"
        if (top, left) != (bottom, right):
            ref += f":{_column(right)}{bottom}"
        last = re.split(r"[.\[]", path)[-1]
        name = "" if "." not in path and "[" not in path else last
        return Place(sheet, ref, i18n.name(name, _lang(sheet)))

    def _sheet_place(self, path: str) -> Place:
        table = re.split(r"[.\[]", path, maxsplit=1)[0]
        for sheet in SHEETS:
            if any(k.table == table for k in sheet.keys) or (
                table == "compare" and sheet is AGREEMENTS
            ):
                found = self.sheets.get(sheet.name)
                return Place(found, "", "") if found else Place("", "", f"(no {sheet.name} sheet)")
        return Place("", "", path)


def read_workbook(source: str, data: bytes) -> Book:
    """Read the workbook ``data`` (named ``source`` in messages).

    Raises
    ------
    ScenarioError
        If it is not an ``.xlsx`` workbook that can be read at all, or is beyond what is
        read (:mod:`sim.workbook.bounds`: a value beyond the rows and columns read, too
        many shared strings, styles or cells); problems with what it holds are in
        :attr:`Book.problems` instead, to be reported with the checker's.
    """
    extents = inspect(source, data)
    grids, formulas = open_sheets(source, data, extents, data_only=False)
    computed = open_sheets(source, data, extents, data_only=True)[0] if formulas else {}
    book = Book(source)
    by_name = _sheets(book, grids)
    for title, (row, col) in formulas:
        line = computed.get(title, [])[row - 1 : row]
        value = line[0][col - 1] if line and col - 1 < len(line[0]) else None
        if value is None:
            book.fail(
                Place(title, f"{_column(col)}{row}", ""),
                Reason("book_formula"),
            )
        grids[title][row - 1][col - 1] = value
    party_ids: list[str] = []
    raw: dict[str, Any] = {}
    for sheet in SHEETS:
        found = by_name.get(sheet.name)
        if found is None:
            continue
        book.sheets[sheet.name] = found
        reader = _Records if sheet.shape == "records" else _Items
        reader(book, sheet, found, grids[found], raw, party_ids).read()
        if sheet.name == "parties":
            party_ids = [p["id"] for p in raw.get("parties", []) if isinstance(p.get("id"), str)]
            book.party_names = _party_names(raw.get("parties", []))
    book.data = {t: raw[t] for t in TABLES if t in raw}
    return book


def _party_names(parties: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """Each party's id → its id, name and Chinese name (those written)."""
    out: dict[str, tuple[str, ...]] = {}
    for p in parties:
        pid = p.get("id") if isinstance(p, dict) else None
        if isinstance(pid, str) and pid:
            names = (pid, p.get("name"), p.get("name_zh"))
            out[pid] = tuple(dict.fromkeys(n for n in names if isinstance(n, str) and n.strip()))
    return out


# --------------------------------------------------------------------------- sheets found


def _sheets(book: Book, grids: dict[str, Grid]) -> dict[str, str]:
    """Sheet name (``firms``) → the title of the sheet that holds it."""
    names = {normal(n): s.name for s in SHEETS for n in (s.name, s.zh)}
    by_name: dict[str, str] = {}
    for title in grids:
        n = normal(title)
        if title.startswith("#") or n in (normal(NOTES[0]), normal(NOTES[1])):
            continue
        name = names.get(n)
        if name is None:
            known = ", ".join(f"{s.name} ({s.zh})" for s in SHEETS)
            book.fail(Place(title, "", ""), Reason("unknown_sheet", known=known))
        elif name in by_name:
            zh = next(s.zh for s in SHEETS if s.name == name)
            book.fail(
                Place(title, "", ""),
                Reason("second_sheet", name=name, zh=zh, first=by_name[name]),
            )
        else:
            by_name[name] = title
    return by_name


# --------------------------------------------------------------------------- sheets


class _SheetReader:
    def __init__(
        self,
        book: Book,
        sheet: Sheet,
        title: str,
        grid: Grid,
        raw: dict[str, Any],
        party_ids: Sequence[str],
    ) -> None:
        self.book = book
        self.sheet = sheet
        self.title = title
        self.grid = grid
        self.raw = raw
        self.party_ids = party_ids
        self.lang = _lang(title)

    def cell(self, row: int, col: int) -> Any:
        line = self.grid[row - 1] if row - 1 < len(self.grid) else []
        return line[col - 1] if col - 1 < len(line) else None

    def fail(self, row: int, col: int, reason: str, name: str = "") -> None:
        ref = f"{_column(col)}{row}" if row else f"{_column(col)}:{_column(col)}"
        self.book.fail(Place(self.title, ref, name), reason)

    @property
    def amount_unit(self) -> str:
        """The scenario's unit of amounts, as read so far (the scenario sheet first)."""
        unit = self.raw.get("meta", {}).get("unit")
        return unit if isinstance(unit, str) and unit.strip() else "100m CNY"

    def value(self, k: Key, row: int, col: int) -> Any:
        """The cell's value for key ``k`` (:func:`sim.workbook.cells.convert`; a fiscal
        parameter's cell may hold a schedule by year, :func:`convert_schedule`)."""
        if k.path in SCHEDULED:
            start = self.raw.get("horizon", {}).get("start_year")
            first = start if isinstance(start, int) else 1900  # before any horizon
            steps = convert_schedule(k, self.cell(row, col), self.amount_unit, first)
            if steps is not None:
                return steps
        return convert(k, self.cell(row, col), self.amount_unit)

    def store(self, segments: Segments, value: Any, row: int, col: int, name: str) -> None:
        """Put a cell's value (if any) in the mapping and remember where it came from; a
        value read differently from how it was typed is noted, one with a unit its key
        does not take refused."""
        self.book.cells[key_path(segments)] = _Cell(self.title, row, col, name)
        if isinstance(value, Refused):
            self.fail(row, col, value.reason, name)
            return
        typed = self.cell(row, col)
        if typed_differently(typed, value):
            place = Place(self.title, f"{_column(col)}{row}", "")
            self.book.read_as.append(ReadAs(str(place), str(typed).strip(), show(value)))
        if not empty(value):
            put(self.raw, segments, value)

    def filled_columns(self, top: int) -> set[int]:
        """The columns with a value below row ``top``."""
        return {c for line in self.grid[top:] for c, v in enumerate(line, start=1) if not empty(v)}

    def header_row(self, known: set[str]) -> int:
        """The first of the top rows that names a known column (0: none)."""
        for r in range(1, min(len(self.grid), HEADER_ROWS) + 1):
            line = self.grid[r - 1]
            if any(isinstance(v, str) and normal(v) in known for v in line):
                return r
        return 0


class _Records(_SheetReader):
    """A sheet with a row per party, firm, land sale or year."""

    def read(self) -> None:
        found = self.columns()
        if found is None:
            return
        top, columns, self.names = found
        rows = [
            r
            for r in range(top + 1, len(self.grid) + 1)
            if any(not empty(self.cell(r, c)) for c in columns)
        ]
        array = self.sheet.array
        if array and rows:
            self.raw.setdefault(array, [])
        years: dict[str, int] = {}
        for i, r in enumerate(rows):
            self.row(i, r, columns, years)

    def columns(self) -> tuple[int, dict[int, Key | None], dict[int, str]] | None:
        """The header row; column → its key (``None``: the slot's own column, capex's
        year) and its header without the unit."""
        lookup: dict[str, Key | None] = {h: k for k in self.sheet.keys for h in headers(k)}
        lookup |= {normal(h): None for h in SLOT_COLUMN.get(self.sheet.slot, ())}
        top = self.header_row(set(lookup))
        if not top:
            if self.grid:
                self.fail(1, 1, Reason("no_header", known=self.known()))
            return None
        columns: dict[int, Key | None] = {}
        names: dict[int, str] = {}
        filled = self.filled_columns(top)
        head = self.grid[top - 1]  # a value past the last header is a column too
        for c in range(1, max([len(head), *filled]) + 1):
            value = head[c - 1] if c <= len(head) else None
            text = "" if value is None else str(value).strip()
            if self.header(top, c, text, lookup, columns, filled):
                columns[c] = lookup[normal(text)]
                names[c] = re.sub(r"\s*[\[(（][^\[\]()（）]*[\])）]\s*$", "", text)
        for k in self.sheet.keys:
            if k not in columns.values():
                self.book.absent[k.path] = Place(self.title, f"{top}:{top}", k.label(self.lang))
        return top, columns, names

    def header(
        self,
        top: int,
        c: int,
        text: str,
        lookup: dict[str, Key | None],
        taken: dict[int, Any],
        filled: set[int],
    ) -> bool:
        """Whether column ``c`` headed ``text`` is read (its problem reported if it is not)."""
        if text.startswith("#"):
            return False
        if not text:
            if c in filled:  # named by its first value's cell
                below = range(top + 1, len(self.grid) + 1)
                r = next(r for r in below if not empty(self.cell(r, c)))
                self.fail(r, c, Reason("column_without_header"))
            return False
        n = normal(text)
        if n not in lookup:
            self.fail(top, c, Reason("unknown_column", got=repr(text), known=self.known()))
            return False
        twice = next((d for d, k in taken.items() if k == lookup[n]), None)
        if twice is not None:
            self.fail(top, c, Reason("second_column", got=repr(text), first=_column(twice)))
            return False
        return True

    def known(self) -> str:
        """The columns this sheet may have, in its language."""
        slot_names = SLOT_COLUMN.get(self.sheet.slot, ())
        own = [i18n.pick(self.lang, *slot_names)] if slot_names else []
        return ", ".join(own + [k.label(self.lang) for k in self.sheet.keys])

    def row(self, i: int, r: int, columns: dict[int, Key | None], years: dict[str, int]) -> None:
        array, slot = self.sheet.array, self.sheet.slot
        ident = self.ident(r, columns, years)
        for c, k in columns.items():
            if k is None:
                continue
            value = self.value(k, r, c)
            if array and k.table == array:
                segments: Segments = (array, i, k.name)
            elif ident is None:
                continue
            else:
                segments = tuple(ident if p == slot else p for p in k.path.split("."))
            self.store(segments, value, r, c, self.names[c])
        if array:
            self.raw[array].extend({} for _ in range(i + 1 - len(self.raw[array])))
        row_path = f"{array}[{i}]" if array else (f"investment.capex.{ident}" if ident else "")
        if row_path:
            last = max(columns)
            name = ident if ident is not None and array != "land_sales" else f"row {r}"
            ref = f"{_column(min(columns))}{r}:{_column(last)}{r}"
            self.book.groups[row_path] = Place(self.title, ref, name)

    def ident(self, r: int, columns: dict[int, Key | None], years: dict[str, int]) -> str | None:
        """The id that names row ``r`` (a party's or firm's id, capex's year), if any."""
        id_key = self.sheet.id_key
        for c, k in columns.items():
            if id_key is not None and k == id_key:
                value = self.value(k, r, c)
                return value if isinstance(value, str) and value else None
            if k is None:  # capex: the year
                value = convert_year(self.cell(r, c))
                if value is None:
                    self.fail(r, c, Reason("row_without_year"), self.names[c])
                    return None
                if value in years:
                    self.fail(r, c, Reason("again", got=value, row=years[value]), self.names[c])
                    return None
                years[value] = r
                return value
        return None


class _Items(_SheetReader):
    """A sheet with a row per key: the scenario's settings, or the agreements."""

    def read(self) -> None:
        key_names = {normal(n) for n in ("key", "键")}
        top = self.header_row(key_names)
        if not top:
            if self.grid:
                self.fail(1, 1, Reason("no_header_key"))
            return
        header = self.grid[top - 1]
        spots = {normal(str(v)): c for c, v in enumerate(header, start=1) if isinstance(v, str)}
        key_col = next(spots[n] for n in key_names if n in spots)
        self.book.key_columns[self.title] = key_col
        label_col = next((spots[n] for n in ("item", "项目") if n in spots), 0)
        unit_col = next((spots[n] for n in ("unit", "单位") if n in spots), 0)
        first = max(key_col, label_col, unit_col) + 1
        width = max((len(line) for line in self.grid), default=0)
        rows = self.rows(top, key_col, label_col, first, width)
        self.values(top, rows, self.value_columns(top, first, width))

    def rows(self, top: int, key_col: int, label_col: int, first: int, width: int
             ) -> dict[Item, int]:  # fmt: skip
        """Each item → its row; the sheet's keys without a row are noted as absent."""
        candidates = items(self.sheet, self.party_ids)
        rows: dict[Item, int] = {}
        for r in range(top + 1, len(self.grid) + 1):
            item = self.item(r, key_col, label_col, candidates, first, width)
            if item is None:
                continue
            if item in rows:
                self.fail(
                    r, key_col, Reason("again", got=repr(item.text(self.sheet)), row=rows[item])
                )
                continue
            rows[item] = r
        for k in self.sheet.keys:
            if not any(i.key == k for i in rows):
                self.book.absent[k.path] = Place(self.title, "", k.label(self.lang))
        return rows

    def values(self, top: int, rows: dict[Item, int], columns: list[int]) -> None:
        """Every value column's cells, into the mapping (each agreement's column apart)."""
        for j, c in enumerate(columns):
            root: Segments = ("sharing",) if j == 0 else ("compare", j - 1)
            if self.sheet is not AGREEMENTS:
                root = ()
            filled = False
            for item, r in rows.items():
                value = self.value(item.key, r, c)
                name = item.key.label(self.lang, item.slot)
                self.store((*root, *item.segments()), value, r, c, name)
                filled |= not empty(value)
            if root and filled:
                head = self.cell(top, c)
                self.book.groups[key_path(root)] = Place(
                    self.title, f"{_column(c)}:{_column(c)}", str(head or "")
                )

    def item(
        self,
        r: int,
        key_col: int,
        label_col: int,
        candidates: Sequence[Item],
        first: int,
        width: int,
    ) -> Item | None:
        text = self.cell(r, key_col)
        label = self.cell(r, label_col) if label_col else None
        has_values = any(not empty(self.cell(r, c)) for c in range(first, width + 1))
        if isinstance(text, str) and text.strip().startswith("#"):
            return None
        if isinstance(text, str) and text.strip():
            found = item_key(self.sheet, text.strip())
            if found is None:
                known = [c.text(self.sheet) for c in candidates]
                self.fail(r, key_col, unknown_sheet_key(text.strip(), known))
            elif found.key.slot == "<party>" and found.slot not in self.party_ids:
                found = Item(found.key, self.party_named(found.slot))
            return found
        if isinstance(label, str) and label.strip():
            n = normal(label)
            for item in candidates:
                if n in self.labels(item):
                    return item
            if has_values:
                self.fail(r, label_col, Reason("unknown_item", got=repr(label.strip())))
            return None
        if has_values:
            self.fail(r, key_col, Reason("row_without_key"))
        return None

    def labels(self, item: Item) -> set[str]:
        """What column B may call ``item`` (as compared), in either language: a party's
        row by its id, name or Chinese name (``广安（四川）：税收分成比例``)."""
        slots = [item.slot]
        if item.key.slot == "<party>":
            slots += self.book.party_names.get(item.slot, ())
        return {normal(item.key.label(lang, s)) for lang in ("en", "zh") for s in slots}

    def party_named(self, text: str) -> str:
        """The id of the one party ``text`` names by its id, name or Chinese name (as
        compared), else ``text`` (an unknown party, for the checker to report)."""
        n = normal(text)
        found = {pid for pid, names in self.book.party_names.items() if n in map(normal, names)}
        return found.pop() if len(found) == 1 else text

    def value_columns(self, top: int, first: int, width: int) -> list[int]:
        """The value columns: the first always (``[sharing]``), the others where filled."""
        filled = sorted(c for c in self.filled_columns(top) if first <= c <= width)
        if self.sheet is not AGREEMENTS:
            for c in filled:
                if c != first:
                    self.fail(0, c, Reason("beside_value"))
            return [first]
        return [first, *(c for c in filled if c != first)]


def _column(c: int) -> str:
    """The letters of column ``c`` (1 → A, 27 → AA)."""
    out = ""
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def _lang(title: str) -> str:
    return title_lang(title)


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
