"""Where each party's gain comes from: the agreement's gain split over its clauses.

Each party's gain over no agreement is split into the contributions of the features
of the agreement: the tax clause (pooling and division at full settlement), the land,
dividends and investment clauses, compliance (settling less than agreed), floors, the
cap on transfers and the review (renegotiation) clause.
A feature the agreement does not use is left out. Each part is what that clause, as
signed, moves (docs/decomposition.md): switching the tax clause off keeps every party's
tax at source but not its rule's shares, which land and dividends following the tax
rule (``land = "shared"``/``"tax"``, ``dividends = "tax"``) still divide by, so the tax
part is only the tax revenue moved and a land transfer is all land part.
The split is the Shapley value of
the game whose players are the features and whose value for a set ``S`` of them is a
party's NPV with only ``S`` switched on, less its NPV with none (Shapley 1953): it
is the average, over every order of switching the features on one by one, of what
each adds, so it does not depend on an arbitrary order and the parts sum exactly to
the gain (efficiency). A feature that changes nothing, such as compliance with no
transfer to settle, gets 0 (null player); interactions (compliance scales what the
tax clause moves) are split equally between the features involved.

The agreement is evaluated as it runs: fair-division rules and cost rules with the
shares :func:`sim.agreement.resolve` found for them. ``2^k`` model evaluations for
``k`` features (at most 64).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.agreement.coalitions import members
from sim.agreement.resolve import Outcome
from sim.errors import ConservationError
from sim.games.tu import shapley_matrix
from sim.model import Batch, Terms, default_clause, evaluate_npv
from sim.rules.clauses import DEFAULTS, MONEY_CLAUSES
from sim.rules.registry import Array
from sim.scenario import Sharing

__all__ = ["FEATURES", "Decomposition", "decompose", "features_of"]

FEATURES: tuple[str, ...] = ("tax", *MONEY_CLAUSES, "compliance", "floors", "cap", "review")
"""Every feature an agreement can have, in reporting order: the tax clause, each clause
stream that is money (:data:`sim.rules.clauses.MONEY_CLAUSES`), then the terms of
settlement."""


@dataclass(frozen=True)
class Decomposition:
    """Each party's gain over no agreement and its parts, one per feature."""

    features: tuple[str, ...]
    """The features this agreement uses (a subset of :data:`FEATURES`, in that order)."""
    parts: Array
    """``(m, F, P)`` each feature's contribution to each party's gain [unit, NPV]."""
    gain: Array
    """``(m, P)`` the gain over no agreement: the parts summed over features."""


def features_of(sharing: Sharing, varied: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The features an agreement as written uses, plus those ``varied`` (by a sweep)."""
    used = {
        "tax": sharing.rule != "source",
        **{c: sharing.clause(c).rule != DEFAULTS[c] for c in MONEY_CLAUSES},
        "compliance": sharing.compliance != 1.0,
        "floors": bool(sharing.floors),
        "cap": sharing.cap is not None,
        "review": sharing.review is not None,
    }
    return tuple(f for f in FEATURES if used[f] or f in varied)


def _present(outcome: Outcome) -> tuple[str, ...]:
    t = outcome.terms
    used = {
        "tax": t.rule != "source",
        **{c: t.clause(c).basis != default_clause(c).basis for c in MONEY_CLAUSES},
        "compliance": bool(np.any(t.compliance != 1.0)),
        "floors": bool(np.any(t.floors > 0)),
        "cap": t.cap is not None,
        "review": t.review is not None,
    }
    return tuple(f for f in FEATURES if used[f])


def _switched(terms: Terms, on: set[str]) -> Terms:
    """The terms with only the features in ``on`` switched on."""
    out = terms
    if "tax" not in on:  # its shares stay a term of the clauses that follow them
        out = replace(out, tax_clause=False)
    for c in MONEY_CLAUSES:
        if c not in on:
            out = out.with_clause(c, default_clause(c))
    if "compliance" not in on:
        out = replace(out, compliance=np.ones_like(terms.compliance))
    if "floors" not in on:
        out = replace(out, floors=np.zeros_like(terms.floors))
    if "cap" not in on:
        out = replace(out, cap=None)
    if "review" not in on:
        out = replace(out, review=None)
    return out


def decompose(
    batch: Batch, outcome: Outcome, features: tuple[str, ...] | None = None
) -> Decomposition:
    """Split each party's gain over no agreement into the agreement's features.

    ``features`` (default: those the resolved terms use) fixes the list, so that every
    chunk of a sweep has the same columns; a listed feature that changes nothing gets 0.

    Raises
    ------
    ConservationError
        If the parts do not sum to the gain (a bug: efficiency is exact).

    Examples
    --------
    The reference scenario pools new firms' tax 50:50 and nothing else, so the whole
    gain comes from the tax clause:

    >>> import sim
    >>> from sim.agreement import resolve
    >>> sc = sim.load_scenario("scenarios/co-built-park.toml")
    >>> d = decompose(sim.batch_from_scenario(sc), resolve(sc))
    >>> d.features, d.parts[0, 0].round(3).tolist()
    (('tax',), [12.138, -12.138])
    """
    features = _present(outcome) if features is None else features
    k = len(features)
    m, n = batch.size, batch.structure.n_parties
    values = np.zeros((m, n, 1 << k))  # per party, the value of every set of features
    for mask, row in enumerate(members(k)):
        on = {f for f, member in zip(features, row, strict=True) if member}
        values[:, :, mask] = evaluate_npv(batch, _switched(outcome.terms, on))[0]
    gain = values[:, :, -1] - values[:, :, 0]
    parts = (values - values[:, :, :1]) @ shapley_matrix(k) if k else np.zeros((m, n, 0))
    parts = np.asarray(parts).transpose(0, 2, 1)  # (m, F, P)
    scale = np.maximum(1.0, np.abs(values).max(axis=(1, 2)))
    miss = np.abs(parts.sum(axis=1) - gain).max(axis=1)
    if np.any(miss > 1e-9 * scale):
        raise ConservationError(
            f"the clause decomposition misses the gain by {float(miss.max())!r}: it must sum to it"
        )
    parts[~outcome.defined] = np.nan
    gain[~outcome.defined] = np.nan
    return Decomposition(features, parts, gain)
