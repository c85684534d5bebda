"""``sim robust`` and ``sim discover`` against baselines measured in the same run.

1. *The best share* (two parties): the sweep line over each scenario's acceptable
   interval (``overlap``, ``O(m log m)``) against counting, for each of 1,001 shares,
   the intervals that contain it (a vectorised brute force, ``O(m · 1001)``) — and the
   two must find the same probability.
2. *The whole of* ``sim robust`` on the Gaozhu sweep against ``sim sweep`` of the same
   file (the peer: the sweep evaluates every agreement on every scenario and stores the
   table; robust evaluates them too, plus each scenario's acceptable interval).
3. *Scenario discovery*: PRIM and CART on the agreement's rows of that sweep, timed
   apart from EMA Workbench's import.

Run: ``python benchmarks/bench_decisions.py [--n 100000] [--intervals 1000000]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def _best_of(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def bench_overlap(m: int) -> None:
    from sim.decisions.robust import overlap

    rng = np.random.default_rng(1)
    a, b = rng.uniform(0, 1, m), rng.uniform(0, 1, m)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    grid = np.linspace(0, 1, 1001)

    def brute() -> int:
        best = 0
        for i in range(0, len(grid), 50):  # blocks of shares, to bound memory
            g = grid[i : i + 50, None]
            best = max(best, int(((lo <= g) & (g <= hi)).sum(axis=1).max()))
        return best

    t_line = _best_of(lambda: overlap(lo, hi))
    t_brute = _best_of(brute, repeat=1)
    exact = overlap(lo, hi)[0]
    print(
        f"best share over {m:,} intervals: sweep line {t_line:.3f} s, brute force on "
        f"1,001 shares {t_brute:.3f} s; speedup {t_brute / t_line:.1f}x "
        f"(counts {exact:,} exact vs {brute():,} on the grid)"
    )


def bench_robust(n: int) -> None:
    from sim.decisions.robust import robust
    from sim.sweep.execute import run_sweep
    from sim.sweep.spec import load_sweep

    with tempfile.TemporaryDirectory() as tmp:
        sweep = Path(tmp) / "gaozhu.toml"
        text = (ROOT / "scenarios" / "sweeps" / "gaozhu.toml").read_text(encoding="utf-8")
        base = ROOT / "scenarios" / "gaozhu.toml"
        sweep.write_text(
            text.replace('base = "../gaozhu.toml"', f'base = "{base}"').replace(
                "n = 10000", f"n = {n}"
            ),
            encoding="utf-8",
        )
        spec = load_sweep(sweep)
        t = time.perf_counter()
        result = robust(spec)
        t_robust = time.perf_counter() - t
        t = time.perf_counter()
        run_sweep(sweep, Path(tmp) / "out")
        t_sweep = time.perf_counter() - t
        print(
            f"sim robust on {n:,} Gaozhu scenarios: {t_robust:.2f} s ({n / t_robust:,.0f} "
            f"scenarios/s); sim sweep of the same file {t_sweep:.2f} s; robust / sweep time "
            f"{t_robust / t_sweep:.2f} (best share {result.best_shares[0]:.4f}, "
            f"P = {result.best_probability:.4f})"
        )
        bench_discover(spec, Path(tmp) / "out")


def bench_discover(spec: object, folder: Path) -> None:
    t = time.perf_counter()
    from sim.decisions.discover import Event, _prim, discover

    _prim()
    t_import = time.perf_counter() - t
    from sim.sweep.execute import read_results

    table = read_results(folder)
    t = time.perf_counter()
    found = discover(spec, table, Event(party="SC", basis="source"))  # type: ignore[arg-type]
    t_find = time.perf_counter() - t
    box = found.boxes[0].text() if found.boxes else "no box"
    print(
        f"sim discover on {found.scenarios:,} scenarios: PRIM and CART {t_find:.2f} s "
        f"(EMA Workbench import {t_import:.2f} s); box: {box}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="Gaozhu sweep scenarios")
    parser.add_argument("--intervals", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_overlap(args.intervals)
    bench_robust(args.n)


if __name__ == "__main__":
    main()
