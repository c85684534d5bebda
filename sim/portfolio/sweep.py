"""Evaluate a portfolio sweep chunk by chunk: each park's batch with the vectorised model,
consolidated per scenario and party, overall and per park, with the fund.

For the scenarios ``start … stop − 1`` the values of every parameter are drawn once
(:func:`sim.sweep.designs.sample`: design, seed, correlation across parks); each park's
columns set its batch exactly as its own sweep would (:func:`sim.sweep.run.apply_parameters`,
with the common discount rate as its own), the common growth shock is added to every
firm's growth, and the park's agreement is resolved and evaluated on the batch. Each
park's streams are laid on the portfolio's parties and years as ``sim portfolio run``
lays them (the fund's stake taken off the joint company's streams) and the fund's money
is worked out per scenario; money is conserved, checked here on every chunk.

Columns (one row per scenario): ``scenario``, ``status`` (``ok`` or ``undefined`` where
some park's agreement is, with NaN amounts) and ``reason``, every swept parameter by its
portfolio key path, and per party ``npv.<P>`` and ``gain_vs_source.<P>`` overall,
``park.<park>.npv.<P>``, ``park.<park>.gain_vs_source.<P>`` and, with a fund,
``fund.npv.<P>`` and ``fund.gain_vs_source.<P>`` (its NPV less the company flows its
stakes took). NPVs are to the portfolio's first year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sim.agreement import OK, STATUS, UNDEFINED, outcome_result, resolve
from sim.errors import ConservationError, Problem
from sim.i18n import Reason
from sim.model import RTOL, STREAMS
from sim.portfolio.load import PortfolioError
from sim.portfolio.parks import COMPANY, result_stream
from sim.portfolio.sweep_spec import RULE, PortfolioSweep
from sim.portfolio.types import Portfolio
from sim.sweep.columns import Coded, Column
from sim.sweep.designs import sample
from sim.sweep.run import _concat, agreements, apply_parameters

__all__ = ["evaluate_chunk", "park_streams"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ParkStreams:
    """One park's streams for ``m`` scenarios, on the portfolio's parties and years."""

    streams: dict[str, Array]
    """Each stream → ``(m, P, T)`` under the park's agreement, the fund's stake taken off."""
    source: dict[str, Array]
    """The same with no agreement."""
    company: dict[str, Array]
    """``dividends``, ``investment`` → ``(m, T)`` the whole joint company's, on the
    portfolio's years."""
    defined: NDArray[np.bool_]
    reasons: tuple[str, ...]


def park_streams(sweep: PortfolioSweep, k: int, values: Array) -> ParkStreams:
    """Park ``k``'s streams for the sampled ``values`` ``(m, d)`` (every parameter)."""
    portfolio = sweep.portfolio
    park = portfolio.parks[k]
    spec = sweep.parks[k]
    sc = park.scenario
    own = values[:, list(sweep.columns[k])] if sweep.columns[k] else np.empty((len(values), 0))
    batch, terms = apply_parameters(spec, own, (RULE,))
    m = len(values)
    shock = sweep.column("common.growth_shock")
    if shock is not None:
        growth = np.broadcast_to(batch.firms["growth"], (m, batch.firms["growth"].shape[1]))
        firms = {**batch.firms, "growth": growth + values[:, shock, None]}
        batch = replace(batch, firms=firms)
    outcome = resolve(sc, agreements(sc)[RULE], batch, terms[RULE])
    result = outcome_result(batch, outcome, statistics=False)
    pids = portfolio.party_ids
    owner = [pids.index(park.parties[p]) for p in sc.party_ids]
    n_p, n_t = len(pids), len(portfolio.years)
    offset = sc.start_year - portfolio.years[0]
    t = slice(offset, offset + sc.n_years)
    stake = portfolio.stake(park.id)
    out: dict[str, Array] = {}
    src: dict[str, Array] = {}
    company: dict[str, Array] = {}
    for name in STREAMS:
        mine = result_stream(result, name)
        theirs = result_stream(result, name, source=True)
        if name in COMPANY:
            whole = np.zeros((m, n_t))
            whole[:, t] = mine.sum(axis=1)
            company[name] = whole
            mine, theirs = mine * (1.0 - stake), theirs * (1.0 - stake)
        for target, value in ((out, mine), (src, theirs)):
            laid = np.zeros((m, n_p, n_t))
            for i, q in enumerate(owner):
                laid[:, q, t] += value[:, i]
            target[name] = laid
        _check_park(park.id, name, mine, out[name], stake, company.get(name))
    return ParkStreams(out, src, company, outcome.status != UNDEFINED, outcome.reasons)


