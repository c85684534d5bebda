"""Evaluate a portfolio sweep chunk by chunk: each park's batch with the vectorised model,
consolidated per scenario and party, overall and per park, with the fund.

For the scenarios ``start … stop − 1`` the values of every parameter are drawn once
(:func:`sim.sweep.designs.sample`: design, seed, correlation across parks); each park's
columns set its batch exactly as its own sweep would (:func:`sim.sweep.run.apply_parameters`,
with the common discount rate as its own), the common growth shock is added to every
firm's growth, and the park's agreement is resolved and evaluated on the batch: its
NPVs as its own sweep finds them, laid on the portfolio's parties and discounted to the
portfolio's first year. With a fund, what the fund needs of the park comes from the
model without every stream (:mod:`sim.model.parts`): the joint company's dividends and
capex where it holds a stake (its part taken off the parties' NPVs) and the retained
tax at source in the years it is paid in, where its contributions go by it; the fund's
money is worked out per scenario (:mod:`sim.portfolio.sweep_fund`) as ``sim portfolio
run`` works it out. Money is conserved, checked here on every block.

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

from sim.agreement import OK, STATUS, UNDEFINED, Outcome, outcome_npv, outcome_result, resolve
from sim.errors import ConservationError
from sim.model import RTOL, STREAMS, Batch, company_parts, retained_at_source
from sim.portfolio.parks import COMPANY, result_stream
from sim.portfolio.sweep_fund import Stake, fund_npv, paid_years
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
    """``dividends``, ``investment`` → ``(T, m)`` the whole joint company's, on the
    portfolio's years, year first (only where the fund holds a stake)."""
    source_tax: Array | None
    """``(P, C, m)`` retained tax with no agreement in the years the fund is paid in
    (:func:`~sim.portfolio.sweep_fund.paid_years`; only where its contributions go by
    it)."""
    defined: NDArray[np.bool_]
    reasons: tuple[str, ...]


def park_streams(
    sweep: PortfolioSweep, k: int, values: Array, discount: Array, *, streams: bool = False
) -> ParkStreams:
    """Park ``k``'s outcome for the sampled ``values`` ``(m, d)`` (every parameter),
    discounted by ``discount`` ``(m, T)`` (the portfolio's years).

    The park's NPVs are found as its own sweep finds them (the model's quickest route),
    and what the fund needs besides from the inputs (:mod:`sim.model.parts`: the joint
    company's dividends and capex, retained tax at source in the years the fund is paid
    in); only where those cannot be found so, or with ``streams``, from every stream of
    every year (:func:`_by_streams`, the same numbers to rounding)."""
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
    stake = portfolio.stake(park.id)
    company = company_parts(batch, outcome.terms) if stake > 0 and not streams else None
    if streams or (stake > 0 and company is None):
        return _by_streams(sweep, k, batch, outcome, discount)
    pids = portfolio.party_ids
    owner = _owner(sweep, k)
    offset = sc.start_year - portfolio.years[0]
    t = slice(offset, offset + sc.n_years)
    found = outcome_npv(batch, outcome)
    to_first = discount[:, offset, None]  # the park's year 0 in the portfolio's
    whole = found.npv.sum(axis=1) * to_first[:, 0]
    npv, source = found.npv, found.source
    given_up = np.zeros((m, len(pids)))
    flows: dict[str, Array] = {}
    if company is not None:  # the fund's stake taken off the joint company's streams
        npv = npv - stake * company.npv.sum(axis=1)
        taken = stake * company.source.sum(axis=1)
        source = source - taken
        given_up = taken * to_first @ owner
        for j, name in enumerate(COMPANY):
            flows[name] = np.zeros((len(portfolio.years), m))
            flows[name][t] = company.flows[:, j].T
    npv, source = npv * to_first @ owner, source * to_first @ owner
    fund_part = np.zeros(m)
    if company is not None:
        net = company.flows[:, 0] + company.flows[:, 1]
        fund_part = np.einsum("mt,mt->m", net, discount[:, t])
    _check_park(park.id, npv.sum(axis=1) + stake * fund_part, whole)
    source_tax = _source_tax(sweep, k, batch, owner)
    defined = outcome.status != UNDEFINED
    return ParkStreams(npv, source, given_up, flows, source_tax, defined, outcome.reasons)


def _owner(sweep: PortfolioSweep, k: int) -> Array:
    """``(p, P)`` park ``k``'s parties → the portfolio's."""
    portfolio = sweep.portfolio
    park = portfolio.parks[k]
    pids = portfolio.party_ids
    owner = np.zeros((len(park.scenario.party_ids), len(pids)))
    for i, p in enumerate(park.scenario.party_ids):
        owner[i, pids.index(park.parties[p])] = 1.0
    return owner


def _source_tax(sweep: PortfolioSweep, k: int, batch: Batch, owner: Array) -> Array | None:
    """``(P, C, m)`` park ``k``'s retained tax at source on the portfolio's parties in the
    years the fund is paid in (:func:`~sim.portfolio.sweep_fund.paid_years`; zero in
    those outside the park's years), where the fund's contributions go by it (``None``
    where they do not)."""
    portfolio = sweep.portfolio
    fund = portfolio.fund
    if fund is None or fund.basis != "retained":
        return None
    offset = portfolio.parks[k].scenario.start_year - portfolio.years[0]
    paid = paid_years(portfolio) - offset  # in the park's years
    inside = (paid >= 0) & (paid < portfolio.parks[k].scenario.n_years)
    out = np.zeros((len(portfolio.parties), len(paid), batch.size))
    if inside.any():
        tax = retained_at_source(batch, paid[inside]).transpose(1, 2, 0)  # (p, Y, m)
        for i, q in enumerate(np.argmax(owner, axis=1)):
            out[q, inside] += tax[i]
    return out


