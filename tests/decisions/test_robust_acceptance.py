"""`sim robust`'s acceptance counts against a brute-force count (issue 18).

A share is acceptable in a scenario when every party's NPV with it is at least its
value standing alone. The brute force evaluates the parties' payoffs at each share
directly and compares; the interval code must give the same counts — in particular it
must not call a share acceptable where a party would need more than the whole pool.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agreement import Context
from sim.agreement.shares import RTOL, two_party_interval
from sim.cli import main
from sim.decisions.robust import _describe_intervals, best_of_intervals, robust
from sim.model import evaluate_npv
from sim.sweep.designs import sample
from sim.sweep.run import apply_parameters
from sim.sweep.spec import load_sweep

from ..conftest import ROOT, shipped_sweep

GRID = np.linspace(0.0, 1.0, 1001)  # the shares of best_of_intervals's curve

# --------------------------------------------------------------------------- interval code

small = st.integers(-20, 20).map(float)  # whole numbers: ends fall exactly on 0, 1, grid
scenario = st.tuples(small, small, small, small, small)  # at0, at1, v0, v1, v(N)


def _brute(rows: list[tuple[float, ...]], shares: np.ndarray, rtol: float = RTOL) -> np.ndarray:
    """``(m, S)`` whether both parties do at least as well as alone at each share of
    party 0, within ``rtol`` of the game's largest value: the payoffs evaluated directly."""
    out = np.zeros((len(rows), len(shares)), dtype=bool)
    for i, (at0, at1, v0, v1, total) in enumerate(rows):
        tol = rtol * max(1.0, abs(v0), abs(v1), abs(total))
        first = at0 + (at1 - at0) * shares
        out[i] = (first >= v0 - tol) & (total - first >= v1 - tol)
    return out


def _candidates(rows: list[tuple[float, ...]]) -> np.ndarray:
    """Every share where some scenario's constraint binds, with 0 and 1: a non-empty set
    of acceptable shares has its ends among these, so testing them all finds it."""
    points = [0.0, 1.0]
    for at0, at1, v0, v1, total in rows:
        if at1 != at0:
            points += [(v0 - at0) / (at1 - at0), (total - v1 - at0) / (at1 - at0)]
    return np.clip(np.array(points), 0.0, 1.0)


def _intervals(rows: list[tuple[float, ...]]) -> tuple[np.ndarray, np.ndarray]:
    a = np.array(rows)
    v = np.column_stack([np.zeros(len(a)), a[:, 2], a[:, 3], a[:, 4]])
    return two_party_interval(a[:, 0], a[:, 1], v)


@given(st.lists(scenario, min_size=1, max_size=25))
def test_acceptance_curve_and_no_share_count_are_the_brute_force_count(
    rows: list[tuple[float, ...]],
) -> None:
    lo, hi = _intervals(rows)
    # no acceptable share ⇔ not one candidate share (nor grid share) is acceptable
    none = ~_brute(rows, np.concatenate([GRID, _candidates(rows)])).any(axis=1)
    assert np.array_equal(np.isnan(lo), none)
    assert _describe_intervals(lo, hi)["empty"] == none.mean()
    # P(both accept | share) at every share of the curve
    curve = best_of_intervals(lo, hi, np.zeros(2), 1.0).curve
    assert curve is not None
    assert np.array_equal(curve[:, 1], _brute(rows, GRID).mean(axis=0))
    # each reported interval is acceptable throughout, ends included (an end lies where
    # a party is RTOL short of its value alone: its rounding gets as much again)
    for i in np.flatnonzero(~none):
        assert _brute([rows[i]], np.linspace(lo[i], hi[i], 11), 2 * RTOL).all()


def test_a_party_needing_more_than_the_pool_has_no_acceptable_share() -> None:
    # party 0 nets 2 with none of the pool and 12 with all of it
    need_more = (2.0, 12.0, 13.0, 1.0, 15.0)  # alone 13 > 12: clipping gave [1, 1]
    other_needs_more = (2.0, 12.0, 0.0, 14.0, 15.0)  # party 1 needs 14 > 15 − 2: gave [0, 0]
    exactly_all = (2.0, 12.0, 12.0, 3.0, 15.0)  # 12 with all of it: just the point 1
    lo, hi = _intervals([need_more, other_needs_more, exactly_all])
    assert np.isnan(lo[:2]).all() and np.isnan(hi[:2]).all()
    assert (lo[2], hi[2]) == (1.0, 1.0)


