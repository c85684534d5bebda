"""Fiscal-policy schedules in words: which value of each fiscal parameter given by year
applies in which years (``local share of VAT: 50% to 2026, 45% from 2027``), for
``sim run``, the report and a sweep's named policies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sim import i18n
from sim.scenario_types import Scenario, Schedule
from sim.schema.fields import bind, value_text

__all__ = ["policy_lines", "schedule_spans", "schedule_text"]


def schedule_text(
    scenario: Scenario, path: str, schedule: Schedule | float, lang: str = "en"
) -> str:
    """One fiscal parameter over the horizon: its name and each value with its years
    (a plain number: the value alone, every year)."""
    binding = bind(path, scenario)
    if isinstance(binding, str):  # the loader only keeps paths that bind
        raise ValueError(binding)
    if path.startswith("parties."):  # a party by its name, not its id
        party = scenario.parties[binding.position]
        binding = replace(binding, name_en=party.name, name_zh=party.name_zh)
    name = i18n.pick(lang, binding.label_en, binding.label_zh)
    unit = binding.field.unit
    if not isinstance(schedule, Schedule):
        return i18n.t("policy_line", lang, name=name, spans=value_text(schedule, unit, lang))
    spans = schedule_spans(scenario, schedule, unit, lang)
    return i18n.t("policy_line", lang, name=name, spans=spans)


def schedule_spans(scenario: Scenario, schedule: Schedule, unit: str, lang: str = "en") -> str:
    """Each value of ``schedule`` over the horizon with its years (``50% to 2026, 45% from
    2027``), values in ``unit``."""
    spans = schedule.within(scenario.start_year, scenario.end_year)
    words = []
    for k, (first, last, value) in enumerate(spans):
        v = value_text(value, unit, lang)
        if len(spans) == 1:
            words.append(v)
        elif k == 0:
            words.append(i18n.t("policy_to", lang, value=v, last=last))
        elif k == len(spans) - 1:
            words.append(i18n.t("policy_from", lang, value=v, first=first))
        elif first == last:
            words.append(i18n.t("policy_in", lang, value=v, first=first))
        else:
            words.append(i18n.t("policy_between", lang, value=v, first=first, last=last))
    return i18n.comma(lang).join(words)


def policy_lines(
    scenario: Scenario,
    lang: str = "en",
    schedules: Mapping[str, Schedule | float] | None = None,
) -> list[str]:
    """Each fiscal parameter the scenario gives by year (or ``schedules``), in words,
    in the file's order."""
    given = scenario.schedules if schedules is None else schedules
    return [schedule_text(scenario, path, s, lang) for path, s in given.items()]
