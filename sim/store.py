"""Run results: the tidy flows table and the manifest every result carries.

Files are written through :mod:`sim.files` (aside, then claimed atomically; never
replacing what ``sim`` did not write).
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.csv_safe import write_csv
from sim.files import new_folder, write_json
from sim.model import Result
from sim.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["flows_frame", "manifest", "versions", "write_json", "write_run"]

_PACKAGES = ("sim", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "click")


def versions() -> dict[str, str]:
    """Versions of Python and of every package a result depends on."""
    return dict(_versions())


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:
    """Looked up once per process: reading the installed packages' metadata takes ~15 ms
    (every sweep, run and report writes a manifest), and it cannot change under a running
    process that has imported them."""
    out = [("python", platform.python_version())]
    for name in _PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return tuple(out)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest(scenario: Scenario, **extra: Any) -> dict[str, Any]:
    """What a result came from: scenario hashes, versions, time and command."""
    scen: dict[str, Any] = {
        "name": scenario.name,
        "file": scenario.source,
        "digest": scenario.digest,
    }
    if Path(scenario.source).is_file():
        scen["file_sha256"] = file_sha256(scenario.source)
    return {
        "scenario": scen,
        **extra,
        "versions": versions(),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }


def flows_frame(scenario: Scenario, result: Result, index: int = 0) -> pd.DataFrame:
    """Yearly flows of one scenario as a tidy table.

    One row per party, year and stream, with columns ``scenario``, ``label``, ``rule``,
    ``party``, ``year``, ``stream``, ``value`` and ``unit``: ``label`` is the agreement's
    row as ``sim compare`` names it (``agreement`` for the file's own ``[sharing]``),
    ``rule`` its rule id. Streams are ``tax``, ``land``,
    ``dividends``, ``investment``, each further clause stream in use (what each party
    bears of it), ``net``, ``source_tax``, ``transfer``, ``upper_tier`` and, for each
    further clause stream, ``source_<stream>`` (what each party pays of it where it
    arises: ``source_incentives``, the rebates it pays its firms); the central share of
    tax appears under party ``central``.
    """
    import pandas as pd

    names = [*result.streams, "net", "source_tax", "transfers", "upper_tier"]
    paid = [f"source_{name}" for name in result.arising]  # paid where it arises
    records = []
    for i, party in enumerate(result.parties):
        for name in [*names, *paid]:
            if name in paid:
                values = result.at_source(name.removeprefix("source_"))[index, i]
            else:
                values = result.stream(name)[index, i]
            stream = "transfer" if name == "transfers" else name
            records += [
                (party, int(y), stream, float(v)) for y, v in zip(result.years, values, strict=True)
            ]
    records += [
        ("central", int(y), "tax", float(v))
        for y, v in zip(result.years, result.central[index], strict=True)
    ]
    frame = pd.DataFrame.from_records(records, columns=["party", "year", "stream", "value"])
    frame.insert(0, "rule", result.rule)
    frame.insert(0, "label", result.label)
    frame.insert(0, "scenario", scenario.name)
    frame["unit"] = scenario.unit
    return frame


def write_run(
    dest: str | Path, scenario: Scenario, result: Result, *, overwrite: bool = False
) -> Path:
    """Write ``flows.csv``, ``flows.parquet`` and ``manifest.json`` for one run.

    Through :func:`sim.files.new_folder`: atomic, never replacing anything but an earlier
    ``sim`` output (and that only with ``overwrite``).
    """
    frame = flows_frame(scenario, result)
    with new_folder(dest, force=overwrite, kind="run") as tmp:
        write_csv(tmp / "flows.csv", frame)
        frame.to_parquet(tmp / "flows.parquet", index=False)
        files = {name: file_sha256(tmp / name) for name in ("flows.csv", "flows.parquet")}
        source = Path(scenario.source) if scenario.source else None
        if source is not None and source.is_file():  # the inputs as run, for `sim report`
            (tmp / "inputs").mkdir()
            (tmp / "inputs" / f"scenario{source.suffix}").write_bytes(source.read_bytes())
        write_json(
            tmp / "manifest.json",
            manifest(
                scenario,
                kind="run",
                rule=result.rule,
                label=result.label,
                seed=None,
                rows=len(frame),
                files=files,
            ),
        )
    return Path(dest)
