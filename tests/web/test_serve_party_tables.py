"""sim serve edits the horizon, the tax shares, the parties' names and retained shares
and the cooperation: each edit gives `sim compare`'s numbers on the same TOML, a
mistake is said beside its field in zh and en, a share given by year is kept, and the
download validates; a party's id is not a field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner

from sim import i18n
from sim.cli import main
from sim.scenario import load

from .test_serve import _cli_compare, _numbers, _page_client, _post, _wid, app, client, wid
from .test_serve_tables import _gaozhu, _same_as_the_file, _written

pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

__all__ = ["app", "client", "wid"]

FIELDS = {
    "horizon.start_year": "2020",
    "horizon.years": "25",
    "horizon.discount_rate": "0.03",
    "taxes.vat_local_share": "0.45",
    "taxes.cit_local_share": "0.5",
    "taxes.pit_local_share": "0.3",
    "parties.SC.name": "Linshui",
    "parties.CQ.name_zh": "渝北区",
    "parties.SC.retained_share": "0.7",
    "parties.CQ.retained_share": "0.9",
    "cooperation.synergy": "0.3",
    "cooperation.standalone_capex.SC": "20",
}


def _edited() -> dict[str, Any]:
    data = _gaozhu()
    data["horizon"] = {"start_year": 2020, "years": 25, "discount_rate": 0.03}
    data["taxes"] = {"vat_local_share": 0.45, "cit_local_share": 0.5, "pit_local_share": 0.3}
    data["parties"][0].update(name="Linshui", retained_share=0.7)
    data["parties"][1].update(name_zh="渝北区", retained_share=0.9)
    data["cooperation"]["synergy"] = 0.3
    data["cooperation"]["standalone_capex"]["SC"] = 20.0
    return data


@pytest.mark.parametrize("name", list(FIELDS))
def test_each_field_edits_like_the_file(client: Any, wid: str, tmp_path: Path, name: str) -> None:
    data = _edited()
    whole = _gaozhu()
    head, *path, last = name.split(".")
    src = data["parties"][["SC", "CQ"].index(path[0])] if head == "parties" else data[head]
    dst = whole["parties"][["SC", "CQ"].index(path[0])] if head == "parties" else whole[head]
    for k in path[1:] if head == "parties" else path:
        src, dst = src[k], dst[k]
    dst[last] = src[last]
    if name.endswith((".name", ".name_zh")):
        page = _post(client, wid, "evaluate", fields={name: FIELDS[name]})
        assert page.json["compare"] and _numbers(page.json["compare"]) == _numbers(
            _cli_compare(_written(tmp_path, whole))
        )
        return  # a name changes no number
    _same_as_the_file(client, wid, tmp_path, {name: FIELDS[name]}, whole)


def test_all_at_once_downloads_as_toml_that_validates(
    client: Any, wid: str, tmp_path: Path
) -> None:
    page = _post(client, wid, "evaluate", fields=FIELDS)
    assert page.status_code == 200, page.json
    assert _numbers(page.json["compare"]) == _numbers(_cli_compare(_written(tmp_path, _edited())))
    toml = client.post(f"/w/{wid}/download/scenario.toml", data={"lang": "en", **FIELDS})
    assert toml.status_code == 200
    path = tmp_path / "edited.toml"
    path.write_bytes(toml.data)
    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 0, checked.output
    sc = load(path)
    assert (sc.start_year, sc.end_year, sc.discount_rate) == (2020, 2044, 0.03)
    assert [p.name for p in sc.parties] == ["Linshui", "Yubei (Chongqing)"]
    assert _numbers(_cli_compare(path)) == _numbers(page.json["compare"])


MISTAKES = [
    ({"taxes.vat_local_share": "1.5"}, "taxes.vat_local_share", "must be in [0, 1]", "须在"),
    ({"horizon.years": "0"}, "horizon.years", "must be between 1 and 200", "须在"),
    ({"parties.CQ.retained_share": "2"}, "parties.CQ.retained_share", "must be in [0, 1]", "须在"),
    ({"cooperation.standalone_capex.SC": "-1"}, "cooperation.standalone_capex.SC",
     "must be in [0, inf]", "须在"),
]  # fmt: skip


@pytest.mark.parametrize("fields, slot, en, zh", MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_mistake_is_said_beside_its_field_in_both_languages(
    client: Any, wid: str, fields: dict[str, str], slot: str, en: str, zh: str
) -> None:
    for lang, reason in (("en", en), ("zh", zh)):
        response = _post(client, wid, "validate", lang=lang, fields=fields)
        assert response.json["ok"] is False
        found = {p["slot"]: p for p in response.json["problems"]}
        assert slot in found, response.json["problems"]
        assert found[slot]["message"].startswith(reason), found[slot]["message"]
    page = client.get(f"/w/{wid}").get_data(as_text=True)
    assert f'data-error-for="{slot}"' in page


def test_the_parties_ids_are_not_fields(client: Any, wid: str) -> None:
    for lang in ("en", "zh"):
        page = client.get(f"/w/{wid}?lang={lang}").get_data(as_text=True)
        assert 'name="parties.SC.retained_share"' in page
        assert 'name="parties.SC.id"' not in page
        assert i18n.t("page_parties_hint", lang) in page
    unknown = _post(client, wid, "validate", fields={"parties.SC.id": "XX"})
    assert unknown.status_code == 400


def test_a_tax_share_given_by_year_stays_a_schedule(tmp_path: Path) -> None:
    from sim.scenario import loads
    from sim.web import make_app

    data = _gaozhu()
    data["taxes"]["vat_local_share"] = {"from": {"2021": 0.5, "2030": 0.4}}
    data["parties"][0]["retained_share"] = {"from": {"2021": 0.8, "2028": 0.75}}
    client = _page_client(make_app(tmp_path, loads(tomli_w.dumps(data)), name="by-year.toml"))
    wid_ = _wid(client)
    page = client.get(f"/w/{wid_}").get_data(as_text=True)
    assert 'id="f-taxes.vat_local_share" value="2021: 0.5 · 2030: 0.4" disabled' in page
    assert 'name="taxes.vat_local_share"' not in page
    assert 'name="parties.SC.retained_share"' not in page
    fields = {"taxes.cit_local_share": "0.5", "parties.SC.name": "Linshui"}
    evaluated = _post(client, wid_, "evaluate", fields=fields)
    data["taxes"]["cit_local_share"] = 0.5
    data["parties"][0]["name"] = "Linshui"
    assert _numbers(evaluated.json["compare"]) == _numbers(_cli_compare(_written(tmp_path, data)))
    toml = client.post(f"/w/{wid_}/download/scenario.toml", data={"lang": "en", **fields})
    path = tmp_path / "kept.toml"
    path.write_bytes(toml.data)
    import tomllib

    written = tomllib.loads(toml.data.decode())
    assert written["taxes"]["vat_local_share"] == {"from": {"2021": 0.5, "2030": 0.4}}
    assert written["parties"][0]["retained_share"] == {"from": {"2021": 0.8, "2028": 0.75}}
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
