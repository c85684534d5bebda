"""Arrays the chunks of one evaluation reuse on the stream route
(:func:`~sim.model.chunk._streams_npv`): each firm's output, retained tax and pooled tax,
laid out once per chunk size, with the columns of the firms no scenario varies filled
once. A chunk writes only the columns of the firms that vary.

The numbers are those of :func:`~sim.model.sources.collect` and of the pool of
:func:`~sim.model.tax._pool`, bit for bit: the same element-wise operations on the same
inputs, only not repeated where they would give the same row again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.model.batch import Array, Batch, IntArray, _columns
from sim.model.sources import _OUTPUT_FIELDS, _Collected, _Fixed, _grown, _per_year, _rates


@dataclass(frozen=True)
class _Arrays:
    """One chunk size's arrays, ``(S, F, T)`` laid out year first (as
    :func:`~sim.model.sources.firm_output`)."""

    output: Array
    retained: Array
    pooled: Array | None


class Reused:
    """What the chunks of one batch reuse (see the module).

    ``fixed``: what every scenario of the batch shares; ``scope``: the pool's scope
    (the pooled tax is kept here for ``new_firms``, where it is the retained tax of the
    firms in scope and zero for the others)."""

    def __init__(self, fixed: _Fixed, batch: Batch, scope: str) -> None:
        st = batch.structure
        self.fixed = fixed
        self.years = st.years
        self.onehot = st.onehot(st.firm_party)
        self.varying: IntArray = np.flatnonzero(fixed.varies)
        v = self.varying
        self.span = slice(int(v[0]), int(v[-1]) + 1) if len(v) and np.all(np.diff(v) == 1) else None
        self.same_rates = fixed.rates is not None and fixed.rates.ndim == 3
        self.in_scope: NDArray[np.bool_] | None = None
        if scope == "new_firms":
            self.in_scope = ~st.firm_existing
        # the pooled columns a chunk writes: every firm in scope when the rates vary
        pool_cols = fixed.varies if self.same_rates else np.ones_like(fixed.varies)
        self.pool_cols: IntArray = np.flatnonzero(
            pool_cols & (self.in_scope if self.in_scope is not None else False)
        )
        self._sized: dict[int, _Arrays] = {}
        self.start = 0
        """The first scenario of the chunk being evaluated (set by the caller)."""
        # firms whose retained (and pooled) tax is one row for all scenarios
        self.rows = ~fixed.varies if self.same_rates else np.zeros_like(fixed.varies)
        self.party_firms = [np.flatnonzero(st.firm_party == p) for p in range(st.n_parties)]
        self.scope = scope
        # the inputs of the firms that vary, for the whole batch (a chunk takes its rows)
        self.columns = {k: _columns(batch.firms[k], fixed.varies) for k in _OUTPUT_FIELDS}

    def _arrays(self, n: int) -> _Arrays:
        """The arrays for chunks of ``n`` scenarios, made (and the firms no scenario
        varies filled in) on first use."""
        got = self._sized.get(n)
        if got is not None:
            return got
        fixed = self.fixed
        output = np.empty((n, *fixed.output.shape[1:]), order="F")
        output[:] = np.asfortranarray(fixed.output)
        retained = np.empty_like(output)
        if self.same_rates:
            assert fixed.rates is not None
            np.multiply(output, _per_year(fixed.rates[:, 0], output), out=retained)
        pooled = None
        if self.in_scope is not None:
            pooled = np.zeros_like(output)
            for f in np.flatnonzero(self.in_scope):
                pooled[:, f] = retained[:, f]
        got = _Arrays(output, retained, pooled)
        self._sized[n] = got
        return got

    def collect(self, batch: Batch, start: int) -> _Collected:
        """:func:`~sim.model.sources.collect` of a chunk (the batch's scenarios from
        ``start`` on), in the reused arrays."""
        a = self._arrays(batch.size)
        v = self.varying
        if len(v):
            rows = slice(start, start + batch.size)
            firms = {k: c[rows] for k, c in self.columns.items()}
            by_year = a.output.transpose(2, 1, 0)  # (T, F, S), C-contiguous
            if self.span is not None:
                _grown(firms, self.years, out=by_year[:, self.span])
            else:
                grown = _grown(firms, self.years)
                for j, f in enumerate(v):
                    by_year[:, f] = grown[:, j]
        rates = self.fixed.rates if self.fixed.rates is not None else _rates(batch)
        if self.same_rates:
            kept = rates[:, 0, :, None]  # (1, F, 1)
            if self.span is not None:
                s = self.span
                np.multiply(a.output[:, s], kept[:, s], out=a.retained[:, s])
            else:
                for f in v:
                    np.multiply(a.output[:, f], kept[:, f], out=a.retained[:, f])
        else:
            np.multiply(a.output, _per_year(rates[:, 0], a.output), out=a.retained)
        if a.pooled is not None:
            for f in self.pool_cols:
                a.pooled[:, f] = a.retained[:, f]
        return _Collected(output=a.output, retained=a.retained, rates=rates, onehot=self.onehot)

    def _add_up(self, values: Array, firms: Sequence[int] | IntArray, out: Array) -> Array:
        """``out`` ``(S, T)`` = the columns ``firms`` of ``values`` added in order, those
        of the firms in :attr:`rows` read as one row: the operations and bits of
        :func:`~sim.arrays.group_by_party` and :func:`~sim.arrays.sum_axis1` (a sum of
        two is the same in either order; exact zeros are left out, as adding them
        changes nothing)."""

        def column(f: int) -> Array:
            return values[:1, f] if self.rows[f] else values[:, f]

        if len(firms) == 0:
            out[...] = 0.0
        elif len(firms) == 1:
            np.copyto(out, column(firms[0]))
        else:
            np.add(column(firms[0]), column(firms[1]), out=out)
            for f in firms[2:]:
                out += column(f)
        return out

    def by_party(self, values: Array, in_scope: NDArray[np.bool_] | None = None) -> Array:
        """``(S, P, T)`` :func:`~sim.arrays.group_by_party` of the retained or pooled tax
        ``values`` (``in_scope``: the firms whose columns are not zero), laid out as
        ``values``."""
        s, _, t = values.shape
        if in_scope is not None:  # one column a party, evenly spaced: a view of them
            view = self._spaced(in_scope)
            if view is not None:
                return values[:, view]
        out = np.empty((s, len(self.party_firms), t), order="F")
        for p, firms in enumerate(self.party_firms):
            if in_scope is not None:
                firms = firms[in_scope[firms]]
            self._add_up(values, firms, out[:, p])
        return out

    def _spaced(self, in_scope: NDArray[np.bool_]) -> slice | None:
        """The slice of firms that holds, party by party, each party's one firm in scope,
        when each party has one that varies (a column) and they are evenly spaced."""
        firms = [f[in_scope[f]] for f in self.party_firms]
        if any(len(f) != 1 or self.rows[f[0]] for f in firms):
            return None
        at = [int(f[0]) for f in firms]
        gaps = set(np.diff(at).tolist()) or {1}
        step = gaps.pop()
        if gaps or step == 0:
            return None
        stop: int | None = at[-1] + step
        return slice(at[0], None if stop is not None and stop < 0 else stop, step)

    def pool_parts(
        self, collected: _Collected, source_tax: Array
    ) -> tuple[Array, Array, Array] | None:
        """The pool's tax by firm, by party and in all, as :func:`~sim.model.tax._pool`
        and :class:`~sim.rules.Pool` work them out (``None`` for scope ``above_base``)."""
        s, _, t = collected.retained.shape
        total = np.empty((s, t), order="F")
        if self.scope == "all":
            firms = np.arange(len(self.rows))
            return collected.retained, source_tax, self._add_up(collected.retained, firms, total)
        a = self._sized.get(s)
        if self.in_scope is None or a is None or a.pooled is None:
            return None
        firms = np.flatnonzero(self.in_scope)
        at_source = self.by_party(a.pooled, self.in_scope)
        return a.pooled, at_source, self._add_up(a.pooled, firms, total)
