"""Game solvers against their textbook baselines, measured in the same run.

- Shapley value: subset-weighted sums (sim) vs averaging marginal contributions over
  every order of the players (the definition), at sizes both can do, then sim at 20.
- Nucleolus: sequential LPs with constraint generation (sim) vs the textbook sequential
  LP with all 2^n constraints at every stage, at sizes both can do, then sim at 20,
  each result checked to agree.
- Coalition values of a 10-party scenario: all 1,024 from one batch call of the model.

Run: ``python benchmarks/bench_games.py [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from timing import timed

from sim._malloc import tune
from sim.agreement import coalition_game
from sim.games.claims import bankruptcy_game
from sim.games.nucleolus import nucleolus, nucleolus_all_constraints
from sim.games.tu import Game, coalition_sums, popcount, shapley, shapley_by_orders
from sim.scenario import parse


def random_game(n: int, seed: int) -> Game:
    """Additive values with a superadditive bonus per member and noise (a 'park' game)."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(1, 2, size=n)
    v = coalition_sums(w) * (1 + 0.05 * popcount(n)) + rng.normal(0, 0.1, size=1 << n)
    v[0] = 0.0
    return Game(tuple(f"p{i}" for i in range(n)), v)


def ten_party_scenario() -> dict[str, Any]:
    ids = [f"P{i}" for i in range(10)]
    firms = [
        {
            "id": f"f{i}",
            "party": ids[i % 10],
            "introduced_by": ids[(i * 3) % 10],
            "existing": i < 5,
            "first_year": 2021 + i % 5,
            "output": 5.0 + i,
            "growth": 0.05,
            "ramp_years": 2,
            "value_added_ratio": 0.25,
            "vat_rate": 0.13,
            "profit_margin": 0.06,
            "cit_rate": 0.15,
            "wage_ratio": 0.08,
            "pit_rate": 0.03,
            "surcharge_rate": 0.12,
            "other_local_rate": 0.005,
        }
        for i in range(30)
    ]
    return {
        "meta": {"name": "ten-parties"},
        "horizon": {"start_year": 2021, "years": 20, "discount_rate": 0.05},
        "parties": [{"id": p, "retained_share": 0.8} for p in ids],
        "firms": firms,
        "land_sales": [
            {
                "party": p,
                "year": 2022,
                "area_mu": 500,
                "price": 0.003,
                "cost_share": 0.6,
                "rural_earmark": 0.1,
            }
            for p in ids
        ],
        "investment": {
            "capex": {"2021": 20.0, "2022": 20.0},
            "equity": {p: 0.1 for p in ids},
            "return_rate": 0.04,
        },
        "cooperation": {"synergy": 0.2},
        "sharing": {"rule": "fixed", "shares": {p: 0.1 for p in ids}, "scope": "new_firms"},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    tune()
    report: dict[str, Any] = {}

    # --- Shapley
    for n in (8, 9):
        g = random_game(n, n)
        t_sim, ours = timed(shapley, g, repeat=5)
        t_perm, theirs = timed(shapley_by_orders, g)
        np.testing.assert_allclose(ours, theirs, atol=1e-9)
        report[f"shapley_{n}_sim_s"] = round(t_sim, 5)
        report[f"shapley_{n}_permutations_s"] = round(t_perm, 3)
        report[f"shapley_{n}_ratio"] = round(t_perm / t_sim)
    t20, _ = timed(shapley, random_game(20, 20), repeat=3)
    report["shapley_20_sim_s"] = round(t20, 4)

    # --- nucleolus
    for n in (8, 12, 14, 16):
        g = random_game(n, 100 + n)
        t_sim, ours = timed(nucleolus, g)
        t_all, theirs = timed(nucleolus_all_constraints, g)
        np.testing.assert_allclose(ours, theirs, atol=1e-6)
        report[f"nucleolus_{n}_sim_s"] = round(t_sim, 4)
        report[f"nucleolus_{n}_all_constraints_s"] = round(t_all, 4)
        report[f"nucleolus_{n}_ratio"] = round(t_all / t_sim, 1)
    for label, g in (
        ("park", random_game(20, 7)),
        (
            "bankruptcy",
            bankruptcy_game(500.0, np.random.default_rng(3).uniform(10, 100, size=20).tolist()),
        ),
    ):
        t, _ = timed(nucleolus, g)
        report[f"nucleolus_20_{label}_sim_s"] = round(t, 3)

    # --- coalition values of a 10-party scenario
    scenario = parse(ten_party_scenario())
    t, game = timed(coalition_game, scenario, repeat=3)
    report["coalitions_10_parties_s"] = round(t, 4)
    report["coalitions_10_parties_count"] = len(game.v)

    for k, v in report.items():
        print(f"{k:36s} {v}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
