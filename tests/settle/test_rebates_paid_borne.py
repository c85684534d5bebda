"""What each party pays of the firms' rebates where they arise and what it bears of them
as agreed, side by side: in `sim settle`'s statement (checked: paid = borne in total,
borne − paid = the clause's line), in `sim run`'s table, its JSON and the flows table,
and in the model's own conservation check."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import sim
from sim.agreement import resolve
from sim.cli import main
from sim.errors import ConservationError
from sim.model import check_conservation, evaluate
from sim.settle import ledger

from ..conftest import ROOT

SCENARIO = ROOT / "scenarios" / "joint-promotion-incentives.toml"


def _invoke(*args: str) -> str:
    done = CliRunner().invoke(main, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def _result() -> tuple[sim.Scenario, sim.Batch, sim.Result]:
    sc = sim.load_scenario(SCENARIO)
    batch = sim.batch_from_scenario(sc)
    return sc, batch, evaluate(batch, resolve(sc, sc.sharing, batch).terms)


def test_the_statement_shows_rebates_paid_and_borne_per_party() -> None:
    doc = json.loads(_invoke("settle", str(SCENARIO), "--year", "2024", "--format", "json"))
    lines = doc["lines"]
    paid = np.array([lines["source_incentives"][p] for p in ("SC", "CQ")])
    borne = np.array([lines["incentives_borne"][p] for p in ("SC", "CQ")])
    moved = np.array([lines["incentives"][p] for p in ("SC", "CQ")])
    assert np.all(paid < 0) and paid[0] != paid[1]  # each pays its own firms' rebates
    np.testing.assert_allclose(borne, paid.sum() / 2, rtol=1e-12)  # borne 50:50
    np.testing.assert_allclose(borne - paid, moved, rtol=1e-9)
    for lang, words in (("en", ("Incentives paid where they arise", "Incentives borne")),
                        ("zh", ("属地支付税收奖补", "按协议承担税收奖补"))):  # fmt: skip
        text = _invoke("settle", str(SCENARIO), "--year", "2024", "--lang", lang)
        assert all(w in text for w in words), text
    # a year without rebates has no such lines
    assert "Incentives paid" not in _invoke("settle", str(SCENARIO), "--year", "2030")


def test_the_statement_checks_paid_against_borne() -> None:
    lines = {
        "source_incentives": np.array([-1.0, -3.0]),
        "incentives_borne": np.array([-2.0, -2.0]),
        "incentives": np.array([-1.0, 1.0]),
    }
    ledger._check_paid(sim.load_scenario(SCENARIO), 2024, lines)
    lines["incentives_borne"] = np.array([-2.0, -2.5])
    with pytest.raises(ConservationError, match="incentives paid"):
        ledger._check_paid(sim.load_scenario(SCENARIO), 2024, lines)


def test_the_model_checks_what_is_paid_where_it_arises() -> None:
    _, batch, r = _result()
    check_conservation(r, batch)
    paid = r.at_source("incentives")
    wrong = replace(r, source_further={"incentives": paid * 1.01})
    with pytest.raises(ConservationError, match=r"incentives \(where it arises\)"):
        check_conservation(wrong, batch)


def test_run_its_json_and_the_flows_table_show_rebates_paid(tmp_path: Path) -> None:
    _, _, r = _result()
    paid = r.at_source("incentives")[0]
    doc = json.loads(_invoke("run", str(SCENARIO), "--format", "json"))
    np.testing.assert_allclose(doc["source_incentives"]["CQ"], paid[1], rtol=1e-12)
    text = _invoke("run", str(SCENARIO))
    assert "incentives at source" in text
    assert "属地税收奖补" in _invoke("run", str(SCENARIO), "--lang", "zh")
    _invoke("run", str(SCENARIO), "--out", str(tmp_path / "run"))
    flows = pd.read_csv(tmp_path / "run" / "flows.csv")
    at = flows[(flows.stream == "source_incentives") & (flows.party == "SC")]
    np.testing.assert_allclose(at.sort_values("year")["value"], paid[0], rtol=1e-12)
    by_year = flows[flows.stream.isin(["incentives", "source_incentives"])].pivot_table(
        index="year", columns="stream", values="value", aggfunc="sum"
    )
    np.testing.assert_allclose(by_year["incentives"], by_year["source_incentives"], atol=1e-12)
    # a scenario without rebates keeps its columns and streams
    assert "source_incentives" not in json.loads(
        _invoke("run", str(ROOT / "scenarios" / "gaozhu.toml"), "--format", "json")
    )
