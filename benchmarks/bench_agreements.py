"""Fair-division agreements in a sweep: the agreement layer against two baselines.

A three-party sweep (``tri-city-formula.toml``: growth of one firm, the discount rate
and the settlement rate uncertain) evaluating the agreements ``agreement``, ``shapley``
and ``nash``, with each scenario's standalone values, through ``sim sweep`` into
Parquet (in a fresh process). Baselines measured in the same run:

- *one scenario at a time*: the same code resolving each scenario as its own batch of
  one (what ``sim run`` does), on a subset;
- *before the agreement layer*: the code of commit ``7e58099`` (the last before
  ``sim.agreement``), exported with ``git archive`` into a temporary folder and run on
  a subset of the same sweep (it solved each scenario's shares with its own
  bounded least-squares call). Needs ``git`` and this repository's history; skipped
  with a note otherwise.

Rates are scenarios per second; the ratios are to the baselines' rates.

Run: ``python benchmarks/bench_agreements.py [--n 100000] [--subset 3000] [--json FILE]``
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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "7e58099"

SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = {n}
seed = 20261126
rules = ["agreement", "shapley", "nash"]

[sweep.parameters]
"firms.dy-turbines.growth" = {{ dist = "uniform", low = 0.0, high = 0.1 }}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.5, high = 1.0 }}
"""


def _write(folder: Path, n: int, base: Path | None = None) -> Path:
    path = folder / f"sweep-{n}.toml"
    base = base or ROOT / "scenarios" / "tri-city-formula.toml"
    path.write_text(SWEEP.format(base=base, n=n), encoding="utf-8")
    return path


def _sweep_seconds(sweep: Path, out: Path, source: Path = ROOT) -> float:
    """Seconds ``run_sweep`` takes in a fresh interpreter importing ``sim`` from ``source``."""
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(source)!r})\n"
        "from sim.sweep.execute import run_sweep\n"
        "t0 = time.perf_counter()\n"
        f"run_sweep({str(sweep)!r}, {str(out)!r})\n"
        "print(time.perf_counter() - t0)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=source
    )
    if proc.returncode:
        raise SystemExit(f"run_sweep from {source} failed:\n{proc.stderr[-3000:]}")
    return float(proc.stdout.split()[-1])


def _one_at_a_time(sweep: Path, k: int) -> float:
    """Seconds to resolve and evaluate ``k`` scenarios each as a batch of one."""
    from sim.agreement import Context, outcome_npv, resolve
    from sim.sweep.designs import sample
    from sim.sweep.run import agreements, apply_parameters
    from sim.sweep.spec import load_sweep

    spec = load_sweep(sweep)
    sc = spec.scenario
    by_label = agreements(sc)
    values = sample(spec, 0, k)
    t0 = time.perf_counter()
    for r in range(k):
        batch, terms = apply_parameters(spec, values[r : r + 1])
        ctx = Context(sc, batch)
        _ = ctx.standalone
        for label in spec.rules:
            outcome_npv(batch, resolve(sc, by_label[label], batch, terms[label], context=ctx))
    return time.perf_counter() - t0


def _before(folder: Path) -> Path | None:
    """The package as it was before the agreement layer, or ``None`` without git history."""
    target = folder / "before"
    target.mkdir()
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE, "sim"], capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=3_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    out: dict[str, Any] = {"n": args.n, "parties": 3, "rules": ["agreement", "shapley", "nash"]}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sweep = _write(folder, args.n)
        seconds = _sweep_seconds(sweep, folder / "now")
        out["sim_sweep_seconds"] = round(seconds, 3)
        out["sim_sweep_per_second"] = round(args.n / seconds)
        loop = _one_at_a_time(sweep, min(args.subset, 1000))
        out["one_at_a_time_per_second"] = round(min(args.subset, 1000) / loop)
        before = _before(folder)
        if before is None:
            out["before_per_second"] = None
            out["note"] = f"no git history: the baseline of commit {BEFORE} was not run"
        else:
            # the scenario file as that commit had it (later ones have keys it refuses)
            text = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{BEFORE}:scenarios/tri-city-formula.toml"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            old_base = before / "tri-city-formula.toml"
            old_base.write_text(text, encoding="utf-8")
            small = _write(before, args.subset, old_base)
            seconds_before = _sweep_seconds(small, folder / "before-out", before)
            out["before_commit"] = BEFORE
            out["before_scenarios"] = args.subset
            out["before_per_second"] = round(args.subset / seconds_before)
            ratio = out["sim_sweep_per_second"] / out["before_per_second"]
            out["ratio_to_before"] = round(ratio, 1)
        out["ratio_to_one_at_a_time"] = round(
            out["sim_sweep_per_second"] / out["one_at_a_time_per_second"], 1
        )
    import os

    out["machine"] = f"{os.uname().machine}, {os.cpu_count()} cores, numpy {np.__version__}"
    for k, v in out.items():
        print(f"{k:28} {v}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
