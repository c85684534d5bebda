"""Conservation: every stream in every year sums over the parties to what was collected,
to :data:`RTOL`; a failure names the stream, the scenario and the year.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.arrays import sum_axis1, within
from sim.errors import ConservationError
from sim.model.batch import Array, Batch
from sim.model.result import Result
from sim.model.sources import _Collected, _net_land, collect, paid_in_capital
from sim.model.streams import SETTLEMENTS

#: Relative tolerance of the conservation checks.
RTOL = 1e-9


def _conserved(got: Array, want: Array) -> bool:
    """Whether ``got`` equals ``want`` to :data:`RTOL` (1 at the least), everywhere."""
    want = np.broadcast_to(want, got.shape)
    return bool((np.abs(got - want) <= RTOL * np.maximum(np.abs(want), 1.0)).all())


def _check(name: str, got: Array, want: Array, offset: int = 0) -> None:
    """Raise unless ``got`` equals ``want`` ``(S, T)`` to :data:`RTOL` (1 at the least).

    NaN or infinite values fail the check (a comparison with NaN is never true, so the
    test is written as "not within tolerance").
    """
    diff = got - want
    if within(diff, RTOL):  # the tolerance is RTOL at the least: nothing to look at
        return
    np.abs(diff, out=diff)
    tol = np.abs(want)
    np.maximum(tol, 1.0, out=tol)
    tol *= RTOL
    if not (diff <= tol).all():
        s, t = (int(i) for i in np.argwhere(~(diff <= tol))[0])
        got, want = np.broadcast_arrays(got, want)  # either may be one row for all
        raise ConservationError(
            f"{name} is not conserved: allocated {got[s, t]!r}, collected {want[s, t]!r} "
            f"in scenario {s + offset}, year index {t}"
        )


def _check_company(dividends: Array, investment: Array, batch: Batch, offset: int = 0) -> None:
    """The parties' dividends and capex sum to the joint company's payout and capex."""
    paid_in = paid_in_capital(batch.capex)
    _check(
        "dividends",
        sum_axis1(dividends),
        batch.payout_ratio[:, None] * batch.return_rate[:, None] * paid_in,
        offset,
    )
    _check("investment", -sum_axis1(investment), batch.capex, offset)


def _check_tax(
    tax: Array,
    source_tax: Array,
    elsewhere: Array,
    collected: Array,
    offset: int = 0,
    transfers: Array | None = None,
) -> None:
    """The parties' tax sums to their tax at source (transfers sum to zero), and with
    what went to the upper tiers and the centre (``elsewhere``, ``(S, T)``) to
    everything the firms paid (``collected``); ``transfers``: ``tax − source_tax``,
    when computed (their sum is looked at first, in one pass)."""
    tax_sum = sum_axis1(tax)
    if transfers is None or not within(sum_axis1(transfers), RTOL):
        _check("tax (transfers between parties)", tax_sum, sum_axis1(source_tax), offset)
    tax_sum += elsewhere
    _check("tax (parties + upper tiers + centre)", tax_sum, collected, offset)


def _check_statistics(
    statistics: Mapping[str, Array], batch: Batch, collected: _Collected, offset: int = 0
) -> None:
    """Each indicator's parts sum to its total."""
    totals = {
        "output": collected.output.sum(axis=1),
        "value_added": np.einsum("sft,sf->st", collected.output, batch.firms["value_added_ratio"]),
        "investment": np.asarray(batch.capex),
        "tax": collected.total_tax,
    }
    for name, parts in statistics.items():
        _check(f"statistics ({name})", sum_axis1(parts), np.asarray(totals[name]), offset)


def check_conservation(
    result: Result, batch: Batch, collected: _Collected | None = None, *, offset: int = 0
) -> None:
    """Check that every stream in every year sums over parties to what was collected.

    Tax: what parties keep + upper tiers + centre = everything the firms paid, and
    the parties' tax = their source-position tax in total (transfers sum to zero).
    Land: the parties' land income = net land income. Dividends and investment: the
    parties' sums = the joint company's payout and capex. A further clause stream
    (:data:`sim.model.streams.SETTLEMENTS`): what the parties get or bear = what they
    pay where it arises = what arose with the firms. Statistics: each
    indicator's parts sum to its total.
    """
    col = collected or collect(batch)
    elsewhere = sum_axis1(result.upper_tier) + result.central
    _check_tax(result.tax, result.source_tax, elsewhere, col.total_tax, offset)
    _check("land income", sum_axis1(result.land), _net_land(batch), offset)
    _check_company(result.dividends, result.investment, batch, offset)
    for name, parts in result.further.items():  # borne by the parties = paid where it arises
        total = np.asarray(SETTLEMENTS[name].by_firm(batch, col.retained).sum(axis=1))
        _check(name, sum_axis1(parts), total, offset)
        paid = sum_axis1(result.at_source(name))
        _check(f"{name} (where it arises)", paid, total, offset)
    if result.statistics is not None:
        _check_statistics(result.statistics, batch, col, offset)
