"""How much memory the cooperative game of a scenario needs, estimated before any work.

``sim compare`` (and every command that builds the game) values all ``2^n`` coalitions
of ``n`` parties and solves Shapley, the nucleolus and the core over them: memory grows
as ``2^n``, and 18 to 20 parties with many firms need gigabytes. The command line
checks :func:`game_memory` against a limit (:func:`default_memory_limit` unless the
user gives one) and refuses before starting rather than failing with a MemoryError
half way through.

The estimate is the largest of the stages, each measured on n-party scenarios (the
ratio of the estimate to the measured peak is in the README):

- the coalition values (:func:`sim.agreement.coalitions.coalition_values`): a
  ``(2^n, F, n)`` boolean tensor of which firms each coalition keeps, then the
  ``(2^n, F)`` weights, the ``(2^n, n)`` membership as integers and the land sales'
  ``(L, 2^n)`` membership;
- the game's solvers (Shapley, the nucleolus by constraint generation, the least core),
  measured at about ``40 · n`` bytes per coalition and counted at :data:`SOLVER_BYTES`
  per coalition and party;

plus :data:`BASE_BYTES` for the interpreter and libraries.
"""

from __future__ import annotations

import os
import resource

from sim.scenario import Scenario

__all__ = [
    "BASE_BYTES",
    "DEFAULT_FRACTION",
    "SOLVER_BYTES",
    "address_space_limit",
    "available_memory",
    "default_memory_limit",
    "format_bytes",
    "game_memory",
    "parse_bytes",
]

BASE_BYTES = 120 * 2**20
"""The interpreter, numpy, scipy and sim loaded, and one scenario's model [bytes]."""
SOLVER_BYTES = 56
"""Memory of the game's solvers per coalition and party [bytes] (measured: 56 at 16
parties, 38 at 18)."""
DEFAULT_FRACTION = 0.75
"""Share of the available memory (or of the address-space limit) a command may use."""


def game_memory(scenario: Scenario) -> int:
    """Estimated peak memory [bytes] of building and solving ``scenario``'s game.

    0 beyond :data:`sim.agreement.resolve.MAX_GAME_PARTIES` parties, where the game is
    not built.

    Examples
    --------
    >>> import sim
    >>> sc = sim.load_scenario("scenarios/gaozhu.toml")
    >>> format_bytes(game_memory(sc))
    '120 MB'
    """
    from sim.agreement.resolve import MAX_GAME_PARTIES

    n = len(scenario.parties)
    if n > MAX_GAME_PARTIES:
        return 0
    c = 1 << n
    f, land = len(scenario.firms), len(scenario.land_sales)
    values = max(c * f * (n + 1), 8 * c * f + 16 * c * n + 8 * c * land) * 11 // 10
    solvers = SOLVER_BYTES * c * n
    return BASE_BYTES + max(values, solvers)


def default_memory_limit() -> int:
    """:data:`DEFAULT_FRACTION` of the memory available now [bytes], and of what the
    process's address-space limit (``ulimit -v``) leaves, whichever is smaller."""
    available = available_memory()
    limit = address_space_limit()
    if limit is not None:
        available = min(available, max(0, limit - _address_space()))
    return int(DEFAULT_FRACTION * available)


def address_space_limit() -> int | None:
    """The process's address-space limit (``ulimit -v``) [bytes]; ``None``: none."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else int(soft)


_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_bytes(text: str) -> int:
    """A size such as ``8GB``, ``500MB``, ``1.5G`` or ``1000000`` (bytes) in bytes
    (powers of 1024).

    Raises
    ------
    ValueError
        If ``text`` is not a positive size.

    Examples
    --------
    >>> parse_bytes("8GB"), parse_bytes("500 MB"), parse_bytes("1024")
    (8589934592, 524288000, 1024)
    """
    s = text.strip().upper().replace(" ", "")
    s = s[:-1] if len(s) > 1 and s.endswith("B") and s[-2] in "KMGT" else s
    number, unit = (s[:-1], s[-1]) if s and s[-1] in "BKMGT" else (s, "")
    try:
        value = float(number) * _UNITS[unit]
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{text!r} is not a size: write e.g. 8GB, 500MB or a number of bytes")
    return int(value)


def format_bytes(n: float) -> str:
    """``n`` bytes as MB below 10 GB, GB above (powers of 1024)."""
    if n < 10 * 2**30:
        return f"{n / 2**20:,.0f} MB"
    return f"{n / 2**30:,.1f} GB"


def available_memory() -> int:
    """Memory available for a new allocation [bytes]: MemAvailable of /proc/meminfo (free
    memory plus what the kernel can reclaim), else the free pages."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))


def _address_space() -> int:
    """The process's virtual size now [bytes] (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * int(os.sysconf("SC_PAGE_SIZE"))
    except OSError:
        return 0
