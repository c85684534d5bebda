"""A Sobol sweep in chunks that are not a power of 2 (n itself is one, as required):
the points are the same as in one chunk, and scipy's warning that a draw of a size other
than a power of 2 loses the balance properties — true of a whole sample, not of a slice
of one — does not reach the user (it printed on every such sweep's stderr)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.cli import main
from sim.sweep.execute import read_results

from ..conftest import ROOT

SWEEP = """
[sweep]
base = "{base}"
design = "sobol"
n = 16
seed = 5
rules = ["agreement"]
standalone = false

[sweep.parameters]
"horizon.discount_rate" = {{ dist = "uniform", low = 0.02, high = 0.08 }}
"""


def _run(path: Path, out: Path, chunk: int) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # whatever the suite's filters: no warning at all
        args = ["sweep", "run", str(path), "--out", str(out), "--quiet"]
        result = CliRunner().invoke(main, [*args, "--chunk-size", str(chunk)])
    assert result.exit_code == 0, result.output
    return read_results(out).sort_values(["scenario", "rule"]).reset_index(drop=True)


def test_sobol_chunks_of_any_size_give_the_same_points_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    base = (ROOT / "scenarios" / "gaozhu.toml").as_posix()
    path.write_text(SWEEP.format(base=base), encoding="utf-8")
    whole = _run(path, tmp_path / "whole", 16)
    pd.testing.assert_frame_equal(_run(path, tmp_path / "chunks", 5), whole)
