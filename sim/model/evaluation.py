"""The model's entry points: :func:`evaluate` (every stream, chunk by chunk) and
:func:`evaluate_npv` (present values only, by the linear route where it applies, the
stream route elsewhere).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.model.batch import CHUNK_SIZE, STREAMS_CHUNK, Array, Batch, IntArray
from sim.model.chunk import _evaluate_chunk, _streams_npv
from sim.model.linear import _linear_npv, _linear_rows
from sim.model.result import Result, Values, _result
from sim.model.streams import active
from sim.model.terms import Terms


def evaluate(
    batch: Batch, terms: Terms, *, chunk_size: int = CHUNK_SIZE, statistics: bool = False
) -> Result:
    """Evaluate every scenario in ``batch`` under ``terms``.

    ``terms`` has the batch's size, or size 1 to apply one agreement to every
    scenario. The batch is evaluated ``chunk_size`` scenarios at a time, so that the
    temporaries stay in the processor's cache; the numbers do not depend on it. With
    ``statistics``, the result also holds the statistics clause's split of output,
    value added, investment and tax collected.

    Raises
    ------
    ConservationError
        If any stream in any scenario and year does not sum to what was collected, or
        is not finite.
    """
    n = batch.size
    if terms.size not in (1, n):
        raise ValueError(f"terms for {terms.size} scenarios cannot apply to a batch of {n}")
    if n <= chunk_size:
        return _result(_evaluate_chunk(batch, terms, 0, statistics, streams=True), batch, terms)
    parts = []
    for i in range(0, n, chunk_size):
        j = min(i + chunk_size, n)
        b, t = batch.take(i, j), terms.take(i, j)
        parts.append(_result(_evaluate_chunk(b, t, i, statistics, streams=True), b, t))
    return Result.concat(parts)


def evaluate_npv(
    batch: Batch,
    terms: Terms,
    *,
    chunk_size: int = STREAMS_CHUNK,
    statistics: bool = False,
    divided: bool = False,
) -> Values:
    """NPV per party under ``terms`` and under the source position, without keeping streams.

    The same arithmetic and checks as :func:`evaluate`, chunk by chunk, for sweeps
    that need only present values (it saves concatenating every yearly stream). With
    ``statistics``, also each indicator's horizon total counted to each party; with
    ``divided``, what the pool shares divide (:attr:`Values.divided`).
    """
    n = batch.size
    if terms.size not in (1, n):
        raise ValueError(f"terms for {terms.size} scenarios cannot apply to a batch of {n}")
    route = _linear_rows(terms, statistics) if not active(batch) else False
    if route is True:
        return _linear_npv(batch, terms, divided)
    if route is not False:  # floors in some scenarios: those take the streams
        return _split(batch, terms, route, chunk_size, divided)
    return _streams_npv(batch, terms, chunk_size, statistics, divided)


def _split(
    batch: Batch, terms: Terms, linear: NDArray[np.bool_], chunk_size: int, divided: bool
) -> Values:
    """:func:`evaluate_npv` with the scenarios ``linear`` by the linear route, the others
    (those with floors) by their streams."""
    parts = []
    for rows in (np.flatnonzero(linear), np.flatnonzero(~linear)):
        sub = _pick(batch, rows)
        values = evaluate_npv(sub, terms.pick(rows), chunk_size=chunk_size, divided=divided)
        parts.append((rows, values))
    n, p = batch.size, batch.structure.n_parties
    npv, source = np.empty((n, p)), np.empty((n, p))
    pv_divided: Array | None = np.empty(n) if divided else None
    for rows, values in parts:
        npv[rows], source[rows] = values.npv, values.source
        if pv_divided is not None and values.divided is not None:
            pv_divided[rows] = values.divided
        else:
            pv_divided = None
    return Values(npv, source, None, pv_divided)


def _pick(batch: Batch, rows: IntArray) -> Batch:
    """The scenarios ``rows`` of ``batch`` (copies)."""

    def pick(a: Array) -> Array:
        return a if a.shape[0] == 1 else np.asarray(a[rows])

    return batch.map(pick)
