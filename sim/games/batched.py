"""The nucleolus of many games at once, each result certified by Kohlberg's criterion.

A sweep asks for the nucleolus of thousands of games that differ a little. Solving
each by its own sequence of linear programmes (:mod:`sim.games.nucleolus`) costs
milliseconds a game; here a whole batch is solved for about a microsecond a game.

**Structure.** At the nucleolus ``x``, group the coalitions by (weighted) excess
``e(S) = (v(S) − x(S)) / w(S)`` into levels ``L_1 > L_2 > … > L_J`` of equal excess,
from the top down to the first level where the coalitions seen span ``R^n``; with
``B_0`` the players paid exactly their standalone value (for the nucleolus), this is
the game's *structure*. Given a structure, ``x`` and the level values ``α`` solve

    ``x(N) = v(N)``,  ``x(S) + w(S) α_j = v(S)`` for ``S ∈ L_j``,  ``x_i = v(i)`` for ``i ∈ B_0``,

a linear system whose matrix depends on the structure only: for every game of that
structure ``x`` is one fixed linear map of its coalition values. Kohlberg (1971): an
(imputation) ``x`` is the (pre)nucleolus if and only if every collection
``L_1 ∪ … ∪ L_j`` is balanced (the singletons of ``B_0`` allowed zero weight); the
collections further down contain the spanning balanced one and are balanced too. So a
structure whose collections are balanced (checked once, by a linear programme)
certifies every game on which its system is consistent and its order holds: levels
strictly decreasing, the other coalitions strictly below ``L_J``, the players outside
``B_0`` strictly above their standalone values. Ties are allowed only inside a level,
so a game is certified by one structure at most — its own — and its result does not
depend on the other games of the batch.

**Algorithm.** (0) Structures met before (in this process) are tried on the batch.
(1) The first game not yet solved is solved by the sequential LPs of
:mod:`sim.games.nucleolus`; its structure is read off and tried on every game still
unsolved; this repeats while structures keep solving many games (a sweep usually has a
handful). (2) The games left are solved by the same sequential LPs for all of them at
once — one block-diagonal sparse LP per stage, each game a block, the coalitions fixed
in a stage read per game from the duals, stages repeated until every game is settled —
and each game is then certified by its own structure. (3) A game that no structure
certifies (an excess tie within 1e-9 of breaking) keeps its own per-game LP answer.

Tolerances, relative to each game's largest absolute value (at least 1): a structure's
equations hold within 1e-10, levels and bounds are strict beyond 1e-9 (``TOL``).

References
----------
Kohlberg, E. (1971). On the nucleolus of a characteristic function game. *SIAM Journal
on Applied Mathematics* 20(1): 62–66.
Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the kernel,
nucleolus, and related solution concepts. *Mathematics of Operations Research* 4(4):
303–338.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog

from sim.games.nucleolus import (
    _HIGHS,
    EMPTY_IMPUTATIONS,
    TOL,
    _bits,
    nucleolus,
    prenucleolus,
    weighted_nucleolus,
)
from sim.games.tu import Array, Game, GameUndefinedError, coalition_sums

__all__ = ["nucleoli"]

FIT = 1e-10
"""A structure's equations must hold within ``FIT`` of a game's scale."""
GROUP = 1e-8
"""Excesses of an LP answer within ``GROUP`` of each other are read as one level."""
BLOCK_PLAYERS = 8
"""Above this many players the games left after (1) are solved one at a time."""
BLOCK_GAMES = 512
"""Games per block-diagonal LP (HiGHS is fastest around a few hundred blocks here)."""
YIELD = 32
"""A structure that certifies fewer games than this counts as a miss in step (1)."""
PATIENCE = 2
"""Misses in a row before step (1) hands the rest to the block LPs of step (2)."""

Key = tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]
"""A structure: the levels (coalition masks, top level first) and ``B_0``."""


def _members(n: int) -> Array:
    """``(2^n, n)`` membership of every coalition, as floats."""
    return _bits(np.arange(1 << n, dtype=np.int64), n)


def _products(b: Array, matrix: Array) -> Array:
    """``b @ matrix.T`` summed in a fixed order, so each row's result is the same
    whatever the other rows (a BLAS product may sum differently with the batch size)."""
    out = np.zeros((b.shape[0], matrix.shape[0]))
    for k in range(b.shape[1]):
        out += b[:, k, None] * matrix[None, :, k]
    return out


@dataclass(frozen=True)
class _Structure:
    """A certified structure: the linear map to ``x`` and the order to check."""

    key: Key
    rows: NDArray[np.int64]
    """Coalitions of the system's equations: N, the levels' members, ``B_0``."""
    solve: Array
    """``(n + J, rows)``: ``(x, α) = solve @ v[rows]``."""
    residual: Array | None
    """``(rows, rows)``: the equations' residual map, ``None`` for a square system."""
    rest: NDArray[np.int64]
    """Proper coalitions below the levels."""
    outside: NDArray[np.int64]
    """Players not in ``B_0``."""


