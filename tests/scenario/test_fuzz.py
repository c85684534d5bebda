"""Hostile and extreme input: every outcome is a clean refusal or a finite, conserved result.

Valid scenario, sweep and game files are mutated at random (types, ranges, missing and
extra keys, unicode, nesting, size) and run through the CLI; so is the template
workbook (``sim template``), at the level of its cells, sheets, styles and shared
strings and of its XML and zip (truncated, corrupt, entity tricks). Each outcome must be
either exit 0 with strict, finite JSON whose parties' NPVs add up to the total with no
agreement, or exit 2 (1 for ``validate``) with one clean message and no traceback.

CI runs :data:`EXAMPLES` examples per target, seeded; a longer run is
``SIM_FUZZ_EXAMPLES=5000 python -m pytest tests/scenario/test_fuzz.py`` (see docs/development.md),
and ``SIM_FUZZ_SEED`` another seed (for a run split in parts). ``SIM_FUZZ_OUTCOMES=file``
writes a line per workbook example with its outcome, to count them.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any

import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sim.cli import main

from ..strategies import scenario_data
from ..workbooks import mutated_workbook

EXAMPLES = int(os.environ.get("SIM_FUZZ_EXAMPLES", "40"))
SEED = int(os.environ.get("SIM_FUZZ_SEED", "20261126"))
"""The seed of every target (a long run split in parts gives each part its own)."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("SIM_FUZZ_EXAMPLES"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Zs", "Lo", "So"]), max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one to three random changes."""
    data = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        key = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "nest", "scale"]))
        if action == "replace":
            parent[key] = draw(odd_values)
        elif action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(odd_values)
        elif action == "nest":
            parent[key] = {"x": [[[parent[key]]]]}
        elif action == "scale" and isinstance(parent[key], int | float):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 1e6, 1e300, 0]))
    return data


def _toml(data: Any) -> str | None:
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):
        return None  # not representable as TOML (a None value, say): not a file a user has


def _finite(doc: Any) -> bool:
    if isinstance(doc, float):
        return math.isfinite(doc)
    if isinstance(doc, dict):
        return all(_finite(v) for v in doc.values())
    if isinstance(doc, list):
        return all(_finite(v) for v in doc)
    return True


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def _clean_refusal(result: Any, codes: tuple[int, ...] = (2,)) -> None:
    assert result.exit_code in codes, (result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    # one message, in English or (a Chinese workbook) in Chinese
    assert result.stderr.startswith(("error: ", "错误：")), result.stderr[:300]
    assert "internal error" not in result.stderr and "内部错误" not in result.stderr
    assert len(result.stderr) < 60_000


def _check_run(path: Path) -> Any:
    result = CliRunner().invoke(main, ["run", str(path), "--format", "json"])
    if result.exit_code != 0:
        _clean_refusal(result)
        return result
    doc = _strict(result.stdout)
    assert _finite(doc)
    total = sum(doc["npv"].values())
    gains = sum(v for v in doc["gain_vs_source"].values() if v is not None)
    assert abs(gains) <= 1e-9 * max(1.0, abs(total), *(abs(v) for v in doc["npv"].values()))
    return result


@FUZZ
@seed(SEED)
@given(st.data())
def test_mutated_scenarios_run_or_are_refused(tmp_path_factory: Any, data: st.DataObject) -> None:
    base = data.draw(scenario_data())
    text = _toml(data.draw(mutated(base)))
    if text is None:
        return
    path = tmp_path_factory.mktemp("fuzz") / "s.toml"
    path.write_text(text, encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path)])
    if validated.exit_code != 0:
        _clean_refusal(validated, codes=(1,))
    ran = _check_run(path)
    _log_outcome(validated.exit_code, ran, str(path))
    compared = CliRunner().invoke(main, ["compare", str(path), "--format", "json"])
    if compared.exit_code == 0:
        assert _finite(_strict(compared.stdout))
    else:
        _clean_refusal(compared)


@FUZZ
@seed(SEED)
@given(st.data())
def test_mutated_sweeps_run_or_are_refused(tmp_path_factory: Any, data: st.DataObject) -> None:
    sweep = {
        "sweep": {
            "base": str(Path(__file__).parents[1] / "data" / "co-built-park.toml"),
            "design": "montecarlo",
            "n": 16,
            "seed": 1,
            "rules": ["agreement", "shapley"],
            "parameters": {
                "firms.battery-plant.growth": {"dist": "uniform", "low": 0.0, "high": 0.1},
                "sharing.compliance": {"dist": "normal", "mean": 0.8, "sd": 0.1, "low": 0.5,
                                       "high": 1.0},
                "horizon.discount_rate": [0.03, 0.05],
            },
        }
    }  # fmt: skip
    changed = data.draw(mutated(sweep))
    n = changed.get("sweep", {}).get("n") if isinstance(changed.get("sweep"), dict) else None
    if (
        isinstance(n, int)
        and not isinstance(n, bool)
        and n > 64
        and changed["sweep"].get("design") != "grid"
    ):
        changed["sweep"]["n"] = 64  # keep each example quick; size limits are tested apart
    text = _toml(changed)
    if text is None:
        return
    folder = tmp_path_factory.mktemp("sweep")
    path = folder / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(
        main, ["sweep", str(path), "--out", str(out), "--format", "json", "--max-scenarios", "4096"]
    )
    if result.exit_code == 0:
        assert _finite(_strict(result.stdout))
        assert json.loads((out / "manifest.json").read_text())["complete"] is True
    else:
        _clean_refusal(result)
        assert not out.exists()


GAMES = [
    {"players": ["A", "B", "C"], "values": {"A": 0, "B": 0, "C": 0, "A,B": 60, "A,C": 60,
                                             "B,C": 60, "A,B,C": 90}},
    {"estate": 200, "claims": {"A": 100, "B": 200, "C": 300}},
    {"total": 100, "disagreement": {"A": 10, "B": 30}, "weights": {"A": 1, "B": 2}},
    {"players": ["A", "B"], "feasible": {"vertices": [[0, 0], [0, 1], [1, 0], [0.75, 0.75]]},
     "disagreement": {"A": 0, "B": 0}},
    {"players": ["A", "B"], "costs": {"A": 10, "B": 8, "A,B": 15}},
]  # fmt: skip


@FUZZ
@seed(SEED)
@given(st.sampled_from(GAMES).flatmap(mutated))
def test_mutated_games_solve_or_are_refused(tmp_path_factory: Any, problem: Any) -> None:
    try:
        text = json.dumps(problem, allow_nan=True)
    except ValueError:
        return
    path = tmp_path_factory.mktemp("game") / "g.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["game", "solve", str(path), "--format", "json"])
    if result.exit_code == 0:
        assert _finite(_strict(result.stdout))
    else:
        _clean_refusal(result)


@settings(FUZZ, max_examples=max(1, EXAMPLES // 2))  # each reads an xlsx twice (~170 ms)
@seed(SEED)
@given(mutated_workbook())
def test_mutated_workbooks_run_or_are_refused(tmp_path_factory: Any, book: bytes) -> None:
    path = tmp_path_factory.mktemp("book") / "s.xlsx"
    path.write_bytes(book)
    validated = CliRunner().invoke(main, ["validate", str(path)])
    if validated.exit_code != 0:
        _clean_refusal(validated, codes=(1,))
    ran = _check_run(path)
    _log_outcome(validated.exit_code, ran, str(path))


def _log_outcome(validated: int, ran: Any, path: str) -> None:
    """With ``SIM_FUZZ_OUTCOMES=file``: a line per example, its exit codes and the kind
    of refusal (its first words), to count the outcomes of a long run."""
    log = os.environ.get("SIM_FUZZ_OUTCOMES")
    if not log:
        return
    lines = ran.stderr.replace(path, "FILE").splitlines() if ran.exit_code else []
    words = " ".join(" ".join(lines[1:2] or lines[:1]).split()[:7])
    kind = re.sub(r"[0-9][0-9,.]*", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "Q", words))
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"validate={validated} run={ran.exit_code} {kind}\n")
