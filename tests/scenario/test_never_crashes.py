"""Inputs of any type or size in the places that once crashed: a clean refusal (a
ScenarioError, exit 2), never a TypeError or OverflowError (exit 70)."""

from __future__ import annotations

import math
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.compare import comparison_set
from sim.errors import ScenarioError
from sim.output import agreement_name
from sim.scenario import parse
from sim.schema.labels import BUILT_IN_LABELS, zh_name
from sim.schema.magnitude import MAX_AMOUNT, log_discount_factor
from sim.sweep.spec import parse_sweep

from ..conftest import DATA, REFERENCE

BASE = str(DATA / "co-built-park.toml")

# what a TOML value can be: numbers, text, flags, arrays and tables of them
toml_value = st.recursive(
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(toml_value)
def test_choice_weights_of_any_kind_are_accepted_or_refused_cleanly(weights: Any) -> None:
    parameter = {"dist": "choice", "values": [0.4, 0.6], "weights": weights}
    data = {"sweep": {"base": BASE, "parameters": {"sharing.shares.SC": parameter}}}
    try:
        spec = parse_sweep(data, str(DATA / "s.toml"))
    except ScenarioError as exc:
        assert str(exc.problems[0].path) == "sweep.parameters.sharing.shares.SC.weights"
        assert "must be a list of positive numbers as long as values (2)" in str(exc)
    else:
        assert len(spec.parameters[0].distribution.weights) == 2


# --------------------------------------------------------------------------- discount factors


def _scenario_text(rate: float, years: int) -> str:
    """The reference scenario over ``years`` at ``rate`` (its agreement's window fitted)."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("years = 20\ndiscount_rate = 0.05", f"years = {years}\n"
                        f"discount_rate = {rate!r}")  # fmt: skip
    return text.replace("from_year = 2021\nyears = 20\n", "from_year = 2021\n")


def _command(name: str, folder: Path) -> list[str]:
    scenario = str(folder / "s.toml")
    if name == "sweep":
        return ["sweep", str(folder / "sweep.toml"), "--out", str(folder / "out")]
    if name == "run":
        return ["run", scenario, "--out", str(folder / "out")]
    return [name, scenario]


NEAR_MINUS_ONE = st.one_of(
    st.floats(-1.0, -0.9, exclude_min=True),
    st.sampled_from([-0.999999, -1 + 1e-15, -0.5, -0.3]),
)


@pytest.mark.parametrize("command", ["validate", "run", "compare", "game", "sweep"])
@settings(max_examples=12)
@given(rate=NEAR_MINUS_ONE, years=st.integers(20, 200))
def test_no_discount_rate_above_minus_one_overflows_any_command(
    command: str, rate: float, years: int
) -> None:
    """A rate near −1 over a long horizon makes a discount factor no float holds: it is
    refused naming horizon.discount_rate (exit 2, 1 for validate), never an
    OverflowError (exit 70); a rate it does not overflow for runs."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "s.toml").write_text(_scenario_text(rate, years), encoding="utf-8")
        (folder / "sweep.toml").write_text(
            f'[sweep]\nbase = "s.toml"\nn = 4\n[sweep.parameters]\n'
            f'"horizon.discount_rate" = {{ dist = "uniform", low = {rate!r}, high = 0.05 }}\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(main, _command(command, folder))
        too_big = log_discount_factor(rate, years - 1) > math.log(MAX_AMOUNT)
    assert "OverflowError" not in result.output
    assert result.exit_code == ((1 if command == "validate" else 2) if too_big else 0), (
        result.output
    )
    if too_big:
        assert "horizon.discount_rate" in result.output
        assert "horizon.years" in result.output


def test_the_page_refuses_a_discount_factor_no_float_holds(tmp_path: Path) -> None:
    """Over 60 years, −0.999999 on the page's discount-rate field was a 500."""
    pytest.importorskip("flask", reason="sim serve needs Flask")
    from sim.scenario import loads
    from sim.web import make_app

    scenario = loads(_scenario_text(0.05, 60), "sixty.toml")
    app = make_app(tmp_path, scenario, name="sixty.toml")
    client = app.test_client()
    client.environ_base["HTTP_X_SIM_TOKEN"] = app.extensions["sim"].guard.token  # as the page
    wid = re.split(r"[/?]", client.get("/").headers["Location"].split("/w/")[1])[0]
    fields = {"horizon.discount_rate": "-0.999999"}
    checked = client.post(f"/w/{wid}/api/validate", json={"lang": "en", "fields": fields})
    evaluated = client.post(f"/w/{wid}/api/evaluate", json={"lang": "en", "fields": fields})
    assert checked.status_code == 200 and checked.json["ok"] is False
    assert evaluated.status_code == 422
    [problem] = evaluated.json["problems"]
    assert problem["field"] == "horizon.discount_rate"
    assert "more than float64 can hold" in problem["message"]


# --------------------------------------------------------------------------- compare labels

NAMES = [*BUILT_IN_LABELS, *(zh_name(b) for b in BUILT_IN_LABELS), "split", "分成", ""]
RULE_TABLES = {
    "fixed": {"rule": "fixed", "shares": {"SC": 0.6, "CQ": 0.4}},
    "source": {"rule": "source"},
    "shapley": {"rule": "shapley"},
    "nash": {"rule": "nash"},
}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.none() | st.sampled_from(NAMES),
            st.sampled_from(sorted(RULE_TABLES)),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_rows_of_a_valid_file_have_names_unique_in_both_languages(
    tables: list[tuple[str, str | None, str]],
) -> None:
    """Reports find rows by name: a file that validates never gives two rows one name,
    in English or in Chinese (a [[compare]] labelled ``equity`` made `sim report` exit 70)."""
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    data["compare"] = [
        {**RULE_TABLES[rule], "label": label, **({} if zh is None else {"label_zh": zh})}
        for label, zh, rule in tables
    ]
    try:
        scenario = parse(data)
    except ScenarioError as exc:
        assert {p.path.split(".")[-1] for p in exc.problems} <= {"label", "label_zh"}, exc
        return
    labels = [s.label for s in comparison_set(scenario)[0]]
    assert len(set(labels)) == len(labels)
    names = [agreement_name(scenario, label, "zh") for label in labels]
    assert len(set(names)) == len(names), names
