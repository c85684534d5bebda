"""The inputs of a batch as arrays: :class:`Batch` (every numeric input, ``(S, …)``),
:class:`Structure` (what its scenarios share: parties, years, which firm is where) and
:func:`batch_from_scenario`, the size-1 batch of a validated scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from sim.rules.clauses import firm_inputs
from sim.scenario import FIRM_RATES, Firm, Scenario

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]
FIRM_FIELDS: tuple[str, ...] = (
    "output", "growth", "ramp_years", "first_year", *FIRM_RATES,
    *(i.name for i in firm_inputs()),
)  # fmt: skip
"""Per-firm numeric inputs, each an ``(S, F)`` array in :attr:`Batch.firms`: the firm's
economy and taxes, and the numbers it writes for the clauses."""
LAND_FIELDS: tuple[str, ...] = ("area_mu", "price", "cost_share", "rural_earmark")
YEARLY = ("local_share", "retained_share", "surcharge_rate")
"""The inputs of a batch that may change by year (:attr:`Batch.yearly`)."""
#: Scenarios evaluated at once by :func:`evaluate` (bounds the temporaries; 4,096 measured
#: fastest for the stream route before it reused its arrays: docs/performance.md).
CHUNK_SIZE = 4096
#: Scenarios :func:`evaluate_npv` takes at once by the stream route, which keeps no
#: stream and reuses its arrays from chunk to chunk (8,192 measured fastest: see
#: docs/performance.md, "The every-stream route").
STREAMS_CHUNK = 8192


@dataclass(frozen=True)
class Structure:
    """What every scenario in a batch shares: who the parties are, which firm is where."""

    parties: tuple[str, ...]
    years: IntArray
    firm_ids: tuple[str, ...]
    firm_party: IntArray
    firm_introducer: IntArray
    firm_existing: NDArray[np.bool_]
    land_party: IntArray
    land_year: IntArray
    """``(L,)`` index into :attr:`years` of each land sale."""

    @property
    def n_parties(self) -> int:
        """The number of parties."""
        return len(self.parties)

    @property
    def n_years(self) -> int:
        """The number of years of the horizon."""
        return len(self.years)

    def onehot(self, index: IntArray) -> Array:
        """``(P, n)`` matrix that sums an axis indexed by ``index`` into parties."""
        m = np.zeros((self.n_parties, len(index)))
        m[index, np.arange(len(index))] = 1.0
        return m


@dataclass(frozen=True)
class Batch:
    """The economy of ``S`` scenario variants: every numeric input as an array.

    Amounts are in the scenario's unit, rates and shares are fractions. Change a field
    with :func:`dataclasses.replace` or :meth:`with_firm`; the arrays are not copied.
    """

    structure: Structure
    discount_rate: Array
    """``(S,)`` [fraction/yr]."""
    retained_share: Array
    """``(S, P)`` share of local tax kept at each party's level [fraction]."""
    local_share: Array
    """``(S, 3)`` local share of VAT, CIT and PIT [fraction]."""
    firms: Mapping[str, Array]
    """Each of :data:`FIRM_FIELDS` → ``(S, F)``."""
    land: Mapping[str, Array]
    """Each of ``area_mu``, ``price``, ``cost_share``, ``rural_earmark`` → ``(S, L)``."""
    capex: Array
    """``(S, T)`` joint capital spending [unit/yr]."""
    equity: Array
    """``(S, P)`` shareholding in the joint company [fraction]; zeros if none."""
    return_rate: Array
    """``(S,)`` joint company profit on capex of earlier years [fraction/yr]."""
    payout_ratio: Array
    """``(S,)`` share of profit paid as dividends [fraction]."""
    yearly: Mapping[str, Array] = field(default_factory=dict)
    """The fiscal parameters that change by year (a schedule in the file, see
    :data:`YEARLY`), each with a year axis: ``local_share`` ``(S, 3, T)``,
    ``retained_share`` ``(S, P, T)``, ``surcharge_rate`` ``(S, F, T)``. Where one is
    given it is what the model uses; the field of the same name holds its first year."""

    @property
    def size(self) -> int:
        """The number of scenarios."""
        return int(self.discount_rate.shape[0])

    def map(self, fn: Callable[[Array], Array]) -> Batch:
        """A batch with ``fn`` applied to every per-scenario array."""
        return replace(
            self,
            discount_rate=fn(self.discount_rate),
            retained_share=fn(self.retained_share),
            local_share=fn(self.local_share),
            firms={k: fn(v) for k, v in self.firms.items()},
            land={k: fn(v) for k, v in self.land.items()},
            capex=fn(self.capex),
            equity=fn(self.equity),
            return_rate=fn(self.return_rate),
            payout_ratio=fn(self.payout_ratio),
            yearly={k: fn(v) for k, v in self.yearly.items()},
        )

    def repeat(self, n: int) -> Batch:
        """``n`` identical copies of a batch of size 1 (or each scenario ``n`` times)."""
        return self.map(lambda a: np.repeat(a, n, axis=0))

    def take(self, start: int, stop: int) -> Batch:
        """Scenarios ``start`` to ``stop − 1`` (views, not copies)."""
        return self.map(lambda a: a[start:stop])

    def with_firm(self, name: str, values: Array) -> Batch:
        """A batch whose firm input ``name`` is replaced by ``values`` ``(S, F)``."""
        firms = dict(self.firms)
        firms[name] = np.broadcast_to(values, firms[name].shape)
        return replace(self, firms=firms)


