"""SPEC.md sections 2–3 restated as a plain per-scenario Python loop.

This is the readable reference of the arithmetic: one scenario, one year, one firm
at a time, in the words of the specification, with no numpy. The test suite checks
the vectorised :mod:`sim.model` against it on random scenarios, and the benchmark
uses it as the per-scenario baseline. It is not used to produce results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import cast

from sim.rules import FACTORS
from sim.scenario import Scenario, Sharing

__all__ = ["run_scalar"]


def run_scalar(
    scenario: Scenario,
    sharing: Sharing | None = None,
    *,
    outputs: Sequence[float] | None = None,
    growths: Sequence[float] | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Streams per party and year for one scenario, computed with plain loops.

    ``outputs`` and ``growths`` optionally replace each firm's ``output`` and
    ``growth`` (the benchmark's variants). Returns ``{party: {stream: [per year]}}``
    with streams ``tax``, ``land``, ``dividends``, ``investment``, ``net``,
    ``source_tax``, ``upper_tier`` and ``npv`` (a one-element list).
    """
    sh = sharing or scenario.sharing
    pids = list(scenario.party_ids)
    years = list(scenario.years)
    first, last = scenario.window(sh)
    retained_share = {p.id: p.retained_share for p in scenario.parties}
    tx = scenario.taxes
    n_t = len(years)

    # --- taxes, firm by firm
    out = {f.id: [0.0] * n_t for f in scenario.firms}
    retained = {f.id: [0.0] * n_t for f in scenario.firms}
    upper = {p: [0.0] * n_t for p in pids}
    for i, f in enumerate(scenario.firms):
        base = f.output if outputs is None else outputs[i]
        g = f.growth if growths is None else growths[i]
        for t, y in enumerate(years):
            k = y - f.first_year
            if k < 0:
                continue
            output = base * (1 + g) ** k * min(1.0, (k + 1) / f.ramp_years)
            vat = output * f.value_added_ratio * f.vat_rate
            cit = output * f.profit_margin * f.cit_rate
            pit = output * f.wage_ratio * f.pit_rate
            surcharge = vat * f.surcharge_rate
            other = output * f.other_local_rate
            local = (
                vat * tx.vat_local_share
                + cit * tx.cit_local_share
                + pit * tx.pit_local_share
                + surcharge
                + other
            )
            kept = local * retained_share[f.party]
            out[f.id][t] = output
            retained[f.id][t] = kept
            upper[f.party][t] += local - kept

    source = {p: [0.0] * n_t for p in pids}
    for f in scenario.firms:
        for t in range(n_t):
            source[f.party][t] += retained[f.id][t]

    # --- land at source
    land_src = {p: [0.0] * n_t for p in pids}
    area_to_date = {p: [0.0] * n_t for p in pids}
    for s in scenario.land_sales:
        t = s.year - scenario.start_year
        land_src[s.party][t] += s.area_mu * s.price * (1 - s.cost_share - s.rural_earmark)
        for u in range(t, n_t):
            area_to_date[s.party][u] += s.area_mu

    equity = dict(scenario.investment.equity or {p: 0.0 for p in pids})
    tax = {p: list(source[p]) for p in pids}
    land = {p: list(land_src[p]) for p in pids}
    c = sh.compliance
    for t, y in enumerate(years):
        if not first <= y <= last:
            continue
        # pooled tax of each firm this year
        pooled = {}
        for f in scenario.firms:
            if sh.scope == "all":
                pooled[f.id] = retained[f.id][t]
            elif sh.scope == "new_firms":
                pooled[f.id] = 0.0 if f.existing else retained[f.id][t]
            else:  # above_base: the party's excess over its base-year stock, pro rata
                b = scenario.base_year(sh) - scenario.start_year
                stock = source[f.party][b]
                excess = max(0.0, source[f.party][t] - stock)
                frac = excess / source[f.party][t] if source[f.party][t] > 0 else 0.0
                pooled[f.id] = retained[f.id][t] * frac
        total = sum(pooled.values())
        by_party = {
            p: sum(v for f in scenario.firms if f.party == p for v in [pooled[f.id]]) for p in pids
        }

        shares: dict[str, float] | None = None
        if sh.rule == "fixed":
            shares = dict(cast(Mapping[str, float], sh.params["shares"]))
        elif sh.rule == "equity":
            shares = equity
        elif sh.rule == "formula":
            weights = cast(Mapping[str, float], sh.params["weights"])
            factor = {
                "output": {p: 0.0 for p in pids},
                "wages": {p: 0.0 for p in pids},
                "investment": dict(equity),
                "land": {p: area_to_date[p][t] for p in pids},
            }
            for f in scenario.firms:
                if sh.scope == "new_firms" and f.existing:
                    continue
                factor["output"][f.party] += out[f.id][t]
                factor["wages"][f.party] += out[f.id][t] * f.wage_ratio
            used = [k for k in FACTORS if sum(factor[k].values()) > 0]
            wsum = sum(weights[k] for k in used)
            if wsum > 0:
                shares = {
                    p: sum(weights[k] * factor[k][p] / sum(factor[k].values()) for k in used) / wsum
                    for p in pids
                }

        if sh.rule == "introducer":
            a = cast(float, sh.params["share"])
            agreed_pool = {p: 0.0 for p in pids}
            for f in scenario.firms:
                agreed_pool[f.introduced_by] += a * pooled[f.id]
                agreed_pool[f.party] += (1 - a) * pooled[f.id]
        elif shares is not None:
            agreed_pool = {p: shares[p] * total for p in pids}
        else:  # source, or a formula year with no basis
            agreed_pool = dict(by_party)
        for p in pids:
            agreed = source[p][t] - by_party[p] + agreed_pool[p]
            tax[p][t] = source[p][t] + c * (agreed - source[p][t])

        if sh.floors:
            floor = {p: sh.floors.get(p, 0.0) for p in pids}
            need = {p: max(0.0, floor[p] - tax[p][t]) for p in pids}
            have = {p: max(0.0, tax[p][t] - floor[p]) for p in pids}
            moved = min(sum(need.values()), sum(have.values()))
            for p in pids:
                if need[p] > 0:
                    tax[p][t] += need[p] / sum(need.values()) * moved
                if have[p] > 0:
                    tax[p][t] -= have[p] / sum(have.values()) * moved

        if sh.land == "shared" and shares is not None:
            land_total = sum(land_src[p][t] for p in pids)
            for p in pids:
                land[p][t] = land_src[p][t] + c * (shares[p] * land_total - land_src[p][t])

    # --- joint company
    inv = scenario.investment
    capex = [inv.capex.get(y, 0.0) for y in years]
    result: dict[str, dict[str, list[float]]] = {}
    for p in pids:
        dividends, investment, net = [], [], []
        for t in range(n_t):
            profit = inv.return_rate * sum(capex[:t])
            dividends.append(inv.payout_ratio * profit * equity[p])
            investment.append(-capex[t] * equity[p])
            net.append(tax[p][t] + land[p][t] + dividends[t] + investment[t])
        npv = math.fsum(net[t] / (1 + scenario.discount_rate) ** t for t in range(n_t))
        result[p] = {
            "tax": tax[p],
            "land": land[p],
            "dividends": dividends,
            "investment": investment,
            "net": net,
            "source_tax": source[p],
            "upper_tier": upper[p],
            "npv": [npv],
        }
    return result
