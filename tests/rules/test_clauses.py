"""The clauses of an agreement, fair-division targets for a batch, floors and the decomposition."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from sim import batch_from_scenario, load_scenario
from sim.agreement import (
    OK,
    UNDEFINED,
    UNREACHED,
    Context,
    acceptable,
    coalition_values,
    decompose,
    outcome_npv,
    outcome_result,
    resolve,
    run,
)
from sim.agreement.shares import corner_maps, npv_with_shares, project, share_map
from sim.games import solutions
from sim.games.cost import allocate_batch
from sim.games.tu import Game, GameUndefinedError
from sim.model import StreamTerms
from sim.rules import get_rule, rule_names
from sim.scenario import Clause, Sharing, loads, parse

from ..conftest import ROOT
from ..strategies import scenario_data

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
CHUANZHE = ROOT / "scenarios" / "chuanzhe-6-4-floor.toml"
TRI = ROOT / "scenarios" / "tri-city-formula.toml"


def with_sharing(path: Path, **changes: Any) -> Any:
    """The scenario at ``path`` with ``[sharing]`` keys replaced (``None`` removes one)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data["sharing"].pop(key, None)
        else:
            data["sharing"][key] = value
    return loads(tomli_w.dumps(data), source=str(path))


# --------------------------------------------------------------------------- targets


@st.composite
def batches_of_games(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(2, 4))
    m = draw(st.integers(1, 4))
    rows = [
        draw(st.lists(st.integers(-20, 60), min_size=1 << n, max_size=1 << n)) for _ in range(m)
    ]
    v = np.array(rows, dtype=float)
    v[:, 0] = 0.0
    return v


ONE_GAME = {  # each target rule's one-game solution in sim.games (bargaining on the game)
    "nash": lambda g: solutions.get("bargaining", "nash").func(g.total, g.standalone),
    "egalitarian": lambda g: solutions.get("bargaining", "egalitarian").func(g.total, g.standalone),
    "kalai_smorodinsky": lambda g: solutions.get("bargaining", "kalai_smorodinsky").func(
        g.total,
        g.standalone,
        limits=[g.total - g.v[g.grand & ~(1 << i)] for i in range(g.n)],
    ),
}


@pytest.mark.parametrize("rule", rule_names("target"))
@given(v=batches_of_games())
def test_batched_targets_equal_one_game_at_a_time(rule: str, v: np.ndarray) -> None:
    spec = get_rule(rule)
    assert spec.target is not None
    batched = spec.target(v, {})
    one = ONE_GAME.get(rule) or solutions.get("tu", rule).func
    n = v.shape[1].bit_length() - 1
    for r in range(v.shape[0]):
        game = Game(tuple(map(str, range(n))), v[r])
        try:
            expected = one(game)
        except GameUndefinedError:
            assert batched.reasons[r] and np.isnan(batched.values[r]).all()
            continue
        assert not batched.reasons[r]
        np.testing.assert_allclose(batched.values[r], expected, atol=1e-8)


# --------------------------------------------------------------------------- floors


def test_floors_are_met_exactly_by_a_fair_division_rule() -> None:
    # published: not applicable; regression of the reproduction (ZJ 0.4453 / QC 0.7890)
    scenario = with_sharing(CHUANZHE, rule="nash", shares=None)
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, batch=batch)
    assert out.status.tolist() == [OK]
    npv = outcome_npv(batch, out).npv[0]
    np.testing.assert_allclose(npv, out.target[0], rtol=0, atol=1e-12)
    # the floors bind: the shares found without them would miss the target
    maps = corner_maps(batch, out.terms)
    naive = np.linalg.lstsq(np.vstack([maps[0], np.ones((1, 2))]), [*out.target[0], 1], rcond=None)
    at_naive = npv_with_shares(batch, out.terms)(naive[0][None, :], np.array([0]))[0]
    assert np.abs(at_naive - out.target[0]).max() > 1e-6


def test_floors_with_three_parties_deliver_the_nucleolus() -> None:
    # TL's tax is below 0.3 a year in the first years: the floor binds there
    scenario = with_sharing(TRI, rule="nucleolus", weights=None, floors={"TL": 0.3})
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, batch=batch)
    assert out.status.tolist() == [OK]
    np.testing.assert_allclose(outcome_npv(batch, out).npv[0], out.target[0], atol=1e-9)
    # a floor of 0.4 guarantees TL more than the nucleolus gives it: out of reach, and
    # the nearest shares are searched on the model (TL's NPV is as low as it can be)
    high = with_sharing(TRI, rule="nucleolus", weights=None, floors={"TL": 0.4})
    far = resolve(high, batch=batch)
    assert far.status.tolist() == [UNREACHED]
    npv = outcome_npv(batch, far).npv[0]
    assert np.abs(npv - far.target[0]).max() < 0.35  # a grid search finds no better than 0.30


