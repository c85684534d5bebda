"""The one timing helper the benchmark scripts share (run them from any folder)."""

from __future__ import annotations

import math
import time
from typing import Any


def timed(fn: Any, *args: Any, repeat: int = 1) -> tuple[float, Any]:
    """The best of ``repeat`` wall-clock times of ``fn(*args)`` [s], and its result."""
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out
