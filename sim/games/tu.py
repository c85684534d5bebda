"""Transferable-utility games and their one-shot solutions.

A game of ``n`` players is stored as the array of its ``2^n`` coalition values,
indexed by bitmask: coalition ``S`` has bit ``i`` set when player ``i`` is in it, and
``v[0] = 0`` is the empty coalition. Every solution here is vectorised over the
subset lattice (no loop over permutations), which is what makes 20 players cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from numpy.typing import NDArray

from sim.errors import SimError

__all__ = [
    "Game",
    "GameUndefinedError",
    "banzhaf",
    "banzhaf_matrix",
    "coalition_sums",
    "equal_surplus",
    "normalized_banzhaf",
    "popcount",
    "proportional_standalone",
    "shapley",
    "shapley_by_orders",
    "shapley_matrix",
    "shapley_sampled",
    "solve_each",
    "tau_value",
]

Array = NDArray[np.float64]

#: Largest game stored as an explicit array of coalition values (2^20 values).
MAX_EXPLICIT_PLAYERS = 20


class GameUndefinedError(SimError, ValueError):
    """A solution that is not defined for this game (the reason says why)."""


@dataclass(frozen=True)
class Game:
    """A TU game: ``players`` and the value ``v[mask]`` of every coalition."""

    players: tuple[str, ...]
    v: Array

    def __post_init__(self) -> None:
        n = len(self.players)
        if n < 1:
            raise ValueError("a game needs at least one player")
        if n > MAX_EXPLICIT_PLAYERS:
            raise ValueError(f"at most {MAX_EXPLICIT_PLAYERS} players as an explicit game, got {n}")
        if self.v.shape != (1 << n,):
            raise ValueError(f"{n} players need {1 << n} coalition values, got {self.v.shape}")
        if self.v[0] != 0:
            raise ValueError("the empty coalition must have value 0")

    @property
    def n(self) -> int:
        """The number of players."""
        return len(self.players)

    @property
    def grand(self) -> int:
        """The bitmask of the grand coalition."""
        return (1 << self.n) - 1

    @property
    def total(self) -> float:
        """v(N)."""
        return float(self.v[self.grand])

    @cached_property
    def standalone(self) -> Array:
        """``(n,)`` v({i}) of each player."""
        return np.array([self.v[1 << i] for i in range(self.n)])

    @classmethod
    def from_function(
        cls, players: Sequence[str], value: Callable[[NDArray[np.bool_]], Array]
    ) -> Game:
        """Build a game from ``value(members)`` where ``members`` is ``(2^n, n)`` boolean."""
        n = len(players)
        masks = np.arange(1 << n)
        members = ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        v = np.asarray(value(members), dtype=float).copy()
        v[0] = 0.0
        return cls(tuple(players), v)

    @classmethod
    def from_mapping(cls, players: Sequence[str], values: Mapping[frozenset[str], float]) -> Game:
        """Build a game from ``{frozenset(members): value}`` (every nonempty coalition)."""
        index = {p: i for i, p in enumerate(players)}
        v = np.zeros(1 << len(players))
        for members, value in values.items():
            mask = 0
            for p in members:
                mask |= 1 << index[p]
            v[mask] = value
        return cls(tuple(players), v)

    def coalition(self, mask: int) -> tuple[str, ...]:
        """The players of coalition ``mask``."""
        return tuple(p for i, p in enumerate(self.players) if mask >> i & 1)

    def excess(self, x: Array) -> Array:
        """``(2^n,)`` excess ``v(S) − x(S)`` of every coalition at allocation ``x``."""
        return np.asarray(self.v - coalition_sums(x))

    def in_core(self, x: Array, tol: float = 1e-9) -> bool:
        """Whether ``x`` is efficient and no coalition can do better on its own."""
        scale = max(1.0, float(np.abs(self.v).max()))
        efficient = abs(float(np.sum(x)) - self.total) <= tol * scale
        return efficient and bool(self.excess(x).max() <= tol * scale)

    def outside_core(self, x: Array, tol: float = 1e-9) -> tuple[int, ...]:
        """Why ``x`` is not in the core (:meth:`in_core`, the same tolerance): every
        coalition (a player alone included) that gets less than its value, by bitmask,
        and the grand coalition's where ``x`` does not add up to v(N); ``()`` in the core.

        Examples
        --------
        >>> g = Game(("a", "b", "c"), np.array([0, 0, 0, 4, 0, 0, 0, 6.0]))
        >>> g.outside_core(np.array([1.0, 1.0, 4.0])), g.outside_core(np.array([2, 2, 2.0]))
        ((3,), ())
        """
        scale = max(1.0, float(np.abs(self.v).max()))
        excess = self.excess(np.asarray(x, dtype=float))
        out = [m for m in range(1, self.grand) if excess[m] > tol * scale]
        if abs(float(np.sum(x)) - self.total) > tol * scale:
            out.append(self.grand)
        return tuple(out)

    def core_segment(
        self, start: Array, end: Array, tol: float = 1e-9
    ) -> tuple[float, float] | None:
        """The part of the segment ``x(t) = start + t (end − start)``, ``t ∈ [0, 1]``,
        that lies in the core, as ``(t_low, t_high)``; ``None`` when none does.

        Both ends must be efficient (``Σx = v(N)``; else ``None``); then ``x(t)`` is
        too, and each coalition's constraint ``x(t)(S) ≥ v(S)`` is affine in ``t``: a
        half-line, so the core's part is one interval (the core is convex). Each
        coalition is allowed ``tol`` of the game's largest value, as in
        :meth:`in_core`.

        Examples
        --------
        Three players, v = 6 for the grand coalition, 4 for {0, 1}, 0 otherwise; from
        (0, 0, 6) to (6, 0, 0): {0, 1} needs ``6 t ≥ 4`` and player 2 nothing more.

        >>> g = Game(("a", "b", "c"), np.array([0, 0, 0, 4, 0, 0, 0, 6.0]))
        >>> [round(t, 6) for t in g.core_segment(np.array([0, 0, 6.0]), np.array([6.0, 0, 0]))]
        [0.666667, 1.0]
        """
        scale = max(1.0, float(np.abs(self.v).max()))
        start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
        for x in (start, end):
            if abs(float(x.sum()) - self.total) > tol * scale:
                return None
        at0 = coalition_sums(start)[1:-1]  # proper non-empty coalitions
        slope = coalition_sums(end)[1:-1] - at0
        need = self.v[1:-1] - tol * scale - at0  # slope · t ≥ need
        low, high = 0.0, 1.0
        flat = np.abs(slope) <= 1e-15 * scale
        if np.any(flat & (need > 0)):
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            ends = need / np.where(flat, 1.0, slope)
        if np.any(~flat & (slope > 0)):
            low = max(low, float(ends[~flat & (slope > 0)].max()))
        if np.any(~flat & (slope < 0)):
            high = min(high, float(ends[~flat & (slope < 0)].min()))
        return (low, high) if low <= high else None

    def is_superadditive(self, tol: float = 1e-9) -> bool:
        """v(S ∪ T) ≥ v(S) + v(T) for disjoint S, T (checked exhaustively; small n)."""
        full = self.grand
        for s in range(1, full + 1):
            rest = full & ~s
            t = rest
            while t:
                if t > s and self.v[s | t] < self.v[s] + self.v[t] - tol:
                    return False
                t = (t - 1) & rest
        return True


def popcount(n: int) -> NDArray[np.int64]:
    """``(2^n,)`` number of members of every coalition."""
    counts = np.zeros(1, dtype=np.int64)
    for _ in range(n):
        counts = np.concatenate([counts, counts + 1])
    return counts


def coalition_sums(x: Array) -> Array:
    """``(…, 2^n)`` the sum ``x(S)`` over the members of every coalition ``S``.

    Built by doubling (coalitions without player ``i``, then with), so it costs
    ``2^n`` additions in all, not ``n · 2^n``. ``x`` may be ``(n,)`` or a batch
    ``(m, n)``; each row is summed in the same order whatever the batch.

    Examples
    --------
    >>> coalition_sums(np.array([1.0, 10.0])).tolist()
    [0.0, 1.0, 10.0, 11.0]
    >>> coalition_sums(np.array([[1.0, 10.0], [2.0, 3.0]])).tolist()
    [[0.0, 1.0, 10.0, 11.0], [0.0, 2.0, 3.0, 5.0]]
    """
    x = np.asarray(x, dtype=float)
    sums = np.zeros((*x.shape[:-1], 1))
    for i in range(x.shape[-1]):
        sums = np.concatenate([sums, sums + x[..., i, None]], axis=-1)
    return sums


def _half_sums(u: Array, n: int) -> Array:
    """``(n,)`` Σ of ``u`` over the coalitions that contain each player."""
    cube = u.reshape((2,) * n)  # axis k is bit n − 1 − k
    out = np.empty(n)
    for i in range(n):
        out[i] = cube.take(1, axis=n - 1 - i).sum()
    return out


def shapley(game: Game) -> Array:
    r"""The Shapley value, exactly, by a weighted sum over coalitions.

    Notes
    -----
    .. math:: \phi_i = \sum_{S \ni i} \frac{(|S|-1)!\,(n-|S|)!}{n!} v(S)
                     - \sum_{S \not\ni i} \frac{|S|!\,(n-|S|-1)!}{n!} v(S)

    which is the average marginal contribution over all orders, rearranged so that
    each coalition value is read once: ``O(n · 2^n)`` with no permutation.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. In *Contributions to the
    Theory of Games II*, Annals of Mathematics Studies 28, 307–317.

    Examples
    --------
    The glove game: player A holds a left glove, B and C a right glove each; a pair
    is worth 1. The Shapley value is (2/3, 1/6, 1/6).

    >>> v = np.array([0, 0, 0, 1, 0, 1, 0, 1.0])
    >>> shapley(Game(("A", "B", "C"), v)).round(6).tolist()
    [0.666667, 0.166667, 0.166667]
    """
    n = game.n
    size = popcount(n)
    fact = np.array([math.factorial(k) for k in range(n + 1)], dtype=float)
    # weight of a member's value (|S|-1)!(n-|S|)!/n! and of a non-member's |S|!(n-|S|-1)!/n!
    member = np.zeros(n + 1)
    member[1:] = fact[:n] * fact[n - 1 :: -1] / fact[n]
    other = np.zeros(n + 1)
    other[:n] = fact[:n] * fact[n - 1 :: -1] / fact[n]
    # φ_i = Σ_{S∋i} (member+other)[|S|] v(S) − Σ_S other[|S|] v(S)
    both = (member + other)[size] * game.v
    base = float((other[size] * game.v).sum())
    return _half_sums(both, n) - base


@lru_cache(maxsize=16)
def shapley_matrix(n: int) -> Array:
    """``(2^n, n)`` weights ``W`` with ``φ = v @ W`` for every game of ``n`` players.

    The Shapley value is linear in the coalition values, so one matrix product gives
    it for a whole batch of games ``(m, 2^n)`` at once. Row ``S`` holds
    ``(|S|−1)!(n−|S|)!/n!`` for the members of ``S`` and ``−|S|!(n−|S|−1)!/n!`` for the
    others (row 0, the empty coalition, is zero). Built in ``O(n · 2^n)``; read-only and
    cached per ``n``.

    Examples
    --------
    >>> v = np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]])  # the glove game
    >>> (v @ shapley_matrix(3)).round(6).tolist()
    [[0.666667, 0.166667, 0.166667]]
    """
    k = 1 << n
    masks = np.arange(k)
    member = ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
    size = popcount(n)
    fact = np.array([math.factorial(j) for j in range(n + 1)], dtype=float)
    inside = np.zeros(n + 1)
    inside[1:] = fact[:n] * fact[n - 1 :: -1] / fact[n]  # (|S|−1)!(n−|S|)!/n!
    outside = np.zeros(n + 1)
    outside[:n] = fact[:n] * fact[n - 1 :: -1] / fact[n]  # |S|!(n−|S|−1)!/n!
    w = np.where(member, inside[size][:, None], -outside[size][:, None])
    w[0] = 0.0
    w.setflags(write=False)
    return np.asarray(w)


@lru_cache(maxsize=16)
def banzhaf_matrix(n: int) -> Array:
    """``(2^n, n)`` weights ``B`` with the raw Banzhaf value ``β = v @ B`` (row 0 zero).

    Examples
    --------
    >>> w = np.array([49, 49, 2])
    >>> g = Game.from_function("ABC", lambda m: (m @ w >= 51).astype(float))
    >>> (g.v @ banzhaf_matrix(3)).tolist()
    [0.5, 0.5, 0.5]
    """
    k = 1 << n
    masks = np.arange(k)
    member = ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(float)
    b = (2.0 * member - 1.0) / 2 ** (n - 1)
    b[0] = 0.0
    b.setflags(write=False)
    return np.asarray(b)


def solve_each(solution: Callable[[Game], Array], values: Array) -> tuple[Array, tuple[str, ...]]:
    """A one-game solution applied to each game of a batch ``values`` ``(m, 2^n)``.

    For solutions with no closed form over a batch (the nucleoli, the τ-value). A game
    where the solution raises :class:`GameUndefinedError` gets a NaN row and the
    error's message; the others an empty reason.

    Examples
    --------
    >>> x, why = solve_each(tau_value, np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]]))
    >>> x.tolist(), why
    ([[1.0, 0.0, 0.0]], ('',))
    """
    m, k = values.shape
    n = k.bit_length() - 1
    players = tuple(map(str, range(n)))
    out = np.full((m, n), np.nan)
    reasons = [""] * m
    for r in range(m):
        try:
            out[r] = solution(Game(players, np.concatenate([[0.0], values[r, 1:]])))
        except GameUndefinedError as exc:
            reasons[r] = str(exc)
    return out, tuple(reasons)


def shapley_by_orders(game: Game) -> Array:
    """The Shapley value by its definition: marginal contributions averaged over all n! orders.

    ``O(n! · n)``: the baseline of the benchmark and a cross-check in the tests, usable
    up to about 9 players.
    """
    from itertools import permutations

    n = game.n
    phi = np.zeros(n)
    for order in permutations(range(n)):
        mask = 0
        for i in order:
            phi[i] += game.v[mask | 1 << i] - game.v[mask]
            mask |= 1 << i
    return np.asarray(phi / math.factorial(n))


def shapley_sampled(
    players: Sequence[str],
    value: Callable[[NDArray[np.bool_]], Array],
    *,
    samples: int = 2000,
    seed: int | np.random.SeedSequence = 0,
) -> tuple[Array, Array]:
    """The Shapley value estimated from random orders, with its standard error.

    For games too large to store (more than 20 players): ``value(members)`` takes a
    ``(k, n)`` boolean matrix of coalitions and returns their ``k`` values. Each of
    ``samples`` orders costs one call with ``n + 1`` coalitions. The estimate is the
    mean marginal contribution over the sampled orders; the standard error is the
    standard deviation of that mean (Castro, Gómez & Tejada 2009, *Computers &
    Operations Research* 36(5): 1726–1730).

    Returns
    -------
    (estimate, standard_error), each ``(n,)``.
    """
    n = len(players)
    rng = np.random.default_rng(seed)
    contributions = np.empty((samples, n))
    for k in range(samples):
        order = rng.permutation(n)
        members = np.zeros((n + 1, n), dtype=bool)
        for j, player in enumerate(order):
            members[j + 1 :, player] = True
        v = np.asarray(value(members), dtype=float)
        contributions[k, order] = np.diff(v)
    mean = contributions.mean(axis=0)
    se = (
        contributions.std(axis=0, ddof=1) / math.sqrt(samples)
        if samples > 1
        else np.full(n, np.inf)
    )
    return mean, se


def banzhaf(game: Game) -> Array:
    r"""The raw Banzhaf value: each player's mean marginal contribution over coalitions.

    Notes
    -----
    .. math:: \beta_i = \frac{1}{2^{n-1}} \sum_{S \not\ni i} \big(v(S \cup i) - v(S)\big)

    It need not sum to v(N).

    References
    ----------
    Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
    *Rutgers Law Review* 19: 317–343. Owen, G. (1975), Multilinear extensions and the
    Banzhaf value, *Naval Research Logistics Quarterly* 22(4): 741–750.

    Examples
    --------
    Banzhaf's own point: in the weighted vote [51; 49, 49, 2] the small party has the
    same power as each large one.

    >>> w = np.array([49, 49, 2])
    >>> g = Game.from_function("ABC", lambda m: (m @ w >= 51).astype(float))
    >>> banzhaf(g).tolist()
    [0.5, 0.5, 0.5]
    """
    n = game.n
    return np.asarray((2.0 * _half_sums(game.v, n) - game.v.sum()) / 2 ** (n - 1))


def normalized_banzhaf(game: Game) -> Array:
    """The Banzhaf value rescaled to sum to v(N) (undefined when the raw values sum to 0).

    Examples
    --------
    >>> w = np.array([49, 49, 2])
    >>> g = Game.from_function("ABC", lambda m: (m @ w >= 51).astype(float))
    >>> normalized_banzhaf(g).round(6).tolist()
    [0.333333, 0.333333, 0.333333]
    """
    raw = banzhaf(game)
    total = raw.sum()
    if abs(total) < 1e-12:
        raise GameUndefinedError("the raw Banzhaf values sum to 0")
    return np.asarray(raw * game.total / total)


def equal_surplus(game: Game) -> Array:
    """Each player's standalone value plus an equal share of the surplus of cooperating.

    ``x_i = v(i) + (v(N) − Σ_j v(j)) / n`` (the equal surplus division; Driessen &
    Funaki 1991, *OR Spektrum* 13: 15–30).

    Examples
    --------
    >>> equal_surplus(Game(("A", "B"), np.array([0, 1, 2, 6.0]))).tolist()
    [2.5, 3.5]
    """
    s = game.standalone
    return np.asarray(s + (game.total - s.sum()) / game.n)


def proportional_standalone(game: Game) -> Array:
    """v(N) divided in proportion to standalone values ``v(i)``.

    Undefined when the standalone values do not all have the same sign or sum to 0.

    Examples
    --------
    >>> proportional_standalone(Game(("A", "B"), np.array([0, 1, 3, 8.0]))).tolist()
    [2.0, 6.0]
    """
    s = game.standalone
    if abs(s.sum()) < 1e-12 or not (np.all(s >= 0) or np.all(s <= 0)):
        raise GameUndefinedError(
            "standalone values must share a sign and not sum to 0 for proportional division"
        )
    return np.asarray(game.total * s / s.sum())


def tau_value(game: Game, tol: float = 1e-9) -> Array:
    r"""The τ-value: the efficient compromise between utopia and minimal rights.

    Notes
    -----
    Utopia payoff :math:`M_i = v(N) − v(N \setminus i)`; minimal right
    :math:`m_i = \max_{S \ni i} \big(v(S) − \sum_{j \in S \setminus i} M_j\big)`. For a
    quasi-balanced game (:math:`m \le M` and :math:`\sum m \le v(N) \le \sum M`),
    :math:`\tau = m + \alpha (M − m)` with α making it efficient.

    References
    ----------
    Tijs, S. H. (1981). Bounds for the core and the τ-value. In *Game Theory and
    Mathematical Economics*, North-Holland, 123–132.

    Examples
    --------
    >>> v = np.array([0, 0, 0, 1, 0, 1, 0, 1.0])  # the glove game
    >>> tau_value(Game(("A", "B", "C"), v)).tolist()
    [1.0, 0.0, 0.0]
    """
    n, v, full = game.n, game.v, game.grand
    utopia = np.array([v[full] - v[full & ~(1 << i)] for i in range(n)])
    sums = coalition_sums(utopia)
    masks = np.arange(1 << n)
    minimal = np.empty(n)
    for i in range(n):
        with_i = masks[(masks >> i) & 1 == 1]
        minimal[i] = np.max(v[with_i] - (sums[with_i] - utopia[i]))
    scale = max(1.0, float(np.abs(v).max())) * tol
    if np.any(minimal > utopia + scale) or not (
        minimal.sum() - scale <= game.total <= utopia.sum() + scale
    ):
        raise GameUndefinedError("the game is not quasi-balanced (m ≤ M, Σm ≤ v(N) ≤ ΣM fails)")
    gap = utopia.sum() - minimal.sum()
    if gap <= scale:
        return utopia
    alpha = (game.total - minimal.sum()) / gap
    return np.asarray(minimal + alpha * (utopia - minimal))
