"""The clauses of an agreement besides tax: land income, returns, investment, statistics
and incentives.

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
``statistics`` ``source``, ``tax``, ``equity``, ``fixed``   ``source``
``incentives`` ``source``, ``tax``, ``equity``, ``fixed``   ``source``
=============  ==========================================  ==========

``incentives`` (税收奖补) is what the parties pay back to the firms they attracted: each
firm's ``rebate_share`` of the tax its party keeps of it, in the first ``rebate_years``
years of its output (or its party's defaults). It arises where the firm is registered
(``source``: the collecting party pays) and may be borne by the tax pool's shares
(``tax``), by equity or by fixed shares in the agreement's years.

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
from sim.i18n import Reason
from sim.rules.registry import Array, Param

__all__ = [
    "ARISING",
    "CLAUSES",
    "CLAUSE_STREAMS",
    "DEFAULTS",
    "MONEY_CLAUSES",
    "Basis",
    "ClauseName",
    "ClauseRule",
    "ClauseStream",
    "FirmInput",
    "clause_rule",
    "clause_rule_names",
    "clause_rules",
    "clause_stream",
    "firm_inputs",
]

ClauseName = str
"""The name of a registered clause stream (:data:`CLAUSE_STREAMS`)."""
Basis = Literal["source", "equity", "tax", "shares", "cost", "benefit"]


@dataclass(frozen=True)
class FirmInput:
    """A number each firm may write for a clause (``firms.<firm>.<name>``), swept like
    any firm input; its names are the catalogue's ``firm <name>`` label."""

    name: str
    default: float
    lo: float
    hi: float
    unit: str
    """A unit of :func:`sim.schema.fields.unit_text`."""
    integer: bool = False


@dataclass(frozen=True)
class ClauseStream:
    """One clause stream besides tax: everything the rest of ``sim`` needs to know of it.

    Its words are the catalogue's (:mod:`sim.i18n`): ``LABELS[name]`` (the stream's
    column), ``LABELS[name + "_clause"]`` (the clause's name), ``LABELS[name +
    "_key"]`` and ``LABELS[name + "_about"]`` (the key ``sharing.<name>``), and
    ``TERMS[name]``. Its arithmetic is the model's (:mod:`sim.model.clauses`): how the
    stream arises and is divided, and what it must sum to.
    """

    name: str
    default: str
    """Its rule when the file does not write it, which is also where the stream stays
    with no agreement (the decomposition's counterfactual; files written before the
    clause existed keep their meaning)."""
    rules: tuple[str, ...]
    """The rules of :data:`_RULES` it may be written with."""
    money: bool = True
    """Whether it is money in each party's net benefit (a stream of the results, the
    ledger and a decomposition feature); ``False``: only counted (statistics)."""
    firm_inputs: tuple[FirmInput, ...] = ()
    """Numbers each firm writes for it."""
    arises: Callable[[Callable[[str], float], int, float], float] | None = None
    """For a stream that arises with the firms: what one firm gives rise to in the
    ``k``-th year of its output (``k = 0``: its first year), given its inputs by name
    and the tax its party keeps of it that year, signed as it enters its party's net
    benefit. The stream's arithmetic in words, one firm-year at a time: the reference
    loop (:mod:`sim._reference`) runs it, the model has it vectorised
    (:data:`sim.model.streams.SETTLEMENTS`)."""


CostFunc = Callable[[Array], tuple[Array, tuple[str, ...]]]
"""``costs (m, 2^P) -> (allocation (m, P), reasons)``: a cost-allocation rule on a batch
of cost games; a NaN row and a non-empty reason where it is undefined."""

_SHARES = Param("shares", "party_shares", "share of the stream for each party, summing to 1")


