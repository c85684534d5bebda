"""What a workbook may hold, checked before it is opened.

A workbook of a few hundred kilobytes can unzip to millions of shared strings or cell
formats, which the reader would hold in memory for a minute and gigabytes; a value can
stand beyond the rows and columns read, where it would be dropped without a word.
:func:`inspect` reads every XML part of the archive once as a stream (no tree is built,
and the scan stops at the first limit passed), and refuses:

- a workbook that unzips to more than :data:`MAX_UNZIPPED` bytes, a part larger than
  its limit (:data:`MAX_PART`), or more than :data:`MAX_PARTS` parts;
- more than :data:`MAX_SHARED_STRINGS` shared strings (``<si>``), more than
  :data:`MAX_STYLES` style records of one kind (``<xf>``, ``<font>``, ``<fill>``,
  ``<border>``, ``<numFmt>``, ``<dxf>``, ``<cellStyle>``), more than
  :data:`MAX_CELLS` cells with a value on a sheet, or a part of more than its
  :data:`MAX_ELEMENTS` XML elements;
- a document type declaration (an ``.xlsx`` part never has one; entity tricks need one)
  and XML that is not well formed;
- any value beyond row :data:`MAX_ROWS` or column :data:`MAX_COLUMNS` of a sheet, named
  by its sheet and cell.

Each limit is far beyond a real scenario workbook (thousands of firms fill a few
hundred thousand cells; the template has no shared strings and ten formats).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from sim.errors import Problem, ScenarioError
from sim.i18n import Reason

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ELEMENTS",
    "MAX_PART",
    "MAX_PARTS",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_STYLES",
    "MAX_UNZIPPED",
    "Extent",
    "inspect",
    "title_lang",
]

MAX_ROWS = 20_000
"""Most rows read on a sheet (a scenario of thousands of firms fits)."""
MAX_COLUMNS = 500
"""Most columns read on a sheet."""
MAX_UNZIPPED = 200_000_000
"""Largest workbook once unzipped [bytes]."""
MAX_PARTS = 10_000
"""Most parts (files) in the archive."""
MAX_PART = {"sheet": 100_000_000, "strings": 50_000_000, "styles": 10_000_000, "other": 20_000_000}
"""Largest part of each kind once unzipped [bytes]."""
MAX_SHARED_STRINGS = 100_000
MAX_STYLES = 10_000
"""Most style records of each kind."""
MAX_CELLS = 1_000_000
"""Most cells with a value on one sheet."""
MAX_ELEMENTS = {"sheet": 5_000_000, "strings": 2_000_000, "styles": 200_000, "other": 200_000}
"""Most XML elements in a part of each kind."""
_STYLE_RECORDS = frozenset({"xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"})
_VALUE = frozenset({"v", "f", "is"})
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?[0-9]+")
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Extent:
    """The last row and column of a sheet that hold a value (0, 0: none), and its ranges
    of merged cells (``"G2:G5"``)."""

    rows: int = 0
    columns: int = 0
    merged: tuple[str, ...] = ()


class _Refused(Exception):
    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__(reason)
        self.problem = Problem("", reason, where)


def inspect(source: str, data: bytes) -> dict[str, Extent]:
    """Check workbook ``data`` (named ``source`` in messages) against the limits above.

    Returns
    -------
    dict
        Each sheet's part (``xl/worksheets/sheet3.xml``) → the extent of its values (all
        within the rows and columns read).

    Raises
    ------
    ScenarioError
        If the workbook is not a zip archive, or passes a limit (the message names the
        part and the count), or holds a value beyond the rows and columns read (the
        message names each such sheet and cell).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return _Archive(z).inspect()
    except zipfile.BadZipFile as exc:
        if not data.startswith(b"PK"):
            reason = Reason("not_xlsx")
        else:
            reason = Reason("damaged_zip", error=exc)
        raise ScenarioError(source, [Problem("", reason)]) from None
    except _Refused as exc:  # told in the workbook's language
        raise ScenarioError(source, [exc.problem], workbook_lang(io.BytesIO(data))) from None
    except _Outside as exc:
        raise ScenarioError(source, exc.problems, exc.lang) from None


class _Outside(Exception):
    def __init__(self, problems: list[Problem], lang: str) -> None:
        super().__init__(problems)
        self.problems = problems
        self.lang = lang


