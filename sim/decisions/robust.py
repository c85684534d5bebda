"""Which pool shares hold up under uncertainty (``sim robust``).

For every scenario of a sweep, the agreement as written — its scope, window,
compliance, floors and clauses, with only the pool shares free — gives each party's NPV
as a function of the shares: ``base + K · s`` without floors (:mod:`sim.agreement.shares`).
A party *accepts* shares ``s`` in a scenario when its NPV is at least its basis there:
its value standing alone (``basis = "standalone"``) or its NPV with no agreement
(``"source"``). Party ``i`` accepts exactly the shares with ``s_i ≥ l_i = (d_i − base_i)/K``.

- **Two parties**: each scenario's acceptable shares of party 0 form an interval
  ``[l_0, 1 − l_1]`` (found on the model by bisection where floors bind). The share
  every party accepts most often is where the most intervals overlap: a sweep line over
  the sorted ends, exact, ``O(m log m)``; the curve P(all accept | share) is exact at
  every point of a grid over [0, 1].
- **Three or more parties**: the acceptable shares of a scenario are the simplex's
  corner ``{s : s ≥ l}``. The probability is maximised over a grid of the simplex with
  step ``h``: the best grid point gives a lower bound, and every optimum ``s*`` lies in
  some grid cell whose upper corner ``g + h`` bounds the count from above, so the
  result is reported with both bounds (the gap is the method's error).
- **The worst-off party's expected gain** ``min_i E[NPV_i(s) − d_i]`` is maximised in
  closed form on the map (it is affine in ``s``): a linear programme.
- **Minimax regret** (Savage 1951) among the agreements compared: in each scenario a
  party's regret under an agreement is its shortfall from the agreement best for it
  there; the choice minimises the largest regret over scenarios and parties.

References
----------
Savage, L. J. (1951). The theory of statistical decision. *Journal of the American
Statistical Association* 46(253): 55–67.
Lempert, R. J., Popper, S. W. & Bankes, S. C. (2003). *Shaping the Next One Hundred
Years: New Methods for Quantitative, Long-Term Policy Analysis*. RAND (robust decisions).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from sim.agreement import Context, outcome_npv, resolve
from sim.agreement.resolve import benefit_of
from sim.agreement.shares import (
    ShareMap,
    _interval_with_floors,
    npv_with_shares,
    share_map,
    two_party_interval,
)
from sim.agreement.terms import clause_basis, written_terms
from sim.model import Batch, StreamTerms, Terms, batch_from_scenario
from sim.style import Note
from sim.sweep.designs import sample
from sim.sweep.run import agreements, apply_parameters
from sim.sweep.spec import SweepSpec
from sim.sweep.summary import TOL

__all__ = [
    "Basis",
    "Best",
    "Robust",
    "best_of_intervals",
    "best_on_simplex",
    "minimax_regret",
    "overlap",
    "robust",
]

Basis = Literal["standalone", "source"]
Array = NDArray[np.float64]
CHUNK = 8192


@dataclass(frozen=True)
class Robust:
    """The shares that hold up across a sweep's scenarios, and the regret of each agreement."""

    parties: tuple[str, ...]
    basis: Basis
    scenarios: int
    best_shares: Array
    """``(P,)`` shares every party accepts in the most scenarios; where several do, the
    one among them best for the worst-off party (greatest least expected gain)."""
    best_probability: float
    """The probability that every party accepts them (a lower bound for 3+ parties)."""
    best_upper_bound: float
    """For three or more parties the bound above (equal for two: exact)."""
    best_set: list[tuple[float, float]]
    """Two parties: the intervals of party 0's share that achieve the best probability."""
    near_best: list[tuple[float, float]]
    """Two parties: the intervals of party 0's share within one percentage point of it."""
    curve: Array | None
    """Two parties: ``(G, 2)`` party 0's share and P(all accept | share)."""
    grid: Array | None
    """Three or more parties: ``(G, P+1)`` the grid's shares and P(all accept | shares)."""
    acceptable: dict[str, Any]
    """How each scenario's acceptable shares are distributed."""
    maximin_shares: Array
    """``(P,)`` shares maximising the worst-off party's expected gain over its basis."""
    maximin_gains: Array
    """``(P,)`` each party's expected gain over its basis at :attr:`maximin_shares`."""
    marked: dict[str, dict[str, Any]]
    """The drafted ratio and fair-division shares: their shares and probabilities."""
    regret: dict[str, Any]
    """Minimax regret among the agreements compared."""
    accepted: dict[str, float]
    """Each agreement of the sweep, resolved in every scenario: the share of the
    scenarios where it is defined in which every party accepts it."""
    intervals: tuple[Array, Array] | None = None
    """Two parties: each scenario's least and greatest acceptable share of the first
    party (NaN where none is acceptable)."""
    resolution: float | None = None
    """Three or more parties: the grid step over the simplex."""
    notes: list[Note] = field(default_factory=list)


