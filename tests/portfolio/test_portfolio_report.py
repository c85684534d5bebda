"""The portfolio's report (``sim report`` on a portfolio file): every number in it is the
one ``sim portfolio run|compare --format json`` gives, and the Chinese report has no
English words but ids."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim import i18n, style
from sim.cli import main
from sim.portfolio import consolidate, load_portfolio, package
from sim.portfolio.report import is_portfolio, portfolio_report

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "portfolios" / "chengyu.toml"


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    c = consolidate(load_portfolio(SHIPPED))
    pk = package(c)
    docs = {
        cmd: json.loads(
            CliRunner().invoke(main, ["portfolio", cmd, str(SHIPPED), "--format", "json"]).output
        )
        for cmd in ("run", "compare")
    }
    return c, pk, docs


def _close(got: object, want: object) -> None:
    assert np.asarray(got, dtype=float) == pytest.approx(
        np.asarray(want, dtype=float), rel=1e-12, abs=1e-12, nan_ok=True
    )


def test_every_number_is_the_json_commands(shipped) -> None:  # type: ignore[no-untyped-def]
    c, pk, docs = shipped
    run = docs["run"]
    rep = portfolio_report(c, pk, "en")
    tables = list(rep.tables.values())
    pids = run["parties"] and [p["id"] for p in run["parties"]]
    npv = tables[0].set_index("park")
    for park in run["parks"]:
        for q in pids:
            _close(npv.loc[park["id"], f"{q} NPV"], park["npv"][q])
            _close(npv.loc[park["id"], f"{q} gain"], park["gain"][q])
    for q in pids:
        _close(npv.loc["fund", f"{q} NPV"], run["fund"]["npv"][q])
        _close(npv.loc["total", f"{q} gain"], run["consolidated"]["gain"][q])
        _close(npv.loc["total", f"{q} NPV"], run["consolidated"]["npv"][q])
    for i, q in enumerate(pids):  # each party's budgets by year
        budget = tables[1 + i]
        _close(budget["year"], run["years"])
        for b, head in zip(
            ("general_budget", "fund_budget", "state_capital"), list(budget.columns)[1:4],
            strict=True,
        ):  # fmt: skip
            _close(budget[head], run["consolidated"]["budgets"][b][q])
        _close(budget[i18n.t("net")], run["consolidated"]["net"][q])
    fund = tables[1 + len(pids)]
    _close(fund["balance"], run["fund"]["balance"])
    _close(fund["fee"], run["fund"]["fee"])
    _close(fund["paid back"], run["fund"]["returned"])


def test_the_package_deal_is_the_compare_commands(shipped) -> None:  # type: ignore[no-untyped-def]
    c, pk, docs = shipped
    cmp = docs["compare"]
    tables = list(portfolio_report(c, pk, "en").tables.values())
    pids = cmp["parties"]
    by_park = tables[2 + len(pids)]
    for park in cmp["parks"]:
        for q, value in park["npv"].items():
            row = by_park[(by_park["park"] == park["id"]) & (by_park["party"] == q)]
            _close(row["NPV"], [value])
            _close(row["Standing alone"], [park["standalone"][q]])
    deal = tables[3 + len(pids)].set_index("party")
    for q in pids:
        _close(deal.loc[q, "NPV"], cmp["package"]["npv"][q])
        _close(deal.loc[q, "Standing alone"], cmp["package"]["standalone"][q])
        _close(deal.loc[q, "gain over alone"], cmp["package"]["gain"][q])
        _close(deal.loc[q, style.label("shapley")], cmp["shapley"][q])
        _close(deal.loc[q, style.label("nucleolus")], cmp["nucleolus"][q])
    side = tables[4 + len(pids)]
    for key, doc in (("pfr_side_accept", "side_payment"), ("pfr_side_core", "side_payment_core")):
        rows = side[side["to"] == i18n.t(key)]
        want = cmp[doc]["payments"]
        if want:
            _close(rows["Amount"], [x["amount"] for x in want])
            assert list(rows["Payer"]) == [x["from"] for x in want]
        else:
            _close(rows["Amount"], [0.0 if cmp[doc] is not None else np.nan])


def test_the_report_command_writes_html_xlsx_and_docx_in_both_languages(
    tmp_path: Path, blank_pictures: None
) -> None:
    assert is_portfolio(SHIPPED) and not is_portfolio(ROOT / "scenarios" / "gaozhu.toml")
    docx = ["report", str(SHIPPED), "--to", "docx", "--out", str(tmp_path / "en")]
    got = CliRunner().invoke(main, docx)
    assert got.exit_code == 0, got.output
    assert (tmp_path / "en" / "report.docx").stat().st_size > 10_000
    out = tmp_path / "zh"
    got = CliRunner().invoke(main, ["report", str(SHIPPED), "--lang", "zh", "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert {"report.html", "tables.xlsx", "portfolio-gain.png"} <= {p.name for p in out.iterdir()}
    sheets = pd.read_excel(out / "tables.xlsx", sheet_name=None)
    assert len(sheets) >= 8  # findings and every table
    text = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    text = re.sub(r'src="data:[^"]*"', "", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    assert "表 1." in text and "图 1." in text
    words = set(re.findall(r"[A-Za-z][A-Za-z_]+", text))
    p = load_portfolio(SHIPPED)
    ids = {*p.party_ids, p.name, *(k.id for k in p.parks)}
    ids |= {q for k in p.parks for q in k.parties}
    names = {"Shapley", "HiGHS", "sim", "run"}  # proper names, and the `sim run` command
    assert words - ids - names == set()
    assert words & ids  # the check looks at the page's words


def test_plot_takes_every_kind_a_portfolio_report_draws(tmp_path: Path, shipped) -> None:  # type: ignore[no-untyped-def]
    c, pk, _ = shipped
    keys = {f.key for f in portfolio_report(c, pk, "en").figures}
    kinds = {
        k for k in style.FIGURE_KINDS if any(key == k or key.startswith(f"{k}-") for key in keys)
    }
    # every figure the report draws is one `sim plot` can draw on its own
    assert all(any(key == k or key.startswith(f"{k}-") for k in kinds) for key in keys)
    assert kinds == {"portfolio-gain", "portfolio-budget", "portfolio-package"}
    for kind in sorted(kinds):
        png = tmp_path / f"{kind}.png"
        args = ["plot", str(SHIPPED), "--kind", kind, "--out", str(png), "--lang", "zh"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (kind, result.output)
        assert png.read_bytes().startswith(b"\x89PNG")
        assert result.output.startswith("已写入"), result.output
    png = tmp_path / "cq.png"
    args = ["plot", str(SHIPPED), "--kind", "portfolio-budget", "--party", "CQ", "--out", str(png)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "(CQ's; --party for another: SC)" in result.output, (
        result.output
    )


def test_plot_takes_every_kind_a_portfolio_sweep_report_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.portfolio.sweep_report as sweep_report
    from sim.decisions.discover import MissingExtraError

    def without_prim(*args: object) -> None:  # its tables only; importing PRIM takes 15 s
        raise MissingExtraError("sim[decisions]")

    monkeypatch.setattr(sweep_report, "portfolio_discover", without_prim)
    sweep = ROOT / "scenarios" / "sweeps" / "gaozhu-neirong-portfolio.toml"
    text = re.sub(r"\bn = \d+", "n = 8", sweep.read_text(encoding="utf-8"))
    path = tmp_path / "s.toml"
    path.write_text(text.replace("../portfolios/", SHIPPED.parent.as_posix() + "/"), "utf-8")
    folder = tmp_path / "sweep"
    got = CliRunner().invoke(main, ["portfolio", "sweep", str(path), "--out", str(folder)])
    assert got.exit_code == 0, got.output
    got = CliRunner().invoke(main, ["report", str(folder), "--out", str(tmp_path / "rep")])
    assert got.exit_code == 0, got.output
    assert got.output.rstrip().endswith("tables.xlsx and 1 figure"), got.output
    drawn = {p.stem for p in (tmp_path / "rep").glob("*.png")}
    assert drawn == {"portfolio-robust"}
    for kind in drawn:
        png = tmp_path / f"{kind}.png"
        args = ["plot", str(folder), "--kind", kind, "--out", str(png)]
        got = CliRunner().invoke(main, args)
        assert got.exit_code == 0, got.output
        assert png.read_bytes().startswith(b"\x89PNG")
    # a park sweep's kind: refused, naming the kinds this folder draws
    for lang in ("en", "zh"):
        args = ["plot", str(folder), "--kind", "robust", "--lang", lang]
        got = CliRunner().invoke(main, args)
        assert got.exit_code == 2 and "portfolio-robust" in got.output, got.output
        assert "Traceback" not in got.output
