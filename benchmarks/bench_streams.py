"""The model's every-stream route against the hand-written kernel, in CPU time.

(a) ``bench_sweep.kernel`` and (b′) the every-stream route (``apply_parameters``,
``resolve`` and ``sim.model._streams_npv``, as ``bench_sweep.model_streams``) on the same
sampled scenarios of ``bench_sweep.py``'s sweep, each timed with ``time.process_time``
(CPU time: the VM is often shared), best of ``--repeat`` rounds, in a fresh process.
``--against REV`` runs the same in processes alternating between ``sim`` at commit
``REV`` (taken from git) and this checkout, ``--pairs`` times, and prints every pair:
paired and alternating, so that a busy spell hits both alike. The route's NPVs must be
the same bits in both (their SHA-1 is printed) and agree with the model's to 1e-12.

Run: ``python benchmarks/bench_streams.py [--n 1000000] [--repeat 5] [--against REV]
[--pairs 3]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sweep as bs  # the sweep, the kernel and the old tree


def model_streams(spec: Any, x: np.ndarray) -> np.ndarray:
    """(b′) as ``bench_sweep.model_streams``, at the route's own chunk size where the
    ``sim`` being run has one (``STREAMS_CHUNK``), else ``CHUNK_SIZE``."""
    import sim.model.batch as mb
    from sim.agreement import resolve
    from sim.model import _streams_npv
    from sim.sweep.run import agreements, apply_parameters

    batch, terms = apply_parameters(spec, x)
    label = spec.rules[0]
    outcome = resolve(spec.scenario, agreements(spec.scenario)[label], batch, terms[label])
    chunk = getattr(mb, "STREAMS_CHUNK", mb.CHUNK_SIZE)
    values = _streams_npv(batch, outcome.terms, chunk, False, False)
    return np.stack([values.npv, values.source], axis=1)


def child(n: int, repeat: int) -> dict[str, Any]:
    """(a) and (b′) in this process: best CPU times, their ratio, the NPVs' SHA-1."""
    from sim._malloc import tune
    from sim.sweep.designs import sample
    from sim.sweep.spec import load_sweep

    tune()
    with tempfile.TemporaryDirectory() as work:
        sweep = Path(work) / "sweep.toml"
        sweep.write_text(bs.SWEEP.format(base=bs.ROOT / "scenarios" / "co-built-park.toml", n=n))
        spec = load_sweep(sweep)
    ref = bs.Reference(spec.scenario)
    x = sample(spec, 0, n)
    best = {"kernel": np.inf, "streams": np.inf}
    got = np.empty(0)
    for _ in range(repeat):  # alternating, best of each
        t0 = time.process_time()
        bs.kernel(ref, x)
        t1 = time.process_time()
        got = model_streams(spec, x)
        t2 = time.process_time()
        best["kernel"] = min(best["kernel"], t1 - t0)
        best["streams"] = min(best["streams"], t2 - t1)
    want = bs.model(spec, x)
    gap = float(np.abs(got - want).max() / np.abs(want).max())
    assert gap < 1e-12, f"the every-stream route is {gap} off the model"
    return {
        "kernel_cpu_s": round(best["kernel"], 4),
        "streams_cpu_s": round(best["streams"], 4),
        "speed_vs_kernel": round(best["kernel"] / best["streams"], 3),
        "npv_sha1": hashlib.sha1(got.tobytes()).hexdigest()[:12],
        "load_average": round(os.getloadavg()[0], 1),
    }


def run(tree: Path, n: int, repeat: int) -> dict[str, Any]:
    """:func:`child` in a fresh interpreter running ``sim`` from ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    args = [sys.executable, __file__, "--child", "--n", str(n), "--repeat", str(repeat)]
    proc = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", default=None, help="also run sim at this git commit")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.n, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as work:
        old = bs.old_tree(Path(work), args.against) if args.against else None
        for _ in range(args.pairs if old is not None else 1):
            pair = {}
            if old is not None:
                pair["before"] = run(old, args.n, args.repeat)
            pair["after"] = run(bs.ROOT, args.n, args.repeat)
            print(json.dumps(pair))
    print("speed against the kernel: see speed_vs_kernel (the issue asks for 0.85 or more)")


if __name__ == "__main__":
    main()
