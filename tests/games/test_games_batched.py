"""The batched nucleolus against the per-game LPs and Kohlberg's criterion (hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.games import batched
from sim.games.batched import nucleoli
from sim.games.cost import allocate_batch, cost_nucleolus, per_capita_nucleolus
from sim.games.nucleolus import kohlberg_balanced, nucleolus, prenucleolus, weighted_nucleolus
from sim.games.tu import Game, coalition_sums, popcount, solve_each, tau_value
from sim.rules.fair import per_game, tau_value_targets


@st.composite
def batches(draw: st.DrawFn, min_n: int = 2, max_n: int = 5) -> np.ndarray:
    """A few games of the same size: small integers, so that ties (and empty
    imputation sets) are frequent and exact."""
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, 6))
    rows = draw(
        st.lists(
            st.lists(st.integers(-20, 60), min_size=1 << n, max_size=1 << n),
            min_size=m,
            max_size=m,
        )
    )
    v = np.array(rows, dtype=float)
    v[:, 0] = 0.0
    return v


@st.composite
def weightings(draw: st.DrawFn, n: int) -> np.ndarray | None:
    kind = draw(st.sampled_from(["none", "per capita", "random"]))
    if kind == "none":
        return None
    if kind == "per capita":
        w = popcount(n).astype(float)
    else:
        w = np.array(draw(st.lists(st.integers(1, 5), min_size=1 << n, max_size=1 << n)), float)
    w[0] = 1.0
    return w


def _per_game(v: np.ndarray, imputation: bool, w: np.ndarray | None) -> Any:
    if w is not None:
        return solve_each(lambda g: weighted_nucleolus(g, w, imputation=imputation), v)
    return solve_each(nucleolus if imputation else prenucleolus, v)


def _check(v: np.ndarray, imputation: bool, w: np.ndarray | None) -> None:
    x, why = nucleoli(v, imputation=imputation, weights=w)
    expected, reasons = _per_game(v, imputation, w)
    assert why == reasons
    n = v.shape[1].bit_length() - 1
    for r in range(len(v)):
        if reasons[r]:
            assert np.isnan(x[r]).all()
            continue
        scale = max(1.0, float(np.abs(v[r]).max()))
        np.testing.assert_allclose(x[r], expected[r], rtol=0, atol=1e-9 * scale)
        game = Game(tuple(map(str, range(n))), v[r])
        assert kohlberg_balanced(game, x[r], imputation=imputation, weights=w)


@given(batches(), st.booleans(), st.data())
def test_batched_equals_the_per_game_lps_and_is_kohlberg_balanced(
    v: np.ndarray, imputation: bool, data: st.DataObject
) -> None:
    w = data.draw(weightings(v.shape[1].bit_length() - 1))
    _check(v, imputation, w)


@given(batches(min_n=3, max_n=5), st.booleans())
def test_the_block_lps_alone_give_the_same(v: np.ndarray, imputation: bool) -> None:
    """With step (1) switched off every game goes through the block-diagonal LPs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batched, "PATIENCE", 0)
        patch.setattr(batched, "_KNOWN", batched._Known())
        _check(v, imputation, None)


@given(batches(max_n=4), st.booleans())
def test_a_games_result_does_not_depend_on_its_batch(v: np.ndarray, imputation: bool) -> None:
    together = nucleoli(v, imputation=imputation)[0]
    for r in range(len(v)):
        alone = nucleoli(v[r : r + 1], imputation=imputation)[0][0]
        np.testing.assert_array_equal(alone, together[r])
        reverse = nucleoli(v[::-1], imputation=imputation)[0][len(v) - 1 - r]
        np.testing.assert_array_equal(reverse, together[r])


def park_games(n: int, m: int, seed: int) -> np.ndarray:
    """A sweep of one park's game: one party's size, the synergy and a discount factor
    uncertain; going alone costs a fixed amount."""
    rng = np.random.default_rng(seed)
    w = np.tile(np.linspace(1.0, 2.0, n), (m, 1))
    w[:, 0] *= rng.uniform(0.5, 1.5, size=m)
    size = popcount(n)
    synergy = 1 + rng.uniform(0.0, 0.2, size=(m, 1)) * (size - 1)
    v = coalition_sums(w) * synergy * rng.uniform(0.8, 1.0, size=(m, 1)) - 0.3 * (size == 1)
    v[:, 0] = 0.0
    return np.asarray(v)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_a_sweep_of_similar_games_needs_few_lps(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Games that share their structure are solved by its linear map, not by LPs."""
    v = park_games(n, 2000, n)
    calls = []
    one = batched._Batch.one

    def counted(self: Any, r: int) -> np.ndarray:
        calls.append(r)
        return one(self, r)

    monkeypatch.setattr(batched._Batch, "one", counted)
    monkeypatch.setattr(batched, "_KNOWN", batched._Known())
    x, why = nucleoli(v)
    assert not any(why) and len(calls) <= 4
    sample = slice(0, 2000, 97)
    np.testing.assert_allclose(x[sample], solve_each(nucleolus, v[sample])[0], atol=1e-9)
    for r in range(0, 2000, 97):
        assert kohlberg_balanced(Game(tuple(map(str, range(n))), v[r]), x[r], imputation=True)


def test_more_players_than_the_block_lps_take() -> None:
    v = park_games(batched.BLOCK_PLAYERS + 1, 2, 1)
    x, why = nucleoli(v)
    assert why == ("", "")
    np.testing.assert_allclose(x, solve_each(nucleolus, v)[0], atol=1e-9)


def test_one_player_and_bad_input() -> None:
    x, why = nucleoli(np.array([[0.0, 5.0], [0.0, -1.0]]))
    assert x.tolist() == [[5.0], [-1.0]] and why == ("", "")
    x, why = nucleoli(np.array([[0.0, 1.0, 2.0, np.nan], [0.0, 1.0, 2.0, np.inf]]))
    assert np.isnan(x).all() and all("not finite" in w for w in why)
    with pytest.raises(ValueError, match="2\\^n"):
        nucleoli(np.zeros((1, 6)))
    with pytest.raises(ValueError, match="positive"):
        nucleoli(np.zeros((1, 4)), weights=np.array([1.0, 0.0, 1.0, 1.0]))


@given(batches())
def test_tau_value_targets_equal_the_per_game_tau_value(v: np.ndarray) -> None:
    v[:, -1] += 60  # quasi-balanced more often
    batch = tau_value_targets(v, {})
    one = per_game(tau_value, v)
    assert batch.reasons == one.reasons
    np.testing.assert_array_equal(batch.values, one.values)


@given(st.integers(2, 5), st.integers(0, 2**32 - 1))
def test_cost_nucleoli_batched_equal_the_per_game_rules(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    alone = rng.integers(5, 20, size=(5, n)).astype(float)
    costs = np.round(coalition_sums(alone) * rng.uniform(0.6, 1.05, size=(5, 1 << n)))
    costs[:, 0] = 0.0
    for name, rule in (
        ("nucleolus", cost_nucleolus),
        ("per_capita_nucleolus", per_capita_nucleolus),
    ):
        x, why = allocate_batch(name, costs)
        expected, reasons = solve_each(rule, costs)
        assert why == reasons
        np.testing.assert_allclose(x, expected, atol=1e-9 * np.abs(costs).max())
