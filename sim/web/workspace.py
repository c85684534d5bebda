"""Where the server's scenarios come from, and the loaded scenarios it keeps.

The server reads only files inside the folder it was started in and the shipped
scenarios, and only those it lists (a request names a file by its listed key, never
by a path); uploads are written under a temporary name inside that folder, read
through :func:`sim.scenario.load` (the loader the commands use, so a workbook loads
wherever the loader reads one) and removed at once.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from sim.errors import MAX_INPUT_BYTES, Problem, ResultsError, ScenarioError
from sim.i18n import Reason
from sim.scenario import Scenario
from sim.web.form import Form, build_form

__all__ = [
    "SUFFIXES",
    "Kept",
    "Loader",
    "Workspace",
    "Workspaces",
    "file_lang",
    "list_files",
    "load_file",
    "load_upload",
    "temporary_folder",
]

T = TypeVar("T")
Loader = Callable[[Path], Scenario]
"""Reads and validates a scenario file: the commands' loader (``sim serve`` passes the
CLI's), :func:`sim.scenario.load` by default."""

SUFFIXES = (".toml", ".xlsx")
"""What can be opened or uploaded: a scenario file, or a workbook the loader reads."""
MAX_LISTED = 500
SHIPPED = Path(__file__).resolve().parent.parent.parent / "scenarios"
"""The scenarios shipped in the repository (absent from a wheel install)."""


@dataclass(frozen=True)
class Workspace:
    """A loaded scenario: its name, its mapping (which edits change) and its form."""

    id: str
    name: str
    scenario: Scenario
    data: dict[str, Any]
    form: Form
    lang: str = "en"
    """The language the page opens in: the workbook's own (a Chinese workbook opens a
    Chinese page), else English."""


_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")
"""What the id of a loaded scenario or portfolio (or of a job) looks like in a URL."""


class Kept(Generic[T]):
    """Things loaded (scenarios, portfolios), each under a new unguessable id, the ``size``
    most recently used kept (the pinned one always)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pinned = ""
        self._items: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, make: Callable[[str], T], *, pin: bool = False) -> T:
        """The thing ``make`` makes under a new id (its only argument), kept."""
        key = secrets.token_urlsafe(12)
        item = make(key)
        with self._lock:
            self._items[key] = item
            if pin:
                self.pinned = key
            while len(self._items) > self.size:
                oldest = next(k for k in self._items if k != self.pinned)
                del self._items[oldest]
        return item

    def get(self, key: str) -> T | None:
        """The thing kept under ``key``, or ``None``."""
        if not _ID.fullmatch(key):
            return None
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item


class Workspaces(Kept[Workspace]):
    """The loaded scenarios, the most recent ``size`` kept (the pinned one always)."""

    def __init__(self, size: int = 32) -> None:
        super().__init__(size)

    def add(
        self, scenario: Scenario, name: str, *, pin: bool = False, lang: str = "en"
    ) -> Workspace:
        """Keep ``scenario`` under a new unguessable id (``lang``: the language its page
        opens in)."""
        from sim.scenario_toml import scenario_data

        data = scenario_data(scenario)
        form = build_form(scenario, data)
        return self.keep(lambda wid: Workspace(wid, name, scenario, data, form, lang), pin=pin)


def file_lang(path: str | Path) -> str:
    """The language of a scenario file: a workbook's own (its sheets' titles, as the
    workbook reader decides it), English for a TOML file."""
    from sim.scenario import WORKBOOK_SUFFIXES
    from sim.workbook.bounds import workbook_lang

    if Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return "en"
    return workbook_lang(str(path))


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def list_files(root: Path, shipped: Path = SHIPPED) -> dict[str, Path]:
    """What can be opened, by key: ``shipped/NAME`` (a shipped portfolio:
    ``shipped/portfolios/NAME``) and ``folder/RELATIVE/PATH`` (the folder's scenario
    files and workbooks, and those one folder down; hidden folders, links leading out of
    it and the shipped files themselves left out)."""
    out: dict[str, Path] = {}
    if shipped.is_dir():
        for p in sorted([*shipped.glob("*.toml"), *shipped.glob("portfolios/*.toml")]):
            out[f"shipped/{p.relative_to(shipped).as_posix()}"] = p
    shipped_files = {p.resolve() for p in out.values()}
    for pattern in ("*", "*/*"):
        for p in sorted(root.glob(pattern)):
            rel = p.relative_to(root)
            if (
                p.suffix.lower() not in SUFFIXES
                or any(part.startswith(".") for part in rel.parts)
                or not p.is_file()
                or not _inside(p, root)
                or p.resolve() in shipped_files
            ):
                continue
            out[f"folder/{rel.as_posix()}"] = p
            if len(out) >= MAX_LISTED:
                return out
    return out


def load_file(path: Path, name: str, loader: Loader | None = None) -> Scenario:
    """Read and validate a scenario file with ``loader`` (any format it reads), named
    ``name`` in messages and on the page.

    Raises
    ------
    ScenarioError
        With every problem, the file named ``name``.
    """
    from sim.scenario import load

    try:
        scenario = (loader or load)(path)
    except ScenarioError as exc:
        raise type(exc)(name, exc.problems, exc.lang) from None
    return replace(scenario, source=name)


def temporary_folder(root: Path) -> tempfile.TemporaryDirectory[str]:
    """A folder inside ``root`` for a moment's work, removed with its contents after.

    Raises
    ------
    ResultsError
        When ``root`` cannot be written (read-only, full).
    """
    try:
        return tempfile.TemporaryDirectory(prefix=".sim-serve-", dir=root)
    except OSError as exc:
        raise ResultsError(Reason("temp_folder", root=root, error=exc.strerror or exc)) from None


def load_upload(
    data: bytes, filename: str, root: Path, loader: Loader | None = None
) -> tuple[Scenario, str]:
    """Validate an uploaded scenario: written under a temporary name inside ``root``,
    read by ``loader``, removed. Returns the scenario and its language (:func:`file_lang`).

    Raises
    ------
    ScenarioError
        For a file too large, of another kind, or not a valid scenario.
    ResultsError
        When ``root`` cannot be written.
    """
    from werkzeug.utils import secure_filename

    name = secure_filename(filename)[-100:] or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        why = Reason("upload_kind", kinds=", ".join(SUFFIXES), got=repr(suffix))
        raise ScenarioError(name, [Problem("", why)])
    if len(data) > MAX_INPUT_BYTES:
        why = Reason("too_big_file", size=f"{len(data):,}", most=f"{MAX_INPUT_BYTES:,}")
        raise ScenarioError(name, [Problem("", why)])
    with temporary_folder(root) as tmp:
        path = Path(tmp) / f"upload{suffix}"
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise ResultsError(Reason("temp_file", root=root, error=exc.strerror)) from None
        return load_file(path, name, loader), file_lang(path)