def _system(n: int, key: Key, w: Array) -> tuple[NDArray[np.int64], Array]:
    """The equations of a structure: their coalitions and matrix over ``(x, α)``."""
    levels, b0 = key
    full = (1 << n) - 1
    bits = _members(n)
    rows = [full, *(s for level in levels for s in level), *(1 << i for i in b0)]
    a = np.zeros((len(rows), n + len(levels)))
    a[:, :n] = bits[rows]
    r = 1
    for j, level in enumerate(levels):
        for s in level:
            a[r, n + j] = w[s]
            r += 1
    return np.array(rows, dtype=np.int64), a


def _build(n: int, key: Key, w: Array) -> _Structure | None:
    """The structure's linear map, or ``None`` when its system has no unique solution."""
    rows, a = _system(n, key, w)
    if np.linalg.matrix_rank(a) < a.shape[1]:
        return None
    solve = np.asarray(np.linalg.pinv(a), dtype=float)
    residual = None if a.shape[0] == a.shape[1] else np.eye(a.shape[0]) - a @ solve
    levels, b0 = key
    seen = {s for level in levels for s in level}
    rest = np.array([s for s in range(1, (1 << n) - 1) if s not in seen], dtype=np.int64)
    outside = np.array([i for i in range(n) if i not in b0], dtype=np.int64)
    return _Structure(key, rows, solve, residual, rest, outside)


def _collections(n: int, key: Key) -> list[tuple[list[int], list[int]]]:
    """Kohlberg's collections of a structure: each union of the top levels, and the
    singletons of ``B_0`` not in it (allowed zero weight)."""
    levels, b0 = key
    out: list[tuple[list[int], list[int]]] = []
    union: list[int] = []
    for level in levels:
        union = [*union, *level]
        out.append((union, [1 << i for i in b0 if (1 << i) not in union]))
    return out


def _balanced(n: int, collections: list[tuple[list[int], list[int]]]) -> NDArray[np.bool_]:
    """Which collections are balanced: one block-diagonal LP for all of them.

    Collection ``D`` with optional members ``E`` is balanced when
    ``Σ_{S∈D} λ_S 1_S + Σ_{S∈E} μ_S 1_S = t 1_N`` has a solution with ``λ ≥ 1``,
    ``μ ≥ 0``, ``t ≥ 0``. Each block minimises the slack ``s⁺ + s⁻`` of those ``n``
    equations; a balanced collection needs none, an unbalanced one at least a fraction
    of a unit (the weights are bounded away from 0), so the threshold 1e-6 is safe.
    """
    bits = _members(n)
    sizes = np.array([len(d) + len(e) for d, e in collections])
    width = sizes + 1 + 2 * n  # λ and μ, t, s⁺, s⁻
    starts = np.concatenate([[0], np.cumsum(width)])
    col = int(starts[-1])
    data, rows, cols = [], [], []
    lower, cost = np.zeros(col), np.zeros(col)
    eye = np.hstack([-np.ones((n, 1)), np.eye(n), -np.eye(n)])
    for c, (members, optional) in enumerate(collections):
        block = np.hstack([bits[members + optional].T, eye])
        r, k = np.nonzero(block)
        data.append(block[r, k])
        rows.append(r + c * n)
        cols.append(k + starts[c])
        lower[starts[c] : starts[c] + len(members)] = 1.0
        cost[starts[c] + sizes[c] + 1 : starts[c + 1]] = 1.0
    row = len(collections) * n
    a_eq = sp.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(row, col)
    )
    bounds = np.column_stack([lower, np.full(col, np.inf)])
    res = linprog(cost, A_eq=a_eq, b_eq=np.zeros(row), bounds=bounds, method="highs")
    if res.status != 0:  # pragma: no cover - always feasible (slacks), bounded below by 0
        return np.zeros(len(collections), dtype=bool)
    slack = np.add.reduceat(np.asarray(res.x) * cost, starts[:-1])
    return np.asarray(slack <= 1e-6)


