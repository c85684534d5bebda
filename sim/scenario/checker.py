"""The checker of a whole scenario file: every table, each by its own checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from sim import i18n
from sim.i18n import Reason
from sim.scenario.sharing import _Sharing
from sim.scenario.tables import _Tables
from sim.scenario.values import (
    _blank,
    canonical_digest,
)
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Scenario,
    Sharing,
    Taxes,
)
from sim.schema import MAX_ID, TABLES, names
from sim.schema.checks import empty_id
from sim.schema.labels import label_problems
from sim.schema.magnitude import magnitude_problems


class _Checker(_Tables, _Sharing):
    """Walks a parsed file, collecting every problem instead of stopping at the first."""

    def scenario(self, data: Mapping[str, Any], source: str) -> Scenario | None:
        self.keys(data, TABLES, "")

        meta = self.table(data, "meta", "meta", required=True)
        self.keys(meta, names("meta"), "meta")
        name = "" if _blank(meta.get("name")) else self.string(meta, "name", "meta")
        if _blank(meta.get("name")):
            self.fail("meta.name", empty_id("scenario"))
        elif name and not re.fullmatch(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{2 * MAX_ID - 1}}}", name):
            self.fail("meta.name", Reason("meta_name", got=repr(name)))
        title = self.string(meta, "title", "meta", default=name)
        title_zh = self.string(meta, "title_zh", "meta", default=title)
        unit = self.string(meta, "unit", "meta", default="100m CNY")
        if unit == i18n.unit("100m CNY", "zh"):  # the same unit by its Chinese name
            unit = "100m CNY"

        hz = self.table(data, "horizon", "horizon", required=True)
        self.keys(hz, names("horizon"), "horizon")
        start = self.whole(hz, "start_year", "horizon", "horizon.start_year")
        n_years = self.whole(hz, "years", "horizon", "horizon.years")
        discount = self.numbers(hz, "horizon", "horizon")["discount_rate"]
        span = (start, start + n_years - 1) if start is not None and n_years is not None else None
        self.span = span

        parties = self.parties(data)
        pids = tuple(p.id for p in parties if p.id)  # an empty id is reported once

        tx = self.table(data, "taxes", "taxes", required=False)
        self.keys(tx, names("taxes"), "taxes")
        taxes = Taxes(**self.numbers(tx, "taxes", "taxes"))

        firms = self.firms(data, pids, span)
        land = self.land_sales(data, pids, span)
        investment = self.investment(data, pids, span)

        sharing_table = self.table(data, "sharing", "sharing", required=False)
        if "sharing" not in data:
            sharing_table = {"rule": "source"}
        sharing = self.sharing(sharing_table, "sharing", pids, span, investment, with_label=False)
        compare: list[Sharing] = []
        at = []
        for i, table in enumerate(self.array_of_tables(data, "compare")):
            path = f"compare[{i}]"
            s = self.sharing(table, path, pids, span, investment, with_label=True, parent=sharing)
            if s is not None:
                if "label" not in table:  # its name defaults to its rule's: keep it unique
                    s = _unique_label(s, {c.label for c in compare})
                compare.append(s)
                at.append(i)
        for j, key, reason in label_problems([(s.label, s.label_zh, s.rule) for s in compare]):
            self.fail(f"compare[{at[j]}].{key}", reason)

        cooperation = self.cooperation(data, pids, tuple(f.id for f in firms))

        if self.problems or span is None or sharing is None or start is None or n_years is None:
            return None
        scenario = Scenario(
            name=name,
            title=title,
            title_zh=title_zh,
            unit=unit,
            start_year=start,
            n_years=n_years,
            discount_rate=discount,
            parties=parties,
            taxes=taxes,
            firms=firms,
            land_sales=land,
            investment=investment,
            sharing=sharing,
            compare=tuple(compare),
            cooperation=cooperation,
            schedules=MappingProxyType(dict(self.schedules)),
            source=source,
            digest=canonical_digest(data),
        )
        self.problems.extend(magnitude_problems(scenario))
        return None if self.problems else scenario


def _unique_label(s: Sharing, used: Set[str]) -> Sharing:
    """An alternative whose name was left blank (its rule's id), named ``<rule>-2``,
    ``<rule>-3`` … where another alternative has that name already: a blank name is no
    duplicate name the user wrote (its Chinese name, where it was given, stays)."""
    if s.label not in used:
        return s
    n = 2
    while f"{s.label}-{n}" in used:
        n += 1
    label = f"{s.label}-{n}"
    return replace(s, label=label, label_zh=s.label_zh if s.label_zh != s.label else label)
