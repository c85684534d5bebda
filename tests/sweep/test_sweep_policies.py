"""Named fiscal policies in a sweep: ``[[sweep.policies]]`` and the ``policy`` choice
parameter, checked, applied scenario by scenario, and named in the summary."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w

from sim.agreement import run
from sim.errors import SweepError
from sim.scenario import loads
from sim.sweep.execute import run_sweep
from sim.sweep.run import evaluate_agreement
from sim.sweep.spec import parse_sweep
from sim.sweep.summary import render_summary, summarize

from ..scenario.test_schedules import TWO_FIRMS, VAT

BASE = TWO_FIRMS.replace(VAT, "0.5")
STEP = {"from": {"2025": 0.5, "2027": 0.45}}
SWEEP: dict[str, Any] = {
    "design": "montecarlo",
    "n": 64,
    "seed": 3,
    "rules": ["agreement", "source"],
    "standalone": False,
    "parameters": {
        "policy": {"dist": "choice", "values": ["as now", "VAT 45% from 2027"]},
        "horizon.discount_rate": {"dist": "uniform", "low": 0.03, "high": 0.08},
    },
    "policies": [
        {"name": "as now", "name_zh": "现行政策"},
        {
            "name": "VAT 45% from 2027",
            "name_zh": "2027 年起增值税地方分享 45%",
            "set": {"taxes.vat_local_share": STEP, "parties.CQ.retained_share": 0.7},
        },
    ],
}


def _spec(sweep: dict[str, Any], tmp_path: Path) -> Any:
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    return parse_sweep({"sweep": {"base": "base.toml", **sweep}}, str(tmp_path / "s.toml"))


def test_each_scenario_runs_under_its_named_policy(tmp_path: Path) -> None:
    spec = _spec(SWEEP, tmp_path)
    values = np.array([[0.0, 0.05], [1.0, 0.05]])
    npv, _ = evaluate_agreement(spec, values)
    as_now = run(loads(BASE))
    stepped = loads(
        BASE.replace("vat_local_share = 0.5", "vat_local_share = " + VAT).replace(
            "retained_share = 0.6", "retained_share = 0.7"
        )
    )
    np.testing.assert_allclose(npv[0], as_now.npv[0], rtol=1e-12)
    np.testing.assert_allclose(npv[1], run(stepped).npv[0], rtol=1e-12)
    assert not np.allclose(npv[0], npv[1])


def test_a_policy_over_a_swept_local_share_of_another_tax_keeps_both(tmp_path: Path) -> None:
    sweep = copy.deepcopy(SWEEP)
    sweep["parameters"]["taxes.cit_local_share"] = {"dist": "uniform", "low": 0.3, "high": 0.5}
    spec = _spec(sweep, tmp_path)
    npv, _ = evaluate_agreement(spec, np.array([[1.0, 0.05, 0.3]]))
    both = BASE.replace("vat_local_share = 0.5", "vat_local_share = " + VAT)
    both = both.replace("cit_local_share = 0.4", "cit_local_share = 0.3")
    both = both.replace("retained_share = 0.6", "retained_share = 0.7")
    np.testing.assert_allclose(npv[0], run(loads(both)).npv[0], rtol=1e-12)


def _problems(sweep: dict[str, Any], tmp_path: Path) -> dict[str, str]:
    with pytest.raises(SweepError) as caught:
        _spec(sweep, tmp_path)
    return {p.path: str(p.reason) for p in caught.value.problems}


def test_wrong_policies_are_named_by_their_key_paths(tmp_path: Path) -> None:
    sweep = copy.deepcopy(SWEEP)
    sweep["parameters"]["policy"]["values"] = ["as now", "as then"]
    assert "unknown policy 'as then'" in _problems(sweep, tmp_path)["sweep.parameters.policy"]
    sweep = copy.deepcopy(SWEEP)
    sweep["policies"][1]["set"] = {
        "firms.a.growth": 0.1,
        "taxes.vat_local_share": {"from": {"2026": 0.5}},
        "parties.XX.retained_share": 0.5,
    }
    problems = _problems(sweep, tmp_path)
    assert "not a fiscal parameter" in problems["sweep.policies[1].set.firms.a.growth"]
    assert "2025 = …" in problems["sweep.policies[1].set.taxes.vat_local_share.from"]
    assert "unknown party 'XX'" in problems["sweep.policies[1].set.parties.XX.retained_share"]
    sweep = copy.deepcopy(SWEEP)
    sweep["parameters"]["taxes.vat_local_share"] = [0.4, 0.5]
    problems = _problems(sweep, tmp_path)
    assert "also a swept parameter" in problems["sweep.policies[1].set.taxes.vat_local_share"]
    sweep = copy.deepcopy(SWEEP)
    del sweep["parameters"]["policy"]
    assert "policy = " in _problems(sweep, tmp_path)["sweep.policies"]
    sweep = copy.deepcopy(SWEEP)
    del sweep["policies"]
    assert "[[sweep.policies]]" in _problems(sweep, tmp_path)["sweep.parameters.policy"]
    sweep = copy.deepcopy(SWEEP)
    sweep["policies"][1]["name"] = "as now"
    assert "duplicate" in _problems(sweep, tmp_path)["sweep.policies[1].name"]


def test_a_grid_of_policies_and_the_summary_names_each(tmp_path: Path) -> None:
    sweep = copy.deepcopy(SWEEP)
    sweep.update(design="grid", parameters={"policy": ["as now", "VAT 45% from 2027"]})
    del sweep["n"]
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        tomli_w.dumps({"sweep": {"base": "base.toml", **sweep}}), encoding="utf-8"
    )
    run_sweep(tmp_path / "s.toml", tmp_path / "out")
    doc = summarize(tmp_path / "out")
    assert list(doc["policies"]) == ["as now", "VAT 45% from 2027"]
    npv, _ = evaluate_agreement(_spec(sweep, tmp_path), np.array([[0.0], [1.0]]))
    for k, name in enumerate(doc["policies"]):
        party = doc["policies"][name]["agreement"]["parties"]["CQ"]
        assert party["npv_p50"] == pytest.approx(npv[k, 1], rel=1e-12)
    text = render_summary(doc)
    assert "By fiscal policy:" in text and "VAT 45% from 2027" in text
    assert "2027 年起增值税地方分享 45%" in render_summary(doc, "zh")
