"""Pool shares: the constant shares that deliver target NPVs, and the shares parties accept.

With constant pool shares ``s`` (``Σ s = 1``) and no floors, a party's NPV depends on
its own share only, and in the same way for every party: in the agreement's years its
tax is ``source_p + c (s_p P − pool_p)``, and land or dividends that follow the pool
likewise. So ``NPV_p(s) = base_p + K s_p``, with ``K`` the present value of everything
the shares divide (settled at the compliance rate where it applies): two corners of the
model give ``base`` and ``K`` exactly — in fact one evaluation does, since the model
also returns ``K`` (:func:`share_map`; :func:`corner_maps` evaluates all ``P`` corners
and is the check in the tests). The shares that deliver targets ``t``
are then ``s = (t − base) / K``; where they leave [0, 1], the nearest feasible shares
are the Euclidean projection of ``s`` onto the simplex. Floors, a cap on transfers and
a review clause make the map piecewise affine (a party below its floor is topped up
from the others; a capped year's transfers are scaled down; a review switches to other
shares from some year on), so the shares found on the map are checked on the model with
them and, where they miss, refined on the model itself:

- two parties: party 0's NPV is non-decreasing in its share (every year, more of
  the pool raises its tax, a floor only ever tops the other up to a fixed level, and a
  cap only flattens it), so the share that delivers a target, and the ends of the
  acceptable range, are found by bisection on ``[0, 1]`` to 1e-13. A review clause can
  break this (a higher share can delay a switch to shares better for the party): the
  bisection then finds *a* crossing, not necessarily every one;
- three or more: Newton's method on the simplex with the Jacobian of the current
  affine piece (finite differences, exact within a piece); where it stalls or the
  target is out of reach, the search for the nearest shares of
  :mod:`sim.agreement.nearest`, on every such scenario at once (SLSQP, one scenario at
  a time, only where that search does not settle).

A target is *reached* when the NPVs the model gives with the shares are within
:data:`RTOL` of the largest amount involved; otherwise the shares nearest to it are
used and the outcome says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sim.agreement.coalitions import members
from sim.agreement.nearest import NpvFunc, least_squares, nearest, project
from sim.agreement.terms import linear_part
from sim.model import Batch, Terms, evaluate_npv
from sim.rules.registry import Array

__all__ = [
    "RTOL",
    "AcceptableShares",
    "Benefit",
    "ShareMap",
    "acceptable_range",
    "corner_maps",
    "deliver",
    "npv_with_shares",
    "project",
    "share_map",
    "two_party_interval",
]

RTOL = 1e-9
"""Relative tolerance of a reached target and of an acceptable share."""


def select(batch: Batch, terms: Terms, rows: NDArray[np.intp]) -> tuple[Batch, Terms]:
    """The scenarios ``rows`` of a batch and its terms (terms of size 1 apply to all)."""
    sub = batch.map(lambda a: a[rows])
    return sub, terms if terms.size == 1 else terms.pick(rows)


def npv_with_shares(batch: Batch, terms: Terms, benefit: Benefit | None = None) -> NpvFunc:
    """The model's NPV per party with given pool shares, for given scenarios of ``batch``.

    ``terms`` must have the placeholder pool rule ``fixed``; the shares replace its
    parameter. With ``benefit``, the capex shares follow the pool shares.
    """

    def npv(shares: Array, rows: NDArray[np.intp]) -> Array:
        sub_batch, sub_terms = select(batch, terms, rows)
        if sub_terms.size == 1 and len(rows) > 1:
            sub_terms = sub_terms.repeat(len(rows))
        values = evaluate_npv(sub_batch, replace(sub_terms, params={"shares": shares}))[0]
        return values if benefit is None else benefit.rows(rows).adjust(values)

    return npv


@dataclass(frozen=True)
class ShareMap:
    """Each party's NPV as a function of constant pool shares: ``base + slope · s``."""

    base: Array
    """``(m, P)`` NPV with none of the pool."""
    slope: Array
    """``(m,)`` what the whole pool is worth to whoever gets it (present value)."""
    source: Array
    """``(m, P)`` NPV with no agreement at all."""

    def npv(self, shares: Array) -> Array:
        """``(m, P)`` NPV with ``shares`` ``(m, P)``."""
        return np.asarray(self.base + self.slope[:, None] * shares)

    def matrix(self) -> Array:
        """``(m, P, P)`` the map as a matrix ``M`` with ``NPV = M s`` (for ``Σ s = 1``)."""
        n = self.base.shape[1]
        return np.asarray(self.base[:, :, None] + self.slope[:, None, None] * np.eye(n))