def test_unreached_means_no_share_reaches_the_target() -> None:
    scenario = load_scenario(GAOZHU)
    narrow = Sharing(rule="shapley", scope="new_firms", from_year=2025, years=1, floors={"CQ": 0.1})
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, narrow, batch)
    assert out.status.tolist() == [UNREACHED]
    npv_at = npv_with_shares(batch, out.terms)
    ends = npv_at(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 0]))[:, 0]
    assert not ends.min() <= out.target[0, 0] <= ends.max()


def test_acceptable_interval_with_floors_is_checked_on_the_model() -> None:
    scenario = load_scenario(CHUANZHE)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    ok = acceptable(scenario, batch=batch, context=ctx)
    assert ok.feasible and ok.interval is not None
    lo, hi = ok.interval
    out = resolve(scenario, batch=batch, context=ctx)
    npv_at = npv_with_shares(batch, out.terms)
    alone = ctx.standalone[0]
    inside = np.linspace(lo, hi, 7)
    npv = npv_at(np.column_stack([inside, 1 - inside]), np.zeros(7, dtype=np.intp))
    assert np.all(npv >= alone - 1e-9)
    eps = 1e-6
    for outside in (lo - eps, hi + eps):
        if 0 <= outside <= 1:
            at = npv_at(np.array([[outside, 1 - outside]]), np.array([0]))[0]
            assert np.any(at < alone)


# --------------------------------------------------------------------------- clauses


def test_land_by_fixed_shares_divides_net_land_income_in_the_window() -> None:
    scenario = with_sharing(GAOZHU, land={"rule": "fixed", "shares": {"SC": 0.7, "CQ": 0.3}})
    result = run(scenario)
    total = result.land.sum(axis=1)[0]
    window = total != 0
    np.testing.assert_allclose(result.land[0, 0, window], 0.7 * total[window])


def test_dividends_by_fixed_shares_every_year() -> None:
    scenario = with_sharing(GAOZHU, dividends={"rule": "fixed", "shares": {"SC": 0.8, "CQ": 0.2}})
    result = run(scenario)
    payout = result.dividends.sum(axis=1)[0]
    np.testing.assert_allclose(result.dividends[0, 0], 0.8 * payout)
    # against no agreement (dividends by equity 50:50), SC gains 0.3 of every payout
    moved = result.moved[0, 0] - (result.tax - result.source_tax)[0, 0]
    np.testing.assert_allclose(moved, 0.3 * payout, atol=1e-12)


def test_statistics_split_follows_the_tax_shares_and_is_never_money() -> None:
    plain = run(load_scenario(GAOZHU))
    scenario = with_sharing(GAOZHU, statistics="tax")
    result = run(scenario)
    np.testing.assert_array_equal(result.net, plain.net)  # statistics are not money
    assert result.statistics is not None and plain.statistics is not None
    output = result.statistics["output"][0]
    # 50:50 in the agreement's years (the whole horizon here)
    np.testing.assert_allclose(output[0], output.sum(axis=0) / 2)
    np.testing.assert_allclose(output.sum(axis=0), plain.statistics["output"][0].sum(axis=0))


def test_investment_by_a_cost_rule_pays_the_cost_allocation() -> None:
    data = tomllib.loads(GAOZHU.read_text(encoding="utf-8"))
    data["sharing"]["investment"] = "scrb"
    data["cooperation"] = {"standalone_capex": {"SC": 40.0, "CQ": 30.0}}  # joint plan saves
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    out = resolve(scenario, batch=batch, context=ctx)
    alloc, _ = allocate_batch("scrb", ctx.costs)
    np.testing.assert_allclose(out.capex_shares, alloc / ctx.costs[:, -1:])
    result = outcome_result(batch, out)
    capex = batch.capex[0]
    np.testing.assert_allclose(-result.investment[0], out.capex_shares[0][:, None] * capex)


def test_cost_rules_without_standalone_capex_keep_equity() -> None:
    # by default each party alone spends its equity share: no saving, so every cost rule
    # charges exactly the equity shares
    for rule in ("scrb", "shapley", "nucleolus", "per_capita_nucleolus"):
        out = resolve(with_sharing(ROOT / "scenarios" / "co-built-park.toml", investment=rule))
        assert out.status.tolist() == [OK]
        np.testing.assert_allclose(out.capex_shares, [[0.5, 0.5]], atol=1e-9)


