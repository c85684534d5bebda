"""The benchmark scripts still run (tiny sizes, no timing asserted): they must not rot."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.parametrize(
    "script,args,word",
    [
        ("bench_model.py", ["--n", "3000", "--loop", "30", "--repeat", "1"], "speedup"),
        ("bench_sweep.py", ["--n", "4000", "--loop", "30", "--workers", "1"], "speedup"),
        ("bench_streams.py", ["--n", "3000", "--repeat", "1"], "speed against the kernel"),
        ("bench_decisions.py", ["--n", "2000", "--intervals", "20000"], "speedup"),
        ("bench_workbook.py", ["--firms", "30", "--repeat", "1"], "load the TOML file"),
        ("bench_scale.py", ["--n", "2000", "--chunk-size", "1000", "--workers", "1"], "speedup"),
        ("bench_serve.py", ["--repeat", "2", "--baseline-runs", "1"], "speedup"),
        ("bench_claims.py", ["--n", "300", "--m", "8"], "speedup"),
        (
            "bench_games.py",
            ["--only", "sweeps", "--sweep-n", "3000", "--baseline-n", "100", "--parties", "3"],
            "speedup",
        ),
    ],
)
def test_benchmark_script_runs(script: str, args: list[str], word: str) -> None:
    # this checkout's sim, whatever `pip install -e` points at (a worktree's tests ran the
    # benchmarks against another checkout's package)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert word in proc.stdout
