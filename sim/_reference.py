"""The arithmetic of docs/money.md and docs/rules.md as a plain per-scenario Python loop.

This is the readable reference of the arithmetic: one scenario, one year, one firm
at a time, in the words of the specification, with no numpy. The test suite checks
the vectorised :mod:`sim.model` against it on random scenarios, and the benchmark
uses it as the per-scenario baseline. It is not used to produce results.

It takes agreements whose every share can be read off the file (pool rules, clauses
by ``source``, ``tax``/``shared``, ``equity`` or ``fixed``); who pays the capex under a
cost rule or by benefit is passed in as ``capex_shares``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import cast

from sim.rules import CLAUSE_STREAMS, FACTORS
from sim.scenario import Clause, Firm, Scenario, Sharing

__all__ = ["run_scalar"]

Streams = dict[str, list[float]]


@dataclass
class _Economy:
    """Per-firm and per-party quantities at source, year by year."""

    pids: list[str]
    output: dict[str, list[float]]
    retained: dict[str, list[float]]
    total_tax: dict[str, list[float]]
    upper: Streams
    source: Streams
    land: Streams
    area_to_date: Streams


def _firm_year(
    scenario: Scenario, f: Firm, base: float, g: float, y: int
) -> tuple[float, float, float, float]:
    """Output, local tax, all tax and retained tax of one firm in one year."""
    k = y - f.first_year
    if k < 0:
        return 0.0, 0.0, 0.0, 0.0
    tx = scenario.taxes

    def in_year(path: str, plain: float) -> float:  # a schedule's value this year
        return scenario.value_in(path, plain, y)

    output = base * (1 + g) ** k * min(1.0, (k + 1) / f.ramp_years)
    vat = output * f.value_added_ratio * f.vat_rate
    cit = output * f.profit_margin * f.cit_rate
    pit = output * f.wage_ratio * f.pit_rate
    surcharge = vat * in_year(f"firms.{f.id}.surcharge_rate", f.surcharge_rate)
    other = output * f.other_local_rate
    local = (
        vat * in_year("taxes.vat_local_share", tx.vat_local_share)
        + cit * in_year("taxes.cit_local_share", tx.cit_local_share)
        + pit * in_year("taxes.pit_local_share", tx.pit_local_share)
        + surcharge
        + other
    )
    party = next(p for p in scenario.parties if p.id == f.party)
    retained = local * in_year(f"parties.{party.id}.retained_share", party.retained_share)
    return output, local, vat + cit + pit + surcharge + other, retained


def _economy(
    scenario: Scenario, outputs: Sequence[float] | None, growths: Sequence[float] | None
) -> _Economy:
    pids = list(scenario.party_ids)
    n_t = scenario.n_years
    zeros = {p: [0.0] * n_t for p in pids}
    e = _Economy(
        pids,
        {f.id: [0.0] * n_t for f in scenario.firms},
        {f.id: [0.0] * n_t for f in scenario.firms},
        {f.id: [0.0] * n_t for f in scenario.firms},
        {p: list(v) for p, v in zeros.items()},
        {p: list(v) for p, v in zeros.items()},
        {p: list(v) for p, v in zeros.items()},
        {p: list(v) for p, v in zeros.items()},
    )
    for i, f in enumerate(scenario.firms):
        base = f.output if outputs is None else outputs[i]
        g = f.growth if growths is None else growths[i]
        for t, y in enumerate(scenario.years):
            output, local, total, kept = _firm_year(scenario, f, base, g, y)
            e.output[f.id][t] = output
            e.retained[f.id][t] = kept
            e.total_tax[f.id][t] = total
            e.upper[f.party][t] += local - kept
            e.source[f.party][t] += kept
    for s in scenario.land_sales:
        t = s.year - scenario.start_year
        e.land[s.party][t] += s.area_mu * s.price * (1 - s.cost_share - s.rural_earmark)
        for u in range(t, n_t):
            e.area_to_date[s.party][u] += s.area_mu
    return e


def _pooled(scenario: Scenario, sh: Sharing, e: _Economy, t: int) -> dict[str, float]:
    """Each firm's pooled retained tax in year index ``t``."""
    pooled = {}
    for f in scenario.firms:
        if sh.scope == "all":
            pooled[f.id] = e.retained[f.id][t]
        elif sh.scope == "new_firms":
            pooled[f.id] = 0.0 if f.existing else e.retained[f.id][t]
        else:  # above_base: the party's excess over its base-year stock, pro rata
            b = scenario.base_year(sh) - scenario.start_year
            stock = e.source[f.party][b]
            excess = max(0.0, e.source[f.party][t] - stock)
            frac = excess / e.source[f.party][t] if e.source[f.party][t] > 0 else 0.0
            pooled[f.id] = e.retained[f.id][t] * frac
    return pooled


