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
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.errors import ConservationError, RuleError

__all__ = [
    "FACTORS",
    "Division",
    "Param",
    "Pool",
    "RuleSpec",
    "divide",
    "get_rule",
    "register",
    "rule_names",
    "rules",
]

Array = NDArray[np.float64]
ParamKind = Literal["party_shares", "factor_weights", "fraction"]

FACTORS: tuple[str, ...] = ("output", "wages", "investment", "land")
"""Apportionment factors of the ``formula`` rule, in the order of its weight arrays."""

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

    Shapes use ``S`` scenarios, ``F`` firms, ``P`` parties and ``T`` years; firms and
    parties are in scenario order. Amounts are in the scenario's unit per year.
    """

    by_firm: Array
    """``(S, F, T)`` pooled retained tax of each firm [unit/yr]."""
    firm_party: NDArray[np.intp]
    """``(F,)`` index of the party where each firm is registered."""
    firm_introducer: NDArray[np.intp]
    """``(F,)`` index of the party that introduced each firm."""
    n_parties: int
    output: Array
    """``(S, F, T)`` output of pooled firms (zero for firms whose tax is not pooled)."""
    wages: Array
    """``(S, F, T)`` wage bill of pooled firms."""
    equity: Array
    """``(S, P)`` shareholding in the joint development company [fraction]."""
    land_area: Array
    """``(S, P, T)`` land area sold by each party up to and including each year [mu]."""

    @property
    def total(self) -> Array:
        """``(S, T)`` the whole pool."""
        return np.asarray(self.by_firm.sum(axis=1))

    def by_party(self, values: Array | None = None) -> Array:
        """Sum ``(S, F, T)`` firm values (default: the pool) over the party of each firm."""
        v = self.by_firm if values is None else values
        return group_by_party(v, self.firm_party, self.n_parties)


def group_by_party(values: Array, index: NDArray[np.intp], n_parties: int) -> Array:
    """Sum ``(S, F, T)`` values into ``(S, P, T)`` by the party index of axis 1."""
    s, _, t = values.shape
    out = np.zeros((s, n_parties, t))
    for p in range(n_parties):
        mask = index == p
        if mask.any():
            out[:, p, :] = values[:, mask, :].sum(axis=1)
    return out


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
class RuleSpec:
    """A registered rule: its function, parameters and where it comes from."""

    name: str
    func: RuleFunc
    params: tuple[Param, ...]
    summary: str
    reference: str
    needs: tuple[str, ...] = field(default=())
    """Scenario inputs the rule cannot do without, e.g. ``("investment.equity",)``."""


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


def rules() -> tuple[RuleSpec, ...]:
    """Every registered rule, in registration order."""
    return tuple(_REGISTRY.values())


def rule_names() -> tuple[str, ...]:
    """The names of every registered rule."""
    return tuple(_REGISTRY)


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
        raise RuleError(f"unknown rule {name!r}; known rules: {known}") from None


def divide(pool: Pool, rule: str, params: Mapping[str, Array]) -> Division:
    """Divide ``pool`` by ``rule`` and check that the division conserves the pool.

    Raises
    ------
    ConservationError
        If the allocation does not sum to the pool in some scenario and year, or the
        shares (where defined) do not sum to 1.
    """
    spec = get_rule(rule)
    division = spec.func(pool, params)
    total = pool.total
    got = division.allocation.sum(axis=1)
    scale = np.maximum(np.abs(total), 1.0)
    bad = np.abs(got - total) > RTOL * scale
    if bad.any():
        s, t = np.argwhere(bad)[0]
        raise ConservationError(
            f"rule {rule!r} allocated {got[s, t]!r} of a pool of {total[s, t]!r} "
            f"(scenario {s}, year index {t})"
        )
    if division.shares is not None:
        sums = division.shares.sum(axis=1)
        defined = ~np.isnan(sums)
        off = defined & (np.abs(sums - 1.0) > RTOL)
        if off.any():
            s, t = np.argwhere(off)[0]
            raise ConservationError(
                f"rule {rule!r} gave shares summing to {sums[s, t]!r}, not 1 "
                f"(scenario {s}, year index {t})"
            )
    return division
