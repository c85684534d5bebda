"""Which inputs drive who gains: Sobol indices or Shapley effects, Morris screening and a
one-at-a-time tornado — over the uncertainty a sweep file declares.

The inputs and their distributions are a sweep file's ``[sweep.parameters]`` (choice
weights, truncations and ``[sweep.correlation]`` included); the outputs are, for each
party under the file's own agreement, its NPV, its gain over no agreement and (when the
sweep computes standalone values) its gain over standing alone.

Every method samples in the unit hypercube and maps each coordinate through the input's
declared inverse distribution function, so the indices describe the distributions the
user wrote, not their ranges:

- **Independent inputs: Sobol indices** (first and total order, with 95% bootstrap
  intervals; Saltelli's scheme from SALib). Indices of the quantiles equal those of the
  inputs, since each input is a monotone function of its own quantile.
- **Correlated inputs: Shapley effects** (Owen 2014; Song, Nelson & Staum 2016). Sobol
  indices do not split the variance of a model with dependent inputs; the Shapley
  effect of an input is its Shapley value in the game whose value for a set ``J`` of
  inputs is ``E[Var(Y | X_{−J})]`` — non-negative, and summing to one. Estimated by
  the exact-permutation scheme over all subsets (Monte Carlo over an outer sample of
  ``X_{−J}`` and an inner sample of ``X_J`` given it, Gaussian copula in normal scores),
  with 95% bootstrap intervals in the form of the Sobol and Morris ones.
- **Morris screening** (μ*, σ) on equal-probability levels of each input (the middles
  of ``levels`` bins of its distribution): effects are per move across the whole
  distribution. With correlated inputs Morris treats them as independent, and says so.
- **Tornado**: each input at its 5% and 95% quantile, the others at their medians.

No NaN reaches a table: where the agreement is undefined at some sample point, the
method is refused with the count.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output.
*Computer Physics Communications* 181(2): 259–270.
Owen, A. B. (2014). Sobol' indices and Shapley value. *SIAM/ASA Journal on Uncertainty
Quantification* 2(1): 245–251.
Song, E., Nelson, B. L. & Staum, J. (2016). Shapley effects for global sensitivity
analysis: theory and computation. *SIAM/ASA Journal on Uncertainty Quantification*
4(1): 1060–1083.
Iooss, B. & Prieur, C. (2019). Shapley effects for sensitivity analysis with correlated
inputs: comparisons with Sobol' indices, numerical estimation and applications.
*International Journal for Uncertainty Quantification* 9(5): 493–514.
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
experiments. *Technometrics* 33(2): 161–174; Campolongo, Cariboni & Saltelli (2007),
*Environmental Modelling & Software* 22(10): 1509–1518 (μ*).
Herman, J. & Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9): 97.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from math import factorial
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import ResultsError
from sim.i18n import Reason
from sim.style import Note
from sim.sweep.designs import values_at
from sim.sweep.run import evaluate_outputs
from sim.sweep.spec import SweepSpec
from sim.syntax import syntax_reason

__all__ = [
    "SensitivityResult",
    "ShapleyEffects",
    "correlated",
    "read_sensitivity",
    "sensitivity",
    "shapley_effects",
    "shapley_effects_conf",
    "write_sensitivity",
]

MAX_SHAPLEY_INPUTS = 10
"""Most inputs whose Shapley effects are computed over every subset (``2^d − 2`` of them)."""


def correlated(spec: SweepSpec) -> bool:
    """Whether the sweep declares inputs that are not independent."""
    c = spec.correlation
    return c is not None and not np.allclose(c, np.eye(len(c)))


@dataclass(frozen=True)
class SensitivityResult:
    """Index tables (one row per output × party × parameter) and what produced them."""

    sobol: Any  # pandas DataFrame or None: Sobol indices, or Shapley effects if correlated
    morris: Any
    tornado: Any
    base_npv: dict[str, float]
    samples: dict[str, int]
    seed: int
    method: str = "sobol"
    """``sobol`` (independent inputs) or ``shapley`` (Shapley effects, correlated)."""
    notes: list[Note] = field(default_factory=list)


def _outputs(spec: SweepSpec, u: np.ndarray, method: str) -> dict[str, np.ndarray]:
    """Every output at quantiles ``u``; refused where the agreement is undefined."""
    found = evaluate_outputs(spec, values_at(spec, u))
    bad = ~np.isfinite(found["npv"]).all(axis=1)
    if bad.any():
        why = Reason(
            "sens_undefined", source=spec.source, bad=f"{int(bad.sum()):,}", n=f"{len(u):,}",
            method=method,
        )  # fmt: skip
        raise ResultsError(why)
    return found


def _flat(found: dict[str, np.ndarray]) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """The outputs side by side ``(m, K)`` and which output and party each column is."""
    keys = [(name, i) for name, y in found.items() for i in range(y.shape[1])]
    return np.column_stack([found[name][:, i] for name, i in keys]), keys


def _sobol(spec: SweepSpec, n: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    d = len(spec.parameters)
    prob = {"num_vars": d, "names": list(spec.names), "bounds": [[0.0, 1.0]] * d}
    u = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    y, keys = _flat(_outputs(spec, u, "Sobol indices"))
    found = [sobol_analyze.analyze(prob, y[:, k], calc_second_order=False, seed=seed)
             for k in range(len(keys))]  # fmt: skip
    return _rows(spec, keys, found, ("S1", "S1_conf", "ST", "ST_conf")), len(u)


def _rows(
    spec: SweepSpec, keys: list[tuple[str, int]], found: list[Any], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One row per output × party × parameter from SALib's result for each output column."""
    parties = spec.scenario.party_ids
    return [
        {"output": output, "party": parties[i], "parameter": name}
        | {c: float(res[c][j]) for c in columns}
        for (output, i), res in zip(keys, found, strict=True)
        for j, name in enumerate(spec.names)
    ]


