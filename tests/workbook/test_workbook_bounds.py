"""Workbooks bounded before they are read: small files that unzip to millions of shared
strings or styles, entity tricks, and values beyond the rows and columns read, each
refused with the part or the cell it is in."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import ScenarioError
from sim.scenario import load
from sim.workbook import bounds
from sim.workbook.bounds import MAX_COLUMNS, MAX_ROWS, MAX_SHARED_STRINGS, MAX_STYLES

from ..workbooks import (
    MAIN,
    parts,
    sheet_part,
    strings_bomb,
    styles_bomb,
    template,
    with_cells,
    with_parts,
    with_shared_strings,
)


def refused(tmp_path: Path, book: bytes) -> str:
    """The message ``sim run`` refuses ``book`` with (exit 2, one clean message, nothing
    written); ``sim validate`` refuses it too (exit 1)."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(book)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert str(path) in result.stderr and not out.exists()
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 1
    return result.stderr


def test_a_workbook_with_too_many_shared_strings_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, strings_bomb(MAX_SHARED_STRINGS + 1))
    assert "xl/sharedStrings.xml has more than 100,000 shared strings (<si>)" in text


def test_a_workbook_with_too_many_styles_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, styles_bomb(MAX_STYLES + 1))
    assert "xl/styles.xml has more than 10,000 style records (<xf>)" in text


def test_a_shared_strings_bomb_is_refused_at_once(tmp_path: Path) -> None:
    book = strings_bomb(2_000_000)  # 90 KB; openpyxl alone took 40 s to hold it
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(book)
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="more than 100,000 shared strings"):
        load(path)
    assert time.perf_counter() - start < 5.0


def test_shared_strings_a_workbook_has_are_read(tmp_path: Path) -> None:
    """The limits leave room: a workbook whose headers are shared strings (as Excel
    writes them) reads as the template does."""
    book = template()
    firms = sheet_part(book, "firms")
    inline = b'<c r="A1" s="1" t="inlineStr"><is><t>id</t></is></c>'
    sheet = parts(book)[firms].replace(inline, b'<c r="A1" s="1" t="s"><v>0</v></c>')
    shared = with_shared_strings(with_parts(book, {firms: sheet}), b"<si><t>id</t></si>", 1)
    (tmp_path / "a.xlsx").write_bytes(book)
    (tmp_path / "b.xlsx").write_bytes(shared)
    assert load(tmp_path / "b.xlsx").firms == load(tmp_path / "a.xlsx").firms


def test_a_document_type_with_entities_is_refused(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    book = with_shared_strings(template(), b"<si><t>&b;</t></si>", 1)
    book = with_parts(book, {"xl/sharedStrings.xml": laughs + parts(book)["xl/sharedStrings.xml"]})
    text = refused(tmp_path, book)
    assert "xl/sharedStrings.xml declares a document type or entities" in text


def test_xml_that_is_not_well_formed_is_refused_with_its_part(tmp_path: Path) -> None:
    book = template()
    firms = sheet_part(book, "firms")
    text = refused(tmp_path, with_parts(book, {firms: parts(book)[firms][:-40]}))
    assert f"{firms} is not well-formed XML" in text


def test_a_part_that_cannot_be_unzipped_is_refused_with_its_name(tmp_path: Path) -> None:
    book = bytearray(template())
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    book[start] = 0x07  # a deflate block of the type that does not exist
    assert "xl/worksheets/sheet3.xml cannot be unzipped" in refused(tmp_path, bytes(book))


def test_a_sheet_with_too_many_cells_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_CELLS", 1_000)  # 1,000,000 the same way, 40 s slower
    cells = b"".join(
        b'<row r="%d">' % r + b"<c><v>1</v></c>" * 10 + b"</row>" for r in range(100, 201)
    )
    text = refused(tmp_path, with_cells(template(), "notes", cells))
    assert "sheet 'notes' (xl/worksheets/sheet7.xml) has more than 1,000 cells" in text


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        (b'<row r="20002"><c r="A20002" t="inlineStr"><is><t>late</t></is></c></row>',
         "firms!A20002"),
        (b'<row r="30"><c r="SH30"><v>1</v></c></row>', "firms!SH30"),
        (b'<row r="1048576"><c r="XFD1048576"><f>1+1</f></c></row>', "firms!XFD1048576"),
        (b'<row r="31"><c r="SF31"><v>1</v></c><c><v>2</v></c></row>', "firms!SG31"),
    ],
    ids=["row", "column", "last-cell", "column-without-reference"],
)  # fmt: skip
def test_a_value_beyond_the_rows_and_columns_read_is_refused_with_its_cell(
    tmp_path: Path, cells: bytes, where: str
) -> None:
    text = refused(tmp_path, with_cells(template(), "firms", cells))
    assert f"{where}: a value beyond" in text
    assert f"read up to row {MAX_ROWS:,} and column {MAX_COLUMNS}" in text


