"""Fiscal-policy schedules: a fiscal parameter given by year in a scenario file
(``{ from = { 2021 = 0.5, 2027 = 0.45 } }``), in the model, the reference loop and
back to TOML."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim._reference import run_scalar
from sim.agreement import run
from sim.agreement.terms import written_terms
from sim.errors import ScenarioError
from sim.model import (
    SHARED_FROM,
    STREAMS,
    batch_from_scenario,
    evaluate,
    evaluate_npv,
    present_values,
)
from sim.scenario import loads, parse
from sim.scenario_toml import dumps

from ..strategies import scenario_data

TWO_FIRMS = """
[meta]
name = "two-firms"
[horizon]
start_year = 2025
years = 4
discount_rate = 0.05
[[parties]]
id = "SC"
retained_share = 0.8
[[parties]]
id = "CQ"
retained_share = 0.6
[taxes]
vat_local_share = { from = { 2025 = 0.5, 2027 = 0.45 } }
cit_local_share = 0.4
pit_local_share = 0.4
[[firms]]
id = "a"
party = "SC"
first_year = 2025
output = 100.0
value_added_ratio = 0.3
vat_rate = 0.13
profit_margin = 0.1
cit_rate = 0.25
wage_ratio = 0.1
pit_rate = 0.03
surcharge_rate = 0.12
other_local_rate = 0.0
[[firms]]
id = "b"
party = "CQ"
first_year = 2025
output = 50.0
growth = 0.1
value_added_ratio = 0.2
vat_rate = 0.13
profit_margin = 0.05
cit_rate = 0.15
wage_ratio = 0.08
pit_rate = 0.03
surcharge_rate = 0.12
other_local_rate = 0.0
[sharing]
rule = "fixed"
shares = { SC = 0.5, CQ = 0.5 }
"""

VAT = "{ from = { 2025 = 0.5, 2027 = 0.45 } }"
YUAN = 1e-8  # one yuan in 100m CNY


def test_two_firms_local_vat_steps_from_half_to_045_in_2027() -> None:
    sc = loads(TWO_FIRMS)
    r = run(sc)
    # firm a (SC): output 100 each year; firm b (CQ): 50 growing 10% a year
    out_a = {2026: 100.0, 2027: 100.0}
    out_b = {2026: 50.0 * 1.1, 2027: 50.0 * 1.1 * 1.1}
    vat_share = {2026: 0.5, 2027: 0.45}
    for year in (2026, 2027):
        t = year - 2025
        vat_a, vat_b = out_a[year] * 0.3 * 0.13, out_b[year] * 0.2 * 0.13
        local_a = (
            vat_a * vat_share[year]
            + out_a[year] * 0.1 * 0.25 * 0.4
            + out_a[year] * 0.1 * 0.03 * 0.4
            + vat_a * 0.12
        )
        local_b = (
            vat_b * vat_share[year]
            + out_b[year] * 0.05 * 0.15 * 0.4
            + out_b[year] * 0.08 * 0.03 * 0.4
            + vat_b * 0.12
        )
        kept = {"SC": local_a * 0.8, "CQ": local_b * 0.6}
        upper = {"SC": local_a * 0.2, "CQ": local_b * 0.4}
        for i, p in enumerate(("SC", "CQ")):
            assert abs(r.source_tax[0, i, t] - kept[p]) < YUAN
            assert abs(r.upper_tier[0, i, t] - upper[p]) < YUAN
            # fixed 50:50 of the pool of all retained tax
            assert abs(r.tax[0, i, t] - 0.5 * (kept["SC"] + kept["CQ"])) < YUAN
        vat = vat_a + vat_b
        assert abs(r.central[0, t] - (vat * (1 - vat_share[year]) + (
            out_a[year] * (0.1 * 0.25 + 0.1 * 0.03) + out_b[year] * (0.05 * 0.15 + 0.08 * 0.03)
        ) * 0.6)) < YUAN  # fmt: skip
    # docs/reference/keys.md's worked example: what SC keeps of firm a
    assert abs(r.source_tax[0, 0, 1] - 2.8304) < YUAN
    assert abs(r.source_tax[0, 0, 2] - 2.6744) < YUAN
    # the step is what moves local VAT: 2027 less 2026 of firm a, at the same output
    assert r.source_tax[0, 0, 2] - r.source_tax[0, 0, 1] == pytest.approx(
        -100.0 * 0.3 * 0.13 * 0.05 * 0.8, abs=YUAN
    )


def test_a_plain_number_means_every_year() -> None:
    one = loads(TWO_FIRMS.replace("{ from = { 2025 = 0.5, 2027 = 0.45 } }", "0.5"))
    steps = loads(
        TWO_FIRMS.replace("{ from = { 2025 = 0.5, 2027 = 0.45 } }", "{ from = { 2025 = 0.5 } }")
    )
    assert not one.schedules
    a, b = run(one), run(steps)
    np.testing.assert_array_equal(a.source_tax, b.source_tax)
    np.testing.assert_array_equal(a.tax, b.tax)


@pytest.mark.parametrize(
    ("written", "path", "words"),
    [
        ("{ from = { 2026 = 0.5 } }", "taxes.vat_local_share.from", "the horizon's first year"),
        ("{ from = { 2025 = 1.5 } }", "taxes.vat_local_share.from.2025", "must be in [0, 1]"),
        ("{ from = { 2025 = 0.5, 2040 = 0.4 } }", "taxes.vat_local_share.from.2040", "after"),
        ('{ from = { 2025 = 0.5, "soon" = 0.4 } }', "taxes.vat_local_share.from.soon", "year"),
        ("{ from = { 2025 = 0.5 }, to = 2030 }", "taxes.vat_local_share.to", "unknown key"),
        ("{ from = 0.5 }", "taxes.vat_local_share.from", "a schedule by year"),
        ("{ from = {} }", "taxes.vat_local_share.from", "at least one year"),
    ],
)
def test_a_wrong_schedule_is_named_by_its_key_path(written: str, path: str, words: str) -> None:
    text = TWO_FIRMS.replace(VAT, written)
    with pytest.raises(ScenarioError) as caught:
        loads(text)
    problems = {p.path: str(p.reason) for p in caught.value.problems}
    assert path in problems, problems
    assert words in problems[path]


def test_party_and_surcharge_schedules_and_toml_round_trip() -> None:
    text = TWO_FIRMS.replace(
        "retained_share = 0.6", "retained_share = { from = { 2020 = 0.6, 2028 = 0.7 } }"
    ).replace(
        "surcharge_rate = 0.12\nother_local_rate = 0.0\n[sharing]",
        "surcharge_rate = { from = { 2025 = 0.12, 2026 = 0.1 } }\n"
        "other_local_rate = 0.0\n[sharing]",
    )
    sc = loads(text)
    assert set(sc.schedules) == {
        "taxes.vat_local_share", "parties.CQ.retained_share", "firms.b.surcharge_rate",
    }  # fmt: skip
    assert sc.parties[1].retained_share == 0.6  # its value in the first year
    back = loads(dumps(sc))
    assert replace(back, source="", digest="") == replace(sc, source="", digest="")
    _matches_reference(sc)


def _matches_reference(scenario: Any) -> None:
    result, reference = run(scenario), run_scalar(scenario)
    scale = float(max(np.abs(result.source_tax).max(initial=0), np.abs(result.net).max(initial=0)))
    for i, p in enumerate(scenario.party_ids):
        for stream in (*STREAMS, "source_tax", "upper_tier"):
            np.testing.assert_allclose(
                result.stream(stream)[0, i],
                reference[p][stream],
                rtol=1e-9,
                atol=1e-9 * max(scale, 1),
            )
        np.testing.assert_allclose(
            result.npv[0, i], reference[p]["npv"][0], rtol=1e-9, atol=1e-9 * max(scale, 1) * 20
        )


fraction = st.floats(0.0, 1.0)


@st.composite
def scheduled_data(draw: st.DrawFn) -> dict[str, Any]:
    """A random scenario with some of its fiscal parameters given by year."""
    data = copy.deepcopy(draw(scenario_data()))
    start = data["horizon"]["start_year"]
    end = start + data["horizon"]["years"] - 1

    def schedule() -> dict[str, Any]:
        years = draw(st.lists(st.integers(start + 1, max(start + 1, end)), max_size=3, unique=True))
        first = draw(st.integers(start - 5, start))
        steps = {str(first): draw(fraction)}
        steps.update({str(y): draw(fraction) for y in years if y <= end})
        return {"from": steps}

    for key in ("vat_local_share", "cit_local_share", "pit_local_share"):
        if draw(st.booleans()):
            data["taxes"][key] = schedule()
    for party in data["parties"]:
        if draw(st.booleans()):
            party["retained_share"] = schedule()
    for firm in data["firms"]:
        if draw(st.booleans()):
            firm["surcharge_rate"] = schedule()
    return data


@given(scheduled_data())
def test_model_matches_the_reference_loop_with_schedules(data: dict[str, Any]) -> None:
    _matches_reference(parse(data))


@given(scheduled_data())
def test_the_sweep_routes_give_the_streams_npv_with_schedules(data: dict[str, Any]) -> None:
    # a batch this large takes the shared inputs (and, under fixed shares, the linear route)
    sc = parse(data)
    n = SHARED_FROM
    batch, terms = batch_from_scenario(sc).repeat(n), written_terms(sc, sc.sharing).repeat(n)
    values = evaluate_npv(batch, terms)
    one = evaluate(batch.take(0, 1), terms.take(0, 1))
    scale = max(1.0, float(np.abs(one.npv).max()))
    np.testing.assert_allclose(values.npv[-1], one.npv[0], rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_allclose(values.npv[0], one.npv[0], rtol=1e-9, atol=1e-9 * scale)
    # what the games value each firm at (standing alone, coalitions): its retained tax
    # year by year under the schedule, discounted
    firms = present_values(batch.take(0, 1)).firms[0]
    kept = np.zeros(len(sc.party_ids))
    np.add.at(kept, batch.structure.firm_party, firms)
    source_tax = one.source_tax[0] @ (1 + sc.discount_rate) ** -np.arange(sc.n_years)
    np.testing.assert_allclose(kept, source_tax, rtol=1e-9, atol=1e-9 * scale)


def test_sim_run_and_compare_say_which_value_applies_in_which_years(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from sim.cli import main

    path = tmp_path / "two.toml"
    path.write_text(TWO_FIRMS, encoding="utf-8")
    en = CliRunner().invoke(main, ["run", str(path)])
    assert en.exit_code == 0, en.output
    assert "local share of VAT: 50% to 2026, 45% from 2027" in en.output
    zh = CliRunner().invoke(main, ["run", str(path), "--lang", "zh"])
    assert "增值税地方分享比例：2026 年及以前 50%，2027 年起 45%" in zh.output
    compared = CliRunner().invoke(main, ["compare", str(path)])
    assert "local share of VAT: 50% to 2026, 45% from 2027" in compared.output
    plain = tmp_path / "plain.toml"
    plain.write_text(TWO_FIRMS.replace(VAT, "0.5"), encoding="utf-8")
    assert "fiscal policy" not in CliRunner().invoke(main, ["run", str(plain)]).output


def test_the_report_summary_names_the_policy() -> None:
    from sim.report.scenario import scenario_report

    report = scenario_report(loads(TWO_FIRMS), "zh")
    assert ("财政政策", "增值税地方分享比例：2026 年及以前 50%，2027 年起 45%") in report.summary


def test_the_terms_table_gives_a_retained_share_by_year() -> None:
    from sim.briefing import terms_table

    sc = loads(
        TWO_FIRMS.replace(
            "retained_share = 0.6", "retained_share = { from = { 2025 = 0.6, 2027 = 0.7 } }"
        )
    )
    en = terms_table(sc, "en").iloc[:, 1].tolist()
    assert "CQ, keeps of its local tax: 60% to 2026, 70% from 2027" in en
    assert "local share of VAT: 50% to 2026, 45% from 2027" in en
    assert (
        "CQ，本级留成：2026 年及以前 60%，2027 年起 70%"
        in terms_table(sc, "zh").iloc[:, 1].tolist()
    )
