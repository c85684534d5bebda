"""A portfolio's fiscal policy (``[policy]``): a tax's local share set for every park,
as a number for every year or a schedule by year, replacing each park's own value.

.. code-block:: toml

    [policy]
    name = "VAT 45% from 2027"
    name_zh = "2027 年起增值税地方分享 45%"
    taxes.vat_local_share = { from = { 2021 = 0.5, 2027 = 0.45 } }

The local shares of VAT, CIT and PIT are the province-wide parameters; a party's
retained share or a firm's surcharge rate belongs to one park and stays in its file
(where it may be a schedule too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from sim.scenario import Scenario
from sim.scenario_types import Schedule

__all__ = ["POLICY_KEYS", "apply_policy", "read_policy"]

POLICY_KEYS: tuple[str, ...] = ("vat_local_share", "cit_local_share", "pit_local_share")
"""The fiscal parameters a portfolio's ``[policy]`` sets for every park (under ``taxes``)."""


def read_policy(
    checker: Any, data: Mapping[str, Any], span: tuple[int, int]
) -> tuple[str, str, dict[str, Schedule | float]]:
    """The ``[policy]`` table's name, Chinese name and what it sets, by key path
    (``taxes.vat_local_share``); its problems go to ``checker`` (a :class:`_Values`)."""
    if "policy" not in data:
        return "", "", {}
    table = checker.table(data, "policy", "policy", required=True)
    checker.keys(table, ("name", "name_zh", "taxes"), "policy")
    name = checker.string(table, "name", "policy", default="policy")
    name_zh = checker.string(table, "name_zh", "policy", default=name)
    taxes = checker.table(table, "taxes", "policy.taxes", required=True)
    checker.keys(taxes, POLICY_KEYS, "policy.taxes")
    checker.span = span
    sets: dict[str, Schedule | float] = {}
    for key in POLICY_KEYS:
        if key not in taxes:
            continue
        path = f"taxes.{key}"
        value = checker.scheduled(taxes, key, "policy.taxes", path, path)
        sets[path] = checker.schedules.pop(path, value)
    return name, name_zh, sets


def apply_policy(scenario: Scenario, sets: Mapping[str, Schedule | float]) -> Scenario:
    """``scenario`` with the policy's values in place of its own: each parameter's field
    holds its value in the park's first year, and its schedule (if any) every year's."""
    if not sets:
        return scenario
    taxes = scenario.taxes
    schedules = dict(scenario.schedules)
    for path, value in sets.items():
        field = path.split(".", 1)[1]
        if isinstance(value, Schedule):
            schedules[path] = value
            first = value.at(scenario.start_year)
        else:
            schedules.pop(path, None)
            first = float(value)
        taxes = replace(taxes, **{field: first})
    return replace(scenario, taxes=taxes, schedules=MappingProxyType(schedules))
