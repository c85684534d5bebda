"""Fiscal-policy schedules in workbooks: a fiscal parameter's cell typed as a schedule
by year, in either language, and a wrong step named at its cell."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import openpyxl
import pytest

from sim.agreement import run
from sim.errors import ScenarioError
from sim.scenario import load, loads
from sim.scenario_toml import scenario_data
from sim.workbook.write import write_workbook

from ..scenario.test_schedules import TWO_FIRMS, VAT


def _workbook_with(cell: str, lang: str = "en") -> Any:
    """TWO_FIRMS's workbook with the local VAT share's cell typed as ``cell``."""
    book = openpyxl.load_workbook(
        io.BytesIO(write_workbook(scenario_data(loads(TWO_FIRMS.replace(VAT, "0.5"))), lang))
    )
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[0].value == "taxes.vat_local_share")
    row[3].value = cell
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), f"{sheet.title}!D{row[0].row}"


@pytest.mark.parametrize(
    ("typed", "lang"),
    [
        ("2025年起 50%，2027年起 45%", "zh"),
        ("0.5 from 2025; 0.45 from 2027", "en"),
        ("50%, 45% from 2027", "en"),  # the first step from the horizon's first year
        ("2025: 0.5\n2027: 0.45", "en"),
    ],
)
def test_a_workbook_cell_may_hold_a_schedule(typed: str, lang: str, tmp_path: Any) -> None:
    data, _ = _workbook_with(typed, lang)
    path = tmp_path / "two.xlsx"
    path.write_bytes(data)
    sc = load(path)
    assert sc.schedules["taxes.vat_local_share"].steps == ((2025, 0.5), (2027, 0.45))
    np.testing.assert_array_equal(run(sc).source_tax, run(loads(TWO_FIRMS)).source_tax)


def test_a_wrong_schedule_in_a_workbook_is_named_by_its_cell(tmp_path: Any) -> None:
    data, cell = _workbook_with("2025年起 50%，2027年起 4.5", "zh")
    path = tmp_path / "two.xlsx"
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    where = {p.where: str(p.reason) for p in caught.value.problems}
    at = [w for w in where if w.split()[0] == cell]  # the very cell, not the table's range
    assert at and "4.5" in where[at[0]], where
