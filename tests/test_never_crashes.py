"""Inputs of any type or size in the places that once crashed: a clean refusal (a
ScenarioError, exit 2), never a TypeError or OverflowError (exit 70)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.sweep.spec import parse_sweep

from .conftest import DATA

BASE = str(DATA / "co-built-park.toml")

# what a TOML value can be: numbers, text, flags, arrays and tables of them
toml_value = st.recursive(
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(toml_value)
def test_choice_weights_of_any_kind_are_accepted_or_refused_cleanly(weights: Any) -> None:
    parameter = {"dist": "choice", "values": [0.4, 0.6], "weights": weights}
    data = {"sweep": {"base": BASE, "parameters": {"sharing.shares.SC": parameter}}}
    try:
        spec = parse_sweep(data, str(DATA / "s.toml"))
    except ScenarioError as exc:
        assert str(exc.problems[0].path) == "sweep.parameters.sharing.shares.SC.weights"
        assert "must be a list of positive numbers as long as values (2)" in str(exc)
    else:
        assert len(spec.parameters[0].distribution.weights) == 2
