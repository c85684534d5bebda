"""Loading a portfolio file (TOML): its parties, its parks (each a scenario file or
workbook, loaded as ``sim run`` loads it) and its fund, every problem reported at once
with the file and the key path (:class:`PortfolioError`, exit 2)."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sim.errors import InputError, Problem, ScenarioError, read_input
from sim.i18n import Reason, describe
from sim.portfolio.policy import apply_policy, read_policy
from sim.portfolio.types import LEVELS, Fund, Park, Portfolio, PortfolioParty, Stake
from sim.scenario import Scenario, load
from sim.scenario.values import _Values
from sim.scenario_types import Schedule
from sim.schema import MAX_ID
from sim.schema.checks import empty_id
from sim.syntax import syntax_reason

__all__ = [
    "MAX_PARTIES",
    "PortfolioError",
    "load_portfolio",
    "loads_portfolio",
    "parse_portfolio",
    "toml_data",
]

MAX_PARTIES = 12
"""Most parties in a portfolio: its package deal is a game of ``2^n`` coalitions."""

_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_ID - 1}}}")
_TABLES = ("meta", "parties", "parks", "fund", "policy")
_META = ("name", "title", "title_zh")
_PARTY = ("id", "name", "name_zh", "level")
_PARK = ("id", "name", "name_zh", "file", "parties")
_FUND = (
    "name",
    "name_zh",
    "contributions",
    "basis",
    "shares",
    "fee",
    "returns",
    "return_shares",
    "exit_multiple",
    "stakes",
)
_STAKE = ("park", "stake")
BASES = ("fixed", "retained")
"""How the fund's yearly contributions are divided between the parties."""
RETURNS = ("contributions", "fixed")
"""How the fund's returns and exit value are divided between the parties."""


class PortfolioError(InputError):
    """A portfolio file that cannot be used, with every problem found in it."""

    what = "portfolio"


def load_portfolio(path: str | Path) -> Portfolio:
    """Read and validate the portfolio file at ``path``, TOML or an ``.xlsx`` workbook
    (:mod:`sim.portfolio.book`); its parks' files are found relative to it.

    Raises
    ------
    PortfolioError
        Naming the file and every problem in it, a park file's problems included (each
        with the park's key path, the park file and the key path inside it); in a
        workbook, each with its sheet and cell.
    """
    if Path(path).suffix.lower() == ".xlsx":
        from sim.portfolio.book import read_book
        from sim.workbook.bounds import workbook_lang

        try:
            data, locate, problems = read_book(path)
        except ScenarioError as exc:  # not a workbook, or beyond what is read
            raise PortfolioError(str(path), exc.problems, exc.lang) from None
        lang = workbook_lang(str(path))  # a Chinese workbook's problems told in Chinese
        try:
            portfolio = parse_portfolio(data, str(path), Path(path).parent)
        except PortfolioError as exc:
            found = [*problems, *map(locate, exc.problems)]
            raise PortfolioError(str(path), found, lang) from None
        if problems:
            raise PortfolioError(str(path), problems, lang)
        return portfolio
    text = read_input(path, PortfolioError)
    return loads_portfolio(text, str(path), Path(path).parent)


def loads_portfolio(text: str, source: str = "<string>", folder: Path | None = None) -> Portfolio:
    """Validate portfolio TOML given as a string; park files are found under ``folder``."""
    return parse_portfolio(toml_data(text, source), source, folder)


