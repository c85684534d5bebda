"""``sim serve``'s response times through HTTP, against rerunning the command.

Starts the server on a free port in this process (a thread), opens Gaozhu, and times
each kind of request the page makes with new terms each time (a different pool share),
and again with the same terms (what is cached). The baseline, measured in the same
run: what an official does without the page — edit the file and rerun ``sim compare
--explain FILE`` in a fresh process.

Run: ``python benchmarks/bench_serve.py [--repeat 40] [--baseline-runs 3]``
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GAOZHU = ROOT / "scenarios" / "gaozhu.toml"


def _fields(x: float) -> dict[str, Any]:
    return {"sharing.shares.SC": f"{x:.4f}", "sharing.shares.CQ": f"{1 - x:.4f}"}


class Page:
    """The page's requests, to a server on ``base`` with one workspace open."""

    def __init__(self, base: str) -> None:
        self.base = base
        with urllib.request.urlopen(base + "/") as response:
            located, page = response.geturl(), response.read().decode()
        m = re.search(r"/w/([^?]+)", located)
        token = re.search(r'name="token" value="([^"]+)"', page)  # as the page's script
        assert m is not None and token is not None
        self.wid, self.token = m.group(1), token.group(1)

    def post(self, what: str, **body: Any) -> float:
        """Milliseconds to answer one request (the body read whole)."""
        data = json.dumps({"lang": "en", **body}).encode()
        request = urllib.request.Request(
            f"{self.base}/w/{self.wid}/api/{what}",
            data=data,
            headers={"Content-Type": "application/json", "X-Sim-Token": self.token},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
        return 1000 * (time.perf_counter() - started)


def _row(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{name:52s} {len(times):4d}  {median:8.1f} ms  (max {max(times):.1f})")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="requests of each kind")
    parser.add_argument(
        "--baseline-runs", type=int, default=3, help="fresh `sim compare` processes timed"
    )
    args = parser.parse_args()
    n = max(2, args.repeat)

    from sim.scenario import load
    from sim.web import make_app, make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder, load(GAOZHU), name="gaozhu.toml")
        server = make_server(app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            page = Page(f"http://127.0.0.1:{server.server_port}")
            shares = [0.30 + 0.5 * i / n for i in range(n)]
            print(f"{'request (Gaozhu)':52s} {'n':>4s}  {'median':>11s}")
            cold = page.post("evaluate", fields=_fields(0.5))
            print(f"{'first request (imports matplotlib, pandas)':52s} {1:4d}  {cold:8.1f} ms")
            evaluate = _row(
                "comparison + decomposition + findings, new terms",
                [page.post("evaluate", fields=_fields(x)) for x in shares],
            )
            _row(
                "the same terms again",
                [page.post("evaluate", fields=_fields(0.6)) for _ in range(n)],
            )
            _row(
                "slider: NPVs at a new pool share",
                [
                    page.post("shares", fields={}, shares={"SC": x, "CQ": round(1 - x, 4)})
                    for x in shares
                ],
            )
            _row("validate the form", [page.post("validate", fields=_fields(x)) for x in shares])
            few = shares[: max(2, n // 8)]
            _row(
                "one figure, new terms (drawn as SVG)",
                [page.post("figure/flows-SC", fields=_fields(x)) for x in few],
            )
            _row(
                "one figure, the same terms (cached)",
                [page.post("figure/flows-SC", fields=_fields(few[0])) for _ in few],
            )
        finally:
            server.shutdown()
            server.server_close()

    runs = []
    for _ in range(max(1, args.baseline_runs)):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sim", "compare", str(GAOZHU), "--explain"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        runs.append(1000 * (time.perf_counter() - started))
    command = _row("baseline: `sim compare --explain` in a fresh process", runs)
    print(f"speedup of the page over rerunning the command: {command / evaluate:.0f}x")


if __name__ == "__main__":
    main()
