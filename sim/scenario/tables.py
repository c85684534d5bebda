"""The checks of a scenario's tables of parties, firms, land sales, joint investment and
cooperation (:class:`_Tables`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sim.i18n import Reason
from sim.rules.clauses import firm_inputs
from sim.scenario.values import (
    _ID,
    _YEAR_KEY,
    SHARE_TOL,
    _blank,
    _bounds,
    _describe,
    _Values,
)
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Cooperation,
    Firm,
    Investment,
    LandSale,
    Party,
)
from sim.schema import names
from sim.schema.checks import empty_id


class _Tables(_Values):
    """The checks of the parties, firms, land sales, investment and cooperation tables."""

    def parties(self, data: Mapping[str, Any]) -> tuple[Party, ...]:
        tables = self.array_of_tables(data, "parties")
        if "parties" in data and isinstance(data["parties"], list) and len(tables) < 2:
            self.fail("parties", Reason("two_parties", n=len(tables)))
        elif "parties" not in data:
            self.fail("parties", Reason("no_parties"))
        out = []
        seen: set[str] = set()
        for i, t in enumerate(tables):
            path = f"parties[{i}]"
            self.keys(t, names("parties.<party>"), path)
            pid = self.ident(t, path, seen, "party")
            name = self.string(t, "name", path, default=pid)
            name_zh = self.string(t, "name_zh", path, default=name)
            retained = self.bounded(
                t, "retained_share", path, "parties.<party>.retained_share", 1.0
            )
            inputs = self.clause_inputs(t, path)
            out.append(Party(pid, name, name_zh, retained, MappingProxyType(inputs)))
        return tuple(out)

    def clause_inputs(
        self, t: Mapping[str, Any], path: str, defaults: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """The clause inputs a firm (or, as its firms' default, a party) writes, checked
        against the firm key's bounds; ``defaults`` fill those it does not write."""
        out = dict(defaults or {})
        for i in firm_inputs():
            if i.name not in t:
                continue
            pattern = f"firms.<firm>.{i.name}"
            if i.integer:
                whole = self.whole(t, i.name, path, pattern)
                if whole is not None:
                    out[i.name] = float(whole)
            else:
                out[i.name] = self.bounded(t, i.name, path, pattern)
        return out

    def ident(self, t: Mapping[str, Any], path: str, seen: set[str], what: str) -> str:
        if _blank(t.get("id")):
            self.fail(f"{path}.id", empty_id(what))
            return ""
        value = self.string(t, "id", path)
        if value and not _ID.fullmatch(value):
            self.fail(
                f"{path}.id",
                f"must be a short id (letters, digits, '-', '_', '.'; at most 32), got {value!r}",
            )
        elif value in seen:
            self.fail(f"{path}.id", Reason("duplicate_id", what=what, got=repr(value)))
        seen.add(value)
        return value

    def firms(
        self,
        data: Mapping[str, Any],
        pids: tuple[str, ...],
        span: tuple[int, int] | None,
        defaults: Mapping[str, Mapping[str, float]] | None = None,
    ) -> tuple[Firm, ...]:
        """The firms; ``defaults``: each party's defaults for its firms' clause inputs."""
        allowed = names("firms.<firm>")
        out = []
        seen: set[str] = set()
        tables = self.array_of_tables(data, "firms")
        if not tables and "firms" not in data:
            self.fail("firms", Reason("no_firms"))
        elif not tables:
            self.fail("firms", Reason("empty_firms"))
        for i, t in enumerate(tables):
            path = f"firms[{i}]"
            self.keys(t, allowed, path)
            fid = self.ident(t, path, seen, "firm")
            firm_name = self.string(t, "name", path, default=fid)
            firm_name_zh = self.string(t, "name_zh", path, default=firm_name)
            party = self.string(t, "party", path)
            self.party_ref(party, f"{path}.party", pids)
            intro = self.string(t, "introduced_by", path, default=party)
            self.party_ref(intro, f"{path}.introduced_by", pids)
            existing = self.boolean(t, "existing", path, False)
            if span is not None:
                first = self.year(t, "first_year", path, span)
            else:
                first = self.integer(t, "first_year", path)
            rates = {k: self.bounded(t, k, path, f"firms.<firm>.{k}") for k in FIRM_RATES}
            inputs = self.clause_inputs(t, path, (defaults or {}).get(party))
            out.append(
                Firm(
                    id=fid,
                    party=party,
                    introduced_by=intro,
                    existing=existing,
                    first_year=first if first is not None else 0,
                    output=self.bounded(t, "output", path, "firms.<firm>.output"),
                    growth=self.bounded(t, "growth", path, "firms.<firm>.growth", 0.0),
                    ramp_years=self.bounded(t, "ramp_years", path, "firms.<firm>.ramp_years", 1.0),
                    **rates,
                    name=firm_name,
                    name_zh=firm_name_zh,
                    inputs=MappingProxyType(inputs),
                )
            )
        return tuple(out)

    def land_sales(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> tuple[LandSale, ...]:
        out = []
        for i, t in enumerate(self.array_of_tables(data, "land_sales")):
            path = f"land_sales[{i}]"
            self.keys(t, names("land_sales.<sale>"), path)
            party = self.string(t, "party", path)
            self.party_ref(party, f"{path}.party", pids)
            year = self.year(t, "year", path, span) if span else self.integer(t, "year", path)
            cost = self.bounded(t, "cost_share", path, "land_sales.<sale>.cost_share", 0.0)
            earmark = self.bounded(t, "rural_earmark", path, "land_sales.<sale>.rural_earmark", 0.0)
            if cost + earmark > 1.0 + SHARE_TOL:
                self.fail(
                    path,
                    f"cost_share + rural_earmark must not exceed 1, got "
                    f"{cost:g} + {earmark:g} = {cost + earmark:g}",
                )
            out.append(
                LandSale(
                    party=party,
                    year=year if year is not None else 0,
                    area_mu=self.bounded(t, "area_mu", path, "land_sales.<sale>.area_mu"),
                    price=self.bounded(t, "price", path, "land_sales.<sale>.price"),
                    cost_share=cost,
                    rural_earmark=earmark,
                )
            )
        return tuple(out)

    def investment(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> Investment:
        t = self.table(data, "investment", "investment", required=False)
        self.keys(t, names("investment"), "investment")
        capex: dict[int, float] = {}
        raw = t.get("capex", {})
        if not isinstance(raw, dict):
            self.fail("investment.capex", f"must be a table of year = amount, got {_describe(raw)}")
            raw = {}
        for key, value in raw.items():
            p = f"investment.capex.{key}"
            if not _YEAR_KEY.fullmatch(str(key)):
                self.fail(
                    p, "keys must be years written as four digits, e.g. capex = { 2021 = 10.0 }"
                )
                continue
            year = int(key)
            if span is not None and not span[0] <= year <= span[1]:
                self.fail(p, f"year {year} is outside the horizon {span[0]}–{span[1]}")
                continue
            capex[year] = self.check_number(value, p, **_bounds("investment.capex.<year>"))
        equity = None
        if "equity" in t:
            equity = MappingProxyType(self.shares(t["equity"], "investment.equity", pids, "party"))
        if capex and equity is None:
            self.fail("investment.equity", "missing: who pays the capex? give equity = { … }")
        return Investment(
            capex=MappingProxyType(dict(sorted(capex.items()))),
            equity=equity,
            return_rate=self.bounded(t, "return_rate", "investment", "investment.return_rate", 0.0),
            payout_ratio=self.bounded(
                t, "payout_ratio", "investment", "investment.payout_ratio", 1.0
            ),
        )

    def cooperation(
        self, data: Mapping[str, Any], pids: tuple[str, ...], firm_ids: tuple[str, ...]
    ) -> Cooperation:
        t = self.table(data, "cooperation", "cooperation", required=False)
        self.keys(t, names("cooperation"), "cooperation")
        synergy = self.bounded(t, "synergy", "cooperation", "cooperation.synergy", 0.0)
        requires: dict[str, tuple[str, ...]] = {}
        raw = t.get("requires", {})
        if not isinstance(raw, dict):
            self.fail(
                "cooperation.requires",
                f"must be a table of firm id = [party ids], got {_describe(raw)}",
            )
            raw = {}
        for firm, parties in raw.items():
            p = f"cooperation.requires.{firm}"
            if firm_ids and firm not in firm_ids:
                self.fail(p, f"unknown firm {firm!r} (firms: {', '.join(firm_ids)})")
                continue
            if not isinstance(parties, list) or not all(isinstance(x, str) for x in parties):
                self.fail(p, f"must be an array of party ids, got {_describe(parties)}")
                continue
            for x in parties:
                self.party_ref(x, p, pids)
            requires[firm] = tuple(parties)
        standalone = None
        if "standalone_capex" in t:
            raw_capex = t["standalone_capex"]
            if not isinstance(raw_capex, dict):
                self.fail(
                    "cooperation.standalone_capex",
                    f"must be a table of party = amount, got {_describe(raw_capex)}",
                )
            else:
                standalone = {}
                for key, v in raw_capex.items():
                    p = f"cooperation.standalone_capex.{key}"
                    self.party_ref(key, p, pids)
                    standalone[key] = self.check_number(
                        v, p, **_bounds("cooperation.standalone_capex.<party>")
                    )
        return Cooperation(
            synergy=synergy,
            requires=MappingProxyType(requires),
            standalone_capex=None if standalone is None else MappingProxyType(standalone),
        )
