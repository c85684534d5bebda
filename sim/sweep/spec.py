"""Sweep files: which inputs vary, how they are sampled, and which rules are evaluated.

A sweep is a ``[sweep]`` table in a scenario file, or a file of its own whose
``[sweep]`` names a base scenario (``base = "gaozhu.toml"``, relative to the sweep
file). Parameters are key paths into the scenario:

====================================  ===============================================
``horizon.discount_rate``             the discount rate
``parties.<id>.retained_share``       a party's retained share
``taxes.vat_local_share`` (cit, pit)  local share of a shared tax
``firms.<id>.<field>``                any numeric firm field (``first_year`` whole years)
``land_sales.<i>.<field>``            ``area_mu``, ``price``, ``cost_share``, ``rural_earmark``
``investment.capex.<year>``           capex of one year
``investment.equity.<party>``         a party's equity (the others rescaled, see below)
``investment.return_rate``            the joint company's return (also ``payout_ratio``)
``sharing.compliance``                the agreement's compliance
``sharing.shares.<party>``            a fixed share (the others rescaled)
``sharing.share``                     the introducer's share
``sharing.weights.<factor>``          a formula weight (the others rescaled)
``sharing.floors.<party>``            a floor
====================================  ===============================================

Shares that must sum to 1 stay summing to 1: when one party's share is set to ``x``,
the other parties' shares are rescaled in proportion to their values in the file so
that they sum to ``1 − x`` (for two parties, the other simply gets ``1 − x``). Two
swept shares of the same table must not sum above 1.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import Problem, ScenarioError, SweepError, read_input
from sim.rules import FACTORS
from sim.scenario import WORKBOOK_SUFFIXES, Scenario, canonical_digest, parse, read
from sim.schema import Binding, bind
from sim.style import Note

__all__ = ["Distribution", "Parameter", "SweepSpec", "load_sweep", "parse_sweep"]

DESIGNS = ("grid", "montecarlo", "lhs", "sobol")
DISTRIBUTIONS = ("uniform", "normal", "triangular", "lognormal", "choice")


@dataclass(frozen=True)
class Distribution:
    """How one parameter is sampled: a list of values, or a distribution."""

    kind: str
    """``values`` (a list, for grids and discrete choice) or one of :data:`DISTRIBUTIONS`."""
    args: Mapping[str, float] = field(default_factory=dict)
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value the distribution can take."""
        a = self.args
        if self.kind in ("values", "choice"):
            return min(self.values), max(self.values)
        if self.kind in ("uniform", "triangular"):
            return a["low"], a["high"]
        if self.kind == "normal":
            return a.get("low", -math.inf), a.get("high", math.inf)
        return 0.0, math.inf  # lognormal

    def text(self, lang: str = "en", show: Callable[[float], str] = "{:g}".format) -> str:
        """The distribution in words, each value written by ``show``: ``triangular: low
        0, mode 0.03, high 0.08`` / ``三角分布：下限 0，众数 0.03，上限 0.08``."""
        zh = lang == "zh"
        sep = "，" if zh else ", "
        a = self.args
        if self.kind in ("values", "choice"):
            w = np.asarray(self.weights) if self.weights else np.ones(len(self.values))
            values = [show(v) for v in self.values]
            if self.kind == "values":
                return ("取值 " if zh else "values ") + sep.join(values)
            each = [f"{v} ({p:.0%})" for v, p in zip(values, w / w.sum(), strict=True)]
            return ("离散取值：" if zh else "choice: ") + sep.join(each)
        name, keys = _WORDS[self.kind]
        # lognormal's μ and σ are of the logarithm: not values of the input
        put = (lambda x: f"{x:g}") if self.kind == "lognormal" else show
        parts = [f"{keys[k] if zh else k} {put(a[k])}" for k in keys if k in a]
        text = (f"{name[1]}：" if zh else f"{name[0]}: ") + sep.join(parts)
        if self.kind == "normal" and ("low" in a or "high" in a):
            lo = show(a["low"]) if "low" in a else "−∞"
            hi = show(a["high"]) if "high" in a else "∞"
            text += f"，截断于 [{lo}, {hi}]" if zh else f", truncated to [{lo}, {hi}]"
        return text

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at quantiles ``u`` in (0, 1) (inverse cumulative distribution)."""
        # closed forms on the normal CDF and its inverse (sim.sweep.normal: scipy.special's
        # algorithm, without importing scipy.special, 0.2 s, in every process that samples)
        from sim.sweep.normal import ndtr, ndtri

        a = self.args
        if self.kind in ("values", "choice"):
            vals = np.asarray(self.values)
            w = np.asarray(self.weights) if self.weights else np.ones(len(vals))
            edges = np.cumsum(w / w.sum())
            idx = np.minimum(np.searchsorted(edges, u, side="right"), len(vals) - 1)
            return np.asarray(vals[idx])
        if self.kind == "uniform":
            return np.asarray(a["low"] + u * (a["high"] - a["low"]))
        if self.kind == "triangular":
            lo, hi, mode = a["low"], a["high"], a["mode"]
            if hi == lo:
                return np.full_like(u, lo)
            c = (mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
            right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
            return np.asarray(np.where(u < c, left, right))
        if self.kind == "normal":
            lo, hi = a.get("low", -math.inf), a.get("high", math.inf)
            mean, sd = a["mean"], a["sd"]
            pa, pb = ndtr((lo - mean) / sd), ndtr((hi - mean) / sd)
            return np.asarray(np.clip(mean + sd * ndtri(pa + u * (pb - pa)), lo, hi))
        return np.asarray(np.exp(a["mu"] + a["sigma"] * ndtri(u)))


_WORDS: dict[str, tuple[tuple[str, str], dict[str, str]]] = {
    # a distribution's name in English and Chinese, and each argument's Chinese name
    "uniform": (("uniform", "均匀分布"), {"low": "下限", "high": "上限"}),
    "triangular": (("triangular", "三角分布"), {"low": "下限", "mode": "众数", "high": "上限"}),
    "normal": (("normal", "正态分布"), {"mean": "均值", "sd": "标准差"}),
    "lognormal": (("lognormal", "对数正态分布"), {"mu": "μ", "sigma": "σ"}),
}


@dataclass(frozen=True)
class Parameter:
    """A swept input: its key path, how it is sampled, and where it goes."""

    path: str
    distribution: Distribution
    binding: Binding

    @property
    def integer(self) -> bool:
        """Whether the input takes whole numbers (a firm's first year)."""
        return self.binding.field.integer

    def text(self, lang: str = "en", amount_unit: str = "") -> str:
        """The input's distribution in words, values in its unit (``3%/yr``)."""
        from sim.schema import value_text

        unit = self.binding.field.unit
        return self.distribution.text(lang, lambda x: value_text(x, unit, lang, amount_unit))


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: its base scenario, parameters, design and rules."""

    scenario: Scenario
    parameters: tuple[Parameter, ...]
    design: str
    n: int
    seed: int
    rules: tuple[str, ...]
    """Labels of the agreements to evaluate (see :func:`sim.sweep.run.agreements`)."""
    correlation: np.ndarray | None
    correlation_kind: str
    standalone: bool
    """Whether each scenario's standalone values (and gains over them) are computed."""
    source: str
    digest: str
    """SHA-256 of the sweep table and the base scenario together."""
    explain: tuple[str, ...] = ()
    """The features the file's agreement's gains are split over in every scenario
    (``sweep.explain``); empty for none."""
    table: Mapping[str, Any] = field(default_factory=dict)
    """The ``[sweep]`` table as written, without ``base``: stored with the results."""
    scenario_text: str = ""
    """The base scenario's TOML, verbatim: stored with the results, so that a report
    never re-reads input files that may have changed."""

    @property
    def names(self) -> tuple[str, ...]:
        """The swept parameters' key paths, in the file's order."""
        return tuple(p.path for p in self.parameters)


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file (or a scenario file with a ``[sweep]`` table)."""
    p = Path(path)
    try:
        data = tomllib.loads(read_input(p, SweepError))
    except tomllib.TOMLDecodeError as exc:
        raise SweepError(str(p), [Problem("", f"TOML syntax error: {exc}")]) from None
    return parse_sweep(data, str(p))


SWEEP_KEYS = (
    "base",
    "design",
    "n",
    "seed",
    "rules",
    "parameters",
    "correlation",
    "standalone",
    "explain",
)


def _base(data: Mapping[str, Any], sweep: Mapping[str, Any], source: str) -> tuple[Scenario, str]:
    """The scenario the sweep varies (this file's, or the one ``base`` names) and its
    TOML text (empty when the data did not come from a file)."""
    base_path = sweep.get("base")
    if base_path is None:
        text = Path(source).read_text(encoding="utf-8") if Path(source).is_file() else ""
        return parse({k: v for k, v in data.items() if k != "sweep"}, source), text
    if not isinstance(base_path, str):
        raise SweepError(source, [Problem("sweep.base", "must be a file path")])
    others = [k for k in data if k != "sweep"]
    if others:
        raise SweepError(
            source, [Problem(others[0], "a sweep file with `base` holds only [sweep]")]
        )
    scenario_source = str(Path(source).parent / base_path)
    if Path(scenario_source).suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook_base(source, scenario_source, base_path)
    try:
        text = read_input(scenario_source, ScenarioError)
    except ScenarioError as exc:
        reason = exc.problems[0].reason
        raise SweepError(source, [Problem("sweep.base", f"{reason}: {scenario_source}")]) from None
    try:
        scenario_data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(scenario_source, [Problem("", f"TOML syntax error: {exc}")]) from None
    return parse({k: v for k, v in scenario_data.items() if k != "sweep"}, scenario_source), text


def _workbook_base(source: str, scenario_source: str, base_path: str) -> tuple[Scenario, str]:
    """A base scenario kept as a workbook, and the TOML text of what it holds (stored with
    the results, it reads back to the same scenario and digest)."""
    from sim.workbook.totoml import dumps

    if not Path(scenario_source).is_file():
        raise SweepError(source, [Problem("sweep.base", f"no such file: {scenario_source}")])
    scenario, data = read(scenario_source)
    return scenario, dumps(data, (scenario.title, f"read from the workbook {base_path}"))


def _whole(
    sweep: Mapping[str, Any], key: str, default: int, least: int, problems: list[Problem]
) -> int:
    value = sweep.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        problems.append(Problem(f"sweep.{key}", f"must be a whole number ≥ {least}, got {value!r}"))
        return default
    return value


def _parameter(
    path: str, spec: Any, scenario: Scenario, problems: list[Problem]
) -> Parameter | None:
    p = f"sweep.parameters.{path}"
    binding = bind(path, scenario)
    if isinstance(binding, str):
        problems.append(Problem(p, binding))
        return None
    dist = _distribution(spec, p, problems)
    if dist is None:
        return None
    lo, hi = dist.bounds
    f = binding.field
    inside = (lo > binding.lo if f.lo_open else lo >= binding.lo - 1e-12) and (
        hi < binding.hi if f.hi_open else hi <= binding.hi + 1e-12
    )
    if not inside:
        span = (
            binding.field.span
            if f.pattern != "firms.<firm>.first_year"
            else (f"[{binding.lo:g}, {binding.hi:g}]")
        )
        problems.append(
            Problem(
                p,
                f"values from {lo:g} to {hi:g} fall outside what {path} allows ({span})"
                + ("; truncate the normal with low/high" if dist.kind == "normal" else ""),
            )
        )
        return None
    if path.startswith("investment.capex.") and hi > 0 and scenario.investment.equity is None:
        problems.append(
            Problem(
                p,
                f"capex up to {hi:g} but the base scenario has no investment.equity: who pays "
                "the capex? give equity = { … } under [investment] in the scenario",
            )
        )
        return None
    if f.integer and (
        dist.kind not in ("values", "choice") or any(v != int(v) for v in dist.values)
    ):
        problems.append(
            Problem(p, f'{path} takes whole years: give a list of values or dist = "choice"')
        )
        return None
    return Parameter(path, dist, binding)


def _parameters(raw: Any, scenario: Scenario, problems: list[Problem]) -> list[Parameter]:
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(
                "sweep.parameters",
                'give at least one parameter: "key.path" = { dist = ..., ... } or [values]',
            )
        )
        return []
    params = [_parameter(path, spec, scenario, problems) for path, spec in raw.items()]
    return [p for p in params if p is not None]


def _size(design: str, n: int, params: list[Parameter], problems: list[Problem]) -> int:
    """The number of scenarios: ``n``, or a grid's product of list lengths."""
    if design == "grid":
        for prm in params:
            if prm.distribution.kind != "values":
                problems.append(
                    Problem(
                        f"sweep.parameters.{prm.path}",
                        "a grid needs a list of values for every parameter",
                    )
                )
        return math.prod(len(prm.distribution.values) for prm in params)
    if design == "sobol" and n & (n - 1):
        problems.append(
            Problem(
                "sweep.n",
                f"a Sobol design needs a power of 2, got {n} "
                f"(try {1 << max(0, int(n).bit_length() - 1)} "
                f"or {1 << int(n).bit_length()})",
            )
        )
    return n


def _rules(sweep: Mapping[str, Any], scenario: Scenario, problems: list[Problem]) -> list[str]:
    from sim.compare import agreement_labels

    known = agreement_labels(scenario)
    rules = sweep.get("rules", list(known))
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules) or not rules:
        problems.append(Problem("sweep.rules", "must be a non-empty array of rule labels"))
        return list(known)
    for i, label in enumerate(rules):
        if label not in known:
            problems.append(
                Problem(
                    f"sweep.rules[{i}]", f"unknown agreement {label!r} (known: {', '.join(known)})"
                )
            )
    return rules


def parse_sweep(data: Mapping[str, Any], source: str) -> SweepSpec:
    """Validate a parsed sweep file; every problem is reported at once with its key path."""
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        raise SweepError(
            source,
            [
                Problem(
                    "sweep", "missing table: a sweep file needs [sweep] (see the README, 'Sweeps')"
                )
            ],
        )
    problems = [
        Problem(f"sweep.{key}", f"unknown key (allowed here: {', '.join(SWEEP_KEYS)})")
        for key in sweep
        if key not in SWEEP_KEYS
    ]
    scenario, scenario_text = _base(data, sweep, source)
    design = sweep.get("design", "montecarlo")
    if design not in DESIGNS:
        problems.append(
            Problem(
                "sweep.design", f"must be one of {', '.join(map(repr, DESIGNS))}, got {design!r}"
            )
        )
    n = _whole(sweep, "n", 1000, 1, problems)
    seed = _whole(sweep, "seed", 0, 0, problems)
    params = _parameters(sweep.get("parameters", {}), scenario, problems)
    given = n
    n = _size(design, n, params, problems)
    if design == "grid" and "n" in sweep and given != n and not problems:
        problems.append(
            Problem(
                "sweep.n",
                f"a grid runs every combination of its lists ({n:,} scenarios): leave n out, "
                f"or write n = {n}",
            )
        )
    _check_share_groups(params, scenario, problems)
    _check_extremes(params, scenario, problems)
    corr, corr_kind = _correlation(sweep.get("correlation"), params, problems)
    rules = _rules(sweep, scenario, problems)
    standalone = sweep.get("standalone", True)
    if not isinstance(standalone, bool):
        problems.append(Problem("sweep.standalone", "must be true or false"))
        standalone = True
    explain = _explain(sweep, scenario, params, rules, problems)
    if problems:
        raise SweepError(source, problems)
    table = {k: v for k, v in sweep.items() if k != "base"}  # where the base lay is no input
    digest = canonical_digest({"sweep": table, "scenario": scenario.digest})
    return SweepSpec(
        scenario,
        tuple(params),
        design,
        int(n),
        int(seed),
        tuple(rules),
        corr,
        corr_kind,
        bool(standalone),
        source,
        digest,
        explain,
        table,
        scenario_text,
    )


def stored_spec(folder: Path, manifest: Mapping[str, Any]) -> tuple[SweepSpec, Note | None]:
    """The sweep a results folder holds, from the inputs stored with it (never from the
    files it was run from), and a note if those files have changed or gone since.

    Raises
    ------
    ResultsError
        If the stored inputs are missing or do not give the digest the run recorded.
    """
    from sim.errors import ResultsError

    sweep = manifest.get("sweep", {})
    source = str(sweep.get("file", folder))
    stored = folder / "inputs" / "scenario.toml"
    if "table" not in sweep or not stored.is_file():
        raise ResultsError(
            f"{folder}: holds no copy of its inputs (a sweep run before sim stored them); "
            "run the sweep again to report on it"
        )
    try:
        scenario_data = tomllib.loads(stored.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ResultsError(f"{stored}: unreadable stored input ({exc})") from None
    data = {k: v for k, v in scenario_data.items() if k != "sweep"}
    spec = parse_sweep({**data, "sweep": dict(sweep["table"])}, source)
    spec = replace(spec, scenario_text=stored.read_text(encoding="utf-8"))
    if spec.digest != sweep.get("digest"):
        raise ResultsError(f"{folder}: its stored inputs do not match the run's digest")
    return spec, _changed_since(source, spec.digest)


def _changed_since(source: str, digest: str) -> Note | None:
    """Why the sweep file a run names no longer gives that run (``None`` when it does)."""
    if not Path(source).is_file():
        return Note("gone", {"source": source})
    try:
        now = load_sweep(source).digest
    except ScenarioError:  # changed, and now invalid
        return Note("changed", {"source": source})
    return Note("changed", {"source": source}) if now != digest else None


def _explain(
    sweep: Mapping[str, Any],
    scenario: Scenario,
    params: list[Parameter],
    rules: list[str],
    problems: list[Problem],
) -> tuple[str, ...]:
    """The features to split the agreement's gains over: by default when the agreement as
    written uses two or more (a swept compliance or floor is then split out too)."""
    from sim.agreement import features_of

    wanted = sweep.get("explain")
    if wanted is not None and not isinstance(wanted, bool):
        problems.append(Problem("sweep.explain", "must be true or false"))
        return ()
    varied = tuple(
        f
        for f in ("compliance", "floors", "cap", "review")
        if any(p.path.startswith(f"sharing.{f}") for p in params)
    )
    features = features_of(scenario.sharing, varied)
    if wanted is None:  # by default when the agreement as written has several clauses
        wanted = len(features_of(scenario.sharing)) >= 2
    return features if wanted and "agreement" in rules else ()


_NEED = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "triangular": ("low", "mode", "high"),
    "lognormal": ("mu", "sigma"),
    "choice": (),
}
_OPTIONAL = {"normal": ("low", "high"), "choice": ("values", "weights")}


def _distribution(spec: Any, p: str, problems: list[Problem]) -> Distribution | None:
    """A parameter's values: a list, or ``{ dist = …, … }`` with its arguments checked."""
    if isinstance(spec, list):
        if not spec:
            problems.append(Problem(p, "an empty list: give at least one value"))
            return None
        if not all(_is_number(x) for x in spec):
            problems.append(Problem(p, "a list of values must hold numbers"))
            return None
        return Distribution("values", values=tuple(float(x) for x in spec))
    if not isinstance(spec, dict):
        problems.append(Problem(p, "must be a list of values or { dist = ..., ... }"))
        return None
    kind = spec.get("dist")
    if not isinstance(kind, str) or kind not in _NEED:
        problems.append(
            Problem(f"{p}.dist", f"must be one of {', '.join(DISTRIBUTIONS)}, got {kind!r}")
        )
        return None
    takes = _NEED[kind] + _OPTIONAL.get(kind, ())
    for key in spec:
        if key != "dist" and key not in takes:
            problems.append(
                Problem(f"{p}.{key}", f"not a parameter of {kind} (takes: {', '.join(takes)})")
            )
            return None
    if kind == "choice":
        return _choice(spec, p, problems)
    args = _arguments(spec, kind, p, problems)
    if args is None or not _sensible(kind, args, p, problems):
        return None
    return Distribution(kind, args=args)


def _choice(spec: Mapping[str, Any], p: str, problems: list[Problem]) -> Distribution | None:
    values = spec.get("values")
    if not isinstance(values, list) or not values or not all(_is_number(v) for v in values):
        problems.append(Problem(f"{p}.values", "must be a non-empty list of numbers"))
        return None
    weights = spec.get("weights", [])
    wrong = _wrong_weights(weights, len(values)) if "weights" in spec else ""
    if wrong:
        problems.append(
            Problem(
                f"{p}.weights",
                f"must be a list of positive numbers as long as values ({len(values)}), "
                f"got {wrong}; each at most {LIMIT:g}",
            )
        )
        return None
    return Distribution(
        "choice", values=tuple(map(float, values)), weights=tuple(map(float, weights))
    )


def _wrong_weights(weights: Any, n: int) -> str:
    """What is wrong with a choice's ``weights`` for ``n`` values (empty when nothing)."""
    if not isinstance(weights, list):
        return repr(weights)
    if len(weights) != n:
        return f"a list of {len(weights)}" if weights else "[]"
    bad = [w for w in weights if not (_is_number(w) and 0 < w <= LIMIT)]
    return repr(bad[0]) if bad else ""


def _arguments(
    spec: Mapping[str, Any], kind: str, p: str, problems: list[Problem]
) -> dict[str, float] | None:
    args = {}
    for key in _NEED[kind] + _OPTIONAL.get(kind, ()):
        if key in spec:
            if not _is_number(spec[key]):
                problems.append(
                    Problem(f"{p}.{key}", f"must be a finite number, got {spec[key]!r}")
                )
                return None
            args[key] = float(spec[key])
        elif key in _NEED[kind]:
            problems.append(
                Problem(f"{p}.{key}", f"missing: {kind} needs {', '.join(_NEED[kind])}")
            )
            return None
    return args


LIMIT = 1e12
"""Largest magnitude of any distribution argument (as for amounts in a scenario)."""


def _sensible(kind: str, args: Mapping[str, float], p: str, problems: list[Problem]) -> bool:
    """Arguments that give a distribution worth sampling (or a problem saying why not)."""
    for key, value in args.items():
        if abs(value) > LIMIT:
            problems.append(Problem(f"{p}.{key}", f"{value:g} is beyond ±{LIMIT:g}"))
            return False
    if kind in ("uniform", "triangular") and not args["low"] <= args["high"]:
        problems.append(Problem(p, "low must not exceed high"))
        return False
    if kind == "triangular" and not args["low"] <= args["mode"] <= args["high"]:
        problems.append(Problem(f"{p}.mode", "must lie between low and high"))
        return False
    if kind in ("normal", "lognormal") and args.get("sd", args.get("sigma", 1.0)) <= 0:
        problems.append(Problem(p, "the spread (sd or sigma) must be positive"))
        return False
    if kind == "lognormal" and args["mu"] + 8 * args["sigma"] > math.log(LIMIT):
        problems.append(
            Problem(p, f"exp(mu + 8 sigma) is beyond {LIMIT:g}: the values would overflow")
        )
        return False
    return kind != "normal" or _truncation(args, p, problems)


def _truncation(args: Mapping[str, float], p: str, problems: list[Problem]) -> bool:
    """A truncated normal needs low < high and probability mass between them."""
    from sim.sweep.normal import ndtr

    lo, hi = args.get("low", -math.inf), args.get("high", math.inf)
    if not lo < hi:
        problems.append(Problem(p, "low must be below high"))
        return False
    mass = float(ndtr((hi - args["mean"]) / args["sd"]) - ndtr((lo - args["mean"]) / args["sd"]))
    if mass < 1e-9:
        problems.append(
            Problem(
                p,
                f"the truncation [{lo:g}, {hi:g}] leaves probability {mass:.2g} of this normal: "
                "move the mean or widen the bounds",
            )
        )
        return False
    return True


def _is_number(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)


def _check_extremes(params: list[Parameter], sc: Scenario, problems: list[Problem]) -> None:
    """The scenario at every parameter's most dangerous value must stay finite.

    The largest value of each input (the smallest discount rate); for a distribution
    without an upper bound, its quantile 1 − 1e-12.
    """
    from sim.scenario import magnitude_problems

    extremes = {}
    for prm in params:
        lo, hi = prm.distribution.bounds
        if prm.path == "horizon.discount_rate":
            extremes[prm.path] = (
                lo if math.isfinite(lo) else float(prm.distribution.ppf(np.array([1e-12]))[0])
            )
        else:
            extremes[prm.path] = (
                hi if math.isfinite(hi) else float(prm.distribution.ppf(np.array([1 - 1e-12]))[0])
            )
    for problem in magnitude_problems(sc, extremes):
        problems.append(
            Problem("sweep.parameters", f"at the swept inputs' extreme values, {problem}")
        )


def _check_share_groups(params: list[Parameter], sc: Scenario, problems: list[Problem]) -> None:
    """Swept shares of one table must leave room for the others, and leave one unswept."""
    groups: dict[str, list[Parameter]] = {}
    for prm in params:
        if prm.binding.field.shares:
            groups.setdefault(prm.binding.group, []).append(prm)
    for group, members in groups.items():
        top = sum(m.distribution.bounds[1] for m in members)
        if top > 1 + 1e-12:
            problems.append(
                Problem(
                    f"sweep.parameters.{members[-1].path}",
                    f"swept shares of {group} can sum to {top:g}, above 1",
                )
            )
        n_keys = len(FACTORS) if group == "sharing.weights" else len(sc.party_ids)
        if len(members) == n_keys:
            problems.append(
                Problem(
                    f"sweep.parameters.{members[-1].path}",
                    f"every share of {group} is swept: leave one out, it "
                    "takes what the others leave",
                )
            )


def _correlation(
    raw: Any, params: list[Parameter], problems: list[Problem]
) -> tuple[np.ndarray | None, str]:
    if raw is None:
        return None, "gaussian"
    if not isinstance(raw, dict):
        problems.append(Problem("sweep.correlation", "must be a table with parameters and matrix"))
        return None, "gaussian"
    kind = raw.get("kind", "gaussian")
    if kind not in ("gaussian", "rank"):
        problems.append(Problem("sweep.correlation.kind", "must be 'gaussian' or 'rank'"))
    names = raw.get("parameters")
    matrix = raw.get("matrix")
    paths = [p.path for p in params]
    if not isinstance(names, list) or not all(n in paths for n in names):
        problems.append(
            Problem("sweep.correlation.parameters", "must list swept parameters by key path")
        )
        return None, kind
    try:
        m = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        m = np.zeros((0, 0))
    k = len(names)
    if m.shape != (k, k) or not np.allclose(m, m.T) or not np.allclose(np.diag(m), 1):
        problems.append(
            Problem(
                "sweep.correlation.matrix",
                f"must be a symmetric {k}×{k} matrix with ones on the diagonal",
            )
        )
        return None, kind
    if kind == "rank":  # Spearman's ρ_s to the Gaussian copula's ρ = 2 sin(π ρ_s / 6)
        m = 2 * np.sin(np.pi * m / 6)
    if np.linalg.eigvalsh(m).min() <= 0:
        problems.append(Problem("sweep.correlation.matrix", "must be positive definite"))
        return None, kind
    full = np.eye(len(params))
    idx = [paths.index(n) for n in names]
    full[np.ix_(idx, idx)] = m
    return full, kind
