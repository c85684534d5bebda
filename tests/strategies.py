"""Hypothesis strategies: random *valid* scenario mappings, as tomllib would return them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import strategies as st

from sim.rules import FACTORS, rule_names

PARTY_IDS = ["SC", "CQ", "GA", "YB"]
SCOPES = ["all", "new_firms", "above_base"]

fraction = st.floats(0.0, 1.0, allow_nan=False)
small_rate = st.floats(0.0, 0.3, allow_nan=False)


@st.composite
def shares(draw: st.DrawFn, keys: list[str]) -> dict[str, float]:
    """Non-negative shares over ``keys`` summing to 1 (to well within 1e-9)."""
    raw = [draw(st.integers(0, 10)) for _ in keys]
    if sum(raw) == 0:
        raw[draw(st.integers(0, len(keys) - 1))] = 1
    total = sum(raw)
    out = {k: r / total for k, r in zip(keys, raw, strict=True)}
    return out


@st.composite
def firm(draw: st.DrawFn, i: int, pids: list[str], start: int, end: int) -> dict[str, Any]:
    return {
        "id": f"firm-{i}",
        "party": draw(st.sampled_from(pids)),
        "introduced_by": draw(st.sampled_from(pids)),
        "existing": draw(st.booleans()),
        "first_year": draw(st.integers(start, end)),
        "output": draw(st.floats(0.0, 100.0)),
        "growth": draw(st.floats(-0.2, 0.3)),
        "ramp_years": draw(st.integers(1, 4)),
        "value_added_ratio": draw(fraction),
        "vat_rate": draw(small_rate),
        "profit_margin": draw(small_rate),
        "cit_rate": draw(small_rate),
        "wage_ratio": draw(small_rate),
        "pit_rate": draw(small_rate),
        "surcharge_rate": draw(small_rate),
        "other_local_rate": draw(st.floats(0.0, 0.02)),
    }


@st.composite
def sharing(
    draw: st.DrawFn, pids: list[str], start: int, end: int, rule: str | None = None
) -> dict[str, Any]:
    rule = rule or draw(st.sampled_from(list(rule_names("pool"))))
    table: dict[str, Any] = {"rule": rule}
    if rule == "fixed":
        table["shares"] = draw(shares(pids))
    elif rule == "formula":
        table["weights"] = draw(shares(list(FACTORS)))
    elif rule == "introducer":
        table["share"] = draw(fraction)
    table["scope"] = draw(st.sampled_from(SCOPES))
    first = draw(st.integers(start, end))
    table["from_year"] = first
    table["years"] = draw(st.integers(1, end - first + 1))
    if table["scope"] == "above_base" and draw(st.booleans()):
        table["base_year"] = draw(st.integers(start, end))
    table["compliance"] = draw(fraction)
    if draw(st.booleans()):
        table["floors"] = {p: draw(st.floats(0.0, 2.0)) for p in pids if draw(st.booleans())}
    if draw(st.booleans()):
        table["cap"] = draw(st.floats(0.0, 3.0))
    if draw(st.booleans()):
        table["review"] = {
            "party": draw(st.sampled_from(pids)),
            "below": draw(st.floats(-3.0, 3.0)),
            "after": draw(st.integers(0, min(4, table["years"] - 1))),
            "shares": draw(shares(pids)),
        }
    table["land"] = draw(clause("land", pids))
    for name in ("dividends", "investment", "statistics"):
        if draw(st.booleans()):
            table[name] = draw(clause(name, pids))
    return table


# clause rules whose shares the plain-loop reference can read off the file
_READABLE = {
    "land": ["source", "shared", "tax", "equity", "fixed"],
    "dividends": ["equity", "tax", "fixed"],
    "investment": ["equity", "fixed"],
    "statistics": ["source", "tax", "equity", "fixed"],
}


@st.composite
def clause(draw: st.DrawFn, name: str, pids: list[str]) -> Any:
    """A clause of ``name`` by a rule whose shares are written in the file."""
    rule = draw(st.sampled_from(_READABLE[name]))
    if rule == "fixed":
        return {"rule": "fixed", "shares": draw(shares(pids))}
    return rule


@st.composite
def scenario_data(draw: st.DrawFn, rule: str | None = None) -> dict[str, Any]:
    """A random valid scenario with 2–4 parties, 1–5 firms and 0–3 land sales."""
    n = draw(st.integers(2, 4))
    pids = PARTY_IDS[:n]
    start = draw(st.integers(2015, 2030))
    years = draw(st.integers(1, 12))
    end = start + years - 1
    capex = {
        str(y): draw(st.floats(0.0, 20.0)) for y in range(start, end + 1) if draw(st.booleans())
    }
    return {
        "meta": {"name": "random"},
        "horizon": {
            "start_year": start,
            "years": years,
            "discount_rate": draw(st.floats(0.0, 0.15)),
        },
        "parties": [{"id": p, "retained_share": draw(fraction)} for p in pids],
        "taxes": {
            "vat_local_share": draw(fraction),
            "cit_local_share": draw(fraction),
            "pit_local_share": draw(fraction),
        },
        "firms": [draw(firm(i, pids, start, end)) for i in range(draw(st.integers(1, 5)))],
        "land_sales": [
            {
                "party": draw(st.sampled_from(pids)),
                "year": draw(st.integers(start, end)),
                "area_mu": draw(st.floats(0.0, 5000.0)),
                "price": draw(st.floats(0.0, 0.01)),
                "cost_share": (c := draw(st.floats(0.0, 0.9))),
                "rural_earmark": draw(st.floats(0.0, 1.0 - c)),
            }
            for _ in range(draw(st.integers(0, 3)))
        ],
        "investment": {
            "capex": capex,
            "equity": draw(shares(pids)),
            "return_rate": draw(st.floats(0.0, 0.1)),
            "payout_ratio": draw(fraction),
        },
        "sharing": draw(sharing(pids, start, end, rule)),
    }


VARIED = ("growth", "output", "first_year", "discount_rate", "compliance", "land", "capex", "rates")
"""Inputs :func:`swept_batch` can vary between scenarios."""


def swept_batch(scenario: Any, terms: Any, varied: set[str], seed: int, n: int) -> tuple[Any, Any]:
    """A sweep's batch of ``n`` scenarios of ``scenario`` under ``terms``: the inputs
    ``varied`` drawn per scenario (for about half the firms), the others one row
    broadcast over the scenarios, as a sweep has them."""
    from sim.model import batch_from_scenario

    rng = np.random.default_rng(seed)
    n_f = len(scenario.firms)
    batch = batch_from_scenario(scenario).map(lambda a: np.broadcast_to(a, (n, *a.shape[1:])))
    swept = rng.random(n_f) < 0.5  # some firms, not others
    for name, low, high in (("growth", -0.1, 0.2), ("output", 1.0, 50.0), ("vat_rate", 0.0, 0.2)):
        if name in varied or (name == "vat_rate" and "rates" in varied):
            values = np.array(batch.firms[name])
            values[:, swept] = rng.uniform(low, high, size=(n, int(swept.sum())))
            batch = batch.with_firm(name, values)
    if "first_year" in varied:
        shift = rng.integers(0, 2, size=(n, n_f))
        batch = batch.with_firm("first_year", batch.firms["first_year"] + shift)
    if "discount_rate" in varied:
        batch = replace(batch, discount_rate=rng.uniform(0.0, 0.1, n))
    if "land" in varied:
        price = rng.uniform(0.001, 0.01, size=batch.land["price"].shape)
        batch = replace(batch, land={**batch.land, "price": price})
    if "capex" in varied:
        batch = replace(batch, capex=rng.uniform(0.0, 5.0, size=batch.capex.shape))
    if "compliance" in varied:
        terms = replace(terms.repeat(n), compliance=rng.uniform(0.0, 1.0, n))
    return batch, terms
