"""Cost-allocation games: dividing the cost of shared infrastructure.

A cost game is a :class:`~sim.games.tu.Game` whose array holds costs: ``c[mask]`` is
what the coalition ``mask`` would pay to build what its members need on their own,
``c[0] = 0``. Cooperating saves ``Σ_{i∈S} c(i) − c(S)``; the rules here divide the
grand coalition's cost ``c(N)`` so that everyone pays a share of it.

- :func:`scrb` — separable costs–remaining benefits, the rule of the US federal
  water agencies since 1950; needs only ``c(N)``, each ``c(N∖i)`` and each ``c(i)``
  (or an alternative cost). :func:`scrb_batched` is the same over many problems.
- :func:`cost_shapley`, :func:`cost_nucleolus`, :func:`per_capita_nucleolus` — the
  game-theoretic rules on the whole cost function.
- :func:`savings_game`, :func:`cost_in_core` — the link to the value games of
  :mod:`sim.games.tu` and the core of a cost game.
- :func:`allocate_batch` — any of these rules over a batch of cost games.

Every rule works on the savings game where that is simpler: an allocation ``x`` of
costs and the allocation ``y_i = c(i) − x_i`` of savings have the same excesses,
``x(S) − c(S) = v(S) − y(S)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.games import nucleolus as _nucleolus
from sim.games.tu import (
    Array,
    Game,
    GameUndefinedError,
    coalition_sums,
    popcount,
    shapley,
    shapley_matrix,
)

__all__ = [
    "RULES",
    "ScrbBatch",
    "allocate_batch",
    "cost_in_core",
    "cost_nucleolus",
    "cost_shapley",
    "per_capita_nucleolus",
    "savings_game",
    "scrb",
    "scrb_batched",
]

#: Relative tolerance: a remaining benefit above ``-TOL·scale`` counts as 0, not negative.
TOL = 1e-9

NEGATIVE_REMAINING = (
    "a remaining benefit is negative: a party's separable cost c(N) − c(N∖i) exceeds "
    "what it would pay alone (or for its alternative), so the most it may be charged "
    "is below the least it must be charged"
)
NO_REMAINING = (
    "every remaining benefit is 0 while the non-separable cost is not: there is "
    "nothing to divide it in proportion to"
)


def _scale(*values: Array | float) -> float:
    """The tolerance scale: 1 or the largest magnitude among ``values``."""
    return max([1.0] + [float(np.max(np.abs(v), initial=0.0)) for v in values])


def savings_game(costs: Game) -> Game:
    r"""The savings game of a cost game: what each coalition saves by cooperating.

    Parameters
    ----------
    costs : Game
        The cost game ``c``, ``c(∅) = 0``.

    Returns
    -------
    Game
        The game ``v`` with the same players.

    Notes
    -----
    .. math:: v(S) = \sum_{i \in S} c(i) - c(S)

    so ``v(i) = 0``. An allocation ``x`` of the costs and ``y_i = c(i) − x_i`` of the
    savings have equal excesses, ``x(S) − c(S) = v(S) − y(S)``: the core, the
    (per-capita) nucleolus and the Shapley value correspond one to one.

    References
    ----------
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.

    Examples
    --------
    >>> c = Game(("A", "B"), np.array([0, 10, 8, 15.0]))
    >>> savings_game(c).v.tolist()
    [0.0, 0.0, 0.0, 3.0]
    """
    v = coalition_sums(costs.standalone) - costs.v
    v[0] = 0.0
    return Game(costs.players, v + 0.0)


def _scrb_rows(
    total: Array, without: Array, alone: Array
) -> tuple[Array, NDArray[np.bool_], NDArray[np.bool_]]:
    """SCRB over rows of ``(m, n)`` arrays: allocations and the two reasons' masks."""
    separable = total[:, None] - without
    remaining = alone - separable
    scale = np.maximum(1.0, np.max(np.abs(np.hstack([total[:, None], without, alone])), axis=1))
    negative = np.any(remaining < -TOL * scale[:, None], axis=1)
    remaining = np.maximum(remaining, 0.0)  # noise within the tolerance is 0
    nonseparable = total - separable.sum(axis=1)
    weight = remaining.sum(axis=1)
    nothing = (weight <= TOL * scale) & (np.abs(nonseparable) > TOL * scale)
    safe = np.where(weight > TOL * scale, weight, 1.0)
    share = np.where((weight > TOL * scale)[:, None], remaining / safe[:, None], 0.0)
    return separable + share * nonseparable[:, None], negative, nothing & ~negative


