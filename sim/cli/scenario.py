"""The commands on one scenario: ``validate``, ``run``, ``settle``, ``compare``,
``game`` and ``rules``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sim import i18n
from sim.cli.group import (
    FORCE,
    SimPath,
    _DefaultToScenario,
    _emit,
    _load,
    _wrote,
    debug_option,
    echo,
    format_option,
    lang_option,
    main,
    out_option,
    told,
)
from sim.errors import ScenarioError
from sim.i18n import Reason

if TYPE_CHECKING:
    from sim.schema.typed import ReadAs


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
        which = Reason("memory_default") if default else "--max-memory"
        raise BudgetError(
            Reason(
                "game_memory",
                path=path,
                n=n,
                need=format_bytes(need),
                limit=format_bytes(limit),
                which=which,
                gb=_round_up_gb(need),
            )
        )


def _round_up_gb(n: int) -> int:
    return max(1, -(-n // 2**30))


@main.command()
@click.argument("files", nargs=-1, required=True, type=SimPath(dir_okay=False))
@format_option
@lang_option
@debug_option
def validate(files: Sequence[str], fmt: str, lang: str) -> None:
    """Check scenario and sweep FILES; exit 0 when every one is valid.

    Every problem in a file is reported at once, each with its key path
    (e.g. firms.battery-plant.growth) and the reason. A file with a [sweep] table is checked as
    a sweep (its base scenario included).
    """
    reports = []
    for path in files:
        try:
            said = _said(path, lang)  # --lang where typed, else a workbook's own language
            summary, notes = _validate_one(path, said)
        except ScenarioError as exc:
            # in --lang where it was typed, else in the workbook's own language
            said = told(click.get_current_context(), exc)
            reports.append(
                {
                    "file": path,
                    "valid": False,
                    "problems": [
                        {
                            "path": p.path,
                            "reason": p.reason_text(said),
                            **({"where": p.where} if p.where else {}),
                        }
                        for p in exc.problems
                    ],
                }
            )
            if fmt == "text":
                echo(f"{i18n.t('error', said)}{exc.message(said)}", err=True)
            continue
        read_as = [{**n.as_dict(), "text": n.text(said)} for n in notes]
        reports.append({"file": path, "valid": True, "problems": [], "read_as": read_as})
        if fmt == "text":
            echo(
                f"{i18n.t('ok', said)}  {path}  {i18n.pick(said, f'({summary})', f'（{summary}）')}"
            )
            for note in notes:  # what was read differently from how it was typed
                if note.tells(said):
                    echo(f"  {note.text(said)}")
    if fmt == "json":
        from sim.files import dumps

        echo(dumps({"files": reports}))
    if not all(r["valid"] for r in reports):
        sys.exit(1)


def _said(path: str, lang: str) -> str:
    """The language to report on ``path`` in: ``--lang`` where it was typed, else the
    workbook's own (a Chinese workbook is answered in Chinese)."""
    from sim.scenario import WORKBOOK_SUFFIXES

    given = (click.get_current_context().find_root().obj or {}).get("lang_given")
    if given or Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return lang
    from sim.workbook.bounds import workbook_lang

    return workbook_lang(path)


def _validate_one(path: str, lang: str = "en") -> tuple[str, list[ReadAs]]:
    """Load a scenario or sweep file; a one-line description of what it holds, and each
    value read differently from how it was typed (``50%`` read as 0.5)."""
    from sim.errors import read_input_bytes
    from sim.scenario import WORKBOOK_SUFFIXES, read_noted

    workbook = Path(path).suffix.lower() in WORKBOOK_SUFFIXES
    # bytes: a file of another kind (an .xls) is told what it is by read_noted; a pipe
    # (`sim validate <(…)`) is read once, as a scenario: a second read finds it empty
    sniff = not workbook and (not os.path.exists(path) or Path(path).is_file())
    if sniff and b"[sweep" in read_input_bytes(path, ScenarioError):
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
@click.argument("file", type=SimPath(dir_okay=False))
@format_option
@out_option("Also write the yearly flows (CSV and Parquet) and a manifest to this folder.")
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
        echo("\n" + i18n.t("wrote_run", lang, path=Path(out) / "flows.csv"))


@main.command()
@click.argument("file", type=SimPath(dir_okay=False))
@click.option("--year", type=int, required=True, help="The year to settle (of the horizon).")
@format_option
@lang_option
@out_option("Also write statement.xlsx and statement.docx to this folder.")
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
@click.argument("files", nargs=-1, required=True, type=SimPath(dir_okay=False))
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
                        Reason(
                            "side_by_side",
                            first=files[0],
                            parties=", ".join(first.party_ids),
                            unit=first.unit,
                            got=", ".join(sc.party_ids),
                            got_unit=sc.unit,
                        ),
                    )
                ],
            )
    comparisons = [compare_scenario(sc) for sc in scenarios]
    _emit(fmt, files_document(comparisons), render_files(comparisons, lang))


@main.group(cls=_DefaultToScenario)
def game() -> None:
    """Cooperative-game analysis: `sim game FILE.toml` or `sim game solve FILE.json`.

    \b
    sim game scenarios/gaozhu.toml
        the scenario's coalition values, its core, the fair-division allocations
        and the range of pool shares every party (and coalition) can accept
    sim game solve problem.json [--rule shapley]...
        a game, claims or bargaining problem typed in by hand (formats: docs/commands.md)
    """


@game.command("scenario", hidden=True)
@click.argument("file", type=SimPath(dir_okay=False))
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
@click.argument("file", type=SimPath(dir_okay=False))
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


@main.command()
@format_option
@lang_option
@debug_option
def rules(fmt: str, lang: str) -> None:
    """List every sharing rule with its parameters and reference."""
    from sim.output import rules_document
    from sim.text import render_rules

    _emit(fmt, rules_document(), render_rules(lang))
