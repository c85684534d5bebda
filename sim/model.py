"""The fiscal model: scenario arrays → streams per party and year, for a batch at once.

Everything here is pure numpy arithmetic over a leading *scenario* axis, so one call
evaluates one scenario or a million variants of it. Shapes use ``S`` scenarios,
``F`` firms, ``L`` land sales, ``P`` parties and ``T`` years.

The arithmetic is SPEC.md sections 2 and 3; :mod:`sim._reference` restates it as a
plain per-scenario loop, used to test this module and as the benchmark baseline.

Data flows one way: a :class:`Batch` (the economy) and :class:`Terms` (an agreement)
go into :func:`evaluate`, which returns a :class:`Result` after checking that every
stream in every year is conserved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.errors import ConservationError
from sim.rules import FACTORS, Pool, divide, get_rule
from sim.rules.registry import sum_axis1
from sim.scenario import FIRM_RATES, Scenario, Sharing

__all__ = [
    "FIRM_FIELDS",
    "STREAMS",
    "Batch",
    "Result",
    "Structure",
    "Terms",
    "batch_from_scenario",
    "evaluate",
    "evaluate_npv",
    "run",
    "terms_from_sharing",
]

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

FIRM_FIELDS: tuple[str, ...] = ("output", "growth", "ramp_years", "first_year", *FIRM_RATES)
"""Per-firm numeric inputs, each an ``(S, F)`` array in :attr:`Batch.firms`."""
LAND_FIELDS: tuple[str, ...] = ("area_mu", "price", "cost_share", "rural_earmark")
STREAMS: tuple[str, ...] = ("tax", "land", "dividends", "investment")
"""The four streams of a party's net benefit, in reporting order."""

#: Relative tolerance of the conservation checks.
RTOL = 1e-9
#: Scenarios evaluated at once by :func:`evaluate` (keeps temporaries in cache).
CHUNK_SIZE = 2048


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
        return len(self.parties)

    @property
    def n_years(self) -> int:
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

    @property
    def size(self) -> int:
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


@dataclass(frozen=True)
class Terms:
    """An agreement applied to a batch: the rule, its window and its parameters.

    Structural choices (rule, scope, window, land mode) are shared by the batch;
    numbers (compliance, floors, rule parameters) are ``(S, …)`` arrays so that a
    sweep can vary them.
    """

    rule: str
    label: str
    scope: str
    window: NDArray[np.bool_]
    """``(T,)`` years in which the agreement redistributes."""
    base_index: int
    """Index of the base year (``scope = "above_base"``)."""
    land_shared: bool
    compliance: Array
    """``(S,)`` share of each agreed transfer that is settled [fraction]."""
    floors: Array
    """``(S, P)`` minimum tax revenue per year [unit/yr]; 0 where none."""
    params: Mapping[str, Array] = field(default_factory=dict)
    """Rule parameters: party shares ``(S, P)``, factor weights ``(S, K)``, fractions ``(S,)``."""

    @property
    def size(self) -> int:
        return int(self.compliance.shape[0])

    def take(self, start: int, stop: int) -> Terms:
        """Scenarios ``start`` to ``stop − 1``; terms of size 1 apply to every scenario."""
        if self.size == 1:
            return self
        return replace(
            self,
            compliance=self.compliance[start:stop],
            floors=self.floors[start:stop],
            params={k: v[start:stop] for k, v in self.params.items()},
        )

    def repeat(self, n: int) -> Terms:
        return replace(
            self,
            compliance=np.repeat(self.compliance, n, axis=0),
            floors=np.repeat(self.floors, n, axis=0),
            params={k: np.repeat(v, n, axis=0) for k, v in self.params.items()},
        )


