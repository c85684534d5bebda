"""Where an agreement becomes numbers: one scenario's agreement → terms for a whole batch.

:func:`resolve` is the only place where a scenario's agreement — any registered
rule, fair-division targets included, with scope, window, compliance, floors and the
clauses of land, dividends, investment and statistics — becomes per-scenario
:class:`~sim.model.Terms`. Every command goes through it (``run``, ``compare``,
``game``, ``sweep``, ``sensitivity``, ``plot``, ``report``), so the same question gets
the same number everywhere.

Order of resolution, for each scenario of the batch at once:

1. the investment clause, when a cost rule divides the joint capex: its shares are
   the rule's allocation of the cost game, as fractions of ``c(N)``;
2. a fair-division tax rule: each scenario's targets from its game (``Targets``),
   then, with the investment shares of step 1 (or of step 3 when they follow the
   benefit), the constant pool shares that deliver them (:func:`~sim.agreement.shares.deliver`);
3. an investment clause by ``benefit``: shares in proportion to each party's gain
   over standing alone. A party's NPV falls by ``K x`` when it pays the share ``x`` of
   capex worth ``K`` in present value, so the gain is ``G(x) = a − K x`` with ``a`` the
   gain before paying; ``x = G(x) / Σ G(x)`` then has the one solution ``x = a / Σ a``.
   It has none in [0, 1] when some party would lose even paying nothing (``a_i < 0``)
   or cooperating is worth less than standing alone (``Σ G ≤ 0``): the agreement is
   then undefined for that scenario. Under a fair-division tax rule the gains are the
   targets' (``a = t − v(i) + K x``, so ``x ∝ t − v(i)``).

Each scenario's outcome is ``ok``, ``unreached`` (no constant shares deliver the
targets; the nearest are used) or ``undefined`` (the rule has no value for this
scenario's game: no terms, NaN NPVs, and the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from sim.agreement.coalitions import coalition_values, cost_values
from sim.agreement.shares import Benefit, ShareMap, deliver, npv_with_shares, share_map
from sim.agreement.terms import clause_basis, target_params, written_terms
from sim.errors import BudgetError, ConservationError, UndefinedError
from sim.i18n import Reason
from sim.model import Batch, Result, StreamTerms, Terms, Values, evaluate, evaluate_npv
from sim.rules import MONEY_CLAUSES, clause_rule, get_rule
from sim.rules.registry import Array, Targets
from sim.scenario import Scenario, Sharing

__all__ = [
    "MAX_GAME_PARTIES",
    "OK",
    "STATUS",
    "UNDEFINED",
    "UNREACHED",
    "Context",
    "Outcome",
    "fixed_sharing",
    "outcome_npv",
    "outcome_result",
    "resolve",
]

OK, UNREACHED, UNDEFINED = 0, 1, 2
MAX_GAME_PARTIES = 20
"""Most parties whose cooperative game is computed (``2^20`` coalitions per scenario)."""
STATUS = ("ok", "target not reached", "undefined")
"""What each status code means (the ``status`` column of sweeps)."""


class Context:
    """What resolving several agreements on one batch shares, computed once on demand:
    the coalition values, the joint investment's cost game, and share maps."""

    def __init__(self, scenario: Scenario, batch: Batch) -> None:
        self.scenario = scenario
        self.batch = batch
        self._maps: dict[tuple[object, ...], ShareMap] = {}

    @cached_property
    def values(self) -> Array:
        """``(m, 2^P)`` the value of every coalition in every scenario.

        Raises
        ------
        BudgetError
            Beyond :data:`MAX_GAME_PARTIES` parties (``2^P`` coalitions).
        """
        n = len(self.scenario.party_ids)
        if n > MAX_GAME_PARTIES:
            source = self.scenario.source
            raise BudgetError(Reason("game_parties", source=source, n=n, most=MAX_GAME_PARTIES))
        return coalition_values(self.scenario, self.batch)

    @cached_property
    def costs(self) -> Array:
        """``(m, 2^P)`` the joint investment's cost game of every scenario."""
        return cost_values(self.scenario, self.batch)

    @property
    def standalone(self) -> Array:
        """``(m, P)`` each party's value standing alone, v({i})."""
        n = len(self.scenario.party_ids)
        return np.asarray(self.values[:, [1 << i for i in range(n)]])

    def share_map(self, terms: Terms) -> ShareMap:
        """The share map of ``terms`` (cached: fair-division rules share it)."""
        key = _key(terms)
        if key not in self._maps:
            self._maps[key] = share_map(self.batch, terms)
        return self._maps[key]


