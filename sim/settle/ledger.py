"""A year's settlement of one scenario: who pays whom, how much and why.

The numbers come from the model's own steps, in the model's order (docs/money.md):
the pool (:func:`sim.model.tax_pool`), its division by the rule
(:func:`sim.rules.divide`), settlement at the compliance rate, the cap
(:func:`sim.model.apply_cap`), the floors (:func:`sim.model.apply_floors`) and the
review (:func:`sim.model.review_switch`). Each line of the statement is what one step
changes; the lines of a party add up to the tax transfer :func:`sim.model.evaluate`
gives that year (checked here to :data:`sim.model.RTOL`), and with the land,
dividends and investment clauses to everything the agreement moves
(:attr:`sim.model.Result.moved`). The netting then turns each party's total into one
payment per pair of treasuries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.agreement import Outcome
from sim.errors import ConservationError, YearError
from sim.i18n import Reason
from sim.model import (
    RTOL,
    Batch,
    Result,
    Terms,
    apply_cap,
    apply_floors,
    collect,
    review_switch,
    tax_pool,
)
from sim.rules import FACTORS, MONEY_CLAUSES, Pool, divide
from sim.rules.clauses import ARISING
from sim.rules.keyed import formula_factors
from sim.scenario import Scenario
from sim.settle.rounding import kept, round_table

__all__ = [
    "LINES",
    "PAID_BORNE",
    "TAX_LINES",
    "Contribution",
    "Payment",
    "Statement",
    "net_payments",
    "settle",
]

Array = NDArray[np.float64]

TAX_LINES: tuple[str, ...] = (
    "agreed",
    "unsettled",
    "held_back",
    "top_up",
)
"""The steps of the tax transfer, in the model's order; they add up to ``tax``."""
PAID_BORNE: tuple[str, ...] = tuple(
    line for name in ARISING for line in (f"source_{name}", f"{name}_borne")
)
"""For each clause stream that arises with the firms (the rebates), what each party
pays of it where it arises and what it bears as agreed (not transfers: the clause's
line is the difference)."""
LINES: tuple[str, ...] = (
    "source_tax",
    "pooled",
    "agreed_share",
    *TAX_LINES,
    "tax",
    *PAID_BORNE,
    *MONEY_CLAUSES,
    "net",
)
"""Every line of a statement, per party: the tax at source, the party's firms' part
of the pool and its agreed share of it (not transfers), the steps of the tax transfer
and the transfer settled (``tax``), what each party pays and bears of a stream that
arises with the firms (:data:`PAID_BORNE`), what the other clauses move, and the total
(``net``)."""


@dataclass(frozen=True)
class Contribution:
    """One firm's retained tax in the year and the part of it in the pool [unit]."""

    firm: str
    party: str
    """Where it is registered (whose treasury collects its tax)."""
    introduced_by: str
    retained: float
    pooled: float


@dataclass(frozen=True)
class Payment:
    """One payment between two treasuries [unit]."""

    payer: str
    payee: str
    amount: float


@dataclass(frozen=True)
class Statement:
    """The settlement of one year: the pool, the shares, each step per party, the payments.

    Amounts are in the scenario's unit; a transfer is positive for the party that
    receives it. Outside the agreement's window the tax lines are zero, and only
    clauses that run every year (dividends or investment by shares of their own) move
    money.
    """

    scenario: Scenario
    year: int
    window: tuple[int, int]
    rule: str
    """The rule the agreement names (a fair-division rule's name included)."""
    applied: str
    """The rule that divides the pool this year (``fixed`` for resolved targets or
    after a review's switch)."""
    contributions: tuple[Contribution, ...]
    shares: Array | None
    """``(P,)`` the pool's shares this year; ``None`` for a rule without shares."""
    factors: Array | None
    """``(K, P)`` each party's share of each formula factor this year (``formula``)."""
    weights: Array | None
    """``(K,)`` the formula's weights this year, rescaled over the factors present."""
    review_from: int | None
    """The year the review clause switched the shares, when it has by this year."""
    compliance: float
    cap: float | None
    floors: Array
    lines: dict[str, Array]
    """Each of :data:`LINES` → ``(P,)``."""
    payments: tuple[Payment, ...]

    @property
    def parties(self) -> tuple[str, ...]:
        """The parties, in the scenario's order."""
        return self.scenario.party_ids

    @property
    def in_window(self) -> bool:
        """Whether the year is one of the agreement's years."""
        return self.window[0] <= self.year <= self.window[1]

    @property
    def pool(self) -> float:
        """The pool this year [unit]."""
        return float(sum(c.pooled for c in self.contributions))

    @property
    def empty(self) -> bool:
        """Whether nothing moves between treasuries this year."""
        return not self.payments