@dataclass(frozen=True)
class Benefit:
    """The joint capex paid in proportion to each party's gain over standing alone.

    A party's gain is ``G = NPV − v`` and paying the share ``x`` of capex worth ``K_c``
    costs it ``K_c x``, so with ``a`` its gain had it paid nothing, ``x = G/ΣG`` has the
    one solution ``x = a / A`` with ``A = Σ a`` (:mod:`sim.agreement.resolve`). With the
    model evaluated at capex shares ``paid``, ``a = NPV + K_c · paid − v``; ``A`` is the
    surplus of cooperating plus ``K_c`` whatever the pool shares, so as the pool shares
    move, ``x`` follows them affinely, and NPV stays ``base + slope · s`` (:meth:`follow`).
    """

    capex: Array
    """``(m,)`` present value of the joint capex."""
    paid: Array
    """``(m, P)`` the capex shares the model is evaluated with."""
    standalone: Array
    """``(m, P)`` each party's value standing alone."""

    def rows(self, rows: NDArray[np.intp]) -> Benefit:
        """The same for scenarios ``rows``."""
        return Benefit(self.capex[rows], self.paid[rows], self.standalone[rows])

    def gains(self, npv: Array) -> Array:
        """``(m, P)`` each party's gain had it paid nothing, from NPVs at :attr:`paid`."""
        return np.asarray(npv + self.capex[:, None] * self.paid - self.standalone)

    def shares(self, npv: Array) -> Array:
        """``(m, P)`` the capex shares ``a / A``, from NPVs at :attr:`paid`."""
        a = self.gains(npv)
        total = a.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.where(total > 0, a / np.where(total > 0, total, 1.0), self.paid))

    def adjust(self, npv: Array) -> Array:
        """NPVs with the capex paid by :meth:`shares` instead of :attr:`paid`."""
        return np.asarray(npv - self.capex[:, None] * (self.shares(npv) - self.paid))

    def follow(self, smap: ShareMap) -> ShareMap:
        """The share map with the capex shares following the pool shares."""
        a0 = self.gains(smap.base)  # gains at no pool share
        total = a0.sum(axis=1) + smap.slope  # A: the same for every pool share
        safe = np.where(total > 0, total, 1.0)
        ratio = np.where(total > 0, self.capex / safe, 0.0)
        base = smap.base - self.capex[:, None] * (a0 / safe[:, None] - self.paid)
        base = np.where((total > 0)[:, None], base, smap.base)
        return ShareMap(np.asarray(base), np.asarray(smap.slope * (1.0 - ratio)), smap.source)


def share_map(batch: Batch, terms: Terms) -> ShareMap:
    """The map from constant pool shares to NPV under ``terms`` (floors left out).

    One evaluation of the model per scenario, at equal shares ``e``: it gives the NPVs
    there and the slope ``K`` (:attr:`sim.model.Values.divided`), and ``base = NPV(e)
    − K e``.
    """
    m, n = batch.size, batch.structure.n_parties
    equal = np.full((m, n), 1.0 / n)
    base_terms = linear_part(terms)
    per_row = base_terms if base_terms.size > 1 or m == 1 else base_terms.repeat(m)
    values = evaluate_npv(
        batch, replace(per_row, rule="fixed", params={"shares": equal}), divided=True
    )
    assert values.divided is not None  # a rule with shares
    base = values.npv - values.divided[:, None] * equal
    return ShareMap(np.asarray(base), values.divided, values.source)


