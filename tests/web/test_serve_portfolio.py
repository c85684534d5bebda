"""sim serve on a portfolio: the page's every number is `sim portfolio run`, `compare`
and `settle` on the equivalent TOML (the edits written into park files and a portfolio
file by tomli-w, not by sim), problems beside their fields in the page's language, the
Chinese page without English words, the statement's download, and the page in
headless Chromium."""

from __future__ import annotations

import io
import json
import re
import tomllib
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import tomli_w
from click.testing import CliRunner

from sim.cli import main
from sim.output import _num
from sim.portfolio import load_portfolio

from ..conftest import ROOT

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

from sim.web import make_app  # noqa: E402  (after the Flask check)

from .test_serve import _page_client, chrome, serving, waiting  # noqa: E402

CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
EDITS = {
    "parks.gaozhu.sharing.shares.SC": "0.6",
    "parks.gaozhu.sharing.shares.CQ": "0.4",
    "parks.neirong.sharing.shares.NJ": "0.55",
    "parks.neirong.sharing.shares.RC": "0.45",
    "fund.fee": "0.012",
    "fund.stakes.gaozhu": "0.15",
    "fund.stakes.suitong": "0.05",
    "fund.contributions.2024": "6",
    "fund.returns": "fixed",
    "fund.return_shares.SC": "0.45",
    "fund.return_shares.CQ": "0.55",
    "fund.exit_multiple": "1.2",
}


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return make_app(tmp_path, portfolio=load_portfolio(CHENGYU), name="chengyu.toml")


@pytest.fixture
def client(app: flask.Flask) -> Any:
    return _page_client(app)


def _pid(client: Any) -> str:
    response = client.get("/")
    assert response.status_code == 302, response.data
    m = re.search(r"/p/([A-Za-z0-9_-]+)", response.headers["Location"])
    assert m is not None
    return m.group(1)


@pytest.fixture
def pid(client: Any) -> str:
    return _pid(client)


def _evaluate(client: Any, pid: str, fields: dict[str, str], **body: Any) -> Any:
    return client.post(f"/p/{pid}/api/evaluate", json={"lang": "en", "fields": fields, **body})


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _json(*args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_cli(*args, "--format", "json"))
    return doc


def _equivalent(tmp_path: Path, fields: dict[str, str]) -> Path:
    """The portfolio TOML the page's ``fields`` describe: chengyu.toml with each park
    whose shares were edited copied with its new shares, and the fund's figures
    written in, by tomli-w."""
    data = tomllib.loads(CHENGYU.read_text(encoding="utf-8"))
    for park in data["parks"]:
        shares = {
            k.rsplit(".", 1)[1]: float(v)
            for k, v in fields.items()
            if k.startswith(f"parks.{park['id']}.sharing.shares.")
        }
        source = (CHENGYU.parent / park["file"]).resolve()
        if shares:
            scenario = tomllib.loads(source.read_text(encoding="utf-8"))
            scenario["sharing"]["shares"] = shares
            source = tmp_path / f"{park['id']}.toml"
            source.write_text(tomli_w.dumps(scenario), encoding="utf-8")
        park["file"] = str(source)
    fund = data["fund"]
    stakes = {s["park"]: s["stake"] for s in fund["stakes"]}
    for name, value in fields.items():
        head, _, key = name.removeprefix("fund.").partition(".")
        if not name.startswith("fund."):
            continue
        if head == "stakes":
            stakes[key] = float(value)
        elif head in ("contributions", "return_shares", "shares"):
            fund.setdefault(head, {})[key] = float(value)
        else:
            fund[head] = value if head in ("basis", "returns") else float(value)
    fund["stakes"] = [{"park": k, "stake": v} for k, v in stakes.items()]
    path = tmp_path / "edited.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _no_files(doc: Any) -> Any:
    """A document without the parks' file names (the equivalent file names others)."""
    if isinstance(doc, dict):
        return {k: _no_files(v) for k, v in doc.items() if k != "file"}
    if isinstance(doc, list):
        return [_no_files(v) for v in doc]
    return doc


