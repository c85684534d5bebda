"""The package deal: the portfolio's cooperative game, its core and fair division,
whether each party beats standing alone overall though not park by park, and the
smallest side payment that makes every party accept the package.

The value of a coalition ``S`` of the portfolio's parties is the sum over the parks of
each park's own coalition value (:func:`sim.agreement.coalition_values`, the game
``sim game`` plays) for the park's parties that belong to ``S``, discounted to the
portfolio's first year, and, for the whole portfolio only, what the fund adds: the
fund is joint, and a coalition short of any party has none. So ``v(N)`` is exactly the
parties' total NPV in the portfolio (checked), and ``v({i})`` is what party ``i``
would net standing alone in every park.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from sim.errors import ConservationError
from sim.games.nucleolus import core_report, nucleolus
from sim.games.tu import Game, GameUndefinedError, shapley
from sim.model import RTOL
from sim.portfolio.consolidate import Consolidated
from sim.settle import Payment, net_payments

__all__ = ["Package", "SidePayment", "package", "portfolio_game", "side_payment"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SidePayment:
    """The smallest total side payment that makes every party (or coalition) accept."""

    total: float
    """What the payers pay in all (= what the receivers get)."""
    transfers: Array
    """``(P,)`` each party's side payment, + received, − paid."""
    payments: tuple[Payment, ...]
    """The same, one payment per pair of parties."""


@dataclass(frozen=True)
class Package:
    """The portfolio as one deal beside the parks one by one."""

    game: Game
    package: Array
    """``(P,)`` each party's NPV in the portfolio (every park's agreement and the fund)."""
    park_npv: Array
    """``(K, P)`` each party's NPV in each park under its agreement, as ``sim run`` on the
    park alone gives it (no fund), to the portfolio's first year; NaN where the party
    has no part in the park."""
    park_alone: Array
    """``(K, P)`` what the party would net in the park standing alone (the park's game)."""
    fund_value: float
    """What the fund adds to the whole portfolio's value."""
    in_core: bool
    core_empty: bool
    least_core: float
    shapley: Array
    nucleolus: Array | None
    """``None`` where the nucleolus is undefined (the standalone values exceed v(N))."""
    side: SidePayment | None
    """To make every party at least as well off as standing alone (``None``: no payment
    can, the portfolio is worth less than its parties alone)."""
    side_core: SidePayment | None
    """To put the package in the core (``None``: the core is empty)."""

    @property
    def alone(self) -> Array:
        """``(P,)`` v({i}): each party standing alone in every park."""
        return np.asarray(self.game.standalone)

    @property
    def gain(self) -> Array:
        """``(P,)`` the package's gain over standing alone."""
        return np.asarray(self.package - self.alone)

    @property
    def park_gain(self) -> Array:
        """``(K, P)`` each park's gain over standing alone in it."""
        return np.asarray(self.park_npv - self.park_alone)

    @property
    def accepts(self) -> NDArray[np.bool_]:
        """``(P,)`` whether each party beats standing alone overall."""
        return np.asarray(self.gain >= -_tol(self.game))

    @property
    def accepts_by_park(self) -> NDArray[np.bool_]:
        """``(K, P)`` whether each party beats standing alone in each park (True where
        it has no part in the park)."""
        return np.asarray(~(self.park_gain < -_tol(self.game)))


def _tol(game: Game) -> float:
    return float(RTOL * max(1.0, float(np.abs(game.v).max())))


def portfolio_game(c: Consolidated) -> tuple[Game, float]:
    """The portfolio's cooperative game and what the fund adds to ``v(N)``."""
    pids = c.portfolio.party_ids
    n = len(pids)
    v = np.zeros(1 << n)
    rate = c.portfolio.discount_rate
    whole = 0.0
    for run in c.runs:
        factor = (1.0 + rate) ** -run.offset
        masks = np.array([run.mask(s) for s in range(1 << n)])
        v += run.values[masks] * factor
        total = float(run.result.npv[0].sum())
        if abs(total - run.values[-1]) > RTOL * max(1.0, abs(total)) * 10:
            raise ConservationError(
                f"{run.park.id}: the park's total NPV {total!r} is not its grand coalition's "
                f"value {run.values[-1]!r}"
            )
        whole += float(run.values[-1]) * factor
    fund = float(c.npv.sum()) - whole
    v[-1] += fund
    v[0] = 0.0
    return Game(pids, v), fund


