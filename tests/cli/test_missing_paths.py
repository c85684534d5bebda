"""A file or folder that is not there: one message in the language asked for, naming the
path, exit 2 (click's own checks ran before --lang was read, so they were in English)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main

COMMANDS = [
    ["report", "{path}", "--to", "docx"],
    ["report", "{path}"],
    ["plot", "{path}", "--kind", "tornado"],
    ["sweep", "summary", "{path}"],
    ["sweep", "export", "{path}", "--to", "ema"],
    ["discover", "{path}"],
]
SAID = {"en": ("error: ", "no such"), "zh": ("错误：", "不存在")}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_path_is_told_in_the_language_asked(
    command: list[str], lang: str, tmp_path: Path
) -> None:
    path = str(tmp_path / "nosuch.xlsx")
    args = [a.format(path=path) for a in command]
    result = CliRunner().invoke(main, [*args, "--lang", lang])
    assert result.exit_code == 2, result.output
    start, missing = SAID[lang]
    assert result.output.startswith(f"{start}{path}")
    assert missing in result.output
    assert "Usage" not in result.output and "Invalid value" not in result.output


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", COMMANDS[3:], ids=lambda c: " ".join(c[:2]))
def test_a_file_where_a_folder_is_needed(command: list[str], lang: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    args = [a.format(path=path) for a in command]
    result = CliRunner().invoke(main, [*args, "--lang", lang])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(SAID[lang][0] + str(path))
    assert "Usage" not in result.output


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["run", "{folder}"], "FILE 的值无效：{folder}：是文件夹，不是文件"),
        (["validate", "{folder}"], "FILES 的值无效：{folder}：是文件夹，不是文件"),
        (["report", "{file}", "--out", "{file}"], "--out 的值无效：{file}：已存在且不是文件夹"),
    ],
)
def test_a_path_click_refuses_is_told_in_chinese(
    command: list[str], said: str, tmp_path: Path
) -> None:
    # refused while the command line is parsed, before --lang is read: in Chinese still
    file = tmp_path / "a.toml"
    file.write_text("x")
    where = {"folder": tmp_path, "file": file}
    args = [a.format(**where) for a in command]
    result = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误：" + said.format(**where)), result.output
    assert "Invalid value" not in result.output and "Error" not in result.output
    english = CliRunner().invoke(main, [*args, "--lang=en"])
    assert english.exit_code == 2 and english.output.startswith("error: invalid value for ")