def corner_maps(batch: Batch, terms: Terms) -> Array:
    """``(m, P, P)``: for each scenario, the map ``M`` with NPV per party = ``M @ s``.

    All ``P`` corners evaluated on the model (column ``j``: the whole pool to party
    ``j``), floors left out: the definition :func:`share_map` is tested against.
    """
    m, n = batch.size, batch.structure.n_parties
    base = linear_part(terms)
    per_row = base.repeat(n) if base.size > 1 else base
    corner_terms = replace(per_row, rule="fixed", params={"shares": np.tile(np.eye(n), (m, 1))})
    npv = evaluate_npv(batch.repeat(n), corner_terms)[0]
    return np.asarray(npv.reshape(m, n, n).transpose(0, 2, 1))


def _scale(smap: ShareMap, target: Array) -> Array:
    """``(m,)`` the largest amount in each scenario's problem (at least 1)."""
    largest = np.maximum(np.abs(smap.base).max(axis=1), np.abs(smap.slope))
    return np.asarray(np.maximum(1.0, np.maximum(largest, np.abs(target).max(axis=1))))


def _on_map(smap: ShareMap, target: Array) -> Array:
    """Shares delivering ``target`` on the map, or the nearest feasible ones.

    ``|NPV(s) − t| = K |s − s*|`` with ``s* = (t − base)/K``, so the nearest shares on
    the simplex are the projection of ``s*``; with nothing to divide (``K = 0``), any
    shares give the same NPVs: equal ones.
    """
    n = target.shape[1]
    moving = np.abs(smap.slope) > 1e-12 * _scale(smap, target)
    with np.errstate(invalid="ignore", divide="ignore"):
        wanted = (target - smap.base) / np.where(moving, smap.slope, 1.0)[:, None]
    return np.asarray(np.where(moving[:, None], project(wanted), 1.0 / n))


@dataclass(frozen=True)
class Delivery:
    """Shares found for target NPVs, the NPVs the model gives with them, and whether
    they reach the targets."""

    shares: Array
    npv: Array
    reached: NDArray[np.bool_]


def deliver(
    batch: Batch,
    terms: Terms,
    target: Array,
    smap: ShareMap | None = None,
    benefit: Benefit | None = None,
) -> Delivery:
    """The constant pool shares that deliver ``target`` ``(m, P)`` under ``terms``.

    ``terms`` carry the placeholder pool rule; ``smap`` is their :func:`share_map` if
    known; with ``benefit`` the capex shares follow the pool shares. Rows of ``target``
    that are NaN (an undefined rule) get equal shares and NaN NPVs.
    """
    smap = share_map(batch, terms) if smap is None else smap
    if benefit is not None:
        smap = benefit.follow(smap)
    n = target.shape[1]
    defined = np.asarray(np.isfinite(target).all(axis=1))
    goal = np.where(defined[:, None], target, smap.base + smap.slope[:, None] / n)
    shares = _on_map(smap, goal)
    npv = smap.npv(shares)
    if terms.piecewise:
        shares, npv = _with_floors(npv_with_shares(batch, terms, benefit), shares, goal)
    reached = np.asarray((np.abs(npv - goal).max(axis=1) <= RTOL * _scale(smap, goal)) & defined)
    npv = np.where(defined[:, None], npv, np.nan)
    return Delivery(shares, npv, reached)


