"""Bargaining solutions: over a transferable surplus, and for two parties over a convex set.

A transferable problem is a total ``T`` to divide and a disagreement point ``d`` (what
each party gets if there is no agreement): every efficient division ``Σ x = T`` is
feasible. A two-party problem is the convex hull of a set of utility pairs and ``d``.

References
----------
Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2): 155–162.
Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
*Econometrica* 43(3): 513–518.
Kalai, E. (1977). Proportional solutions to bargaining situations: interpersonal
utility comparisons. *Econometrica* 45(7): 1623–1630 (the egalitarian solution).
Roth, A. E. (1979). *Axiomatic Models of Bargaining*, Springer (the asymmetric Nash
solution with bargaining weights).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from sim.games.tu import Array, GameUndefinedError

__all__ = [
    "egalitarian",
    "kalai_smorodinsky",
    "kalai_smorodinsky_hull",
    "nash",
    "nash_hull",
]


def _surplus(total: float, disagreement: Array) -> float:
    surplus = total - float(disagreement.sum())
    if surplus < -1e-12 * max(1.0, abs(total)):
        raise GameUndefinedError(
            f"the disagreement payoffs sum to {disagreement.sum():g}, more than the total "
            f"{total:g}: no agreement leaves everyone as well off"
        )
    return max(surplus, 0.0)


def nash(
    total: float,
    disagreement: Sequence[float] | Array,
    weights: Sequence[float] | Array | None = None,
) -> Array:
    r"""The (asymmetric) Nash bargaining solution over a transferable surplus.

    Maximises :math:`\prod_i (x_i - d_i)^{w_i}` subject to :math:`\sum_i x_i = T`:
    :math:`x_i = d_i + \frac{w_i}{\sum_j w_j}(T - \sum_j d_j)`. Equal weights split the
    surplus equally.

    Examples
    --------
    >>> nash(100, [10, 30], weights=[1, 2]).tolist()
    [30.0, 70.0]
    """
    d = np.asarray(disagreement, dtype=float)
    w = np.ones_like(d) if weights is None else np.asarray(weights, dtype=float)
    if np.any(w <= 0):
        raise GameUndefinedError("bargaining weights must be positive")
    return np.asarray(d + w / w.sum() * _surplus(total, d))


def kalai_smorodinsky(
    total: float,
    disagreement: Sequence[float] | Array,
    limits: Sequence[float] | Array | None = None,
) -> Array:
    r"""The Kalai–Smorodinsky solution over a transferable surplus.

    Each party's ideal is the most it could get while the others get their
    disagreement payoff, :math:`a_i = \min(\text{limit}_i, T - \sum_{j \ne i} d_j)`;
    the solution is the efficient point on the segment from ``d`` to ``a``:
    :math:`x = d + \lambda (a - d)`. Without limits it splits the surplus equally.

    Examples
    --------
    >>> kalai_smorodinsky(100, [10, 30], limits=[25, 100]).tolist()
    [22.0, 78.0]
    """
    d = np.asarray(disagreement, dtype=float)
    surplus = _surplus(total, d)
    ideal = total - (d.sum() - d)
    if limits is not None:
        ideal = np.minimum(ideal, np.asarray(limits, dtype=float))
    gain = ideal - d
    if np.any(gain < -1e-12) or (surplus > 0 and gain.sum() <= 0):
        raise GameUndefinedError("a limit lies below the disagreement payoff")
    if surplus == 0:
        return d.copy()
    if gain.sum() < surplus - 1e-12 * max(1.0, abs(total)):
        raise GameUndefinedError("the limits add up to less than the total: no efficient point")
    return np.asarray(d + gain * (surplus / gain.sum()))


def egalitarian(total: float, disagreement: Sequence[float] | Array) -> Array:
    """Equal gains over the disagreement point: ``x_i = d_i + (T − Σ d) / n`` (Kalai 1977).

    Examples
    --------
    >>> egalitarian(100, [10, 30]).tolist()
    [40.0, 60.0]
    """
    d = np.asarray(disagreement, dtype=float)
    return np.asarray(d + _surplus(total, d) / len(d))


def _frontier(vertices: Array, d: Array) -> tuple[ConvexHull, Array]:
    pts = np.asarray(vertices, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 3:
        raise GameUndefinedError("a two-party feasible set needs at least 3 points (u_A, u_B)")
    try:
        hull = ConvexHull(pts)
    except QhullError:
        raise GameUndefinedError("the feasible points are collinear: no convex set") from None
    eq = hull.equations  # a·u + b ≤ 0 inside
    if np.any(eq[:, :2] @ d + eq[:, 2] > 1e-9):
        raise GameUndefinedError("the disagreement point lies outside the feasible set")
    return hull, pts


def nash_hull(
    vertices: Sequence[Sequence[float]] | Array, disagreement: Sequence[float] | Array
) -> Array:
    """The Nash solution of a two-party problem over the convex hull of ``vertices``.

    Maximises ``(u_A − d_A)(u_B − d_B)`` over the hull; the maximum lies on an edge of
    the hull, where the product is a quadratic in the edge's parameter, solved exactly.

    Examples
    --------
    Kalai & Smorodinsky's (1975) second set, the hull of (0,0), (0,1), (1,0.7), (1,0):
    the Nash solution gives player B 0.7.

    >>> nash_hull([[0, 0], [0, 1], [1, 0.7], [1, 0]], [0, 0]).round(9).tolist()
    [1.0, 0.7]
    """
    d = np.asarray(disagreement, dtype=float)
    hull, pts = _frontier(np.asarray(vertices, dtype=float), d)
    best, best_value = d.copy(), 0.0
    for i, j in hull.simplices:
        p, q = pts[i] - d, pts[j] - d
        r = q - p  # point(t) = p + t r, t in [0, 1]
        a = r[0] * r[1]
        b = p[0] * r[1] + p[1] * r[0]
        candidates = [0.0, 1.0]
        if a < 0:
            candidates.append(min(1.0, max(0.0, -b / (2 * a))))
        for t in candidates:
            u = p + t * r
            if u[0] >= -1e-12 and u[1] >= -1e-12 and u[0] * u[1] > best_value + 1e-15:
                best, best_value = u + d, u[0] * u[1]
    if best_value <= 0:
        raise GameUndefinedError("no feasible point is better than disagreement for both")
    return np.asarray(best)


def kalai_smorodinsky_hull(
    vertices: Sequence[Sequence[float]] | Array, disagreement: Sequence[float] | Array
) -> Array:
    """The Kalai–Smorodinsky solution of a two-party problem over a convex hull.

    The ideal point ``a`` holds each party's best payoff among feasible points that
    give the other at least its disagreement payoff; the solution is the furthest
    feasible point on the segment from ``d`` towards ``a``.

    Examples
    --------
    Kalai & Smorodinsky (1975): on the hull of (0,0), (0,1), (1,0.7), (1,0), player B
    gets 10/13 ≈ 0.769, more than the 0.75 it got on the smaller set with (0.75, 0.75).

    >>> kalai_smorodinsky_hull([[0, 0], [0, 1], [1, 0.7], [1, 0]], [0, 0]).round(6).tolist()
    [0.769231, 0.769231]
    """
    d = np.asarray(disagreement, dtype=float)
    hull, pts = _frontier(np.asarray(vertices, dtype=float), d)
    eq = hull.equations
    ideal = np.empty(2)
    for k in range(2):
        # max u_k subject to the hull and u_other ≥ d_other: the largest u_k on the
        # hull's boundary at or above d_other; scan the edges, clipped to u_other ≥ d_other
        best = -np.inf
        for i, j in hull.simplices:
            p, q = pts[i], pts[j]
            o = 1 - k
            for t in (0.0, 1.0):
                u = p + t * (q - p)
                if u[o] >= d[o] - 1e-12:
                    best = max(best, u[k])
            if (p[o] - d[o]) * (q[o] - d[o]) < 0:
                t = (d[o] - p[o]) / (q[o] - p[o])
                best = max(best, (p + t * (q - p))[k])
        ideal[k] = best
    direction = ideal - d
    if np.any(direction <= 0):
        raise GameUndefinedError("no feasible point is better than disagreement for both")
    # furthest λ with a·(d + λ dir) + b ≤ 0 for every facet
    slope = eq[:, :2] @ direction
    room = -(eq[:, :2] @ d + eq[:, 2])
    lam = np.min(room[slope > 1e-15] / slope[slope > 1e-15])
    return np.asarray(d + lam * direction)