def overlap(low: Array, high: Array) -> tuple[int, list[tuple[float, float]]]:
    """Most closed intervals ``[low, high]`` that share a point, and where they do.

    A sweep line over the sorted ends (an end closes after every start at the same
    point). NaN intervals (empty) are ignored.

    Examples
    --------
    >>> overlap(np.array([0.0, 0.2, 0.5, 0.6]), np.array([0.4, 0.7, 0.9, 0.65]))
    (3, [(0.6, 0.65)])
    """
    keep = ~(np.isnan(low) | np.isnan(high))
    lo, hi = low[keep], high[keep]
    points = np.concatenate([lo, hi])
    kinds = np.concatenate([np.zeros(len(lo)), np.ones(len(hi))])  # starts before ends
    order = np.lexsort((kinds, points))
    steps = np.where(kinds[order] == 0, 1, -1)
    running = np.cumsum(steps)
    if len(running) == 0:
        return 0, []
    best = int(running.max())
    where = points[order]
    spans = []
    for k in np.flatnonzero(running == best):
        spans.append((float(where[k]), float(where[k + 1])))
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return best, merged


def minimax_regret(npv: Array, labels: list[str]) -> dict[str, Any]:
    """Savage's minimax regret among agreements, from NPVs ``(m, A, P)``.

    Regret of agreement ``a`` for party ``p`` in scenario ``s``: the party's best NPV
    over the agreements in that scenario, less its NPV under ``a``. The choice is the
    agreement whose largest regret (over scenarios and parties) is least; among several
    (``tied``), the first in ``labels``. With no scenario (``m = 0``) there is no
    choice and no regrets (``None``).

    Examples
    --------
    One party, three agreements, three scenarios (rows) — the textbook table:

    >>> npv = np.array([[[10.0], [7.0], [4.0]], [[2.0], [6.0], [5.0]], [[0.0], [3.0], [9.0]]])
    >>> r = minimax_regret(npv, ["a", "b", "c"])
    >>> r["choice"], r["max_regret"]
    ('b', {'a': 9.0, 'b': 6.0, 'c': 6.0})
    """
    if len(npv) == 0:  # no scenario where every agreement is defined: no choice
        return {
            "choice": None,
            "tied": [],
            "max_regret": dict.fromkeys(labels),
            "max_regret_by_party": dict.fromkeys(labels),
            "p95_regret": dict.fromkeys(labels),
        }
    best = npv.max(axis=1, keepdims=True)
    regret = best - npv  # (m, A, P)
    worst = regret.max(axis=(0, 2))  # (A,)
    by_party = regret.max(axis=0)  # (A, P)
    choice = labels[int(np.argmin(worst))]
    tied = [a for k, a in enumerate(labels) if worst[k] <= worst.min() + 1e-9]
    return {
        "choice": choice,
        "tied": tied,
        "max_regret": {a: float(worst[k]) for k, a in enumerate(labels)},
        "max_regret_by_party": {a: by_party[k].tolist() for k, a in enumerate(labels)},
        "p95_regret": {
            a: float(np.percentile(regret[:, k].max(axis=1), 95)) for k, a in enumerate(labels)
        },
    }


@dataclass
class _Collected:
    low: list[Array] = field(default_factory=list)  # (m, P) least acceptable share
    interval: list[tuple[Array, Array]] = field(default_factory=list)  # two parties
    gain_base: list[Array] = field(default_factory=list)  # (m, P) base − basis
    slope: list[Array] = field(default_factory=list)  # (m,)
    npv: list[Array] = field(default_factory=list)  # (m, A, P)
    basis: list[Array] = field(default_factory=list)  # (m, P)


