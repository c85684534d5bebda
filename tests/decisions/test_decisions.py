"""Decisions under uncertainty: the robust shares, minimax regret and scenario discovery."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sim.agreement import Context, acceptable, resolve
from sim.cli import main
from sim.decisions.discover import Event, discover, find_boxes, tree_boxes
from sim.decisions.robust import (
    best_of_intervals,
    best_on_simplex,
    minimax_regret,
    overlap,
    robust,
)
from sim.scenario import load
from sim.schema import bind
from sim.sweep.designs import sample
from sim.sweep.execute import read_results
from sim.sweep.run import apply_parameters
from sim.sweep.spec import load_sweep
from sim.sweep.summary import summarize

from ..conftest import ROOT

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_decisions")

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
PARAMETERS = """
[sweep.parameters]
"firms.battery-plant.growth" = { dist = "triangular", low = 0.0, mode = 0.03, high = 0.08 }
"firms.battery-plant.first_year" = { dist = "choice", values = [2025, 2026, 2027] }
"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }
"sharing.compliance" = { dist = "uniform", low = 0.4, high = 1.0 }
"firms.linshui-cohort.growth" = { dist = "normal", mean = 0.05, sd = 0.02, low = -0.05, \
high = 0.15 }
"""


def gaozhu_sweep(tmp_path: Path, base: Path = GAOZHU, n: int = 2000, name: str = "s") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'[sweep]\nbase = "{base}"\ndesign = "montecarlo"\nn = {n}\nseed = 20261126\n' + PARAMETERS,
        encoding="utf-8",
    )
    return path


# --------------------------------------------------------------------------- robust shares


def test_overlap_of_intervals_worked_by_hand() -> None:
    # [0,.4] [.2,.7] [.5,.9] [.6,.65]: three share every point of [.6,.65]
    lo, hi = np.array([0.0, 0.2, 0.5, 0.6]), np.array([0.4, 0.7, 0.9, 0.65])
    assert overlap(lo, hi) == (3, [(0.6, 0.65)])
    # closed intervals touching at one point overlap there; an empty one (NaN) is ignored
    assert overlap(np.array([0.0, 0.5, np.nan]), np.array([0.5, 1.0, np.nan])) == (2, [(0.5, 0.5)])
    # two disjoint places with the same count
    count, spans = overlap(np.array([0.0, 0.1, 0.6, 0.7]), np.array([0.2, 0.3, 0.8, 0.9]))
    assert count == 2 and spans == [(0.1, 0.2), (0.7, 0.8)]


def test_best_share_and_curve_on_intervals_known_exactly() -> None:
    lo = np.array([0.1, 0.3, 0.4, 0.8, np.nan])
    hi = np.array([0.5, 0.7, 0.9, 1.0, np.nan])
    b = best_of_intervals(lo, hi, np.array([0.0, 0.0]), 1.0)
    assert b.probability == pytest.approx(3 / 5) and b.spans == [(0.4, 0.5)]
    assert b.shares[0] == pytest.approx(0.5)  # the most even share within [0.4, 0.5]
    assert b.curve is not None
    at = dict(zip(np.round(b.curve[:, 0], 3), b.curve[:, 1], strict=True))
    assert at[0.2] == pytest.approx(1 / 5) and at[0.45] == pytest.approx(3 / 5)
    assert at[0.85] == pytest.approx(2 / 5) and at[0.0] == 0.0
    # the worst-off party's expected gain breaks the tie: party 1 gains more anyway
    tilted = best_of_intervals(lo, hi, np.array([0.0, 10.0]), 1.0)
    assert tilted.shares[0] == pytest.approx(0.5)
    other = best_of_intervals(lo, hi, np.array([10.0, 0.0]), 1.0)
    assert other.shares[0] == pytest.approx(0.4)


@given(
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted), min_size=1, max_size=30),
    st.floats(0, 1),
)
def test_sweep_line_is_the_brute_force_count(pairs: list[list[float]], x: float) -> None:
    lo, hi = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    count, spans = overlap(lo, hi)
    assert count == max(int(((lo <= t) & (t <= hi)).sum()) for t in np.concatenate([lo, hi]))
    assert int(((lo <= x) & (x <= hi)).sum()) <= count  # no point is in more
    for a, b in spans:
        mid = (a + b) / 2  # exactly inside [a, b] in floating point: no tolerance, which
        # would count an interval starting 1e-287 away (found by hypothesis)
        assert int(((lo <= mid) & (mid <= hi)).sum()) == count


def test_best_on_the_simplex_is_bracketed_by_its_bounds() -> None:
    rng = np.random.default_rng(3)
    low = rng.uniform(-0.2, 0.5, size=(400, 3))
    b = best_on_simplex(low, np.zeros(3), 1.0, 0.02)
    # the exact maximum over a much finer grid lies between the bounds
    fine = best_on_simplex(low, np.zeros(3), 1.0, 0.005)
    assert b.probability <= fine.probability + 1e-12 <= b.upper + 1e-12
    s = b.shares
    assert float(np.mean((low <= s + 1e-12).all(axis=1))) == pytest.approx(b.probability)


def test_minimax_regret_by_hand() -> None:
    # Savage's table: three agreements (columns) in three scenarios (rows), one party
    payoff = np.array([[10.0, 7.0, 4.0], [2.0, 6.0, 5.0], [0.0, 3.0, 9.0]])
    r = minimax_regret(payoff[:, :, None], ["a", "b", "c"])
    # regrets: a (0, 4, 9) → 9; b (3, 0, 6) → 6; c (6, 1, 0) → 6; b comes first
    assert r["max_regret"] == {"a": 9.0, "b": 6.0, "c": 6.0} and r["choice"] == "b"
    assert r["tied"] == ["b", "c"]
    # two parties: each party's regret counts, the largest over both decides
    two = np.stack([payoff, 10.0 - payoff], axis=2)
    r2 = minimax_regret(two, ["a", "b", "c"])
    assert r2["max_regret_by_party"]["a"] == [9.0, 6.0]
    assert r2["max_regret"] == {"a": 9.0, "b": 6.0, "c": 9.0}
    assert r2["choice"] == "b" and r2["max_regret"]["b"] == 6.0


@pytest.fixture(scope="module")
def gaozhu_robust(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    tmp = tmp_path_factory.mktemp("robust")
    spec = load_sweep(gaozhu_sweep(tmp))
    return spec, robust(spec)


def test_robust_intervals_are_those_sim_game_finds(gaozhu_robust: tuple) -> None:
    spec, result = gaozhu_robust
    assert result.intervals is not None
    lo, hi = result.intervals
    sc = spec.scenario
    batch, terms = apply_parameters(spec, sample(spec, 0, 12), ("agreement",))
    ctx = Context(sc, batch)
    outcome = resolve(sc, sc.sharing, batch, terms["agreement"], context=ctx)
    for i in range(12):
        ok = acceptable(sc, batch=batch, context=ctx, outcome=outcome, index=i)
        if ok.feasible:
            assert (lo[i], hi[i]) == pytest.approx((ok.low[0], ok.high[0]), abs=1e-9)
        else:
            assert np.isnan(lo[i])


def test_robust_share_reproduced_by_sim_sweep(gaozhu_robust: tuple, tmp_path: Path) -> None:
    """The best share's probability, evaluated as the agreement of an ordinary sweep."""
    _spec, result = gaozhu_robust
    s0 = float(result.best_shares[0])
    text = GAOZHU.read_text(encoding="utf-8").replace(
        'shares = { SC = 0.5, CQ = 0.5 }\nscope = "above_base"',
        f'shares = {{ SC = {s0!r}, CQ = {1 - s0!r} }}\nscope = "above_base"',
        1,
    )
    assert repr(s0) in text
    base = tmp_path / "best.toml"
    base.write_text(text, encoding="utf-8")
    folder = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["sweep", str(gaozhu_sweep(tmp_path, base)), "--out", str(folder), "--quiet"]
    )
    assert run.exit_code == 0, run.output
    summary = summarize(folder)
    assert summary["rules"]["agreement"]["p_all_gain"] == pytest.approx(result.best_probability)
    # and the drafted 50:50, and every agreement resolved per scenario, as `sim sweep` says
    plain = tmp_path / "plain"
    CliRunner().invoke(main, ["sweep", str(gaozhu_sweep(tmp_path)), "--out", str(plain)])
    counted = summarize(plain)["rules"]
    assert result.marked["drafted"]["probability"] == pytest.approx(
        counted["agreement"]["p_all_gain"]
    )
    for label, p in result.accepted.items():
        assert p == pytest.approx(counted[label]["p_all_gain"]), label


