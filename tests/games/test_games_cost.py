"""Cost-allocation games (sim.games.cost): published values, properties, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sim.cli import main
from sim.games.cost import (
    allocate_batch,
    cost_in_core,
    cost_nucleolus,
    cost_shapley,
    per_capita_nucleolus,
    savings_game,
    scrb,
    scrb_batched,
)
from sim.games.nucleolus import core_report, kohlberg_balanced
from sim.games.tu import Game, GameUndefinedError, coalition_sums, popcount, shapley

from ..conftest import DATA
from .test_games_cli import INVALID, solve

# ---------------------------------------------------------------------------------------
# Published values
# ---------------------------------------------------------------------------------------

# published: Young, Okada & Hashimoto (1979), "Cost allocation in water resources
# development — a case study of Sweden", IIASA Working Paper WP-79-77 (the working-paper
# version of their 1982 Water Resources Research 18(3) article), Table 8 "Individual and
# marginal costs for Swedish example" and Table 7 "Cost allocations of 83.82 million
# crowns by seven methods". Read from the text of the working paper as reproduced at
# 9dok.net ("comparison of methods", cost allocation in water resources development).
# Municipality groups A, H, K, L, M, T; million Swedish crowns.
SWEDEN = ("A", "H", "K", "L", "M", "T")
SWEDEN_TOTAL = 83.82
SWEDEN_ALONE = np.array([21.95, 17.08, 10.91, 15.88, 20.81, 21.98])  # Table 8, alternative
SWEDEN_MARGINAL = np.array([17.36, 9.85, 0.82, 6.40, 12.90, 14.06])  # Table 8, c(N) − c(N∖i)
SWEDEN_SCRB = np.array([19.54, 13.28, 5.62, 10.90, 16.66, 17.82])  # Table 7, "S.C.R.B."
# The inputs are rounded to 0.01 as well, so the recomputed allocation can differ from the
# table by its half-unit 0.005 plus what the 13 rounded inputs move it (K: 5.6129 → 5.62).
SWEDEN_ATOL = 0.01


def test_scrb_reproduces_the_swedish_table() -> None:
    """SCRB on Young, Okada & Hashimoto's Swedish example gives their Table 7 row."""
    # published: Young, Okada & Hashimoto (1979) WP-79-77, Tables 7 and 8 (see above)
    x = scrb(SWEDEN_TOTAL, SWEDEN_TOTAL - SWEDEN_MARGINAL, SWEDEN_ALONE)
    np.testing.assert_allclose(x, SWEDEN_SCRB, atol=SWEDEN_ATOL)
    assert x.sum() == pytest.approx(SWEDEN_TOTAL, abs=1e-12)
    # every town pays between its separable cost and its alternative cost
    assert np.all(x >= SWEDEN_MARGINAL) and np.all(x <= SWEDEN_ALONE)


# published: Young (1985), "Monotonic solutions of cooperative games", International
# Journal of Game Theory 14(2), pp. 66–68: three towns with costs 15, 20, 55 alone, 35 (1,2),
# 61 (1,3), 65 (2,3), 78 (all); the per capita nucleolus of the savings game
# (0, 0, 0, 0, 9, 10, 12) is (4/6, 7/6, 61/6). Taken as reproduced by the R package
# CoopGame (github.com/anwanjohannes/CoopGame, tests/testthat/test_69_PerCapitaNucleolus.R
# and the perCapitaNucleolus example "Example out of YOUNG 1985, p. 68"), and in the thesis
# behind it (Anwander 2017, Hochschule Kempten, section 4.2.3.2, Codebsp. 13).
YOUNG_TOWNS = Game(("1", "2", "3"), np.array([0, 15, 20, 35, 55, 61, 65, 78.0]))
YOUNG_PER_CAPITA_SAVINGS = np.array([4 / 6, 7 / 6, 61 / 6])


def test_per_capita_nucleolus_of_youngs_three_towns() -> None:
    """The per-capita nucleolus of Young's three towns, with Kohlberg's check."""
    # published: Young (1985), IJGT 14(2), p. 68, as reproduced by CoopGame (see above)
    x = per_capita_nucleolus(YOUNG_TOWNS)
    np.testing.assert_allclose(YOUNG_TOWNS.standalone - x, YOUNG_PER_CAPITA_SAVINGS, atol=1e-9)
    np.testing.assert_allclose(x, [86 / 6, 113 / 6, 269 / 6], atol=1e-9)
    weights = popcount(3).astype(float)
    weights[0] = 1.0
    v = savings_game(YOUNG_TOWNS)
    assert kohlberg_balanced(v, YOUNG_TOWNS.standalone - x, imputation=True, weights=weights)
    assert not core_report(v).empty and cost_in_core(YOUNG_TOWNS, x)


