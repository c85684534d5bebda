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
dividends and capex (negative) ``(m, T)`` on the portfolio's years, and the index of the
park's last year among them (when the stake is sold)."""


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

    ``retained``: ``(m, P, C)`` each party's retained tax at source in the years the fund
    is paid in (:func:`paid_years`), where the contributions are divided by it.

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
    total = np.zeros(n_t)
    for y, amount in fund.contributions.items():
        total[years.index(y)] = amount
    at = paid_years(portfolio)
    contributions = _contributions(portfolio, retained, total[at], at, m)  # (m, P, C)
    invested = np.zeros((m, n_t))
    paid_out = np.zeros((m, n_t))
    for stake, dividends, investment, last in stakes:
        inv = -stake * investment
        invested += inv
        paid_out += stake * dividends
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
    # the payout shares change only in the years the fund is paid in: value each stretch
    starts = np.unique(np.concatenate([[0], at])).astype(np.intp)
    stretch = np.add.reduceat(paid_out * discount, starts, axis=1)  # (m, J)
    by = _return_shares(portfolio, contributions, at, starts, m)  # (m, P, J)
    distributed = stretch[:, None, :] * by
    for what, got, want in (
        ("fund contributions", contributions.sum(axis=1), np.broadcast_to(total[at], (m, len(at)))),
        ("fund payouts", distributed.sum(axis=1), stretch),
    ):
        if not np.all(np.abs(got - want) <= RTOL * np.maximum(1.0, np.abs(want))):
            raise ConservationError(f"{what} are not conserved in the portfolio sweep")
    paid_in = np.einsum("mpc,mc->mp", contributions, discount[:, at])
    return np.asarray(distributed.sum(axis=2) - paid_in)


def _contributions(
    portfolio: Portfolio, retained: Array | None, total: Array, at: NDArray[np.intp], m: int
) -> Array:
    """``(m, P, C)`` each year's contributions (``total`` ``(C,)``, in the years ``at``)
    divided between the parties."""
    fund = portfolio.fund
    assert fund is not None
    n_p = len(portfolio.parties)
    if fund.basis == "fixed":
        shares = np.array([(fund.contribution_shares or {})[p] for p in portfolio.party_ids])
        return np.broadcast_to(shares[None, :, None] * total, (m, n_p, len(total)))
    assert retained is not None
    sums = retained.sum(axis=1, keepdims=True)
    bad = (total > 0) & (sums[:, 0] <= 0)
    if bad.any():
        year = portfolio.years[int(at[int(np.argmax(bad.any(axis=0)))])]
        raise PortfolioError(
            portfolio.source, [Problem("fund.basis", Reason("no_retained", year=year))]
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        contributions = np.where(sums > 0, retained / np.where(sums > 0, sums, 1.0), 0.0)
    return np.asarray(contributions * total)


def _return_shares(
    portfolio: Portfolio,
    contributions: Array,
    at: NDArray[np.intp],
    starts: NDArray[np.intp],
    m: int,
) -> Array:
    """``(m, P, J)`` each party's share of what the fund pays out in each stretch of
    years beginning at ``starts``: fixed, or what it has paid in to date (equal shares
    before anything is paid in: nothing is paid out then either)."""
    fund = portfolio.fund
    assert fund is not None
    n_p = len(portfolio.parties)
    if fund.returns == "fixed":
        back = np.array([(fund.return_shares or {})[p] for p in portfolio.party_ids])
        return np.broadcast_to(back[None, :, None], (m, n_p, len(starts)))
    cum = np.cumsum(contributions, axis=2)  # (m, P, C) to date, in the years paid in
    last = np.searchsorted(at, starts, side="right") - 1  # the last year paid in, or -1
    to_date = np.zeros((m, n_p, len(starts)))
    to_date[:, :, last >= 0] = cum[:, :, last[last >= 0]]
    sums = to_date.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(sums > 0, to_date / np.where(sums > 0, sums, 1.0), 1.0 / n_p))
