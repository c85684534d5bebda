"""A portfolio sweep with a fund without every stream of every park: the parks' NPVs as
their own sweeps find them, the joint company's streams and the retained tax at source
from sim.model.parts, the fund's NPV over the stretches between the years it is paid in
(sim.portfolio.sweep_fund). The numbers are every stream's, whatever the blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.portfolio import consolidate, load_portfolio
from sim.portfolio.sweep import evaluate_block, evaluate_chunk
from sim.portfolio.sweep_spec import load_portfolio_sweep

ROOT = Path(__file__).resolve().parents[2]
CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"

RANDOM = """\
"common.growth_shock" = { dist = "uniform", low = -0.03, high = 0.03 }
"common.discount_rate" = { dist = "uniform", low = 0.02, high = 0.09 }
"parks.gaozhu.firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.12 }
"parks.gaozhu.sharing.compliance" = { dist = "uniform", low = 0.5, high = 1.0 }
"parks.suitong.sharing.compliance" = { dist = "uniform", low = 0.5, high = 1.0 }
"parks.wandakai.firms.new-materials.growth" = { dist = "uniform", low = 0.0, high = 0.12 }
"parks.wandakai.investment.return_rate" = { dist = "uniform", low = 0.0, high = 0.08 }
"parks.neirong.firms.neijiang-biotech.growth" = { dist = "uniform", low = 0.0, high = 0.12 }
"""


def _portfolio(tmp: Path, fund: str | None = None) -> Path:
    """The shipped portfolio, its parks' files by absolute path, and ``fund`` for its
    fund's terms (the shipped ones by default)."""
    text = CHENGYU.read_text(encoding="utf-8")
    text = text.replace('file = "../', f'file = "{(ROOT / "scenarios").as_posix()}/')
    if fund is not None:
        stakes = text[text.index("[[fund.stakes]]") :]
        text = text.split("[fund]")[0] + fund + "\n" + stakes
    path = tmp / "portfolio.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _sweep(tmp: Path, portfolio: Path, params: str, n: int) -> Path:
    path = tmp / "sweep.toml"
    path.write_text(
        f'[sweep]\nportfolio = "{portfolio.as_posix()}"\nn = {n}\nseed = 11\n'
        f"\n[sweep.parameters]\n{params}",
        encoding="utf-8",
    )
    return path


def _close(got: dict[str, object], want: dict[str, object]) -> None:
    assert got.keys() == want.keys()
    for name, value in want.items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            scale = np.maximum(1.0, np.abs(value))
            assert np.array_equal(np.isnan(got[name]), np.isnan(value)), name  # type: ignore[call-overload]
            assert np.nanmax(np.abs(got[name] - value) / scale) <= 1e-12, name  # type: ignore[operator]


def test_the_fast_path_is_every_streams(tmp_path: Path) -> None:
    """On random scenarios (a common shock and discount rate, compliance, growth, the
    joint company's return), every column equals every park evaluated stream by stream,
    to 1e-12 of its size."""
    sweep = load_portfolio_sweep(_sweep(tmp_path, _portfolio(tmp_path), RANDOM, 300))
    fast = evaluate_block(sweep, 0, 300)
    _close(fast, evaluate_block(sweep, 0, 300, streams=True))
    assert np.ptp(fast["fund.npv.SC"]) > 0 and np.ptp(fast["park.wandakai.npv.CQ"]) > 0


def test_the_same_bits_whatever_the_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sweep = load_portfolio_sweep(_sweep(tmp_path, _portfolio(tmp_path), RANDOM, 200))
    whole = evaluate_chunk(sweep, 0, 200)
    monkeypatch.setattr("sim.portfolio.sweep.BLOCK", 7)
    cut = evaluate_chunk(sweep, 0, 200)
    for name, value in whole.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(cut[name], value, err_msg=name)
    tail = evaluate_chunk(sweep, 130, 200)  # a chunk that starts elsewhere
    np.testing.assert_array_equal(tail["fund.npv.CQ"], whole["fund.npv.CQ"][130:])


FIXED = """[fund]
contributions = { 2021 = 8.0, 2023 = 4.0, 2026 = 2.0 }
basis = "fixed"
shares = { SC = 0.45, CQ = 0.55 }
fee = 0.005
returns = "fixed"
return_shares = { SC = 0.3, CQ = 0.7 }
exit_multiple = 1.3
"""
BY_RETAINED = FIXED.replace(
    'basis = "fixed"\nshares = { SC = 0.45, CQ = 0.55 }', 'basis = "retained"'
)
BY_RETAINED = BY_RETAINED.replace('returns = "fixed"\nreturn_shares = { SC = 0.3, CQ = 0.7 }', "")


@pytest.mark.parametrize("fund", [FIXED, BY_RETAINED], ids=["fixed", "retained"])
def test_a_sweep_of_the_files_values_is_portfolio_run(tmp_path: Path, fund: str) -> None:
    """Contributions in years apart (the payout shares change between them), fixed or by
    retained tax, returns fixed or by contributions: each party's NPV from the fund is
    `sim portfolio run`'s."""
    portfolio = _portfolio(tmp_path, fund)
    rate = load_portfolio(portfolio).discount_rate
    params = f'"common.growth_shock" = [0.0]\n"common.discount_rate" = [{rate}]\n'
    cols = evaluate_chunk(load_portfolio_sweep(_sweep(tmp_path, portfolio, params, 2)), 0, 2)
    c = consolidate(load_portfolio(portfolio))
    for i, p in enumerate(c.portfolio.party_ids):
        np.testing.assert_allclose(cols[f"fund.npv.{p}"], c.fund_npv[i], rtol=1e-12)
        np.testing.assert_allclose(cols[f"fund.gain_vs_source.{p}"], c.fund_gain[i], rtol=1e-12)
        np.testing.assert_allclose(cols[f"npv.{p}"], c.npv[i], rtol=1e-12)


def test_the_summary_from_memory_is_the_summary_from_the_parts(tmp_path: Path) -> None:
    """Chunks run in this process are summarised from memory: the same as from their
    files (as after a resume, or from worker processes)."""
    import json

    from sim.portfolio.sweep_run import run_portfolio_sweep, summarize

    path = _sweep(tmp_path, _portfolio(tmp_path), RANDOM, 40)
    summary = run_portfolio_sweep(path, tmp_path / "out", chunk_size=16)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert summarize(tmp_path / "out", manifest) == summary
    assert summary["scenarios_done"] == 40 and "fund" in summary["scopes"]


def test_a_fund_that_runs_short_in_some_scenario_is_named(tmp_path: Path) -> None:
    """Where the capex grows in some scenarios until what the fund invests outruns what
    has been paid in, the sweep stops as `sim portfolio run` would: the year, what was
    paid in and what was spent."""
    from sim.portfolio.load import PortfolioError

    fund = FIXED.replace("{ 2021 = 8.0, 2023 = 4.0, 2026 = 2.0 }", "{ 2021 = 8.0, 2022 = 3.5 }")
    capex = '"parks.wandakai.investment.capex.2023" = { dist = "uniform", low = 1, high = 40 }\n'
    sweep = load_portfolio_sweep(_sweep(tmp_path, _portfolio(tmp_path, fund), capex, 50))
    with pytest.raises(PortfolioError, match=r"fund\.contributions: the fund runs short in 20\d\d"):
        evaluate_chunk(sweep, 0, 50)