class _Archive:
    def __init__(self, z: zipfile.ZipFile) -> None:
        self.z = z
        self.infos = {i.filename: i for i in z.infolist() if not i.is_dir()}

    def inspect(self) -> dict[str, Extent]:
        if len(self.infos) > MAX_PARTS:
            raise _Refused(Reason("book_parts", n=f"{len(self.infos):,}", most=f"{MAX_PARTS:,}"))
        unzipped = sum(i.file_size for i in self.infos.values())
        if unzipped > MAX_UNZIPPED:
            raise _Refused(Reason("book_unzipped", n=f"{unzipped:,}", most=f"{MAX_UNZIPPED:,}"))
        manifest = "[Content_Types].xml"
        types = self.scan(manifest, _Overrides()) if self._has(manifest) else {}
        kinds = {"xl/styles.xml": "styles", "xl/sharedStrings.xml": "strings"}
        kinds |= {n: "strings" for n, t in types.items() if t == _STRINGS_TYPE}
        kinds |= {n: "styles" for n, t in types.items() if t == _STYLES_TYPE}
        titles = self.sheets(types)
        kinds |= dict.fromkeys(titles, "sheet")
        # openpyxl reads the first part declared as shared strings, or none
        read = next((n for n, t in types.items() if t == _STRINGS_TYPE), "")
        strings = 0
        for name in self.infos:
            if not name.endswith((".xml", ".rels")) and name not in kinds:
                continue  # images and other binary parts are never parsed
            kind = kinds.get(name, "other")
            if kind != "sheet":
                counted = self.scan(name, _Counter(kind), kind)
                strings = counted["si"] if name == read else strings
        extents: dict[str, Extent] = {}
        problems: list[Problem] = []
        for name, title in titles.items():
            sheet = self.scan(name, _Sheet(title, strings), "sheet")
            extents[name] = Extent(sheet.last_row, sheet.last_column, tuple(sheet.merged))
            problems += sheet.problems
        if problems:
            zh = any(title_lang(title) == "zh" for title in titles.values())
            raise _Outside(problems, "zh" if zh else "en")
        return extents

    def _has(self, name: str) -> bool:
        return name in self.infos

    def sheets(self, types: dict[str, str]) -> dict[str, str]:
        """Each sheet's part → its title."""
        book = next((n for n, t in types.items() if t.endswith(".main+xml")), "xl/workbook.xml")
        folder, base = posixpath.split(book)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if not (self._has(book) and self._has(rels_name)):
            return {}
        targets = self.scan(rels_name, _Targets(folder))
        titles = {}
        for title, rid in self.scan(book, _SheetNames()):
            target = targets.get(rid)
            if target is not None and self._has(target):
                titles[target] = title
        return titles

    def scan(self, name: str, handler: _Handler, kind: str = "other") -> Any:
        """Stream part ``name`` through ``handler`` (stopping at the first limit)."""
        size = self.infos[name].file_size
        if size > MAX_PART[kind]:
            most = f"{MAX_PART[kind]:,}"
            raise _Refused(Reason("part_unzipped", name=name, n=f"{size:,}", most=most))
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        handler.name, handler.limit = name, MAX_ELEMENTS[kind]
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.StartDoctypeDeclHandler = handler.doctype
        parser.EntityDeclHandler = handler.doctype
        try:
            with self.z.open(name) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _Refused(Reason("part_xml", name=name, error=exc)) from None
        except (RuntimeError, NotImplementedError, EOFError, OSError, zlib.error) as exc:
            # encrypted, compressed in a way zip files rarely are, damaged or cut short
            raise _Refused(Reason("part_unzip", name=name, error=exc)) from None
        return handler.result()


_LOCAL: dict[str, str] = {}


def workbook_lang(path: str | IO[bytes]) -> str:
    """The language of the workbook at ``path`` (its first sheet's title, read from
    ``xl/workbook.xml`` alone); English where it cannot be read."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as z, z.open("xl/workbook.xml") as f:
            head = f.read(200_000).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return "en"
    first = re.search(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", head)
    return title_lang(first.group(1)) if first else "en"


def title_lang(title: str) -> str:
    """A sheet's language: Chinese when its title holds a Chinese character (``sim
    template --lang zh``), so that a workbook's problems are told in its language."""
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else "en"


def _local(name: str) -> str:
    """An element's name without its namespace (remembered for the first thousand)."""
    local = _LOCAL.get(name)
    if local is None:
        local = name.rpartition(" ")[2]
        if len(_LOCAL) < 1000:
            _LOCAL[name] = local
    return local


class _Handler:
    name = ""
    limit = 0

    def __init__(self) -> None:
        self.elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.limit:
            raise _Refused(Reason("part_elements", name=self.name, most=f"{self.limit:,}"))
        self.element(_local(tag), attrs)

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

    def doctype(self, *args: Any) -> None:
        raise _Refused(Reason("part_doctype", name=self.name))

    def result(self) -> Any:
        return None


