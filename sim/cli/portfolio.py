"""The commands on a portfolio of parks and a joint fund: ``sim portfolio run``,
``compare`` and ``settle`` (docs/portfolio.md)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sim.cli.group import (
    FORCE,
    SimPath,
    _emit,
    _wrote,
    debug_option,
    echo,
    format_option,
    lang_option,
    main,
    out_option,
    run_options,
)


@main.group()
def portfolio() -> None:
    """A portfolio: several parks, each with its own agreement, and a joint fund.

    \b
    sim portfolio run scenarios/portfolios/chengyu.toml
        per party and year, every stream of every park and the fund, by budget
    sim portfolio compare scenarios/portfolios/chengyu.toml
        park by park beside the package deal: core, Shapley, nucleolus, side payment
    sim portfolio settle scenarios/portfolios/chengyu.toml --year 2030
        the year's settlement netted into one payment per pair of treasuries
    """


@portfolio.command("validate")
@click.argument("files", nargs=-1, required=True, type=SimPath(dir_okay=False))
@lang_option
@debug_option
def validate(files: tuple[str, ...], lang: str) -> None:
    """Check portfolio FILES (and every park file they name); exit 0 when every one is
    valid, 1 when some is not (each problem with its key path)."""
    import sys

    from sim import i18n
    from sim.portfolio import PortfolioError, load_portfolio

    bad = False
    for file in files:
        try:
            p = load_portfolio(file)
        except PortfolioError as exc:
            bad = True
            echo(f"{i18n.t('error', lang)}{exc.message(lang)}", err=True)
            continue
        summary = i18n.t(
            "pf_valid",
            lang,
            name=p.name,
            parties=len(p.parties),
            parks=len(p.parks),
            fund=i18n.t("yes" if p.fund is not None else "no", lang),
        )
        echo(f"{i18n.t('ok', lang)}  {file}  {summary}")
    if bad:
        sys.exit(1)


def _consolidated(file: str):  # type: ignore[no-untyped-def]
    from sim.portfolio import consolidate, load_portfolio

    return consolidate(load_portfolio(file))


@portfolio.command("run")
@click.argument("file", type=SimPath(dir_okay=False))
@format_option
@lang_option
@debug_option
def run(file: str, fmt: str, lang: str) -> None:
    """Consolidated results of portfolio FILE.

    Every park run as `sim run` runs it alone, laid on the portfolio's parties (the
    fund's stake in a park's joint company taken off its parties' dividends and
    investment), and the fund: per party and year each stream and budget (general
    budget: tax; government-fund budget: land; state capital: dividends, investment and
    the fund), NPVs and gains over no agreement by park and overall.
    """
    from sim.portfolio.render import render_run, run_document

    c = _consolidated(file)
    _emit(fmt, run_document(c), render_run(c, lang))


@portfolio.command("compare")
@click.argument("file", type=SimPath(dir_okay=False))
@format_option
@lang_option
@debug_option
def compare(file: str, fmt: str, lang: str) -> None:
    """The package deal of portfolio FILE beside its parks one by one.

    Each party's NPV in each park against standing alone there, and over the whole
    portfolio against standing alone in every park; the portfolio's core, Shapley value
    and nucleolus; the smallest side payment that makes every party accept the package
    (and that puts it in the core), and the per-park pool ratios closest to the drafted
    ones that do.
    """
    from sim.portfolio import package
    from sim.portfolio.ratios import package_ratios, ratios_document, ratios_lines
    from sim.portfolio.render import compare_document, render_compare

    c = _consolidated(file)
    pk = package(c)
    ratios = package_ratios(c, pk)
    doc = {**compare_document(c, pk), "ratios": ratios_document(c, ratios)}
    _emit(fmt, doc, "\n".join([render_compare(c, pk, lang), *ratios_lines(c, ratios, lang)]))


@portfolio.command("settle")
@click.argument("file", type=SimPath(dir_okay=False))
@click.option("--year", type=int, required=True, help="The year to settle.")
@format_option
@lang_option
@out_option("Also write statement.xlsx and statement.docx to this folder.")
@FORCE
@debug_option
def settle(file: str, year: int, fmt: str, lang: str, out: str | None, force: bool) -> None:
    """The settlement of portfolio FILE for --year, netted across its parks.

    Each park's statement (as `sim settle` gives it for the park alone) by party of the
    portfolio, the park-by-park payments, and one payment per pair of treasuries
    across all the parks; the fund's account beside, not netted.
    """
    from sim.portfolio.statement import document, render, settle_portfolio, write

    st = settle_portfolio(_consolidated(file), year)
    if out is not None:
        write(st, out, lang, force=force)
    _emit(fmt, document(st), render(st, lang))
    if out is not None and fmt == "text":
        echo("\n" + _wrote(Path(out) / "statement.xlsx", lang) + ", statement.docx")


@portfolio.command("workbook")
@click.argument("file", type=SimPath(dir_okay=False))
@click.argument("out", type=SimPath(dir_okay=False))
@lang_option
@debug_option
def workbook(file: str, out: str, lang: str) -> None:
    """Write portfolio FILE (TOML) as the workbook OUT (.xlsx), park files relative to it.

    Sheets meta, parties, parks, fund, contributions, fund_shares, stakes and (with a
    [policy]) policy; with --lang zh each header and key carries its Chinese words in
    brackets. `sim portfolio run OUT` reads it back as it reads the TOML file. OUT must
    not exist: sim never replaces a scenario file or workbook.
    """
    from sim.errors import ResultsError
    from sim.i18n import Reason
    from sim.portfolio import load_portfolio
    from sim.portfolio.book import write_book
    from sim.portfolio.load import toml_data

    if os.path.lexists(out):  # never a user's file, nor FILE itself
        raise ResultsError(Reason("file_exists", dest=out))
    load_portfolio(file)  # a valid file only
    data = toml_data(Path(file).read_text(encoding="utf-8"), file)
    for park in data.get("parks", []):
        park["file"] = os.path.relpath(Path(file).parent / park["file"], Path(out).parent)
    write_book(data, out, lang)
    echo(_wrote(Path(out), lang))


@portfolio.command("sweep")
@click.argument("file", type=SimPath(dir_okay=False))
@out_option("Results folder [default: results/<sweep file name>-sweep].")
@run_options
@format_option
@lang_option
@debug_option
def sweep(
    file: str,
    out: str | None,
    chunk_size: int | None,
    executor: str,
    workers: int,
    scheduler: str | None,
    resume: bool,
    fmt: str,
    lang: str,
) -> None:
    """Sweep a portfolio over the scenarios of sweep FILE: each park's inputs
    (parks.<park>.<key path>), inputs common to every park (common.discount_rate,
    common.growth_shock) and correlations across parks, every park evaluated with the
    vectorised model and consolidated per scenario and party; writes Parquet parts,
    manifest.json and summary.json to --out and prints the summary per party, overall
    and per park."""
    from sim.portfolio.sweep_run import render_summary, run_portfolio_sweep

    folder = out if out is not None else str(Path("results") / f"{Path(file).stem}-sweep")
    summary = run_portfolio_sweep(
        file,
        folder,
        chunk_size=chunk_size,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
    )
    _emit(fmt, summary, render_summary(summary, lang) + "\n\n" + _wrote(Path(folder), lang))
