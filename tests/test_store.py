"""Results are written atomically: a failure leaves nothing that looks whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario, run
from sim.store import atomic_folder, write_run

from .conftest import REFERENCE


def test_failure_inside_leaves_no_folder(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    with pytest.raises(RuntimeError), atomic_folder(dest) as tmp:
        (tmp / "half.csv").write_text("a,b\n1,")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_leaves_the_old_results_intact(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    scenario = load_scenario(REFERENCE)
    write_run(dest, scenario, run(scenario))
    before = (dest / "flows.csv").read_bytes()
    with pytest.raises(KeyboardInterrupt), atomic_folder(dest, overwrite=True) as tmp:
        (tmp / "flows.csv").write_text("partial")
        raise KeyboardInterrupt
    assert (dest / "flows.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
