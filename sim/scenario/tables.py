"""The checks of a scenario's tables of parties, firms, land sales, joint investment and
cooperation (:class:`_Tables`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sim.i18n import Reason
from sim.rules.clauses import firm_inputs
from sim.scenario.values import (
    _YEAR_KEY,
    SHARE_TOL,
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
            told = len(self.problems)
            pid, path = self.named(t, "parties", i, seen, "party")
            self.party_ids_told |= any(p.path == f"parties[{i}].id" for p in self.problems[told:])
            self.keys(t, names("parties.<party>"), path)
            name = self.string(t, "name", path, default=pid)
            name_zh = self.string(t, "name_zh", path, default=name)
            numbers = self.numbers(t, path, "parties.<party>", ident=pid)
            inputs = MappingProxyType(self.clause_inputs(t, path))
            out.append(Party(pid, name, name_zh, **numbers, inputs=inputs))
        return tuple(out)

    def clause_inputs(self, t: Mapping[str, Any], path: str) -> dict[str, float]:
        """The clause inputs a firm (or, as its firms' default, a party) writes, checked
        against the firm key's bounds."""
        out: dict[str, float] = {}
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

    def firms(
        self,
        data: Mapping[str, Any],
        pids: tuple[str, ...],
        span: tuple[int, int] | None,
    ) -> tuple[Firm, ...]:
        """The firms, each with the clause inputs it writes itself (its party's defaults
        are not copied in: :meth:`~sim.scenario_types.Scenario.firm_input`)."""
        allowed = names("firms.<firm>")
        out = []
        seen: set[str] = set()
        tables = self.array_of_tables(data, "firms")
        if not tables and "firms" not in data:
            self.fail("firms", Reason("no_firms"))
        elif not tables:
            self.fail("firms", Reason("empty_firms"))
        for i, t in enumerate(tables):
            fid, path = self.named(t, "firms", i, seen, "firm")
            self.keys(t, allowed, path)
            # as written ("" where none): Firm.label falls back to the id, and a file
            # written back gives no name the user did not (a renamed id takes none with it)
            firm_name = self.string(t, "name", path, default="")
            firm_name_zh = self.string(t, "name_zh", path, default="")
            party = self.string(t, "party", path, default="")  # missing: party_ref says
            self.party_ref(party, f"{path}.party", pids)
            intro = self.string(t, "introduced_by", path, default=party)
            if party or "introduced_by" in t:  # else the missing party is the one problem
                self.party_ref(intro, f"{path}.introduced_by", pids)
            existing = self.boolean(t, "existing", path, False)
            if span is not None:
                first = self.year(t, "first_year", path, span)
            else:
                first = self.integer(t, "first_year", path)
            inputs = self.clause_inputs(t, path)
            out.append(
                Firm(
                    id=fid,
                    party=party,
                    introduced_by=intro,
                    existing=existing,
                    first_year=first if first is not None else 0,
                    **self.numbers(t, path, "firms.<firm>", ident=fid),
                    name=firm_name,
                    name_zh=firm_name_zh,
                    introducer_written="introduced_by" in t,
                    inputs=MappingProxyType(inputs),
                )
            )
        return tuple(out)

    def land_sales(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> tuple[LandSale, ...]:
        out = []
        for i, t in enumerate(self.array_of_tables(data, "land_sales")):
            path = f"land_sales.{i}"  # a sale by its place in the list, as a sweep names it
            self.keys(t, names("land_sales.<sale>"), path)
            party = self.string(t, "party", path, default="")  # missing: party_ref says
            self.party_ref(party, f"{path}.party", pids)
            year = self.year(t, "year", path, span) if span else self.integer(t, "year", path)
            numbers = self.numbers(t, path, "land_sales.<sale>")
            cost, earmark = numbers["cost_share"], numbers["rural_earmark"]
            if cost + earmark > 1.0 + SHARE_TOL:
                self.fail(
                    path,
                    Reason(
                        "land_costs",
                        cost=f"{cost:g}",
                        earmark=f"{earmark:g}",
                        total=f"{cost + earmark:g}",
                    ),
                )
            out.append(
                LandSale(
                    party=party,
                    year=year if year is not None else 0,
                    **numbers,
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
            self.fail("investment.capex", Reason("capex_table", got=_describe(raw)))
            raw = {}
        for key, value in raw.items():
            p = f"investment.capex.{key}"
            if not _YEAR_KEY.fullmatch(str(key)):
                self.fail(p, Reason("capex_years"))
                continue
            year = int(key)
            if span is not None and not span[0] <= year <= span[1]:
                self.fail(p, Reason("year_outside", year=year, first=span[0], last=span[1]))
                continue
            capex[year] = self.check_number(value, p, **_bounds("investment.capex.<year>"))
        equity = None
        if "equity" in t:
            equity = MappingProxyType(self.shares(t["equity"], "investment.equity", pids, "party"))
        if capex and equity is None:
            self.fail("investment.equity", Reason("capex_payer"))
        return Investment(
            capex=MappingProxyType(dict(sorted(capex.items()))),
            equity=equity,
            **self.numbers(t, "investment", "investment"),
        )

    def cooperation(
        self, data: Mapping[str, Any], pids: tuple[str, ...], firm_ids: tuple[str, ...]
    ) -> Cooperation:
        t = self.table(data, "cooperation", "cooperation", required=False)
        self.keys(t, names("cooperation"), "cooperation")
        synergy = self.numbers(t, "cooperation", "cooperation")["synergy"]
        requires: dict[str, tuple[str, ...]] = {}
        raw = t.get("requires", {})
        if not isinstance(raw, dict):
            self.fail(
                "cooperation.requires",
                Reason("requires_table", got=_describe(raw)),
            )
            raw = {}
        for firm, parties in raw.items():
            p = f"cooperation.requires.{firm}"
            if firm_ids and firm not in firm_ids:
                self.fail(p, Reason("unknown_firm", got=repr(firm), known=tuple(firm_ids)))
                continue
            if not isinstance(parties, list) or not all(isinstance(x, str) for x in parties):
                self.fail(p, Reason("party_ids", got=_describe(parties)))
                continue
            for x in parties:
                self.party_ref(x, p, pids)
            requires[firm] = tuple(parties)
        standalone = None
        if "standalone_capex" in t:
            standalone = self.by_party(t, "standalone_capex", "cooperation", pids, "cooperation")
        return Cooperation(
            synergy=synergy,
            requires=MappingProxyType(requires),
            standalone_capex=None if standalone is None else MappingProxyType(standalone),
        )
