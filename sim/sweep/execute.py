"""Run a sweep into a results folder: chunk by chunk, atomically, resumably, anywhere.

Layout of a sweep folder::

    manifest.json        what ran: sweep and scenario hashes, seed, design, n, chunking,
                         versions, start and end, counts; "complete" once every chunk is in
    parts/part-000000.parquet, …   one file per chunk, each written atomically
    summary.json         the summary, once complete

A chunk file appears only when it is whole (written under a temporary name, then
renamed), so an interrupted sweep leaves complete chunks and nothing half-written;
``resume`` computes the missing ones. A folder that holds another sweep (another
hash) or anything else is never written into.

Executors: ``local`` (this process, the vectorised model), ``processes`` (a local pool
of ``workers``), ``dask`` (a Dask distributed cluster: ``scheduler`` address, or a
local cluster on the loopback interface). Chunks are the same whatever runs them, and
so are the numbers: a scenario's values depend only on its index and the seed.

Progress is reported block by block within a chunk run in this process (a chunk is
evaluated in blocks of about a quarter of a second), chunk by chunk from workers; a
long sweep is first timed on a pilot whose results are discarded (:func:`pilot_seconds`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ResultsError
from sim.i18n import Reason
from sim.schema import input_value
from sim.sweep.manifest import read_manifest as read_manifest
from sim.sweep.spec import SweepSpec, load_sweep

if TYPE_CHECKING:
    from sim.sweep.summary import Kept

__all__ = ["SweepOutcome", "read_results", "run_sweep"]

Progress = Callable[[int, int], None]
"""Called with (scenarios done, scenarios in all) as the sweep advances: after each
block of a chunk run in this process, after each chunk run elsewhere."""
Estimate = Callable[[float], None]
"""Called once before the chunks run with the sweep's estimated seconds."""

DEFAULT_CHUNK = 65_536
MAX_SCENARIOS = 100_000_000
"""Largest sweep run without ``--max-scenarios`` (about 40 GB of results for two parties)."""
GAME_BYTES_PER_CHUNK = 256 * 2**20
"""Memory a chunk's coalition values may take; chunks are made smaller to fit."""
KEEP_BYTES = 256 * 2**20
"""Results a sweep run in this process keeps for its summary (beyond, it reads them back)."""


