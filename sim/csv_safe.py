"""Every CSV file and spreadsheet text cell ``sim`` writes: never read as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, WPS and LibreOffice as a formula when the file is opened (CSV injection, e.g. a
label ``=HYPERLINK(…)`` or a unit ``+cmd|' /C calc'!A0``). OWASP's rule, applied here:

- **CSV**: such a text cell is written with a leading ``'``, which spreadsheets show as
  text. Numbers stay numbers (``-2.5`` is written as ``-2.5``), and so does text that is
  just a decimal number (``"-5"``): no spreadsheet runs it. Column names get the same rule.
- **xlsx**: text is stored as a text cell (never a formula) marked *quote prefix*, so that
  editing the cell does not turn it into one either; the value itself is unchanged, so a
  workbook still reads back as the scenario it was written from.

:func:`write_csv` is the only place in ``sim`` that writes a CSV file (a test greps the
package for any other ``to_csv`` or ``csv.writer``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMULA_START", "safe_cell", "safe_frame", "text_cell", "text_cells", "write_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell that a spreadsheet reads as a formula starts (OWASP)."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell: text a spreadsheet would read as a formula gets a ``'``.

    Examples
    --------
    >>> safe_cell("=1+1"), safe_cell("+cmd|' /C calc'!A0"), safe_cell("Linshui")
    ("'=1+1", "'+cmd|' /C calc'!A0", 'Linshui')
    >>> safe_cell(-2.5), safe_cell("-2.5"), safe_cell("-2+3")
    (-2.5, '-2.5', "'-2+3")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: Any) -> Any:
    """A copy of pandas DataFrame ``frame`` with every text cell and column name made safe
    (:func:`safe_cell`); numeric, boolean and date columns are left as they are."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind not in "biufcmM":  # object, str, string, category
            # only the text cells: a column of rates and whole years stays 0.03, 2025
            cells = out[col].astype(object)
            text = cells.map(lambda v: isinstance(v, str)).astype(bool)
            out[col] = cells.mask(text, cells[text].map(safe_cell))
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(path: Path | IO[str], frame: Any) -> None:
    """Write pandas DataFrame ``frame`` to ``path`` as CSV (without its index), every text
    cell and column name made safe (:func:`safe_cell`). The one CSV writer of ``sim``.

    Records end in CRLF, as RFC 4180 has it: then a text cell holding a carriage return
    is quoted too (Python's CSV writer quotes only the line end's characters), and no
    reader takes it for the end of a row."""
    safe_frame(frame).to_csv(path, index=False, lineterminator="\r\n")


def text_cell(cell: Any, value: str) -> None:
    """Put text ``value`` in openpyxl ``cell`` as text, never a formula (quote-prefixed
    where it starts like one, so that editing it keeps it text)."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def text_cells(sheet: Any) -> None:
    """Make every text cell of openpyxl worksheet ``sheet`` text (:func:`text_cell`): what
    openpyxl took for a formula (text starting with ``=``) included."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                text_cell(cell, cell.value)