def _with_floors(npv_at: NpvFunc, start: Array, target: Array) -> tuple[Array, Array]:
    """Refine shares found without floors on the model with them; NPVs at the result."""
    rows = np.arange(len(start))
    npv = npv_at(start, rows)
    scale = np.maximum(1.0, np.abs(target).max(axis=1))
    miss = np.flatnonzero(np.abs(npv - target).max(axis=1) > RTOL * 1e-3 * scale)
    if len(miss) == 0:
        return start, npv
    shares = start.copy()
    if start.shape[1] == 2:
        s0 = _bisect(
            lambda s, r: npv_at(np.column_stack([s, 1 - s]), r)[:, 0],
            target[miss, 0],
            miss,
            lowest=True,
            rtol=1e-14,
        )
        # out of reach (NaN): the nearest end, where party 0 gets all it can
        s0 = np.where(np.isnan(s0), 1.0, s0)
        shares[miss] = np.column_stack([s0, 1 - s0])
    else:
        shares[miss] = _newton(npv_at, start[miss], target[miss], miss)
        still = np.abs(npv_at(shares[miss], miss) - target[miss]).max(axis=1) > RTOL * scale[miss]
        # out of reach, or Newton stalled: search the simplex, every such row at once
        rows = miss[still]
        if len(rows):
            found, unsettled = nearest(npv_at, rows, target[rows], (start[rows], shares[rows]))
            for k in np.flatnonzero(unsettled):  # the last resort: one scenario at a time
                r = rows[k]
                found[k] = least_squares(npv_at, r, target[r], (start[r], found[k]))
            shares[rows] = found
    npv[miss] = npv_at(shares[miss], miss)
    return shares, npv


