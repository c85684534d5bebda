"""Problems typed in by hand (``sim game solve FILE.json``): parse, validate, solve.

Five shapes, told apart by their keys:

- a TU game: ``{"players": [...], "values": {"A": 0, "A,B": 60, …}}``, keys are
  comma-joined player names in any order, the empty coalition is 0;
- a cost game: ``{"players": [...], "costs": {"A": 10, "A,B": 15, …},
  "alternative_costs": {"A": 9}}`` (alternative costs optional). With every
  coalition's cost, every cost rule applies; with only ``c(N)``, each ``c(N∖i)`` and
  each ``c(i)`` (or an alternative cost instead of ``c(i)``), only SCRB does;
- a claims problem: ``{"estate": 200, "claims": {"A": 100, …}}``;
- a bargaining problem over a transferable total: ``{"total": 100, "disagreement":
  {...}, "weights": {...}, "limits": {...}}`` (weights and limits optional);
- two-party bargaining over a convex hull: ``{"players": ["A", "B"], "feasible":
  {"vertices": [[0, 0], …]}, "disagreement": {...}}``.

Every problem in a file is reported at once with its key; a rule that is undefined
for the problem is reported as ``null`` with the reason in ``notes`` while the other
rules are still solved. A rule answered by another it always equals (the nucleolus of a
claims problem is the Talmud rule) has the theorem in ``notes``.

Claims and bargaining problems need no coalition table, so they take any number of
players: every claims rule, the bankruptcy game's core and least core are closed forms
(random arrival within the budget of its dynamic programme, :mod:`sim.games.claims`),
and so are the bargaining rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from sim.errors import GameFileError, Problem, read_input
from sim.games import solutions
from sim.games.tu import MAX_EXPLICIT_PLAYERS, Array, Game, GameUndefinedError
from sim.i18n import Reason
from sim.syntax import syntax_reason

__all__ = ["ExplicitProblem", "GameFileError", "load_problem", "parse_problem", "solve"]

_SHAPES: dict[solutions.Family, set[str]] = {
    "tu": {"players", "values"},
    "cost": {"players", "costs", "alternative_costs"},
    "claims": {"estate", "claims"},
    "bargaining": {"total", "disagreement", "weights", "limits"},
    "hull": {"players", "feasible", "disagreement"},
}

NEEDS_EVERY_COALITION = (
    "needs every coalition's cost; the file gives only what scrb needs (c(N), each "
    "c(N∖i), each c(i) or alternative cost)"
)


@dataclass(frozen=True)
class ExplicitProblem:
    """A problem read from a ``sim game solve`` file.

    For a cost problem, ``game`` is the cost game when every coalition's cost is given
    (else ``None``), ``total`` is ``c(N)``, ``without`` each ``c(N∖i)`` and ``alone``
    each ``min(c(i), alternative_i)``.
    """

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
    without: Array = field(default_factory=lambda: np.zeros(0))
    alone: Array = field(default_factory=lambda: np.zeros(0))


def load_problem(path: str | Path) -> ExplicitProblem:
    """Read and validate the JSON problem in ``path``; a :class:`GameFileError` if bad."""
    p = Path(path)
    text = read_input(p, GameFileError)
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise GameFileError(str(p), [Problem("", syntax_reason(exc, text))]) from None
    except RecursionError:
        raise GameFileError(str(p), [Problem("", Reason("too_deep"))]) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise GameFileError(str(p), [Problem("", str(exc))]) from None
    return parse_problem(data, str(p))


def _parse_int(text: str) -> float:
    """JSON integers as numbers: beyond 15 digits they are refused, not overflowed."""
    if len(text.lstrip("-")) > 15:
        raise ValueError(f"the number {text[:20]}… has {len(text)} digits; at most 15")
    return int(text)


MAX_VALUE = 1e15
"""Largest magnitude of a number in a game file (sums of them must stay finite)."""


def _number(value: Any, path: str, problems: list[Problem]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        shown = json.dumps(value)
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        problems.append(Problem(path, Reason("not_finite", got=shown)))
        return math.nan
    if abs(value) > MAX_VALUE:
        problems.append(
            Problem(path, Reason("beyond_limit", value=f"{value:g}", most=f"{MAX_VALUE:g}"))
        )
        return math.nan
    return float(value)


def _by_player(
    value: Any,
    path: str,
    players: Sequence[str] | None,
    problems: list[Problem],
    complete: bool = True,
) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        problems.append(Problem(path, Reason("player_numbers")))
        return {}
    out = {}
    known = None if players is None else set(players)
    for k, v in value.items():
        if known is not None and k not in known:
            problems.append(Problem(f"{path}.{k}", Reason("unknown_player", got=repr(k))))
        out[k] = _number(v, f"{path}.{k}", problems)
    if players is not None and complete:
        for p in players:
            if p not in value:
                problems.append(Problem(f"{path}.{p}", Reason("missing_plain")))
    return out


def _players(data: dict[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    raw = data.get("players")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        problems.append(Problem("players", Reason("player_names")))
        return ()
    if len(set(raw)) != len(raw):
        problems.append(Problem("players", Reason("players_distinct")))
    bad = [p for p in raw if "," in p]
    if bad:
        problems.append(Problem("players", Reason("player_comma", bad=str(bad))))
    return tuple(raw)


def _family(data: dict[str, Any], source: str) -> solutions.Family:
    """Which shape the keys say the problem has."""
    if "values" in data:
        return "tu"
    if "costs" in data:
        return "cost"
    if "estate" in data or "claims" in data:
        return "claims"
    if "feasible" in data:
        return "hull"
    if "total" in data:
        return "bargaining"
    raise GameFileError(
        source,
        [
            Problem(
                "",
                Reason("which_problem"),
            )
        ],
    )


def _members(mask: int, players: Sequence[str]) -> str:
    return ",".join(p for i, p in enumerate(players) if mask >> i & 1)


def _coalitions(
    raw: Any, key: str, players: tuple[str, ...], problems: list[Problem]
) -> tuple[Array, NDArray[np.bool_]]:
    """Coalition values from ``{"A,B": number}``: ``(2^n,)`` values and which are given."""
    v = np.zeros(1 << len(players))
    seen = np.zeros(1 << len(players), dtype=bool)
    seen[0] = True
    if not isinstance(raw, dict):
        what = "coalition_values" if key == "values" else "coalition_costs"
        problems.append(Problem(key, Reason(what)))
        return v, seen
    index = {p: i for i, p in enumerate(players)}
    for name, value in raw.items():
        names = [k.strip() for k in name.split(",") if k.strip()]
        unknown = [k for k in names if k not in index]
        if unknown or not names:
            reason = (
                Reason("unknown_players", got=str(unknown))
                if unknown
                else Reason("empty_coalition")
            )
            problems.append(Problem(f"{key}.{name}", reason))
            continue
        mask = sum(1 << index[k] for k in set(names))
        if seen[mask] and mask:
            problems.append(Problem(f"{key}.{name}", Reason("coalition_twice")))
        seen[mask] = True
        v[mask] = _number(value, f"{key}.{name}", problems)
    return v, seen


def _checked_players(data: dict[str, Any], problems: list[Problem]) -> tuple[str, ...]:
    players = _players(data, problems)
    if len(players) > MAX_EXPLICIT_PLAYERS:
        problems.append(Problem("players", Reason("most_players", most=MAX_EXPLICIT_PLAYERS)))
        return ()
    return players


def _parse_tu(data: dict[str, Any], problems: list[Problem]) -> ExplicitProblem:
    players = _checked_players(data, problems)
    v, seen = _coalitions(data.get("values"), "values", players, problems)
    if players and not problems:
        for mask in np.flatnonzero(~seen)[:10]:
            where = f"values.{_members(int(mask), players)}"
            problems.append(Problem(where, Reason("missing_coalition")))
    return ExplicitProblem("tu", players, game=Game(players, v) if players else None)


def _scrb_needs(n: int, alternative: dict[str, float], players: tuple[str, ...]) -> list[int]:
    """The coalitions SCRB needs: N, each N∖i (n ≥ 2) and each {i} without an alternative."""
    full = (1 << n) - 1
    needs = [full]
    needs += [full & ~(1 << i) for i in range(n) if n > 1]
    needs += [1 << i for i, p in enumerate(players) if p not in alternative and n > 1]
    return needs


def _parse_cost(data: dict[str, Any], problems: list[Problem]) -> ExplicitProblem:
    players = _checked_players(data, problems)
    c, seen = _coalitions(data.get("costs"), "costs", players, problems)
    alternative: dict[str, float] = {}
    if "alternative_costs" in data:
        alternative = _by_player(
            data["alternative_costs"], "alternative_costs", players, problems, complete=False
        )
    for negative in np.flatnonzero(seen & (c < 0)):
        problems.append(
            Problem(f"costs.{_members(int(negative), players)}", Reason("not_negative"))
        )
    for p, a in alternative.items():
        if a < 0:
            problems.append(Problem(f"alternative_costs.{p}", Reason("not_negative")))
    complete = bool(seen.all())
    if players and not problems and not complete:
        for mask in _scrb_needs(len(players), alternative, players):
            if not seen[mask]:
                problems.append(
                    Problem(
                        f"costs.{_members(mask, players)}",
                        Reason("scrb_coalition"),
                    )
                )
    if not players or problems:
        return ExplicitProblem("cost", players)
    n, full = len(players), (1 << len(players)) - 1
    standalone = np.array([c[1 << i] if seen[1 << i] else math.inf for i in range(n)])
    alone = np.minimum(standalone, [alternative.get(p, math.inf) for p in players])
    return ExplicitProblem(
        "cost",
        players,
        game=Game(players, c) if complete else None,
        total=float(c[full]),
        without=np.array([c[full & ~(1 << i)] for i in range(n)]),
        alone=alone,
    )


def _parse_claims(data: dict[str, Any], problems: list[Problem]) -> ExplicitProblem:
    estate = _number(data.get("estate"), "estate", problems)
    claims = _by_player(data.get("claims"), "claims", None, problems)
    players = tuple(claims)
    c = np.array([claims[p] for p in players])
    if math.isfinite(estate) and estate < 0:
        problems.append(Problem("estate", Reason("not_negative")))
    if np.any(c < 0):
        problems.append(Problem("claims", Reason("claims_negative")))
    if not problems and estate > c.sum():
        why = Reason("estate_claims", estate=f"{estate:g}", total=f"{c.sum():g}")
        problems.append(Problem("estate", why))
    return ExplicitProblem("claims", players, estate=estate, claims=c)


def _parse_bargaining(data: dict[str, Any], problems: list[Problem]) -> ExplicitProblem:
    total = _number(data.get("total"), "total", problems)
    d = _by_player(data.get("disagreement"), "disagreement", None, problems)
    players = tuple(d)
    w = lim = None
    if "weights" in data:
        wd = _by_player(data["weights"], "weights", players, problems)
        w = np.array([wd.get(p, 1.0) for p in players])
        if np.any(w <= 0):
            problems.append(Problem("weights", Reason("weights_positive")))
    if "limits" in data:
        ld = _by_player(data["limits"], "limits", players, problems)
        lim = np.array([ld.get(p, math.inf) for p in players])
    return ExplicitProblem(
        "bargaining",
        players,
        total=total,
        disagreement=np.array([d[p] for p in players]),
        weights=w,
        limits=lim,
    )


def _parse_hull(data: dict[str, Any], problems: list[Problem]) -> ExplicitProblem:
    players = _players(data, problems)
    if players and len(players) != 2:
        problems.append(Problem("players", Reason("two_players")))
    feasible = data.get("feasible")
    verts = feasible.get("vertices") if isinstance(feasible, dict) else None
    ok = (
        isinstance(verts, list)
        and len(verts) >= 3
        and all(isinstance(p, list) and len(p) == 2 for p in verts)
    )
    arr = None
    if not ok:
        problems.append(Problem("feasible.vertices", Reason("vertices")))
    else:
        arr = np.array(
            [
                [_number(x, f"feasible.vertices[{i}]", problems) for x in p]
                for i, p in enumerate(cast(list[list[Any]], verts))
            ]
        )
    d = _by_player(data.get("disagreement"), "disagreement", players or None, problems)
    return ExplicitProblem(
        "hull", players, vertices=arr, disagreement=np.array([d.get(p, 0.0) for p in players])
    )


_PARSERS: dict[solutions.Family, Callable[[dict[str, Any], list[Problem]], ExplicitProblem]] = {
    "tu": _parse_tu,
    "cost": _parse_cost,
    "claims": _parse_claims,
    "bargaining": _parse_bargaining,
    "hull": _parse_hull,
}


def parse_problem(data: Any, source: str = "<data>") -> ExplicitProblem:
    """Validate a parsed JSON problem; every problem is reported at once."""
    if not isinstance(data, dict):
        raise GameFileError(source, [Problem("", Reason("json_object"))])
    family = _family(data, source)
    problems: list[Problem] = [
        Problem(
            key,
            Reason("unknown_game_key", family=family, allowed=", ".join(sorted(_SHAPES[family]))),
        )
        for key in data
        if key not in _SHAPES[family]
    ]
    result = _PARSERS[family](data, problems)
    if problems:
        raise GameFileError(source, problems)
    return result


@dataclass(frozen=True)
class Solved:
    allocations: dict[str, dict[str, float] | None]
    notes: dict[str, str]
    core: dict[str, Any] | None


def _apply(sol: solutions.Solution, problem: ExplicitProblem, game: Game | None) -> Array:
    """One rule on one problem; :class:`GameUndefinedError` where it does not apply."""
    family, name = problem.family, sol.name
    if family == "cost":
        if name == "scrb":
            return np.asarray(sol.func(problem.total, problem.without, problem.alone))
        if game is None:
            raise GameUndefinedError(NEEDS_EVERY_COALITION)
        return np.asarray(sol.func(game))
    if family == "tu":
        return np.asarray(sol.func(game))
    if family == "claims":
        return np.asarray(sol.func(problem.estate, problem.claims))
    if family == "hull":
        return np.asarray(sol.func(problem.vertices, problem.disagreement))
    kw: dict[str, Any] = {}
    if name == "nash" and problem.weights is not None:
        kw["weights"] = problem.weights
    if name == "kalai_smorodinsky" and problem.limits is not None:
        kw["limits"] = problem.limits
    return np.asarray(sol.func(problem.total, problem.disagreement, **kw))


def _core(
    problem: ExplicitProblem, game: Game | None, allocations: dict[str, dict[str, float] | None]
) -> dict[str, Any] | None:
    """The core part of the answer: whether it is empty, the least-core ε, who is in it.

    For a cost game the core is ``x(S) ≤ c(S)``; its least-core ε is that of the savings
    game, whose excesses are the same. For a claims problem it is the bankruptcy game's,
    in closed form for any number of claimants.
    """
    if problem.family == "claims":
        from sim.games import claims

        def held(a: dict[str, float] | None) -> bool | None:
            x = None if a is None else np.array([a[p] for p in problem.players])
            return None if x is None else claims.in_core(problem.estate, problem.claims, x)

        return {
            "empty": False,
            "least_core_epsilon": claims.least_core_epsilon(problem.estate, problem.claims),
            "in_core": {name: held(a) for name, a in allocations.items()},
        }
    if game is None:
        return None
    from sim.games.cost import cost_in_core, savings_game
    from sim.games.nucleolus import core_report

    costs = game if problem.family == "cost" else None
    report = core_report(game if costs is None else savings_game(costs))

    def inside(a: dict[str, float]) -> bool:
        x = np.array([a[p] for p in problem.players])
        return game.in_core(x) if costs is None else cost_in_core(costs, x)

    return {
        "empty": report.empty,
        "least_core_epsilon": report.least_core_epsilon,
        "in_core": {name: (None if a is None else inside(a)) for name, a in allocations.items()},
    }


def solve(problem: ExplicitProblem, rules: Sequence[str] = ()) -> Solved:
    """Solve ``problem`` by ``rules`` (default: every rule of its family).

    A cost problem without every coalition's cost is solved by ``scrb`` alone when no
    rule is named, with a note for each other rule; a rule named explicitly that
    needs the whole cost function is ``null`` with that note. A rule that always
    equals another of the family (``same_as``) is solved only when named, with a note.
    """
    family = problem.family
    names = list(rules) or [s.name for s in solutions.solutions(family, aliases=False)]
    allocations: dict[str, dict[str, float] | None] = {}
    notes: dict[str, str] = {}
    game = problem.game
    if family == "cost" and game is None and not rules:
        # only c(N), c(N∖i) and c(i) given: solve scrb, say why the others are left out
        notes = {name: NEEDS_EVERY_COALITION for name in names if name != "scrb"}
        names = ["scrb"]
    for name in names:
        sol = solutions.get(family, name)
        try:
            x = _apply(sol, problem, game)
        except GameUndefinedError as exc:
            allocations[name] = None
            notes[name] = str(exc)
            continue
        allocations[name] = {p: float(v) + 0.0 for p, v in zip(problem.players, x, strict=True)}
        if sol.note:
            notes[name] = sol.note
    return Solved(allocations, notes, _core(problem, game, allocations))