def _table(html: str, tid: str) -> list[list[str]]:
    """The cells of the table ``tid`` of a fragment, as the page shows them."""
    m = re.search(rf'<table class="numbers" id="{re.escape(tid)}">(.*?)</table>', html, re.S)
    assert m is not None, tid
    body = m.group(1).split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows
    ]


def _text_rows(text: str) -> list[list[str]]:
    """The rows of a command's text tables (cells apart by two spaces or more)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- numbers


def test_the_portfolio_opens_first_and_its_numbers_are_the_commands(client: Any, pid: str) -> None:
    page = client.get(f"/p/{pid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="parks.gaozhu.sharing.shares.SC" id="f-parks.gaozhu.sharing.shares.SC"' in html
    assert 'name="fund.fee"' in html and 'value="0.01"' in html
    assert "f-parks.wandakai.sharing" not in html  # equity shares: the terms as the file has them
    answer = _evaluate(client, pid, {}).json
    assert answer["ok"] and answer["year"] == 2022  # the first year an agreement moves money
    docs = answer["documents"]
    assert docs["run"] == _json("portfolio", "run", str(CHENGYU))
    assert docs["compare"] == _json("portfolio", "compare", str(CHENGYU))
    assert docs["settle"] == _json("portfolio", "settle", str(CHENGYU), "--year", "2022")
    year = _evaluate(client, pid, {}, year=2030).json
    assert year["documents"]["settle"] == _json(
        "portfolio", "settle", str(CHENGYU), "--year", "2030"
    )


def test_a_portfolio_without_a_fund_is_the_commands(tmp_path: Path) -> None:
    path = ROOT / "scenarios" / "portfolios" / "gaozhu-neirong.toml"
    client = _page_client(make_app(tmp_path, portfolio=load_portfolio(path), name="gn.toml"))
    pid = _pid(client)
    page = client.get(f"/p/{pid}").get_data(as_text=True)
    assert 'name="fund.' not in page and 'name="parks.neirong.sharing.shares.NJ"' in page
    fields = {"parks.neirong.sharing.shares.NJ": "0.5", "parks.neirong.sharing.shares.RC": "0.5"}
    answer = _evaluate(client, pid, fields, year=2030).json
    edited = tomllib.loads(path.read_text(encoding="utf-8"))
    neirong = tomllib.loads((path.parent / "../neirong.toml").read_text(encoding="utf-8"))
    neirong["sharing"]["shares"] = {"NJ": 0.5, "RC": 0.5}
    (tmp_path / "neirong.toml").write_text(tomli_w.dumps(neirong), encoding="utf-8")
    for park in edited["parks"]:
        park["file"] = str((path.parent / park["file"]).resolve())
    edited["parks"][1]["file"] = str(tmp_path / "neirong.toml")
    file = tmp_path / "gn.toml"
    file.write_text(tomli_w.dumps(edited), encoding="utf-8")
    docs = answer["documents"]
    assert _no_files(docs["run"]) == _no_files(_json("portfolio", "run", str(file)))
    assert docs["compare"] == _json("portfolio", "compare", str(file))
    assert docs["settle"] == _json("portfolio", "settle", str(file), "--year", "2030")
    assert 'id="fund"' not in answer["html"]["results"]
    assert _evaluate(client, pid, {"fund.fee": "0.1"}).status_code == 400  # no fund here


def test_every_edit_is_the_commands_on_the_equivalent_file(
    client: Any, pid: str, tmp_path: Path
) -> None:
    answer = _evaluate(client, pid, EDITS, year=2030)
    assert answer.status_code == 200, answer.json
    docs, html = answer.json["documents"], answer.json["html"]
    path = str(_equivalent(tmp_path, EDITS))
    run = _json("portfolio", "run", path)
    assert _no_files(docs["run"]) == _no_files(run)
    assert docs["compare"] == _json("portfolio", "compare", path)
    assert docs["settle"] == _json("portfolio", "settle", path, "--year", "2030")
    assert docs["run"] != _evaluate(client, pid, {}).json["documents"]["run"]  # it moved

    # the tables the page shows are the commands' text, cell by cell
    text = _text_rows(_cli("portfolio", "run", path))
    npv = _table(html["results"], "npv")
    assert [r for r in text if r[0] in {x[0] for x in npv} and len(r) == len(npv[0])] == npv
    settle = _text_rows(_cli("portfolio", "settle", path, "--year", "2030"))
    for tid in ("statement-0", "statement-1", "statement-2", "statement-3"):
        shown = _table(html["statement"], tid)
        assert shown and all(row in settle for row in shown), tid
    compare = _text_rows(_cli("portfolio", "compare", path))
    by_park = _table(html["package"], "by-park")
    assert len(by_park) == 8 and all(row in compare for row in by_park)

    # each budget's NPV: a park's budgets add up to its NPV, the totals are the
    # consolidated budgets of `sim portfolio run` discounted
    rate, first = run["discount_rate"], run["years"][0]
    for q in run["parties"]:
        rows = {r[0]: [float(c.replace(",", "")) for c in r[1:]] for r in _table(
            html["results"], f"budget-npv-{q['id']}")}  # fmt: skip
        for park in run["parks"]:
            cells = rows[park["id"]]
            assert cells[6] == float(_num(park["npv"][q["id"]]).replace(",", ""))
            assert abs(cells[0] + cells[2] + cells[4] - cells[6]) <= 2e-3
            assert abs(cells[1] + cells[3] + cells[5] - cells[7]) <= 2e-3
        total = rows["total"]
        for i, b in enumerate(("general_budget", "fund_budget", "state_capital")):
            yearly = run["consolidated"]["budgets"][b][q["id"]]
            npv = sum(
                x / (1 + rate) ** (y - first) for x, y in zip(yearly, run["years"], strict=True)
            )
            assert abs(total[2 * i] - npv) <= 5e-4
        gain = run["consolidated"]["gain"][q["id"]]
        assert abs(total[1] + total[3] + total[5] - gain) <= 2e-3


def test_the_statement_downloads_as_sim_portfolio_settle_writes_it(
    client: Any, app: flask.Flask, pid: str, tmp_path: Path
) -> None:
    token = app.extensions["sim"].guard.token
    path = _equivalent(tmp_path, EDITS)
    out = tmp_path / "out"
    _cli("portfolio", "settle", str(path), "--year", "2030", "--lang", "zh", "--out", str(out))
    form = {**EDITS, "lang": "zh", "year": "2030", "token": token}
    got = client.post(f"/p/{pid}/download/statement.xlsx", data=form)
    assert got.status_code == 200 and "chengyu-2030-statement.xlsx" in got.headers[
        "Content-Disposition"]  # fmt: skip

    def cells(data: bytes) -> list[list[Any]]:
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]

    assert cells(got.data) == cells((out / "statement.xlsx").read_bytes())
    docx = client.post(f"/p/{pid}/download/statement.docx", data=form)
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    bad = client.post(f"/p/{pid}/download/statement.xlsx", data={**form, "fund.fee": "x"})
    assert bad.status_code == 422
    assert client.post(f"/p/{pid}/download/report.exe", data=form).status_code == 404


# --------------------------------------------------------------------------- problems


def test_problems_go_beside_their_fields_in_the_page_s_language(client: Any, pid: str) -> None:
    fields = {
        "parks.gaozhu.sharing.shares.SC": "0.7",  # sums to 1.2
        "fund.fee": "abc",
        "fund.stakes.wandakai": "1.5",
        "fund.basis": "fixed",  # shares then needed
    }
    answer = client.post(f"/p/{pid}/api/evaluate", json={"lang": "zh", "fields": fields})
    assert answer.status_code == 422
    found = {p["slot"]: p for p in answer.json["problems"]}
    shares = found["parks.gaozhu.sharing.shares"]
    assert shares["message"] == "之和须为 1，实为 1.2" and shares["label"] == "税收分成比例"
    assert found["fund.fee"]["label"] == "管理费率" and "须为数字" in found["fund.fee"]["message"]
    stake = found["fund.stakes.wandakai"]  # named by its park, as `sim portfolio run` does
    assert (stake["path"], stake["field"]) == ("fund.stakes.wandakai.stake", "fund.stakes.wandakai")
    assert "fund.shares" in found and found["fund.shares"]["label"] == "缴款比例"
    checked = client.post(f"/p/{pid}/api/validate", json={"lang": "en", "fields": fields}).json
    assert not checked["ok"] and {p["slot"] for p in checked["problems"]} == set(found)
    assert "must sum to 1, got 1.2" in {p["message"] for p in checked["problems"]}
    # a fund that runs short: beside its contributions
    short = _evaluate(client, pid, {"fund.stakes.gaozhu": "0.9"}).json
    assert [p["slot"] for p in short["problems"]] == ["fund.contributions"]
    assert "runs short" in short["problems"][0]["message"] or "2021" in short["problems"][0][
        "message"]  # fmt: skip
    fixed = _evaluate(client, pid, {"fund.basis": "fixed", "fund.shares.SC": "0.5",
                                    "fund.shares.CQ": "0.5"})  # fmt: skip
    assert fixed.status_code == 200


def test_requests_the_page_never_sends_are_refused(client: Any, pid: str) -> None:
    assert _evaluate(client, pid, {"parks.nowhere.sharing.shares.SC": "1"}).status_code == 400
    assert _evaluate(client, pid, {"fund.stakes.nowhere": "0.1"}).status_code == 400
    assert _evaluate(client, pid, {"fund.fee": ["0.1"]}).status_code == 400
    assert _evaluate(client, pid, {}, year=1999).status_code == 400
    assert _evaluate(client, pid, {}, year="x").status_code == 400
    assert _evaluate(client, "nonexistent-id", {}).status_code == 404
    assert client.get("/p/nonexistent-id").status_code == 404


# --------------------------------------------------------------------------- Chinese


def test_the_chinese_page_has_no_english_words(client: Any, pid: str) -> None:
    from ..cli.test_glossary import _untranslated, _visible_text

    page = client.get(f"/p/{pid}?lang=zh").get_data(as_text=True)
    page = re.sub(r'<script type="application/json".*?</script>', " ", page, flags=re.S)
    parts = _evaluate(client, pid, {}, lang="zh").json["html"]
    p = load_portfolio(CHENGYU)
    allowed = {p.name, *p.party_ids, *(k.id for k in p.parks), "sim", "chengyu", "toml"}
    allowed |= {x for k in p.parks for x in k.scenario.party_ids} | {"xlsx", "Word"}
    allowed |= {"Shapley", "HiGHS", "run"}  # a method's name, a command (as the report has)
    for html in (page, *parts.values()):
        assert _untranslated(_visible_text(html), allowed) == set()
    assert "园区组合年终结算单 2022" in parts["statement"] and "一揽子方案" in page


def test_the_chinese_page_names_every_park_by_its_chinese_name(client: Any, pid: str) -> None:
    """A park's id is the fields' key, never shown: its legend, its stake's label and a
    problem's label name it by ``Park.label`` (its Chinese name)."""
    from ..cli.test_glossary import _visible_text

    p = load_portfolio(CHENGYU)
    page = client.get(f"/p/{pid}?lang=zh").get_data(as_text=True)
    page = re.sub(r'<script type="application/json".*?</script>', " ", page, flags=re.S)
    parts = _evaluate(client, pid, {}, lang="zh").json["html"]
    problem = _evaluate(client, pid, {"fund.stakes.gaozhu": "1.5"}, lang="zh").json["problems"]
    shown = [_visible_text(html) for html in (page, *parts.values())]
    shown += [f"{x['label']} {x['message']}" for x in problem]
    for text in shown:
        assert [k.id for k in p.parks if k.id in text] == []
    gaozhu = p.parks[0].label("zh")
    assert f"持股比例：{gaozhu}" in shown[0] and problem[0]["label"] == f"持股比例：{gaozhu}"
    assert all(f"{k.label('zh')} · " in shown[0] for k in p.parks)  # each park's legend
    assert "gaozhu · " in _visible_text(client.get(f"/p/{pid}?lang=en").get_data(as_text=True))


