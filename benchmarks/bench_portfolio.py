"""Portfolio sweeps: their cost against the parks' own sweeps, and a 10-park run.

1. **Side by side.** The shipped Chengdu–Chongqing portfolio (four parks and a fund),
   with one swept input in each park, is swept with ``sim portfolio sweep``; then each
   park is swept alone with the same input and the same number of scenarios (its own
   agreement only, no standalone values, as the portfolio sweep evaluates), each run
   in this process with the same chunk size, alternately, the quicker of ``--rounds``
   each. Reported: both CPU times (this process's, so that other work on a shared
   machine counts less than in wall time), the ratio (the target is at most 1.2×), the
   wall times and the load average.
2. **Ten parks, 100,000 scenarios.** A temporary portfolio of ten parks (the shipped
   parks repeated, every one its own park) and the fund, with a common growth shock,
   the common discount rate and a swept input in every park, run in a fresh
   interpreter; reported: its wall and CPU time and peak resident memory.

Run: ``python benchmarks/bench_portfolio.py [--n 20000] [--big 100000] [--rounds 3] [--json F]``
(``OMP_NUM_THREADS=1`` for numbers that do not depend on how busy the other core is).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PORTFOLIO = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
REPEATS = 3
PARKS = {  # park id → (file, a swept input of the park)
    "gaozhu": ("gaozhu.toml", "firms.battery-plant.growth"),
    "suitong": ("suitong-liaoning-5-5.toml", "sharing.compliance"),
    "wandakai": ("wandakai.toml", "firms.new-materials.growth"),
    "neirong": ("neirong.toml", "firms.neijiang-biotech.growth"),
}
RANGE = {"growth": (0.02, 0.10), "compliance": (0.6, 1.0)}
PARTIES = {
    "gaozhu": '{ SC = "SC", CQ = "CQ" }',
    "suitong": '{ SN = "SC", TN = "CQ" }',
    "wandakai": '{ DZ = "SC", WZ = "CQ", KZ = "CQ" }',
    "neirong": '{ NJ = "SC", RC = "CQ" }',
}


def _dist(path: str) -> str:
    low, high = RANGE[path.rsplit(".", 1)[1]]
    return f'{{ dist = "uniform", low = {low}, high = {high} }}'


def _portfolio_sweep(
    folder: Path, portfolio: Path, parks: dict[str, str], n: int, common: bool
) -> Path:
    lines = [
        "[sweep]",
        f'portfolio = "{portfolio.as_posix()}"',
        f"n = {n}",
        "seed = 1",
        "[sweep.parameters]",
    ]
    if common:
        lines += [
            '"common.growth_shock" = { dist = "uniform", low = -0.02, high = 0.02 }',
            '"common.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }',
        ]
    lines += [f'"parks.{park}.{path}" = {_dist(path)}' for park, path in parks.items()]
    out = folder / "portfolio-sweep.toml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _timed(run: Any) -> tuple[float, float]:
    """CPU and wall seconds of ``run()``."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def side_by_side(n: int, chunk: int, fund: bool, rounds: int = REPEATS) -> dict[str, Any]:
    """CPU and wall seconds of the portfolio sweep (the shipped one, or without its fund)
    and of its parks' single sweeps, in this process."""
    from sim.portfolio.sweep_run import run_portfolio_sweep
    from sim.sweep.execute import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        portfolio = PORTFOLIO
        if not fund:
            portfolio = folder / "nofund.toml"
            text = PORTFOLIO.read_text(encoding="utf-8").split("[fund]")[0]
            portfolio.write_text(
                text.replace('file = "../', f'file = "{ROOT.as_posix()}/scenarios/')
            )
        sweep = _portfolio_sweep(folder, portfolio, {k: v[1] for k, v in PARKS.items()}, n, False)
        singles = []
        for park, (file, path) in PARKS.items():
            single = folder / f"{park}.toml"
            single.write_text(
                f'[sweep]\nbase = "{(ROOT / "scenarios" / file).as_posix()}"\nn = {n}\nseed = 1\n'
                'rules = ["agreement"]\nstandalone = false\nexplain = false\n'
                f'[sweep.parameters]\n"{path}" = {_dist(path)}\n',
                encoding="utf-8",
            )
            singles.append(single)
        run_portfolio_sweep(sweep, folder / "warm", chunk_size=chunk)  # imports, caches
        for single in singles:
            run_sweep(single, folder / f"{single.stem}-warm", chunk_size=chunk)
        load = os.getloadavg()[0]
        together, alone = [], []
        for r in range(rounds):  # alternately, the quicker of each: others share the VM
            together.append(
                _timed(lambda r=r: run_portfolio_sweep(sweep, folder / f"p-{r}", chunk_size=chunk))
            )
            alone.append(
                _timed(
                    lambda r=r: [
                        run_sweep(single, folder / f"{single.stem}-{r}", chunk_size=chunk)
                        for single in singles
                    ]
                )
            )
    best, parks = min(together), min(alone)
    return {
        "n": n,
        "fund": fund,
        "portfolio_cpu_s": best[0],
        "parks_cpu_s": parks[0],
        "ratio": best[0] / parks[0],
        "portfolio_wall_s": min(t[1] for t in together),
        "parks_wall_s": min(t[1] for t in alone),
        "load": [load, os.getloadavg()[0]],
    }


