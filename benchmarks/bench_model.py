"""Batch model vs a per-scenario Python loop, measured in the same run.

100,000 variants of the reference example (each firm's output scaled by U(0.5, 1.5)
and its growth drawn from U(−0.02, 0.12)) through :func:`sim.model.evaluate`, and the
same arithmetic through :func:`sim._reference.run_scalar`, the plain loop, on a
subset (the loop's rate does not depend on how many it runs). Both give the same
NPVs on the subset; the script checks that before it reports.

Run: ``python benchmarks/bench_model.py [--n 100000] [--loop 2000] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from sim import batch_from_scenario, evaluate, load_scenario, terms_for
from sim._malloc import tune
from sim._reference import run_scalar

ROOT = Path(__file__).resolve().parent.parent


def variants(n: int, n_firms: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    scale = rng.uniform(0.5, 1.5, size=(n, n_firms))
    growth = rng.uniform(-0.02, 0.12, size=(n, n_firms))
    return scale, growth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--loop", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--no-tune", action="store_true", help="leave glibc's allocator as it is")
    args = ap.parse_args()
    tuned = False if args.no_tune else tune()  # as the CLI does: see sim/_malloc.py

    scenario = load_scenario(ROOT / "scenarios" / "co-built-park.toml")
    base = batch_from_scenario(scenario)
    n_firms = len(scenario.firms)
    scale, growth = variants(args.n, n_firms, args.seed)
    outputs = base.firms["output"] * scale

    # --- batch: best of `repeat`, including building the batch
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        batch = base.repeat(args.n).with_firm("output", outputs).with_firm("growth", growth)
        result = evaluate(batch, terms_for(scenario).repeat(args.n))
        npv = result.npv
        times.append(time.perf_counter() - t0)
    batch_s = min(times)

    # --- the plain loop on a subset
    m = min(args.loop, args.n)
    t0 = time.perf_counter()
    loop_npv = np.empty((m, len(scenario.parties)))
    for i in range(m):
        r = run_scalar(scenario, outputs=outputs[i].tolist(), growths=growth[i].tolist())
        loop_npv[i] = [r[p]["npv"][0] for p in scenario.party_ids]
    loop_s = time.perf_counter() - t0
    np.testing.assert_allclose(npv[:m], loop_npv, rtol=1e-9, atol=1e-9)

    batch_rate = args.n / batch_s
    loop_rate = m / loop_s
    report = {
        "benchmark": "model: reference example, random output and growth per firm",
        "scenarios": args.n,
        "batch_seconds": round(batch_s, 4),
        "batch_scenarios_per_second": round(batch_rate),
        "loop_scenarios": m,
        "loop_seconds": round(loop_s, 4),
        "loop_scenarios_per_second": round(loop_rate),
        "speedup": round(batch_rate / loop_rate, 1),
        "malloc_tuned": tuned,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}",
    }
    for k, v in report.items():
        print(f"{k:28s} {v}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
