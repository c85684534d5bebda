"""Run a portfolio sweep into a results folder, as a park's sweep is run, and summarise it.

The folder holds ``manifest.json`` (the sweep's digest, seed, design, n, chunking, the
portfolio's and every park's digest, versions, start and end, ``complete``),
``parts/part-000000.parquet`` … (one per chunk, each written under a temporary name and
renamed when whole) and ``summary.json``. A scenario's values depend only on its index
and the seed, so the table is the same whatever the chunking, the workers or the
executor (``local``, ``processes``, ``dask``); an interrupted run is finished with
``resume``.

The summary, per party, overall, per park and for the fund: the mean, 5th and 95th
percentiles of the NPV and of the gain over no agreement, and the probability of a loss
(a gain below zero), over the scenarios where every park's agreement is defined.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sim import i18n
from sim.errors import ResultsError
from sim.i18n import Reason
from sim.portfolio.sweep import evaluate_chunk
from sim.portfolio.sweep_spec import PortfolioSweep, load_portfolio_sweep
from sim.sweep.columns import Coded, Column, coded, numeric
from sim.sweep.execute import (
    DEFAULT_CHUNK,
    KEEP_BYTES,
    _now,
    _rows,
    _run_dask,
    _write_json,
    _write_part,
    end_with_parent,
    part_path,
    prepare_folder,
)

__all__ = ["render_summary", "run_portfolio_sweep", "summarize"]

KIND = "portfolio sweep"


@lru_cache(maxsize=4)
def _sweep(source: str, digest: str) -> PortfolioSweep:
    """The sweep as the run began, loaded once per worker (an edited file is refused)."""
    sweep = load_portfolio_sweep(source)
    if sweep.digest != digest:
        raise ResultsError(Reason("sweep_changed", source=source))
    return sweep


def run_chunk(
    source: str, digest: str, folder: str, k: int, start: int, stop: int
) -> tuple[int, int]:
    """Evaluate chunk ``k`` in a worker and write its part (given only strings and numbers,
    so that any executor can ship it)."""
    return _run_chunk(source, digest, folder, k, start, stop, None)


def _run_chunk(
    source: str, digest: str, folder: str, k: int, start: int, stop: int, kept: _Kept | None
) -> tuple[int, int]:
    """:func:`run_chunk`, keeping the columns the summary reads in ``kept`` (in this
    process)."""
    columns = evaluate_chunk(_sweep(source, digest), start, stop)
    if kept is not None:
        kept.add(k, columns)
    return k, _write_part(Path(folder), k, columns)


class _Kept:
    """The columns the summary reads (status, NPVs and gains) of the chunks run in this
    process, up to ``budget`` bytes: the summary reads back only the other parts."""

    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0
        self.chunks: dict[int, dict[str, Column]] = {}

    def add(self, k: int, columns: dict[str, Column]) -> None:
        wanted = {c: v for c, v in columns.items() if c == "status" or _amount(c)}
        size = sum(v.codes.nbytes if isinstance(v, Coded) else v.nbytes for v in wanted.values())
        if self.used + size <= self.budget:
            self.chunks[k] = wanted
            self.used += size


def _amount(name: str) -> bool:
    """Whether the summary reads the column ``name`` (an NPV or a gain)."""
    return name.rsplit(".", 2)[-2] in ("npv", "gain_vs_source") if "." in name else False


def _manifest(sweep: PortfolioSweep, chunk_size: int, executor: str) -> dict[str, Any]:
    from sim.store import file_sha256, versions

    p = sweep.portfolio
    return {
        "kind": KIND,
        "sweep": {
            "file": sweep.source,
            "digest": sweep.digest,
            "design": sweep.design,
            "n": sweep.n,
            "seed": sweep.seed,
            "parameters": [
                {
                    "path": q.path,
                    "distribution": q.distribution.kind,
                    "args": dict(q.distribution.args),
                }
                for q in sweep.parameters
            ],
            "table": dict(sweep.table),
        },
        "portfolio": {"name": p.name, "file": p.source, "file_sha256": file_sha256(p.source)},
        "parks": [
            {
                "id": k.id,
                "name": k.name or k.id,
                "name_zh": k.name_zh or k.name or k.id,
                "file": k.scenario.source,
                "digest": k.scenario.digest,
            }
            for k in p.parks
        ],
        "parties": list(p.party_ids),
        "unit": p.unit,
        "chunk_size": chunk_size,
        "chunks": -(-sweep.n // chunk_size),
        "executor": executor,
        "versions": versions(),
        "started": _now(),
        "finished": None,
        "complete": False,
        "rows": None,
    }


def _prepare(
    sweep: PortfolioSweep, folder: Path, chunk_size: int, resume: bool, executor: str
) -> dict[str, Any]:
    """The folder's manifest: a new one, or (``resume``) the interrupted run's
    (:func:`sim.sweep.execute.prepare_folder`, as for a park's sweep)."""
    return prepare_folder(
        folder,
        kind=KIND,
        digest=sweep.digest,
        resume=resume,
        new_manifest=lambda: _manifest(sweep, chunk_size, executor),
    )


def run_portfolio_sweep(
    source: str | Path,
    folder: str | Path,
    *,
    chunk_size: int | None = None,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
) -> dict[str, Any]:
    """Run the portfolio sweep of ``source`` into ``folder``; its summary."""
    source = str(Path(source).resolve())
    sweep = load_portfolio_sweep(source)
    folder = Path(folder)
    if executor not in ("local", "processes", "dask"):
        raise ResultsError(Reason("unknown_executor", got=repr(executor)))
    try:
        manifest = _prepare(sweep, folder, chunk_size or DEFAULT_CHUNK, resume, executor)
        size, n_chunks = int(manifest["chunk_size"]), int(manifest["chunks"])
        tasks = [
            (source, sweep.digest, str(folder), k, k * size, min((k + 1) * size, sweep.n))
            for k in range(n_chunks)
            if not part_path(folder, k).is_file()
        ]
        kept = _Kept(KEEP_BYTES)
        if executor == "local" or (executor == "processes" and workers <= 1):
            for task in tasks:
                _run_chunk(*task, kept)
        elif executor == "processes":
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            context = mp.get_context("spawn")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=end_with_parent, initargs=(os.getpid(),)
            ) as pool:
                list(pool.map(run_chunk, *zip(*tasks, strict=True)))
        else:
            _run_dask(tasks, workers, scheduler, lambda k: None, run_chunk)
        rows = sum(_rows(part_path(folder, k)) for k in range(n_chunks))
        manifest.update(finished=_now(), complete=True, rows=rows)
        summary = summarize(folder, manifest, kept.chunks)
        _write_json(folder / "summary.json", summary)
        _write_json(folder / "manifest.json", manifest)
    except OSError as exc:
        where = exc.filename or folder
        raise ResultsError(
            Reason("cannot_write", dest=folder, error=exc.strerror or exc, where=where)
        ) from None
    return summary