class _Known:
    """Structures already certified, by game size and weights, most useful first.

    Only a speed-up: a game is certified by its own structure alone, so what this
    remembers never changes a result.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.by_kind: OrderedDict[tuple[object, ...], OrderedDict[Key, _Structure | None]] = (
            OrderedDict()
        )

    def of(self, kind: tuple[object, ...]) -> OrderedDict[Key, _Structure | None]:
        """The structures of one kind of game, created empty when new."""
        if kind not in self.by_kind:
            self.by_kind[kind] = OrderedDict()
            while len(self.by_kind) > 16:
                self.by_kind.popitem(last=False)
        return self.by_kind[kind]

    def add(self, kind: tuple[object, ...], key: Key, structure: _Structure | None) -> None:
        """Remember a structure (``None``: not balanced or not unique)."""
        known = self.of(kind)
        known[key] = structure
        known.move_to_end(key, last=False)
        while len(known) > self.size:
            known.popitem(last=True)


_KNOWN = _Known()
"""Kept between calls, so that the chunks of a sweep (and the blocks of a chunk) skip
step (1) once their structures are known."""


@dataclass
class _Batch:
    """The games being solved and what is known of them so far."""

    v: Array
    w: Array
    imputation: bool
    weights: Array | None
    scale: Array
    x: Array
    reasons: list[str]
    kind: tuple[object, ...]

    @property
    def n(self) -> int:
        """Players."""
        return int(self.x.shape[1])

    def one(self, r: int) -> Array:
        """Game ``r`` by the per-game sequential LPs (raises when they fail)."""
        game = Game(tuple(map(str, range(self.n))), self.v[r])
        if self.weights is not None:
            return weighted_nucleolus(game, self.weights, imputation=self.imputation)
        return nucleolus(game) if self.imputation else prenucleolus(game)

    def by_itself(self, rows: NDArray[np.int64]) -> None:
        """Solve ``rows`` one at a time; an LP failure gives NaN and its message."""
        for r in rows.tolist():
            try:
                self.x[r] = self.one(r)
            except GameUndefinedError as exc:
                self.reasons[r] = str(exc)

    def read(self, r: int, x: Array) -> Key:
        """The structure of game ``r`` read off an (LP) answer ``x``."""
        n, v = self.n, self.v[r]
        tol = GROUP * self.scale[r]
        masks = np.arange(1, (1 << n) - 1)
        e = (v[masks] - coalition_sums(x)[masks]) / self.w[masks]
        order = np.argsort(-e, kind="stable")
        levels, current = [], [int(masks[order[0]])]
        for a, b in pairwise(order):
            if e[a] - e[b] > tol:
                levels.append(tuple(sorted(current)))
                current = []
            current.append(int(masks[b]))
        levels.append(tuple(sorted(current)))
        bits = _members(n)
        for j in range(len(levels)):
            union = [s for level in levels[: j + 1] for s in level]
            if np.linalg.matrix_rank(bits[union]) == n:
                levels = levels[: j + 1]
                break
        b0 = tuple(i for i in range(n) if self.imputation and x[i] - v[1 << i] <= tol)
        return tuple(levels), b0

    def prepare(self, keys: list[Key]) -> dict[Key, _Structure | None]:
        """The structures of ``keys``; those not met before are built and checked
        (balancedness of all of them in one LP)."""
        known = _KNOWN.of(self.kind)
        wanted = list(dict.fromkeys(keys))
        built = {k: known[k] for k in wanted if k in known}
        new = [k for k in wanted if k not in built]
        built.update({k: _build(self.n, k, self.w) for k in new})
        unique = [k for k in new if built[k] is not None]
        groups = [_collections(self.n, k) for k in unique]
        flat = [c for g in groups for c in g]
        ok = _balanced(self.n, flat) if flat else np.zeros(0, dtype=bool)
        at = 0
        for k, g in zip(unique, groups, strict=True):
            if not ok[at : at + len(g)].all():
                built[k] = None
            at += len(g)
        for k in new:
            _KNOWN.add(self.kind, k, built[k])
        return built

    def certify(self, s: _Structure, rows: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which of ``rows`` structure ``s`` certifies; their ``x`` is set."""
        v, scale = self.v[rows], self.scale[rows]
        b = v[:, s.rows]
        solution = _products(b, s.solve)
        x, alpha = solution[:, : self.n], solution[:, self.n :]
        fit, sep = FIT * scale, TOL * scale
        ok = np.ones(len(rows), dtype=bool)
        if s.residual is not None:
            ok &= np.abs(_products(b, s.residual)).max(axis=1) <= fit
        if alpha.shape[1] > 1:
            ok &= (alpha[:, :-1] - alpha[:, 1:] > sep[:, None]).all(axis=1)
        if s.rest.size:
            below = (v[:, s.rest] - coalition_sums(x)[:, s.rest]) / self.w[s.rest]
            ok &= alpha[:, -1] - below.max(axis=1) > sep
        if self.imputation and s.outside.size:
            standalone = v[:, 1 << s.outside]
            ok &= (x[:, s.outside] - standalone > sep[:, None]).all(axis=1)
        self.x[rows[ok]] = x[ok] + 0.0  # + 0.0: no negative zeros
        return ok

    def known(self, pending: NDArray[np.int64]) -> NDArray[np.int64]:
        """Step (0): try the structures met before; the rows still unsolved."""
        known = _KNOWN.of(self.kind)
        for key, s in list(known.items()):
            if not pending.size:
                break
            if s is None:
                continue
            ok = self.certify(s, pending)
            if ok.any():
                known.move_to_end(key, last=False)
                pending = pending[~ok]
        return pending

    def references(self, pending: NDArray[np.int64]) -> NDArray[np.int64]:
        """Step (1): solve the first unsolved game, try its structure on the others."""
        misses = 0
        while pending.size and misses < PATIENCE:
            r, pending = int(pending[0]), pending[1:]
            try:
                x_ref = self.one(r)
            except GameUndefinedError as exc:
                self.reasons[r] = str(exc)
                continue
            key = self.read(r, x_ref)
            s = self.prepare([key])[key]
            together = np.concatenate([[r], pending]).astype(np.int64)
            ok = self.certify(s, together) if s is not None else np.zeros(1, dtype=bool)
            if not ok[0]:  # a tie within the tolerances: the LP's own answer
                self.x[r] = x_ref
            solved = int(ok.sum())
            pending = together[1:][~ok[1:]] if s is not None else pending
            misses = 0 if solved >= min(YIELD, pending.size + solved) else misses + 1
        return pending

    def blocks(self, pending: NDArray[np.int64]) -> None:
        """Step (2): block-diagonal LPs for all of ``pending``, then each game's structure."""
        if self.n > BLOCK_PLAYERS:
            self.by_itself(pending)
            return
        estimate = np.full((len(pending), self.n), np.nan)
        for at in range(0, len(pending), BLOCK_GAMES):
            rows = pending[at : at + BLOCK_GAMES]
            scale = self.scale[rows, None]
            v = self.v[rows] / scale
            lower = v[:, 1 << np.arange(self.n)] if self.imputation else None
            estimate[at : at + len(rows)] = _sequential(v, self.w, lower) * scale
        failed = np.isnan(estimate).any(axis=1)
        keys = {
            int(r): self.read(int(r), e)
            for r, e, f in zip(pending, estimate, failed, strict=True)
            if not f
        }
        structures = self.prepare(list(keys.values()))
        groups: dict[Key, list[int]] = {}
        for r, key in keys.items():
            groups.setdefault(key, []).append(r)
        left = [pending[failed]]
        for key, members in groups.items():
            rows = np.array(members, dtype=np.int64)
            s = structures[key]
            left.append(rows if s is None else rows[~self.certify(s, rows)])
        self.by_itself(np.concatenate(left))


