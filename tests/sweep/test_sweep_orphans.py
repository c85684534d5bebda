"""A sweep's worker processes end when the sweep is killed (SIGKILL, an OOM kill, a
closed terminal): before, each stayed alive with nothing left to do — 12 minutes later
still there, and still writing the parts of chunks it had been handed into the folder
while the user resumed the sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import DATA

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = 400000
seed = 3
rules = ["agreement"]
standalone = false
[sweep.parameters]
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for p in pids:
        try:
            state = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(p)
    return alive


def test_workers_end_when_the_sweep_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP.format(base=(DATA / "co-built-park.toml").as_posix()), encoding="utf-8")
    args = ["sweep", "run", str(path), "--out", str(tmp_path / "out"), "--quiet"]
    options = ["--executor", "processes", "--workers", "2", "--chunk-size", "20000"]
    sweep = subprocess.Popen([sys.executable, "-m", "sim", *args, *options])
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and sweep.poll() is None:
            time.sleep(0.1)
            workers = _children(sweep.pid)
        assert len(workers) >= 2, "the workers did not start"
        sweep.send_signal(signal.SIGKILL)
        sweep.wait()
        deadline = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(workers), "workers outlived the killed sweep"
    finally:
        for p in _alive(workers):
            os.kill(p, signal.SIGKILL)
