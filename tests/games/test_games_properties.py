"""Defining properties of the game rules, over random games (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from sim.games.bargaining import egalitarian, kalai_smorodinsky, nash
from sim.games.claims import (
    constrained_equal_awards,
    constrained_equal_losses,
    proportional,
    random_arrival,
    talmud,
)
from sim.games.nucleolus import (
    core_report,
    kohlberg_balanced,
    nucleolus,
    nucleolus_all_constraints,
    prenucleolus,
)
from sim.games.tu import Game, GameUndefinedError, shapley, shapley_by_orders

CLAIMS_RULES = [
    proportional,
    constrained_equal_awards,
    constrained_equal_losses,
    talmud,
    random_arrival,
]


@st.composite
def games(draw: st.DrawFn, min_n: int = 2, max_n: int = 5) -> Game:
    n = draw(st.integers(min_n, max_n))
    values = draw(st.lists(st.integers(-20, 60), min_size=1 << n, max_size=1 << n))
    v = np.array(values, dtype=float)
    v[0] = 0.0
    return Game(tuple(f"p{i}" for i in range(n)), v)


@given(games())
def test_shapley_equals_the_average_over_orders(game: Game) -> None:
    np.testing.assert_allclose(shapley(game), shapley_by_orders(game), atol=1e-9)


@given(games())
def test_shapley_is_efficient(game: Game) -> None:
    assert shapley(game).sum() == np.float64(game.total) or np.isclose(
        shapley(game).sum(), game.total, atol=1e-9
    )


@given(st.data())
def test_shapley_is_additive(data: st.DataObject) -> None:
    a = data.draw(games())
    b = data.draw(games(min_n=a.n, max_n=a.n))
    both = Game(a.players, a.v + b.v)
    np.testing.assert_allclose(shapley(both), shapley(a) + shapley(b), atol=1e-9)


@given(games(), st.data())
def test_shapley_null_player_and_symmetry(game: Game, data: st.DataObject) -> None:
    n = game.n
    # make player 0 a null player and players 1, 2 symmetric (when there are 3+)
    masks = np.arange(1 << n)
    v = game.v.copy()
    v = np.where(masks & 1, v[masks & ~1], v)
    if n >= 3:
        swap = masks ^ np.where(((masks >> 1) & 1) != ((masks >> 2) & 1), 0b110, 0)
        v = np.maximum(v, v[swap])
    phi = shapley(Game(game.players, v))
    assert abs(phi[0]) <= 1e-9
    if n >= 3:
        assert abs(phi[1] - phi[2]) <= 1e-9


@given(games(max_n=5))
def test_prenucleolus_satisfies_kohlberg(game: Game) -> None:
    x = prenucleolus(game)
    assert kohlberg_balanced(game, x, imputation=False)


@given(games(max_n=5))
def test_nucleolus_kohlberg_core_and_textbook_lp(game: Game) -> None:
    try:
        x = nucleolus(game)
    except GameUndefinedError:
        assert game.standalone.sum() > game.total
        return
    assert kohlberg_balanced(game, x, imputation=True)
    np.testing.assert_allclose(x, nucleolus_all_constraints(game), atol=1e-7)
    if not core_report(game).empty:
        assert game.in_core(x, tol=1e-7)


@given(games(max_n=4), st.floats(0.5, 3.0), st.lists(st.integers(-10, 10), min_size=4, max_size=4))
def test_nucleolus_is_unchanged_by_strategic_equivalence(
    game: Game, a: float, b: list[int]
) -> None:
    additive = np.array(b[: game.n], dtype=float)
    from sim.games.tu import coalition_sums

    other = Game(game.players, a * game.v + coalition_sums(additive))
    try:
        x = nucleolus(game)
    except GameUndefinedError:
        return
    np.testing.assert_allclose(nucleolus(other), a * x + additive, atol=1e-7)


@st.composite
def claims_problems(draw: st.DrawFn) -> tuple[float, np.ndarray]:
    c = np.array(draw(st.lists(st.floats(0, 1000, allow_subnormal=False), min_size=2, max_size=6)))
    estate = draw(st.floats(0, 1)) * c.sum()
    return estate, c


@given(claims_problems())
def test_claims_rules_bounded_efficient_order_preserving(problem: tuple[float, np.ndarray]) -> None:
    estate, c = problem
    scale = max(1.0, c.sum())
    order = np.argsort(c)
    for rule in CLAIMS_RULES:
        x = rule(estate, c)
        assert np.all(x >= -1e-9 * scale) and np.all(x <= c + 1e-9 * scale)
        assert abs(x.sum() - estate) <= 1e-9 * scale
        assert np.all(np.diff(x[order]) >= -1e-9 * scale)  # awards
        assert np.all(np.diff((c - x)[order]) >= -1e-9 * scale)  # losses


@given(claims_problems())
def test_talmud_is_self_dual(problem: tuple[float, np.ndarray]) -> None:
    estate, c = problem
    np.testing.assert_allclose(
        talmud(estate, c), c - talmud(c.sum() - estate, c), atol=1e-9 * max(1.0, c.sum())
    )


@given(st.floats(0, 1000), st.lists(st.floats(-100, 100), min_size=2, max_size=6), st.data())
def test_bargaining_solutions_rational_and_efficient(
    total: float, d: list[float], data: st.DataObject
) -> None:
    dd = np.array(d)
    assume(total >= dd.sum())
    w = np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=len(d), max_size=len(d))))
    for x in (
        nash(total, dd),
        nash(total, dd, w),
        kalai_smorodinsky(total, dd),
        egalitarian(total, dd),
    ):
        assert np.all(x >= dd - 1e-9 * max(1.0, abs(total)))
        assert abs(x.sum() - total) <= 1e-9 * max(1.0, abs(total))
