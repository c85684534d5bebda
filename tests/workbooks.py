"""Workbooks built at the zip level for tests: the template workbook with parts replaced,
added or removed, and small "bombs" (a few hundred kilobytes that unzip to millions of
shared strings or styles)."""

from __future__ import annotations

import io
import tomllib
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache

from hypothesis import strategies as st

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
    """A workbook of ``members`` (name → bytes), deflated at ``level`` (1: fastest)."""
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


# --------------------------------------------------------------------------- edits for fuzzing


def escape(text: str) -> str:
    """``text`` as XML character data or an attribute value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;"
    )  # fmt: skip


def column(c: int) -> str:
    """The letters of column ``c`` (1 → A)."""
    out = ""
    while c > 0:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def set_cell(sheet: bytes, row: int, col: int, cell: bytes) -> bytes:
    """Sheet XML ``sheet`` with the cell at (``row``, ``col``) replaced by ``cell`` (the
    ``<c>`` element's attributes after ``r`` and its content: ``b' t="b"><v>1</v>'``);
    a row or cell not there is added."""
    import re

    ref = f"{column(col)}{row}".encode()
    new = b'<c r="' + ref + b'"' + cell + b"</c>"
    found = re.search(rb'<c r="' + ref + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', sheet, re.S)
    if found:
        return sheet[: found.start()] + new + sheet[found.end() :]
    line = re.search(rb'<row r="%d"[^>]*>(.*?)</row>' % row, sheet, re.S)
    if line and b"<c " in line.group(1):
        # a cell of its own at the row's end (openpyxl reads cells by their reference)
        return sheet[: line.end() - 6] + new + sheet[line.end() - 6 :]
    if line:
        return sheet[: line.start()] + b'<row r="%d">' % row + new + b"</row>" + sheet[line.end() :]
    rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', sheet)]
    after = [r for r in rows if r > row]
    block = b'<row r="%d">' % row + new + b"</row>"
    if after:
        at = sheet.index(b'<row r="%d"' % min(after))
        return sheet[:at] + block + sheet[at:]
    if b"</sheetData>" in sheet:
        return sheet.replace(b"</sheetData>", block + b"</sheetData>")
    return sheet.replace(b"<sheetData/>", b"<sheetData>" + block + b"</sheetData>")


_NAMES = ("scenario", "parties", "firms", "land_sales", "capex", "agreements", "notes")
_SHEET_PARTS = [f"xl/worksheets/sheet{i}.xml" for i in range(1, 8)]
_RELATIONSHIPS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Lo", "So", "Zs", "Mn"]), max_size=12),
    st.sampled_from(["13%", "１２", "TRUE", "是", "SC, CQ", "-", "1e400", "NaN", "#x", " ",
                     "shapley", "2021", "=1/0", "battery-plant", "=A1"]),
)  # fmt: skip
Members = dict[str, bytes]


def _xml_text(text: str) -> bytes:
    """``text`` escaped, without the characters XML 1.0 cannot hold."""
    kept = "".join(
        ch for ch in text
        if ch in "\t\n\r" or " " <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
        or ord(ch) >= 0x10000
    )  # fmt: skip
    return escape(kept).encode()


@st.composite
def _number(draw: st.DrawFn) -> bytes:
    number = draw(st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(10**30), 10**30),
        st.sampled_from(["NaN", "INF", "-INF", "1e999", "0x10", "", "1,5"]),
    ))  # fmt: skip
    return escape(number if isinstance(number, str) else repr(number)).encode()


@st.composite
def _cell(draw: st.DrawFn) -> bytes:
    """A ``<c>`` element's attributes after ``r`` and its content."""
    kind = draw(st.sampled_from(["number", "text", "bool", "formula", "error", "empty",
                                 "shared", "style", "date"]))  # fmt: skip
    if kind == "number":
        return b"><v>" + draw(_number()) + b"</v>"
    if kind == "text":
        return (
            b' t="inlineStr"><is><t xml:space="preserve">' + _xml_text(draw(_TEXT)) + b"</t></is>"
        )
    if kind == "bool":
        return b' t="b"><v>' + draw(st.sampled_from([b"1", b"0", b"2", b"x"])) + b"</v>"
    if kind == "formula":
        cached = draw(st.sampled_from([b"", b"<v>0.02</v>", b"<v>x</v>"]))
        return b"><f>" + _xml_text(draw(_TEXT)) + b"</f>" + cached
    if kind == "error":
        return b' t="e"><v>#DIV/0!</v>'
    if kind == "empty":
        return b">"
    if kind == "shared":
        return b' t="s"><v>%d</v>' % draw(st.integers(-1, 5))
    if kind == "style":
        return b' s="%d"><v>1</v>' % draw(st.integers(-1, 10**6))
    return b' s="%d"><v>%s</v>' % (draw(st.integers(0, 3)), draw(_number()))


def _edit_cell(draw: st.DrawFn, members: Members) -> str:
    name = draw(st.sampled_from(_SHEET_PARTS))
    # the edges of what is read, now and then (a value at row 20,000 and column 500 makes
    # a sheet of 10 million cells to look through)
    far = draw(st.integers(0, 3)) == 0
    row = draw(st.sampled_from([20_000, 20_001, 10**6]) if far else st.integers(1, 12))
    far = draw(st.integers(0, 3)) == 0
    col = draw(st.sampled_from([500, 501, 16384]) if far else st.integers(1, 20))
    cell = draw(_cell())
    members[name] = set_cell(members[name], row, col, cell)
    return f"{name} {column(col)}{row} = {cell[:60]!r}"


def _rename_sheet(draw: st.DrawFn, members: Members) -> str:
    import re

    book = members["xl/workbook.xml"]
    old = draw(st.sampled_from(re.findall(rb'<sheet [^>]*name="([^"]*)"', book) or [b""]))
    new = _xml_text(draw(st.one_of(_TEXT, st.sampled_from(_NAMES))))
    members["xl/workbook.xml"] = book.replace(b'name="' + old + b'"', b'name="' + new + b'"', 1)
    return f"sheet {old!r} renamed {new!r}"


def _delete_or_reorder_sheets(draw: st.DrawFn, members: Members) -> str:
    import re

    book = members["xl/workbook.xml"]
    block = re.search(rb"<sheets>(.*)</sheets>", book, re.S)
    if block is None:
        return "no sheets to reorder"
    sheets = re.findall(rb"<sheet [^>]*/>", block.group(1))
    kept = draw(st.permutations(sheets))
    if sheets and draw(st.booleans()):
        kept = [s for s in kept if s != draw(st.sampled_from(sheets))]  # one deleted
    inner = b"".join(kept)
    members["xl/workbook.xml"] = book[: block.start(1)] + inner + book[block.end(1) :]
    return f"sheets now {inner!r}"


def _add_sheet(draw: st.DrawFn, members: Members) -> str:
    members["xl/worksheets/extra.xml"] = members[draw(st.sampled_from(_SHEET_PARTS))]
    title = _xml_text(draw(st.one_of(st.sampled_from(_NAMES), _TEXT)))
    rels = members["xl/_rels/workbook.xml.rels"]
    members["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>",
        b'<Relationship Type="' + _RELATIONSHIPS + b'/worksheet" '
        b'Target="/xl/worksheets/extra.xml" Id="rId99"/></Relationships>',
    )
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>",
        b'<sheet xmlns:r="' + _RELATIONSHIPS + b'" name="' + title + b'" sheetId="99" '
        b'r:id="rId99"/></sheets>',
    )
    return f"sheet {title!r} added"


