"""One million Monte Carlo scenarios to Parquet, against a hand-written numpy kernel.

The reference example with five uncertain parameters (battery plant growth and output,
logistics hub growth, discount rate, compliance) and one rule (the file's agreement).
Measured side by side, each round alternating, best of ``--repeat`` rounds:

(a) ``kernel``: a hand-written, single-purpose numpy kernel of the same arithmetic on
    the sampled inputs (this sweep's tax, land, dividends and investment per party and
    year, discounted: each party's NPV and its NPV with no agreement, which the gains
    are over), which knows what the sweep leaves alone and computes it once;
(a′) ``linear``: the same NPVs by a shorter route that only this question allows (a
    party's NPV is linear in each firm's discounted tax: discount first, then share), a
    floor for any per-year computation;
(b) ``model``: the batch model on the same sampled inputs: the parameters applied, the
    agreement resolved and every scenario evaluated (``apply_parameters``, ``resolve``,
    ``outcome_npv``: what ``sim sweep`` runs per chunk); for this agreement (fixed
    shares) the model's linear route, which values each stream before dividing it;
(b′) ``model_streams``: the same with every stream of every year built, checked and
    discounted (the route where shares change by year, or with floors, a cap or a
    review);
(c) ``sweep``: the whole ``sim sweep`` command in a fresh process (interpreter start,
    imports, sampling, model, Parquet parts, summary), with the time of each stage
    (``benchmarks/sweep_stages.py``);
(d) the peak resident memory of that process.

Both kernels must agree with the model's NPVs (with and without the agreement) to
1e-12 (checked before anything is reported). ``--against REV`` also runs (c) with
``sim`` as it was at commit ``REV`` (taken from git), alternating with the working
tree, for a before/after profile.
The per-scenario Python loop (``sim._reference``) and EMA Workbench's sequential
evaluator with that loop as its model are measured on subsets, for scale.

Run: ``python benchmarks/bench_sweep.py [--n 1000000] [--repeat 3] [--against REV]
[--loop 2000] [--workers 2] [--json FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STAGES = ROOT / "benchmarks" / "sweep_stages.py"

SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = {n}
seed = 20261126
rules = ["agreement"]
standalone = false

[sweep.parameters]
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
"firms.battery-plant.output" = {{ dist = "triangular", low = 40.0, mode = 60.0, high = 90.0 }}
"firms.logistics-hub.growth" = {{dist = "normal", mean = 0.06, sd = 0.02, low = -0.05, high = 0.2}}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.4, high = 1.0 }}
"""
SWEPT = ("battery-plant", "logistics-hub")


# --------------------------------------------------------------------------- the kernel


