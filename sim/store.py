"""The only module that writes results: tidy tables and a manifest, atomically.

A result folder is written beside its destination under a temporary name and renamed
into place only when every file in it is complete, so a failed or interrupted run
leaves no folder that looks whole.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ResultsError
from sim.model import STREAMS, Result
from sim.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["atomic_folder", "flows_frame", "manifest", "versions", "write_run"]

_PACKAGES = ("sim", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "click")


def versions() -> dict[str, str]:
    """Versions of Python and of every package a result depends on."""
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


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
    ``party``, ``year``, ``stream``, ``value`` and ``unit``. Streams are ``tax``, ``land``,
    ``dividends``, ``investment``, ``net``, ``source_tax``, ``transfer`` and
    ``upper_tier``; the central share of tax appears under party ``central``.
    """
    import pandas as pd

    names = [*STREAMS, "net", "source_tax", "transfers", "upper_tier"]
    records = []
    for i, party in enumerate(result.parties):
        for name in names:
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


@contextmanager
def atomic_folder(dest: str | Path, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``dest`` only if the block succeeds.

    Raises
    ------
    ResultsError
        If ``dest`` exists and is not empty, unless ``overwrite``.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ResultsError(f"{dest}: exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not overwrite:
        raise ResultsError(f"{dest}: folder exists and is not empty (use --force to replace it)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.partial-", dir=dest.parent))
    try:
        yield tmp
        old = None
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            dest.rename(old)
        tmp.rename(dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(
    dest: str | Path, scenario: Scenario, result: Result, *, overwrite: bool = False
) -> Path:
    """Write ``flows.csv``, ``flows.parquet`` and ``manifest.json`` for one run."""
    frame = flows_frame(scenario, result)
    with atomic_folder(dest, overwrite=overwrite) as tmp:
        frame.to_csv(tmp / "flows.csv", index=False)
        frame.to_parquet(tmp / "flows.parquet", index=False)
        files = {name: file_sha256(tmp / name) for name in ("flows.csv", "flows.parquet")}
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