def ten_parks(n: int, chunk: int) -> dict[str, Any]:
    """Time and peak memory of a 10-park sweep of ``n`` scenarios in a fresh interpreter."""
    ids = list(PARKS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = [
            '[meta]\nname = "ten"\ntitle = "Ten parks"\ntitle_zh = "十个园区"\n',
            '[[parties]]\nid = "SC"\nname = "Sichuan"\nname_zh = "四川"\nlevel = "province"\n',
            '[[parties]]\nid = "CQ"\nname = "Chongqing"\nname_zh = "重庆"\nlevel = "province"\n',
        ]
        swept = {}
        for i in range(10):
            base = ids[i % len(ids)]
            park = f"{base}{i}"
            file = (ROOT / "scenarios" / PARKS[base][0]).as_posix()
            text.append(f'[[parks]]\nid = "{park}"\nfile = "{file}"\nparties = {PARTIES[base]}\n')
            swept[park] = PARKS[base][1]
        fund = PORTFOLIO.read_text(encoding="utf-8").split("[fund]", 1)[1]
        fund = fund.replace('park = "gaozhu"', 'park = "gaozhu0"')
        fund = fund.replace('park = "wandakai"', 'park = "wandakai2"')
        portfolio = folder / "ten.toml"
        portfolio.write_text("\n".join(text) + "\n[fund]" + fund, encoding="utf-8")
        sweep = _portfolio_sweep(folder, portfolio, swept, n, True)
        code = (
            "import resource, time\n"
            "from sim.portfolio.sweep_run import run_portfolio_sweep\n"
            "t0, c0 = time.perf_counter(), time.process_time()\n"
            f"run_portfolio_sweep({str(sweep)!r}, {str(folder / 'out')!r}, chunk_size={chunk})\n"
            "print(time.perf_counter() - t0, time.process_time() - c0,\n"
            "      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        seconds, cpu, kb = done.stdout.split()
        parts = len(list((folder / "out" / "parts").glob("*.parquet")))
        size = sum(p.stat().st_size for p in (folder / "out").rglob("*") if p.is_file())
        shutil.rmtree(folder / "out")
    return {
        "parks": 10,
        "n": n,
        "seconds": float(seconds),
        "cpu_s": float(cpu),
        "peak_mb": int(kb) / 1024,
        "parts": parts,
        "results_mb": size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="scenarios side by side")
    parser.add_argument("--big", type=int, default=100_000, help="scenarios of the 10-park run")
    parser.add_argument("--chunk-size", type=int, default=65_536)
    parser.add_argument("--rounds", type=int, default=REPEATS, help="alternate runs, quickest")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    a = [side_by_side(args.n, args.chunk_size, fund, args.rounds) for fund in (False, True)]
    for r in a:
        print(
            f"side by side, {r['n']:,} scenarios, {'with' if r['fund'] else 'without'} the fund: "
            f"portfolio sweep {r['portfolio_cpu_s']:.3f} s CPU, its four parks' single sweeps "
            f"{r['parks_cpu_s']:.3f} s CPU: {r['ratio']:.2f}x (wall {r['portfolio_wall_s']:.2f} "
            f"and {r['parks_wall_s']:.2f} s; load average {r['load'][0]:.1f}, {r['load'][1]:.1f})"
        )
    b = ten_parks(args.big, args.chunk_size)
    print(
        f"10 parks, {b['n']:,} scenarios: {b['seconds']:.1f} s ({b['cpu_s']:.1f} s CPU), "
        f"peak {b['peak_mb']:.0f} MB "
        f"({b['parts']} parts, {b['results_mb']:.1f} MB of results); "
        f"this process's peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    if args.json:
        args.json.write_text(json.dumps({"side_by_side": a, "ten_parks": b}, indent=2))


if __name__ == "__main__":
    main()