def read_portfolio_results(folder: str | Path) -> Any:
    """The sweep's table (a pandas DataFrame), ordered by scenario."""
    import pandas as pd

    parts = sorted((Path(folder) / "parts").glob("part-*.parquet"))
    if not parts:
        raise ResultsError(Reason("no_results", folder=folder))
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return frame.sort_values("scenario", kind="stable").reset_index(drop=True)


def _column(
    parts: list[Path], kept: dict[int, dict[str, Column]], name: str, ok: np.ndarray
) -> np.ndarray:
    import pyarrow.parquet as pq

    values = np.concatenate(
        [
            np.asarray(kept[k][name])
            if k in kept
            else numeric(pq.read_table(p, columns=[name]).column(0))
            for k, p in _numbered(parts)
        ]
    )
    return np.asarray(values[ok], dtype=float)


def _status(parts: list[Path], kept: dict[int, dict[str, Column]]) -> Coded:
    """The status of every row, as codes."""
    import pyarrow.parquet as pq

    out = []
    for k, p in _numbered(parts):
        here = kept.get(k, {}).get("status")
        if not isinstance(here, Coded):
            here = coded(pq.read_table(p, columns=["status"]).column(0))
        out.append(here)
    return Coded.concat(out)


def _numbered(parts: list[Path]) -> list[tuple[int, Path]]:
    """Each part file with its chunk number."""
    return [(int(p.stem.rsplit("-", 1)[1]), p) for p in parts]