def _formula_shares(
    scenario: Scenario, sh: Sharing, e: _Economy, t: int, equity: Mapping[str, float]
) -> dict[str, float] | None:
    weights = cast(Mapping[str, float], sh.params["weights"])
    pids = e.pids
    factor = {
        "output": {p: 0.0 for p in pids},
        "wages": {p: 0.0 for p in pids},
        "investment": dict(equity),
        "land": {p: e.area_to_date[p][t] for p in pids},
    }
    for f in scenario.firms:
        if sh.scope == "new_firms" and f.existing:
            continue
        factor["output"][f.party] += e.output[f.id][t]
        factor["wages"][f.party] += e.output[f.id][t] * f.wage_ratio
    used = [k for k in FACTORS if sum(factor[k].values()) > 0]
    wsum = sum(weights[k] for k in used)
    if wsum <= 0:
        return None
    return {
        # each factor's share first, then weighted (w · x / X would underflow for a
        # subnormal x, where the share x / X is a plain fraction)
        p: sum(weights[k] * (factor[k][p] / sum(factor[k].values())) for k in used) / wsum
        for p in pids
    }


def _pool_shares(
    scenario: Scenario, sh: Sharing, e: _Economy, t: int, equity: Mapping[str, float]
) -> dict[str, float] | None:
    """Shares of the pool in year index ``t``; ``None`` for a rule or year without them."""
    if sh.rule == "fixed":
        return dict(cast(Mapping[str, float], sh.params["shares"]))
    if sh.rule == "equity":
        return dict(equity)
    if sh.rule == "formula":
        return _formula_shares(scenario, sh, e, t, equity)
    return None


def _floors(sh: Sharing, tax: Streams, t: int) -> None:
    floor = {p: sh.floors.get(p, 0.0) for p in tax}
    need = {p: max(0.0, floor[p] - tax[p][t]) for p in tax}
    have = {p: max(0.0, tax[p][t] - floor[p]) for p in tax}
    moved = min(sum(need.values()), sum(have.values()))
    for p in tax:
        if need[p] > 0:
            tax[p][t] += need[p] / sum(need.values()) * moved
        if have[p] > 0:
            tax[p][t] -= have[p] / sum(have.values()) * moved


def _clause_shares(
    clause: Clause,
    pool: dict[str, float] | None,
    equity: Mapping[str, float],
) -> dict[str, float] | None:
    """The shares a clause divides its stream by in an agreement year (``None``: as by default)."""
    if clause.rule in ("tax", "shared"):
        return pool
    if clause.rule == "equity":
        return dict(equity)
    if clause.rule == "fixed":
        return dict(cast(Mapping[str, float], clause.params["shares"]))
    return None


