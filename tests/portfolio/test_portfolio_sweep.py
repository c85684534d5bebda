"""Portfolio sweeps: each park's inputs, the common discount rate and growth shock, and
correlations across parks, consolidated per scenario and party (sim portfolio sweep)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.portfolio import consolidate, load_portfolio
from sim.portfolio.sweep import evaluate_chunk
from sim.portfolio.sweep_run import read_portfolio_results, run_portfolio_sweep
from sim.portfolio.sweep_spec import load_portfolio_sweep
from sim.sweep.run import evaluate_block
from sim.sweep.spec import load_sweep

ROOT = Path(__file__).resolve().parents[2]
CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
PAIR = ROOT / "scenarios" / "portfolios" / "gaozhu-neirong.toml"
SHIPPED = ROOT / "scenarios" / "sweeps" / "chengyu-portfolio.toml"


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _sweep(tmp: Path, portfolio: Path, params: str, n: int = 8, extra: str = "") -> Path:
    return _write(
        tmp,
        "sweep.toml",
        f'[sweep]\nportfolio = "{portfolio.as_posix()}"\nn = {n}\nseed = 7\n{extra}'
        f"\n[sweep.parameters]\n{params}\n",
    )


@pytest.mark.parametrize("portfolio", [CHENGYU, PAIR])
def test_zero_width_sweep_equals_portfolio_run(tmp_path: Path, portfolio: Path) -> None:
    """Every scenario of a sweep whose parameters take the file's values gives `sim
    portfolio run`'s NPVs and gains, overall, per park and for the fund (with a fund:
    every park's streams; without: its NPVs as its own sweep finds them)."""
    rate = load_portfolio(portfolio).discount_rate
    path = _sweep(
        tmp_path, portfolio, f'"common.growth_shock" = [0.0]\n"common.discount_rate" = [{rate}]'
    )
    cols = evaluate_chunk(load_portfolio_sweep(path), 0, 3)
    c = consolidate(load_portfolio(portfolio))
    for i, p in enumerate(c.portfolio.party_ids):
        np.testing.assert_allclose(cols[f"npv.{p}"], c.npv[i], rtol=1e-12)
        np.testing.assert_allclose(cols[f"gain_vs_source.{p}"], c.gain[i], rtol=1e-12)
        if c.fund is not None:
            np.testing.assert_allclose(cols[f"fund.npv.{p}"], c.fund_npv[i], rtol=1e-12)
            np.testing.assert_allclose(cols[f"fund.gain_vs_source.{p}"], c.fund_gain[i], rtol=1e-12)
        else:
            assert f"fund.npv.{p}" not in cols
        for k, park in enumerate(c.portfolio.parks):
            np.testing.assert_allclose(cols[f"park.{park.id}.npv.{p}"], c.park_npv()[k, i])
            np.testing.assert_allclose(
                cols[f"park.{park.id}.gain_vs_source.{p}"], c.park_gain[k, i], atol=1e-12
            )


PARAMS = """\
"parks.gaozhu.firms.battery-plant.growth" = { dist = "uniform", low = 0.02, high = 0.10 }
"parks.gaozhu.sharing.compliance" = { dist = "uniform", low = 0.6, high = 1.0 }
"""


def test_park_inside_equals_its_single_sweep(tmp_path: Path) -> None:
    """Gaozhu's NPVs inside the portfolio sweep equal a sweep of Gaozhu alone drawing the
    same values (Gaozhu starts in the portfolio's first year and the fund holds none of it)."""
    cols = evaluate_chunk(load_portfolio_sweep(_sweep(tmp_path, PAIR, PARAMS)), 0, 8)
    single = PARAMS.replace("parks.gaozhu.", "")
    gaozhu = (ROOT / "scenarios" / "gaozhu.toml").as_posix()
    alone = _write(
        tmp_path,
        "alone.toml",
        f'[sweep]\nbase = "{gaozhu}"\nn = 8\nseed = 7\nrules = ["agreement"]\n'
        f"standalone = false\nexplain = false\n[sweep.parameters]\n{single}",
    )
    one = evaluate_block(load_sweep(alone), 0, 8)
    for p in ("SC", "CQ"):
        np.testing.assert_allclose(cols[f"park.gaozhu.npv.{p}"], one[f"npv.{p}"], rtol=1e-10)
        np.testing.assert_allclose(
            cols[f"park.gaozhu.gain_vs_source.{p}"], one[f"gain_vs_source.{p}"], atol=1e-10
        )
    assert np.ptp(cols["park.gaozhu.npv.SC"]) > 0  # the draws vary


def test_growth_shock_is_added_to_every_firm(tmp_path: Path) -> None:
    """A shock of 0.02 gives each park what raising every one of its firms' growth by
    0.02 gives it."""
    shocked = evaluate_chunk(
        load_portfolio_sweep(_sweep(tmp_path, PAIR, '"common.growth_shock" = [0.02]')), 0, 1
    )
    portfolio = load_portfolio(PAIR)
    raised = "\n".join(
        f'"parks.{park.id}.firms.{f.id}.growth" = [{f.growth + 0.02}]'
        for park in portfolio.parks
        for f in park.scenario.firms
    )
    by_firm = evaluate_chunk(load_portfolio_sweep(_sweep(tmp_path, PAIR, raised)), 0, 1)
    base = consolidate(portfolio)
    for p in ("SC", "CQ"):
        np.testing.assert_allclose(shocked[f"npv.{p}"], by_firm[f"npv.{p}"], rtol=1e-12)
        for k, park in enumerate(portfolio.parks):
            assert shocked[f"park.{park.id}.npv.{p}"][0] != pytest.approx(base.park_npv()[k, 0])


@pytest.mark.slow
def test_same_numbers_whatever_the_chunking_and_executor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two chunkings (the first in blocks of 3 scenarios), and worker processes, give the
    same table, bit for bit; the manifest records the seed, the digest and versions;
    summary.json is written."""
    corr = (
        "\n[sweep.correlation]\n"
        'parameters = ["parks.gaozhu.firms.battery-plant.growth", "common.growth_shock"]\n'
        "matrix = [[1.0, 0.5], [0.5, 1.0]]\n"
    )
    params = PARAMS + '"common.growth_shock" = { dist = "uniform", low = -0.02, high = 0.02 }'
    path = _sweep(tmp_path, PAIR, params + corr, n=24)
    runs = {
        "a": dict(chunk_size=5),
        "b": dict(chunk_size=16),
        "c": dict(chunk_size=8, executor="processes", workers=2),
    }
    tables = {}
    for name, kw in runs.items():
        monkeypatch.setattr("sim.portfolio.sweep.BLOCK", 3 if name == "a" else 2048)
        run_portfolio_sweep(path, tmp_path / name, **kw)  # type: ignore[arg-type]
        tables[name] = read_portfolio_results(tmp_path / name)
    assert len(tables["a"]) == 24
    pd.testing.assert_frame_equal(tables["a"], tables["b"])
    pd.testing.assert_frame_equal(tables["a"], tables["c"])
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["sweep"]["seed"] == 7
    assert manifest["sweep"]["digest"] == load_portfolio_sweep(path).digest
    assert "numpy" in json.dumps(manifest["versions"])
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    loss = (tables["a"]["park.gaozhu.gain_vs_source.CQ"] < 0).mean()
    assert summary["parties"]["CQ"]["gaozhu"]["p_loss"] == pytest.approx(loss)
    rho = np.corrcoef(
        tables["a"]["parks.gaozhu.firms.battery-plant.growth"], tables["a"]["common.growth_shock"]
    )[0, 1]
    assert rho > 0.2


def test_resume_finishes_an_interrupted_run(tmp_path: Path) -> None:
    path = _sweep(tmp_path, PAIR, PARAMS, n=12)
    run_portfolio_sweep(path, tmp_path / "whole", chunk_size=4)
    run_portfolio_sweep(path, tmp_path / "cut", chunk_size=4)
    (tmp_path / "cut" / "parts" / "part-000001.parquet").unlink()
    manifest = tmp_path / "cut" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "complete": False}), encoding="utf-8")
    out = CliRunner().invoke(
        main, ["portfolio", "sweep", str(path), "--out", str(tmp_path / "cut")]
    )
    assert out.exit_code == 2 and "--resume" in out.output
    run_portfolio_sweep(path, tmp_path / "cut", resume=True)
    pd.testing.assert_frame_equal(
        read_portfolio_results(tmp_path / "whole"), read_portfolio_results(tmp_path / "cut")
    )


@pytest.mark.parametrize(
    ("params", "where", "words"),
    [
        (
            '"parks.nowhere.firms.x.growth" = [0.1]',
            "sweep.parameters.parks.nowhere.firms.x.growth",
            "parks.gaozhu.<key path>",
        ),
        (
            '"parks.gaozhu.firms.nobody.growth" = [0.1]',
            "sweep.parameters.parks.gaozhu.firms.nobody.growth",
            "nobody",
        ),
        (
            '"parks.gaozhu.horizon.discount_rate" = [0.05]',
            "sweep.parameters.parks.gaozhu.horizon.discount_rate",
            "common.discount_rate",
        ),
        (
            '"common.growth_shock" = { dist = "normal", mean = 0, sd = 0.01 }',
            "sweep.parameters.common.growth_shock",
            "±50%",
        ),
    ],
)
def test_bad_sweep_files_are_named_with_their_key_path(
    tmp_path: Path, params: str, where: str, words: str
) -> None:
    path = _sweep(tmp_path, PAIR, params)
    out = CliRunner().invoke(main, ["portfolio", "sweep", str(path), "--out", str(tmp_path / "o")])
    assert out.exit_code == 2, out.output
    assert str(path) in out.output and where in out.output and words in out.output
    assert "Traceback" not in out.output


def test_cli_writes_and_summarises_in_english_and_chinese(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("n = 10000", "n = 16")
    path = _write(
        tmp_path, "s.toml", text.replace("../portfolios/", CHENGYU.parent.as_posix() + "/")
    )
    out = CliRunner().invoke(main, ["portfolio", "sweep", str(path), "--out", str(tmp_path / "en")])
    assert out.exit_code == 0, out.output
    assert "P(loss)" in out.output and "wandakai" in out.output and "fund" in out.output
    out = CliRunner().invoke(
        main, ["portfolio", "sweep", str(path), "--out", str(tmp_path / "zh"), "--lang", "zh"]
    )
    assert "受损概率" in out.output and "合计" in out.output
    out = CliRunner().invoke(
        main,
        ["portfolio", "sweep", str(path), "--out", str(tmp_path / "js"), "--format", "json"],
    )
    doc = json.loads(out.output)
    assert set(doc["parties"]["SC"]) == {
        "overall",
        "gaozhu",
        "suitong",
        "wandakai",
        "neirong",
        "fund",
    }
    assert doc["scenarios_done"] == 16
    # `sim sweep summary` reprints a portfolio sweep's summary, as it does a park sweep's
    again = CliRunner().invoke(main, ["sweep", "summary", str(tmp_path / "js"), "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == doc
    zh = CliRunner().invoke(main, ["sweep", "summary", str(tmp_path / "zh"), "--lang", "zh"])
    assert zh.exit_code == 0 and "受损概率" in zh.output, zh.output


@pytest.mark.slow
def test_same_numbers_on_a_local_dask_cluster(tmp_path: Path) -> None:
    """The Dask executor runs the portfolio's chunks (its own chunk function) to the same
    table as this process."""
    pytest.importorskip("dask.distributed")
    path = _sweep(tmp_path, CHENGYU, '"common.growth_shock" = [-0.01, 0.0, 0.01]', n=12)
    run_portfolio_sweep(path, tmp_path / "local", chunk_size=12)
    run_portfolio_sweep(path, tmp_path / "dask", chunk_size=5, executor="dask", workers=2)
    pd.testing.assert_frame_equal(
        read_portfolio_results(tmp_path / "local"), read_portfolio_results(tmp_path / "dask")
    )