def test_a_joint_plan_dearer_than_going_alone_has_no_nucleolus() -> None:
    # Gaozhu's parties would spend 25 and 30 alone, less than the joint plan: no saving
    out = resolve(with_sharing(GAOZHU, investment="nucleolus"))
    assert out.status.tolist() == [UNDEFINED]
    assert "c(N) exceeds the sum of the standalone costs" in out.reasons[0]
    shapley = resolve(with_sharing(GAOZHU, investment="shapley"))
    assert shapley.status.tolist() == [OK]  # the Shapley value is always defined


def test_benefit_shares_are_in_proportion_to_the_gains() -> None:
    data = tomllib.loads(GAOZHU.read_text(encoding="utf-8"))
    data["sharing"]["investment"] = "benefit"
    data["sharing"]["rule"] = "shapley"
    del data["sharing"]["shares"]
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    out = resolve(scenario, batch=batch, context=ctx)
    assert out.status.tolist() == [OK]
    gain = outcome_npv(batch, out).npv[0] - ctx.standalone[0]
    assert np.all(gain > 0)
    np.testing.assert_allclose(out.capex_shares[0], gain / gain.sum(), atol=1e-9)


def test_benefit_is_undefined_when_a_party_would_lose_paying_nothing() -> None:
    # all of SC's tax goes to CQ, and there is almost no capex to spare SC: SC ends
    # below its standalone value even if it pays nothing
    data = tomllib.loads((ROOT / "scenarios" / "co-built-park.toml").read_text(encoding="utf-8"))
    data["sharing"] = {
        "rule": "fixed",
        "shares": {"SC": 0.0, "CQ": 1.0},
        "investment": "benefit",
    }
    data["investment"]["capex"] = {"2021": 0.01}
    out = resolve(parse(data))
    assert out.status.tolist() == [UNDEFINED]
    assert "lose from cooperating even paying none" in out.reasons[0]


@given(scenario_data())
def test_benefit_is_a_fixed_point_wherever_defined(data: dict[str, Any]) -> None:
    data["sharing"]["investment"] = "benefit"
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    out = resolve(scenario, batch=batch, context=ctx)
    if out.status[0] == UNDEFINED or batch.capex.sum() <= 1e-9:  # no capex: shares are moot
        return
    gain = outcome_npv(batch, out).npv[0] - ctx.standalone[0]
    scale = max(1.0, float(np.abs(ctx.values).max()))
    np.testing.assert_allclose(out.capex_shares[0] * gain.sum(), gain, atol=1e-9 * scale)


# --------------------------------------------------------------------------- decomposition


@given(scenario_data())
def test_decomposition_sums_to_the_gain_over_no_agreement(data: dict[str, Any]) -> None:
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    out = resolve(scenario, batch=batch)
    d = decompose(batch, out)
    result = outcome_result(batch, out)
    gain = result.npv[0] - result.source_npv[0]
    scale = max(1.0, float(np.abs(result.npv).max()))
    np.testing.assert_allclose(d.parts[0].sum(axis=0), gain, atol=1e-9 * scale)
    np.testing.assert_allclose(d.parts[0].sum(axis=1), 0.0, atol=1e-9 * scale)  # zero-sum


def test_compliance_without_anything_to_settle_contributes_nothing() -> None:
    # null player: with the tax at source and land shared, compliance scales only land
    scenario = with_sharing(
        GAOZHU,
        rule="source",
        shares=None,
        compliance=0.6,
        scope=None,
        base_year=None,
        land="shared",
    )
    d = decompose(batch_from_scenario(scenario), resolve(scenario))
    assert d.features == ("land", "compliance")
    # source has no shares, so land stays at source and there is nothing to settle
    np.testing.assert_allclose(d.parts[0], 0.0, atol=1e-12)


def test_decomposition_of_a_gaozhu_agreement_with_every_clause() -> None:
    scenario = with_sharing(
        GAOZHU,
        compliance=0.8,
        floors={"CQ": 0.1},
        land="shared",
        dividends={"rule": "fixed", "shares": {"SC": 0.6, "CQ": 0.4}},
        investment={"rule": "fixed", "shares": {"SC": 0.4, "CQ": 0.6}},
    )
    d = decompose(batch_from_scenario(scenario), resolve(scenario))
    assert d.features == ("tax", "land", "dividends", "investment", "compliance", "floors")
    parts = dict(zip(d.features, d.parts[0], strict=True))
    assert parts["dividends"][0] > 0 > parts["investment"][1]  # SC gets more, CQ pays more
    assert parts["compliance"][0] < 0  # settling less of what moves to SC costs SC