def _stage(
    v: Array, w: Array, lower: Array | None, candidate: NDArray[np.bool_], eq: Array
) -> tuple[Array, Array, NDArray[np.bool_]] | None:
    """One stage for ``b`` games at once: minimise each game's largest weighted excess
    over its candidate coalitions, with its fixed coalitions' sums ``eq`` (NaN: free).

    Returns each game's ``x``, its ``ε`` and the coalitions with a positive dual price;
    ``None`` when HiGHS fails.
    """
    b, k = v.shape
    n = k.bit_length() - 1
    nv = n + 1
    bits = _members(n)
    g, s = np.nonzero(candidate)  # one ≤ row per candidate coalition of each game
    entry, member = np.nonzero(bits[s])
    a_ub = sp.csr_matrix(
        (
            np.concatenate([-np.ones(len(entry)), -w[s]]),
            (
                np.concatenate([entry, np.arange(len(g))]),
                np.concatenate([g[entry] * nv + member, g * nv + n]),
            ),
        ),
        shape=(len(g), b * nv),
    )
    ge, se = np.nonzero(~np.isnan(eq))
    entry, member = np.nonzero(bits[se])
    a_eq = sp.csr_matrix(
        (np.ones(len(entry)), (entry, ge[entry] * nv + member)), shape=(len(ge), b * nv)
    )
    cost = np.zeros(b * nv)
    cost[n::nv] = 1.0
    low = np.full((b, nv), -np.inf)
    if lower is not None:
        low[:, :n] = lower
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=-v[g, s],
        A_eq=a_eq,
        b_eq=eq[ge, se],
        bounds=np.column_stack([low.ravel(), np.full(b * nv, np.inf)]),
        method="highs",
        options=_HIGHS,
    )
    if res.status != 0:
        return None
    solution = np.asarray(res.x).reshape(b, nv)
    priced = -np.asarray(res.ineqlin.marginals) > TOL
    fixed = np.zeros((b, k), dtype=bool)
    fixed[g[priced], s[priced]] = True
    return solution[:, :n], solution[:, n], fixed