@dataclass(frozen=True)
class Result:
    """Streams per party and year for a batch of scenarios under one agreement.

    Every stream array is ``(S, P, T)`` in the scenario's unit; ``investment`` is
    negative (what parties pay in).
    """

    parties: tuple[str, ...]
    years: IntArray
    rule: str
    label: str
    tax: Array
    land: Array
    dividends: Array
    investment: Array
    source_tax: Array
    """Retained tax each party would keep with no agreement (the source position)."""
    upper_tier: Array
    """Local tax passed up to each party's province or city."""
    central: Array
    """``(S, T)`` central share of all taxes."""
    shares: Array | None
    """``(S, P, T)`` shares of the pool where the rule has them (NaN outside the window)."""
    discount_rate: Array
    source_land: Array | None = None
    """``(S, P, T)`` net land income at source (``None``: the same as :attr:`land`)."""

    @property
    def net(self) -> Array:
        """``(S, P, T)`` net benefit: tax + land + dividends + investment."""
        return np.asarray(self.tax + self.land + self.dividends + self.investment)

    @property
    def transfers(self) -> Array:
        """``(S, P, T)`` tax received (+) or paid (−) under the agreement vs source."""
        return np.asarray(self.tax - self.source_tax)

    @property
    def source_npv(self) -> Array:
        """``(S, P)`` NPV under the source position (no agreement): NPV less the
        discounted transfers of tax and of land income."""
        moved = self.tax - self.source_tax
        if self.source_land is not None:
            moved = moved + (self.land - self.source_land)
        return np.asarray(self.npv - np.einsum("spt,st->sp", moved, self.discount_factors))

    @property
    def discount_factors(self) -> Array:
        """``(S, T)`` 1 / (1 + r)^t."""
        t = np.arange(len(self.years))
        return np.asarray((1.0 + self.discount_rate[:, None]) ** -t[None, :])

    @property
    def npv(self) -> Array:
        """``(S, P)`` net present value of each party's net benefit (t = 0 undiscounted)."""
        return np.asarray(np.einsum("spt,st->sp", self.net, self.discount_factors))

    @classmethod
    def concat(cls, parts: list[Result]) -> Result:
        """One result from results of consecutive chunks of a batch."""
        first = parts[0]

        def cat(name: str) -> Array:
            return np.concatenate([getattr(p, name) for p in parts], axis=0)

        return replace(
            first,
            tax=cat("tax"),
            land=cat("land"),
            source_land=None if first.source_land is None else cat("source_land"),
            dividends=cat("dividends"),
            investment=cat("investment"),
            source_tax=cat("source_tax"),
            upper_tier=cat("upper_tier"),
            central=cat("central"),
            discount_rate=cat("discount_rate"),
            shares=None if first.shares is None else cat("shares"),
        )

    def stream(self, name: str) -> Array:
        """One of :data:`STREAMS`, ``net``, ``source_tax`` or ``upper_tier`` by name."""
        value = getattr(self, name)
        return np.asarray(value)


# --------------------------------------------------------------------------- building


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
            k: np.array([[float(getattr(f, k)) for f in firms]]).reshape(1, len(firms))
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
    )


def terms_from_sharing(scenario: Scenario, sharing: Sharing | None = None) -> Terms:
    """The size-1 terms of ``sharing`` (default: the scenario's own ``[sharing]``)."""
    s = sharing or scenario.sharing
    pids = scenario.party_ids
    years = np.arange(scenario.start_year, scenario.end_year + 1)
    first, last = scenario.window(s)
    spec = get_rule(s.rule)
    params: dict[str, Array] = {}
    for prm in spec.params:
        value: Any = s.params[prm.name]
        if prm.kind in ("party_shares", "party_weights"):
            params[prm.name] = np.array([[value[p] for p in pids]])
        elif prm.kind == "factor_weights":
            params[prm.name] = np.array([[value[k] for k in FACTORS]])
        else:
            params[prm.name] = np.array([float(value)])
    return Terms(
        rule=s.rule,
        label=s.label or s.rule,
        scope=s.scope,
        window=(years >= first) & (years <= last),
        base_index=scenario.base_year(s) - scenario.start_year,
        land_shared=s.land == "shared",
        compliance=np.array([s.compliance]),
        floors=np.array([[s.floors.get(p, 0.0) for p in pids]]),
        params=params,
    )


# --------------------------------------------------------------------------- arithmetic