class _Counter(_Handler):
    """Shared strings and style records, against their limits."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.counts: Counter[str] = Counter()

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        if self.kind == "strings" and tag == "si":
            self.count(tag, MAX_SHARED_STRINGS, "shared strings")
        elif self.kind == "styles" and tag in _STYLE_RECORDS:
            self.count(tag, MAX_STYLES, "style records")

    def count(self, tag: str, limit: int, what: str) -> None:
        self.counts[tag] += 1
        if self.counts[tag] > limit:
            most = f"{limit:,}"
            raise _Refused(Reason("part_count", name=self.name, most=most, what=what, tag=tag))

    def result(self) -> Counter[str]:
        return self.counts


class _Sheet(_Handler):
    """A sheet's cells: how many hold a value, the last row and column that do, and
    which stand beyond the rows and columns read; and the cells whose value openpyxl
    could not read (a number that is none, a shared string the workbook has not)."""

    def __init__(self, title: str, strings: int) -> None:
        super().__init__()
        self.title = title
        self.strings = strings
        self.row = self.col = 0
        self.cells = 0
        self.valued = False
        self.type = "n"
        self.value: list[str] | None = None
        self.last_row = self.last_column = 0
        self.problems: list[Problem] = []
        self.merged: list[str] = []

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "row":
            self.row = _number(attrs.get("r"), self.row + 1)
            self.col = 0
        elif tag == "c":
            found = _REF.fullmatch(attrs.get("r", ""))
            self.col = _letters(found.group(1)) if found else self.col + 1
            self.valued = False
            self.type = attrs.get("t", "n")
        elif tag in _VALUE:
            self.valued = True
            if tag == "v":
                self.value = []
        elif tag == "mergeCell" and "ref" in attrs:
            self.merged.append(attrs["ref"])

    def text(self, data: str) -> None:
        if self.value is not None:
            self.value.append(data)

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag == "v" and self.value is not None:
            self.check("".join(self.value))
            self.value = None
        if tag != "c" or not self.valued:
            return
        self.cells += 1
        if self.cells > MAX_CELLS:
            most = f"{MAX_CELLS:,}"
            raise _Refused(Reason("sheet_cells", title=repr(self.title), name=self.name, most=most))
        if self.row <= MAX_ROWS and self.col <= MAX_COLUMNS:
            self.last_row = max(self.last_row, self.row)
            self.last_column = max(self.last_column, self.col)
        else:
            beyond = (
                Reason("beyond_row", n=f"{MAX_ROWS:,}")
                if self.row > MAX_ROWS
                else Reason("beyond_column", n=MAX_COLUMNS, letters=_column(MAX_COLUMNS))
            )
            self.fail(Reason("beyond", beyond=beyond, rows=f"{MAX_ROWS:,}", columns=MAX_COLUMNS))

    def check(self, value: str) -> None:
        """Whether openpyxl can read ``value``, the ``<v>`` of a cell of this type."""
        if not value:
            return
        try:
            if self.type == "n":
                float(value) if any(e in value for e in ".Ee") else int(value)
            elif self.type == "b":
                int(value)
            elif self.type == "s" and not 0 <= int(value) < self.strings:
                self.fail(Reason("damaged_string", value=value, n=f"{self.strings:,}"))
        except ValueError:
            kind = {"n": "number", "b": "TRUE/FALSE", "s": "shared string"}[self.type]
            self.fail(Reason("damaged_cell", kind=kind, value=repr(value[:40])))

    def fail(self, reason: str) -> None:
        if len(self.problems) < 5:
            sheet = f"'{self.title}'" if re.search(r"[^\w]", self.title) else self.title
            self.problems.append(Problem("", reason, f"{sheet}!{_column(self.col)}{self.row}"))

    def result(self) -> _Sheet:
        return self


class _Overrides(_Handler):
    """``[Content_Types].xml``: each part named by an override → its content type."""

    def __init__(self) -> None:
        super().__init__()
        self.types: dict[str, str] = {}

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Override" and "PartName" in attrs:
            self.types[attrs["PartName"].lstrip("/")] = attrs.get("ContentType", "")

    def result(self) -> dict[str, str]:
        return self.types


class _Targets(_Handler):
    """A relationships part: each relationship's id → the part it targets."""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder
        self.targets: dict[str, str] = {}

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.join(self.folder, target)
            self.targets[attrs["Id"]] = posixpath.normpath(path)

    def result(self) -> dict[str, str]:
        return self.targets


class _SheetNames(_Handler):
    """The workbook part: each sheet's title and relationship id."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []

    def element(self, tag: str, attrs: dict[str, str]) -> None:
        rid = next((v for k, v in attrs.items() if k.rpartition(" ")[2] == "id"), None)
        if tag == "sheet" and "name" in attrs and rid is not None:
            self.sheets.append((attrs["name"], rid))

    def result(self) -> list[tuple[str, str]]:
        return self.sheets


def _number(text: str | None, default: int) -> int:
    try:
        return int(float(text)) if text is not None else default
    except (ValueError, OverflowError):
        return default


def _letters(text: str) -> int:
    n = 0
    for ch in text.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column(c: int) -> str:
    """The letters of column ``c`` (1 → A, 27 → AA)."""
    out = ""
    while c > 0:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out
