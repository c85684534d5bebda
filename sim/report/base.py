"""What a report is: its :class:`Report` and :class:`Figure` records, and the wording
every report shares (by concept, :data:`sim.i18n.PHRASES`, in English or Chinese).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim import i18n, plots, style
from sim.scenario import Scenario

Draw = Callable[[Any], Any]


def shown_path(path: str | Path) -> str:
    """A file as a report names it: relative to the working folder where it lies inside
    it, else by its name alone (no absolute local paths in a document that travels)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return p.name


def _rule_text(scenario: Scenario | None, label: str, lang: str) -> str:
    from sim.output import agreement_name

    return agreement_name(scenario, label, lang)


def _t(text: str, lang: str) -> str:
    return i18n.phrase(text, lang)


@dataclass(frozen=True)
class Figure:
    """A figure of a report: its key, title, caption and how to draw it."""

    key: str
    title: str
    caption: str
    draw: Draw
    """Called with an Axes (inside sim's style) to draw the figure."""
    size: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        # `sim plot --kind` draws any figure a report draws: its key names a kind
        if style.figure_kind(self.key) is None:
            raise ValueError(f"figure key {self.key!r} is of no kind in sim.style.FIGURE_KINDS")

    def render(self, lang: str, fmt: str = "png", dpi: int | None = None) -> bytes:
        """The figure drawn in sim's style, as the bytes of a PNG, SVG or PDF file
        (``dpi``: of a PNG, instead of sim's 200)."""
        with plots.figure(lang, self.size) as (fig, ax):
            self.draw(ax)
            return style.to_bytes(fig, fmt, dpi=dpi)


@dataclass(frozen=True)
class Report:
    """A report: title, summary lines, tables and figures, in one language."""

    title: str
    lang: str
    summary: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame]
    figures: list[Figure] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """Sentences a reader needs first (:func:`sim.briefing.findings`), shown up front."""


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def _flows_heading(p: str, names: dict[str, str], lang: str) -> str:
    """A party's yearly-flows table: its code first (the workbook's sheet keeps 31
    characters of it), then its name."""
    name = names.get(p, p)
    who = p if name == p else i18n.t("name_in_brackets", lang, code=p, name=name)
    return f"{_t('yearly_flows', lang)} {who}"


_SHARE = {lang: i18n.t("share_suffix", lang) for lang in i18n.LANGS}
"""The suffix of a column holding a party's share of a total (statistics counted)."""
