"""The pool shares nearest to target NPVs on the model, for many scenarios at once.

Where floors, a cap or a review clause make NPV only piecewise in the pool shares and
Newton's method (:mod:`sim.agreement.shares`) leaves a scenario's target unmet — out of
reach, or Newton stalled on a kink — the shares wanted are those on the simplex that
minimise ``L(s) = Σ_p ((NPV_p(s) − t_p) / scale)²``, ``scale = max(1, max_p |t_p|)``.
Floors make ``NPV`` piecewise affine, a cap piecewise rational (a capped year's
transfers are scaled to the cap), a review switches pieces from some year on: ``L`` has
kinks, and more than one local minimum (a cap can leave two, a few hundredths of a
share apart, on one edge of the simplex). :func:`nearest` searches every scenario at
once, each step one evaluation of the model on all of them:

1. *Gauss-Newton on the simplex* from the given starts: on the current piece ``NPV(y)
   ≈ NPV(s) + A y`` for ``y`` on the simplex (``A``'s columns the finite differences
   towards each corner, exact within a piece), the nearest ``y`` of that model is a
   least-squares problem on the simplex, solved exactly on each of its faces
   (:func:`simplex_lsq`); a line search on the segment from ``s`` to ``y`` takes the
   best of a few step lengths, so a kink stops it where the pieces meet;
2. *every edge of the simplex* (two parties share the pool; a corner is an end): a
   grid, then golden-section search around the two best local minima to 1e-10 — the
   nearest shares of a target out of reach mostly lie on an edge or at a corner, often
   at a kink, where step 1 only creeps;
3. Gauss-Newton again from the best point so far (it may lie inside the simplex);
4. a check: no move of ``1e-6`` from one party's share to another's lowers ``L``.
   Where one does (Gauss-Newton crept along a kink and the edges' search stopped at
   another local minimum: a few rows in a thousand with a cap), a compass search
   finishes the approach (:func:`_polish`) and the check is made again; rows that
   still fail it are reported, for the per-scenario search of :func:`least_squares`
   (SLSQP, the route of every such row before).

The best point found is kept, so a row is never further from its target than its
starts.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

NpvFunc = Callable[[Array, NDArray[np.intp]], Array]
"""``(shares (k, P), rows (k,)) -> NPV (k, P)``: the model at those shares, for those rows."""

MAX_FACES_PARTIES = 8
"""Most parties for which :func:`simplex_lsq` enumerates the simplex's ``2^P − 1`` faces."""

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_STEPS = 2.0 ** -np.arange(0, 12)  # the line search's step lengths
_FD = 1e-7  # finite-difference step towards a corner
_MOVE = 1e-6  # the check's move from one share to another
_SETTLED = 1e-13  # a loss lower by less than this is not lower (rounding)


