"""Word reports (`sim report --to docx`): read back with python-docx, numbers checked
against the HTML and the workbook, Chinese fonts declared, stable bytes, written
atomically, converted to PDF by LibreOffice where it is installed."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document
from docx.image.image import Image
from docx.shared import Cm

from sim.cli import main
from sim.report.write import sheet_name
from sim.report_tables import caption_text

from ..cli.test_glossary import WORD, _visible_text
from ..conftest import ROOT, libreoffice, pictures_not_rasterised
from .test_report import _small_sweep

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_report_docx")

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
SOFFICE = libreoffice("writer")
LABELS = {"en": ("Table", "Figure"), "zh": ("表", "图")}


def _report(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Gaozhu report in one language: as docx, as HTML, and the Report itself."""
    from sim.report import scenario_report
    from sim.scenario import load

    lang = request.param
    out = tmp_path_factory.mktemp(f"docx-{lang}")
    _report([str(GAOZHU), "--to", "docx", "--lang", lang, "--out", str(out / "docx")])
    with pictures_not_rasterised():  # its text and tables are read, its pictures never
        _report([str(GAOZHU), "--lang", lang, "--out", str(out / "html")])
    return lang, out / "docx" / "report.docx", out / "html", scenario_report(load(GAOZHU), lang)


def _shown(report: Any) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in report.tables.items() if "(tidy)" not in k}


def _html_tables(page: str) -> list[list[list[str]]]:
    """Every table of the HTML report as rows of cell texts."""
    return [
        [
            [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table)
        ]
        for table in re.findall(r"<table>(.*?)</table>", page)
    ]


def _docx_rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_title_summary_tables_and_captions(written: Any) -> None:
    lang, path, _, report = written
    doc = Document(str(path))
    paragraphs = doc.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == report.title
    text = "\n".join(p.text for p in paragraphs)
    for key, value in report.summary:
        assert f"{key}{'：' if lang == 'zh' else ': '}{value}" in text
    shown = _shown(report)
    # terms, comparison, parties, parameters, statistics and each party's yearly flows
    assert len(doc.tables) == len(shown) == 7
    findings = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert findings == report.findings and len(findings) >= 3
    label = LABELS[lang][0]
    body = list(doc.element.body.iterchildren())
    tables = zip(doc.tables, shown.items(), strict=True)
    for number, (table, (name, frame)) in enumerate(tables, start=1):
        caption = body[body.index(table._tbl) - 1]  # the caption is just above the table
        assert caption.style == "Caption"
        assert "".join(r.text for r in caption.r_lst) == f"{label} {number}. {name}"
        assert f"SEQ {label} " in caption.xml  # a Word caption number, not typed text
        header = table.rows[0]
        assert [c.text for c in header.cells] == [str(c) for c in frame.columns]
        assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
        assert len(table.rows) == 1 + len(frame)


def test_every_figure_is_a_picture_at_print_resolution_with_its_caption(written: Any) -> None:
    lang, path, _, report = written
    doc = Document(str(path))
    assert len(doc.inline_shapes) == len(report.figures) == 6
    label = LABELS[lang][1]
    paragraphs = doc.paragraphs
    pictures = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic")]
    for number, (i, fig) in enumerate(zip(pictures, report.figures, strict=True), start=1):
        caption = paragraphs[i + 1]
        assert caption.style.name == "Caption"
        assert caption.text == f"{label} {number}. {caption_text(fig, lang)}"
        assert f"SEQ {label} " in caption._p.xml
    for shape in doc.inline_shapes:
        assert abs(shape.width - Cm(16)) < Cm(0.01)  # as wide as the text
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 6
        for name, shape in zip(sorted(media), doc.inline_shapes, strict=True):
            image = Image.from_blob(z.read(name))
            assert image.content_type == "image/png" and image.horz_dpi >= 300
            assert image.px_width / (shape.width / 914400) >= 300  # at least 300 dpi as placed


def test_table_cells_are_those_of_the_html_report(written: Any) -> None:
    _, path, html_dir, _ = written
    page = (html_dir / "report.html").read_text(encoding="utf-8")
    expected = _html_tables(page)
    got = [_docx_rows(t) for t in Document(str(path)).tables]
    assert got == expected


def _number(text: str) -> float | None:
    text = text.replace(",", "")
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None


def test_numbers_are_the_workbook_numbers_rounded(written: Any) -> None:
    _, path, html_dir, report = written
    sheets = pd.read_excel(html_dir / "tables.xlsx", sheet_name=None)
    checked = 0
    for table, name in zip(Document(str(path)).tables, _shown(report), strict=True):
        sheet = sheets[sheet_name(name, set())]
        for row, values in zip(_docx_rows(table)[1:], sheet.itertuples(index=False), strict=True):
            for text, value in zip(row, values, strict=True):
                number = _number(text)
                if number is None or isinstance(value, str):
                    continue
                decimals = len(text.rstrip("%").partition(".")[2])
                scale = 100 if text.endswith("%") else 1
                assert abs(number - value) <= 0.5 * 10**-decimals / scale + 1e-12, (text, value)
                checked += 1
    assert checked > 50