def test_robust_on_gaozhu_beats_the_drafted_ratio(gaozhu_robust: tuple) -> None:
    _, result = gaozhu_robust
    assert result.best_probability > result.marked["drafted"]["probability"]
    assert result.best_probability >= result.marked["shapley"]["probability"]
    assert result.curve is not None
    assert result.curve[:, 1].max() == pytest.approx(result.best_probability, abs=0.01)
    a, b = result.maximin_gains
    assert a == pytest.approx(b)  # interior: the worst-off party's gain is equalised


def test_robust_three_parties(tmp_path: Path) -> None:
    sweep = tmp_path / "tri.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{ROOT / "scenarios" / "tri-city-formula.toml"}"\nn = 300\nseed = 2\n'
        'rules = ["agreement", "source", "shapley"]\n[sweep.parameters]\n'
        '"firms.tl-motors.growth" = { dist = "uniform", low = 0.0, high = 0.12 }\n',
        encoding="utf-8",
    )
    result = robust(load_sweep(sweep), resolution=0.05)
    assert result.grid is not None and result.curve is None
    assert result.best_probability <= result.best_upper_bound
    assert sum(result.best_shares) == pytest.approx(1.0)
    assert "grid of step 0.05" in result.notes[0].text()
    # the bounds are given as an interval only when they differ as printed (a new user
    # read "the greatest probability lies between 100.0% and 100.0%")
    low, high = f"{result.best_probability:.1%}", f"{result.best_upper_bound:.1%}"
    text = result.notes[0].text()
    assert (f"between {low} and {high}" in text) == (low != high), text


