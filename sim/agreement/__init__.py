"""The agreement layer: the one place where an agreement becomes numbers.

Data flows one way: a scenario file → :class:`~sim.scenario.Scenario` → here, where
its ``[sharing]`` (any registered rule, fair-division targets included, with scope,
window, compliance, floors and the land, dividends, investment and statistics
clauses) becomes per-scenario :class:`~sim.model.Terms` for a batch → the model →
tables, figures and reports. Every command asks this package, so the same question
gets the same number everywhere; the model knows nothing of fair division.

- :mod:`sim.agreement.terms` — the agreement as written, as terms of size 1;
- :mod:`sim.agreement.coalitions` — the scenario's cooperative game and the joint
  investment's cost game, for a whole batch in one model call;
- :mod:`sim.agreement.shares` — the constant pool shares that deliver targets, floors
  included, and the shares every party accepts;
- :mod:`sim.agreement.nearest` — the shares nearest to targets out of reach on the
  model (floors, a cap, a review; three or more parties), for every scenario at once;
- :mod:`sim.agreement.resolve` — :func:`resolve`: agreement + batch → :class:`Outcome`;
- :mod:`sim.agreement.explain` — each party's gain split over the clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from sim.agreement.coalitions import coalition_batch, coalition_game, coalition_values, cost_values
from sim.agreement.explain import FEATURES, Decomposition, decompose, features_of
from sim.agreement.line import LineShares, acceptable_on_line
from sim.agreement.resolve import (
    OK,
    STATUS,
    UNDEFINED,
    UNREACHED,
    Context,
    Outcome,
    benefit_of,
    fixed_sharing,
    outcome_npv,
    outcome_result,
    resolve,
)
from sim.agreement.shares import (
    AcceptableShares,
    Benefit,
    acceptable_range,
    corner_maps,
    deliver,
)
from sim.agreement.terms import clause_basis, needs_resolution, terms_for
from sim.model import Batch, Result, StreamTerms, Terms, batch_from_scenario
from sim.scenario import Scenario, Sharing

__all__ = [
    "FEATURES",
    "OK",
    "STATUS",
    "UNDEFINED",
    "UNREACHED",
    "AcceptableShares",
    "Context",
    "Decomposition",
    "LineShares",
    "Outcome",
    "acceptable",
    "acceptable_along",
    "coalition_batch",
    "coalition_game",
    "coalition_values",
    "corner_maps",
    "cost_values",
    "decompose",
    "deliver",
    "features_of",
    "fixed_sharing",
    "needs_resolution",
    "outcome_npv",
    "outcome_result",
    "resolve",
    "run",
    "terms_for",
]


def run(scenario: Scenario, sharing: Sharing | None = None) -> Result:
    """Evaluate one scenario under ``sharing`` (default: its own ``[sharing]``).

    A fair-division rule (``shapley``, ``nucleolus`` …) is delivered by the constant
    pool shares :func:`resolve` finds for it; the result carries the statistics split.

    Raises
    ------
    UndefinedError
        If the agreement's rule is not defined for the scenario (the message says why).

    Examples
    --------
    >>> import sim
    >>> run(sim.load_scenario("scenarios/co-built-park.toml")).npv[0].round(3).tolist()
    [18.931, 15.654]
    """
    batch = batch_from_scenario(scenario)
    outcome = resolve(scenario, sharing, batch)
    outcome.require_defined(scenario)
    return outcome_result(batch, outcome)


def _on_pool_shares(
    scenario: Scenario,
    sharing: Sharing | None,
    batch: Batch | None,
    context: Context | None,
    outcome: Outcome | None,
) -> tuple[Batch, Terms, Context, Benefit | None]:
    """The agreement as it runs with only its pool shares varying: the batch, the terms
    with the placeholder pool rule ``fixed``, the context (games) and, when the capex
    follows the pool shares, the benefit clause."""
    batch = batch if batch is not None else batch_from_scenario(scenario)
    ctx = context if context is not None else Context(scenario, batch)
    out = outcome if outcome is not None else resolve(scenario, sharing, batch, context=ctx)
    terms = out.terms
    if terms.rule != "fixed":
        n = len(scenario.party_ids)
        equal = np.full((terms.size, n), 1.0 / n)
        terms = replace(terms, rule="fixed", params={"shares": equal})
    benefit = None
    if clause_basis(out.sharing, "investment") == "benefit":  # capex follows the pool shares
        benefit = benefit_of(ctx)
        terms = terms.with_clause("investment", StreamTerms("equity"))
    return batch, terms, ctx, benefit


def acceptable(
    scenario: Scenario,
    sharing: Sharing | None = None,
    batch: Batch | None = None,
    *,
    context: Context | None = None,
    outcome: Outcome | None = None,
    index: int = 0,
) -> AcceptableShares:
    """The constant pool shares with which every coalition does at least as well as alone.

    On the agreement as it runs: its scope, window, compliance, floors and clauses,
    with only the pool shares varying (for scenario ``index`` of ``batch``).
    """
    batch, terms, ctx, benefit = _on_pool_shares(scenario, sharing, batch, context, outcome)
    return acceptable_range(batch, terms, ctx.values, scenario.party_ids, index, benefit)


def acceptable_along(
    scenario: Scenario,
    party: int,
    shares: Sequence[float],
    sharing: Sharing | None = None,
    batch: Batch | None = None,
    *,
    context: Context | None = None,
    outcome: Outcome | None = None,
    index: int = 0,
) -> LineShares:
    """The acceptable shares of ``party`` (its position) along the line the page's
    slider moves on from ``shares``: its share varies, the others keep their
    proportions (:mod:`sim.agreement.line`); every party and coalition at least as
    well off as alone, on the agreement as it runs."""
    batch, terms, ctx, benefit = _on_pool_shares(scenario, sharing, batch, context, outcome)
    x = np.asarray(shares, dtype=float)
    return acceptable_on_line(batch, terms, ctx.values, party, x, index, benefit)