# --------------------------------------------------------------------------- sim robust


@st.composite
def sweeps(draw: st.DrawFn) -> str:
    """A small Monte Carlo sweep of the Gaozhu scenario with drawn ranges: low
    compliance and late, slow plants make SC need more than the pool in some."""
    compliance = draw(st.floats(0.05, 0.99))
    rate = draw(st.floats(0.0, 0.11))
    growth = draw(st.floats(0.0, 0.1))
    n = draw(st.integers(2, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    return (
        f'[sweep]\nbase = "{ROOT / "scenarios" / "gaozhu.toml"}"\ndesign = "montecarlo"\n'
        f"n = {n}\nseed = {seed}\n\n[sweep.parameters]\n"
        f'"sharing.compliance" = {{ dist = "uniform", low = {compliance}, high = 1.0 }}\n'
        f'"horizon.discount_rate" = {{ dist = "uniform", low = {rate}, high = 0.12 }}\n'
        f'"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, '
        f"high = {growth + 1e-6} }}\n"
        f'"firms.battery-plant.first_year" = {{ dist = "choice", values = [2025, 2030, 2035] }}\n'
    )


SHARES = np.linspace(0.0, 1.0, 201)  # every fifth share of the curve


@settings(max_examples=12)
@given(sweeps())
def test_robust_counts_are_the_brute_force_count_on_the_model(
    tmp_path_factory: object, text: str
) -> None:
    folder = Path(tmp_path_factory.mktemp("sweep"))  # type: ignore[attr-defined]
    path = folder / "s.toml"
    path.write_text(text, encoding="utf-8")
    spec = load_sweep(path)
    result = robust(spec)
    # brute force: the model with each share, every party against standing alone
    batch, terms = apply_parameters(spec, sample(spec, 0, spec.n), ("agreement",))
    alone = Context(spec.scenario, batch).standalone
    m = spec.n
    ok = np.zeros((m, len(SHARES)), dtype=bool)
    for k, s in enumerate(SHARES):
        shares = np.tile([s, 1.0 - s], (m, 1))
        npv = evaluate_npv(batch, replace(terms["agreement"], params={"shares": shares}))[0]
        tol = RTOL * np.maximum(1.0, np.abs(npv).max(axis=1))
        ok[:, k] = (npv >= alone - tol[:, None]).all(axis=1)
    assert result.curve is not None and result.intervals is not None
    at = np.round(result.curve[:, 0] * 1000).astype(int)
    curve = dict(zip(at, result.curve[:, 1], strict=True))
    assert [curve[k * 5] for k in range(len(SHARES))] == list(ok.mean(axis=0))
    # a scenario has no acceptable share exactly where the intervals say so: where they
    # give one, it is acceptable on the model at both ends (so also where too narrow to
    # hold a share of the grid); where they give none, no share of the grid is
    lo, hi = result.intervals
    empty = np.isnan(lo)
    assert result.acceptable["empty"] == empty.mean()
    assert not ok[empty].any()
    for end in (lo, hi):
        x = np.where(empty, 0.5, end)
        shares = np.column_stack([x, 1.0 - x])
        npv = evaluate_npv(batch, replace(terms["agreement"], params={"shares": shares}))[0]
        assert (npv[~empty] >= alone[~empty] - 1e-6).all()


def test_robust_with_no_scenario_where_every_agreement_is_defined(tmp_path: Path) -> None:
    """Found by the test above: the Nash and nucleolus agreements are undefined in both
    scenarios (a slow, late plant), and minimax regret over no scenario crashed."""
    path = tmp_path / "s.toml"
    path.write_text(
        f'[sweep]\nbase = "{ROOT / "scenarios" / "gaozhu.toml"}"\ndesign = "montecarlo"\n'
        "n = 2\nseed = 0\n\n[sweep.parameters]\n"
        '"horizon.discount_rate" = { dist = "uniform", low = 0.09375, high = 0.093751 }\n'
        '"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 1e-06 }\n'
        '"firms.battery-plant.first_year" = { dist = "choice", values = [2030, 2035] }\n',
        encoding="utf-8",
    )
    result = robust(load_sweep(path))
    assert result.regret["choice"] is None and result.regret["left_out"] == 2
    out = CliRunner().invoke(main, ["robust", str(path), "--out", str(tmp_path / "r")])
    assert out.exit_code == 0, out.output
    assert "no scenario in which every agreement compared is defined" in out.output
    assert "Choice:" not in out.output


def _gaozhu_sweep(tmp_path: Path, n: int) -> Path:
    """The shipped Gaozhu sweep with ``n`` scenarios, in ``tmp_path``."""
    path = tmp_path / "s.toml"
    path.write_text(
        (ROOT / "scenarios" / "sweeps" / "gaozhu.toml")
        .read_text(encoding="utf-8")
        .replace('base = "../gaozhu.toml"', f'base = "{ROOT / "scenarios" / "gaozhu.toml"}"')
        .replace("n = 10000", f"n = {n}"),
        encoding="utf-8",
    )
    return path


def test_robust_says_how_often_its_minimax_regret_choice_is_acceptable(tmp_path: Path) -> None:
    """Issue 19: the recommendation's own acceptance, counted from the sweep's outcomes."""
    from sim.agreement import outcome_npv, resolve
    from sim.sweep.run import agreements

    path = _gaozhu_sweep(tmp_path, 300)
    spec = load_sweep(path)
    result = robust(spec)
    choice = result.regret["choice"]
    batch, terms = apply_parameters(spec, sample(spec, 0, spec.n))
    ctx = Context(spec.scenario, batch)
    npv = outcome_npv(
        batch, resolve(spec.scenario, agreements(spec.scenario)[choice], batch, terms[choice])
    ).npv
    there = np.isfinite(npv).all(axis=1)
    count = int((npv[there] >= ctx.standalone[there] - 1e-9).all(axis=1).sum())
    assert 0 < count < there.sum()  # neither trivial
    ok = result.regret["choice_accepted"]
    assert (ok["count"], ok["scenarios"]) == (count, int(there.sum()))
    out = CliRunner().invoke(main, ["robust", str(path), "--out", str(tmp_path / "r")]).output
    assert f"Choice: {choice}\n  acceptable to every party (each ≥ standing alone) in " in out
    assert f"({count:,}) of the {int(there.sum()):,} scenarios where it is defined" in out
    # the agreements every party accepts more often than the choice are named under it
    better = [a for a, p in result.accepted.items() if p > count / there.sum() + 0.005]
    line = next((x for x in out.splitlines() if "more often acceptable" in x), "")
    assert bool(line) == bool(better), out
    assert all(f" {a} " in line for a in better[:3]), line


def test_the_robust_report_names_the_choice_and_its_acceptance(tmp_path: Path) -> None:
    """`sim report` of a robust folder in Chinese said `选择: new firms 50:50`: the
    alternative's English label, an English colon, and not how often it is acceptable."""
    path = _gaozhu_sweep(tmp_path, 200)
    folder = tmp_path / "r"
    assert CliRunner().invoke(main, ["robust", str(path), "--out", str(folder)]).exit_code == 0
    from sim.cli.report import _report_for

    rep = _report_for(str(folder), "zh")
    said = dict(rep.summary)["稳健分成比例"]
    assert said.startswith("选择：") and "new firms" not in said, said
    assert "各方均不低于独立发展" in said and "%" in said
    heads = list(next(iter(rep.tables.values())).columns)
    assert "SC：分成比例" in heads, heads


def test_robust_takes_a_sweep_s_folder_as_its_file(tmp_path: Path) -> None:
    # a new user ran `sim robust` on the folder `sim sweep` wrote: "not a valid sweep
    # file ... Is a directory"; the folder's stored inputs give the same answer
    sweep = shipped_sweep(tmp_path, 64)
    run = CliRunner().invoke(main, ["sweep", str(sweep), "--out", str(tmp_path / "sw"), "--quiet"])
    assert run.exit_code == 0, run.output
    answers = []
    for i, target in enumerate((sweep, tmp_path / "sw")):
        got = CliRunner().invoke(
            main, ["robust", str(target), "--format", "json", "--out", str(tmp_path / f"r{i}")]
        )
        assert got.exit_code == 0, got.output
        doc = json.loads(got.stdout)
        answers.append({k: v for k, v in doc.items() if k not in ("sweep", "source", "file")})
    assert answers[0] == answers[1]