def _check_park(
    park: str, name: str, mine: Array, laid: Array, stake: float, company: Array | None
) -> None:
    """The portfolio's parties (and the fund, for the company's streams) get exactly what
    the park allocates to its own parties, in every scenario and year."""
    got = laid.sum(axis=(1, 2))
    want = np.nan_to_num(mine.sum(axis=(1, 2)))
    if company is not None:
        got = got + stake * company.sum(axis=1)
        want = want / (1.0 - stake) if stake < 1 else company.sum(axis=1)
    tol = RTOL * np.maximum(1.0, np.abs(want))
    bad = ~(np.abs(np.nan_to_num(got) - want) <= tol)
    if bad.any():
        s = int(np.argmax(bad))
        raise ConservationError(
            f"{park}: {name} is not conserved across the portfolio sweep in scenario index "
            f"{s}: allocated {got[s]!r}, the park allocates {want[s]!r}"
        )


def fund_net(portfolio: Portfolio, parks: list[ParkStreams], m: int) -> Array:
    """``(m, P, T)`` each party's net from the fund in each scenario (zeros without one),
    as :func:`sim.portfolio.fund.fund_flows` works it out for one scenario."""
    fund = portfolio.fund
    years = list(portfolio.years)
    n_p, n_t = len(portfolio.parties), len(years)
    if fund is None:
        return np.zeros((m, n_p, n_t))
    total = np.zeros(n_t)
    for y, amount in fund.contributions.items():
        total[years.index(y)] = amount
    contributions = _contributions(portfolio, parks, total, m)
    invested = np.zeros((m, n_t))
    paid_out = np.zeros((m, n_t))
    for k, park in enumerate(portfolio.parks):
        stake = portfolio.stake(park.id)
        if stake <= 0:
            continue
        inv = -stake * parks[k].company["investment"]
        invested += inv
        paid_out += stake * parks[k].company["dividends"]
        last = park.scenario.start_year - years[0] + park.scenario.n_years - 1
        paid_out[:, last] += fund.exit_multiple * inv.sum(axis=1)
    paid = np.cumsum(total)
    spent = np.cumsum(invested + fund.fee * paid, axis=1)
    short = paid - spent < -RTOL * np.maximum(1.0, paid)
    if short.any():
        s, t = np.unravel_index(int(np.argmax(short)), short.shape)
        reason = Reason(
            "fund_short", year=years[t], paid=f"{paid[t]:.6g}", spent=f"{spent[s, t]:.6g}"
        )
        raise PortfolioError(portfolio.source, [Problem("fund.contributions", reason)])
    paid_out[:, -1] += paid[-1] - spent[:, -1]
    if fund.returns == "fixed":
        back = np.array([(fund.return_shares or {})[p] for p in portfolio.party_ids])
        by = np.broadcast_to(back[None, :, None], (m, n_p, n_t))
    else:
        cum = np.cumsum(contributions, axis=2)
        sums = cum.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            by = np.where(sums > 0, cum / np.where(sums > 0, sums, 1.0), 1.0 / n_p)
    distributed = paid_out[:, None, :] * by
    for what, got, want in (
        ("fund contributions", contributions.sum(axis=1), np.broadcast_to(total, (m, n_t))),
        ("fund payouts", distributed.sum(axis=1), paid_out),
    ):
        if not np.all(np.abs(got - want) <= RTOL * np.maximum(1.0, np.abs(want))):
            raise ConservationError(f"{what} are not conserved in the portfolio sweep")
    return np.asarray(distributed - contributions)


