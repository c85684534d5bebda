"""Merged cells in a workbook: Excel shows the first cell's value across the range, but
the file holds it in that cell only. Read as it stands, the other cells would be empty
and take their defaults without a word (a growth merged over four firms was read as
one firm's growth and three defaults), so such a range is refused, named by its cells,
in scenario and portfolio workbooks alike."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.convert import same
from sim.errors import ScenarioError
from sim.scenario import load

from ..conftest import REFERENCE, ROOT
from ..workbooks import template


def _book(tmp_path: Path, lang: str = "en") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template(lang)))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_value_merged_over_cells_is_refused_where_it_is(tmp_path: Path, lang: str) -> None:
    wb = _book(tmp_path, lang)
    firms = wb.worksheets[2]  # firms, 企业
    rows = firms.max_row
    assert rows >= 3
    for r in range(2, rows + 1):  # the same growth typed in each row reads back
        firms.cell(row=r, column=7).value = 0.04
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    assert [f.growth for f in load(typed).firms] == [0.04] * (rows - 1)
    firms.merge_cells(f"G2:G{rows}")  # shown as 0.04 in every row; held in G2 only
    merged = tmp_path / "merged.xlsx"
    wb.save(merged)
    with pytest.raises(ScenarioError) as info:
        load(merged)
    text = str(info.value)
    assert f"{firms.title}!G2:G{rows}" in text
    assert ("G2 only" if lang == "en" else "只保存在 G2") in text


def test_an_empty_merged_range_and_the_notes_sheet_are_read_past(tmp_path: Path) -> None:
    wb = _book(tmp_path)
    assert [wb["firms"][c].value for c in ("T2", "U2")] == [None, None]  # no rebate
    wb["firms"].merge_cells("T2:U2")
    wb["notes"].merge_cells("A1:C3")  # the notes are never read
    path = tmp_path / "book.xlsx"
    wb.save(path)
    assert same(load(path), load(REFERENCE)) == []


def test_a_portfolio_workbook_is_refused_alike(tmp_path: Path) -> None:
    book = tmp_path / "p.xlsx"
    shipped = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
    res = CliRunner().invoke(main, ["portfolio", "workbook", str(shipped), str(book)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(book)
    wb["fund"].merge_cells("B2:B3")
    wb.save(book)
    res = CliRunner().invoke(main, ["portfolio", "run", str(book)])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "fund!B2:B3: merged cells" in res.output
