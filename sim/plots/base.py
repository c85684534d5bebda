"""What every figure shares: :func:`figure` (a new figure in sim's style), the Axes,
party colours, the amount label and the legend below the figure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # headless: the CLI and the tests never open a window

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim import i18n, style
from sim.style import PARTY_COLOURS, label

__all__ = ["figure", "fit_title"]


@contextmanager
def figure(lang: str = "en", size: tuple[float, float] | None = None) -> Iterator[tuple[Any, Axes]]:
    """A new figure and Axes in sim's style; the figure is closed afterwards."""
    with plt.rc_context(cast(Any, style.apply(lang))):
        fig, ax = plt.subplots(figsize=size or style.FIGSIZE)
        try:
            yield fig, ax
        finally:
            plt.close(fig)


def _ax(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots()[1]


def _colour(parties: Sequence[str], party: str) -> str:
    return PARTY_COLOURS[list(parties).index(party) % len(PARTY_COLOURS)]


def _finite(values: Any) -> Any:
    """The finite values of an array (NaN marks an undefined scenario)."""
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _amount(unit: str, lang: str) -> str:
    return i18n.with_unit(label("npv", lang), style.unit(unit, lang), lang)


def _legend_below(ax: Axes, *, ncols: int, fontsize: str | None = None) -> None:
    """The legend under the figure, beneath the tick and axis labels (constrained layout
    makes room for it): never over a bar, a line or a label."""
    handles, labels = ax.get_legend_handles_labels()
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    fig.legend(
        handles,
        labels,
        ncols=ncols,
        frameon=False,
        loc="outside lower center",
        fontsize=fontsize,
    )


_BREAKS = "，、；：）) "
"""Where a title's line may be broken, after the character (a space is dropped)."""


def _halves(line: str) -> str:
    """``line`` broken in two near its middle: after the break character nearest the
    middle, else in the middle."""
    middle = len(line) // 2
    at = [i for i, ch in enumerate(line[1:-1], start=1) if ch in _BREAKS]
    cut = min(at, key=lambda i: abs(i - middle)) + 1 if at else middle
    return f"{line[:cut].rstrip()}\n{line[cut:].lstrip()}"


def fit_title(ax: Axes) -> None:
    """Break the Axes' title into lines until it lies inside the picture: a title wider
    than its chart (a long event over a box of conditions) ran to the picture's edge."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for _ in range(4):
        box = ax.title.get_window_extent(renderer)
        if box.x0 >= 0 and box.x1 <= fig.bbox.width:
            return
        lines = ax.get_title().split("\n")
        k = max(range(len(lines)), key=lambda i: len(lines[i]))
        lines[k] = _halves(lines[k])
        ax.title.set_text("\n".join(lines))
