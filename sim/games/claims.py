"""Claims (bankruptcy) rules: dividing an estate smaller than what the parties claim.

Every rule takes the estate ``E`` and the claims ``c`` (both ≥ 0, ``E ≤ Σ c``) and
returns awards between 0 and each claim that sum to ``E``. In `sim`, the estate is a
fund short of what the parties ask of it (a development fund, a settlement pot).

References
----------
Aumann, R. J. & Maschler, M. (1985). Game theoretic analysis of a bankruptcy problem
from the Talmud. *Journal of Economic Theory* 36(2): 195–213.
O'Neill, B. (1982). A problem of rights arbitration from the Talmud. *Mathematical
Social Sciences* 2(4): 345–371.
Thomson, W. (2003). Axiomatic and game-theoretic analysis of bankruptcy and taxation
problems: a survey. *Mathematical Social Sciences* 45(3): 249–297.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.games.tu import Array, Game, GameUndefinedError, coalition_sums, shapley

__all__ = [
    "bankruptcy_game",
    "check_claims",
    "constrained_equal_awards",
    "constrained_equal_losses",
    "proportional",
    "random_arrival",
    "talmud",
]


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

    Examples
    --------
    >>> constrained_equal_awards(200, [100, 200, 300]).round(6).tolist()
    [66.666667, 66.666667, 66.666667]
    >>> constrained_equal_awards(300, [50, 200, 300]).tolist()
    [50.0, 125.0, 125.0]
    """
    c = check_claims(estate, claims)
    order = np.sort(c)
    n = len(c)
    remaining = estate
    level = order[-1] if n else 0.0
    for k, ck in enumerate(order):
        if ck * (n - k) >= remaining:
            level = remaining / (n - k)
            break
        remaining -= ck
    return np.asarray(np.minimum(c, level))


def constrained_equal_losses(estate: float, claims: Sequence[float] | Array) -> Array:
    """Equal losses, no one below zero: ``x_i = max(0, c_i − μ)`` with Σ x = E.

    Examples
    --------
    >>> constrained_equal_losses(200, [100, 200, 300]).tolist()
    [0.0, 50.0, 150.0]
    """
    c = check_claims(estate, claims)
    losses = constrained_equal_awards(c.sum() - estate, c)  # CEL is the dual of CEA
    return np.asarray(c - losses)


def talmud(estate: float, claims: Sequence[float] | Array) -> Array:
    """The Talmud rule (Aumann & Maschler 1985).

    Up to half the total claim, constrained equal awards on the half-claims; above it,
    each gets half their claim plus constrained equal losses on the other halves.

    Examples
    --------
    The three estates of the Mishna (Kethubot 93a), claims 100, 200, 300
    (Aumann & Maschler 1985, Table 1):

    >>> [talmud(e, [100, 200, 300]).round(6).tolist() for e in (100, 200, 300)]
    [[33.333333, 33.333333, 33.333333], [50.0, 75.0, 75.0], [50.0, 100.0, 150.0]]
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


def random_arrival(estate: float, claims: Sequence[float] | Array) -> Array:
    """The random arrival rule: claims paid in full in order of arrival, averaged over orders.

    Equal to the Shapley value of the bankruptcy game (O'Neill 1982), computed that
    way (exactly, up to 20 claimants).

    Examples
    --------
    >>> random_arrival(200, [100, 200, 300]).round(6).tolist()
    [33.333333, 83.333333, 83.333333]
    """
    return shapley(bankruptcy_game(estate, claims))
