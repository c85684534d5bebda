"""Named package alternatives of a portfolio sweep (``[[sweep.packages]]``): each sets the
pool shares of some of the portfolio's parks, every other park kept as drafted, and is
evaluated on the sweep's own scenarios by ``sim robust`` (:mod:`sim.portfolio.robust`).

.. code-block:: toml

    [[sweep.packages]]
    name = "gaozhu-60"
    name_zh = "高竹 6:4"
    shares.gaozhu = { SC = 0.6, CQ = 0.4 }

A park whose shares a package sets must have a fixed-shares agreement (its floors, cap
and review clause are kept); its shares name every party of the park, each in [0, 1],
summing to 1, and are not swept. Problems are told by key path, every one at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.errors import Problem
from sim.i18n import Reason
from sim.portfolio.types import Portfolio

__all__ = ["DRAFTED", "PackageAlt", "read_packages"]

DRAFTED = "agreement"
"""The label of the package as drafted (every park's own agreement)."""
_KEYS = ("name", "name_zh", "shares")


@dataclass(frozen=True)
class PackageAlt:
    """A package: the pool shares of some parks (park → its party → share)."""

    name: str
    name_zh: str
    shares: Mapping[str, Mapping[str, float]]


def read_packages(
    raw: Any, portfolio: Portfolio, swept: Sequence[str], problems: list[Problem]
) -> tuple[PackageAlt, ...]:
    """The ``[[sweep.packages]]`` array (``None``: no packages); its problems appended to
    ``problems`` with their key paths. ``swept`` are the sweep's parameter key paths."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        problems.append(Problem("sweep.packages", Reason("not_table", got=repr(raw)[:40])))
        return ()
    out: list[PackageAlt] = []
    seen = {DRAFTED}
    for i, table in enumerate(raw):
        where = f"sweep.packages[{i}]"
        problems.extend(
            Problem(f"{where}.{k}", Reason("unknown_key", allowed=", ".join(_KEYS)))
            for k in table
            if k not in _KEYS
        )
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"{where}.name", Reason("not_string", got=repr(name))))
            continue
        if name in seen:
            problems.append(Problem(f"{where}.name", Reason("duplicate_label", got=repr(name))))
        seen.add(name)
        zh = table.get("name_zh", name)
        if not isinstance(zh, str) or not zh.strip():
            problems.append(Problem(f"{where}.name_zh", Reason("not_string", got=repr(zh))))
            zh = name
        shares = _shares(table.get("shares"), portfolio, swept, f"{where}.shares", problems)
        out.append(PackageAlt(name, zh, shares))
    return tuple(out)


def _shares(
    raw: Any, portfolio: Portfolio, swept: Sequence[str], where: str, problems: list[Problem]
) -> dict[str, dict[str, float]]:
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(where, Reason("pkg_shares", got=repr(raw)[:40])))
        return {}
    parks = {k.id: k for k in portfolio.parks}
    out: dict[str, dict[str, float]] = {}
    for park_id, table in raw.items():
        path = f"{where}.{park_id}"
        park = parks.get(park_id)
        if park is None:
            known = tuple(parks)
            problems.append(Problem(path, Reason("unknown_id", what="park", got=repr(park_id),
                                                 known=known)))  # fmt: skip
            continue
        sc = park.scenario
        if sc.sharing.rule != "fixed":
            problems.append(Problem(path, Reason("pkg_not_fixed", rule=sc.sharing.rule)))
            continue
        mine = f"parks.{park_id}.sharing.shares."
        if any(s.startswith(mine) for s in swept):
            problems.append(Problem(path, Reason("pkg_swept", park=park_id)))
            continue
        got = _party_shares(table, sc.party_ids, path, problems)
        if got is not None:
            out[park_id] = got
    return out


def _party_shares(
    table: Any, parties: Sequence[str], path: str, problems: list[Problem]
) -> dict[str, float] | None:
    if not isinstance(table, dict):
        problems.append(Problem(path, Reason("share_table", what="party", got=repr(table)[:40])))
        return None
    before = len(problems)
    for p in table:
        if p not in parties:
            problems.append(
                Problem(f"{path}.{p}", Reason("unknown_party", got=repr(p), parties=tuple(parties)))
            )
    values: dict[str, float] = {}
    for p in parties:
        v = table.get(p)
        if v is None:
            problems.append(Problem(f"{path}.{p}", Reason("missing_party", party=p)))
        elif isinstance(v, bool) or not isinstance(v, int | float):
            problems.append(Problem(f"{path}.{p}", Reason("not_number", got=repr(v))))
        elif not 0.0 <= float(v) <= 1.0:
            problems.append(Problem(f"{path}.{p}", Reason("range", interval="[0, 1]", got=v)))
        else:
            values[p] = float(v)
    if len(problems) == before and abs(sum(values.values()) - 1.0) > 1e-9:
        problems.append(Problem(path, Reason("sum_to_one", total=f"{sum(values.values()):.6g}")))
    return values if len(problems) == before else None
