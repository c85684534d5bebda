"""A park's Chinese name (``[[parks]] name_zh``) in every Chinese portfolio output: the
text of run, compare and settle, the settlement statement's workbook and document, the
report's tables, figures and page, and the portfolio sweep's summary; and never the
park's English name or id there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.portfolio import consolidate, load_portfolio, package
from sim.portfolio.report import portfolio_report
from sim.portfolio.sweep_run import render_summary, run_portfolio_sweep, summarize

ROOT = Path(__file__).resolve().parents[2]
CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
PAIR = ROOT / "scenarios" / "portfolios" / "gaozhu-neirong.toml"


def _names(path: Path) -> tuple[list[str], list[str]]:
    """The parks' Chinese names, and their English names and ids."""
    parks = load_portfolio(path).parks
    assert all(k.name_zh and k.name_zh != k.name for k in parks)  # the shipped files name them
    return [k.name_zh for k in parks], [x for k in parks for x in (k.name, k.id)]


def _chinese_only(text: str, path: Path = CHENGYU) -> None:
    zh, en = _names(path)
    for name in zh:
        assert name in text, name
    for name in en:
        assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), name


@pytest.mark.parametrize(
    "command",
    [["portfolio", "run"], ["portfolio", "compare"], ["portfolio", "settle", "--year", "2030"]],
)
def test_the_text_in_chinese_names_every_park_in_chinese(command: list[str]) -> None:
    got = CliRunner().invoke(main, [*command, str(CHENGYU), "--lang", "zh"])
    assert got.exit_code == 0, got.output
    _chinese_only(got.output)
    en = CliRunner().invoke(main, [*command, str(CHENGYU)]).output
    assert "gaozhu" in en and "川渝高竹新区" not in en  # English keeps the ids


def test_the_ratios_name_parks_in_chinese() -> None:
    got = CliRunner().invoke(main, ["portfolio", "compare", str(PAIR), "--lang", "zh"])
    assert "川渝高竹新区 (SC:CQ)" in got.output
    _chinese_only(got.output, PAIR)


def test_the_statement_files_name_parks_in_chinese(tmp_path: Path) -> None:
    import docx
    import openpyxl

    out = tmp_path / "st"
    got = CliRunner().invoke(
        main,
        ["portfolio", "settle", str(CHENGYU), "--year", "2030", "--lang", "zh", "--out", str(out)],
    )
    assert got.exit_code == 0, got.output
    book = openpyxl.load_workbook(out / "statement.xlsx")
    cells = [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    document = docx.Document(str(out / "statement.docx"))
    words = [c.text for t in document.tables for row in t.rows for c in row.cells]
    words += [p.text for p in document.paragraphs]
    for text in ("\n".join(cells), "\n".join(words)):
        _chinese_only(text)


def test_the_report_names_parks_in_chinese(tmp_path: Path, blank_pictures: None) -> None:
    from sim import plots

    c = consolidate(load_portfolio(CHENGYU))
    rep = portfolio_report(c, package(c), "zh")
    text = "\n".join(
        [*(f"{a} {b}" for a, b in rep.summary), *rep.findings]
        + [frame.to_string() for frame in rep.tables.values()]
    )
    _chinese_only(text)
    figure = next(f for f in rep.figures if f.key == "portfolio-gain")
    with plots.figure("zh", figure.size) as (fig, ax):
        figure.draw(ax)
        fig.canvas.draw()
        ticks = [t.get_text() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()]]
    assert "川渝高竹新区" in ticks and "gaozhu" not in ticks
    got = CliRunner().invoke(
        main, ["report", str(PAIR), "--lang", "zh", "--out", str(tmp_path / "r")]
    )
    assert got.exit_code == 0, got.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    _chinese_only(re.sub(r"<[^>]+>", " ", page), PAIR)


def test_the_sweep_summary_names_parks_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        f'[sweep]\nportfolio = "{PAIR.as_posix()}"\nn = 4\n[sweep.parameters]\n'
        '"common.growth_shock" = { dist = "uniform", low = -0.01, high = 0.01 }\n',
        encoding="utf-8",
    )
    run_portfolio_sweep(path, tmp_path / "res")
    import json

    manifest = json.loads((tmp_path / "res" / "manifest.json").read_text(encoding="utf-8"))
    summary = summarize(tmp_path / "res", manifest)
    _chinese_only(render_summary(summary, "zh"), PAIR)
    assert "gaozhu" in render_summary(summary, "en")


def test_a_park_without_a_chinese_name_falls_back_to_its_name(tmp_path: Path) -> None:
    text = PAIR.read_text(encoding="utf-8").replace('name_zh = "川渝高竹新区"\n', "")
    text = text.replace('"../', f'"{(ROOT / "scenarios").as_posix()}/')
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    park = load_portfolio(tmp_path / "p.toml").parks[0]
    assert (park.name_zh, park.label("zh"), park.label("en")) == (
        "Gaozhu New Area",
        "Gaozhu New Area",
        "gaozhu",
    )
