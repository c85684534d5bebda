"""Claims and bargaining problems of any size, against the coalition-table path they replace.

1. Each claims rule on Meinhardt's (2013) 21-claimant problem and on ``--n`` claimants
   (lognormal claims to 2 decimals, estate 2/3 of the claims).
2. Where the old path still runs (``--m`` ≤ 20 claimants, the first of Meinhardt's):
   random arrival by the grid programme against the Shapley value of the ``2^m``
   coalitions, the Talmud rule against the LP nucleolus of the bankruptcy game, and the
   closed-form core and least core against the least-core LP that ``sim game solve``
   ran — each pair checked to agree.
3. ``sim game solve`` in process (read, solve, render) on ``--n`` claimants and on
   ``--n`` bargainers with weights.

Run: ``python benchmarks/bench_claims.py [--n 5000] [--m 20] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from timing import timed

from sim._malloc import tune
from sim.games import claims
from sim.games.nucleolus import core_report, nucleolus
from sim.games.tu import GameUndefinedError, shapley

D21 = [25, 37, 33, 22, 28, 70, 75, 83, 101, 143, 56, 69, 44, 128, 136, 150, 187, 54, 98, 174, 181]
RULES = {
    "proportional": claims.proportional,
    "constrained_equal_awards": claims.constrained_equal_awards,
    "constrained_equal_losses": claims.constrained_equal_losses,
    "talmud": claims.talmud,
    "random_arrival": claims.random_arrival,
}


def attempt(rule: Any, estate: float, c: np.ndarray) -> np.ndarray | GameUndefinedError:
    try:
        return np.asarray(rule(estate, c))
    except GameUndefinedError as exc:
        return exc


def rules_on(label: str, estate: float, c: np.ndarray, report: dict[str, Any]) -> None:
    for name, rule in RULES.items():
        t, x = timed(attempt, rule, estate, c, repeat=3)
        if isinstance(x, GameUndefinedError):
            report[f"{name}_{label}_refused_s"] = round(t, 6)
            print(f"{name:26s} {label:>6s}: refused in {t * 1e3:.2f} ms ({str(x)[:60]}…)")
            continue
        assert abs(x.sum() - estate) <= 1e-9 * c.sum()
        report[f"{name}_{label}_s"] = round(t, 6)
        print(f"{name:26s} {label:>6s}: {t * 1e3:8.3f} ms")


def old_path(m: int, report: dict[str, Any]) -> None:
    c = np.array(D21[:m], dtype=float)
    estate = 2 / 3 * float(c.sum())
    t_grid, grid = timed(lambda: claims.random_arrival(estate, c, method="grid"), repeat=3)
    t_game, game_value = timed(lambda: shapley(claims.bankruptcy_game(estate, c)))
    np.testing.assert_allclose(grid, game_value, atol=1e-9)
    t_talmud, x = timed(claims.talmud, estate, c, repeat=3)
    t_lp, lp = timed(lambda: nucleolus(claims.bankruptcy_game(estate, c)))
    np.testing.assert_allclose(x, lp, atol=1e-6)
    t_core, eps = timed(
        lambda: (claims.least_core_epsilon(estate, c), claims.in_core(estate, c, x))
    )
    t_core_lp, rep = timed(lambda: core_report(claims.bankruptcy_game(estate, c)))
    assert abs(eps[0] - rep.least_core_epsilon) <= 1e-7 * c.sum()
    for what, new, old in (
        ("random arrival (grid vs 2^m coalitions' Shapley)", t_grid, t_game),
        ("nucleolus (Talmud vs LP on 2^m coalitions)", t_talmud, t_lp),
        ("core and least core (closed form vs LP)", t_core, t_core_lp),
    ):
        key = what.split(" (")[0].replace(" ", "_")
        report[f"{key}_{m}_new_s"] = round(new, 6)
        report[f"{key}_{m}_old_s"] = round(old, 4)
        report[f"{key}_{m}_speedup"] = round(old / new)
        print(
            f"{what}, {m} claimants: {new * 1e3:.3f} ms vs {old:.3f} s; speedup {old / new:,.0f}x"
        )


def whole_command(n: int, report: dict[str, Any]) -> None:
    from click.testing import CliRunner

    from sim.cli import main as cli

    rng = np.random.default_rng(2)
    names = [f"P{i}" for i in range(n)]
    c = np.round(rng.lognormal(3, 1, size=n), 2)
    files = {
        "claims": {
            "estate": 2 / 3 * float(c.sum()),
            "claims": dict(zip(names, c.tolist(), strict=True)),
        },
        "bargaining": {
            "total": float(c.sum()) * 2,
            "disagreement": dict(zip(names, c.tolist(), strict=True)),
            "weights": dict(zip(names, rng.uniform(1, 3, n).round(3).tolist(), strict=True)),
        },
    }
    with tempfile.TemporaryDirectory() as tmp:
        for kind, data in files.items():
            path = Path(tmp) / f"{kind}.json"
            path.write_text(json.dumps(data))
            for fmt in ("text", "json"):
                args = ["game", "solve", str(path), "--format", fmt]
                t, result = timed(CliRunner().invoke, cli, args, repeat=3)
                assert result.exit_code == 0, result.output
                report[f"solve_{kind}_{n}_{fmt}_s"] = round(t, 4)
                print(f"sim game solve --format {fmt}, {n:,} {kind} players: {t:.3f} s in process")
            skipped = [k for k, v in json.loads(result.stdout)["allocations"].items() if v is None]
            print(f"  skipped, with the reason in notes: {', '.join(skipped) or 'none'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="claimants and bargainers")
    ap.add_argument("--m", type=int, default=20, help="claimants for the old path (≤ 21)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    tune()
    report: dict[str, Any] = {}
    rules_on("21", 2 / 3 * sum(D21), np.array(D21, dtype=float), report)
    rng = np.random.default_rng(1)
    c = np.round(rng.lognormal(3, 1, size=args.n), 2)
    rules_on(f"{args.n}", 2 / 3 * float(c.sum()), c, report)
    old_path(min(args.m, 20), report)
    whole_command(args.n, report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