def scrb(total: float, without: ArrayLike, alone: ArrayLike) -> Array:
    r"""Separable costs–remaining benefits (SCRB): each pays its separable cost and a share
    of the non-separable cost in proportion to its remaining benefit.

    Parameters
    ----------
    total : float
        ``c(N)``, the cost of the joint project.
    without : array_like, shape (n,)
        ``c(N∖i)``, the cost of the project without party ``i``.
    alone : array_like, shape (n,)
        The most party ``i`` can be asked to pay: its standalone cost ``c(i)`` or, where
        it has a cheaper alternative (or a benefit below its cost), that lesser amount.
        The caller passes the minimum: ``min(c(i), alternative_i)``.

    Returns
    -------
    ndarray, shape (n,)
        The allocation ``x``; ``Σ x = c(N)``.

    Raises
    ------
    GameUndefinedError
        If some remaining benefit is negative, or every remaining benefit is 0 while the
        non-separable cost is not.

    Notes
    -----
    Separable cost :math:`s_i = c(N) - c(N \setminus i)`, remaining benefit
    :math:`r_i = a_i - s_i` with :math:`a_i` = ``alone[i]``, non-separable cost
    :math:`g = c(N) - \sum_j s_j`, and

    .. math:: x_i = s_i + \frac{r_i}{\sum_j r_j}\, g.

    The 1950 report that introduced the method bounds each purpose's allocation below
    by its separable cost and above by the lesser of its benefit and its alternative
    cost, so a negative :math:`r_i` makes the bounds contradict each other (the purpose
    does not pay its way in the project). Young, Okada & Hashimoto (1982) apply the
    formula where every :math:`r_i \ge 0`. Rather than clip a negative :math:`r_i` to 0
    and charge that party its full separable cost above its alternative, this function
    reports the problem as undefined. Remaining benefits within ``1e-9`` of the scale
    below 0 count as 0. When every :math:`r_i = 0` and :math:`g = 0`, :math:`x = s`.

    References
    ----------
    Federal Inter-Agency River Basin Committee, Subcommittee on Benefits and Costs
    (1950). *Proposed Practices for Economic Analysis of River Basin Projects*
    (the "Green Book"). Washington, DC.
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.
    Straffin, P. D. & Heaney, J. P. (1981). Game theory and the Tennessee Valley
    Authority. *International Journal of Game Theory* 10(1): 35–43.

    Examples
    --------
    Two towns: 10 and 8 alone, 15 together. Separable costs 7 and 5, remaining
    benefits 3 and 3, the non-separable 3 is split evenly.

    >>> scrb(15.0, [8.0, 10.0], [10.0, 8.0]).tolist()
    [8.5, 6.5]
    """
    w = np.atleast_1d(np.asarray(without, dtype=float))
    a = np.atleast_1d(np.asarray(alone, dtype=float))
    if w.shape != a.shape or w.ndim != 1:
        raise ValueError(f"without and alone need the same shape (n,), got {w.shape}, {a.shape}")
    separable = total - w
    remaining = a - separable
    tol = TOL * _scale(total, w, a)
    if np.any(remaining < -tol):
        worst = ", ".join(str(i) for i in np.flatnonzero(remaining < -tol))
        raise GameUndefinedError(f"{NEGATIVE_REMAINING} (player index {worst})")
    remaining = np.maximum(remaining, 0.0)
    nonseparable = total - float(separable.sum())
    weight = float(remaining.sum())
    if weight <= tol:
        if abs(nonseparable) > tol:
            raise GameUndefinedError(NO_REMAINING)
        return separable + 0.0
    return separable + remaining / weight * nonseparable + 0.0


@dataclass(frozen=True)
class ScrbBatch:
    """SCRB over many problems: allocations, which rows are defined, and why not."""

    allocations: Array
    """``(m, n)``; a row of NaN where SCRB is undefined."""
    defined: NDArray[np.bool_]
    """``(m,)``."""
    reasons: tuple[str, ...]
    """``m`` strings: ``""`` where defined, else why not."""