def firm_output(batch: Batch) -> Array:
    """``(S, F, T)`` output of each firm in each year (zero before ``first_year``).

    ``output · (1 + growth)^k · min(1, (k + 1) / ramp_years)`` with ``k = year − first_year``.
    When every scenario shares the firms' first years and ramps (the usual batch), the
    ramp profile is computed once for the batch.
    """
    f = batch.firms
    years = batch.structure.years
    first, ramp = f["first_year"], f["ramp_years"]
    if _same_rows(first) and _same_rows(ramp):
        k = years[None, :] - first[0][:, None]  # (F, T)
        profile = np.where(k >= 0, np.minimum(1.0, (k + 1.0) / ramp[0][:, None]), 0.0)
        exponent = np.maximum(k, 0.0)[None, :, :]
    else:
        k = years[None, None, :] - first[:, :, None]  # (S, F, T)
        profile = np.where(k >= 0, np.minimum(1.0, (k + 1.0) / ramp[:, :, None]), 0.0)
        exponent = np.maximum(k, 0.0)
    out = np.power(1.0 + f["growth"][:, :, None], exponent)
    out *= f["output"][:, :, None]
    out *= profile
    return np.asarray(out)


def paid_in_capital(capex: Array) -> Array:
    """``(S, T)`` capex of the years before each year (what the joint company earns on)."""
    if _same_rows(capex):
        row = capex[:1]
        return np.broadcast_to(row.cumsum(axis=1) - row, capex.shape)
    return np.asarray(capex.cumsum(axis=1) - capex)


def _same_rows(a: Array) -> bool:
    """Whether every scenario (row) of ``a`` is the same."""
    return bool(a.shape[0] <= 1 or (a == a[:1]).all())


@dataclass(frozen=True)
class _Collected:
    output: Array  # (S, F, T)
    retained: Array  # (S, F, T) retained tax of each firm
    upper_tier: Array  # (S, P, T)
    central: Array  # (S, T)
    total_tax: Array  # (S, T) everything collected


def collect(batch: Batch) -> _Collected:
    """Taxes of every firm, split between centre, upper tiers and the party's level."""
    f = batch.firms
    st = batch.structure
    output = firm_output(batch)
    vat = f["value_added_ratio"] * f["vat_rate"]
    cit = f["profit_margin"] * f["cit_rate"]
    pit = f["wage_ratio"] * f["pit_rate"]
    fully_local = vat * f["surcharge_rate"] + f["other_local_rate"]
    ls = batch.local_share
    local = vat * ls[:, 0:1] + cit * ls[:, 1:2] + pit * ls[:, 2:3] + fully_local  # (S, F)
    total = vat + cit + pit + fully_local
    retained = local * batch.retained_share[:, st.firm_party]
    onehot = st.onehot(st.firm_party)
    return _Collected(
        output=output,
        retained=output * retained[:, :, None],
        upper_tier=np.asarray(onehot @ (output * (local - retained)[:, :, None])),
        central=np.einsum("sft,sf->st", output, total - local),
        total_tax=np.einsum("sft,sf->st", output, total),
    )


