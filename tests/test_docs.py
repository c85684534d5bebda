"""The manual says what the code does: JSON keys documented, no citation of a missing file."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from sim.cli import main

from .conftest import ROOT

JSON_PAGE = ROOT / "docs" / "reference" / "json.md"


def _documented(section: str) -> set[str]:
    """Keys in the first column of the tables under a heading of docs/reference/json.md."""
    text = JSON_PAGE.read_text(encoding="utf-8")
    body = text.split(section, 1)[1].split("\n## ", 1)[0]
    keys: set[str] = set()
    for line in body.splitlines():
        if line.startswith("| `"):
            keys |= set(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return keys


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    out = CliRunner().invoke(main, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)  # type: ignore[no-any-return]


def test_run_document_keys_are_documented() -> None:
    doc = _json("run", str(ROOT / "scenarios" / "gaozhu-clauses.toml"))
    assert set(doc) <= _documented("## `sim run FILE --format json`")


def test_compare_document_keys_are_documented() -> None:
    doc = _json("compare", str(ROOT / "scenarios" / "gaozhu.toml"), "--explain")
    documented = _documented("## `sim compare FILE --format json`")
    assert set(doc) <= documented
    rows = set().union(*(r.keys() for r in doc["results"]))
    assert rows <= documented


def test_no_docstring_cites_a_file_outside_the_repository() -> None:
    cited = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in (ROOT / "sim").rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bSPEC\b", line)
    ]
    assert cited == []
