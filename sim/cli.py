"""The ``sim`` command: a thin click layer that parses, calls and prints.

Every error a user can cause is a :class:`~sim.errors.SimError`; it is printed as
one clear message on stderr with a non-zero exit status, and its traceback only with
``--debug``.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sim import __version__, i18n
from sim.errors import InputError, ScenarioError, SimError
from sim.style import FIGURE_KINDS, label

if TYPE_CHECKING:
    from sim.schema.typed import ReadAs

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


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.find_root().ensure_object(dict)["lang"] = value
    return value


def lang_option(f: F) -> F:
    """The ``--lang en|zh`` option, the same on every command that writes for readers:
    headings, notes, labels, validation reasons and party names (``name_zh``) in English
    or Chinese (amounts in 亿元)."""
    return click.option(
        "--lang",
        type=click.Choice(i18n.LANGS),
        default="en",
        show_default=True,
        callback=_set_lang,
        help="Headings, labels, notes, reasons and party names in English or Chinese (亿元).",
    )(f)


FORCE = click.option("--force", is_flag=True, help="Replace the --out folder if sim wrote it.")


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


class SimGroup(click.Group):
    """Turns every error into one line on stderr (and a traceback with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; turn every error into one line on stderr and an exit status."""
        try:
            result = super().invoke(ctx)
            flush()  # an error writing what is still buffered is reported here
            return result
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except SimError as exc:
            hint = (
                "\nThis is a bug in sim; run again with --debug for the traceback."
                if exc.exit_code == EXIT_INTERNAL
                else ""
            )
            lang = (ctx.obj or {}).get("lang", "en")
            text = (
                exc.message(lang) if isinstance(exc, InputError) and i18n.is_zh(lang) else str(exc)
            )
            self._fail(ctx, exc, text + hint, exc.exit_code)
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
    def _fail(ctx: click.Context, exc: BaseException, message: str, code: int) -> None:
        with contextlib.suppress(OSError):  # stderr itself may be what failed
            if (ctx.obj or {}).get("debug"):
                traceback.print_exception(exc)
            if message:
                lang = (ctx.obj or {}).get("lang", "en")
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


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """:func:`click.echo`, with an OS error on the stream raised as :class:`StreamError`."""
    try:
        click.echo(message, err=err, nl=nl)
    except OSError as exc:
        raise StreamError(STDERR if err else STDOUT, exc) from None


def flush() -> None:
    """Flush standard output and standard error (:class:`StreamError` if one fails)."""
    for name, stream in ((STDOUT, sys.stdout), (STDERR, sys.stderr)):
        try:
            stream.flush()
        except OSError as exc:
            raise StreamError(name, exc) from None


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


def _memory_limit(text: str | None) -> int:
    """``--max-memory`` in bytes: a size such as ``8GB`` or ``500MB``, or the default."""
    from sim.agreement.memory import default_memory_limit, parse_bytes

    if text is None:
        return default_memory_limit()
    try:
        return parse_bytes(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-memory") from None


def _check_memory(path: str, scenario: Any, limit: int, default: bool) -> None:
    """Refuse, before any work, a scenario whose game needs more memory than ``limit``."""
    from sim.agreement.memory import format_bytes, game_memory
    from sim.errors import BudgetError

    need = game_memory(scenario)
    if need > limit:
        n = len(scenario.parties)
        which = "the default, 75% of the memory this process can get" if default else "--max-memory"
        raise BudgetError(
            f"{path}: comparing {n} parties builds a cooperative game of 2^{n} coalitions, "
            f"estimated to need {format_bytes(need)} of memory, more than the limit of "
            f"{format_bytes(limit)} ({which}); raise it with --max-memory (e.g. "
            f"--max-memory {_round_up_gb(need)}GB) if the machine has that much"
        )


def _round_up_gb(n: int) -> int:
    return max(1, -(-n // 2**30))


def _load(path: str) -> Any:
    from sim.scenario import load

    return load(path)


def _wrote(path: Path, lang: str = "en") -> str:
    """The line that says where the files went."""
    return f"已写入 {path}" if lang == "zh" else f"wrote {path}"


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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option
@lang_option
@debug_option
def validate(files: Sequence[str], fmt: str, lang: str) -> None:
    """Check scenario and sweep FILES; exit 0 when every one is valid.

    Every problem in a file is reported at once, each with its key path
    (e.g. firms[2].growth) and the reason. A file with a [sweep] table is checked as
    a sweep (its base scenario included).
    """
    reports = []
    for path in files:
        try:
            summary, notes = _validate_one(path, lang)
        except ScenarioError as exc:
            # a Chinese workbook's problems are told in Chinese whatever --lang says
            told = "zh" if "zh" in (lang, exc.lang) else "en"
            reports.append(
                {
                    "file": path,
                    "valid": False,
                    "problems": [
                        {
                            "path": p.path,
                            "reason": p.reason_text(told),
                            **({"where": p.where} if p.where else {}),
                        }
                        for p in exc.problems
                    ],
                }
            )
            if fmt == "text":
                echo(f"{i18n.t('error', told)}{exc.message(told)}", err=True)
            continue
        read_as = [{**n.as_dict(), "text": n.text(lang)} for n in notes]
        reports.append({"file": path, "valid": True, "problems": [], "read_as": read_as})
        if fmt == "text":
            echo(f"{i18n.t('ok', lang)}  {path}  ({summary})")
            for note in read_as:  # what was read differently from how it was typed
                echo(f"  {note['text']}")
    if fmt == "json":
        from sim.files import dumps

        echo(dumps({"files": reports}))
    if not all(r["valid"] for r in reports):
        sys.exit(1)


def _validate_one(path: str, lang: str = "en") -> tuple[str, list[ReadAs]]:
    """Load a scenario or sweep file; a one-line description of what it holds, and each
    value read differently from how it was typed (``50%`` read as 0.5)."""
    from sim.errors import read_input
    from sim.scenario import WORKBOOK_SUFFIXES, read_noted

    workbook = Path(path).suffix.lower() in WORKBOOK_SUFFIXES
    if not workbook and "[sweep" in read_input(path, ScenarioError):
        from sim.sweep.spec import load_sweep

        spec = load_sweep(path)
        sc = spec.scenario
        return i18n.t(
            "valid_sweep",
            lang,
            name=sc.name,
            parameters=len(spec.parameters),
            design=i18n.name(spec.design, lang),
            n=f"{spec.n:,}",
            rules=", ".join(spec.rules),
        ), []
    sc, _, notes = read_noted(path)
    return i18n.t(
        "valid_scenario",
        lang,
        name=sc.name,
        parties=len(sc.parties),
        firms=len(sc.firms),
        years=sc.n_years,
        rule=i18n.name(sc.sharing.rule, lang),
    ), notes


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write the yearly flows (CSV and Parquet) and a manifest to this folder.",
)
@FORCE
@lang_option
@debug_option
def run(file: str, fmt: str, out: str | None, force: bool, lang: str) -> None:
    """Run one scenario FILE under its own [sharing] agreement.

    Prints each party's tax, land income, dividends, investment and net benefit for
    every year, the transfers versus the source position (no agreement), and NPVs.
    """
    from sim.agreement import decompose, outcome_result, resolve
    from sim.model import batch_from_scenario
    from sim.output import run_document
    from sim.text import render_run

    scenario = _load(file)
    batch = batch_from_scenario(scenario)
    outcome = resolve(scenario, batch=batch)
    outcome.require_defined(scenario)
    result = outcome_result(batch, outcome)
    decomposition = decompose(batch, outcome)
    if out is not None:
        from sim.store import write_run

        write_run(out, scenario, result, overwrite=force)
    _emit(
        fmt,
        run_document(scenario, result, outcome, decomposition),
        render_run(scenario, result, outcome, decomposition, lang=lang),
    )
    if out is not None and fmt == "text":
        echo(f"\nwrote {Path(out) / 'flows.csv'}, flows.parquet and manifest.json")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--year", type=int, required=True, help="The year to settle (of the horizon).")
@format_option
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Words and party names in English or Chinese (年终结算单).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Also write statement.xlsx and statement.docx to this folder.",
)
@FORCE
@debug_option
def settle(file: str, year: int, fmt: str, lang: str, out: str | None, force: bool) -> None:
    """The settlement statement of FILE for --year: who pays whom, how much and why.

    Each pooled firm's retained tax, the shares applied that year, what is agreed and
    what is settled (compliance), floors, the cap, a review's switch, the land,
    dividends and investment clauses, and one payment per pair of treasuries; the
    figures add up to `sim run`'s transfer that year. A year outside the agreement's
    years has nothing to settle (exit 0); outside the horizon, exit 2.
    """
    from sim.agreement import outcome_result, resolve
    from sim.model import batch_from_scenario
    from sim.settle import document, render, settle, write

    scenario = _load(file)
    batch = batch_from_scenario(scenario)
    outcome = resolve(scenario, batch=batch)
    outcome.require_defined(scenario)
    statement = settle(scenario, batch, outcome, outcome_result(batch, outcome), year)
    if out is not None:
        write(statement, out, lang, force=force)
    _emit(fmt, document(statement), render(statement, lang))
    if out is not None and fmt == "text":
        echo("\n" + _wrote(Path(out) / "statement.xlsx", lang) + ", statement.docx")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--explain",
    is_flag=True,
    help="Also split each party's gain over no agreement by clause (tax, land, dividends, "
    "investment, compliance, floors), for every agreement (one file).",
)
@click.option(
    "--max-memory",
    "max_memory",
    default=None,
    metavar="SIZE",
    help="Refuse (exit 2) a comparison whose cooperative game (2^n coalitions of n "
    "parties) is estimated to need more memory than SIZE, e.g. 8GB or 500MB "
    "[default: 75% of the memory available, and of what `ulimit -v` leaves].",
)
@format_option
@lang_option
@debug_option
def compare(
    files: tuple[str, ...], explain: bool, max_memory: str | None, fmt: str, lang: str
) -> None:
    """Compare scenario FILE under several agreements side by side — or several files
    (a draft and a counter-proposal) under their own agreements.

    One FILE: the file's own agreement, `source` (no agreement at all), `equity` (the
    same agreement with the pool split by shareholding), every [[compare]] table and
    the fair-division rules shapley, nucleolus and nash, with each party's NPV, its
    gain over the source position, whether every party does at least as well as
    standing alone, and the statistics the agreement counts to each party.

    \b
    Several files, e.g.  sim compare draft.toml counter.toml
      one row per file: its own agreement's NPV, gain over no agreement and
      standalone value per party. The files must have the same parties and unit.
    """
    from sim.compare import compare as compare_scenario
    from sim.output import compare_document, files_document
    from sim.text import render_compare, render_files

    limit = _memory_limit(max_memory)
    if len(files) == 1:
        scenario = _load(files[0])
        _check_memory(files[0], scenario, limit, max_memory is None)
        comparison = compare_scenario(scenario, explain=explain)
        _emit(fmt, compare_document(comparison), render_compare(comparison, lang))
        return
    if explain:
        raise click.UsageError("--explain takes one file (`sim compare FILE --explain`)")
    scenarios = [_load(f) for f in files]
    for f, sc in zip(files, scenarios, strict=True):
        _check_memory(f, sc, limit, max_memory is None)
    first = scenarios[0]
    for f, sc in zip(files[1:], scenarios[1:], strict=True):
        if sc.party_ids != first.party_ids or sc.unit != first.unit:
            from sim.errors import Problem, ScenarioError

            raise ScenarioError(
                f,
                [
                    Problem(
                        "parties",
                        f"side by side needs the same parties and unit as {files[0]} "
                        f"({', '.join(first.party_ids)}; {first.unit}), got "
                        f"{', '.join(sc.party_ids)}; {sc.unit}",
                    )
                ],
            )
    comparisons = [compare_scenario(sc) for sc in scenarios]
    _emit(fmt, files_document(comparisons), render_files(comparisons, lang))


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


@main.group(cls=_DefaultToScenario)
def game() -> None:
    """Cooperative-game analysis: `sim game FILE.toml` or `sim game solve FILE.json`.

    \b
    sim game scenarios/gaozhu.toml
        the scenario's coalition values, its core, the fair-division allocations
        and the range of pool shares every party (and coalition) can accept
    sim game solve problem.json [--rule shapley]...
        a game, claims or bargaining problem typed in by hand (see the README)
    """


@game.command("scenario", hidden=True)
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@lang_option
@debug_option
def game_scenario(file: str, fmt: str, lang: str) -> None:
    """Coalition values, core and acceptable shares of scenario FILE."""
    from sim.output import describe_sharing, game_document
    from sim.text import render_game

    scenario = _load(file)
    doc = game_document(scenario)
    terms = describe_sharing(scenario, scenario.sharing, lang)
    _emit(fmt, doc, render_game(doc, lang, terms))


@game.command("solve")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--rule",
    "rules_",
    multiple=True,
    metavar="NAME",
    help="Solve by this rule only (repeatable). Default: every rule that applies.",
)
@format_option
@lang_option
@debug_option
def game_solve(file: str, rules_: tuple[str, ...], fmt: str, lang: str) -> None:
    """Solve a game, claims or bargaining problem given as JSON in FILE.

    \b
    {"players": ["A","B","C"], "values": {"A": 0, "A,B": 60, ..., "A,B,C": 90}}
    {"estate": 200, "claims": {"A": 100, "B": 200, "C": 300}}
    {"total": 100, "disagreement": {"A": 10, "B": 30}, "weights": {"A": 1, "B": 2}}
    {"players": ["A","B"], "feasible": {"vertices": [[0,0],[0,1],[1,0],[0.75,0.75]]},
     "disagreement": {"A": 0, "B": 0}}
    """
    from sim.games.explicit import load_problem, solve
    from sim.text import render_solved

    problem = load_problem(file)
    solved = solve(problem, rules_)
    doc = {
        "problem": problem.family,
        "players": list(problem.players),
        "allocations": solved.allocations,
        "core": solved.core,
        "notes": solved.notes,
    }
    _emit(fmt, doc, render_solved(doc, lang))


@main.group(cls=_DefaultToRun)
def sweep() -> None:
    """Scenario sweeps: `sim sweep FILE`, `sim sweep summary DIR`, `sim sweep export DIR`.

    \b
    sim sweep scenarios/sweeps/gaozhu.toml --out results/gaozhu-sweep
        sample the [sweep] parameters, evaluate every agreement on every scenario,
        write results/gaozhu-sweep/ (Parquet parts, manifest) and print a summary
    sim sweep summary results/gaozhu-sweep
        the summary again, from the stored results
    sim sweep export results/gaozhu-sweep --to ema
        tables for EMA Workbench (or --to salib: SALib's problem dictionary)

    The options of a sweep (--out, --resume, --executor, --workers, --chunk-size,
    --quiet …): `sim sweep run --help`.
    """


@sweep.command("run", hidden=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Results folder [default: results/<sweep file name>-sweep].",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1),
    default=None,
    help="Scenarios per chunk (and per Parquet part) [default: 65536].",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "processes", "dask"]),
    default="local",
    show_default=True,
    help="Where chunks run. The numbers do not depend on it.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Worker processes (processes, or a local Dask cluster).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="A running Dask scheduler (tcp://host:8786); default: a local cluster.",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out.")
@click.option(
    "--max-scenarios",
    type=click.IntRange(1),
    default=100_000_000,
    show_default=True,
    help="Refuse larger sweeps (a guard against a typo in n or a huge grid).",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no estimated time.")
@format_option
@lang_option
@debug_option
def sweep_run(
    file: str,
    out: str | None,
    chunk_size: int | None,
    executor: str,
    workers: int,
    scheduler: str | None,
    resume: bool,
    max_scenarios: int,
    quiet: bool,
    fmt: str,
    lang: str,
) -> None:
    """Run the sweep in FILE (a sweep file, or a scenario with a [sweep] table)."""
    from sim.sweep.execute import run_sweep
    from sim.sweep.summary import render_summary

    folder = Path(out) if out else Path("results") / f"{Path(file).stem}-sweep"
    bar: Any = None

    def progress(done: int, total: int) -> None:
        # called first once the sweep file is valid and the folder prepared, then as
        # each block of scenarios is done (several times a second)
        nonlocal bar
        if quiet or not sys.stderr.isatty():
            return
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(
                total=total,
                initial=done,
                unit="scenario",
                unit_scale=True,
                dynamic_ncols=True,
                desc="sweep",
                file=sys.stderr,
                miniters=1,
                mininterval=0.1,
                smoothing=0.1,
            )
        else:
            bar.update(done - bar.n)  # update, not set: tqdm's rate and ETA follow it

    def estimate(seconds: float) -> None:
        if seconds > 60:
            echo(f"estimated time: {duration(seconds)} (timed on a pilot)", err=True)

    try:
        outcome = run_sweep(
            file,
            folder,
            chunk_size=chunk_size,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
            progress=progress,
            max_scenarios=max_scenarios,
            estimate=None if quiet else estimate,  # --quiet: no pilot either
        )
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        echo(
            f"error: interrupted; the chunks finished so far are kept in {folder}. "
            f"Continue with: sim sweep {file} --out {folder} --resume",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if bar is not None:
        bar.close()
    summary = render_summary(outcome.summary, lang)
    _emit(fmt, outcome.summary, summary + "\n\n" + i18n.t("results_in", lang, folder=folder))


@sweep.command("summary")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@format_option
@lang_option
@debug_option
def sweep_summary(folder: str, fmt: str, lang: str) -> None:
    """Print the summary of the sweep stored in FOLDER."""
    from sim.sweep.summary import render_summary, summarize

    doc = summarize(folder)
    _emit(fmt, doc, render_summary(doc, lang))


@sweep.command("export")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--to",
    "to",
    type=click.Choice(["ema", "salib"]),
    required=True,
    help="ema: experiments.csv and outcomes.csv; salib: salib_problem.json.",
)
@click.option(
    "--dest",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write to [default: FOLDER/export-<to>].",
)
@click.option("--force", is_flag=True, help="Replace the --dest folder if sim wrote it.")
@click.option(
    "--approximate",
    is_flag=True,
    help="salib: export a sweep with discrete choices or correlations anyway, as "
    "uniforms and independent inputs; each approximation is printed and written to NOTE.txt.",
)
@debug_option
def sweep_export(folder: str, to: str, dest: str | None, force: bool, approximate: bool) -> None:
    """Export the sweep in FOLDER for EMA Workbench or SALib.

    SALib's problem dictionary has no discrete distribution and no correlation: a sweep
    with either is refused unless --approximate.
    """
    from sim.sweep.execute import read_manifest
    from sim.sweep.export import export

    done = export(folder, to, dest, force=force, approximate=approximate)
    for path in done.paths:
        echo(f"wrote {path}")
    for a in done.approximations:
        echo(f"approximated: {a.text()}")
    if not read_manifest(Path(folder)).get("complete"):
        echo("note: the sweep is INCOMPLETE; the export holds the scenarios done so far")


FIG_FORMAT = click.option(
    "--format",
    "fig_format",
    type=click.Choice(["png", "svg", "pdf"]),
    default="png",
    show_default=True,
    help="Figure file format.",
)


def _report_for(target: str, lang: str) -> Any:
    import json

    from sim.errors import ResultsError
    from sim.report import run_report, scenario_report, sensitivity_report, sweep_report

    path = Path(target)
    if not path.is_dir():
        return scenario_report(_load(target), lang)
    try:  # a results folder says what it holds in its manifest
        kind = json.loads((path / "manifest.json").read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        kind = None
    if kind == "run":
        return run_report(path, lang)
    if kind == "sensitivity":
        from sim.sensitivity import read_sensitivity

        spec, result, changed = read_sensitivity(path)
        if changed:
            result.notes.append(changed)
        return sensitivity_report(spec, result, lang)
    if kind == "sweep":
        return sweep_report(path, lang)
    raise ResultsError(
        f"{path}: not a results folder of sim (a `sim run --out`, `sim sweep` or "
        "`sim sensitivity` folder, with its manifest.json)"
    )


@main.command()
@click.argument("target", type=click.Path(exists=True))
@lang_option
@click.option(
    "--to",
    "to",
    type=click.Choice(["html", "docx"]),
    default="html",
    show_default=True,
    help="html: report.html, tables.xlsx and each figure as a file; docx: report.docx, "
    "the same report for Word or WPS (tables and figures numbered, figures at 300 dpi).",
)
@FIG_FORMAT
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write [default: results/<name>-report-<lang>, "
    "with --to docx results/<name>-report-<lang>-docx].",
)
@FORCE
@debug_option
@click.pass_context
def report(
    ctx: click.Context,
    target: str,
    lang: str,
    to: str,
    fig_format: str,
    out: str | None,
    force: bool,
) -> None:
    """A report of TARGET: a scenario file, or a folder of `sim run --out`, `sim sweep`
    or `sim sensitivity`.

    The summary, the tables (comparison of sharing rules, parties, parameters, or a
    sweep's quantiles and decisions) and every figure with a caption naming the
    scenario, rule, seed and run. With --to html (the default): one self-contained
    report.html (figures embedded, no external requests), each figure also as PNG, SVG
    or PDF (--format), and the tables in tables.xlsx. With --to docx: report.docx, to
    paste from or edit in Word or WPS, its tables and figures numbered with Word
    captions ("Table 1." / "表 1.", "Figure 1." / "图 1.").

    \b
      sim report scenarios/gaozhu.toml --lang zh             in Chinese, as HTML
      sim report scenarios/gaozhu.toml --to docx --lang zh   the same as a Word document
      sim report results/gaozhu-sweep --out briefing --force  a sweep, replacing briefing/
    """
    from click.core import ParameterSource

    if to == "docx" and ctx.get_parameter_source("fig_format") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--format is for the figure files of --to html; a docx embeds PNG")
    rep = _report_for(target, lang)
    suffix = "-docx" if to == "docx" else ""
    folder = Path(out) if out else Path("results") / f"{Path(target).stem}-report-{lang}{suffix}"
    if to == "docx":
        from sim.report_docx import write_docx_report

        path = write_docx_report(rep, folder, force=force)
        echo(f"wrote {path} ({len(rep.figures)} figures)")
        return
    from sim.report import write_report

    paths = write_report(rep, folder, fig_format, force=force)
    echo(f"wrote {paths[0]}, {paths[1].name} and {len(paths) - 2} figures")


@main.command()
@click.argument("target", type=click.Path(exists=True))
@click.option(
    "--kind",
    type=click.Choice(tuple(FIGURE_KINDS)),
    required=True,
    help="The figure, and what TARGET it is drawn from: "
    + "; ".join(f"{k}: {v}" for k, v in FIGURE_KINDS.items())
    + ". A `sim sensitivity` folder gives its stored indices; a sweep file, the indices "
    "computed as `sim sensitivity` would.",
)
@lang_option
@FIG_FORMAT
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Output file [default: results/<name>-<kind>.<format>].",
)
@click.option("--force", is_flag=True, help="Replace the output file if sim wrote it.")
@click.option(
    "--party",
    default=None,
    metavar="ID",
    help="For a figure drawn per party (tornado, sobol, morris, …): whose [default: the "
    "first party].",
)
@debug_option
def plot(
    target: str, kind: str, lang: str, fig_format: str, out: str | None, force: bool,
    party: str | None,
) -> None:  # fmt: skip
    """Draw one figure of TARGET (a figure drawn per party: the first party's, or --party's)."""
    indices = ("sobol", "shapley")  # one computation: Shapley effects if inputs are correlated
    if kind in ("tornado", *indices, "morris") and not Path(target).is_dir():
        from sim.report import sensitivity_report
        from sim.sensitivity import sensitivity
        from sim.sweep.spec import load_sweep

        spec = load_sweep(target)  # computed as `sim sensitivity FILE` computes it
        methods = {"tornado": (), "shapley": ("sobol",)}.get(kind, (kind,))
        rep = sensitivity_report(spec, sensitivity(spec, methods=methods), lang)
    else:
        rep = _report_for(target, lang)
    from sim.errors import ResultsError

    figures = [f for f in rep.figures if f.key == kind or f.key.startswith(f"{kind}-")]
    if not figures:
        other = {"sobol": "shapley", "shapley": "sobol"}.get(kind, "")
        if other and any(f.key.startswith(f"{other}-") for f in rep.figures):
            why = "correlated" if other == "shapley" else "independent"
            raise ResultsError(
                f"{target}: no {kind} figure: the inputs are {why}, so the variance is split "
                f"by {label('shapley_effects' if other == 'shapley' else 'sobol')}"
                f" (--kind {other})"
            )
        raise ResultsError(f"{target}: no {kind} figure for this input (see `sim plot --help`)")
    # a figure per party is keyed kind-party; PRIM's, kind-box-party (the first box first)
    box = r"\d+-" if kind in ("tradeoff", "box") else ""
    whose_of = {f.key: re.sub(rf"^{kind}-{box}", "", f.key) for f in figures if f.key != kind}
    each = list(dict.fromkeys(whose_of.values()))
    if party is not None:
        if party not in each:
            whose = f"parties: {', '.join(each)}" if each else "it is not drawn per party"
            raise ResultsError(f"--party {party}: no {kind} figure for that party ({whose})")
        figures = [f for f in figures if whose_of.get(f.key) == party]
    from sim.files import new_file

    path = Path(out) if out else Path("results") / f"{Path(target).stem}-{kind}.{fig_format}"
    new_file(path, figures[0].render(lang, fig_format), force=force)
    whose = ""
    if len(each) > 1:
        shown = party or each[0]
        whose = f" ({shown}'s; --party for another: {', '.join(p for p in each if p != shown)})"
    echo(f"wrote {path}{whose}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--method",
    "methods",
    type=click.Choice(["sobol", "morris"]),
    multiple=True,
    help="Which analyses (repeatable) [default: both].",
)
@click.option(
    "--n",
    type=click.IntRange(8),
    default=1024,
    show_default=True,
    help="Base sample size: Sobol runs n·(d+2) scenarios; Shapley effects (correlated "
    "inputs) n·(4 + 3·(2^d − 2)); Morris n/8 trajectories.",
)
@click.option("--seed", type=int, default=None, help="[default: the sweep file's seed]")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the index tables [default: results/<name>-sensitivity].",
)
@FORCE
@format_option
@debug_option
def sensitivity(
    file: str,
    methods: tuple[str, ...],
    n: int,
    seed: int | None,
    out: str | None,
    force: bool,
    fmt: str,
) -> None:
    """Which inputs drive who gains: Sobol indices (Shapley effects for correlated
    inputs), Morris screening and a tornado, over the declared distributions.

    FILE is a sweep file: its [sweep.parameters] (with choice weights, truncations and
    [sweep.correlation]) are the inputs; the outputs are each party's NPV, gain over no
    agreement and gain over standing alone under the file's agreement. Writes the
    tables as CSV with the inputs as run; `sim report DIR` and `sim plot DIR` draw them.
    """
    from sim.files import check_free
    from sim.sensitivity import sensitivity as run_sensitivity
    from sim.sensitivity import write_sensitivity
    from sim.sweep.spec import load_sweep

    spec = load_sweep(file)
    folder = Path(out) if out else Path("results") / f"{Path(file).stem}-sensitivity"
    check_free(folder, force=force)  # before the work, not after it
    result = run_sensitivity(spec, methods=methods or ("sobol", "morris"), n=n, seed=seed)
    write_sensitivity(folder, spec, result, n=n, force=force)
    frames = {result.method: result.sobol, "morris": result.morris}
    doc = {
        "sweep": spec.source,
        "seed": result.seed,
        "samples": result.samples,
        "method": result.method,
        "base_npv": result.base_npv,
        "notes": [note.text("en") for note in result.notes],
        "tornado": result.tornado.to_dict(orient="records"),
        **{k: f.to_dict(orient="records") for k, f in frames.items() if f is not None},
    }
    from sim.sensitivity_tables import render, top_inputs

    doc["drivers"] = top_inputs(result).to_dict(orient="records")
    _emit(fmt, doc, render(spec, result, folder))


FIGURES = click.option(
    "--figures",
    "fig_format",
    type=click.Choice(["png", "svg", "pdf"]),
    default="png",
    show_default=True,
    help="Figure file format.",
)


def _write_decision(
    folder: Path,
    force: bool,
    kind: str,
    spec: Any,
    document: dict[str, Any],
    tables: dict[str, Any],
    figures: list[Any],
    lang: str,
    fig_format: str,
    **extra: Any,
) -> None:
    """The folder of ``sim robust`` or ``sim discover``: its JSON document, tables as CSV,
    figures and manifest, claimed whole or not at all."""
    from sim.csv_safe import write_csv
    from sim.files import new_folder, write_json
    from sim.store import manifest

    with new_folder(folder, force=force, kind=kind) as tmp:
        write_json(tmp / f"{kind}.json", document)
        for name, frame in tables.items():
            write_csv(tmp / f"{name}.csv", frame)
        for fig in figures:
            (tmp / f"{fig.key}.{fig_format}").write_bytes(fig.render(lang, fig_format))
        write_json(
            tmp / "manifest.json",
            manifest(
                spec.scenario,
                kind=kind,
                sweep=spec.source,
                sweep_digest=spec.digest,
                seed=spec.seed,
                **extra,
            ),
        )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--basis",
    type=click.Choice(["standalone", "source"]),
    default="standalone",
    show_default=True,
    help="A party accepts shares when it does at least as well as standing alone, or as "
    "with no agreement.",
)
@click.option(
    "--resolution",
    type=click.FloatRange(0.001, 0.25),
    default=None,
    help="Three or more parties: the grid step over the simplex [default: 0.01 for three, "
    "0.025 for four, 0.05 beyond].",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for robust.json, the curve, the figure [default: results/<name>-robust-<lang>].",
)
@FORCE
@lang_option
@FIGURES
@format_option
@debug_option
def robust(
    file: str,
    basis: str,
    resolution: float | None,
    out: str | None,
    force: bool,
    lang: str,
    fig_format: str,
    fmt: str,
) -> None:
    """Which constant pool shares keep every party in, across a sweep's scenarios.

    FILE is a sweep file. In each scenario the agreement as written (scope, window,
    compliance, floors, clauses) gives each party's NPV as a function of the pool
    shares; a party accepts the shares that leave it at least as well off as its
    --basis. sim robust reports the shares every party accepts in the most scenarios
    and that probability (exact for two parties, on a grid for more), the curve of
    P(every party accepts) against the share, how the drafted ratio and the Shapley,
    nucleolus and Nash shares of the scenario as written compare, the shares best
    for the worst-off party on average, and Savage's minimax-regret choice among the
    sweep's agreements.

    \b
    Example:
      sim robust scenarios/sweeps/gaozhu.toml --lang zh
    """
    from sim.decisions.robust import robust as run_robust
    from sim.files import check_free
    from sim.output import render_robust, robust_document
    from sim.report import robust_figures, robust_tables
    from sim.sweep.spec import load_sweep

    spec = load_sweep(file)
    folder = Path(out) if out else Path("results") / f"{Path(file).stem}-robust-{lang}"
    check_free(folder, force=force)  # before the work, not after it
    result = run_robust(spec, basis, resolution=resolution)  # type: ignore[arg-type]
    document = robust_document(spec, result)
    tables = robust_tables(result, "en")
    import pandas as pd

    if result.curve is not None:
        tables["curve"] = pd.DataFrame(result.curve, columns=["share", "probability"])
    if result.grid is not None:
        tables["grid"] = pd.DataFrame(result.grid, columns=[*result.parties, "probability"])
    tables = {k.lower().replace(" ", "-"): v for k, v in tables.items()}
    figures = robust_figures(spec, result, lang)
    _write_decision(
        folder, force, "robust", spec, document, tables, figures, lang, fig_format, basis=basis
    )
    _emit(fmt, document, render_robust(spec, result, lang) + "\n\n" + _wrote(folder, lang))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--rule",
    default="agreement",
    show_default=True,
    help="The agreement the event is about (a label of the sweep).",
)
@click.option("--party", default=None, help="The party [default: any party].")
@click.option(
    "--basis",
    type=click.Choice(["standalone", "source"]),
    default=None,
    help="Worse off than standing alone, or than with no agreement [default: standalone "
    "when the sweep has standalone values].",
)
@click.option(
    "--holds",
    is_flag=True,
    help="Turn the question round: where the party (every party) is NOT worse off.",
)
@click.option(
    "--boxes",
    type=click.IntRange(1, 5),
    default=2,
    show_default=True,
    help="Most PRIM boxes, each found on the scenarios outside the ones before.",
)
@click.option(
    "--density",
    type=click.FloatRange(0, 1),
    default=0.8,
    show_default=True,
    help="The box chosen on PRIM's trajectory: the greatest coverage at least this dense.",
)
@click.option("--mass-min", type=click.FloatRange(0.001, 0.5), default=0.05, show_default=True,
              help="Smallest share of the scenarios a box may hold.")  # fmt: skip
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for discovery.json, the trajectories and the figures "
    "[default: results/<folder>-discover-<lang>].",
)
@FORCE
@lang_option
@FIGURES
@format_option
@debug_option
def discover(
    folder: str,
    rule: str,
    party: str | None,
    basis: str | None,
    holds: bool,
    boxes: int,
    density: float,
    mass_min: float,
    out: str | None,
    force: bool,
    lang: str,
    fig_format: str,
    fmt: str,
) -> None:
    """When does an agreement break? Scenario discovery on a sweep's results.

    FOLDER is a `sim sweep --out` folder. The event: PARTY (any party without --party)
    is worse off under --rule than standing alone or than with no agreement (--basis).
    PRIM (EMA Workbench) finds the few boxes of the swept inputs where the event
    concentrates, reported as conditions in words with their coverage and density;
    a shallow CART tree (scikit-learn) gives a second view. Needs
    `pip install 'sim[decisions]'`.

    \b
    Example: when would Linshui be worse off than with no agreement?
      sim sweep scenarios/sweeps/gaozhu.toml --out results/gaozhu-sweep
      sim discover results/gaozhu-sweep --party SC --basis source
    """
    from sim.decisions.discover import Event
    from sim.decisions.discover import discover as run_discover
    from sim.files import check_free
    from sim.output import discovery_document, render_discovery
    from sim.report import discovery_figures, discovery_tables
    from sim.style import Note
    from sim.sweep.execute import read_manifest, read_results
    from sim.sweep.spec import stored_spec

    path = Path(folder)
    target = Path(out) if out else Path("results") / f"{path.name}-discover-{lang}"
    check_free(target, force=force)  # before the work, not after it
    manifest = read_manifest(path)
    spec, changed = stored_spec(path, manifest)
    table = read_results(path)
    chosen = basis or ("standalone" if spec.standalone else "source")
    event = Event(rule, party, chosen, holds)  # type: ignore[arg-type]
    result = run_discover(spec, table, event, boxes=boxes, density=density, mass_min=mass_min)
    if changed:
        result.notes.append(changed)
    if not manifest.get("complete"):
        done = result.scenarios + result.left_out
        result.notes.append(Note("partial", {"done": done, "n": spec.n}))
    document = discovery_document(spec, result)
    tables = {f"trajectory-{i + 1}": t for i, t in enumerate(result.trajectories)} | {
        "boxes": next(iter(discovery_tables(spec, result, "en").values()))
    }
    figures = discovery_figures(spec, result, lang)
    _write_decision(
        target, force, "discovery", spec, document, tables, figures, lang, fig_format,
        event=document["event"],
    )  # fmt: skip
    _emit(fmt, document, render_discovery(spec, result, lang) + "\n\n" + _wrote(target, lang))


def _write_scenario(source: str | None, dest: str, lang: str, command: str) -> str:
    """Write the scenario at ``source`` (default: the reference) to ``dest`` in the format
    its suffix names; the line that says so."""
    from sim.convert import FORMATS, REFERENCE, render
    from sim.errors import ResultsError
    from sim.files import new_file
    from sim.scenario import read

    out = Path(dest)
    if out.suffix.lower() not in FORMATS:
        raise click.UsageError(f"{dest}: name it .xlsx (a workbook) or .toml (a scenario file)")
    if os.path.lexists(out):
        raise ResultsError(
            f"{dest}: exists; sim never replaces a scenario file or workbook: "
            "choose another name, or remove it first"
        )
    path = source or str(REFERENCE)
    scenario, data = read(path)
    header = (f"{scenario.title}", f"written by `sim {command}` from {Path(path).name}")
    new_file(out, render(scenario, data, out.suffix.lower(), lang=lang, header=header))
    counts = (len(scenario.parties), len(scenario.firms), len(scenario.land_sales),
              len(scenario.compare))  # fmt: skip
    if lang == "zh":
        what = "{} 个参与方、{} 家企业、{} 宗土地出让、{} 个比较方案".format(*counts)
        return f"{_wrote(out, lang)}（{scenario.name}：{what}）"
    nouns = (("party", "parties"), ("firm", "firms"), ("land sale", "land sales"),
             ("alternative", "alternatives"))  # fmt: skip
    what = ", ".join(
        f"{n} {one if n == 1 else many}" for n, (one, many) in zip(counts, nouns, strict=True)
    )
    return f"{_wrote(out, lang)} ({scenario.name}: {what})"


SHEET_LANG = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="A workbook's sheet names, headers, units and notes in English or Chinese "
    "(either reads back).",
)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False),
    default=None,
    help="The scenario to fill it in with, TOML or workbook [default: the reference "
    "scenario, co-built-park].",
)
@SHEET_LANG
@debug_option
def template(file: str, source: str | None, lang: str) -> None:
    """Write FILE.xlsx, a workbook to fill in a scenario in Excel or WPS.

    A sheet for each table of a scenario file: scenario (id, horizon, tax sharing),
    parties (with their equity), firms, land_sales, capex (a year a row), agreements
    (the agreement in column D, each alternative for `sim compare` in a column after
    it) and notes, which explains every column. Headers carry their units; lists offer
    the rules, scopes and party ids; Excel checks numbers against their ranges as they
    are typed. It comes filled in with the reference scenario, or the --from file, to
    overwrite. Then:

    \b
      sim template my-park.xlsx --lang zh     Chinese sheets and headers
      sim compare my-park.xlsx                any command that takes a scenario file
      sim convert my-park.xlsx my-park.toml   the same scenario as a TOML file

    A mistake in the workbook is reported with its sheet, cell and column, every
    mistake at once (e.g. `firms!G7 output growth: must be in (-1, 10], got 30`).
    """
    if Path(file).suffix.lower() != ".xlsx":
        raise click.UsageError(f"{file}: a workbook's name ends in .xlsx")
    echo(_write_scenario(source, file, lang, "template"))


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("dest", type=click.Path(dir_okay=False))
@SHEET_LANG
@debug_option
def convert(source: str, dest: str, lang: str) -> None:
    """Convert scenario SOURCE to DEST: a workbook (.xlsx) or a TOML file (.toml).

    Either way, without loss: SOURCE is validated first, and DEST is written only once
    it reads back as the same scenario (every input, the agreement and each
    alternative). A TOML file written from a workbook reads back to exactly what the
    workbook holds; comments of a TOML file do not go into a workbook. DEST must not
    exist: sim never replaces a scenario file or workbook.

    \b
      sim convert my-park.xlsx my-park.toml
      sim convert scenarios/gaozhu.toml gaozhu.xlsx --lang zh
    """
    echo(_write_scenario(source, dest, lang, "convert"))


@main.command()
@format_option
@lang_option
@debug_option
def rules(fmt: str, lang: str) -> None:
    """List every sharing rule with its parameters and reference."""
    from sim.output import rules_document
    from sim.text import render_rules

    _emit(fmt, rules_document(), render_rules(lang))


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. Only this machine can reach the default; any other "
    "(e.g. 0.0.0.0) lets others on the network in, with a warning.",
)
@debug_option
def serve(file: str | None, port: int, host: str) -> None:
    """A local web page to explore an agreement: FILE (optional) opened first.

    Edit the agreement's terms (rule, shares, scope, window, compliance, floors, the
    other clauses) and the main inputs (discount rate, each firm's output and growth)
    in a form that checks as you type; see `sim compare`'s table, where each party's
    gain comes from and the report's figures update; move the pool share and see each
    party's NPV against standing alone and whether the share is acceptable; sweep one
    input over a range in the background (with progress, cancellable); switch
    English/中文; download the edited scenario (TOML) and the report (HTML, xlsx).

    \b
      pip install -e '.[serve]'            once: installs Flask
      sim serve scenarios/gaozhu.toml      then open http://127.0.0.1:8765
      sim serve --port 9000                start from the list of scenarios

    The page can open the shipped scenarios and the .toml/.xlsx files in this folder
    (and one folder down), or an uploaded file (at most 10 MB). The server reads
    nothing but those, and writes nothing outside this folder: it keeps edits in
    memory and writes only short-lived temporary files here (an upload being read, a
    report being made). Ctrl-C stops it.
    """
    from sim.web import make_app, make_server, warm_up
    from sim.web.guard import is_loopback

    scenario = _load(file) if file is not None else None
    local = is_loopback(host)
    app = make_app(
        Path.cwd(),
        scenario,
        name=file or "",
        loader=_load,  # files opened and uploaded on the page load as every command's do
    )
    server = make_server(app, host, port)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{server.server_port}/"
    if not local:
        echo(
            f"warning: listening on {host}, not only on this machine: anyone who can reach "
            f"it on port {server.server_port} can open the scenarios in {Path.cwd()}, "
            "upload files and read the results. Use this only on a network you trust; "
            "the default --host 127.0.0.1 keeps the page to this machine.",
            err=True,
        )
    echo(f"sim serve: open {url}  (folder {Path.cwd()}; Ctrl-C to stop)")
    warm_up(app)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("\nstopped")
    finally:
        server.server_close()


if __name__ == "__main__":  # pragma: no cover
    main()
