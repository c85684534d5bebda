"""A workbook's sheets as rows of values, read by openpyxl within the extent of each
sheet that :func:`sim.workbook.bounds.inspect` found (never the size a sheet states)."""

from __future__ import annotations

import io
import re
import warnings
from functools import partial
from operator import is_not
from typing import Any

from sim.errors import Problem, ScenarioError
from sim.i18n import Reason
from sim.workbook.bounds import Extent, _letters, title_lang
from sim.workbook.layout import NOTES

__all__ = ["Grid", "open_sheets"]

Grid = list[list[Any]]
"""A sheet's values: a list per row (empty rows kept, trailing empty cells dropped)."""


def open_sheets(
    source: str, data: bytes, extents: dict[str, Extent], *, data_only: bool
) -> tuple[dict[str, Grid], list[tuple[str, tuple[int, int]]]]:
    """Every sheet's values (rows of cells, up to the last that holds one, as
    :func:`sim.workbook.bounds.inspect` found them), and where formulas are."""
    import openpyxl

    grids: dict[str, Grid] = {}
    formulas: list[tuple[str, tuple[int, int]]] = []
    merged: list[Problem] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns of what it does not read (extensions, print settings)
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
            )
            try:
                for ws in wb.worksheets:
                    extent = _extent(source, ws, extents)
                    grids[ws.title] = _grid(ws, extent, formulas)
                    merged += _merged(ws.title, extent.merged, grids[ws.title])
            finally:
                wb.close()
    except ScenarioError:
        raise
    except Exception as exc:  # openpyxl's failures on a damaged file are not a closed set
        reason = Reason("unreadable_xlsx", kind=type(exc).__name__, error=exc)
        raise ScenarioError(source, [Problem("", reason)]) from None
    if merged:
        lang = "zh" if any(title_lang(t) == "zh" for t in grids) else "en"
        raise ScenarioError(source, merged[:5], lang)
    return grids, formulas


def _merged(title: str, ranges: tuple[str, ...], grid: Grid) -> list[Problem]:
    """A problem for each range of merged cells of ``grid`` (sheet ``title``) whose first
    cell holds a value: Excel shows that value across the range, but the file holds it in
    the first cell only, so the others would be read as empty (a default put in silently
    where the sheet shows a number). The notes sheet is never read."""
    if title in NOTES:
        return []
    problems = []
    for ref in ranges:
        found = _RANGE.fullmatch(ref.replace("$", "").upper())
        if found is None or found.group(1, 2) == found.group(3, 4):  # not a range, or a single cell
            continue
        col, row = _letters(found[1]), int(found[2])
        line = grid[row - 1] if 0 < row <= len(grid) else []
        if not (0 < col <= len(line)) or _blank(line[col - 1]):
            continue
        reason = Reason("book_merged", first=f"{found[1]}{found[2]}")
        problems.append(Problem("", reason, f"{_title(title)}!{ref}"))
    return problems


def _extent(source: str, ws: Any, extents: dict[str, Extent]) -> Extent:
    """Where ``ws``'s values are, as the bounds found them in its part."""
    extent = extents.get(getattr(ws, "_worksheet_path", ""))
    if extent is None:  # openpyxl found a sheet where the bounds did not: never read blind
        reason = Reason("sheet_unchecked")
        raise ScenarioError(source, [Problem("", reason, _title(ws.title))])
    return extent


def _grid(ws: Any, extent: Extent, formulas: list[tuple[str, tuple[int, int]]]) -> Grid:
    """The sheet's values within ``extent`` (its dimension as written is not trusted).

    Only the cells a row has are looked at: openpyxl fills a row out to the sheet's width
    with one empty cell, passed over at C speed (a sheet 20,000 rows long with one value
    in its 500th column took 9 s more than the template when every cell was looked at,
    2.5 s now)."""
    from openpyxl.cell.read_only import EMPTY_CELL

    rows: Grid = []
    if not extent.rows:
        return rows
    for r, row in enumerate(
        ws.iter_rows(min_row=1, min_col=1, max_row=extent.rows, max_col=extent.columns), start=1
    ):
        cells = list(filter(partial(is_not, EMPTY_CELL), row))
        values: list[Any] = [None] * (cells[-1].column if cells else 0)
        for cell in cells:
            if cell.data_type == "f":
                formulas.append((ws.title, (r, cell.column)))
            values[cell.column - 1] = cell.value
        while values and _blank(values[-1]):
            values.pop()
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    return rows


_RANGE = re.compile(r"([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _title(title: str) -> str:
    return f"'{title}'" if re.search(r"[^\w]", title) else title
