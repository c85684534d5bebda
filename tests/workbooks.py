"""Workbooks built at the zip level for tests: the template workbook with parts replaced,
added or removed, and small "bombs" (a few hundred kilobytes that unzip to millions of
shared strings or styles)."""

from __future__ import annotations

import io
import tomllib
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache

from sim.workbook.write import write_workbook

from .conftest import REFERENCE

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


@cache
def template(lang: str = "en") -> bytes:
    """The reference scenario's workbook, as ``sim template`` writes it."""
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    return write_workbook(data, lang)


def parts(book: bytes) -> dict[str, bytes]:
    """Every part of ``book`` by its name, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(members: Mapping[str, bytes], level: int = 9) -> bytes:
    """A workbook of ``members`` (name → bytes), deflated at ``level``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return out.getvalue()


def with_parts(
    book: bytes, replace: Mapping[str, bytes] | None = None, drop: Iterable[str] = ()
) -> bytes:
    """``book`` with parts replaced or added (``replace``) and removed (``drop``)."""
    members = {n: b for n, b in parts(book).items() if n not in set(drop)}
    members.update(replace or {})
    return rezip(members)


def with_shared_strings(book: bytes, strings: bytes, count: int = 0) -> bytes:
    """``book`` with ``xl/sharedStrings.xml`` holding the ``<si>`` elements ``strings``
    (declared in ``[Content_Types].xml``, as Excel does)."""
    members = parts(book)
    types = members["[Content_Types].xml"]
    if b"sharedStrings" not in types:
        override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + STRINGS_TYPE
        types = types.replace(b"</Types>", override + b'"/></Types>')
    members["[Content_Types].xml"] = types
    members["xl/sharedStrings.xml"] = (
        b"<sst " + MAIN + f' count="{count}" uniqueCount="{count}">'.encode()
        + strings + b"</sst>"
    )  # fmt: skip
    return rezip(members)


def strings_bomb(n: int) -> bytes:
    """The template with ``n`` shared strings (8,000,000: a 350 KB file)."""
    return with_shared_strings(template(), b"<si><t>a</t></si>" * n, n)


def styles_bomb(n: int) -> bytes:
    """The template with ``n`` cell formats in ``xl/styles.xml`` (3,000,000: under 500 KB)."""
    members = parts(template())
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    styles = members["xl/styles.xml"]
    head, _, tail = styles.partition(b"</cellXfs>")
    members["xl/styles.xml"] = head + xf * n + b"</cellXfs>" + tail
    return rezip(members)


def sheet_part(book: bytes, title: str) -> str:
    """The name of the part that holds sheet ``title`` (the template names them in order)."""
    import re

    members = parts(book)
    names = re.findall(rb'<sheet [^>]*name="([^"]*)"', members["xl/workbook.xml"])
    return f"xl/worksheets/sheet{names.index(title.encode()) + 1}.xml"


def with_cells(book: bytes, title: str, cells: bytes) -> bytes:
    """``book`` with the ``<row>`` elements ``cells`` appended to sheet ``title``'s data."""
    name = sheet_part(book, title)
    sheet = parts(book)[name]
    return with_parts(book, {name: sheet.replace(b"</sheetData>", cells + b"</sheetData>")})
