"""--force replaces only the files sim wrote, as its marker lists them (issue 18)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import ResultsError
from sim.files import MARKER, check_free, new_folder

from ..conftest import REFERENCE


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run(out: Path, *more: str) -> object:
    return CliRunner().invoke(main, ["run", str(REFERENCE), "--out", str(out), *more])


def test_the_marker_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(out).exit_code == 0  # type: ignore[attr-defined]
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {MARKER}
    assert set(marker["files"]) == files and "inputs/scenario.toml" in files
    for name, digest in marker["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("where", ["notes.txt", "inputs/notes.txt"])
def test_force_refuses_a_folder_with_a_file_of_yours(tmp_path: Path, where: str) -> None:
    out = tmp_path / "out"
    assert _run(out).exit_code == 0  # type: ignore[attr-defined]
    (out / where).write_text("my notes", encoding="utf-8")
    before = _snapshot(out)
    result = _run(out, "--force")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert where in result.stderr and "not written by sim" in result.stderr  # type: ignore[attr-defined]
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_force_refuses_a_file_changed_since_sim_wrote_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(out).exit_code == 0  # type: ignore[attr-defined]
    with (out / "flows.csv").open("a", encoding="utf-8") as fh:
        fh.write("my row\n")
    before = _snapshot(out)
    result = _run(out, "--force")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "flows.csv" in result.stderr and "changed" in result.stderr  # type: ignore[attr-defined]
    assert _snapshot(out) == before


def test_force_refuses_a_report_folder_with_a_file_of_yours(
    tmp_path: Path, blank_pictures: None
) -> None:
    out = tmp_path / "report"
    args = ["report", str(REFERENCE), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)
    result = CliRunner().invoke(main, [*args, "--force"])
    assert result.exit_code == 2 and "mine.txt" in result.stderr
    assert _snapshot(out) == before


@pytest.mark.parametrize(
    "marker",
    ["", "not json", '{"written_by": "sim", "kind": "run"}', '{"written_by": "sim", "files": 1}',
     '{"written_by": "sim", "files": {"../thesis.docx": "00"}}', "[]"],
)  # fmt: skip
def test_a_marker_sim_did_not_write_is_refused(tmp_path: Path, marker: str) -> None:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"four years of work")
    (folder / MARKER).write_text(marker, encoding="utf-8")
    before = _snapshot(folder)
    result = _run(folder, "--force")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert MARKER in result.stderr and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    assert _snapshot(folder) == before
    with pytest.raises(ResultsError), new_folder(folder, force=True):
        pass
    assert _snapshot(folder) == before


def test_a_sweep_folder_is_never_replaced_by_force(tmp_path: Path) -> None:
    # a sweep's manifest names sim's version: that alone no longer makes it replaceable
    folder = tmp_path / "sweep"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        json.dumps({"kind": "sweep", "versions": {"sim": "1"}}), encoding="utf-8"
    )
    with pytest.raises(ResultsError):
        check_free(folder, force=True)


def test_force_replaces_a_clean_folder_and_names_at_most_some(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run(out).exit_code == 0  # type: ignore[attr-defined]
    (out / "flows.csv").unlink()  # a file sim wrote, removed: nothing of yours is lost
    assert _run(out, "--force").exit_code == 0  # type: ignore[attr-defined]
    assert (out / "flows.csv").is_file()
    for k in range(30):
        (out / f"mine-{k:02d}.txt").write_text("x", encoding="utf-8")
    result = _run(out, "--force")
    assert result.exit_code == 2 and "mine-00.txt" in result.stderr  # type: ignore[attr-defined]
    assert "and 20 more" in result.stderr  # type: ignore[attr-defined]
    assert len(list(out.glob("mine-*.txt"))) == 30


def test_a_file_put_in_while_sim_works_is_kept_and_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with new_folder(out) as tmp:
        (tmp / "a.csv").write_text("1", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"notes\.txt"), new_folder(out, force=True) as tmp:
        (tmp / "b.csv").write_text("2", encoding="utf-8")
        (out / "notes.txt").write_text("mine", encoding="utf-8")  # after the first check
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.csv", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
