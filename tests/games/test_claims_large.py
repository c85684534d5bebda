"""Claims rules for any number of claimants: published values, defining properties, the CLI.

The published examples are Meinhardt's (2013) MatTuGames manual, *The Matlab Game
Theory Toolbox MatTuGames Version 0.4: An Introduction, Basics, and Examples* (KIT),
and the toolbox's own ``doc/getting_started.md`` (github.com/himeinhardt/MatTuGames),
printed there to 4 decimals. For a bankruptcy game (convex) the pre-kernel printed in
the manual is the nucleolus, hence the Talmud rule; the Shapley value is the random
arrival rule.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sim.cli import main
from sim.games.claims import (
    bankruptcy_game,
    claims_grid,
    constrained_equal_awards,
    constrained_equal_losses,
    in_core,
    least_core_epsilon,
    proportional,
    random_arrival,
    talmud,
)
from sim.games.nucleolus import core_report, nucleolus
from sim.games.tu import GameUndefinedError, shapley

from .test_games_cli import solve

# published: Meinhardt (2013), MatTuGames manual, section 3.1 (pp. 60–63): 21 claimants,
# estate E3 = (2/3) Σ d3 = 1262.67
D21 = [25, 37, 33, 22, 28, 70, 75, 83, 101, 143, 56, 69, 44, 128, 136, 150, 187, 54, 98, 174, 181]
TALMUD_21 = [  # tlm_rl3 = p_prk_v3, p. 62
    12.5, 18.5, 16.5, 11.0, 14.0, 35.0, 37.5152, 45.5152, 63.5152, 105.5152, 28.0,
    34.5, 22.0, 90.5152, 98.5152, 112.5152, 149.5152, 27.0, 60.5152, 136.5152, 143.5152,
]  # fmt: skip
SHAPLEY_21 = [  # sh_v3, p. 63 (47 s on the 2^21 coalitions)
    16.4567, 24.3900, 21.7430, 14.4769, 18.4378, 46.3291, 49.6697, 55.0241, 67.1157,
    95.5868, 36.9991, 45.6616, 29.0284, 85.3746, 90.8151, 100.3706, 125.8594, 35.6691,
    65.0961, 116.8622, 121.7009,
]  # fmt: skip

# published: Meinhardt (2013), section 3.2 (pp. 64–66): the first 16 claimants, E4 = 800
TALMUD_16 = [  # tlm_rl4, p. 65
    12.5, 18.5, 16.5, 11.0, 14.0, 39.1667, 44.1667, 52.1667, 70.1667, 112.1667, 28.0,
    38.1667, 22.0, 97.1667, 105.1667, 119.1667,
]  # fmt: skip
SHAPLEY_16 = [  # sh_v4, p. 66
    16.4075, 24.3360, 21.6892, 14.4303, 18.3861, 46.3380, 49.6979, 55.0906, 67.2997,
    96.2784, 36.9689, 45.6672, 28.9793, 85.8452, 91.3983, 101.1874,
]  # fmt: skip

PUBLISHED = [
    # published: Meinhardt (2013), section 2.2 (p. 8) and 2.5 (p. 20): E = 250
    (250.0, [60, 90, 150, 210], [30, 45, 75, 100], [29.1667, 44.1667, 74.1667, 102.5]),
    # published: MatTuGames doc/getting_started.md: E = ceil(3/5 Σ d) = 176
    (
        176.0,
        [40, 32, 11, 73.3, 54.95, 81.1],
        [20, 16, 5.5, 48.35, 30, 56.15],
        [23.5175, 18.7483, 6.4950, 44.3008, 33.3317, 49.6067],
    ),
    (800.0, D21[:16], TALMUD_16, SHAPLEY_16),
    (sum(D21) * 2 / 3, D21, TALMUD_21, SHAPLEY_21),
]
HALF_LAST_DIGIT = 5.001e-5  # printed to 4 decimals


@pytest.mark.parametrize("estate,claims,talmud_value,shapley_value", PUBLISHED)
def test_published_bankruptcy_problems(
    estate: float, claims: list[float], talmud_value: list[float], shapley_value: list[float]
) -> None:
    # published: Meinhardt (2013) and MatTuGames getting_started, see PUBLISHED
    np.testing.assert_allclose(talmud(estate, claims), talmud_value, atol=HALF_LAST_DIGIT)
    np.testing.assert_allclose(random_arrival(estate, claims), shapley_value, atol=HALF_LAST_DIGIT)
    np.testing.assert_allclose(
        random_arrival(estate, claims, method="grid"), shapley_value, atol=HALF_LAST_DIGIT
    )


def test_sixteen_claimants_agree_on_the_coalitions() -> None:
    # the grid programme and the Shapley value of the 2^16 coalitions, to rounding
    np.testing.assert_allclose(
        random_arrival(800.0, D21[:16], method="grid"),
        random_arrival(800.0, D21[:16], method="game"),
        atol=1e-9,
    )


# --- defining properties -------------------------------------------------------------


@st.composite
def decimal_problems(
    draw: st.DrawFn, max_n: int = 10, decimals: int = 2
) -> tuple[float, np.ndarray]:
    """Claims with up to ``decimals`` decimals (on a grid); any estate up to their sum."""
    places = draw(st.integers(0, decimals))
    ints = draw(st.lists(st.integers(0, 300), min_size=1, max_size=max_n))
    c = np.array(ints, dtype=float) / 10**places
    estate = draw(st.floats(0, 1)) * float(c.sum())
    return estate, c


@given(decimal_problems())
def test_random_arrival_is_the_shapley_value_of_the_bankruptcy_game(
    problem: tuple[float, np.ndarray],
) -> None:
    estate, c = problem
    grid = random_arrival(estate, c, method="grid")
    np.testing.assert_allclose(
        grid, shapley(bankruptcy_game(estate, c)), atol=1e-9 * max(1.0, c.sum())
    )


@given(decimal_problems(max_n=6, decimals=1))
def test_random_arrival_averages_payment_in_order_of_arrival(
    problem: tuple[float, np.ndarray],
) -> None:
    # O'Neill's (1982) definition, over every order
    estate, c = problem
    total, orders = np.zeros(len(c)), list(permutations(range(len(c))))
    for order in orders:
        left = estate
        for i in order:
            total[i] += min(c[i], left)
            left -= min(c[i], left)
    np.testing.assert_allclose(
        random_arrival(estate, c, method="grid"),
        total / len(orders),
        atol=1e-9 * max(1.0, c.sum()),
    )


@given(decimal_problems(max_n=6, decimals=0))
def test_talmud_is_the_nucleolus_of_the_bankruptcy_game(problem: tuple[float, np.ndarray]) -> None:
    # Aumann & Maschler (1985), Theorem A, against the sequential LPs
    estate, c = problem
    np.testing.assert_allclose(
        talmud(estate, c), nucleolus(bankruptcy_game(estate, c)), atol=1e-6 * max(1.0, c.sum())
    )


@given(decimal_problems(max_n=6), st.lists(st.floats(-1, 2), min_size=6, max_size=6))
def test_core_and_least_core_in_closed_form(
    problem: tuple[float, np.ndarray], mix: list[float]
) -> None:
    estate, c = problem
    game = bankruptcy_game(estate, c)
    assert least_core_epsilon(estate, c) == pytest.approx(
        core_report(game).least_core_epsilon, abs=1e-7 * max(1.0, c.sum())
    )
    candidates = [rule(estate, c) for rule in (proportional, talmud, random_arrival)]
    shifted = talmud(estate, c) + (np.array(mix[: len(c)]) - np.mean(mix[: len(c)]))
    for x in [*candidates, shifted, c.copy()]:
        assert in_core(estate, c, x) == game.in_core(x)


@given(decimal_problems(max_n=40, decimals=1))
def test_random_arrival_is_self_dual_and_treats_equals_equally(
    problem: tuple[float, np.ndarray],
) -> None:
    estate, c = problem
    scale = max(1.0, c.sum())
    x = random_arrival(estate, c, method="grid")
    dual = random_arrival(c.sum() - estate, c, method="grid")
    np.testing.assert_allclose(x, c - dual, atol=1e-9 * scale)
    for value in np.unique(c):
        same = x[c == value]
        assert np.ptp(same) <= 1e-9 * scale


@given(decimal_problems(max_n=60))
def test_equal_awards_and_losses_meet_their_definitions(problem: tuple[float, np.ndarray]) -> None:
    # CEA: x_i = min(c_i, λ); CEL: x_i = max(0, c_i − μ), one λ and one μ for all
    estate, c = problem
    tol = 1e-9 * max(1.0, c.sum())
    x = constrained_equal_awards(estate, c)
    capped = x < c - tol
    if capped.any():
        assert np.ptp(x[capped]) <= tol and np.all(x[~capped] <= x[capped].max() + tol)
    y = constrained_equal_losses(estate, c)
    paid = y > tol
    if paid.any():
        assert np.ptp((c - y)[paid]) <= tol and np.all(c[~paid] <= (c - y)[paid].max() + tol)


def test_grid_of_decimal_claims() -> None:
    assert claims_grid([0.1, 0.2, 0.30000000000000004]) == (pytest.approx([1, 2, 3]), 0.1)
    assert claims_grid([1e-20]) is None  # finer than 9 decimals
    a, unit = claims_grid([0.0, 250.0, 1000.0])  # type: ignore[misc]
    assert a.tolist() == [0, 1, 4] and unit == 250.0


def large_problem(n: int, seed: int = 0) -> tuple[float, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = np.round(rng.lognormal(3, 1, size=n), 2)
    return 2 / 3 * float(c.sum()), c


@pytest.mark.parametrize(
    "rule", [proportional, constrained_equal_awards, constrained_equal_losses, talmud]
)
def test_closed_form_rules_on_5000_claimants(rule: object) -> None:
    estate, c = large_problem(5000)
    x = rule(estate, c)  # type: ignore[operator]
    scale = c.sum()
    assert abs(x.sum() - estate) <= 1e-9 * scale
    assert np.all(x >= -1e-9 * scale) and np.all(x <= c + 1e-9 * scale)
    order = np.argsort(c, kind="stable")
    assert np.all(np.diff(x[order]) >= -1e-9 * scale)  # awards in the order of claims
    assert np.all(np.diff((c - x)[order]) >= -1e-9 * scale)  # so are losses
    assert in_core(estate, c, x)


def test_random_arrival_on_hundreds_of_claimants() -> None:
    # 300 whole claims of 1 to 10: exact on the grid, in a fraction of a second
    rng = np.random.default_rng(4)
    c = rng.integers(1, 11, size=300).astype(float)
    estate = 0.4 * c.sum()
    x = random_arrival(estate, c)
    assert abs(x.sum() - estate) <= 1e-9 * c.sum()
    order = np.argsort(c, kind="stable")
    assert np.all(np.diff(x[order]) >= -1e-9) and np.all(np.diff((c - x)[order]) >= -1e-9)


def test_random_arrival_beyond_its_budget_says_why() -> None:
    estate, c = large_problem(5000)
    with pytest.raises(GameUndefinedError, match="NP-hard") as info:
        random_arrival(estate, c)
    assert "5,000 claimants" in str(info.value) and "budget" in str(info.value)
    with pytest.raises(GameUndefinedError, match="not multiples of one unit"):
        random_arrival(1.0, np.full(21, np.pi))


# --- sim game solve --------------------------------------------------------------------


def claims_file(estate: float, c: list[float] | np.ndarray) -> dict:  # type: ignore[type-arg]
    return {"estate": estate, "claims": {f"C{i + 1}": float(v) for i, v in enumerate(c)}}


def test_solve_the_21_claimant_example_by_every_rule(tmp_path: Path) -> None:
    doc = solve(tmp_path, claims_file(sum(D21) * 2 / 3, D21))
    assert list(doc["allocations"]) == [
        "proportional",
        "constrained_equal_awards",
        "constrained_equal_losses",
        "talmud",
        "random_arrival",
    ]
    got = [doc["allocations"]["random_arrival"][f"C{i + 1}"] for i in range(21)]
    np.testing.assert_allclose(got, SHAPLEY_21, atol=HALF_LAST_DIGIT)  # published, see above
    assert doc["notes"] == {}
    assert all(doc["core"]["in_core"].values()) and doc["core"]["empty"] is False
    assert doc["core"]["least_core_epsilon"] == -11.0  # −min(22/2, E/21, (Σd − E)/21)


def test_nucleolus_of_21_claims_is_the_talmud_rule_with_a_note(tmp_path: Path) -> None:
    doc = solve(tmp_path, claims_file(sum(D21) * 2 / 3, D21), "--rule", "nucleolus")
    got = [doc["allocations"]["nucleolus"][f"C{i + 1}"] for i in range(21)]
    np.testing.assert_allclose(got, TALMUD_21, atol=HALF_LAST_DIGIT)  # published, see above
    assert "Talmud rule (Aumann & Maschler 1985" in doc["notes"]["nucleolus"]
    path = tmp_path / "p.json"
    text = CliRunner().invoke(main, ["game", "solve", str(path), "--rule", "nucleolus"]).output
    assert "nucleolus: the nucleolus of the bankruptcy game is the Talmud rule" in text
    assert "undefined" not in text and "player" in text.splitlines()[2]  # a row per claimant


def test_solve_5000_claimants_skips_random_arrival_and_says_why(tmp_path: Path) -> None:
    estate, c = large_problem(5000)
    doc = solve(tmp_path, claims_file(estate, c))
    assert doc["allocations"]["random_arrival"] is None
    assert "NP-hard" in doc["notes"]["random_arrival"]
    assert list(doc["notes"]) == ["random_arrival"]
    for name in ("proportional", "constrained_equal_awards", "constrained_equal_losses", "talmud"):
        assert sum(doc["allocations"][name].values()) == pytest.approx(estate, rel=1e-12)
        assert doc["core"]["in_core"][name] is True
    assert doc["core"]["in_core"]["random_arrival"] is None


def test_solve_5000_bargainers(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    names = [f"P{i}" for i in range(5000)]
    d = dict(zip(names, rng.uniform(0, 10, 5000).round(3).tolist(), strict=True))
    w = dict(zip(names, rng.uniform(1, 3, 5000).round(3).tolist(), strict=True))
    total = sum(d.values()) + 1000.0
    doc = solve(tmp_path, {"total": total, "disagreement": d, "weights": w})
    assert list(doc["allocations"]) == ["nash", "kalai_smorodinsky", "egalitarian"]
    for name, x in doc["allocations"].items():
        assert sum(x.values()) == pytest.approx(total, rel=1e-12), name
        assert all(x[p] >= d[p] - 1e-9 for p in names), name
    gains = {p: doc["allocations"]["nash"][p] - d[p] for p in names}
    assert gains["P0"] / gains["P1"] == pytest.approx(w["P0"] / w["P1"])  # Nash: by weight