@pytest.mark.parametrize("seed", range(3))
def test_cost_shapley_of_the_airport_game_matches_littlechild_owen(seed: int) -> None:
    """The Shapley value of an airport cost game is Littlechild & Owen's closed form."""
    # published: Littlechild & Owen (1973), Management Science 20(3): 370–372, the Shapley
    # value of the airport cost game c(S) = max_{i∈S} c_i: with costs sorted ascending,
    # x_i = Σ_{k ≤ i} (c_k − c_{k−1}) / (n − k + 1). A cost game in its own right.
    rng = np.random.default_rng(seed)
    n = 7
    c = np.sort(rng.uniform(1, 100, size=n))
    game = Game.from_function(
        [f"p{i}" for i in range(n)], lambda m: np.where(m.any(axis=1), (m * c).max(axis=1), 0.0)
    )
    expected = np.cumsum(np.diff(np.concatenate([[0.0], c])) / (n - np.arange(n)))
    np.testing.assert_allclose(cost_shapley(game), expected, rtol=1e-12)
    x, why = allocate_batch("shapley", game.v[None, :])
    np.testing.assert_allclose(x[0], expected, rtol=1e-12)
    assert why == ("",)


# ---------------------------------------------------------------------------------------
# Small cases worked by hand
# ---------------------------------------------------------------------------------------

TWO = Game(("A", "B"), np.array([0, 10, 8, 15.0]))


def test_two_towns_by_hand() -> None:
    """Two towns, every rule worked by hand."""
    # separable costs 7 and 5, remaining benefits 3 and 3, non-separable cost 3
    np.testing.assert_allclose(scrb(15, [8, 10], [10, 8]), [8.5, 6.5])
    # with A's alternative 9 its remaining benefit is 2: 7 + 3·2/5 and 5 + 3·3/5
    np.testing.assert_allclose(scrb(15, [8, 10], [9, 8]), [8.2, 6.8])
    for rule in (cost_shapley, cost_nucleolus, per_capita_nucleolus):
        np.testing.assert_allclose(rule(TWO), [8.5, 6.5], atol=1e-9)
    assert savings_game(TWO).v.tolist() == [0, 0, 0, 3]


def test_scrb_undefined_cases() -> None:
    """SCRB refuses a negative remaining benefit and a cost left with no benefit to share it."""
    with pytest.raises(GameUndefinedError, match="remaining benefit is negative"):
        scrb(15, [4, 10], [10, 8])  # A's separable cost 11 is above its 10 alone
    with pytest.raises(GameUndefinedError, match="every remaining benefit is 0"):
        scrb(10, [6, 7], [4, 3])  # s = (4, 3) = what each pays alone, yet 3 is left over
    np.testing.assert_allclose(scrb(12, [5, 7], [7, 5]), [7, 5])  # r = 0 and nothing left


def test_nucleoli_undefined_when_cooperating_costs_more() -> None:
    """The nucleoli need c(N) ≤ Σ c(i); the batch marks the row undefined."""
    worse = Game(("A", "B"), np.array([0, 5, 5, 11.0]))
    for rule in (cost_nucleolus, per_capita_nucleolus):
        with pytest.raises(GameUndefinedError, match="exceeds the sum of the standalone"):
            rule(worse)
    x, why = allocate_batch("nucleolus", np.stack([TWO.v, worse.v]))
    np.testing.assert_allclose(x[0], [8.5, 6.5], atol=1e-9)
    assert np.isnan(x[1]).all() and why[0] == "" and "exceeds" in why[1]


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


def _clip_to_standalone(c: np.ndarray) -> np.ndarray:
    """No coalition costs more than its members alone: c(S) ≤ Σ_{i∈S} c(i)."""
    n = int(np.log2(len(c)))
    standalone = c[[1 << i for i in range(n)]]
    out = np.asarray(np.minimum(c, coalition_sums(standalone)), dtype=float)
    out[0] = 0.0
    return out


