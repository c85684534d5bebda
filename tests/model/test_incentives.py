"""The incentives clause (税收奖补): firms' tax rebates, who bears them, on every surface.

The shipped scenario scenarios/joint-promotion-incentives.toml rebates half the tax CQ
keeps of its battery plant for three years and, by SC's default, 30% of the tax SC keeps
of its logistics hub for five; the agreement has the tax pool's shares (50:50) bear them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import sim
from sim._reference import run_scalar
from sim.agreement import decompose, resolve
from sim.cli import main
from sim.errors import ConservationError
from sim.model import check_conservation, evaluate

from ..conftest import ROOT

SCENARIO = ROOT / "scenarios" / "joint-promotion-incentives.toml"
PARK = ROOT / "scenarios" / "co-built-park.toml"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _result(path: Path = SCENARIO, label: str = "agreement") -> tuple[sim.Scenario, sim.Result]:
    sc = sim.load_scenario(path)
    sharing = (
        sc.sharing if label == "agreement" else next(s for s in sc.compare if s.label == label)
    )
    batch = sim.batch_from_scenario(sc)
    return sc, evaluate(batch, resolve(sc, sharing, batch).terms)


def test_a_rebate_in_one_year_by_hand() -> None:
    # the battery plant (CQ, first year 2023, ramp 3 years) in 2023, its first year:
    output = 60.0 * 1.08**0 * min(1.0, 1 / 3)  # = 20
    vat = output * 0.25 * 0.13  # value added × VAT rate = 0.65
    cit = output * 0.06 * 0.15  # profit × CIT rate = 0.18
    pit = output * 0.08 * 0.03  # wages × PIT rate = 0.048
    local = 0.5 * vat + 0.4 * cit + 0.4 * pit + 0.12 * vat + 0.005 * output  # = 0.5942
    retained = 0.85 * local  # CQ keeps 85% of its local tax: 0.50507
    rebate = 0.5 * retained  # half of it, in each of its first three years: 0.252535
    assert rebate == pytest.approx(0.252535, abs=1e-12)
    sc, r = _result()
    t = 2023 - sc.start_year
    sc_i, cq = sc.party_index("SC"), sc.party_index("CQ")
    # the logistics hub starts in 2024: in 2023 the plant's rebate is all there is; CQ
    # pays it (where it arises) and the pool's shares have each party bear half
    assert r.source_further["incentives"][0, cq, t] == pytest.approx(-rebate, abs=1e-12)
    assert r.source_further["incentives"][0, sc_i, t] == 0.0
    assert r.further["incentives"][0, :, t] == pytest.approx([-rebate / 2, -rebate / 2], abs=1e-12)
    # after its third year the plant gets nothing; the hub's five years end in 2028
    assert r.source_further["incentives"][0, cq, 2026 - sc.start_year] == 0.0
    assert r.source_further["incentives"][0, sc_i, 2028 - sc.start_year] < 0.0
    assert np.all(r.source_further["incentives"][0, :, 2029 - sc.start_year :] == 0.0)


def test_rebates_are_conserved_and_enter_net_benefit() -> None:
    sc, r = _result()
    paid = r.source_further["incentives"].sum(axis=1)
    borne = r.further["incentives"].sum(axis=1)
    np.testing.assert_allclose(borne, paid, rtol=1e-12, atol=1e-12)
    assert paid.sum() < 0  # there are rebates
    net = r.tax + r.land + r.dividends + r.investment + r.further["incentives"]
    np.testing.assert_allclose(r.net, net, rtol=1e-12)
    check_conservation(r, sim.batch_from_scenario(sc))
    # a party bearing more than was rebated is caught by the model's own checks
    wrong = replace(r, further={"incentives": r.further["incentives"] * 1.01})
    with pytest.raises(ConservationError, match="incentives"):
        check_conservation(wrong, sim.batch_from_scenario(sc))


@pytest.mark.parametrize("label", ["agreement", "Rebates paid by the collecting party"])
def test_the_model_agrees_with_the_reference_loop(label: str) -> None:
    sc, r = _result(label=label)
    sharing = sc.sharing if label == "agreement" else sc.compare[0]
    ref = run_scalar(sc, sharing)
    for i, p in enumerate(sc.party_ids):
        np.testing.assert_allclose(r.stream("incentives")[0, i], ref[p]["incentives"], atol=1e-12)
        np.testing.assert_allclose(r.npv[0, i], ref[p]["npv"][0], rtol=1e-12)


def test_without_incentives_nothing_changes() -> None:
    # the same park without any rebate: no stream, and the park's numbers exactly
    _, park = _result(PARK)
    assert park.further == {} and "incentives" not in park.streams
    sc = sim.load_scenario(SCENARIO)
    none = replace(
        sc,
        parties=tuple(replace(p, inputs={}) for p in sc.parties),
        firms=tuple(replace(f, inputs={}) for f in sc.firms),
    )
    batch = sim.batch_from_scenario(none)
    r = evaluate(batch, resolve(none, none.sharing, batch).terms)
    np.testing.assert_array_equal(r.npv, park.npv)


def test_who_bears_the_rebates_is_a_feature_of_the_agreement() -> None:
    sc = sim.load_scenario(SCENARIO)
    batch = sim.batch_from_scenario(sc)
    outcome = resolve(sc, sc.sharing, batch)
    d = decompose(batch, outcome)
    assert d.features == ("tax", "incentives")
    _, own = _result()
    _, at_source = _result(label="Rebates paid by the collecting party")
    # with no interaction, the incentives part is what the clause moves: the rebates'
    # present value shifted from where they arise to the pool's shares
    moved = own.npv - at_source.npv
    np.testing.assert_allclose(d.parts[0, 1], moved[0], atol=1e-9)
    np.testing.assert_allclose(d.parts[0].sum(axis=0), d.gain[0], atol=1e-9)


def test_run_compare_sweep_and_report_in_both_languages(
    tmp_path: Path, blank_pictures: None
) -> None:
    run = json.loads(_invoke("run", str(SCENARIO), "--format", "json"))
    flows = run["flows"]["CQ"]
    assert min(flows["incentives"]) < 0
    assert "incentives" in _invoke("run", str(SCENARIO))
    zh = _invoke("run", str(SCENARIO), "--lang", "zh")
    assert "税收奖补" in zh and "incentives" not in zh.split("]", 1)[1]
    compare = _invoke("compare", str(SCENARIO), "--explain", "--lang", "zh")
    assert "税收奖补" in compare
    # a sweep over the plant's rebate share: the collecting party's NPV falls with it
    spec = tmp_path / "sweep.toml"
    spec.write_text(
        f'[sweep]\nbase = "{SCENARIO.as_posix()}"\ndesign = "grid"\n'
        '[sweep.parameters]\n"firms.battery-plant.rebate_share" = [0.0, 0.5, 1.0]\n',
        encoding="utf-8",
    )
    out = tmp_path / "sweep"
    text = _invoke("sweep", str(spec), "--out", str(out), "--lang", "zh")
    assert "税收奖补" in text
    import pandas as pd

    frame = pd.read_parquet(out / "parts")
    source = frame[frame.rule == "source"].sort_values("firms.battery-plant.rebate_share")
    assert len(source) == 3 and np.all(np.diff(source["npv.CQ"].to_numpy()) < 0)
    assert "decomposition.incentives.SC" in frame
    report = tmp_path / "report"
    _invoke("report", str(SCENARIO), "--lang", "zh", "--out", str(report))
    assert "税收奖补" in (report / "report.html").read_text(encoding="utf-8")


def test_a_rebate_share_out_of_bounds_is_refused_with_its_key() -> None:
    text = SCENARIO.read_text(encoding="utf-8").replace(
        "rebate_share = 0.5 ", "rebate_share = 1.5 ", 1
    )
    with pytest.raises(sim.ScenarioError, match=r"firms\.battery-plant\.rebate_share"):
        sim.loads_scenario(text)


@pytest.mark.parametrize(("rule", "basis"), [("shapley", "tax"), ("formula", "equity")])
def test_every_entry_point_gives_one_answer(rule: str, basis: str, tmp_path: Path) -> None:
    # run, compare, sweep, sensitivity and report agree with rebates borne by the pool's
    # shares (a fair-division rule: the share map carries them) or by equity
    import tomllib

    import tomli_w

    from ..test_consistency import _agree, _everywhere, _rule_table

    data = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))
    for key in ("shares", "weights", "share"):
        data["sharing"].pop(key, None)
    data["sharing"].update(_rule_table(rule, ["SC", "CQ"]), incentives=basis)
    path = tmp_path / "scenario.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    found = _everywhere(path, tmp_path)
    assert found["run"] is not None
    _agree(found)
