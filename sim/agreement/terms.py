"""An agreement as written, turned into the model's terms for a batch.

:func:`terms_for` reads a :class:`~sim.scenario.Sharing` into size-1
:class:`~sim.model.Terms`: the tax clause's rule and parameters, scope, window,
compliance and floors, and each other clause's basis and shares. What cannot be read
off the file alone is left for :func:`sim.agreement.resolve`: a fair-division rule is
entered as ``fixed`` shares to be set per scenario, and an investment clause by a
cost rule or by benefit as ``equity`` until its shares are found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from sim.errors import RuleError
from sim.model import ReviewTerms, StreamTerms, Terms
from sim.rules import CLAUSES, FACTORS, ClauseName, clause_rule, get_rule
from sim.rules.registry import Array
from sim.scenario import Scenario, Sharing

__all__ = [
    "PLACEHOLDER",
    "clause_basis",
    "linear_part",
    "needs_resolution",
    "party_array",
    "target_params",
    "terms_for",
    "written_terms",
]

PLACEHOLDER = "fixed"
"""The pool rule a fair-division rule is evaluated through, with shares set per scenario."""


def party_array(value: Mapping[str, float], parties: tuple[str, ...]) -> Array:
    """``(1, P)`` the values of a party table in scenario order (missing parties 0)."""
    return np.array([[float(value.get(p, 0.0)) for p in parties]])


def clause_basis(sharing: Sharing, name: ClauseName) -> str:
    """The basis of a clause's rule (``source``, ``equity``, ``tax``, ``shares``, ``cost``, …)."""
    return clause_rule(name, sharing.clause(name).rule).basis


def needs_resolution(sharing: Sharing) -> bool:
    """Whether the agreement needs each scenario's game or costs to become terms."""
    target = get_rule(sharing.rule).kind == "target"
    return target or clause_basis(sharing, "investment") in ("cost", "benefit")


def _stream_terms(sharing: Sharing, name: ClauseName, parties: tuple[str, ...]) -> StreamTerms:
    basis = clause_basis(sharing, name)
    if basis == "shares":
        shares = sharing.clause(name).params["shares"]
        assert isinstance(shares, Mapping)
        return StreamTerms("shares", party_array(shares, parties))
    if basis in ("cost", "benefit"):  # found per scenario by the agreement layer
        return StreamTerms("equity")
    assert basis in ("source", "equity", "tax")
    return StreamTerms(basis)  # type: ignore[arg-type]


def _rule_params(sharing: Sharing, parties: tuple[str, ...]) -> tuple[str, dict[str, Array]]:
    spec = get_rule(sharing.rule)
    if spec.kind == "target":
        equal = np.full((1, len(parties)), 1.0 / len(parties))
        return PLACEHOLDER, {"shares": equal}
    params: dict[str, Array] = {}
    for prm in spec.params:
        value: Any = sharing.params[prm.name]
        if prm.kind in ("party_shares", "party_weights"):
            params[prm.name] = party_array(value, parties)
        elif prm.kind == "factor_weights":
            params[prm.name] = np.array([[value[k] for k in FACTORS]])
        else:
            params[prm.name] = np.array([float(value)])
    return sharing.rule, params


def terms_for(scenario: Scenario, sharing: Sharing | None = None) -> Terms:
    """The size-1 terms of ``sharing`` (default: the scenario's own ``[sharing]``), for
    an agreement whose every share can be read off the file.

    Raises
    ------
    RuleError
        If the agreement needs each scenario's game or costs first (a fair-division
        rule, a cost rule or ``benefit`` for the investment clause): use
        :func:`sim.resolve`, whose outcome's ``terms`` the model can run.

    Examples
    --------
    >>> import sim
    >>> sc = sim.load_scenario("scenarios/co-built-park.toml")
    >>> t = terms_for(sc)
    >>> t.rule, t.scope, t.params["shares"].tolist(), t.clause("land").basis
    ('fixed', 'new_firms', [[0.5, 0.5]], 'source')
    """
    s = sharing or scenario.sharing
    if needs_resolution(s):
        what = (
            f"rule {s.rule!r}"
            if get_rule(s.rule).kind == "target"
            else f"investment = {s.clause('investment').rule!r}"
        )
        raise RuleError(
            f"{what} needs each scenario's game or costs before the model can run it: "
            "use sim.resolve(scenario, sharing, batch).terms"
        )
    return written_terms(scenario, s)


def written_terms(scenario: Scenario, sharing: Sharing | None = None) -> Terms:
    """The size-1 terms of ``sharing`` as written, with placeholders for what must be resolved.

    A fair-division rule is entered as ``fixed`` equal shares and an investment clause by
    a cost rule or ``benefit`` as ``equity``: :func:`sim.agreement.resolve` replaces both.
    """
    s = sharing or scenario.sharing
    pids = scenario.party_ids
    years = np.arange(scenario.start_year, scenario.end_year + 1)
    first, last = scenario.window(s)
    rule, params = _rule_params(s, pids)
    clauses = {name: _stream_terms(s, name, pids) for name in CLAUSES}
    return Terms(
        rule=rule,
        label=s.label or s.rule,
        named=s.rule,
        scope=s.scope,
        window=(years >= first) & (years <= last),
        base_index=scenario.base_year(s) - scenario.start_year,
        compliance=np.array([s.compliance]),
        floors=party_array(s.floors, pids),
        params=params,
        clauses=clauses,
        cap=None if s.cap is None else np.array([s.cap]),
        review=_review_terms(s, pids),
    )


def _review_terms(sharing: Sharing, parties: tuple[str, ...]) -> ReviewTerms | None:
    r = sharing.review
    if r is None:
        return None
    return ReviewTerms(
        parties.index(r.party), r.after, np.array([r.below]), party_array(r.shares, parties)
    )


def target_params(sharing: Sharing, parties: tuple[str, ...]) -> dict[str, Array]:
    """A fair-division rule's parameters as ``(1, …)`` arrays (e.g. Nash weights)."""
    out: dict[str, Array] = {}
    for prm in get_rule(sharing.rule).params:
        value: Any = sharing.params[prm.name]
        out[prm.name] = (
            party_array(value, parties) if isinstance(value, Mapping) else np.array([float(value)])
        )
    return out


def linear_part(terms: Terms) -> Terms:
    """The same terms without what makes NPV only piecewise affine in the pool shares:
    floors, the cap and the review clause."""
    return replace(terms, floors=np.zeros_like(terms.floors), cap=None, review=None)
