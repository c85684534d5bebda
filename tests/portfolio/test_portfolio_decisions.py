"""Robust packages and discovery over a portfolio sweep (sim robust / sim discover on a
`sim portfolio sweep` file or folder), held against hand computations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.portfolio import consolidate, load_portfolio, package
from sim.portfolio.decisions import render_robust
from sim.portfolio.robust import package_sweep, portfolio_robust, standalone
from sim.portfolio.sweep import evaluate_chunk
from sim.portfolio.sweep_run import read_portfolio_results, run_portfolio_sweep
from sim.portfolio.sweep_spec import load_portfolio_sweep

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PAIR = SCENARIOS / "portfolios" / "gaozhu-neirong.toml"
PARAMS = """
"common.growth_shock" = { dist = "uniform", low = -0.03, high = 0.03 }
"parks.gaozhu.sharing.compliance" = { dist = "uniform", low = 0.6, high = 1.0 }
"""
PACKAGES = """
[[sweep.packages]]
name = "gaozhu-60"
name_zh = "高竹 6:4"
shares.gaozhu = { SC = 0.6, CQ = 0.4 }

[[sweep.packages]]
name = "neirong-55"
shares.neirong = { NJ = 0.5, RC = 0.5 }
"""


def _sweep(tmp: Path, portfolio: Path, n: int = 40, extra: str = PACKAGES, name: str = "s") -> Path:
    path = tmp / f"{name}.toml"
    path.write_text(
        f'[sweep]\nportfolio = "{portfolio.as_posix()}"\nn = {n}\nseed = 11\n'
        f"\n[sweep.parameters]\n{PARAMS}\n{extra}",
        encoding="utf-8",
    )
    return path


def _pair_with_gaozhu(tmp: Path, shares: str) -> Path:
    """The pair portfolio with Gaozhu's drafted shares rewritten in a copy of its file."""
    text = (SCENARIOS / "gaozhu.toml").read_text(encoding="utf-8")
    drafted = '[sharing]\nrule = "fixed"\nshares = { SC = 0.5, CQ = 0.5 }\n'
    assert drafted in text
    park = tmp / "gaozhu.toml"
    park.write_text(text.replace(drafted, drafted.replace("SC = 0.5, CQ = 0.5", shares)), "utf-8")
    pair = PAIR.read_text(encoding="utf-8").replace('"../gaozhu.toml"', f'"{park.as_posix()}"')
    pair = pair.replace('"../neirong.toml"', f'"{(SCENARIOS / "neirong.toml").as_posix()}"')
    out = tmp / "pair.toml"
    out.write_text(pair, encoding="utf-8")
    return out


def test_a_package_is_the_portfolio_with_its_shares_written_in(tmp_path: Path) -> None:
    sweep = load_portfolio_sweep(_sweep(tmp_path, PAIR, n=12))
    got = evaluate_chunk(package_sweep(sweep, sweep.packages[0]), 0, 12)
    hand = _pair_with_gaozhu(tmp_path, "SC = 0.6, CQ = 0.4")
    want = evaluate_chunk(load_portfolio_sweep(_sweep(tmp_path, hand, 12, "", "h")), 0, 12)
    for col in ("npv.SC", "npv.CQ", "gain_vs_source.SC", "park.gaozhu.npv.SC"):
        np.testing.assert_allclose(got[col], want[col], rtol=1e-12)
    drafted = evaluate_chunk(sweep, 0, 12)
    assert not np.allclose(got["npv.SC"], drafted["npv.SC"])  # the package changed something