def _tax_year(
    scenario: Scenario,
    sh: Sharing,
    e: _Economy,
    t: int,
    tax: Streams,
    shares: dict[str, float] | None,
    revised: bool = False,
) -> None:
    """Tax of year ``t``: pooled, divided, settled, capped, floored (``revised``: the
    review clause has switched the pool to its shares)."""
    pooled = _pooled(scenario, sh, e, t)
    total = sum(pooled.values())
    by_party = {p: sum(pooled[f.id] for f in scenario.firms if f.party == p) for p in e.pids}
    if sh.rule == "introducer" and not revised:
        a = cast(float, sh.params["share"])
        agreed_pool = {p: 0.0 for p in e.pids}
        for f in scenario.firms:
            agreed_pool[f.introduced_by] += a * pooled[f.id]
            agreed_pool[f.party] += (1 - a) * pooled[f.id]
    elif shares is not None:
        agreed_pool = {p: shares[p] * total for p in e.pids}
    else:  # source, or a formula year with no basis
        agreed_pool = dict(by_party)
    for p in e.pids:
        agreed = e.source[p][t] - by_party[p] + agreed_pool[p]
        tax[p][t] = e.source[p][t] + sh.compliance * (agreed - e.source[p][t])
    if sh.cap is not None:  # no party pays more than the cap: every transfer scaled alike
        paid = max(e.source[p][t] - tax[p][t] for p in e.pids)
        if paid > sh.cap:
            for p in e.pids:
                tax[p][t] = e.source[p][t] + sh.cap / paid * (tax[p][t] - e.source[p][t])
    if sh.floors:
        _floors(sh, tax, t)


def _divide(at_source: Streams, shares: dict[str, float] | None, t: int, c: float) -> None:
    """Divide one year of a stream by ``shares``, settling ``c`` of the transfer."""
    if shares is None:
        return
    total = sum(at_source[p][t] for p in at_source)
    for p in at_source:
        at_source[p][t] += c * (shares[p] * total - at_source[p][t])


def _further(scenario: Scenario, e: _Economy) -> dict[str, Streams]:
    """Each clause stream that arises with the firms (:attr:`ClauseStream.arises`),
    added up where each firm is registered."""
    out: dict[str, Streams] = {}
    for c in CLAUSE_STREAMS:
        if c.arises is None:
            continue
        stream = {p: [0.0] * scenario.n_years for p in e.pids}
        for f in scenario.firms:
            inputs = partial(scenario.firm_input, f)  # its own, else its party's
            for t, y in enumerate(scenario.years):
                k = y - f.first_year
                if k >= 0:
                    stream[f.party][t] += c.arises(inputs, k, e.retained[f.id][t])
        out[c.name] = stream
    return out


def _statistics(scenario: Scenario, e: _Economy, capex_paid: Streams) -> dict[str, Streams]:
    """Each indicator counted at source: output, value added and tax where firms are
    registered, investment where it is paid."""
    out: dict[str, Streams] = {
        k: {p: [0.0] * scenario.n_years for p in e.pids} for k in ("output", "value_added", "tax")
    }
    for f in scenario.firms:
        for t in range(scenario.n_years):
            out["output"][f.party][t] += e.output[f.id][t]
            out["value_added"][f.party][t] += e.output[f.id][t] * f.value_added_ratio
            out["tax"][f.party][t] += e.total_tax[f.id][t]
    out["investment"] = {p: list(v) for p, v in capex_paid.items()}
    return out


def _review_rounding(
    sh: Sharing, source: Mapping[str, list[float]], years: list[int], first: int, last: int
) -> float:
    """How far below its threshold a review's gain must be: 1e-12 of the party's tax at
    source over the window ``first … last`` (rounding never triggers a review)."""
    if sh.review is None:
        return 0.0
    own = source[sh.review.party]
    return 1e-12 * sum(abs(own[t]) for t, y in enumerate(years) if first <= y <= last)


