"""A sweep of the tri-city scenario with floors far above the pool: the Shapley row's
pool shares, found on the model by Newton's method, stay on the simplex.

Before the fix this sweep (20 of the scenario's keys, seed 2) crashed with
``ConservationError: rule 'fixed' allocated 1.04e16 of a pool of 0.0142``: the floors
held every party's NPV flat in the shares, the Jacobian was rounding noise and the
projected Newton step left shares that did not sum to 1 (the placeholder rule of the
Shapley row is ``fixed``; unit tests: ``tests/agreement/test_shares_newton.py``).
"""

from __future__ import annotations

import tomllib

import numpy as np

from sim.agreement import resolve
from sim.model import evaluate
from sim.sweep.designs import sample
from sim.sweep.run import agreements, apply_parameters
from sim.sweep.spec import parse_sweep

PATH = "scenarios/tri-city-formula.toml"

FRACTION, AMOUNT = (0.02, 0.08), (0.5, 1.5)
RANGES = {  # in this order: the design's columns follow it
    "horizon.discount_rate": FRACTION,
    "parties.CD.retained_share": FRACTION,
    "taxes.pit_local_share": FRACTION,
    "firms.cd-existing.output": AMOUNT,
    "firms.dy-turbines.output": AMOUNT,
    "firms.cd-existing.growth": FRACTION,
    "firms.dy-turbines.growth": FRACTION,
    "firms.cd-existing.other_local_rate": FRACTION,
    "firms.dy-turbines.other_local_rate": FRACTION,
    "land_sales.0.area_mu": AMOUNT,
    "land_sales.0.price": AMOUNT,
    "land_sales.0.cost_share": FRACTION,
    "investment.capex.2023": AMOUNT,
    "investment.capex.2024": AMOUNT,
    "investment.equity.CD": (0.1, 0.3),
    "investment.return_rate": FRACTION,
    "investment.payout_ratio": FRACTION,
    "sharing.compliance": FRACTION,
    "sharing.floors.CD": AMOUNT,  # floors of 0.5-1.5 a year against a pool of 0.001-0.07
    "sharing.floors.DY": AMOUNT,
}


def test_shapley_with_floors_above_the_pool_conserves_it() -> None:
    with open(PATH, "rb") as fh:
        data = tomllib.load(fh)
    data.pop("sweep", None)
    parameters = {k: {"dist": "uniform", "low": lo, "high": hi} for k, (lo, hi) in RANGES.items()}
    spec = parse_sweep({**data, "sweep": {"n": 8, "seed": 2, "parameters": parameters}}, PATH)
    batch, terms = apply_parameters(spec, sample(spec, 0, 8), ("shapley",))
    sc = spec.scenario
    out = resolve(sc, agreements(sc)["shapley"], batch, terms["shapley"])
    assert np.isfinite(out.shares).all() and (out.shares >= 0.0).all()
    np.testing.assert_allclose(out.shares.sum(axis=1), 1.0, rtol=0.0, atol=1e-12)
    evaluate(batch, out.terms)  # checks conservation: raises ConservationError if not
