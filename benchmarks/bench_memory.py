"""The memory ``sim compare`` needs for n parties: the estimate against the measured peak.

For each n, an n-party scenario (three firms per party, one land sale each; the
ten-party scenario of ``bench_games.py`` grown) is written to a temporary folder and
``python -m sim compare`` run on it in a fresh process; its peak resident memory is
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper process whose only
child it is. Reported per n:
the estimate of :func:`sim.agreement.memory.game_memory`, the peak, their ratio and
the run time.

Run: ``python benchmarks/bench_memory.py [--parties 12,14,16] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import tomli_w

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's sim, whatever is installed
from sim import load_scenario  # noqa: E402
from sim.agreement.memory import game_memory  # noqa: E402

CHILD = """
import resource, subprocess, sys
cmd = [sys.executable, "-m", "sim", "compare", sys.argv[1], "--max-memory", "1TB"]
subprocess.run(cmd, check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
"""Runs ``sim compare`` as its only child and prints that child's peak resident memory."""


def party_scenario(n: int) -> dict[str, Any]:
    """``n`` parties, ``3n`` firms (half of them there before the agreement), a land
    sale per party, a joint company with equal equity and a 20% synergy."""
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
    equal = {p: 1.0 / n for p in ids[:-1]}
    equal[ids[-1]] = 1.0 - sum(equal.values())
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


def measure(n: int, folder: Path) -> dict[str, Any]:
    """Estimate and measured peak of ``sim compare`` on the n-party scenario."""
    path = folder / f"{n}-parties.toml"
    path.write_text(tomli_w.dumps(party_scenario(n)), encoding="utf-8")
    estimate = game_memory(load_scenario(path))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    peak = int(proc.stdout.split()[-1]) * 1024  # ru_maxrss is in KiB on Linux
    return {
        "parties": n,
        "estimate_mb": round(estimate / 2**20),
        "peak_mb": round(peak / 2**20),
        "ratio": round(estimate / peak, 2),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--parties", type=lambda s: [int(p) for p in s.split(",")], default=[12, 14, 16]
    )
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.parties:
            row = measure(n, Path(tmp))
            rows.append(row)
            print(
                f"{row['parties']:3d} parties  estimate {row['estimate_mb']:6,d} MB  "
                f"peak {row['peak_mb']:6,d} MB  ratio {row['ratio']:.2f}  {row['seconds']} s",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
