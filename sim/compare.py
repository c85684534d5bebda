"""One scenario under several agreements side by side (``sim compare``).

Every row is resolved by :func:`sim.agreement.resolve` and evaluated by the model,
exactly as ``sim run`` would evaluate that agreement on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from sim.agreement import (
    Context,
    Decomposition,
    Outcome,
    decompose,
    needs_resolution,
    outcome_result,
    resolve,
)
from sim.games.tu import Game
from sim.inheritance import inherit
from sim.model import Batch, Result, batch_from_scenario
from sim.rules import get_rule
from sim.scenario import Scenario, Sharing
from sim.schema.labels import AGREEMENT_LABEL, EQUITY_LABEL, FAIR_RULES, SOURCE_LABEL

__all__ = [
    "AGREEMENT_LABEL",
    "FAIR_RULES",
    "Comparison",
    "ComparisonRow",
    "agreement_labels",
    "compare",
    "comparison_set",
]


Array = NDArray[np.float64]


@dataclass(frozen=True)
class ComparisonRow:
    """One agreement's outcome: NPV per party and its gains over source and over standing alone.

    Where the agreement's rule is undefined for the scenario, :attr:`result` is
    ``None``, the amounts are NaN and :attr:`reason` says why.
    """

    label: str
    rule: str
    sharing: Sharing
    outcome: Outcome
    result: Result | None
    npv: Array
    """``(P,)`` NPV per party."""
    gain_vs_source: Array
    """``(P,)`` NPV minus NPV under the source position."""
    gain_vs_standalone: Array
    """``(P,)`` NPV minus the party's standalone value v(i) in the scenario's game."""
    in_core: bool | None
    """No coalition of parties would do better on its own (``None``: undefined)."""
    decomposition: Decomposition | None = None

    @property
    def defined(self) -> bool:
        """Whether the agreement has a value for this scenario."""
        return self.result is not None

    @property
    def shares(self) -> Array | None:
        """For fair-division rules: the constant pool shares that deliver the target."""
        return None if self.outcome.shares is None else self.outcome.shares[0]

    @property
    def exact(self) -> bool:
        """For fair-division rules: whether those shares reach the target exactly."""
        return bool(self.outcome.status[0] == 0)

    @property
    def reason(self) -> str:
        """Why the row is undefined or its target unreached (empty otherwise)."""
        return self.outcome.reasons[0]

    @property
    def all_gain_vs_standalone(self) -> bool | None:
        """Every party does at least as well as standing alone (``None``: undefined)."""
        if not self.defined:
            return None
        scale = max(1.0, float(np.abs(self.npv).max()))
        return bool(np.all(self.gain_vs_standalone >= -1e-9 * scale))

    @property
    def all_gain_vs_source(self) -> bool | None:
        """Every party does at least as well as with no agreement (``None``: undefined)."""
        if not self.defined:
            return None
        scale = max(1.0, float(np.abs(self.npv).max()))
        return bool(np.all(self.gain_vs_source >= -1e-9 * scale))


@dataclass(frozen=True)
class Comparison:
    """A scenario under every agreement of :func:`comparison_set`, with its game's facts."""

    scenario: Scenario
    rows: tuple[ComparisonRow, ...]
    notes: tuple[str, ...]
    standalone: Array
    """``(P,)`` each party's value standing alone, v(i)."""
    core_empty: bool | None
    """Whether the core is empty (``None``: the game was not computed)."""
    game: Game | None = None
    """The scenario's game (``None``: not computed): why a row is not in its core."""
    context: Context | None = None
    """The batch and coalition values the rows were resolved on, for analyses that ask
    more of the same agreement (the findings' acceptable shares) without computing the
    game again."""

    def row(self, label: str) -> ComparisonRow:
        """The row labelled ``label``."""
        return next(r for r in self.rows if r.label == label)


