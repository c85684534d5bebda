"""Which package holds up across a portfolio sweep (``sim robust`` on a portfolio sweep).

The alternatives are the package as drafted (every park's own agreement, labelled
``agreement``) and each named package of the sweep file (``[[sweep.packages]]``,
:mod:`sim.portfolio.packages`): the same portfolio with some parks' pool shares set
otherwise. Each is evaluated on the sweep's own scenarios (a scenario's values depend
on its index and the seed alone) exactly as ``sim portfolio sweep`` evaluates the
drafted package (:func:`sim.portfolio.sweep.evaluate_chunk`): every park on the model,
floors, cap and review included, and the fund. For each:

- the share of the scenarios in which **every party gains overall**: its NPV over every
  park and the fund is at least its basis there (to 1e-9) — standing alone in every
  park (``standalone``, the portfolio game's ``v({i})``: each park's coalition value of
  the party's own jurisdictions, discounted to the portfolio's first year; the default)
  or its NPV with no agreement in any park (``source``: the sweep's overall gain); and
  each party's share, mean and 5th percentile of that gain;
- the worst-off party's expected gain, ``min_i E[gain_i]``;
- **minimax regret** (Savage 1951) among the alternatives on each party's overall NPV
  (:func:`sim.decisions.robust.minimax_regret`).

The most robust package is the one with the largest share of scenarios in which every
party gains (among several, the one best for the worst-off party on average). Only the
scenarios where every alternative is defined in every park count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from sim.agreement import coalition_values
from sim.decisions.robust import minimax_regret
from sim.model import Batch
from sim.portfolio.packages import DRAFTED, PackageAlt
from sim.portfolio.sweep import evaluate_chunk
from sim.portfolio.sweep_spec import RULE, PortfolioSweep
from sim.sweep.designs import sample
from sim.sweep.run import apply_parameters
from sim.sweep.summary import TOL

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PortfolioRobust", "drafted_shares", "package_sweep", "portfolio_robust", "standalone"]

Array = NDArray[np.float64]
Basis = Literal["standalone", "source"]
CHUNK = 8192


@dataclass(frozen=True)
class PortfolioRobust:
    """Each package's record across the sweep's scenarios (see the module docstring)."""

    parties: tuple[str, ...]
    basis: Basis
    labels: tuple[str, ...]
    """``agreement`` (as drafted), then each named package, in the file's order."""
    labels_zh: tuple[str, ...]
    shares: tuple[dict[str, dict[str, float]], ...]
    """Each alternative's pool shares of the parks it sets (as drafted: every park with
    fixed shares)."""
    scenarios: int
    """Scenarios where every alternative is defined (those counted)."""
    left_out: int
    accepted: Array
    """``(A,)`` share of the scenarios in which every party gains overall."""
    gains_share: Array
    """``(A, P)`` share of the scenarios in which each party gains overall."""
    mean_gain: Array
    """``(A, P)`` each party's mean overall gain over its basis."""
    p5_gain: Array
    """``(A, P)`` its 5th percentile."""
    regret: dict[str, Any]
    choice: str | None
    """The most robust alternative (``None`` without a scenario)."""

    @property
    def worst_off(self) -> Array:
        """``(A,)`` the worst-off party's expected gain under each alternative."""
        return np.asarray(self.mean_gain.min(axis=1))


def package_sweep(sweep: PortfolioSweep, package: PackageAlt) -> PortfolioSweep:
    """``sweep`` with ``package``'s pool shares written into its parks' agreements."""
    parks = list(sweep.portfolio.parks)
    specs = list(sweep.parks)
    for k, park in enumerate(parks):
        if park.id not in package.shares:
            continue
        sc = park.scenario
        params = {**sc.sharing.params, "shares": MappingProxyType(dict(package.shares[park.id]))}
        sc = replace(sc, sharing=replace(sc.sharing, params=MappingProxyType(params)))
        parks[k] = replace(park, scenario=sc)
        specs[k] = replace(specs[k], scenario=sc)
    portfolio = replace(sweep.portfolio, parks=tuple(parks))
    return replace(sweep, portfolio=portfolio, parks=tuple(specs))


def drafted_shares(sweep: PortfolioSweep) -> dict[str, dict[str, float]]:
    """The drafted pool shares of every park with a fixed-shares agreement."""
    out = {}
    for park in sweep.portfolio.parks:
        sharing = park.scenario.sharing
        if sharing.rule == "fixed":
            shares = sharing.params["shares"]
            out[park.id] = {p: float(shares[p]) for p in park.scenario.party_ids}  # type: ignore[index]
    return out