def project(s: Array) -> Array:
    """Euclidean projection of each row onto the simplex (Duchi et al. 2008, fig. 1).

    Examples
    --------
    >>> project(np.array([[1.2, -0.2], [0.5, 0.5]])).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    n = s.shape[1]
    u = -np.sort(-s, axis=1)
    css = np.cumsum(u, axis=1) - 1.0
    k = np.arange(1, n + 1)
    rho = n - 1 - np.argmax(((u - css / k) > 0)[:, ::-1], axis=1)
    theta = css[np.arange(len(s)), rho] / (rho + 1)
    return np.asarray(np.maximum(s - theta[:, None], 0.0))


def loss(npv: Array, target: Array) -> Array:
    """``(k,)`` the scaled squared distance of NPVs ``(k, P)`` from ``target``."""
    scale = np.maximum(1.0, np.abs(target).max(axis=1))
    return np.asarray((((npv - target) / scale[:, None]) ** 2).sum(axis=1))


def simplex_lsq(a: Array, b: Array) -> Array:
    """``(k, P)``: for each row, ``y`` on the simplex minimising ``|a y + b|²`` (``a``
    ``(k, m, P)``, ``b`` ``(k, m)``), for at most :data:`MAX_FACES_PARTIES` parties.

    The minimum lies inside some face of the simplex (the parties with a share), where
    it is the least-squares solution on the face's plane ``Σ y = 1``; every face is
    solved (pseudo-inverse: the least-norm solution where the map is flat in some
    direction) and the best solution that is on the simplex kept.

    Examples
    --------
    The nearest point of the simplex to (0.8, 0.6) (``a`` the identity, ``b`` minus the
    point) is (0.6, 0.4):

    >>> simplex_lsq(np.eye(2)[None], np.array([[-0.8, -0.6]])).round(12).tolist()
    [[0.6, 0.4]]
    """
    k, _, n = a.shape
    best, best_value = np.full((k, n), 1.0 / n), np.full(k, np.inf)
    for size in range(1, n + 1):
        for face in combinations(range(n), size):
            first, rest = face[0], list(face[1:])
            y = np.zeros((k, n))
            y[:, first] = 1.0
            if rest:
                along = a[:, :, rest] - a[:, :, [first]]  # directions e_i − e_first
                c = a[:, :, first] + b
                z = -(np.linalg.pinv(along) @ c[:, :, None])[:, :, 0]
                y[:, rest] = z
                y[:, first] = 1.0 - z.sum(axis=1)
            ok = (y >= -1e-12).all(axis=1)
            y = np.maximum(y, 0.0)
            y /= y.sum(axis=1, keepdims=True)
            value = (((a @ y[:, :, None])[:, :, 0] + b) ** 2).sum(axis=1)
            better = ok & (value < best_value)
            best[better], best_value[better] = y[better], value[better]
    return best


def _towards_corners(npv_at: NpvFunc, s: Array, f: Array, rows: NDArray[np.intp]) -> Array:
    """``(k, P, P)`` the derivative of NPV along ``e_j − s`` (column ``j``), by finite
    differences: with ``y`` on the simplex, ``NPV(y) ≈ NPV(s) + A y`` on ``s``'s piece."""
    k, n = s.shape
    moved = np.repeat(s, n, axis=0) * (1.0 - _FD) + _FD * np.tile(np.eye(n), (k, 1))
    at = npv_at(moved, np.repeat(rows, n)).reshape(k, n, n)  # [row, corner, party]
    return np.asarray((at - f[:, None, :]).transpose(0, 2, 1) / _FD)


def _descend(
    npv_at: NpvFunc, s: Array, target: Array, rows: NDArray[np.intp], iterations: int = 30
) -> tuple[Array, Array]:
    """Gauss-Newton on the simplex with a line search; the shares and their losses."""
    s = s.copy()
    scale = np.maximum(1.0, np.abs(target).max(axis=1))
    f = npv_at(s, rows)
    value = loss(f, target)
    active = np.arange(len(s))
    for _ in range(iterations):
        if len(active) == 0:
            break
        r = rows[active]
        jac = _towards_corners(npv_at, s[active], f[active], r)
        lhs = jac / scale[active, None, None]
        rhs = (f[active] - target[active]) / scale[active, None]
        y = simplex_lsq(lhs, rhs)
        m, n = y.shape
        tries = s[active][:, None, :] + _STEPS[None, :, None] * (y - s[active])[:, None, :]
        at = npv_at(tries.reshape(-1, n), np.repeat(r, len(_STEPS))).reshape(m, len(_STEPS), n)
        values = loss(at.reshape(-1, n), np.repeat(target[active], len(_STEPS), axis=0))
        values = values.reshape(m, len(_STEPS))
        pick = np.argmin(values, axis=1)
        got = values[np.arange(m), pick]
        better = got < value[active] - _SETTLED * np.maximum(value[active], 1e-300)
        moved = active[better]
        s[moved] = tries[better, pick[better]]
        f[moved] = at[better, pick[better]]
        value[moved] = got[better]
        active = moved
    return s, value


def _golden(
    npv_at: NpvFunc, rows: NDArray[np.intp], target: Array, ends: tuple[Array, Array],
    lo: Array, hi: Array, iterations: int = 45,
) -> tuple[Array, Array]:  # fmt: skip
    """Golden-section search of ``x`` in ``[lo, hi]`` for ``x e_i + (1 − x) e_j``
    (``ends`` the corners ``(k, P)``); the best ``x`` seen and its loss."""

    def at(x: Array) -> Array:
        return loss(npv_at(x[:, None] * ends[0] + (1 - x[:, None]) * ends[1], rows), target)

    a, b = lo.copy(), hi.copy()
    c, d = b - _GOLDEN * (b - a), a + _GOLDEN * (b - a)
    fc, fd = at(c), at(d)
    for _ in range(iterations):
        left = fc <= fd  # a minimum in [a, d]: d becomes the far end, c the inner point
        a, b = np.where(left, a, c), np.where(left, d, b)
        new = np.where(left, b - _GOLDEN * (b - a), a + _GOLDEN * (b - a))
        fnew = at(new)
        c, d, fc, fd = (
            np.where(left, new, d),
            np.where(left, c, new),
            np.where(left, fnew, fd),
            np.where(left, fc, fnew),
        )
    return np.where(fc <= fd, c, d), np.minimum(fc, fd)