def test_sharing_clause_setters_keep_old_files_meaning() -> None:
    s = load_scenario(ROOT / "scenarios" / "co-built-park.toml").sharing
    assert s.clause("land") == Clause("source") and s.clause("dividends") == Clause("equity")
    assert s.clause("investment") == Clause("equity") and s.clause("statistics") == Clause("source")
    shared = s.with_clause("land", Clause("shared"))
    assert shared.clause("land").rule == "shared"
    assert MappingProxyType({}) == s.clause("investment").params
    assert coalition_values(load_scenario(GAOZHU)).shape == (1, 4)


@given(scenario_data(), st.data())
def test_the_two_corner_map_is_the_model(data: dict[str, Any], draw: st.DataObject) -> None:
    # NPV_p(s) = base_p + K s_p for constant shares without floors, a cap or a review,
    # whatever the scope, window, compliance and clauses: the map from two corners equals
    # every corner and the model at random shares
    for piecewise in ("floors", "cap", "review"):
        data["sharing"].pop(piecewise, None)
    scenario = parse(data)
    batch = batch_from_scenario(scenario)
    terms = replace(resolve(scenario, batch=batch).terms, rule="fixed")
    n = len(scenario.party_ids)
    terms = replace(terms, params={"shares": np.full((1, n), 1.0 / n)})
    smap = share_map(batch, terms)
    full = corner_maps(batch, terms)
    scale = max(1.0, float(np.abs(full).max()))
    np.testing.assert_allclose(smap.matrix(), full, rtol=0, atol=1e-10 * scale)
    raw = np.array([draw.draw(st.floats(0.0, 1.0)) for _ in range(n)]) + 1e-3
    shares = (raw / raw.sum())[None, :]
    model = npv_with_shares(batch, terms)(shares, np.array([0]))
    np.testing.assert_allclose(smap.npv(shares), model, rtol=0, atol=1e-10 * scale)


@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.floats(-3, 3), min_size=n, max_size=n)))
def test_projection_is_the_nearest_point_of_the_simplex(point: list[float]) -> None:
    s = np.array([point])
    p = project(s)[0]
    assert abs(p.sum() - 1) < 1e-12 and p.min() >= 0
    # no vertex and no random point of the simplex is nearer
    rng = np.random.default_rng(0)
    others = np.vstack([np.eye(len(point)), rng.dirichlet(np.ones(len(point)), 200)])
    assert np.linalg.norm(s[0] - p) <= np.linalg.norm(others - s[0], axis=1).min() + 1e-12


def _fixed_at(sharing: Sharing, parties: tuple[str, ...], shares: np.ndarray) -> Sharing:
    from sim.agreement import fixed_sharing

    return fixed_sharing(sharing, parties, shares)


def test_benefit_follows_the_pool_shares_actually_used() -> None:
    # settling only 20% leaves the Shapley targets out of reach; the capex must still be
    # paid in proportion to the gains at the nearest shares, exactly as a fixed agreement
    # at those shares would pay it
    scenario = with_sharing(ROOT / "scenarios" / "gaozhu-clauses.toml", compliance=0.2)
    batch = batch_from_scenario(scenario)
    shapley = replace(scenario.sharing, rule="shapley", params=MappingProxyType({}))
    out = resolve(scenario, shapley, batch)
    assert out.status.tolist() == [UNREACHED]
    fixed = resolve(scenario, _fixed_at(scenario.sharing, scenario.party_ids, out.shares[0]), batch)
    np.testing.assert_allclose(out.capex_shares, fixed.capex_shares, atol=1e-12)
    np.testing.assert_allclose(
        outcome_npv(batch, out).npv, outcome_npv(batch, fixed).npv, atol=1e-9
    )


@given(st.floats(0.0, 1.0), st.booleans())
def test_benefit_share_map_is_the_agreement_resolved_at_each_share(x: float, floors: bool) -> None:
    from sim.agreement import benefit_of
    from sim.agreement.shares import share_map as map_of

    extra = {"floors": {"CQ": 0.15}} if floors else {}
    scenario = with_sharing(ROOT / "scenarios" / "gaozhu-clauses.toml", **extra)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    at = resolve(
        scenario,
        _fixed_at(scenario.sharing, scenario.party_ids, np.array([x, 1 - x])),
        batch,
        context=ctx,
    )
    npv = outcome_npv(batch, at).npv[0]
    terms = at.terms.with_clause("investment", StreamTerms("equity"))
    benefit = benefit_of(ctx)
    model = npv_with_shares(batch, terms, benefit)(np.array([[x, 1 - x]]), np.array([0]))[0]
    np.testing.assert_allclose(model, npv, atol=1e-9)
    if not floors:
        followed = benefit.follow(map_of(batch, terms)).npv(np.array([[x, 1 - x]]))[0]
        np.testing.assert_allclose(followed, npv, atol=1e-9)
