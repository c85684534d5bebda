"""What every scenario of a large batch shares, computed and checked once on its first
scenario (:class:`~sim.model.sources._Fixed`): a sweep varies a few inputs, and
everything else is the file's.
"""

from __future__ import annotations

import numpy as np

from sim.arrays import sum_axis1
from sim.model.batch import Batch, _same_rows
from sim.model.checks import _check, _check_company
from sim.model.clauses import _company
from sim.model.sources import (
    _OUTPUT_FIELDS,
    _Fixed,
    _land_at_source,
    _net_land,
    _rates,
    discount_factors,
    firm_output,
)
from sim.model.terms import Terms
from sim.scenario import FIRM_RATES

#: Batches from this size on have what their scenarios share computed once
#: (:func:`evaluate_npv`); finding it costs about 0.1 ms, more than it saves below.
SHARED_FROM = 128


def _fixed(batch: Batch, terms: Terms) -> _Fixed:
    """What is the same in every scenario of ``batch`` under ``terms``, computed once on
    its first scenario; the streams it holds are checked for conservation here."""
    varies = np.zeros(len(batch.structure.firm_ids), dtype=bool)
    for name in _OUTPUT_FIELDS:
        a = batch.firms[name]
        if a.shape[0] > 1 and a.strides[0] != 0:
            varies |= (a != a[:1]).any(axis=0)
    row, row_terms = batch.take(0, 1), terms.take(0, 1)
    same_land = all(_same_rows(a) for a in batch.land.values())
    land = _land_at_source(row) if same_land else None
    net_land = _net_land(row if same_land else batch)
    if land is not None:
        _check("land income", sum_axis1(land), net_land)
    company = None
    shares = [
        c.shares
        for c in (terms.clause("dividends"), terms.clause("investment"))
        if c.shares is not None
    ]
    inputs = (batch.capex, batch.equity, batch.return_rate, batch.payout_ratio, *shares)
    if terms.clause("dividends").basis != "tax" and all(_same_rows(a) for a in inputs):
        company = _company(row, row_terms, None)
        _check_company(company[0], company[1], row)
    df = None
    if _same_rows(batch.discount_rate):
        df = discount_factors(row.discount_rate, batch.structure.n_years)
    taxes = [batch.firms[k] for k in FIRM_RATES]
    yearly = tuple(batch.yearly.values())
    same = all(_same_rows(a) for a in (*taxes, batch.local_share, batch.retained_share, *yearly))
    rates = _rates(row) if same else None
    return _Fixed(varies, firm_output(row), land, net_land, company, df, rates)
