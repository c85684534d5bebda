"""An agreement as the model sees it: :class:`Terms` (the tax clause and the clauses of
the other streams), :class:`StreamTerms` (one stream's clause) and :class:`ReviewTerms`
(a renegotiation clause), each with per-scenario arrays that a sweep can vary. Built by
:mod:`sim.agreement`; the model knows nothing of where shares come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.model.batch import Array, _rows
from sim.rules.clauses import CLAUSE_STREAMS, DEFAULTS, clause_rule

StreamBasis = Literal["source", "equity", "tax", "shares"]


@dataclass(frozen=True)
class StreamTerms:
    """How one stream besides tax is divided, as the model sees it.

    ``source``: where it arises; ``equity``: by :attr:`Batch.equity`; ``tax``: by the
    tax pool's shares in the agreement's years where the rule has them (otherwise as
    by default); ``shares``: by the constant :attr:`shares` ``(S, P)``. Cost rules and
    fair-division targets reach the model already turned into ``shares`` by
    :mod:`sim.agreement`.
    """

    basis: StreamBasis
    shares: Array | None = None
    """``(S, P)`` constant shares [fraction] for basis ``shares``."""

    def take(self, start: int, stop: int) -> StreamTerms:
        """Scenarios ``start`` to ``stop − 1`` (shares of one row apply to every scenario)."""
        return self.pick(slice(start, stop))

    def pick(self, rows: slice | NDArray[np.intp]) -> StreamTerms:
        """The scenarios ``rows``."""
        return self if self.shares is None else replace(self, shares=_rows(self.shares, rows))

    def repeat(self, n: int) -> StreamTerms:
        """Each scenario ``n`` times."""
        if self.shares is None:
            return self
        return replace(self, shares=np.repeat(self.shares, n, axis=0))


def default_clause(name: str) -> StreamTerms:
    """The terms of clause ``name`` as by default, where its stream stays with no
    agreement (the decomposition's counterfactual)."""
    basis = clause_rule(name, DEFAULTS[name]).basis
    assert basis in ("source", "equity", "tax")
    return StreamTerms(basis)


@dataclass(frozen=True)
class ReviewTerms:
    """A renegotiation clause as the model sees it (:class:`sim.scenario.Review`).

    In the first year ``t`` of the window, from its ``after``-th year on, in which
    party ``party``'s tax received less its tax at source, summed over the window's
    years before ``t``, is below :attr:`below`, the pool's shares become
    :attr:`shares` for good (the division of the pool by the fixed rule).
    """

    party: int
    after: int
    below: Array
    """``(S,)`` threshold on the party's cumulative gain [unit, nominal]."""
    shares: Array
    """``(S, P)`` the pool's shares from the switch on [fraction]."""

    def take(self, start: int, stop: int) -> ReviewTerms:
        """Scenarios ``start`` to ``stop − 1`` (one row applies to every scenario)."""
        return self.pick(slice(start, stop))

    def pick(self, rows: slice | NDArray[np.intp]) -> ReviewTerms:
        """The scenarios ``rows``."""
        return replace(self, below=_rows(self.below, rows), shares=_rows(self.shares, rows))

    def repeat(self, n: int) -> ReviewTerms:
        """Each scenario ``n`` times."""
        return replace(
            self,
            below=np.repeat(self.below, n, axis=0),
            shares=np.repeat(self.shares, n, axis=0),
        )


@dataclass(frozen=True)
class Terms:
    """An agreement applied to a batch: the tax clause and the clauses of the other streams.

    Structural choices (rule, scope, window, each clause's basis) are shared by the
    batch; numbers (compliance, floors, rule parameters, clause shares) are
    ``(S, …)`` arrays so that a sweep can vary them. Built from a scenario's
    ``[sharing]`` by :mod:`sim.agreement`, which also turns fair-division rules and
    cost rules into shares: the model knows nothing of where shares come from.
    """

    rule: str
    label: str
    scope: str
    window: NDArray[np.bool_]
    """``(T,)`` years in which the agreement redistributes tax, land and statistics."""
    base_index: int
    """Index of the base year (``scope = "above_base"``)."""
    compliance: Array
    """``(S,)`` share of each agreed transfer of tax and land that is settled [fraction]."""
    floors: Array
    """``(S, P)`` minimum tax revenue per year [unit/yr]; 0 where none."""
    params: Mapping[str, Array] = field(default_factory=dict)
    """Rule parameters: party shares ``(S, P)``, factor weights ``(S, K)``, fractions ``(S,)``."""
    clauses: Mapping[str, StreamTerms] = field(default_factory=dict)
    """Clause name → its terms, one for each registered clause stream
    (:data:`sim.rules.clauses.CLAUSE_STREAMS`); one not given stays as by default."""
    cap: Array | None = None
    """``(S,)`` most tax a party pays the others in a year [unit/yr]; ``None``: no cap."""
    review: ReviewTerms | None = None
    """A renegotiation clause; ``None``: none."""
    named: str = ""
    """The rule the agreement names, where the pool is divided by another: a fair-division
    rule whose shares are resolved per scenario and divided as ``fixed`` (for messages:
    a failure names the agreement's rule); empty: ``rule`` itself."""
    tax_clause: bool = True
    """``False``: the tax clause moves no tax (each party keeps its tax at source, before
    floors), while its rule still sets the pool's shares that clauses with basis ``tax``
    follow; the decomposition's counterfactual for the tax part."""

    @property
    def piecewise(self) -> bool:
        """Whether NPV is only piecewise affine in constant pool shares: floors, a cap or
        a review make it so (the agreement layer then works on the model itself)."""
        return bool(np.any(self.floors > 0)) or self.cap is not None or self.review is not None

    @property
    def size(self) -> int:
        """Number of scenarios the per-scenario arrays describe (1: every scenario)."""
        return int(self.compliance.shape[0])

    def __post_init__(self) -> None:
        full = {c.name: self.clauses.get(c.name) or default_clause(c.name) for c in CLAUSE_STREAMS}
        object.__setattr__(self, "clauses", full)

    def clause(self, name: str) -> StreamTerms:
        """The terms of clause ``name`` (a registered clause stream)."""
        return self.clauses[name]

    def with_clause(self, name: str, clause: StreamTerms) -> Terms:
        """The same terms with the clause of ``name`` replaced."""
        return replace(self, clauses={**self.clauses, name: clause})

    def take(self, start: int, stop: int) -> Terms:
        """Scenarios ``start`` to ``stop − 1``; terms of size 1 apply to every scenario."""
        if self.size == 1:
            return self
        return self.pick(slice(start, stop))

    def pick(self, rows: slice | NDArray[np.intp]) -> Terms:
        """The scenarios ``rows``: each per-scenario array's rows, where it has more than
        one (an array of one row, such as a rule's parameters written once, applies to
        every scenario and is kept as it is)."""
        return replace(
            self,
            compliance=_rows(self.compliance, rows),
            floors=_rows(self.floors, rows),
            params={k: _rows(v, rows) for k, v in self.params.items()},
            clauses={k: v.pick(rows) for k, v in self.clauses.items()},
            cap=None if self.cap is None else _rows(self.cap, rows),
            review=None if self.review is None else self.review.pick(rows),
        )

    def repeat(self, n: int) -> Terms:
        """Each scenario ``n`` times (row ``r·n + j`` is scenario ``r``)."""
        return replace(
            self,
            compliance=np.repeat(self.compliance, n, axis=0),
            floors=np.repeat(self.floors, n, axis=0),
            params={k: np.repeat(v, n, axis=0) for k, v in self.params.items()},
            clauses={k: v.repeat(n) for k, v in self.clauses.items()},
            cap=None if self.cap is None else np.repeat(self.cap, n, axis=0),
            review=None if self.review is None else self.review.repeat(n),
        )
