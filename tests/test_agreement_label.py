"""The file's own agreement has one name in every file sim writes: the label `agreement`
(协议), beside its rule id (`fixed`) — never the rule id in the label's place."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.cli import main
from sim.report.scenario import run_report

from .conftest import REFERENCE


def test_run_out_compare_and_report_name_the_agreement_alike(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "run"
    assert runner.invoke(main, ["run", str(REFERENCE), "--out", str(out)]).exit_code == 0
    shown = runner.invoke(main, ["compare", str(REFERENCE), "--format", "json"])
    compared = json.loads(shown.stdout)
    first = compared["results"][0]
    assert (first["label"], first["rule"]) == ("agreement", "fixed")

    flows = pd.read_csv(out / "flows.csv")
    assert set(zip(flows["label"], flows["rule"], strict=True)) == {("agreement", "fixed")}
    assert set(pd.read_parquet(out / "flows.parquet")["label"]) == {"agreement"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["label"], manifest["rule"]) == ("agreement", "fixed")

    # the report's data sheet made from the run folder (from the scenario: compare's rows)
    for lang, name in (("en", "agreement"), ("zh", "协议")):
        stored = run_report(out, lang).tables["flows (tidy)"]
        assert set(stored["label"]) == {name}, lang
