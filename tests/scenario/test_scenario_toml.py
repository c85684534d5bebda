"""Scenarios written back as TOML read back to the same scenario."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given

from sim.scenario import Scenario, load, loads, parse
from sim.scenario_toml import dumps, scenario_data
from sim.workbook.totoml import dumps as toml_dumps

from ..conftest import REFERENCE, SCENARIOS
from ..strategies import scenario_data as random_scenario


def _same(a: Scenario, b: Scenario) -> bool:
    return replace(a, source="", digest="") == replace(b, source="", digest="")


@pytest.mark.parametrize("path", [*SCENARIOS, REFERENCE], ids=lambda p: Path(p).stem)
def test_every_shipped_scenario_reads_back_equal(path: Path) -> None:
    scenario = load(path)
    text = dumps(scenario, header="a header\nof two lines")
    assert text.startswith("# a header\n# of two lines\n")
    assert _same(loads(text), scenario)


@given(random_scenario())
def test_random_scenarios_read_back_equal(data: dict[str, object]) -> None:
    scenario = parse(data)
    assert _same(loads(dumps(scenario)), scenario)
    assert _same(parse(scenario_data(scenario)), scenario)


def test_keys_and_text_that_need_quoting() -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace('"SC"', '"S.C"').replace("SC =", '"S.C" =')
    data = tomllib.loads(text)
    data["meta"]["title"] = 'a "quoted" \\ back\\slash, 园区 #1'
    data["parties"][1]["name"] = "Yubei [渝北] = 'CQ'"
    scenario = parse(data)
    assert scenario.party_ids[0] == "S.C"
    written = dumps(scenario)
    assert '"S.C" = ' in written  # a dotted id is a quoted key, not a nested table
    back = loads(written)
    assert back.title == data["meta"]["title"] and back.parties[1].name == "Yubei [渝北] = 'CQ'"
    assert _same(back, scenario)


def test_values_toml_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError, match="no TOML"):
        toml_dumps({"meta": {"name": None}})


def test_clauses_at_their_default_are_left_out() -> None:
    # dividends = "equity" written out would demand investment.equity of a file without it
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    del data["investment"], data["sharing"]["dividends"]
    scenario = parse(data)
    written = tomllib.loads(dumps(scenario))
    assert "dividends" not in written["sharing"] and "equity" not in written["investment"]
    assert _same(parse(written), scenario)
