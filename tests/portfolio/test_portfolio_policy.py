"""A portfolio's ``[policy]``: a tax's local share for every park, a number or a
schedule by year, replacing each park's own value; and a park with its own schedules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.agreement import run
from sim.cli import main
from sim.portfolio import consolidate, load_portfolio, package
from sim.portfolio.report import portfolio_report
from sim.scenario import loads

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"

HEAD = f"""
[meta]
name = "pol"
[[parties]]
id = "SC"
level = "province"
[[parties]]
id = "CQ"
level = "province"
[[parks]]
id = "gaozhu"
file = "{SCENARIOS / "gaozhu.toml"}"
parties = {{ SC = "SC", CQ = "CQ" }}
"""
POLICY = """
[policy]
name = "VAT 45% from 2027"
name_zh = "2027 年起增值税地方分享 45%"
taxes.vat_local_share = { from = { 2021 = 0.5, 2027 = 0.45 } }
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pol.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_policy_runs_every_park_as_its_file_with_the_schedule(tmp_path: Path) -> None:
    c = consolidate(load_portfolio(_file(tmp_path, HEAD + POLICY)))
    text = (SCENARIOS / "gaozhu.toml").read_text(encoding="utf-8")
    assert "vat_local_share = 0.5\n" in text
    scheduled = text.replace(
        "vat_local_share = 0.5\n", "vat_local_share = { from = { 2016 = 0.5, 2027 = 0.45 } }\n"
    )
    want = run(loads(scheduled, str(SCENARIOS / "gaozhu.toml"))).npv[0]
    got = c.runs[0].result.npv[0]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
    plain = consolidate(load_portfolio(_file(tmp_path, HEAD)))
    assert not np.allclose(plain.runs[0].result.npv[0], got)  # the policy changed something
    rep = portfolio_report(c, package(c), "zh")
    lines = dict(rep.summary)
    assert lines["各园区统一财政政策"].endswith("2026 年及以前 50%，2027 年起 45%")


def test_a_park_with_its_own_schedules_runs_and_is_told(tmp_path: Path) -> None:
    text = HEAD.replace("gaozhu.toml", "gaozhu-vat-2027.toml")
    c = consolidate(load_portfolio(_file(tmp_path, text)))
    want = run(c.runs[0].park.scenario).npv[0]
    assert c.runs[0].result.npv[0] == pytest.approx(want, rel=1e-12)
    lines = dict(portfolio_report(c, package(c), "en").summary)
    assert "45% from 2027" in lines["Fiscal policy, park gaozhu"]


@pytest.mark.parametrize(
    ("policy", "told"),
    [
        ("taxes.vat = 0.4", "policy.taxes.vat: unknown key"),
        ("taxes.vat_local_share = { from = { 2025 = 0.4 } }", "the schedule starts in 2025"),
        ("taxes.cit_local_share = 1.5", "policy.taxes.cit_local_share"),
    ],
)
def test_a_bad_policy_is_told_by_key_path(tmp_path: Path, policy: str, told: str) -> None:
    got = CliRunner().invoke(
        main, ["portfolio", "run", str(_file(tmp_path, HEAD + "[policy]\n" + policy + "\n"))]
    )
    assert got.exit_code == 2 and told in got.output and "Traceback" not in got.output


# -- the policy in the portfolio workbook ------------------------------------------------

BOTH = POLICY + "taxes.cit_local_share = 0.35\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_policy_round_trips_through_the_workbook(tmp_path: Path, lang: str) -> None:
    import json

    import openpyxl

    src = _file(tmp_path, HEAD + BOTH)
    book = tmp_path / f"pol-{lang}.xlsx"
    res = CliRunner().invoke(main, ["portfolio", "workbook", str(src), str(book), "--lang", lang])
    assert res.exit_code == 0, res.output
    sheet = openpyxl.load_workbook(book).worksheets[-1]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert (
        "2021年起 0.5；2027年起 0.45" if lang == "zh" else "0.5 from 2021; 0.45 from 2027"
    ) in cells
    a, b = load_portfolio(src), load_portfolio(book)
    assert dict(a.policy) == dict(b.policy) and a.policy["taxes.cit_local_share"] == 0.35
    assert (a.policy_name, a.policy_name_zh) == (b.policy_name, b.policy_name_zh)
    docs = [
        json.loads(
            CliRunner().invoke(main, ["portfolio", "run", str(f), "--format", "json"]).output
        )
        for f in (src, book)
    ]
    for doc in docs:
        for park in doc["parks"]:
            park.pop("file")
    assert docs[0] == docs[1]
    plain = consolidate(load_portfolio(_file(tmp_path, HEAD)))
    assert not np.allclose(plain.npv, consolidate(b).npv)  # the policy was read


@pytest.mark.parametrize(
    ("lang", "cell", "told"),
    [
        ("en", "0.5 from 2025; 0.45 from 2027", "policy!B3: the schedule starts in 2025"),
        ("en", "a lot", "policy!B3: must be a number"),
        ("zh", "2025年起 0.5；2027年起 0.45", "policy（财政政策）!B3：安排从 2025 年起"),
    ],
)
def test_a_bad_policy_cell_is_told_at_its_cell(
    tmp_path: Path, lang: str, cell: str, told: str
) -> None:
    import openpyxl

    book = tmp_path / "pol.xlsx"
    CliRunner().invoke(
        main,
        ["portfolio", "workbook", str(_file(tmp_path, HEAD + POLICY)), str(book), "--lang", lang],
    )
    wb = openpyxl.load_workbook(book)
    wb.worksheets[-1]["B3"] = cell
    wb.save(book)
    got = CliRunner().invoke(main, ["portfolio", "run", str(book)])  # in the book's language
    assert got.exit_code == 2 and "Traceback" not in got.output
    assert told in got.output, got.output
