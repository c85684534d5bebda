"""Parts of a park's money that someone outside its agreement holds a claim on, found
from the inputs without every stream of every year: the joint company's dividends and
capex (each year, and each party's present value of them under the agreement and with
none) and each party's retained tax at source in chosen years.

A portfolio's joint fund needs exactly these (:mod:`sim.portfolio.sweep`): a stake in
a park's joint company takes its part of the company's dividends and capex off the
park's parties, and contributions divided by retained tax need each party's retained
tax in the years the fund is paid in. Neither depends on how the agreement divides the
tax pool (unless the dividends follow the pool's shares: then only under a rule whose
shares are constant), so the parties' NPVs can come from the quickest route
(:func:`~sim.model.evaluate_npv`) and these from here, to the same numbers as every
stream of :func:`~sim.model.evaluate` (to rounding: tested to 1e-12, the same bits
whatever the batch's size).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.errors import ConservationError
from sim.model.batch import Array, Batch, IntArray, _same_rows
from sim.model.checks import RTOL, _conserved
from sim.model.linear import _company_values, _discount_by_year, _linear_rows, _pv, _total
from sim.model.sources import _grown, _payout, _rates
from sim.model.terms import Terms
from sim.scenario import FIRM_RATES

__all__ = ["CompanyParts", "company_parts", "retained_at_source"]


class CompanyParts(NamedTuple):
    """The joint company's money in a batch under one agreement; rows are the
    company's two streams, ``dividends`` then ``investment`` (capex, negative). Each
    array is laid out with the scenarios innermost (as the model's streams)."""

    flows: Array
    """``(S, 2, T)`` what the parties get of the dividends and pay of the capex each
    year, all parties together (``sim run``'s streams summed over the parties)."""
    npv: Array
    """``(S, 2, P)`` each party's present value of them under the agreement."""
    source: Array
    """``(S, 2, P)`` the same with no agreement (by shareholding)."""


def company_parts(batch: Batch, terms: Terms) -> CompanyParts | None:
    """The joint company's dividends and capex in ``batch`` under ``terms``; ``None``
    where the dividends follow the tax pool's shares and those are not constant over
    the years (floors, cap, review or a rule whose shares change): then only every
    stream says what they are.

    Raises
    ------
    ConservationError
        If the parties' present values do not add up to the company's, or are not finite.
    """
    div, inv = terms.clause("dividends"), terms.clause("investment")
    constant = _linear_rows(terms, False) is True
    if div.basis == "tax" and not constant:
        return None
    n, n_t = batch.size, batch.structure.n_years
    same = all(_same_rows(a) for a in (batch.capex, batch.return_rate, batch.payout_ratio))
    row = batch.take(0, 1) if same else batch  # the same operations on the same numbers
    streams = np.stack(np.broadcast_arrays(_payout(row).T, row.capex.T), axis=1)  # (T, 2, S)
    rate = batch.discount_rate[:1] if _same_rows(batch.discount_rate) else batch.discount_rate
    df = _discount_by_year(rate, n_t)  # (T, S)
    window = terms.window
    years = None if window.all() else np.flatnonzero(window)
    pv = _pv(streams, df)
    pv_w = pv if years is None else _pv(streams, df, years)
    pay, spent, pay_w = pv[:1], pv[1:], pv_w[:1]
    equity = batch.equity.T  # (P, S)
    shares = equity  # the pool's, where the dividends follow them (constant: see above)
    if div.basis == "tax" and terms.rule == "fixed":
        shares = terms.params["shares"].T
    dividends, investment = _company_values(terms, equity, shares, pay, pay_w, spent)
    _check_pv("dividends", _total(dividends), pay[0])
    _check_pv("investment", -_total(investment), spent[0])
    # each year, the shares in force added up over the parties
    if div.basis == "shares" and div.shares is not None:
        div_sum = _total(div.shares.T)[:, None]  # (S or 1, 1)
    elif div.basis == "tax":
        by_year = np.where(window[None, None, :], shares[:, :, None], equity[:, :, None])
        div_sum = _total(by_year)  # (S or 1, T)
    else:
        div_sum = _total(equity)[:, None]
    inv_by = inv.shares.T if inv.basis == "shares" and inv.shares is not None else equity
    n_p = batch.structure.n_parties
    flows = np.empty((2, n_t, n))  # laid out scenarios innermost, as the model's streams
    flows[0] = streams[:, 0] * div_sum.T
    flows[1] = -(streams[:, 1] * _total(inv_by)[None, :])
    npv, source = np.empty((2, n_p, n)), np.empty((2, n_p, n))
    npv[0], npv[1] = dividends, investment
    source[0], source[1] = equity * pay, -equity * spent
    return CompanyParts(*(a.transpose(2, 0, 1) for a in (flows, npv, source)))


def _check_pv(name: str, got: Array, want: Array) -> None:
    """The parties' present values of a company stream add up to the company's (to
    :data:`~sim.model.RTOL`), and are finite."""
    got, want = np.broadcast_arrays(got, want)
    if _conserved(got, want) and np.isfinite(got).all():
        return
    s = int(np.argmax(~(np.abs(got - want) <= RTOL * np.maximum(1.0, np.abs(want)))))
    raise ConservationError(
        f"{name}: the parties' present values add up to {got[s]!r}, the joint company's is "
        f"{want[s]!r}, in scenario index {s}"
    )


def retained_at_source(batch: Batch, years: IntArray) -> Array:
    """``(S, P, Y)`` the tax each party's own level keeps with no agreement in the
    horizon's years ``years`` (indices, ascending): ``sim run``'s ``source_tax`` there,
    to the bit (each firm's output grown as the model grows it, times the share its
    party keeps, added up firm by firm in order). Only the years up to the last asked
    for are computed."""
    st = batch.structure
    n, n_p = batch.size, st.n_parties
    if not len(years) or not len(st.firm_ids):
        return np.zeros((n, n_p, len(years)))
    grown = _grown(batch.firms, st.years[: int(years[-1]) + 1])[years]  # (Y, F, S)
    taxes = (*(batch.firms[k] for k in FIRM_RATES), batch.local_share, batch.retained_share)
    same = all(_same_rows(a) for a in (*taxes, *batch.yearly.values()))
    kept = _rates(batch.take(0, 1) if same else batch)[:, 0]  # (S or 1, F[, T])
    kept = kept[:, :, years].transpose(2, 1, 0) if kept.ndim == 3 else kept.T[None]
    retained = grown * kept  # (Y, F, S)
    by_party = np.zeros((len(years), n_p, n))
    started = np.zeros(n_p, dtype=bool)
    for f, p in enumerate(st.firm_party):
        if started[p]:
            by_party[:, p] += retained[:, f]
        else:
            by_party[:, p] = retained[:, f]
            started[p] = True
    return by_party.transpose(2, 1, 0)  # laid out year first, as the model's streams