def _sequential(v: Array, w: Array, lower: Array | None) -> Array:
    """The sequential LPs of :func:`sim.games.nucleolus.nucleolus` for ``b`` games
    (scaled to a largest value of 1) at once; a NaN row where a stage fails.

    Each stage is one block-diagonal LP over the games not yet settled; the coalitions
    with a positive dual price are fixed at their excess, and every coalition in the
    span of the fixed ones stops being a candidate (by the null space of each game's
    Gram matrix of fixed coalitions). A game is settled when its fixed coalitions span
    ``R^n``; its last stage's ``x`` is then its (pre)nucleolus.
    """
    b, k = v.shape
    n = k.bit_length() - 1
    bits = _members(n)
    x = np.full((b, n), np.nan)
    candidate = np.zeros((b, k), dtype=bool)
    candidate[:, 1:-1] = True
    eq = np.full((b, k), np.nan)
    eq[:, -1] = v[:, -1]
    active = np.arange(b)
    for _ in range(n):
        if not active.size:
            break
        low = None if lower is None else lower[active]
        out = _stage(v[active], w, low, candidate[active], eq[active])
        if out is None:
            return np.full((b, n), np.nan)
        x_stage, eps, fixed = out
        stuck = ~fixed.any(axis=1)  # excluded by LP duality; left to the per-game LPs
        x[active[stuck]] = np.nan
        active, x_stage, eps, fixed = active[~stuck], x_stage[~stuck], eps[~stuck], fixed[~stuck]
        sub = eq[active]
        sub[fixed] = (v[active] - eps[:, None] * w[None, :])[fixed]
        eq[active] = sub
        x[active] = x_stage
        gram = np.einsum("gk,ki,kj->gij", (~np.isnan(sub)).astype(float), bits, bits)
        values, vectors = np.linalg.eigh(gram)
        null = values <= 1e-9 * np.maximum(1.0, values.max(axis=1, keepdims=True))
        spanned = (np.einsum("ki,gij->gkj", bits, vectors * null[:, None, :]) ** 2).sum(-1)
        candidate[active] &= spanned > 1e-12  # the fixed coalitions among them
        active = active[null.any(axis=1) & candidate[active].any(axis=1)]
    x[active] = np.nan  # pragma: no cover - each stage raises the rank
    return x


