"""Portfolios (``sim portfolio``): every park inside equals ``sim run`` on the park alone,
money is conserved across the parks and the fund, bad files are told at once, and the
package deal's game, fair division and side payment hold their properties."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from itertools import product
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agreement import run
from sim.cli import main
from sim.errors import ConservationError, UndefinedError
from sim.games.tu import Game
from sim.model import STREAMS
from sim.portfolio import (
    PortfolioError,
    consolidate,
    load_portfolio,
    loads_portfolio,
    package,
    portfolio_game,
    side_payment,
)
from sim.portfolio.consolidate import check_portfolio

from ..conftest import ROOT

SHIPPED = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
SCENARIOS = ROOT / "scenarios"


def _portfolio(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text.replace("@S", str(SCENARIOS)), encoding="utf-8")
    return path


TWO = """
[meta]
name = "two"

[[parties]]
id = "A"
level = "province"

[[parties]]
id = "B"
level = "province"

[[parks]]
id = "cobuilt"
file = "@S/co-built-park.toml"
parties = { SC = "A", CQ = "B" }

[[parks]]
id = "gaozhu"
file = "@S/gaozhu.toml"
parties = { SC = "A", CQ = "B" }
"""


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    c = consolidate(load_portfolio(SHIPPED))
    return c, package(c)


def test_every_park_inside_equals_sim_run_alone(shipped) -> None:  # type: ignore[no-untyped-def]
    c, _ = shipped
    pids = c.portfolio.party_ids
    assert len(c.runs) >= 4
    for k, r in enumerate(c.runs):
        sc = r.park.scenario
        alone = run(sc)  # what `sim run` computes
        t = slice(sc.start_year - c.years[0], sc.start_year - c.years[0] + sc.n_years)
        for name in STREAMS:
            want = np.zeros((len(pids), sc.n_years))
            for i, pid in enumerate(sc.party_ids):
                want[pids.index(r.park.parties[pid])] += alone.stream(name)[0, i]
            if name in ("dividends", "investment"):
                want *= 1.0 - c.portfolio.stake(r.park.id)  # the fund's stake, shown
            np.testing.assert_allclose(c.streams[name][k][:, t], want, rtol=0, atol=1e-12)
            assert not c.streams[name][k][:, : t.start].any()
            assert not c.streams[name][k][:, t.stop :].any()
    assert {r.park.id for r in c.runs if r.stake > 0} == {"gaozhu", "wandakai"}


def test_without_a_fund_the_parks_are_sim_run_to_the_yuan(tmp_path: Path) -> None:
    c = consolidate(load_portfolio(_portfolio(tmp_path, TWO)))
    assert c.fund is None
    for k, r in enumerate(c.runs):
        alone = run(r.park.scenario)
        offset = r.park.scenario.start_year - c.years[0]
        npv = c.park_npv()[k] * (1 + c.portfolio.discount_rate) ** offset
        np.testing.assert_allclose(npv, alone.npv[0], rtol=1e-12)
        gain = alone.npv[0] - alone.source_npv[0]
        np.testing.assert_allclose(c.park_gain[k] * 1.05**offset, gain, rtol=1e-9, atol=1e-12)


def test_a_park_with_firm_incentives_carries_them_into_the_general_budget(
    tmp_path: Path,
) -> None:
    text = TWO.replace("@S/gaozhu.toml", "@S/joint-promotion-incentives.toml")
    c = consolidate(load_portfolio(_portfolio(tmp_path, text)))
    alone = run(c.runs[1].park.scenario)
    rebates = alone.stream("incentives")[0]  # (P, T) what each party pays or bears
    assert rebates.min() < 0  # the park has incentives: the test can fail
    t = slice(alone.years[0] - c.years[0], alone.years[0] - c.years[0] + len(alone.years))
    np.testing.assert_allclose(c.streams["incentives"][1][:, t], rebates, rtol=0, atol=1e-12)
    general = c.by_budget()["general_budget"]
    tax = c.streams["tax"].sum(axis=0)
    np.testing.assert_allclose(
        general, tax + c.streams["incentives"].sum(axis=0), rtol=0, atol=1e-12
    )


def test_json_and_text_end_to_end_in_both_languages() -> None:
    for cmd in ("run", "compare"):
        out = CliRunner().invoke(main, ["portfolio", cmd, str(SHIPPED), "--format", "json"])
        assert out.exit_code == 0, out.output
        doc = json.loads(out.output)
        assert doc["portfolio"] == "chengyu"
        for lang, word in (("en", "NPV"), ("zh", "净现值")):
            text = CliRunner().invoke(main, ["portfolio", cmd, str(SHIPPED), "--lang", lang])
            assert text.exit_code == 0 and word in text.output
    doc = json.loads(
        CliRunner().invoke(main, ["portfolio", "run", str(SHIPPED), "--format", "json"]).output
    )
    cons = doc["consolidated"]
    for q in ("SC", "CQ"):  # the budgets add up to the net, the streams to the budgets
        net = np.array(cons["net"][q])
        budgets = sum(np.array(cons["budgets"][b][q]) for b in doc["budgets"])
        streams = sum(np.array(cons["streams"][s][q]) for s in cons["streams"])
        np.testing.assert_allclose(budgets, net, atol=1e-12)
        np.testing.assert_allclose(streams, net, atol=1e-12)


def test_money_is_conserved_and_a_leak_is_caught(shipped) -> None:  # type: ignore[no-untyped-def]
    c, _ = shipped
    check_portfolio(c)  # as consolidate did
    f = c.fund
    paid = np.cumsum(f.contributions.sum(axis=0))
    spent = np.cumsum(f.invested.sum(axis=0) + f.fee + f.returned) + f.balance
    np.testing.assert_allclose(paid, spent, atol=1e-12)
    assert f.balance[-1] == pytest.approx(0.0, abs=1e-12)
    leaky = dict(c.streams)
    leaky["land"] = c.streams["land"].copy()
    leaky["land"][0, 0, 1] += 1e-3  # a thousandth of the unit given away
    with pytest.raises(ConservationError, match="land"):
        check_portfolio(replace(c, streams=leaky))
    lost = replace(f, dividends=f.dividends * 0.5)  # the fund's part of the dividends lost
    with pytest.raises(ConservationError, match="dividends"):
        check_portfolio(replace(c, fund=lost))


def test_overall_gain_is_the_parks_and_the_fund(shipped) -> None:  # type: ignore[no-untyped-def]
    c, _ = shipped
    no_agreement = 0.0
    for r in c.runs:
        alone = run(r.park.scenario)
        offset = r.park.scenario.start_year - c.years[0]
        no_agreement += alone.source_npv[0].sum() * 1.05**-offset
    assert c.gain.sum() == pytest.approx(c.npv.sum() - no_agreement, abs=1e-9)


def test_the_package_beats_standing_alone_though_not_park_by_park(shipped) -> None:  # type: ignore[no-untyped-def]
    c, pk = shipped
    sc = c.portfolio.party_ids.index("SC")
    assert pk.accepts[sc] and not pk.accepts_by_park[:, sc].all()
    text = CliRunner().invoke(main, ["portfolio", "compare", str(SHIPPED)]).output
    assert "SC gains overall though it loses to standing alone in: gaozhu, neirong" in text
    # efficiency of the fair-division rules, v(N) is the portfolio's total NPV
    assert pk.shapley.sum() == pytest.approx(pk.game.total, rel=1e-12)
    assert pk.nucleolus is not None and pk.nucleolus.sum() == pytest.approx(pk.game.total)
    assert pk.game.total == pytest.approx(c.npv.sum(), rel=1e-12)


def test_the_game_is_the_sum_of_the_parks_games(tmp_path: Path) -> None:
    c = consolidate(load_portfolio(_portfolio(tmp_path, TWO)))
    game, fund = portfolio_game(c)
    assert fund == pytest.approx(0.0, abs=1e-9)  # no fund: v(N) is the parks' alone
    for mask in (1, 2, 3):
        want = sum(r.values[r.mask(mask)] * 1.05**-(r.offset) for r in c.runs)
        assert game.v[mask] == pytest.approx(want, rel=1e-12)
    # mapping two of a park's parties onto one portfolio party merges them
    merged = TWO.replace(
        'parties = { SC = "A", CQ = "B" }\n\n[[parks]]',
        'parties = { SC = "A", CQ = "A" }\n\n[[parks]]',
        1,
    )
    c2 = consolidate(load_portfolio(_portfolio(tmp_path, merged)))
    g2, _ = portfolio_game(c2)
    cobuilt = c2.runs[0]
    assert cobuilt.mask(1) == 3 and cobuilt.mask(2) == 0
    assert g2.v[1] == pytest.approx(cobuilt.values[3] + c2.runs[1].values[1], rel=1e-12)


# -- the side payment: hand-computed cases and properties -----------------------------


def test_side_payment_by_hand() -> None:
    # v(A) = 4, v(B) = 2, v(C) = 0, v(N) = 12; the package gives A 3, B 6, C 3: A is 1 short
    v = np.zeros(8)
    v[1], v[2], v[4], v[7] = 4.0, 2.0, 0.0, 12.0
    g = Game(("A", "B", "C"), v)
    x = np.array([3.0, 6.0, 3.0])
    side = side_payment(g, x)
    assert side is not None and side.total == pytest.approx(1.0)
    # B's surplus 4, C's 3: each pays the same fraction of it (4/7 and 3/7)
    np.testing.assert_allclose(side.transfers, [1.0, -4 / 7, -3 / 7], atol=1e-9)
    assert {(p.payer, p.payee) for p in side.payments} == {("B", "A"), ("C", "A")}
    assert side_payment(g, x, at_most=1.0 - 1e-4) is None  # less cannot do
    # worth less than standing alone: no payment can
    v2 = v.copy()
    v2[7] = 5.0
    assert side_payment(Game(g.players, v2), np.array([1.0, 2.0, 2.0])) is None


def test_side_payment_to_the_core_by_hand() -> None:
    # {A, B} can get 8 alone; the package gives them 3 + 4 = 7: one more is needed, from C
    v = np.zeros(8)
    v[3], v[7] = 8.0, 12.0
    g = Game(("A", "B", "C"), v)
    x = np.array([3.0, 4.0, 5.0])
    assert side_payment(g, x).total == 0.0  # every party alone is satisfied
    core = side_payment(g, x, coalitions=True)
    assert core is not None and core.total == pytest.approx(1.0)
    assert g.in_core(x + core.transfers)
    assert side_payment(g, x, coalitions=True, at_most=0.999) is None
    v[3] = 13.0  # more than the whole: the core is empty
    assert side_payment(Game(g.players, v), x, coalitions=True) is None


@pytest.mark.parametrize("seed", range(30))
def test_side_payment_properties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    v = rng.normal(0, 5, 1 << n)
    v[0] = 0.0
    v[-1] = abs(v[-1]) + np.maximum([v[1 << i] for i in range(n)], 0).sum()  # worth more
    g = Game(tuple("ABCD"[:n]), v)
    x = rng.dirichlet(np.ones(n)) * g.total
    side = side_payment(g, x)
    assert side is not None
    after = x + side.transfers
    assert abs(side.transfers.sum()) < 1e-9
    assert (after - g.standalone >= -1e-9).all()  # every party's gain ≥ 0
    shortfall = np.maximum(g.standalone - x, 0).sum()
    assert side.total == pytest.approx(shortfall, abs=1e-9)  # the least there is
    if shortfall > 1e-3:
        assert side_payment(g, x, at_most=shortfall - 1e-4) is None
    assert sum(p.amount for p in side.payments) == pytest.approx(side.total, abs=1e-9)


# -- bad files ------------------------------------------------------------------------


def test_every_problem_at_once_with_file_and_key_path(tmp_path: Path) -> None:
    bad = TWO.replace('level = "province"', 'level = "state"', 1)
    bad = bad.replace('parties = { SC = "A", CQ = "B" }', 'parties = { SC = "A", XX = "Z" }', 1)
    bad += '\n[fund]\ncontributions = { 2021 = -1.0, "20x" = 1 }\n'
    bad += 'basis = "fixed"\nshares = { A = 0.5 }\n'
    path = _portfolio(tmp_path, bad)
    out = CliRunner().invoke(main, ["portfolio", "run", str(path)])
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    msg = out.output
    assert f"{path}: not a valid portfolio" in msg
    for where in (
        "parties.A.level",
        "parks.cobuilt.parties.XX",
        "parks.cobuilt.parties.CQ",
        "fund.contributions.2021",
        "fund.contributions.20x",
        "fund.shares.B",
    ):
        assert where in msg, where
    zh = CliRunner().invoke(main, ["portfolio", "run", str(path), "--lang", "zh"]).output
    assert "不是有效的园区组合文件" in zh


def test_a_park_files_problems_name_the_park_file(tmp_path: Path) -> None:
    park = tmp_path / "park.toml"
    park.write_text(
        (SCENARIOS / "co-built-park.toml").read_text().replace("growth = 0.03", "growth = -3"),
        encoding="utf-8",
    )
    text = TWO.replace("@S/co-built-park.toml", "park.toml").replace("@S/gaozhu.toml", "nope.toml")
    path = _portfolio(tmp_path, text)
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path)
    msg = str(err.value)
    assert f"parks.cobuilt.file: {park}: firms.machinery.growth: must be in" in msg
    assert f"parks.gaozhu.file: {tmp_path / 'nope.toml'}: no such file" in msg


def test_parks_in_other_units_or_rates_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        (SCENARIOS / "gaozhu.toml")
        .read_text()
        .replace("discount_rate = 0.05", "discount_rate = 0.06"),
        encoding="utf-8",
    )
    path = _portfolio(tmp_path, TWO.replace("@S/gaozhu.toml", str(other)))
    with pytest.raises(PortfolioError, match=r"parks\.gaozhu\.file: discount_rate 0.06 differs"):
        load_portfolio(path)


def test_a_fund_that_runs_short_is_bad_input(tmp_path: Path) -> None:
    text = TWO + (
        '\n[fund]\ncontributions = { 2021 = 1.0 }\nbasis = "fixed"\nshares = { A = 0.5, B = 0.5 }\n'
        '\n[[fund.stakes]]\npark = "gaozhu"\nstake = 0.5\n'
    )
    out = CliRunner().invoke(main, ["portfolio", "run", str(_portfolio(tmp_path, text))])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "fund.contributions: the fund runs short in 2021" in out.output


@pytest.mark.parametrize(
    ("basis", "returns"), list(product(["fixed", "retained"], ["contributions", "fixed"]))
)
def test_fund_contributions_and_returns(tmp_path: Path, basis: str, returns: str) -> None:
    text = TWO + (
        f'\n[fund]\ncontributions = {{ 2021 = 10.0, 2022 = 10.0 }}\nbasis = "{basis}"\n'
        f'returns = "{returns}"\nfee = 0.005\nexit_multiple = 1.5\n'
        + ("shares = { A = 0.7, B = 0.3 }\n" if basis == "fixed" else "")
        + ("return_shares = { A = 0.2, B = 0.8 }\n" if returns == "fixed" else "")
        + '\n[[fund.stakes]]\npark = "gaozhu"\nstake = 0.25\n'
    )
    c = consolidate(loads_portfolio(text.replace("@S", str(SCENARIOS)), "p.toml"))
    f = c.fund
    assert f is not None
    paid = f.contributions.sum(axis=1)
    if basis == "fixed":
        np.testing.assert_allclose(paid, [14.0, 6.0])
    else:  # by each party's own retained tax that year, across both parks
        tax = c.source["tax"].sum(axis=0)[:, :2]
        np.testing.assert_allclose(f.contributions[:, :2], 10 * tax / tax.sum(axis=0))
    got = f.distributed.sum(axis=1)
    if returns == "fixed":
        np.testing.assert_allclose(got / got.sum(), [0.2, 0.8])
    else:
        np.testing.assert_allclose(got / got.sum(), paid / paid.sum())
    gaozhu = c.runs[1]
    capex = -run(gaozhu.park.scenario).investment[0].sum()
    assert f.invested.sum() == pytest.approx(0.25 * capex)
    assert f.exit.sum() == pytest.approx(1.5 * 0.25 * capex)
    assert f.fee[-1] == pytest.approx(0.005 * 20.0)


# -- the settlement across the parks ------------------------------------------------


def test_settlement_nets_the_parks_statements(shipped) -> None:  # type: ignore[no-untyped-def]
    from sim.portfolio.statement import settle_portfolio
    from sim.settle import settle

    c, _ = shipped
    for year in (2021, 2030, 2041):
        st = settle_portfolio(c, year)
        for park, r in zip(st.parks, c.runs, strict=True):
            sc = r.park.scenario
            if not sc.start_year <= year <= sc.end_year:
                assert park.statement is None and not park.lines["net"].any()
                continue
            alone = settle(sc, r.batch, r.outcome, r.result, year)  # `sim settle` on the park
            for q, pid in enumerate(c.portfolio.party_ids):
                own = [i for i, o in enumerate(r.owner) if o == q]
                assert park.lines["tax"][q] == pytest.approx(alone.lines["tax"][own].sum())
                want = alone.lines["dividends"][own].sum() * (1 - r.stake)
                assert park.lines["dividends"][q] == pytest.approx(want, abs=1e-12), pid
        paid = {x.payer: 0.0 for x in st.payments}
        for x in st.payments:
            paid[x.payer] += x.amount
        assert len({(x.payer, x.payee) for x in st.payments}) == len(st.payments)
        for x in st.payments:  # no pair pays both ways
            assert (x.payee, x.payer) not in {(y.payer, y.payee) for y in st.payments}
        for i, q in enumerate(c.portfolio.party_ids):
            assert -st.net[i] == pytest.approx(paid.get(q, 0.0), abs=1e-12) or st.net[i] > 0


def test_settle_cli_gaozhu_2030_in_yuan_and_chinese() -> None:
    out = CliRunner().invoke(main, ["portfolio", "settle", str(SHIPPED), "--year", "2030"])
    assert out.exit_code == 0
    # gaozhu's own 2030 statement (docs/settle.md), then the one netted payment
    assert "gaozhu    CQ     SC     35,000,844.73" in out.output
    assert "CQ Chongqing pays SC Sichuan 72,137,542.74 yuan" in out.output
    zh = CliRunner().invoke(
        main, ["portfolio", "settle", str(SHIPPED), "--year", "2030", "--lang", "zh"]
    )
    assert "CQ 重庆 向 SC 四川 支付 72,137,542.74 元" in zh.output
    doc = json.loads(
        CliRunner()
        .invoke(main, ["portfolio", "settle", str(SHIPPED), "--year", "2030", "--format", "json"])
        .output
    )
    assert doc["payments"] == [{"from": "CQ", "to": "SC", "amount": pytest.approx(0.7213754274)}]
    bad = CliRunner().invoke(main, ["portfolio", "settle", str(SHIPPED), "--year", "2050"])
    assert bad.exit_code == 2 and "outside the portfolio's years 2021–2041" in bad.output


def test_the_manual_prints_what_the_commands_print() -> None:
    page = (ROOT / "docs" / "portfolio.md").read_text(encoding="utf-8")
    for args in (
        ["compare", str(SHIPPED)],
        ["compare", str(SHIPPED.parent / "gaozhu-neirong.toml")],
        ["settle", str(SHIPPED), "--year", "2030", "--lang", "zh"],
    ):
        out = CliRunner().invoke(main, ["portfolio", *args]).output
        tail = "\n".join(out.rstrip().splitlines()[-12:])
        assert tail in page, args


# -- any file: loaded, or refused with exit 2, never a crash ---------------------------

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["SC", "CQ", "2021", "x"]), st.floats(-1, 2), max_size=3),
)


def _paths(data: object, at: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [at] if at else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*at, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*at, i))
    return out


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_changed_file_is_loaded_or_refused_never_a_crash(data: st.DataObject) -> None:
    doc = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_paths(doc)))
        parent = doc
        for key in where[:-1]:
            parent = parent[key]  # type: ignore[index]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(where[-1], None)  # type: ignore[call-overload]
        else:
            parent[where[-1]] = data.draw(_VALUES)  # type: ignore[index]
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):  # not writable as TOML (None, NaN keys …)
        return
    try:
        c = consolidate(loads_portfolio(text, "p.toml", SHIPPED.parent))
        package(c)
    except (PortfolioError, UndefinedError):
        return


def test_settle_writes_the_statement_files(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "st"
    args = ["portfolio", "settle", str(SHIPPED), "--year", "2030", "--lang", "zh"]
    res = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "statement.docx",
        "statement.xlsx",
    ]
    book = openpyxl.load_workbook(out / "statement.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "CQ 重庆 向 SC 四川 支付 72,137,542.74 元" in cells
    # to the fen, as printed (72,137,542.7446923 exactly): the parks' payments add up to it
    assert any(isinstance(c, float) and abs(c - 72_137_542.74) < 1e-6 for c in cells)
    again = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert again.exit_code == 2  # an existing folder is not replaced without --force


def test_validate_says_ok_or_every_problem(tmp_path: Path) -> None:
    ok = CliRunner().invoke(main, ["portfolio", "validate", str(SHIPPED)])
    assert ok.exit_code == 0 and "(chengyu: 2 parties, 4 parks, fund: yes)" in ok.output
    bad = _portfolio(tmp_path, TWO.replace('level = "province"', 'level = "state"', 1))
    out = CliRunner().invoke(main, ["portfolio", "validate", str(SHIPPED), str(bad)])
    assert out.exit_code == 1 and "parties.A.level: must be one of" in out.output


def test_the_shipped_game_by_hand(shipped) -> None:  # type: ignore[no-untyped-def]
    c, pk = shipped
    g = pk.game
    parks = [(r, 1.05**-(r.offset)) for r in c.runs]
    for q in (0, 1):  # v({q}): every park's parties of q standing alone, discounted to 2021
        assert g.v[1 << q] == pytest.approx(sum(r.values[r.mask(1 << q)] * f for r, f in parks))
    whole = sum(r.values[-1] * f for r, f in parks)
    assert g.v[3] == pytest.approx(whole + pk.fund_value)
    assert pk.fund_value == pytest.approx(c.npv.sum() - whole)
    # two players: the Shapley value and the nucleolus split the surplus in half
    half = (g.v[3] - g.v[1] - g.v[2]) / 2
    np.testing.assert_allclose(pk.shapley, [g.v[1] + half, g.v[2] + half], rtol=1e-12)
    np.testing.assert_allclose(pk.nucleolus, pk.shapley, rtol=1e-9)


# -- a portfolio as a workbook ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workbook_reads_as_its_toml_file(tmp_path: Path, lang: str) -> None:
    book = tmp_path / "p.xlsx"
    res = CliRunner().invoke(
        main, ["portfolio", "workbook", str(SHIPPED), str(book), "--lang", lang]
    )
    assert res.exit_code == 0, res.output
    docs = [
        json.loads(
            CliRunner().invoke(main, ["portfolio", "run", str(f), "--format", "json"]).output
        )
        for f in (SHIPPED, book)
    ]
    for doc in docs:
        for park in doc["parks"]:
            park.pop("file")
    assert docs[0] == docs[1]


@pytest.mark.parametrize("onto", ["a file of yours", "the portfolio file itself"])
def test_a_workbook_never_replaces_a_file(tmp_path: Path, onto: str) -> None:
    source = tmp_path / "p.toml"
    parks = f'file = "{SHIPPED.parent}/../'
    text = SHIPPED.read_text(encoding="utf-8").replace('file = "../', parks)
    source.write_text(text, encoding="utf-8")
    book = tmp_path / "mine.xlsx" if onto == "a file of yours" else source
    before = b"mine" if book != source else source.read_bytes()
    book.write_bytes(before)
    res = CliRunner().invoke(main, ["portfolio", "workbook", str(source), str(book)])
    assert res.exit_code == 2 and "exists" in res.output, res.output
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"p.toml", book.name})


def test_a_workbooks_problems_are_told_at_their_cells(tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "p.xlsx"
    CliRunner().invoke(main, ["portfolio", "workbook", str(SHIPPED), str(book)])
    wb = openpyxl.load_workbook(book)
    wb["parties"]["D2"] = "state"
    wb["fund"]["B4"] = "a lot"  # the fee
    wb["stakes"]["A3"] = "nowhere"
    wb["contributions"]["B2"] = "=2+3"  # a formula never computed
    wb.create_sheet("extra")
    wb.save(book)
    out = CliRunner().invoke(main, ["portfolio", "run", str(book)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    for where in (
        "parties!D2: must be one of 'province'",
        "fund!B4: must be a number",
        "stakes!A3: unknown park 'nowhere'",
        "'extra': unknown sheet",
        "contributions!B2: a formula whose value was never computed",
    ):
        assert where in out.output, where
    (tmp_path / "not.xlsx").write_text("plain text")
    out = CliRunner().invoke(main, ["portfolio", "run", str(tmp_path / "not.xlsx")])
    assert out.exit_code == 2 and "not an .xlsx workbook" in out.output


def test_a_park_inside_equals_the_sim_run_command() -> None:
    # literally the command: `sim run scenarios/neirong.toml --format json`
    run_doc = json.loads(
        CliRunner()
        .invoke(main, ["run", str(SCENARIOS / "neirong.toml"), "--format", "json"])
        .output
    )
    pf = json.loads(
        CliRunner().invoke(main, ["portfolio", "run", str(SHIPPED), "--format", "json"]).output
    )
    park = next(p for p in pf["parks"] if p["id"] == "neirong")
    offset = run_doc["years"][0] - pf["years"][0]
    n = len(run_doc["years"])
    for pid, q in park["parties"].items():
        for s in STREAMS:
            got = park["streams"][s][q][offset : offset + n]
            want = run_doc["flows"][pid].get(s, [0.0] * n)  # a stream the park has none of
            assert got == pytest.approx(want, rel=0, abs=1e-12), (pid, s)