def test_a_chinese_portfolio_workbook_opens_a_chinese_page(tmp_path: Path) -> None:
    book = tmp_path / "chengyu.xlsx"
    _cli("portfolio", "workbook", str(CHENGYU), str(book), "--lang", "zh")
    client = _page_client(make_app(tmp_path, portfolio=load_portfolio(book), name="chengyu.xlsx"))
    location = client.get("/").headers["Location"]
    assert location.endswith("lang=zh")
    assert "成渝合作平台" in client.get(location).get_data(as_text=True)


def test_the_start_page_opens_a_shipped_portfolio(tmp_path: Path) -> None:
    from sim.scenario import load

    client = _page_client(make_app(tmp_path, load(ROOT / "scenarios" / "gaozhu.toml")))
    start = client.get("/open").get_data(as_text=True)
    assert 'value="shipped/portfolios/chengyu.toml"' in start
    opened = client.post("/open?lang=zh", data={"file": "shipped/portfolios/chengyu.toml"})
    assert opened.status_code == 303 and "/p/" in opened.headers["Location"]
    assert "lang=zh" in opened.headers["Location"]
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "成渝合作平台" in page
    scenario = client.post("/open", data={"file": "shipped/gaozhu.toml"})  # still a scenario
    assert scenario.status_code == 303 and "/w/" in scenario.headers["Location"]