def test_robust_shares_and_regret_by_hand(tmp_path: Path) -> None:
    """Every alternative's share of scenarios in which every party gains over no
    agreement, each party's mean gain, and the minimax-regret choice, from the sweep
    tables of the portfolio files with the shares written in."""
    sweep = load_portfolio_sweep(_sweep(tmp_path, PAIR))
    r = portfolio_robust(sweep, basis="source")
    assert r.labels == ("agreement", "gaozhu-60", "neirong-55")
    hand = _pair_with_gaozhu(tmp_path, "SC = 0.6, CQ = 0.4")
    tables = [
        evaluate_chunk(sweep, 0, 40),
        evaluate_chunk(load_portfolio_sweep(_sweep(tmp_path, hand, extra="", name="h")), 0, 40),
        evaluate_chunk(package_sweep(sweep, sweep.packages[1]), 0, 40),
    ]
    gain = np.stack(
        [np.column_stack([t["gain_vs_source.SC"], t["gain_vs_source.CQ"]]) for t in tables]
    )
    npv = np.stack([np.column_stack([t["npv.SC"], t["npv.CQ"]]) for t in tables])
    for a in range(3):
        assert r.accepted[a] == np.mean((gain[a] >= -1e-9).all(axis=1))
        np.testing.assert_allclose(r.gains_share[a], (gain[a] >= -1e-9).mean(axis=0))
        np.testing.assert_allclose(r.mean_gain[a], gain[a].mean(axis=0), rtol=1e-12)
    regret = (npv.max(axis=0, keepdims=True) - npv).max(axis=(1, 2))  # per alternative
    assert r.regret["choice"] == r.labels[int(np.argmin(regret))]
    np.testing.assert_allclose(list(r.regret["max_regret"].values()), regret, rtol=1e-12)
    # Gaozhu 60:40 moves Sichuan from losing to gaining in every scenario here
    assert r.gains_share[0, 0] < 0.5 and r.gains_share[1, 0] == 1.0


def test_standing_alone_is_the_portfolio_games_and_a_package_can_be_most_robust(
    tmp_path: Path,
) -> None:
    path = tmp_path / "zero.toml"
    path.write_text(
        f'[sweep]\nportfolio = "{PAIR.as_posix()}"\nn = 2\n[sweep.parameters]\n'
        '"common.growth_shock" = [0.0]\n',
        encoding="utf-8",
    )
    alone = standalone(load_portfolio_sweep(path), np.arange(2))
    want = package(consolidate(load_portfolio(PAIR))).alone
    np.testing.assert_allclose(alone, np.tile(want, (2, 1)), rtol=1e-12)
    sweep = load_portfolio_sweep(_sweep(tmp_path, PAIR))
    r = portfolio_robust(sweep)  # basis: standing alone
    npv = np.column_stack(
        [
            evaluate_chunk(package_sweep(sweep, sweep.packages[0]), 0, 40)[f"npv.{p}"]
            for p in ["SC", "CQ"]
        ]
    )
    d = standalone(sweep, np.arange(40))
    assert r.accepted[1] == np.mean((npv - d >= -1e-9 * np.maximum(1, abs(npv))).all(axis=1))
    assert r.choice == r.labels[int(np.argmax(r.accepted))]


def test_robust_on_the_folder_equals_on_the_file_and_speaks_chinese(tmp_path: Path) -> None:
    path = _sweep(tmp_path, PAIR)
    run_portfolio_sweep(path, tmp_path / "res")
    docs = []
    for target in (path, tmp_path / "res"):
        got = CliRunner().invoke(
            main,
            ["robust", str(target), "--format", "json", "--out", str(tmp_path / f"r{len(docs)}")],
        )
        assert got.exit_code == 0, got.output
        docs.append(json.loads(got.output))
    assert docs[0]["packages"] == docs[1]["packages"]
    assert [p["name"] for p in docs[0]["packages"]] == ["agreement", "gaozhu-60", "neirong-55"]
    zh = CliRunner().invoke(
        main, ["robust", str(tmp_path / "res"), "--lang", "zh", "--out", str(tmp_path / "z")]
    )
    assert zh.exit_code == 0 and "现行协议" in zh.output and "高竹 6:4" in zh.output
    assert (tmp_path / "z" / "robust.json").exists() and (tmp_path / "z" / "packages.csv").exists()


