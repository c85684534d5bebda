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

from collections.abc import Iterable
from typing import Any

from sim.i18n import Reason
from sim.schema import TABLES
from sim.workbook.book import Book, Place, column
from sim.workbook.bounds import inspect
from sim.workbook.grids import Grid, open_sheets
from sim.workbook.layout import NOTES, SHEETS, normal
from sim.workbook.sheets import Items, Records

__all__ = ["Book", "Place", "read_workbook"]


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
                Place(title, f"{column(col)}{row}", ""),
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
        reader = Records if sheet.shape == "records" else Items
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
