"""The model's part of each clause stream that arises with the firms: how much of it
each firm gives rise to at source, each year (:data:`SETTLEMENTS`).

A clause stream registered in :data:`sim.rules.clauses.CLAUSE_STREAMS` whose name is
here is evaluated by the model without a line of its own: its amount at source is
added up by the party where each firm is registered, divided by its clause's basis
(:func:`sim.model.clauses._stream_shares`), checked to sum over the parties to what
arose (:mod:`sim.model.checks`), added to each party's net benefit and to what the
agreement moves, and valued in each firm's present value. Land income, dividends and
capex have their own arithmetic (:mod:`sim.model.clauses`, :mod:`sim.model.linear`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.model.batch import Array, Batch

__all__ = ["SETTLEMENTS", "Settlement", "active"]


@dataclass(frozen=True)
class Settlement:
    """How a clause stream arises with the firms."""

    by_firm: Callable[[Batch, Array], Array]
    """``(batch, retained (S, F, T)) -> (S, F, T)``: what each firm's stream is at source
    each year, signed as it enters its party's net benefit (``retained``: the tax each
    firm's party keeps)."""
    active: Callable[[Batch], bool]
    """Whether the stream can be other than zero in some scenario of the batch (when it
    is, :func:`sim.model.evaluate_npv` takes the stream route)."""


def _rebates(batch: Batch, retained: Array) -> Array:
    """``(S, F, T)`` minus each firm's rebate: its ``rebate_share`` of the tax its party
    keeps, in the first ``rebate_years`` years of its output (税收奖补)."""
    f = batch.firms
    k = batch.structure.years[None, None, :] - f["first_year"][:, :, None]
    within = (k >= 0) & (k < f["rebate_years"][:, :, None])
    return np.asarray(np.where(within, -(f["rebate_share"][:, :, None] * retained), 0.0))


def _rebating(batch: Batch) -> bool:
    f = batch.firms
    return bool(np.any((f["rebate_share"] > 0) & (f["rebate_years"] > 0)))


SETTLEMENTS: dict[str, Settlement] = {"incentives": Settlement(_rebates, _rebating)}
"""Clause name → its settlement, for the clause streams that arise with the firms."""


def active(batch: Batch) -> tuple[str, ...]:
    """The clause streams of :data:`SETTLEMENTS` that can be other than zero in ``batch``."""
    return tuple(name for name, s in SETTLEMENTS.items() if s.active(batch))