@st.composite
def cost_games(draw: st.DrawFn, min_n: int = 2, max_n: int = 5) -> Game:
    """Random cost games in which no coalition costs more than its members alone."""
    n = draw(st.integers(min_n, max_n))
    raw = np.array(draw(st.lists(st.integers(1, 60), min_size=1 << n, max_size=1 << n)), float)
    return Game(tuple(f"p{i}" for i in range(n)), _clip_to_standalone(raw))


def _scrb_of(game: Game) -> np.ndarray:
    full = game.grand
    without = np.array([game.v[full & ~(1 << i)] for i in range(game.n)])
    return scrb(game.total, without, game.standalone)


RULES = {
    "shapley": cost_shapley,
    "nucleolus": cost_nucleolus,
    "per_capita_nucleolus": per_capita_nucleolus,
    "scrb": _scrb_of,
}


@given(cost_games())
def test_every_rule_is_efficient(game: Game) -> None:
    """Every rule divides exactly c(N)."""
    scale = max(1.0, float(np.abs(game.v).max()))
    for name, rule in RULES.items():
        try:
            x = rule(game)
        except GameUndefinedError:
            assert name == "scrb"  # the nucleoli are defined: c(N) ≤ Σ c(i) by construction
            continue
        assert abs(x.sum() - game.total) <= 1e-9 * scale, name


@given(cost_games(min_n=3))
def test_symmetric_players_pay_the_same(game: Game) -> None:
    """Players whose costs are interchangeable pay the same under every rule."""
    # make players 1 and 2 symmetric: c(S) = c(S with 1 and 2 swapped)
    masks = np.arange(1 << game.n)
    swap = masks ^ np.where(((masks >> 1) & 1) != ((masks >> 2) & 1), 0b110, 0)
    sym = Game(game.players, _clip_to_standalone(np.minimum(game.v, game.v[swap])))
    for name, rule in RULES.items():
        try:
            x = rule(sym)
        except GameUndefinedError:
            continue
        assert abs(x[1] - x[2]) <= 1e-7 * max(1.0, sym.total), name


@given(cost_games(max_n=4), st.integers(1, 40))
def test_a_dummy_pays_its_own_cost(game: Game, alone: int) -> None:
    """A party that adds exactly its own cost to every group pays that cost."""
    # player 0 becomes a dummy: c(S ∪ 0) = c(S) + c(0) for every S without 0
    masks = np.arange(1 << game.n)
    v = np.where(masks & 1, game.v[masks & ~1] + alone, game.v)
    v[0] = 0.0
    dummy = Game(game.players, v)
    for name in ("shapley", "nucleolus", "scrb"):
        try:
            x = RULES[name](dummy)
        except GameUndefinedError:
            assert name == "scrb"
            continue
        assert abs(x[0] - alone) <= 1e-7 * max(1.0, dummy.total), name


@given(cost_games(max_n=5))
def test_nucleoli_are_in_the_core_and_satisfy_kohlberg(game: Game) -> None:
    """Both nucleoli pass Kohlberg's test and lie in the core when it is not empty."""
    v = savings_game(game)
    per_capita = popcount(game.n).astype(float)
    per_capita[0] = 1.0
    for rule, weights in ((cost_nucleolus, None), (per_capita_nucleolus, per_capita)):
        x = rule(game)
        assert kohlberg_balanced(v, game.standalone - x, imputation=True, weights=weights)
        assert np.all(x <= game.standalone + 1e-7 * max(1.0, game.total))
        if not core_report(v).empty:
            assert cost_in_core(game, x, tol=1e-7)


@given(cost_games())
def test_cost_shapley_is_standalone_minus_the_savings_shapley(game: Game) -> None:
    """Shapley of the costs is c(i) minus Shapley of the savings; the batch agrees."""
    np.testing.assert_allclose(
        cost_shapley(game), game.standalone - shapley(savings_game(game)), atol=1e-9
    )
    x, _ = allocate_batch("shapley", game.v[None, :])
    np.testing.assert_allclose(x[0], cost_shapley(game), atol=1e-9)