def test_chinese_fonts_and_languages_are_declared(written: Any) -> None:
    lang, path, html_dir, _ = written
    doc = Document(str(path))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    defaults = doc.styles.element.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    for rpr in (defaults, doc.styles["Normal"].element.rPr, doc.styles["Caption"].element.rPr):
        fonts = rpr.find(f"{w}rFonts")
        assert fonts.get(f"{w}eastAsia") == "Noto Sans CJK SC"
        assert fonts.get(f"{w}ascii") == fonts.get(f"{w}hAnsi") == "Arial"
        assert not [k for k in fonts.attrib if k.endswith("Theme")]  # no theme font wins
        assert rpr.find(f"{w}lang").get(f"{w}eastAsia") == "zh-CN"
    assert doc.core_properties.language == {"en": "en-US", "zh": "zh-CN"}[lang]
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode()
    assert '<w:font w:name="Noto Sans CJK SC"><w:altName w:val="微软雅黑"/>' in table
    assert '<w:charset w:val="86"/>' in table  # GB 2312: Word substitutes a Chinese font
    if lang == "zh":
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for r in t.rows for c in r.cells
        )
        page = _visible_text((html_dir / "report.html").read_text(encoding="utf-8"))
        # no English word that the Chinese HTML report (checked by test_glossary) lacks
        assert set(WORD.findall(text)) - set(WORD.findall(page)) == set()


def test_same_inputs_give_the_same_bytes(written: Any, tmp_path: Path) -> None:
    lang, path, _, report = written
    from sim.report_docx import docx_bytes

    # a second build of the same inputs (the fixture's Report, built apart from the one
    # `sim report` wrote) gives the file's bytes: what `sim report` writes is docx_bytes.
    # The pictures blank: their own bytes are the same run to run (tests/report/test_plots.py)
    with pictures_not_rasterised():
        _report([str(GAOZHU), "--to", "docx", "--lang", lang, "--out", str(tmp_path / "d")])
        assert docx_bytes(report) == (tmp_path / "d" / "report.docx").read_bytes()
    props = Document(str(path)).core_properties
    assert props.author == "sim" and props.title == report.title
    assert props.created is None and props.modified is None and props.last_printed is None
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()  # python-docx's, not ours


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice Writer")
def test_libreoffice_converts_it_to_pdf(written: Any, tmp_path: Path) -> None:
    lang, path, _, report = written
    assert SOFFICE is not None
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 200_000  # pictures in
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        table, figure = LABELS[lang]
        assert f"{table} 4." in text and f"{figure} 6." in text
        assert report.title.split("：")[0].split(":")[0] in text


def test_cli_writes_a_folder_sim_may_replace_and_refuses_the_figure_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank_pictures: None
) -> None:
    out = tmp_path / "r"
    scenario = str(ROOT / "scenarios" / "co-built-park.toml")
    result = CliRunner().invoke(main, ["report", scenario, "--to", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out / 'report.docx'}")
    assert sorted(p.name for p in out.iterdir()) == [".sim-output", "report.docx"]
    again = CliRunner().invoke(main, ["report", scenario, "--to", "docx", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr
    html_over_docx = CliRunner().invoke(main, ["report", scenario, "--out", str(out), "--force"])
    assert html_over_docx.exit_code == 0 and (out / "report.html").is_file()
    forced = CliRunner().invoke(
        main, ["report", scenario, "--to", "docx", "--out", str(out), "--force"]
    )
    assert forced.exit_code == 0 and not (out / "report.html").exists()
    svg = CliRunner().invoke(
        main, ["report", scenario, "--to", "docx", "--format", "svg", "--out", str(tmp_path / "s")]
    )
    assert svg.exit_code == 2 and "--format" in svg.stderr and not (tmp_path / "s").exists()

    from sim import report_docx

    def broken(report: Any) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_docx, "docx_bytes", broken)
    failed = CliRunner().invoke(
        main, ["report", scenario, "--to", "docx", "--out", str(tmp_path / "f")]
    )
    assert failed.exit_code == 2 and "No space left" in failed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # nothing half-written


def test_every_kind_of_report_as_docx(tmp_path: Path, blank_pictures: None) -> None:
    """A run folder, a sweep folder and a sensitivity folder, as `sim report` reads them."""
    sweep = _small_sweep(tmp_path)
    runner = CliRunner()
    made = [
        runner.invoke(main, ["run", str(GAOZHU), "--out", str(tmp_path / "run")]),
        runner.invoke(main, ["sweep", str(sweep), "--out", str(tmp_path / "sweep")]),
        runner.invoke(
            main, ["sensitivity", str(sweep), "--n", "64", "--out", str(tmp_path / "sens")]
        ),
    ]
    assert all(r.exit_code == 0 for r in made), [r.output for r in made]
    for kind in ("run", "sweep", "sens"):
        out = tmp_path / f"{kind}-docx"
        _report([str(tmp_path / kind), "--to", "docx", "--lang", "zh", "--out", str(out)])
        _report([str(tmp_path / kind), "--lang", "zh", "--out", str(tmp_path / f"{kind}-html")])
        doc = Document(str(out / "report.docx"))
        page = (tmp_path / f"{kind}-html" / "report.html").read_text(encoding="utf-8")
        assert len(doc.inline_shapes) == page.count("<figure") > 0, kind
        assert [_docx_rows(t) for t in doc.tables] == _html_tables(page), kind
        assert doc.paragraphs[0].style.name == "Title"


def test_html_numbers_its_tables_and_figures_as_the_word_document(written: Any) -> None:
    """One list numbers both formats: the same captions, in the same order."""
    lang, path, folder, report = written
    word = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Caption"]
    page = (folder / "report.html").read_text(encoding="utf-8")

    def captions(tag: str) -> list[str]:
        found = re.findall(rf"<{tag}>(.*?)</{tag}>", page)
        return [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in found]

    tables, figures = captions("caption"), captions("figcaption")
    assert tables + figures == word
    table, figure = LABELS[lang]
    assert tables == [f"{table} {i}. {name}" for i, name in enumerate(_shown(report), start=1)]
    assert [c.split(".")[0] for c in figures] == [
        f"{figure} {i}" for i in range(1, len(report.figures) + 1)
    ]
