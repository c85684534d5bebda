"""The model's linear route: NPVs from present values when shares are constant over the years.

Under ``fixed`` and ``equity`` with no floors, cap or review and a scope that pools whole
firms, :func:`sim.model.evaluate_npv` values each stream first and divides after. It must
give every stream's discounted sum to rounding, the same bits whatever the batch's size
and chunks, and still refuse what is not conserved, naming the scenario.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sim.model as model
from sim.agreement import terms_for
from sim.errors import ConservationError
from sim.model import SHARED_FROM, Batch, Terms, evaluate, evaluate_npv
from sim.scenario import load, parse

from ..strategies import VARIED, scenario_data, swept_batch


def linear_terms(scenario: Any) -> Terms:
    """The scenario's agreement without what makes NPV piecewise, pooling whole firms."""
    terms = terms_for(scenario)
    scope = "new_firms" if terms.scope == "above_base" else terms.scope
    return replace(terms, scope=scope, floors=np.zeros_like(terms.floors), cap=None, review=None)


def varied_batch(scenario: Any, varied: set[str], seed: int, n: int) -> tuple[Batch, Terms]:
    """A sweep's batch under the scenario's agreement made linear."""
    return swept_batch(scenario, linear_terms(scenario), varied, seed, n)


rules = st.sampled_from(["fixed", "equity"])


