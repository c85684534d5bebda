"""The analyses over a sweep file or folder: ``sensitivity``, ``robust`` and ``discover``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from sim.cli.group import (
    FORCE,
    SimPath,
    _emit,
    _wrote,
    debug_option,
    existing,
    format_option,
    lang_option,
    main,
    out_option,
)


@main.command()
@click.argument("file", type=SimPath(dir_okay=False))
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
@out_option("Folder for the index tables [default: results/<name>-sensitivity].")
@FORCE
@format_option
@lang_option
@debug_option
def sensitivity(
    file: str,
    methods: tuple[str, ...],
    n: int,
    seed: int | None,
    out: str | None,
    force: bool,
    fmt: str,
    lang: str,
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
        "notes": [note.text(lang) for note in result.notes],
        "tornado": result.tornado.to_dict(orient="records"),
        **{k: f.to_dict(orient="records") for k, f in frames.items() if f is not None},
    }
    from sim.sensitivity_tables import render, top_inputs

    doc["drivers"] = top_inputs(result).to_dict(orient="records")
    _emit(fmt, doc, render(spec, result, folder, lang))


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
@click.argument("file", type=SimPath())
@click.option(
    "--basis",
    type=click.Choice(["standalone", "source"]),
    default="standalone",
    show_default=True,
    help="A party accepts shares when it does at least as well as standing alone, or as "
    "with no agreement (a portfolio: over every park and the fund).",
)
@click.option(
    "--resolution",
    type=click.FloatRange(0.001, 0.25),
    default=None,
    help="Three or more parties: the grid step over the simplex [default: 0.01 for three, "
    "0.025 for four, 0.05 beyond].",
)
@out_option(
    "Folder for robust.json, the curve, the figure [default: results/<name>-robust-<lang>]."
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

    FILE is a sweep file, or the folder a sweep wrote (its stored inputs are used). In
    each scenario the agreement as written (scope, window, compliance, floors,
    clauses) gives each party's NPV as a function of the pool shares; a party accepts
    the shares that leave it at least as well off as its --basis. sim robust reports
    the shares every party accepts in the most scenarios
    and that probability (exact for two parties, on a grid for more), the curve of
    P(every party accepts) against the share, how the drafted ratio and the Shapley,
    nucleolus and Nash shares of the scenario as written compare, the shares best
    for the worst-off party on average, and Savage's minimax-regret choice among the
    sweep's agreements.

    A portfolio sweep file or folder (`sim portfolio sweep`): the package as drafted
    and each [[sweep.packages]] package, evaluated on the sweep's scenarios; the share
    of them in which every party gains overall, each party's mean gain, and the
    minimax-regret choice (docs/portfolio.md).

    \b
    Example:
      sim robust scenarios/sweeps/gaozhu.toml --lang zh
    """
    from sim.portfolio.decisions import open_portfolio_sweep

    found = open_portfolio_sweep(file)
    if found is not None:
        _portfolio_robust(file, *found, basis, out, force, lang, fmt)
        return
    from sim.decisions.robust import robust as run_robust
    from sim.files import check_free
    from sim.output import robust_document
    from sim.report import robust_figures, robust_tables
    from sim.sweep.spec import load_sweep
    from sim.text.decisions import render_robust

    if Path(file).is_dir():  # a sweep's folder: the sweep as it was run (its stored inputs)
        from sim.sweep.execute import read_manifest
        from sim.sweep.spec import stored_spec

        spec = stored_spec(Path(file), read_manifest(Path(file)))[0]
    else:
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


def _portfolio_robust(
    file: str, sweep: Any, table: Any, basis: str, out: str | None, force: bool, lang: str,
    fmt: str,
) -> None:  # fmt: skip
    """``sim robust`` on a portfolio sweep file or folder."""
    import pandas as pd

    from sim.files import check_free
    from sim.portfolio.decisions import render_robust, robust_document, write_decision
    from sim.portfolio.robust import portfolio_robust

    folder = Path(out) if out else Path("results") / f"{Path(file).stem}-robust-{lang}"
    check_free(folder, force=force)  # before the work, not after it
    result = portfolio_robust(sweep, table, basis)  # type: ignore[arg-type]
    document = robust_document(sweep, result)
    rows = [
        {"package": p["name"], "every_party_gains": p["every_party_gains"],
         "worst_off_mean_gain": p["worst_off_mean_gain"], "max_regret": p["max_regret"],
         **{f"{q}.{k}": v for q, d in p["parties"].items() for k, v in d.items()}}
        for p in document["packages"]
    ]  # fmt: skip
    text = render_robust(sweep, result, lang)
    if table is not None and len(table) < sweep.n:  # a run cut short: its scenarios so far
        from sim.style import Note

        text += "\n" + Note("partial", {"done": len(table), "n": sweep.n}).text(lang)
        document["partial"] = {"done": len(table), "n": sweep.n}
    write_decision(folder, "robust", sweep, document, {"packages": pd.DataFrame(rows)}, force=force)
    _emit(fmt, document, text + "\n\n" + _wrote(folder, lang))


