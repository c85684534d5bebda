"""Alternatives on the agreement's terms (docs/howto/counter-proposal.md): a [[compare]]
table, a column of the workbook's agreements sheet or an alternative on the page takes
every term it leaves blank from [sharing]; what it writes stays its own."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.compare import compare
from sim.errors import ScenarioError
from sim.inheritance import INHERITED_TERMS
from sim.output import describe_sharing
from sim.report import scenario_report
from sim.scenario import Scenario, parse
from sim.scenario_toml import scenario_data
from sim.sweep.run import apply_parameters
from sim.sweep.spec import parse_sweep
from sim.text import render_compare
from sim.workbook.read import read_workbook
from sim.workbook.write import write_workbook

from ..conftest import ROOT

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
AGREED = {"from_year": 2025, "years": 14, "compliance": 0.9}
"""The agreement's terms of issue 19: 2025–2038 at 90% settled, not the defaults."""
PROPOSAL = {"label": "counter 70:30", "rule": "fixed", "shares": {"SC": 0.7, "CQ": 0.3}}


def gaozhu(**alternative: Any) -> dict[str, Any]:
    """Gaozhu with the agreement of :data:`AGREED` and one alternative."""
    data = tomllib.loads(GAOZHU.read_text(encoding="utf-8"))
    data["sharing"] |= AGREED
    data["compare"] = [PROPOSAL | alternative]
    return data


def npv(scenario: Scenario, label: str = "counter 70:30") -> np.ndarray:
    return compare(scenario).row(label).npv


def test_a_blank_window_and_compliance_are_the_agreement_s() -> None:
    blank = parse(gaozhu())
    written = parse(gaozhu(scope="above_base", base_year=2021, **AGREED))
    alt = blank.compare[0]
    assert (alt.from_year, alt.years, alt.compliance) == (2025, 14, 0.9)
    assert (alt.scope, alt.base_year) == ("above_base", 2021)
    np.testing.assert_array_equal(npv(blank), npv(written))
    # and not what the defaults give: the whole horizon, everything settled
    defaults = parse(gaozhu(from_year=2021, years=20, compliance=1.0))
    assert np.abs(npv(blank) - npv(defaults)).max() > 0.1


def test_the_report_and_the_workbook_agree_with_sim_compare() -> None:
    blank = gaozhu()
    written = parse(gaozhu(scope="above_base", base_year=2021, **AGREED))
    book = read_workbook("w.xlsx", write_workbook(blank, "zh"))
    assert book.problems == []
    from_book = parse(book.data)
    np.testing.assert_array_equal(npv(from_book), npv(written))
    table = scenario_report(parse(blank)).tables["comparison (tidy)"]
    rows = table[table["label"] == "counter 70:30"]
    np.testing.assert_array_equal(rows["npv"].to_numpy(), npv(written))


def test_an_alternative_keeps_what_it_writes() -> None:
    own = {"scope": "new_firms", "from_year": 2022, "years": 5, "compliance": 0.5, "cap": 0.2}
    alt = parse(gaozhu(**own, floors={"CQ": 0.1}, land="shared")).compare[0]
    assert (alt.scope, alt.from_year, alt.years, alt.compliance, alt.cap) == (
        "new_firms", 2022, 5, 0.5, 0.2
    )  # fmt: skip
    assert alt.base_year is None  # the agreement's 2021 belongs to its above_base scope
    assert dict(alt.floors) == {"CQ": 0.1} and alt.clause("land").rule == "shared"
    assert alt.inherited == {"dividends", "investment", "statistics", "incentives"}  # not review


@given(st.sets(st.sampled_from(["scope", "from_year", "years", "compliance", "cap"])))
def test_every_term_is_the_alternative_s_or_the_agreement_s(written: set[str]) -> None:
    agreed = {"scope": "new_firms", "from_year": 2025, "years": 14, "compliance": 0.9, "cap": 1.0}
    own = {"scope": "all", "from_year": 2022, "years": 5, "compliance": 0.5, "cap": 0.2}
    data = gaozhu(**{k: own[k] for k in written})
    data["sharing"] = {k: v for k, v in data["sharing"].items() if k != "base_year"} | agreed
    alt = parse(data).compare[0]
    for term in own:
        assert getattr(alt, term) == (own if term in written else agreed)[term], term
    assert alt.inherited == set(INHERITED_TERMS) - written - {"base_year", "review"}