def _stats(npv: np.ndarray, gain: np.ndarray) -> dict[str, Any]:
    def three(x: np.ndarray) -> dict[str, float | None]:
        if not len(x):
            return {"mean": None, "p5": None, "p95": None}
        p5, p95 = np.quantile(x, [0.05, 0.95])
        return {"mean": float(x.mean()), "p5": float(p5), "p95": float(p95)}

    loss = float((gain < 0).mean()) if len(gain) else None
    return {"npv": three(npv), "gain_vs_source": three(gain), "p_loss": loss}


def summarize(
    folder: Path, manifest: dict[str, Any], kept: dict[int, dict[str, Column]] | None = None
) -> dict[str, Any]:
    """The summary of a finished run (see the module docstring), column by column
    (``kept``: chunks' columns still in memory, by chunk number; the others are read
    from their parts)."""
    import pyarrow.parquet as pq

    kept = kept or {}
    parts = sorted((folder / "parts").glob("part-*.parquet"))
    ok = _status(parts, kept).rows("ok")
    scopes = [("overall", ""), *((k["id"], f"park.{k['id']}.") for k in manifest["parks"])]
    names = set(pq.read_schema(parts[0]).names)
    if "fund.npv." + manifest["parties"][0] in names:
        scopes.append(("fund", "fund."))
    parties: dict[str, Any] = {}
    for p in manifest["parties"]:
        parties[p] = {
            scope: _stats(
                _column(parts, kept, f"{prefix}npv.{p}", ok),
                _column(parts, kept, f"{prefix}gain_vs_source.{p}", ok),
            )
            for scope, prefix in scopes
        }
    return {
        "kind": KIND,
        "portfolio": manifest["portfolio"]["name"],
        "file": manifest["sweep"]["file"],
        "design": manifest["sweep"]["design"],
        "n": manifest["sweep"]["n"],
        "seed": manifest["sweep"]["seed"],
        "unit": manifest["unit"],
        "scenarios_done": len(ok),
        "undefined": int((~ok).sum()),
        "complete": bool(manifest["complete"]),
        "scopes": [s for s, _ in scopes],
        "park_names": {
            k["id"]: [k.get("name", k["id"]), k.get("name_zh", k["id"])] for k in manifest["parks"]
        },
        "parties": parties,
    }


_SCOPES = {"overall": "psw_overall", "fund": "psw_fund"}
"""The summary's rows that are not a park's."""


def _park(summary: dict[str, Any], park: str, lang: str) -> str:
    """A park's row label: its id in English, its Chinese name in Chinese."""
    names = summary.get("park_names", {}).get(park)
    return i18n.pick(lang, park, names[1]) if names else park


def render_summary(summary: dict[str, Any], lang: str = "en") -> str:
    """The summary as a text table, in English or Chinese."""
    from sim.tables import table

    def num(x: float | None) -> str:
        return "—" if x is None else f"{x:,.3f}"

    head = [
        i18n.t("psw_party", lang),
        i18n.t("psw_scope", lang),
        *(i18n.t(k, lang) for k in ("psw_npv_mean", "psw_p5", "psw_p95")),
        *(i18n.t(k, lang) for k in ("psw_gain_mean", "psw_p5", "psw_p95")),
        i18n.t("psw_p_loss", lang),
    ]
    rows = []
    for p, scopes in summary["parties"].items():
        for j, scope in enumerate(summary["scopes"]):
            s = scopes[scope]
            label = (
                i18n.t(_SCOPES[scope], lang) if scope in _SCOPES else _park(summary, scope, lang)
            )
            loss = "—" if s["p_loss"] is None else f"{100 * s['p_loss']:.1f}%"
            rows.append(
                [
                    p if j == 0 else "",
                    label,
                    *(num(s["npv"][q]) for q in ("mean", "p5", "p95")),
                    *(num(s["gain_vs_source"][q]) for q in ("mean", "p5", "p95")),
                    loss,
                ]
            )
    title = i18n.t(
        "psw_title",
        lang,
        name=summary["portfolio"],
        n=f"{summary['scenarios_done']:,}",
        design=i18n.name(summary["design"], lang),
        seed=summary["seed"],
        unit=i18n.unit(summary["unit"], lang),
    )
    lines = [title, "", table(head, rows, left=2), "", i18n.t("psw_note", lang)]
    if summary["undefined"]:
        lines.append(i18n.t("psw_undefined", lang, k=f"{summary['undefined']:,}"))
    return "\n".join(lines)
