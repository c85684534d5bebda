"""The tax clause: the pool (by scope), its division by the rule, settlement at the
compliance rate, the cap, the floors and the review (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from sim.arrays import group_by_party, sum_before
from sim.model.batch import Array, Batch
from sim.model.sources import _Collected, collect
from sim.model.terms import Terms
from sim.rules import Division, Pool, divide

#: How far below its threshold a review's cumulative gain must be to count, relative to
#: the party's tax at source over the window: rounding never triggers a review.
REVIEW_TOL = 1e-12


def _pool(
    batch: Batch, terms: Terms, collected: _Collected, source_tax: Array,
    parts: tuple[Array, Array, Array] | None = None,
) -> Pool:  # fmt: skip
    """The pool (``parts``: its tax by firm, by party and in all, already worked out, to
    the bit, by :class:`~sim.model.reuse.Reused`)."""
    st = batch.structure
    retained = collected.retained
    in_scope = None
    if terms.scope == "all":
        pooled = retained
    elif terms.scope == "new_firms":
        in_scope = ~st.firm_existing
        if parts is not None:
            pooled = parts[0]
        else:
            pooled = np.zeros_like(retained)  # retained ≥ 0: as retained · in_scope, faster
            for f in np.flatnonzero(in_scope):
                pooled[:, f] = retained[:, f]
    elif terms.scope == "above_base":
        stock = source_tax[:, :, terms.base_index : terms.base_index + 1]
        excess = np.maximum(source_tax - stock, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(source_tax > 0, excess / source_tax, 0.0)  # (S, P, T)
        pooled = retained * fraction[:, st.firm_party, :]
    else:  # the schema only lets the three scopes through
        raise ValueError(f"unknown scope {terms.scope!r}")
    pool = Pool(
        by_firm=pooled,
        firm_party=st.firm_party,
        firm_introducer=st.firm_introducer,
        n_parties=st.n_parties,
        equity=batch.equity,
        firm_output=collected.output,
        in_scope=in_scope,
        wage_ratio=batch.firms["wage_ratio"],
        land_sales=(batch.land["area_mu"], st.land_party, st.land_year),
    )
    if parts is not None:  # the pool's cached sums, as it would work them out
        pool.__dict__.update(at_source=parts[1], total=parts[2])
    return pool


def tax_pool(batch: Batch, terms: Terms) -> Pool:
    """The tax pool of ``batch`` under ``terms``, as :func:`evaluate` builds it: each
    firm's pooled retained tax and what rules divide it by (for settlement statements,
    :mod:`sim.settle`)."""
    collected = collect(batch)
    st = batch.structure
    source_tax = group_by_party(collected.retained, st.firm_party, st.n_parties)
    return _pool(batch, terms, collected, source_tax)


def apply_floors(tax: Array, floors: Array) -> Array:
    """Top up parties below their floor from the others, as far as that reaches.

    A party below its floor receives from the others in proportion to what they hold
    above their own floors. When the surplus above floors cannot cover every deficit,
    it is all moved and divided between deficits in proportion to their size. A party
    pays at most what it holds above its own floor, so none ends below its floor by
    paying (up to rounding of its tax) and a party below its floor pays nothing: when
    every party is below its floor, nothing moves.

    Examples
    --------
    >>> import numpy as np
    >>> apply_floors(np.array([[[9.0], [1.0]]]), np.array([[0.0, 3.0]]))[0, :, 0].tolist()
    [7.0, 3.0]

    Both below their floors: no top-up.

    >>> apply_floors(np.array([[[9.0], [1.0]]]), np.array([[10.0, 3.0]]))[0, :, 0].tolist()
    [9.0, 1.0]
    """
    f = floors[:, :, None]
    deficit = np.maximum(f - tax, 0.0)
    surplus = np.maximum(tax - f, 0.0)
    need = deficit.sum(axis=1, keepdims=True)
    have = surplus.sum(axis=1, keepdims=True)
    moved = np.minimum(need, have)
    with np.errstate(invalid="ignore", divide="ignore"):
        got = np.where(need > 0, deficit * (moved / need), 0.0)
        paid = np.where(have > 0, surplus * (moved / have), 0.0)
    return np.asarray(tax + got - paid)


def apply_cap(source_tax: Array, tax: Array, cap: Array) -> Array:
    """Scale every transfer of a year down so that no party pays more than ``cap``.

    The transfers ``tax − source_tax`` sum to zero over parties; multiplying them all
    by ``λ = min(1, cap / largest payment)`` keeps that, so money is conserved.

    Examples
    --------
    >>> import numpy as np
    >>> apply_cap(np.array([[[10.0], [2.0]]]), np.array([[[6.0], [6.0]]]), np.array([1.0]))[
    ...     0, :, 0].tolist()
    [9.0, 3.0]
    """
    moved = tax - source_tax
    paid = np.maximum(-moved, 0.0).max(axis=1, keepdims=True)  # (S, 1, T)
    c = np.broadcast_to(cap[:, None, None], paid.shape)
    scale = np.divide(c, paid, out=np.ones_like(paid), where=paid > c)  # only where it binds
    return np.asarray(source_tax + scale * moved)


def _divided_tax(
    batch: Batch, terms: Terms, pool: Pool, source_tax: Array, rule: str,
    params: Mapping[str, Array], settle: bool = True, offset: int = 0, reviewed: bool = False,
) -> tuple[Array, Array | None]:  # fmt: skip
    """Tax per party with the pool divided by ``rule``: settled, capped, floored
    (``settle`` false: the division gives only its shares, the tax stays at source;
    ``offset``, ``reviewed``: see :func:`sim.rules.divide`)."""
    window = terms.window
    division = divide(pool, rule, params, named=terms.named, reviewed=reviewed, offset=offset)
    if not settle:
        return _floored(terms, source_tax), _window_shares(batch, window, division)
    agreed, at_source = division.allocation, pool.by_party()
    if agreed.base is None and not any(
        np.may_share_memory(agreed, a) for a in (at_source, source_tax)
    ):
        settled = np.subtract(agreed, at_source, out=agreed)  # the rule's own array
    else:
        settled = agreed - at_source  # what was agreed, less source
    settled *= terms.compliance[:, None, None]
    settled += source_tax  # source + compliance · (agreed − source), in place
    tax = _in_window(window, settled, source_tax)
    if terms.cap is not None:
        tax = _in_window(window, apply_cap(source_tax, tax, terms.cap), tax)
    return _floored(terms, tax), _window_shares(batch, window, division)


def _floored(terms: Terms, tax: Array) -> Array:
    """``tax`` with the floors applied in the agreement's years."""
    if np.any(terms.floors > 0):
        tax = _in_window(terms.window, apply_floors(tax, terms.floors), tax)
    return np.asarray(tax)