@pytest.mark.parametrize(
    ("package", "told"),
    [
        (
            "shares.nowhere = { SC = 1.0 }",
            "sweep.packages[0].shares.nowhere: unknown park 'nowhere'",
        ),
        (
            "shares.gaozhu = { SC = 0.7, CQ = 0.4 }",
            "sweep.packages[0].shares.gaozhu: must sum to 1",
        ),
        ("shares.gaozhu = { SC = 1.0 }", "sweep.packages[0].shares.gaozhu.CQ: missing"),
        (
            "shares.gaozhu = { SC = 0.5, XX = 0.5 }",
            "sweep.packages[0].shares.gaozhu.XX: unknown party",
        ),
        ("shares = 3", "sweep.packages[0].shares: must be a table of park"),
    ],
)
def test_a_bad_package_is_told_by_key_path(tmp_path: Path, package: str, told: str) -> None:
    path = _sweep(tmp_path, PAIR, extra=f'[[sweep.packages]]\nname = "p"\n{package}\n')
    got = CliRunner().invoke(main, ["robust", str(path), "--out", str(tmp_path / "o")])
    assert got.exit_code == 2 and "Traceback" not in got.output
    assert told in got.output, got.output


def test_packages_do_not_change_the_sweeps_digest(tmp_path: Path) -> None:
    a = load_portfolio_sweep(_sweep(tmp_path, PAIR, extra="", name="a"))
    b = load_portfolio_sweep(_sweep(tmp_path, PAIR, name="b"))
    assert a.digest == b.digest and len(b.packages) == 2


