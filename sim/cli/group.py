"""The ``sim`` group: its options, its error handling (every error a user can cause
printed as one line, its traceback only with ``--debug``) and what every command shares.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import stat
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from sim import __version__, i18n
from sim.errors import InputError, ResultsError, SimError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(dict)
        ctx.find_root().ensure_object(dict)["debug"] = True


def debug_option(f: F) -> F:
    """The ``--debug`` option: show the full traceback of an error."""
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="Show the full traceback of an error.",
    )(f)


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    obj = ctx.find_root().ensure_object(dict)
    # typed on the command line, --lang decides; left out, an input's own language does
    # (a workbook written in Chinese is answered in Chinese), and English otherwise
    obj["lang_given"] = value is not None
    obj["lang"] = value or "en"
    return str(obj["lang"])


def existing(path: str, *, folder: bool = False) -> Path:
    """``path``, which must exist (and be a folder with ``folder``): checked in the command,
    after ``--lang`` is read, so that the message is in the language asked for."""
    p = Path(path)
    if not p.exists():
        raise ResultsError(i18n.Reason("no_folder" if folder else "no_path", path=path))
    if folder and not p.is_dir():
        raise ResultsError(i18n.Reason("not_a_folder", folder=path))
    return p


def told(ctx: click.Context | None, error: BaseException) -> str:
    """The language to tell ``error`` in: ``--lang`` where it was typed, else the language
    of the input the error is about (a Chinese workbook's), else ``--lang``'s default."""
    obj = (ctx.find_root().obj if ctx else None) or {}
    lang = str(obj.get("lang", "en"))
    if not obj.get("lang_given") and isinstance(error, InputError):
        return error.lang
    return lang


INPUTS = ("file", "files", "target")
"""The names of the arguments that hold a command's input: a workbook among them sets the
language when ``--lang`` is left out."""


def input_lang(params: dict[str, Any]) -> str:
    """The language of the first workbook among a command's inputs (:data:`INPUTS`): a
    workbook written by ``sim template --lang zh`` is answered in Chinese; English when
    there is none."""
    from sim.scenario import WORKBOOK_SUFFIXES

    for name in INPUTS:
        value = params.get(name)
        for path in value if isinstance(value, tuple | list) else [value]:
            if not isinstance(path, str):
                continue
            if Path(path).suffix.lower() in WORKBOOK_SUFFIXES and Path(path).is_file():
                from sim.workbook.bounds import workbook_lang

                return workbook_lang(path)
    return "en"


def lang_option(f: F) -> F:
    """The ``--lang en|zh`` option, the same on every command that writes for readers:
    headings, notes, labels, validation reasons and party names (``name_zh``) in English
    or Chinese (amounts in 亿元). Left out, the language of the workbook the command reads
    (:func:`input_lang`), else English."""

    @functools.wraps(f)
    def command(*args: Any, **kwargs: Any) -> Any:
        obj = click.get_current_context().find_root().ensure_object(dict)
        if not obj.get("lang_given"):
            obj["lang"] = kwargs["lang"] = input_lang(kwargs)
        return f(*args, **kwargs)

    return click.option(
        "--lang",
        type=click.Choice(i18n.LANGS),
        default=None,
        callback=_set_lang,
        help="Headings, labels, notes, reasons and party names in English or Chinese (亿元) "
        "[default: the language of the workbook read, else en].",
    )(cast(F, command))


def out_option(help_text: str) -> Callable[[F], F]:
    """The ``--out FOLDER`` option of a command that writes a folder (``help_text``: what
    goes there, and its default)."""
    return click.option("--out", type=SimPath(file_okay=False), default=None, help=help_text)


FORCE = click.option("--force", is_flag=True, help="Replace the --out folder if sim wrote it.")


def run_options(f: F) -> F:
    """Where a sweep's chunks run, and how (``sim sweep``, ``sim portfolio sweep``):
    ``--chunk-size``, ``--executor``, ``--workers``, ``--scheduler`` and ``--resume``."""
    for option in reversed(
        (
            click.option(
                "--chunk-size",
                type=click.IntRange(1),
                default=None,
                help="Scenarios per chunk (and per Parquet part) [default: 65536].",
            ),
            click.option(
                "--executor",
                type=click.Choice(["local", "processes", "dask"]),
                default="local",
                show_default=True,
                help="Where chunks run. The numbers do not depend on it.",
            ),
            click.option(
                "--workers",
                type=click.IntRange(1),
                default=1,
                show_default=True,
                help="Worker processes (processes, or a local Dask cluster).",
            ),
            click.option(
                "--scheduler",
                default=None,
                metavar="ADDRESS",
                help="A running Dask scheduler (tcp://host:8786); default: a local cluster.",
            ),
            click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out."),
        )
    ):
        f = option(f)
    return f


def format_option(f: F) -> F:
    """The ``--format text|json`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Readable tables, or exactly one JSON document on stdout.",
    )(f)


class PathError(click.BadParameter):
    """A path argument or option that is not what it must be, with the reason sim tells
    (in the language asked for: the path is checked before ``--lang`` is read)."""

    def __init__(self, message: str, reason: i18n.Reason, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.reason = reason


class SimPath(click.Path):
    """:class:`click.Path` for every path sim takes, read or written, whose refusals are
    :class:`PathError`: told by sim in English or Chinese, as every other error is."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The path, as click checks it; a refusal with sim's reason."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            path = os.fspath(value)
            if not os.path.exists(path):
                reason = i18n.Reason("no_path", path=path)
            elif os.path.isdir(path) and not self.dir_okay:
                reason = i18n.Reason("path_is_folder", path=path)
            elif not self.file_okay and not os.path.isdir(path):
                reason = i18n.Reason("not_a_folder", folder=path)
            else:
                raise
            raise PathError(exc.message, reason, ctx=ctx, param=param) from None


def _asked_lang(args: list[str]) -> str:
    """The language ``--lang`` asks for among a command line's ``args`` (English if none)."""
    for i, arg in enumerate(args):
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
    return "en"


class SimGroup(click.Group):
    """Turns every error into one line on stderr (and a traceback with --debug)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does, keeping the command line for :class:`PathError`."""
        ctx.meta["sim.args"] = list(args)  # for a path refused before --lang is read
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; turn every error into one line on stderr and an exit status."""
        try:
            result = super().invoke(ctx)
            flush()  # an error writing what is still buffered is reported here
            return result
        except PathError as exc:
            lang = _asked_lang(ctx.meta.get("sim.args", []))
            lang = lang if lang in i18n.LANGS else "en"
            param = exc.param
            name = (
                param.opts[0]
                if isinstance(param, click.Option)
                else str(param and param.human_readable_name)
            )
            command = exc.ctx.command_path if exc.ctx else "sim"
            said = i18n.Reason("bad_path", name=name, reason=exc.reason, command=command)
            self._fail(ctx, exc, said.text(lang), 2, lang)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except SimError as exc:
            hint = (
                "\nThis is a bug in sim; run again with --debug for the traceback."
                if exc.exit_code == EXIT_INTERNAL
                else ""
            )
            lang = told(ctx, exc)
            text = exc.message(lang)
            self._fail(ctx, exc, text + hint, exc.exit_code, lang)
        except KeyboardInterrupt as exc:
            self._fail(ctx, exc, "interrupted; nothing was written", EXIT_INTERRUPTED)
        except StreamError as exc:
            with contextlib.suppress(OSError, ValueError):  # Python's flush at exit: quiet
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, (sys.stderr if exc.stream == STDERR else sys.stdout).fileno())
                os.close(devnull)
            # a closed pipe (`sim rules | head -1`): the reader went away; say nothing
            quiet = isinstance(exc.error, BrokenPipeError) or exc.stream == STDERR
            self._fail(ctx, exc, "" if quiet else str(exc), 2)
        except MemoryError as exc:
            self._fail(ctx, exc, _out_of_memory(ctx), 2)
        except Exception as exc:
            self._internal(ctx, exc)

    def _internal(self, ctx: click.Context, exc: Exception) -> None:
        self._fail(
            ctx,
            exc,
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in sim; run again with --debug for the traceback.",
            EXIT_INTERNAL,
        )

    @staticmethod
    def _fail(
        ctx: click.Context, exc: BaseException, message: str, code: int, lang: str | None = None
    ) -> None:
        with contextlib.suppress(OSError):  # stderr itself may be what failed
            if (ctx.obj or {}).get("debug"):
                traceback.print_exception(exc)
            if message:
                lang = lang or (ctx.obj or {}).get("lang", "en")
                click.echo(f"{i18n.t('error', lang)}{message}", err=True)
        ctx.exit(code)


STDOUT, STDERR = "standard output", "standard error"


class StreamError(Exception):
    """Standard output or standard error cannot be written (no space, a closed pipe, a
    file size limit): exit 2 with a message naming it (none for a closed pipe)."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"cannot write to {stream}: {error.strerror or error}")
        self.stream = stream
        self.error = error


class _Written:
    """What sim wrote to standard output when it is a regular file: the file's offset
    before the first write and the bytes written since, to tell a cut-short file."""

    start: int | None = None
    count = 0


def _stdout_offset() -> int | None:
    """Standard output's offset if it is a regular file (else ``None``)."""
    try:
        fd = sys.stdout.fileno()
        return os.lseek(fd, 0, os.SEEK_CUR) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """:func:`click.echo`, with an OS error on the stream raised as :class:`StreamError`."""
    if not err:
        if _Written.start is None:
            sys.stdout.flush()  # anything written before, so that the offset is sim's start
            _Written.start = _stdout_offset()
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        _Written.count += len((message + "\n" * nl).encode(encoding, errors="replace"))
    try:
        click.echo(message, err=err, nl=nl)
    except OSError as exc:
        raise StreamError(STDERR if err else STDOUT, exc) from None


def flush() -> None:
    """Flush standard output and standard error (:class:`StreamError` if one fails, or if
    standard output, a regular file, holds less than was written: under a file size
    limit Python's flush may report success after a short write)."""
    for name, stream in ((STDOUT, sys.stdout), (STDERR, sys.stderr)):
        try:
            stream.flush()
        except OSError as exc:
            raise StreamError(name, exc) from None
    if _Written.start is not None:
        end = _stdout_offset()
        if end is not None and end < _Written.start + _Written.count:
            cut = OSError(errno.EFBIG, "the file holds less than was written (a size limit?)")
            raise StreamError(STDOUT, cut)


@click.group(cls=SimGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sim")
@debug_option
@click.pass_context
def main(ctx: click.Context) -> None:
    """Simulate how co-built parks share tax, land income and joint-company returns.

    A scenario file (TOML, or an .xlsx workbook from `sim template`) describes the
    parties, the firms in the park, land sales, joint investment and the sharing
    agreement. Start with:

    \b
      sim run scenarios/gaozhu.toml          yearly flows and NPVs under the agreement
      sim compare scenarios/gaozhu.toml      the agreement beside other rules
      sim game scenarios/gaozhu.toml         is it fair and stable? acceptable shares
      sim sweep scenarios/sweeps/gaozhu.toml how does it hold up under uncertainty?
      sim robust scenarios/sweeps/gaozhu.toml which ratio keeps both sides in most often?
      sim discover results/gaozhu-sweep      under which conditions does it break?
      sim report scenarios/gaozhu.toml --lang zh   a report for a briefing
      sim serve scenarios/gaozhu.toml        a web page: edit the terms, move a slider
      sim rules                              every sharing rule and its reference
      sim template my-park.xlsx --lang zh    a workbook to fill in, in Excel or WPS

    Amounts are in the scenario's unit (亿元 = 100m CNY by default). Exit status:
    0 success, 1 some files invalid (validate), 2 bad input, 70 internal error.
    """
    ctx.ensure_object(dict)
    # numpy's warnings about a division in a branch not taken would only alarm a reader:
    # every output is checked for finite values and conservation instead
    warnings.simplefilter("ignore", RuntimeWarning)
    from sim._malloc import tune

    tune()  # keep batch temporaries on the heap between chunks (sim/_malloc.py)


def _out_of_memory(ctx: click.Context) -> str:
    """What ran out, for a MemoryError: the process's memory, with its limits."""
    from sim.agreement.memory import address_space_limit, available_memory, format_bytes

    sub = ctx.invoked_subcommand or "sim"
    limit = address_space_limit()
    limits = f"memory available {format_bytes(available_memory())}"
    if limit is not None:
        limits += f", address-space limit (ulimit -v) {format_bytes(limit)}"
    return (
        f"out of memory: `sim {sub}` needed more memory than this process could get "
        f"({limits}); nothing was written. Fewer parties, scenarios or firms need less"
    )


def _load(path: str) -> Any:
    from sim.scenario import load

    return load(path)


def _wrote(path: Path, lang: str = "en") -> str:
    """The line that says where the files went."""
    from sim import i18n

    return i18n.t("wrote_path", lang, path=path)


def duration(seconds: float) -> str:
    """A time for people: ``45 s``, ``3 min 20 s``, ``2 h 05 min``.

    Examples
    --------
    >>> duration(44.6), duration(200.0), duration(7500.0)
    ('45 s', '3 min 20 s', '2 h 05 min')
    """
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _emit(fmt: str, document: dict[str, Any], text: str) -> None:
    """Print the text, or the document as strict JSON (no NaN or Infinity tokens)."""
    from sim.files import dumps

    if fmt == "json":
        echo(dumps(document))
    else:
        echo(text)


class _DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to a default one.

    ``sim game FILE.toml`` runs ``sim game scenario FILE.toml``; ``sim sweep FILE`` runs
    ``sim sweep run FILE``.
    """

    default = "scenario"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args.insert(0, self.default)
        return super().parse_args(ctx, args)


class _DefaultToScenario(_DefaultCommandGroup):
    default = "scenario"


class _DefaultToRun(_DefaultCommandGroup):
    default = "run"