def _terms_with_free_shares(spec: SweepSpec, batch: Batch, terms: Terms, ctx: Context) -> Terms:
    """The agreement's terms with the pool shares free (and investment as it resolves)."""
    sc = spec.scenario
    sharing = agreements(sc)["agreement"]
    n = len(sc.party_ids)
    out = resolve(sc, sharing, batch, terms, context=ctx).terms
    free = replace(out, rule="fixed", params={"shares": np.full((batch.size, n), 1.0 / n)})
    if clause_basis(sharing, "investment") == "benefit":
        free = free.with_clause("investment", StreamTerms("equity"))
    return free


def _map(batch: Batch, terms: Terms, ctx: Context, benefit: bool) -> ShareMap:
    smap = share_map(batch, terms)
    return benefit_of(ctx).follow(smap) if benefit else smap


def _chunk(spec: SweepSpec, start: int, stop: int, basis: Basis, acc: _Collected) -> None:
    sc = spec.scenario
    values = sample(spec, start, stop)
    labels = tuple(dict.fromkeys(("agreement", *spec.rules)))
    batch, terms = apply_parameters(spec, values, labels)
    ctx = Context(sc, batch)
    benefit = clause_basis(sc.sharing, "investment") == "benefit"
    free = _terms_with_free_shares(spec, batch, terms["agreement"], ctx)
    smap = _map(batch, free, ctx, benefit)
    d = ctx.standalone if basis == "standalone" else smap.source
    base, k = smap.base, smap.slope
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(
            k[:, None] > 1e-12, (d - base) / k[:, None], np.where(base >= d, -np.inf, np.inf)
        )
    acc.low.append(low)
    acc.gain_base.append(base - d)
    acc.basis.append(d)
    acc.slope.append(k)
    if len(sc.party_ids) == 2:
        total = base.sum(axis=1) + k
        v = np.column_stack([np.zeros(len(d)), d[:, 0], d[:, 1], total])
        if free.piecewise:
            benefit_rule = benefit_of(ctx) if benefit else None
            lo, hi = _interval_with_floors(npv_with_shares(batch, free, benefit_rule), v)
        else:
            lo, hi = two_party_interval(base[:, 0], base[:, 0] + k, v)
        acc.interval.append((lo, hi))
    npv = [
        outcome_npv(batch, resolve(sc, agreements(sc)[r], batch, terms[r], context=ctx)).npv
        for r in spec.rules
    ]
    acc.npv.append(np.stack(npv, axis=1))


def _simplex_grid(n: int, h: float) -> Array:
    """Every point of the simplex with coordinates on multiples of ``h``."""
    steps = round(1 / h)

    def fill(parts: int, left: int) -> list[list[int]]:
        if parts == 1:
            return [[left]]
        return [[k, *rest] for k in range(left + 1) for rest in fill(parts - 1, left - k)]

    return np.asarray(fill(n, steps), dtype=float) / steps


def _grid_counts(low: Array, grid: Array, shift: float) -> NDArray[np.int64]:
    """For each grid point ``g``: scenarios with ``l ≤ g + shift`` in every coordinate."""
    counts = np.zeros(len(grid), dtype=np.int64)
    for i in range(0, len(grid), 256):
        g = grid[i : i + 256] + shift
        counts[i : i + 256] = (low[None, :, :] <= g[:, None, :] + 1e-12).all(axis=2).sum(axis=1)
    return counts


def _maximin(gain: Array, slope: float) -> Array:
    """Shares maximising ``min_i gain_i + slope · s_i`` over the simplex (an LP)."""
    from scipy.optimize import linprog

    n = len(gain)
    c = np.zeros(n + 1)
    c[-1] = -1.0  # maximise t
    a_ub = np.hstack([-slope * np.eye(n), np.ones((n, 1))])  # t − slope s_i ≤ gain_i
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=gain,
        A_eq=np.hstack([np.ones((1, n)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0.0, 1.0)] * n + [(None, None)],
        method="highs",
    )
    return np.asarray(res.x[:n])


