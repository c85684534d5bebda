"""The clauses of the other streams: land income, the joint company's dividends and
capex, and the statistics, each divided by its clause's basis (source, equity, the tax
pool's shares or shares of its own); and what a share of the pool is a share of.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.arrays import group_by_party
from sim.model.batch import Array, Batch
from sim.model.sources import _Collected, _payout
from sim.model.streams import SETTLEMENTS, active
from sim.model.terms import StreamTerms, Terms


def _stream_shares(
    clause: StreamTerms, pool_shares: Array | None, window: NDArray[np.bool_], equity: Array
) -> Array | None:
    """``(S, P, T)`` shares a clause divides its stream by, NaN where it stays as by default.

    ``None`` when the clause leaves the whole stream as by default (``source``, or
    ``tax`` under a rule without shares).
    """
    if clause.basis == "source" or (clause.basis == "tax" and pool_shares is None):
        return None
    if clause.basis == "tax":
        return pool_shares
    constant = equity if clause.basis == "equity" else clause.shares
    if constant is None:  # the agreement layer always sets shares for basis "shares"
        raise ValueError("a clause with basis 'shares' needs its shares")
    return np.asarray(np.where(window[None, None, :], constant[:, :, None], np.nan))


def _settle(at_source: Array, shares: Array | None, compliance: Array) -> Array:
    """Divide a stream by ``shares`` where they are defined, settling ``compliance`` of it."""
    if shares is None:
        return at_source
    defined = ~np.isnan(shares).any(axis=1, keepdims=True)
    agreed = np.nan_to_num(shares) * at_source.sum(axis=1, keepdims=True)
    c = compliance[:, None, None]
    return np.asarray(np.where(defined, at_source + c * (agreed - at_source), at_source))


def _further(
    batch: Batch, terms: Terms, collected: _Collected, pool_shares: Array | None,
    names: tuple[str, ...] | None = None,
) -> tuple[dict[str, Array], dict[str, Array], dict[str, Array]]:  # fmt: skip
    """The clause streams of :data:`~sim.model.streams.SETTLEMENTS` that can be other
    than zero in ``batch`` (``names``: those of a batch it is part of, when known): what
    each party gets or bears of each, where each arises (for those the clause moves) and
    ``(S, T)`` what arose in all (what each must sum to over the parties)."""
    actual: dict[str, Array] = {}
    source: dict[str, Array] = {}
    total: dict[str, Array] = {}
    full = np.ones(batch.size)  # settled as agreed, like the statistics
    st = batch.structure
    for name in active(batch) if names is None else names:
        by_firm = SETTLEMENTS[name].by_firm(batch, collected.retained)
        at_source = group_by_party(by_firm, st.firm_party, st.n_parties)  # bit-stable
        shares = _stream_shares(terms.clause(name), pool_shares, terms.window, batch.equity)
        actual[name] = _settle(at_source, shares, full)
        if shares is not None:
            source[name] = at_source
        total[name] = np.asarray(by_firm.sum(axis=1))
    return actual, source, total


def _divided(
    batch: Batch,
    terms: Terms,
    pool: Array,
    pool_shares: Array | None,
    land_source: Array,
    further: dict[str, Array] | None = None,
) -> Array | None:
    """``(S, T)`` what a party's share of the pool is a share of, each year.

    With constant shares ``s`` and no floors, party ``p`` gets ``s_p`` times this on top
    of what it would get with none of the pool: the pool settled at the compliance
    rate, and the land income and dividends that follow the pool. ``None`` for a rule
    without shares.
    """
    if pool_shares is None:
        return None
    defined = ~np.isnan(pool_shares).any(axis=1)  # (S, T): the agreement's years with shares
    c = terms.compliance[:, None]
    out = c * pool if terms.tax_clause else np.zeros_like(pool)
    if terms.clause("land").basis == "tax":
        out = out + c * land_source.sum(axis=1)
    if terms.clause("dividends").basis == "tax":
        out = out + _payout(batch)
    for name, total in (further or {}).items():
        if terms.clause(name).basis == "tax":
            out = out + total
    return np.asarray(np.where(defined, out, 0.0))


def _company(
    batch: Batch, terms: Terms, pool_shares: Array | None
) -> tuple[Array, Array, Array | None, Array | None]:
    """Dividends and capex per party, and the same by equity where a clause moved them."""
    payout = _payout(batch)
    by_equity = batch.equity[:, :, None] * payout[:, None, :]
    dividends, source_dividends = by_equity, None
    div, inv = terms.clause("dividends"), terms.clause("investment")
    if div.basis == "shares" and div.shares is not None:
        # the joint company's own terms: every year, like equity
        dividends = div.shares[:, :, None] * payout[:, None, :]
        source_dividends = by_equity
    elif div.basis == "tax" and pool_shares is not None:
        # the tax pool's shares in the agreement's years, equity in the others
        shares = np.where(np.isnan(pool_shares), batch.equity[:, :, None], pool_shares)
        dividends, source_dividends = shares * payout[:, None, :], by_equity
    capex_by_equity = -batch.equity[:, :, None] * batch.capex[:, None, :]
    investment, source_investment = capex_by_equity, None
    if inv.basis == "shares" and inv.shares is not None:
        investment = -inv.shares[:, :, None] * batch.capex[:, None, :]
        source_investment = capex_by_equity
    return np.asarray(dividends), np.asarray(investment), source_dividends, source_investment


def _statistics(
    batch: Batch,
    terms: Terms,
    collected: _Collected,
    investment: Array,
    pool_shares: Array | None,
) -> dict[str, Array]:
    """Each indicator counted to each party: at source, then divided by the clause's shares."""
    st = batch.structure
    onehot = st.onehot(st.firm_party)
    f = batch.firms
    at_source = {
        "output": onehot @ collected.output,
        "value_added": onehot @ (collected.output * f["value_added_ratio"][:, :, None]),
        "investment": -investment,
        "tax": onehot @ collected.tax_by_firm,
    }
    shares = _stream_shares(terms.clause("statistics"), pool_shares, terms.window, batch.equity)
    full = np.ones(batch.size)  # statistics are counted as agreed: nothing to settle
    return {k: _settle(np.asarray(v), shares, full) for k, v in at_source.items()}