def scrb_batched(total: ArrayLike, without: ArrayLike, alone: ArrayLike) -> ScrbBatch:
    r"""SCRB for ``m`` problems at once, vectorised over the rows.

    Parameters
    ----------
    total : array_like, shape (m,)
        ``c(N)`` of each problem.
    without : array_like, shape (m, n)
        ``c(N∖i)`` of each problem and party.
    alone : array_like, shape (m, n)
        ``min(c(i), alternative_i)`` of each problem and party (see :func:`scrb`).

    Returns
    -------
    ScrbBatch
        ``allocations (m, n)`` with NaN rows where undefined, ``defined (m,)`` and one
        reason per row (``""`` where defined).

    Notes
    -----
    The same formula and the same undefined cases as :func:`scrb`,
    :math:`x_i = s_i + r_i / \sum_j r_j \cdot g`, computed for every row by array
    operations (no Python loop over the ``m`` problems).

    References
    ----------
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.

    Examples
    --------
    >>> out = scrb_batched([15.0, 20.0], [[8.0, 10.0], [8.0, 10.0]], [[10.0, 8.0], [10.0, 8.0]])
    >>> out.allocations[0].tolist(), out.defined.tolist()
    ([8.5, 6.5], [True, False])
    >>> out.reasons[1].startswith("a remaining benefit is negative")
    True
    """
    t = np.atleast_1d(np.asarray(total, dtype=float))
    w = np.atleast_2d(np.asarray(without, dtype=float))
    a = np.atleast_2d(np.asarray(alone, dtype=float))
    if w.shape != a.shape or w.shape[0] != t.shape[0] or t.ndim != 1:
        raise ValueError(f"need total (m,), without and alone (m, n); got {t.shape}, {w.shape}")
    x, negative, nothing = _scrb_rows(t, w, a)
    undefined = negative | nothing
    x[undefined] = np.nan
    reasons = np.where(negative, NEGATIVE_REMAINING, np.where(nothing, NO_REMAINING, ""))
    return ScrbBatch(x + 0.0, ~undefined, tuple(str(r) for r in reasons))


def cost_shapley(costs: Game) -> Array:
    r"""The Shapley value of a cost game: each party's average marginal cost.

    Parameters
    ----------
    costs : Game
        The cost game (every coalition's cost).

    Returns
    -------
    ndarray, shape (n,)
        The cost allocation; ``Σ x = c(N)``.

    Notes
    -----
    .. math:: x_i = \sum_{S \not\ni i} \frac{|S|!\,(n-|S|-1)!}{n!}\,\big(c(S \cup i) - c(S)\big)

    the cost each party adds on joining, averaged over every order of joining. The
    value is linear, so it is :func:`sim.games.tu.shapley` of the cost game itself, and
    equals ``c(i) − φ_i(v)`` for the savings game ``v``.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory
    of Games II*, Annals of Mathematics Studies 28, 307–317.
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.

    Examples
    --------
    >>> cost_shapley(Game(("A", "B"), np.array([0, 10, 8, 15.0]))).tolist()
    [8.5, 6.5]
    """
    return np.asarray(shapley(costs) + 0.0)


NO_IMPUTATIONS = (
    "c(N) exceeds the sum of the standalone costs: no allocation has every party "
    "pay at most what it would alone"
)


def _imputations_exist(costs: Game) -> None:
    """Raise unless some allocation has every party pay at most its standalone cost."""
    if costs.total > float(costs.standalone.sum()) + TOL * _scale(costs.v):
        raise GameUndefinedError(NO_IMPUTATIONS)


def cost_nucleolus(costs: Game) -> Array:
    r"""The nucleolus of a cost game: the largest excess of any coalition made as small
    as possible, then the next largest, and so on.

    Parameters
    ----------
    costs : Game
        The cost game (every coalition's cost).

    Returns
    -------
    ndarray, shape (n,)
        The cost allocation; ``Σ x = c(N)`` and ``x_i ≤ c(i)``.

    Raises
    ------
    GameUndefinedError
        If ``c(N) > Σ c(i)`` (no allocation charges everyone at most its own cost).

    Notes
    -----
    Over the allocations with :math:`\sum_i x_i = c(N)` and :math:`x_i \le c(i)`, it
    lexicographically minimises the excesses :math:`x(S) - c(S)` sorted in decreasing
    order. It is the nucleolus of the savings game ``v`` through :math:`x_i = c(i) - y_i`
    (:func:`sim.games.nucleolus.nucleolus`), and lies in the core whenever the core is
    not empty.

    References
    ----------
    Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM
    Journal on Applied Mathematics* 17(6): 1163–1170.
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.

    Examples
    --------
    >>> cost_nucleolus(Game(("A", "B"), np.array([0, 10, 8, 15.0]))).round(9).tolist()
    [8.5, 6.5]
    """
    _imputations_exist(costs)
    y = _nucleolus.nucleolus(savings_game(costs))
    return np.asarray(costs.standalone - y + 0.0)