def _marks(spec: SweepSpec) -> dict[str, Array]:
    """The drafted ratio (a fixed rule) and the fair-division shares of the file's own
    scenario."""
    sc = spec.scenario
    out: dict[str, Array] = {}
    if sc.sharing.rule == "fixed":
        shares = sc.sharing.params["shares"]
        out["drafted"] = np.array([float(shares[p]) for p in sc.party_ids])  # type: ignore[index]
    batch = batch_from_scenario(sc)
    for rule in ("shapley", "nucleolus", "nash"):
        outcome = resolve(sc, agreements(sc)[rule], batch)
        if outcome.shares is not None and outcome.defined[0]:
            out[rule] = outcome.shares[0]
    return out


def _marked(
    spec: SweepSpec,
    low: Array,
    interval: tuple[Array, Array] | None,
    on_model: bool,
    basis: Basis,
) -> dict[str, Any]:
    """Each mark's shares and the probability that every party accepts them: from the
    intervals (two parties), the least shares (more), or the model itself."""
    marks = _marks(spec)
    if on_model and marks:
        found = _accepted_on_model(spec, np.array(list(marks.values())), basis)
        probability = dict(zip(marks, map(float, found), strict=True))
    else:
        probability = {}
        for name, s in marks.items():
            if interval is not None:
                lo, hi = interval
                p = float(np.mean((lo <= s[0] + 1e-12) & (s[0] <= hi + 1e-12)))
            else:
                p = float(np.mean((low <= s[None, :] + 1e-12).all(axis=1)))
            probability[name] = p
    return {
        name: {
            "shares": dict(zip(spec.scenario.party_ids, map(float, s), strict=True)),
            "probability": probability[name],
        }
        for name, s in marks.items()
    }


def _accepted_on_model(spec: SweepSpec, grid: Array, basis: Basis) -> Array:
    """``(G,)`` for each row of shares ``grid`` ``(G, P)``, the share of scenarios in which
    every party accepts them, on the model (floors, cap and review and all): ``G`` more
    evaluations of every scenario."""
    sc = spec.scenario
    counts = np.zeros(len(grid))
    benefit = clause_basis(sc.sharing, "investment") == "benefit"
    for start in range(0, spec.n, CHUNK):
        stop = min(spec.n, start + CHUNK)
        batch, terms = apply_parameters(spec, sample(spec, start, stop), ("agreement",))
        ctx = Context(sc, batch)
        free = _terms_with_free_shares(spec, batch, terms["agreement"], ctx)
        npv_at = npv_with_shares(batch, free, benefit_of(ctx) if benefit else None)
        d = ctx.standalone if basis == "standalone" else _map(batch, free, ctx, benefit).source
        rows = np.arange(stop - start)
        for g, shares in enumerate(grid):
            npv = npv_at(np.tile(shares, (len(rows), 1)), rows)
            counts[g] += int((npv - d >= -TOL).all(axis=1).sum())
    return counts / spec.n


def best_on_model(spec: SweepSpec, basis: Basis, h: float, gain: Array, slope: float) -> Best:
    """Where a review makes acceptable shares other than an interval (or a corner): the
    probability on the model at every point of a grid of step ``h`` over the simplex."""
    n = len(spec.scenario.party_ids)
    grid = _simplex_grid(n, h)
    p = _accepted_on_model(spec, grid, basis)
    tied = np.flatnonzero(p >= p.max() - 1e-12)
    k = int(tied[np.argmax((gain + slope * grid[tied]).min(axis=1))])
    if n == 2:
        curve = np.column_stack([grid[:, 0], p])
        near = _runs(p >= p[k] - 0.01, grid[:, 0])
        spans = _runs(p >= p[k] - 1e-12, grid[:, 0])
        return Best(grid[k], float(p[k]), float(p[k]), spans, near, curve)
    return Best(grid[k], float(p[k]), float(p[k]), grid=np.column_stack([grid, p]))


def _intervals(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(round(a, 6), round(b, 6)) for a, b in spans]


