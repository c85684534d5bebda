"""Named fiscal policies in a sweep: ``[[sweep.policies]]`` tables, each a name and the
fiscal parameters it sets (a number for every year, or a schedule by year), and the
``policy`` parameter that chooses one of them in each scenario.

.. code-block:: toml

    [sweep.parameters]
    policy = { dist = "choice", values = ["as now", "VAT 45% from 2027"], weights = [0.6, 0.4] }

    [[sweep.policies]]
    name = "as now"                      # sets nothing: the base scenario's own values

    [[sweep.policies]]
    name = "VAT 45% from 2027"
    name_zh = "2027 年起增值税地方分享 45%"
    set = { "taxes.vat_local_share" = { from = { 2021 = 0.5, 2027 = 0.45 } } }

The ``policy`` column of the results holds each scenario's policy as its position in
the file (0 for the first), so that the summary, sensitivity and discovery treat it as
the discrete input it is; the summary and the report name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import Problem
from sim.i18n import Reason
from sim.scenario import Scenario
from sim.scenario.values import _Values
from sim.scenario_types import Schedule
from sim.schema import SCHEDULED, Binding, bind
from sim.schema.fields import Field
from sim.sweep.distributions import LIMIT, Distribution, _wrong_weights

__all__ = ["POLICY", "Policy", "policy_names", "policy_parameter", "yearly_values"]

POLICY = "policy"
"""The key of the parameter that chooses a named policy in each scenario."""
_KEYS = ("name", "name_zh", "set")


@dataclass(frozen=True)
class Policy:
    """A named fiscal policy: what it sets, by key path."""

    name: str
    name_zh: str
    sets: Mapping[str, Schedule | float]
    """Key path (``taxes.vat_local_share``) → a number for every year, or a schedule."""

    def label(self, lang: str = "en") -> str:
        """Its name in ``lang`` (the English name where it has no Chinese)."""
        from sim import i18n

        return i18n.pick(lang, self.name, self.name_zh)


def yearly_values(value: Schedule | float, scenario: Scenario) -> np.ndarray:
    """``(T,)`` a policy's value of one parameter in every year of the horizon."""
    if isinstance(value, Schedule):
        return np.array([value.at(y) for y in scenario.years], dtype=float)
    return np.full(scenario.n_years, float(value))


def _policies(raw: Any, scenario: Scenario, problems: list[Problem]) -> tuple[Policy, ...]:
    """The ``[[sweep.policies]]`` tables, every problem named by its key path."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        problems.append(Problem("sweep.policies", Reason("policy_tables")))
        return ()
    checker = _Values()
    checker.span = (scenario.start_year, scenario.end_year)
    out: list[Policy] = []
    seen: set[str] = set()
    for i, table in enumerate(raw):
        path = f"sweep.policies[{i}]"
        checker.keys(table, _KEYS, path)
        name = checker.string(table, "name", path)
        name_zh = checker.string(table, "name_zh", path, default=name)
        if name in seen:
            checker.fail(f"{path}.name", Reason("policy_duplicate", got=repr(name)))
        seen.add(name)
        sets = checker.table(table, "set", f"{path}.set", required=False)
        values: dict[str, Schedule | float] = {}
        for key in sets:
            binding = bind(key, scenario)
            if isinstance(binding, str) or binding.field.pattern not in SCHEDULED:
                why = binding if isinstance(binding, str) else Reason("policy_not_fiscal")
                keys = ", ".join(SCHEDULED)
                checker.fail(f"{path}.set.{key}", Reason("policy_sets", why=why, keys=keys))
                continue
            checker.schedules.pop(key, None)
            x = checker.scheduled(sets, key, f"{path}.set", binding.field.pattern, key)
            values[key] = checker.schedules.get(key, x)
        out.append(Policy(name, name_zh, values))
    problems.extend(checker.problems)
    return tuple(out)


def policy_parameter(
    spec: Any, raw_policies: Any, scenario: Scenario, problems: list[Problem]
) -> tuple[Distribution, Binding, tuple[Policy, ...]] | None:
    """The ``policy`` parameter: a list of policy names (a grid's values) or
    ``{ dist = "choice", values = [names], weights = [...] }`` (``values`` left out: every
    policy), its values the policies' positions."""
    from sim import i18n

    p = f"sweep.parameters.{POLICY}"
    policies = _policies(raw_policies, scenario, problems)
    if raw_policies is None:
        problems.append(Problem(p, Reason("policy_name_them")))
        return None
    if not policies:
        return None
    known = [x.name for x in policies]
    kind, names, weights = "values", spec, None
    if isinstance(spec, dict):
        for key in (k for k in spec if k not in ("dist", "values", "weights")):
            reason = Reason("dist_takes", kind="choice", takes="values, weights")
            problems.append(Problem(f"{p}.{key}", reason))
        if spec.get("dist") != "choice":
            problems.append(Problem(f"{p}.dist", Reason("policy_dist", got=repr(spec.get("dist")))))
            return None
        kind, names, weights = "choice", spec.get("values", known), spec.get("weights")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        where = p if kind == "values" else f"{p}.values"
        problems.append(Problem(where, Reason("policy_list", known=tuple(known))))
        return None
    unknown = [n for n in names if n not in known]
    if unknown:
        reason = Reason("policy_unknown", got=repr(unknown[0]), known=tuple(known))
        problems.append(Problem(p, reason))
        return None
    if weights is not None and _wrong_weights(weights, len(names)):
        problems.append(
            Problem(f"{p}.weights", Reason("policy_weights", n=len(names), most=f"{LIMIT:g}"))
        )
        return None
    index = tuple(float(known.index(n)) for n in names)
    dist = Distribution(kind, values=index, weights=tuple(map(float, weights or ())))
    top = float(len(policies) - 1)
    en, zh = (i18n.t("policy_label", lang) for lang in ("en", "zh"))
    field = Field(POLICY, 0.0, top, "", en, zh, "policy", integer=True)
    return dist, Binding(POLICY, field, "", 0, 0.0, top), policies


def policy_names(table: Mapping[str, Any], lang: str = "en") -> list[str]:
    """The names, in ``lang``, of the policies a stored ``[sweep]`` table declares (in
    the order of the ``policy`` column's values; empty when it declares none)."""
    from sim import i18n

    raw = table.get("policies", [])
    return [
        i18n.pick(lang, str(t.get("name", "")), str(t.get("name_zh") or t.get("name", "")))
        for t in (raw if isinstance(raw, list) else [])
        if isinstance(t, dict)
    ]