def _key(terms: Terms) -> tuple[object, ...]:
    """What a share map depends on: everything but the rule, its parameters and floors."""
    clauses = tuple(
        (c.basis, None if c.shares is None else c.shares.tobytes())
        for c in (terms.clause(n) for n in MONEY_CLAUSES)
    )
    return (
        terms.scope,
        terms.window.tobytes(),
        terms.base_index,
        terms.compliance.tobytes(),
        clauses,
    )


@dataclass(frozen=True)
class Outcome:
    """One agreement resolved for a batch: the terms the model runs, and how they came."""

    sharing: Sharing
    terms: Terms
    """Pool-rule terms, with per-scenario shares where the agreement needed them."""
    status: NDArray[np.int8]
    """``(m,)`` :data:`OK`, :data:`UNREACHED` or :data:`UNDEFINED` per scenario."""
    reasons: tuple[str, ...]
    """Why each scenario is not :data:`OK` (empty where it is)."""
    target: Array | None = None
    """``(m, P)`` the NPVs a fair-division rule asks for (NaN where undefined)."""
    shares: Array | None = None
    """``(m, P)`` the pool shares that deliver them."""
    capex_shares: Array | None = None
    """``(m, P)`` who pays the joint capex, where a cost rule or benefit decided it."""
    npv: Array | None = None
    """``(m, P)`` the NPVs, where resolving found them exactly (NaN where undefined)."""
    source: Array | None = None
    """``(m, P)`` the NPVs with no agreement, alongside :attr:`npv`."""

    @property
    def label(self) -> str:
        """The agreement's label (its rule when it has none)."""
        return self.sharing.label or self.sharing.rule

    @property
    def defined(self) -> NDArray[np.bool_]:
        """``(m,)`` scenarios where the agreement has a value."""
        return np.asarray(self.status != UNDEFINED)

    @property
    def notes(self) -> tuple[str, ...]:
        """Each distinct reason once, with how many scenarios it concerns."""
        out = []
        for code in (UNREACHED, UNDEFINED):
            picked = [r for r, s in zip(self.reasons, self.status, strict=True) if s == code]
            for reason in dict.fromkeys(picked):
                k = picked.count(reason)
                where = (
                    "" if len(self.status) == 1 else f" in {k:,} of {len(self.status):,} scenarios"
                )
                out.append(f"{self.label}: {STATUS[code]}{where}: {reason}")
        return tuple(out)

    def require_defined(self, scenario: Scenario) -> None:
        """Raise :class:`~sim.errors.UndefinedError` unless every scenario is defined."""
        if not self.defined.all():
            reason = self.reasons[int(np.flatnonzero(~self.defined)[0])]
            rule = repr(self.sharing.rule)
            raise UndefinedError(
                Reason("undefined_agreement", source=scenario.source, rule=rule, reason=reason)
            )


class _Marks:
    """Status and reasons of each scenario, set as resolution goes."""

    def __init__(self, m: int) -> None:
        self.status = np.zeros(m, dtype=np.int8)
        self.reasons = [""] * m

    def set(self, rows: NDArray[np.bool_], code: int, reasons: tuple[str, ...] | str) -> None:
        for r in np.flatnonzero(rows & (self.status < code)):
            self.status[r] = code
            self.reasons[r] = reasons if isinstance(reasons, str) else reasons[r]


def _broadcast(terms: Terms, m: int) -> Terms:
    return terms.repeat(m) if terms.size == 1 and m > 1 else terms


def _cost_shares(ctx: Context, sharing: Sharing, marks: _Marks) -> Array:
    """``(m, P)`` capex shares from a cost-allocation rule on each scenario's cost game."""
    rule = clause_rule("investment", sharing.clause("investment").rule)
    assert rule.cost is not None
    costs = ctx.costs
    allocation, why = rule.cost(costs)
    reasons = tuple(f"investment by {rule.name}: {r}" if r else "" for r in why)
    total = costs[:, -1]
    nothing = np.abs(total) <= 1e-12  # no capex: nothing to divide, shares are moot
    undefined = ~np.isfinite(allocation).all(axis=1) & ~nothing
    marks.set(undefined, UNDEFINED, reasons)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = allocation / np.where(nothing, 1.0, total)[:, None]
    fallback = (
        ctx.batch.equity if ctx.batch.equity.any() else np.full_like(shares, 1 / shares.shape[1])
    )
    fallback = np.broadcast_to(fallback, shares.shape)
    return np.asarray(np.where((nothing | undefined)[:, None], fallback, shares))


