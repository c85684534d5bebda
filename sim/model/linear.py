"""The linear route of :func:`~sim.model.evaluate_npv`: under rules whose pool shares are
the same every year, with no floors, cap or review, every party's NPV is linear in the
present values of the streams, so those are valued first and divided after
(docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from sim.model.batch import CHUNK_SIZE, Array, Batch, IntArray, _columns, _same_rows
from sim.model.checks import _conserved
from sim.model.chunk import _streams_npv
from sim.model.result import Values
from sim.model.shared import SHARED_FROM, _fixed
from sim.model.sources import (
    _OUTPUT_FIELDS,
    _Fixed,
    _grown,
    _land_at_source,
    _payout,
    _rates,
    discount_factors,
)
from sim.model.terms import StreamTerms, Terms

LINEAR_RULES = ("fixed", "equity")
"""Rules whose pool shares are the same every year of a scenario: under them, with no
floors, cap or review and a scope that pools whole firms, every party's NPV is linear
in the present values of the streams (:func:`_linear_npv`)."""
LINEAR_CHUNK = 8192
"""Scenarios per chunk of the linear route (its largest temporary is ``(S, F, T)``)."""


def _linear_rows(terms: Terms, statistics: bool) -> bool | NDArray[np.bool_]:
    """Whether :func:`evaluate_npv` takes the linear route: for every scenario (``True``),
    none (``False``), or the scenarios marked (floors vary between scenarios).

    Decided by the agreement's structure and each scenario's own floors alone, never by
    a batch's size or other values, so that a scenario's numbers do not depend on the
    chunks or blocks it is evaluated in.
    """
    if statistics or terms.rule not in LINEAR_RULES or terms.scope not in ("all", "new_firms"):
        return False
    if terms.cap is not None or terms.review is not None:
        return False
    floors = terms.floors
    if floors.shape[0] == 1 or floors.strides[0] == 0:
        return not bool(np.any(floors[:1] > 0))
    free = np.asarray(~(floors > 0).any(axis=1), dtype=bool)
    if free.all():
        return True
    if not free.any():
        return False
    return free


def _pv(x: Array, df: Array, years: IntArray | None = None) -> Array:
    """``(K, S)`` present value of ``x`` ``(T, K, S)`` at ``df`` ``(T, S)`` (either may
    have one scenario for all), over ``years`` (default: all), year by year in order:
    each element's sum is the same whatever the batch's size, chunks or memory layout.
    Scenarios innermost, so that every operation runs along them."""
    shape = np.broadcast_shapes(x.shape[1:], (1, df.shape[1]))
    acc = np.zeros(shape)
    term = np.empty(shape)
    for t in range(x.shape[0]) if years is None else years:
        np.multiply(x[t], df[t], out=term)
        acc += term
    return acc


def _by_party(values: Array, party: IntArray, which: Sequence[int], n_parties: int) -> Array:
    """``(P, S)`` the rows ``which`` of ``values`` ``(F, S)`` added up by ``party``, in
    order."""
    out = np.zeros((n_parties, values.shape[1]))
    for f in which:
        out[party[f]] += values[f]
    return out


def _total(values: Array) -> Array:
    """``(S,)`` the rows of ``values`` ``(P, S)`` added in order."""
    out = np.array(values[0])
    for row in values[1:]:
        out += row
    return out


def _output_by_year(f: Mapping[str, Array], years: IntArray) -> Array:
    """``(T, F, S)`` :func:`~sim.model.sources._output`, year and firm first, its growth
    compounded year by year (a multiplication a year, not a power: see
    :func:`~sim.model.sources._grown`, which the stream route lays its streams out by)."""
    return _grown(f, years)


def _discount_by_year(rate: Array, n_years: int) -> Array:
    """``(T, S)`` 1 / (1 + r)^t, a division a year (as the stream route's, to the bit)."""
    return np.asarray(discount_factors(rate, n_years).T)


def _streams_by_year(b: Batch, fixed: _Fixed | None) -> dict[str, Array]:
    """Year-major ``(T, K, S)`` streams the linear route values (``(T, K, 1)`` where
    every scenario has the same): ``firms`` each firm's retained tax (what its party
    keeps), ``land`` each party's net land income at source, ``company`` the joint
    company's payout and capex. Firms no scenario varies are ``firms_fixed``, one row
    for all, computed with the same operations from the batch's first scenario."""
    rates = _rates(b) if fixed is None or fixed.rates is None else fixed.rates
    # (1 or T, F, S or 1): a year axis where a fiscal parameter changes by year
    kept = rates[:, 0].transpose(2, 1, 0) if rates.ndim == 4 else rates[:, 0, :].T[None]
    varies = np.ones(kept.shape[1], dtype=bool) if fixed is None else fixed.varies
    out: dict[str, Array] = {}
    if varies.any():
        firms = {k: _columns(b.firms[k], varies) for k in _OUTPUT_FIELDS}
        retained = _output_by_year(firms, b.structure.years)
        retained *= kept[:, varies]
        out["firms"] = retained
    if fixed is not None and not varies.all():  # from the first scenario, the same way
        firms = {k: b.firms[k][:1, ~varies] for k in _OUTPUT_FIELDS}
        rows = _output_by_year(firms, b.structure.years)  # (T, F′, 1)
        out["firms_fixed"] = rows * kept[:, ~varies]  # (T, F′, S) where rates vary
    land = _land_at_source(b) if fixed is None or fixed.land is None else fixed.land
    out["land"] = land.transpose(2, 1, 0)  # (T, P, S)
    same = all(_same_rows(a) for a in (b.capex, b.return_rate, b.payout_ratio))
    row = b.take(0, 1) if same else b  # the same operations on the same numbers
    out["company"] = np.stack(np.broadcast_arrays(_payout(row).T, row.capex.T), axis=1)
    return out


def _present_values(
    streams: Mapping[str, Array], df: Array, years: IntArray | None
) -> dict[str, Array]:
    """Each of ``streams``' present values ``(K, S)`` at ``df`` ``(T, S)``, over all years
    and, as ``<name>_w``, over ``years`` (the same array when ``years`` is ``None``).
    Streams of one row for all scenarios are valued together, in one pass."""
    rows = [k for k, v in streams.items() if v.shape[2] == 1]
    groups = [[k] for k in streams if k not in rows] + ([rows] if rows else [])
    out: dict[str, Array] = {}
    for group in groups:
        x = (
            streams[group[0]]
            if len(group) == 1
            else np.concatenate([streams[k] for k in group], axis=1)
        )
        full = _pv(x, df)
        part = full if years is None else _pv(x, df, years)
        at = 0
        for k in group:
            size = streams[k].shape[1]
            out[k], out[f"{k}_w"] = full[at : at + size], part[at : at + size]
            at += size
    return out


def _linear_npv(batch: Batch, terms: Terms, divided: bool) -> Values:
    """:func:`evaluate_npv` for agreements that divide each stream by shares constant
    over the years (:func:`_linear_rows`).

    Then a party's NPV is linear in the present value of each firm's retained tax, of
    each party's land income and of the joint company's payout and capex, and each
    clause's division and settlement apply to present values: with ``d`` the discount
    factors, ``w`` the agreement's years, ``s`` the pool's shares and ``c`` compliance,
    party ``p``'s tax is worth ``Σ_t d·source_p + c · (s_p · Σ_{t∈w} d·pool −
    Σ_{t∈w} d·pooled_p)``. This saves building every stream of every year, and gives
    the NPVs of :func:`evaluate` to rounding (about 1e-15 of their size; tested to
    1e-12), the same bits whatever the chunks.

    Conservation is checked on what is computed: in each scenario the parties' tax,
    land income, dividends and capex sum to what is collected in present value, and
    everything is finite. With shares constant over the years this holds in present
    value exactly when it holds in every year (each year's division is the same
    shares of that year's amount). A chunk that fails a check is evaluated again
    stream by stream, which names the year and stream.
    """
    n = batch.size
    n_p = batch.structure.n_parties
    fixed = _fixed(batch, terms) if n >= SHARED_FROM else None
    npv, source = np.empty((n, n_p)), np.empty((n, n_p))
    pv_divided = np.empty(n) if divided else None
    for i in range(0, n, LINEAR_CHUNK):
        j = min(i + LINEAR_CHUNK, n)
        part = None if fixed is None else fixed.take(i, j)
        b, t = batch.take(i, j), terms.take(i, j)
        got = _linear_chunk(b, t, part, divided)
        if got is None:  # not conserved or not finite: the streams say where
            values = _streams_npv(b, t, CHUNK_SIZE, False, divided, i)
            got = (values.npv, values.source, values.divided)
        npv[i:j], source[i:j] = got[0], got[1]
        if pv_divided is not None and got[2] is not None:
            pv_divided[i:j] = got[2]
    return Values(npv, source, None, pv_divided)


def _linear_chunk(
    b: Batch, terms: Terms, fixed: _Fixed | None, divided: bool
) -> tuple[Array, Array, Array | None] | None:
    """NPV, NPV at source ``(S, P)`` and the pool's present value ``(S,)`` for one
    chunk by the linear route; ``None`` when a check fails. Parties are rows here."""
    st = b.structure
    n, n_p = b.size, st.n_parties
    window = terms.window
    years = None if window.all() else np.flatnonzero(window)
    same_rate = fixed is not None and fixed.discount_factors is not None
    rate = b.discount_rate[:1] if same_rate else b.discount_rate
    df = _discount_by_year(rate, st.n_years)  # (T, S)
    pv = _present_values(_streams_by_year(b, fixed), df, years)
    # tax: each firm's at source, the pooled firms' divided in the agreement's years
    party = st.firm_party
    varies = np.ones(len(party), dtype=bool) if fixed is None else fixed.varies
    pv_firm, pv_firm_w = np.empty((len(party), n)), np.empty((len(party), n))
    for key, which in (("firms", varies), ("firms_fixed", ~varies)):
        if key in pv:
            pv_firm[which], pv_firm_w[which] = pv[key], pv[f"{key}_w"]
    firms = range(len(party))
    at_source = _by_party(pv_firm, party, firms, n_p)
    pooled = firms if terms.scope == "all" else [int(f) for f in np.flatnonzero(~st.firm_existing)]
    own = _by_party(pv_firm_w, party, pooled, n_p)
    pool = _total(own)
    shares = (terms.params["shares"] if terms.rule == "fixed" else b.equity).T  # (P, S)
    equity = b.equity.T
    c = terms.compliance[None, :]
    tax = _settled(at_source, own, pool, shares, c) if terms.tax_clause else at_source
    # land income: at source, divided in the agreement's years by its clause's shares
    land_at_source = pv["land"]
    land, land_pool = land_at_source, None
    land_shares = _constant(terms.clause("land"), shares, equity)
    if land_shares is not None:
        land_pool = _total(pv["land_w"])
        land = _settled(land_at_source, pv["land_w"], land_pool, land_shares, c)
    # the joint company: dividends on paid-in capital, capex paid in
    pay, spent, pay_w = pv["company"][:1], pv["company"][1:], pv["company_w"][:1]
    dividends, investment = _company_values(terms, equity, shares, pay, pay_w, spent)
    npv = tax + land
    npv += dividends
    npv += investment
    source = at_source + land_at_source
    source += equity * pay
    source -= equity * spent
    checks = (
        (tax, _total(at_source)),
        (land, _total(land_at_source)),
        (dividends, pay[0]),
        (-investment, spent[0]),
    )
    for got, want in checks:
        if not _conserved(_total(np.broadcast_to(got, (n_p, n))), want):
            return None
    if not (np.isfinite(npv).all() and np.isfinite(source).all()):
        return None
    pv_pool = None
    if divided:  # what the pool's shares divide, settled
        pv_pool = c[0] * pool if terms.tax_clause else np.zeros_like(pool)
        if terms.clause("land").basis == "tax" and land_pool is not None:
            pv_pool = pv_pool + c[0] * land_pool
        if terms.clause("dividends").basis == "tax":
            pv_pool = pv_pool + pay_w[0]
        pv_pool = np.asarray(np.broadcast_to(pv_pool, (n,)))
    return np.broadcast_to(npv, (n_p, n)).T, np.broadcast_to(source, (n_p, n)).T, pv_pool


def _settled(at_source: Array, own: Array, pool: Array, shares: Array, c: Array) -> Array:
    """``(P, S)`` at source + c · (shares · pool − own) (any may be one scenario for all)."""
    moved = shares * pool[None, :]
    moved = moved - own
    moved = moved * c
    return np.asarray(at_source + moved)


def _company_values(
    terms: Terms, equity: Array, shares: Array, pay: Array, pay_w: Array, spent: Array
) -> tuple[Array, Array]:
    """``(P, S)`` each party's dividends and capex in present value under the clauses."""
    div, inv = terms.clause("dividends"), terms.clause("investment")
    if div.basis == "shares" and div.shares is not None:
        dividends = div.shares.T * pay
    elif div.basis == "tax":  # the pool's shares in the agreement's years
        dividends = equity * pay + (shares - equity) * pay_w
    else:
        dividends = equity * pay
    if inv.basis == "shares" and inv.shares is not None:
        investment = -inv.shares.T * spent
    else:
        investment = -equity * spent
    return np.asarray(dividends), np.asarray(investment)


def _constant(clause: StreamTerms, pool_shares: Array, equity: Array) -> Array | None:
    """``(P, S)`` the constant shares a clause divides its stream by in the agreement's
    years (``None``: it stays at source), under a rule whose pool shares are constant
    (``pool_shares`` and ``equity`` are ``(P, S)`` too)."""
    if clause.basis == "source":
        return None
    if clause.basis == "tax":
        return pool_shares
    if clause.basis == "equity":
        return equity
    if clause.shares is None:  # the agreement layer always sets shares for basis "shares"
        raise ValueError("a clause with basis 'shares' needs its shares")
    return clause.shares.T
