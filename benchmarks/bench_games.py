"""Game solvers against their textbook baselines, measured in the same run.

Solvers (``--only solvers``):

- Shapley value: subset-weighted sums (sim) vs averaging marginal contributions over
  every order of the players (the definition), at sizes both can do, then sim at 20.
- Nucleolus: sequential LPs with constraint generation (sim) vs the textbook sequential
  LP with all 2^n constraints at every stage, at sizes both can do, then sim at 20,
  each result checked to agree.
- Coalition values of a 10-party scenario: all 1,024 from one batch call of the model.

Fair-division rules across a sweep (``--only sweeps``): ``tri-city-formula.toml`` (three
parties) and variants of it with 2, 4, 5 and 6 parties (a party dropped, or parties
added with a firm each), each swept over one firm's growth, the discount rate and the
settlement rate with the agreements ``agreement``, ``shapley``, ``nucleolus`` and
``nash`` and each scenario's standalone values, by ``run_sweep`` in a fresh process:
scenarios per second of the batched games end to end, and the steady rate (between the
end of the first block and the last, so without imports and the summary) against the
per-game path (the nucleolus solved game by game, ``per_game(nucleolus, v)``, as before
the batched nucleolus) on the first ``--baseline-n`` scenarios in the same run; also how
often the progress callback fired (the largest gap while scenarios were being
evaluated) and the estimated time against the time taken.

Run: ``python benchmarks/bench_games.py [--only solvers|sweeps] [--sweep-n 100000]
[--baseline-n 500] [--parties 2,3,4,5,6] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
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


def many_party_scenario(n: int = 10) -> dict[str, Any]:
    """A scenario of ``n`` parties with three firms each, equal shares and some synergy
    (its cooperative game has ``2**n`` coalitions); also ``bench_memory.py``'s."""
    ids = [f"P{i}" for i in range(n)]
    firms = [
        {
            "id": f"f{i}",
            "party": ids[i % n],
            "introduced_by": ids[(i * 3) % n],
            "existing": i < n // 2,
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
        for i in range(3 * n)
    ]
    equal = {p: 1.0 / n for p in ids}
    return {
        "meta": {"name": f"{n}-parties"},
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
            "equity": equal,
            "return_rate": 0.04,
        },
        "cooperation": {"synergy": 0.2},
        "sharing": {"rule": "fixed", "shares": equal, "scope": "new_firms"},
    }


ROOT = Path(__file__).resolve().parent.parent
TRI_CITY = ROOT / "scenarios" / "tri-city-formula.toml"
SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = {n}
seed = 20261126
rules = ["agreement", "shapley", "nucleolus", "nash"]

[sweep.parameters]
"firms.dy-turbines.growth" = {{ dist = "uniform", low = 0.0, high = 0.1 }}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.5, high = 1.0 }}
"""
EXTRA = ["SN", "MY", "ZY"]  # the parties added to the three of tri-city-formula


def _value(x: Any) -> str:
    if isinstance(x, dict):
        return "{ " + ", ".join(f'"{k}" = {_value(v)}' for k, v in x.items()) + " }"
    return json.dumps(x, ensure_ascii=False)  # strings, numbers and booleans as TOML has them


def _toml(doc: dict[str, Any]) -> str:
    """A scenario as TOML (tables of scalars and inline tables, arrays of tables)."""
    out = []
    for name, table in doc.items():
        for row in table if isinstance(table, list) else [table]:
            out.append(f"[[{name}]]" if isinstance(table, list) else f"[{name}]")
            out += [f"{k} = {_value(v)}" for k, v in row.items()]
            out.append("")
    return "\n".join(out)


def party_scenario(parties: int) -> dict[str, Any]:
    """tri-city-formula with ``parties`` parties: Tongliang dropped for two; for more
    than three, parties added with a firm each (brought by Chengdu), equal equity."""
    doc = tomllib.loads(TRI_CITY.read_text(encoding="utf-8"))
    keep = ["CD", "DY", "TL"][:parties]
    doc["parties"] = [p for p in doc["parties"] if p["id"] in keep]
    doc["firms"] = [f for f in doc["firms"] if f["party"] in keep]
    doc["land_sales"] = [s for s in doc["land_sales"] if s["party"] in keep]
    template = next(f for f in doc["firms"] if f["id"] == "dy-turbines")
    for k, pid in enumerate(EXTRA[: max(0, parties - 3)]):
        doc["parties"].append({"id": pid, "name": pid, "retained_share": 0.75})
        doc["firms"].append(
            template
            | {"id": f"{pid.lower()}-firm", "party": pid, "introduced_by": "CD"}
            | {"output": 10.0 + 2 * k, "growth": 0.04 + 0.01 * k, "first_year": 2025}
        )
    ids = [p["id"] for p in doc["parties"]]
    doc["meta"]["name"] = f"{parties}-party-formula"
    doc["investment"]["equity"] = {p: 1 / parties for p in ids}
    shares = {p: round(1 / parties, 9) for p in ids}
    shares[ids[-1]] = round(1 - sum(list(shares.values())[:-1]), 9)
    for c in doc["compare"]:
        if c["rule"] == "fixed":
            c["shares"] = shares
    return dict(doc)


CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from sim._malloc import tune
from sim.sweep.execute import run_sweep
tune()
if {per_game!r}:  # the nucleolus as before: one game at a time
    from dataclasses import replace
    from sim.games.nucleolus import nucleolus
    from sim.rules import registry
    from sim.rules.fair import per_game
    from sim.sweep import run
    spec = registry.get_rule("nucleolus")
    registry._REGISTRY["nucleolus"] = replace(spec, target=lambda v, p: per_game(nucleolus, v))
    run.BLOCK_SIZES = (16, 64, 8192)  # short first blocks: a steady rate from a few hundred
stamps, estimate = [], []
t0 = time.perf_counter()
run_sweep({sweep!r}, {out!r}, progress=lambda d, n: stamps.append((time.perf_counter(), d)),
          estimate=estimate.append)
seconds = time.perf_counter() - t0
# from the end of the first block (imports, first solves) to the last: the steady rate
(t1, d1), (t2, d2) = stamps[1], stamps[-1]
gaps = [b[0] - a[0] for a, b in zip(stamps[1:], stamps[2:])]
print(json.dumps({{"seconds": seconds, "steady": (d2 - d1) / (t2 - t1) if t2 > t1 else None,
                  "gap": max(gaps, default=None), "estimate": estimate[0] if estimate else None}}))
"""