def _restyle(draw: st.DrawFn, members: Members) -> str:
    import re

    fmt = draw(st.sampled_from([b"14", b"22", b"46", b"10", b"49", b"999"]))
    members["xl/styles.xml"] = re.sub(
        rb'(<cellXfs[^>]*><xf numFmtId=")0"', rb"\g<1>" + fmt + b'" applyNumberFormat="1"',
        members["xl/styles.xml"], count=1,
    )  # fmt: skip
    return f"default cell format {fmt!r}"


def _share_strings(draw: st.DrawFn, members: Members) -> str:
    texts = draw(st.lists(_TEXT, max_size=4))
    blob = b"".join(b"<si><t>" + _xml_text(t) + b"</t></si>" for t in texts)
    members.update(parts(with_shared_strings(rezip(members, 1), blob, len(texts))))
    return f"shared strings {texts!r}"


def _damage_part(draw: st.DrawFn, members: Members) -> str:
    name = draw(st.sampled_from(sorted(members)))
    blob = members[name]
    at = draw(st.integers(0, len(blob)))
    how = draw(st.sampled_from(["cut", "corrupt", "entities", "drop"]))
    done = f"{name} {how} at {at}"
    if how == "cut":
        members[name] = blob[:at]
    elif how == "corrupt":
        junk = draw(st.sampled_from(
            [b"<", b"&", b"\x00", b"]]>", b"<x>", b"\xff\xfe", b"&#0;", b"&unknown;"]
        ))  # fmt: skip
        members[name] = blob[:at] + junk + blob[at:]
        done += f" {junk!r}"
    elif how == "entities":
        members[name] = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + blob.replace(b"<t>", b"<t>&b;", 1)
        )
    else:
        del members[name]
    return done


_EDITS = [_edit_cell] * 6 + [_rename_sheet, _delete_or_reorder_sheets, _add_sheet, _restyle,
                             _share_strings, _damage_part, _damage_part]  # fmt: skip


class Fuzzed(bytes):
    """A workbook's bytes that show, as their repr, the edits that made them."""

    edits: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<workbook of {len(self):,} bytes: {'; '.join(self.edits)}>"


def _fuzzed(blob: bytes, edits: list[str]) -> Fuzzed:
    out = Fuzzed(blob)
    out.edits = tuple(edits)
    return out


@st.composite
def mutated_workbook(draw: st.DrawFn) -> Fuzzed:
    """The template workbook with one to three random changes: to cells (types, values,
    unicode, huge and NaN), sheets (renamed, deleted, added, reordered), styles and
    shared strings, its XML (cut short, corrupt, entity declarations, a part dropped);
    then, now and then, its zip cut short or a byte of it changed."""
    lang = draw(st.sampled_from(["en", "zh"]))
    members = dict(parts(template(lang)))
    edits = [lang]
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(_EDITS))
        try:
            edits.append(edit(draw, members))
        except KeyError as exc:  # the part it edits was dropped by an earlier edit
            edits.append(f"{edit.__name__} skipped: no {exc}")
    out = rezip(members, 1)
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(out) - 1))
        if draw(st.booleans()):
            return _fuzzed(out[:at], [*edits, f"zip cut at {at}"])
        byte = draw(st.integers(0, 255))
        return _fuzzed(
            out[:at] + bytes([byte]) + out[at + 1 :], [*edits, f"zip byte {at} = {byte}"]
        )
    return _fuzzed(out, edits)
