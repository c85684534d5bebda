"""A value a firm takes from its party (a clause input such as ``rebate_share``, its
introducer) stays unwritten through ``sim convert`` TOML → workbook → TOML: it is not
turned into the firm's own value, which would no longer follow the party."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from click.testing import CliRunner

from sim.cli import main
from sim.scenario import load

from ..conftest import ROOT

INCENTIVES = ROOT / "scenarios" / "joint-promotion-incentives.toml"


def test_inherited_values_stay_inherited_through_the_workbook(tmp_path: Path) -> None:
    data = tomllib.loads(INCENTIVES.read_text(encoding="utf-8"))
    del data["firms"][0]["introduced_by"]
    source = tmp_path / "in.toml"
    source.write_text(tomli_w.dumps(data), encoding="utf-8")
    book, back = tmp_path / "in.xlsx", tmp_path / "back.toml"
    for a, b in ((source, book), (book, back)):
        done = CliRunner().invoke(main, ["convert", str(a), str(b)])
        assert done.exit_code == 0, done.output
    firms = tomllib.loads(back.read_text(encoding="utf-8"))["firms"]
    assert "introduced_by" not in firms[0] and firms[0]["rebate_share"] == 0
    assert "rebate_share" not in firms[3] and "rebate_years" not in firms[3]  # the hub: SC's
    assert firms[2]["rebate_years"] == 3
    hub = load(back).firms[3]
    assert dict(hub.inputs) == {} and load(back).firm_input(hub, "rebate_share") == 0.3
