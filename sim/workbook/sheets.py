"""The sheet readers of a workbook: :class:`Records`, a sheet with a row per party,
firm, land sale or year, and :class:`Items`, a sheet with a row per key (the scenario's
settings, the agreements); each puts its cells' values into the scenario mapping and
notes in the :class:`~sim.workbook.book.Book` where each came from and what is wrong
with the sheet itself (an unknown or second column, a row without a key, a year twice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sim import i18n
from sim.i18n import Reason
from sim.schema import SCHEDULED, Key
from sim.schema.typed import ReadAs, Refused, show, unknown_sheet_key
from sim.workbook.book import Book, Cell, Place, column
from sim.workbook.bounds import title_lang
from sim.workbook.cells import (
    convert,
    convert_schedule,
    convert_year,
    empty,
    typed_differently,
)
from sim.workbook.grids import Grid
from sim.workbook.layout import (
    AGREEMENTS,
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

__all__ = ["Items", "Records", "SheetReader"]

HEADER_ROWS = 10
"""Rows searched for a sheet's header (a title may stand above it)."""


class SheetReader:
    """What reading any sheet takes: its cells, its problems, its values stored."""

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
        self.lang = title_lang(title)

    def cell(self, row: int, col: int) -> Any:
        """The value of the cell at ``row``, ``col`` (1-based; ``None`` beyond the grid)."""
        line = self.grid[row - 1] if row - 1 < len(self.grid) else []
        return line[col - 1] if col - 1 < len(line) else None

    def fail(self, row: int, col: int, reason: str, name: str = "") -> None:
        """A problem of the sheet at ``row``, ``col`` (row 0: the whole column)."""
        ref = f"{column(col)}{row}" if row else f"{column(col)}:{column(col)}"
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
        value = convert(k, self.cell(row, col), self.amount_unit)
        if k.path == "meta.unit" and value == i18n.unit("100m CNY", "zh"):
            return "100m CNY"  # the same unit by its Chinese name (noted as read)
        return value

    def store(self, segments: Segments, value: Any, row: int, col: int, name: str) -> None:
        """Put a cell's value (if any) in the mapping and remember where it came from; a
        value read differently from how it was typed is noted, one with a unit its key
        does not take refused."""
        self.book.cells[key_path(segments)] = Cell(self.title, row, col, name)
        if isinstance(value, Refused):
            self.fail(row, col, value.reason, name)
            return
        typed = self.cell(row, col)
        if typed_differently(typed, value):
            place = Place(self.title, f"{column(col)}{row}", "")
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


class Records(SheetReader):
    """A sheet with a row per party, firm, land sale or year."""

    def read(self) -> None:
        """Read every row into the mapping."""
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
            self.fail(top, c, Reason("second_column", got=repr(text), first=column(twice)))
            return False
        return True

    def known(self) -> str:
        """The columns this sheet may have, in its language."""
        slot_names = SLOT_COLUMN.get(self.sheet.slot, ())
        own = [i18n.pick(self.lang, *slot_names)] if slot_names else []
        return i18n.listing(own + [k.label(self.lang) for k in self.sheet.keys], self.lang)

    def row(self, i: int, r: int, columns: dict[int, Key | None], years: dict[str, int]) -> None:
        """Row ``r`` (the ``i``-th read) into the mapping, and its range as a group."""
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
            ref = f"{column(min(columns))}{r}:{column(last)}{r}"
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


class Items(SheetReader):
    """A sheet with a row per key: the scenario's settings, or the agreements."""

    def read(self) -> None:
        """Read every item's row, each value column apart, into the mapping."""
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
        below = top  # a key without a row: its row goes below the row of the key before it
        for k in self.sheet.keys:
            own = [r for i, r in rows.items() if i.key == k]
            if own:
                below = max(own)
                continue
            self.book.absent[k.path] = Place(self.title, "", k.label(self.lang))
            if not k.slot:  # one row: where to insert it, what to type in it
                at = Place(self.title, f"{column(key_col)}{below + 1}", k.label(self.lang))
                self.book.insert_at[k.path] = (at, Item(k).text(self.sheet), column(first))
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
                    self.title, f"{column(c)}:{column(c)}", str(head or "")
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
        """The item row ``r`` names by its key (or else by its label), if any."""
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