@st.composite
def scrb_problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random batches of SCRB inputs, many of them undefined."""
    m = draw(st.integers(1, 12))
    n = draw(st.integers(1, 6))
    numbers = st.integers(0, 50)
    total = np.array(draw(st.lists(numbers, min_size=m, max_size=m)), float)
    without = np.array(draw(st.lists(numbers, min_size=m * n, max_size=m * n)), float)
    alone = np.array(draw(st.lists(numbers, min_size=m * n, max_size=m * n)), float)
    return total, without.reshape(m, n), alone.reshape(m, n)


@given(scrb_problems())
def test_scrb_batched_equals_scrb_one_at_a_time(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """The vectorised SCRB gives each row what SCRB gives it alone, reasons included."""
    total, without, alone = problem
    out = scrb_batched(total, without, alone)
    assert out.allocations.shape == without.shape and len(out.reasons) == len(total)
    for k in range(len(total)):
        try:
            x = scrb(float(total[k]), without[k], alone[k])
        except GameUndefinedError as exc:
            assert not out.defined[k] and np.isnan(out.allocations[k]).all()
            assert out.reasons[k] and str(exc).startswith(out.reasons[k])
            continue
        assert out.defined[k] and out.reasons[k] == ""
        np.testing.assert_allclose(out.allocations[k], x, rtol=1e-12, atol=1e-12)


@given(st.lists(cost_games(min_n=3, max_n=3), min_size=1, max_size=5))
def test_allocate_batch_equals_the_rules_one_game_at_a_time(games: list[Game]) -> None:
    """allocate_batch gives each game what each rule gives it alone."""
    costs = np.stack([g.v for g in games])
    for name, rule in RULES.items():
        x, why = allocate_batch(name, costs)
        for k, g in enumerate(games):
            try:
                expected = rule(g)
            except GameUndefinedError:
                assert np.isnan(x[k]).all() and why[k]
                continue
            np.testing.assert_allclose(x[k], expected, atol=1e-7)
            assert why[k] == ""


# ---------------------------------------------------------------------------------------
# sim game solve
# ---------------------------------------------------------------------------------------

COST_INVALID = {
    "cost-missing-coalition.json": "costs.B,C: missing coalition",
    "cost-unknown-player.json": "costs.A,Z: unknown player(s) ['Z']",
    "cost-not-a-number.json": 'costs.A,B: must be a finite number, got "fifteen"',
    "cost-coalition-twice.json": "costs.B,A: coalition given twice",
    "negative-cost.json": "costs.B: must not be negative",
    "negative-alternative-cost.json": "alternative_costs.A: must not be negative",
    "alternative-cost-unknown-player.json": "alternative_costs.C: unknown player 'C'",
    "cost-unknown-key.json": "benefits: unknown key for a cost problem",
    "cost-many-problems.json": "(4 problems)",
}


def _keys(players: tuple[str, ...], c: np.ndarray) -> dict[str, float]:
    """The ``costs`` object of a file: comma-joined members → cost."""
    return {
        ",".join(p for i, p in enumerate(players) if m >> i & 1): float(c[m])
        for m in range(1, len(c))
    }


def test_solve_a_full_cost_game(tmp_path: Path) -> None:
    """A file with every coalition's cost is solved by every cost rule, with the core."""
    doc = solve(
        tmp_path, {"players": ["1", "2", "3"], "costs": _keys(("1", "2", "3"), YOUNG_TOWNS.v)}
    )
    assert doc["problem"] == "cost" and doc["players"] == ["1", "2", "3"]
    assert set(doc) == {"problem", "players", "allocations", "core", "notes"}
    assert list(doc["allocations"]) == ["scrb", "shapley", "nucleolus", "per_capita_nucleolus"]
    assert doc["allocations"]["per_capita_nucleolus"] == pytest.approx(
        {"1": 86 / 6, "2": 113 / 6, "3": 269 / 6}
    )
    shap = cost_shapley(YOUNG_TOWNS)
    assert doc["allocations"]["shapley"] == pytest.approx(dict(zip("123", shap, strict=True)))
    assert doc["core"]["empty"] is False and doc["notes"] == {}
    assert doc["core"]["in_core"]["nucleolus"] is True
    for alloc in doc["allocations"].values():
        assert sum(alloc.values()) == pytest.approx(78)


def test_alternative_costs_lower_what_scrb_charges(tmp_path: Path) -> None:
    """An alternative cost below c(i) lowers that party's SCRB charge."""
    problem = {"players": ["A", "B"], "costs": {"A": 10, "B": 8, "A,B": 15}}
    doc = solve(tmp_path, {**problem, "alternative_costs": {"A": 9}}, "--rule", "scrb")
    assert doc["allocations"]["scrb"] == pytest.approx({"A": 8.2, "B": 6.8})
    assert solve(tmp_path, problem, "--rule", "scrb")["allocations"]["scrb"] == pytest.approx(
        {"A": 8.5, "B": 6.5}
    )


