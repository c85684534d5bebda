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
from sim.scenario import Scenario
from sim.schema import Binding, bind, interval
from sim.schema.fields import slot_ids
from sim.sweep.distributions import Distribution, _distribution
from sim.sweep.policies import POLICY, Policy, policy_parameter

__all__ = ["Parameter"]


@dataclass(frozen=True)
class Parameter:
    """A swept input: its key path, how it is sampled, and where it goes."""

    path: str
    distribution: Distribution
    binding: Binding
    policies: tuple[Policy, ...] = ()
    """The named fiscal policies the ``policy`` parameter chooses from (its values are
    their positions); empty for every other parameter."""

    @property
    def integer(self) -> bool:
        """Whether the input takes whole numbers (a firm's first year)."""
        return self.binding.field.integer

    def text(self, lang: str = "en", amount_unit: str = "") -> str:
        """The input's distribution in words, values in its unit (``3%/yr``)."""
        from sim.schema import value_text

        if self.policies:  # a named policy, not a number
            return self.distribution.text(lang, lambda x: self.policies[int(x)].label(lang))
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
        span = interval(binding.lo, binding.hi, f.lo_open, f.hi_open)  # this scenario's bounds
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


def _parameters(
    raw: Any, scenario: Scenario, problems: list[Problem], policies: Any = None
) -> list[Parameter]:
    """The swept inputs; ``policies``: the ``[[sweep.policies]]`` tables that the
    ``policy`` parameter chooses from."""
    if policies is not None and (not isinstance(raw, dict) or POLICY not in raw):
        problems.append(
            Problem(
                "sweep.policies",
                Reason("policy_choose", example=f'{POLICY} = {{ dist = "choice" }}'),
            )
        )
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(
                "sweep.parameters",
                Reason("no_parameters"),
            )
        )
        return []
    params = [
        _policy(spec, policies, scenario, problems)
        if path == POLICY
        else _parameter(path, spec, scenario, problems)
        for path, spec in raw.items()
    ]
    out = [p for p in params if p is not None]
    _check_policy_paths(out, problems)
    return out


def _policy(
    spec: Any, policies: Any, scenario: Scenario, problems: list[Problem]
) -> Parameter | None:
    """The ``policy`` parameter (:mod:`sim.sweep.policies`)."""
    found = policy_parameter(spec, policies, scenario, problems)
    return None if found is None else Parameter(POLICY, found[0], found[1], found[2])


def _check_policy_paths(params: list[Parameter], problems: list[Problem]) -> None:
    """A fiscal parameter is swept as a number or set by the policies, not both."""
    swept = {p.path for p in params}
    for prm in params:
        for i, policy in enumerate(prm.policies):
            for path in (k for k in policy.sets if k in swept):
                problems.append(
                    Problem(
                        f"sweep.policies[{i}].set.{path}",
                        Reason("policy_also_swept", path=path),
                    )
                )


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

    Each input at the end of its range its key declares (:attr:`sim.schema.Key.extreme`:
    the largest output or growth, the smallest discount rate, the earliest first year);
    for a distribution without a bound there, its quantile 1e-12 from that end.
    """
    from sim.scenario import magnitude_problems

    extremes = {}
    for prm in params:
        lo, hi = prm.distribution.bounds
        if prm.binding.field.extreme == "low":
            end, q = lo, 1e-12
        else:
            end, q = hi, 1 - 1e-12
        extremes[prm.path] = (
            end if math.isfinite(end) else float(prm.distribution.ppf(np.array([q]))[0])
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
        slot = members[0].binding.field.pattern.rsplit(".", 1)[-1]  # <party>, <factor>
        n_keys = len(slot_ids(slot, sc))
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
