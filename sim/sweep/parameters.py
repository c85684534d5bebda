"""The swept inputs of a sweep file: each :class:`Parameter` bound to its key path in the
base scenario, the number of scenarios of the design, the checks across parameters
(shares of one table, extreme values) and their correlation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import Problem
from sim.i18n import Reason
from sim.rules import FACTORS
from sim.scenario import Scenario
from sim.schema import Binding, bind
from sim.sweep.distributions import Distribution, _distribution

__all__ = ["Parameter"]


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
                Reason(
                    "outside_allowed",
                    lo=f"{lo:g}",
                    hi=f"{hi:g}",
                    path=path,
                    span=span,
                    normal=Reason("truncate_normal") if dist.kind == "normal" else "",
                ),
            )
        )
        return None
    if path.startswith("investment.capex.") and hi > 0 and scenario.investment.equity is None:
        problems.append(
            Problem(
                p,
                Reason("capex_no_equity", hi=f"{hi:g}"),
            )
        )
        return None
    if f.integer and (
        dist.kind not in ("values", "choice") or any(v != int(v) for v in dist.values)
    ):
        problems.append(Problem(p, Reason("whole_years", path=path)))
        return None
    return Parameter(path, dist, binding)


def _parameters(raw: Any, scenario: Scenario, problems: list[Problem]) -> list[Parameter]:
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(
                "sweep.parameters",
                Reason("no_parameters"),
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
                        Reason("grid_lists"),
                    )
                )
        return math.prod(len(prm.distribution.values) for prm in params)
    if design == "sobol" and n & (n - 1):
        problems.append(
            Problem(
                "sweep.n",
                Reason(
                    "sobol_power",
                    n=n,
                    below=1 << max(0, int(n).bit_length() - 1),
                    above=1 << int(n).bit_length(),
                ),
            )
        )
    return n


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
        problems.append(Problem("sweep.parameters", Reason("at_extremes", problem=problem)))


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
                    Reason("swept_shares_sum", group=group, top=f"{top:g}"),
                )
            )
        n_keys = len(FACTORS) if group == "sharing.weights" else len(sc.party_ids)
        if len(members) == n_keys:
            problems.append(
                Problem(
                    f"sweep.parameters.{members[-1].path}",
                    Reason("every_share_swept", group=group),
                )
            )


def _correlation(
    raw: Any, params: list[Parameter], problems: list[Problem]
) -> tuple[np.ndarray | None, str]:
    if raw is None:
        return None, "gaussian"
    if not isinstance(raw, dict):
        problems.append(Problem("sweep.correlation", Reason("correlation_table")))
        return None, "gaussian"
    kind = raw.get("kind", "gaussian")
    if kind not in ("gaussian", "rank"):
        problems.append(Problem("sweep.correlation.kind", Reason("correlation_kind")))
    names = raw.get("parameters")
    matrix = raw.get("matrix")
    paths = [p.path for p in params]
    if not isinstance(names, list) or not all(n in paths for n in names):
        problems.append(Problem("sweep.correlation.parameters", Reason("correlation_names")))
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
                Reason("correlation_matrix", k=k),
            )
        )
        return None, kind
    if kind == "rank":  # Spearman's ρ_s to the Gaussian copula's ρ = 2 sin(π ρ_s / 6)
        m = 2 * np.sin(np.pi * m / 6)
    if np.linalg.eigvalsh(m).min() <= 0:
        problems.append(Problem("sweep.correlation.matrix", Reason("positive_definite")))
        return None, kind
    full = np.eye(len(params))
    idx = [paths.index(n) for n in names]
    full[np.ix_(idx, idx)] = m
    return full, kind