class Reference:
    """What the sweep leaves alone in the reference example, worked out once: per party
    and year, the retained tax of the firms that exist before the agreement, land income,
    dividends and capex; per swept firm, its ramp, exponents and retained-tax rate."""

    def __init__(self, sc: Any) -> None:
        sh = sc.sharing
        assert len(sc.parties) == 2 and sh.rule == "fixed" and sh.scope == "new_firms"
        assert not sh.floors and sh.cap is None and sh.review is None
        clauses = tuple(sh.clause(c).rule for c in ("land", "dividends", "investment"))
        assert clauses == ("source", "equity", "equity")
        pids = list(sc.party_ids)
        n_t = sc.n_years
        self.t = np.arange(n_t)
        assert sh.from_year == sc.start_year and sh.years >= n_t  # the agreement runs every year
        self.share = np.array([sh.params["shares"][p] for p in pids])
        years = sc.start_year + self.t
        keep = {p.id: p.retained_share for p in sc.parties}
        tx = sc.taxes

        def rate(f: Any) -> float:  # retained tax per unit of output, as the model has it
            vat = f.value_added_ratio * f.vat_rate
            local = (
                vat * tx.vat_local_share
                + f.profit_margin * f.cit_rate * tx.cit_local_share
                + f.wage_ratio * f.pit_rate * tx.pit_local_share
                + (vat * f.surcharge_rate + f.other_local_rate)
            )
            return float(local * keep[f.party])

        def ramp(f: Any) -> tuple[np.ndarray, np.ndarray]:
            k = years - f.first_year
            profile = np.where(k >= 0, np.minimum(1.0, (k + 1.0) / f.ramp_years), 0.0)
            return profile, np.maximum(k, 0.0)

        # per party and year: everything no swept input touches
        self.existing = np.zeros((2, n_t))
        for f in sc.firms:
            if f.id not in SWEPT:
                assert f.existing  # its tax is not pooled
                profile, k = ramp(f)
                retained = np.power(1.0 + f.growth, k) * f.output * profile * rate(f)
                self.existing[pids.index(f.party)] += retained
        self.land = np.zeros((2, n_t))
        for s in sc.land_sales:
            net = s.area_mu * s.price * (1.0 - s.cost_share - s.rural_earmark)
            self.land[pids.index(s.party), s.year - sc.start_year] += net
        inv = sc.investment
        capex = np.zeros(n_t)
        for year, amount in inv.capex.items():
            capex[year - sc.start_year] = amount
        payout = inv.payout_ratio * inv.return_rate * (np.cumsum(capex) - capex)
        equity = np.array([inv.equity[p] for p in pids])[:, None]
        self.dividends, self.investment = equity * payout, -equity * capex
        firms = {f.id: f for f in sc.firms}
        self.battery, self.hub = firms["battery-plant"], firms["logistics-hub"]
        assert not self.battery.existing and not self.hub.existing  # both pooled
        (self.b_ramp, self.b_k), (self.h_ramp, self.h_k) = ramp(self.battery), ramp(self.hub)
        self.b_rate, self.h_rate = rate(self.battery), rate(self.hub)
        self.b_party, self.h_party = pids.index(self.battery.party), pids.index(self.hub.party)
        assert self.b_party != self.h_party

    def new_firms(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(m, T)`` each swept firm's retained tax."""
        g_b, out_b, g_h = x[:, 0], x[:, 1], x[:, 2]
        bat = np.power(1.0 + g_b[:, None], self.b_k)
        bat *= out_b[:, None]
        bat *= self.b_ramp
        bat *= self.b_rate
        hub = np.power(1.0 + g_h[:, None], self.h_k)
        hub *= self.hub.output
        hub *= self.h_ramp
        hub *= self.h_rate
        return bat, hub


def kernel(ref: Reference, x: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """(a) ``(n, 2, 2)``: each party's NPV and NPV with no agreement (what the sweep's
    gains are over), from its tax, land, dividends and investment each year."""
    out = np.empty((len(x), 2, 2))
    n_t = len(ref.t)
    for i in range(0, len(x), chunk):
        part = x[i : i + chunk]
        m = len(part)
        rate, c = part[:, 3], part[:, 4]
        df = (1.0 + rate[:, None]) ** -ref.t
        bat, hub = ref.new_firms(part)
        pool = bat + hub
        net, moved = np.empty((m, 2, n_t)), np.empty((m, 2, n_t))
        for p, own in ((ref.b_party, bat), (ref.h_party, hub)):
            source = ref.existing[p] + own  # tax at source
            tax = source - own  # the agreed: source less own pooled tax plus a share of the pool
            tax += ref.share[p] * pool
            tax -= source  # settled at compliance c: source + c (agreed − source)
            tax *= c[:, None]
            tax += source
            np.subtract(tax, source, out=moved[:, p])  # what the agreement moves
            tax += ref.land[p]
            tax += ref.dividends[p]
            tax += ref.investment[p]
            net[:, p] = tax
        npv = np.einsum("spt,st->sp", net, df)
        out[i : i + m, 0] = npv
        out[i : i + m, 1] = npv - np.einsum("spt,st->sp", moved, df)
    return out


def linear(ref: Reference, x: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """(a′) The same by linearity: discount each stream first, then share."""
    fixed = ref.existing + ref.land + ref.dividends + ref.investment  # (2, T)
    out = np.empty((len(x), 2, 2))
    for i in range(0, len(x), chunk):
        part = x[i : i + chunk]
        rate, c = part[:, 3], part[:, 4]
        df = (1.0 + rate[:, None]) ** -ref.t
        bat, hub = ref.new_firms(part)
        pv_b, pv_h = np.einsum("st,st->s", df, bat), np.einsum("st,st->s", df, hub)
        source = df @ fixed.T
        source[:, ref.b_party] += pv_b
        source[:, ref.h_party] += pv_h
        npv = source.copy()
        npv[:, ref.b_party] += c * (ref.share[ref.b_party] * (pv_b + pv_h) - pv_b)
        npv[:, ref.h_party] += c * (ref.share[ref.h_party] * (pv_b + pv_h) - pv_h)
        out[i : i + len(part), 0], out[i : i + len(part), 1] = npv, source
    return out


def model(spec: Any, x: np.ndarray) -> np.ndarray:
    """(b) The batch model as the sweep runs it: ``(n, 2, 2)`` as :func:`kernel`."""
    from sim.agreement import outcome_npv, resolve
    from sim.sweep.run import agreements, apply_parameters

    batch, terms = apply_parameters(spec, x)
    label = spec.rules[0]
    outcome = resolve(spec.scenario, agreements(spec.scenario)[label], batch, terms[label])
    values = outcome_npv(batch, outcome)
    return np.stack([values.npv, values.source], axis=1)


def model_streams(spec: Any, x: np.ndarray) -> np.ndarray:
    """(b′) The same, every stream of every year built, checked and discounted: the
    route the model takes where shares change by year (``formula``), or with floors, a
    cap or a review (``sim.model._streams_npv``)."""
    from sim.agreement import resolve
    from sim.model import _streams_npv
    from sim.model.batch import STREAMS_CHUNK
    from sim.sweep.run import agreements, apply_parameters

    batch, terms = apply_parameters(spec, x)
    label = spec.rules[0]
    outcome = resolve(spec.scenario, agreements(spec.scenario)[label], batch, terms[label])
    values = _streams_npv(batch, outcome.terms, STREAMS_CHUNK, False, False)
    return np.stack([values.npv, values.source], axis=1)


def model_child(sweep: Path, pythonpath: Path) -> float:
    """(b) in a fresh interpreter running ``sim`` from ``pythonpath``: the best of two."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    proc = subprocess.run(
        [sys.executable, __file__, "--model-of", str(sweep)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode:
        raise SystemExit(f"the model failed:\n{proc.stderr[-3000:]}")
    return float(proc.stdout.split()[-1])


def _model_only(sweep: Path) -> None:
    from sim._malloc import tune
    from sim.sweep.designs import sample
    from sim.sweep.spec import load_sweep

    tune()
    spec = load_sweep(sweep)
    x = sample(spec, 0, spec.n)
    print(min(timed(lambda: model(spec, x))[0] for _ in range(2)))


# --------------------------------------------------------------------------- the sweep


def sweep_child(sweep: Path, out: Path, pythonpath: Path) -> dict[str, Any]:
    """(c), (d) ``sim sweep`` in a fresh interpreter: wall time, stages, peak memory."""
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(STAGES), str(sweep), str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"sim sweep failed:\n{proc.stderr[-3000:]}")
    doc: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    doc["wall_s"] = wall
    doc["stages"]["start"] = wall - doc["run_s"]  # the interpreter's own start
    return doc


def old_tree(work: Path, rev: str) -> Path:
    """``sim`` as it was at commit ``rev``, in a folder of its own."""
    dest = work / f"sim-{rev}"
    dest.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "sim"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def best_of(rounds: list[dict[str, float]], key: str) -> float:
    return min(r[key] for r in rounds)


def profile(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run's stages, in seconds and in % of its wall time."""
    run = min(runs, key=lambda r: r["wall_s"])
    order = ("start", *run["stages"])
    return {
        "wall_s": round(run["wall_s"], 3),
        "wall_s_each_run": [round(r["wall_s"], 3) for r in runs],
        "peak_mb": round(run["peak_mb"]),
        "seconds": {k: round(run["stages"][k], 3) for k in order},
        "percent": {k: round(100 * run["stages"][k] / run["wall_s"], 1) for k in order},
        "second_thread": {k: round(v, 3) for k, v in run.get("second_thread", {}).items()},
    }


def timed(fn: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", default=None, help="also profile sim at this git commit")
    ap.add_argument("--loop", type=int, default=2_000)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2, help="also run with this many processes")
    ap.add_argument("--model-of", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.model_of:  # a child: (b) alone
        _model_only(args.model_of)
        return

    from sim._malloc import tune
    from sim.sweep.designs import sample
    from sim.sweep.spec import load_sweep

    tune()  # as the command line does (sim/_malloc.py)
    work = Path(tempfile.mkdtemp(prefix="sim-bench-"))
    try:
        sweep = work / "sweep.toml"
        sweep.write_text(SWEEP.format(base=ROOT / "scenarios" / "co-built-park.toml", n=args.n))
        spec = load_sweep(sweep)
        ref = Reference(spec.scenario)
        x = sample(spec, 0, args.n)
        old = old_tree(work, args.against) if args.against else None

        rounds: list[dict[str, float]] = []
        runs: list[dict[str, Any]] = []
        before: list[dict[str, Any]] = []
        for _ in range(args.repeat):  # alternate, so that a slow spell hits all alike
            r: dict[str, float] = {}
            r["kernel"], k_npv = timed(lambda: kernel(ref, x))
            r["linear"], l_npv = timed(lambda: linear(ref, x))
            r["model"], m_npv = timed(lambda: model(spec, x))
            r["model_streams"], s_npv = timed(lambda: model_streams(spec, x))
            r["model_child"] = model_child(sweep, ROOT)
            if old is not None:
                r["model_before_child"] = model_child(sweep, old)
            rounds.append(r)
            runs.append(sweep_child(sweep, work / "out", ROOT))
            if old is not None:
                before.append(sweep_child(sweep, work / "out-before", old))
        # the kernels compute what the model computes
        for name, got in (("kernel", k_npv), ("linear", l_npv), ("model, streams", s_npv)):
            gap = float(np.abs(got - m_npv).max())
            assert gap <= 1e-12, f"{name} and model NPVs differ by {gap:.3g}"
        kernel_s, linear_s, model_s, streams_s = (
            best_of(rounds, k) for k in ("kernel", "linear", "model", "model_streams")
        )
        after = profile(runs)
        sweep_s = after["wall_s"]
        report: dict[str, Any] = {
            "scenarios": args.n,
            "parameters": len(spec.parameters),
            "kernel_s": round(kernel_s, 3),
            "linear_kernel_s": round(linear_s, 3),
            "model_s": round(model_s, 3),
            "model_every_stream_s": round(streams_s, 3),
            "sweep_s": sweep_s,
            "sweep_without_start_and_imports_s": round(
                sweep_s - after["seconds"]["start"] - after["seconds"]["imports"], 3
            ),
            "peak_memory_mb": after["peak_mb"],
            "model_speed_vs_kernel": round(kernel_s / model_s, 2),
            "model_speed_vs_linear_kernel": round(linear_s / model_s, 2),
            "model_every_stream_speed_vs_kernel": round(kernel_s / streams_s, 2),
            "sweep_vs_model": round(sweep_s / model_s, 2),
            "sweep_without_start_and_imports_vs_model": round(
                (sweep_s - after["seconds"]["start"] - after["seconds"]["imports"]) / model_s, 2
            ),
            "sweep_scenarios_per_s": round(args.n / sweep_s),
            "npv_gap_kernel": float(np.abs(k_npv - m_npv).max()),
            "npv_gap_linear": float(np.abs(l_npv - m_npv).max()),
            "npv_gap_model_every_stream": float(np.abs(s_npv - m_npv).max()),
            "rounds": rounds,
            "profile": after,
        }
        if before:
            report["model_in_a_fresh_process_s"] = round(best_of(rounds, "model_child"), 3)
            report["model_before_in_a_fresh_process_s"] = round(
                best_of(rounds, "model_before_child"), 3
            )
            report["profile_before"] = profile(before)
        if args.workers > 1:
            report.update(_processes(sweep, work, args.workers))
        report.update(_loop_and_ema(spec, work / "out", args.loop, args.n / sweep_s))
        _print(report)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _print(report: dict[str, Any]) -> None:
    for key, value in report.items():
        if key in ("rounds", "profile", "profile_before"):
            continue
        print(f"{key:42s} {value}")
    for key in ("profile_before", "profile"):
        if key in report:
            p = report[key]
            print(f"\n{key} ({p['wall_s']} s, peak {p['peak_mb']} MB):")
            for stage, s in p["seconds"].items():
                print(f"  {stage:12s} {s:7.3f} s {p['percent'][stage]:6.1f} %")
            for stage, s in p.get("second_thread", {}).items():
                print(f"  {stage} {s:7.3f} s (overlapping the above)")


def _processes(sweep: Path, work: Path, workers: int) -> dict[str, Any]:
    code = (
        "import time\nt0 = time.perf_counter()\n"
        "from sim._malloc import tune\nfrom sim.sweep.execute import run_sweep\ntune()\n"
        f"run_sweep({str(sweep)!r}, {str(work / 'out-p')!r}, executor='processes', "
        f"workers={workers})\nprint(time.perf_counter() - t0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return {f"sweep_run_s_{workers}_processes": round(float(proc.stdout.split()[-1]), 2)}


def scalar_npv(scenario: Any, row: np.ndarray) -> tuple[float, float]:
    """The loop baseline: apply one row of parameters, run the plain-Python model."""
    from sim._reference import run_scalar

    firms = list(scenario.firms)
    ids = [f.id for f in firms]
    b, h = ids.index("battery-plant"), ids.index("logistics-hub")
    firms[b] = replace(firms[b], growth=float(row[0]), output=float(row[1]))
    firms[h] = replace(firms[h], growth=float(row[2]))
    sc = replace(
        scenario,
        firms=tuple(firms),
        discount_rate=float(row[3]),
        sharing=replace(scenario.sharing, compliance=float(row[4])),
    )
    out = run_scalar(sc)
    return out["SC"]["npv"][0], out["CQ"]["npv"][0]


def _loop_and_ema(spec: Any, out: Path, loop: int, sweep_rate: float) -> dict[str, Any]:
    """The same scenarios one at a time (plain loop; EMA Workbench if installed)."""
    from sim.sweep.designs import sample
    from sim.sweep.execute import read_results

    rows = sample(spec, 0, loop)
    table = read_results(out)
    t0 = time.perf_counter()
    npv = np.array([scalar_npv(spec.scenario, r) for r in rows])
    loop_rate = loop / (time.perf_counter() - t0)
    np.testing.assert_allclose(
        npv, table[["npv.SC", "npv.CQ"]].to_numpy()[:loop], rtol=1e-9, atol=1e-9
    )
    report: dict[str, Any] = {
        "loop_scenarios_per_s": round(loop_rate),
        "speedup_vs_loop": round(sweep_rate / loop_rate, 1),
    }
    report.update(_ema(spec, rows[: min(500, loop)], sweep_rate))
    return report


def _ema(spec: Any, rows: np.ndarray, sweep_rate: float) -> dict[str, Any]:
    try:
        from ema_workbench import (
            Model,
            RealParameter,
            ScalarOutcome,
            SequentialEvaluator,
            perform_experiments,
        )
    except ImportError:
        return {"ema_workbench": "not installed"}
    import logging

    logging.getLogger("EMA").setLevel(logging.ERROR)
    names = ["g_battery", "out_battery", "g_hub", "discount", "compliance"]

    def model(**kw: float) -> dict[str, float]:
        sc, cq = scalar_npv(spec.scenario, np.array([kw[n] for n in names]))
        return {"npv_SC": sc, "npv_CQ": cq}

    m = Model("park", function=model)
    m.uncertainties = [
        RealParameter("g_battery", 0.0, 0.12),
        RealParameter("out_battery", 40.0, 90.0),
        RealParameter("g_hub", -0.05, 0.2),
        RealParameter("discount", 0.03, 0.08),
        RealParameter("compliance", 0.4, 1.0),
    ]
    m.outcomes = [ScalarOutcome("npv_SC"), ScalarOutcome("npv_CQ")]
    n = len(rows)
    t0 = time.perf_counter()
    with SequentialEvaluator(m) as evaluator:
        perform_experiments(m, scenarios=n, evaluator=evaluator)
    rate = n / (time.perf_counter() - t0)
    return {"ema_scenarios_per_s": round(rate), "speedup_vs_ema": round(sweep_rate / rate, 1)}


if __name__ == "__main__":
    main()
