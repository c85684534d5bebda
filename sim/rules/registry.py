"""The rule registry: every sharing rule registered under its literature name.

A *pool rule* divides the pooled tax revenue of one batch of scenarios between the
parties. It is a small pure function ``(pool, params) -> Division`` registered with
:func:`register`; the scenario schema takes its allowed names and parameters from
here, so a misspelt rule fails at load time with the file and key path.

Conservation is checked in one place, :func:`divide`, after every rule call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.arrays import distinct, group_by_party, sum_axis1, within
from sim.errors import ConservationError, RuleError
from sim.i18n import Reason

__all__ = [
    "FACTORS",
    "Division",
    "Param",
    "Pool",
    "RuleSpec",
    "Targets",
    "distinct",
    "divide",
    "get_rule",
    "register",
    "register_target",
    "rule_names",
    "rules",
]

Array = NDArray[np.float64]
ParamKind = Literal["party_shares", "party_weights", "factor_weights", "fraction"]
RuleKind = Literal["pool", "target"]

FACTORS: tuple[str, ...] = ("output", "wages", "investment", "land")
"""Apportionment factors of the ``formula`` rule, in the order of its weight arrays."""
FACTOR_NAMES: dict[str, tuple[str, str]] = {
    "output": ("output", "产值"),
    "wages": ("wages", "工资总额"),
    "investment": ("investment (equity)", "出资（股比）"),
    "land": ("land sold", "已出让土地"),
}
"""Each factor's name in English and Chinese: the pooled firms' output and wages located
with each party, each party's equity in the joint company, the land it has sold to date."""

#: Relative tolerance of every conservation check.
RTOL = 1e-9


@dataclass(frozen=True)
class Param:
    """A parameter of a rule, as it is written in ``[sharing]``."""

    name: str
    kind: ParamKind
    description: str
    default: float | None = None
    """``None`` means the parameter is required."""


@dataclass(frozen=True)
class Pool:
    """The pooled tax revenue of a batch of scenarios and what rules may use to divide it.

    Shapes use ``S`` scenarios, ``F`` firms, ``L`` land sales, ``P`` parties and ``T``
    years; firms and parties are in scenario order. Amounts are in the scenario's unit
    per year. The apportionment factors (:attr:`output`, :attr:`wages`,
    :attr:`land_area`) are computed on first use, so rules that do not need them
    cost nothing for them.
    """

    by_firm: Array
    """``(S, F, T)`` pooled retained tax of each firm [unit/yr]."""
    firm_party: NDArray[np.intp]
    """``(F,)`` index of the party where each firm is registered."""
    firm_introducer: NDArray[np.intp]
    """``(F,)`` index of the party that introduced each firm."""
    n_parties: int
    equity: Array
    """``(S, P)`` shareholding in the joint development company [fraction]."""
    firm_output: Array | None = None
    """``(S, F, T)`` output of every firm; ``None`` means no output data (zeros)."""
    in_scope: NDArray[np.bool_] | None = None
    """``(F,)`` firms whose tax is pooled (all when ``None``)."""
    wage_ratio: Array | None = None
    """``(S, F)`` wage bill per unit of output [fraction]."""
    land_sales: tuple[Array, NDArray[np.intp], NDArray[np.intp]] | None = None
    """Area ``(S, L)`` [mu], party index ``(L,)`` and year index ``(L,)`` of each land sale."""

    @cached_property
    def total(self) -> Array:
        """``(S, T)`` the whole pool (adding only firms in scope: the others pool nothing)."""
        if self.in_scope is None:
            return sum_axis1(self.by_firm)
        return sum_axis1(self.by_firm, np.flatnonzero(self.in_scope))

    @cached_property
    def at_source(self) -> Array:
        """``(S, P, T)`` the pool by the party where it was collected."""
        return group_by_party(self.by_firm, self.firm_party, self.n_parties)

    def by_party(self, values: Array | None = None) -> Array:
        """Sum ``(S, F, T)`` firm values (default: the pool) over the party of each firm."""
        if values is None:
            return self.at_source
        return group_by_party(values, self.firm_party, self.n_parties)

    @cached_property
    def output(self) -> Array:
        """``(S, F, T)`` output of pooled firms (zero for firms whose tax is not pooled)."""
        if self.firm_output is None:
            return np.zeros_like(self.by_firm)
        if self.in_scope is None or self.in_scope.all():
            return self.firm_output
        return np.asarray(self.firm_output * self.in_scope[None, :, None])

    @cached_property
    def wages(self) -> Array:
        """``(S, F, T)`` wage bill of pooled firms."""
        if self.wage_ratio is None:
            return np.zeros_like(self.by_firm)
        return np.asarray(self.output * self.wage_ratio[:, :, None])

    @cached_property
    def land_area(self) -> Array:
        """``(S, P, T)`` land area sold by each party up to and including each year [mu]."""
        s, _, t = self.by_firm.shape
        if self.land_sales is None or len(self.land_sales[1]) == 0:
            return np.zeros((s, self.n_parties, t))
        area, party, year = self.land_sales
        sold = np.zeros((area.shape[0], len(party), t))
        sold[:, np.arange(len(party)), year] = area
        return np.cumsum(group_by_party(sold, party, self.n_parties), axis=2)


@dataclass(frozen=True)
class Division:
    """How a rule divides the pool.

    ``allocation`` is what each party receives of the pool ``(S, P, T)``. ``shares``
    are the fractions of the pool behind it, ``(S, P, T)``, where the rule has them
    (they also divide shared land income); NaN in a year where the rule gives no
    basis for shares, and ``None`` for rules with no shares at all (``introducer``).
    """

    allocation: Array
    shares: Array | None


RuleFunc = Callable[[Pool, Mapping[str, Array]], Division]


