"""The findings and terms a scenario report opens with say what the model computed:
every number in them is the comparison's, in English and Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim import load_scenario
from sim.briefing import findings, terms_table
from sim.cli import main
from sim.compare import compare
from sim.report import scenario_report, wide_flows

from ..conftest import ROOT

SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def _numbers(text: str) -> list[float]:
    return [float(x.replace("−", "-")) for x in re.findall(r"[−+-]?\d+\.\d\d(?!\d)", text)]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_findings_are_the_comparisons_numbers(path: Path, lang: str) -> None:
    scenario = load_scenario(path)
    comparison = compare(scenario)
    row = comparison.row("agreement")
    if not row.defined:
        pytest.skip("agreement undefined for this scenario")
    lines = findings(scenario, comparison, lang)
    # the terms before the discount rate hold numbers too
    after_terms = re.split(r"discount rate:|下：", lines[0], maxsplit=1)[1]
    gains = _numbers(after_terms)
    expected = [v for i in range(len(scenario.party_ids))
                for v in (row.npv[i], row.gain_vs_source[i])]  # fmt: skip
    assert gains == pytest.approx(expected, abs=0.005 + 1e-9)
    every = bool((row.npv >= comparison.standalone).all())
    assert ("Not every" in lines[1] or "并非" in lines[1]) is not every, lines[1]


def test_acceptable_range_and_fair_split_match_sim_game(tmp_path: Path) -> None:
    path = ROOT / "scenarios" / "gaozhu.toml"
    result = CliRunner().invoke(main, ["game", str(path), "--format", "json"])
    acc = json.loads(result.output)["acceptable_shares"]
    lines = findings(load_scenario(path), compare(load_scenario(path)), "en")
    lo, hi = round(100 * acc["low"]["SC"]), round(100 * acc["high"]["SC"])
    assert f"between {lo}% and {hi}%" in lines[2]
    assert "the agreement gives Linshui, Guang'an (Sichuan) 50%" in lines[2]
    shapley = compare(load_scenario(path)).row("shapley")
    assert lines[3].startswith("Shapley = nucleolus = Nash bargaining: ")
    assert _numbers(lines[3]) == pytest.approx(list(shapley.npv), abs=0.005)
    assert "delivered by pool shares " + ":".join(f"{x:.0%}" for x in shapley.shares) in lines[3]


def test_three_parties_give_a_range_per_party() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "tri-city-formula.toml")
    lines = findings(scenario, compare(scenario), "zh")
    assert any("合计 100%" in line and line.count("–") >= 3 for line in lines)


def test_terms_table_states_the_basis() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    en, zh = terms_table(scenario, "en"), terms_table(scenario, "zh")
    assert list(en.columns) == ["item", "value"] and list(zh.columns) == ["项目", "内容"]
    values = dict(zip(en["item"], en["value"], strict=True))
    assert values["unit"] == "100m CNY" and values["discount rate"] == "5.0%"
    assert values["horizon"] == "2021–2040"
    assert values["agreement term 1"] == "fixed shares 0.5:0.5"
    assert dict(zip(zh["项目"], zh["内容"], strict=True))["协议条款 1"] == "固定比例 0.5:0.5"


def test_report_opens_with_findings_and_xlsx_has_terms_and_wide_tables(
    tmp_path: Path, blank_pictures: None
) -> None:
    path = ROOT / "scenarios" / "gaozhu.toml"
    for lang in ("en", "zh"):
        out = tmp_path / lang
        result = CliRunner().invoke(main, ["report", str(path), "--lang", lang, "--out", str(out)])
        assert result.exit_code == 0, result.output
        html = (out / "report.html").read_text(encoding="utf-8")
        assert html.index('class="findings"') < html.index("<table")
        sheets = pd.read_excel(out / "tables.xlsx", sheet_name=None)
        names = list(sheets)
        assert names[0] in ("Findings", "主要结论") and names[1] in ("Terms", "计算依据")
        rep = scenario_report(load_scenario(path), lang)
        assert list(sheets[names[0]].iloc[:, 0]) == rep.findings
    # the wide table is the tidy one pivoted: same numbers
    tidy = sheets["年度收支（数据）"]  # the Chinese workbook's (the loop's last)
    (wide,) = [sheet for name, sheet in sheets.items() if name.startswith("年度收支 SC（")]
    sc = tidy[(tidy["party"] == "SC") & (tidy["stream"] == "net")].sort_values("year")
    assert np.allclose(wide["净收益"].to_numpy(), sc["value"].to_numpy(), rtol=0, atol=1e-12)
    assert list(wide_flows(tidy, "SC", "en").columns[:2]) == ["Year", "Tax retained"]


def test_sweep_report_lists_every_swept_input(tmp_path: Path) -> None:
    from sim.report import sweep_report, swept_inputs_table
    from sim.sweep.execute import run_sweep
    from sim.sweep.spec import load_sweep

    text = (ROOT / "scenarios" / "sweeps" / "gaozhu.toml").read_text(encoding="utf-8")
    sweep = tmp_path / "s.toml"
    base = (ROOT / "scenarios" / "gaozhu.toml").as_posix()
    sweep.write_text(
        text.replace('"../gaozhu.toml"', f'"{base}"').replace("n = 10000", "n = 64"),
        encoding="utf-8",
    )
    spec = load_sweep(sweep)
    table = swept_inputs_table(spec, "en").set_index("key")
    assert list(table.index) == list(spec.names)
    growth = table.loc["firms.battery-plant.growth"]
    assert growth["distribution"] == "triangular: low 0%/yr, mode 3%/yr, high 8%/yr"
    assert growth["correlation"] == "linshui-cohort: output growth +0.5"
    start = table.loc["firms.battery-plant.first_year", "distribution"]
    assert start == "choice: 2025 (50%), 2026 (30%), 2027 (20%)"
    run_sweep(sweep, tmp_path / "out")
    rep = sweep_report(tmp_path / "out", "zh")
    zh = rep.tables["变动的输入"]
    assert len(zh) == len(spec.names) and "键" not in zh.columns
    captions = {f.key: f.caption for f in rep.figures}
    assert "所有变动输入均随情景变化" in captions["distribution"]
