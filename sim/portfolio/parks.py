"""Each park of a portfolio run exactly as ``sim run`` runs it alone, and its streams
laid on the portfolio's parties and years.

A park's numbers inside the portfolio are ``sim run``'s on the park alone, with one
exception: where the fund holds a stake in the park's joint company, the fund pays
that part of the company's capex and takes that part of its dividends, so the park's
parties pay and get ``1 − stake`` of what ``sim run`` gives them (dividends and
investment, at source and under the agreement alike). Tax and land are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.agreement import Outcome, coalition_values, outcome_result, resolve
from sim.model import Batch, Result, batch_from_scenario
from sim.portfolio.types import Park, Portfolio

__all__ = ["COMPANY", "ParkRun", "run_park", "run_parks"]

Array = NDArray[np.float64]

COMPANY: tuple[str, ...] = ("dividends", "investment")
"""The streams of a park's joint company, which a fund's stake scales."""


@dataclass(frozen=True)
class ParkRun:
    """One park, run alone, and where it sits in the portfolio."""

    park: Park
    batch: Batch
    outcome: Outcome
    result: Result
    """``sim run``'s result on the park alone (scenario 0)."""
    stake: float
    """The fund's stake in the park's joint company."""
    offset: int
    """The index of the park's first year among the portfolio's years."""
    owner: tuple[int, ...]
    """Each of the park's parties → the index of its portfolio party."""
    values: Array
    """``(2^n,)`` the park's coalition values (its own parties, its own first year)."""

    @property
    def company(self) -> dict[str, Array]:
        """``(T_park,)`` the joint company's dividends paid and capex (negative)."""
        return {name: np.asarray(getattr(self.result, name)[0].sum(axis=0)) for name in COMPANY}

    def stream(self, name: str, n_parties: int, n_years: int, *, source: bool = False) -> Array:
        """``(P, T)`` one of :data:`~sim.model.STREAMS` on the portfolio's parties and
        years (its source position with ``source``), the fund's stake taken off the
        company's streams."""
        park = result_stream(self.result, name, source=source)[0]
        if name in COMPANY:
            park = park * (1.0 - self.stake)
        out = np.zeros((n_parties, n_years))
        t = slice(self.offset, self.offset + park.shape[1])
        for i, q in enumerate(self.owner):
            out[q, t] += park[i]
        return out

    def mask(self, coalition: int) -> int:
        """The park's coalition of the parties whose portfolio party is in ``coalition``."""
        return sum(1 << i for i, q in enumerate(self.owner) if coalition >> q & 1)


def result_stream(r: Result, name: str, *, source: bool = False) -> Array:
    """``(S, P, T)`` stream ``name`` of a park's result, or where it stays with no
    agreement (``source``); a clause stream that arises with the firms (incentives) is
    zero where the park has none."""
    if hasattr(r, name):  # tax and the clause streams every result has
        value = getattr(r, f"source_{name}" if source else name)
    else:
        value = r.source_further.get(name) if source else None
    return np.asarray(r.stream(name) if value is None else value)


def run_park(park: Park, portfolio: Portfolio) -> ParkRun:
    """Run ``park`` as ``sim run`` does and place it in ``portfolio``."""
    scenario = park.scenario
    batch = batch_from_scenario(scenario)
    outcome = resolve(scenario, batch=batch)
    outcome.require_defined(scenario)
    result = outcome_result(batch, outcome)
    pids = portfolio.party_ids
    owner = tuple(pids.index(park.parties[p]) for p in scenario.party_ids)
    return ParkRun(
        park=park,
        batch=batch,
        outcome=outcome,
        result=result,
        stake=portfolio.stake(park.id),
        offset=scenario.start_year - portfolio.years[0],
        owner=owner,
        values=np.asarray(coalition_values(scenario, batch)[0]),
    )


def run_parks(portfolio: Portfolio) -> tuple[ParkRun, ...]:
    """Every park of ``portfolio``, in the file's order."""
    return tuple(run_park(p, portfolio) for p in portfolio.parks)
