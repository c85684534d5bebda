"""The nucleolus, the prenucleolus and the least core, by sequential linear programmes.

Each stage minimises the largest excess ``e(S, x) = v(S) − x(S)`` over the coalitions
whose excess is not yet fixed (Maschler, Peleg & Shapley 1979). Coalitions whose
constraint has a positive dual price at the optimum keep that excess in every optimal
solution; they are fixed as equalities, and so is every coalition whose indicator
vector lies in the span of the fixed ones. When the fixed coalitions span the space,
the allocation is unique and is the (pre)nucleolus.

Instead of giving HiGHS all ``2^n`` constraints at each stage, the constraints are
generated: solve with a working set, compute every coalition's excess at once with
:func:`~sim.games.tu.coalition_sums`, add the most violated coalitions, and solve
again until none is violated. Twenty players take about a second instead of minutes.

Tolerance: values are scaled to a maximum of 1; HiGHS runs with primal and dual
feasibility tolerances of 1e-10, and a constraint counts as violated, tight or with a
positive dual price beyond 1e-9 of that scale.

References
----------
Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM Journal
on Applied Mathematics* 17(6): 1163–1170.
Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the kernel,
nucleolus, and related solution concepts. *Mathematics of Operations Research* 4(4):
303–338.
Kohlberg, E. (1971). On the nucleolus of a characteristic function game. *SIAM Journal
on Applied Mathematics* 20(1): 62–66.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from sim.games.tu import Array, Game, GameUndefinedError, coalition_sums

__all__ = [
    "CoreReport",
    "core_report",
    "kohlberg_balanced",
    "least_core",
    "nucleolus",
    "nucleolus_all_constraints",
    "prenucleolus",
    "weighted_nucleolus",
]

TOL = 1e-9
EMPTY_IMPUTATIONS = "the imputation set is empty (Σ v(i) > v(N))"
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def _bits(masks: NDArray[np.int64], n: int) -> Array:
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(float)


@dataclass
class _Stage:
    x: Array
    epsilon: float
    fixed: list[int]


def _solve_stage(
    v: Array,
    n: int,
    candidates: NDArray[np.int64],
    eq_masks: list[int],
    eq_values: list[float],
    lower: Array | None,
    working: set[int],
    batch: int,
    weights: Array | None = None,
) -> _Stage:
    """Minimise the largest (weighted) excess over ``candidates`` by constraint generation.

    With ``weights`` (``(2^n,)``, positive), the constraint of coalition ``S`` is
    ``v(S) − x(S) ≤ w(S)·ε``; without, ``w(S) = 1``.
    """
    w = np.ones(len(v)) if weights is None else weights
    a_eq = np.hstack([_bits(np.array(eq_masks, dtype=np.int64), n), np.zeros((len(eq_masks), 1))])
    b_eq = np.array(eq_values)
    bounds = [(None if lower is None else lower[i], None) for i in range(n)] + [(None, None)]
    cost = np.zeros(n + 1)
    cost[-1] = 1.0
    work = np.array(sorted(working), dtype=np.int64)
    for _ in range(10_000):
        # -x(S) - w(S) eps <= -v(S)
        a_ub = -np.hstack([_bits(work, n), w[work][:, None]])
        res = linprog(
            cost,
            A_ub=a_ub,
            b_ub=-v[work],
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=bounds,
            method="highs",
            options=_HIGHS,
        )
        if res.status != 0:
            raise GameUndefinedError(f"linear programme failed: {res.message}")
        x, eps = res.x[:n], float(res.x[n])
        over = v[candidates] - coalition_sums(x)[candidates] - eps * w[candidates]
        violated = over > TOL
        if not violated.any():
            duals = -np.asarray(res.ineqlin.marginals)
            fixed = [int(m) for m, d in zip(work, duals, strict=True) if d > TOL]
            return _Stage(x, eps, fixed)
        worst = candidates[violated][np.argsort(-over[violated])[:batch]]
        work = np.union1d(work, worst)
    raise GameUndefinedError("constraint generation did not converge")  # pragma: no cover


def _span(masks: list[int], n: int) -> tuple[int, Array]:
    """Rank of the coalitions' indicator vectors and a basis ``(n, n − r)`` of the
    orthogonal complement of their span (by SVD, which reveals the rank)."""
    u, sv, _ = np.linalg.svd(_bits(np.array(masks, dtype=np.int64), n).T, full_matrices=True)
    rank = int(np.sum(sv > 1e-9 * max(1.0, float(sv.max(initial=0.0)))))
    return rank, np.asarray(u[:, rank:])


def _in_span(candidates: NDArray[np.int64], complement: Array) -> NDArray[np.bool_]:
    """Which candidate coalitions' indicator vectors are orthogonal to ``complement``."""
    residual = np.zeros(len(candidates))
    for c in complement.T:
        residual += coalition_sums(c)[candidates] ** 2
    return np.asarray(residual <= 1e-18 * max(1, complement.shape[0]))