@dataclass(frozen=True)
class Targets:
    """Target NPVs of a fair-division rule for a batch of games.

    ``values`` is ``(m, P)``; a row where the rule is undefined for that scenario's
    game is NaN and its entry in ``reasons`` says why (empty where defined).
    """

    values: Array
    reasons: tuple[str, ...]

    @property
    def defined(self) -> NDArray[np.bool_]:
        """``(m,)`` where the rule gives a target."""
        return np.array([not r for r in self.reasons], dtype=bool)


TargetFunc = Callable[[Array, Mapping[str, Array]], Targets]
"""``(values (m, 2^P), params) -> Targets``: a rule on each scenario's cooperative game,
for a whole batch of games at once (``values[:, mask]`` is coalition ``mask``'s value)."""


@dataclass(frozen=True)
class RuleSpec:
    """A registered rule: its function, parameters and where it comes from."""

    name: str
    func: RuleFunc
    params: tuple[Param, ...]
    summary: str
    reference: str
    needs: tuple[str, ...] = field(default=())
    """Scenario inputs the rule cannot do without, e.g. ``("investment.equity",)``."""
    kind: RuleKind = "pool"
    """``pool``: divides the pool directly. ``target``: a fair-division solution of the
    scenario's cooperative game, delivered through the constant pool shares that
    reproduce its NPVs (see :mod:`sim.agreement`)."""
    target: TargetFunc | None = None


_REGISTRY: dict[str, RuleSpec] = {}


def register(
    name: str,
    *,
    params: tuple[Param, ...] = (),
    summary: str,
    reference: str,
    needs: tuple[str, ...] = (),
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a pool rule under ``name`` (a decorator)."""

    def deco(func: RuleFunc) -> RuleFunc:
        if name in _REGISTRY:
            raise RuntimeError(f"rule {name!r} is registered twice")
        _REGISTRY[name] = RuleSpec(name, func, params, summary, reference, needs)
        return func

    return deco


def register_target(
    name: str,
    *,
    params: tuple[Param, ...] = (),
    summary: str,
    reference: str,
) -> Callable[[TargetFunc], TargetFunc]:
    """Register a fair-division rule on the scenario's game under ``name`` (a decorator)."""

    def deco(func: TargetFunc) -> TargetFunc:
        if name in _REGISTRY:
            raise RuntimeError(f"rule {name!r} is registered twice")
        _REGISTRY[name] = RuleSpec(
            name, _no_pool(name), params, summary, reference, kind="target", target=func
        )
        return func

    return deco


def _no_pool(name: str) -> RuleFunc:
    def refuse(pool: Pool, params: Mapping[str, Array]) -> Division:
        raise RuleError(Reason("rule_sets_targets", got=repr(name)))

    return refuse


def rules(kind: RuleKind | None = None) -> tuple[RuleSpec, ...]:
    """Every registered rule (or those of one ``kind``): pool rules first."""
    ordered = sorted(_REGISTRY.values(), key=lambda r: r.kind != "pool")
    return tuple(r for r in ordered if kind is None or r.kind == kind)


def rule_names(kind: RuleKind | None = None) -> tuple[str, ...]:
    """The names of every registered rule (or those of one ``kind``)."""
    return tuple(r.name for r in rules(kind))


def get_rule(name: str) -> RuleSpec:
    """The rule registered as ``name``.

    Raises
    ------
    RuleError
        If no rule has that name; the message lists the known ones.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise RuleError(Reason("unknown_rule_plain", got=repr(name), known=known)) from None


def divide(
    pool: Pool,
    rule: str,
    params: Mapping[str, Array],
    *,
    named: str = "",
    reviewed: bool = False,
    offset: int = 0,
) -> Division:
    """Divide ``pool`` by ``rule`` and check that the division conserves the pool.

    ``named``: the rule the agreement names, when it is divided by ``rule`` (a
    fair-division rule's resolved shares, as ``fixed``); ``reviewed``: ``rule`` divides
    at a review's shares; ``offset``: the index of the pool's first scenario in its batch.
    A failure names all three: the agreement's rule, the rule dividing, the scenario.

    Raises
    ------
    ConservationError
        If the allocation does not sum to the pool in some scenario and year, or the
        shares (where defined) do not sum to 1.
    """
    spec = get_rule(rule)
    division = spec.func(pool, params)
    total = pool.total
    diff = sum_axis1(division.allocation)
    diff -= total
    if not within(diff, RTOL):  # the tolerance is RTOL at the least: look closer
        got = sum_axis1(division.allocation)
        bad = np.abs(diff) > RTOL * np.maximum(np.abs(total), 1.0)
        if bad.any():
            s, t = np.argwhere(bad)[0]
            where = {"rule": _named(rule, named, reviewed), "s": offset + s, "t": t}
            got_, pool_ = repr(float(got[s, t])), repr(float(total[s, t]))
            raise ConservationError(Reason("rule_not_conserved", got=got_, pool=pool_, **where))
    if division.shares is not None:
        sums = distinct(division.shares).sum(axis=1)
        defined = ~np.isnan(sums)
        off = defined & (np.abs(sums - 1.0) > RTOL)
        if off.any():
            s, t = np.argwhere(off)[0]
            where = {"rule": _named(rule, named, reviewed), "s": offset + s, "t": t}
            got_ = repr(float(sums[s, t]))
            raise ConservationError(Reason("rule_shares_not_one", got=got_, **where))
    return division


def _named(rule: str, named: str, reviewed: bool) -> str | Reason:
    """The rule a failed division names: the agreement's, and the one dividing."""
    if reviewed:
        return Reason("rule_reviewed", rule=repr(named or rule), applied=repr(rule))
    if named and named != rule:
        return Reason("rule_resolved", rule=repr(named), applied=repr(rule))
    return repr(rule)
