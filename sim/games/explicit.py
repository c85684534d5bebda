"""Problems typed in by hand (``sim game solve FILE.json``): parse, validate, solve.

Four shapes, told apart by their keys:

- a TU game: ``{"players": [...], "values": {"A": 0, "A,B": 60, …}}``, keys are
  comma-joined player names in any order, the empty coalition is 0;
- a claims problem: ``{"estate": 200, "claims": {"A": 100, …}}``;
- a bargaining problem over a transferable total: ``{"total": 100, "disagreement":
  {...}, "weights": {...}, "limits": {...}}`` (weights and limits optional);
- two-party bargaining over a convex hull: ``{"players": ["A", "B"], "feasible":
  {"vertices": [[0, 0], …]}, "disagreement": {...}}``.

Every problem in a file is reported at once with its key; a rule that is undefined
for the problem is reported as ``null`` with the reason in ``notes`` while the other
rules are still solved.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from sim.errors import GameFileError, Problem, read_input
from sim.games import solutions
from sim.games.tu import MAX_EXPLICIT_PLAYERS, Array, Game, GameUndefinedError

__all__ = ["ExplicitProblem", "GameFileError", "load_problem", "parse_problem", "solve"]


@dataclass(frozen=True)
class ExplicitProblem:
    family: solutions.Family
    players: tuple[str, ...]
    game: Game | None = None
    estate: float = 0.0
    claims: Array = field(default_factory=lambda: np.zeros(0))
    total: float = 0.0
    disagreement: Array = field(default_factory=lambda: np.zeros(0))
    weights: Array | None = None
    limits: Array | None = None
    vertices: Array | None = None


def load_problem(path: str | Path) -> ExplicitProblem:
    p = Path(path)
    try:
        data = json.loads(read_input(p, GameFileError))
    except json.JSONDecodeError as exc:
        raise GameFileError(str(p), [Problem("", f"JSON syntax error: {exc}")]) from None
    return parse_problem(data, str(p))


def _number(value: Any, path: str, problems: list[Problem]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(Problem(path, f"must be a finite number, got {json.dumps(value)}"))
        return math.nan
    return float(value)


def _by_player(
    value: Any, path: str, players: Sequence[str] | None, problems: list[Problem]
) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        problems.append(Problem(path, "must be an object of player → number"))
        return {}
    out = {}
    for k, v in value.items():
        if players is not None and k not in players:
            problems.append(Problem(f"{path}.{k}", f"unknown player {k!r}"))
        out[k] = _number(v, f"{path}.{k}", problems)
    if players is not None:
        for p in players:
            if p not in value:
                problems.append(Problem(f"{path}.{p}", "missing"))
    return out


def _players(data: dict[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    raw = data.get("players")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        problems.append(Problem("players", "must be a non-empty array of player names"))
        return ()
    if len(set(raw)) != len(raw):
        problems.append(Problem("players", "player names must be distinct"))
    bad = [p for p in raw if "," in p]
    if bad:
        problems.append(Problem("players", f"names may not contain ',': {bad}"))
    return tuple(raw)


def parse_problem(data: Any, source: str = "<data>") -> ExplicitProblem:
    """Validate a parsed JSON problem; every problem is reported at once."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise GameFileError(source, [Problem("", "must be a JSON object")])
    shapes = {
        "tu": {"players", "values"},
        "claims": {"estate", "claims"},
        "bargaining": {"total", "disagreement", "weights", "limits"},
        "hull": {"players", "feasible", "disagreement"},
    }
    if "values" in data:
        family = "tu"
    elif "estate" in data or "claims" in data:
        family = "claims"
    elif "feasible" in data:
        family = "hull"
    elif "total" in data:
        family = "bargaining"
    else:
        raise GameFileError(
            source,
            [
                Problem(
                    "",
                    "cannot tell the problem: give 'values' (a "
                    "game), 'estate' and 'claims', 'total' and "
                    "'disagreement', or 'feasible'",
                )
            ],
        )
    for key in data:
        if key not in shapes[family]:
            problems.append(
                Problem(
                    key,
                    f"unknown key for a {family} problem (allowed: "
                    f"{', '.join(sorted(shapes[family]))})",
                )
            )
    result: ExplicitProblem
    if family == "tu":
        players = _players(data, problems)
        if len(players) > MAX_EXPLICIT_PLAYERS:
            problems.append(Problem("players", f"at most {MAX_EXPLICIT_PLAYERS} players"))
            players = ()
        values = data.get("values")
        v = np.zeros(1 << len(players))
        seen = np.zeros(1 << len(players), dtype=bool)
        seen[0] = True
        if not isinstance(values, dict):
            problems.append(Problem("values", "must be an object of coalition → value"))
            values = {}
        index = {p: i for i, p in enumerate(players)}
        for key, value in values.items():
            names = [k.strip() for k in key.split(",") if k.strip()]
            unknown = [k for k in names if k not in index]
            if unknown or not names:
                problems.append(
                    Problem(
                        f"values.{key}",
                        f"unknown player(s) {unknown}" if unknown else "empty coalition",
                    )
                )
                continue
            mask = sum(1 << index[k] for k in set(names))
            if seen[mask] and mask:
                problems.append(Problem(f"values.{key}", "coalition given twice"))
            seen[mask] = True
            v[mask] = _number(value, f"values.{key}", problems)
        if players and not problems:
            for mask in np.flatnonzero(~seen)[:10]:
                members = ",".join(p for i, p in enumerate(players) if mask >> i & 1)
                problems.append(Problem(f"values.{members}", "missing coalition"))
        result = ExplicitProblem("tu", players, game=Game(players, v) if players else None)
    elif family == "claims":
        estate = _number(data.get("estate"), "estate", problems)
        claims = _by_player(data.get("claims"), "claims", None, problems)
        players = tuple(claims)
        c = np.array([claims[p] for p in players])
        if math.isfinite(estate) and estate < 0:
            problems.append(Problem("estate", "must not be negative"))
        if np.any(c < 0):
            problems.append(Problem("claims", "claims must not be negative"))
        if not problems and estate > c.sum():
            problems.append(Problem("estate", f"{estate:g} exceeds the total claim {c.sum():g}"))
        result = ExplicitProblem("claims", players, estate=estate, claims=c)
    elif family == "bargaining":
        total = _number(data.get("total"), "total", problems)
        d = _by_player(data.get("disagreement"), "disagreement", None, problems)
        players = tuple(d)
        w = lim = None
        if "weights" in data:
            wd = _by_player(data["weights"], "weights", players, problems)
            w = np.array([wd.get(p, 1.0) for p in players])
            if np.any(w <= 0):
                problems.append(Problem("weights", "weights must be positive"))
        if "limits" in data:
            ld = _by_player(data["limits"], "limits", players, problems)
            lim = np.array([ld.get(p, math.inf) for p in players])
        result = ExplicitProblem(
            "bargaining",
            players,
            total=total,
            disagreement=np.array([d[p] for p in players]),
            weights=w,
            limits=lim,
        )
    else:
        players = _players(data, problems)
        if players and len(players) != 2:
            problems.append(Problem("players", "a feasible set needs exactly 2 players"))
        feasible = data.get("feasible")
        verts = feasible.get("vertices") if isinstance(feasible, dict) else None
        ok = (
            isinstance(verts, list)
            and len(verts) >= 3
            and all(isinstance(p, list) and len(p) == 2 for p in verts)
        )
        if not ok:
            problems.append(
                Problem("feasible.vertices", "must be an array of at least 3 [u_A, u_B] pairs")
            )
            arr = None
        else:
            arr = np.array(
                [
                    [_number(x, f"feasible.vertices[{i}]", problems) for x in p]
                    for i, p in enumerate(cast(list[list[Any]], verts))
                ]
            )
        d = _by_player(data.get("disagreement"), "disagreement", players or None, problems)
        result = ExplicitProblem(
            "hull", players, vertices=arr, disagreement=np.array([d.get(p, 0.0) for p in players])
        )
    if problems:
        raise GameFileError(source, problems)
    return result


