"""A division that does not conserve the pool names the agreement's rule and the row.

A Shapley target (or any fair-division rule) is divided as ``fixed`` at the shares it
resolved to; a failure used to say ``rule 'fixed' allocated … (scenario 1, …)``: the rule
the agreement does not name, and the scenario counted from the start of the model's
chunk, not the batch. Forced here by a ``fixed`` rule that adds 1 to one party's share of
the pool in the last scenario of a chunk of 3 or 4.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from typing import Any

import pytest

from sim.agreement import resolve
from sim.errors import ConservationError
from sim.model import evaluate
from sim.rules import registry
from sim.sweep.designs import sample
from sim.sweep.run import agreements, apply_parameters, evaluate_block
from sim.sweep.spec import parse_sweep

from ..conftest import ROOT

PATH = ROOT / "scenarios" / "tri-city-formula.toml"


def _spec(floors: bool) -> Any:
    data = tomllib.loads(PATH.read_text(encoding="utf-8"))
    data.pop("sweep", None)
    parameters = {"sharing.compliance": {"dist": "uniform", "low": 0.5, "high": 1.0}}
    if floors:  # the model itself resolves Shapley: floors far above the pool
        parameters["sharing.floors.CD"] = {"dist": "uniform", "low": 0.5, "high": 1.5}
    sweep = {"n": 8, "seed": 2, "rules": ["shapley"], "parameters": parameters}
    return parse_sweep({**data, "sweep": sweep}, str(PATH))


@pytest.fixture
def leaky_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = registry._REGISTRY["fixed"]

    def leak(pool: Any, params: Any) -> Any:
        division = fixed.func(pool, params)
        if division.allocation.shape[0] in (3, 4):  # not the first chunk of 5 below
            division.allocation[-1, 0, 5] += 1.0
        return division

    monkeypatch.setitem(registry._REGISTRY, "fixed", replace(fixed, func=leak))


def test_a_shapley_row_that_leaks_names_shapley_and_its_row(leaky_fixed: None) -> None:
    spec = _spec(floors=False)
    batch, terms = apply_parameters(spec, sample(spec, 0, 8), ("shapley",))
    outcome = resolve(spec.scenario, agreements(spec.scenario)["shapley"], batch, terms["shapley"])
    with pytest.raises(ConservationError) as caught:
        evaluate(batch, outcome.terms, chunk_size=5)  # chunks of 5 and 3: the leak in row 7
    message = str(caught.value)
    assert "rule 'shapley'" in message and "divided as 'fixed'" in message, message
    assert "(scenario 7, year index 5)" in message, message  # counted in the batch
    assert "'shapley'" in caught.value.message("zh")


def test_a_sweep_names_the_agreement_and_the_sweeps_row(leaky_fixed: None) -> None:
    with pytest.raises(ConservationError) as caught:
        evaluate_block(_spec(floors=True), 4, 8)  # rows 4-7: the block's last is row 7
    message = str(caught.value)
    assert message.startswith("agreement 'shapley' of the sweep"), message
    assert "rule 'shapley'" in message and "(scenario 7, year index 5)" in message, message
