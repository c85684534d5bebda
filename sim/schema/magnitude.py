"""How large a scenario's numbers get: amounts and discount factors, checked in log space.

A scenario passes only if every amount it produces and every discount factor stays
below :data:`MAX_AMOUNT`, far below where float64 overflows, so that every output of
a scenario that passes is finite. The checks compare logarithms
(``log|value| ≤ log MAX_AMOUNT``) and never form the large number itself: a discount
rate of −0.999999 over 60 years gives a factor of 10^354, which no float holds, and
its check must not overflow either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import Problem
from sim.i18n import Reason

if TYPE_CHECKING:
    from sim.scenario_types import Scenario

__all__ = ["MAX_AMOUNT", "log_discount_factor", "magnitude_problems"]

MAX_AMOUNT = 1e12
"""Largest amount (in the file's unit) or discount factor a scenario may produce: far
beyond any park, far below where floating point overflows."""

_LOG_MAX = math.log(MAX_AMOUNT)
_LOG_FLOAT_MAX = math.log(np.finfo(np.float64).max)


def log_discount_factor(rate: float, years: int) -> float:
    """``ln (1 + rate)^-years``, the log of the largest discount factor over ``years``.

    Computed as ``-years · log1p(rate)``, which is exact near ``rate = 0`` and finite
    for every rate above −1, however large the factor itself.

    Examples
    --------
    >>> round(log_discount_factor(-0.999999, 59) / math.log(10), 1)  # 10^354
    354.0
    >>> log_discount_factor(0.05, 0)
    0.0
    """
    return -years * float(np.log1p(rate))


def magnitude_problems(
    scenario: Scenario, extremes: Mapping[str, float] | None = None
) -> list[Problem]:
    """Inputs whose combination would take an amount or a discount factor past
    :data:`MAX_AMOUNT` (and, a little further, past what floating point can hold).

    ``extremes`` (key path → value) replaces inputs: a sweep passes each swept input's
    most dangerous value (the largest growth, output, price…, the lowest discount rate).
    Every output of a scenario that passes is finite; no input makes this raise.
    """
    x = dict(extremes or {})
    out: list[Problem] = []
    span = scenario.n_years - 1
    rate = x.get("horizon.discount_rate", scenario.discount_rate)
    if rate < 0 and log_discount_factor(rate, span) > _LOG_MAX:
        log_factor = log_discount_factor(rate, span)
        beyond = Reason("float_max") if log_factor > _LOG_FLOAT_MAX else ""
        out.append(
            Problem(
                "horizon.discount_rate",
                Reason(
                    "big_discount",
                    rate=f"{rate:g}",
                    n=scenario.n_years,
                    power=_power_text(log_factor),
                    beyond=beyond,
                    most=f"{MAX_AMOUNT:g}",
                ),
            )
        )
    for f in scenario.firms:
        output = x.get(f"firms.{f.id}.output", f.output)
        growth = x.get(f"firms.{f.id}.growth", f.growth)
        years = max(0, scenario.end_year - int(x.get(f"firms.{f.id}.first_year", f.first_year)))
        log_peak = _log(output) + max(0.0, years * float(np.log1p(growth)))
        if not log_peak <= _LOG_MAX:
            out.append(
                Problem(
                    f"firms.{f.id}",
                    Reason(
                        "big_output",
                        output=f"{output:g}",
                        growth=f"{growth:.4g}",
                        years=years,
                        power=_power_text(log_peak),
                        most=f"{MAX_AMOUNT:g}",
                    ),
                )
            )
    for i, sale in enumerate(scenario.land_sales):
        area = x.get(f"land_sales.{i}.area_mu", sale.area_mu)
        price = x.get(f"land_sales.{i}.price", sale.price)
        log_income = _log(area) + _log(price)
        if not log_income <= _LOG_MAX:
            out.append(
                Problem(
                    f"land_sales.{i}",
                    Reason("big_land", power=_power_text(log_income), most=f"{MAX_AMOUNT:g}"),
                )
            )
    out += _amount_table(scenario.investment.capex, "investment.capex", x)
    out += _amount_table(scenario.sharing.floors, "sharing.floors", x)
    out += _amount_table(
        scenario.cooperation.standalone_capex or {}, "cooperation.standalone_capex", x
    )
    return out


def _amount_table(table: Mapping[int, float] | Mapping[str, float], path: str,
                  x: Mapping[str, float]) -> list[Problem]:  # fmt: skip
    return [
        Problem(
            f"{path}.{key}",
            Reason("big_amount", power=_power_text(_log(value)), most=f"{MAX_AMOUNT:g}"),
        )
        for key, value in ((k, x.get(f"{path}.{k}", v)) for k, v in table.items())
        if not _log(value) <= _LOG_MAX
    ]


def _log(value: float) -> float:
    """``ln |value|`` (``-inf`` for 0, ``inf`` for an infinite or NaN value)."""
    if not math.isfinite(value):
        return math.inf
    return math.log(abs(value)) if value else -math.inf


def _power_text(log_value: float) -> str:
    """``e^log_value`` in words, without forming it: ``1e+19``, or ``about 1e+354``.

    >>> _power_text(math.log(1e19)), _power_text(354 * math.log(10))
    ('1e+19', 'about 1e+354')
    """
    if not math.isfinite(log_value):
        return Reason("beyond_float")
    if log_value < _LOG_FLOAT_MAX:
        return f"{math.exp(log_value):.3g}"
    exponent = log_value / math.log(10)
    return Reason("about_power", n=f"{math.floor(exponent + 1e-9):d}")
