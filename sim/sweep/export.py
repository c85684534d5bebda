"""Hand a sweep to other tools: EMA Workbench's tables and SALib's problem dictionary.

- ``ema``: ``experiments.csv`` (one row per scenario × agreement: every swept parameter,
  then ``scenario``, ``policy`` = the agreement and ``model`` = the scenario name, the
  columns EMA Workbench's ``experiments`` DataFrame has) and ``outcomes.csv`` (the
  outcome arrays, aligned row for row). ``x = pd.read_csv("experiments.csv")`` and
  ``y = pd.read_csv("outcomes.csv")["npv.SC"].to_numpy() < 0`` go straight into
  ``ema_workbench.analysis.prim.Prim(x, y, …)``.
- ``salib``: ``salib_problem.json``, the problem dictionary SALib's analysers take
  (``num_vars``, ``names``, ``bounds``, ``dists``), with SALib's distribution names.
  What it cannot express (a discrete choice, a correlation) is refused, or with
  ``approximate`` written as a uniform / independent inputs and listed in ``NOTE.txt``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import ResultsError
from sim.i18n import Reason
from sim.schema import is_year

__all__ = ["Approximation", "Exported", "export", "salib_problem"]

NOTE_FILE = "NOTE.txt"


OPEN_END_SDS = 40.0
"""How many standard deviations from the mean an open end of a truncated normal is written
at: SALib's ``truncnorm`` needs two finite bounds (strict JSON has no infinity), and the
normal's tail beyond 40 sd (about 4e-350) is below the smallest double, so the values
SALib draws are the same bits as with an open end."""


@dataclass(frozen=True)
class Approximation:
    """Something of a sweep that SALib's problem dictionary cannot say, and what an
    ``approximate`` export writes instead."""

    parameter: str
    """The parameter's key path, or ``correlation`` (the parameters it joins in ``why``)."""
    why: str
    """What the sweep has that SALib cannot express."""
    written: str
    """What the export writes in its place."""

    def text(self) -> str:
        """One line: the parameter, why, and what was written."""
        return f"{self.parameter}: {self.why}; written as {self.written}"


def _discrete(p: Mapping[str, Any], weights: list[float] | None) -> str:
    values = p["values"]
    if p["distribution"] == "values" and weights is None:
        listed = ", ".join(f"{v:g}" for v in values)
        return f"takes only the values {listed} (SALib has no discrete distribution)"
    w = [float(x) for x in weights] if weights else [1.0] * len(values)
    each = ", ".join(f"{v:g} ({q / sum(w):.0%})" for v, q in zip(values, w, strict=True))
    return f"a discrete choice of {each} (SALib has no discrete distribution)"


def salib_problem(
    parameters: list[dict[str, Any]], table: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[Approximation]]:
    """SALib's problem dictionary from parameters as the manifest records them (and the
    ``[sweep]`` table as written, for choice weights and correlations), and what of the
    sweep it does not hold.

    SALib's ``dists`` (``SALib.util._nonuniform_scale_samples``, SALib 1.4–1.6): ``unif``
    ``[low, high]``; ``triang`` ``[low, high, peak as a fraction of the width]`` with the
    peak in [0, 1); ``norm`` ``[mean, sd]``; ``truncnorm`` ``[low, high, mean, sd]``;
    ``lognorm`` ``[μ, σ]`` of the logarithm. It has no discrete distribution and no
    correlation: a ``choice``, a list of values and a correlation are approximations
    (a uniform over the values' range; independent inputs), and so is a triangular
    distribution peaking at its upper end (written peaking just below it).
    """
    raw = dict((table or {}).get("parameters", {}))
    names, bounds, dists = [], [], []
    approx: list[Approximation] = []
    for p in parameters:
        path = p["path"]
        names.append(path)
        a, kind = p["args"], p["distribution"]
        if kind == "uniform":
            bounds.append([a["low"], a["high"]])
            dists.append("unif")
        elif kind == "triangular":
            width = a["high"] - a["low"]
            peak = (a["mode"] - a["low"]) / width if width else 0.5
            if peak >= 1:
                peak = math.nextafter(1.0, 0.0)
                approx.append(
                    Approximation(
                        path,
                        "a triangular distribution peaking at its upper end (SALib's triang "
                        "takes a peak below 1)",
                        f"triang with peak {peak!r} of the width",
                    )
                )
            bounds.append([a["low"], a["high"], peak])
            dists.append("triang")
        elif kind == "normal" and "low" not in a and "high" not in a:
            bounds.append([a["mean"], a["sd"]])
            dists.append("norm")
        elif kind == "normal":
            far = OPEN_END_SDS * a["sd"]
            lo, hi = a.get("low", a["mean"] - far), a.get("high", a["mean"] + far)
            bounds.append([lo, hi, a["mean"], a["sd"]])
            dists.append("truncnorm")
        elif kind == "lognormal":
            bounds.append([a["mu"], a["sigma"]])
            dists.append("lognorm")
        else:  # values and choice: no discrete distribution in SALib
            given = raw.get(path)
            weights = given.get("weights") if isinstance(given, Mapping) else None
            lo, hi = min(p["values"]), max(p["values"])
            bounds.append([lo, hi])
            dists.append("unif")
            approx.append(
                Approximation(
                    path,
                    _discrete(p, weights),
                    f"a continuous uniform on [{lo:g}, {hi:g}]",
                )
            )
    approx += _correlations((table or {}).get("correlation"))
    problem = {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}
    return problem, approx


