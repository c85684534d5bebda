"""The scenario as a cooperative game, and fair-division rules turned into pool shares.

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

All ``2^n`` coalitions are one batch call of the model: a coalition is the full
scenario with non-members' activity set to zero, so ``v(N)`` is exactly the full
scenario's total NPV (sharing only moves money between members).

A fair-division rule (``shapley``, ``nucleolus``, ``nash`` …) gives each party a target
NPV. Agreements are written as ratios, so :func:`resolve` finds the constant pool
shares that deliver the targets under the agreement's scope, window, compliance and
land setting; NPV is affine in those shares, so the model evaluated at the ``P``
corner shares gives the map exactly. If no shares in [0, 1] deliver the targets, the
nearest feasible shares (least squares) are used and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from sim.games.tu import Game
from sim.model import (
    Batch,
    Terms,
    batch_from_scenario,
    evaluate,
    evaluate_npv,
    terms_from_sharing,
)
from sim.rules import get_rule
from sim.scenario import Scenario, Sharing

__all__ = [
    "AcceptableShares",
    "Resolution",
    "acceptable_shares",
    "coalition_batch",
    "coalition_game",
    "coalition_values",
    "corner_maps",
    "nearest_shares",
    "resolve",
    "share_map",
    "two_party_interval",
]

Array = NDArray[np.float64]
TOL = 1e-9


def _members(n: int) -> NDArray[np.bool_]:
    masks = np.arange(1 << n)
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)


def coalition_batch(scenario: Scenario, batch: Batch | None = None) -> Batch:
    """Every coalition of every scenario of ``batch`` (default: the scenario alone).

    Row ``r · 2^n + mask`` is scenario ``r`` with only coalition ``mask`` cooperating.
    """
    pids = scenario.party_ids
    n = len(pids)
    k = 1 << n
    coop = scenario.cooperation
    base = batch if batch is not None else batch_from_scenario(scenario)
    m = base.size
    members = np.tile(_members(n), (m, 1))  # (m·2^n, n)
    size = members.sum(axis=1)
    rows = base.repeat(k)

    # firms: present when all required parties are members; output scaled by synergy
    need = np.zeros((len(scenario.firms), n), dtype=bool)
    for j, firm in enumerate(scenario.firms):
        required = coop.requires.get(firm.id, (firm.party, firm.introduced_by))
        need[j, [pids.index(p) for p in required]] = True
    present = (members[:, None, :] | ~need[None, :, :]).all(axis=2)  # (m·2^n, F)
    factor = (1.0 + coop.synergy * np.maximum(size - 1, 0) / max(n - 1, 1)) / (1.0 + coop.synergy)
    rows = rows.with_firm("output", rows.firms["output"] * present * factor[:, None])

    # land: sold by members only
    land = dict(rows.land)
    if scenario.land_sales:
        seller = np.array([pids.index(s.party) for s in scenario.land_sales])
        land["area_mu"] = land["area_mu"] * members[:, seller]

    # capex: each member's standalone stake; the grand coalition's plan in full
    stake = base.equity  # (m, n)
    total = base.capex.sum(axis=1, keepdims=True)
    if coop.standalone_capex is not None:
        alone = np.array([coop.standalone_capex.get(p, np.nan) for p in pids])[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            own = np.where(total > 0, alone / total, 0.0)
        stake = np.where(np.isnan(own), stake, own)
    scale = (members * np.repeat(stake, k, axis=0)).sum(axis=1)
    scale[k - 1 :: k] = 1.0
    return replace(rows, land=land, capex=rows.capex * scale[:, None])


def coalition_values(scenario: Scenario, batch: Batch | None = None) -> Array:
    """``(m, 2^n)`` the value of every coalition in every scenario of ``batch``."""
    n = len(scenario.party_ids)
    rows = coalition_batch(scenario, batch)
    source = terms_from_sharing(scenario, Sharing(rule="source"))
    v = evaluate(rows, source).npv.sum(axis=1).reshape(-1, 1 << n)
    v[:, 0] = 0.0
    return np.asarray(v)


def coalition_game(scenario: Scenario) -> Game:
    """The scenario's cooperative game: ``v(S)`` = total NPV of ``S`` cooperating alone."""
    return Game(scenario.party_ids, coalition_values(scenario)[0])


