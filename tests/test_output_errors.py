"""Every OS error on an output, standard output included, is exit 2 with one message
naming the output (issue 18)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REFERENCE, ROOT

GAOZHU = str(ROOT / "scenarios" / "gaozhu.toml")
COMMANDS = {
    "run": ["run", GAOZHU],
    "compare": ["compare", GAOZHU],
    "game": ["game", GAOZHU],
    "rules": ["rules"],
    "validate": ["validate", GAOZHU],
    "compare-json": ["compare", GAOZHU, "--format", "json"],
}


def _sim(args: list[str], stdout: object, preexec: Callable[[], None] | None = None):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


def _limit(size: int) -> Callable[[], None]:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed

    return preexec


def _one_clean_message(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "internal error" not in stderr and "bug in sim" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_stdout_is_exit_2_naming_it(command: str) -> None:
    with open("/dev/full", "w") as full:
        proc = _sim(COMMANDS[command], full)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "error: cannot write to standard output: No space left on device\n"


def test_a_closed_pipe_exits_quietly() -> None:
    read, write = os.pipe()
    os.close(read)  # the reader went away before sim wrote (as `sim rules | head -0`)
    try:
        proc = _sim(["rules"], write)
    finally:
        os.close(write)
    assert proc.returncode == 2 and proc.stderr == ""


@pytest.mark.parametrize(
    ("command", "dest", "limit"),
    [
        ("template", "t.xlsx", 4096),
        ("template", "t.xlsx", 40960),  # openpyxl's temporary sheet cut short, silently
        ("convert-xlsx", "c.xlsx", 4096),
        ("convert-toml", "c.toml", 1024),
    ],
)
def test_a_size_limit_on_convert_and_template(
    tmp_path: Path, command: str, dest: str, limit: int
) -> None:
    out = tmp_path / dest
    args = {
        "template": ["template", str(out)],
        "convert-xlsx": ["convert", GAOZHU, str(out)],
        "convert-toml": ["convert", str(REFERENCE), str(out)],
    }[command]
    proc = _sim(args, subprocess.DEVNULL, _limit(limit))
    assert proc.returncode == 2, proc.stderr
    _one_clean_message(proc.stderr)
    assert "cannot write" in proc.stderr
    assert "File too large" in proc.stderr or "file size limit" in proc.stderr
    assert GAOZHU not in proc.stderr and "not a valid scenario" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["compare", "compare-json", "rules"])
def test_stdout_cut_short_by_a_file_size_limit_is_exit_2(command: str, tmp_path: Path) -> None:
    """Standard output to a file under `ulimit -f`: Python's flush reported success after
    a short write, so the output was cut at the limit and sim exited 0."""
    out = tmp_path / "out.txt"
    with out.open("w") as file:
        proc = _sim(COMMANDS[command], file, _limit(2048))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: cannot write to standard output: ")
    assert out.stat().st_size <= 2048


def test_stdout_to_a_file_within_the_limit_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("w") as file:
        file.write("kept before sim\n")
        file.flush()
        proc = _sim(COMMANDS["rules"], file, _limit(10_000_000))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("kept before sim\nTAX CLAUSE")