def _runs(scenarios: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Contiguous runs ``[start, stop)`` of sorted scenario indices, at most
    :data:`CHUNK` long."""
    if not len(scenarios):
        return []
    cuts = np.flatnonzero(np.diff(scenarios) != 1) + 1
    out = []
    for run in np.split(scenarios, cuts):
        for a in range(0, len(run), CHUNK):
            piece = run[a : a + CHUNK]
            out.append((int(piece[0]), int(piece[-1]) + 1))
    return out


def _evaluate(sweep: PortfolioSweep, scenarios: NDArray[np.int64]) -> tuple[Array, Array]:
    """``(m, P)`` each party's overall NPV and gain over no agreement in ``scenarios``."""
    pids = sweep.portfolio.party_ids
    npv, gain = [], []
    for start, stop in _runs(scenarios):
        cols = evaluate_chunk(sweep, start, stop)
        npv.append(np.column_stack([np.asarray(cols[f"npv.{p}"], dtype=float) for p in pids]))
        gain.append(
            np.column_stack([np.asarray(cols[f"gain_vs_source.{p}"], dtype=float) for p in pids])
        )
    if not npv:
        return np.empty((0, len(pids))), np.empty((0, len(pids)))
    return np.concatenate(npv), np.concatenate(gain)


def _park_batch(sweep: PortfolioSweep, k: int, values: Array) -> Batch:
    """Park ``k``'s batch for the sampled ``values``, as the portfolio sweep sets it (its
    own columns, the common rate as its own, the growth shock added to every firm)."""
    cols = sweep.columns[k]
    own = values[:, list(cols)] if cols else np.empty((len(values), 0))
    batch, _ = apply_parameters(sweep.parks[k], own, (RULE,))
    shock = sweep.column("common.growth_shock")
    if shock is None:
        return batch
    growth = batch.firms["growth"]
    growth = np.broadcast_to(growth, (len(values), growth.shape[1])) + values[:, shock, None]
    return replace(batch, firms={**batch.firms, "growth": growth})


def standalone(sweep: PortfolioSweep, scenarios: NDArray[np.int64]) -> Array:
    """``(m, P)`` each party's value standing alone in every park, ``v({i})`` of the
    portfolio's game (:func:`sim.portfolio.package.portfolio_game`), in ``scenarios``."""
    portfolio = sweep.portfolio
    pids = portfolio.party_ids
    rate_at = sweep.column("common.discount_rate")
    out = []
    for start, stop in _runs(scenarios):
        values = sample(sweep.sampler, start, stop)
        m = stop - start
        rate = values[:, rate_at] if rate_at is not None else np.full(m, portfolio.discount_rate)
        discount = (1.0 + rate[:, None]) ** -np.arange(len(portfolio.years))[None, :]
        alone = np.zeros((m, len(pids)))
        for k, park in enumerate(portfolio.parks):
            sc = park.scenario
            v = coalition_values(sc, _park_batch(sweep, k, values))
            to_first = discount[:, sc.start_year - portfolio.years[0]]
            for q, pid in enumerate(pids):
                mask = sum(1 << i for i, p in enumerate(sc.party_ids) if park.parties[p] == pid)
                if mask:
                    alone[:, q] += v[:, mask] * to_first
        out.append(alone)
    return np.concatenate(out) if out else np.empty((0, len(pids)))


def portfolio_robust(
    sweep: PortfolioSweep, table: pd.DataFrame | None = None, basis: Basis = "standalone"
) -> PortfolioRobust:
    """Each package's record over the sweep's scenarios: all ``n`` of them evaluated here,
    or (``table``, a portfolio sweep folder's results) those in the table, the drafted
    package read from it and the named ones evaluated on the same scenarios; each
    party's gain over ``basis``."""
    pids = sweep.portfolio.party_ids
    if table is None:
        scenarios = np.arange(sweep.n, dtype=np.int64)
        npv0, gain0 = _evaluate(sweep, scenarios)
    else:
        scenarios = table["scenario"].to_numpy(dtype=np.int64)
        npv0 = table[[f"npv.{p}" for p in pids]].to_numpy(dtype=float)
        gain0 = table[[f"gain_vs_source.{p}" for p in pids]].to_numpy(dtype=float)
    npv = np.stack(
        [npv0, *(_evaluate(package_sweep(sweep, pk), scenarios)[0] for pk in sweep.packages)],
        axis=1,
    )  # (m, A, P)
    d = standalone(sweep, scenarios) if basis == "standalone" else npv0 - gain0
    defined = np.isfinite(npv).all(axis=(1, 2)) & np.isfinite(d).all(axis=1)
    npv, d = npv[defined], d[defined]
    gain = npv - d[:, None, :]
    labels = (DRAFTED, *(pk.name for pk in sweep.packages))
    m, n_a = len(gain), len(labels)
    ok = gain >= -TOL * np.maximum(1.0, np.abs(npv))  # (m, A, P)
    if m:
        accepted = ok.all(axis=2).mean(axis=0)
        share, mean = ok.mean(axis=0), gain.mean(axis=0)
        p5 = np.percentile(gain, 5, axis=0)
    else:
        accepted = np.full(n_a, np.nan)
        share = mean = p5 = np.full((n_a, len(pids)), np.nan)
    choice = None
    if m:
        worst = mean.min(axis=1)
        best = np.flatnonzero(accepted >= accepted.max() - 1e-12)
        choice = labels[int(best[np.argmax(worst[best])])]
    drafted = drafted_shares(sweep)
    every = [drafted, *({**drafted, **{k: dict(v) for k, v in pk.shares.items()}}
                        for pk in sweep.packages)]  # fmt: skip
    return PortfolioRobust(
        parties=pids,
        basis=basis,
        labels=labels,
        labels_zh=(DRAFTED, *(pk.name_zh for pk in sweep.packages)),
        shares=tuple(every),
        scenarios=m,
        left_out=int((~defined).sum()),
        accepted=np.asarray(accepted),
        gains_share=np.asarray(share),
        mean_gain=np.asarray(mean),
        p5_gain=np.asarray(p5),
        regret=minimax_regret(npv, list(labels)),
        choice=choice,
    )
