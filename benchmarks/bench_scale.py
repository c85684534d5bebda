"""Scale-out: the same sweep on 1, 2, … workers, by local processes and by Dask.

The reference example's one-million-scenario sweep of ``bench_sweep.py``, made larger
(default ten million scenarios), run in a fresh interpreter per configuration: one
process (``--executor local``, the baseline), then ``--executor processes`` and
``--executor dask`` (a local cluster of worker processes) with 1, 2 … workers up to
the machine's cores. Reported per configuration: run time, scenarios/s, speedup over
the one-process run, and the scheduling overhead of one worker (its time over the
baseline's, minus one) — the cost of shipping chunks to another process, which chunks
of ``--chunk-size`` scenarios keep small.

Run: ``python benchmarks/bench_scale.py [--n 10000000] [--chunk-size 262144] [--json F]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sweep import ROOT, SWEEP  # the same sweep as bench_sweep


def _run(sweep: Path, out: Path, executor: str, workers: int, chunk: int) -> float:
    """Seconds ``run_sweep`` takes in a fresh interpreter (imports excluded)."""
    code = (
        "import time\n"
        "from sim._malloc import tune\n"
        "from sim.sweep.execute import run_sweep\n"
        "tune()\n"
        "t0 = time.perf_counter()\n"
        f"run_sweep({str(sweep)!r}, {str(out)!r}, chunk_size={chunk}, executor={executor!r}, "
        f"workers={workers})\n"
        "print(time.perf_counter() - t0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(proc.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--chunk-size", type=int, default=262_144)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--executors",
        default="processes,dask",
        help="comma-separated; dask is skipped when dask.distributed is not installed",
    )
    args = ap.parse_args()
    executors = [e for e in args.executors.split(",") if e]
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        executors = [e for e in executors if e != "dask"]

    work = Path(tempfile.mkdtemp(prefix="sim-scale-"))
    try:
        sweep = work / "sweep.toml"
        base = (ROOT / "scenarios" / "co-built-park.toml").as_posix()
        sweep.write_text(SWEEP.format(base=base, n=args.n), encoding="utf-8")
        base_s = _run(sweep, work / "local", "local", 1, args.chunk_size)
        shutil.rmtree(work / "local")
        report: dict[str, Any] = {
            "scenarios": args.n,
            "chunk_size": args.chunk_size,
            "chunks": -(-args.n // args.chunk_size),
            "cores": os.cpu_count(),
            "local_s": round(base_s, 2),
            "local_scenarios_per_s": round(args.n / base_s),
        }
        for executor in executors:
            for w in range(1, args.workers + 1):
                out = work / f"{executor}-{w}"
                t = _run(sweep, out, executor, w, args.chunk_size)
                shutil.rmtree(out)
                key = f"{executor}_{w}"
                report[f"{key}_s"] = round(t, 2)
                report[f"{key}_speedup"] = round(base_s / t, 2)
                if w == 1:
                    report[f"{key}_overhead_pct"] = round(100 * (t / base_s - 1), 1)
        for k, v in report.items():
            print(f"{k:34s} {v}")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
