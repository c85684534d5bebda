"""The stream route's reused arrays (:mod:`sim.model.reuse`): a batch large enough to
share what its scenarios share, whose chunks reuse one set of arrays with the firms no
scenario varies filled once, gives every scenario the bits it gets in a batch too small
to share anything (where every firm of every scenario is computed afresh)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import sim.model as model
from sim.agreement import terms_for
from sim.model import SHARED_FROM
from sim.scenario import parse

from ..strategies import VARIED, scenario_data, swept_batch


@settings(max_examples=60, deadline=None)
@given(
    scenario_data(),
    st.sets(st.sampled_from(VARIED)),
    st.integers(0, 2**32 - 1),
    st.booleans(),
    st.sampled_from([17, 64, 4096]),
)
def test_reused_arrays_change_no_bit(
    data: dict[str, Any], varied: set[str], seed: int, statistics: bool, chunk: int
) -> None:
    scenario = parse(data)  # any rule, scope, floors, cap and review
    n = SHARED_FROM + 41
    batch, terms = swept_batch(scenario, terms_for(scenario), varied, seed, n)
    whole = model._streams_npv(batch, terms, chunk, statistics, True)
    step = SHARED_FROM - 1  # below SHARED_FROM: nothing shared, nothing reused
    for i in range(0, n, step):
        j = min(i + step, n)
        part = model._streams_npv(batch.take(i, j), terms.take(i, j), chunk, statistics, True)
        np.testing.assert_array_equal(part.npv, whole.npv[i:j])
        np.testing.assert_array_equal(part.source, whole.source[i:j])
        if part.statistics is not None and whole.statistics is not None:
            np.testing.assert_array_equal(part.statistics, whole.statistics[i:j])
        if part.divided is not None and whole.divided is not None:
            np.testing.assert_array_equal(part.divided, whole.divided[i:j])