@dataclass(frozen=True)
class ClauseRule:
    """A way of dividing one stream, and the clauses it may be written in."""

    name: str
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
        "source",
        "Where it arises: land income to the party that sold the land; statistics of "
        "output, value added and tax where firms are registered, investment where it is paid.",
        "the origin principle of the tax-sharing system (国发〔1993〕85号)",
    ),
    ClauseRule(
        "shared",
        "tax",
        "The same as `tax`: the name the scenario format had first for land divided by the "
        "tax pool's shares.",
        "Jiangsu's co-built parks divide land income by the agreed ratio (Shi, Chan & Qi "
        "2015, Cities 46: 44–54)",
    ),
    ClauseRule(
        "tax",
        "tax",
        "By the tax pool's shares in the agreement's years, where the tax rule has shares "
        "(every rule but introducer); otherwise as by default: land and statistics at "
        "source, dividends by equity. Land is settled at the compliance rate.",
        "川渝高竹新区 (2020): the increment and the statistics split by one ratio; "
        "Jiangsu's co-built parks: land income by the agreed ratio",
    ),
    ClauseRule(
        "equity",
        "equity",
        "By shareholding in the joint development company (investment.equity).",
        "company law: dividends and capital calls by shareholding; Shi, Chan & Qi (2015), "
        "Cities 46: 44–54",
    ),
    ClauseRule(
        "fixed",
        "shares",
        "By constant shares written in the clause: land and statistics in the agreement's "
        "years, dividends and capex every year.",
        "agreements written as ratios (Gaozhu 50:50; the Sino-Singapore Chuzhou joint "
        "company 56:44)",
        params=(_SHARES,),
    ),
    ClauseRule(
        "benefit",
        "benefit",
        "成本共担、利益共享: each party pays the joint capex in proportion to what cooperating "
        "gains it (its NPV under the agreement less its standalone value), a fixed point "
        "since paying changes the gain: x = a / Σ a with a the gain had it paid nothing.",
        "cost sharing in proportion to benefits: Young (1985), Cost Allocation: Methods, "
        "Principles, Applications, ch. 1",
    ),
    ClauseRule(
        "scrb",
        "cost",
        "Separable costs–remaining benefits on the joint capex's cost game: each party pays "
        "its separable cost, and the non-separable cost in proportion to its remaining benefit.",
        "Young, Okada & Hashimoto (1982), Water Resources Research 18(3); "
        "Straffin & Heaney (1981), Int. J. Game Theory 10(1)",
        cost=_cost("scrb"),
    ),
    ClauseRule(
        "shapley",
        "cost",
        "The Shapley value of the joint capex's cost game.",
        "Shapley (1953); Young, Okada & Hashimoto (1982)",
        cost=_cost("shapley"),
    ),
    ClauseRule(
        "nucleolus",
        "cost",
        "The nucleolus of the joint capex's cost game.",
        "Schmeidler (1969); Young, Okada & Hashimoto (1982)",
        cost=_cost("nucleolus"),
    ),
    ClauseRule(
        "per_capita_nucleolus",
        "cost",
        "The nucleolus of the joint capex's cost game with each coalition's excess divided "
        "by its number of parties.",
        "Grotte (1970); Young (1985), Int. J. Game Theory 14(2)",
        cost=_cost("per_capita_nucleolus"),
    ),
)


CLAUSE_STREAMS: tuple[ClauseStream, ...] = (
    ClauseStream("land", "source", ("source", "shared", "tax", "equity", "fixed")),
    ClauseStream("dividends", "equity", ("equity", "tax", "fixed")),
    ClauseStream(
        "investment",
        "equity",
        ("equity", "fixed", "benefit", "scrb", "shapley", "nucleolus", "per_capita_nucleolus"),
    ),
    ClauseStream("statistics", "source", ("source", "tax", "equity", "fixed"), money=False),
    ClauseStream(
        "incentives",
        "source",
        ("source", "tax", "equity", "fixed"),
        firm_inputs=(
            FirmInput("rebate_share", 0.0, 0.0, 1.0, "fraction"),
            FirmInput("rebate_years", 0.0, 0.0, 200.0, "years", integer=True),
        ),
        arises=lambda firm, k, retained: (
            -(firm("rebate_share") * retained) if k < firm("rebate_years") else 0.0
        ),
    ),
)
"""Every clause stream besides tax, in reporting order: adding one here (with its words
in :mod:`sim.i18n` and its arithmetic in :mod:`sim.model.clauses`) adds it to the
scenario file, the terms, the results, the decomposition, the workbook and the page."""

CLAUSES: tuple[ClauseName, ...] = tuple(c.name for c in CLAUSE_STREAMS)
"""The clauses besides tax, in reporting order."""
MONEY_CLAUSES: tuple[ClauseName, ...] = tuple(c.name for c in CLAUSE_STREAMS if c.money)
"""The clauses whose stream is money in each party's net benefit."""
ARISING: tuple[ClauseName, ...] = tuple(
    c.name for c in CLAUSE_STREAMS if c.money and c.arises is not None
)
"""The money clauses whose stream arises with the firms: each party pays it where it
arises (``source_<name>``) and bears it as agreed."""
DEFAULTS: dict[ClauseName, str] = {c.name: c.default for c in CLAUSE_STREAMS}
"""What a clause is when the file does not write it."""


def clause_stream(name: ClauseName) -> ClauseStream:
    """The registered clause stream ``name``."""
    for c in CLAUSE_STREAMS:
        if c.name == name:
            return c
    raise KeyError(name)


def firm_inputs() -> tuple[FirmInput, ...]:
    """Every number a firm may write for a clause, in the clauses' order."""
    return tuple(i for c in CLAUSE_STREAMS for i in c.firm_inputs)


def clause_rules(clause: ClauseName) -> tuple[ClauseRule, ...]:
    """The rules a clause may be written with: its default first, then in a stable order."""
    names = clause_stream(clause).rules
    return tuple(
        sorted((r for r in _RULES if r.name in names), key=lambda r: r.name != DEFAULTS[clause])
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
    raise RuleError(Reason("unknown_clause_rule", clause=clause, got=repr(name), known=known))
