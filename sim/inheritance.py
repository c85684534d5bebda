"""Alternatives on the agreement's terms: what a row of ``sim compare`` takes from the
file's own ``[sharing]``.

Every row beside the agreement — the built-in ``equity`` and fair-division rows, each
``[[compare]]`` table, each extra column of the workbook's agreements sheet (协议) —
is the agreement with the row's own rule and parameters put in, and any other term
the row writes itself. :func:`inherit` is that one mechanism. Two terms depend on the
row's rule and are decided here (docs/howto/counter-proposal.md):

- ``base_year`` is part of the ``above_base`` scope: it is taken only where the row's
  scope is ``above_base``.
- ``review`` renegotiates the agreement's drafted ratio to stated shares: it is taken
  only by a row with the agreement's rule and parameters (a row with a ratio of its own
  proposes its own course and writes its own review if it has one).

A clause is taken as written: ``land = "tax"`` then follows the row's own pool shares,
and ``dividends = "equity"`` the shareholding, whatever the row's rule.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from sim.rules import CLAUSES
from sim.schema import SHARING_TERMS

if TYPE_CHECKING:
    from sim.scenario_types import Sharing

__all__ = ["INHERITED_TERMS", "inherit", "same_ratio"]

INHERITED_TERMS: tuple[str, ...] = (*(t for t in SHARING_TERMS if t != "rule"), *CLAUSES)
"""The terms a row takes from the agreement where it does not write them, in the key
table's order: every key of an agreement (:data:`sim.schema.SHARING_TERMS`) but its rule,
and every clause; the rule, its parameters and the labels are always the row's own."""


def same_ratio(a: Sharing, b: Sharing) -> bool:
    """Whether two agreements divide the tax pool alike: the same rule and parameters."""
    return a.rule == b.rule and dict(a.params) == dict(b.params)


def inherit(agreement: Sharing, row: Sharing, own: Collection[str] = ()) -> Sharing:
    """``row`` with every term of :data:`INHERITED_TERMS` not in ``own`` taken from
    ``agreement``; the result's ``inherited`` names the terms taken.

    Parameters
    ----------
    agreement
        The file's own ``[sharing]``.
    row
        The row's rule, parameters and labels, and the terms it writes itself.
    own
        The terms ``row`` writes itself (a ``[[compare]]`` table's keys).

    Examples
    --------
    >>> from sim.scenario import Sharing
    >>> agreed = Sharing("fixed", scope="above_base", base_year=2021, compliance=0.6)
    >>> alt = inherit(agreed, Sharing("formula", scope="new_firms"), own={"scope"})
    >>> alt.scope, alt.base_year, alt.compliance
    ('new_firms', None, 0.6)
    >>> sorted(alt.inherited)[:3]
    ['cap', 'compliance', 'dividends']
    """
    taken = {t for t in INHERITED_TERMS if t not in own}
    scope = agreement.scope if "scope" in taken else row.scope
    if scope != "above_base":
        taken.discard("base_year")
    if not same_ratio(agreement, row):
        taken.discard("review")
    terms = {t: getattr(agreement, t) for t in taken if t not in CLAUSES}
    clauses = {c: (agreement if c in taken else row).clause(c) for c in CLAUSES}
    return replace(row, **terms, clauses=clauses, inherited=frozenset(taken))
