"""sim serve edits every table of a scenario: firms, land sales, investment and equity,
every clause of the registry, the review clause and cap, and the [[compare]]
alternatives — rows added and removed; each edit gives the numbers `sim compare` gives
on the same scenario written as TOML, each mistake is said beside its field in the
page's language, and the edited scenario downloads as TOML that `sim validate` reads.
"""

from __future__ import annotations

import functools
import io
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner

from sim.cli import main
from sim.rules import CLAUSES
from sim.scenario import load
from sim.scenario import loads as load_text

from .test_serve import GAOZHU, _cli_compare, _numbers, _page_client, _post, _wid, app, client, wid

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

__all__ = ["app", "client", "wid"]  # the fixtures, shared with test_serve.py

FIRMS = ("linshui-cohort", "yubei-cohort", "battery-plant", "new-suppliers")
CELL_PLANT = {  # a firm added on the page: battery-plant's rates, its own id and start
    "id": "cell-plant", "party": "SC", "introduced_by": "CQ", "existing": "false",
    "first_year": "2027", "output": "25", "growth": "0.04", "ramp_years": "2",
    "value_added_ratio": "0.2", "vat_rate": "0.13", "profit_margin": "0.05", "cit_rate": "0.15",
    "wage_ratio": "0.06", "pit_rate": "0.03", "surcharge_rate": "0.12",
    "other_local_rate": "0.004", "name": "Cell plant", "name_zh": "电芯厂",
}  # fmt: skip


def _typed(value: str) -> Any:
    """A field's text as TOML holds it."""
    if value in ("true", "false"):
        return value == "true"
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def _gaozhu() -> dict[str, Any]:
    return tomllib.loads(GAOZHU.read_text(encoding="utf-8"))


def _written(tmp_path: Path, data: dict[str, Any], name: str = "same.toml") -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _same_as_the_file(client: Any, wid: str, tmp_path: Path, fields: dict[str, str],
                      data: dict[str, Any]) -> None:  # fmt: skip
    """The page with ``fields`` gives `sim compare`'s numbers on ``data``, and they are
    not the numbers as loaded (the edit changed something)."""
    page = _post(client, wid, "evaluate", fields=fields)
    assert page.status_code == 200, page.json
    expected = _numbers(_cli_compare(_written(tmp_path, data)))
    assert _numbers(page.json["compare"]) == expected
    assert expected != _as_loaded()


@functools.cache
def _as_loaded() -> list[tuple[Any, ...]]:
    """`sim compare`'s numbers on gaozhu.toml as shipped (once for the file's tests)."""
    return _numbers(_cli_compare(GAOZHU))


# --------------------------------------------------------------------------- each table


def _firm_edited() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    data["firms"][2].update(output=80, ramp_years=1)
    data["firms"][3]["party"] = "CQ"
    fields = {
        "firms.battery-plant.output": "80",
        "firms.battery-plant.ramp_years": "1",
        "firms.new-suppliers.party": "CQ",
    }
    return fields, data


def _firm_added() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    data["firms"].append({k: _typed(v) for k, v in CELL_PLANT.items()})
    fields = {f"firms.new-1.{k}": v for k, v in CELL_PLANT.items()}
    fields["firms.rows"] = ",".join([*FIRMS, "new-1"])
    return fields, data


def _firm_removed() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    del data["firms"][3]
    return {"firms.rows": ",".join(FIRMS[:3])}, data


def _land_edited() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    data["land_sales"][1].update(price=0.005, area_mu=5000)
    return {"land_sales.1.price": "0.005", "land_sales.1.area_mu": "5000"}, data


def _land_added_and_removed() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    sale = {"party": "SC", "year": 2026, "area_mu": 1500.0, "price": 0.004, "cost_share": 0.5,
            "rural_earmark": 0.1}  # fmt: skip
    data["land_sales"] = [data["land_sales"][1], sale]
    fields = {f"land_sales.new-1.{k}": str(v) for k, v in sale.items()}
    fields["land_sales.rows"] = "1,new-1"
    return fields, data