def per_capita_nucleolus(costs: Game) -> Array:
    r"""The per-capita nucleolus of a cost game: the nucleolus with each coalition's
    excess divided by its number of members.

    Parameters
    ----------
    costs : Game
        The cost game (every coalition's cost).

    Returns
    -------
    ndarray, shape (n,)
        The cost allocation; ``Σ x = c(N)`` and ``x_i ≤ c(i)``.

    Raises
    ------
    GameUndefinedError
        If ``c(N) > Σ c(i)``.

    Notes
    -----
    Over the same allocations as :func:`cost_nucleolus`, it lexicographically minimises
    the per-capita excesses

    .. math:: \frac{x(S) - c(S)}{|S|}

    sorted in decreasing order: a coalition's complaint is what each member would save
    by leaving. It is the weighted nucleolus (:func:`sim.games.nucleolus.weighted_nucleolus`,
    ``w(S) = |S|``) of the savings game, and lies in the core whenever the core is not
    empty. Grotte (1970) introduced it as the *normalized nucleolus*; Young, Okada &
    Hashimoto (1982) compute the related *weak least core* (the allocations with
    :math:`x(S) \le c(S) + \varepsilon |S|` for the smallest such ε) for their Swedish
    example; Young (1985) calls it the *per capita nucleolus*, the name used here.

    References
    ----------
    Grotte, J. H. (1970). *Computation of and observations on the nucleolus, the
    normalized nucleolus and the central games*. MSc thesis, Cornell University.
    Young, H. P., Okada, N. & Hashimoto, T. (1982). Cost allocation in water resources
    development. *Water Resources Research* 18(3): 463–475.
    Young, H. P. (1985). Monotonic solutions of cooperative games. *International
    Journal of Game Theory* 14(2): 65–72.

    Examples
    --------
    Three towns: 15, 20 and 55 alone, 35 (1 and 2), 61 (1 and 3), 65 (2 and 3), 78
    together (Young 1985):

    >>> c = Game(("1", "2", "3"), np.array([0, 15, 20, 35, 55, 61, 65, 78.0]))
    >>> (per_capita_nucleolus(c) * 6).round(6).tolist()
    [86.0, 113.0, 269.0]
    """
    _imputations_exist(costs)
    weights = popcount(costs.n).astype(float)
    weights[0] = 1.0
    y = _nucleolus.weighted_nucleolus(savings_game(costs), weights)
    return np.asarray(costs.standalone - y + 0.0)


def cost_in_core(costs: Game, x: ArrayLike, tol: float = 1e-9) -> bool:
    r"""Whether ``x`` is in the core of the cost game: ``Σx = c(N)`` and ``x(S) ≤ c(S)``.

    Parameters
    ----------
    costs : Game
        The cost game.
    x : array_like, shape (n,)
        A cost allocation.
    tol : float
        Relative tolerance (of the largest cost, at least 1).

    Returns
    -------
    bool
        True when no coalition pays more than it would on its own.

    Notes
    -----
    The core of a cost game is
    :math:`\{x : \sum_{i \in N} x_i = c(N),\ \sum_{i \in S} x_i \le c(S)\ \forall S\}`;
    ``x`` is in it exactly when ``c(i) − x_i`` is in the core of :func:`savings_game`.

    References
    ----------
    Gillies, D. B. (1959). Solutions to general non-zero-sum games. In *Contributions to
    the Theory of Games IV*, Annals of Mathematics Studies 40, 47–85.

    Examples
    --------
    >>> c = Game(("A", "B"), np.array([0, 10, 8, 15.0]))
    >>> cost_in_core(c, np.array([8.5, 6.5])), cost_in_core(c, np.array([11.0, 4.0]))
    (True, False)
    """
    xs = np.asarray(x, dtype=float)
    scale = max(1.0, float(np.abs(costs.v).max()))
    efficient = abs(float(xs.sum()) - costs.total) <= tol * scale
    return efficient and bool(np.all(coalition_sums(xs) - costs.v <= tol * scale))


