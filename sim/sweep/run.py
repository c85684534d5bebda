"""Evaluate a sweep chunk by chunk: sample, build the batch, run every agreement.

One chunk of scenarios becomes one :class:`~sim.model.Batch`; each agreement of the
sweep is evaluated on it with one call of the model. Fair-division rules (``shapley``,
``nucleolus`` …) need each scenario's cooperative game (``2^n`` coalitions per
scenario, one batch call), their targets, and the constant shares that deliver them
(``n`` corner evaluations); the NPVs reported are those the model gives with those
shares, so an unreachable target shows as what is actually achievable.

The result of a chunk is a dict of equal-length columns, one row per scenario ×
agreement: ``scenario`` (index), ``rule`` (the agreement's position in the sweep's
``rules``; stored as its label), every swept
parameter by key path, and per party ``npv.<P>``, ``gain_vs_source.<P>`` and, unless
``standalone = false``, ``gain_vs_standalone.<P>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from sim.compare import comparison_set
from sim.model import (
    Batch,
    Terms,
    batch_from_scenario,
    evaluate_npv,
    terms_from_sharing,
)
from sim.rules import FACTORS, get_rule
from sim.scenario import Scenario, Sharing
from sim.sweep.designs import sample
from sim.sweep.spec import SweepSpec

__all__ = ["agreement_labels", "agreements", "apply_parameters", "evaluate_chunk"]


def agreements(scenario: Scenario) -> dict[str, Sharing]:
    """The agreements a sweep can evaluate, by label: those of ``sim compare``."""
    return {s.label: s for s in comparison_set(scenario)[0]}


def agreement_labels(scenario: Scenario) -> tuple[str, ...]:
    return tuple(agreements(scenario))


def _rescale(table: np.ndarray, column: int, values: np.ndarray, fixed: set[int]) -> None:
    """Set ``table[:, column]`` and rescale the non-swept columns to keep rows summing to 1."""
    table[:, column] = values
    free = [j for j in range(table.shape[1]) if j not in fixed]
    if not free:
        return
    taken = table[:, sorted(fixed)].sum(axis=1)
    base = table[:, free]
    weight = base.sum(axis=1, keepdims=True)
    even = np.full_like(base, 1.0 / len(free))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(weight > 0, base / weight, even)
    table[:, free] = share * (1.0 - taken)[:, None]


def apply_parameters(spec: SweepSpec, values: np.ndarray) -> tuple[Batch, dict[str, Terms]]:
    """The batch and the terms of every agreement for ``values`` ``(m, d)``."""
    sc = spec.scenario
    m = values.shape[0]
    pids = sc.party_ids
    base = batch_from_scenario(sc)
    own1 = terms_from_sharing(sc, _as_pool_rule(sc.sharing, sc.party_ids))
    # every input starts as a read-only view of the file's value, repeated m times; only
    # what a parameter sets is materialised (np.repeat makes a writable copy)
    firms = _Lazy(base.firms, m)
    land = _Lazy(base.land, m)
    arrays = _Lazy(
        {
            name: getattr(base, name)
            for name in (
                "discount_rate",
                "retained_share",
                "local_share",
                "capex",
                "equity",
                "return_rate",
                "payout_ratio",
            )
        },
        m,
    )
    own = own1
    agreement_arrays = _Lazy({"compliance": own1.compliance, "floors": own1.floors}, m)
    params = _Lazy(own1.params, m)
    swept: dict[str, set[int]] = {}
    firm_ids = [f.id for f in sc.firms]
    for j, prm in enumerate(spec.parameters):
        x = values[:, j]
        parts = prm.path.split(".")
        head = parts[0]
        if prm.path == "horizon.discount_rate":
            arrays["discount_rate"][:] = x
        elif head == "parties":
            arrays["retained_share"][:, pids.index(parts[1])] = x
        elif head == "taxes":
            k = ("vat_local_share", "cit_local_share", "pit_local_share").index(parts[1])
            arrays["local_share"][:, k] = x
        elif head == "firms":
            firms[parts[2]][:, firm_ids.index(parts[1])] = x
        elif head == "land_sales":
            land[parts[2]][:, int(parts[1])] = x
        elif head == "investment" and parts[1] == "capex":
            arrays["capex"][:, int(parts[2]) - sc.start_year] = x
        elif head == "investment" and parts[1] == "equity":
            col = pids.index(parts[2])
            swept.setdefault("equity", set()).add(col)
            _rescale(arrays["equity"], col, x, swept["equity"])
        elif head == "investment":
            arrays[parts[1]][:] = x
        elif prm.path == "sharing.compliance":
            agreement_arrays["compliance"][:] = x
        elif head == "sharing" and parts[1] == "floors":
            agreement_arrays["floors"][:, pids.index(parts[2])] = x
        elif head == "sharing" and parts[1] in ("shares", "weights"):
            keys = pids if parts[1] == "shares" else FACTORS
            col = keys.index(parts[2])
            swept.setdefault(parts[1], set()).add(col)
            _rescale(params[parts[1]], col, x, swept[parts[1]])
        elif prm.path == "sharing.share":
            params["share"][:] = x
    a = arrays.done()
    batch = replace(
        base,
        firms=firms.done(),
        land=land.done(),
        discount_rate=a["discount_rate"],
        retained_share=a["retained_share"],
        local_share=a["local_share"],
        capex=a["capex"],
        equity=a["equity"],
        return_rate=a["return_rate"],
        payout_ratio=a["payout_ratio"],
    )
    compliance = agreement_arrays.done()["compliance"]
    floors = agreement_arrays.done()["floors"]
    params_done = params.done()
    inherit = replace(own, compliance=compliance, floors=floors)
    terms: dict[str, Terms] = {}
    for label, sharing in agreements(sc).items():
        if label not in spec.rules:
            continue
        t = terms_from_sharing(sc, _as_pool_rule(sharing, sc.party_ids))
        if sharing.rule == "source":
            terms[label] = t
        elif label == "agreement":
            terms[label] = replace(
                inherit,
                label=label,
                params=params_done if get_rule(sharing.rule).kind == "pool" else inherit.params,
            )
        elif sharing in sc.compare:
            terms[label] = t
        else:  # equity and fair rules inherit the agreement's compliance and floors
            terms[label] = replace(t, compliance=compliance, floors=floors)
    return batch, terms


class _Lazy(dict[str, np.ndarray]):
    """Arrays of one row, repeated to ``m`` rows: as views until first written."""

    def __init__(self, base: Mapping[str, np.ndarray], m: int) -> None:
        super().__init__()
        self.base, self.m = dict(base), m

    def __missing__(self, key: str) -> np.ndarray:
        value = np.repeat(self.base[key], self.m, axis=0)  # a writable copy
        self[key] = value
        return value

    def done(self) -> dict[str, np.ndarray]:
        return {
            k: self[k] if k in self else np.broadcast_to(v, (self.m, *v.shape[1:]))
            for k, v in self.base.items()
        }


def _as_pool_rule(sharing: Sharing, parties: tuple[str, ...]) -> Sharing:
    """Fair-division rules are evaluated through fixed shares, set per scenario later."""
    if get_rule(sharing.rule).kind == "target":
        equal = MappingProxyType({p: 1.0 / len(parties) for p in parties})
        return replace(sharing, rule="fixed", params=MappingProxyType({"shares": equal}))
    return sharing


def evaluate_chunk(spec: SweepSpec, start: int, stop: int) -> dict[str, np.ndarray]:
    """The result columns of scenarios ``start … stop − 1`` (one row per scenario × rule)."""
    sc = spec.scenario
    pids = sc.party_ids
    values = sample(spec, start, stop)
    m = stop - start
    batch, terms = apply_parameters(spec, values)
    by_label = agreements(sc)
    want_game = spec.standalone or any(
        get_rule(by_label[r].rule).kind == "target" for r in spec.rules
    )
    v = None
    if want_game:
        from sim.fair import coalition_values

        v = coalition_values(sc, batch)
    npvs: dict[str, np.ndarray] = {}
    source_npv: np.ndarray | None = None
    for label in spec.rules:
        sharing = by_label[label]
        t = terms[label]
        if get_rule(sharing.rule).kind == "target":
            assert v is not None
            npvs[label], src = _fair_npv(sc, sharing, batch, t, v)
        else:
            npvs[label], src = evaluate_npv(batch, t)
        if source_npv is None:
            source_npv = src  # the same under every agreement: the position with none
    if "source" in npvs:
        source_npv = npvs["source"]  # exactly, rather than up to rounding
    assert source_npv is not None
    columns: dict[str, list[np.ndarray]] = {}

    def add(name: str, col: np.ndarray) -> None:
        columns.setdefault(name, []).append(col)

    for label, npv in npvs.items():
        add("scenario", np.arange(start, stop, dtype=np.int64))
        add("rule", np.full(m, spec.rules.index(label), dtype=np.int32))
        for j, name in enumerate(spec.names):
            add(name, values[:, j])
        for i, p in enumerate(pids):
            add(f"npv.{p}", npv[:, i])
        for i, p in enumerate(pids):
            add(f"gain_vs_source.{p}", npv[:, i] - source_npv[:, i])
        if spec.standalone and v is not None:
            for i, p in enumerate(pids):
                add(f"gain_vs_standalone.{p}", npv[:, i] - v[:, 1 << i])
    return {k: np.concatenate(c) for k, c in columns.items()}


@lru_cache(maxsize=8)
def _shapley_matrix(n: int) -> np.ndarray:
    """``(2^n, n)``: the Shapley value is linear in ``v``, so ``φ = v @ W`` for every game."""
    from sim.games.tu import Game, shapley

    k = 1 << n
    rows = [np.zeros(n)]  # the empty coalition's value is always 0
    for c in range(1, k):
        unit = np.zeros(k)
        unit[c] = 1.0
        rows.append(shapley(Game(tuple(map(str, range(n))), unit)))
    return np.array(rows)


def _targets(sharing: Sharing, v: np.ndarray, params: Mapping[str, np.ndarray]) -> np.ndarray:
    """``(m, n)`` target NPVs of a fair-division rule for each scenario's game ``v``."""
    from sim.games.tu import Game

    m, k = v.shape
    n = k.bit_length() - 1
    full = k - 1
    standalone = v[:, [1 << i for i in range(n)]]
    surplus = v[:, full] - standalone.sum(axis=1)
    rule = sharing.rule
    if rule == "shapley":
        return np.asarray(v @ _shapley_matrix(n))
    if rule in ("equal_surplus", "egalitarian") or (
        rule in ("nucleolus", "prenucleolus", "kalai_smorodinsky") and n == 2
    ):
        return np.asarray(standalone + (surplus / n)[:, None])
    if rule == "nash":
        w = params.get("weights")
        w = np.ones(n) if w is None else np.asarray(w, dtype=float).reshape(-1)[:n]
        return np.asarray(standalone + np.outer(np.maximum(surplus, 0.0), w / w.sum()))
    spec = get_rule(rule)
    assert spec.target is not None
    out = np.empty((m, n))
    for r in range(m):
        out[r] = spec.target(Game(tuple(map(str, range(n))), v[r]), params)
    return out


def _fair_npv(
    sc: Scenario, sharing: Sharing, batch: Batch, terms: Terms, v: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NPVs with, per scenario, the constant shares nearest to the rule's targets."""
    from sim.fair import corner_maps, nearest_shares

    pids = sc.party_ids
    n = len(pids)
    m = batch.size
    params = {
        k: np.array([val[p] for p in pids]) if isinstance(val, Mapping) else np.array([val])
        for k, val in sharing.params.items()
    }
    target = _targets(sharing, v, params)
    maps = corner_maps(batch, terms)  # (m, P, P)
    if n == 2:  # the closed form of nearest_shares, for every scenario at once
        a, b = maps[:, 0, 0], maps[:, 0, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            s0 = np.where(np.abs(a - b) > 1e-15, (target[:, 0] - b) / (a - b), 0.5)
        s0 = np.clip(s0, 0.0, 1.0)
        shares = np.column_stack([s0, 1.0 - s0])
    else:
        shares = np.array([nearest_shares(maps[r], target[r]) for r in range(m)])
    final = replace(terms if terms.size > 1 else terms.repeat(m), params={"shares": shares})
    return evaluate_npv(batch, final)
