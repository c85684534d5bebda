"""The stream route: every stream of every year of a chunk of scenarios, checked for
conservation, then kept (:func:`~sim.model.evaluate`) or discounted
(:func:`~sim.model.evaluate_npv`).
"""

from __future__ import annotations

import numpy as np

from sim.arrays import group_by_party, sum_axis1
from sim.model.batch import Array, Batch
from sim.model.checks import _check, _check_company, _check_statistics, _check_tax
from sim.model.clauses import (
    _company,
    _divided,
    _further,
    _settle,
    _statistics,
    _stream_shares,
)
from sim.model.result import INDICATORS, Values, _Chunk, _discounted, _moved, _net, _others
from sim.model.reuse import Reused
from sim.model.shared import SHARED_FROM, _fixed
from sim.model.sources import _Fixed, _land_at_source, _net_land, collect, discount_factors
from sim.model.streams import active
from sim.model.tax import _tax
from sim.model.terms import Terms


def _streams_npv(
    batch: Batch, terms: Terms, chunk_size: int, statistics: bool, divided: bool, offset: int = 0
) -> Values:
    """:func:`evaluate_npv` stream by stream: every stream of every year, checked, then
    discounted (``offset``: the first scenario's index, for messages)."""
    n = batch.size
    npv = np.empty((n, batch.structure.n_parties))
    source = np.empty_like(npv)
    stats = np.empty((n, len(INDICATORS), batch.structure.n_parties)) if statistics else None
    pv_divided: Array | None = np.empty(n) if divided else None
    fixed = _fixed(batch, terms) if n >= SHARED_FROM else None
    reused = None if fixed is None else Reused(fixed, batch, terms.scope)
    names = active(batch)  # the clause streams any chunk may have
    others: Array | None = None  # land, dividends and capex, when the chunks share them
    for i in range(0, n, chunk_size):
        j = min(i + chunk_size, n)
        part = None if fixed is None else fixed.take(i, j)
        b = batch.take(i, j)
        t = terms.take(i, j)
        if reused is not None:
            reused.start = i
        r = _evaluate_chunk(
            b, t, offset + i, statistics, divided, part, reused=reused, clauses=names
        )
        if part is not None and part.discount_factors is not None:
            df = np.repeat(part.discount_factors, j - i, axis=0)  # contiguous, as einsum had it
        else:
            df = discount_factors(b.discount_rate, batch.structure.n_years)
        if all(a.shape[0] == 1 for a in (r.land, r.dividends, r.investment, *r.further.values())):
            if others is None:  # one row, added up once
                others = np.asfortranarray(_others(r))  # laid out as the streams
            npv[i:j] = _discounted(_net_in_place(r, others), df)
        else:
            npv[i:j] = _discounted(_net(r), df)
        source[i:j] = npv[i:j] - _discounted(_moved(r), df)
        if stats is not None and r.statistics is not None:
            for k, name in enumerate(INDICATORS):
                stats[i:j, k] = r.statistics[name].sum(axis=2)
        if pv_divided is not None and r.divided is not None:
            pv_divided[i:j] = (r.divided * df).sum(axis=1)
        else:
            pv_divided = None
    return Values(npv, source, stats, pv_divided)


def _net_in_place(r: _Chunk, others: Array) -> Array:
    """:func:`~sim.model.result._net` (the same operations), added into the chunk's tax
    where the chunk owns it and keeps its transfers (a fresh array is slower to write)."""
    tax = r.tax
    if tax.base is not None or tax is r.source_tax or r.transfers is None:
        return _net(r, others)
    net = np.add(tax, others, out=tax)
    for stream in r.further.values():
        net += stream
    return net


def _evaluate_chunk(
    batch: Batch,
    terms: Terms,
    offset: int,
    statistics: bool,
    divided: bool = False,
    fixed: _Fixed | None = None,
    *,
    streams: bool = False,
    reused: Reused | None = None,
    clauses: tuple[str, ...] | None = None,
) -> _Chunk:
    """Every stream of one chunk, checked; ``fixed``: what is the same in every scenario
    (its streams, one row each, broadcast over the chunk and were checked once);
    ``streams``: every stream will be kept (the upper tiers and centre per party too);
    ``reused``: the arrays the chunks reuse (not for streams that are kept);
    ``clauses``: the clause streams of a batch the chunk is part of, when known."""
    st = batch.structure
    if reused is None:
        collected = collect(batch, fixed)
        source_tax = group_by_party(collected.retained, st.firm_party, st.n_parties)
        parts = None
    else:
        collected = reused.collect(batch, reused.start)
        source_tax = reused.by_party(collected.retained)
        parts = reused.pool_parts(collected, source_tax)
    tax, pool_shares, pool = _tax(batch, terms, collected, source_tax, parts, offset)
    land_source = _land_at_source(batch) if fixed is None or fixed.land is None else fixed.land
    land_shares = _stream_shares(terms.clause("land"), pool_shares, terms.window, batch.equity)
    land = _settle(land_source, land_shares, terms.compliance)
    if fixed is None or fixed.company is None:
        company = _company(batch, terms, pool_shares)
    else:
        company = fixed.company
    dividends, investment, source_dividends, source_investment = company
    further, source_further, further_total = _further(batch, terms, collected, pool_shares, clauses)
    chunk = _Chunk(
        collected,
        tax,
        land,
        dividends,
        investment,
        source_tax,
        pool_shares,
        None if land_shares is None else land_source,
        source_dividends,
        source_investment,
        _statistics(batch, terms, collected, investment, pool_shares) if statistics else None,
        _divided(batch, terms, pool, pool_shares, land_source, further_total) if divided else None,
        further,
        source_further,
    )
    if streams:  # the upper tiers and centre per party are wanted: check those
        elsewhere = sum_axis1(collected.upper_tier) + collected.central
        _check_tax(tax, source_tax, elsewhere, collected.total_tax, offset)
    else:
        totals = collected.totals
        transfers = tax - source_tax  # checked here, discounted by the caller
        _check_tax(tax, source_tax, totals[:, 0], totals[:, 1], offset, transfers)
        chunk = chunk._replace(transfers=transfers)
    if fixed is None or land is not fixed.land:
        want = _net_land(batch) if fixed is None else fixed.net_land
        _check("land income", sum_axis1(land), want, offset)
    if fixed is None or fixed.company is None:
        _check_company(dividends, investment, batch, offset)
    for name, total in further_total.items():
        _check(name, sum_axis1(further[name]), total, offset)
        if name in source_further:  # paid where it arises = borne by the parties
            _check(f"{name} (where it arises)", sum_axis1(source_further[name]), total, offset)
    if chunk.statistics is not None:
        _check_statistics(chunk.statistics, batch, collected, offset)
    return chunk
