"""Hand a sweep to other tools: EMA Workbench's tables and SALib's problem dictionary.

- ``ema``: ``experiments.csv`` (one row per scenario × agreement: every swept parameter,
  then ``scenario``, ``policy`` = the agreement and ``model`` = the scenario name, the
  columns EMA Workbench's ``experiments`` DataFrame has) and ``outcomes.csv`` (the
  outcome arrays, aligned row for row). ``x = pd.read_csv("experiments.csv")`` and
  ``y = pd.read_csv("outcomes.csv")["npv.SC"].to_numpy() < 0`` go straight into
  ``ema_workbench.analysis.prim.Prim(x, y, …)``.
- ``salib``: ``salib_problem.json``, the problem dictionary SALib's analysers take
  (``num_vars``, ``names``, ``bounds``, ``dists``), with SALib's distribution names.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sim.errors import ResultsError

__all__ = ["export"]


def salib_problem(parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """SALib's problem dictionary from parameters as the manifest records them."""
    names, bounds, dists = [], [], []
    for p in parameters:
        names.append(p["path"])
        a, kind = p["args"], p["distribution"]
        if kind == "uniform":
            bounds.append([a["low"], a["high"]])
            dists.append("unif")
        elif kind == "triangular":
            width = a["high"] - a["low"]
            bounds.append([a["low"], a["high"], (a["mode"] - a["low"]) / width if width else 0.5])
            dists.append("triang")
        elif kind == "normal" and "low" not in a and "high" not in a:
            bounds.append([a["mean"], a["sd"]])
            dists.append("norm")
        elif kind == "normal":
            bounds.append([a.get("low", -math.inf), a.get("high", math.inf), a["mean"], a["sd"]])
            dists.append("truncnorm")
        elif kind == "lognormal":
            bounds.append([a["mu"], a["sigma"]])
            dists.append("lognorm")
        else:  # values and choice: the range they span
            bounds.append([min(p["values"]), max(p["values"])])
            dists.append("unif")
    return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}


def export(
    folder: str | Path, to: str, dest: str | Path | None = None, *, force: bool = False
) -> list[Path]:
    """Write the ``to`` (``ema`` or ``salib``) files for the sweep in ``folder``.

    Into the folder ``dest`` (default ``FOLDER/export-<to>``), written aside and claimed
    atomically; text cells that a spreadsheet would read as formulas are prefixed.
    """
    from sim.csv_safe import write_csv
    from sim.files import new_folder, write_json
    from sim.sweep.execute import read_manifest, read_results

    if to not in ("ema", "salib"):
        raise ResultsError(f"unknown export {to!r} (ema, salib)")
    folder = Path(folder)
    manifest = read_manifest(folder)
    out = Path(dest) if dest is not None else folder / f"export-{to}"
    if to == "salib":
        with new_folder(out, force=force, kind="export") as tmp:
            problem = salib_problem(manifest["sweep"]["parameters"])
            # strict JSON has no Infinity: an open end of a truncated normal is null
            problem["bounds"] = [
                [None if isinstance(b, float) and math.isinf(b) else b for b in row]
                for row in problem["bounds"]
            ]
            write_json(tmp / "salib_problem.json", problem)
        return [out / "salib_problem.json"]
    frame = read_results(folder)
    params = [p["path"] for p in manifest["sweep"]["parameters"]]
    experiments = frame[params].copy()
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
    return [out / name for name in names]