def _edges(
    npv_at: NpvFunc, target: Array, rows: NDArray[np.intp], grid: int = 16
) -> tuple[Array, Array]:
    """The best shares found on the simplex's edges (grid, then golden section around
    the two best local minima of the grid) and their losses."""
    k, n = target.shape
    pairs = list(combinations(range(n), 2))
    x = np.linspace(0.0, 1.0, grid + 1)
    eye = np.eye(n)
    points = np.stack([x[:, None] * eye[i] + (1 - x[:, None]) * eye[j] for i, j in pairs])
    npv = npv_at(np.tile(points.reshape(-1, n), (k, 1)), np.repeat(rows, points[..., 0].size))
    values = loss(npv, np.repeat(target, points[..., 0].size, axis=0))
    values = values.reshape(k, len(pairs), grid + 1)
    padded = np.pad(values, ((0, 0), (0, 0), (1, 1)), constant_values=np.inf)
    local = (values <= padded[:, :, :-2]) & (values <= padded[:, :, 2:])
    ranked = np.argsort(np.where(local, values, np.inf).reshape(k, -1), axis=1, kind="stable")
    choice = ranked[:, :2].T.ravel()  # both brackets of every row, in one search
    edge, g = np.divmod(choice, grid + 1)
    first = np.array([pairs[e][0] for e in edge])
    second = np.array([pairs[e][1] for e in edge])
    ends = (eye[first], eye[second])
    lo, hi = x[np.maximum(g - 1, 0)], x[np.minimum(g + 1, grid)]
    xs, found = _golden(npv_at, np.tile(rows, 2), np.tile(target, (2, 1)), ends, lo, hi)
    at_grid = values[np.tile(np.arange(k), 2), edge, g]
    xs = np.where(found <= at_grid, xs, x[g])
    found = np.minimum(found, at_grid).reshape(2, k)
    shares = (xs[:, None] * ends[0] + (1 - xs[:, None]) * ends[1]).reshape(2, k, n)
    pick = np.argmin(found, axis=0)  # the first where both are as near
    return shares[pick, np.arange(k)], found[pick, np.arange(k)]


def _moves(
    npv_at: NpvFunc, s: Array, step: Array, target: Array, rows: NDArray[np.intp]
) -> tuple[Array, Array]:
    """Every move of ``step`` (at most the share there is) from one party's share to
    another's ``(k, P(P − 1), P)`` and their losses ``(k, P(P − 1))``."""
    k, n = s.shape
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    moves = np.repeat(s[:, None, :], len(pairs), axis=1)
    for p, (i, j) in enumerate(pairs):
        moved = np.minimum(step, s[:, j])
        moves[:, p, i] += moved
        moves[:, p, j] -= moved
    at = npv_at(moves.reshape(-1, n), np.repeat(rows, len(pairs)))
    return moves, loss(at, np.repeat(target, len(pairs), axis=0)).reshape(k, len(pairs))


