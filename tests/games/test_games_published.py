"""Every game rule against values published in its literature."""

from __future__ import annotations

import numpy as np
import pytest

from sim.games.bargaining import kalai_smorodinsky_hull, nash_hull
from sim.games.claims import (
    bankruptcy_game,
    constrained_equal_awards,
    constrained_equal_losses,
    proportional,
    random_arrival,
    talmud,
)
from sim.games.nucleolus import kohlberg_balanced, nucleolus, prenucleolus
from sim.games.tu import Game, banzhaf, normalized_banzhaf, shapley, tau_value

CLAIMS = [100, 200, 300]
# published: Aumann & Maschler (1985), J. Econ. Theory 36, Table 1 (the Mishna, Kethubot 93a)
TALMUD_TABLE_1 = {
    100: [100 / 3, 100 / 3, 100 / 3],
    200: [50, 75, 75],
    300: [50, 100, 150],
}


@pytest.mark.parametrize("estate", sorted(TALMUD_TABLE_1))
def test_talmud_rule_reproduces_the_mishna(estate: int) -> None:
    # published: Aumann & Maschler (1985), Table 1
    np.testing.assert_allclose(talmud(estate, CLAIMS), TALMUD_TABLE_1[estate], atol=1e-12)


@pytest.mark.parametrize("estate", sorted(TALMUD_TABLE_1))
def test_nucleolus_of_the_bankruptcy_game_is_the_talmud_rule(estate: int) -> None:
    # published: Aumann & Maschler (1985), Theorem A: nucleolus of v(S) = (E − c(N∖S))+
    game = bankruptcy_game(estate, CLAIMS)
    x = nucleolus(game)
    np.testing.assert_allclose(x, TALMUD_TABLE_1[estate], atol=1e-8)
    assert kohlberg_balanced(game, x, imputation=True)


def test_random_arrival_is_the_shapley_value_of_the_bankruptcy_game() -> None:
    # published: O'Neill (1982), Math. Soc. Sci. 2, section 5: the recursive-completion
    # (random arrival) rule equals the Shapley value of the bankruptcy game. Checked
    # here against arrival orders enumerated by brute force.
    from itertools import permutations

    estate, c = 200.0, np.array(CLAIMS, dtype=float)
    total = np.zeros(3)
    orders = list(permutations(range(3)))
    for order in orders:
        left = estate
        for i in order:
            paid = min(c[i], left)
            total[i] += paid
            left -= paid
    np.testing.assert_allclose(random_arrival(estate, c), total / len(orders), atol=1e-12)
    np.testing.assert_allclose(random_arrival(estate, c), [100 / 3, 250 / 3, 250 / 3])


def test_claims_rules_on_the_contested_estate_of_200() -> None:
    # published: Thomson (2003), Math. Soc. Sci. 45, the rules' definitions (sections 2.1–2.4)
    # applied to the Talmud's estate of 200; the values follow in closed form.
    np.testing.assert_allclose(proportional(200, CLAIMS), [200 / 6, 400 / 6, 100])
    np.testing.assert_allclose(constrained_equal_awards(200, CLAIMS), [200 / 3] * 3)
    np.testing.assert_allclose(constrained_equal_losses(200, CLAIMS), [0, 50, 150])


@pytest.mark.parametrize("seed", range(5))
def test_airport_game_shapley_matches_littlechild_owen(seed: int) -> None:
    # published: Littlechild & Owen (1973), Management Science 20(3), eq. for the
    # Shapley value of the airport cost game c(S) = max_{i∈S} c_i:
    #   φ_i = Σ_{k ≤ i} (c_k − c_{k−1}) / (n − k + 1), costs sorted ascending.
    rng = np.random.default_rng(seed)
    n = 8
    costs = np.sort(rng.uniform(1, 100, size=n))
    game = Game.from_function(
        [f"p{i}" for i in range(n)], lambda m: np.where(m.any(axis=1), (m * costs).max(axis=1), 0.0)
    )
    steps = np.diff(np.concatenate([[0.0], costs]))
    expected = np.cumsum(steps / (n - np.arange(n)))
    np.testing.assert_allclose(shapley(game), expected, rtol=1e-12)


def test_kalai_smorodinsky_example() -> None:
    # published: Kalai & Smorodinsky (1975), Econometrica 43(3), p. 515: on S1 =
    # conv{(0,0),(0,1),(1,0),(0.75,0.75)} both solutions give (0.75, 0.75); enlarging to
    # S2 = conv{(0,0),(0,1),(1,0.7),(1,0)} the Nash solution lowers player 2 to 0.7
    # while the K–S solution raises it to 10/13.
    s1 = [[0, 0], [0, 1], [1, 0], [0.75, 0.75]]
    s2 = [[0, 0], [0, 1], [1, 0.7], [1, 0]]
    np.testing.assert_allclose(nash_hull(s1, [0, 0]), [0.75, 0.75], atol=1e-12)
    np.testing.assert_allclose(kalai_smorodinsky_hull(s1, [0, 0]), [0.75, 0.75], atol=1e-12)
    np.testing.assert_allclose(nash_hull(s2, [0, 0]), [1.0, 0.7], atol=1e-12)
    np.testing.assert_allclose(kalai_smorodinsky_hull(s2, [0, 0]), [10 / 13, 10 / 13], atol=1e-12)


GLOVE = Game(("L", "R1", "R2"), np.array([0, 0, 0, 1, 0, 1, 0, 1.0]))


def test_glove_game() -> None:
    # regression (textbook glove market, one left and two right gloves): Shapley
    # (2/3, 1/6, 1/6); the core is {(1, 0, 0)}, so nucleolus, prenucleolus and τ agree.
    np.testing.assert_allclose(shapley(GLOVE), [2 / 3, 1 / 6, 1 / 6], atol=1e-12)
    for rule in (nucleolus, prenucleolus, tau_value):
        np.testing.assert_allclose(rule(GLOVE), [1, 0, 0], atol=1e-9)


def test_banzhaf_weighted_majority() -> None:
    # regression: in [51; 49, 49, 2] every player is decisive in the same coalitions
    w = np.array([49, 49, 2])
    game = Game.from_function("ABC", lambda m: (m @ w >= 51).astype(float))
    np.testing.assert_allclose(banzhaf(game), [0.5, 0.5, 0.5])
    np.testing.assert_allclose(normalized_banzhaf(game), [1 / 3] * 3)


def test_sampled_shapley_is_within_its_standard_error_of_the_exact_value() -> None:
    # regression: the sampled estimator for games too large to store, checked on one
    # that is small enough for the exact value
    from sim.games.tu import shapley_sampled

    rng = np.random.default_rng(1)
    n = 10
    w = rng.uniform(1, 3, size=n)
    game = Game.from_function([f"p{i}" for i in range(n)], lambda m: (m @ w) ** 1.5)
    exact = shapley(game)
    estimate, se = shapley_sampled(game.players, lambda m: (m @ w) ** 1.5, samples=4000, seed=7)
    assert np.all(np.abs(estimate - exact) <= 4 * se + 1e-12)
    again, _ = shapley_sampled(game.players, lambda m: (m @ w) ** 1.5, samples=4000, seed=7)
    np.testing.assert_array_equal(estimate, again)  # seeded: the same numbers
