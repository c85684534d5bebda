"""The joint fund in a portfolio sweep: each party's NPV from the fund in every scenario,
as :func:`sim.portfolio.fund.fund_flows` works out the fund's money for one scenario,
from only what it depends on.

What the parties pay in is divided in the years the fund is paid in
(:func:`paid_years`), by fixed shares or by each party's retained tax at source those
years; what the fund pays out (its stakes' dividends and exit value, and its balance
in the last year) is divided by shares that change only in those years (fixed, or
what each party has paid in to date), so it is valued over the stretches of years
between them. Money is conserved, checked here on every block: contributions add up
to each year's, payouts divided to what the fund pays out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from sim.errors import ConservationError, Problem
from sim.i18n import Reason
from sim.model import RTOL
from sim.portfolio.load import PortfolioError
from sim.portfolio.types import Portfolio

__all__ = ["Stake", "fund_npv", "paid_years"]

Array = NDArray[np.float64]
Stake = tuple[float, Array, Array, int]
"""A stake of the fund in a park's joint company: the stake, the whole company's
dividends and capex (negative) ``(T, m)`` on the portfolio's years (year first), and the
index of the park's last year among them (when the stake is sold)."""


def paid_years(portfolio: Portfolio) -> NDArray[np.intp]:
    """The indices of the portfolio's years in which the fund is paid in (ascending)."""
    fund = portfolio.fund
    years = list(portfolio.years)
    if fund is None:
        return np.zeros(0, dtype=np.intp)
    return np.array(
        sorted(years.index(y) for y, amount in fund.contributions.items() if amount > 0),
        dtype=np.intp,
    )


def fund_npv(
    portfolio: Portfolio, stakes: Sequence[Stake], retained: Array | None, discount: Array
) -> Array:
    """``(m, P)`` each party's NPV from the fund in each scenario: what it gets back less
    what it pays in, discounted by ``discount`` ``(m, T)``.

    ``retained``: ``(P, C, m)`` each party's retained tax at source in the years the fund
    is paid in (:func:`paid_years`), where the contributions are divided by it. Arrays
    here are laid out with the scenarios innermost: every step runs along them.

    Raises
    ------
    PortfolioError
        If the fund must pay out more than has been paid in by some year, or is to be
        divided by retained tax in a year nobody retains any (as ``sim portfolio run``).
    ConservationError
        If the contributions or payouts divided do not add up (a bug).
    """
    fund = portfolio.fund
    assert fund is not None
    years = list(portfolio.years)
    n_t = len(years)
    m = discount.shape[0]
    d = np.ascontiguousarray(discount.T)  # (T, m)
    total = np.zeros(n_t)
    for y, amount in fund.contributions.items():
        total[years.index(y)] = amount
    at = paid_years(portfolio)
    contributions = _contributions(portfolio, retained, total[at], at, m)  # (P, C, m)
    paid = np.cumsum(total)
    spent = np.empty((n_t, m))  # invested and charged in fees to date
    spent[:] = (fund.fee * paid)[:, None]
    paid_out = np.zeros((n_t, m))
    for stake, dividends, investment, last in stakes:
        inv = -stake * investment
        spent += inv
        paid_out += stake * dividends
        paid_out[last] += fund.exit_multiple * inv.sum(axis=0)
    for year in range(1, n_t):  # year by year, each along the scenarios
        spent[year] += spent[year - 1]
    short = spent > (paid + RTOL * np.maximum(1.0, paid))[:, None]
    if short.any():
        t, s = np.unravel_index(int(np.argmax(short)), short.shape)
        reason = Reason(
            "fund_short", year=years[t], paid=f"{paid[t]:.6g}", spent=f"{spent[t, s]:.6g}"
        )
        raise PortfolioError(portfolio.source, [Problem("fund.contributions", reason)])
    paid_out[-1] += paid[-1] - spent[-1]
    # the payout shares change only in the years the fund is paid in: value each stretch
    starts = np.unique(np.concatenate([[0], at])).astype(np.intp)
    paid_out *= d
    stretch = np.add.reduceat(paid_out, starts, axis=0)  # (J, m)
    distributed = stretch * _return_shares(portfolio, contributions, at, starts)  # (P, J, m)
    _check("fund contributions", _total(contributions), total[at][:, None])
    _check("fund payouts", _total(distributed), stretch)
    npv = distributed.sum(axis=1)
    for c, t in enumerate(at):
        npv -= contributions[:, c] * d[t]
    return np.asarray(npv.T)


def _total(a: Array) -> Array:
    """``a`` ``(P, …)`` added up over the parties, in order."""
    out = np.array(a[0])
    for row in a[1:]:
        out += row
    return out


def _check(what: str, got: Array, want: Array) -> None:
    if not np.all(np.abs(got - want) <= RTOL * np.maximum(1.0, np.abs(want))):
        raise ConservationError(f"{what} are not conserved in the portfolio sweep")


def _contributions(
    portfolio: Portfolio, retained: Array | None, total: Array, at: NDArray[np.intp], m: int
) -> Array:
    """``(P, C, m)`` each year's contributions (``total`` ``(C,)``, in the years ``at``)
    divided between the parties."""
    fund = portfolio.fund
    assert fund is not None
    n_p = len(portfolio.parties)
    if fund.basis == "fixed":
        shares = np.array([(fund.contribution_shares or {})[p] for p in portfolio.party_ids])
        return np.broadcast_to(shares[:, None, None] * total[None, :, None], (n_p, len(total), m))
    assert retained is not None
    sums = _total(retained)  # (C, m)
    bad = (total[:, None] > 0) & (sums <= 0)
    if bad.any():
        year = portfolio.years[int(at[int(np.argmax(bad.any(axis=1)))])]
        raise PortfolioError(
            portfolio.source, [Problem("fund.basis", Reason("no_retained", year=year))]
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        contributions = np.where(sums > 0, retained / np.where(sums > 0, sums, 1.0), 0.0)
    return np.asarray(contributions * total[:, None])


def _return_shares(
    portfolio: Portfolio, contributions: Array, at: NDArray[np.intp], starts: NDArray[np.intp]
) -> Array:
    """``(P, J, m)`` each party's share of what the fund pays out in each stretch of
    years beginning at ``starts``: fixed, or what it has paid in to date (equal shares
    before anything is paid in: nothing is paid out then either)."""
    fund = portfolio.fund
    assert fund is not None
    n_p = len(portfolio.parties)
    if fund.returns == "fixed":
        back = np.array([(fund.return_shares or {})[p] for p in portfolio.party_ids])
        return np.asarray(back[:, None, None])
    cum = np.cumsum(contributions, axis=1)  # (P, C, m) to date, in the years paid in
    last = np.searchsorted(at, starts, side="right") - 1  # the last year paid in, or -1
    to_date = np.zeros((n_p, len(starts), contributions.shape[2]))
    to_date[:, last >= 0] = cum[:, last[last >= 0]]
    sums = _total(to_date)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(sums > 0, to_date / np.where(sums > 0, sums, 1.0), 1.0 / n_p))
