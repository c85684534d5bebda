"""The nearest pool shares of three parties, searched on every scenario at once, are
the per-scenario SLSQP's (the route of every such row before), without SLSQP.

Shapley shares for ``tri-city-formula.toml`` with a cap of 0.05 a year (three of the
scenarios of ``benchmarks/bench_nearest.py``): the cap holds every transfer far below
what the targets ask, so Newton's method misses all three and each went to SLSQP
(0.1-2 s a scenario). Where SLSQP stopped on a kink
that is only a local minimum (the first scenario: two kinks 0.03 apart on the edge
where Deyang gets nothing), the batched search finds the nearer one.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

import sim.agreement.nearest as nearest_module
import sim.agreement.shares as shares_module
from sim.agreement import resolve
from sim.agreement.nearest import loss, simplex_lsq
from sim.model import evaluate_npv
from sim.sweep.designs import sample
from sim.sweep.run import agreements, apply_parameters
from sim.sweep.spec import parse_sweep

from ..conftest import ROOT

PARAMETERS = {
    "firms.dy-turbines.growth": {"dist": "uniform", "low": 0.0, "high": 0.1},
    "horizon.discount_rate": {"dist": "uniform", "low": 0.03, "high": 0.08},
    "sharing.compliance": {"dist": "uniform", "low": 0.5, "high": 1.0},
}


def _resolve(
    monkeypatch: pytest.MonkeyPatch, old: bool, pick: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
    """Shares, NPVs, the number of scenarios sent to SLSQP and the targets (``old``: the
    route before, every scenario Newton misses to SLSQP from the map's and Newton's
    shares)."""
    path = ROOT / "scenarios" / "tri-city-formula.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["sharing"].pop("weights")
    data["sharing"].update(rule="shapley", cap=0.05)
    pick = pick or [0, 2, 5]
    sweep = {"n": max(pick) + 1, "seed": 20261126, "parameters": PARAMETERS}
    spec = parse_sweep({**data, "sweep": sweep}, str(path))
    values = np.concatenate([sample(spec, i, i + 1) for i in pick])
    batch, terms = apply_parameters(spec, values, ("agreement",))
    calls = []
    slsqp = shares_module.least_squares

    def counted(*args: object) -> np.ndarray:
        calls.append(args[1])
        return slsqp(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(shares_module, "least_squares", counted)
    if old:
        monkeypatch.setattr(
            shares_module, "nearest", lambda f, rows, t, starts: (starts[-1], rows >= 0)
        )
    out = resolve(spec.scenario, agreements(spec.scenario)["agreement"], batch, terms["agreement"])
    monkeypatch.undo()
    return out.shares, evaluate_npv(batch, out.terms).npv, len(calls), out.target


def test_batched_nearest_shares_are_slsqps_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    old_shares, old_npv, old_calls, target = _resolve(monkeypatch, old=True)
    new_shares, new_npv, new_calls, _ = _resolve(monkeypatch, old=False)
    assert (old_calls, new_calls) == (3, 0)
    scale = np.abs(old_npv).max()
    np.testing.assert_allclose(new_shares[1:], old_shares[1:], rtol=0, atol=1e-8)
    np.testing.assert_allclose(new_npv[1:], old_npv[1:], rtol=0, atol=1e-9 * scale)
    # the first: SLSQP stopped on a kink that is a local minimum; the search finds a nearer one
    assert np.abs(new_shares[0] - old_shares[0]).max() > 0.02
    assert loss(new_npv[:1], target[:1])[0] < loss(old_npv[:1], target[:1])[0] - 1e-6


def test_least_squares_on_the_simplex_takes_the_best_face() -> None:
    # NPV = a y + b: the nearest point of the target's shares (1.2, -0.1, -0.1) on the
    # simplex, with a map that weighs the second party ten times: a vertex; and a map
    # flat in one direction (every party topped up to its floor but one)
    a = np.stack([np.diag([1.0, 10.0, 1.0]), np.diag([1.0, 0.0, 0.0])])
    b = -np.array([[1.2, -1.0, -0.1], [0.4, 0.0, 0.0]])
    y = simplex_lsq(a, b)
    np.testing.assert_allclose(y[0], [1.0, 0.0, 0.0], atol=1e-12)
    assert y[1, 0] == pytest.approx(0.4) and y[1].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("polish", [True, False])
def test_rows_the_check_finds_unsettled_are_finished_without_slsqp(
    monkeypatch: pytest.MonkeyPatch, polish: bool
) -> None:
    """Two of 2,048 such scenarios where Gauss-Newton crept along a kink and the edges'
    search stopped at another local minimum, 1e-5 of a share from the nearest shares:
    the compass search finishes them; without it they went to SLSQP."""
    if not polish:
        monkeypatch.setattr(nearest_module, "_polish", lambda f, s, value, t, rows: (s, value))
    shares, npv, calls, target = _resolve(monkeypatch, old=False, pick=[837, 869])
    assert calls == (0 if polish else 2)
    if polish:  # SLSQP from the map's shares and from these finds nothing nearer
        old_shares, old_npv, _, _ = _resolve(monkeypatch, old=True, pick=[837, 869])
        assert (loss(npv, target) <= loss(old_npv, target) + 1e-15).all()
        np.testing.assert_allclose(shares, old_shares, rtol=0, atol=1e-8)
