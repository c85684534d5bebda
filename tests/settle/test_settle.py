"""Settlement statements (``sim settle``): the figures add up to ``sim run``'s transfer
for the year, every payment is netted once per pair, and every surface says so."""

from __future__ import annotations

import io
import json
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agreement import outcome_result, resolve
from sim.cli import main
from sim.errors import UndefinedError, YearError
from sim.model import batch_from_scenario
from sim.output import run_document
from sim.rules import MONEY_CLAUSES
from sim.scenario import Scenario, load, loads, parse
from sim.settle import TAX_LINES, Statement, document, render, settle

from ..cli.test_glossary import _names, _untranslated
from ..conftest import ROOT
from ..strategies import scenario_data

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
GAOZHU = ROOT / "scenarios" / "gaozhu.toml"


def _statements(scenario: Scenario, years: list[int]) -> tuple[list[Statement], dict[str, Any]]:
    batch = batch_from_scenario(scenario)
    outcome = resolve(scenario, batch=batch)
    result = outcome_result(batch, outcome)
    return (
        [settle(scenario, batch, outcome, result, y) for y in years],
        run_document(scenario, result, outcome),
    )


def _check_adds_up(st: Statement, run: dict[str, Any]) -> None:
    """The statement's tax lines add up to `sim run`'s transfer that year, to 1e-9 of
    the year's tax in the unit; the payments net to each party's total; the pool is
    the firms' contributions."""
    t = run["years"].index(st.year)
    pids = run["parties"]
    scale = max(1.0, sum(abs(run["source_tax"][p][t]) for p in pids))
    for i, p in enumerate(pids):
        transfer = run["flows"][p]["tax"][t] - run["source_tax"][p][t]  # run's `transfer`
        steps = sum(float(st.lines[k][i]) for k in TAX_LINES)
        assert steps == pytest.approx(transfer, abs=1e-9 * scale)
        assert float(st.lines["tax"][i]) == pytest.approx(transfer, abs=1e-9 * scale)
        streams = sum(float(st.lines[k][i]) for k in ("tax", *MONEY_CLAUSES))
        assert float(st.lines["net"][i]) == pytest.approx(streams, abs=1e-9 * scale)
        paid = sum(x.amount for x in st.payments if x.payer == p)
        got = sum(x.amount for x in st.payments if x.payee == p)
        # a payment under a billionth of what the parties net in all is not written
        # (``net_payments``' tolerance): the payments net to each party's total within it
        moved = max(scale, float(np.abs(st.lines["net"]).sum()))
        assert got - paid == pytest.approx(float(st.lines["net"][i]), abs=1e-9 * moved)
        pooled = sum(c.pooled for c in st.contributions if c.party == p)
        assert pooled == pytest.approx(float(st.lines["pooled"][i]), abs=1e-12 * scale)
    assert all(x.amount > 0 and x.payer != x.payee for x in st.payments)
    pairs = [(x.payer, x.payee) for x in st.payments]
    assert len(pairs) == len(set(pairs))  # one payment per pair of treasuries
    assert not {(b, a) for a, b in pairs} & set(pairs)  # never both ways
    if st.in_window:
        assert float(st.lines["agreed_share"].sum()) == pytest.approx(st.pool, abs=1e-9 * scale)
    else:
        assert not any(np.any(st.lines[k]) for k in TAX_LINES)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_shipped_scenario_adds_up_to_runs_transfer_every_year(path: Path) -> None:
    scenario = load(path)
    years = list(range(scenario.start_year, scenario.end_year + 1))
    statements, run = _statements(scenario, years)
    for statement in statements:
        _check_adds_up(statement, run)


@settings(max_examples=60, deadline=None)
@given(scenario_data(), st.integers(0, 11))
def test_random_scenarios_add_up_to_runs_transfer(data: dict[str, Any], k: int) -> None:
    scenario = parse(data)
    year = scenario.start_year + k % scenario.n_years
    try:
        (statement,), run = _statements(scenario, [year])
    except UndefinedError:  # an agreement with no value here: `sim run` refuses it too
        return
    _check_adds_up(statement, run)


def test_gaozhu_2030_pays_half_the_pool_less_what_linshui_pooled() -> None:
    (st,), _ = _statements(load(GAOZHU), [2030])
    sc, cq = st.lines["pooled"]
    assert st.shares is not None and st.shares.tolist() == [0.5, 0.5]
    assert float(st.lines["agreed"][0]) == pytest.approx(0.5 * (sc + cq) - sc, rel=1e-12)
    (payment,) = st.payments
    assert (payment.payer, payment.payee) == ("CQ", "SC")
    assert payment.amount == pytest.approx(0.3500084473, abs=1e-10)  # regression


