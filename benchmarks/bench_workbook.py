"""Scenario workbooks: how long writing and reading one takes, beside reading the TOML.

- the reference scenario (``scenarios/co-built-park.toml``): ``sim template``'s work
  (write the workbook, read it back to check it) and ``sim.scenario.load`` of the
  workbook against the TOML file;
- a large scenario (``--firms`` firms, a land sale each): the same, to see how it grows.

Best of ``--repeat`` runs, in milliseconds. Run: ``python benchmarks/bench_workbook.py``
"""

from __future__ import annotations

import argparse
import copy
import math
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from sim.convert import render
from sim.scenario import load, parse
from sim.workbook.read import read_workbook
from sim.workbook.totoml import dumps
from sim.workbook.write import write_workbook

ROOT = Path(__file__).resolve().parent.parent


def best_ms(fn: Any, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return 1000 * best


def large(data: dict[str, Any], n: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    firm, sale = out["firms"][2], out["land_sales"][0]
    out["firms"] = [{**firm, "id": f"firm-{i}", "output": 1.0 + i % 7} for i in range(n)]
    out["land_sales"] = [dict(sale) for _ in range(n)]
    return out


def measure(name: str, data: dict[str, Any], repeat: int, folder: Path) -> None:
    scenario = parse(data, name)
    book = write_workbook(data)
    xlsx, toml = folder / f"{name}.xlsx", folder / f"{name}.toml"
    xlsx.write_bytes(book)
    toml.write_text(dumps(data), encoding="utf-8")
    rows = [
        ("write the workbook", best_ms(lambda: write_workbook(data), repeat)),
        ("read it (cells → mapping)", best_ms(lambda: read_workbook(name, book), repeat)),
        ("load it (read + validate)", best_ms(lambda: load(xlsx), repeat)),
        ("load the TOML file", best_ms(lambda: load(toml), repeat)),
        ("sim template's work (write, read back, compare)",
         best_ms(lambda: render(scenario, data, ".xlsx"), repeat)),
    ]  # fmt: skip
    print(f"{name}: {len(data['firms'])} firms, workbook {len(book) / 1024:.0f} KiB")
    for what, ms in rows:
        print(f"  {what:<50} {ms:9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    reference = tomllib.loads((ROOT / "scenarios" / "co-built-park.toml").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        measure("co-built-park", reference, args.repeat, Path(tmp))
        measure(f"{args.firms}-firms", large(reference, args.firms), max(1, args.repeat // 2),
                Path(tmp))  # fmt: skip


if __name__ == "__main__":
    main()