def _capex_value(batch: Batch) -> Array:
    """``(m,)`` present value of the joint capex."""
    t = np.arange(batch.structure.n_years)
    return np.asarray((batch.capex * (1.0 + batch.discount_rate[:, None]) ** -t[None, :]).sum(1))


def _benefit_shares(ctx: Context, benefit: Benefit, at_paid: Array, marks: _Marks) -> Array:
    """``x = a / Σ a`` where it is a fixed point in [0, 1] (``at_paid``: NPVs with the capex
    paid by :attr:`Benefit.paid`); equal shares where there is none, marked undefined.

    Where there is no capex the shares are moot: equal shares, and nothing is marked.
    """
    a = benefit.gains(at_paid)
    total = a.sum(axis=1)
    surplus = ctx.values[:, -1] - ctx.standalone.sum(axis=1)
    tol = 1e-12 * np.maximum(1.0, np.abs(a).max(axis=1))
    moot = np.abs(benefit.capex) <= tol
    losing = (a < -tol[:, None]).any(axis=1) & ~moot
    no_gain = (surplus <= tol) & ~moot
    prefix = "investment by benefit: "
    marks.set(
        losing,
        UNDEFINED,
        prefix + "a party would lose from cooperating even paying none of the capex, so no "
        "capex shares are in proportion to the gains",
    )
    marks.set(
        no_gain,
        UNDEFINED,
        prefix + "no surplus: cooperating is worth no more than standing alone, capex "
        "included (v(N) − Σ v(i) ≤ 0), so there is no gain to pay the capex in proportion to",
    )
    bad = losing | no_gain | (total <= tol) | moot
    with np.errstate(invalid="ignore", divide="ignore"):
        x = np.clip(a, 0.0, None) / np.where(bad, 1.0, total)[:, None]
    even = np.full_like(x, 1.0 / x.shape[1])
    return np.asarray(np.where(bad[:, None], even, x))


def _targets(ctx: Context, sharing: Sharing, marks: _Marks) -> Targets:
    spec = get_rule(sharing.rule)
    assert spec.target is not None
    params = target_params(sharing, ctx.scenario.party_ids)
    targets = spec.target(ctx.values, params)
    marks.set(~targets.defined, UNDEFINED, targets.reasons)
    return targets