def _with_sharing(path: Path, **changes: Any) -> Scenario:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["sharing"].update(changes)
    return loads(tomli_w.dumps(data), source=str(path))


def test_compliance_leaves_the_unsettled_part_with_the_payer() -> None:
    scenario = _with_sharing(GAOZHU, compliance=0.6)
    (st,), run = _statements(scenario, [2030])
    np.testing.assert_allclose(st.lines["unsettled"], -0.4 * st.lines["agreed"], rtol=1e-12)
    np.testing.assert_allclose(st.lines["tax"], 0.6 * st.lines["agreed"], rtol=1e-12)
    _check_adds_up(st, run)


def test_cap_holds_back_what_exceeds_it() -> None:
    scenario = _with_sharing(GAOZHU, cap=0.1)
    (st,), run = _statements(scenario, [2030])
    assert float(st.lines["tax"].min()) == pytest.approx(-0.1, rel=1e-12)
    assert float(st.lines["held_back"][1]) == pytest.approx(0.35000844733 - 0.1, abs=1e-9)
    _check_adds_up(st, run)
    assert "Held back by the cap" in render(st)


def test_floors_top_up_from_the_others() -> None:
    scenario = _with_sharing(GAOZHU, floors={"CQ": 2.5})
    (st,), run = _statements(scenario, [2030])
    assert float(st.lines["top_up"][1]) > 0
    assert float(st.lines["top_up"].sum()) == pytest.approx(0.0, abs=1e-12)
    _check_adds_up(st, run)


def test_a_review_that_switched_settles_by_its_shares() -> None:
    review = {"party": "CQ", "below": 0.0, "after": 2, "shares": {"SC": 0.6, "CQ": 0.4}}
    scenario = _with_sharing(GAOZHU, review=review)
    (before, after), run = _statements(scenario, [2022, 2030])
    assert before.review_from is None and before.shares is not None
    assert before.shares.tolist() == [0.5, 0.5]
    assert after.review_from is not None and after.review_from <= 2030
    assert after.shares is not None and after.shares.tolist() == [0.6, 0.4]
    assert f"from {after.review_from} on" in render(after)
    for st_ in (before, after):
        _check_adds_up(st_, run)


def test_formula_shows_each_factor_and_the_shares_it_resolves_to() -> None:
    (st,), run = _statements(load(ROOT / "scenarios" / "tri-city-formula.toml"), [2028])
    assert st.factors is not None and st.weights is not None and st.shares is not None
    resolved = (st.weights[:, None] * np.nan_to_num(st.factors)).sum(axis=0)
    np.testing.assert_allclose(resolved, st.shares, rtol=1e-12)  # independent of the rule
    doc = document(st)
    assert doc["formula"]["output"]["weight"] == pytest.approx(0.35)
    _check_adds_up(st, run)


# --------------------------------------------------------------------------- the command


