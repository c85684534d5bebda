"""One agreement, one answer: every entry point gives the same NPVs for the same agreement.

For every registered tax rule, with and without floors, on shipped scenarios of two
and three parties, and for every setting of every other clause: ``sim run``, the
agreement row of ``sim compare``, a one-point sweep, the sensitivity base point and
the report's comparison table agree to 1e-9 relative — or all say the agreement is
undefined for the scenario.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from click.testing import CliRunner

from sim import load_scenario, rule_names
from sim.cli import main
from sim.errors import ResultsError, UndefinedError
from sim.report import scenario_report
from sim.rules import clause_rule_names, get_rule
from sim.sensitivity import sensitivity
from sim.sweep.execute import read_results, run_sweep
from sim.sweep.spec import load_sweep

from .conftest import ROOT

SCENARIOS = {
    name: ROOT / "scenarios" / f"{name}.toml"
    for name in ("gaozhu", "chuanzhe-6-4-floor", "tri-city-formula", "co-built-park")
}
CLAUSE_SETTINGS = [
    (clause, rule)
    for clause in ("land", "dividends", "investment", "statistics")
    for rule in clause_rule_names(clause)  # type: ignore[arg-type]
]


def _rule_table(rule: str, parties: list[str]) -> dict[str, Any]:
    """A ``[sharing]`` rule and its parameters (every party's share or weight set)."""
    table: dict[str, Any] = {"rule": rule}
    for prm in get_rule(rule).params:
        if prm.kind == "party_shares":
            table[prm.name] = {p: 1 / len(parties) for p in parties}
        elif prm.kind == "party_weights":
            table[prm.name] = {p: 1.0 + i for i, p in enumerate(parties)}
        elif prm.kind == "factor_weights":
            table[prm.name] = {"output": 0.35, "wages": 0.35, "investment": 0.3}
        else:
            table[prm.name] = 0.4
    return table


def _clause(clause: str, rule: str, parties: list[str]) -> Any:
    if rule == "fixed":
        weights = np.arange(len(parties), 0, -1, dtype=float)
        return {"rule": "fixed", "shares": dict(zip(parties, weights / weights.sum(), strict=True))}
    return rule


def _variant(
    name: str, tmp: Path, rule: str | None, floors: bool, clause: tuple[str, str] | None = None
) -> Path:
    data = tomllib.loads(SCENARIOS[name].read_text(encoding="utf-8"))
    parties = [p["id"] for p in data["parties"]]
    sharing = data["sharing"]
    if rule is not None:
        for key in ("shares", "weights", "share"):
            sharing.pop(key, None)
        sharing.update(_rule_table(rule, parties))
    sharing.pop("floors", None)
    if floors:  # about a fifth of a year's retained tax for the last party: it binds early on
        sharing["floors"] = {parties[-1]: 0.2 if name != "chuanzhe-6-4-floor" else 0.05}
    if clause is not None:
        sharing[clause[0]] = _clause(clause[0], clause[1], parties)
    path = tmp / "scenario.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _everywhere(path: Path, tmp: Path) -> dict[str, np.ndarray | None]:
    """NPV per party from every entry point (``None`` where it says 'undefined')."""
    runner = CliRunner()
    out: dict[str, np.ndarray | None] = {}
    run = runner.invoke(main, ["run", str(path), "--format", "json"])
    if run.exit_code == 2 and "undefined" in run.stderr:
        out["run"] = None
    else:
        assert run.exit_code == 0, run.output
        out["run"] = np.array(list(json.loads(run.stdout)["npv"].values()))
    doc = json.loads(runner.invoke(main, ["compare", str(path), "--format", "json"]).stdout)
    row = next(r for r in doc["results"] if r["label"] == "agreement")
    out["compare"] = np.array(list(row["npv"].values())) if row["defined"] else None

    rate = load_scenario(path).discount_rate
    sweep = tmp / "sweep.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{path.name}"\ndesign = "grid"\nrules = ["agreement"]\n'
        f'standalone = false\n[sweep.parameters]\n"horizon.discount_rate" = [{rate!r}]\n',
        encoding="utf-8",
    )
    frame = read_results(run_sweep(sweep, tmp / "sweep-out").folder)
    npv = frame.filter(like="npv.").to_numpy()[0]
    out["sweep"] = None if frame["status"].iloc[0] == "undefined" else npv

    try:  # the analysis refuses a scenario where the agreement is undefined
        base = sensitivity(load_sweep(sweep), methods=()).base_npv
        out["sensitivity"] = np.array(list(base.values()))
    except ResultsError as exc:
        assert "undefined" in str(exc)
        out["sensitivity"] = None

    try:
        table = scenario_report(load_scenario(path)).tables["comparison (tidy)"]
        out["report"] = table[table["label"] == "agreement"]["npv"].to_numpy()
    except UndefinedError:
        out["report"] = None
    return out


def _agree(found: dict[str, np.ndarray | None]) -> None:
    undefined = {k for k, v in found.items() if v is None}
    assert undefined in (set(), set(found)), f"undefined only in {sorted(undefined)}"
    if undefined:
        return
    ref = found["run"]
    assert ref is not None
    scale = max(1.0, float(np.abs(ref).max()))
    for where, npv in found.items():
        assert npv is not None
        np.testing.assert_allclose(npv, ref, rtol=0, atol=1e-9 * scale, err_msg=where)


@pytest.mark.parametrize("floors", [False, True], ids=["no-floors", "floors"])
@pytest.mark.parametrize("rule", rule_names())
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_rule_gives_one_answer(name: str, rule: str, floors: bool, tmp_path: Path) -> None:
    _agree(_everywhere(_variant(name, tmp_path, rule, floors), tmp_path))


@pytest.mark.parametrize("rule", [None, "shapley"], ids=["file-rule", "shapley"])
@pytest.mark.parametrize("setting", CLAUSE_SETTINGS, ids=lambda c: f"{c[0]}={c[1]}")
@pytest.mark.parametrize("name", ["gaozhu", "tri-city-formula"])
def test_every_clause_gives_one_answer(
    name: str, setting: tuple[str, str], rule: str | None, tmp_path: Path
) -> None:
    path = _variant(name, tmp_path, rule, floors=False, clause=setting)
    _agree(_everywhere(path, tmp_path))


@pytest.mark.parametrize("rule", [None, "shapley"], ids=["file-rule", "shapley"])
@pytest.mark.parametrize("clause", ["cap", "review"])
@pytest.mark.parametrize("name", ["gaozhu", "tri-city-formula"])
def test_escape_clauses_give_one_answer(
    name: str, clause: str, rule: str | None, tmp_path: Path
) -> None:
    path = _variant(name, tmp_path, rule, floors=False)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    parties = [p["id"] for p in data["parties"]]
    if clause == "cap":  # binds in some years of both scenarios
        data["sharing"]["cap"] = 0.05
    else:  # the first party is behind after two years in both scenarios: the switch comes
        tilted = {p: (0.7 if i == 0 else 0.3 / (len(parties) - 1)) for i, p in enumerate(parties)}
        data["sharing"]["review"] = {
            "party": parties[0],
            "below": 1.0,
            "after": 2,
            "shares": tilted,
        }
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    _agree(_everywhere(path, tmp_path))
