"""What a scenario file resolves into: typed, immutable objects (:class:`Scenario`, its
parties, firms, land sales, investment and agreements).

Below the schema and the loader (:mod:`sim.scenario`), which build them, so that every
module that reads a scenario (the schema's field bindings, the magnitude checks, the
inheritance of terms) can name them without importing the loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from sim.i18n import pick
from sim.rules import ClauseName
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.rules.clauses import firm_inputs

__all__ = [
    "FIRM_RATES",
    "Clause",
    "Cooperation",
    "Firm",
    "Investment",
    "LandSale",
    "Party",
    "Review",
    "RuleValue",
    "Scenario",
    "Schedule",
    "Sharing",
    "Taxes",
]

RuleValue = float | Mapping[str, float]


@dataclass(frozen=True)
class Schedule:
    """A fiscal parameter that changes by year (``{ from = { 2021 = 0.5, 2027 = 0.45 } }``):
    each step's value holds from its year on, until the next step.

    The first step is at or before the horizon's first year, so every year has a value.
    """

    steps: tuple[tuple[int, float], ...]
    """``(year, value)`` in order of year."""

    def at(self, year: int) -> float:
        """The value in force in ``year``.

        >>> vat = Schedule(((2021, 0.5), (2027, 0.45)))
        >>> vat.at(2026), vat.at(2027)
        (0.5, 0.45)
        """
        value = self.steps[0][1]
        for first, v in self.steps:
            if first > year:
                break
            value = v
        return value

    def within(self, first: int, last: int) -> tuple[tuple[int, int, float], ...]:
        """The spans ``(from, to, value)`` of the years ``first … last`` with one value
        each, in order (steps before ``first`` or after ``last`` fold into them)."""
        out: list[tuple[int, int, float]] = []
        for year in range(first, last + 1):
            v = self.at(year)
            if out and out[-1][2] == v:
                out[-1] = (out[-1][0], year, v)
            else:
                out.append((year, year, v))
        return tuple(out)


@dataclass(frozen=True)
class Party:
    """A cooperating jurisdiction."""

    id: str
    name: str
    name_zh: str
    retained_share: float
    """Share of its local tax revenue kept at this party's level [fraction]."""
    inputs: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Defaults for the clause inputs of the firms registered here (a firm's own wins)."""


@dataclass(frozen=True)
class Taxes:
    """Local (non-central) share of each shared tax [fraction]."""

    vat_local_share: float = 0.5
    cit_local_share: float = 0.4
    pit_local_share: float = 0.4


@dataclass(frozen=True)
class Firm:
    """A firm or cohort of firms, registered (and paying tax) in ``party``."""

    id: str
    party: str
    introduced_by: str
    existing: bool
    first_year: int
    output: float
    growth: float
    ramp_years: float
    value_added_ratio: float
    vat_rate: float
    profit_margin: float
    cit_rate: float
    wage_ratio: float
    pit_rate: float
    surcharge_rate: float
    other_local_rate: float
    name: str = ""
    """In English, as the file writes it (empty where it has none: :meth:`label` then
    names the firm by its id)."""
    name_zh: str = ""
    """In Chinese, as the file writes it (empty where it has none: :meth:`label` then
    names the firm by its English name, else its id)."""
    introducer_written: bool = True
    """Whether it writes ``introduced_by`` itself (``False``: its party introduced it,
    and a file written back leaves it so, to follow the party if that changes)."""
    inputs: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """The numbers it writes itself for the clauses (:func:`sim.rules.clauses.firm_inputs`);
    one it does not write is its party's default, else the input's
    (:meth:`Scenario.firm_input`), and stays so when its party changes."""

    def label(self, lang: str = "en") -> str:
        """What a table in ``lang`` calls the firm: its name in that language, else
        its English name, else its id."""
        return pick(lang, "", self.name_zh) or self.name or self.id


FIRM_RATES = (
    "value_added_ratio",
    "vat_rate",
    "profit_margin",
    "cit_rate",
    "wage_ratio",
    "pit_rate",
    "surcharge_rate",
    "other_local_rate",
)


@dataclass(frozen=True)
class LandSale:
    """A sale of land-use rights; net income goes to ``party``'s fund budget."""

    party: str
    year: int
    area_mu: float
    price: float
    """Per mu [unit/mu]."""
    cost_share: float
    rural_earmark: float


@dataclass(frozen=True)
class Investment:
    """Joint capital spending through a joint development company."""

    capex: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    equity: Mapping[str, float] | None = None
    return_rate: float = 0.0
    payout_ratio: float = 1.0


@dataclass(frozen=True)
class Clause:
    """How one stream besides tax is divided: a rule of :mod:`sim.rules.clauses`.

    Written as a rule name (``land = "shared"``) or, with parameters, as a table
    (``land = { rule = "fixed", shares = { SC = 0.6, CQ = 0.4 } }``).
    """

    rule: str
    params: Mapping[str, RuleValue] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Review:
    """A renegotiation clause (``[sharing.review]``): the tax pool's shares change, once
    and for good, in the first year of the window (from its ``after``-th year on) in
    which ``party``'s cumulative tax gain over no agreement, over the window's years
    before it, is below ``below``."""

    party: str
    below: float
    """Threshold on the cumulative gain [unit, nominal]."""
    shares: Mapping[str, float]
    """The pool's shares from the switch on."""
    after: int = 0
    """Years of the window before the first check (``0``: from its first year)."""


@dataclass(frozen=True)
class Sharing:
    """A sharing agreement (``[sharing]``, or one ``[[compare]]`` table).

    The tax clause is the rule, its parameters, scope, window, compliance and floors;
    :attr:`clauses` are the clauses of the other streams, one for each registered
    clause stream (:data:`sim.rules.clauses.CLAUSE_STREAMS`).
    """

    rule: str
    params: Mapping[str, RuleValue] = field(default_factory=lambda: MappingProxyType({}))
    scope: str = "all"
    base_year: int | None = None
    from_year: int | None = None
    years: int | None = None
    compliance: float = 1.0
    floors: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    clauses: Mapping[str, Clause] = field(default_factory=lambda: MappingProxyType({}))
    """Clause name → its clause; one not given is its default (every clause is there
    after construction)."""
    label: str = ""
    label_zh: str = ""
    cap: float | None = None
    """Most tax any party pays the others in a year [unit/yr]; ``None``: no cap."""
    review: Review | None = None
    inherited: frozenset[str] = field(default=frozenset(), compare=False)
    """The terms an alternative took from the agreement, not written in its own table
    (:func:`sim.inheritance.inherit`); not part of what the agreement is."""

    def __post_init__(self) -> None:
        full = {c: self.clauses.get(c, Clause(d)) for c, d in CLAUSE_DEFAULTS.items()}
        object.__setattr__(self, "clauses", MappingProxyType(full))

    def clause(self, name: ClauseName) -> Clause:
        """The clause of stream ``name`` (a registered clause stream)."""
        return self.clauses[name]

    def term(self, name: str) -> object:
        """A term by name: a clause (:meth:`clause`) or another field (``scope``, …)."""
        return self.clauses[name] if name in self.clauses else getattr(self, name)

    def with_clause(self, name: ClauseName, clause: Clause) -> Sharing:
        """The same agreement with the clause of ``name`` replaced."""
        return replace(self, clauses={**self.clauses, name: clause})


@dataclass(frozen=True)
class Cooperation:
    """What changes for a coalition of parties without its partners (``[cooperation]``).

    Used to compute the scenario's cooperative game (:mod:`sim.fair`): the value of a
    coalition is the total NPV its members would net if only they cooperated.
    """

    synergy: float = 0.0
    """Output of the full joint park is ``1 + synergy`` times what the parties' firms
    would produce apart; a coalition of ``k`` of ``n`` parties gets the fraction
    ``(1 + synergy·(k−1)/(n−1)) / (1 + synergy)`` of the full scenario's output."""
    requires: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Firm id → parties that must all cooperate for the firm to come; by default its
    own party and the party that introduced it."""
    standalone_capex: Mapping[str, float] | None = None
    """Party → total capex it would spend alone; by default its equity share of the
    joint capex. A coalition short of some parties spends what its members would."""


@dataclass(frozen=True)
class Scenario:
    """One validated agreement between two or more parties over a horizon."""

    name: str
    title: str
    title_zh: str
    unit: str
    start_year: int
    n_years: int
    discount_rate: float
    parties: tuple[Party, ...]
    taxes: Taxes
    firms: tuple[Firm, ...]
    land_sales: tuple[LandSale, ...]
    investment: Investment
    sharing: Sharing
    compare: tuple[Sharing, ...]
    cooperation: Cooperation = field(default_factory=Cooperation)
    schedules: Mapping[str, Schedule] = field(default_factory=lambda: MappingProxyType({}))
    """Key path (``taxes.vat_local_share``, ``parties.<id>.retained_share``,
    ``firms.<id>.surcharge_rate``) → its schedule by year, for the fiscal parameters
    given as one; the parameter's own field then holds its value in the first year."""
    source: str = "<string>"
    digest: str = ""
    """SHA-256 of the scenario's canonical JSON form (independent of layout and comments)."""

    def heading(self, lang: str = "en") -> str:
        """What a caption in ``lang`` calls the scenario: its title in that language
        (``title_zh``, ``title``), its id only where it has no title."""
        return pick(lang, self.title, self.title_zh) or self.name

    @property
    def years(self) -> tuple[int, ...]:
        """Every year of the horizon."""
        return tuple(range(self.start_year, self.start_year + self.n_years))

    def value_in(self, path: str, plain: float, year: int) -> float:
        """The fiscal parameter at key ``path`` in ``year``: its schedule's value there,
        or ``plain`` (its field) when it has none."""
        schedule = self.schedules.get(path)
        return plain if schedule is None else schedule.at(year)

    @property
    def end_year(self) -> int:
        """The last year of the horizon."""
        return self.start_year + self.n_years - 1

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties' ids, in the file's order (the order of every party axis)."""
        return tuple(p.id for p in self.parties)

    def firm_input(self, firm: Firm, name: str) -> float:
        """The clause input ``name`` of ``firm``: as the firm writes it, else as its
        party writes it for its firms, else the input's default."""
        if name in firm.inputs:
            return firm.inputs[name]
        party = next((p for p in self.parties if p.id == firm.party), None)
        if party is not None and name in party.inputs:
            return party.inputs[name]
        return next(i.default for i in firm_inputs() if i.name == name)

    def party_index(self, party_id: str) -> int:
        """The position of party ``party_id``."""
        return self.party_ids.index(party_id)

    def window(self, sharing: Sharing | None = None) -> tuple[int, int]:
        """First and last year (inclusive) in which ``sharing`` redistributes."""
        s = sharing or self.sharing
        first = s.from_year if s.from_year is not None else self.start_year
        n = s.years if s.years is not None else self.end_year - first + 1
        return first, first + n - 1

    def base_year(self, sharing: Sharing | None = None) -> int:
        """The year whose revenue is each party's stock under ``above_base``."""
        s = sharing or self.sharing
        return s.base_year if s.base_year is not None else self.window(s)[0]
