"""Chinese output is Chinese: every word of ``--lang zh`` text is translated, except
proper names (parties, firms, scenarios, files), method names and command options."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.scenario import load

from ..conftest import ROOT

PROPER = {  # method and author names written in Latin script in Chinese documents
    "Shapley", "Banzhaf", "PRIM", "CART", "Savage", "Sobol", "Morris", "NPV", "Nash",
    "Kalai", "Smorodinsky", "Talmud", "SCRB", "HiGHS", "holds", "toml", "png", "xlsx",
    "Owen", "Song", "Nelson", "Staum",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]{3,}")


def _visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<img[^>]*>", " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _untranslated(text: str, allowed: set[str]) -> set[str]:
    text = re.sub(r"\b[0-9a-f]{8,}\b", " ", text)  # run ids (digests)
    parts = {p for w in allowed for p in re.findall(r"[A-Za-z]+", w)}
    return {w for w in WORD.findall(text) if w not in PROPER and w not in parts}


def _names(path: Path) -> set[str]:
    sc = load(path)
    return {sc.name, *sc.party_ids, *(f.id for f in sc.firms)}


@pytest.mark.parametrize("name", ["gaozhu-clauses", "tri-city-formula", "chuanzhe-6-4-floor"])
def test_a_chinese_scenario_report_has_no_english_words(
    name: str, tmp_path: Path, blank_pictures: None
) -> None:
    path = ROOT / "scenarios" / f"{name}.toml"
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["report", str(path), "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _visible_text((out / "report.html").read_text(encoding="utf-8"))
    assert _untranslated(text, _names(path)) == set()


def test_chinese_sweep_report_robust_and_discover_have_no_english_words(
    tmp_path: Path, blank_pictures: None
) -> None:
    sweep = tmp_path / "s.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{ROOT / "scenarios" / "gaozhu.toml"}"\nn = 400\nseed = 5\n'
        "[sweep.parameters]\n"
        '"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.08 }\n'
        '"firms.linshui-cohort.growth" = { dist = "uniform", low = 0.0, high = 0.12 }\n'
        '"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }\n',
        encoding="utf-8",
    )
    folder = tmp_path / "sweep"
    runner = CliRunner()
    assert runner.invoke(main, ["sweep", str(sweep), "--out", str(folder)]).exit_code == 0
    allowed = _names(ROOT / "scenarios" / "gaozhu.toml") | {str(tmp_path), "sweep", "s"}
    out = tmp_path / "rep"
    assert (
        runner.invoke(main, ["report", str(folder), "--lang", "zh", "--out", str(out)]).exit_code
        == 0
    )
    texts = [_visible_text((out / "report.html").read_text(encoding="utf-8"))]
    discover = ["discover", str(folder), "--party", "SC", "--basis", "source"]
    for args in (
        ["robust", str(sweep), "--out", str(tmp_path / "rob")],
        [*discover, "--out", str(tmp_path / "d")],
    ):
        result = runner.invoke(main, [*args, "--lang", "zh"])
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    for text in texts:
        assert _untranslated(text, allowed | {"rob", "rep", "d"}) == set()


def test_chinese_sensitivity_and_run_reports_have_no_english_words(
    tmp_path: Path, blank_pictures: None
) -> None:
    runner = CliRunner()
    gaozhu = ROOT / "scenarios" / "gaozhu.toml"
    sens, run = tmp_path / "sens", tmp_path / "run"
    sweep = ROOT / "scenarios" / "sweeps" / "gaozhu.toml"
    result = runner.invoke(main, ["sensitivity", str(sweep), "--n", "64", "--out", str(sens)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["run", str(gaozhu), "--out", str(run)]).exit_code == 0
    for folder in (sens, run):
        out = tmp_path / f"{folder.name}-zh"
        result = runner.invoke(main, ["report", str(folder), "--lang", "zh", "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = _visible_text((out / "report.html").read_text(encoding="utf-8"))
        path_words = {"scenarios", "sweeps", "gaozhu"}  # the sweep file's path, a name
        assert _untranslated(text, _names(gaozhu) | path_words) == set(), folder.name