class _Steps:
    """The tax of every party and year after each step, under one rule (``(S, P, T)``)."""

    def __init__(
        self,
        pool: Pool,
        terms: Terms,
        source: Array,
        rule: str,
        params: dict[str, Any],
        reviewed: bool = False,
    ) -> None:
        division = divide(pool, rule, params, named=terms.named, reviewed=reviewed)
        self.allocation = division.allocation
        self.shares = division.shares
        own = pool.by_party()
        self.agreed = division.allocation - own if terms.tax_clause else np.zeros_like(own)
        self.settled = source + terms.compliance[:, None, None] * self.agreed
        self.capped = self.settled
        if terms.cap is not None:
            self.capped = apply_cap(source, self.settled, terms.cap)
        self.floored = self.capped
        if np.any(terms.floors > 0):
            self.floored = apply_floors(self.capped, terms.floors)


def settle(
    scenario: Scenario, batch: Batch, outcome: Outcome, result: Result, year: int
) -> Statement:
    """The settlement statement of ``year`` for scenario 0 of ``result``.

    Raises
    ------
    YearError
        If ``year`` is outside the scenario's horizon.
    ConservationError
        If the steps do not add up to the model's transfer (a bug).
    """
    years = [int(y) for y in result.years]
    if year not in years:
        first, last = years[0], years[-1]
        raise YearError(
            Reason("settle_year", source=scenario.source, year=year, first=first, last=last)
        )
    t = years.index(year)
    terms = outcome.terms
    window = scenario.window(outcome.sharing)
    n_p = len(scenario.parties)
    zeros = np.zeros(n_p)
    moved = {name: result.clause_moved(name)[0, :, t] for name in MONEY_CLAUSES}
    lines: dict[str, Array] = {
        "source_tax": result.source_tax[0, :, t],
        **{k: zeros for k in ("pooled", "agreed_share", *TAX_LINES, *PAID_BORNE)},
        "tax": result.transfers[0, :, t],
        **moved,
        "net": result.moved[0, :, t],
    }
    base = {
        "scenario": scenario,
        "year": year,
        "window": window,
        "rule": outcome.sharing.rule,
        "applied": terms.rule,
        "compliance": float(terms.compliance[0]),
        "cap": None if terms.cap is None else float(terms.cap[0]),
        "floors": terms.floors[0],
    }
    for name in result.arising:  # paid where it arises, borne as agreed (checked)
        lines[f"source_{name}"] = result.at_source(name)[0, :, t]
        lines[f"{name}_borne"] = result.stream(name)[0, :, t]
    _check_paid(scenario, year, lines)
    if not bool(terms.window[t]):
        return Statement(
            **base,
            contributions=(),
            shares=None,
            factors=None,
            weights=None,
            review_from=None,
            lines=lines,
            payments=net_payments(scenario.party_ids, lines["net"]),
        )
    pool = tax_pool(batch, terms)
    source = result.source_tax
    steps = _Steps(pool, terms, source, terms.rule, dict(terms.params))
    review_from, applied = None, terms.rule
    if terms.review is not None:
        switched = review_switch(terms, source, steps.floored)[0]
        if switched[t]:
            review_from = years[int(np.argmax(switched))]
            applied = "fixed"
            review = {"shares": terms.review.shares}
            steps = _Steps(pool, terms, source, "fixed", review, reviewed=True)
    at = (0, slice(None), t)
    lines["pooled"] = pool.by_party()[at]
    lines["agreed_share"] = steps.allocation[at]
    lines["agreed"] = steps.agreed[at]
    lines["unsettled"] = (steps.settled - source)[at] - steps.agreed[at]
    lines["held_back"] = (steps.capped - steps.settled)[at]
    lines["top_up"] = (steps.floored - steps.capped)[at]
    _check(scenario, year, lines)
    factors, weights = (None, None) if applied != "formula" else _formula(pool, terms, t)
    return Statement(
        **{**base, "applied": applied},
        contributions=_contributions(scenario, batch, pool, t),
        shares=None if steps.shares is None else steps.shares[at],
        factors=factors,
        weights=weights,
        review_from=review_from,
        lines=lines,
        payments=net_payments(scenario.party_ids, lines["net"]),
    )


def _check(scenario: Scenario, year: int, lines: dict[str, Array]) -> None:
    """The steps add up to the model's tax transfer, and the streams to what it moves."""
    scale = max(1.0, float(np.abs(lines["source_tax"]).sum()), float(np.abs(lines["agreed"]).sum()))
    net = lines["tax"]
    for name in MONEY_CLAUSES:
        net = net + lines[name]
    sums = {"tax": sum(lines[k] for k in TAX_LINES), "net": net}
    for name, got in sums.items():
        if not np.all(np.abs(got - lines[name]) <= RTOL * scale):
            raise ConservationError(
                f"{scenario.name} {year}: the statement's {name} lines add up to "
                f"{np.asarray(got).tolist()!r}, the model's transfer is {lines[name].tolist()!r}"
            )


