"""The inputs the page offers to sweep, and the range it starts each from, are the key
table's (:attr:`sim.schema.Key.page`): a key given an offer there is offered for every
id of its slot, in the page's language, with no list of its own in the page."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sim.scenario import load
from sim.schema import keys

from ..conftest import ROOT

pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

from sim.web.sweep import sweepable


def test_the_page_offers_the_keys_the_key_table_offers_around_their_values(
    monkeypatch: Any,
) -> None:
    sc = load(ROOT / "scenarios" / "gaozhu.toml")
    now = {s.name: (s.low, s.high) for s in sweepable(sc, "en")}
    expected = {
        "horizon.discount_rate": (0.0, max(0.1, 2 * sc.discount_rate)),
        "sharing.compliance": (0.0, 1.0),
    }
    for f in sc.firms:
        expected[f"firms.{f.id}.output"] = (0.5 * f.output, 1.5 * f.output)
        expected[f"firms.{f.id}.growth"] = (round(f.growth - 0.05, 4), round(f.growth + 0.05, 4))
    assert list(now) == list(expected) and now == expected  # the scenario's first, then each firm's

    ramp = replace(keys.key("firms.<firm>.ramp_years"), page=("plus", 1.0))
    monkeypatch.setattr(
        keys, "KEYS", tuple(ramp if k is keys.key(ramp.path) else k for k in keys.KEYS)
    )
    offers = {s.name: s for s in sweepable(sc, "zh")}
    for f in sc.firms:
        s = offers.pop(f"firms.{f.id}.ramp_years")
        # within the key's bounds: a ramp of one year is offered 1 to 2, not 0 to 2
        low = max(f.ramp_years - 1, ramp.lo)
        assert (s.low, s.high, s.unit) == (low, f.ramp_years + 1, "years")
        assert s.label == f"{f.label('zh')}：达产年数"
    assert set(offers) == set(expected)
    with pytest.raises(ValueError, match="offers only"):  # a key no sweep can set
        replace(keys.key("cooperation.synergy"), page=("bounds", 0.0))
