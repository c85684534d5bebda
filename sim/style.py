"""One look for every figure: party colours, fonts (Chinese included), labels in two languages.

- Colours: the Okabe–Ito palette (Okabe & Ito 2008, *Color Universal Design*), safe for
  the common forms of colour blindness; each party keeps its colour in every figure
  (by its position in the scenario), streams have their own fixed colours.
- Size: figures are drawn for half an A4 page (16 × 10 cm) at 200 dpi, 9-point text.
- Chinese: Noto Sans CJK SC (SIL Open Font License 1.1) — the system's where one is
  installed, else the subset to GB 2312 shipped in ``sim/fonts`` (3 MB; made by
  ``tools/make_cjk_subset.py``). Without either, Chinese output fails with a clear
  message instead of drawing empty boxes.
- Stable files: no dates or random ids are written into PNG, SVG or PDF, so the same
  inputs give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sim import i18n
from sim.errors import SimError
from sim.i18n import unit

__all__ = [
    "FIGURE_KINDS",
    "PARTY_COLOURS",
    "STREAM_COLOURS",
    "FontMissingError",
    "Note",
    "apply",
    "cjk_font",
    "feature_label",
    "figure_kind",
    "indicator_label",
    "label",
    "save",
    "to_bytes",
    "unit",
]

PARTY_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
STREAM_COLOURS = {
    "tax": "#0072B2",
    "land": "#E69F00",
    "dividends": "#009E73",
    "investment": "#999999",
    "net": "#000000",
}
"""A colour for each stream; a further clause stream takes the next of
:data:`FURTHER_COLOURS` (:func:`stream_colour`)."""
FURTHER_COLOURS = ("#CC79A7", "#D55E00", "#56B4E9")


def stream_colour(stream: str, streams: tuple[str, ...]) -> str:
    """The colour of ``stream`` among ``streams`` (every stream of the figure)."""
    if stream in STREAM_COLOURS:
        return STREAM_COLOURS[stream]
    further = [s for s in streams if s not in STREAM_COLOURS]
    return FURTHER_COLOURS[further.index(stream) % len(FURTHER_COLOURS)]


SHIPPED_FONT = Path(__file__).resolve().parent / "fonts" / "sim-cjk-sc.otf"
"""Noto Sans CJK SC cut down to GB 2312 (see ``sim/fonts/OFL.txt``)."""

COLON = {lang: i18n.colon(lang) for lang in i18n.LANGS}
"""The colon between a label and what it labels, as each language writes it."""

FIGURE_KINDS: dict[str, str] = {
    "comparison": "a scenario file",
    "waterfall": "a scenario file (per party)",
    "flows": "a scenario file or a `sim run --out` folder (per party)",
    "transfers": "a scenario file or a `sim run --out` folder",
    "distribution": "a sweep folder",
    "fan": "a sweep folder",
    "heatmap": "a sweep folder",
    "band": "a sweep folder",
    "robust": "a sweep folder",
    "tradeoff": "a sweep folder (per party; the first box PRIM found)",
    "box": "a sweep folder (per party; the first box PRIM found)",
    "tornado": "a `sim sensitivity` folder or a sweep file (per party)",
    "sobol": "a `sim sensitivity` folder or a sweep file with independent inputs (per party)",
    "shapley": "a `sim sensitivity` folder or a sweep file with correlated inputs (per party; "
    "Shapley effects, drawn instead of Sobol indices)",
    "morris": "a `sim sensitivity` folder or a sweep file (per party)",
    "portfolio-gain": "a portfolio file (each park's, the fund's and the total gain)",
    "portfolio-budget": "a portfolio file (per party: its net flows by budget and year)",
    "portfolio-package": "a portfolio file (the drafted package against fair-division rules)",
    "portfolio-robust": "a portfolio sweep folder (how often each package leaves every party "
    "better off than standing alone)",
}
"""Every kind of figure a report draws, and what it is drawn from: the keys of a report's
figures start with one of these (:class:`sim.report.Figure` refuses any other key), and
``sim plot --kind`` takes exactly these."""


def figure_kind(key: str) -> str | None:
    """The kind of the figure keyed ``key`` (a figure per party is keyed kind-party), or
    None if it is of no kind in :data:`FIGURE_KINDS`."""
    kinds = [k for k in FIGURE_KINDS if key == k or key.startswith(f"{k}-")]
    return max(kinds, key=len) if kinds else None


FIGSIZE = (16 / 2.54, 10 / 2.54)
DPI = 200


@dataclass(frozen=True)
class Note:
    """A remark attached to a result, written in either language from one template."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The note in ``lang``."""
        return i18n.t(self.key, lang, **self.params)