def _investment() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    inv = data["investment"]
    inv["equity"] = {"SC": 0.7, "CQ": 0.3}
    inv["capex"] = {**inv["capex"], "2026": 12.0}
    inv["return_rate"] = 0.06
    fields = {
        "investment.equity.SC": "0.7",
        "investment.equity.CQ": "0.3",
        "investment.capex.2026": "12",
        "investment.return_rate": "0.06",
    }
    return fields, data


def _review_and_cap() -> tuple[dict[str, str], dict[str, Any]]:
    data = _gaozhu()
    data["sharing"]["review"] = {"party": "SC", "below": 0.0, "after": 5,
                                 "shares": {"SC": 0.6, "CQ": 0.4}}  # fmt: skip
    data["sharing"]["cap"] = 0.3
    fields = {
        "sharing.review.party": "SC",
        "sharing.review.below": "0",
        "sharing.review.after": "5",
        "sharing.review.shares.SC": "0.6",
        "sharing.review.shares.CQ": "0.4",
        "sharing.cap": "0.3",
    }
    return fields, data


def _alternatives() -> tuple[dict[str, str], dict[str, Any]]:
    # the first alternative edited, the second removed, a third added: blank fields are
    # the agreement's (its compliance, edited too)
    data = _gaozhu()
    data["sharing"]["compliance"] = 0.8
    first = data["compare"][0]
    first["shares"] = {"SC": 0.55, "CQ": 0.45}
    first["cap"] = 0.5
    added = {"rule": "fixed", "shares": {"SC": 0.7, "CQ": 0.3}, "label": "70:30",
             "label_zh": "七三分成", "floors": {"CQ": 0.1},
             "land": {"rule": "fixed", "shares": {"SC": 0.8, "CQ": 0.2}}}  # fmt: skip
    data["compare"] = [first, added]
    fields = {
        "sharing.compliance": "0.8",
        "compare.rows": "0,new-1",
        "compare.0.shares.SC": "0.55",
        "compare.0.shares.CQ": "0.45",
        "compare.0.cap": "0.5",
        "compare.0.compliance": "",
        "compare.new-1.label": "70:30",
        "compare.new-1.label_zh": "七三分成",
        "compare.new-1.rule": "fixed",
        "compare.new-1.shares.SC": "0.7",
        "compare.new-1.shares.CQ": "0.3",
        "compare.new-1.floors.CQ": "0.1",
        "compare.new-1.scope": "",
        "compare.new-1.land": "fixed",
        "compare.new-1.land.shares.SC": "0.8",
        "compare.new-1.land.shares.CQ": "0.2",
    }
    return fields, data