def resolve(
    scenario: Scenario,
    sharing: Sharing | None = None,
    batch: Batch | None = None,
    terms: Terms | None = None,
    *,
    context: Context | None = None,
) -> Outcome:
    """Resolve ``sharing`` (default: the scenario's own) for every scenario of ``batch``.

    ``terms`` are the agreement's terms as written, possibly varied per scenario by a
    sweep (compliance, floors, shares); by default :func:`~sim.agreement.terms.written_terms`.
    ``context`` shares the games and share maps between agreements on one batch.

    Examples
    --------
    The Shapley value of the Gaozhu scenario's game, delivered as pool shares:

    >>> import sim
    >>> from dataclasses import replace
    >>> sc = sim.load_scenario("scenarios/gaozhu.toml")
    >>> out = resolve(sc, replace(sc.sharing, rule="shapley", params={}))
    >>> out.shares.round(4).tolist(), out.status.tolist()
    ([[0.6866, 0.3134]], [0])
    """
    from sim.model import batch_from_scenario

    s = sharing or scenario.sharing
    batch = batch if batch is not None else batch_from_scenario(scenario)
    ctx = context if context is not None else Context(scenario, batch)
    m = batch.size
    raw = _broadcast(terms if terms is not None else written_terms(scenario, s), m)
    raw = replace(raw, label=s.label or s.rule)
    marks = _Marks(m)
    investment = clause_basis(s, "investment")
    if investment == "cost":
        raw = raw.with_clause("investment", StreamTerms("shares", _cost_shares(ctx, s, marks)))
    benefit = benefit_of(ctx) if investment == "benefit" else None
    if get_rule(s.rule).kind != "target":
        capex = None
        if benefit is not None:
            capex = _benefit_shares(ctx, benefit, evaluate_npv(batch, raw).npv, marks)
            raw = raw.with_clause("investment", StreamTerms("shares", capex))
        capex_shares = _capex(s, raw, batch)
        return Outcome(s, raw, marks.status, tuple(marks.reasons), capex_shares=capex_shares)
    target = _targets(ctx, s, marks)
    smap = ctx.share_map(raw)
    delivery = deliver(batch, raw, target.values, smap, benefit)
    marks.set(
        ~delivery.reached,
        UNREACHED,
        "no constant pool shares in [0, 1] deliver the target NPVs; the nearest are used",
    )
    final = replace(raw, params={"shares": delivery.shares})
    if benefit is not None:  # who pays, at the pool shares actually used
        at_paid = (
            npv_with_shares(batch, raw)(delivery.shares, np.arange(m))
            if raw.piecewise
            else smap.npv(delivery.shares)
        )
        capex = _benefit_shares(ctx, benefit, at_paid, marks)
        final = final.with_clause("investment", StreamTerms("shares", capex))
    return Outcome(
        s,
        final,
        marks.status,
        tuple(marks.reasons),
        target=target.values,
        shares=delivery.shares,
        capex_shares=_capex(s, final, batch),
        npv=delivery.npv,
        source=smap.source,
    )


def _capex(sharing: Sharing, terms: Terms, batch: Batch) -> Array | None:
    """The capex shares a cost rule or benefit came to, NaN where there is no capex to
    divide (``None`` for a clause written as shares or equity: nothing was resolved)."""
    if clause_basis(sharing, "investment") not in ("cost", "benefit"):
        return None
    shares = terms.clause("investment").shares
    assert shares is not None
    nothing = _capex_value(batch) <= 1e-12
    return np.asarray(np.where(nothing[:, None], np.nan, shares))


def benefit_of(ctx: Context) -> Benefit:
    """Capex by benefit for the context's batch, the model evaluated with equity shares."""
    batch = ctx.batch
    paid = np.broadcast_to(batch.equity, (batch.size, batch.structure.n_parties))
    return Benefit(_capex_value(batch), np.asarray(paid), ctx.standalone)


def outcome_npv(batch: Batch, outcome: Outcome, *, statistics: bool = False) -> Values:
    """NPV per party under the outcome and under no agreement; NaN where undefined.

    A fair-division rule's NPVs are those resolving found (on the share map, which is
    exact for constant shares, or on the model with floors); other agreements, and any
    asked for statistics, are evaluated on the model.
    """
    if outcome.npv is not None and outcome.source is not None and not statistics:
        npv = np.where(outcome.defined[:, None], outcome.npv, np.nan)
        defined = outcome.defined
        gap = np.abs(npv.sum(axis=1) - outcome.source.sum(axis=1))[defined]
        scale = np.maximum(1.0, np.abs(outcome.source).max(axis=1))[defined]
        if not np.all(gap <= 1e-9 * scale):
            raise ConservationError(
                f"{outcome.label}: the parties' NPVs do not add up to the total with no agreement"
            )
        return Values(npv, outcome.source, None)
    values = evaluate_npv(batch, outcome.terms, statistics=statistics)
    undefined = ~outcome.defined
    values.npv[undefined] = np.nan
    if values.statistics is not None:
        values.statistics[undefined] = np.nan
    return values


def outcome_result(batch: Batch, outcome: Outcome, *, statistics: bool = True) -> Result:
    """Every stream per party and year under the outcome (labelled with its own rule)."""
    result = evaluate(batch, outcome.terms, statistics=statistics)
    return replace(result, rule=outcome.sharing.rule, label=outcome.label)


def fixed_sharing(sharing: Sharing, parties: tuple[str, ...], shares: Array) -> Sharing:
    """``sharing`` with its rule replaced by ``fixed`` at ``shares`` (for display)."""
    from types import MappingProxyType

    table = MappingProxyType({p: float(x) for p, x in zip(parties, shares, strict=True)})
    return replace(sharing, rule="fixed", params=MappingProxyType({"shares": table}))
