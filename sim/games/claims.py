"""Claims (bankruptcy) rules: dividing an estate smaller than what the parties claim.

Every rule takes the estate ``E`` and the claims ``c`` (both ≥ 0, ``E ≤ Σ c``) and
returns awards between 0 and each claim that sum to ``E``. In `sim`, the estate is a
fund short of what the parties ask of it (a development fund, a settlement pot).

None of them builds the bankruptcy game's ``2^n`` coalitions: proportional, constrained
equal awards and losses and Talmud are closed forms in ``O(n log n)`` for any number of
claimants; random arrival (the game's Shapley value, whose exact computation is NP-hard
in general) is exact by a dynamic programme over the claims' decimal grid, in time
pseudo-polynomial in the estate (:func:`random_arrival`). The core of the bankruptcy
game and its least core have closed forms too (:func:`least_core_epsilon`,
:func:`in_core`).

References
----------
Aumann, R. J. & Maschler, M. (1985). Game theoretic analysis of a bankruptcy problem
from the Talmud. *Journal of Economic Theory* 36(2): 195–213.
Curiel, I. J., Maschler, M. & Tijs, S. H. (1987). Bankruptcy games. *Zeitschrift für
Operations Research* 31(5): A143–A159.
Meinhardt, H. I. (2013). *The Matlab Game Theory Toolbox MatTuGames Version 0.4: An
Introduction, Basics, and Examples*. Karlsruhe Institute of Technology (the examples).
O'Neill, B. (1982). A problem of rights arbitration from the Talmud. *Mathematical
Social Sciences* 2(4): 345–371.
Owen, G. (1972). Multilinear extensions of games. *Management Science* 18(5): P64–P79.
Thomson, W. (2003). Axiomatic and game-theoretic analysis of bankruptcy and taxation
problems: a survey. *Mathematical Social Sciences* 45(3): 249–297.
Yamazaki, S. & Matsui, T. (2025). On computing the Shapley value in bankruptcy games.
arXiv:2511.22208 (the decision problem is NP-complete).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.games.tu import (
    MAX_EXPLICIT_PLAYERS,
    Array,
    Game,
    GameUndefinedError,
    coalition_sums,
    shapley,
)

__all__ = [
    "RANDOM_ARRIVAL_BUDGET",
    "bankruptcy_game",
    "check_claims",
    "claims_grid",
    "constrained_equal_awards",
    "constrained_equal_losses",
    "in_core",
    "least_core_epsilon",
    "proportional",
    "random_arrival",
    "talmud",
]

RANDOM_ARRIVAL_BUDGET = 1e8
"""Largest dynamic programme for :func:`random_arrival`, in cell updates (under a second)."""

MAX_GRID_DECIMALS = 9
"""Claims are put on a grid of at most this many decimals (``10^-9``)."""


def check_claims(estate: float, claims: Sequence[float] | Array) -> Array:
    """Validate a claims problem and return the claims as an array."""
    c = np.asarray(claims, dtype=float)
    if not np.all(np.isfinite(c)) or not np.isfinite(estate):
        raise GameUndefinedError("estate and claims must be finite numbers")
    if np.any(c < 0) or estate < 0:
        raise GameUndefinedError("estate and claims must not be negative")
    if estate > c.sum() + 1e-12 * max(1.0, float(c.sum())):
        raise GameUndefinedError(
            f"the estate {estate:g} exceeds the total claim {c.sum():g}: not a claims problem"
        )
    return c


def proportional(estate: float, claims: Sequence[float] | Array) -> Array:
    """Awards proportional to claims: ``x_i = E · c_i / Σ c``.

    Examples
    --------
    >>> proportional(200, [100, 200, 300]).round(6).tolist()
    [33.333333, 66.666667, 100.0]
    """
    c = check_claims(estate, claims)
    total = c.sum()
    return np.zeros_like(c) if total == 0 else np.asarray(estate * c / total)


def constrained_equal_awards(estate: float, claims: Sequence[float] | Array) -> Array:
    """Equal awards, no one above their claim: ``x_i = min(c_i, λ)`` with Σ x = E.

    ``O(n log n)``: sort, then take the first ``k`` whose claim covers an equal share of
    what paying the ``k`` smaller claims in full leaves.

    Examples
    --------
    >>> constrained_equal_awards(200, [100, 200, 300]).round(6).tolist()
    [66.666667, 66.666667, 66.666667]
    >>> constrained_equal_awards(300, [50, 200, 300]).tolist()
    [50.0, 125.0, 125.0]
    """
    c = check_claims(estate, claims)
    n = len(c)
    if n == 0:
        return c
    order = np.sort(c)
    # paying the k smallest claims in full leaves E − Σ_{j<k} c_(j) for the n − k others;
    # the level is reached at the first k whose claim covers an equal share of that
    left = estate - np.concatenate([[0.0], np.cumsum(order[:-1])])
    share = left / (n - np.arange(n))
    reached = np.flatnonzero(order >= share)
    level = share[reached[0]] if len(reached) else order[-1]
    return np.asarray(np.minimum(c, level))


def constrained_equal_losses(estate: float, claims: Sequence[float] | Array) -> Array:
    """Equal losses, no one below zero: ``x_i = max(0, c_i − μ)`` with Σ x = E.

    Examples
    --------
    >>> constrained_equal_losses(200, [100, 200, 300]).tolist()
    [0.0, 50.0, 150.0]
    """
    c = check_claims(estate, claims)
    losses = constrained_equal_awards(c.sum() - estate, c)  # CEL is the dual of CEA, O(n log n)
    return np.asarray(c - losses)


def talmud(estate: float, claims: Sequence[float] | Array) -> Array:
    """The Talmud rule (Aumann & Maschler 1985).

    Up to half the total claim, constrained equal awards on the half-claims; above it,
    each gets half their claim plus constrained equal losses on the other halves.
    ``O(n log n)``. It is the nucleolus of the bankruptcy game (Aumann & Maschler 1985,
    Theorem A), so the nucleolus of any claims problem costs no linear programme.

    Examples
    --------
    The three estates of the Mishna (Kethubot 93a), claims 100, 200, 300
    (Aumann & Maschler 1985, Table 1):

    >>> [talmud(e, [100, 200, 300]).round(6).tolist() for e in (100, 200, 300)]
    [[33.333333, 33.333333, 33.333333], [50.0, 75.0, 75.0], [50.0, 100.0, 150.0]]

    The 21-claimant bankruptcy problem of Meinhardt (2013, section 3.1), estate 2/3 of
    the claims, whose nucleolus took a parallel computer 22 s:

    >>> d = [25, 37, 33, 22, 28, 70, 75, 83, 101, 143, 56, 69, 44, 128, 136, 150, 187,
    ...      54, 98, 174, 181]
    >>> talmud(sum(d) * 2 / 3, d)[6:10].round(4).tolist()
    [37.5152, 45.5152, 63.5152, 105.5152]
    """
    c = check_claims(estate, claims)
    estate = min(estate, float(c.sum()))
    half = c / 2
    if estate <= half.sum():
        return constrained_equal_awards(estate, half)
    return np.asarray(half + constrained_equal_losses(estate - half.sum(), half))


def bankruptcy_game(
    estate: float, claims: Sequence[float] | Array, players: Sequence[str] | None = None
) -> Game:
    """O'Neill's bankruptcy game: ``v(S) = max(0, E − Σ_{j ∉ S} c_j)``."""
    c = check_claims(estate, claims)
    names = tuple(players) if players is not None else tuple(f"p{i}" for i in range(len(c)))
    outside = c.sum() - coalition_sums(c)
    return Game(names, np.maximum(0.0, estate - outside))


def claims_grid(claims: Sequence[float] | Array) -> tuple[NDArray[np.int64], float] | None:
    """The claims as integer multiples of a common unit: ``(a, u)`` with ``c = a · u``.

    The unit is the greatest common divisor of the claims written with the fewest
    decimals (at most :data:`MAX_GRID_DECIMALS`) that represent each to 1e-12; ``None``
    when there is none (or the multiples would not be exact integers in a float).

    Examples
    --------
    >>> a, u = claims_grid([40, 32, 11, 73.3, 54.95, 81.1])
    >>> a.tolist(), u
    ([800, 640, 220, 1466, 1099, 1622], 0.05)
    """
    c = np.asarray(claims, dtype=float)
    for decimals in range(MAX_GRID_DECIMALS + 1):
        scaled = c * 10.0**decimals
        whole = np.round(scaled)
        if np.any(whole > 2.0**53):
            return None
        exact = np.abs(scaled - whole) <= 1e-12 * np.maximum(1.0, scaled)
        if np.all(exact & ((whole > 0) | (c == 0))):
            ints = whole.astype(np.int64)
            g = int(np.gcd.reduce(ints[ints > 0])) if np.any(ints > 0) else 1
            return ints // g, g / 10.0**decimals
    return None


def _grid_plan(estate: float, c: Array) -> tuple[NDArray[np.int64], float, int, float] | str:
    """The grid and the work of the random-arrival programme, or why there is none."""
    grid = claims_grid(c)
    if grid is None:
        return f"the claims are not multiples of one unit of at most {MAX_GRID_DECIMALS} decimals"
    a, unit = grid
    size = int(max(estate, float(c.sum()) - estate) // unit) + 1
    nodes = ((len(c) + 1) // 2 + 1) // 2
    scans = sum(2 + math.ceil(math.log2(max(2, size // int(v)))) for v in np.unique(a))
    work = float(nodes) * (len(c) + scans) * size
    if work > RANDOM_ARRIVAL_BUDGET:
        return (
            f"the dynamic programme would take {work:.2g} cell updates (budget "
            f"{RANDOM_ARRIVAL_BUDGET:.0g}): {len(c):,} claimants, {size:,} steps of {unit:g}"
        )
    return a, unit, size, work


def _divide(poly: Array, p: Array, a: int) -> Array:
    """Each row of ``poly`` divided by ``(1 − p) + p·x^a`` (``p ≤ 1/2``), truncated.

    The quotient ``g`` solves ``g_s = (F_s − p·g_{s−a}) / (1 − p)``: ``a`` independent
    first-order recurrences (one per residue mod ``a``), run by doubling — after step
    ``k`` each term holds its last ``2^k`` contributions. Errors are multiplied by
    ``p / (1 − p) ≤ 1`` per step: the division is stable.
    """
    rows, size = poly.shape
    blocks = -(-size // a)
    y = np.zeros((rows, blocks * a))
    y[:, :size] = poly / (1 - p)[:, None]
    y = y.reshape(rows, blocks, a)
    ratio = (-p / (1 - p))[:, None, None]
    shift = 1
    while shift < blocks:
        y[:, shift:] += ratio * y[:, :-shift]
        ratio = ratio * ratio
        shift *= 2
    return np.asarray(y.reshape(rows, -1)[:, :size])


def _random_arrival_on_grid(
    estate: float, c: Array, a: NDArray[np.int64], unit: float, size: int
) -> Array:
    """Random arrival of positive claims ``c = a · unit`` (see :func:`random_arrival`)."""
    from scipy.special import roots_legendre  # O(m²) where numpy's leggauss is O(m³)

    n = len(c)
    loss = float(c.sum()) - estate
    x, w = roots_legendre((n + 1) // 2)
    t, w = (x[: (len(x) + 1) // 2] + 1) / 2, w[: (len(x) + 1) // 2] / 2  # nodes t ≤ 1/2
    mirror = w.copy()
    if len(x) % 2:
        mirror[-1] = 0.0  # t = 1/2 is its own mirror: counted once
    steps = np.arange(size) * unit
    values, first, inverse = np.unique(a, return_index=True, return_inverse=True)
    awards = np.zeros(len(values))
    chunk = max(1, (1 << 21) // size)
    for start in range(0, len(t), chunk):
        p = t[start : start + chunk]
        keep = (1 - p)[:, None]
        # generating polynomial of c(P) over the grid, P ∋ j with probability p
        poly = np.zeros((len(p), size))
        poly[:, 0] = 1.0
        for aj in a.tolist():
            moved = poly[:, :-aj] * p[:, None] if aj < size else None
            poly *= keep
            if moved is not None:
                poly[:, aj:] += moved
        for k, av in enumerate(values.tolist()):
            others = _divide(poly, p, av)  # claimant i taken out
            claim = float(c[first[k]])
            # arrival at t: predecessors P_t; at 1 − t, the successors are P_t (duality)
            gain = others @ np.clip(estate - steps, 0.0, claim)
            lost = others @ np.clip(loss - steps, 0.0, claim)
            awards[k] += w[start : start + chunk] @ gain
            awards[k] += mirror[start : start + chunk] @ (claim - lost)
    return np.asarray(awards[inverse])


def random_arrival(
    estate: float,
    claims: Sequence[float] | Array,
    *,
    method: Literal["auto", "grid", "game"] = "auto",
) -> Array:
    r"""The random arrival rule: claims paid in full in order of arrival, averaged over orders.

    It is the Shapley value of the bankruptcy game (O'Neill 1982), computed without
    the game's ``2^n`` coalitions (``method="grid"``) or on them (``"game"``, up to 20
    claimants); ``"auto"`` takes the cheaper of those that apply.

    Parameters
    ----------
    estate : float
        What there is to divide, ``E`` [amount].
    claims : array_like
        ``(n,)`` what each claims [amount]; ``E ≤ Σ c``.
    method : {"auto", "grid", "game"}
        How to compute it (the numbers agree to rounding).

    Returns
    -------
    ``(n,)`` awards [amount], summing to ``E``.

    Raises
    ------
    GameUndefinedError
        When no method applies: computing the rule exactly is NP-hard in general
        (Yamazaki & Matsui 2025), so beyond 20 claimants it is computed only when the
        claims' grid keeps the programme within :data:`RANDOM_ARRIVAL_BUDGET`.

    Notes
    -----
    Arriving after the set ``P``, claimant ``i`` gets :math:`f_i(c(P)) = \min(c_i,
    (E - c(P))^+)`. The Shapley weights are Beta integrals, :math:`|P|!(n-1-|P|)!/n! =
    \int_0^1 t^{|P|}(1-t)^{n-1-|P|}\,dt`, so (Owen 1972)

    .. math:: x_i = \int_0^1 \mathbb{E}\,f_i(c(P_t))\,dt,

    with each other claimant in :math:`P_t` independently with probability ``t``. The
    integrand is a polynomial of degree ``n − 1`` in ``t``: Gauss–Legendre with
    ``⌈n/2⌉`` nodes integrates it exactly. On the grid ``c = a·u`` the law of
    :math:`c(P_t)` is the generating polynomial :math:`\prod_j (1 - t + t x^{a_j})`,
    kept up to ``E/u``; claimant ``i`` is taken out by dividing by its factor, which is
    stable for ``t ≤ 1/2``. For ``t > 1/2`` the successors of ``i`` are the set drawn
    with ``1 − t``, and :math:`f_i = c_i - \min(c_i, (L - c(S))^+)` with the loss
    ``L = Σc − E`` (the rule is self-dual), so only ``t ≤ 1/2`` is ever divided.

    Time ``O(⌈n/2⌉ · (n + D log(E/u)) · max(E, L)/u)`` with ``D`` distinct claims;
    memory ``O(max(E, L)/u)`` per node. Pseudo-polynomial: 21 claimants of whole
    amounts take milliseconds, and thousands of claimants are within budget only on a
    coarse grid. No method polynomial in ``n`` alone is known for real claims (the
    decision problem is NP-complete, Yamazaki & Matsui 2025).

    Examples
    --------
    >>> random_arrival(200, [100, 200, 300]).round(6).tolist()
    [33.333333, 83.333333, 83.333333]

    The Shapley value of Meinhardt's (2013, section 3.1) 21-claimant bankruptcy game,
    which took 47 s on its 2^21 coalitions:

    >>> d = [25, 37, 33, 22, 28, 70, 75, 83, 101, 143, 56, 69, 44, 128, 136, 150, 187,
    ...      54, 98, 174, 181]
    >>> random_arrival(sum(d) * 2 / 3, d)[:4].round(4).tolist()
    [16.4567, 24.39, 21.743, 14.4769]
    """
    if method not in ("auto", "grid", "game"):
        raise ValueError(f"method must be 'auto', 'grid' or 'game', got {method!r}")
    c = check_claims(estate, claims)
    total = float(c.sum())
    positive = c > 0
    if estate <= 0 or not positive.any():
        return np.zeros_like(c)
    if estate >= total:
        return c.copy()
    out = np.zeros_like(c)
    n = int(positive.sum())
    plan = _grid_plan(estate, c[positive]) if method != "game" else "no grid (method='game')"
    # up to 20 claimants, the coalitions cost about n·2^n: take the cheaper way
    small = method != "grid" and n <= MAX_EXPLICIT_PLAYERS
    if not isinstance(plan, str) and not (small and plan[3] > 3 * n * 2.0**n):
        a, unit, size, _ = plan
        out[positive] = _random_arrival_on_grid(estate, c[positive], a, unit, size)
        return out
    if small:
        out[positive] = shapley(bankruptcy_game(estate, c[positive]))
        return out
    raise GameUndefinedError(
        f"random arrival of {n:,} claimants is not computed: {plan}. It is exact by a "
        "dynamic programme over the claims' grid within that budget, or on the "
        f"bankruptcy game's coalitions up to {MAX_EXPLICIT_PLAYERS} claimants; computing "
        "it exactly is NP-hard in general (Yamazaki & Matsui 2025)"
    )


def least_core_epsilon(estate: float, claims: Sequence[float] | Array) -> float:
    r"""The least-core value ε* of the bankruptcy game, in closed form.

    The excess of a proper coalition at an efficient ``x`` is ``max(−x(S), x(T) −
    c(T))`` with ``T = N∖S``, largest for singletons: ε* = −max over efficient ``x`` of
    :math:`\min_i \min(x_i, c_i - x_i)`, that is

    .. math:: \varepsilon^* = -\min\left(\tfrac{1}{2}\min_i c_i,\ \tfrac{E}{n},\
              \tfrac{\sum c - E}{n}\right)

    (``0`` for a single claimant). Never positive: the core of a bankruptcy game is
    not empty; it is ``{x : Σx = E, 0 ≤ x ≤ c}`` (Curiel, Maschler & Tijs 1987).

    Examples
    --------
    >>> least_core_epsilon(200, [100, 200, 300])
    -50.0
    """
    c = check_claims(estate, claims)
    n = len(c)
    if n <= 1:
        return 0.0
    return -min(float(c.min()) / 2, estate / n, (float(c.sum()) - estate) / n) + 0.0


def in_core(
    estate: float, claims: Sequence[float] | Array, x: Sequence[float] | Array, tol: float = 1e-9
) -> bool:
    """Whether ``x`` is in the core of the bankruptcy game: ``Σx = E`` and ``0 ≤ x ≤ c``.

    The same test as :meth:`sim.games.tu.Game.in_core` (largest excess over every
    coalition within ``tol`` of ``max(1, E)``), in ``O(n)``: the largest excess is
    ``max(0, −Σ_{x_i<0} x_i, Σ_{x_i>c_i} (x_i − c_i))``.
    """
    c = check_claims(estate, claims)
    award = np.asarray(x, dtype=float)
    scale = max(1.0, estate)
    over = award - c
    largest = max(0.0, -float(award[award < 0].sum()), float(over[over > 0].sum()))
    return abs(float(award.sum()) - estate) <= tol * scale and largest <= tol * scale