def _unsettled(
    npv_at: NpvFunc, s: Array, value: Array, target: Array, rows: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Rows where moving ``1e-6`` of one party's share to another lowers the loss."""
    _, values = _moves(npv_at, s, np.full(len(s), _MOVE), target, rows)
    return np.asarray((values < value[:, None] - _SETTLED).any(axis=1))


def _polish(
    npv_at: NpvFunc, s: Array, value: Array, target: Array, rows: NDArray[np.intp],
    iterations: int = 80,
) -> tuple[Array, Array]:  # fmt: skip
    """Compass search from ``s``: the best move of one party's share to another that
    lowers the loss, the move halved where none does, down to 1e-11. Where Gauss-Newton
    crept along a kink and the edges' search stopped at another local minimum, it
    finishes the approach (a few rows in a thousand)."""
    s, value = s.copy(), value.copy()
    step = np.full(len(s), 1e-3)
    active = np.arange(len(s))
    for _ in range(iterations):
        active = active[step[active] >= 1e-11]
        if len(active) == 0:
            break
        moves, values = _moves(npv_at, s[active], step[active], target[active], rows[active])
        pick = np.argmin(values, axis=1)
        got = values[np.arange(len(active)), pick]
        better = got < value[active] - _SETTLED * 1e-3
        moved = active[better]
        s[moved], value[moved] = moves[better, pick[better]], got[better]
        step[active[~better]] /= 2.0
    return s, value


def _in_pieces(npv_at: NpvFunc, most: int) -> NpvFunc:
    """``npv_at`` evaluated at most ``most`` scenarios at a time: the searches evaluate
    every row at many shares at once (51 points of the edges for three parties), and the
    model's inputs for that many rows would not fit where the rows themselves do."""

    def npv(shares: Array, rows: NDArray[np.intp]) -> Array:
        if len(rows) <= most:
            return npv_at(shares, rows)
        parts = [
            npv_at(shares[i : i + most], rows[i : i + most]) for i in range(0, len(rows), most)
        ]
        return np.concatenate(parts)

    return npv


def nearest(
    npv_at: NpvFunc, rows: NDArray[np.intp], target: Array, starts: tuple[Array, ...]
) -> tuple[Array, NDArray[np.bool_]]:
    """Shares ``(k, P)`` on the simplex nearest to ``target`` on the model for scenarios
    ``rows``, searched from ``starts`` (each ``(k, P)``), and the rows where the search
    did not settle (for :func:`least_squares`); see the module's text."""
    k, n = target.shape
    if n > MAX_FACES_PARTIES:
        return starts[-1], np.ones(k, dtype=bool)
    npv_at = _in_pieces(npv_at, max(k, 4096))
    best, best_value = starts[0].copy(), np.full(k, np.inf)

    def keep(shares: Array, value: Array) -> None:
        better = value < best_value
        best[better], best_value[better] = shares[better], value[better]

    many = len(starts)
    found, value = _descend(
        npv_at, np.concatenate(starts), np.tile(target, (many, 1)), np.tile(rows, many)
    )
    for i in range(many):
        keep(found[i * k : (i + 1) * k], value[i * k : (i + 1) * k])
    reached = best_value <= 1e-24  # within 1e-12 of the scale: nothing nearer to look for
    rest = np.flatnonzero(~reached)
    if len(rest):
        sub = (npv_at, target[rest], rows[rest])
        on_edges, edge_value = _edges(*sub)
        inner, inner_value = _descend(npv_at, on_edges, target[rest], rows[rest])
        take = inner_value < edge_value
        pick = np.where(take[:, None], inner, on_edges)
        picked = np.where(take, inner_value, edge_value)
        better = picked < best_value[rest]
        best[rest[better]], best_value[rest[better]] = pick[better], picked[better]
    unsettled = np.zeros(k, dtype=bool)
    if len(rest):
        unsettled[rest] = _unsettled(npv_at, best[rest], best_value[rest], target[rest], rows[rest])
    rest = np.flatnonzero(unsettled)
    if len(rest):
        goal, where = target[rest], rows[rest]
        best[rest], best_value[rest] = _polish(npv_at, best[rest], best_value[rest], goal, where)
        unsettled[rest] = _unsettled(npv_at, best[rest], best_value[rest], goal, where)
    return best, unsettled


def least_squares(npv_at: NpvFunc, row: int, target: Array, starts: tuple[Array, ...]) -> Array:
    """Shares on the simplex nearest to ``target`` on the model, for one scenario (SLSQP)."""
    from scipy.optimize import minimize

    rows = np.array([row], dtype=np.intp)
    scale = max(1.0, float(np.abs(target).max()))

    def objective(s: Array) -> float:
        x = project(np.clip(s, 0.0, 1.0)[None, :])
        return float(np.sum(((npv_at(x, rows)[0] - target) / scale) ** 2))

    best = min(starts, key=objective)
    for start in starts:
        res = minimize(
            objective,
            start,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * len(start),
            constraints=[{"type": "eq", "fun": lambda s: s.sum() - 1.0}],
            options={"ftol": 1e-20, "maxiter": 200},
        )
        if objective(res.x) < objective(best):
            best = res.x
    return np.asarray(project(np.clip(best, 0.0, 1.0)[None, :])[0])
