"""The sweep's normal quantiles (sim.sweep.normal) against scipy.special, whose algorithm
(Moshier's Cephes ndtri) they restate without importing it."""

from __future__ import annotations

import math

import numpy as np
import scipy.special as sp
from hypothesis import given
from hypothesis import strategies as st

from sim.sweep.normal import ndtr, ndtri


def test_ndtri_is_scipys_to_a_few_ulps_over_the_whole_range() -> None:
    rng = np.random.default_rng(20261126)
    u = np.concatenate(
        [
            rng.random(200_000),
            10 ** rng.uniform(-307, -1, 20_000),  # the lower tail, to subnormal-adjacent
            1 - 10 ** rng.uniform(-16, -1, 20_000),  # the upper tail
            [math.exp(-2), 1 - math.exp(-2), math.exp(-32), 0.5, 5e-324, 1e-310],
        ]
    )
    ours, theirs = ndtri(u), sp.ndtri(u)
    assert np.isfinite(ours).all()
    ulps = np.abs(ours.view(np.int64) - theirs.view(np.int64))
    assert ulps.max() <= 8, ulps.max()  # numpy's and the C library's logarithms differ
    assert (ulps == 0).mean() > 0.999  # and almost always the same bits


def test_ndtri_at_the_ends_and_outside() -> None:
    with np.errstate(invalid="ignore"):
        got = ndtri(np.array([0.0, 1.0, -0.5, 1.5, np.nan, 0.5]))
    assert got[0] == -np.inf and got[1] == np.inf
    assert np.isnan(got[2:5]).all() and got[5] == 0.0


@given(st.floats(1e-300, 1 - 1e-16))
def test_ndtr_undoes_ndtri(p: float) -> None:
    x = float(ndtri(np.array([p]))[0])
    assert math.isclose(ndtr(x), p, rel_tol=1e-12)


@given(st.floats(-37.0, 40.0) | st.sampled_from([-math.inf, math.inf, 0.0]))
def test_ndtr_is_scipys(x: float) -> None:
    # the C library's erfc is used (Cephes has its own): they part in the far lower tail,
    # by 4e-15 of the value at −10 and 5e-14 at −37 (where the CDF is 6e-300)
    assert math.isclose(ndtr(x), float(sp.ndtr(x)), rel_tol=1e-12, abs_tol=1e-300)
