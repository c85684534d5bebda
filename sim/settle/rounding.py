"""Rounding a statement to hundredths so that it adds up as printed: the one place
where amounts are rounded together (largest remainders first), used by the settlement
statements of one park (:mod:`sim.settle.render`) and of a portfolio
(:mod:`sim.portfolio.statement`).

Each amount is rounded down or up (never further), and the rounded parts of a total
add up to the rounded total: :func:`kept` for one list of parts, :func:`round_parts`
for a table whose columns are parts of given totals, :func:`round_table` for a table
whose rows and columns both add up to given totals.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["kept", "round_parts", "round_table"]

Array = NDArray[np.float64]


def kept(x: Array, total: float | None = None) -> Array:
    """Whole numbers, each ``x``'s rounded down or up, that add up to ``total`` (default:
    ``x``'s sum rounded): the largest remainders rounded up, ties in order.

    Examples
    --------
    >>> import numpy as np
    >>> kept(np.array([0.4, 0.4, 0.2])).tolist()
    [1.0, 0.0, 0.0]
    >>> kept(np.array([0.4, 0.4, 0.2]), total=2).tolist()
    [1.0, 1.0, 0.0]
    """
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    goal = round(float(x.sum())) if total is None else round(float(total))
    up = int(goal - low.sum())
    order = np.argsort(low - x, kind="stable")  # the largest remainder first
    if up >= 0:
        low[order[:up]] += 1
    else:  # a total below every part rounded down: the smallest remainders down
        low[order[::-1][:-up]] -= 1
    return low


def round_parts(exact: Array, cols: Array) -> Array:
    """Whole numbers, each ``exact``'s rounded down or up, whose columns add up to the
    whole numbers ``cols`` (each column's total, rounded) and whose rows add up to their
    own sums rounded (:func:`kept` to the same total).

    Examples
    --------
    >>> import numpy as np
    >>> round_parts(np.array([[0.4, -0.4], [0.4, -0.4]]), np.array([1.0, -1.0])).tolist()
    [[0.0, 0.0], [1.0, -1.0]]
    """
    exact = np.asarray(exact, dtype=float).reshape(-1, len(cols))
    if exact.size == 0:
        return exact.copy()
    rows = kept(exact.sum(axis=1), total=float(np.sum(cols)))
    return round_table(exact, rows, np.asarray(cols, dtype=float))


def round_table(exact: Array, rows: Array, cols: Array) -> Array:
    """Whole numbers, each ``exact``'s rounded down or up, whose rows add up to ``rows``
    and columns to ``cols`` (whole numbers within 1 of ``exact``'s sums, adding up to the
    same total): the largest remainders first, then one more along an alternating path
    where that left some (such a rounding always exists)."""
    got = np.floor(exact)
    need_r = rows - got.sum(axis=1)
    need_c = cols - got.sum(axis=0)
    if (need_r < 0).any() or (need_c < 0).any() or need_r.sum() != need_c.sum():
        return np.round(exact)  # sums that no rounding meets: each on its own
    for i, j in sorted(np.ndindex(*got.shape), key=lambda c: got[c] - exact[c]):
        if need_r[i] > 0 and need_c[j] > 0 and got[i, j] < np.ceil(exact[i, j]):
            got[i, j] += 1
            need_r[i] -= 1
            need_c[j] -= 1
    while need_r.sum() > 0:
        if not _augment(got, exact, need_r, need_c):
            return np.round(exact)  # pragma: no cover - a path always exists
    return got


def _augment(got: Array, exact: Array, need_r: Array, need_c: Array) -> bool:
    """Move one hundredth from a row that lacks it to a column that lacks it, along an
    alternating path (a cell rounded down taken up, a cell rounded up taken down)."""
    start = int(np.argmax(need_r > 0))
    back: dict[tuple[str, int], tuple[str, int] | None] = {("r", start): None}
    queue = [("r", start)]
    while queue:
        kind, k = queue.pop(0)
        if kind == "r":
            for j in range(got.shape[1]):
                if got[k, j] < np.ceil(exact[k, j]) and ("c", j) not in back:
                    back["c", j] = ("r", k)
                    if need_c[j] > 0:
                        node: tuple[str, int] | None = ("c", j)
                        while node is not None and back[node] is not None:
                            prev = back[node]
                            assert prev is not None
                            if node[0] == "c":
                                got[prev[1], node[1]] += 1
                            else:
                                got[node[1], prev[1]] -= 1
                            node = prev
                        need_r[start] -= 1
                        need_c[j] -= 1
                        return True
                    queue.append(("c", j))
        else:
            for i in range(got.shape[0]):
                if got[i, k] > np.floor(exact[i, k]) and ("r", i) not in back:
                    back["r", i] = ("c", k)
                    queue.append(("r", i))
    return False
