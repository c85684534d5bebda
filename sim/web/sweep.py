"""Long work on the page: the edited scenario swept over one input, in the background,
with its progress and a way to cancel it.

Each point of the sweep is the form with one field set to the point's value, validated
by the schema and evaluated under the agreement as ``sim run`` would (so a point the
schema refuses, a growth that compounds past the limits say, is reported as such
rather than computed). A job runs in its own thread, counts the points done and stops
at the next point once cancelled; at the end it draws its figure.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim import i18n
from sim.errors import ScenarioError
from sim.scenario import Scenario, parse
from sim.web.edits import apply
from sim.web.form import Form

__all__ = ["MAX_POINTS", "Job", "Jobs", "SweepResult", "run_sweep", "sweepable"]

MAX_POINTS = 2001
"""Most points of a sweep (a few seconds of work)."""
MAX_RUNNING = 2
"""Sweeps running at once (each takes a core)."""


@dataclass(frozen=True)
class Sweepable:
    """An input the page can sweep: its field, its name and a range to start from."""

    name: str
    label: str
    unit: str
    low: float
    high: float


def sweepable(scenario: Scenario, lang: str) -> list[Sweepable]:
    """The inputs of the form the page offers to sweep, with a range around their value:
    the keys of the key table with a :attr:`~sim.schema.Key.page` (the discount rate, the
    share of transfers settled, each firm's output and growth), those of the scenario as
    a whole first, then each id's (each firm's) in the table's order."""
    from sim.schema import keys
    from sim.schema.fields import bind, slot_ids
    from sim.sweep.run import base_value

    offered = [k for k in keys.KEYS if k.page is not None]
    paths = [(k, k.path) for k in offered if not k.slot]
    for slot in dict.fromkeys(k.slot for k in offered if k.slot):
        for i in slot_ids(slot, scenario):
            paths += [(k, k.path.replace(slot, i)) for k in offered if k.slot == slot]
    out = []
    for k, path in paths:
        b = bind(path, scenario)
        if isinstance(b, str):  # not in this scenario (a term it does not write)
            continue
        low, high = k.around(base_value(b, scenario))
        label = i18n.pick(lang, b.label_en, b.label_zh)
        out.append(Sweepable(path, label, b.field.unit, low, high))
    return out


@dataclass
class Job:
    """A sweep running (or run) in the background."""

    id: str
    workspace: str
    total: int
    lang: str
    done: int = 0
    state: str = "running"
    """``running``, ``done``, ``cancelled``, ``refused`` (no point could be run:
    :attr:`error` says why) or ``failed``."""
    error: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)
    result: SweepResult | None = None
    figure: bytes = b""


@dataclass(frozen=True)
class SweepResult:
    """Each point's value and, per party, NPV under the agreement and standalone value."""

    name: str
    label: str
    unit: str
    values: tuple[float, ...]
    npv: Any
    """``(N, P)`` NaN where the point is refused or the agreement undefined."""
    standalone: Any
    all_ok: tuple[bool | None, ...]
    """Every party at least as well off as alone (``None``: refused or undefined)."""
    refused: dict[int, str]
    """Points the schema refused or where the agreement is undefined, and why."""

    def intervals(self) -> list[tuple[float, float]]:
        """The runs of consecutive points where every party does at least as well as alone."""
        out: list[tuple[float, float]] = []
        start = None
        for k, ok in enumerate([*self.all_ok, None]):
            if ok and start is None:
                start = k
            elif not ok and start is not None:
                out.append((self.values[start], self.values[k - 1]))
                start = None
        return out


