"""The numbered parts of a report, listed once for every format that writes it.

The HTML page and the Word document number their tables and figures from the lists
here — "Table 1." / "表 1." above each table, "Figure 1." / "图 1." below each figure —
so the two formats of the same report carry the same numbers and captions in the same
order. A tidy table (``… (tidy)``) is an export for the workbook only: never shown,
never numbered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim import style

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Numbered", "caption_label", "caption_text", "numbered_figures", "numbered_tables"]


@dataclass(frozen=True)
class Numbered:
    """A table or figure as a report shows it: its number, and what it holds."""

    kind: str
    """``"table"`` or ``"figure"``."""
    number: int
    item: Any
    """The table (a DataFrame) or the :class:`~sim.report.Figure`."""
    caption: str

    def label(self, lang: str) -> str:
        """The number as the caption starts, e.g. ``Table 2`` or ``表 2``."""
        return caption_label(self.kind, self.number, lang)


def caption_label(kind: str, number: int, lang: str) -> str:
    """``Table 2`` / ``表 2``, ``Figure 1`` / ``图 1``: a caption's number in ``lang``."""
    return f"{style.label(f'{kind}_number', lang)} {number}"


def numbered_tables(tables: dict[str, pd.DataFrame]) -> list[Numbered]:
    """The tables a report shows, numbered from 1 in order, each captioned by its name."""
    shown = [(name, frame) for name, frame in tables.items() if "(tidy)" not in name]
    return [Numbered("table", i, frame, name) for i, (name, frame) in enumerate(shown, start=1)]


def caption_text(fig: Any, lang: str) -> str:
    """A figure's title and caption as one sentence pair, punctuated for ``lang``."""
    return f"{fig.title}{style.label('full_stop', lang)}{fig.caption}"


def numbered_figures(figures: list[Any], lang: str) -> list[Numbered]:
    """The figures of a report, numbered from 1 in order, each with its
    :func:`caption_text`."""
    return [
        Numbered("figure", i, fig, caption_text(fig, lang))
        for i, fig in enumerate(figures, start=1)
    ]
