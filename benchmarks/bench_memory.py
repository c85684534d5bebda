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
from bench_games import many_party_scenario  # noqa: E402  (beside this file)

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
    """``n`` parties, three firms each (the games benchmark's scenario)."""
    return many_party_scenario(n)


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
