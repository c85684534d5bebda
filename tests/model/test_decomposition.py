"""The decomposition by clause: each part is what that clause, as signed, moves
(docs/decomposition.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sim.model as model
from sim import batch_from_scenario
from sim.agreement import decompose, outcome_result, resolve
from sim.model import evaluate, evaluate_npv
from sim.scenario import parse

from ..conftest import ROOT
from ..strategies import scenario_data
from .test_model_linear import linear_terms


def two_parties(land: Any = "shared", dividends: Any = "tax") -> dict[str, Any]:
    """Two years, no discounting; CQ sells land worth 2.0 net and hosts the one firm; the
    joint company (equity SC 0.8, CQ 0.2) pays out 1.0 in the second year; the tax pool
    is split 50:50."""
    return {
        "meta": {"name": "two-parties"},
        "horizon": {"start_year": 2021, "years": 2, "discount_rate": 0.0},
        "parties": [{"id": "SC", "retained_share": 1.0}, {"id": "CQ", "retained_share": 1.0}],
        "taxes": {"vat_local_share": 0.5, "cit_local_share": 0.4, "pit_local_share": 0.4},
        "firms": [
            {
                "id": "plant",
                "party": "CQ",
                "introduced_by": "SC",
                "existing": False,
                "first_year": 2021,
                "output": 100.0,
                "growth": 0.0,
                "ramp_years": 1,
                "value_added_ratio": 0.2,
                "vat_rate": 0.1,
                "profit_margin": 0.0,
                "cit_rate": 0.0,
                "wage_ratio": 0.0,
                "pit_rate": 0.0,
                "surcharge_rate": 0.0,
                "other_local_rate": 0.0,
            }
        ],
        "land_sales": [
            {
                "party": "CQ",
                "year": 2021,
                "area_mu": 1000.0,
                "price": 0.004,
                "cost_share": 0.5,
                "rural_earmark": 0.0,
            }
        ],
        "investment": {
            "capex": {"2021": 10.0},
            "equity": {"SC": 0.8, "CQ": 0.2},
            "return_rate": 0.1,
            "payout_ratio": 1.0,
        },
        "sharing": {
            "rule": "fixed",
            "shares": {"SC": 0.5, "CQ": 0.5},
            "scope": "all",
            "land": land,
            "dividends": dividends,
        },
    }


@pytest.mark.parametrize("land", ["shared", "tax"])
def test_a_land_transfer_of_one_is_a_land_part_of_one(land: str) -> None:
    # land income 2.0 at CQ split 50:50 moves +1.0 to SC; dividends 1.0 by the pool's
    # 0.5 instead of equity 0.8 move -0.3; the tax part is only the tax moved
    scenario = parse(two_parties(land=land))
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, batch=batch)
    d = decompose(batch, out)
    assert d.features == ("tax", "land", "dividends")
    parts = dict(zip(d.features, d.parts[0], strict=True))
    result = outcome_result(batch, out)
    tax_moved = (result.tax - result.source_tax)[0].sum(axis=1)  # no discounting
    assert tax_moved[0] > 0  # the firm is at CQ, half its tax goes to SC
    np.testing.assert_allclose(parts["land"], [1.0, -1.0], atol=1e-12)
    np.testing.assert_allclose(parts["dividends"], [-0.3, 0.3], atol=1e-12)
    np.testing.assert_allclose(parts["tax"], tax_moved, atol=1e-12)
    np.testing.assert_allclose(d.gain[0], tax_moved + np.array([0.7, -0.7]), atol=1e-12)


def _stream_gains(result: Any) -> dict[str, np.ndarray]:
    """Each stream's change against no agreement, discounted ``(P,)``."""
    df = result.discount_factors[0]
    pairs = {
        "tax": (result.tax, result.source_tax),
        "land": (result.land, result.source_land),
        "dividends": (result.dividends, result.source_dividends),
        "investment": (result.investment, result.source_investment),
    }
    return {
        f: (np.zeros(result.tax.shape[1]) if s is None else (a - s)[0] @ df)
        for f, (a, s) in pairs.items()
    }


