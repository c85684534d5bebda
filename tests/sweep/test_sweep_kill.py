"""Sweeps killed (SIGKILL) at any moment: every folder left is resumed to the table and
summary of an uninterrupted run, or refused with a message saying what to do.

``test_killed_at_every_file_step`` kills a small sweep just before each of its file-system
steps in turn (deterministic, a few seconds); ``test_killed_at_random_moments`` kills a
sweep of 3,000 scenarios at random moments from another process: 4 times in CI, 30 (or
``SIM_KILLS``) in the long campaign
(``SIM_KILLS=30 python -m pytest tests/sweep/test_sweep_kill.py``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import ResultsError
from sim.sweep.execute import read_results, run_sweep

from ..conftest import DATA, ROOT

BODY = """
design = "montecarlo"
n = {n}
seed = 11
rules = ["agreement", "source", "shapley"]
[sweep.parameters]
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
"horizon.discount_rate" = {{ dist = "triangular", low = 0.03, mode = 0.05, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.3, high = 1.0 }}
"sharing.shares.SC" = {{ dist = "uniform", low = 0.2, high = 0.8 }}
"""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX signals and fork")


def sweep_file(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "sweep.toml"
    base = DATA / "co-built-park.toml"
    path.write_text(f'[sweep]\nbase = "{base}"\n' + BODY.format(n=n), encoding="utf-8")
    return path


def killed_at(step: int, source: Path, folder: Path, chunk: int) -> bool:
    """Run the sweep in a forked child that SIGKILLs itself just before its ``step``-th
    file-system step (a folder made, a file written, a file renamed); whether it was
    killed (``False``: it finished before that step)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            count = 0

            def deadly(real: Any) -> Any:
                def step_then(*args: Any, **kwargs: Any) -> Any:
                    nonlocal count
                    count += 1
                    if count == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return real(*args, **kwargs)

                return step_then

            os.replace = deadly(os.replace)  # type: ignore[assignment]
            Path.mkdir = deadly(Path.mkdir)  # type: ignore[method-assign]
            Path.write_text = deadly(Path.write_text)  # type: ignore[method-assign]
            run_sweep(source, folder, chunk_size=chunk)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def recover(source: Path, folder: Path) -> str:
    """Rerun, then resume, the sweep into a killed run's folder as a user would (through
    the CLI); what happened."""
    cli = ["sweep", str(source), "--out", str(folder), "--quiet"]
    plain = CliRunner().invoke(main, cli)
    if plain.exit_code == 0:
        return "rerun"
    assert plain.exit_code == 2 and "Traceback" not in plain.output, plain.output
    if "already complete" in plain.output:
        return "complete"
    assert "add --resume to continue it" in plain.output, plain.output
    resumed = CliRunner().invoke(main, [*cli, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    return "resumed"


def same_as(folder: Path, whole: Path) -> None:
    pd.testing.assert_frame_equal(read_results(folder), read_results(whole))
    for name in ("summary.json",):
        assert json.loads((folder / name).read_text()) == json.loads((whole / name).read_text())
    assert json.loads((folder / "manifest.json").read_text())["complete"]
    assert (folder / "inputs" / "scenario.toml").read_text() == (
        whole / "inputs" / "scenario.toml"
    ).read_text()
    left = [p.name for p in folder.rglob(".*")]
    assert not left, f"files cut mid-write left behind: {left}"


def test_killed_at_every_file_step(tmp_path: Path) -> None:
    source = sweep_file(tmp_path, 250)
    outcomes: Counter[str] = Counter()
    step = 0
    while True:
        step += 1
        folder = tmp_path / f"k{step}"
        if not killed_at(step, source, folder, chunk=100):
            break
        outcomes[recover(source, folder)] += 1
    whole = run_sweep(source, tmp_path / "whole", chunk_size=100).folder
    for k in range(1, step):
        same_as(tmp_path / f"k{k}", whole)
    # the folder, its manifest (2 steps), parts/, inputs/ and its scenario (2): 7 steps
    # before 3 parts; then the summary and the manifest (2 each): 14 moments to be killed
    assert step - 1 == 14 and outcomes == {"rerun": 3, "resumed": 11}, outcomes


def test_nothing_to_resume_says_what_to_do(tmp_path: Path) -> None:
    source = sweep_file(tmp_path, 50)
    folder = tmp_path / "cut"
    folder.mkdir()
    (folder / f".manifest.json.tmp-{os.getpid()}").write_text('{"kind": "sw')
    with pytest.raises(ResultsError, match="run the sweep without --resume"):
        run_sweep(source, folder, resume=True)
    run_sweep(source, folder)  # the first manifest cut mid-write is sim's: cleared
    assert not list(folder.glob(".*"))


def kill_at(proc: subprocess.Popen[bytes], folder: Path, target: int, rng: random.Random) -> bool:
    """SIGKILL ``proc`` at a moment drawn by ``target``: -1 while it starts (before or
    while its folder is made), k ≥ 0 a few milliseconds after its k-th part appeared
    (k = every part: during the summary and the final manifest); whether it had
    finished first."""
    if target < 0:
        time.sleep(rng.uniform(0.0, 1.5))
    else:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            parts = folder / "parts"
            if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= target:
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.04))
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return finished


@pytest.mark.slow
def test_killed_at_random_moments(tmp_path: Path) -> None:
    """``SIM_KILLS`` (4) sweeps of 3,000 scenarios (30 chunks of 100) started in another process and
    SIGKILLed at a random moment (seeded): while starting, after a random number of its
    parts, or while it writes its summary and manifest; each folder left is rerun or
    resumed through the CLI to the uninterrupted run's results."""
    source = sweep_file(tmp_path, 3000)
    whole = run_sweep(source, tmp_path / "whole", chunk_size=100).folder
    command = [sys.executable, "-m", "sim", "sweep", str(source), "--chunk-size", "100"]
    rng = random.Random(18)
    outcomes: Counter[str] = Counter()
    kills = int(os.environ.get("SIM_KILLS", "4"))
    for i in range(kills):
        folder = tmp_path / f"k{i}"
        proc = subprocess.Popen(
            [*command, "--out", str(folder), "--quiet"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        finished = kill_at(proc, folder, rng.randint(-1, 30), rng)
        outcomes["finished first" if finished else recover(source, folder)] += 1
        same_as(folder, whole)
        shutil.rmtree(folder)
    print(f"kills: {dict(outcomes)}")
    assert sum(outcomes.values()) == kills and outcomes["resumed"] >= kills // 2, outcomes
