"""The benchmark scripts still run (tiny sizes, no timing asserted): they must not rot.

All of them run one after another in one fresh interpreter (each as ``__main__``, with
its own arguments), so that the interpreter's start, sim's imports and EMA Workbench's
are paid once, not once per script; each script's output is checked for its last words.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

SCRIPTS = [
    ("bench_model.py", ["--n", "3000", "--loop", "30", "--repeat", "1"], "speedup"),
    (
        "bench_sweep.py",
        ["--n", "4000", "--loop", "30", "--workers", "1", "--repeat", "1"],
        "speedup",
    ),
    ("bench_streams.py", ["--n", "3000", "--repeat", "1"], "speed against the kernel"),
    ("bench_decisions.py", ["--n", "2000", "--intervals", "20000"], "speedup"),
    ("bench_workbook.py", ["--firms", "30", "--repeat", "1"], "load the TOML file"),
    (
        "bench_scale.py",
        ["--n", "2000", "--chunk-size", "1000", "--workers", "1", "--executors", "processes"],
        "speedup",
    ),  # no dask cluster to start here: tests/sweep/test_sweep.py runs sweeps on one
    ("bench_serve.py", ["--repeat", "2", "--baseline-runs", "1"], "speedup"),
    ("bench_claims.py", ["--n", "300", "--m", "8"], "speedup"),
    (
        "bench_games.py",
        ["--only", "sweeps", "--sweep-n", "3000", "--baseline-n", "100", "--parties", "3"],
        "speedup",
    ),
    ("bench_agreements.py", ["--n", "2000", "--subset", "100"], "ratio_to_one_at_a_time"),
    ("bench_memory.py", ["--parties", "4"], "peak"),
    ("bench_nearest.py", ["--n", "8", "--baseline-n", "1", "--variants", "review"], "speedup"),
    ("bench_portfolio.py", ["--n", "2000", "--big", "4000", "--rounds", "1"], "side by side"),
]

RUNNER = """
import contextlib, io, json, runpy, sys, traceback
folder, scripts = sys.argv[1], json.loads(sys.argv[2])
sys.path.insert(0, folder)
failed = []
for script, args, word in scripts:
    out = io.StringIO()
    sys.argv = [script, *args]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(f"{folder}/{script}", run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (0, None):
            failed.append(f"{script}: exit {exc.code}: {traceback.format_exc()[-1500:]}")
            continue
    except BaseException:
        failed.append(f"{script}: {traceback.format_exc()[-1500:]}")
        continue
    if word not in out.getvalue():
        failed.append(f"{script}: {word!r} not in its output: {out.getvalue()[-500:]}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def test_every_benchmark_script_runs() -> None:
    # this checkout's sim, whatever `pip install -e` points at (a worktree's tests ran the
    # benchmarks against another checkout's package)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    on_disk = sorted(p.name for p in (ROOT / "benchmarks").glob("bench_*.py"))
    assert sorted(s for s, _, _ in SCRIPTS) == on_disk  # a new benchmark is run here too
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(ROOT / "benchmarks"), json.dumps(SCRIPTS)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
