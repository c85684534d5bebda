"""`sim discover` asked several questions of one sweep: each has a default folder of its
own (its party, `holds`), and the hint to turn the question round points the other way
when it was turned, with the event's share never rounded up to 100%."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.decisions.discover import Event, discover_xy

from ..portfolio.test_portfolio_decisions import PAIR
from ..portfolio.test_portfolio_decisions import _sweep as portfolio_sweep
from .test_decisions import gaozhu_sweep


def _discover(*args: str) -> str:
    got = CliRunner().invoke(main, ["discover", *args])
    assert got.exit_code == 0, got.output
    return got.output


@pytest.mark.parametrize("kind", ["park", "portfolio"])
def test_each_question_has_a_default_folder_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    pytest.importorskip("ema_workbench")
    if kind == "park":
        run = ["sweep", str(gaozhu_sweep(tmp_path, n=200)), "--quiet"]
    else:
        run = ["portfolio", "sweep", str(portfolio_sweep(tmp_path, PAIR, n=40, extra=""))]
    folder = tmp_path / "sw"
    swept = CliRunner().invoke(main, [*run, "--out", str(folder)])
    assert swept.exit_code == 0, swept.output
    monkeypatch.chdir(tmp_path)
    asked = [("--party", "SC"), ("--party", "CQ", "--holds"), ("--holds",), ()]
    for question in asked:
        _discover(str(folder), *question, "--lang", "zh")
    made = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert made == ["sw-discover-CQ-holds-zh", "sw-discover-SC-zh", "sw-discover-holds-zh",
                    "sw-discover-zh"]  # fmt: skip
    again = CliRunner().invoke(main, ["discover", str(folder), "--party", "SC", "--lang", "zh"])
    assert again.exit_code == 2 and "sw-discover-SC-zh" in again.output  # the same question


@pytest.mark.parametrize("holds", [False, True])
def test_the_hint_turns_the_question_round_and_keeps_its_digits(holds: bool) -> None:
    """An event in 999 of 1,000 scenarios: 99.9%, not 100%; the hint asks for --holds
    only when it was not given."""
    x = pd.DataFrame({"sharing.compliance": np.full(1000, 0.8)})  # no input varies
    y = np.arange(1000) > 0
    found = discover_xy(x, y, {}, Event(party="SC", holds=holds))
    hints = [n for n in found.notes if n.key.startswith("mostly")]
    assert len(hints) == 1
    en, zh = hints[0].text("en"), hints[0].text("zh")
    assert "99.9%" in en and "99.9%" in zh and "100%" not in en + zh
    if holds:
        assert "(ask without --holds)" in en and "（去掉 --holds）" in zh
    else:
        assert en.endswith("(turn the question round: --holds)") and zh.endswith("（--holds）")