@given(scenario_data())
def test_without_interactions_each_part_is_what_its_clause_moves(data: dict[str, Any]) -> None:
    # settled in full, without floors, cap or review, the clauses do not interact: each
    # part is the change of its own stream, whatever follows the tax rule's shares
    sharing = data["sharing"]
    sharing["compliance"] = 1.0
    for key in ("floors", "cap", "review"):
        sharing.pop(key, None)
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, batch=batch)
    d = decompose(batch, out)
    result = outcome_result(batch, out)
    moved = _stream_gains(result)
    scale = max(1.0, float(np.abs(result.npv).max()))
    for k, feature in enumerate(d.features):
        np.testing.assert_allclose(d.parts[0, k], moved[feature], atol=1e-9 * scale)
    gain = result.npv[0] - result.source_npv[0]
    np.testing.assert_allclose(d.parts[0].sum(axis=0), gain, atol=1e-9 * scale)


def test_run_compare_and_report_give_the_same_parts(tmp_path: Path, blank_pictures: None) -> None:
    import pandas as pd
    import tomli_w
    from click.testing import CliRunner

    from sim.cli import main

    path = tmp_path / "two.toml"
    path.write_text(tomli_w.dumps(two_parties()), encoding="utf-8")
    runner = CliRunner()
    run = runner.invoke(main, ["run", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    by_run = json.loads(run.stdout)["decomposition"]["parts"]
    comp = runner.invoke(main, ["compare", str(path), "--explain", "--format", "json"])
    assert comp.exit_code == 0, comp.output
    row = next(r for r in json.loads(comp.stdout)["results"] if r["label"] == "agreement")
    by_compare = row["decomposition"]["parts"]
    rep = runner.invoke(main, ["report", str(path), "--out", str(tmp_path / "rep")])
    assert rep.exit_code == 0, rep.output
    tidy = pd.read_excel(tmp_path / "rep" / "tables.xlsx", sheet_name="decomposition (tidy)")
    by_report = {
        f: {p: float(v) for p, v in zip(g["party"], g["value"], strict=True)}
        for f, g in tidy.groupby("feature")
    }
    assert by_run["land"] == pytest.approx({"SC": 1.0, "CQ": -1.0}, abs=1e-12)
    for parts in (by_compare, by_report):
        assert parts.keys() == by_run.keys()
        for feature, values in by_run.items():
            assert parts[feature] == pytest.approx(values, abs=1e-12)


@given(st.sampled_from(["fixed", "equity"]).flatmap(scenario_data))
def test_with_the_tax_clause_off_both_routes_agree_and_move_no_tax(data: dict[str, Any]) -> None:
    # the linear route (present values first) and the streams give the same NPVs and
    # the same "what the shares divide" with the tax clause off; no tax moves
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    terms = replace(linear_terms(scenario), tax_clause=False)
    full = evaluate(batch, terms)
    alone = evaluate_npv(batch, terms, divided=True)
    streams = model._streams_npv(batch, terms, model.CHUNK_SIZE, False, True)
    scale = max(float(np.abs(full.net).max(initial=0.0)), float(np.abs(full.source_tax).max()), 1.0)
    scale *= len(full.years)
    np.testing.assert_array_equal(full.tax, full.source_tax)
    np.testing.assert_allclose(alone.npv, full.npv, rtol=1e-12, atol=1e-12 * scale)
    assert alone.divided is not None and streams.divided is not None
    np.testing.assert_allclose(alone.divided, streams.divided, rtol=1e-12, atol=1e-12 * scale)


def test_benefit_without_surplus_is_undefined_not_a_number(tmp_path: Path) -> None:
    # going alone costs each side 1.0 of capex instead of its half of the joint 70:
    # v(N) − Σ v(i) < 0 after capex, so no capex shares are in proportion to the gains
    import tomllib

    import tomli_w
    from click.testing import CliRunner

    from sim.cli import main

    data = tomllib.loads((ROOT / "scenarios" / "gaozhu-clauses.toml").read_text("utf-8"))
    data["cooperation"] = {"synergy": 0.0, "standalone_capex": {"SC": 1.0, "CQ": 1.0}}
    path = tmp_path / "no-surplus.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    runner = CliRunner()
    run = runner.invoke(main, ["run", str(path)])
    assert run.exit_code == 2
    assert "undefined" in run.stderr and "no surplus" in run.stderr
    assert "v(N) − Σ v(i) ≤ 0" in run.stderr
    comp = runner.invoke(main, ["compare", str(path), "--format", "json"])
    assert comp.exit_code == 0, comp.output
    row = next(r for r in json.loads(comp.stdout)["results"] if r["label"] == "agreement")
    assert row["defined"] is False and row["npv"] == {"SC": None, "CQ": None}
    assert "no surplus" in row["note"]