def sweep_run(work: Path, parties: int, n: int, per_game: bool) -> dict[str, Any]:
    """Run the ``parties``-party sweep of ``n`` scenarios in a fresh interpreter."""
    base = TRI_CITY
    if parties != 3:
        base = work / f"{parties}-parties.toml"
        base.write_text(_toml(party_scenario(parties)), encoding="utf-8")
    tag = f"{parties}-{n}-{'per-game' if per_game else 'batched'}"
    sweep = work / f"sweep-{tag}.toml"
    sweep.write_text(SWEEP.format(base=base, n=n), encoding="utf-8")
    code = CHILD.format(root=str(ROOT), per_game=per_game, sweep=str(sweep), out=str(work / tag))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return dict(json.loads(proc.stdout.splitlines()[-1]))


def sweeps(args: argparse.Namespace) -> dict[str, Any]:
    """Scenarios per second of the fair-division sweeps, batched and per game."""
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for parties in args.parties:
            fast = sweep_run(work, parties, args.sweep_n, per_game=False)
            rate = args.sweep_n / fast["seconds"]
            report[f"sweep_{parties}_parties_per_s"] = round(rate)
            report[f"sweep_{parties}_parties_s"] = round(fast["seconds"], 2)
            report[f"sweep_{parties}_parties_progress_gap_s"] = round(fast["gap"] or 0.0, 3)
            if fast["estimate"] is not None:
                report[f"sweep_{parties}_parties_estimate_s"] = round(fast["estimate"], 2)
            if parties >= 3 and fast["steady"]:  # two parties: a closed form before too
                slow = sweep_run(work, parties, args.baseline_n, per_game=True)
                # steady rates: the per-game run is too short for its start to wash out
                report[f"sweep_{parties}_parties_steady_per_s"] = round(fast["steady"])
                report[f"sweep_{parties}_parties_per_game_steady_per_s"] = round(slow["steady"], 1)
                report[f"sweep_{parties}_parties_speedup"] = round(fast["steady"] / slow["steady"])
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["solvers", "sweeps"], default=None)
    ap.add_argument("--sweep-n", type=int, default=100_000)
    ap.add_argument("--baseline-n", type=int, default=500)
    ap.add_argument(
        "--parties", type=lambda s: [int(p) for p in s.split(",")], default=[2, 3, 4, 5, 6]
    )
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    tune()
    report: dict[str, Any] = {}
    if args.only != "solvers":
        report.update(sweeps(args))
    if args.only != "sweeps":
        report.update(solvers())
    for k, v in report.items():
        print(f"{k:42s} {v}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


def solvers() -> dict[str, Any]:
    """The game solvers against their textbook baselines."""
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
    scenario = parse(many_party_scenario(10))
    t, game = timed(coalition_game, scenario, repeat=3)
    report["coalitions_10_parties_s"] = round(t, 4)
    report["coalitions_10_parties_count"] = len(game.v)
    return report


if __name__ == "__main__":
    main()
