"""Newton's method for three or more parties with floors keeps the shares on the simplex.

Where floors far above the pool top every party up whatever its share, the NPV hardly
moves with the shares: the Jacobian is rounding noise and the Newton step it gives is
huge. Projected onto the simplex, such a step left shares summing to 3.4e17, and the
placeholder rule ``fixed`` then allocated 4.02e14 of a pool of 0.00117 (a sweep of
every key of ``scenarios/tri-city-formula.toml``, the Shapley row).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.agreement.shares import _newton, _with_floors

BASE = np.array([[5.0, 4.0, 3.0], [2.0, 2.0, 2.0]])
"""NPV per party with none of the pool, two scenarios."""


def _flat(slope: float):
    """The model's NPV with pool shares ``s``, moving by ``slope`` per unit of share
    (almost nothing: every party is held at its floor). Like the rule ``fixed`` it
    refuses shares that do not sum to 1 (up to the finite differences' steps)."""

    def npv_at(s: np.ndarray, rows: np.ndarray) -> np.ndarray:
        assert np.allclose(s.sum(axis=1), 1.0, rtol=0.0, atol=1e-6), s
        return BASE[rows] + slope * s

    return npv_at


def _on_simplex(s: np.ndarray) -> None:
    assert np.isfinite(s).all()
    assert (s >= 0.0).all() and (s <= 1.0).all()
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=0.0, atol=1e-12)


def _out_of_reach(far: float) -> np.ndarray:
    """Targets the flat map cannot deliver, ``far`` from what it gives."""
    return BASE + np.array([[far, -2.0 * far, far], [3.0, -1.0, -2.0]])


@pytest.mark.parametrize(("slope", "far"), [(1e-8, 1e9), (1e-8, 1e3), (1e-6, 1e9), (0.0, 1.0)])
def test_newton_on_a_flat_map_stays_on_the_simplex(slope: float, far: float) -> None:
    start = np.full((2, 3), 1.0 / 3.0)
    _on_simplex(_newton(_flat(slope), start, _out_of_reach(far), np.arange(2)))


def test_floors_refinement_gives_shares_that_sum_to_one() -> None:
    """What :func:`sim.agreement.shares.deliver` runs with floors: the shares it gives
    are the placeholder rule's, which must sum to 1 for the pool to be conserved."""
    start = np.full((2, 3), 1.0 / 3.0)
    shares, npv = _with_floors(_flat(1e-8), start, _out_of_reach(1e9))
    _on_simplex(shares)
    np.testing.assert_allclose(npv, BASE + 1e-8 * shares)


def test_a_reachable_target_is_still_reached() -> None:
    """Steps shorter than the simplex is wide are taken whole: Newton still converges."""
    rows = np.arange(2)
    want = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])
    target = BASE + 10.0 * want
    found = _newton(_flat(10.0), np.full((2, 3), 1.0 / 3.0), target, rows)
    np.testing.assert_allclose(found, want, atol=1e-9)