def test_a_broken_portfolio_opened_lists_each_problem_at_its_item(tmp_path: Path) -> None:
    _cli("portfolio", "workbook", str(CHENGYU), str(tmp_path / "p.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    wb["parks"]["D4"] = "nope.toml"  # wandakai's file
    wb["stakes"]["B3"] = 1.5  # wandakai's stake
    wb.save(tmp_path / "p.xlsx")
    text = CHENGYU.read_text(encoding="utf-8").replace('"../wandakai.toml"', '"nope.toml"')
    (tmp_path / "p.toml").write_text(text.replace("../", f"{CHENGYU.parent}/../"), "utf-8")
    client = _page_client(make_app(tmp_path))
    for name, where in (
        ("p.xlsx", ["parks!D4", "stakes!B3"]),  # at its cell, found by the park's row
        ("p.toml", ["parks.wandakai.file"]),  # by the park's id
    ):
        page = client.post("/open", data={"file": f"folder/{name}"})
        assert page.status_code == 422
        assert re.findall(r"<li><code>([^<]*)</code>", page.get_data(as_text=True)) == where


def test_sim_serve_opens_the_portfolio_file_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sim.web

    made: list[flask.Flask] = []

    class Stopped:  # the server: stopped at once, as by Ctrl-C
        server_port = 8765

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    monkeypatch.setattr(
        sim.web, "make_server", lambda app, host, port: made.append(app) or Stopped()
    )
    monkeypatch.setattr(sim.web, "warm_up", lambda app: None)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", str(CHENGYU), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    client = _page_client(made[0])
    location = client.get("/").headers["Location"]  # in the language asked for
    assert location.endswith("lang=zh")
    page = client.get(location).get_data(as_text=True)
    assert "成渝合作平台" in page and 'name="fund.fee"' in page


def test_sim_serve_refuses_a_bad_portfolio_before_listening(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('parks = []\n[meta]\nname = "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", str(bad)])
    assert result.exit_code == 2 and "not a valid portfolio" in result.stderr


# --------------------------------------------------------------------------- browser


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with serving(make_app(tmp_path, portfolio=load_portfolio(CHENGYU), name="chengyu.toml")) as url:
        yield url


@pytest.mark.slow
def test_the_portfolio_page_in_a_browser(served: str, tmp_path: Path) -> None:
    driver = chrome()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    wait = waiting(driver)
    shots = tmp_path / "screenshots"
    shots.mkdir()

    def settled(words: str) -> None:
        wait.until(lambda d: words in d.find_element(By.ID, "status").text)

    def rows(tid: str) -> list[list[str]]:
        found: list[list[str]] = driver.execute_script(
            "return [...document.querySelectorAll(`#${arguments[0]} tbody tr`)]"
            ".map((r) => [...r.cells].map((c) => c.textContent.trim()));",
            tid,
        )
        return found

    def retype(name: str, value: str) -> None:
        field = driver.find_element(By.NAME, name)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", field)
        field.clear()
        field.send_keys(value)

    try:
        driver.get(served)
        settled("up to date")
        driver.save_screenshot(str(shots / "1-loaded.png"))
        before = rows("npv")
        text = _text_rows(_cli("portfolio", "run", str(CHENGYU)))
        assert before == [r for r in text if r[0] in {x[0] for x in before} and len(r) == 5]

        edits = {k: v for k, v in EDITS.items() if k.startswith("parks.gaozhu")}
        edits["fund.fee"] = "0.012"
        for name, value in edits.items():
            retype(name, value)
        wait.until(lambda d: rows("npv") != before)
        settled("up to date")
        Select(driver.find_element(By.NAME, "year")).select_by_value("2030")
        title = "return document.getElementById('statement-title').textContent;"  # read at once
        wait.until(lambda d: "2030" in d.execute_script(title))
        settled("up to date")
        driver.save_screenshot(str(shots / "2-edited.png"))
        path = str(_equivalent(tmp_path, edits))
        text = _text_rows(_cli("portfolio", "run", path))
        shown = rows("npv")
        assert shown == [r for r in text if r[0] in {x[0] for x in shown} and len(r) == 5]
        settle = _text_rows(_cli("portfolio", "settle", path, "--year", "2030"))
        assert all(r in settle for r in rows("statement-2"))

        driver.find_element(By.ID, "lang-zh").click()  # 中文, the edits kept
        settled("已更新")
        assert driver.find_element(By.NAME, "fund.fee").get_attribute("value") == "0.012"
        assert [r[1:] for r in rows("npv")] == [r[1:] for r in shown]

        stale = driver.find_element(By.ID, "stale")
        retype("parks.gaozhu.sharing.shares.CQ", "0.5")
        beside = driver.find_element(
            By.CSS_SELECTOR, '[data-error-for="parks.gaozhu.sharing.shares"]'
        )
        wait.until(lambda d: "之和须为 1，实为 1.1" in beside.text)
        assert beside.is_displayed() and stale.is_displayed()
        results = driver.find_element(By.CSS_SELECTOR, ".results")
        assert "stale" in results.get_attribute("class")
        driver.save_screenshot(str(shots / "3-stale-zh.png"))
        retype("parks.gaozhu.sharing.shares.CQ", "0.4")
        wait.until(lambda d: not stale.is_displayed())
        settled("已更新")
        assert beside.text == "" and "stale" not in results.get_attribute("class")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
    assert len(list(shots.iterdir())) == 3


def test_the_portfolios_kept_are_the_most_recently_used_and_the_pinned_one() -> None:
    """Scenarios and portfolios are kept alike (sim.web.workspace.Kept): a portfolio
    used again is kept over one left alone (they were dropped in order of loading)."""
    from sim.web.portfolio import Portfolios

    portfolio = load_portfolio(CHENGYU)
    store = Portfolios(size=3)
    pinned = store.add(portfolio, "pinned", pin=True)
    used, left = store.add(portfolio, "used"), store.add(portfolio, "left")
    assert store.get(used.id) is used and store.get("../" + used.id) is None
    newer = store.add(portfolio, "newer")  # four: the least recently used not pinned goes
    assert store.get(left.id) is None
    assert [store.get(x.id) for x in (pinned, used, newer)] == [pinned, used, newer]
    assert store.pinned == pinned.id
