"""The ``sweep`` commands: run a sweep, summarise it, export it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from sim import i18n
from sim.cli.group import (
    EXIT_INTERRUPTED,
    SimPath,
    _DefaultToRun,
    _emit,
    debug_option,
    duration,
    echo,
    existing,
    format_option,
    lang_option,
    main,
    out_option,
    run_options,
)


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
@click.argument("file", type=SimPath(dir_okay=False))
@out_option("Results folder [default: results/<sweep file name>-sweep].")
@run_options
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
@click.argument("folder", type=SimPath())
@format_option
@lang_option
@debug_option
def sweep_summary(folder: str, fmt: str, lang: str) -> None:
    """Print the summary of the sweep stored in FOLDER (a `sim sweep` or a `sim portfolio
    sweep` folder)."""
    existing(folder, folder=True)
    import json

    from sim.portfolio import sweep_run

    try:  # the manifest says which kind of sweep the folder holds
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if isinstance(manifest, dict) and manifest.get("kind") == sweep_run.KIND:
        doc = sweep_run.summarize(Path(folder), manifest)  # overall, per park, the fund
        _emit(fmt, doc, sweep_run.render_summary(doc, lang))
        return
    from sim.sweep.summary import render_summary, summarize

    doc = summarize(folder)
    _emit(fmt, doc, render_summary(doc, lang))


@sweep.command("export")
@click.argument("folder", type=SimPath())
@click.option(
    "--to",
    "to",
    type=click.Choice(["ema", "salib"]),
    required=True,
    help="ema: experiments.csv and outcomes.csv; salib: salib_problem.json.",
)
@click.option(
    "--dest",
    type=SimPath(file_okay=False),
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
@lang_option
@debug_option
def sweep_export(
    folder: str, to: str, dest: str | None, force: bool, approximate: bool, lang: str
) -> None:
    """Export the sweep in FOLDER for EMA Workbench or SALib.

    SALib's problem dictionary has no discrete distribution and no correlation: a sweep
    with either is refused unless --approximate.
    """
    existing(folder, folder=True)
    from sim.sweep.execute import read_manifest
    from sim.sweep.export import export

    done = export(folder, to, dest, force=force, approximate=approximate)
    for path in done.paths:
        echo(i18n.t("wrote_path", lang, path=path))
    for a in done.approximations:
        echo(i18n.t("export_approximated", lang, line=a.text(lang)))
    if not read_manifest(Path(folder)).get("complete"):
        echo(i18n.t("export_incomplete", lang))
