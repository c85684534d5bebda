"""The clauses of an agreement besides tax: land income, returns, investment, statistics.

An agreement (``[sharing]``) has a clause for each stream. The tax clause is the pool
rule of :mod:`sim.rules.registry` (with scope, window, compliance and floors). The
other clauses are registered here, each under the names it may be written with:

=============  ==========================================  ==========
clause         rules                                       default
=============  ==========================================  ==========
``land``       ``source``, ``shared``/``tax``, ``equity``,   ``source``
               ``fixed``
``dividends``  ``equity``, ``tax``, ``fixed``               ``equity``
``investment`` ``equity``, ``fixed``, ``benefit``,          ``equity``
               ``scrb``, ``shapley``, ``nucleolus``,
               ``per_capita_nucleolus``
``statistics`` ``source``, ``tax``, ``fixed``               ``source``
=============  ==========================================  ==========

Each rule has a *basis*, which is all the model and the agreement layer look at:
``source`` (where it arises), ``equity`` (shareholding), ``tax`` (the tax pool's
shares that year), ``shares`` (constant shares written in the file), ``cost`` (a
cost-allocation rule on the scenario's joint-investment cost game) or ``benefit``
(each party pays in proportion to its gain from cooperating).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sim.errors import RuleError
from sim.rules.registry import Array, Param

__all__ = [
    "CLAUSES",
    "DEFAULTS",
    "Basis",
    "ClauseName",
    "ClauseRule",
    "clause_rule",
    "clause_rule_names",
    "clause_rules",
]

ClauseName = Literal["land", "dividends", "investment", "statistics"]
Basis = Literal["source", "equity", "tax", "shares", "cost", "benefit"]

CLAUSES: tuple[ClauseName, ...] = ("land", "dividends", "investment", "statistics")
"""The clauses besides tax, in reporting order."""
DEFAULTS: dict[ClauseName, str] = {
    "land": "source",
    "dividends": "equity",
    "investment": "equity",
    "statistics": "source",
}
"""What a clause is when the file does not write it (files written before clauses
existed keep their meaning)."""

CostFunc = Callable[[Array], tuple[Array, tuple[str, ...]]]
"""``costs (m, 2^P) -> (allocation (m, P), reasons)``: a cost-allocation rule on a batch
of cost games; a NaN row and a non-empty reason where it is undefined."""

_SHARES = Param("shares", "party_shares", "share of the stream for each party, summing to 1")


@dataclass(frozen=True)
class ClauseRule:
    """A way of dividing one stream, and the clauses it may be written in."""

    name: str
    clauses: tuple[ClauseName, ...]
    basis: Basis
    summary: str
    reference: str
    params: tuple[Param, ...] = ()
    cost: CostFunc | None = None
    """For basis ``cost``: the rule on a batch of cost games."""


def _cost(name: str) -> CostFunc:
    """The cost-allocation rule ``name`` of :mod:`sim.games.cost`, for a batch of games."""

    def allocate(costs: Array) -> tuple[Array, tuple[str, ...]]:
        from sim.games import cost

        return cost.allocate_batch(name, costs)

    return allocate


_RULES: tuple[ClauseRule, ...] = (
    ClauseRule(
        "source",
        ("land", "statistics"),
        "source",
        "Where it arises: land income to the party that sold the land; statistics of "
        "output, value added and tax where firms are registered, investment where it is paid.",
        "the origin principle of the tax-sharing system (国发〔1993〕85号)",
    ),
    ClauseRule(
        "shared",
        ("land",),
        "tax",
        "The same as `tax`: the name the scenario format had first for land divided by the "
        "tax pool's shares.",
        "Jiangsu's co-built parks divide land income by the agreed ratio (Shi, Chan & Qi "
        "2015, Cities 46: 44–54)",
    ),
    ClauseRule(
        "tax",
        ("land", "dividends", "statistics"),
        "tax",
        "By the tax pool's shares in the agreement's years, where the tax rule has shares "
        "(every rule but introducer); otherwise as by default: land and statistics at "
        "source, dividends by equity. Land is settled at the compliance rate.",
        "川渝高竹新区 (2020): the increment and the statistics split by one ratio; "
        "Jiangsu's co-built parks: land income by the agreed ratio",
    ),
    ClauseRule(
        "equity",
        ("land", "dividends", "investment", "statistics"),
        "equity",
        "By shareholding in the joint development company (investment.equity).",
        "company law: dividends and capital calls by shareholding; Shi, Chan & Qi (2015), "
        "Cities 46: 44–54",
    ),
    ClauseRule(
        "fixed",
        ("land", "dividends", "investment", "statistics"),
        "shares",
        "By constant shares written in the clause: land and statistics in the agreement's "
        "years, dividends and capex every year.",
        "agreements written as ratios (Gaozhu 50:50; the Sino-Singapore Chuzhou joint "
        "company 56:44)",
        params=(_SHARES,),
    ),
    ClauseRule(
        "benefit",
        ("investment",),
        "benefit",
        "成本共担、利益共享: each party pays the joint capex in proportion to what cooperating "
        "gains it (its NPV under the agreement less its standalone value), a fixed point "
        "since paying changes the gain: x = a / Σ a with a the gain had it paid nothing.",
        "cost sharing in proportion to benefits: Young (1985), Cost Allocation: Methods, "
        "Principles, Applications, ch. 1",
    ),
    ClauseRule(
        "scrb",
        ("investment",),
        "cost",
        "Separable costs–remaining benefits on the joint capex's cost game: each party pays "
        "its separable cost, and the non-separable cost in proportion to its remaining benefit.",
        "Young, Okada & Hashimoto (1982), Water Resources Research 18(3); "
        "Straffin & Heaney (1981), Int. J. Game Theory 10(1)",
        cost=_cost("scrb"),
    ),
    ClauseRule(
        "shapley",
        ("investment",),
        "cost",
        "The Shapley value of the joint capex's cost game.",
        "Shapley (1953); Young, Okada & Hashimoto (1982)",
        cost=_cost("shapley"),
    ),
    ClauseRule(
        "nucleolus",
        ("investment",),
        "cost",
        "The nucleolus of the joint capex's cost game.",
        "Schmeidler (1969); Young, Okada & Hashimoto (1982)",
        cost=_cost("nucleolus"),
    ),
    ClauseRule(
        "per_capita_nucleolus",
        ("investment",),
        "cost",
        "The nucleolus of the joint capex's cost game with each coalition's excess divided "
        "by its number of parties.",
        "Grotte (1970); Young (1985), Int. J. Game Theory 14(2)",
        cost=_cost("per_capita_nucleolus"),
    ),
)


def clause_rules(clause: ClauseName) -> tuple[ClauseRule, ...]:
    """The rules a clause may be written with: its default first, then in a stable order."""
    return tuple(
        sorted((r for r in _RULES if clause in r.clauses), key=lambda r: r.name != DEFAULTS[clause])
    )


def clause_rule_names(clause: ClauseName) -> tuple[str, ...]:
    """The names a clause may be written with."""
    return tuple(r.name for r in clause_rules(clause))


def clause_rule(clause: ClauseName, name: str) -> ClauseRule:
    """The rule ``name`` of ``clause``.

    Raises
    ------
    RuleError
        If the clause has no such rule; the message lists the ones it has.
    """
    for r in clause_rules(clause):
        if r.name == name:
            return r
    known = ", ".join(clause_rule_names(clause))
    raise RuleError(f"the {clause} clause has no rule {name!r}; known: {known}")