def _runs(mask: NDArray[np.bool_], grid: Array) -> list[tuple[float, float]]:
    """The intervals of ``grid`` where ``mask`` holds."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [
        (float(grid[a]), float(grid[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True)
    ]


@dataclass(frozen=True)
class Best:
    """The shares every party accepts most often, from each scenario's acceptable set."""

    shares: Array
    probability: float
    upper: float
    """An upper bound on the greatest probability (equal to it for two parties)."""
    spans: list[tuple[float, float]] = field(default_factory=list)
    near: list[tuple[float, float]] = field(default_factory=list)
    curve: Array | None = None
    grid: Array | None = None


def best_of_intervals(lo: Array, hi: Array, gain: Array, slope: float) -> Best:
    """Two parties: the first party's share inside the most intervals ``[lo, hi]`` (NaN:
    none acceptable), by a sweep line; among several, the one best for the worst-off
    party (expected gain ``gain + slope · s``); and the curve on a grid of 1,001 shares.

    Examples
    --------
    Four scenarios; three accept every share in [0.4, 0.5], no share is in all four:

    >>> b = best_of_intervals(np.array([0.1, 0.3, 0.4, 0.8]), np.array([0.5, 0.7, 0.9, 1.0]),
    ...                       np.zeros(2), 1.0)
    >>> b.probability, b.spans, b.shares.tolist()
    (0.75, [(0.4, 0.5)], [0.5, 0.5])
    """
    m = len(lo)
    count, spans = overlap(lo, hi)
    maximin = _maximin(gain, slope)
    options = [min(max(maximin[0], a), b) for a, b in spans] or [maximin[0]]
    worst = [min(gain + slope * np.array([x, 1 - x])) for x in options]
    s0 = options[int(np.argmax(worst))]
    grid = np.linspace(0.0, 1.0, 1001)
    ok = ~(np.isnan(lo) | np.isnan(hi))
    los, his = np.sort(lo[ok]), np.sort(hi[ok])
    inside = np.searchsorted(los, grid + 1e-12, side="right") - np.searchsorted(
        his, grid - 1e-12, side="left"
    )
    curve = np.column_stack([grid, inside / m])
    probability = count / m
    near = _runs(curve[:, 1] >= probability - 0.01, grid)
    return Best(np.array([s0, 1 - s0]), probability, probability, spans, near, curve)


def best_on_simplex(low: Array, gain: Array, slope: float, h: float) -> Best:
    """Three or more parties: the grid point of step ``h`` on the simplex with ``s ≥ low``
    in the most scenarios (among several, the one best for the worst-off party), and an
    upper bound: any optimum lies in a grid cell whose upper corner covers it.

    Examples
    --------
    Party 0 needs at least 0.5 in two of three scenarios, party 2 at least 0.6 in the
    third: no shares satisfy all three; those with ``s_0 ≥ 0.5`` keep two, and among
    them the grid point with the largest least share (equal expected gains) is chosen:

    >>> low = np.array([[0.5, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.6]])
    >>> b = best_on_simplex(low, np.zeros(3), 1.0, 0.1)
    >>> round(b.probability, 4), b.shares.tolist()
    (0.6667, [0.5, 0.2, 0.3])
    """
    m = len(low)
    grid = _simplex_grid(low.shape[1], h)
    counts = _grid_counts(low, grid, 0.0)
    tied = np.flatnonzero(counts == counts.max())
    k = int(tied[np.argmax((gain + slope * grid[tied]).min(axis=1))])
    upper = float(_grid_counts(low, grid, h).max()) / m
    table = np.column_stack([grid, counts / m])
    return Best(grid[k], int(counts[k]) / m, upper, grid=table)


def _describe_intervals(lo: Array, hi: Array) -> dict[str, Any]:
    ok = ~(np.isnan(lo) | np.isnan(hi))
    if not ok.any():
        return {"empty": 1.0, "low_quantiles": None, "high_quantiles": None}
    q = [5, 25, 50, 75, 95]
    return {
        "empty": float(np.mean(~ok)),
        "low_quantiles": np.percentile(lo[ok], q).tolist(),
        "high_quantiles": np.percentile(hi[ok], q).tolist(),
        "width_median": float(np.median(hi[ok] - lo[ok])),
    }