def corner_maps(batch: Batch, terms: Terms) -> Array:
    """``(m, P, P)``: for each scenario, the map ``M`` with NPV per party = ``M @ s``.

    NPV is affine in constant pool shares ``s`` (Σ s = 1), so the ``P`` corners (the
    whole pool to one party) give the map exactly: column ``j`` is the NPV with the pool
    to party ``j``. ``terms`` (size 1 or ``m``) set the scope, window, compliance and
    land setting; floors are left out, since they make the map only piecewise affine.
    """
    m, n = batch.size, batch.structure.n_parties
    per_row = terms.repeat(n) if terms.size > 1 else terms  # row r·n + j: scenario r, corner j
    corner_terms = replace(
        per_row,
        rule="fixed",
        params={"shares": np.tile(np.eye(n), (m, 1))},
        floors=np.zeros((per_row.size, n)),
    )
    npv = evaluate_npv(batch.repeat(n), corner_terms)[0]
    return np.asarray(npv.reshape(m, n, n).transpose(0, 2, 1))


def share_map(scenario: Scenario, sharing: Sharing) -> Array:
    """``(P, P)`` matrix ``M``: NPV per party = ``M @ s`` for pool shares ``s`` (Σ s = 1),
    under ``sharing``'s scope, window, compliance and land setting (see :func:`corner_maps`).
    """
    pids = scenario.party_ids
    corner = replace(
        sharing,
        rule="fixed",
        params=MappingProxyType({"shares": MappingProxyType({p: 1.0 / len(pids) for p in pids})}),
    )
    return np.asarray(
        corner_maps(batch_from_scenario(scenario), terms_from_sharing(scenario, corner))[0]
    )


@dataclass(frozen=True)
class Resolution:
    """A fair-division rule delivered as constant pool shares."""

    rule: str
    target: Array
    """``(P,)`` NPV per party the rule asks for."""
    shares: Array
    """``(P,)`` pool shares used."""
    achieved: Array
    """``(P,)`` NPV the model gives with those shares."""
    exact: bool
    """Whether ``achieved`` equals ``target`` (to 1e-9 of its scale)."""
    sharing: Sharing
    """The agreement with the rule replaced by ``fixed`` at ``shares``."""
    game: Game

    @property
    def note(self) -> str:
        if self.exact:
            return ""
        gap = np.abs(self.achieved - self.target).max()
        return (
            f"{self.rule}: no pool shares in [0, 1] deliver the target NPVs; the "
            f"nearest feasible shares miss by up to {gap:.4g}"
        )


def resolve(
    scenario: Scenario, sharing: Sharing | None = None, game: Game | None = None
) -> Resolution:
    """Turn a fair-division rule into the constant pool shares that deliver it."""
    s = sharing or scenario.sharing
    spec = get_rule(s.rule)
    if spec.target is None:
        raise ValueError(f"rule {s.rule!r} is a pool rule; nothing to resolve")
    game = game or coalition_game(scenario)
    pids = scenario.party_ids
    params = {}
    for prm in spec.params:
        value = s.params[prm.name]
        params[prm.name] = (
            np.array([value[p] for p in pids])
            if isinstance(value, MappingProxyType | dict)
            else np.array([value])
        )
    target = np.asarray(spec.target(game, params), dtype=float)
    m = share_map(scenario, s)
    shares = nearest_shares(m, target)
    fixed = replace(
        s,
        rule="fixed",
        params=MappingProxyType(
            {"shares": MappingProxyType({p: float(x) for p, x in zip(pids, shares, strict=True)})}
        ),
    )
    terms = terms_from_sharing(scenario, fixed)
    achieved = evaluate(batch_from_scenario(scenario), terms).npv[0]
    if s.floors:  # floors make NPV piecewise affine in the shares: refine on the model
        shares, achieved = _refine_with_floors(scenario, fixed, shares, target)
        fixed = replace(
            fixed,
            params=MappingProxyType(
                {
                    "shares": MappingProxyType(
                        {p: float(x) for p, x in zip(pids, shares, strict=True)}
                    )
                }
            ),
        )
    scale = max(1.0, float(np.abs(target).max()))
    exact = bool(np.abs(achieved - target).max() <= 1e-9 * scale)
    return Resolution(s.rule, target, shares, achieved, exact, replace(fixed, label=s.label), game)


def nearest_shares(m: Array, target: Array) -> Array:
    """Shares on the simplex minimising ``|M s − target|`` (exact when reachable)."""
    from scipy.optimize import lsq_linear  # imported here: sweeps without games skip it

    n = m.shape[1]
    weight = 1e3 * max(1.0, float(np.abs(m).max()))
    a = np.vstack([m, weight * np.ones((1, n))])
    b = np.concatenate([target, [weight]])
    res = lsq_linear(a, b, bounds=(0.0, 1.0), method="bvls", tol=1e-15)
    s = np.clip(res.x, 0.0, 1.0)
    return np.asarray(s / s.sum()) if s.sum() > 0 else np.full(n, 1.0 / n)