def _budget(
    spec: SweepSpec, folder: Path, chunk_size: int | None, max_scenarios: int
) -> int | None:
    """Refuse a sweep beyond its limits; the chunk size that keeps the games in memory."""
    import shutil

    from sim.errors import BudgetError

    if spec.n > max_scenarios:
        most = f"{max_scenarios:,}"
        raise BudgetError(Reason("sweep_too_many", source=spec.source, n=f"{spec.n:,}", most=most))
    parties = len(spec.scenario.parties)
    columns = 4 + len(spec.parameters) + parties * (3 + len(spec.explain) + 4)
    size = spec.n * len(spec.rules) * columns * 8
    where = next(p for p in (folder.resolve(), *folder.resolve().parents) if p.exists())
    free = shutil.disk_usage(where).free
    if size > free:
        raise BudgetError(
            Reason(
                "sweep_disk",
                folder=folder,
                size=f"{size / 1e9:,.1f}",
                where=where,
                free=f"{free / 1e9:,.1f}",
            )
        )
    game = spec.standalone or any(r not in ("agreement", "source", "equity") for r in spec.rules)
    if not game:
        return chunk_size
    fits = max(64, GAME_BYTES_PER_CHUNK // (8 << parties))
    if chunk_size is not None and chunk_size > fits:
        raise BudgetError(
            Reason("sweep_chunk", size=f"{chunk_size:,}", parties=parties, fits=f"{fits:,}")
        )
    return chunk_size if chunk_size is not None else min(DEFAULT_CHUNK, fits)


@dataclass(frozen=True)
class SweepOutcome:
    """What a finished (or resumed) sweep did: its folder, chunks, rows and summary."""

    folder: Path
    chunks_run: int
    chunks_total: int
    rows: int
    summary: dict[str, Any]
    """What ``summary.json`` holds (see :mod:`sim.sweep.summary`)."""


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace a sweep folder's own JSON file atomically (strict JSON)."""
    from sim.files import dumps

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _manifest(spec: SweepSpec, chunk_size: int, executor: str) -> dict[str, Any]:
    from sim.store import file_sha256, versions

    sc = spec.scenario
    return {
        "kind": "sweep",
        "sweep": {
            "file": spec.source,
            "digest": spec.digest,
            "design": spec.design,
            "n": spec.n,
            "seed": spec.seed,
            "parameters": [
                {
                    "path": p.path,
                    "distribution": p.distribution.kind,
                    "args": dict(p.distribution.args),
                    "values": [input_value(v, p.path) for v in p.distribution.values],
                }
                for p in spec.parameters
            ],
            "rules": list(spec.rules),
            "standalone": spec.standalone,
            "table": dict(spec.table),
        },
        "scenario": {
            "name": sc.name,
            "file": sc.source,
            "digest": sc.digest,
            "file_sha256": file_sha256(sc.source) if Path(sc.source).is_file() else None,
        },
        "parties": list(sc.party_ids),
        "unit": sc.unit,
        "chunk_size": chunk_size,
        "chunks": -(-spec.n // chunk_size),
        "executor": executor,
        "versions": versions(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "started": _now(),
        "finished": None,
        "complete": False,
        "rows": None,
    }


def store_inputs(folder: Path, spec: SweepSpec) -> None:
    """Keep the base scenario as run (``inputs/scenario.toml``; the ``[sweep]`` table goes
    into the manifest), so that reports and analyses never re-read the input files.
    Written aside and renamed, so that a killed run never leaves half of it."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    target = inputs / "scenario.toml"
    tmp = inputs / f".scenario.toml.tmp-{os.getpid()}"
    tmp.write_text(spec.scenario_text, encoding="utf-8")
    os.replace(tmp, target)


SCRATCH = (".manifest.json.tmp-*", ".summary.json.tmp-*", "inputs/.*.tmp-*", "parts/.part-*.tmp-*")
"""Files a run killed mid-write leaves (never claimed): removed when the sweep resumes."""


def part_path(folder: Path, k: int) -> Path:
    return folder / "parts" / f"part-{k:06d}.parquet"


def _write_part(folder: Path, k: int, columns: dict[str, Any]) -> int:
    target = part_path(folder, k)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        rows = _write_table(columns, tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return rows


def _write_table(columns: dict[str, Any], where: Any) -> int:
    """Write a chunk's columns as Parquet to ``where`` (a path or a file object)."""
    import pyarrow.parquet as pq

    from sim.sweep.columns import to_arrow

    table = to_arrow(columns)  # numbers from their buffers; text dictionary-encoded
    # dictionary-encode only the labels: trying it on every float column cost 10×
    pq.write_table(table, where, compression="lz4", use_dictionary=["rule", "status", "reason"])
    return int(table.num_rows)


@lru_cache(maxsize=4)
def _spec(source: str, digest: str) -> SweepSpec:
    """The sweep of ``source`` as it was when the run began (``digest``), loaded once per
    worker process; a file edited since is refused, never silently mixed in."""
    spec = load_sweep(source)
    if spec.digest != digest:
        raise ResultsError(Reason("sweep_changed", source=source))
    return spec


def run_chunk(
    source: str, digest: str, folder: str, k: int, start: int, stop: int
) -> tuple[int, int]:
    """Evaluate chunk ``k`` (scenarios start … stop − 1) in a worker and write its part file.

    Module-level and given only strings, so any executor can ship it to a worker;
    ``digest`` is the sweep's as the run began (see :func:`_spec`). Chunks run in the
    sweep's own process go through :func:`_run_here` instead, which reports progress
    block by block, writes on a second thread and keeps what the summary reads.
    """
    from sim._malloc import tune
    from sim.sweep.run import evaluate_chunk

    tune()
    columns = evaluate_chunk(_spec(source, digest), start, stop)
    return k, _write_part(Path(folder), k, columns)


PILOT = (512, 1024)
"""Scenarios of the pilot: a first block to warm up (imports, caches), then two timed."""
PILOT_MIN = 8 * (PILOT[0] + 2 * PILOT[1])
"""Smaller sweeps are not timed first: they take seconds, and the pilot would add much."""


def pilot_seconds(spec: SweepSpec, start: int) -> float:
    """Seconds per scenario to evaluate, write and read back the sweep, from a pilot run
    of the scenarios from ``start`` (:data:`PILOT`; its results are discarded)."""
    import io
    import time

    import pyarrow.parquet as pq

    from sim.sweep.run import evaluate_block

    def once(a: int, b: int) -> float:
        began = time.perf_counter()
        buffer = io.BytesIO()
        _write_table(evaluate_block(spec, a, b), buffer)
        buffer.seek(0)
        pq.read_table(buffer)  # what the summary does with a part it did not keep
        return time.perf_counter() - began

    warm, timed = PILOT
    once(start, start + warm)  # the first call imports and caches what the others reuse
    at = start + warm
    # the quicker of two: a pilot this short is easily slowed by something else running
    return min(once(at, at + timed), once(at + timed, at + 2 * timed)) / timed


def _reopen(
    folder: Path,
    kind: str,
    digest: str,
    resume: bool,
    keep_inputs: Callable[[Path], None] | None,
) -> dict[str, Any]:
    """The manifest of a folder that has one, if it is an interrupted run of this sweep
    and ``resume``; its files cut mid-write removed and what it lacks recreated."""
    try:
        old = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        raise ResultsError(Reason("bad_manifest", folder=folder)) from None
    if old.get("kind") != kind or old.get("sweep", {}).get("digest") != digest:
        raise ResultsError(Reason("other_sweep", folder=folder))
    if old.get("complete"):
        raise ResultsError(Reason("sweep_complete", folder=folder))
    if not resume:
        raise ResultsError(Reason("sweep_interrupted", folder=folder))
    for pattern in SCRATCH:  # files cut mid-write
        for stale in folder.glob(pattern):
            stale.unlink()
    (folder / "parts").mkdir(exist_ok=True)
    if keep_inputs is not None:
        keep_inputs(folder)  # the digest matched: the same inputs, if not yet kept
    return dict(old)


def prepare_folder(
    folder: Path,
    *,
    kind: str,
    digest: str,
    resume: bool,
    new_manifest: Callable[[], dict[str, Any]],
    keep_inputs: Callable[[Path], None] | None = None,
) -> dict[str, Any]:
    """The manifest of a sweep's results folder (``kind``: ``sweep``, ``portfolio
    sweep``): a new one from ``new_manifest``, or (``resume``) the interrupted run's.

    A new folder gets its manifest first (the only file it then holds), then ``parts/``
    and what ``keep_inputs`` writes: a run killed at any moment leaves either nothing of
    its own (a first manifest cut mid-write, cleared here) or a folder this sweep
    (``digest``) recognises and resumes, its files cut mid-write removed.
    """
    manifest_path = folder / "manifest.json"
    if folder.exists() and not folder.is_dir():
        raise ResultsError(Reason("not_a_folder", folder=folder))
    if manifest_path.is_file():
        return _reopen(folder, kind, digest, resume, keep_inputs)
    entries = list(folder.iterdir()) if folder.exists() else []
    cut = [p for p in entries if p.match(SCRATCH[0])]  # a first manifest cut mid-write
    if len(entries) > len(cut):
        raise ResultsError(Reason("not_empty", folder=folder))
    if resume:
        raise ResultsError(Reason("nothing_to_resume", folder=folder))
    for p in cut:
        p.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    manifest = new_manifest()
    _write_json(manifest_path, manifest)  # first: from here on the folder is this sweep's
    (folder / "parts").mkdir(exist_ok=True)
    if keep_inputs is not None:
        keep_inputs(folder)
    return manifest


def _prepare(
    spec: SweepSpec, folder: Path, chunk_size: int, resume: bool, executor: str
) -> dict[str, Any]:
    """The folder's manifest: a new one, or (``resume``) the interrupted run's, its
    inputs kept (:func:`store_inputs`) if the run was killed before it kept them."""

    def keep(at: Path) -> None:
        if not (at / "inputs" / "scenario.toml").is_file():
            store_inputs(at, spec)

    return prepare_folder(
        folder,
        kind="sweep",
        digest=spec.digest,
        resume=resume,
        new_manifest=lambda: _manifest(spec, chunk_size, executor),
        keep_inputs=keep,
    )


def run_sweep(
    source: str | Path,
    folder: str | Path,
    *,
    chunk_size: int | None = None,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    max_scenarios: int = MAX_SCENARIOS,
    estimate: Estimate | None = None,
) -> SweepOutcome:
    """Run the sweep of ``source`` into ``folder`` (see the module docstring).

    Before anything is written, the sweep is checked against ``max_scenarios`` and the
    free disk space at ``folder``, and chunks are sized so that each scenario's
    cooperative game (``2^P`` coalitions) stays within memory. With ``estimate``, a
    sweep with more than :data:`PILOT_MIN` scenarios to run is first timed on a pilot
    (:func:`pilot_seconds`) and ``estimate`` is given the extrapolated seconds; the
    results do not change.
    """
    source = str(Path(source).resolve())
    spec = load_sweep(source)  # read afresh: the file may have changed since a last run
    folder = Path(folder)
    chunk_size = _budget(spec, folder, chunk_size, max_scenarios)
    try:
        return _run(
            spec,
            source,
            folder,
            chunk_size,
            executor,
            workers,
            scheduler,
            resume,
            progress,
            estimate,
        )
    except OSError as exc:
        where = exc.filename or folder
        raise ResultsError(
            Reason("cannot_write", dest=folder, error=exc.strerror or exc, where=where)
        ) from None


def _run(
    spec: SweepSpec,
    source: str,
    folder: Path,
    chunk_size: int | None,
    executor: str,
    workers: int,
    scheduler: str | None,
    resume: bool,
    progress: Progress | None,
    estimate: Estimate | None,
) -> SweepOutcome:
    if executor not in ("local", "processes", "dask"):
        raise ResultsError(Reason("unknown_executor", got=repr(executor)))
    manifest = _prepare(spec, folder, chunk_size or DEFAULT_CHUNK, resume, executor)
    size = int(manifest["chunk_size"])
    n_chunks = int(manifest["chunks"])
    todo = [k for k in range(n_chunks) if not part_path(folder, k).is_file()]
    tasks = [
        (source, spec.digest, str(folder), k, k * size, min((k + 1) * size, spec.n)) for k in todo
    ]
    left = sum(t[5] - t[4] for t in tasks)
    parallel = workers if executor == "dask" or (executor == "processes" and workers > 1) else 1
    if estimate is not None and left > PILOT_MIN:
        estimate(left * pilot_seconds(spec, tasks[0][4]) / parallel)
    done = spec.n - left
    if progress:
        progress(done, spec.n)

    def advanced(k: int) -> None:
        nonlocal done
        done += k
        if progress:
            progress(done, spec.n)

    from sim.sweep.summary import Kept, summarize

    kept = Kept(KEEP_BYTES)  # what the summary reads, of the chunks computed here
    _execute(spec, tasks, executor, workers, scheduler, advanced, kept)
    rows = sum(_rows(part_path(folder, k)) for k in range(n_chunks))
    manifest.update(finished=_now(), complete=True, rows=rows)
    summary = summarize(folder, manifest, kept.chunks)
    _write_json(folder / "summary.json", summary)
    _write_json(folder / "manifest.json", manifest)
    return SweepOutcome(folder, len(todo), n_chunks, rows, summary)


Task = tuple[str, str, str, int, int, int]
"""What :func:`run_chunk` is given: source, digest, folder, chunk, start, stop."""


def _execute(
    spec: SweepSpec,
    tasks: list[Task],
    executor: str,
    workers: int,
    scheduler: str | None,
    advanced: Callable[[int], None],
    kept: Kept,
) -> None:
    """Run every chunk of ``spec``; ``advanced(k)`` as ``k`` more scenarios are done (block
    by block in this process, chunk by chunk in workers). Chunks run here go into
    ``kept``."""
    sizes = {t[3]: t[5] - t[4] for t in tasks}
    if executor == "local" or (executor == "processes" and workers <= 1):
        _run_here(spec, tasks, advanced, kept)
    elif executor == "processes":
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = mp.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=end_with_parent, initargs=(os.getpid(),)
        ) as pool:
            futures = [pool.submit(run_chunk, *t) for t in tasks]
            for f in as_completed(futures):
                advanced(sizes[f.result()[0]])
    else:
        _run_dask(tasks, workers, scheduler, lambda k: advanced(sizes[k]))


def end_with_parent(parent: int) -> None:
    """In a worker process: end it when ``parent``, the sweep, is gone (killed by SIGKILL
    or the OOM killer, it cannot stop its workers; they would wait for work forever, or
    write the parts they hold while the sweep is resumed)."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(70)

    threading.Thread(target=watch, name="sim-parent-watch", daemon=True).start()


def _run_here(
    spec: SweepSpec, tasks: list[Task], advanced: Callable[[int], None], kept: Kept
) -> None:
    """Every chunk of ``spec`` (as the run began: not read again) in this process, each
    one's part written on a second thread while the next is evaluated (pyarrow writes
    without holding the interpreter), at most one write behind: a write's error is
    raised before the next chunk is handed over, and an interrupted run still finishes
    the part being written (parts are claimed whole, by renaming, so a resumed run keeps
    it)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from sim._malloc import tune
    from sim.sweep.run import evaluate_chunk

    tune()
    with ThreadPoolExecutor(1, thread_name_prefix="sim-parquet") as writer:
        pending: Future[int] | None = None
        for _, _, folder, k, start, stop in tasks:
            columns = evaluate_chunk(spec, start, stop, advanced)
            if pending is not None:
                pending.result()
            pending = writer.submit(_write_part, Path(folder), k, columns)
            kept.add(k, columns)
        if pending is not None:
            pending.result()


def _run_dask(
    tasks: list[Task],
    workers: int,
    scheduler: str | None,
    finished: Callable[[int], None],
    chunk: Callable[..., tuple[int, int]] = run_chunk,
) -> None:
    """Run ``chunk`` (default :func:`run_chunk`) on every task on a Dask cluster (the one
    at ``scheduler``, or a local one of ``workers`` processes); ``finished`` each chunk."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ResultsError(Reason("needs_dask")) from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # no dashboard, and the scheduler's HTTP routes (health, metrics) on a free
            # port: the default, 8787, may be taken by another cluster on this machine
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = [client.submit(chunk, *t, pure=False) for t in tasks]
        for f in as_completed(futures):
            finished(f.result()[0])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def read_results(folder: str | Path) -> Any:
    """The sweep's table (a pandas DataFrame), ordered by scenario, then agreement."""
    import pandas as pd

    folder = Path(folder)
    manifest = read_manifest(folder)
    parts = sorted((folder / "parts").glob("part-*.parquet"))
    if not parts:
        raise ResultsError(Reason("no_results", folder=folder))
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    order = {label: i for i, label in enumerate(manifest["sweep"]["rules"])}
    frame["rule"] = frame["rule"].astype(str)
    frame = frame.sort_values(
        ["scenario", "rule"], key=lambda s: s.map(order) if s.name == "rule" else s, kind="stable"
    )
    return frame.reset_index(drop=True)
