"""A portfolio's consolidated results: per party and year, every stream of every park
and the fund, by budget, with NPVs and gains over no agreement per park and overall.

Budgets (docs/portfolio.md): the **general budget** holds tax and firm incentives
(税收奖补, paid out of tax revenue); the **government-fund budget** holds
net land income; **state capital** holds the joint companies' dividends and capex and
the fund. Money is conserved across the portfolio, checked here to
:data:`sim.model.RTOL` on every park, stream and year: the portfolio's parties and the
fund together get exactly what ``sim run`` allocates on the park alone (its own
conservation checked by the model), and the fund's money adds up
(:func:`sim.portfolio.fund.fund_flows`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.errors import ConservationError
from sim.model import RTOL, STREAMS
from sim.portfolio.fund import FundFlows, fund_flows
from sim.portfolio.parks import COMPANY, ParkRun, result_stream, run_parks
from sim.portfolio.types import Portfolio

__all__ = ["BUDGETS", "Consolidated", "consolidate"]

Array = NDArray[np.float64]

BUDGETS: dict[str, tuple[str, ...]] = {
    "general_budget": ("tax", "incentives"),
    "fund_budget": ("land",),
    "state_capital": ("dividends", "investment", "fund"),
}
"""Which streams each budget holds (``fund``: the party's net from the joint fund)."""


@dataclass(frozen=True)
class Consolidated:
    """Every park's streams on the portfolio's parties and years, and the fund's."""

    portfolio: Portfolio
    runs: tuple[ParkRun, ...]
    streams: dict[str, Array]
    """Each of :data:`~sim.model.STREAMS` → ``(K, P, T)`` by park, party and year."""
    source: dict[str, Array]
    """The same with no agreement in any park (the fund's stakes taken off alike)."""
    fund: FundFlows | None

    @property
    def years(self) -> tuple[int, ...]:
        """The portfolio's years."""
        return tuple(self.portfolio.years)

    @property
    def discount(self) -> Array:
        """``(T,)`` 1 / (1 + r)^t from the portfolio's first year."""
        t = np.arange(len(self.years))
        return np.asarray((1.0 + self.portfolio.discount_rate) ** -t)

    @property
    def fund_net(self) -> Array:
        """``(P, T)`` each party's net from the fund (zero without one)."""
        n = (len(self.portfolio.parties), len(self.years))
        return self.fund.net if self.fund is not None else np.zeros(n)

    def by_stream(self) -> dict[str, Array]:
        """Each stream and ``fund`` → ``(P, T)`` summed over the parks."""
        out = {name: self.streams[name].sum(axis=0) for name in STREAMS}
        out["fund"] = self.fund_net
        return out

    def by_budget(self) -> dict[str, Array]:
        """Each of :data:`BUDGETS` → ``(P, T)`` over every park and the fund."""
        streams = self.by_stream()
        return {
            b: sum((streams[s] for s in names), np.zeros_like(streams["tax"]))
            for b, names in BUDGETS.items()
        }

    @property
    def net(self) -> Array:
        """``(P, T)`` each party's net over every park and the fund."""
        return np.asarray(sum(self.by_budget().values()))

    def park_net(self, *, source: bool = False) -> Array:
        """``(K, P, T)`` each park's net (its source position with ``source``)."""
        streams = self.source if source else self.streams
        return np.asarray(sum(streams[s] for s in STREAMS))

    def park_npv(self, *, source: bool = False) -> Array:
        """``(K, P)`` each park's NPV for each party, to the portfolio's first year."""
        return np.asarray(self.park_net(source=source) @ self.discount)

    @property
    def fund_npv(self) -> Array:
        """``(P,)`` each party's NPV from the fund."""
        return np.asarray(self.fund_net @ self.discount)

    @property
    def npv(self) -> Array:
        """``(P,)`` each party's NPV over every park and the fund."""
        return np.asarray(self.net @ self.discount)

    @property
    def given_up(self) -> Array:
        """``(P,)`` the NPV of the company flows the fund's stakes take from each party
        with no agreement (what the party's own stakes would have brought)."""
        n_p, n_t = len(self.portfolio.parties), len(self.years)
        total = np.zeros(n_p)
        for run in self.runs:
            if run.stake <= 0:
                continue
            whole = sum(_unscaled(run, name, n_p, n_t) for name in COMPANY)
            total += run.stake * (whole @ self.discount)
        return total

    @property
    def fund_gain(self) -> Array:
        """``(P,)`` the fund's NPV less what its stakes took (:attr:`given_up`)."""
        return np.asarray(self.fund_npv - self.given_up)

    @property
    def park_gain(self) -> Array:
        """``(K, P)`` each park's gain over no agreement."""
        return np.asarray(self.park_npv() - self.park_npv(source=True))

    @property
    def gain(self) -> Array:
        """``(P,)`` the gain over no agreement in any park and no fund: every park's
        gain and the fund's."""
        return np.asarray(self.park_gain.sum(axis=0) + self.fund_gain)


def _unscaled(run: ParkRun, name: str, n_p: int, n_t: int) -> Array:
    """A company stream at source as the park alone gives it, before the stake."""
    scaled = run.stream(name, n_p, n_t, source=True)
    return scaled / (1.0 - run.stake)


def consolidate(portfolio: Portfolio, runs: tuple[ParkRun, ...] | None = None) -> Consolidated:
    """Run every park as ``sim run`` does, lay it on the portfolio and add the fund.

    Raises
    ------
    PortfolioError
        If the fund runs short (:func:`~sim.portfolio.fund.fund_flows`).
    ConservationError
        If the parties and the fund do not get exactly what each park allocates (a bug).
    """
    runs = runs if runs is not None else run_parks(portfolio)
    n_p, n_t = len(portfolio.parties), len(portfolio.years)
    streams = {s: np.stack([r.stream(s, n_p, n_t) for r in runs]) for s in STREAMS}
    source = {s: np.stack([r.stream(s, n_p, n_t, source=True) for r in runs]) for s in STREAMS}
    fund = fund_flows(portfolio, runs)
    done = Consolidated(portfolio, runs, streams, source, fund)
    check_portfolio(done)
    return done


def check_portfolio(c: Consolidated) -> None:
    """Every park, stream and year: the portfolio's parties, with the fund's part of the
    joint company, get exactly what the park allocates to its own parties alone."""
    for k, run in enumerate(c.runs):
        r = run.result
        n = r.tax.shape[2]
        t = slice(run.offset, run.offset + n)
        fund: dict[str, Array | float] = {"dividends": 0.0, "investment": 0.0}
        if c.fund is not None:
            fund = {"dividends": c.fund.dividends[k, t], "investment": -c.fund.invested[k, t]}
        for name in STREAMS:
            for source in (False, True):
                want = result_stream(r, name, source=source)[0].sum(axis=0)
                streams = c.source if source else c.streams
                got = streams[name][k, :, t].sum(axis=0)
                outside = np.delete(streams[name][k], np.arange(t.start, t.stop), axis=1)
                if name in fund:
                    got = got + fund[name] * (run.stake > 0)
                tol = RTOL * np.maximum(1.0, np.abs(want))
                if not (np.abs(got - want) <= tol).all() or np.any(outside != 0):
                    year = int(np.argmax(np.abs(got - want)))
                    raise ConservationError(
                        f"{run.park.id}: {name}{' (source)' * source} is not conserved across the "
                        f"portfolio: allocated {got[year]!r}, the park allocates {want[year]!r} "
                        f"in its year index {year}"
                    )
