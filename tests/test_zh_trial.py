"""A new user's Chinese trial (issue 19): a workbook from ``sim template --lang zh``,
edited into a three-party park, read and answered in Chinese, nothing reinterpreted
silently, no English word left but ids, key paths and file names."""

from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.i18n import TERMS
from sim.scenario import load
from sim.workbook.write import write_workbook

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = [ROOT / d / "co-built-park.toml" for d in ("scenarios", "sim/data", "tests/data")]


def three_party() -> dict:
    """The reference scenario edited into a three-party park, in Chinese names only."""
    data = tomllib.loads((ROOT / "sim" / "data" / "co-built-park.toml").read_text("utf-8"))
    data["meta"].update(name="suining-tongnan", title_zh="遂宁潼南成都三方园区")
    del data["meta"]["title"]
    data["parties"] = [
        {"id": "SN", "name_zh": "遂宁", "retained_share": 0.8},
        {"id": "TN", "name_zh": "潼南", "retained_share": 0.85},
        {"id": "CD", "name_zh": "成都", "retained_share": 0.8},
    ]
    where = (("SN", "SN"), ("TN", "TN"), ("TN", "SN"), ("CD", "CD"))
    for f, (p, i) in zip(data["firms"], where, strict=True):
        f["party"], f["introduced_by"] = p, i
    data["land_sales"][0]["party"], data["land_sales"][1]["party"] = "TN", "SN"
    data["investment"]["equity"] = {"SN": 0.4, "TN": 0.4, "CD": 0.2}
    data["sharing"]["shares"] = {"SN": 0.4, "TN": 0.4, "CD": 0.2}
    data["compare"] = [
        {"label_zh": "夏普利", "rule": "shapley"},
        {"label_zh": "夏普利二", "rule": "shapley"},
        {"label_zh": "纳什", "rule": "nash"},
    ]
    return data


def book(tmp_path: Path, cells: dict[tuple[str, str], object] | None = None) -> Path:
    """The three-party workbook, with ``cells`` of the 协议 sheet typed over, each by its
    key and column (``("rule", "E")``)."""
    path = tmp_path / "s3.xlsx"
    path.write_bytes(write_workbook(three_party(), "zh"))
    if cells:
        wb = openpyxl.load_workbook(path)
        sheet = wb["协议"]
        rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
        for (key, col), value in cells.items():
            sheet[f"{col}{rows[key]}"] = value
        wb.save(path)
    return path


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def told(path: Path) -> str:
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code in (1, 2) and "不是有效的情景文件" in result.output
    return result.output


# ------------------------------------------------------------------ the words of a title


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: str(p.parent.relative_to(ROOT)))
def test_the_reference_title_says_what_its_terms_are(path: Path) -> None:
    sc = load(path)
    assert sc.sharing.scope == "new_firms"
    assert TERMS["new_firms"] in sc.title_zh and "new firms" in sc.title
    assert "增量" not in sc.title_zh and "increment" not in sc.title  # that is above_base


def test_a_title_of_an_increment_is_above_base() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        sc = load(path)
        if "增量" in sc.title_zh:
            assert sc.sharing.scope == "above_base", path.name


# ------------------------------------------------------------------ what was read


def test_what_was_read_is_named_in_chinese(tmp_path: Path) -> None:
    out = cli("validate", str(book(tmp_path)))
    assert "协议!D4：固定比例 读作 固定比例（fixed）" in out
    assert "新引进企业 读作 新引进企业（new_firms）" in out
    assert "读作 fixed\n" not in out and "读作 new_firms\n" not in out


@pytest.mark.parametrize("alias", ["夏普利值", "沙普利值", "Shapley值"])
def test_a_common_chinese_name_of_a_rule_is_read(alias: str, tmp_path: Path) -> None:
    out = cli("validate", str(book(tmp_path, {("rule", "E"): alias})))
    assert f"协议!E4：{alias} 读作 Shapley 值（shapley）" in out


def test_the_rules_known_are_listed_by_their_chinese_names(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("rule", "G"): "纳许"}))
    assert "（可用：属地、固定比例、按股比" in out and "source, fixed" not in out


def test_a_misspelt_clause_value_gets_the_chinese_names(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("land", "D"): "属低", ("scope", "F"): "增量"}))
    assert "须为 属地、随税收分成比例、按股比、固定比例 之一，实为 '属低'——是否应为 '属地'" in out
    assert "须为 全部税收、新引进企业、超基数增量 之一，实为 '增量'——是否应为 '超基数增量'" in out


def test_a_base_year_out_of_place_is_told_in_chinese(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("base_year", "E"): 2021}))
    assert "基年：仅在分享范围为“超基数增量”（above_base）时适用（分享范围沿用自协议" in out
    assert 'scope = "above_base"' not in out


def test_names_left_blank_are_no_duplicate(tmp_path: Path) -> None:
    path = book(tmp_path)
    assert "通过" in cli("validate", str(path))
    sc = load(path)
    assert [(s.label, s.label_zh) for s in sc.compare][:2] == [
        ("shapley", "夏普利"),
        ("shapley-2", "夏普利二"),
    ]


def test_a_duplicate_name_is_told_in_chinese(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("label", "E"): "same", ("label", "F"): "same"}))
    assert "方案名 'same' 与 compare[0] 重复" in out
