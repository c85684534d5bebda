"""Run one ``sim sweep`` in this fresh process and say where its time went, by stage.

Started by ``bench_sweep.py`` as a child process, once per measurement, with
``PYTHONPATH`` choosing which ``sim`` runs (the working tree, or an older commit taken
from git for a before/after comparison)::

    python benchmarks/sweep_stages.py SWEEP_FILE OUT_FOLDER [--chunk-size N]

It runs the command line (``sim sweep SWEEP_FILE --out OUT_FOLDER --quiet``) and prints
one JSON document: the seconds since this script started (``run_s``: the whole run
but the interpreter's own start, which the parent adds), the peak resident memory,
and the seconds spent in each stage, exclusive of the stages and imports inside it:

- ``imports``: every ``import`` during the run (numpy, sim, scipy.special, pyarrow …);
- ``sweep file``: reading and validating the sweep file (``load_sweep``);
- ``sampling`` (``sample``), ``parameters`` (``apply_parameters``: the batch and the
  terms of each scenario), ``model`` (``resolve`` and ``outcome_npv``);
- ``table``: the rest of ``evaluate_chunk``, assembling each chunk's columns;
- ``Parquet``: ``_write_part``; ``summary``: ``summarize``;
- ``other``: the rest (the command line, the manifest, the folder, printing, and
  waiting for the last part to be written).

Parts are written on a second thread while the next chunk is evaluated: that time is
reported apart (``second_thread``), since it overlaps the stages above.

The stages are found by name in the modules of ``sim.sweep``, so the same script
times any version of ``sim`` that has them. Wrapping costs a few microseconds per
call (a few hundred calls in a sweep).
"""

from __future__ import annotations

import time

START = time.perf_counter()

import builtins  # noqa: E402  (the clock starts before anything else)
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

STAGES = (
    "imports",
    "sweep file",
    "sampling",
    "parameters",
    "model",
    "table",
    "Parquet",
    "summary",
    "other",
)

seconds: dict[str, float] = defaultdict(float)
stack: list[str] = ["other"]
_import = builtins.__import__
_depth = 0


def _timed_import(*args: Any, **kwargs: Any) -> Any:
    """``import``, its time moved from the stage that asked to ``imports``."""
    global _depth
    if _depth:
        return _import(*args, **kwargs)
    _depth += 1
    t0 = time.perf_counter()
    try:
        return _import(*args, **kwargs)
    finally:
        _depth -= 1
        dt = time.perf_counter() - t0
        seconds["imports"] += dt
        seconds[stack[-1]] -= dt


def _stage(module: Any, name: str, stage: str) -> None:
    """Time ``module.name`` as ``stage``, exclusive of the stages inside it. On another
    thread than the main one (the sweep writes parts on a second thread while the next
    chunk is evaluated) its time is counted apart, as ``<stage> (second thread)``: it
    overlaps the main thread's and is not part of the run's sum."""
    func: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            t0 = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                seconds[f"{stage} (second thread)"] += time.perf_counter() - t0
        stack.append(stage)
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            stack.pop()
            dt = time.perf_counter() - t0
            seconds[stage] += dt
            seconds[stack[-1]] -= dt

    setattr(module, name, timed)


def peak_mb() -> float:
    """This process's peak resident memory [MiB]. Linux's ``ru_maxrss`` carries over the
    parent's peak through ``exec`` (``subprocess`` starts children with ``vfork``), so a
    benchmark that holds 300 MB would see it in every child: ``VmHWM`` is this
    program's own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    sweep, out = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    builtins.__import__ = _timed_import
    import sim.sweep.execute as execute
    import sim.sweep.run as run
    import sim.sweep.summary as summary
    from sim.cli import main as cli

    _stage(execute, "load_sweep", "sweep file")
    _stage(run, "sample", "sampling")
    _stage(run, "apply_parameters", "parameters")
    _stage(run, "resolve", "model")
    _stage(run, "outcome_npv", "model")
    _stage(run, "evaluate_chunk", "table")
    _stage(execute, "_write_part", "Parquet")
    _stage(summary, "summarize", "summary")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.suppress(SystemExit):
        cli(["sweep", sweep, "--out", out, "--quiet", *extra])
    run_s = time.perf_counter() - START
    seconds["other"] += run_s  # what no stage claimed
    builtins.__import__ = _import
    if "Sweep of" not in printed.getvalue():
        raise SystemExit(f"the sweep did not finish:\n{printed.getvalue()}")
    apart = {k: v for k, v in seconds.items() if k.endswith("(second thread)")}
    doc = {
        "run_s": run_s,
        "peak_mb": peak_mb(),
        "stages": {k: seconds[k] for k in STAGES},
        "second_thread": apart,
    }
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