class FontMissingError(SimError):
    """Chinese text was asked for and no CJK font can be found."""

    exit_code = 2


def label(key: str, lang: str = "en") -> str:
    """The label ``key`` in ``lang`` (``en`` or ``zh``); unknown keys are returned as is
    (:func:`sim.i18n.t`)."""
    return i18n.t(key, lang)


def feature_label(feature: str, lang: str = "en") -> str:
    """The name of a feature of an agreement (a clause, compliance or floors) in ``lang``."""
    key = f"{feature}_clause" if f"{feature}_clause" in i18n.LABELS else feature
    return label(key, lang)


INDICATOR_KEYS = {
    "output": "output",
    "value_added": "value_added",
    "investment": "indicator_investment",
    "tax": "indicator_tax",
}
"""The catalogue's key of each statistic the statistics clause counts."""


def indicator_label(name: str, lang: str = "en") -> str:
    """A statistic's name in ``lang``: ``value added``, ``增加值``."""
    return i18n.pick(lang, name.replace("_", " "), i18n.t(INDICATOR_KEYS.get(name, name), lang))


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str]:
    """``(family name, file)`` of the CJK font for Chinese figures: a system Noto Sans
    CJK SC where the machine has one (every character), else the subset shipped in
    ``sim/fonts`` (GB 2312: every character of everyday simplified Chinese).

    Raises
    ------
    FontMissingError
        If neither is there (a broken install).
    """
    from matplotlib import font_manager

    candidates: list[Path] = []
    # single-face files only: matplotlib reads the first face of a .ttc collection,
    # which in Debian's NotoSansCJK-Regular.ttc is the Japanese one
    for pattern in ("NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"):
        for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
            candidates += sorted(Path(root).rglob(pattern)) if Path(root).is_dir() else []
    candidates.append(SHIPPED_FONT)
    for path in candidates:
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name(), str(path)
    raise FontMissingError(
        f"Chinese output needs a CJK font and {SHIPPED_FONT} is missing: reinstall sim, "
        "or install Debian's fonts-noto-cjk"
    )


def apply(lang: str = "en") -> dict[str, Any]:
    """The rcParams of every sim figure (as a dict for ``plt.rc_context``)."""
    families = ["DejaVu Sans"]
    if i18n.is_zh(lang):
        families = [cjk_font()[0], "DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.unicode_minus": True,  # the shipped CJK font has U+2212
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "svg.hashsalt": "sim",  # stable ids inside SVG files
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
    }


_STABLE_METADATA: dict[str, dict[str, Any]] = {  # no dates; "sim" marks what sim wrote
    "png": {"Software": "sim"},
    "svg": {"Date": None, "Creator": "sim"},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": "sim"},
}


def to_bytes(fig: Any, fmt: str = "png", *, dpi: int | None = None) -> bytes:
    """``fig`` as PNG, SVG or PDF bytes, without dates or other varying metadata
    (``dpi``: of a PNG, instead of the style's :data:`DPI`)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=_STABLE_METADATA.get(fmt, {}), dpi=dpi)
    return buf.getvalue()


def save(fig: Any, path: str | Path, fmt: str | None = None) -> Path:
    """Save ``fig`` (format from ``fmt`` or the suffix) as :func:`to_bytes` does."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(fig, fmt or path.suffix.lstrip(".") or "png"))
    return path
