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

from sim.agreement import OK, STATUS, UNDEFINED, outcome_npv, outcome_result, resolve
from sim.errors import ConservationError, Problem
from sim.i18n import Reason
from sim.model import RTOL, STREAMS
from sim.model.batch import CHUNK_SIZE
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
    """One park's outcome for ``m`` scenarios, on the portfolio's parties and years."""

    npv: Array
    """``(m, P)`` each portfolio party's NPV from the park (to the portfolio's first year),
    the fund's stake taken off the joint company's streams."""
    source_npv: Array
    """The same with no agreement."""
    given_up: Array
    """``(m, P)`` the NPV of the company flows the fund's stake takes, with no agreement."""
    company: dict[str, Array]
    """``dividends``, ``investment`` → ``(m, T)`` the whole joint company's, on the
    portfolio's years (only where the fund holds a stake)."""
    source_tax: Array | None
    """``(m, P, T)`` retained tax with no agreement (only where the fund's contributions
    go by it)."""
    defined: NDArray[np.bool_]
    reasons: tuple[str, ...]


def park_streams(sweep: PortfolioSweep, k: int, values: Array, discount: Array) -> ParkStreams:
    """Park ``k``'s outcome for the sampled ``values`` ``(m, d)`` (every parameter),
    discounted by ``discount`` ``(m, T)`` (the portfolio's years)."""
    portfolio = sweep.portfolio
    park = portfolio.parks[k]
    sc = park.scenario
    own = values[:, list(sweep.columns[k])] if sweep.columns[k] else np.empty((len(values), 0))
    batch, terms = apply_parameters(sweep.parks[k], own, (RULE,))
    m = len(values)
    shock = sweep.column("common.growth_shock")
    if shock is not None:
        growth = np.broadcast_to(batch.firms["growth"], (m, batch.firms["growth"].shape[1]))
        firms = {**batch.firms, "growth": growth + values[:, shock, None]}
        batch = replace(batch, firms=firms)
    outcome = resolve(sc, agreements(sc)[RULE], batch, terms[RULE])
    defined = outcome.status != UNDEFINED
    pids = portfolio.party_ids
    owner = np.zeros((len(sc.party_ids), len(pids)))  # park party → portfolio party
    for i, p in enumerate(sc.party_ids):
        owner[i, pids.index(park.parties[p])] = 1.0
    offset = sc.start_year - portfolio.years[0]
    stake = portfolio.stake(park.id)
    retained = portfolio.fund is not None and portfolio.fund.basis == "retained"
    if stake <= 0 and not retained:  # the NPVs alone, as the park's own sweep finds them
        found = outcome_npv(batch, outcome)
        to_first = discount[:, offset, None]  # the park's year 0 in the portfolio's
        npv, source = found.npv * to_first @ owner, found.source * to_first @ owner
        _check_park(park.id, npv.sum(axis=1), found.npv.sum(axis=1) * to_first[:, 0])
        return ParkStreams(npv, source, np.zeros_like(npv), {}, None, defined, outcome.reasons)
    result = outcome_result(batch, outcome, statistics=False)
    t = slice(offset, offset + sc.n_years)
    d = discount[:, t]
    n_t = len(portfolio.years)
    net = np.zeros((2, *result.tax.shape))  # under the agreement, with none
    company: dict[str, Array] = {}
    given_up = np.zeros((m, len(pids)))
    full = np.zeros((m, result.tax.shape[2]))  # the park's own net, summed over parties
    for name in STREAMS:
        mine = result_stream(result, name)
        theirs = result_stream(result, name, source=True)
        full += mine.sum(axis=1)
        if name in COMPANY and stake > 0:
            company[name] = np.zeros((m, n_t))
            company[name][:, t] = mine.sum(axis=1)
            given_up += stake * np.einsum("mit,mt->mi", theirs, d) @ owner
            mine, theirs = mine * (1.0 - stake), theirs * (1.0 - stake)
        net[0] += mine
        net[1] += theirs
    npv = np.einsum("smit,mt->smi", net, d) @ owner  # (2, m, P)
    whole = np.einsum("mt,mt->m", full, d)
    fund_part = sum((np.einsum("mt,mt->m", c[:, t], d) for c in company.values()), np.zeros(m))
    _check_park(park.id, npv[0].sum(axis=1) + stake * fund_part, whole)
    source_tax = None
    if retained:
        source_tax = np.zeros((m, len(pids), n_t))
        source_tax[:, :, t] = np.einsum(
            "mit,ip->mpt", result_stream(result, "tax", source=True), owner
        )
    return ParkStreams(npv[0], npv[1], given_up, company, source_tax, defined, outcome.reasons)


def _check_park(park: str, got: Array, want: Array) -> None:
    """The portfolio's parties and the fund's stake get exactly the park's NPV, in every
    scenario where it is defined."""
    tol = RTOL * np.maximum(1.0, np.abs(want))
    bad = ~(np.abs(got - want) <= tol) & np.isfinite(want)
    if bad.any():
        s = int(np.argmax(bad))
        raise ConservationError(
            f"{park}: the park's NPV is not conserved across the portfolio sweep in scenario "
            f"index {s}: allocated {got[s]!r}, the park allocates {want[s]!r}"
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
    retained = np.sum([p.source_tax for p in parks if p.source_tax is not None], axis=0)
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


BLOCK = CHUNK_SIZE
"""Scenarios evaluated at once: the model's own chunk (so that no park's result is cut
and joined again); every park's streams by party and year of a block are in memory
together (a few MB a park), whatever the chunk's size. The numbers do not depend on it
(a scenario's values depend on its index and the seed alone)."""


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
    rate_at = sweep.column("common.discount_rate")
    rate = values[:, rate_at] if rate_at is not None else np.full(m, portfolio.discount_rate)
    n_t = len(portfolio.years)
    discount = (1.0 + rate[:, None]) ** -np.arange(n_t)[None, :]  # (m, T)
    parks = [park_streams(sweep, k, values, discount) for k in range(len(portfolio.parks))]
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
        here, alone = parks[k].npv, parks[k].source_npv
        total_npv += here
        total_gain += here - alone
        columns[f"park.{park.id}.npv"] = here
        columns[f"park.{park.id}.gain_vs_source"] = here - alone
    if portfolio.fund is not None:
        fund = npv(fund_net(portfolio, parks, m))
        given_up = np.sum([p.given_up for p in parks], axis=0)
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


def _reasons(parks: list[ParkStreams], defined: NDArray[np.bool_]) -> Coded:
    codes = np.zeros(len(defined), dtype=np.int32)
    labels = {"": 0}
    for r in np.flatnonzero(~defined):
        why = "; ".join(p.reasons[r] for p in parks if not p.defined[r])
        codes[r] = labels.setdefault(why, len(labels))
    return Coded(codes, tuple(labels))
