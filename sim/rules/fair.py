"""Fair-division rules for scenarios: target NPVs from each scenario's cooperative game.

Each rule maps the coalition values of a batch of games, ``v`` of shape ``(m, 2^P)``
(``v[:, mask]`` is the total NPV coalition ``mask`` would net on its own; see
:mod:`sim.agreement.coalitions`), to a target NPV per party, for every game at once.
:mod:`sim.agreement` then finds the constant pool shares that deliver the targets.

Rules linear in ``v`` (Shapley, Banzhaf) are one matrix product; the bargaining rules
and the equal-surplus division are closed forms on the standalone values
``d_i = v({i})`` and the surplus ``v(N) − Σ d``; the τ-value is array arithmetic over
the batch; the nucleolus is a closed form for two parties and, above, the batched
nucleolus of :mod:`sim.games.batched` (each game's result a linear map of its values,
certified by Kohlberg's criterion). A rule undefined for a game (the nucleolus when
cooperating is worth less than standing alone, say) gives a NaN row and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from sim.rules.registry import Array, Param, Targets, register_target

__all__ = [
    "NEGATIVE_SURPLUS",
    "egalitarian_targets",
    "equal_surplus_targets",
    "kalai_smorodinsky_targets",
    "nash_targets",
    "normalized_banzhaf_targets",
    "nucleolus_targets",
    "per_game",
    "prenucleolus_targets",
    "proportional_standalone_targets",
    "shapley_targets",
    "tau_value_targets",
]

NEGATIVE_SURPLUS = (
    "cooperating is worth less than standing alone (v(N) < Σ v(i)): "
    "no division leaves every party at least as well off as alone"
)
_BARGAIN = "the total is v(N), the disagreement point each party's standalone value v(i)"


def _parts(v: Array) -> tuple[int, Array, Array]:
    """Number of parties, standalone values ``(m, n)`` and surplus ``(m,)`` of each game."""
    n = v.shape[1].bit_length() - 1
    standalone = v[:, [1 << i for i in range(n)]]
    surplus = v[:, -1] - standalone.sum(axis=1)
    return n, standalone, surplus


def _tolerance(v: Array) -> Array:
    """``(m,)`` 1e-12 of each game's largest value (at least 1e-12)."""
    return np.asarray(1e-12 * np.maximum(1.0, np.abs(v).max(axis=1)))


def _mark(values: Array, undefined: np.ndarray, reason: str) -> Targets:
    """Targets with the rows in ``undefined`` set to NaN and given ``reason``."""
    values = np.where(undefined[:, None], np.nan, values)
    return Targets(values, tuple(reason if u else "" for u in undefined))


def per_game(solution: Callable[..., Array], v: Array) -> Targets:
    """Apply a one-game solution of :mod:`sim.games` to each row of ``v`` in turn.

    The per-game path the batched rules replaced, kept as their baseline (the
    benchmarks time ``per_game(nucleolus, v)`` against :func:`nucleolus_targets`, and
    the tests check they agree); a game where the solution is undefined gets a NaN row
    and the reason.
    """
    from sim.games.tu import solve_each

    return Targets(*solve_each(solution, v))


@register_target(
    "shapley",
    summary="Each party gets its average marginal contribution to the coalitions of the "
    "scenario's game.",
    reference="Shapley (1953), Annals of Mathematics Studies 28",
)
def shapley_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    r"""The Shapley value of every game at once: :math:`\phi = v W`.

    Notes
    -----
    .. math:: \phi_i = \sum_{S \not\ni i} \frac{|S|!\,(n-|S|-1)!}{n!}\big(v(S \cup i) - v(S)\big)

    linear in ``v``, so the weights :math:`W` (:func:`sim.games.tu.shapley_matrix`)
    serve every game of ``n`` parties.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of
    Games II*, Annals of Mathematics Studies 28: 307–317.

    Examples
    --------
    The glove game (A holds the left glove, B and C a right one each): (2/3, 1/6, 1/6).

    >>> v = np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]])
    >>> shapley_targets(v, {}).values.round(6).tolist()
    [[0.666667, 0.166667, 0.166667]]
    """
    from sim.games.tu import shapley_matrix

    n = v.shape[1].bit_length() - 1
    return Targets(np.asarray(v @ shapley_matrix(n)), ("",) * v.shape[0])


