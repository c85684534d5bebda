"""Every file ``sim`` writes goes through here: written aside, then claimed atomically.

The guarantees (README, "Files sim writes"):

- **Nothing half-written looks whole.** A folder or file is written under a temporary
  name beside its destination and renamed into place only when complete; a failure or
  an interruption removes the temporary one.
- **Nothing of yours is replaced.** The rename never replaces anything: on Linux it is
  ``renameat2(RENAME_NOREPLACE)``, so a destination that appeared while ``sim`` was
  working is left alone and the run fails with a message; elsewhere an existence check
  just before the rename (a window of microseconds). An empty folder is used (nothing
  in it can be lost; removing it fails if something is put in). With ``force``, ``sim`` replaces
  only what it wrote itself: a figure whose metadata names ``sim``, or a folder whose
  marker file ``.sim-output`` lists, with its SHA-256, every file in it — a file not
  listed, or changed since, and the folder is refused whole, naming them, with nothing
  touched (checked before the work, and again once the folder is moved aside). Then
  only the listed files are deleted. Never a symbolic link; a marker that is not one
  sim wrote (hand-made, damaged, or without the list) is refused.
- **Concurrent writers**: one wins, the others fail with a message and exit 2.
- **Every OS error** on an output (permissions, no space, a path under a file, a
  broken pipe, ``/dev/full``) is a :class:`~sim.errors.ResultsError` naming the path
  and the reason: exit 2, with nothing partial left.
- **No formula injection**: every CSV file and spreadsheet text cell goes through
  :mod:`sim.csv_safe`.
- **Strict JSON**: no ``NaN`` or ``Infinity`` tokens (an undefined value is ``null``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import gc
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from sim.errors import ResultsError
from sim.i18n import Reason

__all__ = [
    "MARKER",
    "dumps",
    "new_file",
    "new_folder",
    "stable_xlsx",
    "write_json",
    "xlsx_bytes",
]

MARKER = ".sim-output"
"""The file in every folder ``sim`` writes, saying so (what ``force`` may replace)."""

_FIGURE_SIGNS = (b"Software\x00sim", b"<dc:title>sim</dc:title>", b"/Creator (sim)")
"""What the metadata of a figure ``sim`` wrote contains (PNG, SVG, PDF)."""

_RENAME_NOREPLACE = 1


def _renameat2() -> Callable[..., int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        fn: Callable[..., int] = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return None
    return fn


_RENAMEAT2 = _renameat2()
_AT_FDCWD = -100


def rename_noreplace(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` only if ``dst`` does not exist.

    Raises
    ------
    FileExistsError
        If ``dst`` exists (or appears during the call).
    """
    if _RENAMEAT2 is not None:
        result = _RENAMEAT2(
            _AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE
        )
        if result == 0:
            return
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), str(dst))
        if code not in (errno.ENOSYS, errno.EINVAL):  # the filesystem cannot: fall back
            raise OSError(code, os.strerror(code), str(dst))
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
    os.rename(src, dst)


def written_by_sim(path: Path) -> bool:
    """Whether ``path`` is a figure sim wrote, or a folder holding only what sim wrote."""
    if path.is_symlink():
        return False
    if path.is_dir():
        return not _foreign(path)
    if path.is_file():
        try:
            head = path.read_bytes()
        except OSError:
            return False
        return any(sign in head for sign in _FIGURE_SIGNS)
    return False


def _empty_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


_HEX64 = re.compile(r"[0-9a-f]{64}")
_SHOWN = 10
"""At most this many files are named in a refusal (then "and N more")."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _listing(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative POSIX path → SHA-256), the marker aside."""
    out = {}
    for top, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if rel != MARKER:
                out[rel] = _sha256(path)
    return dict(sorted(out.items()))


def _marker_files(folder: Path) -> dict[str, str] | str:
    """The files the marker of ``folder`` lists, or why it is not a marker sim wrote."""
    path = folder / MARKER
    if path.is_symlink() or not path.is_file():
        return Reason("no_marker", marker=MARKER)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    files = data.get("files") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("written_by") != "sim"
        or not isinstance(files, dict)
        or not all(
            isinstance(k, str)
            and isinstance(v, str)
            and _HEX64.fullmatch(v)
            and k == Path(k).as_posix()
            and not Path(k).is_absolute()
            and ".." not in Path(k).parts
            for k, v in files.items()
        )
    ):
        return Reason("bad_marker", marker=MARKER)
    return dict(files)


