"""One scenario under several agreements side by side (``sim compare``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from sim.errors import SimError
from sim.model import Result, batch_from_scenario, evaluate, terms_from_sharing
from sim.rules import get_rule
from sim.scenario import Scenario, Sharing

__all__ = ["FAIR_RULES", "Comparison", "ComparisonRow", "compare", "comparison_set"]

AGREEMENT_LABEL = "agreement"
FAIR_RULES: tuple[str, ...] = ("shapley", "nucleolus", "nash")
"""Fair-division rules ``sim compare`` adds beside the keyed ones."""


@dataclass(frozen=True)
class ComparisonRow:
    """One agreement's outcome: NPV per party and its gains over source and over standing alone."""

    label: str
    rule: str
    sharing: Sharing
    result: Result
    npv: NDArray[np.float64]
    """``(P,)`` NPV per party."""
    gain_vs_source: NDArray[np.float64]
    """``(P,)`` NPV minus NPV under the source position."""
    gain_vs_standalone: NDArray[np.float64]
    """``(P,)`` NPV minus the party's standalone value v(i) in the scenario's game."""
    in_core: bool
    """No coalition of parties would do better on its own."""
    shares: NDArray[np.float64] | None = None
    """For fair-division rules: the constant pool shares that deliver the target."""
    exact: bool = True
    """For fair-division rules: whether those shares reach the target exactly."""

    @property
    def all_gain_vs_standalone(self) -> bool:
        scale = max(1.0, float(np.abs(self.npv).max()))
        return bool(np.all(self.gain_vs_standalone >= -1e-9 * scale))


@dataclass(frozen=True)
class Comparison:
    scenario: Scenario
    rows: tuple[ComparisonRow, ...]
    notes: tuple[str, ...]
    standalone: NDArray[np.float64]
    """``(P,)`` each party's value standing alone, v(i)."""
    core_empty: bool


def comparison_set(scenario: Scenario) -> tuple[list[Sharing], list[str]]:
    """The agreements ``sim compare`` shows, and notes on any it had to leave out.

    The file's own ``[sharing]`` (labelled ``agreement``); ``source``, the position with
    no agreement at all; ``equity``, the file's agreement with only the rule changed;
    each ``[[compare]]`` table; then the fair-division rules of :data:`FAIR_RULES`,
    with the file's scope, window, compliance, floors and land setting.
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
    labels = {s.label for s in out}
    for rule in FAIR_RULES:
        if rule in labels:
            continue
        params = MappingProxyType(
            {
                p.name: MappingProxyType({q: float(p.default or 1.0) for q in scenario.party_ids})
                for p in get_rule(rule).params
            }
        )
        out.append(replace(scenario.sharing, rule=rule, params=params, label=rule))
    return out, notes


def compare(scenario: Scenario) -> Comparison:
    """Evaluate ``scenario`` under every agreement of :func:`comparison_set`."""
    from sim.fair import coalition_game, resolve
    from sim.games.nucleolus import core_report

    game = coalition_game(scenario)
    batch = batch_from_scenario(scenario)
    agreements, notes = comparison_set(scenario)
    rows: list[ComparisonRow] = []
    for s in agreements:
        shares, exact = None, True
        run_as = s
        if get_rule(s.rule).kind == "target":
            try:
                resolution = resolve(scenario, s, game)
            except SimError as exc:
                notes.append(f"{s.label} left out: {exc}")
                continue
            run_as, shares, exact = resolution.sharing, resolution.shares, resolution.exact
            if not exact:
                notes.append(resolution.note)
        result = evaluate(batch, terms_from_sharing(scenario, run_as))
        npv = result.npv[0]
        rows.append(
            ComparisonRow(
                label=s.label,
                rule=s.rule,
                sharing=s,
                result=result,
                npv=npv,
                gain_vs_source=npv * 0,
                gain_vs_standalone=npv - game.standalone,
                in_core=game.in_core(npv),
                shares=shares,
                exact=exact,
            )
        )
    source = next(r.npv for r in rows if r.label == "source")
    rows = [replace(r, gain_vs_source=r.npv - source) for r in rows]
    return Comparison(scenario, tuple(rows), tuple(notes), game.standalone, core_report(game).empty)