SWEDEN_SCRB_ONLY = {
    "players": list(SWEDEN),
    "costs": {
        **{p: float(a) for p, a in zip(SWEDEN, SWEDEN_ALONE, strict=True)},
        ",".join(SWEDEN): SWEDEN_TOTAL,
        **{
            ",".join(q for q in SWEDEN if q != p): round(SWEDEN_TOTAL - s, 2)
            for p, s in zip(SWEDEN, SWEDEN_MARGINAL, strict=True)
        },
    },
}


def test_solve_an_scrb_only_file(tmp_path: Path) -> None:
    """A file with only what SCRB needs solves SCRB and notes the other rules."""
    # published: Young, Okada & Hashimoto (1979) WP-79-77, Tables 7 and 8, as above
    doc = solve(tmp_path, SWEDEN_SCRB_ONLY)
    assert list(doc["allocations"]) == ["scrb"] and doc["core"] is None
    got = np.array([doc["allocations"]["scrb"][p] for p in SWEDEN])
    np.testing.assert_allclose(got, SWEDEN_SCRB, atol=SWEDEN_ATOL)
    assert set(doc["notes"]) == {"shapley", "nucleolus", "per_capita_nucleolus"}
    assert all("needs every coalition's cost" in why for why in doc["notes"].values())
    same = solve(tmp_path, SWEDEN_SCRB_ONLY, "--rule", "scrb")
    assert same["allocations"] == doc["allocations"] and same["notes"] == {}
    asked = solve(tmp_path, SWEDEN_SCRB_ONLY, "--rule", "shapley")
    assert asked["allocations"] == {"shapley": None}
    assert "needs every coalition's cost" in asked["notes"]["shapley"]


def test_scrb_needs_only_the_alternative_when_a_standalone_cost_is_missing(
    tmp_path: Path,
) -> None:
    """An alternative cost can stand in for a missing c(i)."""
    # c(A) is not given, A's alternative 9 stands in: s = (8, 7, 5), r = (1, 1, 1), g = −1
    costs = {"B": 8, "C": 6, "A,B": 14, "A,C": 12, "B,C": 11, "A,B,C": 19}
    doc = solve(
        tmp_path, {"players": ["A", "B", "C"], "costs": costs, "alternative_costs": {"A": 9}}
    )
    assert doc["allocations"]["scrb"] == pytest.approx({"A": 23 / 3, "B": 20 / 3, "C": 14 / 3})


def test_cost_game_as_text(tmp_path: Path) -> None:
    """The text output of a cost problem."""
    path = tmp_path / "sweden.json"
    path.write_text(json.dumps(SWEDEN_SCRB_ONLY))
    result = CliRunner().invoke(main, ["game", "solve", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cost problem, players A, H, K, L, M, T")
    assert "scrb  19.5403" in result.output
    assert "shapley: undefined, needs every coalition's cost" in result.output


@pytest.mark.parametrize("name", sorted(COST_INVALID))
def test_broken_cost_files_get_one_clear_error(name: str) -> None:
    """Each broken cost file fails with exit 2 and the words it is declared with."""
    path = DATA / "invalid_games" / name
    result = CliRunner().invoke(main, ["game", "solve", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert COST_INVALID[name] in result.stderr


def test_every_broken_game_file_states_its_error() -> None:
    """Every file in invalid_games/ is declared here or in test_games_cli.py."""
    files = {p.name for p in (DATA / "invalid_games").glob("*.json")}
    assert files == set(INVALID) | set(COST_INVALID)


def test_the_page_shows_what_the_command_prints(tmp_path: Path) -> None:
    """docs/cost-allocation.md shows what the command prints for its examples."""
    # docs/cost-allocation.md: each ```json block is a file, the ```text block after it
    # is what `sim game solve` prints for it
    from ..conftest import ROOT

    page = (ROOT / "docs" / "cost-allocation.md").read_text(encoding="utf-8")
    blocks = page.split("```")
    shown = 0
    for k in range(1, len(blocks) - 2, 2):
        if not (blocks[k].startswith("json\n") and blocks[k + 2].startswith("text\n")):
            continue
        path = tmp_path / f"{k}.json"
        path.write_text(blocks[k].removeprefix("json\n"))
        text = blocks[k + 2].removeprefix("text\n")
        command, _, expected = text.partition("\n")
        assert command.startswith("$ sim game solve ")
        result = CliRunner().invoke(main, ["game", "solve", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == expected.strip()
        shown += 1
    assert shown == 2