def _refine_with_floors(
    scenario: Scenario, fixed: Sharing, start: Array, target: Array
) -> tuple[Array, Array]:
    from scipy.optimize import minimize

    pids = scenario.party_ids
    batch = batch_from_scenario(scenario)

    def npv(s: Array) -> Array:
        s = np.clip(s, 0.0, None)
        s = s / s.sum() if s.sum() > 0 else np.full(len(s), 1 / len(s))
        sh = replace(
            fixed,
            params=MappingProxyType(
                {"shares": MappingProxyType({p: float(x) for p, x in zip(pids, s, strict=True)})}
            ),
        )
        return np.asarray(evaluate(batch, terms_from_sharing(scenario, sh)).npv[0])

    res = minimize(
        lambda s: float(np.sum((npv(s) - target) ** 2)),
        start,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * len(start),
        constraints=[{"type": "eq", "fun": lambda s: s.sum() - 1.0}],
        options={"ftol": 1e-20, "maxiter": 200},
    )
    s = np.clip(res.x, 0.0, 1.0)
    s = s / s.sum()
    return s, npv(s)


def two_party_interval(at0: Array, at1: Array, v: Array) -> tuple[Array, Array]:
    """Party 0's acceptable pool shares for two parties, for many scenarios at once.

    ``at0`` and ``at1`` are party 0's NPV with none and with all of the pool (NPV is
    affine in between), ``v`` the games ``(m, 4)``. Party 0 needs ``NPV₀(s) ≥ v({0})``
    and party 1 ``v(N) − NPV₀(s) ≥ v({1})``. Returns the least and greatest share,
    NaN where no share satisfies both.
    """
    slope = at1 - at0
    need = v[:, 1] - at0  # slope · s ≥ need
    room = v[:, 3] - v[:, 2] - at0  # slope · s ≤ room
    with np.errstate(invalid="ignore", divide="ignore"):
        a, b = need / slope, room / slope
    flat = np.abs(slope) <= TOL * np.maximum(1.0, np.abs(v).max(axis=1))
    low = np.where(flat, 0.0, np.where(slope > 0, a, b))
    high = np.where(flat, 1.0, np.where(slope > 0, b, a))
    flat_ok = (need <= TOL) & (room >= -TOL)
    low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    bad = (low > high + TOL) | (flat & ~flat_ok)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


@dataclass(frozen=True)
class AcceptableShares:
    """The pool shares with which every coalition does at least as well as alone.

    For two parties, ``interval`` is the range of the first party's share; for any
    number, ``feasible`` says whether such shares exist and ``low``/``high`` are each
    party's least and greatest share among them.
    """

    parties: tuple[str, ...]
    feasible: bool
    low: Array
    high: Array

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.feasible or len(self.parties) != 2:
            return None
        return float(self.low[0]), float(self.high[0])


def acceptable_shares(
    scenario: Scenario, game: Game | None = None, sharing: Sharing | None = None
) -> AcceptableShares:
    """Shares ``s`` (Σ s = 1, s ≥ 0) such that ``Σ_{i∈S} NPV_i(s) ≥ v(S)`` for every S.

    Under the agreement's own scope, window, compliance and land setting (floors
    left out). Solved as linear programmes with HiGHS: one feasibility problem, then
    the least and greatest share of each party.
    """
    from scipy.optimize import linprog

    s = sharing or scenario.sharing
    game = game or coalition_game(scenario)
    m = share_map(scenario, s)
    n = m.shape[0]
    members = _members(n)[1:-1]  # proper non-empty coalitions
    a_ub = -(members.astype(float) @ m)  # −Σ_{i∈S} (M s)_i ≤ −v(S)
    b_ub = -game.v[1:-1] + TOL * max(1.0, float(np.abs(game.v).max()))
    a_eq, b_eq = np.ones((1, n)), np.array([1.0])
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    for i in range(n):
        for sign, out in ((1.0, low), (-1.0, high)):
            c = np.zeros(n)
            c[i] = sign
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=[(0.0, 1.0)] * n,
                method="highs",
            )
            if res.status != 0:
                return AcceptableShares(scenario.party_ids, False, low, high)
            out[i] = min(1.0, max(0.0, float(res.x[i]))) + 0.0
    return AcceptableShares(scenario.party_ids, True, low, high)
