"""Fair-division rules for scenarios: targets from the scenario's cooperative game.

Each function maps the scenario's game (coalition values from the model, see
:mod:`sim.fair`) to a target NPV per party; :func:`sim.fair.resolve` then finds the
constant shares of the pool that deliver it. The game-theory itself lives in
:mod:`sim.games`, imported when a rule is used (scipy is slow to import).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.rules.registry import Array, Param, register_target

__all__: list[str] = []

_BARGAIN = "the total is v(N), the disagreement point each party's standalone value v(i)"


def _tu(name: str, summary: str, reference: str) -> None:
    def target(game: Any, params: Mapping[str, Array]) -> Array:
        from sim.games import solutions

        return np.asarray(solutions.get("tu", name).func(game))

    register_target(name, summary=summary, reference=reference)(target)


_tu(
    "shapley",
    "Each party gets its average marginal contribution to the coalitions of the scenario's game.",
    "Shapley (1953), Annals of Mathematics Studies 28",
)
_tu(
    "normalized_banzhaf",
    "Banzhaf values (marginal contributions averaged over coalitions) rescaled to v(N).",
    "Banzhaf (1965), Rutgers Law Review 19",
)
_tu(
    "nucleolus",
    "The imputation that makes the most dissatisfied coalition as "
    "satisfied as possible, then the next, lexicographically; in the core whenever "
    "the core is non-empty.",
    "Schmeidler (1969), SIAM J. Appl. Math. 17(6)",
)
_tu(
    "prenucleolus",
    "The nucleolus over all efficient allocations (individual rationality not imposed).",
    "Schmeidler (1969); Maschler, Peleg & Shapley (1979)",
)
_tu(
    "tau_value",
    "The efficient compromise between each party's utopia payoff and its minimal right.",
    "Tijs (1981), Game Theory and Mathematical Economics",
)
_tu(
    "equal_surplus",
    "Each party's standalone value plus an equal share of the surplus of cooperating.",
    "Driessen & Funaki (1991), OR Spektrum 13",
)
_tu(
    "proportional_standalone",
    "v(N) in proportion to the parties' standalone values.",
    "proportional division; Moriarity (1975), cost allocation",
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
def _nash(game: Any, params: Mapping[str, Array]) -> Array:
    from sim.games.bargaining import nash

    return nash(game.total, game.standalone, params.get("weights"))


@register_target(
    "kalai_smorodinsky",
    summary=f"Gains proportional to each party's ideal gain: {_BARGAIN}, the ideal being "
    "its utopia payoff v(N) − v(N∖i).",
    reference="Kalai & Smorodinsky (1975), Econometrica 43(3)",
)
def _kalai_smorodinsky(game: Any, params: Mapping[str, Array]) -> Array:
    from sim.games.bargaining import kalai_smorodinsky

    full = game.grand
    utopia = np.array([game.v[full] - game.v[full & ~(1 << i)] for i in range(game.n)])
    return kalai_smorodinsky(game.total, game.standalone, limits=utopia)


@register_target(
    "egalitarian",
    summary=f"Equal gains over standing alone: {_BARGAIN}.",
    reference="Kalai (1977), Econometrica 45(7)",
)
def _egalitarian(game: Any, params: Mapping[str, Array]) -> Array:
    from sim.games.bargaining import egalitarian

    return egalitarian(game.total, game.standalone)
