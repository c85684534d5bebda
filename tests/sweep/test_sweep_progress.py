"""A sweep's progress within chunks and its estimated time: reported, never changing a number."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.sweep import execute, run
from sim.sweep.execute import read_results, run_sweep

from ..conftest import DATA

BASE = str(DATA / "co-built-park.toml")
SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = 600
seed = 11
rules = ["agreement", "shapley", "nucleolus", "nash"]
[sweep.parameters]
"firms.{firm}.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.3, high = 1.0 }}
"""


def sweep_file(tmp_path: Path, base: str = BASE, firm: str = "battery-plant") -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP.format(base=base, firm=firm), encoding="utf-8")
    return path


def test_progress_moves_within_a_chunk_and_blocks_change_no_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three = str(Path("scenarios/tri-city-formula.toml").resolve())
    path = sweep_file(tmp_path, three, "dy-turbines")
    whole = run_sweep(path, tmp_path / "whole", chunk_size=600)  # one block of 600
    monkeypatch.setattr(run, "BLOCK_SIZES", (64, 100, 128))
    seen: list[tuple[int, int]] = []
    blocks = run_sweep(
        path, tmp_path / "blocks", chunk_size=600, progress=lambda d, t: seen.append((d, t))
    )
    done = [d for d, _ in seen]
    assert done[0] == 0 and done[-1] == 600 and len(done) >= 6
    assert all(b > a for a, b in pairwise(done))
    assert {t for _, t in seen} == {600}
    pd.testing.assert_frame_equal(
        read_results(whole.folder), read_results(blocks.folder), check_exact=True
    )
    for part in (whole.folder / "parts").glob("*.parquet"):  # the same rows, in order
        pd.testing.assert_frame_equal(
            pd.read_parquet(part), pd.read_parquet(blocks.folder / "parts" / part.name)
        )


def test_the_estimate_comes_first_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sweep_file(tmp_path)
    plain = run_sweep(path, tmp_path / "plain", chunk_size=200)
    monkeypatch.setattr(execute, "PILOT", (16, 32))
    monkeypatch.setattr(execute, "PILOT_MIN", 0)
    events: list[tuple[str, float]] = []
    timed = run_sweep(
        path,
        tmp_path / "timed",
        chunk_size=200,
        progress=lambda d, t: events.append(("progress", d)),
        estimate=lambda s: events.append(("estimate", s)),
    )
    assert events[0][0] == "estimate" and events[0][1] > 0
    assert [e for e, _ in events].count("estimate") == 1
    pd.testing.assert_frame_equal(
        read_results(plain.folder), read_results(timed.folder), check_exact=True
    )
    assert sorted(p.name for p in (timed.folder / "parts").iterdir()) == [
        "part-000000.parquet",
        "part-000001.parquet",
        "part-000002.parquet",
    ]


def test_a_long_sweep_says_how_long_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sweep_file(tmp_path)
    monkeypatch.setattr(execute, "PILOT_MIN", 0)
    monkeypatch.setattr(execute, "pilot_seconds", lambda spec, start: 1.0)  # 600 scenarios
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "estimated time: 10 min 00 s" in result.stderr
    quiet = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "b"), "--quiet"])
    assert quiet.exit_code == 0 and "estimated" not in quiet.stderr
    monkeypatch.setattr(execute, "pilot_seconds", lambda spec, start: 0.05)  # 30 s
    short = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "c")])
    assert short.exit_code == 0 and "estimated" not in short.stderr


def test_blocks_with_different_reasons_join_rule_by_rule() -> None:
    import numpy as np

    from sim.sweep.columns import Coded

    # two rules; block one has 2 scenarios, block two 3; each block's labels differ
    first = Coded(np.array([0, 1, 0, 0], np.int32), ("", "no gain"))
    second = Coded(np.array([1, 0, 0, 0, 2, 0], np.int32), ("", "a loss", "no gain"))
    joined = run._join_blocks([first, second], 2)
    assert isinstance(joined, Coded)
    text = [joined.labels[c] for c in joined.codes]
    assert text == ["", "no gain", "a loss", "", "", "", "", "", "no gain", ""]
    numbers = run._join_blocks([np.arange(4.0), np.arange(4.0, 10.0)], 2)
    assert numbers.tolist() == [0, 1, 4, 5, 6, 2, 3, 7, 8, 9]
