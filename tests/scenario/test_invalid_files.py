"""One broken file per mistake: each states the words its message must contain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import ScenarioError
from sim.scenario import load

from ..conftest import DATA, ROOT

INVALID = sorted((DATA / "invalid").glob("*.toml"))


def expectations(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def test_there_are_enough_broken_files() -> None:
    assert len(INVALID) >= 25


def assert_told(path: Path, read: Callable[[Path], object], error: type[Exception], what: str
                ) -> None:  # fmt: skip
    """``read(path)`` raises ``error``, whose message names the file as not a valid
    ``what`` and holds every ``# expect:`` line of the file."""
    expected = expectations(path)
    assert expected, f"{path.name} states no '# expect:' line"
    with pytest.raises(error) as info:
        read(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a valid {what}")
    for words in expected:
        assert words in message, message


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_message_names_the_key_and_reason(path: Path) -> None:
    assert_told(path, load, ScenarioError, "scenario")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_cli_fails_cleanly_and_writes_nothing(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.startswith("error: ")
    assert expectations(path)[0] in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_one_clear_error() -> None:
    result = CliRunner().invoke(main, ["run", "no/such/file.toml"])
    assert result.exit_code == 2
    assert "no/such/file.toml: not a valid scenario (1 problem)\n  no such file" in result.output


def test_debug_shows_the_traceback() -> None:
    path = DATA / "invalid" / "unknown-rule.toml"
    plain = CliRunner().invoke(main, ["run", str(path)])
    debug = CliRunner().invoke(main, ["run", str(path), "--debug"])
    assert "Traceback" not in plain.output
    assert "Traceback" in debug.output
    assert debug.exit_code == plain.exit_code == 2


def test_validate_reports_every_file(tmp_path: Path) -> None:
    good = str(DATA / "co-built-park.toml")
    bad = str(DATA / "invalid" / "shares-do-not-sum-to-one.toml")
    ok = CliRunner().invoke(main, ["validate", good])
    assert ok.exit_code == 0 and ok.output.startswith("ok  ")
    mixed = CliRunner().invoke(main, ["validate", good, bad, "--format", "json"])
    assert mixed.exit_code == 1
    import json

    doc = json.loads(mixed.stdout)
    assert [f["valid"] for f in doc["files"]] == [True, False]
    assert doc["files"][1]["problems"][0]["path"] == "sharing.shares"


@pytest.mark.parametrize("name", ["firm-id-empty", "party-id-empty", "meta-name-empty"])
@pytest.mark.parametrize("command", ["convert", "template"])
def test_an_empty_id_fails_convert_and_template_cleanly(
    name: str, command: str, tmp_path: Path
) -> None:
    """An empty id validated, then `sim convert` and `sim template` exited 70."""
    path = DATA / "invalid" / f"{name}.toml"
    dest = tmp_path / "out.xlsx"
    args = [command, str(path), str(dest)] if command == "convert" else [command, str(dest)]
    if command == "template":
        args += ["--from", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "must not be empty" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["compare-label-reserved", "compare-label-zh-reserved"])
def test_a_label_of_a_built_in_row_fails_report_cleanly(
    name: str, lang: str, tmp_path: Path
) -> None:
    """[[compare]] label = "equity" (or 按股比) compared, then `sim report` exited 70."""
    out = tmp_path / "report"
    path = str(DATA / "invalid" / f"{name}.toml")
    result = CliRunner().invoke(main, ["report", path, "--lang", lang, "--out", str(out)])
    assert result.exit_code == 2, result.output
    said = {"en": "reserved for the rows sim compare adds", "zh": "是 sim compare 自带行的名称"}
    assert said[lang] in result.output  # in the language asked for
    assert not out.exists()


def test_a_pipe_or_device_is_read_up_to_the_limit_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe, ``/dev/zero`` or a FIFO states no size (0): it was read to its end, and
    ``/dev/zero`` (as a scenario, or as a park of a portfolio) filled the memory until the
    process was killed. It is read up to the limit, and refused past it."""
    import os

    from sim import errors

    monkeypatch.setattr(errors, "MAX_INPUT_BYTES", 1000)
    text = (ROOT / "scenarios" / "gaozhu.toml").read_bytes()[:900]
    for size, refused in ((900, False), (5000, True)):
        r, w = os.pipe()
        os.write(w, (text + b"#" * 5000)[:size])
        os.close(w)
        try:
            if refused:
                with pytest.raises(ScenarioError, match="holds more than 1,000 bytes"):
                    errors.read_input_bytes(f"/dev/fd/{r}", ScenarioError)
            else:
                assert errors.read_input_bytes(f"/dev/fd/{r}", ScenarioError) == text[:size]
        finally:
            os.close(r)
    res = CliRunner().invoke(main, ["run", "/dev/zero"])
    assert res.exit_code == 2 and "holds more than 1,000 bytes" in res.output


def test_validate_reads_a_pipe_once() -> None:
    """`sim validate <(…)` read the pipe once to see whether it holds a sweep, then again
    to check it, found it empty and called a valid scenario invalid (7 problems)."""
    import os

    r, w = os.pipe()
    os.write(w, (ROOT / "scenarios" / "gaozhu.toml").read_bytes())
    os.close(w)
    try:
        res = CliRunner().invoke(main, ["validate", f"/dev/fd/{r}"])
    finally:
        os.close(r)
    assert res.exit_code == 0, res.output
    assert "(gaozhu: 2 parties" in res.output


@pytest.mark.parametrize("how", ["toml", "xlsx"])
def test_a_repeated_party_id_is_one_problem(how: str, tmp_path: Path) -> None:
    # a new user typed SC over CQ on the parties sheet: the repeat was followed by nine
    # problems that were its consequences (every CQ firm, sale and share "unknown", the
    # equity shares summing to 0.5 over the one SC left)
    gaozhu = ROOT / "scenarios" / "gaozhu.toml"
    if how == "toml":
        path = tmp_path / "s.toml"
        text = gaozhu.read_text(encoding="utf-8")
        path.write_text(text.replace('id = "CQ"', 'id = "SC"', 1), encoding="utf-8")
    else:
        import openpyxl

        path = tmp_path / "s.xlsx"
        assert CliRunner().invoke(main, ["convert", str(gaozhu), str(path)]).exit_code == 0
        book = openpyxl.load_workbook(path)
        sheet = book["parties"]
        row = next(r for r in sheet.iter_rows() if r[0].value == "CQ")
        row[0].value = "SC"
        book.save(path)
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert len(info.value.problems) == 1, [str(p) for p in info.value.problems]
    assert "duplicate party id 'SC'" in str(info.value.problems[0])