def _sequential(
    game: Game,
    imputation: bool,
    batch: int = 64,
    every_constraint: bool = False,
    weights: Array | None = None,
) -> tuple[Array, list[float]]:
    """The (pre)nucleolus by sequential LPs, and the excess level of each stage.

    ``weights`` (``(2^n,)``, positive) divides each coalition's excess: the stage LPs
    bound ``v(S) − x(S) ≤ w(S)·ε``. ``None`` is ``w(S) = 1``, the ordinary nucleolus.
    """
    n = game.n
    scale = max(1.0, float(np.abs(game.v).max()))
    v = game.v / scale
    full = game.grand
    lower = game.standalone / scale if imputation else None
    if imputation and lower is not None and lower.sum() > v[full] + TOL:
        raise GameUndefinedError(EMPTY_IMPUTATIONS)
    if n == 1:
        return np.array([game.total]), []
    candidates = np.arange(1, full, dtype=np.int64)
    eq_masks, eq_values = [full], [float(v[full])]
    # start from the singletons and the coalitions of n−1: cheap, and often decisive
    working = {1 << i for i in range(n)} | {full & ~(1 << i) for i in range(n)}
    levels: list[float] = []
    x = np.zeros(n)
    rank, complement = _span(eq_masks, n)
    while rank < n and len(candidates):
        alive = set(candidates.tolist())
        start = {w for w in working if w in alive} or set(candidates[: 2 * n].tolist())
        if every_constraint:
            start = alive
        stage = _solve_stage(v, n, candidates, eq_masks, eq_values, lower, start, batch, weights)
        x = stage.x
        levels.append(stage.epsilon * scale)
        if not stage.fixed:  # pragma: no cover - excluded by LP duality
            raise GameUndefinedError("no coalition could be fixed; the LP is degenerate")
        scaled = stage.epsilon * (np.ones(len(v)) if weights is None else weights)
        for m in stage.fixed:
            eq_masks.append(m)
            eq_values.append(float(v[m] - scaled[m]))
        rank, complement = _span(eq_masks, n)
        candidates = candidates[~_in_span(candidates, complement)]
        working -= set(stage.fixed)
    if rank == n:
        a = _bits(np.array(eq_masks, dtype=np.int64), n)
        x = np.linalg.lstsq(a, np.array(eq_values), rcond=None)[0]
    return np.asarray(x * scale) + 0.0, levels  # + 0.0: no negative zeros


def prenucleolus(game: Game) -> Array:
    """The prenucleolus: lexicographically minimal excesses over efficient allocations.

    Examples
    --------
    The glove game (A holds the left glove): the whole pair's value goes to A.

    >>> import numpy as np
    >>> v = np.array([0, 0, 0, 1, 0, 1, 0, 1.0])
    >>> (prenucleolus(Game(("A", "B", "C"), v)).round(9) + 0.0).tolist()
    [1.0, 0.0, 0.0]
    """
    return _sequential(game, imputation=False)[0]


def nucleolus(game: Game) -> Array:
    """The nucleolus: lexicographically minimal excesses over imputations.

    Raises
    ------
    GameUndefinedError
        If the imputation set is empty (the standalone values exceed v(N)).

    Examples
    --------
    Aumann & Maschler (1985): the nucleolus of the bankruptcy game of the Talmud's
    estate of 200 with claims 100, 200, 300 is the Talmud's division (50, 75, 75).

    >>> from sim.games.claims import bankruptcy_game
    >>> nucleolus(bankruptcy_game(200, [100, 200, 300])).round(9).tolist()
    [50.0, 75.0, 75.0]
    """
    return _sequential(game, imputation=True)[0]


def nucleolus_all_constraints(game: Game, imputation: bool = True) -> Array:
    """The textbook sequential LP with every coalition's constraint at every stage.

    The same algorithm as :func:`nucleolus` without constraint generation: the
    baseline of the benchmark, and a cross-check in the tests.
    """
    return _sequential(game, imputation=imputation, every_constraint=True)[0]


