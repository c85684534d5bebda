"""The agreement layer: the scenario's game, fair-division rules delivered as pool shares,
acceptable shares."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sim.agreement.coalitions
from sim import batch_from_scenario, load_scenario, run
from sim.agreement import (
    OK,
    acceptable,
    coalition_game,
    coalition_values,
    corner_maps,
    fixed_sharing,
    outcome_npv,
    resolve,
)
from sim.agreement.coalitions import coalition_values_by_rows
from sim.agreement.shares import two_party_interval
from sim.agreement.terms import terms_for, written_terms
from sim.compare import compare
from sim.games.tu import shapley
from sim.scenario import Scenario, Sharing, loads, parse

from ..conftest import REFERENCE, ROOT, SCENARIOS
from ..strategies import scenario_data


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_grand_coalition_is_the_full_scenario(path: Any) -> None:
    scenario = load_scenario(path)
    game = coalition_game(scenario)
    assert game.total == pytest.approx(run(scenario).npv.sum(), rel=1e-12, abs=1e-12)


def share_map(scenario: Scenario, sharing: Sharing) -> np.ndarray:
    """``(P, P)``: NPV per party = M @ s for constant pool shares s, under ``sharing``."""
    corner = replace(
        sharing, rule="fixed", params={"shares": dict.fromkeys(scenario.party_ids, 0.5)}
    )
    return corner_maps(batch_from_scenario(scenario), written_terms(scenario, corner))[0]


class Delivered:
    """What a fair-division rule came to for one scenario."""

    def __init__(self, scenario: Scenario, sharing: Sharing) -> None:
        batch = batch_from_scenario(scenario)
        self.outcome = resolve(scenario, sharing, batch)
        self.exact = bool(self.outcome.status[0] == OK)
        self.target = self.outcome.target[0]
        self.shares = self.outcome.shares[0]
        self.achieved = outcome_npv(batch, self.outcome).npv[0]
        self.sharing = fixed_sharing(sharing, scenario.party_ids, self.shares)


def test_every_coalition_comes_from_one_batch_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = sim.agreement.coalitions.evaluate_npv

    def counting(batch: Any, terms: Any, **kw: Any) -> Any:
        calls.append(batch.size)
        return real(batch, terms, **kw)

    monkeypatch.setattr(sim.agreement.coalitions, "evaluate_npv", counting)
    scenario = load_scenario(ROOT / "scenarios" / "tri-city-formula.toml")
    coalition_values_by_rows(scenario)
    assert calls == [8]
    calls.clear()
    coalition_values(scenario)  # the fast form evaluates no coalition at all
    assert calls == []


@given(scenario_data(), st.floats(0.0, 1.0), st.data())
def test_coalition_values_equal_evaluating_every_coalition(
    data: dict[str, Any], synergy: float, draw: st.DataObject
) -> None:
    pids = [p["id"] for p in data["parties"]]
    data["cooperation"] = {"synergy": synergy}
    if draw.draw(st.booleans()):
        data["cooperation"]["standalone_capex"] = {
            p: draw.draw(st.floats(0.0, 30.0)) for p in pids if draw.draw(st.booleans())
        }
    if data["firms"] and draw.draw(st.booleans()):
        firm = data["firms"][0]["id"]
        data["cooperation"]["requires"] = {firm: draw.draw(st.lists(st.sampled_from(pids)))}
    scenario = parse(data)
    fast, rows = coalition_values(scenario), coalition_values_by_rows(scenario)
    scale = max(1.0, float(np.abs(rows).max()))
    np.testing.assert_allclose(fast, rows, rtol=0, atol=1e-10 * scale)


def _firm(firm_id: str, party: str, introducer: str, output: float) -> str:
    return f"""
[[firms]]
id = "{firm_id}"
party = "{party}"
introduced_by = "{introducer}"
first_year = 2020
output = {output}
value_added_ratio = 0.3
vat_rate = 0.1
profit_margin = 0.1
cit_rate = 0.2
wage_ratio = 0.1
pit_rate = 0.1
surcharge_rate = 0.1
other_local_rate = 0.01
"""


def _two_party(extra: str = "", introducer: str = "A") -> str:
    return f"""
