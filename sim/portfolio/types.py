"""What a portfolio file holds, once validated: its parties, its parks and its fund.

A portfolio is the whole cooperation of several jurisdictions, not one park: the parks
they build together (each a scenario file or workbook with its own agreement, its
parties mapped onto the portfolio's) and, optionally, a joint development fund that
the parties pay into and that holds stakes in the parks' joint companies
(docs/portfolio.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sim import i18n
from sim.scenario import Scenario
from sim.scenario_types import Schedule

__all__ = ["LEVELS", "ROWS", "Fund", "Park", "Portfolio", "PortfolioParty", "Stake"]

LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
"""The levels of government a portfolio's party may stand at: a province or a
provincial-level municipality, a prefecture-level city, a county or district."""
ROWS: Mapping[str, str | None] = {"parties": "id", "parks": "id", "fund.stakes": "park"}
"""A portfolio file's lists, each with the key that names an item in its problems' key
paths (``parks.gaozhu.file``, ``fund.stakes.gaozhu.stake``; ``parks[2].file`` while
the id cannot name it): :func:`sim.schema.checks.indexed` finds the row again."""


@dataclass(frozen=True)
class PortfolioParty:
    """A jurisdiction of the portfolio (a treasury)."""

    id: str
    name: str
    name_zh: str
    level: str


@dataclass(frozen=True)
class Park:
    """One park: its scenario, as ``sim run`` reads it, and whose it is."""

    id: str
    path: str
    """The scenario file or workbook, as the portfolio names it (relative to the file)."""
    scenario: Scenario
    parties: Mapping[str, str]
    """Each of the park's party ids → the portfolio party it belongs to."""
    name: str = ""
    name_zh: str = ""
    """What the park is called in English and Chinese (``[[parks]] name``, ``name_zh``;
    by default its id, and its English name): every output in Chinese names it so."""

    def label(self, lang: str = "en") -> str:
        """The park as an output names it: its id in English (the tables' key), its
        Chinese name in Chinese."""

        return i18n.pick(lang, self.id, self.name_zh or self.name or self.id)


@dataclass(frozen=True)
class Stake:
    """The fund's stake in one park's joint company."""

    park: str
    stake: float
    """The fund's part of the company: of each year's capex and of its dividends."""


@dataclass(frozen=True)
class Fund:
    """A joint development fund: who pays in, what it holds, who gets its returns."""

    name: str
    name_zh: str
    contributions: Mapping[int, float]
    """Year → what all parties pay in that year [unit]."""
    basis: str
    """``fixed`` (by :attr:`contribution_shares`) or ``retained`` (by each party's own
    retained tax that year across the parks)."""
    contribution_shares: Mapping[str, float] | None
    stakes: tuple[Stake, ...]
    fee: float
    """The management fee: a fraction a year of what has been paid in to date."""
    returns: str
    """``contributions`` (by what each party has paid in to date) or ``fixed``."""
    return_shares: Mapping[str, float] | None
    exit_multiple: float
    """Each stake is sold in its park's last year at this multiple of what the fund
    paid in (0: no exit value, as the park model gives the partners' own equity none)."""


@dataclass(frozen=True)
class Portfolio:
    """A validated portfolio file."""

    name: str
    title: str
    title_zh: str
    parties: tuple[PortfolioParty, ...]
    parks: tuple[Park, ...]
    fund: Fund | None
    source: str
    policy_name: str = ""
    policy_name_zh: str = ""
    policy: Mapping[str, Schedule | float] = field(default_factory=dict)
    """A fiscal policy for every park (``[policy]``): key path → a number or a schedule."""

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The portfolio's party ids, in the file's order (every party axis)."""
        return tuple(p.id for p in self.parties)

    @property
    def unit(self) -> str:
        """The amount unit, every park's."""
        return self.parks[0].scenario.unit

    @property
    def discount_rate(self) -> float:
        """The one discount rate of every park."""
        return self.parks[0].scenario.discount_rate

    @property
    def years(self) -> range:
        """From the first park's first year to the last park's last year."""
        first = min(p.scenario.start_year for p in self.parks)
        last = max(p.scenario.start_year + p.scenario.n_years - 1 for p in self.parks)
        return range(first, last + 1)

    def stake(self, park: str) -> float:
        """The fund's stake in ``park``'s joint company (0 without one)."""
        if self.fund is None:
            return 0.0
        return sum(s.stake for s in self.fund.stakes if s.park == park)