def robust(
    spec: SweepSpec, basis: Basis = "standalone", *, resolution: float | None = None
) -> Robust:
    """The shares that hold up across the sweep's scenarios (see the module docstring)."""
    sc = spec.scenario
    n = len(sc.party_ids)
    acc = _Collected()
    for start in range(0, spec.n, CHUNK):
        _chunk(spec, start, min(spec.n, start + CHUNK), basis, acc)
    low = np.concatenate(acc.low)
    gain = np.concatenate(acc.gain_base).mean(axis=0)
    slope = float(np.concatenate(acc.slope).mean())
    maximin = _maximin(gain, slope)
    notes: list[Note] = []
    written = written_terms(sc)
    interval: tuple[Array, Array] | None = None
    h: float | None = None
    if written.review is not None:
        h = resolution or {2: 0.01, 3: 0.05}.get(n, 0.1)
        best = best_on_model(spec, basis, h, gain, slope)
        acceptable: dict[str, Any] = {"empty": None}
        notes.append(Note("review_grid", {"step": h}))
    elif n == 2:
        interval = (
            np.concatenate([i[0] for i in acc.interval]),
            np.concatenate([i[1] for i in acc.interval]),
        )
        best = best_of_intervals(*interval, gain, slope)
        acceptable = _describe_intervals(*interval)
        if (acceptable.get("width_median") or 1.0) < 1e-9:
            notes.append(Note("one_share"))
        if written.piecewise:
            notes.append(Note("bisection"))
    else:
        h = resolution or {3: 0.01, 4: 0.025}.get(n, 0.05)
        best = best_on_simplex(low, gain, slope, h)
        acceptable = {
            "empty": float(np.mean(np.clip(low, 0, None).sum(axis=1) > 1 + 1e-12)),
            "least_share_quantiles": {
                p: np.percentile(np.clip(low[:, i], 0, 1), [5, 25, 50, 75, 95]).tolist()
                for i, p in enumerate(sc.party_ids)
            },
        }
        exact = f"{best.probability:.1%}" == f"{best.upper:.1%}"  # no interval to give
        notes.append(
            Note(
                "simplex_grid_exact" if exact else "simplex_grid",
                {"parties": n, "step": h, "low": best.probability, "high": best.upper},
            )
        )
        if written.piecewise:
            found = _accepted_on_model(spec, best.shares[None, :], basis)
            best = replace(best, probability=float(found[0]))
            notes.append(Note("simplex_model"))
    npv = np.concatenate(acc.npv)
    d = np.concatenate(acc.basis)
    ok = npv - d[:, None, :] >= -TOL  # as `sim sweep` counts P(all ≥ …)
    accepted, counts = {}, {}
    for a, label in enumerate(spec.rules):
        there = np.isfinite(npv[:, a]).all(axis=1)
        counts[label] = (int(ok[there, a].all(axis=1).sum()), int(there.sum()))
        accepted[label] = counts[label][0] / counts[label][1] if there.any() else float("nan")
    defined = np.isfinite(npv).all(axis=(1, 2))
    regret = minimax_regret(npv[defined], list(spec.rules))
    regret["scenarios"] = int(defined.sum())
    if not defined.all():
        regret["left_out"] = int((~defined).sum())
    if regret["choice"] is None:
        notes.append(Note("regret_none"))
    else:  # is the recommendation also acceptable? (every party ≥ its basis)
        yes, of = counts[regret["choice"]]
        regret["choice_accepted"] = {"count": yes, "scenarios": of, "share": yes / of}
    return Robust(
        parties=sc.party_ids,
        basis=basis,
        scenarios=len(low),
        best_shares=best.shares,
        best_probability=best.probability,
        best_upper_bound=max(best.upper, best.probability),
        best_set=_intervals(best.spans),
        near_best=_intervals(best.near),
        curve=best.curve,
        grid=best.grid,
        acceptable=acceptable,
        maximin_shares=maximin,
        maximin_gains=gain + slope * maximin,
        marked=_marked(
            spec, low, interval, written.review is not None or (written.piecewise and n > 2), basis
        ),
        regret=regret,
        accepted=accepted,
        intervals=interval,
        resolution=h,
        notes=notes,
    )
