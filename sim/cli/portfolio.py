"""The commands on a portfolio of parks and a joint fund: ``sim portfolio run``,
``compare`` and ``settle`` (docs/portfolio.md)."""

from __future__ import annotations

import click

from sim.cli.group import _emit, debug_option, format_option, lang_option, main


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


def _consolidated(file: str):  # type: ignore[no-untyped-def]
    from sim.portfolio import consolidate, load_portfolio

    return consolidate(load_portfolio(file))


@portfolio.command("run")
@click.argument("file", type=click.Path(dir_okay=False))
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
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@lang_option
@debug_option
def compare(file: str, fmt: str, lang: str) -> None:
    """The package deal of portfolio FILE beside its parks one by one.

    Each party's NPV in each park against standing alone there, and over the whole
    portfolio against standing alone in every park; the portfolio's core, Shapley value
    and nucleolus; the smallest side payment that makes every party accept the package
    (and that puts it in the core).
    """
    from sim.portfolio import package
    from sim.portfolio.render import compare_document, render_compare

    c = _consolidated(file)
    pk = package(c)
    _emit(fmt, compare_document(c, pk), render_compare(c, pk, lang))


@portfolio.command("settle")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--year", type=int, required=True, help="The year to settle.")
@format_option
@lang_option
@debug_option
def settle(file: str, year: int, fmt: str, lang: str) -> None:
    """The settlement of portfolio FILE for --year, netted across its parks.

    Each park's statement (as `sim settle` gives it for the park alone) by party of the
    portfolio, the park-by-park payments, and one payment per pair of treasuries
    across all the parks; the fund's account beside, not netted.
    """
    from sim.portfolio.statement import document, render, settle_portfolio

    st = settle_portfolio(_consolidated(file), year)
    _emit(fmt, document(st), render(st, lang))