def _conditional(corr: np.ndarray, free: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """For normal scores ``z ~ N(0, corr)``: ``A`` and ``L`` with ``z_free | z_rest =
    A z_rest + L e`` (``e`` standard normal)."""
    rest = [j for j in range(len(corr)) if j not in free]
    s_fr = corr[np.ix_(free, rest)]
    a = np.linalg.solve(corr[np.ix_(rest, rest)], s_fr.T).T if rest else np.zeros((len(free), 0))
    cov = corr[np.ix_(free, free)] - a @ s_fr.T
    w, v = np.linalg.eigh((cov + cov.T) / 2)
    return a, v * np.sqrt(np.clip(w, 0.0, None))


SHAPLEY_RESAMPLES = 100
"""Bootstrap resamples of a Shapley effects estimate (SALib's default for Sobol indices)."""
CONF_LEVEL = 0.95
"""Confidence level of every interval ``sim sensitivity`` reports (SALib's default)."""


@dataclass(frozen=True)
class ShapleyEffects:
    """Shapley effects ``(d, K)``, the outputs' variances ``(K,)`` and the effects'
    bootstrap confidence half-widths ``(d, K)`` (zeros without a bootstrap)."""

    effects: np.ndarray
    variance: np.ndarray
    conf: np.ndarray


def _shapley_weights(d: int) -> np.ndarray:
    """``W (d, 2^d)`` with ``effects = W @ c`` for the costs ``c`` of every subset (its
    bits: bit ``j`` set when input ``j`` is in it): the Shapley value's formula."""
    w = np.zeros((d, 1 << d))
    for i in range(d):
        others = [j for j in range(d) if j != i]
        for size in range(d):
            weight = factorial(size) * factorial(d - size - 1) / factorial(d)
            for subset in combinations(others, size):
                s = sum(1 << j for j in subset)
                w[i, s | (1 << i)] += weight
                w[i, s] -= weight
    return w


def _resampled_means(x: np.ndarray, rng: np.random.Generator, b: int) -> np.ndarray:
    """Means ``(b, K)`` of ``b`` bootstrap resamples of the rows of ``x (m, K)``."""
    m = len(x)
    idx = rng.integers(0, m, (b, m)) + (np.arange(b) * m)[:, None]
    counts = np.bincount(idx.ravel(), minlength=b * m).reshape(b, m)
    return np.asarray(counts @ x / m)


def shapley_effects_conf(
    f: Callable[[np.ndarray], np.ndarray],
    corr: np.ndarray,
    *,
    n_var: int,
    n_outer: int,
    n_inner: int = 3,
    seed: int = 0,
    resamples: int = SHAPLEY_RESAMPLES,
    conf_level: float = CONF_LEVEL,
) -> ShapleyEffects:
    """Shapley effects of ``f`` as :func:`shapley_effects` computes them, with bootstrap
    confidence half-widths.

    The estimate is a function of independent samples: the ``n_var`` outputs giving
    ``Var(Y)`` and, for each subset ``J``, the ``n_outer`` inner variances giving
    ``c(J)``. Each of them is resampled with replacement ``resamples`` times (from the
    seed's own stream, so the point estimate is unchanged), the effects recomputed, and
    the half-width is ``Φ⁻¹(0.5 + conf_level/2)`` times their standard deviation — the
    form of SALib's ``S1_conf`` and ``mu_star_conf`` (Efron & Tibshirani 1993, ch. 13).
    """
    from scipy.stats import norm

    d = len(corr)
    rng = np.random.default_rng(seed)
    root = np.linalg.cholesky(corr)
    y = f(rng.standard_normal((n_var, d)) @ root.T)
    var = y.var(axis=0, ddof=1)
    # per-draw terms whose means are the costs: c(∅) = 0 and c(D) = Var(Y) from y
    terms: dict[int, np.ndarray] = {}
    for size in range(1, d):
        for free in combinations(range(d), size):
            rest = [j for j in range(d) if j not in free]
            a, lower = _conditional(corr, list(free))
            outer = (rng.standard_normal((n_outer, d)) @ root.T)[:, rest]
            z = np.empty((n_outer, n_inner, d))
            z[:, :, rest] = outer[:, None, :]
            mean = outer @ a.T  # (n_outer, |J|)
            e = rng.standard_normal((n_outer, n_inner, size))
            z[:, :, list(free)] = mean[:, None, :] + e @ lower.T
            inner = f(z.reshape(-1, d)).reshape(n_outer, n_inner, -1)
            terms[sum(1 << j for j in free)] = inner.var(axis=1, ddof=1)
    w = _shapley_weights(d)
    full = (1 << d) - 1
    cost = np.zeros((1 << d, y.shape[1]))
    cost[full] = var
    for mask, t in terms.items():
        cost[mask] = t.mean(axis=0)
    effects = w @ cost
    conf = np.zeros_like(effects)
    if resamples > 1:
        boot = np.random.default_rng([seed, 1])  # not the estimate's stream
        costs = np.zeros((1 << d, resamples, y.shape[1]))
        centred = y - y.mean(axis=0)
        first = _resampled_means(np.hstack([centred, centred**2]), boot, resamples)
        k = y.shape[1]
        costs[full] = (first[:, k:] - first[:, :k] ** 2) * n_var / (n_var - 1)
        for mask, t in terms.items():
            costs[mask] = _resampled_means(t, boot, resamples)
        with np.errstate(invalid="ignore", divide="ignore"):
            replicas = np.einsum("dm,mbk->dbk", w, costs) / costs[full][None]
        spread = np.nan_to_num(replicas.std(axis=1, ddof=1))
        conf = np.where(var > 0, float(norm.ppf(0.5 + conf_level / 2)) * spread, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ShapleyEffects(np.where(var > 0, effects / var, 0.0), var, conf)


def shapley_effects(
    f: Callable[[np.ndarray], np.ndarray],
    corr: np.ndarray,
    *,
    n_var: int,
    n_outer: int,
    n_inner: int = 3,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Shapley effects ``(d, K)`` of ``f`` (normal scores ``(m, d)`` → outputs ``(m, K)``)
    with inputs whose normal scores are ``N(0, corr)``, and the outputs' variances ``(K,)``.

    Song, Nelson & Staum's estimator over every subset ``J``: ``c(J) = E[Var(Y | X_{−J})]``
    from ``n_outer`` draws of ``X_{−J}`` with ``n_inner`` draws of ``X_J`` given each;
    ``c(D) = Var(Y)`` from ``n_var`` draws. The effects sum to one by construction.
    With confidence intervals: :func:`shapley_effects_conf`.

    Examples
    --------
    Two independent standard normals and ``Y = X_1 + 2 X_2``: the effects are the Sobol
    indices, 1/5 and 4/5.

    >>> sh, var = shapley_effects(lambda z: z @ np.array([[1.0], [2.0]]), np.eye(2),
    ...                           n_var=20000, n_outer=20000, seed=1)
    >>> sh[:, 0].round(2).tolist(), round(float(var[0]))
    ([0.2, 0.8], 5)
    """
    found = shapley_effects_conf(
        f, corr, n_var=n_var, n_outer=n_outer, n_inner=n_inner, seed=seed, resamples=0
    )
    return found.effects, found.variance


def _shapley(spec: SweepSpec, n: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    from scipy.special import ndtr

    d = len(spec.parameters)
    if d > MAX_SHAPLEY_INPUTS:
        raise ResultsError(
            Reason("shapley_inputs", source=spec.source, most=MAX_SHAPLEY_INPUTS, d=d)
        )
    assert spec.correlation is not None
    keys: list[tuple[str, int]] = []
    calls = [0]

    def f(z: np.ndarray) -> np.ndarray:
        nonlocal keys
        y, keys = _flat(_outputs(spec, ndtr(z), "Shapley effects"))
        calls[0] += len(z)
        return y

    found = shapley_effects_conf(f, spec.correlation, n_var=4 * n, n_outer=n, seed=seed)
    effects, var = found.effects, found.variance
    parties = spec.scenario.party_ids
    rows = [
        {
            "output": output,
            "party": parties[i],
            "parameter": name,
            "shapley_effect": float(effects[j, k]),
            "shapley_effect_conf": float(found.conf[j, k]),
            "variance": float(var[k]),
        }
        for k, (output, i) in enumerate(keys)
        for j, name in enumerate(spec.names)
    ]
    return rows, calls[0]


def _morris(spec: SweepSpec, n: int, levels: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    d = len(spec.parameters)
    prob = {"num_vars": d, "names": list(spec.names), "bounds": [[0.0, 1.0]] * d}
    grid = morris_sample.sample(prob, max(4, n // 8), num_levels=levels, seed=seed)
    u = (grid * (levels - 1) + 0.5) / levels  # the middles of equal-probability bins
    y, keys = _flat(_outputs(spec, u, "Morris screening"))
    found = [morris_analyze.analyze(prob, grid, y[:, k], num_levels=levels, seed=seed)
             for k in range(len(keys))]  # fmt: skip
    return _rows(spec, keys, found, ("mu_star", "mu_star_conf", "sigma")), len(u)


def _tornado(spec: SweepSpec) -> tuple[list[dict[str, Any]], np.ndarray]:
    d = len(spec.parameters)
    u = np.full((2 * d + 1, d), 0.5)
    u[np.arange(d), np.arange(d)] = 0.05
    u[d + np.arange(d), np.arange(d)] = 0.95
    x = values_at(spec, u)
    found = _outputs(spec, u, "the tornado")
    parties = spec.scenario.party_ids
    rows = [
        {
            "output": output,
            "party": party,
            "parameter": name,
            "low_value": x[j, j],
            "high_value": x[d + j, j],
            "low": y[j, i],
            "high": y[d + j, i],
            "base": y[2 * d, i],
        }
        for output, y in found.items()
        for i, party in enumerate(parties)
        for j, name in enumerate(spec.names)
    ]
    return rows, found["npv"][2 * d]


def whole_years(tornado: Any) -> Any:
    """The tornado table with the values of a year input whole (2025, not 2025.0), as
    :func:`sim.schema.input_value` writes them; other tables hold no input values."""
    import pandas as pd

    from sim.schema import input_value, is_year

    if not any(is_year(p) for p in tornado["parameter"]):
        return tornado
    paths = list(tornado["parameter"])
    return tornado.assign(
        **{
            c: pd.Series(
                [input_value(float(x), p) for x, p in zip(tornado[c], paths, strict=True)],
                index=tornado.index,
                dtype=object,
            )
            for c in ("low_value", "high_value")
        }
    )


def sensitivity(
    spec: SweepSpec,
    *,
    methods: tuple[str, ...] = ("sobol", "morris"),
    n: int = 1024,
    levels: int = 4,
    seed: int | None = None,
) -> SensitivityResult:
    """Sobol indices (Shapley effects where inputs are correlated), Morris and a tornado,
    over the sweep file's declared distributions (see the module docstring)."""
    import pandas as pd

    seed = spec.seed if seed is None else seed
    parties = spec.scenario.party_ids
    tornado, base = _tornado(spec)
    samples: dict[str, int] = {}
    notes: list[Note] = []
    tables: dict[str, Any] = {"sobol": None, "morris": None}
    method = "shapley" if correlated(spec) else "sobol"
    if "sobol" in methods:
        rows, samples[method] = (_shapley if method == "shapley" else _sobol)(spec, n, seed)
        tables["sobol"] = pd.DataFrame(rows)
        if method == "shapley":
            notes.append(Note("shapley_instead"))
    if "morris" in methods:
        rows, samples["morris"] = _morris(spec, n, levels, seed)
        tables["morris"] = pd.DataFrame(rows)
        if method == "shapley":
            notes.append(Note("morris_independent"))
    if method == "shapley":
        notes.append(Note("tornado_oat"))
    return SensitivityResult(
        tables["sobol"],
        tables["morris"],
        whole_years(pd.DataFrame(tornado)),
        {p: float(b) for p, b in zip(parties, base, strict=True)},
        samples,
        seed,
        method,
        notes,
    )


TABLES = ("sobol", "shapley", "morris", "tornado")


def write_sensitivity(
    folder: Path, spec: SweepSpec, result: SensitivityResult, *, n: int, force: bool = False
) -> None:
    """The analysis's folder: each table as CSV, the scenario as run and the sweep table
    (``inputs/``, manifest), so that ``sim report`` and ``sim plot`` draw the stored
    indices without re-reading or recomputing anything."""
    from sim.csv_safe import write_csv
    from sim.files import new_folder, write_json
    from sim.store import manifest

    frames = {"tornado": result.tornado, "morris": result.morris, result.method: result.sobol}
    with new_folder(folder, force=force, kind="sensitivity") as tmp:
        for name, frame in frames.items():
            if frame is not None:
                write_csv(tmp / f"{name}.csv", frame)
        (tmp / "inputs").mkdir()
        (tmp / "inputs" / "scenario.toml").write_text(spec.scenario_text, encoding="utf-8")
        write_json(
            tmp / "manifest.json",
            manifest(
                spec.scenario,
                kind="sensitivity",
                sweep={"file": spec.source, "digest": spec.digest, "table": dict(spec.table)},
                seed=result.seed,
                samples=result.samples,
                n=n,
                method=result.method,
                base_npv=result.base_npv,
                notes=[note.key for note in result.notes],
            ),
        )


def read_sensitivity(folder: Path) -> tuple[SweepSpec, SensitivityResult, Note | None]:
    """A stored analysis: its sweep (from the stored inputs), its tables, and a note if
    the sweep file it was run from has changed or gone since."""
    import pandas as pd

    from sim.sweep.spec import stored_spec

    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        why = syntax_reason(exc)
        raise ResultsError(Reason("not_sens_folder_why", folder=folder, error=why)) from None
    except OSError as exc:
        raise ResultsError(Reason("not_sens_folder_why", folder=folder, error=exc)) from None
    if manifest.get("kind") != "sensitivity":
        raise ResultsError(Reason("not_sens_folder", folder=folder))
    spec, changed = stored_spec(folder, manifest)
    tables = {
        name: pd.read_csv(folder / f"{name}.csv") if (folder / f"{name}.csv").is_file() else None
        for name in TABLES
    }
    method = str(manifest.get("method", "sobol"))
    result = SensitivityResult(
        tables[method],
        tables["morris"],
        whole_years(tables["tornado"]),
        dict(manifest.get("base_npv", {})),
        dict(manifest.get("samples", {})),
        int(manifest.get("seed", spec.seed)),
        method,
        [Note(key) for key in manifest.get("notes", [])],
    )
    return spec, result, changed