def run_scalar(
    scenario: Scenario,
    sharing: Sharing | None = None,
    *,
    outputs: Sequence[float] | None = None,
    growths: Sequence[float] | None = None,
    capex_shares: Mapping[str, float] | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Streams per party and year for one scenario, computed with plain loops.

    ``outputs`` and ``growths`` optionally replace each firm's ``output`` and
    ``growth`` (the benchmark's variants); ``capex_shares`` says who pays the joint
    capex (default: the investment clause's fixed shares, or equity). Returns
    ``{party: {stream: [per year]}}`` with streams ``tax``, ``land``, ``dividends``,
    ``investment``, each clause stream that arises with the firms, ``net``,
    ``source_tax``, ``upper_tier``, ``npv`` (a one-element list) and
    ``statistics.<indicator>`` for each indicator.
    """
    sh = sharing or scenario.sharing
    e = _economy(scenario, outputs, growths)
    pids, years = e.pids, list(scenario.years)
    first, last = scenario.window(sh)
    equity = dict(scenario.investment.equity or {p: 0.0 for p in pids})
    inv = scenario.investment
    capex = [inv.capex.get(y, 0.0) for y in years]
    paying = dict(capex_shares or _clause_shares(sh.clause("investment"), None, equity) or equity)
    capex_paid = {p: [capex[t] * paying[p] for t in range(len(years))] for p in pids}
    tax = {p: list(e.source[p]) for p in pids}
    land = {p: list(e.land[p]) for p in pids}
    stats = _statistics(scenario, e, capex_paid)
    further = _further(scenario, e)
    payout = [inv.payout_ratio * inv.return_rate * sum(capex[:t]) for t in range(len(years))]
    dividends = {p: [payout[t] * equity[p] for t in range(len(years))] for p in pids}
    review, revised, gained = sh.review, False, 0.0
    rounding = _review_rounding(sh, e.source, years, first, last)
    for t, y in enumerate(years):
        if not first <= y <= last:
            continue
        if review is not None and not revised and y - first >= review.after:
            revised = gained < review.below - rounding  # the gain over the years before
        pool = (
            dict(review.shares)
            if review is not None and revised
            else _pool_shares(scenario, sh, e, t, equity)
        )
        _tax_year(scenario, sh, e, t, tax, pool, revised)
        if review is not None:
            gained += tax[review.party][t] - e.source[review.party][t]
        _divide(land, _clause_shares(sh.clause("land"), pool, equity), t, sh.compliance)
        split = _clause_shares(sh.clause("dividends"), pool, equity)
        if split is not None:
            for p in pids:
                dividends[p][t] = payout[t] * split[p]
        for indicator in stats.values():
            _divide(indicator, _clause_shares(sh.clause("statistics"), pool, equity), t, 1.0)
        for name, stream in further.items():  # settled as agreed
            _divide(stream, _clause_shares(sh.clause(name), pool, equity), t, 1.0)
    if sh.clause("dividends").rule == "fixed":  # the company's own terms: every year, like equity
        fixed = cast(Mapping[str, float], sh.clause("dividends").params["shares"])
        dividends = {p: [payout[t] * fixed[p] for t in range(len(years))] for p in pids}
    money = {"tax": tax, "land": land, "dividends": dividends}
    return _by_party(scenario, e, money, capex_paid, further, stats)


def _by_party(
    scenario: Scenario,
    e: _Economy,
    money: dict[str, Streams],
    capex_paid: Streams,
    further: dict[str, Streams],
    stats: dict[str, Streams],
) -> dict[str, dict[str, list[float]]]:
    """Each party's streams, its net benefit and NPV (see :func:`run_scalar`)."""
    tax, land, dividends = money["tax"], money["land"], money["dividends"]
    n_t = scenario.n_years
    result: dict[str, dict[str, list[float]]] = {}
    for p in e.pids:
        net = [tax[p][t] + land[p][t] + dividends[p][t] - capex_paid[p][t] for t in range(n_t)]
        for stream in further.values():
            net = [x + stream[p][t] for t, x in enumerate(net)]
        npv = math.fsum(net[t] / (1 + scenario.discount_rate) ** t for t in range(n_t))
        result[p] = {
            "tax": tax[p],
            "land": land[p],
            "dividends": dividends[p],
            "investment": [-x for x in capex_paid[p]],
            "net": net,
            "source_tax": e.source[p],
            "upper_tier": e.upper[p],
            "npv": [npv],
            **{name: stream[p] for name, stream in further.items()},
            **{f"statistics.{k}": v[p] for k, v in stats.items()},
        }
    return result
