"""Scenario workbooks: round trips of every shipped scenario, one broken workbook per
mistake (each message naming its sheet, cell and column), and the commands."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from sim import i18n
from sim.cli import main
from sim.convert import REFERENCE, same
from sim.errors import ScenarioError
from sim.rules import rules
from sim.scenario import Scenario, load, parse, read
from sim.schema import KEYS, key
from sim.workbook.layout import AGREEMENTS, SHEETS, headers, sheet_of
from sim.workbook.read import read_workbook
from sim.workbook.totoml import dumps
from sim.workbook.write import write_workbook

from ..conftest import ROOT, SCENARIOS, libreoffice
from ..strategies import scenario_data
from ..workbooks import template


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def toml_data(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def alike(a: Scenario, b: Scenario) -> bool:
    """The same scenario, wherever each was read from (and whether a number was written
    20 or 20.0, which the content digest tells apart)."""
    return same(a, b) == []


def drop_empty(data: Any) -> Any:
    """A mapping without its empty tables and lists (a workbook has no cells for them)."""
    if isinstance(data, dict):
        out = {k: drop_empty(v) for k, v in data.items()}
        return {k: v for k, v in out.items() if v not in ({}, [])}
    if isinstance(data, list):
        return [drop_empty(v) for v in data]
    return data


# --------------------------------------------------------------------------- layout


def test_every_key_of_the_schema_has_one_sheet() -> None:
    placed = [k for sheet in SHEETS for k in sheet.keys]
    assert sorted(k.path for k in placed) == sorted(k.path for k in KEYS)


def test_every_rule_parameter_is_a_key_of_the_schema() -> None:
    slots = {"party_shares": "<party>", "party_weights": "<party>", "factor_weights": "<factor>"}
    for spec in rules():
        for p in spec.params:
            pattern = f"sharing.{p.name}" + (f".{slots[p.kind]}" if p.kind in slots else "")
            assert key(pattern).path == pattern, (spec.name, p.name)


@pytest.mark.parametrize("sheet", [s for s in SHEETS if s.shape == "records"], ids=str)
def test_a_records_sheet_knows_each_column_by_one_header(sheet: Any) -> None:
    seen: dict[str, str] = {}
    for k in sheet.keys:
        assert "<" not in k.label("en") and "<" not in k.label("zh"), k.path
        for h in headers(k):
            assert seen.setdefault(h, k.path) == k.path, f"{h!r}: {seen[h]} and {k.path}"


@pytest.mark.parametrize("path", ["meta.name", "meta.title", "firms.<firm>.id"])
def test_the_lengths_the_workbook_checks_are_the_checker_s(path: str) -> None:
    longest = int(key(path).hi)
    for n, ok in ((longest, True), (longest + 1, False)):
        data = toml_data(REFERENCE)
        if path.startswith("meta"):
            data["meta"][key(path).name] = "a" * n
        else:
            data["firms"][0]["id"] = "a" * n
        try:
            parse(data)
        except ScenarioError:
            assert not ok, n
        else:
            assert ok, n


def test_the_agreements_rows_are_every_sharing_key() -> None:
    assert {sheet_of(k) for k in KEYS if k.table == "sharing"} == {AGREEMENTS.name}


def test_the_shipped_reference_is_the_reference_scenario() -> None:
    assert REFERENCE.read_bytes() == (ROOT / "scenarios" / "co-built-park.toml").read_bytes()


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_toml_to_workbook_to_toml_is_the_same_scenario(path: Path, lang: str) -> None:
    data = toml_data(path)
    book = read_workbook("w.xlsx", write_workbook(data, lang))
    assert book.problems == []
    assert book.data == data  # the very mapping: ints stay ints, floats floats
    text = dumps(book.data)
    assert tomllib.loads(text) == data
    original, again = load(path), parse(tomllib.loads(text), "again.toml")
    assert alike(original, again) and original.digest == again.digest


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_workbook_to_toml_to_workbook_gives_the_same_workbook(path: Path) -> None:
    first = write_workbook(toml_data(path), "zh")
    text = dumps(read_workbook("w.xlsx", first).data)
    assert write_workbook(tomllib.loads(text), "zh") == first


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_sim_compare_gives_the_same_numbers_from_the_workbook(path: Path, tmp_path: Path) -> None:
    book, back = tmp_path / f"{path.stem}.xlsx", tmp_path / f"{path.stem}.toml"
    assert invoke("convert", str(path), str(book))[0] == 0
    assert invoke("convert", str(book), str(back))[0] == 0
    documents = [json.loads(invoke("compare", str(p), "--format", "json")[1]) for p in
                 (path, book, back)]  # fmt: skip
    assert documents[0] == documents[1] == documents[2]
    assert alike(load(path), load(book)) and alike(load(path), load(back))


@settings(max_examples=max(1, settings.default.max_examples // 2))  # an xlsx each (~85 ms)
@given(scenario_data())
def test_random_scenarios_come_back_from_a_workbook(data: dict[str, Any]) -> None:
    book = read_workbook("w.xlsx", write_workbook(data))
    assert book.problems == []
    assert book.data == drop_empty(data)
    assert alike(parse(book.data), parse(data))


@given(scenario_data())
def test_random_scenarios_come_back_from_toml_text(data: dict[str, Any]) -> None:
    assert tomllib.loads(dumps(data)) == data


def test_toml_text_quotes_what_it_must() -> None:
    data = {"meta": {"a.b": 'q"\\\n\x7f中', "n": [1, 2.5, True, -0.0, 1e-300]}, "x": {}}
    assert tomllib.loads(dumps(data)) == data


def test_the_same_scenario_gives_the_same_bytes() -> None:
    data = toml_data(REFERENCE)
    assert write_workbook(data) == write_workbook(data)


# --------------------------------------------------------------------------- broken workbooks

Edit = Callable[[openpyxl.Workbook], None]


def broken(tmp_path: Path, edit: Edit, lang: str = "en") -> Path:
    """The reference workbook with ``edit`` made to it, as someone would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(template(lang)))
    edit(wb)
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def message(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return str(info.value)


def _set(sheet: str, cell: str, value: Any) -> Edit:
    def edit(wb: openpyxl.Workbook) -> None:
        wb[sheet][cell] = value

    return edit


def _delete_column(sheet: str, col: int) -> Edit:
    def edit(wb: openpyxl.Workbook) -> None:
        wb[sheet].delete_cols(col)

    return edit


MISTAKES = {
    "out-of-range number": (
        _set("firms", "G3", 30),
        "firms!G3 output growth: must be in (-1, 10], got 30",
    ),
    "unknown rule in a list column": (
        _set("agreements", "D4", "fixd"),
        "agreements!D4 rule: unknown rule 'fixd' — did you mean 'fixed'? (known: source, fixed",
    ),
    "missing required column": (
        _delete_column("firms", 6),
        "firms!1:1 output in its first year: missing column (a number is required)",
    ),
    "text where a number is expected": (
        _set("firms", "G3", "fast"),
        "firms!G3 output growth: must be a number, got the string 'fast'",
    ),
    "duplicate firm id": (
        _set("firms", "A4", "machinery"),
        "firms!A4 id: duplicate firm id 'machinery'",
    ),
    "empty required cell": (
        _set("firms", "I3", None),
        "firms!I3 value added / output: missing (a number is required)",
    ),
    "year outside the horizon": (
        _set("land_sales", "B2", 1999),
        "land_sales!B2 year: must be a year inside the horizon 2021–2040, got 1999",
    ),
    "shares that do not sum to 1": (
        _set("agreements", "D5", 0.6),
        "agreements!D5:D6 shares: must sum to 1, got 1.1",
    ),
    "equity that does not sum to 1": (
        _set("parties", "E3", 0.6),
        "parties!E2:E3 equity: must sum to 1, got 1.1",
    ),
    "unknown party": (
        _set("firms", "B2", "XX"),
        "firms!B2 registered in: unknown party 'XX' (parties: SC, CQ)",
    ),
    "not a whole number": (
        _set("scenario", "D7", 20.5),
        "scenario!D7 years: must be a whole number, got 20.5",
    ),
    "unknown column": (
        _set("firms", "R1", "colour"),
        "firms!R1: unknown column 'colour' (columns here: id, registered in",
    ),
    "unknown sheet": (
        lambda wb: wb.create_sheet("extra"),
        "extra: unknown sheet (sheets: scenario (情景), parties (参与方)",
    ),
    "a capex year twice": (
        _set("capex", "A4", 2021),
        "capex!A4 year: 2021 again (row 2)",
    ),
    "an unknown key on the agreements sheet": (
        _set("agreements", "A2", "lable"),
        "agreements!A2: unknown key 'lable'",
    ),
    "a rule parameter another rule takes": (
        _set("agreements", "D13", 0.4),
        "agreements!D13 introducer's share: is not a parameter of rule 'fixed'",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.replace(" ", "-"))
def test_a_mistake_is_reported_with_its_sheet_cell_and_column(mistake: str, tmp_path: Path) -> None:
    edit, expected = MISTAKES[mistake]
    text = message(broken(tmp_path, edit))
    assert text.startswith(f"{tmp_path / 'broken.xlsx'}: not a valid scenario (1 problem)\n")
    assert expected in text


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    names = [
        "out-of-range number",
        "unknown rule in a list column",
        "duplicate firm id",
        "equity that does not sum to 1",
        "year outside the horizon",
        "unknown column",
    ]

    def edit(wb: openpyxl.Workbook) -> None:
        for name in names:
            MISTAKES[name][0](wb)

    text = message(broken(tmp_path, edit))
    assert "not a valid scenario (6 problems)" in text
    for name in names:
        assert MISTAKES[name][1] in text


def test_a_party_added_on_the_parties_sheet_must_be_given_its_shares(tmp_path: Path) -> None:
    """A third party typed under the two of the reference would get 0% of the pool and
    of the equity unseen: each table it is missing from is named, with the cell where
    its row goes on the agreements sheet (below the table's last row, A7) and what to
    type there."""
    text = message(broken(tmp_path, _set("parties", "A4", "GA")))
    assert "not a valid scenario (2 problems)" in text
    missing = "missing: every party must have a share here — type GA's share (0 to give it none)"
    assert f"parties!E4 equity: {missing}" in text
    assert (
        "agreements!A7 GA: share of the tax pool: missing: no row for party GA — insert a "
        "row here with shares.GA in column A and its value in column D (0 to give it none)"
    ) in text


def _third_party(lang: str, row: tuple[str, str] | None) -> Edit:
    """Add party GA (Guangzhou, 广州) with no equity on the parties sheet and, with
    ``row``, a row for its pool share at A7 of the agreements sheet: ``("A", text)`` in
    the key column or ``("B", text)`` in the item column, 0.2 in D (the others 0.4)."""

    def edit(wb: openpyxl.Workbook) -> None:
        parties = wb[i18n.pick(lang, "parties", "参与方")]
        for cell, value in (("A4", "GA"), ("B4", "Guangzhou"), ("C4", "广州"), ("E4", 0)):
            parties[cell] = value
        if row is None:
            return
        agreements = wb[i18n.pick(lang, "agreements", "协议")]
        agreements.insert_rows(7)
        agreements[f"{row[0]}7"] = row[1]
        for cell, share in (("D5", 0.4), ("D6", 0.4), ("D7", 0.2)):
            agreements[cell] = share

    return edit


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_third_party_without_a_share_row_is_told_where_the_row_goes(
    lang: str, tmp_path: Path
) -> None:
    with pytest.raises(ScenarioError) as info:
        load(broken(tmp_path, _third_party(lang, None), lang))
    (problem,) = info.value.problems
    assert problem.where == i18n.pick(lang, "agreements!A7 GA: share of the tax pool",
                                      "协议!A7 GA：税收分成比例")  # fmt: skip
    assert str(info.value).splitlines()[1].strip() == i18n.pick(
        lang,
        "agreements!A7 GA: share of the tax pool: missing: no row for party GA (Guangzhou) — "
        "insert a row here with shares.GA in column A and its value in column D "
        "(0 to give it none)",
        "协议!A7 GA：税收分成比例：缺少：没有参与方 GA（广州） 的行——请在此处插入一行，"
        "A 列填 shares.GA，D 列填其数值（不分给它填 0）",
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_third_party_s_row_without_a_share_is_told_to_fill_it(lang: str, tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        _third_party(lang, ("A", "shares.GA"))(wb)
        agreements = wb[i18n.pick(lang, "agreements", "协议")]
        agreements["D5"], agreements["D6"], agreements["D7"] = 0.5, 0.5, None

    with pytest.raises(ScenarioError) as info:
        load(broken(tmp_path, edit, lang))
    (problem,) = info.value.problems
    assert problem.text(lang) == i18n.pick(
        lang,
        "agreements!D7 GA: share of the tax pool: missing: every party must have a share "
        "here — type GA's share (0 to give it none)",
        "协议!D7 GA：税收分成比例：缺少：每个参与方都须在此有比例——"
        "请填写 GA 的比例（不分给它填 0）",
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "row",
    [
        ("A", "shares.GA"),
        ("A", "shares.Guangzhou"),
        ("A", "shares.广州"),
        ("B", "GA: share of the tax pool"),
        ("B", "Guangzhou: share of the tax pool"),
        ("B", "广州：税收分成比例"),
        ("B", "GA：税收分成比例"),
    ],
    ids=lambda r: r if isinstance(r, str) else "-",
)
def test_a_third_party_s_share_row_is_read_by_its_id_or_name(
    lang: str, row: tuple[str, str], tmp_path: Path
) -> None:
    scenario = load(broken(tmp_path, _third_party(lang, row), lang))
    assert scenario.party_ids == ("SC", "CQ", "GA")
    assert dict(scenario.sharing.params["shares"]) == {"SC": 0.4, "CQ": 0.4, "GA": 0.2}


def test_the_template_has_a_row_for_every_party_in_every_table_of_parties() -> None:
    """The agreements sheet's per-party rows come from the key table: one row for each
    party of the parties sheet in each ``<party>`` key of the agreement, three parties
    or two."""
    data = toml_data(REFERENCE)
    data["parties"].append({"id": "GA", "name": "Guangzhou", "retained_share": 1.0})
    wb = openpyxl.load_workbook(io.BytesIO(write_workbook(drop_empty(data))))
    written = {row[0] for row in wb["agreements"].iter_rows(min_row=2, values_only=True)}
    per_party = [k for k in KEYS if k.table == "sharing" and k.slot == "<party>"]
    assert len(per_party) >= 8
    for k in per_party:
        rows = {k.path.removeprefix("sharing.").replace("<party>", p) for p in ("SC", "CQ", "GA")}
        assert rows <= written, k.path


def test_a_chinese_workbook_names_its_sheets_and_columns_in_chinese(tmp_path: Path) -> None:
    text = message(broken(tmp_path, _set("企业", "G3", 30), "zh"))
    # and tells its problems in Chinese (issue 19)
    assert "企业!G3 产值年增速：须在 (-1, 10] 之内，实为 30" in text


def test_a_broken_workbook_fails_the_command_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    path = broken(tmp_path, _set("firms", "G3", "fast"))
    out = tmp_path / "out"
    code, stdout, stderr = invoke("run", str(path), "--out", str(out))
    assert code == 2 and stdout == ""
    assert stderr.startswith("error: ") and "Traceback" not in stderr
    assert "firms!G3 output growth: must be a number" in stderr
    assert not out.exists()


def test_validate_reports_the_cell_in_json(tmp_path: Path) -> None:
    path = broken(tmp_path, _set("firms", "G3", 30))
    code, stdout, _ = invoke("validate", str(path), "--format", "json")
    assert code == 1
    (problem,) = json.loads(stdout)["files"][0]["problems"]
    assert problem == {
        "path": "firms.auto-parts.growth",
        "reason": "must be in (-1, 10], got 30",
        "where": "firms!G3 output growth",
    }


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"[meta]\nname = 'x'\n", "not an .xlsx workbook"),
        (b"PK\x03\x04 not really a zip", "not an .xlsx workbook"),
    ],
)
def test_a_file_that_is_no_workbook_is_one_clear_error(
    content: bytes, words: str, tmp_path: Path
) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    code, _, stderr = invoke("compare", str(path))
    assert code == 2 and words in stderr and "Traceback" not in stderr


def test_an_old_excel_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "park.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "sim reads .xlsx workbooks, not .xls: save it as .xlsx" in message(path)


def test_a_formula_never_computed_is_named(tmp_path: Path) -> None:
    text = message(broken(tmp_path, _set("firms", "G3", "=0.01*3")))
    assert "firms!G3: a formula whose value was never computed" in text
    assert text.count("firms!G3") == 1


# --------------------------------------------------------------------------- what people type


def test_headers_in_either_language_or_as_keys_are_read(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        firms = wb["firms"]
        firms["G1"] = "产值年增速（比例/年）"  # a Chinese header in an English workbook
        firms["H1"] = "ramp_years"  # the TOML key
        firms["I1"] = "Value Added / Output"
        wb["parties"].title = "参与方"

    assert alike(load(broken(tmp_path, edit)), load(REFERENCE))


def test_what_a_spreadsheet_user_types_is_understood(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        firms = wb["firms"]
        firms["J2"] = "13%"  # VAT rate as a percentage, as text
        firms["E2"] = " 2021 "  # a year as text, with spaces
        firms["D2"] = "是"  # existing: yes
        firms["P2"] = "０.００５"  # full-width digits
        firms["T1"], firms["T2"] = "# my notes", "ask the bureau"
        wb.create_sheet("#scratch")["A1"] = "anything"
        wb["scenario"].insert_rows(1)  # a title above the header
        wb["scenario"]["A1"] = "My park"

    assert alike(load(broken(tmp_path, edit)), load(REFERENCE))


def test_empty_rows_and_requires_lists_are_read(tmp_path: Path) -> None:
    data = toml_data(ROOT / "scenarios" / "gaozhu.toml")
    wb = openpyxl.load_workbook(io.BytesIO(write_workbook(data)))
    firms = wb["firms"]
    assert firms["S4"].value == "SC, CQ"
    firms.insert_rows(3)  # an empty row between two firms
    firms["S5"] = "SC，CQ"  # a Chinese comma
    path = tmp_path / "g.xlsx"
    wb.save(path)
    assert alike(load(path), load(ROOT / "scenarios" / "gaozhu.toml"))


def test_a_workbook_with_the_reader_s_problems_and_the_checker_s_says_all(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        MISTAKES["unknown sheet"][0](wb)
        MISTAKES["out-of-range number"][0](wb)

    text = message(broken(tmp_path, edit))
    assert "(2 problems)" in text and "extra: unknown sheet" in text and "firms!G3" in text


# --------------------------------------------------------------------------- commands


def test_template_writes_the_reference_scenario(tmp_path: Path) -> None:
    path = tmp_path / "my-park.xlsx"
    code, stdout, _ = invoke("template", str(path))
    assert code == 0
    assert (
        stdout
        == f"wrote {path} (co-built-park: 2 parties, 4 firms, 2 land sales, 0 alternatives)\n"
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["scenario", "parties", "firms", "land_sales", "capex", "agreements",
                             "notes"]  # fmt: skip
    assert wb["firms"]["G1"].value == "output growth [fraction/yr]"
    assert alike(load(path), load(REFERENCE))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_template_is_filled_in_its_language(lang: str, tmp_path: Path) -> None:
    """The Chinese template held the reference's English title and parties' names (in
    their 英文标题, 英文名称 cells): it is filled in Chinese, the ids as they are."""
    path = tmp_path / "park.xlsx"
    assert invoke("template", str(path), "--lang", lang)[0] == 0
    scenario, reference = load(path), load(REFERENCE)
    title = i18n.pick(lang, reference.title, reference.title_zh)
    assert (scenario.title, scenario.title_zh) == (title, reference.title_zh)
    assert [(p.id, p.name) for p in scenario.parties] == [
        (p.id, i18n.pick(lang, p.name, p.name_zh)) for p in reference.parties
    ]
    assert [p.name_zh for p in scenario.parties] == [p.name_zh for p in reference.parties]


def test_template_in_chinese_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "高竹.xlsx"
    source = ROOT / "scenarios" / "gaozhu-review.toml"
    code, stdout, _ = invoke("template", str(path), "--from", str(source), "--lang", "zh")
    assert code == 0 and stdout.startswith(f"已写入 {path}（gaozhu-review：2 个参与方")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["情景", "参与方", "企业", "土地出让", "共同投资", "协议", "说明"]
    assert wb["企业"]["G1"].value == "产值年增速（比例/年）"
    assert wb["企业"]["F1"].value == "投产首年产值（亿元/年）"
    lists = {str(dv.sqref): dv.formula1 for dv in wb["协议"].data_validations.dataValidation}
    assert lists["D4:M4"].startswith('"属地,固定比例,按股比,因素法,引进方分成,Shapley 值')
    assert lists["D14:M14"] == '"全部税收,新引进企业,超基数增量"'
    assert wb["协议"]["D4"].value == "固定比例"  # read back as fixed
    firms = {str(dv.sqref): dv for dv in wb["企业"].data_validations.dataValidation}
    assert firms["B2:B205"].formula1 == "party_ids"
    assert (firms["G2:G205"].formula1, firms["G2:G205"].formula2) == ("-1", "10")
    notes = [
        row for row in wb["说明"].iter_rows(values_only=True) if row[2] == "firms.<firm>.growth"
    ]
    assert notes == [("企业", "产值年增速", "firms.<firm>.growth", "比例/年", "(-1, 10]", "0",
                      "产值年增长率")]  # fmt: skip
    assert alike(load(path), load(source))
    names = {r[0]: r[1] for r in wb["协议"].iter_rows(values_only=True) if r[0]}
    assert names["weights.output"] == "因素法权重：产值"  # factors named in Chinese too
    assert names["weights.land"] == "因素法权重：已出让土地"


def test_template_and_convert_never_replace_a_file(tmp_path: Path) -> None:
    path = tmp_path / "park.xlsx"
    path.write_bytes(b"mine")
    code, _, stderr = invoke("template", str(path))
    assert code == 2 and "sim never replaces a scenario file or workbook" in stderr
    assert path.read_bytes() == b"mine"
    code, _, stderr = invoke("convert", str(REFERENCE), str(tmp_path / "park.csv"))
    assert code == 2 and "name it .xlsx (a workbook) or .toml" in stderr


def test_convert_both_ways_keeps_the_scenario(tmp_path: Path) -> None:
    source = ROOT / "scenarios" / "tri-city-formula.toml"
    book, back = tmp_path / "t.xlsx", tmp_path / "t.toml"
    assert invoke("convert", str(source), str(book), "--lang", "zh")[0] == 0
    code, stdout, _ = invoke("convert", str(book), str(back))
    # a Chinese workbook's conversion is told in Chinese (issue 19)
    assert code == 0 and stdout.startswith(f"已写入 {back}（tri-city-formula：3 个参与方")
    text = back.read_text(encoding="utf-8")
    assert text.startswith("# Three-party corridor park, CIT-apportionment formula\n")
    assert "weights = { output = 0.35, wages = 0.35, investment = 0.3 }" in text
    assert read(back)[1] == toml_data(source)
    assert invoke("validate", str(book), str(back))[0] == 0


def test_a_scenario_that_would_change_is_not_written(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "gaozhu.toml").read_text(encoding="utf-8")
    source = tmp_path / "g.toml"
    source.write_text(text.replace("standalone_capex = { SC = 25.0, CQ = 30.0 }",
                                   "standalone_capex = {}"), encoding="utf-8")  # fmt: skip
    code, _, stderr = invoke("convert", str(source), str(tmp_path / "g.xlsx"))
    assert code == 2 and "without changing cooperation" in stderr
    assert not (tmp_path / "g.xlsx").exists()


def test_a_sweep_can_vary_a_workbook(tmp_path: Path) -> None:
    assert invoke("template", str(tmp_path / "park.xlsx"))[0] == 0
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        '[sweep]\nbase = "park.xlsx"\nn = 50\nseed = 1\n[sweep.parameters]\n'
        '"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.08 }\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert invoke("sweep", str(sweep), "--out", str(out))[0] == 0
    stored = (out / "inputs" / "scenario.toml").read_text(encoding="utf-8")
    assert alike(parse(tomllib.loads(stored)), load(REFERENCE))
    assert invoke("sweep", "summary", str(out))[0] == 0


@pytest.mark.skipif(libreoffice("calc") is None, reason="needs LibreOffice Calc")
def test_a_workbook_saved_by_libreoffice_reads_back_the_same(tmp_path: Path) -> None:
    source = ROOT / "scenarios" / "gaozhu-review.toml"
    path = tmp_path / "in" / "g.xlsx"
    path.parent.mkdir()
    assert invoke("convert", str(source), str(path), "--lang", "zh")[0] == 0
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        [str(libreoffice("calc")), "--headless", "--norestore", profile, "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    resaved = load(tmp_path / "g.xlsx")  # saved again: 28.0 is now 28, styles rewritten
    assert same(resaved, load(source)) == []


def test_the_chinese_notes_sheet_explains_every_rule_in_chinese(tmp_path: Path) -> None:
    """The zh template's 说明 sheet explained the rules in English (a new user's trial)."""
    path = tmp_path / "zh.xlsx"
    assert invoke("template", str(path), "--lang", "zh")[0] == 0
    notes = {
        str(a): str(b)
        for a, b, *_ in openpyxl.load_workbook(path, read_only=True)["说明"].iter_rows(
            values_only=True
        )
        if a and b
    }
    for spec in rules():
        about = notes[f"{spec.name}（{i18n.name(spec.name, 'zh')}）"]
        assert about != spec.summary and re.search(r"[\u4e00-\u9fff]", about), spec.name


def test_a_chinese_workbook_writes_bounds_flags_and_units_in_chinese() -> None:
    # the notes sheet: [0, +∞) not [0, inf], 是/否 not TRUE/FALSE, 亿元 not 100m CNY;
    # a flag written 是 is read back as a flag, and not as something typed differently
    wb = openpyxl.load_workbook(io.BytesIO(template("zh")))
    notes = " ".join(str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row if v)
    assert "inf" not in notes and "TRUE" not in notes and "FALSE" not in notes
    assert "CNY" not in notes and "[0, +∞)" in notes and "是、否" in notes
    flags = {c.value for c in wb["企业"]["D"][1:] if c.value is not None}
    assert flags == {"是", "否"}
    book = read_workbook("w.xlsx", template("zh"))
    assert book.problems == [] and {n.typed for n in book.read_as}.isdisjoint(flags)


def test_a_blank_party_cell_is_one_problem(tmp_path: Path) -> None:
    text = message(broken(tmp_path, _set("企业", "B3", None), "zh"))
    assert text.count("企业!B3") == 1, text
    assert "企业!B3 注册地：须填参与方编号（SC、CQ）" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_missing_row_is_told_where_to_insert_it(lang: str, tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb.worksheets[0]  # the scenario sheet: horizon.start_year's row goes
        (row,) = [c.row for c in ws["A"] if c.value == "horizon.start_year"]
        ws.delete_rows(row)

    text = message(broken(tmp_path, edit, lang))
    said = {
        "en": "scenario!A6 first year: missing row: insert a row here with horizon.start_year "
        "in column A and its value in column D",
        "zh": "情景!A6 起始年份：缺少此行：请在此处插入一行，A 列填 horizon.start_year，"
        "D 列填其数值",
    }
    assert said[lang] in text, text
