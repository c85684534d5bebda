"""Money at source, before any agreement: each firm's output and the taxes it pays
(collected, and split between the centre, the upper tiers and its party's level), land
income, the joint company's payout and paid-in capital, discount factors, and what
each source is worth in present value (:func:`present_values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from sim.arrays import group_by_party, product_by_year, sum_before
from sim.model.batch import CHUNK_SIZE, Array, Batch, IntArray, _columns, _rows, _same_rows
from sim.model.streams import SETTLEMENTS, active


def firm_output(batch: Batch) -> Array:
    """``(S, F, T)`` output of each firm in each year (zero before ``first_year``).

    ``output · (1 + growth)^k · min(1, (k + 1) / ramp_years)`` with ``k = year − first_year``.
    When every scenario shares the firms' first years and ramps (the usual batch), the
    ramp profile is computed once for the batch.
    """
    return _output(batch.firms, batch.structure.years)


def _output(f: Mapping[str, Array], years: IntArray) -> Array:
    """:func:`firm_output` of the firms whose inputs are ``f`` (each ``(S, F)``), laid
    out year first, scenarios innermost (as :func:`_grown` computes it): every stream
    derived from it is laid out so too, and numpy's operations on them run along the
    scenarios, not along 20 years at a time."""
    return _grown(f, years).transpose(2, 1, 0)


def _grown(f: Mapping[str, Array], years: IntArray, out: Array | None = None) -> Array:
    """``(T, F, S)`` :func:`_output` year first, its growth compounded by a multiplication
    a year (the linear route's too: :mod:`sim.model.linear`), not a power: numpy's
    ``power`` gives an element other bits by where it falls in an array on machines with
    AVX-512, and costs more. Scenarios innermost, so that each year's step runs along
    contiguous memory (``out``: where to write it, a ``(T, F, S)`` view)."""
    first, ramp = f["first_year"], f["ramp_years"]
    if _same_rows(first) and _same_rows(ramp):
        k = (years[:, None] - first[0][None, :])[:, :, None]  # (T, F, 1)
        ramps = ramp[0][None, :, None]
    else:
        k = years[:, None, None] - first.T[None, :, :]  # (T, F, S)
        ramps = ramp.T[None, :, :]
    profile = np.where(k >= 0, np.minimum(1.0, (k + 1.0) / ramps), 0.0)
    factor = np.ascontiguousarray((1.0 + f["growth"]).T)  # (F, S)
    if out is None:
        out = np.empty((len(years), *factor.shape))
    power = np.ones_like(factor)
    for i in range(int(max(k[0].max(initial=0.0), 0.0))):  # a firm older than the horizon
        power = np.where(k[0] > i, power * factor, power)
    out[0] = power
    grows = k >= 1  # (1 + g)^max(k, 0): one more factor each year from the second on
    every = grows.reshape(len(years), -1).all(axis=1).tolist()  # every firm and scenario
    for t in range(1, len(years)):
        if every[t]:
            np.multiply(out[t - 1], factor, out=out[t])
        else:
            np.copyto(out[t], out[t - 1])
            np.multiply(out[t - 1], factor, out=out[t], where=grows[t])
    out *= f["output"].T[None]
    ramping = (profile != 1.0).reshape(len(years), -1).any(axis=1)  # x · 1 = x: skipped
    for t in np.flatnonzero(ramping).tolist():
        out[t] *= profile[t]
    return out


def paid_in_capital(capex: Array) -> Array:
    """``(S, T)`` capex of the years before each year (what the joint company earns on)."""
    if _same_rows(capex):
        row = capex[:1]
        return np.broadcast_to(sum_before(row), capex.shape)
    return sum_before(capex)


def discount_factors(discount_rate: Array, n_years: int) -> Array:
    """``(S, T)`` 1 / (1 + r)^t for each scenario's rate (``t = 0`` undiscounted)."""
    by_year = np.empty((n_years, len(discount_rate)))
    by_year[0] = 1.0
    step = 1.0 + discount_rate
    for t in range(1, n_years):  # a division a year, as the linear route (to the bit)
        np.divide(by_year[t - 1], step, out=by_year[t])
    return by_year.T  # scenarios innermost, as the streams (see _output)


class PresentValues(NamedTuple):
    """What each source of money is worth in present value with no agreement (all parties)."""

    firms: Array
    """``(S, F)`` each firm's retained tax (what its party's level keeps), with the clause
    streams that arise with it (:data:`sim.model.streams.SETTLEMENTS`)."""
    land: Array
    """``(S, L)`` each land sale's net income."""
    company: Array
    """``(S,)`` the joint company's dividends less the capex paid in, to its shareholders."""


def present_values(batch: Batch) -> PresentValues:
    """Each firm's, land sale's and the joint company's present value under no agreement.

    With no agreement every party's NPV is the sum of these over its own firms, sales
    and shareholding, and each is linear in its scale (output, area, capex): a
    coalition's value is a weighted sum of them (:mod:`sim.agreement.coalitions`).
    Their total equals the parties' total NPV under :func:`evaluate` (tested).
    """
    df = discount_factors(batch.discount_rate, batch.structure.n_years)
    firms = np.empty(batch.firms["output"].shape)
    further = [SETTLEMENTS[name].by_firm for name in active(batch)]
    for i in range(0, batch.size, CHUNK_SIZE):  # chunks keep the (S, F, T) temporaries in cache
        j = min(i + CHUNK_SIZE, batch.size)
        retained = collect(batch.take(i, j)).retained
        at_source = retained
        for by_firm in further:  # the clause streams that arise with the firms
            at_source = at_source + by_firm(batch.take(i, j), retained)
        firms[i:j] = np.einsum("sft,st->sf", at_source, df[i:j])
    lf = batch.land
    net = lf["area_mu"] * lf["price"] * (1.0 - lf["cost_share"] - lf["rural_earmark"])
    land = net * df[:, batch.structure.land_year]
    paid_in = paid_in_capital(batch.capex)
    flow = batch.payout_ratio[:, None] * batch.return_rate[:, None] * paid_in - batch.capex
    company = (flow * df).sum(axis=1) * batch.equity.sum(axis=1)
    return PresentValues(np.asarray(firms), np.asarray(land), np.asarray(company))


_OUTPUT_FIELDS = ("output", "growth", "ramp_years", "first_year")
_Company = tuple[Array, Array, Array | None, Array | None]


@dataclass(frozen=True)
class _Fixed:
    """What is the same in every scenario of a batch, computed and checked once for all
    its chunks: a sweep varies a few inputs, and everything else is the file's.

    Each array is one row ``(1, …)`` that broadcasts over a chunk's scenarios. Its numbers
    are those every scenario would compute, bit for bit: the same operations on the
    same inputs.
    """

    varies: NDArray[np.bool_]
    """``(F,)`` firms whose output differs between scenarios."""
    output: Array
    """``(1, F, T)`` each firm's output in the first scenario."""
    land: Array | None
    """``(1, P, T)`` net land income at source, when no land input varies."""
    net_land: Array
    """``(1, T)`` or ``(S, T)`` net land income (what the land clause must conserve)."""
    company: _Company | None
    """:func:`_company`'s streams, when neither the company nor its clauses vary."""
    discount_factors: Array | None
    """``(1, T)`` when every scenario has the same discount rate."""
    rates: Array | None
    """``(1, 3, F)`` :func:`_rates` (``(1, 3, F, T)`` by year), when no tax rate or share
    varies."""

    def firm_output(self, batch: Batch) -> Array:
        """:func:`firm_output` of ``batch``, computing only the firms that vary."""
        if self.varies.all():
            return firm_output(batch)
        out = np.empty((batch.size, *self.output.shape[1:]), order="F")  # see _output
        out[:] = np.asfortranarray(self.output)
        if self.varies.any():
            firms = {k: _columns(batch.firms[k], self.varies) for k in _OUTPUT_FIELDS}
            grown = _grown(firms, batch.structure.years)  # (T, F′, S)
            for j, f in enumerate(np.flatnonzero(self.varies)):
                out[:, f] = grown[:, j].T
        return out

    def take(self, start: int, stop: int) -> _Fixed:
        """Scenarios ``start`` to ``stop − 1`` (only :attr:`net_land` may have a row each)."""
        return replace(self, net_land=_rows(self.net_land, slice(start, stop)))


@dataclass(frozen=True)
class _Collected:
    """Every firm's output and taxes in every year, and where the taxes go."""

    output: Array
    """``(S, F, T)``."""
    retained: Array
    """``(S, F, T)`` retained tax of each firm (what its party's level keeps)."""
    rates: Array
    """``(S, 3, F)`` per unit of output: the tax kept at the party's level, the local tax
    and all tax; ``(S, 3, F, T)`` when a fiscal parameter changes by year."""
    onehot: Array
    """``(P, F)`` which party each firm belongs to."""

    @property
    def _yearly(self) -> Array:
        """:attr:`rates` with a year axis ``(S, 3, F, T or 1)``."""
        return self.rates if self.rates.ndim == 4 else self.rates[..., None]

    @cached_property
    def upper_tier(self) -> Array:
        """``(S, P, T)`` local tax passed up to each party's province or city."""
        kept, local = self._yearly[:, 0], self._yearly[:, 1]
        parties = np.argmax(self.onehot, axis=0)
        return group_by_party(self.output * (local - kept), parties, len(self.onehot))

    @cached_property
    def central(self) -> Array:
        """``(S, T)`` the centre's share of all taxes."""
        local, total = self.rates[:, 1], self.rates[:, 2]
        if self.rates.ndim == 4:  # rates by year (a fiscal-policy schedule)
            centre = np.ascontiguousarray(total - local)
            return np.asarray(np.einsum("sft,sft->st", self._in_rows, centre))
        return np.asarray(np.einsum("sft,sf->st", self._in_rows, total - local))

    @cached_property
    def totals(self) -> Array:
        """``(S, 2, T)`` for the checks when no stream per party is kept: what all firms
        pay to the upper tiers and the centre together, and in all, each year (one
        product)."""
        kept, total = self.rates[:, 0], self.rates[:, 2]
        stacked = np.stack(np.broadcast_arrays(total - kept, total), axis=1)
        if self.rates.ndim == 4:  # rates by year (a fiscal-policy schedule)
            return np.asarray(np.einsum("skft,sft->skt", stacked, self.output))
        if len(stacked) == 1:  # the same rates in every scenario
            return product_by_year(stacked[0], self.output)
        return np.asarray(stacked @ self.output)

    @cached_property
    def total_tax(self) -> Array:
        """``(S, T)`` everything collected."""
        if self.rates.ndim == 4:
            rates = np.ascontiguousarray(self.rates[:, 2])
            return np.asarray(np.einsum("sft,sft->st", self._in_rows, rates))
        return np.asarray(np.einsum("sft,sf->st", self._in_rows, self.rates[:, 2]))

    @cached_property
    def _in_rows(self) -> Array:
        """:attr:`output` laid out scenario by scenario, for sums over firms that add in
        the same order whatever the batch (``einsum``'s order depends on the layout)."""
        return np.ascontiguousarray(self.output)

    @property
    def tax_by_firm(self) -> Array:
        """``(S, F, T)`` every tax each firm pays (central and local)."""
        return np.asarray(self.output * self._yearly[:, 2])


def collect(batch: Batch, fixed: _Fixed | None = None) -> _Collected:
    """Taxes of every firm, split between centre, upper tiers and the party's level
    (``fixed``: what is the same in every scenario, see :func:`_fixed`)."""
    st = batch.structure
    output = firm_output(batch) if fixed is None else fixed.firm_output(batch)
    rates = _rates(batch) if fixed is None or fixed.rates is None else fixed.rates
    retained = np.empty_like(output)  # laid out as output
    return _Collected(
        output=output,
        retained=np.multiply(output, _per_year(rates[:, 0], output), out=retained),
        rates=rates,
        onehot=st.onehot(st.firm_party),
    )


def _per_year(rate: Array, like: Array) -> Array:
    """A rate ``(S, F)`` each year, to multiply ``like`` ``(S, F, T)`` by: ``(1, F, T)``
    for a row when ``like`` has the years innermost, so that the product runs along
    whole rows of firms and years; else ``(S, F, 1)`` (along the scenarios). A rate
    given by year ``(S, F, T)`` (a fiscal-policy schedule) is used as it is."""
    if rate.ndim == 3:
        return rate
    if rate.shape[0] == 1 and like.strides[2] == like.itemsize:
        return np.repeat(rate[:, :, None], like.shape[2], axis=2)
    return rate[:, :, None]


def _rates(batch: Batch) -> Array:
    """``(S, 3, F)`` each firm's tax per unit of output: kept at its party's level, local,
    and in all; ``(S, 3, F, T)`` when a fiscal parameter changes by year
    (:attr:`Batch.yearly`)."""
    if batch.yearly:
        return _yearly_rates(batch)
    f = batch.firms
    vat = f["value_added_ratio"] * f["vat_rate"]
    cit = f["profit_margin"] * f["cit_rate"]
    pit = f["wage_ratio"] * f["pit_rate"]
    fully_local = vat * f["surcharge_rate"] + f["other_local_rate"]
    ls = batch.local_share
    local = vat * ls[:, 0:1] + cit * ls[:, 1:2] + pit * ls[:, 2:3] + fully_local  # (S, F)
    total = vat + cit + pit + fully_local
    retained = local * batch.retained_share[:, batch.structure.firm_party]
    return np.stack(np.broadcast_arrays(retained, local, total), axis=1)


def _yearly_rates(batch: Batch) -> Array:
    """:func:`_rates` of a batch whose fiscal parameters change by year: ``(S, 3, F, T)``,
    the same operations on each year's parameters."""
    f = {k: v[:, :, None] for k, v in batch.firms.items()}  # (S, F, 1)
    y = batch.yearly
    vat = f["value_added_ratio"] * f["vat_rate"]
    cit = f["profit_margin"] * f["cit_rate"]
    pit = f["wage_ratio"] * f["pit_rate"]
    surcharge = y["surcharge_rate"] if "surcharge_rate" in y else f["surcharge_rate"]
    fully_local = vat * surcharge + f["other_local_rate"]  # (S, F, T or 1)
    ls = y["local_share"] if "local_share" in y else batch.local_share[:, :, None]
    local = vat * ls[:, 0:1] + cit * ls[:, 1:2] + pit * ls[:, 2:3] + fully_local
    total = vat + cit + pit + fully_local
    kept = y["retained_share"] if "retained_share" in y else batch.retained_share[:, :, None]
    retained = local * kept[:, batch.structure.firm_party]
    return np.stack(np.broadcast_arrays(retained, local, total), axis=1)


def _land_at_source(batch: Batch) -> Array:
    """``(S, P, T)`` net land income of each party's own sales."""
    st = batch.structure
    s_n, p_n, t_n = batch.size, st.n_parties, st.n_years
    if not len(st.land_party):
        return np.zeros((s_n, p_n, t_n))
    lf = batch.land
    net = lf["area_mu"] * lf["price"] * (1.0 - lf["cost_share"] - lf["rural_earmark"])
    placed = np.zeros((s_n, len(st.land_party), t_n))
    placed[:, np.arange(len(st.land_party)), st.land_year] = net
    return np.asarray(st.onehot(st.land_party) @ placed)


def _payout(batch: Batch) -> Array:
    """``(S, T)`` the joint company's dividends: payout ratio × return × paid-in capital."""
    paid_in = paid_in_capital(batch.capex)
    return np.asarray(batch.payout_ratio[:, None] * batch.return_rate[:, None] * paid_in)


def _net_land(batch: Batch) -> Array:
    """``(S, T)`` net land income of all sales, each year."""
    st = batch.structure
    lf = batch.land
    net_land = np.zeros((batch.size, st.n_years))
    if len(st.land_party):
        net = lf["area_mu"] * lf["price"] * (1.0 - lf["cost_share"] - lf["rural_earmark"])
        np.add.at(net_land.T, st.land_year, net.T)
    return net_land