def toml_data(text: str, source: str) -> dict[str, Any]:
    """The mapping of portfolio TOML (:class:`PortfolioError` for a syntax error)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PortfolioError(source, [Problem("", syntax_reason(exc, text))]) from None
    except RecursionError:
        raise PortfolioError(source, [Problem("", Reason("too_deep"))]) from None


def parse_portfolio(
    data: Mapping[str, Any], source: str = "<data>", folder: Path | None = None
) -> Portfolio:
    """Validate an already-parsed portfolio mapping (as :mod:`tomllib` returns it)."""
    checker = _Portfolio(folder or Path("."))
    portfolio = checker.portfolio(data, source)
    if checker.problems or portfolio is None:
        raise PortfolioError(source, checker.problems)
    return portfolio


class _Portfolio(_Values):
    """Walks a parsed portfolio file, collecting every problem."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.declared: tuple[str, ...] = ()
        """Every park id the file declares (a park whose file failed to load included)."""

    def portfolio(self, data: Mapping[str, Any], source: str) -> Portfolio | None:
        self.keys(data, _TABLES, "")
        meta = self.table(data, "meta", "meta", required=True)
        self.keys(meta, _META, "meta")
        name = self.identifier(meta, "name", "meta", "portfolio")
        title = self.string(meta, "title", "meta", default=name)
        title_zh = self.string(meta, "title_zh", "meta", default=title)
        parties = self.parties(data)
        pids = tuple(p.id for p in parties if p.id)
        parks = self.parks(data, pids)
        # the portfolio's years are known when every park was read: a park that could not
        # be would shrink them, and years of the policy or the fund outside would be
        # refused for nothing (one missing park file told as a fund error too)
        whole = isinstance(data.get("parks"), list) and len(parks) == len(data["parks"])
        policy: tuple[str, str, dict[str, Schedule | float]] = ("", "", {})
        if parks and whole:  # one span for every park: the portfolio's years
            first = min(k.scenario.start_year for k in parks)
            last = max(k.scenario.end_year for k in parks)
            policy = read_policy(self, data, (first, last))
            parks = [replace(k, scenario=apply_policy(k.scenario, policy[2])) for k in parks]
        fund = None
        if "fund" in data:
            fund_table = self.table(data, "fund", "fund", required=True)
            fund = self.fund(fund_table, pids, parks if whole else [])
        if self.problems:
            return None
        return Portfolio(
            name, title, title_zh, parties, tuple(parks), fund, source,
            policy_name=policy[0], policy_name_zh=policy[1], policy=MappingProxyType(policy[2]),
        )  # fmt: skip

    def identifier(self, table: Mapping[str, Any], key: str, path: str, what: str) -> str:
        value = self.string(table, key, path)
        at = f"{path}.{key}" if path else key
        if key in table and isinstance(table[key], str) and not table[key].strip():
            self.fail(at, empty_id(what))
        elif value and not _ID.fullmatch(value):
            self.fail(at, Reason("bad_id", got=repr(value)))
        return value

    def parties(self, data: Mapping[str, Any]) -> tuple[PortfolioParty, ...]:
        tables = self.array_of_tables(data, "parties")
        if not tables:
            self.fail("parties", Reason("at_least_one", what="party"))
        if len(tables) > MAX_PARTIES:
            self.fail(
                "parties", Reason("too_many", what="party", most=MAX_PARTIES, got=len(tables))
            )
        out: list[PortfolioParty] = []
        seen: set[str] = set()
        for i, t in enumerate(tables):
            pid, path = self.named(t, "parties", i, seen, "party")  # parties.SC, or parties[2]
            self.keys(t, _PARTY, path)
            name = self.string(t, "name", path, default=pid)
            name_zh = self.string(t, "name_zh", path, default=name)
            level = self.choice(t, "level", path, LEVELS, "")
            if "level" not in t:
                self.fail(f"{path}.level", Reason("missing_string", missing="missing"))
            out.append(PortfolioParty(pid, name, name_zh, level))
        return tuple(out)

    def parks(self, data: Mapping[str, Any], pids: tuple[str, ...]) -> list[Park]:
        tables = self.array_of_tables(data, "parks")
        if not tables:
            self.fail("parks", Reason("at_least_one", what="park"))
        ids = (t.get("id") for t in tables)  # each once; a missing or blank one not
        self.declared = tuple(dict.fromkeys(k for k in ids if isinstance(k, str) and k.strip()))
        out: list[Park] = []
        at: list[str] = []
        seen: set[str] = set()
        for i, t in enumerate(tables):
            park_id, path = self.named(t, "parks", i, seen, "park")  # parks.gaozhu, or parks[2]
            self.keys(t, _PARK, path)
            name = self.string(t, "name", path, default=park_id)
            name_zh = self.string(t, "name_zh", path, default=name)
            file = self.string(t, "file", path)
            scenario = self.scenario(file, f"{path}.file") if file else None
            mapping = self.table(t, "parties", f"{path}.parties", required=True)
            if scenario is None:
                continue
            parties = self.mapping(mapping, f"{path}.parties", scenario, pids)
            out.append(Park(park_id, file, scenario, parties, name, name_zh))
            at.append(path)
        self.same(out, at)
        return out

    def scenario(self, file: str, path: str) -> Scenario | None:
        """The park's scenario, as ``sim run`` loads it; its problems as this file's."""
        where = self.folder / file
        try:
            return load(where)
        except ScenarioError as exc:
            for p in exc.problems:
                at = p.where or p.path
                key = "in_file_at" if at else "in_file"
                self.fail(path, Reason(key, file=str(where), at=at, reason=p.reason))
            return None

    def mapping(
        self, table: Mapping[str, Any], path: str, scenario: Scenario, pids: tuple[str, ...]
    ) -> dict[str, str]:
        out: dict[str, str] = {}
        known = tuple(scenario.party_ids)
        for key, value in table.items():
            at = f"{path}.{key}"
            if key not in scenario.party_ids:
                self.fail(at, Reason("unknown_id", what="party", got=repr(key), known=known))
            elif not isinstance(value, str):
                self.fail(at, Reason("not_string", got=repr(value)))
            elif value not in pids:
                parties = tuple(pids)
                self.fail(at, Reason("unknown_party", got=repr(value), parties=parties))
            else:
                out[key] = value
        for pid in scenario.party_ids:
            if pid not in table:
                self.fail(f"{path}.{pid}", Reason("not_mapped"))
        return out

    def same(self, parks: list[Park], at: list[str]) -> None:
        """Every park in one unit and at one discount rate (``at``: each one's key path)."""
        if not parks:
            return
        first = parks[0]
        for park, path in zip(parks[1:], at[1:], strict=True):
            for what, got, want in (
                ("unit", park.scenario.unit, first.scenario.unit),
                ("discount_rate", park.scenario.discount_rate, first.scenario.discount_rate),
            ):
                if got != want:
                    self.fail(
                        f"{path}.file",
                        Reason(
                            "differs", what=what, got=repr(got), first=first.id, want=repr(want)
                        ),
                    )

    def fund(self, t: Mapping[str, Any], pids: tuple[str, ...], parks: list[Park]) -> Fund | None:
        self.keys(t, _FUND, "fund")
        name = self.string(t, "name", "fund", default="fund")
        name_zh = self.string(t, "name_zh", "fund", default=name)
        contributions = self.contributions(t, parks)
        basis = self.choice(t, "basis", "fund", BASES, "fixed")
        shares = None
        if basis == "fixed":
            shares = self.shares(t.get("shares"), "fund.shares", pids, "party")
        elif "shares" in t:
            self.fail("fund.shares", Reason("only_with", key="basis", value="fixed"))
        fee = self.number(t, "fee", "fund", default=0.0, lo=0.0, hi=1.0)
        returns = self.choice(t, "returns", "fund", RETURNS, "contributions")
        return_shares = None
        if returns == "fixed":
            return_shares = self.shares(t.get("return_shares"), "fund.return_shares", pids, "party")
        elif "return_shares" in t:
            self.fail("fund.return_shares", Reason("only_with", key="returns", value="fixed"))
        exit_multiple = self.number(t, "exit_multiple", "fund", default=0.0, lo=0.0, hi=100.0)
        stakes = self.stakes(t, parks)
        return Fund(
            name,
            name_zh,
            contributions,
            basis,
            shares,
            stakes,
            fee,
            returns,
            return_shares,
            exit_multiple,
        )

    def contributions(self, t: Mapping[str, Any], parks: list[Park]) -> dict[int, float]:
        value = t.get("contributions")
        if not isinstance(value, dict):
            got = Reason("missing_table", missing="missing") if value is None else describe(value)
            self.fail("fund.contributions", Reason("year_table", got=got))
            return {}
        years = [p.scenario.start_year for p in parks] + [
            p.scenario.start_year + p.scenario.n_years - 1 for p in parks
        ]
        out = {}
        for key, amount in value.items():
            at = f"fund.contributions.{key}"
            if not re.fullmatch(r"[0-9]{4}", key):
                self.fail(at, Reason("year_key", got=repr(key)))
                continue
            year = int(key)
            if years and not min(years) <= year <= max(years):
                self.fail(at, Reason("must_be", what=_span(years), got=year))
            x = self.check_number(amount, at, lo=0.0)
            if math.isfinite(x):
                out[year] = x
        return dict(sorted(out.items()))

    def stakes(self, t: Mapping[str, Any], parks: list[Park]) -> tuple[Stake, ...]:
        out, seen = [], set()
        known = self.declared
        tables = self.array_of_tables({"fund.stakes": t.get("stakes", [])}, "fund.stakes")
        for i, s in enumerate(tables):
            park = s.get("park")  # a stake by its park; fund.stakes[2] until it names one
            ok = isinstance(park, str) and _ID.fullmatch(park) is not None and park not in seen
            by_park = ok and park in known
            path = f"fund.stakes.{park}" if by_park else f"fund.stakes[{i}]"
            self.keys(s, _STAKE, path)
            park = self.string(s, "park", path)
            if park and known and park not in known:
                self.fail(
                    f"{path}.park",
                    Reason("unknown_id", what="park", got=repr(park), known=tuple(known)),
                )
            if park in seen:
                self.fail(f"{path}.park", Reason("duplicate_id", what="park", got=repr(park)))
            seen.add(park)
            stake = self.number(s, "stake", path, lo=0.0, hi=1.0, hi_open=True)
            if park and math.isfinite(stake):
                out.append(Stake(park, stake))
        return tuple(out)


def _span(years: list[int]) -> Reason:
    return Reason("year_span", first=min(years), last=max(years))
