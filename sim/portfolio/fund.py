"""The joint fund's money, year by year: what each party pays in, what the fund
invests in the parks' joint companies and pays in fees, what it holds, and what it
pays back out (dividends, the stakes' exit value and, in the last year, its balance).

Contributions in a year pay for that year's investments and fee; what is left is the
fund's balance. In every year, what has been paid in equals what has been invested,
charged in fees and paid back, plus the balance (checked here, to
:data:`sim.model.RTOL`). A fund that must invest more than has been paid in is an
error in the file (exit 2), not a loan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.errors import ConservationError, Problem
from sim.i18n import Reason
from sim.model import RTOL
from sim.portfolio.load import PortfolioError
from sim.portfolio.parks import ParkRun
from sim.portfolio.types import Portfolio

__all__ = ["FundFlows", "fund_flows"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class FundFlows:
    """The fund's flows on the portfolio's years ``(T,)``, parks ``(K, T)`` and
    parties ``(P, T)``; positive amounts, the party's net is what it gets less what it
    pays in."""

    contributions: Array
    """``(P, T)`` what each party pays in."""
    invested: Array
    """``(K, T)`` the fund's part of each park's joint capex."""
    dividends: Array
    """``(K, T)`` the fund's part of each park's joint company dividends."""
    exit: Array
    """``(K, T)`` each stake sold in its park's last year."""
    fee: Array
    """``(T,)`` the management fee."""
    returned: Array
    """``(T,)`` the balance paid back in the last year."""
    balance: Array
    """``(T,)`` what the fund holds at the end of each year (after what it paid back)."""
    distributed: Array
    """``(P, T)`` what each party gets: dividends, exit value and balance returned."""

    @property
    def net(self) -> Array:
        """``(P, T)`` each party's net from the fund."""
        return np.asarray(self.distributed - self.contributions)


def fund_flows(portfolio: Portfolio, runs: Sequence[ParkRun]) -> FundFlows | None:
    """The fund's flows (``None`` without a fund).

    Raises
    ------
    PortfolioError
        If the fund must pay out more than has been paid in by some year (its
        contributions do not cover its investments and fee), or it is to be divided by
        retained tax in a year nobody retains any.
    """
    fund = portfolio.fund
    if fund is None:
        return None
    years = list(portfolio.years)
    n_p, n_t = len(portfolio.parties), len(years)
    total = np.zeros(n_t)
    for y, amount in fund.contributions.items():
        total[years.index(y)] = amount
    contributions = _divided(portfolio, runs, total, years)
    invested = np.zeros((len(runs), n_t))
    dividends = np.zeros((len(runs), n_t))
    exit_ = np.zeros((len(runs), n_t))
    for k, run in enumerate(runs):
        company = run.company
        span = slice(run.offset, run.offset + len(company["investment"]))
        invested[k, span] = -run.stake * company["investment"]
        dividends[k, span] = run.stake * company["dividends"]
        last = run.offset + len(company["investment"]) - 1
        exit_[k, last] = fund.exit_multiple * invested[k].sum()
    paid = np.cumsum(total)
    fee = fund.fee * paid
    spent = np.cumsum(invested.sum(axis=0) + fee)
    short = paid - spent < -RTOL * np.maximum(1.0, paid)
    if short.any():
        t = int(np.argmax(short))
        reason = Reason("fund_short", year=years[t], paid=f"{paid[t]:.6g}", spent=f"{spent[t]:.6g}")
        raise PortfolioError(portfolio.source, [Problem("fund.contributions", reason)])
    returned = np.zeros(n_t)
    returned[-1] = paid[-1] - spent[-1]
    balance = paid - spent - np.cumsum(returned)
    out = dividends.sum(axis=0) + exit_.sum(axis=0) + returned
    distributed = out[None, :] * _return_shares(portfolio, contributions, n_p, n_t)
    flows = FundFlows(
        contributions, invested, dividends, exit_, fee, returned, balance, distributed
    )
    _check(flows, total, out)
    return flows


def _divided(
    portfolio: Portfolio, runs: Sequence[ParkRun], total: Array, years: list[int]
) -> Array:
    """``(P, T)`` the year's contributions divided between the parties."""
    fund = portfolio.fund
    assert fund is not None
    n_p = len(portfolio.parties)
    if fund.basis == "fixed":
        shares = np.array([(fund.contribution_shares or {})[p] for p in portfolio.party_ids])
        return np.asarray(shares[:, None] * total[None, :])
    # by each party's own retained tax that year, across the parks (its source position)
    retained = sum(
        (r.stream("tax", n_p, len(years), source=True) for r in runs), np.zeros((n_p, len(years)))
    )
    sums = retained.sum(axis=0)
    bad = (total > 0) & (sums <= 0)
    if bad.any():
        year = years[int(np.argmax(bad))]
        raise PortfolioError(
            portfolio.source, [Problem("fund.basis", Reason("no_retained", year=year))]
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(sums > 0, retained / np.where(sums > 0, sums, 1.0), 0.0)
    return np.asarray(shares * total[None, :])


def _return_shares(portfolio: Portfolio, contributions: Array, n_p: int, n_t: int) -> Array:
    """``(P, T)`` each party's share of what the fund pays out each year."""
    fund = portfolio.fund
    assert fund is not None
    if fund.returns == "fixed":
        shares = np.array([(fund.return_shares or {})[p] for p in portfolio.party_ids])
        return np.asarray(np.broadcast_to(shares[:, None], (n_p, n_t)))
    paid = np.cumsum(contributions, axis=1)
    sums = paid.sum(axis=0)
    equal = np.full((n_p, n_t), 1.0 / n_p)  # nothing paid in yet: nothing to pay out either
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(sums > 0, paid / np.where(sums > 0, sums, 1.0), equal))


def _check(flows: FundFlows, total: Array, out: Array) -> None:
    """Contributions divided add up to the year's; payouts divided to what the fund paid
    out; paid in to date = invested + fees + paid back + balance, every year."""
    cumulative = np.cumsum(flows.invested.sum(axis=0) + flows.fee + flows.returned) + flows.balance
    for name, got, want in (
        ("fund contributions", flows.contributions.sum(axis=0), total),
        ("fund payouts", flows.distributed.sum(axis=0), out),
        ("fund balance", cumulative, np.cumsum(total)),
    ):
        if not np.all(np.abs(got - want) <= RTOL * np.maximum(1.0, np.abs(want))):
            t = int(np.argmax(np.abs(got - want)))
            raise ConservationError(
                f"{name} is not conserved: {got[t]!r} against {want[t]!r} in year index {t}"
            )