def _contributions(portfolio: Portfolio, parks: list[ParkStreams], total: Array, m: int) -> Array:
    """``(m, P, T)`` each year's contributions divided between the parties."""
    fund = portfolio.fund
    assert fund is not None
    years = list(portfolio.years)
    n_p, n_t = len(portfolio.parties), len(years)
    if fund.basis == "fixed":
        shares = np.array([(fund.contribution_shares or {})[p] for p in portfolio.party_ids])
        return np.broadcast_to(shares[None, :, None] * total, (m, n_p, n_t))
    retained = np.sum([p.source["tax"] for p in parks], axis=0)
    sums = np.asarray(retained).sum(axis=1, keepdims=True)
    if ((total > 0) & (sums[:, 0] <= 0)).any():
        year = years[int(np.argmax(((total > 0) & (sums[:, 0] <= 0)).any(axis=0)))]
        raise PortfolioError(
            portfolio.source, [Problem("fund.basis", Reason("no_retained", year=year))]
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        contributions = np.where(sums > 0, retained / np.where(sums > 0, sums, 1.0), 0.0)
    contributions = contributions * total
    return np.asarray(contributions)


BLOCK = 4096
"""Scenarios evaluated at once: every park's streams by party and year of a block are in
memory together (a few MB a park), whatever the chunk's size; the numbers do not
depend on it (a scenario's values depend on its index and the seed alone)."""


def evaluate_chunk(sweep: PortfolioSweep, start: int, stop: int) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1`` (see the module docstring),
    evaluated block by block (:data:`BLOCK`)."""
    blocks = [evaluate_block(sweep, a, min(a + BLOCK, stop)) for a in range(start, stop, BLOCK)]
    if len(blocks) == 1:
        return blocks[0]
    return {name: _concat([b[name] for b in blocks]) for name in blocks[0]}


def evaluate_block(sweep: PortfolioSweep, start: int, stop: int) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1``, as one batch per park."""
    portfolio = sweep.portfolio
    values = sample(sweep.sampler, start, stop)
    m = stop - start
    parks = [park_streams(sweep, k, values) for k in range(len(portfolio.parks))]
    rate_at = sweep.column("common.discount_rate")
    rate = values[:, rate_at] if rate_at is not None else np.full(m, portfolio.discount_rate)
    n_t = len(portfolio.years)
    discount = (1.0 + rate[:, None]) ** -np.arange(n_t)[None, :]  # (m, T)
    defined = np.logical_and.reduce([p.defined for p in parks])
    out: dict[str, Column] = {
        "scenario": np.arange(start, stop, dtype=np.int64),
        "status": Coded(np.where(defined, OK, UNDEFINED).astype(np.int32), STATUS),
        "reason": _reasons(parks, defined),
    }
    for j, name in enumerate(sweep.names):
        out[name] = values[:, j]
    pids = portfolio.party_ids

    def npv(flows: Array) -> Array:  # (m, P, T) → (m, P)
        return np.asarray(np.einsum("mpt,mt->mp", flows, discount))

    total_npv = np.zeros((m, len(pids)))
    total_gain = np.zeros((m, len(pids)))
    columns: dict[str, Array] = {}
    for k, park in enumerate(portfolio.parks):
        here = npv(_sum(parks[k].streams, STREAMS))
        alone = npv(_sum(parks[k].source, STREAMS))
        total_npv += here
        total_gain += here - alone
        columns[f"park.{park.id}.npv"] = here
        columns[f"park.{park.id}.gain_vs_source"] = here - alone
    if portfolio.fund is not None:
        fund = npv(fund_net(portfolio, parks, m))
        given_up = np.zeros((m, len(pids)))
        for k, park in enumerate(portfolio.parks):
            stake = portfolio.stake(park.id)
            if stake > 0:  # the company flows the stake took, at source, before the stake
                given_up += stake * npv(_sum(parks[k].source, COMPANY)) / (1 - stake)
        total_npv += fund
        total_gain += fund - given_up
        columns["fund.npv"] = fund
        columns["fund.gain_vs_source"] = fund - given_up
    columns = {"npv": total_npv, "gain_vs_source": total_gain, **columns}
    nan = np.where(defined[:, None], 1.0, np.nan)
    for prefix, table in columns.items():
        for i, p in enumerate(pids):
            out[f"{prefix}.{p}"] = np.ascontiguousarray(table[:, i] * nan[:, 0])
    return out


def _sum(flows: dict[str, Array], names: tuple[str, ...]) -> Array:
    """``(m, P, T)`` the streams ``names`` of ``flows`` added up."""
    return np.asarray(np.sum([flows[s] for s in names], axis=0))


def _reasons(parks: list[ParkStreams], defined: NDArray[np.bool_]) -> Coded:
    codes = np.zeros(len(defined), dtype=np.int32)
    labels = {"": 0}
    for r in np.flatnonzero(~defined):
        why = "; ".join(p.reasons[r] for p in parks if not p.defined[r])
        codes[r] = labels.setdefault(why, len(labels))
    return Coded(codes, tuple(labels))