def weighted_nucleolus(game: Game, weights: Array, *, imputation: bool = True) -> Array:
    r"""The nucleolus for excesses divided by positive coalition weights.

    Parameters
    ----------
    game : Game
        The TU game.
    weights : ndarray, shape (2^n,)
        A positive weight ``w(S)`` for every coalition, indexed by bitmask like
        ``game.v`` (entry 0, the empty coalition, is not used).
    imputation : bool
        Over imputations (``x_i ≥ v(i)``, the nucleolus) or over all efficient
        allocations (the prenucleolus).

    Returns
    -------
    ndarray, shape (n,)
        The allocation whose sorted weighted excesses
        :math:`(v(S) - x(S)) / w(S)` are lexicographically smallest.

    Raises
    ------
    GameUndefinedError
        If the imputation set is empty (with ``imputation=True``).

    Notes
    -----
    Each stage solves :math:`\min \varepsilon` subject to
    :math:`v(S) - x(S) \le w(S)\,\varepsilon` for the coalitions not yet fixed; with
    ``w(S) = 1`` this is :func:`nucleolus`, with ``w(S) = |S|`` the per-capita
    nucleolus (Grotte 1970). Kohlberg's criterion holds with the weighted excess
    (:func:`kohlberg_balanced` with ``weights``): dividing by a positive weight
    changes no sign in the directional argument.

    References
    ----------
    Grotte, J. H. (1970). *Computation of and observations on the nucleolus, the
    normalized nucleolus and the central games*. MSc thesis, Cornell University.
    Solymosi, T. (2019). Weighted nucleoli and dually essential coalitions.
    *International Journal of Game Theory* 48.

    Examples
    --------
    Per-capita weights on the savings game of three towns with costs 15, 20, 55 alone,
    35 (1 and 2), 61 (1 and 3), 65 (2 and 3) and 78 together:

    >>> from sim.games.tu import popcount
    >>> g = Game(("1", "2", "3"), np.array([0, 0, 0, 0, 0, 9, 10, 12.0]))
    >>> (weighted_nucleolus(g, popcount(3).astype(float)) * 6).round(6).tolist()
    [4.0, 7.0, 61.0]
    """
    w = np.asarray(weights, dtype=float)
    if w.shape != game.v.shape:
        raise ValueError(f"weights need shape {game.v.shape}, got {w.shape}")
    if np.any(w[1:] <= 0) or not np.all(np.isfinite(w[1:])):
        raise ValueError("coalition weights must be positive and finite")
    return _sequential(game, imputation=imputation, weights=w)[0]


def least_core(game: Game) -> tuple[float, Array]:
    """The least-core value ε* and an allocation in the least core.

    ε* = min over efficient x of max over proper coalitions of e(S, x); the core is
    non-empty iff ε* ≤ 0 (Maschler, Peleg & Shapley 1979).
    """
    n = game.n
    if n == 1:
        return 0.0, np.array([game.total])
    scale = max(1.0, float(np.abs(game.v).max()))
    v = game.v / scale
    full = game.grand
    candidates = np.arange(1, full, dtype=np.int64)
    working = {1 << i for i in range(n)} | {full & ~(1 << i) for i in range(n)}
    stage = _solve_stage(v, n, candidates, [full], [float(v[full])], None, working, 64)
    return stage.epsilon * scale, np.asarray(stage.x * scale)


@dataclass(frozen=True)
class CoreReport:
    """Whether the core is empty, the least-core value, and a point in the (least) core."""

    empty: bool
    least_core_epsilon: float
    point: Array


def core_report(game: Game) -> CoreReport:
    """Whether the core of ``game`` is empty, its least-core ε and a least-core point."""
    eps, x = least_core(game)
    scale = max(1.0, float(np.abs(game.v).max()))
    return CoreReport(empty=eps > TOL * scale, least_core_epsilon=eps, point=x)


def kohlberg_balanced(
    game: Game, x: Array, imputation: bool, tol: float = 1e-7, weights: Array | None = None
) -> bool:
    """Kohlberg's criterion: is ``x`` the (pre)nucleolus of ``game``?

    For every level α, the coalitions with excess ≥ α must form a balanced collection
    (with the singletons where ``x_i = v(i)`` allowed zero weight, for the nucleolus).
    Checked by one small LP per distinct excess level; meant for tests (``n ≤ 10``).
    With ``weights`` (``(2^n,)``, positive) the excess is ``(v(S) − x(S)) / w(S)``, which
    checks :func:`weighted_nucleolus`.

    References
    ----------
    Kohlberg (1971), Theorem 2; Peleg & Sudhölter (2007), *Introduction to the Theory
    of Cooperative Games*, Theorems 5.2.7 and 5.1.6.
    """
    n, full = game.n, game.grand
    scale = max(1.0, float(np.abs(game.v).max()))
    if abs(float(np.sum(x)) - game.total) > tol * scale:
        return False
    masks = np.arange(1, full, dtype=np.int64)
    e = game.excess(x)[masks]
    if weights is not None:
        e = e / np.asarray(weights, dtype=float)[masks]
    b0 = [1 << i for i in range(n) if imputation and abs(x[i] - game.standalone[i]) <= tol * scale]
    if imputation and np.any(x < game.standalone - tol * scale):
        return False
    levels = np.unique(np.round(e / (tol * scale)) * (tol * scale))[::-1]
    for alpha in levels:
        d = masks[e >= alpha - tol * scale]
        extra = [m for m in b0 if m not in set(d.tolist())]
        cols = np.concatenate([d, np.array(extra, dtype=np.int64)])
        a_eq = np.hstack([_bits(cols, n).T, -np.ones((n, 1))])  # Σ λ_S 1_S − t 1 = 0
        bounds = [(1.0, None)] * len(d) + [(0.0, None)] * len(extra) + [(0.0, None)]
        res = linprog(
            np.zeros(len(cols) + 1), A_eq=a_eq, b_eq=np.zeros(n), bounds=bounds, method="highs"
        )
        if res.status != 0:
            return False
    return True