EDITS = {
    "firm-edited": _firm_edited,
    "firm-added": _firm_added,
    "firm-removed": _firm_removed,
    "land-sale-edited": _land_edited,
    "land-sale-added-and-removed": _land_added_and_removed,
    "investment-and-equity": _investment,
    "review-and-cap": _review_and_cap,
    "alternatives": _alternatives,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_each_table_edits_like_the_file(client: Any, wid: str, tmp_path: Path, edit: str) -> None:
    fields, data = EDITS[edit]()
    _same_as_the_file(client, wid, tmp_path, fields, data)


@pytest.mark.parametrize("clause", CLAUSES)
def test_every_clause_of_the_registry_edits_like_the_file(
    client: Any, wid: str, tmp_path: Path, clause: str
) -> None:
    # the page iterates over sim.rules.CLAUSES: a clause added to the registry is here
    page = client.get(f"/w/{wid}").get_data(as_text=True)
    assert f'name="sharing.{clause}"' in page and f'name="compare.0.{clause}"' in page
    assert f'name="compare.__ROW__.{clause}.shares.SC"' in page  # a new alternative's
    data = _gaozhu()
    data["sharing"][clause] = {"rule": "fixed", "shares": {"SC": 0.9, "CQ": 0.1}}
    fields = {
        f"sharing.{clause}": "fixed",
        f"sharing.{clause}.shares.SC": "0.9",
        f"sharing.{clause}.shares.CQ": "0.1",
    }
    page_doc = _post(client, wid, "evaluate", fields=fields)
    assert page_doc.status_code == 200, page_doc.json
    assert _numbers(page_doc.json["compare"]) == _numbers(_cli_compare(_written(tmp_path, data)))


def test_a_blank_alternative_term_follows_the_agreement(client: Any, wid: str) -> None:
    # compliance edited on the agreement only: the alternative runs on it (issue 19)
    fields = {"sharing.compliance": "0.6", "compare.0.compliance": ""}
    doc = _post(client, wid, "evaluate", fields=fields).json["compare"]
    own = _post(client, wid, "evaluate", fields={**fields, "compare.0.compliance": "0.6"})
    row = next(r for r in doc["results"] if r["label"] == "new firms 50:50")
    same = next(r for r in own.json["compare"]["results"] if r["label"] == "new firms 50:50")
    assert row["npv"] == same["npv"]
    loaded = _post(client, wid, "evaluate").json["compare"]["results"]
    assert row["npv"] != next(r for r in loaded if r["label"] == "new firms 50:50")["npv"]


# --------------------------------------------------------------------------- mistakes


MISTAKES = [
    # fields, slot, (English label, reason), (Chinese label, reason)
    (
        {"land_sales.1.price": "-1"},
        "land_sales.1.price",
        ("land sale 2: price", "must be in [0, inf], got -1"),
        ("土地出让 2：单价", "须在 [0, +∞) 之内，实为 -1"),
    ),
    (
        {"investment.equity.SC": "0.7"},
        "investment.equity",
        ("equity", "must sum to 1, got 1.2"),
        ("合资公司股比", "之和须为 1，实为 1.2"),
    ),
    (
        {"compare.0.shares.SC": "0.9"},
        "compare.0.shares",
        ("new firms 50:50: share of the tax pool", "must sum to 1, got 1.4"),
        ("新引进企业五五分成：税收分成比例", "之和须为 1，实为 1.4"),
    ),
    (
        {"firms.rows": ",".join([*FIRMS, "new-1"]),
         **{f"firms.new-1.{k}": v for k, v in CELL_PLANT.items() if k != "output"}},
        "firms.new-1.output",
        ("Cell plant: output in its first year", "missing (a number is required)"),
        ("电芯厂：投产首年产值", "缺失（须填数字）"),
    ),
    (
        {"firms.battery-plant.existing": "maybe"},
        "firms.battery-plant.existing",
        ("battery-plant: existing", "must be true or false"),
        ("动力电池厂：存量企业", "须为 true 或 false"),
    ),
]  # fmt: skip


@pytest.mark.parametrize("fields, slot, en, zh", MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_mistake_in_any_table_is_said_beside_its_field_in_both_languages(
    client: Any,
    wid: str,
    fields: dict[str, str],
    slot: str,
    en: tuple[str, str],
    zh: tuple[str, str],
) -> None:
    for lang, (label, reason) in (("en", en), ("zh", zh)):
        response = _post(client, wid, "validate", lang=lang, fields=fields)
        assert response.json["ok"] is False
        found = {p["slot"]: p for p in response.json["problems"]}
        assert slot in found, response.json["problems"]
        assert found[slot]["label"] == label
        assert found[slot]["message"].startswith(reason), found[slot]["message"]
    page = client.get(f"/w/{wid}").get_data(as_text=True)
    row = slot.replace(".new-1.", ".__ROW__.")  # a row added on the page: its template's
    assert f'data-error-for="{row}"' in page


def test_a_clause_mistake_is_said_beside_its_shares(client: Any, wid: str) -> None:
    for clause in CLAUSES:
        fields = {f"sharing.{clause}": "fixed", f"sharing.{clause}.shares.SC": "0.9"}
        for lang in ("en", "zh"):
            problems = _post(client, wid, "validate", lang=lang, fields=fields).json["problems"]
            slots = {p["slot"] for p in problems}
            assert f"sharing.{clause}.shares" in slots, (clause, problems)
            assert all(s.startswith(f"sharing.{clause}.shares") for s in slots), problems


def test_rows_the_form_does_not_know_are_refused(client: Any, wid: str) -> None:
    many = ",".join(f"new-{i}" for i in range(1, 300))
    for rows in ("linshui-cohort,nobody", "0,0", "new-x", many):
        table = "land_sales" if rows == "0,0" else "firms"
        response = _post(client, wid, "validate", fields={f"{table}.rows": rows})
        assert response.status_code == 400 and ".rows" in response.json["error"], rows
    unknown = _post(client, wid, "validate", fields={"firms.nobody.output": "1"})
    assert unknown.status_code == 400 and "unknown field" in unknown.json["error"]


# --------------------------------------------------------------------------- the file


def test_the_edited_scenario_downloads_as_toml_that_validates(
    client: Any, wid: str, tmp_path: Path
) -> None:
    fields: dict[str, str] = {}
    for make in EDITS.values():
        more, _ = make()
        fields.update(more)
    fields["firms.rows"] = ",".join([*FIRMS[:3], "new-1"])  # added one, removed one
    fields["land_sales.rows"] = "1,new-1"
    page = _post(client, wid, "evaluate", fields=fields)
    assert page.status_code == 200, page.json
    toml = client.post(f"/w/{wid}/download/scenario.toml", data={"lang": "en", **fields})
    assert toml.status_code == 200
    path = tmp_path / "edited.toml"
    path.write_bytes(toml.data)
    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0 and "4 firms" in checked.output, checked.output
    written = load(path)
    assert [f.id for f in written.firms] == [*FIRMS[:3], "cell-plant"]
    assert [c.label for c in written.compare] == ["new firms 50:50", "70:30"]
    assert written.sharing.review is not None and written.sharing.cap == 0.3
    assert _numbers(_cli_compare(path)) == _numbers(page.json["compare"])
    # and it opens on the page again with every row
    upload = client.post("/upload", data={"file": (io.BytesIO(toml.data), "edited.toml")})
    again = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert 'name="firms.cell-plant.output"' in again and 'name="compare.1.label" id' in again


# --------------------------------------------------------------------------- languages


def _chinese_workbook(tmp_path: Path) -> Path:
    from sim.scenario_toml import scenario_data
    from sim.workbook.write import write_workbook

    path = tmp_path / "高竹.xlsx"
    path.write_bytes(write_workbook(scenario_data(load(GAOZHU)), "zh"))
    return path


def test_a_chinese_workbook_opens_a_chinese_page(tmp_path: Path) -> None:
    book = _chinese_workbook(tmp_path)
    from sim.web import make_app

    client = _page_client(make_app(tmp_path, load(book), name=str(book)))
    home = client.get("/")
    assert "lang=zh" in home.headers["Location"]
    page = client.get(home.headers["Location"]).get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "动力电池厂" in page  # firms by name_zh
    asked = client.get("/?lang=en")
    assert "lang=en" in asked.headers["Location"]  # the language asked for wins
    # opened from the folder, uploaded: the same
    wid_ = _wid(client)
    start = client.get("/open").get_data(as_text=True)  # no language chosen: the file's
    assert 'action="/open"' in start and 'action="/upload"' in start
    assert 'action="/open?lang=en"' in client.get("/open?lang=en").get_data(as_text=True)
    opened = client.post("/open", data={"file": "folder/高竹.xlsx"})
    assert "lang=zh" in opened.headers["Location"]
    sent = client.post("/upload", data={"file": (book.open("rb"), "park.xlsx")})
    assert "lang=zh" in sent.headers["Location"]
    # an error on the workbook's page, with no language in the request, is in Chinese
    missing = client.get(f"/w/{wid_}/api/jobs/nosuchjob0")
    assert missing.json["error"] == "此处没有这个扫描"


def test_the_worked_example_of_the_docs(client: Any, wid: str, tmp_path: Path) -> None:
    # docs/serve.md, "Every table of the scenario": each step's numbers as the page gives them
    doc = (Path(__file__).resolve().parents[2] / "docs" / "serve.md").read_text("utf-8")
    firm = {f"firms.new-1.{k}": v for k, v in CELL_PLANT.items()}
    steps: list[dict[str, str]] = [{**firm, "firms.rows": ",".join([*FIRMS, "new-1"])}]
    steps.append({**steps[-1], "land_sales.rows": "1"})
    steps.append({
        **steps[-1], "compare.rows": "0,1,new-1", "compare.new-1.label": "70:30",
        "compare.new-1.label_zh": "七三分成", "compare.new-1.rule": "fixed",
        "compare.new-1.shares.SC": "0.7", "compare.new-1.shares.CQ": "0.3",
    })  # fmt: skip
    steps.append({**steps[-1], "sharing.compliance": "0.8"})
    shown = [
        ("agreement", "**6.849**", "**3.074**"),
        ("agreement", "**4.449**", "3.074"),
        ("70:30", "**10.700**", "−3.177"),
        ("70:30", "9.488", "−1.965"),
    ]
    for fields, (label, sc, cq) in zip(steps, shown, strict=True):
        results = _post(client, wid, "evaluate", fields=fields).json["compare"]["results"]
        npv = next(r["npv"] for r in results if r["label"] == label)
        for words, x in ((sc, npv["SC"]), (cq, npv["CQ"])):
            assert words.strip("*").replace("−", "-") == f"{x:.3f}" and words in doc, (words, x)
    wrong = _post(client, wid, "validate", lang="zh",
                  fields={**steps[2], "compare.new-1.shares.SC": "0.8"})  # fmt: skip
    [p] = wrong.json["problems"]
    assert f"{p['label']}：{p['message']}" in doc
    toml = client.post(f"/w/{wid}/download/scenario.toml", data={"lang": "en", **steps[-1]})
    path = tmp_path / "worked.toml"
    path.write_bytes(toml.data)
    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0 and "5 firms" in checked.output and "5 firms" in doc


@pytest.mark.parametrize("path", sorted((GAOZHU.parent).glob("*.toml")), ids=lambda p: p.stem)
def test_the_form_as_loaded_is_the_scenario_as_loaded(path: Path) -> None:
    # the page sends every field; sent unchanged they give back the scenario, on every
    # shipped scenario (with and without land sales, investment, review, alternatives)
    from dataclasses import replace

    from sim.scenario import parse
    from sim.scenario_toml import scenario_data
    from sim.web.edits import apply
    from sim.web.form import build_form

    sc = load(path)
    data = scenario_data(sc)
    form = build_form(sc, data)
    again = parse(apply(data, form, form.values()), source=sc.source)
    assert replace(again, digest="") == replace(sc, digest="")
    assert {f"{t}.rows" for t in form.rows} <= set(form.values())


def test_a_value_given_by_year_is_shown_and_kept(tmp_path: Path) -> None:
    # a firm's surcharge rate as a schedule ({ from = { year = rate } }): shown, not
    # sent, and the edited scenario keeps it while another field of the firm changes
    from sim.scenario import loads
    from sim.web import make_app

    data = _gaozhu()
    data["firms"][2]["surcharge_rate"] = {"from": {"2021": 0.12, "2030": 0.1}}
    client = _page_client(make_app(tmp_path, loads(tomli_w.dumps(data)), name="by-year.toml"))
    wid_ = _wid(client)
    page = client.get(f"/w/{wid_}").get_data(as_text=True)
    assert (
        'id="f-firms.battery-plant.surcharge_rate" value="2021: 0.12 · 2030: 0.1" disabled' in page
    )
    assert 'name="firms.battery-plant.surcharge_rate"' not in page
    fields = {"firms.battery-plant.output": "70"}
    page_doc = _post(client, wid_, "evaluate", fields=fields)
    data["firms"][2]["output"] = 70
    assert _numbers(page_doc.json["compare"]) == _numbers(_cli_compare(_written(tmp_path, data)))


def test_a_firm_renamed_or_removed_takes_its_cooperation_with_it(
    client: Any, wid: str, tmp_path: Path
) -> None:
    # gaozhu's battery plant requires both parties ([cooperation] requires): renamed on
    # the page, the requirement follows it; removed, the requirement goes with it
    data = _gaozhu()
    data["firms"][2]["id"] = "bp"
    data["cooperation"]["requires"] = {"bp": data["cooperation"]["requires"]["battery-plant"]}
    page = _post(client, wid, "evaluate", fields={"firms.battery-plant.id": "bp"})
    assert page.status_code == 200, page.json  # the same numbers: only a name changed
    assert _numbers(page.json["compare"]) == _numbers(_cli_compare(_written(tmp_path, data)))
    rows = {"firms.rows": "linshui-cohort,yubei-cohort,new-suppliers"}
    assert _post(client, wid, "validate", fields=rows).json == {"ok": True, "problems": []}


def test_a_firm_without_a_name_renamed_on_the_page_is_called_by_its_new_id(
    client: Any, wid: str
) -> None:
    # gaozhu's firms write a Chinese name and no English one: the download writes none,
    # so the battery plant renamed `bp` is `bp` in English, not its old id
    fields = {"firms.battery-plant.id": "bp", "lang": "en"}
    toml = client.post(f"/w/{wid}/download/scenario.toml", data=fields)
    assert toml.status_code == 200
    written = tomllib.loads(toml.get_data(as_text=True))
    assert all("name" not in f for f in written["firms"]), written["firms"]
    firm = next(f for f in load_text(toml.get_data(as_text=True)).firms if f.id == "bp")
    assert (firm.label("en"), firm.label("zh")) == ("bp", "动力电池厂")


def test_the_page_names_the_source_choice_as_the_workbook_does(client: Any, wid: str) -> None:
    # the clause lists said 无协议（属地） where the workbook's lists say 属地
    import re

    from sim import i18n

    page = client.get(f"/w/{wid}?lang=zh").get_data(as_text=True)
    shown = re.findall(r'<option value="source"[^>]*>([^<]*)<', page)
    assert len(shown) >= 4 and set(shown) == {i18n.name("source", "zh")}, shown


def test_the_chinese_page_gives_units_in_full_width_brackets(client: Any, wid: str) -> None:
    # 年度转移上限 (亿元), 保底 (亿元), 各年共同投资 (亿元): half-width after Chinese words
    import re

    page = re.sub(r"<[^>]+>", "\n", client.get(f"/w/{wid}?lang=zh").get_data(as_text=True))
    assert re.findall(r".*[\u4e00-\u9fff）] \(.*", page) == []
    assert "年度转移上限（亿元）" in page and "投产首年产值（亿元/年）" in page


def test_the_checks_the_page_reaches_say_their_reasons_in_chinese(client: Any, wid: str) -> None:
    # the review clause half filled, equity removed under joint capex, a requirement
    # naming no firm: reasons in Chinese beside their fields (English before)
    cases = {
        "sharing.review.shares": ({"sharing.review.party": "SC", "sharing.review.below": "0"},
                                  "缺失：重新协商后的分成比例"),
        "investment.equity": ({"investment.equity.SC": "", "investment.equity.CQ": ""},
                              "缺失：共同投资由谁出资？请填写 equity = { … }"),
    }  # fmt: skip
    for slot, (fields, reason) in cases.items():
        problems = _post(client, wid, "validate", lang="zh", fields=fields).json["problems"]
        found = {p["slot"]: p["message"] for p in problems}
        assert found.get(slot) == reason, problems
    from sim.errors import ScenarioError
    from sim.scenario import loads

    data = _gaozhu()
    data["cooperation"]["requires"]["nobody"] = ["SC"]
    with pytest.raises(ScenarioError) as caught:
        loads(tomli_w.dumps(data))
    [problem] = caught.value.problems
    assert problem.reason_text("zh").startswith("未知的企业 'nobody'（企业：")
