"""Which inputs drive who gains: Sobol indices, Morris screening and a one-at-a-time tornado.

The inputs and their distributions are a sweep file's ``[sweep.parameters]``; the outputs
are each party's NPV under the file's own agreement. Samples come from SALib (Saltelli's
scheme for Sobol, Morris trajectories), seeded; the model evaluates them as one batch.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output.
*Computer Physics Communications* 181(2): 259–270.
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
experiments. *Technometrics* 33(2): 161–174; Campolongo, Cariboni & Saltelli (2007),
*Environmental Modelling & Software* 22(10): 1509–1518 (μ*).
Herman, J. & Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9): 97.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.sweep.run import evaluate_agreement
from sim.sweep.spec import SweepSpec

__all__ = ["SensitivityResult", "problem", "sensitivity"]


def problem(spec: SweepSpec) -> dict[str, Any]:
    """SALib's problem dictionary for the sweep's parameters."""
    from sim.sweep.export import salib_problem

    return salib_problem(
        [
            {
                "path": p.path,
                "distribution": p.distribution.kind,
                "args": dict(p.distribution.args),
                "values": list(p.distribution.values),
            }
            for p in spec.parameters
        ]
    )


def _npv(spec: SweepSpec, x: np.ndarray) -> np.ndarray:
    """Each party's NPV under the file's agreement, resolved as ``sim run`` resolves it."""
    x = x.copy()
    for j, p in enumerate(spec.parameters):
        if p.integer:
            x[:, j] = np.round(x[:, j])
    return evaluate_agreement(spec, x)[0]


@dataclass(frozen=True)
class SensitivityResult:
    """Index tables (one row per party × parameter) and what produced them."""

    sobol: Any  # pandas DataFrame or None
    morris: Any
    tornado: Any
    base_npv: dict[str, float]
    samples: dict[str, int]
    seed: int


def sensitivity(
    spec: SweepSpec,
    *,
    methods: tuple[str, ...] = ("sobol", "morris"),
    n: int = 1024,
    levels: int = 4,
    seed: int | None = None,
) -> SensitivityResult:
    """Sobol (first and total order, with 95% confidence intervals), Morris and tornado."""
    import pandas as pd

    seed = spec.seed if seed is None else seed
    prob = problem(spec)
    parties = spec.scenario.party_ids
    medians = np.array([p.distribution.ppf(np.array([0.5]))[0] for p in spec.parameters])
    base = _npv(spec, medians[None, :])[0]
    out: dict[str, Any] = {"sobol": None, "morris": None}
    samples: dict[str, int] = {}
    if "sobol" in methods:
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
        y = _npv(spec, x)
        samples["sobol"] = len(x)
        rows = []
        for i, party in enumerate(parties):
            si = sobol_analyze.analyze(prob, y[:, i], calc_second_order=False, seed=seed)
            for j, name in enumerate(prob["names"]):
                rows.append(
                    {
                        "party": party,
                        "parameter": name,
                        "S1": si["S1"][j],
                        "S1_conf": si["S1_conf"][j],
                        "ST": si["ST"][j],
                        "ST_conf": si["ST_conf"][j],
                    }
                )
        out["sobol"] = pd.DataFrame(rows)
    if "morris" in methods:
        from SALib.analyze import morris as morris_analyze
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(prob, max(4, n // 8), num_levels=levels, seed=seed)
        y = _npv(spec, x)
        samples["morris"] = len(x)
        rows = []
        for i, party in enumerate(parties):
            mi = morris_analyze.analyze(prob, x, y[:, i], num_levels=levels, seed=seed)
            for j, name in enumerate(prob["names"]):
                rows.append(
                    {
                        "party": party,
                        "parameter": name,
                        "mu_star": mi["mu_star"][j],
                        "mu_star_conf": mi["mu_star_conf"][j],
                        "sigma": mi["sigma"][j],
                    }
                )
        out["morris"] = pd.DataFrame(rows)
    # tornado: each input at its 5% and 95% quantile, the others at their medians
    lows = np.array([p.distribution.ppf(np.array([0.05]))[0] for p in spec.parameters])
    highs = np.array([p.distribution.ppf(np.array([0.95]))[0] for p in spec.parameters])
    k = len(spec.parameters)
    grid = np.repeat(medians[None, :], 2 * k, axis=0)
    grid[np.arange(k), np.arange(k)] = lows
    grid[k + np.arange(k), np.arange(k)] = highs
    y = _npv(spec, grid)
    rows = [
        {
            "party": party,
            "parameter": name,
            "low_value": lows[j],
            "high_value": highs[j],
            "npv_low": y[j, i],
            "npv_high": y[k + j, i],
            "npv_base": base[i],
        }
        for i, party in enumerate(parties)
        for j, name in enumerate(prob["names"])
    ]
    return SensitivityResult(
        out["sobol"],
        out["morris"],
        pd.DataFrame(rows),
        {p: float(b) for p, b in zip(parties, base, strict=True)},
        samples,
        seed,
    )