def test_the_review_goes_with_the_ratio() -> None:
    review = {"party": "SC", "below": 0.0, "after": 5, "shares": {"SC": 0.6, "CQ": 0.4}}
    data = gaozhu()
    data["sharing"]["review"] = review
    same = dict(PROPOSAL, label="same ratio", shares={"SC": 0.5, "CQ": 0.5}, scope="new_firms")
    data["compare"].append(same)
    sc = parse(data)
    other, alike = sc.compare
    assert other.review is None and "review" not in other.inherited
    assert alike.review == sc.sharing.review and "review" in alike.inherited
    assert "not the agreement's review" in describe_sharing(sc, other)


def test_a_clause_by_the_tax_pool_follows_the_alternative_s_own_shares() -> None:
    data = gaozhu()
    data["sharing"]["land"] = "tax"
    written = gaozhu(land="tax")
    written["sharing"]["land"] = "tax"
    np.testing.assert_array_equal(npv(parse(data)), npv(parse(written)))
    # land divided as 70:30, not the agreement's 50:50
    fixed = gaozhu(land={"rule": "fixed", "shares": {"SC": 0.7, "CQ": 0.3}})
    fixed["sharing"]["land"] = "tax"
    np.testing.assert_allclose(npv(parse(data)), npv(parse(fixed)), atol=1e-12)


def test_an_inherited_window_that_no_longer_fits_names_the_agreement() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse(gaozhu(from_year=2030), "late.toml")
    text = str(caught.value)
    assert "late.toml" in text and "compare[0].years" in text
    assert "the window 2030–2043 runs past the end of the horizon (2040)" in text
    assert "years is the agreement's: write it here" in text


def test_a_base_year_needs_the_scope_it_takes() -> None:
    data = gaozhu(base_year=2022)  # the agreement's scope is above_base
    assert parse(data).compare[0].base_year == 2022
    data["sharing"] = {"rule": "fixed", "shares": {"SC": 0.5, "CQ": 0.5}}
    with pytest.raises(ScenarioError, match=r"compare\[0\]\.base_year: only applies with"):
        parse(data)


def test_the_lines_under_the_table_say_what_was_inherited() -> None:
    text = render_compare(compare(parse(gaozhu(scope="new_firms"))))
    line = next(x for x in text.splitlines() if x.startswith("counter 70:30: "))
    assert line == (
        "counter 70:30: fixed shares 0.7:0.3 · scope new_firms · 2025–2038 · compliance 0.9"
        " · as in the agreement: window, compliance"
    )
    zh = describe_sharing(parse(gaozhu()), parse(gaozhu()).compare[0], "zh")
    assert zh.endswith("沿用协议：范围、基年、协议期、结算率")  # in the key table's order


def test_written_back_an_alternative_follows_the_agreement_on_the_page() -> None:
    from sim.web.edits import apply
    from sim.web.form import build_form

    sc = parse(gaozhu(cap=0.3))
    data = scenario_data(sc)
    assert set(data["compare"][0]) == {"rule", "shares", "cap", "label", "label_zh"}
    edited = parse(apply(data, build_form(sc), {"sharing.compliance": "0.7"}))
    assert edited.compare[0].compliance == 0.7 and edited.compare[0].cap == 0.3


def test_a_sweep_moves_the_terms_an_alternative_took(tmp_path: Path) -> None:
    from sim.workbook.totoml import dumps

    data = gaozhu(scope="new_firms")
    data["compare"].append(dict(PROPOSAL, label="settled", compliance=1.0))
    base = tmp_path / "g.toml"
    base.write_text(dumps(copy.deepcopy(data), []), encoding="utf-8")
    sweep = f"""[sweep]\nbase = "{base}"\nn = 4
[sweep.parameters]
"sharing.compliance" = {{ dist = "uniform", low = 0.2, high = 0.8 }}"""
    spec = parse_sweep(tomllib.loads(sweep), str(tmp_path / "s.toml"))
    values = np.array([[0.2], [0.4], [0.6], [0.8]])
    _, terms = apply_parameters(spec, values)
    np.testing.assert_array_equal(terms["counter 70:30"].compliance, values[:, 0])
    np.testing.assert_array_equal(terms["settled"].compliance, [1.0])
