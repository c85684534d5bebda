"""Writing a report: one self-contained HTML file (figures embedded as PNG, fonts
subset), each figure as a file, and the tables as an ``.xlsx`` workbook. No dates or
random ids go into any file, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import i18n, style
from sim.report.base import (
    _SHARE,
    Report,
    _t,
)
from sim.report_tables import numbered_figures, numbered_tables

_CSS = """body{font-family:'sim-cjk','Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',
'PingFang SC','DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.9em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child,td.t,th.t{text-align:left}
caption{text-align:left;font-size:.95em;padding:.8em 0 .3em}
figure{margin:1.2em 0 2em}img{max-width:100%}figcaption{font-size:.85em;color:#555}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}"""


def _percent_columns() -> frozenset[str]:
    """Column headings (English and Chinese) whose values are shares of scenarios: shown
    as percentages in the HTML and formatted so in the workbook."""
    keys = ["p_worse_source", "p_worse_alone", "p_all_alone", "p_all_source", "mass",
            "retained_share", "growth"]  # fmt: skip
    labels = ["p_accept", "p_accept_source", "coverage", "density"]
    both = ("en", "zh")
    words = [_t(k, g) for k in keys for g in both]
    return frozenset([*words, *(style.label(k, g) for k in labels for g in both)])


def _is_percent(name: Any) -> bool:
    """Whether a column holds shares or rates: of scenarios, of the pool (``…: share of the
    pool``), of a total (``… (share)``), or a growth rate."""
    text = str(name)
    shares = (style.label("share_of", "en"), style.label("share_of", "zh"), *_SHARE.values())
    return text in _percent_columns() or text.endswith(shares)


def cell_text(v: Any, pct: bool) -> str:
    """A table cell as reports show it (HTML and Word): shares as percentages, other
    numbers to 3 decimals, the typographic minus (none on what rounds to zero), a dash
    where there is no number."""
    if isinstance(v, float | np.floating):
        x = float(v)
        if not np.isfinite(x):
            return "—"
        text = f"{100 * x:.1f}%" if pct else f"{x:,.3f}"
        if text.startswith("-") and not text.strip("-0.,%"):
            text = text[1:]  # −0.000 is 0.000
        return text.replace("-", "−")
    return str(v)


def _html_table(frame: pd.DataFrame, caption: str = "") -> str:
    """``frame`` as an HTML table; ``caption`` (HTML) above it."""
    percent = [_is_percent(c) for c in frame.columns]

    def cell(v: Any, pct: bool) -> str:
        return html.escape(cell_text(v, pct))

    # a column of words (names, conditions, terms) reads from the left, numbers from the right
    words = [
        ' class="t"' if frame[c].map(lambda v: isinstance(v, str) or pd.isna(v)).all() else ""
        for c in frame.columns
    ]
    head = "".join(
        f"<th{w}>{html.escape(str(c))}</th>" for c, w in zip(frame.columns, words, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{w}>{cell(v, pct)}</td>" for v, pct, w in zip(row, percent, words, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    top = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{top}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(
    report: Report, out: str | Path, fmt: str = "png", *, force: bool = False
) -> list[Path]:
    """Write ``report.html`` (self-contained), each figure as ``fmt``, and ``tables.xlsx``.

    The folder is written aside and claimed atomically (:func:`sim.files.new_folder`):
    ``out`` must not exist, or with ``force`` be a report ``sim`` wrote.
    """
    from sim.files import new_folder

    dest = Path(out)
    with new_folder(dest, force=force, kind="report") as tmp:
        names = _write_report_files(report, tmp, fmt)
    return [dest / name for name in names]


def _write_report_files(report: Report, out: Path, fmt: str) -> list[str]:
    lang = report.lang
    written = []
    parts = [
        f'<!DOCTYPE html><html lang="{i18n.pick(lang, "en", "zh-CN")}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(report.title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(report.title)}</h1><dl>"
    ]
    parts += [f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in report.summary]
    parts.append("</dl>")
    if report.findings:
        parts.append(f'<h2>{html.escape(_t("findings", lang))}</h2><ul class="findings">')
        parts += [f"<li>{html.escape(line)}</li>" for line in report.findings]
        parts.append("</ul>")
    for table in numbered_tables(report.tables):  # numbered as the Word document's
        caption = f"<b>{table.label(lang)}.</b> {html.escape(table.caption)}"
        parts.append(_html_table(table.item, caption))
    parts.append(f"<h2>{html.escape(_t('figures', lang))}</h2>")
    for numbered in numbered_figures(report.figures, lang):
        fig = numbered.item
        png = fig.render(lang, "png")
        if fmt != "png":
            (out / f"{fig.key}.{fmt}").write_bytes(fig.render(lang, fmt))
        else:
            (out / f"{fig.key}.png").write_bytes(png)
        written.append(f"{fig.key}.{fmt}")
        data = base64.b64encode(png).decode()
        parts.append(
            f'<figure id="{fig.key}"><img alt="{html.escape(fig.title)}" '
            f'src="data:image/png;base64,{data}"><figcaption><b>{numbered.label(lang)}.</b> '
            f"{html.escape(numbered.caption)}</figcaption>"
            "</figure>"
        )
    parts.append("</body></html>\n")
    text = "".join(parts)
    if any(ord(ch) > 0x2E7F for ch in text):  # CJK text: carry the font in the page
        text = text.replace("<style>", f"<style>{_embedded_font(text)}", 1)
    (out / "report.html").write_text(text, encoding="utf-8")
    (out / "tables.xlsx").write_bytes(tables_xlsx(report.tables, report.findings, lang))
    return ["report.html", "tables.xlsx", *written]


def tables_xlsx(
    tables: dict[str, pd.DataFrame], findings: Sequence[str] = (), lang: str = "en"
) -> bytes:
    """The ``.xlsx`` workbook of a report's tables, each on a sheet, the findings first
    (one sentence per row); text never a formula, the same tables the same bytes."""
    from sim.files import xlsx_bytes

    sheets: dict[str, pd.DataFrame] = {}
    if findings:
        sheets = {_t("findings", lang): pd.DataFrame({_t("findings", lang): list(findings)})}
    sheets |= {tidy_sheet(name, lang): frame for name, frame in tables.items()}
    if any(name.endswith(TIDY) for name in tables):  # what the tables for programs are
        about = i18n.t("tidy_about", lang)
        sheets[about] = pd.DataFrame({about: [i18n.t("tidy_note", lang)]})
    return xlsx_bytes(lambda buffer: _write_tables(buffer, sheets))


TIDY = " (tidy)"
"""The end of a report table's name that is for programs (a row per value, its columns
named by stable English keys), never shown in the page or the document."""


def tidy_sheet(name: str, lang: str) -> str:
    """The sheet of report table ``name``: a table for programs (``comparison (tidy)``)
    named in ``lang`` (``规则比较（数据）``), any other by its name.

    >>> tidy_sheet("flows (tidy)", "zh"), tidy_sheet("flows (tidy)", "en")
    ('年度收支（数据）', 'flows (tidy)')
    """
    if not name.endswith(TIDY):
        return name
    key = name.removesuffix(TIDY)
    return i18n.t("tidy_sheet", lang, name=i18n.t(f"tidy_{key}", lang))


def _write_tables(buffer: Any, sheets: dict[str, pd.DataFrame]) -> None:
    """Each table on a sheet of a workbook written into ``buffer``, text never a formula."""
    from sim.csv_safe import text_cells

    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        taken: set[str] = set()
        for name, frame in sheets.items():
            sheet = sheet_name(name, taken)
            taken.add(sheet.casefold())
            frame.to_excel(writer, sheet_name=sheet, index=False)
            text_cells(writer.sheets[sheet])
            _percent_format(writer.sheets[sheet], frame)


_NOT_IN_SHEET_NAMES = str.maketrans("/\\:?*[]", "／＼：？＊（）")
"""The characters a sheet's name may not hold, as their full-width forms (亿元/年 stays
readable as 亿元／年 rather than 亿元年)."""


def sheet_name(title: str, taken: set[str]) -> str:
    """A table's title as a sheet's name: at most 31 characters, none that Excel refuses,
    and not one already ``taken`` (case-folded; a repeat gets ``(2)``, ``(3)`` …), so that
    no table is written over another.

    A title too long loses whole bracketed parts rather than half of one (a party's
    yearly flows keep its code, the name in brackets goes).

    >>> sheet_name("NPV/year: by party", set()), sheet_name("a", {"a"})
    ('NPV／year： by party', 'a (2)')
    >>> sheet_name("Yearly flows SC (Guang'an (Sichuan), the host)", set())
    'Yearly flows SC'
    """
    base = title.translate(_NOT_IN_SHEET_NAMES)
    name, k = _clip(base, 31), 1
    while name.casefold() in taken:
        k += 1
        suffix = f" ({k})"
        name = _clip(base, 31 - len(suffix)) + suffix
    return name


def _clip(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, and back to before any bracket it left open."""
    if len(text) <= most:
        return text
    cut, depth, start = text[:most], 0, most
    for i, ch in enumerate(cut):
        if ch in "(（":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return (cut[:start] if depth else cut).rstrip(" ,，、") or cut


def _percent_format(sheet: Any, frame: pd.DataFrame) -> None:
    """A sheet to read: shares of scenarios as percentages, amounts to two decimals (the
    values stay full numbers), bold headers, columns as wide as their headers."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(frame.columns, start=1):
        fmt = None
        if _is_percent(name):
            fmt = "0.0%"
        elif frame[name].dtype.kind == "f":
            fmt = "#,##0.00"
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        header = str(name)
        width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in header)  # CJK: two columns
        sheet.column_dimensions[get_column_letter(j)].width = max(10, min(60, width + 2))
        sheet.cell(row=1, column=j).font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _embedded_font(text: str) -> str:
    """An @font-face rule carrying the CJK font, cut down to the characters of ``text``.

    Readers' machines may have no Chinese font (a fresh Linux, a locked-down office
    PC): the page carries its own, subset with fontTools to a few dozen kilobytes.
    """
    return _font_face("".join(sorted(set(text))))


@functools.lru_cache(maxsize=8)
def _font_face(characters: str) -> str:
    """The @font-face rule of :func:`_embedded_font` for these (sorted, distinct)
    characters, cut once per process (~0.13 s each): `sim serve` hands out the same
    report again when it is downloaded again."""
    from fontTools import subset

    _, path = style.cjk_font()
    options = subset.Options()
    options.flavor = None
    options.name_IDs = ["*"]
    font = subset.load_font(path, options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    data = base64.b64encode(buf.getvalue()).decode()
    return (
        f"@font-face{{font-family:'sim-cjk';src:url(data:font/otf;base64,{data}) "
        "format('opentype');font-display:block}"
    )