def test_a_sheet_s_stated_size_is_not_trusted(tmp_path: Path) -> None:
    """A ``<dimension>`` that understates the sheet (as some writers leave it) does not
    hide the cells beyond it."""
    book = template()
    firms = sheet_part(book, "firms")
    sheet = parts(book)[firms].replace(b'<dimension ref="A1:Q5"/>', b'<dimension ref="A1:A1"/>')
    (tmp_path / "a.xlsx").write_bytes(book)
    (tmp_path / "b.xlsx").write_bytes(with_parts(book, {firms: sheet}))
    assert load(tmp_path / "b.xlsx").firms == load(tmp_path / "a.xlsx").firms


def test_namespace_prefixes_do_not_hide_shared_strings(tmp_path: Path) -> None:
    prefixed = MAIN.replace(b"xmlns=", b"xmlns:x=")
    blob = (
        b"<x:sst " + prefixed + b">" + b"<x:si><x:t>a</x:t></x:si>" * (MAX_SHARED_STRINGS + 1)
        + b"</x:sst>"
    )  # fmt: skip
    book = with_shared_strings(template(), b"", 0)
    text = refused(tmp_path, with_parts(book, {"xl/sharedStrings.xml": blob}))
    assert "more than 100,000 shared strings" in text


def test_a_workbook_uploaded_to_sim_serve_is_bounded_too(tmp_path: Path) -> None:
    pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")
    from sim.web import make_app

    app = make_app(tmp_path)
    client = app.test_client()
    client.environ_base["HTTP_X_SIM_TOKEN"] = app.extensions["sim"].guard.token  # as the page
    boundary = "sim-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bomb.xlsx"'
            "\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + strings_bomb(MAX_SHARED_STRINGS + 1)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    text = str(response.json)
    assert "bomb.xlsx" in text and "more than 100,000 shared strings" in text
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_the_bounds_did_not_check_is_never_read_blind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.workbook.read

    real = sim.workbook.read.inspect
    monkeypatch.setattr(
        sim.workbook.read, "inspect", lambda *a: {k: v for k, v in real(*a).items() if "3" not in k}
    )
    text = refused(tmp_path, template())
    assert "firms: a sheet whose part could not be checked" in text


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (b'<c r="B3" t="s"><v>3</v></c>', "it points to shared string 3 and the workbook has 0"),
        (b'<c r="B3"><v>x</v></c>', "a number cell holds 'x'"),
        (b'<c r="B3"><f>1+1</f><v>NaN</v></c>', "a number cell holds 'NaN'"),
        (b'<c r="B3" t="b"><v>yes</v></c>', "a TRUE/FALSE cell holds 'yes'"),
    ],
    ids=["shared-string", "number", "formula", "flag"],
)  # fmt: skip
def test_a_cell_openpyxl_cannot_read_is_named(tmp_path: Path, cell: bytes, words: str) -> None:
    book = template()
    firms = sheet_part(book, "firms")
    sheet = re.sub(rb'<c r="B3".*?</c>', cell, parts(book)[firms], count=1)
    text = refused(tmp_path, with_parts(book, {firms: sheet}))
    assert f"firms!B3: a damaged cell: {words}" in text