def _correlations(corr: Any) -> list[Approximation]:
    """Each correlated pair of a ``[sweep.correlation]`` table as written."""
    if not isinstance(corr, Mapping):
        return []
    among, matrix = list(corr.get("parameters", [])), corr.get("matrix", [])
    kind = "Spearman rank" if corr.get("kind") == "rank" else "Gaussian-copula"
    pairs = [(i, j) for i in range(len(among)) for j in range(i + 1, len(among))]
    return [
        Approximation(
            "correlation",
            f"{among[i]} and {among[j]} have a {kind} correlation of {matrix[i][j]:g} "
            "(SALib's problem dictionary has no correlations)",
            "independent inputs",
        )
        for i, j in pairs
        if matrix[i][j] != 0
    ]


@dataclass(frozen=True)
class Exported:
    """The files an export wrote, and what of the sweep they only approximate."""

    paths: tuple[Path, ...]
    approximations: tuple[Approximation, ...] = ()


def _refusal(folder: Path, approx: list[Approximation]) -> ResultsError:
    lines = [
        f"  {'sweep.correlation' if a.parameter == 'correlation' else a.parameter}: {a.why}"
        for a in approx
    ]
    n = len(approx)
    return ResultsError(
        f"{folder}: SALib's problem dictionary cannot express {n} thing{'s' if n != 1 else ''} "
        "of this sweep; nothing was written\n"
        + "\n".join(lines)
        + "\nadd --approximate to export anyway: each approximation is then printed and "
        f"written to {NOTE_FILE} beside salib_problem.json"
    )


def _note(folder: Path, approx: list[Approximation]) -> str:
    return (
        f"salib_problem.json approximates the sweep in {folder}:\n"
        + "".join(f"- {a.text()}\n" for a in approx)
        + "Samples drawn from it are not the sweep's scenarios, and indices computed on them "
        "describe the approximated model.\n"
    )


def export(
    folder: str | Path,
    to: str,
    dest: str | Path | None = None,
    *,
    force: bool = False,
    approximate: bool = False,
) -> Exported:
    """Write the ``to`` (``ema`` or ``salib``) files for the sweep in ``folder``.

    Into the folder ``dest`` (default ``FOLDER/export-<to>``), written aside and claimed
    atomically; text cells that a spreadsheet would read as formulas are prefixed.

    Raises
    ------
    ResultsError
        For ``salib``, if the sweep has what SALib's problem dictionary cannot express
        (see :func:`salib_problem`), unless ``approximate``: then the export is written
        with a ``NOTE.txt`` listing each approximation.
    """
    from sim.csv_safe import write_csv
    from sim.files import new_folder, write_json
    from sim.sweep.execute import read_manifest, read_results

    if to not in ("ema", "salib"):
        raise ResultsError(Reason("unknown_export", got=repr(to)))
    folder = Path(folder)
    manifest = read_manifest(folder)
    out = Path(dest) if dest is not None else folder / f"export-{to}"
    if to == "salib":
        sweep = manifest["sweep"]
        problem, approx = salib_problem(sweep["parameters"], sweep.get("table"))
        if approx and not approximate:
            raise _refusal(folder, approx)
        names = ["salib_problem.json"] + ([NOTE_FILE] if approx else [])
        with new_folder(out, force=force, kind="export") as tmp:
            write_json(tmp / names[0], problem)
            if approx:
                (tmp / NOTE_FILE).write_text(_note(folder, approx), encoding="utf-8")
        return Exported(tuple(out / name for name in names), tuple(approx))
    frame = read_results(folder)
    params = [p["path"] for p in manifest["sweep"]["parameters"]]
    experiments = frame[params].copy()
    for path in filter(is_year, params):  # a swept year whole: 2025, not 2025.0
        experiments[path] = experiments[path].round().astype("int64")
    experiments["scenario"] = frame["scenario"].to_numpy()
    experiments["policy"] = frame["rule"].to_numpy()
    experiments["model"] = manifest["scenario"]["name"]
    outcomes = frame[[c for c in frame.columns if c.startswith(("npv.", "gain_"))]]
    names = ["experiments.csv", "outcomes.csv", "export.json"]
    done = int(frame["scenario"].nunique())
    with new_folder(out, force=force, kind="export") as tmp:
        write_csv(tmp / names[0], experiments)
        write_csv(tmp / names[1], outcomes)
        write_json(
            tmp / names[2],
            {
                "sweep": manifest["sweep"]["file"],
                "sweep_digest": manifest["sweep"]["digest"],
                "complete": bool(manifest.get("complete")),
                "scenarios_done": done,
                "n": manifest["sweep"]["n"],
                "note": ""
                if manifest.get("complete")
                else f"incomplete: {done:,} of {manifest['sweep']['n']:,} scenarios",
            },
        )
    return Exported(tuple(out / name for name in names))
