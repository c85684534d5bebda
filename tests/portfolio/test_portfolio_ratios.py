"""The package's second linear programme: the per-park pool ratios closest to the
drafted ones that make every party accept the package."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim.agreement.shares import share_map
from sim.model import evaluate_npv
from sim.portfolio import consolidate, load_portfolio, package
from sim.portfolio.ratios import package_ratios, park_npv_at

ROOT = Path(__file__).resolve().parents[2]
PAIR = ROOT / "scenarios" / "portfolios" / "gaozhu-neirong.toml"
SHIPPED = ROOT / "scenarios" / "portfolios" / "chengyu.toml"


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    c = consolidate(load_portfolio(PAIR))
    return c, package(c)


def _package_npv(c, pk, shares):  # type: ignore[no-untyped-def]
    """Each party's NPV in the package with ``shares`` per park, from the real model."""
    npv = np.array(pk.package, dtype=float)
    rate = c.portfolio.discount_rate
    for k, run in enumerate(c.runs):
        if run.park.id not in shares:
            continue
        moved = park_npv_at(c, k, shares[run.park.id]) - run.result.npv[0]
        for i, q in enumerate(run.owner):
            npv[q] += moved[i] * (1.0 + rate) ** -run.offset
    return npv


def test_by_hand_the_cheapest_park_moves_just_enough(pair) -> None:  # type: ignore[no-untyped-def]
    c, pk = pair
    sc = c.portfolio.party_ids.index("SC")
    assert not pk.accepts[sc]  # SC loses to standing alone: there is something to find
    r = package_ratios(c, pk)
    assert r.held == {} and r.shares is not None and r.npv is not None
    # moving a share δ to SC in park k gives it K_k δ and costs 2δ of deviation: the
    # least deviation takes all of SC's shortfall from the park worth the most per share
    rate = c.portfolio.discount_rate
    slopes = [
        float(share_map(run.batch, run.outcome.terms).slope[0]) * (1 + rate) ** -run.offset
        for run in c.runs
    ]
    shortfall = -pk.gain[sc]
    assert r.deviation == pytest.approx(2 * shortfall / max(slopes), rel=1e-9)
    assert r.npv[sc] == pytest.approx(pk.alone[sc], rel=1e-9)
    assert r.npv.sum() == pytest.approx(pk.package.sum(), rel=1e-12)  # shares move money


def test_the_ratios_found_are_accepted_on_the_model_and_nearest_on_a_grid(pair) -> None:  # type: ignore[no-untyped-def]
    c, pk = pair
    r = package_ratios(c, pk)
    assert r.shares is not None
    scale = max(1.0, float(np.abs(pk.package).max()))
    real = _package_npv(c, pk, r.shares)
    assert (real - pk.alone >= -1e-9 * scale).all()
    assert real == pytest.approx(r.npv, rel=1e-9, abs=1e-9)
    # brute force: every pair of shares on a grid, evaluated on the model
    grid = np.linspace(0.0, 1.0, 51)
    npv = np.zeros((len(c.runs), len(grid), 2))
    for k, run in enumerate(c.runs):
        shares = np.stack([grid, 1 - grid], axis=1)
        terms = replace(run.outcome.terms, params={"shares": shares})
        got = evaluate_npv(run.batch.repeat(len(grid)), terms)[0]
        npv[k] = (got - run.result.npv[0]) * (1 + c.portfolio.discount_rate) ** -run.offset
    best = np.inf
    for a in range(len(grid)):
        for b in range(len(grid)):
            x = pk.package.copy()
            for k, g in ((0, a), (1, b)):
                for i, q in enumerate(c.runs[k].owner):
                    x[q] += npv[k, g, i]
            if (x - pk.alone >= -1e-9 * scale).all():
                dev = sum(
                    np.abs(np.array([grid[g], 1 - grid[g]]) - r.drafted[c.runs[k].park.id]).sum()
                    for k, g in ((0, a), (1, b))
                )
                best = min(best, dev)
    assert np.isfinite(best)  # the grid has some accepted ratios
    assert r.deviation <= best + 1e-9


def test_a_park_not_affine_in_its_shares_is_held_and_an_accepted_package_moves_nothing() -> None:
    c = consolidate(load_portfolio(SHIPPED))
    pk = package(c)
    r = package_ratios(c, pk)
    assert r.held == {"wandakai": "rule"}  # shares by equity: not a constant-shares park
    assert pk.accepts.all() and r.deviation == 0.0 and not r.changed
    assert r.shares is not None and set(r.shares) == {"gaozhu", "suitong", "neirong"}


def test_compare_and_the_report_show_the_same_ratios() -> None:
    import json

    from click.testing import CliRunner

    from sim.cli import main
    from sim.portfolio.report import portfolio_report

    got = CliRunner().invoke(main, ["portfolio", "compare", str(PAIR), "--format", "json"])
    doc = json.loads(got.output)["ratios"]
    assert doc["held"] == {} and doc["deviation"] > 0
    text = CliRunner().invoke(main, ["portfolio", "compare", str(PAIR)]).output
    assert "gaozhu (SC:CQ): 0.5:0.5 → " in text
    c = consolidate(load_portfolio(PAIR))
    table = list(portfolio_report(c, package(c)).tables.values())[-1]
    for _, row in table.iterrows():
        assert row["closest accepted"] == pytest.approx(
            doc["shares"][row["park"]][row["party"]], rel=1e-12
        )
        assert row["as drafted"] == doc["drafted"][row["park"]][row["party"]]
