"""Keyed sharing rules: the ratios real agreements are written in.

Each function divides the pool of one batch of scenarios. They are pure: arrays
in, a :class:`~sim.rules.registry.Division` out, no I/O, no globals.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from sim.arrays import distinct, group_by_party
from sim.rules.registry import (
    FACTORS,
    Array,
    Division,
    Param,
    Pool,
    register,
)

__all__ = ["equity", "fixed", "formula", "formula_factors", "introducer", "source"]


def _shares_to_allocation(pool: Pool, shares: Array) -> Array:
    """Allocation from ``(S, P, T)`` shares; a year with NaN shares stays at source."""
    total = pool.total[:, None, :]
    each = distinct(shares)
    undefined = np.isnan(each).any(axis=1, keepdims=True)
    if not undefined.any() and each.shape[2] == 1:  # the same shares every year
        constant = np.broadcast_to(each[:, :, 0], (total.shape[0], shares.shape[1]))
        total = pool.total
        out = np.empty((*constant.shape, total.shape[1]), order="F" if _by_year(total) else "C")
        return np.multiply(constant[:, :, None], total[:, None, :], out=out)  # laid out as total
    if not undefined.any():
        return np.asarray(shares * total)
    allocation = np.where(undefined, pool.by_party(), np.nan_to_num(shares) * total)
    return np.asarray(allocation)


def _by_year(a: Array) -> bool:
    """Whether ``(S, T)`` ``a`` is laid out year first, scenarios innermost."""
    return a.shape[0] > 1 and a.strides[0] == a.itemsize and a.strides[1] > a.strides[0]


def _constant_shares(pool: Pool, shares: Array) -> Array:
    """``(S, P)`` shares as a read-only ``(S, P, T)`` view, constant over the years."""
    t = pool.by_firm.shape[2]
    return np.broadcast_to(shares[:, :, None], (*shares.shape, t))


@register(
    "source",
    summary="No redistribution: each firm's retained tax stays with the party where it is "
    "registered (the origin principle of the 1994 tax-sharing system).",
    reference="国务院《关于实行分税制财政管理体制的决定》国发〔1993〕85号",
)
def source(pool: Pool, params: Mapping[str, Array]) -> Division:
    r"""Leave the pool where it was collected.

    Notes
    -----
    Each party's allocation is the pooled tax of the firms registered with it:
    :math:`a_p(t) = \sum_{f: party(f) = p} P_f(t)`.

    References
    ----------
    国务院《关于实行分税制财政管理体制的决定》国发〔1993〕85号 (tax collected where the firm is
    registered).

    Examples
    --------
    >>> import numpy as np
    >>> from sim.rules.registry import Pool
    >>> pool = Pool(by_firm=np.array([[[3.0], [1.0]]]), firm_party=np.array([0, 1]),
    ...             firm_introducer=np.array([1, 0]), n_parties=2,
    ...             equity=np.array([[0.5, 0.5]]))
    >>> source(pool, {}).allocation[0, :, 0].tolist()
    [3.0, 1.0]
    """
    return Division(pool.by_party(), None)


@register(
    "fixed",
    params=(Param("shares", "party_shares", "share of the pool for each party, summing to 1"),),
    summary="The pool is split by fixed ratios, as most agreements are written "
    "(Gaozhu increment 50:50, Liaoning enclaves 5:5, Guangyuan–Qingchuan 6:4).",
    reference="川渝高竹新区 revenue-sharing principle (2020); "
    "辽宁省 enclave-economy policy (2018–19); docs/domain.md 'Agreements in practice'",
)
def fixed(pool: Pool, params: Mapping[str, Array]) -> Division:
    r"""Split the pool by fixed shares ``params["shares"]`` of shape ``(S, P)``.

    Notes
    -----
    :math:`a_p(t) = s_p \, P(t)` with :math:`\sum_p s_p = 1`.

    References
    ----------
    川渝高竹新区: stock kept, increment 50:50 (2020); 川浙合作产业园 6:4 with a floor; the
    Liaoning enclave-economy policy's 5:5 for 10 years (see docs/domain.md).

    Examples
    --------
    Guangyuan–Qingchuan's 6:4 of a pool of 4 (3 collected by one party, 1 by the other):

    >>> import numpy as np
    >>> from sim.rules.registry import Pool
    >>> pool = Pool(by_firm=np.array([[[3.0], [1.0]]]), firm_party=np.array([0, 1]),
    ...             firm_introducer=np.array([1, 0]), n_parties=2,
    ...             equity=np.array([[0.5, 0.5]]))
    >>> fixed(pool, {"shares": np.array([[0.6, 0.4]])}).allocation[0, :, 0].round(12).tolist()
    [2.4, 1.6]
    """
    shares = _constant_shares(pool, params["shares"])
    return Division(_shares_to_allocation(pool, shares), shares)


@register(
    "equity",
    summary="The pool is split by shareholding in the joint development company, as in "
    "Jiangsu's north–south co-built parks.",
    reference="Shi, Chan & Qi (2015), Cities 46: 44–54 (Suzhou–Suqian industrial park)",
    needs=("investment.equity",),
)
def equity(pool: Pool, params: Mapping[str, Array]) -> Division:
    r"""Split the pool by shareholding in the joint development company.

    Notes
    -----
    :math:`a_p(t) = e_p \, P(t)` with :math:`e` the equity (``investment.equity``).

    References
    ----------
    Shi, Chan & Qi (2015), The Suzhou–Suqian industrial park, *Cities* 46: 44–54
    (Jiangsu's north–south co-built parks share by shareholding).

    Examples
    --------
    >>> import numpy as np
    >>> from sim.rules.registry import Pool
    >>> pool = Pool(by_firm=np.array([[[3.0], [1.0]]]), firm_party=np.array([0, 1]),
    ...             firm_introducer=np.array([1, 0]), n_parties=2,
    ...             equity=np.array([[0.56, 0.44]]))
    >>> equity(pool, {}).allocation[0, :, 0].round(12).tolist()  # 中新苏滁's 56:44
    [2.24, 1.76]
    """
    shares = _constant_shares(pool, pool.equity)
    return Division(_shares_to_allocation(pool, shares), shares)


@register(
    "formula",
    params=(
        Param(
            "weights",
            "factor_weights",
            "weight of each factor (output, wages, investment, land), summing to 1",
        ),
    ),
    summary="Each year, shares are a weighted average of each party's share of output and "
    "wages of pooled firms located there, of equity, and of land sold to date; a factor "
    "whose total is zero that year is left out and the other weights rescaled.",
    reference="财政部《跨省市总分机构企业所得税分配及预算管理办法》财预〔2012〕40号 "
    "(revenue 0.35, payroll 0.35, assets 0.30)",
)
def formula(pool: Pool, params: Mapping[str, Array]) -> Division:
    r"""Apportion the pool by weighted factor shares.

    Notes
    -----
    .. math:: s_p(t) = \frac{\sum_k w_k\, x_{kp}(t) / X_k(t)}{\sum_{k: X_k(t) > 0} w_k}

    over factors :math:`k` whose total :math:`X_k(t)` is positive. A year where no
    weighted factor has a positive total gives no basis for shares: the pool stays at
    source that year.

    References
    ----------
    财政部《跨省市总分机构企业所得税分配及预算管理办法》财预〔2012〕40号: branches' share of
    corporate income tax by revenue 0.35, payroll 0.35 and assets 0.30.

    Examples
    --------
    Output 3:1 weighted 0.5, equity 50:50 weighted 0.5 (no wages, no land sold):

    >>> import numpy as np
    >>> from sim.rules.registry import Pool
    >>> pool = Pool(by_firm=np.array([[[3.0], [1.0]]]), firm_party=np.array([0, 1]),
    ...             firm_introducer=np.array([0, 1]), n_parties=2,
    ...             equity=np.array([[0.5, 0.5]]), firm_output=np.array([[[30.0], [10.0]]]))
    >>> w = {"weights": np.array([[0.5, 0.0, 0.5, 0.0]])}
    >>> formula(pool, w).shares[0, :, 0].round(12).tolist()
    [0.625, 0.375]
    """
    weights = params["weights"]  # (S, K)
    factors = formula_factors(pool)
    totals = factors.sum(axis=2)  # (S, K, T)
    present = totals > 0
    w = np.where(present, weights[:, :, None], 0.0)  # (S, K, T)
    wsum = w.sum(axis=1)  # (S, T)
    with np.errstate(invalid="ignore", divide="ignore"):
        fshare = np.where(present[:, :, None, :], factors / totals[:, :, None, :], 0.0)
        shares = (w[:, :, None, :] * fshare).sum(axis=1) / wsum[:, None, :]
    shares = np.where(wsum[:, None, :] > 0, shares, np.nan)
    return Division(_shares_to_allocation(pool, shares), shares)


def formula_factors(pool: Pool) -> Array:
    """``(S, K, P, T)`` each party's amount of each of :data:`FACTORS` in each year, as
    :func:`formula` weighs them: output and wages of pooled firms located there, equity,
    land sold to date."""
    s, _, t = pool.by_firm.shape
    factors = np.empty((s, len(FACTORS), pool.n_parties, t))
    factors[:, 0] = pool.by_party(pool.output)
    factors[:, 1] = pool.by_party(pool.wages)
    factors[:, 2] = pool.equity[:, :, None]
    factors[:, 3] = pool.land_area
    return factors


@register(
    "introducer",
    params=(
        Param(
            "share",
            "fraction",
            "share of each pooled firm's tax that goes to the party "
            "that introduced it; the rest stays where it is registered",
        ),
    ),
    summary="Each pooled firm's tax is split between the party that brought the investment in "
    "and the party where the firm is registered (enclave-economy '飞地经济' practice).",
    reference="国家发展改革委等《关于支持“飞地经济”发展的指导意见》发改地区〔2017〕922号",
)
def introducer(pool: Pool, params: Mapping[str, Array]) -> Division:
    r"""Give ``share`` of each pooled firm's tax to its introducer, the rest to its party.

    Notes
    -----
    firm :math:`f`'s pooled tax :math:`P_f(t)` goes :math:`\alpha` to the party that
    introduced it and :math:`1 - \alpha` to the party where it is registered.

    References
    ----------
    国家发展改革委等《关于支持“飞地经济”发展的指导意见》发改地区〔2017〕922号.

    Examples
    --------
    >>> import numpy as np
    >>> from sim.rules.registry import Pool
    >>> pool = Pool(by_firm=np.array([[[3.0], [1.0]]]), firm_party=np.array([0, 1]),
    ...             firm_introducer=np.array([1, 1]), n_parties=2,
    ...             equity=np.array([[0.5, 0.5]]))
    >>> introducer(pool, {"share": np.array([0.5])}).allocation[0, :, 0].tolist()
    [1.5, 2.5]
    """
    share = params["share"][:, None, None]
    to_introducer = pool.by_firm * share
    allocation = pool.by_party(pool.by_firm - to_introducer)
    allocation += group_by_party(to_introducer, pool.firm_introducer, pool.n_parties)
    return Division(allocation, None)
