"""A TOML or JSON syntax error, told in the user's language: tomllib's and json's English
("Expected '=' after a key in a key/value pair (at line 3, column 5)") read in Chinese
with the file, line and column, wherever sim reads such a file."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim import i18n
from sim.cli import main
from sim.syntax import PATTERNS, syntax_reason

ROOT = Path(__file__).resolve().parents[2]
LATIN = re.compile(r"[A-Za-z]{3,}")

TOML_MISTAKES = {
    "syn_statement": "[meta]\n= 1\n",
    "syn_newline": "a = 1 b = 2\n",
    "syn_equals": "[meta]\nname = 'x'\nbad key 3\n",
    "syn_overwrite": "a = 1\na = 2\n",
    "syn_twice": "[a]\n[a]\n",
    "syn_table_end": "[meta\n",
    "syn_array_end": "[[parties]\n",
    "syn_key_start": "[%b]\n",
    "syn_array": "a = [1, 2\n",
    "syn_inline": "a = {b = 1\n",
    "syn_inline_key": "a = {b = 1, b = 2}\n",
    "syn_backslash": 'a = "C:\\x\\q"\n',
    "syn_unterminated": 'a = 1\nb = "abc',
    "syn_open_string": 'a = "abc\nb = 1\n',
    "syn_value": "a = yes\n",
    "syn_date": "a = 2024-02-30\n",
    "syn_immutable": "a = {b = 1}\na.c = 2\n",
}
JSON_MISTAKES = {
    "syn_json_value": "[1, ]",
    "syn_json_name": '{"a": 1,}',
    "syn_json_delimiter": '{"a" 1}',
    "syn_json_extra": '{"a": 1} x',
    "syn_json_escape": '"\\q"',
    "syn_json_control": '"a\nb"',
}


def _reason(text: str, kind: str) -> i18n.Reason:
    try:
        json.loads(text) if kind == "json" else tomllib.loads(text)
    except ValueError as exc:
        return syntax_reason(exc)
    raise AssertionError(f"{text!r} parsed")


@pytest.mark.parametrize(
    ("key", "text", "kind"),
    [(k, v, "toml") for k, v in TOML_MISTAKES.items()]
    + [(k, v, "json") for k, v in JSON_MISTAKES.items()],
)
def test_each_common_message_reads_in_chinese(key: str, text: str, kind: str) -> None:
    reason = _reason(text, kind)
    assert reason.params["error"].key == key, reason
    zh = reason.text("zh")
    assert zh.startswith(f"{kind.upper()} 语法错误（")
    assert re.search(r"第 \d+ 行第 \d+ 列|文件末尾", zh), zh
    # no English word but the name of the format (what the parser names is quoted)
    assert not LATIN.findall(re.sub(r"TOML|JSON|'[^']*'", "", zh)), zh
    # the English stays the parser's own text, with where it is
    assert re.search(r"\(at (line \d+, column \d+|end of document)\)$", str(reason)), reason


def test_a_key_is_named_as_toml_writes_it() -> None:
    reason = _reason("[parties.SC]\n[parties.SC]\n", "toml")
    assert reason.text("zh").endswith("表 parties.SC 声明了两次"), reason.text("zh")


@pytest.mark.parametrize(
    ("line", "got"),
    [("output = 1,200", "1,200"), ("output = 1，200", "1，200"), ("area_mu = 1200亩", "1200亩"),
     ("output = 5亿元", "5亿元"), ("shares = { SC = 0.5, CQ = 1,5 }", "1,5")],
)  # fmt: skip
def test_a_number_with_a_separator_or_a_unit_is_named(line: str, got: str) -> None:
    # TOML cannot read 1,200 or 1200亩: tomllib says "Expected newline …"; sim says why
    text = f"[meta]\nname = 'x'\n[a]\n{line}\n"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = syntax_reason(exc, text)
    zh = reason.text("zh")
    assert zh.startswith("TOML 语法错误（第 4 行第"), zh
    assert f"数字不能带千位分隔符或单位：{got}" in zh, zh
    assert got in str(reason) and "thousands separators" in str(reason)


def test_every_pattern_has_its_words() -> None:
    for key in PATTERNS:
        en, zh = i18n.REASONS[key]
        assert en and zh


def test_an_unknown_message_is_chinese_with_the_parser_s_text_quoted() -> None:
    reason = syntax_reason(tomllib.TOMLDecodeError("Something new (at line 4, column 2)"))
    assert reason.text("zh") == "TOML 语法错误（第 4 行第 2 列）：原文：“Something new”"
    assert str(reason) == "TOML syntax error: Something new (at line 4, column 2)"


def _zh_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    return result.output


BAD = "[meta]\nname = 'x'\nbad key 3\n"
NUMBER = "[meta]\nname = 'x'\n[[firms]]\noutput = 1，200\n"
WHERE = "TOML 语法错误（第 3 行第 5 列）：键之后应为 “=”"


def test_a_scenario_s_syntax_error_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "park.toml"
    path.write_text(BAD, encoding="utf-8")
    out = _zh_error(["validate", str(path)])
    assert str(path) in out and WHERE in out and "Expected" not in out
    path.write_text(NUMBER, encoding="utf-8")
    out = _zh_error(["validate", str(path)])
    assert "（第 4 行第 11 列）：数字不能带千位分隔符或单位：1，200" in out


def test_a_portfolio_s_syntax_error_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "pf.toml"
    path.write_text(BAD, encoding="utf-8")
    out = _zh_error(["portfolio", "validate", str(path)])
    assert str(path) in out and WHERE in out and "Expected" not in out


def test_a_sweep_s_syntax_error_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "sw.toml"
    path.write_text(BAD, encoding="utf-8")
    out = _zh_error(["sweep", str(path), "--out", str(tmp_path / "o")])
    assert str(path) in out and WHERE in out and "Expected" not in out
    # the base scenario a sweep names, likewise
    (tmp_path / "base.toml").write_text(BAD, encoding="utf-8")
    path.write_text('[sweep]\nbase = "base.toml"\nn = 4\n', encoding="utf-8")
    out = _zh_error(["sweep", str(path), "--out", str(tmp_path / "o2")])
    assert "base.toml" in out and WHERE in out and "Expected" not in out


def test_a_game_file_s_syntax_error_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{\n  "players": ["A", "B"],\n}', encoding="utf-8")
    out = _zh_error(["game", "solve", str(path)])
    assert str(path) in out and "JSON 语法错误（第 3 行第 1 列）" in out
    assert "Expecting" not in out


def test_a_sensitivity_manifest_s_syntax_error_in_chinese(tmp_path: Path) -> None:
    from sim.errors import ResultsError
    from sim.sensitivity import read_sensitivity

    (tmp_path / "manifest.json").write_text('{"kind": "sensitivity",}', encoding="utf-8")
    with pytest.raises(ResultsError) as caught:
        read_sensitivity(tmp_path)
    zh = caught.value.message("zh")
    assert "JSON 语法错误（第 1 行第 24 列）" in zh and "Expecting" not in zh