@register_target(
    "normalized_banzhaf",
    summary="Banzhaf values (marginal contributions averaged over coalitions) rescaled to v(N).",
    reference="Banzhaf (1965), Rutgers Law Review 19",
)
def normalized_banzhaf_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    r"""The Banzhaf value rescaled to sum to v(N): :math:`x = \beta \, v(N) / \sum_j \beta_j`.

    Notes
    -----
    :math:`\beta_i = 2^{1-n} \sum_{S \not\ni i} (v(S \cup i) - v(S))`; undefined where
    the raw values sum to 0.

    References
    ----------
    Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
    *Rutgers Law Review* 19: 317–343.

    Examples
    --------
    The weighted vote [51; 49, 49, 2]: every party is pivotal equally often.

    >>> v = np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]])
    >>> v[0, [3, 5, 6, 7]] = 1.0  # any two of the three reach 51
    >>> normalized_banzhaf_targets(v, {}).values.round(6).tolist()
    [[0.333333, 0.333333, 0.333333]]
    """
    from sim.games.tu import banzhaf_matrix

    n = v.shape[1].bit_length() - 1
    raw = v @ banzhaf_matrix(n)
    total = raw.sum(axis=1)
    flat = np.abs(total) < _tolerance(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = raw * (v[:, -1] / np.where(flat, 1.0, total))[:, None]
    return _mark(values, flat, "the raw Banzhaf values sum to 0")


@register_target(
    "nucleolus",
    summary="The imputation that makes the most dissatisfied coalition as satisfied as "
    "possible, then the next, lexicographically; in the core whenever the core is "
    "non-empty.",
    reference="Schmeidler (1969), SIAM J. Appl. Math. 17(6)",
)
def nucleolus_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    """The nucleolus of every game: the standard solution for two parties, batched above.

    Notes
    -----
    For two parties the imputations are ``x_i ≥ v(i)``, ``x_1 + x_2 = v(N)``, and the
    nucleolus splits the surplus equally: ``x_i = v(i) + (v(N) − v(1) − v(2))/2``
    (Maschler, Peleg & Shapley 1979); undefined when the surplus is negative (no
    imputation exists). From three parties: :func:`sim.games.batched.nucleoli`, which
    gives what :func:`sim.games.nucleolus.nucleolus` gives game by game, for a whole
    batch at once.

    References
    ----------
    Schmeidler, D. (1969). The nucleolus of a characteristic function game. *SIAM
    Journal on Applied Mathematics* 17(6): 1163–1170.

    Examples
    --------
    Aumann & Maschler (1985): the bankruptcy game of an estate of 200 and claims 100,
    200 and 300 has the Talmud division (50, 75, 75) as its nucleolus.

    >>> from sim.games.claims import bankruptcy_game
    >>> v = bankruptcy_game(200, [100, 200, 300]).v[None, :]
    >>> nucleolus_targets(v, {}).values.round(9).tolist()
    [[50.0, 75.0, 75.0]]
    """
    n, standalone, surplus = _parts(v)
    if n == 2:
        values = standalone + (surplus / 2)[:, None]
        return _mark(values, surplus < -_tolerance(v), NEGATIVE_SURPLUS)
    from sim.games.batched import nucleoli

    return Targets(*nucleoli(v))


@register_target(
    "prenucleolus",
    summary="The nucleolus over all efficient allocations (individual rationality not imposed).",
    reference="Schmeidler (1969); Maschler, Peleg & Shapley (1979)",
)
def prenucleolus_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    """The prenucleolus of every game: equal surplus for two parties, batched above
    (:func:`sim.games.batched.nucleoli` with ``imputation=False``).

    References
    ----------
    Maschler, M., Peleg, B. & Shapley, L. S. (1979). Geometric properties of the
    kernel, nucleolus, and related solution concepts. *Mathematics of Operations
    Research* 4(4): 303–338.

    Examples
    --------
    The glove game: the whole pair's value goes to the holder of the scarce glove.

    >>> v = np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]])
    >>> (prenucleolus_targets(v, {}).values.round(9) + 0.0).tolist()
    [[1.0, 0.0, 0.0]]
    """
    n, standalone, surplus = _parts(v)
    if n == 2:
        return Targets(standalone + (surplus / 2)[:, None], ("",) * v.shape[0])
    from sim.games.batched import nucleoli

    return Targets(*nucleoli(v, imputation=False))


@register_target(
    "tau_value",
    summary="The efficient compromise between each party's utopia payoff and its minimal right.",
    reference="Tijs (1981), Game Theory and Mathematical Economics",
)
def tau_value_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    r"""The τ-value of every game at once (what :func:`sim.games.tu.tau_value` gives).

    Notes
    -----
    Utopia :math:`M_i = v(N) − v(N \setminus i)`, minimal right
    :math:`m_i = \max_{S \ni i} (v(S) − \sum_{j \in S \setminus i} M_j)`,
    :math:`\tau = m + \alpha (M − m)` with α making it efficient; undefined unless the
    game is quasi-balanced (:math:`m \le M`, :math:`\sum m \le v(N) \le \sum M`).

    References
    ----------
    Tijs, S. H. (1981). Bounds for the core and the τ-value. In *Game Theory and
    Mathematical Economics*, North-Holland, 123–132.

    Examples
    --------
    >>> v = np.array([[0, 0, 0, 1, 0, 1, 0, 1.0]])  # the glove game
    >>> tau_value_targets(v, {}).values.tolist()
    [[1.0, 0.0, 0.0]]
    """
    from sim.games.tu import coalition_sums

    n = v.shape[1].bit_length() - 1
    full = v.shape[1] - 1
    masks = np.arange(1 << n)
    utopia = v[:, -1:] - v[:, [full & ~(1 << i) for i in range(n)]]
    sums = coalition_sums(utopia)
    minimal = np.stack(
        [
            (v[:, with_i] - (sums[:, with_i] - utopia[:, i, None])).max(axis=1)
            for i, with_i in enumerate((masks >> i) & 1 == 1 for i in range(n))
        ],
        axis=1,
    )
    tol = np.maximum(1.0, np.abs(v).max(axis=1)) * 1e-9
    low, high = minimal.sum(axis=1), utopia.sum(axis=1)
    bad = (minimal > utopia + tol[:, None]).any(axis=1) | ~(
        (low - tol <= v[:, -1]) & (v[:, -1] <= high + tol)
    )
    gap = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(gap > tol, (v[:, -1] - low) / np.where(gap > tol, gap, 1.0), 1.0)
    values = minimal + alpha[:, None] * (utopia - minimal)
    values = np.where((gap > tol)[:, None], values, utopia)
    return _mark(values, bad, "the game is not quasi-balanced (m ≤ M, Σm ≤ v(N) ≤ ΣM fails)")


@register_target(
    "equal_surplus",
    summary="Each party's standalone value plus an equal share of the surplus of cooperating.",
    reference="Driessen & Funaki (1991), OR Spektrum 13",
)
def equal_surplus_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    """Standalone values plus equal shares of the surplus, ``x_i = v(i) + (v(N) − Σ v(j))/n``.

    Defined for every game, a negative surplus included (then every party bears an
    equal share of the loss).

    References
    ----------
    Driessen, T. S. H. & Funaki, Y. (1991). Coincidence of and collinearity between
    game theoretic solutions. *OR Spektrum* 13: 15–30.

    Examples
    --------
    >>> equal_surplus_targets(np.array([[0, 1, 2, 6.0]]), {}).values.tolist()
    [[2.5, 3.5]]
    """
    n, standalone, surplus = _parts(v)
    return Targets(standalone + (surplus / n)[:, None], ("",) * v.shape[0])


@register_target(
    "proportional_standalone",
    summary="v(N) in proportion to the parties' standalone values.",
    reference="proportional division; Moriarity (1975), cost allocation",
)
def proportional_standalone_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    """v(N) in proportion to standalone values, ``x_i = v(N) · v(i) / Σ v(j)``.

    Undefined when the standalone values differ in sign or sum to 0.

    References
    ----------
    Moriarity, S. (1975). Another approach to allocating joint costs. *The Accounting
    Review* 50(4): 791–795.

    Examples
    --------
    >>> proportional_standalone_targets(np.array([[0, 1, 3, 8.0]]), {}).values.tolist()
    [[2.0, 6.0]]
    """
    _, standalone, _ = _parts(v)
    total = standalone.sum(axis=1)
    mixed = ~((standalone >= 0).all(axis=1) | (standalone <= 0).all(axis=1))
    bad = mixed | (np.abs(total) < _tolerance(v))
    with np.errstate(invalid="ignore", divide="ignore"):
        values = v[:, -1:] * standalone / np.where(bad, 1.0, total)[:, None]
    return _mark(
        values,
        bad,
        "standalone values must share a sign and not sum to 0 for proportional division",
    )


@register_target(
    "nash",
    params=(
        Param(
            "weights",
            "party_weights",
            "bargaining weight of each party (> 0; default 1 each)",
            default=1.0,
        ),
    ),
    summary=f"Nash bargaining over the gains from cooperating: {_BARGAIN}; with weights, "
    "the asymmetric solution.",
    reference="Nash (1950), Econometrica 18(2); Roth (1979), Axiomatic Models of Bargaining",
)
def nash_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    r"""The (weighted) Nash bargaining solution of every game over a transferable surplus.

    Notes
    -----
    Maximising :math:`\prod_i (x_i - d_i)^{w_i}` subject to :math:`\sum_i x_i = v(N)`
    gives :math:`x_i = d_i + \frac{w_i}{\sum_j w_j}(v(N) - \sum_j d_j)` with
    :math:`d_i = v(\{i\})`. Undefined when the surplus is negative: no division leaves
    everyone at least at its disagreement payoff.

    References
    ----------
    Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2): 155–162.
    Roth, A. E. (1979). *Axiomatic Models of Bargaining*. Springer.

    Examples
    --------
    A total of 100, disagreement payoffs 10 and 30, weights 1 and 2: (30, 70).

    >>> v = np.array([[0, 10, 30, 100.0]])
    >>> nash_targets(v, {"weights": np.array([[1.0, 2.0]])}).values.tolist()
    [[30.0, 70.0]]
    """
    n, standalone, surplus = _parts(v)
    w = params.get("weights")
    weights = np.ones((1, n)) if w is None else np.asarray(w, dtype=float).reshape(-1, n)
    values = standalone + (weights / weights.sum(axis=1, keepdims=True)) * surplus[:, None]
    return _mark(values, surplus < -_tolerance(v), NEGATIVE_SURPLUS)


@register_target(
    "kalai_smorodinsky",
    summary=f"Gains proportional to each party's ideal gain: {_BARGAIN}, the ideal being "
    "its utopia payoff v(N) − v(N∖i).",
    reference="Kalai & Smorodinsky (1975), Econometrica 43(3)",
)
def kalai_smorodinsky_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    r"""The Kalai–Smorodinsky solution of every game, ideal points capped at utopia payoffs.

    Notes
    -----
    Ideal :math:`a_i = \min(v(N) - v(N \setminus i),\; v(N) - \sum_{j \ne i} d_j)`, and
    :math:`x = d + \lambda (a - d)` with λ making it efficient. Undefined when the
    surplus is negative, when an ideal lies below the disagreement payoff, or when the
    ideal gains add up to less than the surplus.

    References
    ----------
    Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
    *Econometrica* 43(3): 513–518.

    Examples
    --------
    >>> kalai_smorodinsky_targets(np.array([[0, 10, 30, 100.0]]), {}).values.tolist()
    [[40.0, 60.0]]
    """
    n, d, surplus = _parts(v)
    full = v.shape[1] - 1
    utopia = v[:, -1:] - v[:, [full & ~(1 << i) for i in range(n)]]
    ideal = np.minimum(utopia, v[:, -1:] - (d.sum(axis=1, keepdims=True) - d))
    gain = ideal - d
    total_gain = gain.sum(axis=1)
    tol = _tolerance(v)
    bad = (surplus < -tol) | (gain < -tol[:, None]).any(axis=1) | (total_gain < surplus - tol)
    with np.errstate(invalid="ignore", divide="ignore"):
        lam = np.where(total_gain > tol, np.maximum(surplus, 0.0) / total_gain, 0.0)
    values = d + gain * lam[:, None]
    return _mark(values, bad, "the ideal points do not bound an efficient gain over standing alone")


@register_target(
    "egalitarian",
    summary=f"Equal gains over standing alone: {_BARGAIN}.",
    reference="Kalai (1977), Econometrica 45(7)",
)
def egalitarian_targets(v: Array, params: Mapping[str, Array]) -> Targets:
    """Equal gains over standing alone, ``x_i = v(i) + (v(N) − Σ v(j))/n``.

    The egalitarian bargaining solution with the standalone values as the disagreement
    point; unlike :func:`equal_surplus_targets` it is undefined when the surplus is
    negative (no division makes every party gain).

    References
    ----------
    Kalai, E. (1977). Proportional solutions to bargaining situations: interpersonal
    utility comparisons. *Econometrica* 45(7): 1623–1630.

    Examples
    --------
    >>> egalitarian_targets(np.array([[0, 10, 30, 100.0]]), {}).values.tolist()
    [[40.0, 60.0]]
    """
    n, standalone, surplus = _parts(v)
    values = standalone + (surplus / n)[:, None]
    return _mark(values, surplus < -_tolerance(v), NEGATIVE_SURPLUS)
