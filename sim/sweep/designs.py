"""Sample designs: the parameter values of scenarios ``start … stop − 1`` of a sweep.

Every design gives scenario ``i`` the same values however the sweep is cut into
chunks, on any worker:

- ``montecarlo``: independent uniforms, drawn in fixed blocks of :data:`BLOCK`
  scenarios, block ``k`` from ``SeedSequence(seed, spawn_key=(k,))``;
- ``lhs``: a Latin hypercube over all ``n`` scenarios (scipy.stats.qmc), built once
  from the seed (it holds ``n × d`` numbers);
- ``sobol``: a scrambled Sobol sequence (scipy.stats.qmc), fast-forwarded to ``start``;
- ``grid``: the full factorial of the value lists, in row-major order (the last
  parameter varies fastest).

Uniforms become values through each distribution's inverse CDF; correlations, when
given, go through a Gaussian copula (uniforms → normal scores → correlated by the
Cholesky factor → uniforms), which keeps each parameter's distribution.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np

from sim.sweep.spec import SweepSpec

__all__ = ["BLOCK", "sample", "unit_sample", "values_at"]

BLOCK = 8192
_EPS = 1e-12


def _mc(seed: int, d: int, start: int, stop: int) -> np.ndarray:
    out = np.empty((stop - start, d))
    for block in range(start // BLOCK, (stop - 1) // BLOCK + 1):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        u = rng.random((BLOCK, d))
        lo, hi = block * BLOCK, (block + 1) * BLOCK
        a, b = max(lo, start), min(hi, stop)
        out[a - start : b - start] = u[a - lo : b - lo]
    return out


@lru_cache(maxsize=4)
def _lhs(seed: int, d: int, n: int) -> np.ndarray:
    from scipy.stats import qmc

    return np.asarray(qmc.LatinHypercube(d, seed=np.random.default_rng(seed)).random(n))


def unit_sample(spec: SweepSpec, start: int, stop: int) -> np.ndarray:
    """``(stop − start, d)`` points of the unit hypercube for scenarios start … stop − 1."""
    d = len(spec.parameters)
    if spec.design == "montecarlo":
        u = _mc(spec.seed, d, start, stop)
    elif spec.design == "lhs":
        u = _lhs(spec.seed, d, spec.n)[start:stop]
    elif spec.design == "sobol":
        from scipy.stats import qmc

        engine = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(spec.seed))
        if start:  # scipy refuses to fast-forward by 0
            engine.fast_forward(start)
        with warnings.catch_warnings():  # n is a power of 2; a chunk, a slice of it, need not be
            warnings.filterwarnings("ignore", "The balance properties of Sobol", UserWarning)
            u = engine.random(stop - start)
    else:
        raise ValueError("a grid has no unit sample")
    if spec.correlation is not None:
        from scipy.stats import norm

        chol = np.linalg.cholesky(spec.correlation)
        z = norm.ppf(np.clip(u, _EPS, 1 - _EPS)) @ chol.T
        u = norm.cdf(z)
    return np.asarray(np.clip(u, _EPS, 1 - _EPS))


def sample(spec: SweepSpec, start: int, stop: int) -> np.ndarray:
    """``(stop − start, d)`` parameter values of scenarios start … stop − 1."""
    params = spec.parameters
    if spec.design == "grid":
        sizes = [len(p.distribution.values) for p in params]
        idx = np.arange(start, stop)
        out = np.empty((stop - start, len(params)))
        for j in range(len(params) - 1, -1, -1):
            out[:, j] = np.asarray(params[j].distribution.values)[idx % sizes[j]]
            idx //= sizes[j]
        return out
    return _values(spec, unit_sample(spec, start, stop))  # clipped already


def values_at(spec: SweepSpec, u: np.ndarray) -> np.ndarray:
    """``(m, d)`` parameter values at quantiles ``u`` ``(m, d)`` of each declared
    distribution (choice weights included; whole numbers rounded)."""
    return _values(spec, np.clip(u, _EPS, 1 - _EPS))


def _values(spec: SweepSpec, u: np.ndarray) -> np.ndarray:
    """:func:`values_at` of quantiles already within ``[ε, 1 − ε]``."""
    values = np.empty(u.shape)
    for j, p in enumerate(spec.parameters):
        values[:, j] = p.distribution.ppf(np.ascontiguousarray(u[:, j]))
        if p.integer:
            values[:, j] = np.round(values[:, j])
    return values
