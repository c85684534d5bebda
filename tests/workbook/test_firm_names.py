"""Firms' names (``firms.<firm>.name``, ``name_zh``): Chinese tables, figures and the page
call a firm by its Chinese name where it has one, else its English name, else its id."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from sim.errors import ScenarioError
from sim.report import scenario_report
from sim.scenario import load, parse
from sim.schema import bind
from sim.schema.fields import Binding
from sim.workbook.read import read_workbook
from sim.workbook.write import write_workbook

from ..conftest import ROOT

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"


def with_names(**names: str) -> dict[str, Any]:
    data = tomllib.loads(GAOZHU.read_text(encoding="utf-8"))
    firm = next(f for f in data["firms"] if f["id"] == "battery-plant")
    firm.pop("name_zh", None)
    firm.update(names)
    return data


@pytest.mark.parametrize(
    ("names", "en", "zh"),
    [
        ({}, "battery-plant", "battery-plant"),
        ({"name": "CATL plant"}, "CATL plant", "CATL plant"),
        ({"name": "CATL plant", "name_zh": "宁德时代电池厂"}, "CATL plant", "宁德时代电池厂"),
        ({"name_zh": "电池厂"}, "battery-plant", "电池厂"),
    ],
)
def test_a_swept_input_is_named_by_its_firm_s_name(names: dict[str, str], en: str, zh: str) -> None:
    b = bind("firms.battery-plant.growth", parse(with_names(**names)))
    assert isinstance(b, Binding)
    assert b.label_en == f"{en}: output growth" and b.label_zh == f"{zh}：产值年增速"
    assert b.key == "battery-plant"  # the id stays the key of tables and files


def test_the_shipped_firms_have_chinese_names() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        for firm in load(path).firms:
            assert firm.name_zh != firm.id and not firm.name_zh.isascii(), (path.name, firm.id)


def test_the_report_s_firm_table_names_firms_in_chinese() -> None:
    table = scenario_report(load(GAOZHU), "zh").tables["参数"]
    assert list(table["企业"]) == ["邻水存量企业", "渝北存量企业", "动力电池厂", "新引进配套企业"]


def test_names_survive_the_workbook() -> None:
    data = with_names(name="CATL plant", name_zh="宁德时代电池厂")
    book = read_workbook("w.xlsx", write_workbook(data, "zh"))
    assert book.problems == []
    firm = parse(book.data).firms[2]
    assert (firm.name, firm.name_zh) == ("CATL plant", "宁德时代电池厂")


def test_a_name_is_checked_like_a_party_s() -> None:
    with pytest.raises(ScenarioError, match=r"firms\.battery-plant\.name_zh: must be a string"):
        parse(with_names(name_zh=3))  # type: ignore[arg-type]


def test_the_page_names_firms_in_its_language(tmp_path: Any) -> None:
    pytest.importorskip("flask")
    import re

    from sim.web import make_app

    client = make_app(tmp_path, load(GAOZHU), name="gaozhu.toml").test_client()
    found = re.search(r"/w/([A-Za-z0-9_-]+)", client.get("/").headers["Location"])
    assert found is not None
    zh = client.get(f"/w/{found.group(1)}?lang=zh").get_data(as_text=True)
    en = client.get(f"/w/{found.group(1)}?lang=en").get_data(as_text=True)
    assert '<span class="row-title">动力电池厂</span>' in zh
    assert '<span class="row-title">battery-plant</span>' in en


@pytest.mark.parametrize(
    ("names", "written"),
    [
        ({}, {}),
        ({"name_zh": "电池厂"}, {"name_zh": "电池厂"}),
        ({"name": "CATL plant"}, {"name": "CATL plant"}),
        ({"name": "CATL plant", "name_zh": "电池厂"}, {"name": "CATL plant", "name_zh": "电池厂"}),
    ],
)
def test_a_name_is_written_back_only_where_given(
    names: dict[str, str], written: dict[str, str]
) -> None:
    from sim.scenario_toml import scenario_data

    sc = parse(with_names(**names))
    written_firm = scenario_data(sc)["firms"][2]
    assert {k: written_firm[k] for k in ("name", "name_zh") if k in written_firm} == written
    back, firm_as_read = parse(scenario_data(sc)).firms[2], sc.firms[2]
    assert [back.label(x) for x in ("en", "zh")] == [firm_as_read.label(x) for x in ("en", "zh")]


def test_a_firm_without_a_name_renamed_is_called_by_its_new_id() -> None:
    from sim.scenario_toml import scenario_data

    data = scenario_data(parse(with_names()))
    data["firms"][2]["id"] = "bp"
    data["cooperation"]["requires"] = {"bp": ["SC", "CQ"]}
    firm = parse(data).firms[2]
    assert (firm.id, firm.label("en"), firm.label("zh")) == ("bp", "bp", "bp")
