"""A party's default for its firms' clause inputs (``parties.<party>.rebate_share``) is
sweepable: the sweep sets it on each firm of the party that does not write its own,
as the file with the value written in does; a firm's own value swept beside it wins."""

from __future__ import annotations

import tomllib
from typing import Any

import numpy as np

from sim.compare import AGREEMENT_LABEL
from sim.model import batch_from_scenario, evaluate
from sim.scenario import parse
from sim.sweep.run import apply_parameters
from sim.sweep.spec import parse_sweep

from ..conftest import ROOT

INCENTIVES = ROOT / "scenarios" / "joint-promotion-incentives.toml"


def _swept(data: dict[str, Any], values: dict[str, float]) -> Any:
    parameters = {path: [x] for path, x in values.items()}
    spec = parse_sweep({**data, "sweep": {"design": "grid", "parameters": parameters}}, "t")
    return apply_parameters(spec, np.array([list(values.values())]), (AGREEMENT_LABEL,))


def test_a_partys_default_rebate_sweeps_as_written_in_the_file() -> None:
    data = tomllib.loads(INCENTIVES.read_text(encoding="utf-8"))
    batch, terms = _swept(data, {"parties.SC.rebate_share": 0.1, "parties.SC.rebate_years": 8})
    data["parties"][0] |= {"rebate_share": 0.1, "rebate_years": 8}
    written = batch_from_scenario(parse(data))
    for name in ("rebate_share", "rebate_years"):
        np.testing.assert_array_equal(batch.firms[name], written.firms[name])
    # machinery writes its own (0): untouched; the hub takes SC's new default
    assert batch.firms["rebate_share"][0].tolist() == [0.0, 0.0, 0.5, 0.1]
    npv = evaluate(batch, terms[AGREEMENT_LABEL]).npv
    np.testing.assert_allclose(npv, evaluate(written, terms[AGREEMENT_LABEL]).npv, rtol=1e-12)


def test_a_firms_own_value_swept_beside_its_partys_default_wins() -> None:
    data = tomllib.loads(INCENTIVES.read_text(encoding="utf-8"))
    values = {"firms.logistics-hub.rebate_share": 0.2, "parties.SC.rebate_share": 0.1}
    batch, _ = _swept(data, values)
    assert batch.firms["rebate_share"][0].tolist() == [0.0, 0.0, 0.5, 0.2]


def test_a_sweep_of_a_partys_default_starts_from_the_default_written() -> None:
    from sim.schema import bind
    from sim.sweep.run import base_value

    sc = parse(tomllib.loads(INCENTIVES.read_text(encoding="utf-8")))
    paths = ("parties.SC.rebate_share", "parties.SC.rebate_years", "parties.CQ.rebate_share")
    assert [base_value(bind(p, sc), sc) for p in paths] == [0.3, 5.0, 0.0]
