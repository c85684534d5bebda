"""One million Monte Carlo scenarios to Parquet, against a per-scenario loop and EMA Workbench.

The reference example with five uncertain parameters (battery plant growth and output,
logistics hub growth, discount rate, compliance) and one rule (the file's agreement),
run by ``sim sweep`` into Parquet parts. Measured: wall time and peak memory of that
run (in a child process, so the peak is the sweep's own), then in this process the
same scenarios' arithmetic as a per-scenario Python loop (``sim._reference``) and,
when ``ema_workbench`` is installed, through EMA Workbench's sequential evaluator with
that loop as its model, each on a subset; rates are compared.

Run: ``python benchmarks/bench_sweep.py [--n 1000000] [--loop 2000] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = {n}
seed = 20261126
rules = ["agreement"]
standalone = false

[sweep.parameters]
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
"firms.battery-plant.output" = {{ dist = "triangular", low = 40.0, mode = 60.0, high = 90.0 }}
"firms.logistics-hub.growth" = {{dist = "normal", mean = 0.06, sd = 0.02, low = -0.05, high = 0.2}}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.4, high = 1.0 }}
"""


def _child(sweep: Path, out: Path, executor: str, workers: int) -> tuple[float, float, float]:
    """Run the sweep in a fresh interpreter: wall time, run time, peak memory [KiB]."""
    code = (
        "import resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from sim._malloc import tune\n"
        "from sim.sweep.execute import run_sweep\n"
        "tune()\n"
        f"run_sweep({str(sweep)!r}, {str(out)!r}, chunk_size=131072, executor={executor!r}, "
        f"workers={workers})\n"
        "print(time.perf_counter() - t0)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    inner, peak_kb = (float(x) for x in proc.stdout.split())
    return wall, inner, peak_kb


def scalar_npv(scenario: Any, row: np.ndarray) -> tuple[float, float]:
    """The loop baseline: apply one row of parameters, run the plain-Python model."""
    from sim._reference import run_scalar

    firms = list(scenario.firms)
    ids = [f.id for f in firms]
    b, h = ids.index("battery-plant"), ids.index("logistics-hub")
    firms[b] = replace(firms[b], growth=float(row[0]), output=float(row[1]))
    firms[h] = replace(firms[h], growth=float(row[2]))
    sc = replace(
        scenario,
        firms=tuple(firms),
        discount_rate=float(row[3]),
        sharing=replace(scenario.sharing, compliance=float(row[4])),
    )
    out = run_scalar(sc)
    return out["SC"]["npv"][0], out["CQ"]["npv"][0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--loop", type=int, default=2_000)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2, help="also run with this many processes")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sim-bench-"))
    try:
        sweep = work / "sweep.toml"
        sweep.write_text(SWEEP.format(base=ROOT / "scenarios" / "co-built-park.toml", n=args.n))
        out = work / "out"
        wall, inner, peak_kb = _child(sweep, out, "local", 1)
        if args.workers > 1:
            _, inner2, peak2_kb = _child(sweep, work / "out2", "processes", args.workers)
        parquet_mb = sum(p.stat().st_size for p in (out / "parts").iterdir()) / 2**20

        # --- the same scenarios, one at a time
        from sim.sweep.designs import sample
        from sim.sweep.execute import read_results
        from sim.sweep.spec import load_sweep

        spec = load_sweep(sweep)
        rows = sample(spec, 0, args.loop)
        table = read_results(out)
        t0 = time.perf_counter()
        loop = np.array([scalar_npv(spec.scenario, r) for r in rows])
        loop_rate = args.loop / (time.perf_counter() - t0)
        np.testing.assert_allclose(
            loop, table[["npv.SC", "npv.CQ"]].to_numpy()[: args.loop], rtol=1e-9, atol=1e-9
        )

        report: dict[str, Any] = {
            "scenarios": args.n,
            "parameters": len(spec.parameters),
            "sweep_wall_s_including_interpreter_start": round(wall, 2),
            "sweep_run_s": round(inner, 2),
            "sweep_scenarios_per_s": round(args.n / inner),
            "peak_memory_mb": round(peak_kb / 1024),
            "parquet_mb": round(parquet_mb, 1),
            "loop_scenarios_per_s": round(loop_rate),
            "speedup_vs_loop": round(args.n / inner / loop_rate, 1),
        }
        if args.workers > 1:
            report[f"sweep_run_s_{args.workers}_processes"] = round(inner2, 2)
            report[f"peak_memory_mb_{args.workers}_processes_parent"] = round(peak2_kb / 1024)
            report[f"speedup_vs_loop_{args.workers}_processes"] = round(
                args.n / inner2 / loop_rate, 1
            )
        report.update(_ema(spec, rows[: min(500, args.loop)], args.n / inner))
        for k, v in report.items():
            print(f"{k:42s} {v}")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ema(spec: Any, rows: np.ndarray, sweep_rate: float) -> dict[str, Any]:
    try:
        from ema_workbench import (
            Model,
            RealParameter,
            ScalarOutcome,
            SequentialEvaluator,
            perform_experiments,
        )
    except ImportError:
        return {"ema_workbench": "not installed"}
    import logging

    logging.getLogger("EMA").setLevel(logging.ERROR)
    names = ["g_battery", "out_battery", "g_hub", "discount", "compliance"]

    def model(**kw: float) -> dict[str, float]:
        sc, cq = scalar_npv(spec.scenario, np.array([kw[n] for n in names]))
        return {"npv_SC": sc, "npv_CQ": cq}

    m = Model("park", function=model)
    m.uncertainties = [
        RealParameter("g_battery", 0.0, 0.12),
        RealParameter("out_battery", 40.0, 90.0),
        RealParameter("g_hub", -0.05, 0.2),
        RealParameter("discount", 0.03, 0.08),
        RealParameter("compliance", 0.4, 1.0),
    ]
    m.outcomes = [ScalarOutcome("npv_SC"), ScalarOutcome("npv_CQ")]
    n = len(rows)
    t0 = time.perf_counter()
    with SequentialEvaluator(m) as evaluator:
        perform_experiments(m, scenarios=n, evaluator=evaluator)
    rate = n / (time.perf_counter() - t0)
    return {"ema_scenarios_per_s": round(rate), "speedup_vs_ema": round(sweep_rate / rate, 1)}


if __name__ == "__main__":
    main()