def _bisect(
    f: Callable[[Array, NDArray[np.intp]], Array],
    level: Array,
    rows: NDArray[np.intp],
    *,
    lowest: bool,
    rtol: float = RTOL,
) -> Array:
    """For a non-decreasing ``f`` on [0, 1]: the least ``s`` with ``f(s) ≥ level``
    (``lowest``) or the greatest with ``f(s) ≤ level``, comparisons to ``rtol`` of the
    level, to :data:`_WIDTH`; 0 or 1 where the whole range qualifies.

    NaN where the level lies beyond ``f``'s range on the wrong side: for ``lowest``,
    where even ``f(1) < level``; otherwise where even ``f(0) > level``.

    A bracket ``[lo, hi]`` (``lo`` short of the level, ``hi`` past it) narrowed by three
    probes a step, in one call of ``f``: the midpoint (the bracket at least halves, as in
    bisection) and both sides of the false-position point. ``f`` is piecewise affine in
    ``s`` here (the model's NPV in the pool shares), so once the bracket holds one
    piece the false-position point is the crossing and its two probes close the bracket:
    a few calls instead of bisection's 47 to reach :data:`_WIDTH`.
    """
    k = len(rows)
    tol = rtol * np.maximum(1.0, np.abs(level))
    goal = level - tol if lowest else level + tol
    lo, hi = np.zeros(k), np.ones(k)
    f_lo, f_hi = f(lo, rows), f(hi, rows)
    if lowest:
        done_at = np.where(f_lo >= goal, 0.0, np.where(f_hi < goal, np.nan, -1.0))
    else:
        done_at = np.where(f_hi <= goal, 1.0, np.where(f_lo > goal, np.nan, -1.0))
    active = np.flatnonzero(done_at == -1.0)
    for _ in range(60):
        active = active[hi[active] - lo[active] > _WIDTH]
        if len(active) == 0:
            break
        a_lo, a_hi, g = lo[active], hi[active], goal[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = a_lo + (g - f_lo[active]) * (a_hi - a_lo) / (f_hi[active] - f_lo[active])
        cross = np.where(np.isfinite(cross), cross, (a_lo + a_hi) / 2)
        probes = np.stack(  # (3, k): the midpoint, and just short of and past the crossing
            [
                (a_lo + a_hi) / 2,
                np.clip(cross - _WIDTH / 2, a_lo, a_hi),
                np.clip(cross + _WIDTH / 2, a_lo, a_hi),
            ]
        )
        values = f(probes.ravel(), np.tile(rows[active], 3)).reshape(3, -1)
        up = values >= g if lowest else values > g
        # f is non-decreasing: every probe short of the level lies below every one past it
        below = np.where(up, -np.inf, probes)
        above = np.where(up, probes, np.inf)
        i_lo, i_hi = below.argmax(axis=0), above.argmin(axis=0)
        cols = np.arange(len(active))
        new_lo, new_hi = below[i_lo, cols], above[i_hi, cols]
        move_lo, move_hi = new_lo > a_lo, new_hi < a_hi
        lo[active] = np.where(move_lo, new_lo, a_lo)
        f_lo[active] = np.where(move_lo, values[i_lo, cols], f_lo[active])
        hi[active] = np.where(move_hi, new_hi, a_hi)
        f_hi[active] = np.where(move_hi, values[i_hi, cols], f_hi[active])
    found = hi if lowest else lo
    return np.asarray(np.where(done_at == -1.0, found, done_at))


_WIDTH = 1e-14
"""Width of the bracket :func:`_bisect` narrows a share to (a share's own precision is
about 1e-16; the model's NPVs, about 1e-12 relative)."""


def _newton(npv_at: NpvFunc, start: Array, target: Array, rows: NDArray[np.intp]) -> Array:
    """Newton's method on the simplex for three or more parties (piecewise-affine NPV)."""
    s = start.copy()
    k, n = s.shape
    step = 1e-7
    scale = np.maximum(1.0, np.abs(target).max(axis=1))
    for _ in range(30):
        f = npv_at(s, rows)
        resid = (f - target)[:, :-1]  # the last party follows (total NPV is fixed)
        active = np.abs(resid).max(axis=1) > RTOL * 1e-3 * scale
        if not active.any():
            break
        jac = np.empty((k, n - 1, n - 1))
        for j in range(n - 1):
            direction = np.zeros(n)
            direction[j], direction[-1] = 1.0, -1.0
            sign = np.where(s[:, -1] >= step, 1.0, -1.0)[:, None]
            moved = npv_at(s + step * sign * direction, rows)
            jac[:, :, j] = ((moved - f)[:, :-1]) / (step * sign)
        try:
            delta = np.linalg.solve(jac, -resid[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            delta = (np.linalg.pinv(jac) @ -resid[:, :, None])[:, :, 0]
        full = np.concatenate([delta, -delta.sum(axis=1, keepdims=True)], axis=1)
        s = np.where(active[:, None], project(s + _bounded(full)), s)
    return s


def _bounded(step: Array) -> Array:
    """Newton steps ``(k, P)`` no longer than the simplex is wide (1 in each share), a
    step that is not finite none at all.

    Where the NPV hardly moves with the shares (floors far above the pool top every
    party up whatever its share), the Jacobian is rounding noise and the step it gives
    huge; projecting ``s`` plus such a step onto the simplex cancels catastrophically
    and leaves shares that do not sum to 1. A step of at most 1 in each share points
    the same way and reaches every point of the simplex; a row that stalls goes on to
    the search of :func:`sim.agreement.nearest.nearest`.

    Examples
    --------
    >>> _bounded(np.array([[4e17, -4e17, 0.0], [0.2, -0.1, -0.1], [np.nan, 0.0, 0.0]])).tolist()
    [[1.0, -1.0, 0.0], [0.2, -0.1, -0.1], [0.0, 0.0, 0.0]]
    """
    finite = np.isfinite(step).all(axis=1, keepdims=True)
    step = np.where(finite, step, 0.0)
    longest = np.abs(step).max(axis=1, keepdims=True)
    return np.asarray(step / np.maximum(longest, 1.0))


# --------------------------------------------------------------------------- acceptable


def two_party_interval(at0: Array, at1: Array, v: Array) -> tuple[Array, Array]:
    """Party 0's acceptable pool shares for two parties without floors, for many scenarios.

    ``at0`` and ``at1`` are party 0's NPV with none and with all of the pool (NPV is
    affine in between), ``v`` the games ``(m, 4)``. Party 0 needs ``NPV₀(s) ≥ v({0})``
    and party 1 ``v(N) − NPV₀(s) ≥ v({1})``. Returns the least and greatest share,
    NaN where no share in [0, 1] satisfies both.

    Emptiness is decided on the unclipped interval ``[a, b]`` — empty when ``a > b``, or
    when it lies wholly beyond [0, 1] (``a > 1``: party 0 would need more than the
    whole pool; ``b < 0``: party 1 would) — and only then are the ends clipped to
    [0, 1]. Clipping first turned an impossible demand into the point [1, 1] or [0, 0].
    The test allows each party :data:`RTOL` of the game's largest value (as the
    bisection with floors does): an end within it of 0 or 1 is clipped, and ends
    crossed by less than it meet at their midpoint. The ends reported are not widened.

    Examples
    --------
    Party 0 nets 2 with none of the pool and 12 with all of it; alone it would net 4
    and party 1 would net 1 of the total 15:

    >>> lo, hi = two_party_interval(np.array([2.0]), np.array([12.0]),
    ...                             np.array([[0.0, 4.0, 1.0, 15.0]]))
    >>> lo.round(6).tolist(), hi.round(6).tolist()
    ([0.2], [1.0])

    Alone party 0 would net 13, more than all of the pool gives it (12): no share.

    >>> two_party_interval(np.array([2.0]), np.array([12.0]), np.array([[0.0, 13.0, 1.0, 15.0]]))
    (array([nan]), array([nan]))
    """
    slope = at1 - at0
    tol = RTOL * np.maximum(1.0, np.abs(v).max(axis=1))
    need = v[:, 1] - at0  # slope · s ≥ need
    room = v[:, 3] - v[:, 2] - at0  # slope · s ≤ room
    flat = np.abs(slope) <= tol
    with np.errstate(invalid="ignore", divide="ignore"):
        ends = np.stack([need, room, need - tol, room + tol]) / slope
    up = slope > 0
    low, high, low_tol, high_tol = (
        np.where(flat, fill, np.where(up, ends[i], ends[j]))
        for i, j, fill in ((0, 1, 0.0), (1, 0, 1.0), (2, 3, 0.0), (3, 2, 1.0))
    )
    bad = np.where(
        flat,
        (need > tol) | (room < -tol),
        (low_tol > high_tol) | (low_tol > 1.0) | (high_tol < 0.0),
    )
    crossed = low > high  # by less than the tolerance: they meet halfway
    mid = (low + high) / 2
    low, high = np.where(crossed, mid, low), np.where(crossed, mid, high)
    low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


@dataclass(frozen=True)
class AcceptableShares:
    """The pool shares with which every coalition does at least as well as alone.

    For two parties, ``interval`` is the range of the first party's share; for any
    number, ``feasible`` says whether such shares exist and ``low``/``high`` are each
    party's least and greatest share among them. ``exact`` is false only for three or
    more parties with floors when the search on the model did not settle (the bounds
    are then those of the last linear piece examined).
    """

    parties: tuple[str, ...]
    feasible: bool
    low: Array
    high: Array
    exact: bool = True

    @property
    def interval(self) -> tuple[float, float] | None:
        """Party 0's least and greatest acceptable share, for two parties."""
        if not self.feasible or len(self.parties) != 2:
            return None
        return float(self.low[0]), float(self.high[0])


def acceptable_range(
    batch: Batch,
    terms: Terms,
    values: Array,
    parties: tuple[str, ...],
    index: int = 0,
    benefit: Benefit | None = None,
) -> AcceptableShares:
    """Shares with which every coalition gets at least its value, for scenario ``index``.

    On the agreement as it runs: ``terms`` (placeholder pool rule) with its scope,
    window, compliance, floors and every clause. Two parties: the interval of party 0's
    share (closed form without floors, bisection on the model with them). Three or
    more: linear programmes on the corner map, re-linearised on the model's affine
    piece while floors bind.
    """
    rows = np.array([index], dtype=np.intp)
    sub_batch, sub_terms = select(batch, terms, rows)
    sub_benefit = None if benefit is None else benefit.rows(rows)
    v = values[index : index + 1]
    n = len(parties)
    smap = share_map(sub_batch, sub_terms)
    if sub_benefit is not None:
        smap = sub_benefit.follow(smap)
    npv_at = npv_with_shares(sub_batch, sub_terms, sub_benefit)
    if n == 2:
        if sub_terms.piecewise:
            low, high = _interval_with_floors(npv_at, v)
        else:
            low, high = two_party_interval(smap.base[:, 0], smap.base[:, 0] + smap.slope, v)
        if np.isnan(low[0]):
            return AcceptableShares(parties, False, np.full(2, np.nan), np.full(2, np.nan))
        lo, hi = float(low[0]), float(high[0])
        return AcceptableShares(parties, True, np.array([lo, 1 - hi]), np.array([hi, 1 - lo]))
    floors = sub_terms.piecewise
    return _polytope(npv_at if floors else None, smap.matrix()[0], v[0], parties)


def _interval_with_floors(npv_at: NpvFunc, v: Array) -> tuple[Array, Array]:
    rows = np.arange(len(v))

    def party0(s: Array, r: NDArray[np.intp]) -> Array:
        return npv_at(np.column_stack([s, 1 - s]), r)[:, 0]

    low = _bisect(party0, v[:, 1], rows, lowest=True)
    high = _bisect(party0, v[:, 3] - v[:, 2], rows, lowest=False)
    bad = np.isnan(low) | np.isnan(high) | (low > high + 1e-12)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def _polytope(
    npv_at: NpvFunc | None, maps: Array, v: Array, parties: tuple[str, ...]
) -> AcceptableShares:
    """Least and greatest share of each party over the acceptable polytope (LPs);
    re-linearised on the model (``npv_at``) where floors make it piecewise."""
    n = len(parties)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    exact = True
    for i in range(n):
        for sign, out in ((1.0, low), (-1.0, high)):
            x, ok = _extreme(maps, v, i, sign, npv_at)
            if x is None:
                return AcceptableShares(parties, False, np.full(n, np.nan), np.full(n, np.nan))
            exact &= ok
            out[i] = min(1.0, max(0.0, float(x[i]))) + 0.0
    return AcceptableShares(parties, True, low, high, exact)


def _extreme(
    maps: Array, v: Array, i: int, sign: float, npv_at: NpvFunc | None
) -> tuple[Array | None, bool]:
    """The acceptable shares minimising ``sign · s_i``; re-linearised while floors bind."""
    from scipy.optimize import linprog

    n = maps.shape[0]
    coalitions = members(n)[1:-1].astype(float)  # proper non-empty coalitions
    tol = RTOL * max(1.0, float(np.abs(v).max()))
    affine_a, affine_b = maps, np.zeros(n)  # NPV = A s + b on the current piece
    c = np.zeros(n)
    c[i] = sign
    for _ in range(20):
        res = linprog(
            c,
            A_ub=-(coalitions @ affine_a),
            b_ub=-(v[1:-1] - coalitions @ affine_b) + tol,
            A_eq=np.ones((1, n)),
            b_eq=np.array([1.0]),
            bounds=[(0.0, 1.0)] * n,
            method="highs",
        )
        if res.status != 0:
            return None, True
        x = np.asarray(res.x)
        if npv_at is None:
            return x, True
        true = npv_at(x[None, :], np.array([0], dtype=np.intp))[0]
        if np.abs(true - (affine_a @ x + affine_b)).max() <= tol:
            return x, True
        affine_a, affine_b = _piece(npv_at, x, true)
    return x, False


def _piece(npv_at: NpvFunc, x: Array, at_x: Array) -> tuple[Array, Array]:
    """The affine map ``A s + b`` of the model's piece at ``x`` (finite differences)."""
    n = len(x)
    step = 1e-7
    a = np.empty((n, n))
    row = np.array([0], dtype=np.intp)
    for j in range(n):
        direction = -x.copy()
        direction[j] += 1.0  # towards corner j: stays on the simplex
        moved = npv_at((x + step * direction)[None, :], row)[0]
        a[:, j] = (moved - at_x) / step  # derivative along e_j − x
    # on the simplex s − x = Σ_j s_j (e_j − x), so NPV(s) = NPV(x) + a s on this piece
    return a, at_x
