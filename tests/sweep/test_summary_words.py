"""The printed summary of a sweep: Chinese parts are separated as Chinese separates them,
and a clause that moves nothing in the median scenario reads +0.000, not −0.000."""

from __future__ import annotations

import json
from pathlib import Path

from sim.sweep.summary import render_summary

from ..conftest import shipped_sweep


def _doc(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    from sim.sweep.execute import run_sweep

    folder = run_sweep(shipped_sweep(tmp_path, 16, "gaozhu-clauses.toml"), tmp_path / "out").folder
    return dict(json.loads((folder / "summary.json").read_text(encoding="utf-8")))


def test_the_chinese_summary_separates_parts_with_chinese_semicolons(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    entry = doc["rules"]["agreement"]
    first = next(iter(entry["decomposition_median"]))
    entry["decomposition_median"][first] = {p: -0.0 for p in entry["parties"]}  # nothing moved
    zh = render_summary(doc, "zh")
    line = next(x for x in zh.splitlines() if "按条款分解" in x)
    assert "；" in line and "; " not in line and "-0.000" not in line, line
    assert "+0.000/+0.000" in line
    assert "; " in next(x for x in render_summary(doc, "en").splitlines() if "by clause" in x)
