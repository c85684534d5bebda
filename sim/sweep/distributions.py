"""How a swept input is sampled: a :class:`Distribution` (a list of values or a named
distribution), its words in English and Chinese, and the checks of a
``sweep.parameters`` entry's ``dist`` and arguments."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.errors import Problem
from sim.i18n import Reason

__all__ = ["DISTRIBUTIONS", "LIMIT", "Distribution"]

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
        from sim import i18n

        sep = i18n.comma(lang)
        a = self.args
        if self.kind in ("values", "choice"):
            w = np.asarray(self.weights) if self.weights else np.ones(len(self.values))
            values = [show(v) for v in self.values]
            if self.kind == "values":
                return i18n.t("dist_values", lang) + sep.join(values)
            each = [f"{v} ({p:.0%})" for v, p in zip(values, w / w.sum(), strict=True)]
            return i18n.t("dist_choice", lang) + sep.join(each)
        keys = _NEED[self.kind]  # a normal's low and high: its truncation, below
        # lognormal's μ and σ are of the logarithm: not values of the input
        put = (lambda x: f"{x:g}") if self.kind == "lognormal" else show
        parts = [f"{i18n.t(f'dist_{k}', lang)} {put(a[k])}" for k in keys if k in a]
        text = i18n.name(self.kind, lang) + i18n.colon(lang) + sep.join(parts)
        if self.kind == "normal" and ("low" in a or "high" in a):
            lo = show(a["low"]) if "low" in a else "−∞"
            hi = show(a["high"]) if "high" in a else "∞"
            text += i18n.t("dist_truncated", lang, low=lo, high=hi)
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
            problems.append(Problem(p, Reason("empty_list")))
            return None
        if not all(_is_number(x) for x in spec):
            problems.append(Problem(p, Reason("list_numbers")))
            return None
        return Distribution("values", values=tuple(float(x) for x in spec))
    if not isinstance(spec, dict):
        problems.append(Problem(p, Reason("values_or_dist")))
        return None
    kind = spec.get("dist")
    if not isinstance(kind, str) or kind not in _NEED:
        problems.append(
            Problem(f"{p}.dist", Reason("one_of", options=", ".join(DISTRIBUTIONS), got=repr(kind)))
        )
        return None
    takes = _NEED[kind] + _OPTIONAL.get(kind, ())
    for key in spec:
        if key != "dist" and key not in takes:
            problems.append(
                Problem(f"{p}.{key}", Reason("dist_takes", kind=kind, takes=", ".join(takes)))
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
        problems.append(Problem(f"{p}.values", Reason("choice_values")))
        return None
    weights = spec.get("weights", [])
    wrong = _wrong_weights(weights, len(values)) if "weights" in spec else ""
    if wrong:
        problems.append(
            Problem(
                f"{p}.weights",
                Reason("choice_weights", n=len(values), got=wrong, most=f"{LIMIT:g}"),
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
        return Reason("list_of", n=len(weights)) if weights else "[]"
    bad = [w for w in weights if not (_is_number(w) and 0 < w <= LIMIT)]
    return repr(bad[0]) if bad else ""


def _arguments(
    spec: Mapping[str, Any], kind: str, p: str, problems: list[Problem]
) -> dict[str, float] | None:
    args = {}
    for key in _NEED[kind] + _OPTIONAL.get(kind, ()):
        if key in spec:
            if not _is_number(spec[key]):
                problems.append(Problem(f"{p}.{key}", Reason("not_finite", got=repr(spec[key]))))
                return None
            args[key] = float(spec[key])
        elif key in _NEED[kind]:
            problems.append(
                Problem(f"{p}.{key}", Reason("dist_needs", kind=kind, need=", ".join(_NEED[kind])))
            )
            return None
    return args


LIMIT = 1e12
"""Largest magnitude of any distribution argument (as for amounts in a scenario)."""


def _sensible(kind: str, args: Mapping[str, float], p: str, problems: list[Problem]) -> bool:
    """Arguments that give a distribution worth sampling (or a problem saying why not)."""
    for key, value in args.items():
        if abs(value) > LIMIT:
            problems.append(
                Problem(f"{p}.{key}", Reason("beyond_limit", value=f"{value:g}", most=f"{LIMIT:g}"))
            )
            return False
    if kind in ("uniform", "triangular") and not args["low"] <= args["high"]:
        problems.append(Problem(p, Reason("low_above_high")))
        return False
    if kind == "triangular" and not args["low"] <= args["mode"] <= args["high"]:
        problems.append(Problem(f"{p}.mode", Reason("mode_between")))
        return False
    if kind in ("normal", "lognormal") and args.get("sd", args.get("sigma", 1.0)) <= 0:
        problems.append(Problem(p, Reason("spread_positive")))
        return False
    if kind == "lognormal" and args["mu"] + 8 * args["sigma"] > math.log(LIMIT):
        problems.append(Problem(p, Reason("lognormal_overflow", most=f"{LIMIT:g}")))
        return False
    return kind != "normal" or _truncation(args, p, problems)


def _truncation(args: Mapping[str, float], p: str, problems: list[Problem]) -> bool:
    """A truncated normal needs low < high and probability mass between them."""
    from sim.sweep.normal import ndtr

    lo, hi = args.get("low", -math.inf), args.get("high", math.inf)
    if not lo < hi:
        problems.append(Problem(p, Reason("low_below_high")))
        return False
    mass = float(ndtr((hi - args["mean"]) / args["sd"]) - ndtr((lo - args["mean"]) / args["sd"]))
    if mass < 1e-9:
        problems.append(
            Problem(
                p,
                Reason("truncation_mass", lo=f"{lo:g}", hi=f"{hi:g}", mass=f"{mass:.2g}"),
            )
        )
        return False
    return True


def _is_number(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and math.isfinite(x)