[meta]
name = "t"
[horizon]
start_year = 2020
years = 5
discount_rate = 0.0
[[parties]]
id = "A"
[[parties]]
id = "B"
{_firm("fa", "A", introducer, 10.0)}
{_firm("fb", "B", "B", 5.0)}
[sharing]
rule = "fixed"
shares = {{ A = 0.5, B = 0.5 }}
{extra}"""


def test_without_interdependence_the_game_is_additive() -> None:
    game = coalition_game(loads(_two_party()))
    assert game.total == pytest.approx(game.standalone.sum(), rel=1e-12)


def test_a_firm_introduced_by_the_partner_needs_both() -> None:
    alone = coalition_game(loads(_two_party()))
    needs_both = coalition_game(loads(_two_party(introducer="B")))
    assert needs_both.standalone[0] == 0.0  # A's only firm came through B
    assert needs_both.total == pytest.approx(alone.total)


def test_synergy_scales_what_parties_produce_apart() -> None:
    plain = coalition_game(loads(_two_party()))
    synergy = coalition_game(loads(_two_party("[cooperation]\nsynergy = 0.25")))
    assert synergy.total == pytest.approx(plain.total, rel=1e-12)
    np.testing.assert_allclose(synergy.standalone, plain.standalone / 1.25, rtol=1e-12)


@pytest.mark.parametrize("name", ["gaozhu", "co-built-park", "suitong-liaoning-5-5"])
def test_shapley_shares_reproduce_the_shapley_npvs(name: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    game = coalition_game(scenario)
    r = Delivered(
        scenario,
        Sharing(rule="shapley", scope=scenario.sharing.scope, base_year=scenario.sharing.base_year),
    )
    assert r.exact
    np.testing.assert_allclose(r.achieved, shapley(game), rtol=0, atol=1e-9)
    again = run(scenario, r.sharing).npv[0]
    np.testing.assert_allclose(again, shapley(game), rtol=0, atol=1e-9)


@given(scenario_data(rule="fixed"))
def test_shares_deliver_targets_whenever_they_can(data: dict[str, Any]) -> None:
    data = copy.deepcopy(data)
    data["parties"] = data["parties"][:2]
    keep = {p["id"] for p in data["parties"]}
    for firm in data["firms"]:
        firm["party"] = firm["party"] if firm["party"] in keep else "SC"
        firm["introduced_by"] = firm["introduced_by"] if firm["introduced_by"] in keep else "CQ"
    for sale in data["land_sales"]:
        sale["party"] = sale["party"] if sale["party"] in keep else "CQ"
    data["investment"]["equity"] = {"SC": 0.5, "CQ": 0.5}
    # clause shares name the dropped parties: keep only clauses written by name
    sharing = {
        k: v
        for k, v in data["sharing"].items()
        if (k != "floors" and not isinstance(v, dict)) or k in ("shares", "weights")
    }
    sharing["shares"] = {"SC": 0.5, "CQ": 0.5}
    data["sharing"] = sharing
    scenario = parse(data)
    r = Delivered(
        scenario,
        Sharing(
            rule="shapley",
            scope=scenario.sharing.scope,
            from_year=scenario.sharing.from_year,
            years=scenario.sharing.years,
            compliance=scenario.sharing.compliance,
            clauses={"land": scenario.sharing.clause("land")},
        ),
    )
    scale = max(1.0, float(np.abs(r.target).max()))
    m = share_map(scenario, r.sharing)
    # two parties: NPV(s) runs along the segment between the two corner shares
    a = (m @ np.array([1.0, 0.0]))[0] - r.target[0]
    b = (m @ np.array([0.0, 1.0]))[0] - r.target[0]
    reachable = a * b < -1e-6 * scale**2
    if reachable:
        assert r.exact
    if r.exact:
        np.testing.assert_allclose(run(scenario, r.sharing).npv[0], r.target, atol=1e-9 * scale)
    assert np.all(r.shares >= 0) and abs(r.shares.sum() - 1) < 1e-12


def test_fair_rule_in_the_scenario_file_runs_as_its_shares() -> None:
    text = (ROOT / "scenarios" / "gaozhu.toml").read_text(encoding="utf-8")
    text = text.replace(
        '[sharing]\nrule = "fixed"\nshares = { SC = 0.5, CQ = 0.5 }',
        '[sharing]\nrule = "nucleolus"',
    )
    scenario = loads(text)
    result = run(scenario)
    assert result.rule == "nucleolus"
    game = coalition_game(scenario)
    assert game.in_core(result.npv[0], tol=1e-9)


def test_unreachable_target_uses_nearest_shares_and_says_so() -> None:
    # an agreement over a tiny window cannot move enough money to reach the Shapley NPVs
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    narrow = Sharing(rule="shapley", scope="new_firms", from_year=2025, years=1)
    r = Delivered(scenario, narrow)
    assert not r.exact
    assert "no constant pool shares" in " ".join(r.outcome.notes)
    assert r.shares.min() == pytest.approx(0.0, abs=1e-12) or r.shares.max() == pytest.approx(1.0)


def test_acceptable_interval_ends_leave_one_party_at_its_standalone_value() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    game = coalition_game(scenario)
    ok = acceptable(scenario)
    assert ok.feasible and ok.interval is not None
    m = share_map(scenario, scenario.sharing)
    lo, hi = ok.interval
    at_lo, at_hi = m @ np.array([lo, 1 - lo]), m @ np.array([hi, 1 - hi])
    scale = float(np.abs(game.v).max())
    assert at_lo[0] == pytest.approx(game.standalone[0], abs=1e-6 * scale)
    assert at_hi[1] == pytest.approx(game.standalone[1], abs=1e-6 * scale)


def test_compare_marks_participation_and_core() -> None:
    comparison = compare(load_scenario(ROOT / "scenarios" / "gaozhu.toml"))
    rows = {r.label: r for r in comparison.rows}
    assert rows["shapley"].in_core and rows["shapley"].all_gain_vs_standalone
    assert not rows["agreement"].all_gain_vs_standalone  # SC would do better alone
    assert {"shapley", "nucleolus", "nash"} <= set(rows)


def test_reference_example_still_gives_the_same_numbers() -> None:
    # the [cooperation] extension leaves SPEC's reference example unchanged
    assert run(load_scenario(REFERENCE)).npv[0].tolist() == pytest.approx(
        [18.930726165798724, 15.6538319514145], rel=1e-12
    )


def test_two_party_interval_agrees_with_the_linear_programmes() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    game = coalition_game(scenario)
    m = share_map(scenario, scenario.sharing)
    low, high = two_party_interval(np.array([m[0, 1]]), np.array([m[0, 0]]), game.v[None, :])
    ok = acceptable(scenario)
    assert (low[0], high[0]) == pytest.approx(ok.interval, abs=1e-9)
    # no acceptable share: both parties demand more than there is
    none = two_party_interval(np.array([0.0]), np.array([1.0]), np.array([[0, 0.8, 0.8, 1.0]]))
    assert np.isnan(none[0][0]) and np.isnan(none[1][0])


def test_terms_for_refuses_what_must_be_resolved_first() -> None:
    from sim.errors import RuleError

    scenario = load_scenario(ROOT / "scenarios" / "gaozhu-clauses.toml")  # capex by benefit
    with pytest.raises(RuleError, match="investment = 'benefit' needs each scenario's game"):
        terms_for(scenario)
    with pytest.raises(RuleError, match="rule 'shapley' needs"):
        terms_for(scenario, Sharing(rule="shapley"))
    assert terms_for(load_scenario(REFERENCE)).rule == "fixed"