def _pool(batch: Batch, terms: Terms, collected: _Collected, source_tax: Array) -> Pool:
    st = batch.structure
    retained = collected.retained
    in_scope = None
    if terms.scope == "all":
        pooled = retained
    elif terms.scope == "new_firms":
        in_scope = ~st.firm_existing
        pooled = retained * in_scope[None, :, None]
    elif terms.scope == "above_base":
        stock = source_tax[:, :, terms.base_index : terms.base_index + 1]
        excess = np.maximum(source_tax - stock, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(source_tax > 0, excess / source_tax, 0.0)  # (S, P, T)
        pooled = retained * fraction[:, st.firm_party, :]
    else:  # the schema only lets the three scopes through
        raise ValueError(f"unknown scope {terms.scope!r}")
    return Pool(
        by_firm=pooled,
        firm_party=st.firm_party,
        firm_introducer=st.firm_introducer,
        n_parties=st.n_parties,
        equity=batch.equity,
        firm_output=collected.output,
        in_scope=in_scope,
        wage_ratio=batch.firms["wage_ratio"],
        land_sales=(batch.land["area_mu"], st.land_party, st.land_year),
    )


def apply_floors(tax: Array, floors: Array) -> Array:
    """Top up parties below their floor from the others, as far as that reaches.

    A party below its floor receives from the others in proportion to what they hold
    above their own floors. When the surplus above floors cannot cover every deficit,
    it is all moved and divided between deficits in proportion to their size.

    Examples
    --------
    >>> import numpy as np
    >>> apply_floors(np.array([[[9.0], [1.0]]]), np.array([[0.0, 3.0]]))[0, :, 0].tolist()
    [7.0, 3.0]
    """
    f = floors[:, :, None]
    deficit = np.maximum(f - tax, 0.0)
    surplus = np.maximum(tax - f, 0.0)
    need = deficit.sum(axis=1, keepdims=True)
    have = surplus.sum(axis=1, keepdims=True)
    moved = np.minimum(need, have)
    with np.errstate(invalid="ignore", divide="ignore"):
        got = np.where(need > 0, deficit * (moved / need), 0.0)
        paid = np.where(have > 0, surplus * (moved / have), 0.0)
    return np.asarray(tax + got - paid)


def evaluate(batch: Batch, terms: Terms, *, chunk_size: int = CHUNK_SIZE) -> Result:
    """Evaluate every scenario in ``batch`` under ``terms``.

    ``terms`` has the batch's size, or size 1 to apply one agreement to every
    scenario. The batch is evaluated ``chunk_size`` scenarios at a time, so that the
    temporaries stay in the processor's cache; the numbers do not depend on it.

    Raises
    ------
    ConservationError
        If any stream in any scenario and year does not sum to what was collected.
    """
    n = batch.size
    if terms.size not in (1, n):
        raise ValueError(f"terms for {terms.size} scenarios cannot apply to a batch of {n}")
    if n <= chunk_size:
        return _evaluate_chunk(batch, terms, 0)
    parts = []
    for i in range(0, n, chunk_size):
        j = min(i + chunk_size, n)
        parts.append(_evaluate_chunk(batch.take(i, j), terms.take(i, j), i))
    return Result.concat(parts)


def evaluate_npv(
    batch: Batch, terms: Terms, *, chunk_size: int = CHUNK_SIZE
) -> tuple[Array, Array]:
    """``(S, P)`` NPV under ``terms`` and under the source position, without keeping streams.

    The same arithmetic and checks as :func:`evaluate`, chunk by chunk, for sweeps
    that need only present values (it saves concatenating every yearly stream).
    """
    n = batch.size
    if terms.size not in (1, n):
        raise ValueError(f"terms for {terms.size} scenarios cannot apply to a batch of {n}")
    npv = np.empty((n, batch.structure.n_parties))
    source = np.empty_like(npv)
    for i in range(0, n, chunk_size):
        j = min(i + chunk_size, n)
        r = _evaluate_chunk(batch.take(i, j), terms.take(i, j), i)
        df = r.discount_factors
        npv[i:j] = np.einsum("spt,st->sp", r.net, df)
        moved = r.tax - r.source_tax
        if r.source_land is not None:
            moved += r.land - r.source_land
        source[i:j] = npv[i:j] - np.einsum("spt,st->sp", moved, df)
    return npv, source


def _evaluate_chunk(batch: Batch, terms: Terms, offset: int) -> Result:
    st = batch.structure
    s_n, p_n, t_n = batch.size, st.n_parties, st.n_years
    collected = collect(batch)
    source_tax = np.asarray(st.onehot(st.firm_party) @ collected.retained)
    window = terms.window[None, None, :]

    # --- tax: pool, divide, settle, floors
    pool = _pool(batch, terms, collected, source_tax)
    division = divide(pool, terms.rule, terms.params)
    agreed = source_tax - pool.by_party() + division.allocation
    c = terms.compliance[:, None, None]
    tax = np.where(window, source_tax + c * (agreed - source_tax), source_tax)
    if np.any(terms.floors > 0):
        tax = np.where(window, apply_floors(tax, terms.floors), tax)

    # --- land: net income in its year, at source or by the pool's shares
    land = np.zeros((s_n, p_n, t_n))
    if len(st.land_party):
        lf = batch.land
        net = lf["area_mu"] * lf["price"] * (1.0 - lf["cost_share"] - lf["rural_earmark"])
        placed = np.zeros((s_n, len(st.land_party), t_n))
        placed[:, np.arange(len(st.land_party)), st.land_year] = net
        land = np.asarray(st.onehot(st.land_party) @ placed)
    shares = division.shares
    source_land = None
    if terms.land_shared and shares is not None:
        source_land = land
        defined = window & ~np.isnan(shares).any(axis=1, keepdims=True)
        agreed_land = np.nan_to_num(shares) * land.sum(axis=1, keepdims=True)
        land = np.where(defined, land + c * (agreed_land - land), land)
    if shares is not None:
        shares = np.where(window, np.broadcast_to(shares, (s_n, p_n, t_n)), np.nan)

    # --- joint company: investment and dividends by equity
    paid_in = paid_in_capital(batch.capex)
    dividends_total = batch.payout_ratio[:, None] * batch.return_rate[:, None] * paid_in
    dividends = batch.equity[:, :, None] * dividends_total[:, None, :]
    investment = -batch.equity[:, :, None] * batch.capex[:, None, :]

    result = Result(
        parties=st.parties,
        years=st.years,
        rule=terms.rule,
        label=terms.label,
        tax=tax,
        land=land,
        dividends=dividends,
        investment=investment,
        source_tax=source_tax,
        upper_tier=collected.upper_tier,
        central=collected.central,
        shares=shares,
        discount_rate=batch.discount_rate,
        source_land=source_land,
    )
    check_conservation(result, batch, collected, offset=offset)
    return result


def _check(name: str, got: Array, want: Array, offset: int = 0) -> None:
    """Raise unless ``got`` equals ``want`` ``(S, T)`` to :data:`RTOL` (1 at the least)."""
    diff = np.abs(got - want)
    tol = np.abs(want)
    np.maximum(tol, 1.0, out=tol)
    tol *= RTOL
    if (diff > tol).any():
        s, t = (int(i) for i in np.argwhere(diff > tol)[0])
        raise ConservationError(
            f"{name} is not conserved: allocated {got[s, t]!r}, collected {want[s, t]!r} "
            f"in scenario {s + offset}, year index {t}"
        )


def check_conservation(
    result: Result, batch: Batch, collected: _Collected | None = None, *, offset: int = 0
) -> None:
    """Check that every stream in every year sums over parties to what was collected.

    Tax: what parties keep + upper tiers + centre = everything the firms paid, and
    the parties' tax = their source-position tax in total (transfers sum to zero).
    Land: the parties' land income = net land income. Dividends and investment: the
    parties' sums = the joint company's payout and capex.
    """
    col = collected or collect(batch)
    tax_sum = sum_axis1(result.tax)
    _check("tax (transfers between parties)", tax_sum, sum_axis1(result.source_tax), offset)
    _check(
        "tax (parties + upper tiers + centre)",
        tax_sum + sum_axis1(result.upper_tier) + result.central,
        col.total_tax,
        offset,
    )
    st = batch.structure
    lf = batch.land
    net_land = np.zeros((batch.size, st.n_years))
    if len(st.land_party):
        net = lf["area_mu"] * lf["price"] * (1.0 - lf["cost_share"] - lf["rural_earmark"])
        np.add.at(net_land.T, st.land_year, net.T)
    _check("land income", sum_axis1(result.land), net_land, offset)
    paid_in = paid_in_capital(batch.capex)
    _check(
        "dividends",
        sum_axis1(result.dividends),
        batch.payout_ratio[:, None] * batch.return_rate[:, None] * paid_in,
        offset,
    )
    _check("investment", -sum_axis1(result.investment), batch.capex, offset)


def run(scenario: Scenario, sharing: Sharing | None = None) -> Result:
    """Evaluate one scenario under ``sharing`` (default: its own ``[sharing]``).

    A fair-division rule (``shapley``, ``nucleolus`` …) is first turned into the
    constant pool shares that deliver its targets (:func:`sim.fair.resolve`).
    """
    s = sharing or scenario.sharing
    if get_rule(s.rule).kind == "target":
        from sim.fair import resolve

        resolved = resolve(scenario, s)
        return replace(
            evaluate(batch_from_scenario(scenario), terms_from_sharing(scenario, resolved.sharing)),
            rule=s.rule,
        )
    return evaluate(batch_from_scenario(scenario), terms_from_sharing(scenario, s))
