"""``sim report`` and ``sim plot``: a report or one figure of a scenario or a results folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from sim import i18n
from sim.cli.group import (
    FORCE,
    SimPath,
    _load,
    debug_option,
    echo,
    existing,
    lang_option,
    main,
    out_option,
)
from sim.i18n import Reason
from sim.style import FIGURE_KINDS, figure_kind, label

FIG_FORMAT = click.option(
    "--format",
    "fig_format",
    type=click.Choice(["png", "svg", "pdf"]),
    default="png",
    show_default=True,
    help="Figure file format.",
)


def _report_for(target: str, lang: str, kind: str | None = None) -> Any:
    """The report of ``target``; ``kind``: only that figure is wanted (``sim plot``), so a
    sweep's analyses that draw other figures are skipped."""

    from sim.errors import ResultsError
    from sim.report import run_report, scenario_report, sensitivity_report, sweep_report

    path = Path(target)
    if not path.is_dir():
        from sim.portfolio.report import is_portfolio, report_of_file

        if is_portfolio(path):  # several parks and a joint fund (docs/portfolio.md)
            return report_of_file(path, lang)
        return scenario_report(_load(target), lang)
    stored = _stored_kind(path)
    if stored == "run":
        return run_report(path, lang)
    if stored == "sensitivity":
        from sim.sensitivity import read_sensitivity

        spec, result, changed = read_sensitivity(path)
        if changed:
            result.notes.append(changed)
        return sensitivity_report(spec, result, lang)
    if stored == "sweep":
        return sweep_report(path, lang, only=None if kind is None else (kind,))
    if stored == "robust":
        return _robust_report(path, lang)
    if stored == "portfolio sweep":
        from sim.portfolio.sweep_report import portfolio_sweep_report

        return portfolio_sweep_report(path, lang)
    of = {"discovery": "discover"}.get(str(stored), str(stored)) if stored else ""
    told = Reason("folder_of", command=of) if of else ""
    raise ResultsError(Reason("not_report_folder", folder=str(path), kind=told))


def _stored_kind(path: Path) -> object:
    """What a results folder holds, as its manifest says (None: no manifest)."""
    import json

    try:
        return json.loads((path / "manifest.json").read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None


def _robust_report(path: Path, lang: str) -> Any:
    """The report of a `sim robust` folder: the analysis again on the sweep file it
    records (it stores its results, not the scenarios' values), which must be unchanged."""
    import json

    from sim.decisions.robust import robust
    from sim.errors import ResultsError, SweepError
    from sim.report import robust_report
    from sim.sweep.spec import load_sweep

    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    source = str(manifest.get("sweep", ""))
    try:
        spec = load_sweep(source)
    except SweepError:
        raise ResultsError(Reason("robust_sweep_gone", folder=str(path), sweep=source)) from None
    if spec.digest != manifest.get("sweep_digest"):
        raise ResultsError(Reason("robust_sweep_changed", folder=str(path), sweep=source))
    try:
        best = json.loads((path / "robust.json").read_text(encoding="utf-8"))["best"]
        resolution = best["resolution"] if len(spec.scenario.party_ids) > 2 else None
    except (OSError, ValueError, KeyError, TypeError):
        resolution = None
    return robust_report(
        spec, robust(spec, manifest.get("basis", "standalone"), resolution=resolution), lang
    )


@main.command()
@click.argument("target", type=SimPath())
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
@out_option(
    "Folder to write [default: results/<name>-report-<lang>, "
    "with --to docx results/<name>-report-<lang>-docx]."
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
    """A report of TARGET: a scenario file, or a folder of `sim run --out`, `sim sweep`,
    `sim sensitivity` or `sim robust` (computed again from the sweep file it records).

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

    existing(target)
    if to == "docx" and ctx.get_parameter_source("fig_format") is ParameterSource.COMMANDLINE:
        raise click.UsageError("--format is for the figure files of --to html; a docx embeds PNG")
    rep = _report_for(target, lang)
    suffix = "-docx" if to == "docx" else ""
    folder = Path(out) if out else Path("results") / f"{Path(target).stem}-report-{lang}{suffix}"
    if to == "docx":
        from sim.report_docx import write_docx_report

        path = write_docx_report(rep, folder, force=force)
        figures = i18n.count(len(rep.figures), "figures", lang)
        echo(i18n.t("wrote_docx", lang, path=path, figures=figures))
        return
    from sim.report import write_report

    paths = write_report(rep, folder, fig_format, force=force)
    figures = i18n.count(len(paths) - 2, "figures", lang)
    echo(i18n.t("wrote_report", lang, path=paths[0], tables=paths[1].name, figures=figures))


@main.command()
@click.argument("target", type=SimPath())
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
    type=SimPath(dir_okay=False),
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
    existing(target)
    indices = ("sobol", "shapley")  # one computation: Shapley effects if inputs are correlated
    if kind in ("tornado", *indices, "morris") and not Path(target).is_dir():
        from sim.report import sensitivity_report
        from sim.sensitivity import sensitivity
        from sim.sweep.spec import load_sweep

        spec = load_sweep(target)  # computed as `sim sensitivity FILE` computes it
        methods = {"tornado": (), "shapley": ("sobol",)}.get(kind, (kind,))
        rep = sensitivity_report(spec, sensitivity(spec, methods=methods), lang)
    else:
        rep = _report_for(target, lang, kind)
    from sim.errors import ResultsError

    figures = [f for f in rep.figures if figure_kind(f.key) == kind]
    if not figures:
        other = {"sobol": "shapley", "shapley": "sobol"}.get(kind, "")
        if other and any(f.key.startswith(f"{other}-") for f in rep.figures):
            why = "correlated" if other == "shapley" else "independent"
            by = label("shapley_effects" if other == "shapley" else "sobol", lang)
            raise ResultsError(
                Reason("no_figure_split", target=target, kind=kind, why=why, by=by, other=other)
            )
        if Path(target).is_dir() and _stored_kind(Path(target)) == "sweep":
            rep = _report_for(target, lang)  # all its figures (it skipped the others')
        kinds = ", ".join(dict.fromkeys(str(figure_kind(f.key)) for f in rep.figures))
        raise ResultsError(Reason("no_figure", target=target, kind=kind, kinds=kinds or "—"))
    # a figure per party is keyed kind-party; PRIM's, kind-box-party (the first box first)
    box = r"\d+-" if kind in ("tradeoff", "box") else ""
    whose_of = {f.key: re.sub(rf"^{kind}-{box}", "", f.key) for f in figures if f.key != kind}
    each = list(dict.fromkeys(whose_of.values()))
    if party is not None:
        if party not in each:
            told = (
                Reason("figure_parties", parties=", ".join(each))
                if each
                else Reason("not_per_party")
            )
            raise ResultsError(Reason("no_party_figure", party=party, kind=kind, whose=told))
        figures = [f for f in figures if whose_of.get(f.key) == party]
    from sim.files import new_file

    path = Path(out) if out else Path("results") / f"{Path(target).stem}-{kind}.{fig_format}"
    new_file(path, figures[0].render(lang, fig_format), force=force)
    if len(each) > 1:
        shown = party or each[0]
        others = ", ".join(p for p in each if p != shown)
        echo(i18n.t("wrote_whose", lang, path=path, shown=shown, others=others))
    else:
        echo(i18n.t("wrote_path", lang, path=path))