def _by_streams(
    sweep: PortfolioSweep, k: int, batch: Batch, outcome: Outcome, discount: Array
) -> ParkStreams:
    """:func:`park_streams` from every stream of every year of the park."""
    portfolio = sweep.portfolio
    park = portfolio.parks[k]
    sc = park.scenario
    m = batch.size
    defined = outcome.status != UNDEFINED
    pids = portfolio.party_ids
    owner = _owner(sweep, k)
    offset = sc.start_year - portfolio.years[0]
    stake = portfolio.stake(park.id)
    retained = portfolio.fund is not None and portfolio.fund.basis == "retained"
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
            company[name] = np.zeros((n_t, m))
            company[name][t] = mine.sum(axis=1).T
            given_up += stake * np.einsum("mit,mt->mi", theirs, d) @ owner
            mine, theirs = mine * (1.0 - stake), theirs * (1.0 - stake)
        net[0] += mine
        net[1] += theirs
    npv = np.einsum("smit,mt->smi", net, d) @ owner  # (2, m, P)
    whole = np.einsum("mt,mt->m", full, d)
    fund_part = sum((np.einsum("tm,mt->m", c[t], d) for c in company.values()), np.zeros(m))
    _check_park(park.id, npv[0].sum(axis=1) + stake * fund_part, whole)
    source_tax = None
    if retained:
        whole_years = np.zeros((m, len(pids), n_t))
        whole_years[:, :, t] = np.einsum(
            "mit,ip->mpt", result_stream(result, "tax", source=True), owner
        )
        source_tax = whole_years[:, :, paid_years(portfolio)].transpose(1, 2, 0)
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


BLOCK = 16_384
"""Scenarios evaluated at once (each park's batch; the model goes through it in its own
chunks): what the fund needs of every park of a block is in memory together (a few MB
a park), whatever the chunk's size. The numbers do not depend on it (a scenario's values
depend on its index and the seed alone)."""


def evaluate_chunk(sweep: PortfolioSweep, start: int, stop: int) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1`` (see the module docstring),
    evaluated block by block (:data:`BLOCK`)."""
    blocks = [evaluate_block(sweep, a, min(a + BLOCK, stop)) for a in range(start, stop, BLOCK)]
    if len(blocks) == 1:
        return blocks[0]
    return {name: _concat([b[name] for b in blocks]) for name in blocks[0]}


def evaluate_block(
    sweep: PortfolioSweep, start: int, stop: int, *, streams: bool = False
) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1``, as one batch per park
    (``streams``: every park from every stream of every year, see :func:`park_streams`)."""
    portfolio = sweep.portfolio
    values = sample(sweep.sampler, start, stop)
    m = stop - start
    rate_at = sweep.column("common.discount_rate")
    # one rate for all: one row of factors, the same bits for every scenario
    rate = values[:, rate_at] if rate_at is not None else np.array([portfolio.discount_rate])
    n_t = len(portfolio.years)
    discount = np.broadcast_to((1.0 + rate[:, None]) ** -np.arange(n_t)[None, :], (m, n_t))
    parks = [
        park_streams(sweep, k, values, discount, streams=streams)
        for k in range(len(portfolio.parks))
    ]
    defined = np.logical_and.reduce([p.defined for p in parks])
    out: dict[str, Column] = {
        "scenario": np.arange(start, stop, dtype=np.int64),
        "status": Coded(np.where(defined, OK, UNDEFINED).astype(np.int32), STATUS),
        "reason": _reasons(parks, defined),
    }
    for j, name in enumerate(sweep.names):
        out[name] = values[:, j]
    pids = portfolio.party_ids

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
        fund = fund_npv(portfolio, _stakes(portfolio, parks), _retained(parks), discount)
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


def _stakes(portfolio: Portfolio, parks: list[ParkStreams]) -> list[Stake]:
    """The fund's stakes, with their parks' company streams."""
    out = []
    for k, park in enumerate(portfolio.parks):
        stake = portfolio.stake(park.id)
        if stake > 0:
            last = park.scenario.start_year - portfolio.years[0] + park.scenario.n_years - 1
            company = parks[k].company
            out.append((stake, company["dividends"], company["investment"], last))
    return out


def _retained(parks: list[ParkStreams]) -> Array | None:
    """``(P, C, m)`` every park's retained tax at source in the years the fund is paid
    in, added up (``None`` where the contributions do not go by it)."""
    taxes = [p.source_tax for p in parks if p.source_tax is not None]
    return np.asarray(np.sum(taxes, axis=0)) if taxes else None


def _reasons(parks: list[ParkStreams], defined: NDArray[np.bool_]) -> Coded:
    codes = np.zeros(len(defined), dtype=np.int32)
    labels = {"": 0}
    for r in np.flatnonzero(~defined):
        why = "; ".join(p.reasons[r] for p in parks if not p.defined[r])
        codes[r] = labels.setdefault(why, len(labels))
    return Coded(codes, tuple(labels))
