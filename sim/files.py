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
  only what it wrote itself: a folder holding its marker file ``.sim-output`` (or the
  manifest of an earlier ``sim``), or a figure whose metadata names ``sim`` — never a
  symbolic link, and never anything else.
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
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim.errors import ResultsError

__all__ = [
    "MARKER",
    "dumps",
    "new_file",
    "new_folder",
    "stable_xlsx",
    "write_json",
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
    """Whether ``path`` is a folder or figure ``sim`` wrote (and not a symbolic link)."""
    if path.is_symlink():
        return False
    if path.is_dir():
        if (path / MARKER).is_file():
            return True
        return _old_manifest(path / "manifest.json")
    if path.is_file():
        try:
            head = path.read_bytes()
        except OSError:
            return False
        return any(sign in head for sign in _FIGURE_SIGNS)
    return False


def _old_manifest(path: Path) -> bool:
    """A folder written by ``sim`` before the marker existed: its manifest says so."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "versions" in data and "sim" in data.get("versions", {})


def _empty_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and not any(path.iterdir())


def _refuse(dest: Path, force: bool) -> None:
    """Raise unless ``dest`` may be written: absent, an empty folder, or (with ``force``)
    what sim wrote."""
    if not os.path.lexists(dest) or _empty_folder(dest):
        return
    if not force:
        raise ResultsError(
            f"{dest}: exists; choose another path, or --force to replace what sim wrote there"
        )
    if dest.is_symlink():
        raise ResultsError(f"{dest}: is a symbolic link; not replacing it, even with --force")
    if not written_by_sim(dest):
        raise ResultsError(f"{dest}: exists and was not written by sim; not replacing it")


def check_free(dest: str | Path, *, force: bool = False) -> None:
    """Raise now, before any long computation, if ``dest`` may not be written (the same
    rule :func:`new_folder` and :func:`new_file` apply when they write)."""
    _refuse(Path(dest), force)


def _claim(tmp: Path, dest: Path, force: bool) -> None:
    """Move ``tmp`` to ``dest`` without ever replacing anything but sim's own output."""
    try:
        rename_noreplace(tmp, dest)
        return
    except FileExistsError:
        _refuse(dest, force)  # appeared meanwhile: refuse unless it may be replaced
    if _empty_folder(dest):
        try:
            os.rmdir(dest)  # fails if anything was put in it meanwhile: then refuse
            rename_noreplace(tmp, dest)
            return
        except (OSError, FileExistsError):
            raise ResultsError(f"{dest}: something was written there meanwhile") from None
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}-{os.urandom(4).hex()}")
    os.rename(dest, old)
    try:
        rename_noreplace(tmp, dest)
    except FileExistsError:
        raise ResultsError(f"{dest}: another process wrote it at the same time") from None
    finally:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        elif os.path.lexists(old):
            old.unlink()


def _os_error(dest: Path, exc: OSError) -> ResultsError:
    where = exc.filename or dest
    return ResultsError(f"{dest}: cannot write ({exc.strerror or exc} at {where})")


@contextmanager
def new_folder(dest: str | Path, *, force: bool = False, kind: str = "") -> Iterator[Path]:
    """Yield a temporary folder that becomes ``dest`` only if the block succeeds.

    ``dest`` must not exist; with ``force`` it may be a folder ``sim`` wrote, which is
    then replaced as a whole. The folder gets the marker file :data:`MARKER`.

    Raises
    ------
    ResultsError
        If ``dest`` may not be written, or on any OS error (nothing is left behind).
    """
    dest = Path(dest)
    _refuse(dest, force)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    except OSError as exc:
        raise _os_error(dest, exc) from None
    try:
        yield tmp
        (tmp / MARKER).write_text(json.dumps({"written_by": "sim", "kind": kind}) + "\n")
        os.chmod(tmp, 0o777 & ~_umask())
        _claim(tmp, dest, force)
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
    _refuse(dest, force)
    tmp: Path | None = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.partial-", dir=dest.parent)
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        _claim(tmp, dest, force)
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
