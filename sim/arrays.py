"""Generic array helpers: sums over a short axis, tolerance tests, broadcast rows.

Nothing here knows about parties, rules or scenarios beyond an axis's meaning: the
rule registry (:mod:`sim.rules.registry`) and the model (:mod:`sim.model`) both build
on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Array",
    "distinct",
    "group_by_party",
    "product_by_year",
    "sum_axis1",
    "sum_before",
    "within",
]

Array = NDArray[np.float64]


def sum_axis1(a: Array, index: Sequence[int] | NDArray[np.intp] | None = None) -> Array:
    """Sum a 3-d array over axis 1 (only the positions ``index``, in order), faster than
    ``a.sum(axis=1)`` when that axis is short.

    The sum runs left to right, so leaving out positions that hold zeros changes no bit.
    """
    index = range(a.shape[1]) if index is None else index
    if len(index) == 0:
        return np.zeros((a.shape[0], *a.shape[2:]))
    if len(index) == 1:
        return np.array(a[:, index[0]], copy=True)
    out = np.add(a[:, index[0]], a[:, index[1]])  # then in place
    for i in index[2:]:
        out += a[:, i]
    return out


def sum_before(a: Array) -> Array:
    """``(S, T)``: each row's sum of the elements before each position, added in order.

    Not the running sum less the element itself: that subtraction loses what came before
    when the element dwarfs it (a tiny deficit before a year of large gains reads as 0).

    Examples
    --------
    >>> x = np.array([[1e-170, 1.0]])
    >>> sum_before(x).tolist(), (np.cumsum(x, axis=1) - x).tolist()
    ([[0.0, 1e-170]], [[0.0, 0.0]])
    """
    out = np.zeros_like(a)
    np.cumsum(a[:, :-1], axis=1, out=out[:, 1:])
    return out


def within(diff: Array, atol: float) -> bool:
    """Whether every element of ``diff`` is within ``±atol`` (not so if any is NaN): two
    reductions, enough for a check whose tolerance is never below ``atol``."""
    return bool(diff.size == 0 or (diff.max() <= atol and diff.min() >= -atol))


def distinct(a: Array) -> Array:
    """``a`` with each broadcast axis (stride 0) cut to one element: every value ``a``
    holds, once, for checks that need not look at copies of the same row.

    Examples
    --------
    >>> import numpy as np
    >>> distinct(np.broadcast_to(np.array([[0.6], [0.4]]), (1000, 2, 20))).shape
    (1, 2, 1)
    """
    return a[tuple(slice(0, 1) if s == 0 else slice(None) for s in a.strides)]


def group_by_party(values: Array, index: NDArray[np.intp], n_parties: int) -> Array:
    """Sum ``(S, F, T)`` values into ``(S, P, T)`` by the party index of axis 1."""
    order = _order(values)
    if order == "F" and np.bincount(index, minlength=n_parties).max(initial=0) <= 2:
        # one product a year (the fastest measured): a sum of two is the same in any
        # order, and the other terms are exact zeros
        onehot = np.zeros((n_parties, len(index)))
        onehot[index, np.arange(len(index))] = 1.0
        return product_by_year(onehot, values)
    # firm by firm, in order: the same bits whatever the batch's size or layout (BLAS
    # adds three or more in an order that depends on the number of scenarios)
    out = np.empty((values.shape[0], n_parties, *values.shape[2:]), order=order)
    started = np.zeros(n_parties, dtype=bool)
    for f, p in enumerate(index):
        if started[p]:
            out[:, p] += values[:, f]
        else:
            out[:, p] = values[:, f]
            started[p] = True
    out[:, ~started] = 0.0
    return out


def _order(values: Array) -> Literal["C", "F"]:
    """``"F"`` for an array laid out year first, scenarios innermost, else ``"C"``."""
    return "F" if values.ndim == 3 and values.transpose(2, 1, 0).flags.c_contiguous else "C"


def product_by_year(m: Array, values: Array) -> Array:
    """``(S, K, T)`` ``m`` ``(K, F)`` times each scenario's ``(F, T)`` of ``values``
    ``(S, F, T)``. When ``values`` is laid out year first, scenarios innermost (as the
    model's streams are: :func:`sim.model.sources.firm_output`), one product a year over
    all scenarios at once, and so laid out too; else one product a scenario. BLAS adds
    in an order that depends on the number of scenarios: for the checks' totals, not for
    streams (:func:`group_by_party` adds firm by firm).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.arange(12.0).reshape(2, 3, 2)
    >>> m = np.array([[1.0, 0.0, 1.0]])
    >>> bool((product_by_year(m, v) == product_by_year(m, np.asfortranarray(v))).all())
    True
    """
    if _order(values) == "F":
        return np.asarray(m @ values.transpose(2, 1, 0)).transpose(2, 1, 0)
    return np.asarray(m @ values)