class Jobs:
    """The sweeps of a server: at most :data:`MAX_RUNNING` at once, the last 16 kept."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def start(
        self, workspace: str, total: int, lang: str, work: Callable[[Job], None]
    ) -> Job | None:
        """Run ``work`` in a thread as a new job (``None``: too many running)."""
        with self._lock:
            if sum(j.state == "running" for j in self._items.values()) >= MAX_RUNNING:
                return None
            job = Job(secrets.token_urlsafe(12), workspace, total, lang)
            self._items[job.id] = job
            while len(self._items) > 16:
                oldest = next((k for k, j in self._items.items() if j.state != "running"), None)
                if oldest is None:
                    break
                del self._items[oldest]
        threading.Thread(
            target=_guarded, args=(work, job), name=f"sweep-{job.id}", daemon=True
        ).start()
        return job

    def get(self, workspace: str, job_id: str) -> Job | None:
        """The job ``job_id`` of ``workspace``, or ``None``."""
        with self._lock:
            job = self._items.get(job_id)
        return job if job is not None and job.workspace == workspace else None


def _guarded(work: Callable[[Job], None], job: Job) -> None:
    try:
        work(job)
    except Exception as exc:  # reported on the page, as the job's state
        job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"[:500]


def run_sweep(
    job: Job,
    base: Mapping[str, Any],
    form: Form,
    fields: Mapping[str, Any],
    what: Sweepable,
    values: tuple[float, ...],
    source: str,
    field_name: str = "",
) -> None:
    """Evaluate the agreement at every value of ``what`` (the form's other fields as
    given; ``field_name``: the form's field of ``what``, where its name differs), counting
    progress on ``job`` and stopping when it is cancelled."""
    from sim.web.explore import agreement_npv

    n = len(values)
    npv: list[Any] = []
    alone: list[Any] = []
    ok: list[bool | None] = []
    refused: dict[int, str] = {}
    parties = 0
    for k, x in enumerate(values):
        if job.cancel.is_set():
            job.state = "cancelled"
            return
        data = apply(base, form, {**fields, (field_name or what.name): repr(x)})
        try:
            scenario = parse(data, source=source)
        except ScenarioError as exc:
            refused[k] = "; ".join(str(p) for p in exc.problems[:3])
            npv.append(None)
            alone.append(None)
            ok.append(None)
        else:
            parties = len(scenario.parties)
            reason, a, b, game = agreement_npv(scenario)
            if reason:
                refused[k] = reason
            scale = max(1.0, float(np.nanmax(np.abs(a)))) if not reason else 1.0
            npv.append(a)
            alone.append(b)
            ok.append(None if reason or game is None else bool(np.all(a >= b - 1e-9 * scale)))
        job.done = k + 1
    if len(refused) == n:  # nothing to draw or tabulate: say why instead
        from sim.style import COLON
        from sim.web.text import t

        job.error = (
            f"{t('no point of the sweep could be run', job.lang)} ({n}){COLON[job.lang]}"
            f"{what.name} = {values[0]:g}: {refused[0]}"
        )[:1000]
        job.state = "refused"
        return
    fill = np.full(parties, np.nan)
    job.result = SweepResult(
        what.name,
        what.label,
        what.unit,
        values,
        np.array([fill if r is None else r for r in npv]).reshape(n, parties),
        np.array([fill if r is None else r for r in alone]).reshape(n, parties),
        tuple(ok),
        refused,
    )
    job.figure = _figure(job.result, scenario_for_names(base, source), job.lang)
    job.state = "done"


def scenario_for_names(base: Mapping[str, Any], source: str) -> Scenario:
    """The loaded scenario (for the parties' names and the unit)."""
    return parse(base, source=source)


def _figure(result: SweepResult, scenario: Scenario, lang: str) -> bytes:
    import pandas as pd

    from sim import plots, style
    from sim.web.explore import DRAW, names

    rows = [
        {
            "value": x,
            "party": p,
            "npv": result.npv[k, i],
            "standalone": result.standalone[k, i],
            "all_ok": bool(result.all_ok[k]),
        }
        for k, x in enumerate(result.values)
        for i, p in enumerate(scenario.party_ids)
        if not math.isnan(result.npv[k, i])
    ]
    table = pd.DataFrame(rows)
    with DRAW, plots.figure(lang) as (fig, ax):
        if len(table):
            plots.npv_along(
                table, ax, parameter=result.label, lang=lang, names=names(scenario, lang),
                unit=scenario.unit, percent=result.unit.startswith("fraction"),
            )  # fmt: skip
        data: bytes = style.to_bytes(fig, "svg")
    return data
