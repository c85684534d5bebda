"""The parts of a park's money a portfolio's fund needs (sim.model.parts), found from the
inputs without every stream: they must be every stream's own (the joint company's
dividends and capex, summed and in present value per party; retained tax at source to
the bit), the same bits whatever the batch, and conserved."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.model as model
from sim.agreement import terms_for
from sim.errors import ConservationError
from sim.model import SHARED_FROM, StreamTerms, evaluate
from sim.model.parts import company_parts, retained_at_source
from sim.model.result import _discounted
from sim.scenario import parse

from ..strategies import VARIED, scenario_data, swept_batch

POOL_RULES = st.sampled_from(["fixed", "equity", "formula", "introducer"])
draws = given(
    POOL_RULES.flatmap(scenario_data), st.sets(st.sampled_from(VARIED)), st.integers(0, 2**32 - 1)
)


def _batch(data: dict[str, Any], varied: set[str], seed: int, n: int) -> tuple[Any, Any]:
    scenario = parse(data)
    return swept_batch(scenario, terms_for(scenario), varied | {"capex"}, seed, n)


@draws
@settings(max_examples=40, deadline=None)
def test_company_parts_are_every_streams_own(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    batch, terms = _batch(data, varied, seed, SHARED_FROM + 3)
    got = company_parts(batch, terms)
    if got is None:  # only dividends by the pool's shares, shares not constant
        assert terms.clause("dividends").basis == "tax"
        assert model._linear_rows(terms, False) is not True
        return
    full = evaluate(batch, terms)
    df = full.discount_factors
    scale = max(float(np.abs(batch.capex).max(initial=0.0)), 1.0) * len(full.years)
    for j, name in enumerate(("dividends", "investment")):
        mine = getattr(full, name)
        source = getattr(full, f"source_{name}")
        source = mine if source is None else source
        np.testing.assert_allclose(
            got.flows[:, j], mine.sum(axis=1), rtol=1e-12, atol=1e-12 * scale
        )
        np.testing.assert_allclose(
            got.npv[:, j], _discounted(mine, df), rtol=1e-12, atol=1e-12 * scale
        )
        np.testing.assert_allclose(
            got.source[:, j], _discounted(source, df), rtol=1e-12, atol=1e-12 * scale
        )


@given(
    st.sampled_from(["fixed", "equity"]).flatmap(scenario_data),
    st.sets(st.sampled_from(VARIED)),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=30, deadline=None)
def test_dividends_by_constant_pool_shares(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    """Under a rule whose pool shares are constant, the dividends may follow them in the
    agreement's years (equity in the others), capex by shares of its own."""
    scenario = parse(data)
    terms = terms_for(scenario)
    scope = "new_firms" if terms.scope == "above_base" else terms.scope
    terms = replace(terms, scope=scope, floors=np.zeros_like(terms.floors), cap=None, review=None)
    terms = terms.with_clause("dividends", StreamTerms("tax"))
    batch, terms = swept_batch(scenario, terms, varied | {"capex"}, seed, SHARED_FROM + 3)
    rng = np.random.default_rng(seed)
    capex = rng.dirichlet(np.ones(len(scenario.parties)), size=SHARED_FROM + 3)
    terms = terms.with_clause("investment", StreamTerms("shares", capex))
    got = company_parts(batch, terms)
    assert got is not None
    full = evaluate(batch, terms)
    scale = max(float(np.abs(batch.capex).max(initial=0.0)), 1.0) * len(full.years)
    for j, name in enumerate(("dividends", "investment")):
        mine, source = getattr(full, name), getattr(full, f"source_{name}")
        assert source is not None
        np.testing.assert_allclose(
            got.flows[:, j], mine.sum(axis=1), rtol=1e-12, atol=1e-12 * scale
        )
        np.testing.assert_allclose(
            got.npv[:, j], _discounted(mine, full.discount_factors), rtol=1e-12, atol=1e-12 * scale
        )
        np.testing.assert_allclose(
            got.source[:, j],
            _discounted(source, full.discount_factors),
            rtol=1e-12,
            atol=1e-12 * scale,
        )


@draws
@settings(max_examples=40, deadline=None)
def test_retained_tax_at_source_is_every_streams_to_the_bit(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    batch, terms = _batch(data, varied, seed, 40)
    full = evaluate(batch, terms)
    n_t = len(full.years)
    rng = np.random.default_rng(seed)
    years = np.flatnonzero(rng.random(n_t) < 0.3)
    got = retained_at_source(batch, years)
    assert got.shape == (40, len(full.parties), len(years))
    np.testing.assert_array_equal(got, full.source_tax[:, :, years])


@draws
@settings(max_examples=25, deadline=None)
def test_the_same_bits_whatever_the_batch(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    n = SHARED_FROM + 37
    batch, terms = _batch(data, varied, seed, n)
    years = np.arange(0, len(batch.structure.years), 2)
    whole, tax = company_parts(batch, terms), retained_at_source(batch, years)
    for start, stop in ((0, 1), (5, 12), (40, 104), (n - 3, n)):
        part = company_parts(batch.take(start, stop), terms.take(start, stop))
        if whole is None or part is None:
            assert whole is None and part is None
        else:
            for a, b in zip(part, whole, strict=True):
                np.testing.assert_array_equal(a, b[start:stop])
        np.testing.assert_array_equal(
            retained_at_source(batch.take(start, stop), years), tax[start:stop]
        )


def _reference() -> Any:
    from sim.scenario import load

    from ..conftest import DATA

    return load(DATA / "co-built-park.toml")


def test_capex_shares_that_do_not_add_up_are_refused() -> None:
    scenario = _reference()
    batch, terms = swept_batch(scenario, terms_for(scenario), {"capex"}, 1, 5)
    n_p = len(scenario.parties)
    shares = np.full((5, n_p), 1.0 / n_p)
    shares[3] *= 1.2  # scenario 3's parties pay in more than the capex
    terms = terms.with_clause("investment", StreamTerms("shares", shares))
    with pytest.raises(ConservationError, match=r"investment: .* in scenario index 3"):
        company_parts(batch, terms)


def test_dividends_by_changing_pool_shares_need_the_streams() -> None:
    scenario = _reference()
    terms = terms_for(scenario)
    terms = replace(terms, floors=np.full_like(terms.floors, 1.0))
    terms = terms.with_clause("dividends", StreamTerms("tax"))
    batch, terms = swept_batch(scenario, terms, set(), 1, 3)
    assert company_parts(batch, terms) is None
