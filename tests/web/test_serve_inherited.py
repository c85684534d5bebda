"""A value a firm inherits from its party (a clause input such as ``rebate_share``, with
a per-party default) stays inherited on the page and in the scenario it downloads: a
firm moved to another party, or added on the page, takes the new party's default, as
the same edit written in the TOML file does (`sim compare`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from sim.scenario import load
from sim.scenario_toml import scenario_data
from sim.web import make_app
from sim.web.form import build_form
from sim.workbook.read import read_workbook

from ..conftest import ROOT
from .test_serve import _cli_compare, _numbers, _page_client, _post, _wid

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

INCENTIVES = ROOT / "scenarios" / "joint-promotion-incentives.toml"
HUB = 3  # logistics-hub: registered in SC, writes no rebate of its own


def _file() -> dict[str, Any]:
    return tomllib.loads(INCENTIVES.read_text(encoding="utf-8"))


def _compare(tmp_path: Path, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    path = tmp_path / "same.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return _numbers(_cli_compare(path))


@pytest.fixture
def page(tmp_path: Path) -> tuple[Any, str]:
    client = _page_client(make_app(tmp_path, load(INCENTIVES), name="incentives.toml"))
    return client, _wid(client)


def test_an_inherited_rebate_is_blank_on_the_form_and_unwritten_in_the_mapping() -> None:
    sc = load(INCENTIVES)
    data = scenario_data(sc)
    hub = next(f for f in data["firms"] if f["id"] == "logistics-hub")
    assert "rebate_share" not in hub and "rebate_years" not in hub
    form = build_form(sc, data)
    assert form["firms.logistics-hub.rebate_share"].value == ""
    assert float(form["firms.machinery.rebate_share"].value) == 0  # its own, written
    assert form["firms.battery-plant.rebate_years"].value == "3"
    assert sc.firm_input(sc.firms[HUB], "rebate_share") == 0.3  # SC's default


def test_a_firm_moved_to_another_party_takes_that_partys_default(
    page: tuple[Any, str], tmp_path: Path
) -> None:
    client, wid = page
    fields = {"firms.logistics-hub.party": "CQ"}
    answer = _post(client, wid, "evaluate", fields=fields)
    assert answer.status_code == 200, answer.json
    data = _file()
    data["firms"][HUB]["party"] = "CQ"
    assert _numbers(answer.json["compare"]) == _compare(tmp_path, data)
    # the scenario downloaded from the page leaves the rebate to the party too
    toml = client.post(f"/w/{wid}/download/scenario.toml", data={"lang": "en", **fields})
    hub = tomllib.loads(toml.data.decode())["firms"][HUB]
    assert hub["party"] == "CQ" and "rebate_share" not in hub and "rebate_years" not in hub
    book = client.post(f"/w/{wid}/download/scenario.xlsx", data={"lang": "zh", **fields})
    hub = read_workbook("page.xlsx", book.data).data["firms"][HUB]
    assert hub["party"] == "CQ" and "rebate_share" not in hub and "rebate_years" not in hub


def test_a_firm_added_on_the_page_takes_its_partys_default(
    page: tuple[Any, str], tmp_path: Path
) -> None:
    # the page starts a new firm as a copy of the last row's fields (app.js, addRow):
    # the hub's inherited rebate is blank there, so the new firm inherits CQ's default
    client, wid = page
    sc = load(INCENTIVES)
    values = build_form(sc, scenario_data(sc)).values()
    head = "firms.logistics-hub."
    fields = {f"firms.new-1.{k.removeprefix(head)}": v for k, v in values.items()
              if k.startswith(head)}  # fmt: skip
    fields.update({"firms.new-1.id": "new-1", "firms.new-1.party": "CQ"})
    fields["firms.rows"] = "machinery,auto-parts,battery-plant,logistics-hub,new-1"
    answer = _post(client, wid, "evaluate", fields=fields)
    assert answer.status_code == 200, answer.json
    data = _file()
    data["firms"].append({**data["firms"][HUB], "id": "new-1", "party": "CQ"})
    assert _numbers(answer.json["compare"]) == _compare(tmp_path, data)


def test_a_firm_that_writes_no_introducer_keeps_following_its_party(tmp_path: Path) -> None:
    # introduced_by's default is the firm's party: moved on the page, the firm is
    # introduced by its new party, as in the file with the same edit
    from sim.scenario import loads, parse
    from sim.web.edits import apply

    data = _file()
    del data["firms"][0]["introduced_by"]  # machinery: SC's, introduced by SC
    sc = loads(tomli_w.dumps(data))
    written = scenario_data(sc)
    assert "introduced_by" not in written["firms"][0]
    assert written["firms"][1]["introduced_by"] == "CQ"  # written: kept
    form = build_form(sc, written)
    assert form["firms.machinery.introduced_by"].value == ""
    moved = parse(apply(written, form, {"firms.machinery.party": "CQ"}))
    assert moved.firms[0].introduced_by == "CQ"
    client = _page_client(make_app(tmp_path, sc, name="no-introducer.toml"))
    answer = _post(client, _wid(client), "evaluate", fields={"firms.machinery.party": "CQ"})
    data["firms"][0]["party"] = "CQ"
    assert _numbers(answer.json["compare"]) == _compare(tmp_path, data)


def test_a_partys_default_rebate_is_edited_on_the_page(
    page: tuple[Any, str], tmp_path: Path
) -> None:
    # parties.<party>.rebate_share and rebate_years are fields of the parties' section;
    # set on the page they give the numbers of the file with them written in
    client, wid = page
    html = client.get(f"/w/{wid}").get_data(as_text=True)
    for name in ("parties.SC.rebate_share", "parties.CQ.rebate_years"):
        assert f'name="{name}"' in html
    fields = {"parties.CQ.rebate_share": "0.2", "parties.CQ.rebate_years": "4",
              "parties.SC.rebate_years": ""}  # fmt: skip
    answer = _post(client, wid, "evaluate", fields=fields)
    assert answer.status_code == 200, answer.json
    data = _file()
    data["parties"][1] |= {"rebate_share": 0.2, "rebate_years": 4}
    del data["parties"][0]["rebate_years"]  # blank: the key's default (0)
    assert _numbers(answer.json["compare"]) == _compare(tmp_path, data)
