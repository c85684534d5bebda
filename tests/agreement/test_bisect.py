"""The share that reaches a level on a piecewise-affine NPV (two parties, floors).

:func:`sim.agreement.shares._bisect` narrows a bracket with the midpoint and both sides
of the false-position point: it must find what plain bisection finds (the least or
greatest share, flat stretches included) and, away from a kink, in a few calls.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.agreement.shares import _WIDTH, _bisect


def _plain(f, level, lowest):  # type: ignore[no-untyped-def]
    """Bisection to the same width, one scenario at a time (the definition)."""
    out = []
    for r, lv in enumerate(level):
        rows = np.array([r])
        goal = lv - 1e-9 * max(1.0, abs(lv)) if lowest else lv + 1e-9 * max(1.0, abs(lv))
        f0, f1 = f(np.zeros(1), rows)[0], f(np.ones(1), rows)[0]
        if lowest and f0 >= goal:
            out.append(0.0)
            continue
        if not lowest and f1 <= goal:
            out.append(1.0)
            continue
        if (lowest and f1 < goal) or (not lowest and f0 > goal):
            out.append(np.nan)
            continue
        lo, hi = 0.0, 1.0
        while hi - lo > _WIDTH:
            mid = (lo + hi) / 2
            fm = f(np.array([mid]), rows)[0]
            up = fm >= goal if lowest else fm > goal
            lo, hi = (lo, mid) if up else (mid, hi)
        out.append(hi if lowest else lo)
    return np.array(out)


@st.composite
def ramps(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-decreasing piecewise-affine functions on [0, 1] (flat pieces included), one
    per scenario: kinks and slopes per row, and a level for each."""
    m = draw(st.integers(1, 6))
    kinks = np.sort(np.array(draw(st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3))))
    slopes = np.array(
        draw(
            st.lists(
                st.lists(st.sampled_from([0.0, 0.3, 1.0, 4.0]), min_size=4, max_size=4),
                min_size=m,
                max_size=m,
            )
        )
    )
    levels = np.array(draw(st.lists(st.floats(-0.5, 4.0), min_size=m, max_size=m)))
    return np.concatenate([[0.0], kinks, [1.0]]), slopes, levels


def _ramp(edges: np.ndarray, slopes: np.ndarray, calls: list[int]):  # type: ignore[no-untyped-def]
    def f(s: np.ndarray, rows: np.ndarray) -> np.ndarray:
        calls.append(len(s))
        width = np.clip(s[:, None] - edges[None, :-1], 0.0, np.diff(edges)[None, :])
        return np.asarray((slopes[rows] * width).sum(axis=1))

    return f


@given(ramps(), st.booleans())
def test_it_finds_what_bisection_finds(ramp: tuple, lowest: bool) -> None:  # type: ignore[type-arg]
    edges, slopes, levels = ramp
    f = _ramp(edges, slopes, [])
    rows = np.arange(len(levels))
    got = _bisect(f, levels, rows, lowest=lowest)
    want = _plain(f, levels, lowest)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got[~np.isnan(got)], want[~np.isnan(want)], rtol=0, atol=2 * _WIDTH)


def test_a_level_on_one_piece_takes_a_few_calls_not_47() -> None:
    calls: list[int] = []
    f = _ramp(np.array([0.0, 0.2, 0.6, 1.0]), np.array([[1.0, 0.0, 2.0], [3.0, 1.0, 0.5]]), calls)
    got = _bisect(f, np.array([0.5, 0.7]), np.arange(2), lowest=True)
    np.testing.assert_allclose(got, [0.75, 0.3], atol=1e-9)  # to the 1e-9 of the level
    assert len(calls) <= 8  # plain bisection to 1e-14 makes 47
