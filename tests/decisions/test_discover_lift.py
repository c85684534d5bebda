"""`sim discover` reports each box's lift beside its coverage and density (issue 19)."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.decisions.discover import Box, Discovery, Event
from sim.output import discovery_document
from sim.report import discovery_tables
from sim.sweep.spec import load_sweep
from sim.text.decisions import render_discovery

from ..conftest import ROOT


def _found(events: int) -> Discovery:
    # 1,000 scenarios, `events` with the event; the box holds 100 of them, 60 events
    box = Box("prim", (), coverage=60 / max(events, 1), density=0.6, mass=0.1, scenarios=100,
              events=60)  # fmt: skip
    return Discovery(Event(party="SC"), 1000, events, [box], [pd.DataFrame()], [], {}, 0.8)


def test_lift_is_the_density_over_the_share_of_events_overall() -> None:
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "gaozhu.toml")
    found = _found(200)  # 20% overall, 60% in the box: three times likelier
    assert found.lift(found.boxes[0]) == pytest.approx(3.0)
    text = render_discovery(spec, found)
    assert "lift" in text.splitlines()[2] and "3.00×" in text
    assert "lift: density ÷ the event's share of all the scenarios (20.0%)" in text
    assert "提升度：密度 ÷ 事件在全部情景中的比例（20.0%）" in render_discovery(spec, found, "zh")
    assert discovery_document(spec, found)["prim"][0]["lift"] == pytest.approx(3.0)
    table = next(iter(discovery_tables(spec, found).values()))
    assert table["lift (÷ 20.0%)"].tolist() == pytest.approx([3.0])
    # no event anywhere: no lift (not a division by zero)
    none = _found(0)
    assert discovery_document(spec, none)["prim"][0]["lift"] is None


def test_a_box_hardly_denser_than_the_sweep_is_not_a_finding() -> None:
    from sim.decisions.discover import MIN_EXCESS, _findings
    from sim.style import Note

    # the case: density 96.3% where the event holds in 95.4% of the sweep
    weak = Box("prim", (), coverage=0.5, density=0.963, mass=0.5, scenarios=500, events=481)
    strong = Box("cart", (), coverage=0.3, density=0.954 + MIN_EXCESS, mass=0.1, scenarios=100,
                 events=100)  # fmt: skip
    notes: list[Note] = []
    found, trajectories, tree = _findings([weak], [pd.DataFrame()], [weak, strong], 0.954, notes)
    assert found == [] and trajectories == [] and tree == [strong]
    assert len(notes) == 2
    text = notes[0].text("en")
    assert "density of 96.3% is not shown" in text and "(95.4%), it is not a finding" in text
    assert "不构成发现" in notes[0].text("zh")
