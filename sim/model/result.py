"""What the model returns: :class:`Result` (streams per party and year) from
:func:`~sim.model.evaluate`, :class:`Values` (present values) from
:func:`~sim.model.evaluate_npv`, and one chunk's checked streams (:class:`_Chunk`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import NamedTuple

import numpy as np

from sim.model.batch import Array, Batch, IntArray
from sim.model.sources import _Collected, discount_factors
from sim.model.streams import SETTLEMENTS
from sim.model.terms import Terms
from sim.rules.clauses import MONEY_CLAUSES

STREAMS: tuple[str, ...] = ("tax", *MONEY_CLAUSES)
"""The streams of a party's net benefit, in reporting order: tax, then each clause
stream that is money (:data:`sim.rules.clauses.MONEY_CLAUSES`)."""
INDICATORS: tuple[str, ...] = ("output", "value_added", "investment", "tax")
"""Statistics counted to each party (never added to money): the park's output, value
added, fixed-asset investment (the joint capex) and all tax collected."""


@dataclass(frozen=True)
class Result:
    """Streams per party and year for a batch of scenarios under one agreement.

    Every stream array is ``(S, P, T)`` in the scenario's unit; ``investment`` is
    negative (what parties pay in).
    """

    parties: tuple[str, ...]
    years: IntArray
    rule: str
    label: str
    tax: Array
    land: Array
    dividends: Array
    investment: Array
    source_tax: Array
    """Retained tax each party would keep with no agreement (the source position)."""
    upper_tier: Array
    """Local tax passed up to each party's province or city."""
    central: Array
    """``(S, T)`` central share of all taxes."""
    shares: Array | None
    """``(S, P, T)`` shares of the pool where the rule has them (NaN outside the window)."""
    discount_rate: Array
    source_land: Array | None = None
    """``(S, P, T)`` net land income at source (``None``: the same as :attr:`land`)."""
    source_dividends: Array | None = None
    """``(S, P, T)`` dividends by equity (``None``: the same as :attr:`dividends`)."""
    source_investment: Array | None = None
    """``(S, P, T)`` capex paid by equity (``None``: the same as :attr:`investment`)."""
    statistics: Mapping[str, Array] | None = None
    """Each of :data:`INDICATORS` → ``(S, P, T)`` counted to each party under the
    statistics clause (when evaluated with ``statistics=True``); never part of money."""
    divided: Array | None = None
    """``(S, T)`` what a share of the pool is a share of each year (see :func:`_divided`);
    ``None`` for a rule without shares."""
    further: Mapping[str, Array] = field(default_factory=dict)
    """Each clause stream of :data:`sim.model.streams.SETTLEMENTS` in use → ``(S, P, T)``
    what each party gets (+) or bears (−) of it; one not there is zero."""
    source_further: Mapping[str, Array] = field(default_factory=dict)
    """The same where each arises (``None`` entries left out: the same as :attr:`further`)."""

    @property
    def streams(self) -> tuple[str, ...]:
        """The streams of :data:`STREAMS` this result has: a clause stream that arises
        with the firms (:data:`~sim.model.streams.SETTLEMENTS`) only where it is in use,
        so that files without it read as they always have."""
        return tuple(s for s in STREAMS if s not in SETTLEMENTS or s in self.further)

    @property
    def net(self) -> Array:
        """``(S, P, T)`` net benefit: tax + land + dividends + investment."""
        return _net(self)

    @property
    def transfers(self) -> Array:
        """``(S, P, T)`` tax received (+) or paid (−) under the agreement vs source."""
        return np.asarray(self.tax - self.source_tax)

    @property
    def moved(self) -> Array:
        """``(S, P, T)`` what the agreement moves in every stream against no agreement.

        Tax and land against where they arise, dividends and capex against
        shareholding; each year it sums to zero over the parties.
        """
        return _moved(self)

    @property
    def source_npv(self) -> Array:
        """``(S, P)`` NPV under the source position (no agreement): NPV less the
        discounted value of everything the agreement moves (:attr:`moved`)."""
        return np.asarray(self.npv - _discounted(self.moved, self.discount_factors))

    @property
    def discount_factors(self) -> Array:
        """``(S, T)`` 1 / (1 + r)^t."""
        return discount_factors(self.discount_rate, len(self.years))

    @property
    def npv(self) -> Array:
        """``(S, P)`` net present value of each party's net benefit (t = 0 undiscounted)."""
        return _discounted(self.net, self.discount_factors)

    @classmethod
    def concat(cls, parts: list[Result]) -> Result:
        """One result from results of consecutive chunks of a batch."""
        first = parts[0]
        changes: dict[str, object] = {}
        for f in fields(cls):
            value = getattr(first, f.name)
            if isinstance(value, np.ndarray) and f.name != "years":
                changes[f.name] = np.concatenate([getattr(p, f.name) for p in parts], axis=0)
        for name in ("further", "source_further"):
            changes[name] = {
                k: np.concatenate([getattr(p, name)[k] for p in parts], axis=0)
                for k in getattr(first, name)
            }
        if first.statistics is not None:
            changes["statistics"] = {
                k: np.concatenate([p.statistics[k] for p in parts if p.statistics], axis=0)
                for k in first.statistics
            }
        return replace(first, **changes)  # type: ignore[arg-type]

    def stream(self, name: str) -> Array:
        """One of :data:`STREAMS`, ``net``, ``source_tax`` or ``upper_tier`` by name."""
        if name in MONEY_CLAUSES and not hasattr(self, name):
            return np.asarray(self.further.get(name, np.zeros_like(self.tax)))
        value = getattr(self, name)
        return np.asarray(value)

    @property
    def arising(self) -> tuple[str, ...]:
        """The clause streams of this result that arise with the firms
        (:data:`~sim.model.streams.SETTLEMENTS`, where in use): paid where they arise,
        borne as agreed."""
        return tuple(s for s in self.streams if s in SETTLEMENTS)

    def at_source(self, name: str) -> Array:
        """``(S, P, T)`` what each party pays (−) of the clause stream ``name`` of
        :attr:`arising` where it arises, before the agreement moves it; what each bears
        is :meth:`stream`, and the two sum to the same each year (checked)."""
        found = self.source_further.get(name)
        return np.asarray(self.further[name] if found is None else found)

    def clause_moved(self, name: str) -> Array:
        """``(S, P, T)`` what clause ``name`` moves against where its stream stays with no
        agreement (zeros where it moves nothing)."""
        return _clause_moved(self, name)