def _check_paid(scenario: Scenario, year: int, lines: dict[str, Array]) -> None:
    """What the parties pay of a stream where it arises sums to what they bear of it,
    and what each bears less what it pays is what the clause moves."""
    for name in ARISING:
        paid, borne = lines[f"source_{name}"], lines[f"{name}_borne"]
        scale = max(1.0, float(np.abs(paid).sum()))
        if abs(float(paid.sum() - borne.sum())) > RTOL * scale or np.any(
            np.abs(borne - paid - lines[name]) > RTOL * scale
        ):
            raise ConservationError(
                f"{scenario.name} {year}: {name} paid {paid.tolist()!r} where it arises, "
                f"borne {borne.tolist()!r}, moved {lines[name].tolist()!r}"
            )


def _contributions(
    scenario: Scenario, batch: Batch, pool: Pool, t: int
) -> tuple[Contribution, ...]:
    """Each firm's retained tax and pooled part in year index ``t``."""
    retained = collect(batch).retained[0, :, t]
    pooled = pool.by_firm[0, :, t]
    return tuple(
        Contribution(f.id, f.party, f.introduced_by, float(retained[i]), float(pooled[i]))
        for i, f in enumerate(scenario.firms)
    )


def _formula(pool: Pool, terms: Terms, t: int) -> tuple[Array, Array]:
    """Each party's share of each factor, and the weights rescaled over those present."""
    factors = formula_factors(pool)[0, :, :, t]  # (K, P)
    totals = factors.sum(axis=1)
    present = totals > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(present[:, None], factors / totals[:, None], np.nan)
    w = np.where(present, terms.params["weights"][0], 0.0)
    total = w.sum()
    weights = w / total if total > 0 else np.full(len(FACTORS), np.nan)
    return np.asarray(shares), np.asarray(weights)


def net_payments(parties: tuple[str, ...], net: Array) -> tuple[Payment, ...]:
    """One payment per pair of treasuries: each payer's net payment divided between the
    receivers in proportion to what each receives (every payer pays its total, every
    receiver gets its total to rounding; no order of parties favoured).

    Examples
    --------
    >>> import numpy as np
    >>> [(p.payer, p.payee, p.amount) for p in net_payments(("A", "B", "C"),
    ...     np.array([-3.0, 1.0, 2.0]))]
    [('A', 'B', 1.0), ('A', 'C', 2.0)]
    """
    tol = RTOL * max(1.0, float(np.abs(net).sum()))
    received = np.where(net > tol, net, 0.0)
    total = float(received.sum())
    if total <= 0:
        return ()
    out = []
    for i, pay in enumerate(net):
        if pay >= -tol:
            continue
        for j, got in enumerate(received):
            if got > 0:
                out.append(Payment(parties[i], parties[j], float(-pay * got / total)))
    return tuple(out)


def cents(parties: tuple[str, ...], net: Array, scale: float) -> tuple[Array, tuple[Payment, ...]]:
    """Each party's net settlement (``net × scale``) and the payments of
    :func:`net_payments`, rounded to hundredths so that the statement adds up as printed:
    the nets to zero, each payer's payments to its net and each receiver's to its own.

    Examples
    --------
    >>> import numpy as np
    >>> net, pays = cents(("A", "B", "C"), np.array([-1.0, 0.5, 0.5]) / 3, 1.0)
    >>> net.tolist(), [p.amount for p in pays]  # not 0.17 twice: 0.34 paid
    ([-0.33, 0.17, 0.16], [0.17, 0.16])
    """
    whole = kept(np.asarray(net, dtype=float) * scale * 100)
    pays = net_payments(parties, whole)
    payers = sorted({p.payer for p in pays}, key=parties.index)
    payees = sorted({p.payee for p in pays}, key=parties.index)
    exact = np.zeros((len(payers), len(payees)))
    for p in pays:
        exact[payers.index(p.payer), payees.index(p.payee)] = p.amount
    rows = np.array([-whole[parties.index(p)] for p in payers])
    cols = np.array([whole[parties.index(p)] for p in payees])
    got = round_table(exact, rows, cols)
    amounts = [
        Payment(a, b, float(got[payers.index(a), payees.index(b)]) / 100)
        for a, b in ((p.payer, p.payee) for p in pays)
    ]
    return whole / 100, tuple(amounts)