def package(c: Consolidated) -> Package:
    """The package deal of the consolidated portfolio ``c``."""
    game, fund = portfolio_game(c)
    x = c.npv
    rate = c.portfolio.discount_rate
    n_k, n_p = len(c.runs), len(c.portfolio.parties)
    park_npv = np.full((n_k, n_p), np.nan)
    park_alone = np.full((n_k, n_p), np.nan)
    for k, run in enumerate(c.runs):
        factor = (1.0 + rate) ** -run.offset
        npv = run.result.npv[0]
        for q in sorted(set(run.owner)):
            own = [i for i, o in enumerate(run.owner) if o == q]
            park_npv[k, q] = npv[own].sum() * factor
            park_alone[k, q] = run.values[run.mask(1 << q)] * factor
    report = core_report(game)
    try:
        nucl: Array | None = nucleolus(game)
    except GameUndefinedError:
        nucl = None
    return Package(
        game=game,
        package=x,
        park_npv=park_npv,
        park_alone=park_alone,
        fund_value=fund,
        in_core=game.in_core(x),
        core_empty=report.empty,
        least_core=report.least_core_epsilon,
        shapley=shapley(game),
        nucleolus=nucl,
        side=side_payment(game, x),
        side_core=side_payment(game, x, coalitions=True),
    )


def side_payment(
    game: Game, x: Array, *, coalitions: bool = False, at_most: float | None = None
) -> SidePayment | None:
    """The smallest total side payment after which every party (with ``coalitions``,
    every coalition) gets at least its value alone, from the allocation ``x``.

    A linear programme (HiGHS): the side payments ``t = r − p`` (``r`` received, ``p``
    paid, both ≥ 0) sum to zero, and ``x(S) + t(S) ≥ v(S)`` for every party (every
    coalition); minimise ``Σ r``. Among the smallest, a second programme shares the
    paying out: each payer pays the same fraction of its surplus over standing alone
    (``p_i ≤ z · (x_i − v({i}))``, minimise ``z``). ``at_most`` caps the total (for
    testing that less cannot do). ``None`` when no payment can (the portfolio is worth
    less than its parties alone; with ``coalitions``, the core is empty).
    """
    n = game.n
    x = np.asarray(x, dtype=float)
    scale = max(1.0, float(np.abs(game.v).max()), float(np.abs(x).max()))
    masks = range(1, 1 << n) if coalitions else [1 << i for i in range(n)]
    rows, bounds = [], []
    for s in masks:
        member = np.array([(s >> i) & 1 for i in range(n)], dtype=float)
        rows.append(np.concatenate([-member, member]))  # −t(S) ≤ x(S) − v(S)
        bounds.append((float(member @ x) - float(game.v[s])) / scale)
    a_ub, b_ub = np.array(rows), np.array(bounds)
    a_eq = np.concatenate([np.ones(n), -np.ones(n)])[None, :]
    cost = np.concatenate([np.ones(n), np.zeros(n)])
    if at_most is not None:
        a_ub = np.vstack([a_ub, cost])
        b_ub = np.append(b_ub, at_most / scale)
    first = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[0.0], method="highs")
    if first.status != 0:
        return None
    least = float(first.fun)
    # the same total, each payer paying the same fraction z of its surplus
    surplus = np.maximum(x - game.standalone, 0.0) / scale
    a2 = np.vstack(
        [
            np.hstack([a_ub[: len(rows)], np.zeros((len(rows), 1))]),
            np.concatenate([cost, [0.0]]),
            np.hstack([np.zeros((n, n)), np.eye(n), -surplus[:, None]]),
        ]
    )
    b2 = np.concatenate([b_ub[: len(rows)], [least + 1e-12], np.zeros(n)])
    c2 = np.zeros(2 * n + 1)
    c2[-1] = 1.0
    second = linprog(
        c2, A_ub=a2, b_ub=b2, A_eq=np.hstack([a_eq, [[0.0]]]), b_eq=[0.0], method="highs"
    )
    z = second.x[: 2 * n] if second.status == 0 else first.x
    t = (z[:n] - z[n:]) * scale
    t[np.abs(t) <= RTOL * scale] = 0.0
    total = float(np.maximum(t, 0.0).sum())
    return SidePayment(total, t, net_payments(game.players, t))