def test_robust_command_writes_text_json_and_figures(tmp_path: Path) -> None:
    sweep = gaozhu_sweep(tmp_path, n=400)
    out = tmp_path / "rob"
    result = CliRunner().invoke(
        main, ["robust", str(sweep), "--out", str(out), "--format", "json", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["best"]["exact"] and set(doc["best"]["shares"]) == {"SC", "CQ"}
    assert doc["regret"]["choice"] in doc["regret"]["max_regret"]
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".sim-output",
        "curve.csv", "manifest.json", "minimax-regret.csv", "robust-shares.csv", "robust.json",
        "robust.png",
    ]  # fmt: skip
    text = CliRunner().invoke(main, ["robust", str(sweep), "--out", str(out), "--force"])
    assert "most often accepted" in text.output and "Minimax regret" in text.output
    again = CliRunner().invoke(main, ["robust", str(sweep), "--out", str(out)])
    assert again.exit_code == 2 and "exists" in again.stderr


# --------------------------------------------------------------------------- discovery


def _bindings(paths: list[str]) -> dict[str, object]:
    sc = load(GAOZHU)
    out = {}
    for p in paths:
        b = bind(p, sc)
        assert not isinstance(b, str)
        out[p] = b
    return out


def test_prim_recovers_a_known_box() -> None:
    """The failure region is growth < 0.03 and compliance > 0.7 (discount rate plays no
    part); PRIM's box is within one peeling step (5% of the range) of it."""
    rng = np.random.default_rng(12)
    n = 5000
    paths = ["firms.battery-plant.growth", "sharing.compliance", "horizon.discount_rate"]
    x = pd.DataFrame(
        {
            paths[0]: rng.uniform(0.0, 0.08, n),
            paths[1]: rng.uniform(0.4, 1.0, n),
            paths[2]: rng.uniform(0.03, 0.08, n),
        }
    )
    y = ((x[paths[0]] < 0.03) & (x[paths[1]] > 0.7)).to_numpy()
    boxes, trajectories, _ = find_boxes(x, y, _bindings(paths), boxes=1, density=0.95)
    box = boxes[0]
    limits = {c.path: (c.lower, c.upper) for c in box.conditions}
    assert set(limits) == {paths[0], paths[1]}
    assert limits[paths[0]][0] is None and abs(limits[paths[0]][1] - 0.03) <= 0.05 * 0.08
    assert limits[paths[1]][1] is None and abs(limits[paths[1]][0] - 0.7) <= 0.05 * 0.6
    assert box.density >= 0.95 and box.coverage >= 0.85
    assert len(trajectories[0]) > 2
    text = box.text("en")
    assert (
        "battery-plant: output growth < " in text and "share of agreed transfers settled >" in text
    )
    assert "结算率 >" in box.text("zh")
    # CART, the second view, finds the same corner
    tree = tree_boxes(x, y, _bindings(paths))
    assert tree and {c.path for c in tree[0].conditions} == {paths[0], paths[1]}


def test_discover_on_a_gaozhu_sweep(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    run = CliRunner().invoke(
        main, ["sweep", str(gaozhu_sweep(tmp_path, n=3000)), "--out", str(folder), "--quiet"]
    )
    assert run.exit_code == 0, run.output
    spec = load_sweep(gaozhu_sweep(tmp_path, n=3000))
    found = discover(spec, read_results(folder), Event(party="SC", basis="source"))
    assert 0.03 < found.rate < 0.2  # Linshui worse off than with no agreement, sometimes
    assert found.boxes, found.notes
    paths = {c.path for c in found.boxes[0].conditions}
    assert "firms.linshui-cohort.growth" in paths  # its own cohort growing fast
    # turned round, the event is the complement
    held = discover(spec, read_results(folder), Event(party="SC", basis="source", holds=True))
    assert held.events == held.scenarios - found.events
    out = tmp_path / "disc"
    result = CliRunner().invoke(
        main,
        ["discover", str(folder), "--party", "SC", "--basis", "source", "--out", str(out),
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["prim"][0]["text_zh"] and doc["prim"][0]["coverage"] > 0
    assert {"boxes.csv", "discovery.json", "box-1.png", "tradeoff-1.png"} <= {
        p.name for p in out.iterdir()
    }
    bad = CliRunner().invoke(main, ["discover", str(folder), "--party", "XX"])
    assert bad.exit_code == 2 and "--party: no party 'XX'" in bad.stderr
    # Chinese titles in full-width punctuation (issue 19)
    from sim.report.decisions import discovery_figures

    tradeoff, box = discovery_figures(spec, found, "zh")[:2]
    assert tradeoff.title == "PRIM 剥离轨迹（1）" and box.title == "事件集中的参数区域（1）"
    # the statistics on a line of their own, under the event (one line ran past the edge)
    assert "（1）\n覆盖率" in box.draw.keywords["title"]  # type: ignore[attr-defined]
    assert "(1)" not in box.draw.keywords["title"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- clauses


def test_review_and_cap_never_triggered_change_nothing() -> None:
    from dataclasses import replace

    import sim
    from sim.scenario import Review

    sc = load(GAOZHU)
    plain = sim.run(sc)
    never = replace(
        sc.sharing,
        cap=1e9,
        review=Review("SC", -1e9, {"SC": 0.9, "CQ": 0.1}, after=0),
    )
    clauses = sim.run(sc, never)
    np.testing.assert_array_equal(clauses.tax, plain.tax)
    np.testing.assert_array_equal(clauses.npv, plain.npv)


def test_review_switches_the_shares_from_the_first_year_below() -> None:
    import sim

    sc = load(ROOT / "scenarios" / "gaozhu-review.toml")
    sharing = next(s for s in sc.compare if s.review is not None)
    r = sim.run(sc, sharing)
    assert r.shares is not None
    years = list(sc.years)
    # Linshui pays in 2022–2025, so its cumulative gain is below 0 at the 2026 review
    assert r.shares[0, 0, years.index(2025)] == pytest.approx(0.5)
    assert r.shares[0, 0, years.index(2026)] == pytest.approx(0.6)
    assert r.shares[0, 0, -1] == pytest.approx(0.6)
    np.testing.assert_allclose(r.tax.sum(axis=1), r.source_tax.sum(axis=1), rtol=1e-12)


def test_cap_bounds_every_payment() -> None:
    import sim

    sc = load(ROOT / "scenarios" / "gaozhu-review.toml")
    capped = next(s for s in sc.compare if s.cap is not None)
    r = sim.run(sc, capped)
    assert (-r.transfers).max() == pytest.approx(capped.cap)
    np.testing.assert_allclose(r.transfers.sum(axis=1), 0.0, atol=1e-12)
    uncapped = sim.run(sc)
    assert (-uncapped.transfers).max() > capped.cap


def test_sweeping_the_review_and_the_cap(tmp_path: Path) -> None:
    sweep = tmp_path / "rev.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{ROOT / "scenarios" / "gaozhu-review.toml"}"\nn = 50\nseed = 1\n'
        "[sweep.parameters]\n"
        '"sharing.compliance" = { dist = "uniform", low = 0.5, high = 1.0 }\n',
        encoding="utf-8",
    )
    assert load_sweep(sweep).n == 50
    bad = tmp_path / "bad.toml"
    bad.write_text(
        f'[sweep]\nbase = "{GAOZHU}"\nn = 10\n[sweep.parameters]\n'
        '"sharing.review.below" = { dist = "uniform", low = -1.0, high = 1.0 }\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["sweep", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "the agreement has no [sharing.review] to sweep" in result.stderr


def test_a_swept_review_threshold_moves_the_switch(tmp_path: Path) -> None:
    base = tmp_path / "rev.toml"
    text = GAOZHU.read_text(encoding="utf-8") + (
        '\n[sharing.review]\nparty = "SC"\nbelow = 0.0\nafter = 5\n'
        "shares = { SC = 0.6, CQ = 0.4 }\n"
    )
    base.write_text(text, encoding="utf-8")
    sweep = tmp_path / "s.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{base}"\ndesign = "montecarlo"\nn = 3\n[sweep.parameters]\n'
        '"sharing.review.below" = { dist = "uniform", low = -1.0, high = 0.0 }\n'
        '"sharing.review.shares.SC" = { dist = "uniform", low = 0.5, high = 0.7 }\n',
        encoding="utf-8",
    )
    spec = load_sweep(sweep)
    _batch, terms = apply_parameters(spec, np.array([[-1.0, 0.5], [0.0, 0.7]]), ("agreement",))
    review = terms["agreement"].review
    assert review is not None
    np.testing.assert_allclose(review.below, [-1.0, 0.0])
    np.testing.assert_allclose(review.shares, [[0.5, 0.5], [0.7, 0.3]])


def test_robust_with_a_review_counts_on_the_model(tmp_path: Path) -> None:
    """A review can make a low share acceptable (it triggers the switch to a better one):
    the acceptable shares are no interval, and robust counts on the model instead; the
    drafted ratio's probability is then the sweep's own for the agreement."""
    base = tmp_path / "rev.toml"
    base.write_text(
        GAOZHU.read_text(encoding="utf-8")
        + '\n[sharing.review]\nparty = "SC"\nbelow = 0.0\nafter = 3\n'
        "shares = { SC = 0.65, CQ = 0.35 }\n",
        encoding="utf-8",
    )
    result = robust(load_sweep(gaozhu_sweep(tmp_path, base, n=200)))
    assert result.intervals is None and "review clause" in result.notes[0].text()
    assert result.marked["drafted"]["probability"] == pytest.approx(result.accepted["agreement"])
    assert result.curve is not None and len(result.curve) == 101
    assert result.best_probability == pytest.approx(result.curve[:, 1].max())