def _batch_scrb(costs: Array) -> tuple[Array, tuple[str, ...]]:
    n = int(math.log2(costs.shape[1]))
    full = (1 << n) - 1
    without = costs[:, [full & ~(1 << i) for i in range(n)]]
    alone = costs[:, [1 << i for i in range(n)]]
    out = scrb_batched(costs[:, full], without, alone)
    return out.allocations, out.reasons


def _batch_shapley(costs: Array) -> tuple[Array, tuple[str, ...]]:
    n = int(math.log2(costs.shape[1]))
    return np.asarray(costs @ shapley_matrix(n)), ("",) * costs.shape[0]


def _batch_nucleoli(per_capita: bool) -> Callable[[Array], tuple[Array, tuple[str, ...]]]:
    """The (per-capita) nucleolus of every cost game of a batch, through its savings
    game and :func:`sim.games.batched.nucleoli` (what the per-game rules give)."""

    def run(costs: Array) -> tuple[Array, tuple[str, ...]]:
        from sim.games.batched import nucleoli

        n = int(math.log2(costs.shape[1]))
        alone = costs[:, 1 << np.arange(n)]
        scale = np.maximum(1.0, np.abs(costs).max(axis=1))
        empty = costs[:, -1] > alone.sum(axis=1) + TOL * scale
        savings = coalition_sums(alone) - costs + 0.0
        savings[:, 0] = 0.0
        weights = popcount(n).astype(float) if per_capita else None
        if weights is not None:
            weights[0] = 1.0
        y, reasons = nucleoli(savings[~empty], weights=weights)
        out = np.full(alone.shape, np.nan)
        out[~empty] = alone[~empty] - y + 0.0
        why = iter(reasons)
        return out, tuple(NO_IMPUTATIONS if e else next(why) for e in empty)

    return run


#: Every cost rule by its name, on a batch of cost games ``(m, 2^n) -> ((m, n), reasons)``.
RULES: dict[str, Callable[[Array], tuple[Array, tuple[str, ...]]]] = {
    "scrb": _batch_scrb,
    "shapley": _batch_shapley,
    "nucleolus": _batch_nucleoli(per_capita=False),
    "per_capita_nucleolus": _batch_nucleoli(per_capita=True),
}


def allocate_batch(name: str, costs: ArrayLike) -> tuple[Array, tuple[str, ...]]:
    """The cost rule ``name`` on a batch of cost games.

    Parameters
    ----------
    name : str
        ``"scrb"``, ``"shapley"``, ``"nucleolus"`` or ``"per_capita_nucleolus"``.
    costs : array_like, shape (m, 2^n)
        Each row a cost game indexed by bitmask, column 0 (the empty coalition) 0. For
        SCRB, ``alone`` is ``c(i)`` (column ``2^i``).

    Returns
    -------
    (ndarray, tuple of str)
        Allocations ``(m, n)`` with a NaN row where the rule is undefined, and one
        reason per row (``""`` where defined).

    Notes
    -----
    SCRB and Shapley are vectorised over the rows (the Shapley value is linear:
    ``x = c @ W``); the nucleoli go through :func:`sim.games.batched.nucleoli` on the
    savings games.

    References
    ----------
    See :func:`scrb`, :func:`cost_shapley`, :func:`cost_nucleolus` and
    :func:`per_capita_nucleolus`.

    Examples
    --------
    >>> x, why = allocate_batch("shapley", np.array([[0, 10, 8, 15.0], [0, 4, 4, 6.0]]))
    >>> x.tolist(), why
    ([[8.5, 6.5], [3.0, 3.0]], ('', ''))
    """
    if name not in RULES:
        raise KeyError(f"no cost rule {name!r}; known: {', '.join(RULES)}")
    c = np.atleast_2d(np.asarray(costs, dtype=float))
    n = int(math.log2(c.shape[1])) if c.shape[1] > 0 else -1
    if n < 1 or c.shape[1] != 1 << n:
        raise ValueError(f"cost games need 2^n columns, got {c.shape[1]}")
    return RULES[name](c)