class Values(NamedTuple):
    """Present values of a batch under one agreement (:func:`evaluate_npv`)."""

    npv: Array
    """``(S, P)`` NPV per party."""
    source: Array
    """``(S, P)`` NPV per party under the source position (no agreement)."""
    statistics: Array | None
    """``(S, K, P)`` each of :data:`INDICATORS` counted to each party over the horizon
    (undiscounted), when asked for."""
    divided: Array | None = None
    """``(S,)`` present value of what the pool shares divide (:attr:`Result.divided`):
    with constant shares and no floors, NPV is this times a party's share plus what it
    gets with none of the pool."""


class _Chunk(NamedTuple):
    """One chunk's streams, checked: what :func:`evaluate` makes a :class:`Result` of and
    :func:`evaluate_npv` discounts. Fields as in :class:`Result`."""

    collected: _Collected
    tax: Array
    land: Array
    dividends: Array
    investment: Array
    source_tax: Array
    shares: Array | None
    source_land: Array | None
    source_dividends: Array | None
    source_investment: Array | None
    statistics: dict[str, Array] | None
    divided: Array | None
    further: dict[str, Array]
    source_further: dict[str, Array]
    transfers: Array | None = None
    """``(S, P, T)`` tax − source tax, when the checks computed it (kept for
    :func:`_moved`)."""


def _discounted(x: Array, df: Array) -> Array:
    """``(S, P)`` present value of ``x`` ``(S, P, T)`` at ``df`` ``(S, T)``, each year's
    product added year by year in order, whatever the batch's size or layout in memory:
    :func:`numpy.einsum` does so with the scenarios and parties innermost (year first, as
    the model lays out its streams: :func:`~sim.model.sources.firm_output`); along a
    contiguous axis of years it adds in another order (tested to the bit)."""
    if x.shape[0] * x.shape[1] == 1:  # nothing to run along but the years
        term = x * df[:, None, :]
        out = np.array(term[:, :, 0], copy=True)
        for t in range(1, term.shape[2]):
            out += term[:, :, t]
        return out
    return np.asarray(np.einsum("spt,st->sp", np.asfortranarray(x), np.asfortranarray(df)))


def _net(s: Result | _Chunk, others: Array | None = None) -> Array:
    """``(S, P, T)`` net benefit: tax + (land + dividends + investment), then the further
    clause streams; ``others``: the part in brackets, when already added up
    (:func:`_others`)."""
    net = s.tax + (_others(s) if others is None else others)
    for stream in s.further.values():
        net += stream
    return np.asarray(net)


def _others(s: Result | _Chunk) -> Array:
    """``(S, P, T)`` land + dividends + investment (one row for all scenarios, when each
    is: a sweep's chunks share it)."""
    others = s.land + s.dividends
    others += s.investment
    return np.asarray(others)


def _clause_moved(s: Result | _Chunk, name: str) -> Array:
    """``(S, P, T)`` what clause ``name`` moves (see :meth:`Result.clause_moved`)."""
    if name in SETTLEMENTS:  # zero where the batch has none of it
        actual, source = s.further.get(name), s.source_further.get(name)
    else:
        actual, source = getattr(s, name), getattr(s, f"source_{name}")
    if source is None or actual is None:
        return np.zeros_like(s.tax)
    return np.asarray(actual - source)


def _moved(s: Result | _Chunk) -> Array:
    """``(S, P, T)`` what the agreement moves in every stream (see :attr:`Result.moved`)."""
    transfers = s.transfers if isinstance(s, _Chunk) else None
    moved = s.tax - s.source_tax if transfers is None else transfers
    for actual, source in (
        (s.land, s.source_land),
        (s.dividends, s.source_dividends),
        (s.investment, s.source_investment),
    ):
        if source is not None:
            moved = moved + (actual - source)  # not in place: ``transfers`` is kept
    for name, source in s.source_further.items():
        moved = moved + (s.further[name] - source)
    return np.asarray(moved)


def _result(chunk: _Chunk, batch: Batch, terms: Terms) -> Result:
    """The :class:`Result` of a chunk."""
    st = batch.structure
    fields = chunk._asdict()
    collected = fields.pop("collected")
    fields.pop("transfers")
    return Result(
        parties=st.parties,
        years=st.years,
        rule=terms.rule,
        label=terms.label,
        upper_tier=collected.upper_tier,
        central=collected.central,
        discount_rate=batch.discount_rate,
        **fields,
    )
