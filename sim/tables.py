"""Plain-text tables for the terminal: aligned columns, a Chinese character two wide.

On the ground floor so that every text renderer (:mod:`sim.output`, the sweep summary,
settlement statements) can print a table without importing the others.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["table", "width"]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """Align columns: the first ``left`` columns to the left, the rest to the right."""
    cols = list(zip(header, *rows, strict=True))
    widths = [max(width(c) for c in col) for col in cols]

    def pad(c: str, w: int, to_left: bool) -> str:
        fill = " " * (w - width(c))
        return c + fill if to_left else fill + c

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            pad(c, w, i < left) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
