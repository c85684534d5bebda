"""Every solution ``sim game solve`` knows, by family and literature name.

Families: ``tu`` (a cooperative game with transferable utility), ``claims`` (an
estate and claims), ``bargaining`` (a total, disagreement payoffs, optional weights
and limits), ``hull`` (two parties over the convex hull of utility pairs) and
``cost`` (a cost game: the shared cost of infrastructure, :mod:`sim.games.cost`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sim.errors import RuleError
from sim.games import bargaining, claims, cost, nucleolus, tu
from sim.i18n import Reason

__all__ = ["Family", "Solution", "get", "solutions"]

Family = Literal["tu", "claims", "bargaining", "hull", "cost"]


@dataclass(frozen=True)
class Solution:
    """A solution of one family of problems, by its literature name.

    ``same_as`` names the solution of the family it always equals (a theorem, cited in
    ``note``): it is solved only when asked for by name, and its answer carries the note.
    """

    name: str
    family: Family
    func: Callable[..., Any]
    reference: str
    same_as: str | None = None
    note: str = ""


_ALL: list[Solution] = [
    Solution("shapley", "tu", tu.shapley, "Shapley (1953)"),
    Solution("banzhaf", "tu", tu.banzhaf, "Banzhaf (1965); Owen (1975)"),
    Solution("normalized_banzhaf", "tu", tu.normalized_banzhaf, "Banzhaf (1965)"),
    Solution("nucleolus", "tu", nucleolus.nucleolus, "Schmeidler (1969)"),
    Solution("prenucleolus", "tu", nucleolus.prenucleolus, "Maschler, Peleg & Shapley (1979)"),
    Solution("tau_value", "tu", tu.tau_value, "Tijs (1981)"),
    Solution("equal_surplus", "tu", tu.equal_surplus, "Driessen & Funaki (1991)"),
    Solution("proportional_standalone", "tu", tu.proportional_standalone, "proportional"),
    Solution(
        "nash",
        "tu",
        lambda g: bargaining.nash(g.total, g.standalone),
        "Nash (1950), on v(N) and v(i)",
    ),
    Solution(
        "kalai_smorodinsky",
        "tu",
        lambda g: bargaining.kalai_smorodinsky(
            g.total, g.standalone, limits=[g.total - g.v[g.grand & ~(1 << i)] for i in range(g.n)]
        ),
        "Kalai & Smorodinsky (1975), ideal capped at the utopia payoff v(N) − v(N∖i)",
    ),
    Solution(
        "egalitarian",
        "tu",
        lambda g: bargaining.egalitarian(g.total, g.standalone),
        "Kalai (1977), on v(N) and v(i)",
    ),
    Solution("proportional", "claims", claims.proportional, "Thomson (2003)"),
    Solution(
        "constrained_equal_awards", "claims", claims.constrained_equal_awards, "Thomson (2003)"
    ),
    Solution(
        "constrained_equal_losses", "claims", claims.constrained_equal_losses, "Thomson (2003)"
    ),
    Solution("talmud", "claims", claims.talmud, "Aumann & Maschler (1985)"),
    Solution("random_arrival", "claims", claims.random_arrival, "O'Neill (1982)"),
    Solution(
        "nucleolus",
        "claims",
        claims.talmud,
        "Schmeidler (1969); Aumann & Maschler (1985)",
        same_as="talmud",
        note="the nucleolus of the bankruptcy game is the Talmud rule (Aumann & Maschler "
        "1985, Theorem A): computed by its closed form, with no coalition",
    ),
    Solution(
        "shapley",
        "claims",
        claims.random_arrival,
        "Shapley (1953); O'Neill (1982)",
        same_as="random_arrival",
        note="the Shapley value of the bankruptcy game is the random arrival rule (O'Neill "
        "1982): computed as that rule",
    ),
    Solution("nash", "bargaining", bargaining.nash, "Nash (1950)"),
    Solution(
        "kalai_smorodinsky",
        "bargaining",
        bargaining.kalai_smorodinsky,
        "Kalai & Smorodinsky (1975)",
    ),
    Solution("egalitarian", "bargaining", bargaining.egalitarian, "Kalai (1977)"),
    Solution("nash", "hull", bargaining.nash_hull, "Nash (1950)"),
    Solution(
        "kalai_smorodinsky", "hull", bargaining.kalai_smorodinsky_hull, "Kalai & Smorodinsky (1975)"
    ),
    # cost: scrb takes (c(N), c(N∖i), min(c(i), alternative)); the others the cost Game
    Solution(
        "scrb",
        "cost",
        cost.scrb,
        "Federal Inter-Agency River Basin Committee (1950); Young, Okada & Hashimoto (1982)",
    ),
    Solution("shapley", "cost", cost.cost_shapley, "Shapley (1953)"),
    Solution("nucleolus", "cost", cost.cost_nucleolus, "Schmeidler (1969)"),
    Solution(
        "per_capita_nucleolus",
        "cost",
        cost.per_capita_nucleolus,
        "Grotte (1970); Young (1985)",
    ),
]


def solutions(family: Family, *, aliases: bool = True) -> tuple[Solution, ...]:
    """The solutions of one family, in a stable order (without ``same_as`` ones if asked)."""
    return tuple(s for s in _ALL if s.family == family and (aliases or s.same_as is None))


def get(family: Family, name: str) -> Solution:
    """The solution ``name`` of ``family``; a :class:`RuleError` lists the known ones."""
    for s in solutions(family):
        if s.name == name:
            return s
    known = ", ".join(s.name for s in solutions(family))
    raise RuleError(Reason("no_family_rule", got=repr(name), family=family, known=known))