def _foreign(folder: Path) -> list[str]:
    """What in ``folder`` sim did not write, or changed since: empty if ``folder`` may be
    replaced (every file in it is listed in its marker with the same SHA-256)."""
    listed = _marker_files(folder)
    if isinstance(listed, str):
        return [Reason("not_ours_why", why=listed)]
    found: list[str] = []
    keep = {p for name in listed for p in Path(name).parents}
    for top, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if rel == MARKER:
                continue
            if path.is_symlink():
                found.append(Reason("found_link", rel=rel))
            elif path.is_dir():
                if Path(rel) not in keep:
                    found.append(Reason("found_folder", rel=rel))
            elif rel not in listed:
                found.append(Reason("found_file", rel=rel))
            elif not path.is_file() or _sha256(path) != listed[rel]:
                found.append(Reason("found_changed", rel=rel))
    return found


def _named(found: list[str]) -> Reason:
    more = Reason("and_more", n=len(found) - _SHOWN) if len(found) > _SHOWN else ""
    return Reason("listed", items=found[:_SHOWN], more=more)


def _refuse(dest: Path, force: bool, folder: bool) -> None:
    """Raise unless ``dest`` may be written: absent, an empty folder, or (with ``force``)
    what sim wrote: a figure, or a folder holding only the files its marker lists,
    unchanged."""
    if not os.path.lexists(dest) or _empty_folder(dest):
        return
    if not force:
        raise ResultsError(Reason("exists", dest=dest))
    if dest.is_symlink():
        raise ResultsError(Reason("is_link", dest=dest))
    if folder and dest.is_dir():
        listed = _marker_files(dest)
        if isinstance(listed, str):
            raise ResultsError(Reason("not_ours_listed", dest=dest, why=listed))
        found = _foreign(dest)
        if found:
            raise ResultsError(Reason("foreign", dest=dest, found=_named(found)))
        return
    if folder or dest.is_dir() or not written_by_sim(dest):
        raise ResultsError(Reason("not_ours", dest=dest))


def check_free(dest: str | Path, *, force: bool = False) -> None:
    """Raise now, before any long computation, if folder ``dest`` may not be written (the
    same rule :func:`new_folder` applies when it writes)."""
    _refuse(Path(dest), force, folder=True)


def _claim(tmp: Path, dest: Path, force: bool, folder: bool) -> None:
    """Move ``tmp`` to ``dest`` without ever replacing anything but sim's own output."""
    try:
        rename_noreplace(tmp, dest)
        return
    except FileExistsError:
        _refuse(dest, force, folder)  # appeared meanwhile: refuse unless it may be replaced
    if _empty_folder(dest):
        try:
            os.rmdir(dest)  # fails if anything was put in it meanwhile: then refuse
            rename_noreplace(tmp, dest)
            return
        except (OSError, FileExistsError):
            raise ResultsError(Reason("meanwhile", dest=dest)) from None
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(dest, old)  # from here nothing more can be written into it through ``dest``
    found = _foreign(old) if folder and old.is_dir() else []
    try:
        if found:
            raise ResultsError(Reason("foreign_meanwhile", dest=dest, found=_named(found)))
        rename_noreplace(tmp, dest)
    except FileExistsError:
        raise ResultsError(Reason("same_time", dest=dest, old=old)) from None
    except BaseException:
        _put_back(old, dest)
        raise
    if old.is_dir():
        _remove_listed(old, dest)
    else:
        old.unlink()


def _put_back(old: Path, dest: Path) -> None:
    """Return what was at ``dest`` (moved aside to ``old``) to its place."""
    try:
        rename_noreplace(old, dest)
    except OSError:
        raise ResultsError(Reason("other_process", dest=dest, old=old)) from None


def _remove_listed(old: Path, dest: Path) -> None:
    """Delete the replaced folder ``old``: only the files its marker lists (checked just
    before), then its emptied folders; anything that appeared in it meanwhile is kept."""
    listed = _marker_files(old)
    for name in [*(listed if isinstance(listed, dict) else {}), MARKER]:
        path = old / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
    for top, _dirs, _names in sorted(os.walk(old), key=lambda t: -len(Path(t[0]).parts)):
        with suppress(OSError):
            os.rmdir(top)  # fails, and is kept, if something was put in it meanwhile
    if os.path.lexists(old):
        kept = dest.with_name(f"{dest.name}.kept-{os.urandom(3).hex()}")
        os.rename(old, kept)
        raise ResultsError(Reason("kept_in", dest=dest, kept=kept))


def _os_error(dest: Path, exc: OSError) -> ResultsError:
    where = exc.filename or dest
    return ResultsError(Reason("cannot_write", dest=dest, error=exc.strerror or exc, where=where))


