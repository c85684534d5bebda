"""One scenario under several agreements side by side (``sim compare``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from sim.model import Result, batch_from_scenario, evaluate, terms_from_sharing
from sim.scenario import Scenario, Sharing

__all__ = ["Comparison", "ComparisonRow", "compare", "comparison_set"]

AGREEMENT_LABEL = "agreement"


@dataclass(frozen=True)
class ComparisonRow:
    """One agreement's outcome: NPV per party and its gain over the source position."""

    label: str
    rule: str
    sharing: Sharing
    result: Result
    npv: NDArray[np.float64]
    """``(P,)`` NPV per party."""
    gain_vs_source: NDArray[np.float64]
    """``(P,)`` NPV minus NPV under the source position."""


@dataclass(frozen=True)
class Comparison:
    scenario: Scenario
    rows: tuple[ComparisonRow, ...]
    notes: tuple[str, ...]


def comparison_set(scenario: Scenario) -> tuple[list[Sharing], list[str]]:
    """The agreements ``sim compare`` shows, and notes on any it had to leave out.

    The file's own ``[sharing]`` (labelled ``agreement``); ``source``, the position with
    no agreement at all; ``equity``, the file's agreement with only the rule changed;
    then each ``[[compare]]`` table.
    """
    own = replace(scenario.sharing, label=AGREEMENT_LABEL)
    out = [own, Sharing(rule="source", label="source")]
    notes = []
    if scenario.investment.equity is not None:
        out.append(
            replace(scenario.sharing, rule="equity", params=MappingProxyType({}), label="equity")
        )
    else:
        notes.append("equity left out: the scenario has no investment.equity")
    out.extend(scenario.compare)
    return out, notes


def compare(scenario: Scenario) -> Comparison:
    """Evaluate ``scenario`` under every agreement of :func:`comparison_set`."""
    batch = batch_from_scenario(scenario)
    agreements, notes = comparison_set(scenario)
    results = [evaluate(batch, terms_from_sharing(scenario, s)) for s in agreements]
    source_npv = results[1].npv[0]
    rows = tuple(
        ComparisonRow(
            label=s.label,
            rule=s.rule,
            sharing=s,
            result=r,
            npv=r.npv[0],
            gain_vs_source=r.npv[0] - source_npv,
        )
        for s, r in zip(agreements, results, strict=True)
    )
    return Comparison(scenario, rows, tuple(notes))
