"""The standard normal distribution's CDF and its inverse, vectorised with numpy.

The sweep samples normal and lognormal inputs through the inverse CDF. scipy.special
has both (``ndtr``, ``ndtri``), but importing it costs a fifth of a second in every
process that samples (it loads scipy's array-API layer), as much as sampling a million
scenarios. This module restates the same algorithm — Moshier's Cephes ``ndtri``, the
one scipy.special uses — with the same coefficients and the same operations: it gives
scipy.special.ndtri's bits for all but about 1 in 20,000 quantiles, and within a few
ulps for those, where numpy's and the C library's logarithms differ (tested). ``ndtr``
is Cephes's formula on the C library's ``erf`` and ``erfc``, which are more accurate
than Cephes's own in the far lower tail (they part by 4e-15 of the value at −10).
It costs 28 ms per million quantiles against scipy's 14 ms (blocks of 8,192).

References
----------
S. L. Moshier, *Methods and Programs for Mathematical Functions*, Prentice-Hall, 1989;
Cephes Math Library Release 2.8 (2000), ``ndtri.c`` and ``ndtr.c``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["ndtr", "ndtri"]

Array = NDArray[np.float64]

_S2PI = 2.50662827463100050242e0  # √(2π)
_EXP_M2 = 0.13533528323661269189  # e^−2
# |y − 0.5| ≤ 3/8: x/√(2π) = w + w³ P0(w²)/Q0(w²)
_P0 = (
    -5.99633501014107895267e1,
    9.80010754185999661536e1,
    -5.66762857469070293439e1,
    1.39312609387279679503e1,
    -1.23916583867381258016e0,
)
_Q0 = (
    1.95448858338141759834e0,
    4.67627912898881538453e0,
    8.63602421390890590575e1,
    -2.25462687854119370527e2,
    2.00260212380060660359e2,
    -8.20372256168333339912e1,
    1.59056225126211695515e1,
    -1.18331621121330003142e0,
)
# z = √(−2 log y) between 2 and 8 (y between e^−2 and e^−32)
_P1 = (
    4.05544892305962419923e0,
    3.15251094599893866154e1,
    5.71628192246421288162e1,
    4.40805073893200834700e1,
    1.46849561928858024014e1,
    2.18663306850790267539e0,
    -1.40256079171354495875e-1,
    -3.50424626827848203418e-2,
    -8.57456785154685413611e-4,
)
_Q1 = (
    1.57799883256466749731e1,
    4.53907635128879210584e1,
    4.13172038254672030440e1,
    1.50425385692907503408e1,
    2.50464946208309415979e0,
    -1.42182922854787788574e-1,
    -3.80806407691578277194e-2,
    -9.33259480895457427372e-4,
)
# z from 8 (y below e^−32)
_P2 = (
    3.23774891776946035970e0,
    6.91522889068984211695e0,
    3.93881025292474443415e0,
    1.33303460815807542389e0,
    2.01485389549179081538e-1,
    1.23716634817820021358e-2,
    3.01581553508235416007e-4,
    2.65806974686737550832e-6,
    6.23974539184983293730e-9,
)
_Q2 = (
    6.02427039364742014255e0,
    3.67983563856160859403e0,
    1.37702099489081330271e0,
    2.16236993594496635890e-1,
    1.34204006088543189037e-2,
    3.28014464682127739104e-4,
    2.89247864745380683936e-6,
    6.79019408009981274425e-9,
)


def _polevl(x: Array, coef: tuple[float, ...]) -> Array:
    """Cephes ``polevl``: the polynomial with coefficients ``coef`` (highest first)."""
    ans = np.full_like(x, coef[0])
    for c in coef[1:]:
        ans *= x
        ans += c
    return ans


def _p1evl(x: Array, coef: tuple[float, ...]) -> Array:
    """Cephes ``p1evl``: as :func:`_polevl` with a leading coefficient of 1 left out."""
    ans = x + coef[0]
    for c in coef[1:]:
        ans *= x
        ans += c
    return ans


def ndtri(y: Array) -> Array:
    """The value ``x`` at which the standard normal CDF is ``y`` (``y`` in [0, 1]).

    Examples
    --------
    >>> ndtri(np.array([0.5, 0.975, 1e-300])).round(6).tolist()
    [0.0, 1.959964, -37.047096]
    """
    y0 = np.asarray(y, dtype=float)
    # the centre's formula everywhere (cheap), then the tails where they are
    w = y0 - 0.5
    w2 = w * w
    out = _polevl(w2, _P0)
    out *= w2
    out /= _p1evl(w2, _Q0)
    out *= w
    out += w
    out *= _S2PI
    tail = np.flatnonzero((y0 <= _EXP_M2) | (y0 > 1.0 - _EXP_M2) | np.isnan(y0))
    if len(tail):
        t0 = y0[tail]
        low = t0 <= _EXP_M2  # the lower tail; the upper one is 1 − y there
        t = np.where(low, t0, 1.0 - t0)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.sqrt(-2.0 * np.log(t))
            x0 = x - np.log(x) / x
            z = 1.0 / x
            x1 = np.where(
                x < 8.0,
                z * _polevl(z, _P1) / _p1evl(z, _Q1),
                z * _polevl(z, _P2) / _p1evl(z, _Q2),
            )
        x = x0 - x1
        x = np.where(t == 0.0, np.inf, x)  # y = 0 or 1
        x = np.where((t0 < 0.0) | (t0 > 1.0) | np.isnan(t0), np.nan, x)
        out[tail] = np.where(low, -x, x)
    return out


def ndtr(x: float) -> float:
    """The standard normal CDF at ``x`` (Cephes ``ndtr``, with the C library's erf).

    Examples
    --------
    >>> round(ndtr(1.959963984540054), 12)
    0.975
    """
    if math.isnan(x):
        return math.nan
    a = x * math.sqrt(0.5)
    z = abs(a)
    if z < math.sqrt(0.5):
        return 0.5 + 0.5 * math.erf(a)
    y = 0.5 * math.erfc(z)
    return 1.0 - y if a > 0 else y
