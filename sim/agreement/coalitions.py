"""The scenario as a cooperative game, and its joint investment as a cost game.

The value ``v(S)`` of a coalition ``S`` of parties is the total NPV its members would
net if only they cooperated (``[cooperation]`` says what changes without a partner):

- a firm comes only if every party it requires is in ``S`` (by default its own party
  and the party that introduced it: a firm brought by one party onto another's land
  needs both);
- the joint park's output is ``1 + synergy`` times what the parties would produce
  apart: a coalition of ``k`` of ``n`` parties gets ``(1 + synergy·(k−1)/(n−1)) /
  (1 + synergy)`` of the full scenario's output;
- land is sold only by members; a coalition short of some parties spends what its
  members would spend alone on capex (``standalone_capex``, by default their equity
  share of the joint capex) and earns the joint company's return on it.

All ``2^n`` coalitions of every scenario of a batch are one call of the model: a
coalition is the full scenario with non-members' activity set to zero, so ``v(N)`` is
exactly the full scenario's total NPV (sharing only moves money between members).

The cost game of the joint investment, ``c(S)``, is the present value of the capex
coalition ``S`` would spend: the joint plan for the grand coalition, its members'
standalone capex otherwise. Its cost-allocation rules (SCRB, Shapley, nucleoli) say
who pays the joint capex.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from sim.agreement.terms import written_terms
from sim.games.tu import Game
from sim.model import Batch, batch_from_scenario, evaluate_npv, present_values
from sim.rules.registry import Array
from sim.scenario import Scenario, Sharing

__all__ = [
    "coalition_batch",
    "coalition_game",
    "coalition_values",
    "coalition_values_by_rows",
    "cost_values",
    "members",
]


def members(n: int) -> NDArray[np.bool_]:
    """``(2^n, n)``: row ``mask`` marks the members of coalition ``mask``."""
    masks = np.arange(1 << n)
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)


def _capex_scale(scenario: Scenario, base: Batch) -> Array:
    """``(m, 2^n)`` the fraction of the joint capex each coalition would spend."""
    pids = scenario.party_ids
    n = len(pids)
    stake = base.equity  # (m, n)
    total = base.capex.sum(axis=1, keepdims=True)
    alone_capex = scenario.cooperation.standalone_capex
    if alone_capex is not None:
        alone = np.array([alone_capex.get(p, np.nan) for p in pids])[None, :]
        # standalone capex follows the joint plan's timing; without a plan (less than a
        # yuan) there is no timing to follow, and nothing is spent
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            own = np.where(total > 1e-8, alone / np.maximum(total, 1e-8), 0.0)
        stake = np.where(np.isnan(own), stake, own)
    scale = stake @ members(n).T.astype(float)  # (m, 2^n)
    scale[:, -1] = 1.0
    return np.asarray(scale)


def coalition_batch(scenario: Scenario, batch: Batch | None = None) -> Batch:
    """Every coalition of every scenario of ``batch`` (default: the scenario alone).

    Row ``r · 2^n + mask`` is scenario ``r`` with only coalition ``mask`` cooperating.
    """
    pids = scenario.party_ids
    n = len(pids)
    k = 1 << n
    base = batch if batch is not None else batch_from_scenario(scenario)
    m = base.size
    member = np.tile(members(n), (m, 1))  # (m·2^n, n)
    rows = base.repeat(k)

    # firms: present when all required parties are members; output scaled by synergy
    weights = np.tile(_firm_weights(scenario), (m, 1))  # (m·2^n, F)
    rows = rows.with_firm("output", rows.firms["output"] * weights)

    # land: sold by members only
    land = dict(rows.land)
    if scenario.land_sales:
        seller = np.array([pids.index(s.party) for s in scenario.land_sales])
        land["area_mu"] = land["area_mu"] * member[:, seller]

    # capex: each member's standalone stake; the grand coalition's plan in full
    scale = _capex_scale(scenario, base).reshape(-1)
    return replace(rows, land=land, capex=rows.capex * scale[:, None])


def coalition_values(scenario: Scenario, batch: Batch | None = None) -> Array:
    """``(m, 2^n)`` the value of every coalition in every scenario of ``batch``.

    A coalition is the scenario with non-members' activity set to zero
    (:func:`coalition_batch`), and with no agreement NPV is linear in every firm's
    output, every sale's area and the capex: so ``v(S)`` is the weighted sum of what
    each firm, sale and the joint company is worth (:func:`sim.model.present_values`),
    weighted by whether (and at what synergy) it is there in ``S``. One evaluation of
    the batch instead of ``2^n``; equal to evaluating :func:`coalition_batch` (tested).
    """
    base = batch if batch is not None else batch_from_scenario(scenario)
    n = len(scenario.party_ids)
    weights = _firm_weights(scenario)  # (2^n, F)
    pv = present_values(base)
    v = pv.firms @ weights.T + pv.company[:, None] * _capex_scale(scenario, base)
    if scenario.land_sales:
        pids = scenario.party_ids
        seller = np.array([pids.index(s.party) for s in scenario.land_sales])
        v += pv.land @ members(n)[:, seller].T.astype(float)
    v[:, 0] = 0.0
    return np.asarray(v)


def coalition_values_by_rows(scenario: Scenario, batch: Batch | None = None) -> Array:
    """:func:`coalition_values` by evaluating every coalition as a scenario of its own.

    ``2^n`` rows of the model per scenario: the definition, kept as the reference the
    fast form is tested against.
    """
    n = len(scenario.party_ids)
    rows = coalition_batch(scenario, batch)
    source = written_terms(scenario, Sharing(rule="source"))
    v = evaluate_npv(rows, source)[0].sum(axis=1).reshape(-1, 1 << n)
    v[:, 0] = 0.0
    return np.asarray(v)


def _firm_weights(scenario: Scenario) -> Array:
    """``(2^n, F)``: each firm's output in each coalition, as a fraction of the scenario's."""
    pids = scenario.party_ids
    n = len(pids)
    coop = scenario.cooperation
    member = members(n)
    need = np.zeros((len(scenario.firms), n), dtype=bool)
    for j, firm in enumerate(scenario.firms):
        required = coop.requires.get(firm.id, (firm.party, firm.introduced_by))
        need[j, [pids.index(p) for p in required]] = True
    present = (member[:, None, :] | ~need[None, :, :]).all(axis=2)  # (2^n, F)
    size = member.sum(axis=1)
    factor = (1.0 + coop.synergy * np.maximum(size - 1, 0) / max(n - 1, 1)) / (1.0 + coop.synergy)
    return np.asarray(present * factor[:, None])


def coalition_game(scenario: Scenario, batch: Batch | None = None, index: int = 0) -> Game:
    """The cooperative game of scenario ``index`` of ``batch`` (default: the scenario)."""
    values = coalition_values(scenario, batch)
    return Game(scenario.party_ids, values[index])


def cost_values(scenario: Scenario, batch: Batch) -> Array:
    """``(m, 2^n)`` the present value of the capex each coalition would spend.

    ``c(N)`` is the joint plan's capex; a smaller coalition spends what its members
    would spend alone (``cooperation.standalone_capex``, by default their equity share
    of the joint capex). Discounted at the scenario's rate to the first year.
    """
    t = np.arange(batch.structure.n_years)
    discount = (1.0 + batch.discount_rate[:, None]) ** -t[None, :]
    present = (batch.capex * discount).sum(axis=1)  # (m,)
    costs = _capex_scale(scenario, batch) * present[:, None]
    costs[:, 0] = 0.0
    return np.asarray(costs)
