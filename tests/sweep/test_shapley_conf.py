"""Bootstrap confidence intervals of Shapley effects: seeded, reproducible, narrowing
with more samples, covering the known effects of linear Gaussian models."""

from __future__ import annotations

import numpy as np
import pytest

from sim.sensitivity import shapley_effects, shapley_effects_conf

BETA = np.array([1.0, 2.0, 3.0])


def linear(z: np.ndarray) -> np.ndarray:
    return z @ BETA[:, None]


def test_linear_independent_effects_are_covered() -> None:
    # published: Owen (2014), SIAM/ASA JUQ 2(1), §3: with independent inputs each Shapley
    # effect lies between the first-order and total Sobol indices, which for an additive
    # model are equal: Y = Σ β_j X_j, X_j ~ N(0, 1) gives Sh_j = β_j² / Σ β² = 1/14, 4/14, 9/14
    exact = BETA**2 / (BETA**2).sum()
    found = shapley_effects_conf(linear, np.eye(3), n_var=8000, n_outer=2000, seed=5)
    sh, conf = found.effects[:, 0], found.conf[:, 0]
    assert (conf > 0).all() and (conf < 0.1).all()
    assert (np.abs(sh - exact) <= conf).all(), (sh, conf, exact)


def test_intervals_cover_the_truth_about_95_percent_of_the_time() -> None:
    # published: Iooss & Prieur (2019), IJUQ 9(5), §3.1: Y = X1 + X2 + X3, X1 independent
    # of (X2, X3) with correlation ρ = 0.5, sd (1, 1, 2); their closed form, over Var(Y):
    # Sh2 = σ2²(1 − ρ²/2) + ρ²σ3²/2 + ρσ2σ3, Sh3 symmetrically, Sh1 = σ1²
    rho, sd = 0.5, np.array([1.0, 1.0, 2.0])
    corr = np.array([[1, 0, 0], [0, 1, rho], [0, rho, 1.0]])
    var = (sd**2).sum() + 2 * rho * sd[1] * sd[2]
    b = sd
    exact = (
        np.array(
            [
                b[0] ** 2,
                b[1] ** 2 * (1 - rho**2 / 2) + rho**2 * b[2] ** 2 / 2 + rho * b[1] * b[2],
                b[2] ** 2 * (1 - rho**2 / 2) + rho**2 * b[1] ** 2 / 2 + rho * b[1] * b[2],
            ]
        )
        / var
    )
    covered = []
    for seed in range(40):
        found = shapley_effects_conf(
            lambda z: (z * sd).sum(axis=1, keepdims=True), corr, n_var=800, n_outer=200, seed=seed
        )
        covered += list(np.abs(found.effects[:, 0] - exact) <= found.conf[:, 0])
    assert 0.85 <= np.mean(covered) <= 1.0, np.mean(covered)  # 120 intervals


def test_same_seed_same_intervals_and_the_estimate_is_unchanged() -> None:
    corr = np.array([[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1.0]])
    one = shapley_effects_conf(linear, corr, n_var=400, n_outer=100, seed=9)
    two = shapley_effects_conf(linear, corr, n_var=400, n_outer=100, seed=9)
    other = shapley_effects_conf(linear, corr, n_var=400, n_outer=100, seed=10)
    assert np.array_equal(one.conf, two.conf) and np.array_equal(one.effects, two.effects)
    assert not np.array_equal(one.conf, other.conf)
    # the bootstrap draws from its own stream: the point estimate is the one without it
    effects, var = shapley_effects(linear, corr, n_var=400, n_outer=100, seed=9)
    assert np.array_equal(effects, one.effects) and np.array_equal(var, one.variance)


def test_intervals_narrow_with_more_samples() -> None:
    def width(n: int) -> np.ndarray:
        found = shapley_effects_conf(linear, np.eye(3), n_var=4 * n, n_outer=n, seed=1)
        return np.asarray(found.conf[:, 0])

    small, large = width(250), width(4000)
    # 16 times the samples: about a quarter of the width (1/√16)
    assert (large < 0.5 * small).all(), (small, large)
    assert large.mean() / small.mean() == pytest.approx(0.25, abs=0.1)


def test_a_constant_output_has_zero_effects_and_zero_intervals() -> None:
    found = shapley_effects_conf(
        lambda z: np.zeros((len(z), 1)), np.eye(2), n_var=100, n_outer=50, seed=0
    )
    assert not found.effects.any() and not found.conf.any()