def test_cli_text_json_and_files(tmp_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["settle", str(GAOZHU), "--year", "2030"])
    assert text.exit_code == 0, text.output
    assert "CQ Yubei (Chongqing) pays SC Linshui, Guang'an (Sichuan) 35,000,844.73 yuan" in (
        text.output
    )
    raw = runner.invoke(main, ["settle", str(GAOZHU), "--year", "2030", "--format", "json"])
    doc = json.loads(raw.output)
    assert doc["payments"] == [{"from": "CQ", "to": "SC", "amount": pytest.approx(0.35000844733)}]
    out = tmp_path / "statement"
    args = ["settle", str(GAOZHU), "--year", "2030", "--out", str(out), "--lang", "zh"]
    written = runner.invoke(main, args)
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in out.iterdir()) == [".sim-output", "statement.docx",
                                                     "statement.xlsx"]  # fmt: skip
    from openpyxl import load_workbook

    book = load_workbook(out / "statement.xlsx")
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, float) and abs(v - 35_000_844.733) < 0.01 for v in cells)
    with zipfile.ZipFile(out / "statement.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "年终结算单 2030" in xml and "付款方" in xml
    again = runner.invoke(main, args)  # the folder is there: refused, nothing touched
    assert again.exit_code == 2 and "statement" in again.output
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0


def test_a_year_outside_the_horizon_exits_2_naming_the_file_and_the_horizon(
    tmp_path: Path,
) -> None:
    out = tmp_path / "o"
    args = ["settle", str(GAOZHU), "--year", "2050", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "gaozhu.toml: --year 2050 is outside the horizon 2021–2040" in result.output
    assert "Traceback" not in result.output and not out.exists()
    with pytest.raises(YearError):
        _statements(load(GAOZHU), [2020])


def test_a_year_outside_the_window_has_nothing_to_settle() -> None:
    path = ROOT / "scenarios" / "suitong-liaoning-5-5.toml"
    result = CliRunner().invoke(main, ["settle", str(path), "--year", "2035"])
    assert result.exit_code == 0, result.output
    assert "2035 is outside the agreement's years 2022–2031" in result.output
    assert "nothing to settle" in result.output
    raw = CliRunner().invoke(main, ["settle", str(path), "--year", "2035", "--format", "json"])
    doc = json.loads(raw.output)
    assert doc["in_window"] is False and doc["payments"] == [] and doc["contributions"] == []


def test_a_workbook_is_settled_like_its_toml(tmp_path: Path) -> None:
    book = tmp_path / "gaozhu.xlsx"
    runner = CliRunner()
    made = runner.invoke(main, ["convert", str(GAOZHU), str(book)])
    assert made.exit_code == 0, made.output
    a = runner.invoke(main, ["settle", str(book), "--year", "2030", "--format", "json"])
    b = runner.invoke(main, ["settle", str(GAOZHU), "--year", "2030", "--format", "json"])
    assert json.loads(a.output)["lines"] == json.loads(b.output)["lines"]


@pytest.mark.parametrize("name", ["gaozhu-clauses", "tri-city-formula", "chuanzhe-6-4-floor"])
def test_a_chinese_statement_has_no_english_words(name: str) -> None:
    path = ROOT / "scenarios" / f"{name}.toml"
    result = CliRunner().invoke(main, ["settle", str(path), "--year", "2028", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "年终结算单 2028" in result.output
    assert _untranslated(result.output, _names(path)) == set()


def test_statement_json_is_strict_and_in_the_scenarios_unit() -> None:
    (st,), run = _statements(load(ROOT / "scenarios" / "gaozhu-clauses.toml"), [2023])
    doc = json.loads(json.dumps(document(st), allow_nan=False))
    assert doc["unit"] == run["unit"]
    t = run["years"].index(2023)
    for p in doc["parties"]:
        transfer = run["flows"][p]["tax"][t] - run["source_tax"][p][t]
        assert doc["lines"]["tax"][p] == pytest.approx(transfer, abs=1e-12)
    assert re.search(r"Investment\s+136,930,199\.46", render(st))  # regression
    assert io.StringIO(render(st, "zh")).read().startswith("年终结算单 2023")


# --------------------------------------------------------------------------- the manual

PAGE = ROOT / "docs" / "settle.md"


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios/gaozhu.toml", "--year", "2030"],
        ["scenarios/gaozhu.toml", "--year", "2030", "--lang", "zh"],
        ["scenarios/chuanzhe-6-4-floor.toml", "--year", "2022"],
    ],
    ids=["gaozhu-en", "gaozhu-zh", "floor"],
)
def test_the_manuals_examples_are_real_output(args: list[str], monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["settle", *args])
    assert result.exit_code == 0, result.output
    block = PAGE.read_text(encoding="utf-8").split(f"$ sim settle {' '.join(args)}\n", 1)[1]
    shown = block.split("```", 1)[0].rstrip("\n")
    assert shown in result.output.rstrip("\n")  # the floor example shows the tables only


def test_statement_json_keys_are_documented() -> None:
    (st,), _ = _statements(load(ROOT / "scenarios" / "tri-city-formula.toml"), [2028])
    text = PAGE.read_text(encoding="utf-8").split("--format json`", 1)[1]
    documented = {k for line in text.splitlines() if line.startswith("| `")
                  for k in re.findall(r"`([a-z_]+)`", line.split("|")[1])}  # fmt: skip
    doc = document(st)
    assert set(doc) <= documented
    lines_row = next(line for line in text.splitlines() if line.startswith("| `lines`"))
    assert set(doc["lines"]) <= set(re.findall(r"`([a-z_]+)`", lines_row))
