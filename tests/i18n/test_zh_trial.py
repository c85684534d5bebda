"""A new user's Chinese trial (issue 19): a workbook from ``sim template --lang zh``,
edited into a three-party park, read and answered in Chinese, nothing reinterpreted
silently, no English word left but ids, key paths and file names."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.i18n import TERMS
from sim.scenario import load
from sim.workbook.write import write_workbook

from .test_zh_output import NAMES, _registry, _words

ROOT = Path(__file__).resolve().parents[2]
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


def test_a_choice_typed_by_its_chinese_name_is_not_noted_in_chinese(tmp_path: Path) -> None:
    # 协议!D4：固定比例 读作 固定比例（fixed） told a Chinese reader nothing (a new user
    # met four such notes on the untouched template); an alias is still noted (below)
    out = cli("validate", str(book(tmp_path)))
    assert "读作" not in out, out
    english = cli("validate", str(book(tmp_path)), "--lang", "en")
    assert "协议!D4: 固定比例 read as fixed" in english


@pytest.mark.parametrize("alias", ["夏普利值", "沙普利值", "Shapley值"])
def test_a_common_chinese_name_of_a_rule_is_read(alias: str, tmp_path: Path) -> None:
    out = cli("validate", str(book(tmp_path, {("rule", "E"): alias})))
    assert f"协议!E4：{alias} 读作 Shapley 值（shapley）" in out


def test_the_rules_known_are_listed_by_their_chinese_names(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("rule", "G"): "纳许"}))
    assert "（可用：属地、固定比例、按股比" in out and "source, fixed" not in out


def test_a_misspelt_clause_value_gets_the_chinese_names(tmp_path: Path) -> None:
    out = told(book(tmp_path, {("land", "D"): "属低", ("scope", "F"): "增量"}))
    assert "实为 '属低'——是否应为 '属地'（source）？" in out and "'source', 'shared'" not in out
    assert "实为 '增量'——是否应为 '超基数增量'（above_base）？" in out
    assert "须为 '全部税收'（all）、'新引进企业'（new_firms）、'超基数增量'（above_base）" in out


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


# ------------------------------------------------------------------ the trial end to end

WORD3 = re.compile(r"[A-Za-z]{3,}")


def _html_text(path: Path) -> str:
    """The words a reader sees on a report page: its text, titles and alt texts."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    seen = " ".join(re.findall(r'(?:alt|title)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + seen)


def _left(text: str, allowed: set[str]) -> set[str]:
    """ASCII words of 3+ letters outside ids, key paths, file names and the allowlist."""
    text = re.sub(r"(\S*[/\\]\S*|\S+\.(?:xlsx|toml|html|png|csv|docx|json)\b|--[\w-]+)", " ", text)
    text = re.sub(r"[\w<>\[\]-]*[._][\w.<>\[\]-]*", " ", text)  # key paths, ids with . or _
    text = re.sub(r"\b[a-f0-9]*\d[a-f0-9]*\b", " ", text)  # a run's digest
    return {w for w in WORD3.findall(text) if w not in NAMES and w.lower() not in allowed}


def test_the_three_party_trial_in_chinese(tmp_path: Path, blank_pictures: None) -> None:
    path = book(tmp_path, {("rule", "E"): "夏普利值"})
    sc = load(path)
    allowed = _registry() | _words(sc.name, *sc.party_ids, *(f.id for f in sc.firms))
    allowed |= _words(*(s.label for s in sc.compare), str(tmp_path))
    outputs = {
        "validate": cli("validate", str(path)),
        "run": cli("run", str(path)),
        "compare": cli("compare", str(path)),
        "settle": cli("settle", str(path), "--year", "2030", "--out", str(tmp_path / "st")),
    }
    cli("report", str(path), "--out", str(tmp_path / "rep"))
    outputs["report"] = _html_text(tmp_path / "rep" / "report.html")
    for command, text in outputs.items():
        assert not _left(text, allowed), (command, _left(text, allowed))
    # firms by their Chinese names, the scenario by its title (items 8 and 9)
    assert "动力电池厂" in outputs["settle"] and "battery-plant" not in outputs["settle"]
    assert "情景 遂宁潼南成都三方园区 ·" in outputs["report"]
    assert "情景 suining-tongnan" not in outputs["report"]
    statement = openpyxl.load_workbook(tmp_path / "st" / "statement.xlsx")
    cells = {c.value for ws in statement for row in ws.iter_rows() for c in row}
    assert "动力电池厂" in cells and "battery-plant" not in cells


def test_the_chinese_template_names_defaults_and_unit_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "X.xlsx"
    assert "已写入" in cli("template", str(path), "--lang", "zh")
    wb = openpyxl.load_workbook(path)
    rows = {r[2]: r for r in wb["说明"].iter_rows(values_only=True) if len(r) > 6}
    assert rows["sharing.scope"][5] == "全部税收" and "new_firms" not in rows["sharing.scope"][6]
    assert (rows["sharing.land"][5], rows["sharing.dividends"][5]) == ("属地", "按股比")
    units = [r for r in wb["情景"].iter_rows(values_only=True) if r[0] == "meta.unit"]
    assert units[0][3] == "亿元"
    assert load(path).unit == "100m CNY"  # the same unit, read back
    assert "说明" in wb.sheetnames
    noted = cli("validate", str(path))
    # 亿元 is that unit's Chinese name: nothing to note in Chinese, and no English unit
    assert "100m CNY" not in noted and "情景!D5" not in noted
    assert "情景!D5: 亿元 read as 100m CNY" in cli("validate", str(path), "--lang", "en")
