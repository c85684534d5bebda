"""A report as a Word document (``sim report --to docx``), for report writers.

The same :class:`~sim.report.Report` as the HTML: title, summary, every table that is
not a tidy export (numbered "Table 1." / "表 1.", caption above, header row bold,
numbers and percentages written as the HTML writes them) and every figure (a PNG of
at least 300 dpi as placed, as wide as the text, numbered "Figure 1." / "图 1." below
it). Captions use
Word's *Caption* style with a ``SEQ`` field, so Word's list of figures and
cross-references work; the number is also written as the field's result, so every
reader shows it without updating fields.

Chinese: the styles declare an East Asian font (``w:eastAsia``, Noto Sans CJK SC, with
微软雅黑 as its alternative name and the GB 2312 character set in the font table, so
Word and WPS substitute a Chinese font where it is missing; nothing is embedded) and
the languages: Chinese characters zh-CN, Latin text en-US (so that "SC" or "Shapley"
in a Chinese table breaks between words, not letters), the document zh-CN or en-US.
A4, 2.5 cm margins: the text is 16 cm wide, the width sim's figures are drawn for, so
their 9-point text stays about 9 points on paper.

No dates, no random ids: the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from sim import i18n, style
from sim.report import Figure, Report, _is_percent, _t, cell_text
from sim.report_tables import caption_label, numbered_figures, numbered_tables

__all__ = ["DPI", "docx_bytes", "write_docx_report"]

DPI = 300
"""Resolution of the figures in the document (print quality)."""

LATIN_FONT = "Arial"
"""Latin text (Liberation Sans, metric-compatible, where Arial is missing)."""
CJK_FONT = "Noto Sans CJK SC"
"""Chinese text: the font of sim's figures, declared (not embedded) for Word and WPS."""
CJK_ALTERNATIVE = "微软雅黑"
"""The font Word and WPS take where Noto Sans CJK SC is not installed."""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_HALF_EM = 64800
"""Width [EMU] of a digit or half a Chinese character in 9-point table text, rounded up
(0.18 cm)."""


def write_docx_report(report: Report, out: str | Path, *, force: bool = False) -> Path:
    """Write ``report.docx`` into the folder ``out``; return its path.

    The folder is written aside and claimed atomically (:func:`sim.files.new_folder`):
    ``out`` must not exist, or with ``force`` be a folder ``sim`` wrote.
    """
    from sim.files import new_folder

    dest = Path(out)
    with new_folder(dest, force=force, kind="report") as tmp:
        (tmp / "report.docx").write_bytes(docx_bytes(report))
    return dest / "report.docx"


