"""What people type is read as they mean it, and said so (docs/workbooks.md, "What is
read"): numbers with separators and units, names in words, hints for near misses."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sim.cli import main
from sim.errors import ScenarioError
from sim.scenario import load, read_noted
from sim.schema.typed import Refused, number
from sim.workbook.read import read_workbook

from ..conftest import REFERENCE
from ..workbooks import template

Edit = Callable[[openpyxl.Workbook], None]


def workbook(tmp_path: Path, cells: dict[tuple[str, str], Any], lang: str = "zh") -> Path:
    """The reference workbook in ``lang`` with ``cells`` (sheet, cell) → value typed in."""
    wb = openpyxl.load_workbook(io.BytesIO(template(lang)))
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    return path


def problems(path: Path, lang: str = "en") -> str:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value.message(lang)


# --------------------------------------------------------------------------- numbers

READ = {
    "1,200": ("企业", "F3", 1200),
    "1，200": ("企业", "F3", 1200),  # a full-width comma
    "12,000.5亿元": ("企业", "F3", 12000.5),
    "5亿元/年": ("企业", "F3", 5),
    "5万元": ("企业", "F3", 0.0005),  # converted exactly, and said so
    "1200亩": ("土地出让", "C3", 1200),
    "1,200 亩": ("土地出让", "C3", 1200),
    "50%": ("协议", "D5", 0.5),
    "50％": ("协议", "D5", 0.5),
    "2023年": ("土地出让", "B3", 2023),
}
WHERE = {
    ("企业", "F3"): ("firms", 1, "output"),
    ("土地出让", "C3"): ("land_sales", 1, "area_mu"),
    ("土地出让", "B3"): ("land_sales", 1, "year"),
}


@pytest.mark.parametrize("typed", READ)
def test_a_number_pasted_with_separators_or_a_unit_is_read(typed: str, tmp_path: Path) -> None:
    sheet, cell, value = READ[typed]
    path = workbook(tmp_path, {(sheet, cell): typed, ("协议", "D6"): 0.5})
    book = read_workbook(str(path), path.read_bytes())
    assert book.problems == []
    if (sheet, cell) in WHERE:
        table, i, name = WHERE[(sheet, cell)]
        assert book.data[table][i][name] == value
    else:
        assert book.data["sharing"]["shares"]["SC"] == value
    load(path)
    notes = [n.text("zh") for n in book.read_as]
    assert f"{sheet}!{cell}：{typed} 读作 {value:g}" in notes


REFUSED = {
    "1,20": (("企业", "F3"), "须为数字，实为字符串 '1,20'"),
    "1.2.3": (("企业", "F3"), "须为数字，实为字符串 '1.2.3'"),
    "5万元": (("土地出让", "C3"), "5万元：万元 不是此项的单位（面积，亩："),
    "50%": (("土地出让", "B3"), "50%：% 不是此项的单位（年份：请只填数字）"),
    "5亿元": (("协议", "D5"), "5亿元：亿元 不是此项的单位（比例"),
    "3 apples": (("企业", "F3"), "须为数字"),
}


@pytest.mark.parametrize("typed", REFUSED)
def test_what_is_no_number_of_its_column_stays_refused(typed: str, tmp_path: Path) -> None:
    (sheet, cell), reason = REFUSED[typed]
    text = problems(workbook(tmp_path, {(sheet, cell): typed}), "zh")
    assert f"{sheet}!{cell}" in text and reason in text


def test_a_unit_refused_is_told_in_english_too(tmp_path: Path) -> None:
    text = problems(workbook(tmp_path, {("land_sales", "C3"): "5万元"}, "en"))
    assert "land_sales!C3 area: 5万元: 万元 is not a unit of this value (an area in mu" in text


def test_an_amount_in_another_unit_than_100m_cny_takes_no_yuan(tmp_path: Path) -> None:
    path = workbook(tmp_path, {("scenario", "D5"): "m USD", ("firms", "F3"): "5亿元"}, "en")
    assert "an amount in m USD: type the number alone" in problems(path)


_GROUPS = st.integers(min_value=0, max_value=10**12)


@given(_GROUPS, st.sampled_from([",", "，"]))
def test_thousands_separators_read_back_to_the_same_number(n: int, comma: str) -> None:
    assert number(f"{n:,}".replace(",", comma), "unit") == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_a_decimal_with_separators_and_a_unit_reads_back(whole: int, cents: int) -> None:
    assert number(f"{whole:,}.{cents:02d}亩", "mu") == float(f"{whole}.{cents:02d}")
    assert number(f"{whole:,}.{cents:02d}亿元", "unit/yr") == float(f"{whole}.{cents:02d}")


@given(st.integers(min_value=0, max_value=10_000))
def test_a_percentage_reads_back_to_its_fraction(basis_points: int) -> None:
    """``5.39%`` is the number typed as ``0.0539`` (not 5.39 / 100, one rounding off)."""
    assert number(f"{basis_points / 100:g}%", "fraction") == basis_points / 10_000


@given(st.integers(min_value=0, max_value=10**6))
def test_ten_thousand_yuan_are_exactly_a_ten_thousandth_of_100m(n: int) -> None:
    assert number(f"{n}万元", "unit") == float(f"{n}e-4")


@pytest.mark.parametrize("typed", ["1,20", "1,2000", ",200", "1.2.3", "1,200,", "12,00.5"])
def test_what_is_no_number_is_none(typed: str) -> None:
    assert number(typed, "unit") is None


@pytest.mark.parametrize(
    ("typed", "unit"), [("50%", "year"), ("5万元", "mu"), ("5亿元", "fraction"), ("3亩", "unit")]
)
def test_a_number_in_another_unit_is_refused(typed: str, unit: str) -> None:
    assert isinstance(number(typed, unit), Refused)


# --------------------------------------------------------------------------- names

TOML_NAMES = """
[sharing]
rule = "因素法"
scope = "新引进企业"
land = "随税收分成比例"
dividends = { rule = "按股比" }
weights = { "产值" = 0.5, "工资总额" = 0.5 }