def nucleoli(
    values: Array, *, imputation: bool = True, weights: Array | None = None
) -> tuple[Array, tuple[str, ...]]:
    """The (pre)nucleolus of every game of a batch, exactly, as the per-game LPs give it.

    Parameters
    ----------
    values : ndarray, shape (m, 2^n)
        Each row a game's coalition values indexed by bitmask (column 0 is ignored).
    imputation : bool
        Over imputations (the nucleolus) or over all efficient allocations (the
        prenucleolus).
    weights : ndarray, shape (2^n,), optional
        Positive coalition weights: the weighted nucleolus of
        :func:`sim.games.nucleolus.weighted_nucleolus` (``|S|``: per capita).

    Returns
    -------
    (ndarray, tuple of str)
        ``(m, n)`` allocations, a NaN row where the nucleolus is undefined (the
        imputation set is empty) or the LPs fail, and one reason per row (``""`` where
        defined) — what :func:`sim.games.tu.solve_each` gives for the per-game solver.

    Notes
    -----
    See the module docstring: each result is a structure's linear map of the game's
    own values, certified by Kohlberg's criterion, or (for a game on a tie) the
    per-game LP answer; so a game's result does not depend on the batch it is in.

    Examples
    --------
    The Talmud's estates of 100, 200 and 300 with claims 100, 200, 300 (Aumann &
    Maschler 1985) as bankruptcy games:

    >>> from sim.games.claims import bankruptcy_game
    >>> v = np.stack([bankruptcy_game(e, [100, 200, 300]).v for e in (100, 200, 300)])
    >>> x, why = nucleoli(v)
    >>> (x.round(9) + 0.0).tolist()
    [[33.333333333, 33.333333333, 33.333333333], [50.0, 75.0, 75.0], [50.0, 100.0, 150.0]]
    """
    v = np.array(values, dtype=float, ndmin=2)
    m, k = v.shape
    n = k.bit_length() - 1
    if n < 1 or k != 1 << n:
        raise ValueError(f"games need 2^n coalition values, got {k}")
    v[:, 0] = 0.0
    w = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    if weights is not None and (
        w.shape != (k,) or np.any(w[1:] <= 0) or not np.all(np.isfinite(w[1:]))
    ):
        raise ValueError(f"weights need shape ({k},), positive and finite")
    with np.errstate(invalid="ignore"):
        scale = np.maximum(1.0, np.abs(v).max(axis=1))
    kind = (n, imputation, None if weights is None else w.tobytes())
    batch = _Batch(v, w, imputation, weights, scale, np.full((m, n), np.nan), [""] * m, kind)
    if n == 1:
        batch.x[:, 0] = v[:, 1]
        return batch.x, tuple(batch.reasons)
    finite = np.isfinite(v).all(axis=1)
    for r in np.flatnonzero(~finite):
        batch.reasons[r] = "the game has coalition values that are not finite"
    pending = np.flatnonzero(finite)
    if imputation:  # as the per-game LPs test it, on values scaled to a largest of 1
        singles = 1 << np.arange(n)
        u = v[pending] / scale[pending, None]
        empty = u[:, singles].sum(axis=1) > u[:, -1] + TOL
        for r in pending[empty]:
            batch.reasons[r] = EMPTY_IMPUTATIONS
        pending = pending[~empty]
    pending = batch.known(pending)
    pending = batch.references(pending)
    if pending.size:
        batch.blocks(pending)
    return batch.x, tuple(batch.reasons)