def discover_folder(folder: str, party: str | None, holds: bool, lang: str) -> Path:
    """``sim discover``'s default folder: ``results/<folder>-discover[-<party>][-holds]-<lang>``,
    one of its own for each question asked of the same sweep.

    Examples
    --------
    >>> discover_folder("results/gaozhu-sweep", "SC", True, "zh").as_posix()
    'results/gaozhu-sweep-discover-SC-holds-zh'
    >>> discover_folder("results/gaozhu-sweep/", None, False, "en").as_posix()
    'results/gaozhu-sweep-discover-en'
    """
    parts = [Path(folder).name, "discover", *([party] if party else []), *["holds"] * holds]
    return Path("results") / "-".join([*parts, lang])


def _portfolio_discover(
    folder: str, sweep: Any, table: Any, party: str | None, holds: bool, boxes: int,
    density: float, mass_min: float, out: str | None, force: bool, lang: str, fmt: str,
) -> None:  # fmt: skip
    """``sim discover`` on a portfolio sweep folder: where a party loses overall."""
    from sim.files import check_free
    from sim.portfolio.decisions import discover_document, render_discover, write_decision
    from sim.portfolio.discover import portfolio_discover

    target = Path(out) if out else discover_folder(folder, party, holds, lang)
    check_free(target, force=force)
    result = portfolio_discover(
        sweep, table, party, holds=holds, boxes=boxes, density=density, mass_min=mass_min
    )
    if len(table) < sweep.n:  # a run cut short: its scenarios so far
        from sim.style import Note

        result.notes.append(Note("partial", {"done": len(table), "n": sweep.n}))
    document = discover_document(sweep, result)
    tables = {f"trajectory-{i + 1}": t for i, t in enumerate(result.trajectories)}
    write_decision(target, "discovery", sweep, document, tables, force=force)
    _emit(fmt, document, render_discover(sweep, result, lang) + "\n\n" + _wrote(target, lang))


@main.command()
@click.argument("folder", type=SimPath())
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
@out_option(
    "Folder for discovery.json, the trajectories and the figures "
    "[default: results/<folder>-discover[-<party>][-holds]-<lang>]."
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

    A `sim portfolio sweep` folder: the event is PARTY (any party) losing overall,
    its gain over no agreement over every park and the fund below zero.

    \b
    Example: when would Linshui be worse off than with no agreement?
      sim sweep scenarios/sweeps/gaozhu.toml --out results/gaozhu-sweep
      sim discover results/gaozhu-sweep --party SC --basis source
    """
    existing(folder, folder=True)
    from sim.portfolio.decisions import open_portfolio_sweep

    found = open_portfolio_sweep(folder)
    if found is not None and found[1] is not None:
        _portfolio_discover(folder, found[0], found[1], party, holds, boxes, density, mass_min,
                            out, force, lang, fmt)  # fmt: skip
        return
    from sim.decisions.discover import Event
    from sim.decisions.discover import discover as run_discover
    from sim.files import check_free
    from sim.output import discovery_document
    from sim.report import discovery_figures, discovery_tables
    from sim.style import Note
    from sim.sweep.execute import read_manifest, read_results
    from sim.sweep.spec import stored_spec
    from sim.text.decisions import render_discovery

    path = Path(folder)
    target = Path(out) if out else discover_folder(folder, party, holds, lang)
    check_free(target, force=force)  # before the work, not after it
    manifest = read_manifest(path)
    spec, changed = stored_spec(path, manifest)
    table = read_results(path)
    chosen = basis or ("standalone" if spec.standalone else "source")
    event = Event(rule, party, chosen, holds)  # type: ignore[arg-type]
    result = run_discover(spec, table, event, boxes=boxes, density=density, mass_min=mass_min)
    if changed:
        result.notes.append(changed)
    done = None
    if not manifest.get("complete"):
        done = result.scenarios + result.left_out
        result.notes.append(Note("partial", {"done": done, "n": spec.n}))
    document = discovery_document(spec, result)
    tables = {f"trajectory-{i + 1}": t for i, t in enumerate(result.trajectories)} | {
        "boxes": next(iter(discovery_tables(spec, result, "en").values()))
    }
    figures = discovery_figures(spec, result, lang, done)
    _write_decision(
        target, force, "discovery", spec, document, tables, figures, lang, fig_format,
        event=document["event"],
    )  # fmt: skip
    _emit(fmt, document, render_discovery(spec, result, lang) + "\n\n" + _wrote(target, lang))