@contextmanager
def new_folder(dest: str | Path, *, force: bool = False, kind: str = "") -> Iterator[Path]:
    """Yield a temporary folder that becomes ``dest`` only if the block succeeds.

    ``dest`` must not exist (or be an empty folder); with ``force`` it may be a folder
    holding only files ``sim`` wrote, unchanged, which are then replaced. The folder gets
    the marker file :data:`MARKER`, listing every file in it with its SHA-256.

    Raises
    ------
    ResultsError
        If ``dest`` may not be written, or on any OS error (nothing is left behind).
    """
    dest = Path(dest)
    _refuse(dest, force, folder=True)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    except OSError as exc:
        raise _os_error(dest, exc) from None
    try:
        yield tmp
        marker = {"written_by": "sim", "kind": kind, "files": _listing(tmp)}
        (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())
        _claim(tmp, dest, force, folder=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _os_error(dest, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_file(dest: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``dest`` through a temporary file beside it, claimed atomically.

    ``dest`` must not exist; with ``force`` it may be a figure ``sim`` wrote.

    Raises
    ------
    ResultsError
        If ``dest`` may not be written, or on any OS error (nothing is left behind).
    """
    dest = Path(dest)
    _refuse(dest, force, folder=False)
    tmp: Path | None = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.partial-", dir=dest.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        _claim(tmp, dest, force, folder=False)
    except OSError as exc:
        if tmp is not None and os.path.lexists(tmp):
            tmp.unlink()
        raise _os_error(dest, exc) from None
    except BaseException:
        if tmp is not None and os.path.lexists(tmp):
            tmp.unlink()
        raise
    return dest


def dumps(data: Any, *, indent: int | None = None) -> str:
    """Strict JSON: non-finite numbers are a bug here, not a token in the output.

    Raises
    ------
    ValueError
        On NaN or infinity (callers turn undefined values into ``None`` first).
    """
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write ``data`` as indented strict JSON (inside a folder being written)."""
    path.write_text(dumps(data, indent=2) + "\n", encoding="utf-8")


def xlsx_bytes(save: Callable[[IO[bytes]], None]) -> bytes:
    """The ``.xlsx`` workbook that ``save`` writes into a buffer, made stable
    (:func:`stable_xlsx`).

    openpyxl writes each sheet to a temporary file first; when that fails (a full disk,
    a file size limit) it raises lxml's error, or cuts the sheet short and only warns
    (an "Exception ignored" Python prints). Either is an error here, naming the
    temporary folder, and a sheet cut short is never returned as a workbook.

    Raises
    ------
    ResultsError
        If the temporary files cannot be written.
    """
    where = tempfile.gettempdir()
    failed: list[str] = []
    hook = sys.unraisablehook
    sys.unraisablehook = lambda u: failed.append(_reason(u.exc_value))
    buffer = io.BytesIO()
    try:
        try:
            save(buffer)
        except OSError as exc:
            failed.append(_reason(exc))
        except Exception as exc:
            if type(exc).__name__ != "SerialisationError":  # lxml's, on an OS error
                raise
            failed.append(_reason(exc))
        whole = not failed and _whole_sheets(buffer.getvalue())
        if not whole:  # a full collection takes 0.05-0.3 s, so only after a failure:
            gc.collect()  # what openpyxl left open fails now, into ``failed``, not on stderr
    finally:
        sys.unraisablehook = hook
    if not whole:
        reason = failed[0] if failed else Reason("sheet_cut")
        raise ResultsError(Reason("book_temp", where=where, reason=reason))
    return stable_xlsx(buffer.getvalue())


def _reason(exc: BaseException | None) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    code = str(exc).removeprefix("IO_")  # lxml: IO_EFBIG, IO_ENOSPC …
    number = getattr(errno, code, None)
    return os.strerror(number) if number is not None else str(exc)


def _whole_sheets(data: bytes) -> bool:
    """Whether every sheet of the workbook ``data`` ends as a sheet ends."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return all(
                z.read(name).rstrip().endswith(b"</worksheet>")
                for name in z.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError):
        return False


def stable_xlsx(data: bytes) -> bytes:
    """An ``.xlsx`` workbook with fixed creation and modification dates (in its properties
    and its zip entries), so that the same tables give the same bytes."""
    fixed = "2000-01-01T00:00:00Z"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*", rf"\g<1>{fixed}", content.decode()
                )
                content = text.encode()
            info.date_time = (2000, 1, 1, 0, 0, 0)
            z.writestr(info, content)
    return out.getvalue()