@dataclass(frozen=True)
class Solved:
    allocations: dict[str, dict[str, float] | None]
    notes: dict[str, str]
    core: dict[str, Any] | None


def solve(problem: ExplicitProblem, rules: Sequence[str] = ()) -> Solved:
    """Solve ``problem`` by ``rules`` (default: every rule of its family)."""
    family = problem.family
    names = list(rules) or [s.name for s in solutions.solutions(family)]
    allocations: dict[str, dict[str, float] | None] = {}
    notes: dict[str, str] = {}
    game = problem.game
    if family == "claims":
        from sim.games.claims import bankruptcy_game

        game = bankruptcy_game(problem.estate, problem.claims, problem.players)
    for name in names:
        sol = solutions.get(family, name)
        try:
            if family == "tu":
                x = sol.func(game)
            elif family == "claims":
                x = sol.func(problem.estate, problem.claims)
            elif family == "bargaining":
                kw: dict[str, Any] = {}
                if name == "nash" and problem.weights is not None:
                    kw["weights"] = problem.weights
                if name == "kalai_smorodinsky" and problem.limits is not None:
                    kw["limits"] = problem.limits
                x = sol.func(problem.total, problem.disagreement, **kw)
            else:
                x = sol.func(problem.vertices, problem.disagreement)
        except GameUndefinedError as exc:
            allocations[name] = None
            notes[name] = str(exc)
            continue
        allocations[name] = {p: float(v) + 0.0 for p, v in zip(problem.players, x, strict=True)}
    core = None
    if game is not None:
        from sim.games.nucleolus import core_report

        report = core_report(game)
        core = {
            "empty": report.empty,
            "least_core_epsilon": report.least_core_epsilon,
            "in_core": {
                name: (
                    None if a is None else game.in_core(np.array([a[p] for p in problem.players]))
                )
                for name, a in allocations.items()
            },
        }
    return Solved(allocations, notes, core)