def test_discovery_of_a_party_losing_overall(tmp_path: Path) -> None:
    pytest.importorskip("ema_workbench")
    path = _sweep(tmp_path, PAIR, n=300, extra="")
    run_portfolio_sweep(path, tmp_path / "res")
    table = read_portfolio_results(tmp_path / "res")
    got = CliRunner().invoke(
        main, ["discover", str(tmp_path / "res"), "--party", "SC", "--format", "json",
               "--out", str(tmp_path / "d")],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    doc = json.loads(got.output)
    loses = table["gain_vs_source.SC"].to_numpy() < 0
    assert doc["events"] == int(loses.sum()) and doc["scenarios"] == 300
    for box in doc["prim"] + doc["cart"]:  # the lift check: 5 points denser than the sweep
        assert box["density"] - doc["rate"] >= 0.05
        for c in box["conditions"]:
            assert c["input"] in load_portfolio_sweep(path).names
    assert doc["prim"] or doc["cart"]
    zh = CliRunner().invoke(
        main,
        [
            "discover",
            str(tmp_path / "res"),
            "--party",
            "SC",
            "--lang",
            "zh",
            "--out",
            str(tmp_path / "z"),
        ],
    )
    assert zh.exit_code == 0 and "整体受损" in zh.output and "全省增长冲击" in zh.output
    any_party = json.loads(
        CliRunner()
        .invoke(
            main,
            ["discover", str(tmp_path / "res"), "--format", "json", "--out", str(tmp_path / "a")],
        )
        .output
    )
    both = (table[["gain_vs_source.SC", "gain_vs_source.CQ"]].to_numpy() < 0).any(axis=1)
    assert any_party["events"] == int(both.sum())  # all 300: a transfer between two is zero-sum


def test_the_text_names_the_most_robust_package(tmp_path: Path) -> None:
    sweep = load_portfolio_sweep(_sweep(tmp_path, PAIR, n=20))
    r = portfolio_robust(sweep, basis="source")
    text = render_robust(sweep, r)
    assert f"Most robust: {r.choice if r.choice != 'agreement' else 'as drafted'}" in text


def test_the_report_of_a_portfolio_sweep_folder(tmp_path: Path, blank_pictures: None) -> None:
    from sim.portfolio.sweep_report import portfolio_sweep_report

    path = _sweep(tmp_path, PAIR, n=60)
    run_portfolio_sweep(path, tmp_path / "res")
    got = CliRunner().invoke(
        main, ["robust", str(tmp_path / "res"), "--format", "json", "--out", str(tmp_path / "r")]
    )
    doc = json.loads(got.output)
    rep = portfolio_sweep_report(tmp_path / "res", "zh")
    robust = next(t for k, t in rep.tables.items() if k.startswith("稳健方案"))
    np.testing.assert_allclose(
        robust.iloc[:, 1].to_numpy(dtype=float), [p["every_party_gains"] for p in doc["packages"]]
    )
    assert list(robust.iloc[:, 0]) == ["现行协议", "高竹 6:4", "neirong-55"]
    summary = next(iter(rep.tables.values()))
    assert "川渝高竹新区" in set(summary.iloc[:, 1]) and "gaozhu" not in set(summary.iloc[:, 1])
    assert any("整体受损" in f for f in rep.findings)
    out = CliRunner().invoke(main, ["report", str(tmp_path / "res"), "--out", str(tmp_path / "h")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "h" / "report.html").exists() and (tmp_path / "h" / "tables.xlsx").exists()


@pytest.mark.parametrize("name", ["gaozhu-neirong-portfolio.toml", "chengyu-portfolio.toml"])
def test_the_shipped_portfolio_sweeps_name_their_packages(name: str) -> None:
    sweep = load_portfolio_sweep(SCENARIOS / "sweeps" / name)
    assert len(sweep.packages) >= 2
    assert all(pk.name_zh != pk.name for pk in sweep.packages)


def test_a_sweep_cut_short_is_told_and_counts_its_scenarios_so_far(tmp_path: Path) -> None:
    path = _sweep(tmp_path, PAIR, n=20)
    run_portfolio_sweep(path, tmp_path / "res", chunk_size=10)
    (tmp_path / "res" / "parts" / "part-000001.parquet").unlink()  # the second chunk lost
    got = CliRunner().invoke(
        main, ["robust", str(tmp_path / "res"), "--format", "json", "--out", str(tmp_path / "r")]
    )
    assert got.exit_code == 0, got.output
    doc = json.loads(got.output)
    assert doc["partial"] == {"done": 10, "n": 20} and doc["scenarios"] == 10
    text = CliRunner().invoke(main, ["robust", str(tmp_path / "res"), "--out", str(tmp_path / "t")])
    assert "10 of 20 scenarios examined" in text.output


def test_the_chinese_robust_text_and_report_have_no_english_heads(
    tmp_path: Path, blank_pictures: None
) -> None:
    """Every column head of ``sim robust --lang zh`` and of the Chinese report (HTML and
    docx) is Chinese (the gains as the catalogue names them), and so is the design."""
    from docx import Document

    from ..cli.test_glossary import _untranslated, _visible_text

    path = _sweep(tmp_path, PAIR, n=40)
    swept = CliRunner().invoke(
        main, ["portfolio", "sweep", str(path), "--lang", "zh", "--out", str(tmp_path / "res")]
    )
    robust = CliRunner().invoke(
        main, ["robust", str(tmp_path / "res"), "--lang", "zh", "--out", str(tmp_path / "r")]
    )
    texts = {"robust": robust.output, "summary": swept.output}
    for to in ("html", "docx"):
        out = tmp_path / to
        got = CliRunner().invoke(
            main, ["report", str(tmp_path / "res"), "--lang", "zh", "--to", to, "--out", str(out)]
        )
        assert got.exit_code == 0, got.output
    texts["html"] = _visible_text((tmp_path / "html" / "report.html").read_text("utf-8"))
    doc = Document(str(tmp_path / "docx" / "report.docx"))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    texts["docx"] = "\n".join([*(p.text for p in doc.paragraphs), *cells])
    p = load_portfolio(PAIR)
    allowed = {p.name, *p.party_ids, *(k.id for k in p.parks), "neirong-55", "res", "toml"}
    for where, text in texts.items():
        assert robust.exit_code == swept.exit_code == 0, where
        assert _untranslated(text.replace(str(tmp_path), " "), allowed) == set(), where
    assert "SC 较独立发展增减均值" in texts["robust"]
    assert "最差一方较独立发展增减均值" in texts["html"]
    assert "较无协议增减 5%分位" in texts["docx"] and "蒙特卡洛设计" in texts["summary"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_robust_packages_figure_has_its_title_drawn(tmp_path: Path, lang: str) -> None:
    from sim import i18n, plots
    from sim.portfolio.sweep_report import _figure

    r = portfolio_robust(load_portfolio_sweep(_sweep(tmp_path, PAIR, n=12)))
    figure = _figure(r, "亿元", lang)
    with plots.figure(lang) as (_, ax):
        figure.draw(ax)
        assert ax.get_title() == figure.title == i18n.t("pr_figure", lang)
