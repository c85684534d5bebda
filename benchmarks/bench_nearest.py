"""Fair-division shares for three parties with floors, a cap or a review clause: the
batched search for the nearest shares against the per-scenario SLSQP it replaces.

A three-party sweep (``tri-city-formula.toml`` with ``sharing.rule = "shapley"``; one
firm's growth, the discount rate and the settlement rate uncertain) in four variants:
``floors`` (0.5 a year for Tongliang, 0.4 for Deyang), ``cap`` (0.05), ``review``
(Chengdu behind after two years: 70% to it from then on) and all three at once. Each
runs through ``run_sweep`` in this process, and the rows Newton's method leaves unmet
are counted: *out of reach* (the nearest shares do not deliver the target) or *Newton
stalled* (they do), and how many still reach the per-scenario SLSQP (the last resort).

Baseline measured in the same run, on the first ``--baseline-n`` scenarios: the same
sweep with every such row sent to SLSQP one scenario at a time (the route before), and
the batched route on those same scenarios, whose NPVs are compared with it (largest
difference relative to the largest NPV; rows where one is nearer to the target).

Run: ``python benchmarks/bench_nearest.py [--n 256] [--baseline-n 16] [--variants ...]
[--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

import sim.agreement.shares as shares_module
from sim.agreement.nearest import loss
from sim.sweep.execute import read_results, run_sweep

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("floors", "cap", "review", "all")
PARAMETERS = {
    "firms.dy-turbines.growth": {"dist": "uniform", "low": 0.0, "high": 0.1},
    "horizon.discount_rate": {"dist": "uniform", "low": 0.03, "high": 0.08},
    "sharing.compliance": {"dist": "uniform", "low": 0.5, "high": 1.0},
}


def scenario(variant: str, n: int, folder: Path) -> Path:
    """The sweep file of ``variant`` with ``n`` scenarios (its base written beside it)."""
    data = tomllib.loads((ROOT / "scenarios" / "tri-city-formula.toml").read_text("utf-8"))
    sharing = data["sharing"]
    sharing.pop("weights", None)
    sharing["rule"] = "shapley"
    if variant in ("floors", "all"):
        sharing["floors"] = {"TL": 0.5, "DY": 0.4}
    if variant in ("cap", "all"):
        sharing["cap"] = 0.05
    if variant in ("review", "all"):
        tilted = {"CD": 0.7, "DY": 0.15, "TL": 0.15}
        sharing["review"] = {"party": "CD", "below": 1.0, "after": 2, "shares": tilted}
    data["sweep"] = {
        "design": "montecarlo",
        "n": n,
        "seed": 20261126,
        "rules": ["agreement"],
        "standalone": False,
        "parameters": PARAMETERS,
    }
    path = folder / f"{variant}-{n}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


class Counted:
    """Wraps the search and its last resort, counting rows (``old``: SLSQP for all)."""

    def __init__(self, old: bool) -> None:
        self.old = old
        self.counts: Counter[str] = Counter()
        self.losses: list[float] = []
        self.shares: list[list[float]] = []
        self._nearest = shares_module.nearest
        self._least_squares = shares_module.least_squares

    def nearest(self, npv_at: Any, rows: Any, target: Any, starts: Any) -> Any:
        if self.old:  # the route before: every row to SLSQP from the map's and Newton's shares
            found, unsettled = starts[-1].copy(), np.ones(len(rows), dtype=bool)
        else:
            found, unsettled = self._nearest(npv_at, rows, target, starts)
        self.counts["missed by Newton"] += len(rows)
        return found, unsettled

    def least_squares(self, npv_at: Any, row: int, target: Any, starts: Any) -> Any:
        self.counts["to SLSQP"] += 1
        return self._least_squares(npv_at, row, target, starts)

    def classify(self, npv_at: Any, rows: Any, target: Any, found: Any) -> None:
        npv = npv_at(found, rows)
        scale = np.maximum(1.0, np.abs(target).max(axis=1))
        reached = np.abs(npv - target).max(axis=1) <= shares_module.RTOL * scale
        self.counts["Newton stalled"] += int(reached.sum())
        self.counts["out of reach"] += int((~reached).sum())
        self.losses.extend(loss(npv, target).tolist())
        self.shares.extend(found.tolist())

    def run(self, sweep: Path, out: Path) -> tuple[float, Any]:
        def nearest(npv_at: Any, rows: Any, target: Any, starts: Any) -> Any:
            found, unsettled = self.nearest(npv_at, rows, target, starts)
            final = found.copy()
            for k in np.flatnonzero(unsettled):
                r = rows[k]
                final[k] = self.least_squares(npv_at, r, target[k], (starts[0][k], found[k]))
            self.classify(npv_at, rows, target, final)
            return final, np.zeros(len(rows), dtype=bool)

        shares_module.nearest = nearest  # type: ignore[assignment]
        try:
            t0 = time.perf_counter()
            run_sweep(sweep, out)
            seconds = time.perf_counter() - t0
        finally:
            shares_module.nearest = self._nearest
        return seconds, read_results(out)


def variant_report(variant: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    new = Counted(old=False)
    seconds, _ = new.run(scenario(variant, args.n, folder), folder / f"{variant}-new")
    small = scenario(variant, args.baseline_n, folder)
    new_small, old_small = Counted(old=False), Counted(old=True)
    t_new, frame_new = new_small.run(small, folder / f"{variant}-new-small")
    t_old, frame_old = old_small.run(small, folder / f"{variant}-old-small")
    npv_new = frame_new.filter(like="npv.").to_numpy()
    npv_old = frame_old.filter(like="npv.").to_numpy()
    scale = max(1.0, float(np.abs(npv_old).max()))
    apart = np.abs(npv_new - npv_old).max(axis=1) > 1e-6 * scale
    new_shares, old_shares = np.asarray(new_small.shares), np.asarray(old_small.shares)
    gap = np.asarray(new_small.losses) - np.asarray(old_small.losses)
    out: dict[str, Any] = {
        "scenarios": args.n,
        "seconds": round(seconds, 3),
        **{k: new.counts[k] for k in ("missed by Newton", "out of reach", "Newton stalled")},
        "to SLSQP": new.counts["to SLSQP"],
        "baseline scenarios": args.baseline_n,
        "baseline to SLSQP": old_small.counts["to SLSQP"],
        "baseline seconds": round(t_old, 3),
        "batched seconds, same scenarios": round(t_new, 3),
        "speedup, same scenarios": round(t_old / t_new, 1),
        "speedup per scenario": round((t_old / args.baseline_n) / (seconds / args.n), 1),
        "largest share difference": float(f"{np.abs(new_shares - old_shares).max():.2e}"),
        "largest NPV difference, relative": float(f"{np.abs(npv_new - npv_old).max() / scale:.2e}"),
        "rows with NPVs apart by > 1e-6 relative": int(apart.sum()),
        "rows nearer than SLSQP (loss lower by > 1e-9)": int((gap < -1e-9).sum()),
        "rows further than SLSQP (loss higher by > 1e-9)": int((gap > 1e-9).sum()),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--baseline-n", type=int, default=16)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in args.variants:
            report[variant] = variant_report(variant, args, Path(tmp))
            print(f"\n{variant}")
            for k, v in report[variant].items():
                print(f"  {k:52} {v}")
    report["machine"] = f"{os.uname().machine}, {os.cpu_count()} cores, numpy {np.__version__}"
    print(f"\n{report['machine']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