def _window_shares(batch: Batch, window: NDArray[np.bool_], division: Division) -> Array | None:
    """``(S, P, T)`` the division's shares in the agreement's years, NaN in the others."""
    shares = division.shares
    if shares is not None:
        shape = (batch.size, batch.structure.n_parties, batch.structure.n_years)
        shares = _in_window(window, np.broadcast_to(shares, shape), np.nan)
    return shares


def _in_window(window: NDArray[np.bool_], inside: Array, outside: Array | float) -> Array:
    """``(S, P, T)`` ``inside`` in the agreement's years ``window`` ``(T,)``, ``outside`` in
    the others: ``inside`` itself (not a copy) when the agreement runs every year."""
    if window.all():
        return inside
    return np.asarray(np.where(window[None, None, :], inside, outside))


def review_switch(terms: Terms, source_tax: Array, tax: Array) -> NDArray[np.bool_]:
    """``(S, T)`` the years from the review's switch on (all false where it never comes).

    The party's gain ``tax − source_tax`` is summed over the window's years before each
    year; the switch is the first year of the window, from its ``after``-th on, where
    that sum is below the threshold by more than rounding (:data:`REVIEW_TOL` of the
    party's tax at source over the window): a gain of zero up to rounding is not below
    a threshold of zero, whatever the scale of the amounts.
    """
    review = terms.review
    assert review is not None
    window = terms.window
    own = source_tax[:, review.party, :]
    gain = np.where(window, tax[:, review.party, :] - own, 0.0)
    before = sum_before(gain)  # the window's years before each year
    checked = window & (np.cumsum(window) > review.after)
    rounding = REVIEW_TOL * np.abs(np.where(window, own, 0.0)).sum(axis=1)
    trigger = checked[None, :] & (before < (review.below - rounding)[:, None])
    return np.asarray(np.logical_or.accumulate(trigger, axis=1))


def _tax(
    batch: Batch, terms: Terms, collected: _Collected, source_tax: Array,
    parts: tuple[Array, Array, Array] | None = None, offset: int = 0,
) -> tuple[Array, Array | None, Array]:  # fmt: skip
    """Tax per party after pooling, division, settlement, cap, floors and review; the
    pool's shares; the pool ``(S, T)``.

    The shares are ``(S, P, T)`` in the agreement's years where the rule has them, NaN
    elsewhere; ``None`` for a rule without shares (``introducer``); ``parts``: see
    :func:`_pool`; ``offset``: the index of the batch's first scenario (for messages).
    """
    pool = _pool(batch, terms, collected, source_tax, parts)
    tax, shares = _divided_tax(
        batch, terms, pool, source_tax, terms.rule, terms.params, terms.tax_clause, offset
    )
    if terms.review is not None:
        switched = review_switch(terms, source_tax, tax)[:, None, :]
        revised, new = _divided_tax(
            batch, terms, pool, source_tax, "fixed", {"shares": terms.review.shares},
            offset=offset, reviewed=True,
        )  # fmt: skip
        tax = np.where(switched, revised, tax)
        if shares is not None and new is not None:
            shares = np.where(switched, new, shares)
        elif new is not None:  # a rule without shares (introducer) until the switch
            shares = np.where(switched, new, np.nan)
    return np.asarray(tax), shares, pool.total
