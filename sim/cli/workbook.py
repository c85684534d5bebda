"""``sim template`` and ``sim convert``: scenario files to fill in, and from one format
to another."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sim.cli.group import (
    SimPath,
    _set_lang,
    _wrote,
    debug_option,
    echo,
    input_lang,
    main,
)
from sim.i18n import Reason


def _write_scenario(
    source: str | None, dest: str, lang: str, command: str, told: str | None = None
) -> str:
    """Write the scenario at ``source`` (default: the reference) to ``dest`` in the format
    its suffix names (a workbook's sheets in ``lang``); the line that says so, in
    ``told`` (default ``lang``)."""
    from sim.convert import FORMATS, REFERENCE, reference, render
    from sim.errors import ResultsError
    from sim.files import new_file
    from sim.scenario import read

    out = Path(dest)
    if out.suffix.lower() not in FORMATS:
        raise click.UsageError(f"{dest}: name it .xlsx (a workbook) or .toml (a scenario file)")
    if os.path.lexists(out):
        raise ResultsError(Reason("file_exists", dest=dest))
    path = source or str(REFERENCE)
    scenario, data = read(path) if source else reference(lang)  # the reference in lang
    header = (f"{scenario.title}", f"written by `sim {command}` from {Path(path).name}")
    new_file(out, render(scenario, data, out.suffix.lower(), lang=lang, header=header))
    counts = (len(scenario.parties), len(scenario.firms), len(scenario.land_sales),
              len(scenario.compare))  # fmt: skip
    from sim import i18n

    lang = told or lang
    nouns = (
        ("count_party", "count_parties"),
        ("count_firm", "count_firms"),
        ("count_sale", "count_sales"),
        ("count_alternative", "count_alternatives"),
    )
    what = i18n.listing(
        (
            i18n.t(one if n == 1 else many, lang, n=n)
            for n, (one, many) in zip(counts, nouns, strict=True)
        ),
        lang,
    )
    return i18n.t("wrote_what", lang, wrote=_wrote(out, lang), name=scenario.name, what=what)


def _sheet_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """Typed, --lang is also the language of the messages (as on every command)."""
    return _set_lang(ctx, param, value) if value is not None else "en"


SHEET_LANG = click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    show_default="en",
    callback=_sheet_lang,
    help="A workbook's sheet names, headers, units and notes in English or Chinese "
    "(either reads back).",
)


@main.command()
@click.argument("file", type=SimPath(dir_okay=False))
@click.option(
    "--from",
    "source",
    type=SimPath(dir_okay=False),
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
@click.argument("source", type=SimPath(dir_okay=False))
@click.argument("dest", type=SimPath(dir_okay=False))
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
    given = click.get_current_context().find_root().ensure_object(dict).get("lang_given")
    told = lang if given else input_lang({"file": source})  # a Chinese workbook's: Chinese
    echo(_write_scenario(source, dest, lang, "convert", told))