@given(rules.flatmap(scenario_data), st.sets(st.sampled_from(VARIED)), st.integers(0, 2**32 - 1))
def test_the_linear_route_is_every_stream_discounted(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    scenario = parse(data)
    batch, terms = varied_batch(scenario, varied, seed, SHARED_FROM + 5)
    assert model._linear_rows(terms, False) is True
    full = evaluate(batch, terms)
    alone = evaluate_npv(batch, terms, divided=True)
    streams = model._streams_npv(batch, terms, model.CHUNK_SIZE, False, True)
    scale = max(float(np.abs(full.net).max(initial=0.0)), float(np.abs(full.source_tax).max()), 1.0)
    scale *= len(full.years)
    for got, want in ((alone.npv, full.npv), (alone.source, full.source_npv)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12 * scale)
    assert alone.divided is not None and streams.divided is not None
    np.testing.assert_allclose(alone.divided, streams.divided, rtol=1e-12, atol=1e-12 * scale)


@given(rules.flatmap(scenario_data), st.sets(st.sampled_from(VARIED)), st.integers(0, 2**32 - 1))
def test_the_linear_route_gives_the_same_bits_whatever_the_batch(
    data: dict[str, Any], varied: set[str], seed: int
) -> None:
    # a whole batch shares what no scenario varies; its slices (below SHARED_FROM) do not
    scenario = parse(data)
    n = SHARED_FROM + 37
    batch, terms = varied_batch(scenario, varied, seed, n)
    whole = evaluate_npv(batch, terms, divided=True)
    for start, stop in ((0, 1), (5, 12), (40, 104), (n - 3, n)):
        part = evaluate_npv(batch.take(start, stop), terms.take(start, stop), divided=True)
        np.testing.assert_array_equal(part.npv, whole.npv[start:stop])
        np.testing.assert_array_equal(part.source, whole.source[start:stop])
        assert part.divided is not None and whole.divided is not None
        np.testing.assert_array_equal(part.divided, whole.divided[start:stop])


def test_chunks_of_the_linear_route_change_no_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = parse_reference()
    batch, terms = varied_batch(scenario, {"growth", "discount_rate", "compliance"}, 3, 1000)
    whole = evaluate_npv(batch, terms)
    monkeypatch.setattr(model.linear, "LINEAR_CHUNK", 97)  # where the route reads it
    chunked = evaluate_npv(batch, terms)
    np.testing.assert_array_equal(chunked.npv, whole.npv)
    np.testing.assert_array_equal(chunked.source, whole.source)


def parse_reference() -> Any:
    from sim.scenario import load

    from ..conftest import DATA

    return load(DATA / "co-built-park.toml")


def test_floors_in_some_scenarios_take_the_streams_there_only() -> None:
    scenario = parse_reference()
    n = 300
    batch, terms = varied_batch(scenario, {"growth", "output"}, 5, n)
    floors = np.zeros((n, len(scenario.parties)))
    floors[::3, 0] = 2.0  # every third scenario has a floor
    with_floors = replace(terms, floors=floors)
    route = model._linear_rows(with_floors, False)
    assert isinstance(route, np.ndarray) and route.sum() == n - len(range(0, n, 3))
    got = evaluate_npv(batch, with_floors, divided=True)
    full = evaluate(batch, with_floors)
    np.testing.assert_allclose(got.npv, full.npv, rtol=1e-12, atol=1e-9)
    free = np.flatnonzero(route)
    alone = evaluate_npv(model._pick(batch, free), terms.pick(free), divided=True)
    np.testing.assert_array_equal(got.npv[free], alone.npv)  # the linear route's own bits
    floored = np.flatnonzero(~route)
    streams = model._streams_npv(
        model._pick(batch, floored), with_floors.pick(floored), model.CHUNK_SIZE, False, True
    )
    np.testing.assert_array_equal(got.npv[floored], streams.npv)


def test_what_the_linear_route_cannot_conserve_is_named_by_the_streams() -> None:
    scenario = parse_reference()
    n = 200
    batch, terms = varied_batch(scenario, {"growth"}, 7, n)
    equity = np.array(np.broadcast_to(batch.equity, (n, batch.equity.shape[1])))
    equity[137] *= 0.5  # shareholdings summing to a half: capex is not all paid in
    bad = replace(batch, equity=equity)
    with pytest.raises(ConservationError, match="scenario 137"):
        evaluate_npv(bad, terms)
    with pytest.raises(ConservationError, match="scenario 137"):
        evaluate(bad, terms)


def test_rules_and_clauses_that_vary_by_year_take_the_streams() -> None:
    scenario = parse_reference()
    terms = linear_terms(scenario)
    assert model._linear_rows(terms, False) is True
    assert model._linear_rows(terms, True) is False  # statistics are counted by year
    assert model._linear_rows(replace(terms, rule="formula"), False) is False
    assert model._linear_rows(replace(terms, scope="above_base"), False) is False
    assert model._linear_rows(replace(terms, cap=np.array([1.0])), False) is False
    assert model._linear_rows(replace(terms, floors=terms.floors + 1.0), False) is False


def test_large_batches_and_their_slices_agree_to_the_bit() -> None:
    # numpy's power gives an element other bits by where it falls in a long array (its
    # vector loop and scalar tail differ on machines with AVX-512): the linear route
    # compounds growth and discounting by products, which are rounded alike anywhere
    scenario = parse_reference()
    n = 6007
    batch, terms = varied_batch(scenario, {"growth", "discount_rate", "first_year"}, 11, n)
    whole = evaluate_npv(batch, terms)
    for start, stop in ((0, 4099), (4099, n), (13, 1013), (2000, 2003)):
        part = evaluate_npv(batch.take(start, stop), terms.take(start, stop))
        np.testing.assert_array_equal(part.npv, whole.npv[start:stop])
        np.testing.assert_array_equal(part.source, whole.source[start:stop])


def test_a_firm_older_than_the_horizon_has_grown_in_both_routes() -> None:
    # a batch may start a firm before the horizon (the files cannot): its first year's
    # output has grown for every year since, in the stream route and the linear route
    scenario = parse_reference()
    n = 3
    batch, terms = varied_batch(scenario, {"growth"}, 13, n)
    start = float(batch.structure.years[0])
    first = np.array(np.broadcast_to(batch.firms["first_year"], (n, len(scenario.firms))))
    first[:, 0] = start - 4  # four years before the first year of the horizon
    batch = batch.with_firm("first_year", first)
    f = batch.firms
    grown = (1.0 + f["growth"][:, 0]) ** 4 * f["output"][:, 0]
    output = model.sources.firm_output(batch)
    np.testing.assert_allclose(output[:, 0, 0], grown, rtol=1e-14)
    np.testing.assert_allclose(output[:, 0, 1], grown * (1.0 + f["growth"][:, 0]), rtol=1e-14)
    full = evaluate(batch, terms)
    linear = evaluate_npv(batch, terms)
    assert model._linear_rows(terms, False) is True
    np.testing.assert_allclose(linear.npv, full.npv, rtol=1e-12)


@pytest.mark.parametrize(
    ("name", "linear"),
    [
        ("gaozhu-vat-2027.toml", False),  # fiscal-policy schedules: rates (S, 3, F, T)
        ("gaozhu-vat-2027.toml", True),
        ("joint-promotion-incentives.toml", False),  # a further stream (incentives)
    ],
)
def test_schedules_and_further_streams_keep_the_same_bits_whatever_the_chunks(
    name: str, linear: bool
) -> None:
    # the stream route with rates given by year or a clause stream arising with the
    # firms: every chunking gives the same bits, and the linear route agrees with it
    scenario = load(Path(__file__).parents[2] / "scenarios" / name)
    terms = linear_terms(scenario) if linear else terms_for(scenario)
    batch, terms = swept_batch(scenario, terms, {"growth", "discount_rate", "rates"}, 5, 300)
    if "vat" in name:
        assert model.sources._rates(batch).ndim == 4
    whole = model._streams_npv(batch, terms, 4096, False, True)
    for chunk_size in (37, 256):
        part = model._streams_npv(batch, terms, chunk_size, False, True)
        np.testing.assert_array_equal(part.npv, whole.npv)
        np.testing.assert_array_equal(part.source, whole.source)
    npv = evaluate_npv(batch, terms)
    np.testing.assert_allclose(npv.npv, whole.npv, rtol=1e-12, atol=1e-9)
    sliced = evaluate_npv(batch.take(100, 173), terms.take(100, 173))
    np.testing.assert_array_equal(sliced.npv, npv.npv[100:173])