[[compare]]
label = "fixed split"
rule = "固定比例"
shares = { SC = 0.5, CQ = 0.5 }
"""
TOML_IDS = """
[sharing]
rule = "formula"
scope = "new_firms"
land = "tax"
dividends = { rule = "equity" }
weights = { output = 0.5, wages = 0.5 }

[[compare]]
label = "fixed split"
rule = "fixed"
shares = { SC = 0.5, CQ = 0.5 }
"""


def _scenario(sharing: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    return text[: text.index("[sharing]")] + sharing


def test_names_in_a_toml_file_are_read_as_their_identifiers(tmp_path: Path) -> None:
    named, ids = tmp_path / "named.toml", tmp_path / "ids.toml"
    named.write_text(_scenario(TOML_NAMES), encoding="utf-8")
    ids.write_text(_scenario(TOML_IDS), encoding="utf-8")
    scenario, _, notes = read_noted(named)
    assert scenario.digest == load(ids).digest  # the same scenario, byte for byte
    assert [n.text() for n in notes] == [
        "sharing.rule: 因素法 read as formula",
        "sharing.scope: 新引进企业 read as new_firms",
        "sharing.land: 随税收分成比例 read as tax",
        "sharing.dividends.rule: 按股比 read as equity",
        "sharing.weights.产值: 产值 read as output",
        "sharing.weights.工资总额: 工资总额 read as wages",
        "compare[0].rule: 固定比例 read as fixed",
    ]
    assert read_noted(ids)[2] == []


def test_a_chinese_workbook_lists_and_reads_names_in_chinese(tmp_path: Path) -> None:
    path = workbook(tmp_path, {("协议", "E4"): " Fixed ", ("协议", "E5"): 0.5, ("协议", "E6"): 0.5})
    wb = openpyxl.load_workbook(path)
    assert (wb["协议"]["D4"].value, wb["协议"]["D14"].value) == ("固定比例", "新引进企业")
    scenario, _, notes = read_noted(path)
    assert scenario.sharing.rule == "fixed" and scenario.compare[0].rule == "fixed"
    assert scenario.sharing.scope == "new_firms"
    told = [n.text("zh") for n in notes]
    # what was read, by its Chinese name with its id (issue 19)
    assert "协议!D4：固定比例 读作 固定比例（fixed）" in told
    assert "协议!E4：Fixed 读作 固定比例（fixed）" in told
    assert "协议!D14：新引进企业 读作 新引进企业（new_firms）" in told
    assert "协议!D30：按股比 读作 按股比（equity）" in told


def test_an_english_workbook_reads_a_rule_typed_in_chinese(tmp_path: Path) -> None:
    path = workbook(
        tmp_path, {("agreements", "D4"): "固定比例", ("agreements", "D14"): "全部税收"}, "en"
    )
    scenario, _, notes = read_noted(path)
    assert (scenario.sharing.rule, scenario.sharing.scope) == ("fixed", "all")
    assert [n.text() for n in notes] == [
        "agreements!D4: 固定比例 read as fixed",
        "agreements!D14: 全部税收 read as all",
    ]


# --------------------------------------------------------------------------- hints

HINTS = {
    "a share typed as a percentage": (
        ("协议", "D5"),
        50,
        "must be in [0, 1], got 50 — did you mean 50% = 0.5?",
        "须在 [0, 1] 之内，实为 50——是否应为 50% = 0.5？",
    ),
    "a misspelt rule": (
        ("协议", "D4"),
        "fixd",
        "unknown rule 'fixd' — did you mean 'fixed'? (known: source, fixed",
        # a Chinese workbook's reader is told the names its cells take: the Chinese ones
        "未知的规则 'fixd'——是否应为 '固定比例'（fixed）？（可用：属地、固定比例、按股比",
    ),
    "a misspelt rule in Chinese": (
        ("协议", "D4"),
        "固定比率",
        "unknown rule '固定比率' — did you mean 'fixed'?",
        "未知的规则 '固定比率'——是否应为 '固定比例'（fixed）？",
    ),
    "a misspelt scope": (
        ("协议", "D14"),
        "new_firm",
        "must be one of 'all', 'new_firms', 'above_base', got 'new_firm' — did you mean "
        "'new_firms'?",
        "须为 '全部税收'（all）、'新引进企业'（new_firms）、'超基数增量'（above_base） 之一，"
        "实为 'new_firm'——是否应为 '新引进企业'（new_firms）？",
    ),
    "a misspelt Chinese clause value": (  # issue 19: the nearest Chinese name
        ("协议", "D27"),
        "属低",
        "got '属低' — did you mean 'source'?",
        "实为 '属低'——是否应为 '属地'（source）？",
    ),
    "a misspelt Chinese scope": (
        ("协议", "D14"),
        "增量",
        "got '增量' — did you mean 'above_base'?",
        "实为 '增量'——是否应为 '超基数增量'（above_base）？",
    ),
    "a misspelt clause rule": (
        ("协议", "D30"),
        "equty",
        "got 'equty' — did you mean 'equity'?",
        "实为 'equty'——是否应为 '按股比'（equity）？",
    ),
}


@pytest.mark.parametrize("mistake", HINTS, ids=lambda m: m.replace(" ", "-"))
def test_a_near_miss_gets_a_hint_in_either_language(mistake: str, tmp_path: Path) -> None:
    cell, typed, en, zh = HINTS[mistake]
    path = workbook(tmp_path, {cell: typed})
    assert en in problems(path, "en") and zh in problems(path, "zh")
    # the names listed are the workbook's language's: no rule id stands alone in Chinese
    assert not re.search(
        r"(?<![（'])\b(source|fixed|equity|new_firms)\b(?![）'])", problems(path, "zh")
    )


def test_a_near_miss_in_toml_gets_the_hint_with_its_key_path(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    text = _scenario('[sharing]\nrule = "fixed"\nscope = "al"\nshares = { SC = 50, CQ = 0.5 }\n')
    path.write_text(text, encoding="utf-8")
    told = problems(path)
    assert "sharing.scope: must be one of 'all', 'new_firms', 'above_base', got 'al' — " in told
    assert "sharing.shares.SC: must be in [0, 1], got 50 — did you mean 50% = 0.5?" in told


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("纳许", "'纳什谈判'（nash）"),
        ("沙普里值", "'Shapley 值'（shapley）"),
        ("核人", "'核仁'（nucleolus）"),
    ],
)
def test_a_chinese_misspelling_gets_a_hint_from_every_name(
    typed: str, meant: str, tmp_path: Path
) -> None:
    """纳许 (for 纳什, Nash) got no hint: only the ids and the displayed Chinese names
    (纳什谈判) were compared, not the other names a reader may type (纳什, 沙普利值)."""
    path = tmp_path / "s.toml"
    path.write_text(_scenario(f'[sharing]\nrule = "{typed}"\n'), encoding="utf-8")
    assert f"未知的规则 '{typed}'——是否应为 {meant}？" in problems(path, "zh")
    assert f"unknown rule '{typed}' — did you mean '{meant.split('（')[1][:-1]}'?" in problems(path)


@pytest.mark.parametrize("value", [150, 0.5 - 1, 1.5, 1000])
def test_no_percentage_is_suggested_where_it_would_not_fit(value: float, tmp_path: Path) -> None:
    text = problems(workbook(tmp_path, {("协议", "D5"): value}))
    assert "did you mean" not in text and f"got {value!r}" in text


def test_no_name_is_suggested_when_none_is_close(tmp_path: Path) -> None:
    text = problems(workbook(tmp_path, {("协议", "D4"): "zzzz"}))
    assert "unknown rule 'zzzz' (known: source" in text


# --------------------------------------------------------------------------- sim validate


def test_validate_lists_what_it_read_differently_after_ok(tmp_path: Path) -> None:
    path = workbook(tmp_path, {("协议", "D5"): "50%", ("企业", "F3"): "1,200"})
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("通过") or str(path) in lines[0]
    assert "  企业!F3：1,200 读作 1200" in lines and "  协议!D5：50% 读作 0.5" in lines
    assert not any("固定比例 读作" in line for line in lines)  # its own Chinese name
    # the unit 亿元 is that unit's Chinese name: nothing to tell in Chinese, no English unit
    assert "100m CNY" not in result.stdout and "亿元 读作" not in result.stdout
    english = CliRunner().invoke(main, ["validate", str(path), "--lang", "en"]).stdout
    assert "  协议!D5: 50% read as 0.5" in english.splitlines()
    assert any(line.endswith("亿元 read as 100m CNY") for line in english.splitlines())
    # without --lang, a Chinese workbook is answered in Chinese, its notes too
    unasked = CliRunner().invoke(main, ["validate", str(path)]).stdout.splitlines()
    assert "  协议!D5：50% 读作 0.5" in unasked


def test_validate_gives_what_it_read_differently_in_json(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text(_scenario('[sharing]\nrule = "按股比"\n'), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(toml), "--format", "json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)["files"]
    assert report["read_as"] == [
        {"where": "sharing.rule", "typed": "按股比", "read": "equity",
         "text": "sharing.rule: 按股比 read as equity"}
    ]  # fmt: skip


def test_other_commands_read_the_same_and_say_nothing(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text(_scenario('[sharing]\nrule = "按股比"\n'), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(toml)])
    assert result.exit_code == 0, result.output
    assert "read as" not in result.output and "按股比" not in result.output


MISSPELT_KEY = {
    "en": ("scenario", "scenario!A8: unknown key 'horizon.discont_rate' — did you mean "
           "'horizon.discount_rate'", "(see the notes sheet)"),
    "zh": ("情景", "情景!A8：未知的键 'horizon.discont_rate'——是否应为 'horizon.discount_rate'",
           "（见说明页）"),
}  # fmt: skip


@pytest.mark.parametrize("lang", MISSPELT_KEY)
def test_a_misspelt_key_in_a_workbook_gets_the_nearest_keys(lang: str, tmp_path: Path) -> None:
    sheet, told, notes = MISSPELT_KEY[lang]
    path = workbook(tmp_path, {(sheet, "A8"): "horizon.discont_rate"}, lang)
    with pytest.raises(ScenarioError) as info:
        load(path)
    text = info.value.message()  # in the workbook's own language
    assert told in text and text.endswith(notes)


def test_no_key_is_suggested_when_none_is_close(tmp_path: Path) -> None:
    text = problems(workbook(tmp_path, {("情景", "A8"): "zzzz.qqqq"}))
    assert "!A8: unknown key 'zzzz.qqqq' (see the notes sheet)" in text


def test_a_discount_rate_typed_as_a_percentage_gets_the_hint(tmp_path: Path) -> None:
    # a new user typed 5 for 5%: the VAT share said "did you mean 5% = 0.05?", the
    # discount rate, whose bounds are (-1, 1], did not
    path = workbook(tmp_path, {("情景", "D8"): 5})
    said = CliRunner().invoke(main, ["validate", str(path), "--lang", "zh"])
    hint = "情景!D8 折现率：须在 (-1, 1] 之内，实为 5——是否应为 5% = 0.05？"
    assert hint in said.output, said.output
