"""The acceptable pool shares along one line of the simplex: what the page's slider reaches.

The pool-share slider of ``sim serve`` moves one party's share ``x`` and splits the rest
among the others in the proportions they started with, so it walks the line
``s(x) = x e_k + (1 − x) w`` (``w``: the others' shares, rescaled to sum to 1). With three
or more parties each party's least and greatest acceptable share
(:func:`sim.agreement.shares.acceptable_range`) are the projections of a polygon, and
the slider's line can cross that range outside the polygon. What the slider can
actually reach is the line's intersection with the core constraints: every party and
every coalition at least its value ``v(S)``.

Without floors, a cap or a review, NPV is affine in the shares
(:func:`sim.agreement.shares.share_map`), so the payoffs along the line are a segment
and its part in the core is one interval (:meth:`sim.games.tu.Game.core_segment`).
With them NPV is piecewise affine: the model is evaluated along the line on a grid and
each change of verdict is refined by bisection (a run of acceptable shares shorter than
the grid's step can be missed; the result then says it is not exact).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.agreement.shares import RTOL, Benefit, npv_with_shares, select, share_map
from sim.games.tu import Game, coalition_sums
from sim.model import Batch, Terms
from sim.rules.registry import Array

__all__ = ["GRID", "LineShares", "acceptable_on_line", "line_ends"]

GRID = 400
"""Steps of the grid along the line when NPV is piecewise affine (floors, cap, review)."""


@dataclass(frozen=True)
class LineShares:
    """The acceptable shares of party ``party`` along the slider's line, as intervals of
    its share ``x`` (empty: none on this line)."""

    party: int
    intervals: tuple[tuple[float, float], ...]
    exact: bool = True


def line_ends(shares: Array, k: int) -> tuple[Array, Array]:
    """The ends of the slider's line for party ``k``: ``x = 0`` (the others share the
    pool in the proportions of ``shares``, equally when they hold none) and ``x = 1``.

    Examples
    --------
    >>> [e.tolist() for e in line_ends(np.array([0.5, 0.3, 0.2]), 0)]
    [[0.0, 0.6, 0.4], [1.0, 0.0, 0.0]]
    """
    n = len(shares)
    others = np.asarray(shares, dtype=float).copy()
    others[k] = 0.0
    rest = others.sum()
    if rest > 0:
        start = others / rest
    else:
        start = np.full(n, 1.0 / (n - 1))
        start[k] = 0.0
    return start, np.eye(n)[k]


def acceptable_on_line(
    batch: Batch,
    terms: Terms,
    values: Array,
    k: int,
    shares: Array,
    index: int = 0,
    benefit: Benefit | None = None,
) -> LineShares:
    """The shares of party ``k`` along the slider's line through ``shares`` with which
    every party and coalition does at least as well as alone, for scenario ``index``.

    ``terms`` carry the placeholder pool rule ``fixed`` (as for
    :func:`sim.agreement.shares.acceptable_range`); ``values`` are the games ``(m, 2^n)``.
    """
    rows = np.array([index], dtype=np.intp)
    sub_batch, sub_terms = select(batch, terms, rows)
    sub_benefit = None if benefit is None else benefit.rows(rows)
    n = len(shares)
    game = Game(tuple(str(i) for i in range(n)), np.asarray(values[index], dtype=float))
    start, end = line_ends(np.asarray(shares, dtype=float), k)
    if not sub_terms.piecewise:
        smap = share_map(sub_batch, sub_terms)
        if sub_benefit is not None:
            smap = sub_benefit.follow(smap)
        segment = game.core_segment(smap.npv(start[None, :])[0], smap.npv(end[None, :])[0], RTOL)
        return LineShares(k, () if segment is None else (segment,))
    npv_at = npv_with_shares(sub_batch, sub_terms, sub_benefit)
    scale = max(1.0, float(np.abs(game.v).max()))

    def ok(x: Array) -> Array:  # Game.in_core at every x at once
        s = start[None, :] + x[:, None] * (end - start)[None, :]
        npv = npv_at(s, np.zeros(len(x), dtype=np.intp))
        excess = game.v[None, :] - coalition_sums(npv)
        efficient = np.abs(npv.sum(axis=1) - game.total) <= RTOL * scale
        return np.asarray(efficient & (excess.max(axis=1) <= RTOL * scale))

    grid = np.linspace(0.0, 1.0, GRID + 1)
    verdict = ok(grid)
    intervals = []
    i = 0
    while i <= GRID:
        if not verdict[i]:
            i += 1
            continue
        j = i
        while j < GRID and verdict[j + 1]:
            j += 1
        low = grid[0] if i == 0 else _edge(ok, grid[i - 1], grid[i])
        high = grid[GRID] if j == GRID else _edge(ok, grid[j + 1], grid[j])
        intervals.append((float(low), float(high)))
        i = j + 1
    return LineShares(k, tuple(intervals), exact=False)


def _edge(ok: Callable[[Array], Array], outside: float, inside: float) -> float:
    """The boundary between a rejected and an accepted share: four rounds of 64 points
    each between the last rejected and the first accepted (to 1/64⁴ of a grid step)."""
    for _ in range(4):
        points = np.linspace(outside, inside, 65)  # from the rejected end to the accepted
        first = int(np.argmax(ok(points)))  # the first accepted
        outside, inside = float(points[max(first - 1, 0)]), float(points[first])
    return inside