def docx_bytes(report: Report) -> bytes:
    """The report as the bytes of a ``.docx`` file (the same for the same report)."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    width, height = Cm(21 - 2 * 2.5), Cm(29.7 - 2 * 2.5 - 3)  # text; a figure and caption
    _styles(doc)
    _metadata(doc, report)
    doc.add_heading(report.title, level=0)
    for key, value in report.summary:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.add_run(key + style.COLON[report.lang]).bold = True
        paragraph.add_run(value)
    if report.findings:  # the findings before any table, as in the HTML
        doc.add_heading(_t("findings", report.lang), level=1)
        for line in report.findings:
            doc.add_paragraph(line, style="List Bullet")
    for table in numbered_tables(report.tables):  # numbered as the HTML report's
        _caption(
            doc, table.kind, report.lang, table.number, table.caption
        ).paragraph_format.keep_with_next = True
        _table(doc, table.item, width)
    if report.figures:
        doc.add_heading(_t("figures", report.lang), level=1)
    for fig in numbered_figures(report.figures, report.lang):
        _picture(doc, fig.item, report.lang, width, height)
        _caption(doc, fig.kind, report.lang, fig.number, fig.caption)
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


def _table(doc: Any, frame: pd.DataFrame, width: int) -> None:
    """``frame`` as a Word table: bold header row repeated on each page, numbers
    right-aligned and text left-aligned, columns as wide as their content asks, the
    text smaller (8 or 7 points) where a table is too wide for 9."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement

    if frame.columns.empty:
        doc.add_paragraph("—")
        return
    header = [str(c) for c in frame.columns]
    percent = [_is_percent(c) for c in frame.columns]
    texts = [
        [cell_text(value, pct) for value, pct in zip(row, percent, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    numeric = [_numeric(frame.iloc[:, j]) for j in range(len(header))]
    size, widths = _layout(header, texts, width)
    table = doc.add_table(rows=1 + len(texts), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    # the style's id looked up once: python-docx looks a style up by name, and checks it
    # against the default, by a scan of every style in the document, at each assignment
    style_id = doc.part.get_style_id("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    for i, row in enumerate([header, *texts]):
        for cell, text, right, column_width in zip(
            table.rows[i].cells, row, numeric, widths, strict=True
        ):
            cell.width = column_width
            _cell(cell, text, size, style_id, bold=i == 0, right=right)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    doc.add_paragraph(style="Table Text")


def _numeric(column: pd.Series) -> bool:
    """Whether a column holds numbers (a column of rates and whole years included)."""
    if is_bool_dtype(column):
        return False
    if is_numeric_dtype(column):
        return True
    return (
        column.dtype == object
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in column)
        and not column.empty
    )


def _layout(header: list[str], texts: list[list[str]], width: int) -> tuple[float, list[int]]:
    """Text size [pt] and column widths [EMU] of a table as wide as ``width``.

    Each column has three widths, in half-ems: its longest word (a number, a word; a
    Chinese character, as Chinese breaks between any two), that or its header if short,
    and its widest cell or header on one line. The table takes the largest of these
    that fits, with what is left shared towards the next; at 9 points, else 8 or 7.

    Examples
    --------
    >>> cm = 360000  # EMU
    >>> size, widths = _layout(["rule", "NPV SC"], [["nash", "9.586"]], 16 * cm)
    >>> size, [round(w / cm, 2) for w in widths]
    (9, [7.0, 9.0])
    """
    words, short, whole = [], [], []
    for j, name in enumerate(header):
        cells = [name, *(row[j] for row in texts)]
        words.append(3 + max(map(_longest_word, cells)))
        short.append(max(words[-1], 3 + min(_width(name), 10)))
        whole.append(3 + max(map(_width, cells)))
    for size in (9, 8, 7):
        room = width / (_HALF_EM * size / 9)
        if sum(words) <= room or size == 7:
            break
    tiers = [words, short, whole]
    k = max([t for t in range(3) if sum(tiers[t]) <= room], default=0)
    low, high = tiers[k], tiers[min(k + 1, 2)]
    stretch = sum(high) - sum(low)
    spare = (room - sum(low)) / stretch if stretch > 0 else 0.0
    spare = min(max(spare, 0.0), 1.0)
    target = [x + spare * (y - x) for x, y in zip(low, high, strict=True)]
    return size, [int(width * t / sum(target)) for t in target]


def _longest_word(text: str) -> int:
    """Width of the longest part of ``text`` that cannot be broken across lines."""
    return max(map(_width, re.findall(r"[^\s\u2e80-\uffef]+", text)), default=2)


def _width(text: str) -> int:
    """Display width of ``text`` in half-ems (Chinese characters are two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(cell: Any, text: str, size: float, style_id: str, *, bold: bool, right: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id  # as `paragraph.style = "Table Text"` sets it
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size != 9:
        run.font.size = Pt(size)


def _picture(doc: Any, fig: Figure, lang: str, width: int, height: int) -> None:
    """``fig`` as an inline PNG, as wide as the text (or as tall as the page allows),
    centred, kept on the page of its caption, at :data:`DPI` or more as placed: a
    figure that its tight bounding box made narrower is drawn again at a higher dpi."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.image.image import Image

    dpi = DPI
    while True:
        png = fig.render(lang, "png", dpi=dpi)
        image = Image.from_blob(png)
        tall = image.px_height * width > image.px_width * height
        inches = (height * image.px_width / image.px_height if tall else width) / 914400
        if image.px_width >= DPI * inches or dpi > DPI:
            break
        dpi = math.ceil(1.02 * DPI * DPI * inches / image.px_width)  # the crop varies a little
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    size = {"height": height} if tall else {"width": width}
    shape = paragraph.add_run().add_picture(io.BytesIO(png), **size)
    shape._inline.docPr.set("descr", fig.title)  # alternative text for screen readers


def _caption(doc: Any, kind: str, lang: str, number: int, text: str) -> Any:
    """A *Caption* paragraph "Figure 3. text" whose number is a ``SEQ`` field (``kind``:
    ``"table"`` or ``"figure"``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    label = caption_label(kind, number, lang).rsplit(" ", 1)[0]  # Table, 表: the SEQ name
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ").bold = True
    for part, value in (("begin", None), ("instr", f" SEQ {label} \\* ARABIC "),
                        ("separate", None), ("result", str(number)), ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        run.bold = True
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        elif part == "result":
            run.text = value
        else:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): part}))
    paragraph.add_run(".").bold = True
    paragraph.add_run(f" {text}")
    return paragraph


def _styles(doc: Any) -> None:
    """Fonts (Latin and East Asian) and language on every style the report uses."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    caption = styles["Caption"]
    caption.font.bold = False
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    styles["Normal"].font.size = Pt(10.5)
    styles["Title"].font.size = Pt(20)
    defaults = styles.element.find(f"{{{_W}}}docDefaults/{{{_W}}}rPrDefault/{{{_W}}}rPr")
    _fonts(defaults)
    for name in ("Normal", "Title", "Heading 1", "Caption", "Table Text", "List Bullet"):
        _fonts(styles[name].element.get_or_add_rPr())
    theme_language = doc.settings.element.find(f"{{{_W}}}themeFontLang")
    if theme_language is not None:
        theme_language.set(f"{{{_W}}}eastAsia", "zh-CN")


def _fonts(rpr: Any) -> None:
    """Explicit fonts in ``rpr`` (no theme fonts: the template's East Asian theme font
    is Japanese) and the languages: Chinese for Chinese characters, English for Latin
    text (party ids, method names), so that lines break between words, not letters."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for key in list(fonts.attrib):
        if key.endswith(("Theme", "theme")):
            del fonts.attrib[key]
    for script, font in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("cs", LATIN_FONT),
                         ("eastAsia", CJK_FONT)):  # fmt: skip
        fonts.set(qn(f"w:{script}"), font)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _metadata(doc: Any, report: Report) -> None:
    """Title, author "sim", language; no dates, no template thumbnail."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    props = doc.core_properties
    props.title = report.title
    props.author = "sim"
    props.last_modified_by = "sim"
    props.comments = ""
    props.language = i18n.t("document_language", report.lang)
    props.revision = 1
    element = props._element
    for name in ("created", "modified", "lastPrinted"):
        for child in element.findall(f"{{*}}{name}"):
            element.remove(child)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rid]


_FONT_ENTRY = (
    f'<w:font w:name="{CJK_FONT}"><w:altName w:val="{CJK_ALTERNATIVE}"/>'
    '<w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
)


def _stable_zip(data: bytes) -> bytes:
    """The package with fixed timestamps, the CJK font in the font table and sim as
    the application that wrote it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                body = re.sub(rb"</w:fonts>\s*$", _FONT_ENTRY.encode() + b"</w:fonts>", body)
            elif info.filename == "docProps/app.xml":  # not "Microsoft Macintosh Word"
                body = re.sub(rb"<Application>[^<]*<", b"<Application>sim<", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, body)
    return out.getvalue()