def _rows(a: Array, rows: slice | NDArray[np.intp]) -> Array:
    """Rows of a per-scenario array; an array of one row applies to every scenario."""
    return a if a.shape[0] == 1 else np.asarray(a[rows])


def batch_from_scenario(scenario: Scenario) -> Batch:
    """The size-1 batch of a validated scenario."""
    pids = scenario.party_ids
    years = np.arange(scenario.start_year, scenario.end_year + 1)
    firms = scenario.firms
    structure = Structure(
        parties=pids,
        years=years,
        firm_ids=tuple(f.id for f in firms),
        firm_party=np.array([pids.index(f.party) for f in firms], dtype=np.intp),
        firm_introducer=np.array([pids.index(f.introduced_by) for f in firms], dtype=np.intp),
        firm_existing=np.array([f.existing for f in firms], dtype=bool),
        land_party=np.array([pids.index(s.party) for s in scenario.land_sales], dtype=np.intp),
        land_year=np.array(
            [s.year - scenario.start_year for s in scenario.land_sales], dtype=np.intp
        ),
    )
    inv = scenario.investment
    capex = np.zeros((1, len(years)))
    for year, amount in inv.capex.items():
        capex[0, year - scenario.start_year] = amount
    equity = np.array([[inv.equity[p] if inv.equity else 0.0 for p in pids]])
    tx = scenario.taxes
    return Batch(
        structure=structure,
        discount_rate=np.array([scenario.discount_rate]),
        retained_share=np.array([[p.retained_share for p in scenario.parties]]),
        local_share=np.array([[tx.vat_local_share, tx.cit_local_share, tx.pit_local_share]]),
        firms={
            k: np.array([[_firm_value(scenario, f, k) for f in firms]]).reshape(1, len(firms))
            for k in FIRM_FIELDS
        },
        land={
            k: np.array([[getattr(s, k) for s in scenario.land_sales]], dtype=float).reshape(1, -1)
            for k in LAND_FIELDS
        },
        capex=capex,
        equity=equity,
        return_rate=np.array([inv.return_rate]),
        payout_ratio=np.array([inv.payout_ratio]),
        yearly=_yearly(scenario),
    )


def _yearly(scenario: Scenario) -> dict[str, Array]:
    """:attr:`Batch.yearly` of a scenario: each input that has a schedule in the file,
    every year's value (``{}`` when none has)."""
    if not scenario.schedules:
        return {}
    tx = scenario.taxes
    rows = {
        "local_share": [
            (f"taxes.{k}", getattr(tx, k))
            for k in ("vat_local_share", "cit_local_share", "pit_local_share")
        ],
        "retained_share": [
            (f"parties.{p.id}.retained_share", p.retained_share) for p in scenario.parties
        ],
        "surcharge_rate": [
            (f"firms.{f.id}.surcharge_rate", f.surcharge_rate) for f in scenario.firms
        ],
    }
    years = scenario.years
    out = {}
    for name, paths in rows.items():
        if any(path in scenario.schedules for path, _ in paths):
            values = [[scenario.value_in(path, plain, y) for y in years] for path, plain in paths]
            out[name] = np.array([values], dtype=float).reshape(1, len(paths), len(years))
    return out


def _firm_value(scenario: Scenario, firm: Firm, name: str) -> float:
    """A firm's numeric input ``name``: a field of :class:`Firm` or a clause input (its
    own, else its party's default)."""
    if hasattr(firm, name):
        return float(getattr(firm, name))
    return scenario.firm_input(firm, name)


def _same_rows(a: Array) -> bool:
    """Whether every scenario (row) of ``a`` is the same (at once for a broadcast row)."""
    return bool(a.shape[0] <= 1 or a.strides[0] == 0 or (a == a[:1]).all())


def _columns(a: Array, which: NDArray[np.bool_]) -> Array:
    """The columns ``which`` of ``a`` ``(S, F)``; of a broadcast row, still a broadcast row."""
    if a.strides[0] == 0:
        return np.broadcast_to(a[:1, which], (a.shape[0], int(which.sum())))
    return np.asarray(a[:, which])