def comparison_set(scenario: Scenario) -> tuple[list[Sharing], list[str]]:
    """The agreements ``sim compare`` shows, and notes on any it had to leave out.

    The file's own ``[sharing]`` (labelled ``agreement``); ``source``, the position with
    no agreement at all; ``equity``, the file's agreement with only the tax rule
    changed; each ``[[compare]]`` table (which took the terms it does not write from the
    agreement when the file was read); then the fair-division rules of
    :data:`FAIR_RULES`, with every other term and clause of the file's agreement. Every
    row but ``source`` is made by :func:`sim.inheritance.inherit`: a review clause
    renegotiates the drafted ratio, so a row with a rule of its own does not take it,
    and a fair-division row never does (the review would move it off its target).
    """
    own = replace(scenario.sharing, label=AGREEMENT_LABEL, label_zh="")
    out = [own, Sharing(rule="source", label=SOURCE_LABEL)]
    notes = []
    agreement = scenario.sharing
    if scenario.investment.equity is not None:
        out.append(inherit(agreement, Sharing(rule="equity", label=EQUITY_LABEL)))
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
        row = Sharing(rule=rule, params=params, label=rule)
        out.append(inherit(agreement, row, own=("review",)))
    return out, notes


def agreement_labels(scenario: Scenario) -> tuple[str, ...]:
    """The labels of the agreements ``sim compare`` shows, in its order (what a sweep's
    ``rules`` may name)."""
    return tuple(s.label for s in comparison_set(scenario)[0])


def _grouped_notes(rows: list[ComparisonRow]) -> list[str]:
    """One note per reason an agreement is undefined or its target unreached, naming them."""
    from sim.agreement import STATUS

    by_reason: dict[tuple[int, str], list[str]] = {}
    for r in rows:
        if r.reason:
            by_reason.setdefault((int(r.outcome.status[0]), r.reason), []).append(r.label)
    return [
        f"{', '.join(labels)}: {STATUS[code]}: {reason}"
        for (code, reason), labels in by_reason.items()
    ]


def compare(scenario: Scenario, *, explain: bool = False) -> Comparison:
    """Evaluate ``scenario`` under every agreement of :func:`comparison_set`.

    With ``explain``, each row also splits each party's gain over no agreement over
    the agreement's clauses (:func:`sim.agreement.decompose`). Beyond
    :data:`~sim.agreement.resolve.MAX_GAME_PARTIES` parties the cooperative game is not
    computed: the agreements that need it are left out (with a note), and standing
    alone and the core are unknown.
    """
    from sim.agreement.resolve import MAX_GAME_PARTIES
    from sim.games.nucleolus import core_report

    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    agreements, notes = comparison_set(scenario)
    game = None
    if len(scenario.parties) <= MAX_GAME_PARTIES:
        game = Game(scenario.party_ids, ctx.values[0])
    else:
        kept = [s for s in agreements if not needs_resolution(s)]
        notes.append(
            f"{len(scenario.parties)} parties: the cooperative game (2^{len(scenario.parties)} "
            f"coalitions) is computed up to {MAX_GAME_PARTIES} parties; left out: "
            + ", ".join(s.label for s in agreements if s not in kept)
        )
        agreements = kept
    rows = [_row(scenario, s, batch, ctx, game, explain) for s in agreements]
    source = next(r.npv for r in rows if r.label == "source")
    rows = [replace(r, gain_vs_source=r.npv - source) for r in rows]
    notes.extend(_grouped_notes(rows))
    n = len(scenario.parties)
    standalone = game.standalone if game is not None else np.full(n, np.nan)
    core_empty = core_report(game).empty if game is not None else None
    return Comparison(scenario, tuple(rows), tuple(notes), standalone, core_empty, game, ctx)


def _row(
    scenario: Scenario,
    s: Sharing,
    batch: Batch,
    ctx: Context,
    game: Game | None,
    explain: bool,
) -> ComparisonRow:
    outcome = resolve(scenario, s, batch, context=ctx)
    defined = bool(outcome.defined[0])
    result = outcome_result(batch, outcome) if defined else None
    npv = result.npv[0] if result is not None else np.full(len(scenario.parties), np.nan)
    standalone = game.standalone if game is not None else np.full(len(npv), np.nan)
    return ComparisonRow(
        label=s.label,
        rule=s.rule,
        sharing=s,
        outcome=outcome,
        result=result,
        npv=npv,
        gain_vs_source=npv * 0,
        gain_vs_standalone=npv - standalone,
        in_core=game.in_core(npv) if defined and game is not None else None,
        decomposition=decompose(batch, outcome) if explain and defined else None,
    )
