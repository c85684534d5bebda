"""A portfolio's settlement for one year: what every park's agreement moves between
its parties that year (``sim settle`` on the park alone, :func:`sim.settle.settle`),
laid on the portfolio's parties and netted across the parks into one payment per pair
of treasuries. The fund's own money (what each party pays in and gets back) goes
through the fund's account and is shown beside, not netted.

Inside the portfolio, a park in whose joint company the fund holds a stake moves
``1 − stake`` of the dividends and investment its statement alone moves (the fund's
part is the fund's). Each party's total is checked against what the consolidated
results move that year (:class:`~sim.portfolio.consolidate.Consolidated`), to
:data:`sim.model.RTOL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim import i18n
from sim.errors import ConservationError, YearError
from sim.model import RTOL
from sim.output import table
from sim.portfolio.consolidate import Consolidated
from sim.portfolio.parks import COMPANY
from sim.settle import Payment, Statement, net_payments, settle
from sim.settle.ledger import cents
from sim.settle.render import Table, _amount, _money
from sim.settle.rounding import round_parts

__all__ = [
    "MOVED",
    "ParkLines",
    "PortfolioStatement",
    "document",
    "render",
    "settle_portfolio",
    "summary",
    "tables",
    "write",
]

Array = NDArray[np.float64]
Cell = str | float

MOVED: tuple[str, ...] = ("tax", "land", "dividends", "investment", "net")
"""The lines of each park's settlement, per portfolio party: what each clause moves."""


@dataclass(frozen=True)
class ParkLines:
    """One park's settlement in the year, on the portfolio's parties."""

    park: str
    statement: Statement | None
    """``sim settle``'s statement of the park alone (``None``: the year is not one of
    the park's)."""
    lines: dict[str, Array]
    """Each of :data:`MOVED` → ``(P,)``, the fund's stake taken off the company's."""
    payments: tuple[Payment, ...]
    """The park's own payments, between portfolio parties (before netting across parks)."""


@dataclass(frozen=True)
class PortfolioStatement:
    """The year's settlement across the portfolio."""

    consolidated: Consolidated
    year: int
    parks: tuple[ParkLines, ...]
    net: Array
    """``(P,)`` what all the parks' agreements move to each party that year."""
    payments: tuple[Payment, ...]
    """One payment per pair of treasuries across the parks."""
    fund_paid: Array
    """``(P,)`` what each party pays into the fund that year."""
    fund_received: Array
    """``(P,)`` what each party gets from the fund that year."""


def settle_portfolio(c: Consolidated, year: int) -> PortfolioStatement:
    """The settlement of ``year`` across the portfolio's parks.

    Raises
    ------
    YearError
        If ``year`` is not one of the portfolio's years.
    ConservationError
        If the parks' statements do not add up to what the consolidated results move.
    """
    years = list(c.years)
    if year not in years:
        raise YearError(
            f"{c.portfolio.source}: --year {year} is outside the portfolio's years "
            f"{years[0]}–{years[-1]} (its parks' horizons): there is no such year to settle"
        )
    t = years.index(year)
    pids = c.portfolio.party_ids
    n_p = len(pids)
    parks = []
    for run in c.runs:
        sc = run.park.scenario
        lines = {name: np.zeros(n_p) for name in MOVED}
        st = None
        if sc.start_year <= year <= sc.end_year:
            st = settle(sc, run.batch, run.outcome, run.result, year)
            for name in MOVED[:-1]:
                scale = 1.0 - run.stake if name in COMPANY else 1.0
                for i, q in enumerate(run.owner):
                    lines[name][q] += scale * st.lines[name][i]
            lines["net"] = np.sum([lines[name] for name in MOVED[:-1]], axis=0)
        parks.append(ParkLines(run.park.id, st, lines, net_payments(pids, lines["net"])))
    net = np.asarray(sum(p.lines["net"] for p in parks))
    moved = (c.park_net() - c.park_net(source=True))[:, :, t].sum(axis=0)
    scale = max(1.0, float(np.abs(moved).sum()))
    if not np.all(np.abs(net - moved) <= RTOL * scale * 10):
        raise ConservationError(
            f"{c.portfolio.name} {year}: the parks' statements move {net.tolist()!r}, the "
            f"consolidated results {moved.tolist()!r}"
        )
    fund_paid = c.fund.contributions[:, t] if c.fund is not None else np.zeros(n_p)
    fund_received = c.fund.distributed[:, t] if c.fund is not None else np.zeros(n_p)
    return PortfolioStatement(
        c, year, tuple(parks), net, net_payments(pids, net), fund_paid, fund_received
    )


def _party(c: Consolidated, pid: str, lang: str) -> str:
    party = c.portfolio.parties[c.portfolio.party_ids.index(pid)]
    return f"{pid} {i18n.pick(lang, party.name, party.name_zh)}"


def _unit(st: PortfolioStatement, lang: str) -> tuple[float, str]:
    """The factor from the parks' unit to the statement's (yuan for 亿元), and its name."""
    k, key = _money(st.consolidated.portfolio.unit)
    return k, i18n.t(key, lang) if key else i18n.unit(st.consolidated.portfolio.unit, lang)


def summary(st: PortfolioStatement, lang: str = "en") -> list[tuple[str, str]]:
    """The heading lines: the portfolio, its parties, the unit and how payments net."""
    p = st.consolidated.portfolio
    parties = i18n.semicolon(lang).join(_party(st.consolidated, q, lang) for q in p.party_ids)
    unit = _unit(st, lang)[1]
    return [
        (i18n.t("pf_portfolio", lang), f"{i18n.pick(lang, p.title, p.title_zh)} [{p.name}]"),
        (i18n.t("party", lang), parties),
        (i18n.t("amounts_in", lang), f"{unit}{i18n.semicolon(lang)}{i18n.t('netting', lang)}"),
    ]


def tables(st: PortfolioStatement, lang: str = "en") -> list[Table]:
    """The statement's tables, amounts in the statement's unit (yuan for 亿元)."""
    c = st.consolidated
    p = c.portfolio
    k = _unit(st, lang)[0]
    head = [
        i18n.t("pf_park_col", lang),
        i18n.t("party_col", lang),
        *(i18n.t(name, lang) for name in ("tax", "land", "dividends", "investment")),
        i18n.t("net_settled", lang),
    ]
    park_net, park_streams, park_pays, payments = _to_cents(st, k)  # add up as printed
    rows: list[list[Cell]] = []
    for j, (park, run) in enumerate(zip(st.parks, c.runs, strict=True)):
        if park.statement is None:
            rows.append([run.park.label(lang), "—", *["—"] * len(MOVED)])
            continue
        for q in sorted(set(run.owner)):
            streams = [float(x) for x in park_streams[j, :, q]]
            rows.append([run.park.label(lang), p.party_ids[q], *streams, float(park_net[j, q])])
    out = [Table(i18n.t("pf_statement_parks", lang), head, rows, 2)]
    pay = [i18n.t("payer", lang), i18n.t("payee", lang), i18n.t("amount", lang)]
    before: list[list[Cell]] = [
        [run.park.label(lang), x.payer, x.payee, x.amount]
        for park, pays, run in zip(st.parks, park_pays, c.runs, strict=True)
        for x in pays
    ]
    out.append(
        Table(i18n.t("pf_statement_before", lang), [i18n.t("pf_park_col", lang), *pay], before, 3)
    )
    netted: list[list[Cell]] = [[x.payer, x.payee, x.amount] for x in payments]
    out.append(Table(i18n.t("payments", lang), pay, netted, 2))
    if c.fund is not None:
        fund: list[list[Cell]] = [
            [q, k * st.fund_paid[i], k * st.fund_received[i]] for i, q in enumerate(p.party_ids)
        ]
        head = [
            i18n.t("party_col", lang),
            i18n.t("pf_fund_paid", lang),
            i18n.t("pf_received", lang),
        ]
        out.append(Table(i18n.t("pf_statement_fund", lang), head, fund))
    return out


def _to_cents(
    st: PortfolioStatement, k: float
) -> tuple[Array, Array, list[tuple[Payment, ...]], tuple[Payment, ...]]:
    """Each park's net by party, its streams by party, its payments and the netted
    payments, in the statement's unit rounded to hundredths so that they add up as
    printed (:mod:`sim.settle.rounding`): the parks' nets of a party to its netted net,
    each park's streams of a party to its net there, each park's payments to its nets,
    the netted payments to the netted nets (:func:`sim.settle.ledger.cents`)."""
    pids = st.consolidated.portfolio.party_ids
    net, payments = cents(pids, st.net, k)
    exact = np.array([k * 100 * np.asarray(p.lines["net"], dtype=float) for p in st.parks])
    whole = round_parts(exact, np.round(net * 100))
    streams = np.array(
        [
            round_parts(np.array([k * 100 * p.lines[n] for n in MOVED[:-1]]), whole[j])
            for j, p in enumerate(st.parks)
        ]
    )
    return whole / 100, streams / 100, [cents(pids, row / 100, 1.0)[1] for row in whole], payments


def _findings(st: PortfolioStatement, lang: str) -> list[str]:
    """One sentence per netted payment (or that nothing moves)."""
    k, unit = _unit(st, lang)
    c = st.consolidated
    if not st.payments:
        return [i18n.t("nothing_moves", lang, year=st.year)]
    return [
        i18n.t(
            "pays",
            lang,
            payer=_party(c, x.payer, lang),
            payee=_party(c, x.payee, lang),
            amount=_amount(x.amount),
            unit=unit,
        )
        for x in _to_cents(st, k)[3]
    ]


def _title(st: PortfolioStatement, lang: str) -> str:
    return f"{i18n.t('pf_statement', lang, year=st.year)}  [{st.consolidated.portfolio.name}]"


def render(st: PortfolioStatement, lang: str = "en") -> str:
    """The statement as text: park by park, the netting, the fund beside."""
    colon = i18n.colon(lang)
    out = [_title(st, lang), *(f"{a}{colon}{b}" for a, b in summary(st, lang)[1:])]
    for tab in tables(st, lang):
        rows = [[_amount(x) if isinstance(x, float) else x for x in row] for row in tab.rows]
        out += ["", tab.title, table(tab.header, rows, left=tab.left)]
    return "\n".join([*out, "", *_findings(st, lang)])


def write(
    st: PortfolioStatement, out: str | Path, lang: str = "en", *, force: bool = False
) -> Path:
    """Write ``statement.xlsx`` and ``statement.docx`` into the folder ``out``, atomically,
    as ``sim settle --out`` does for one park."""
    import pandas as pd

    from sim.files import new_folder
    from sim.report import Report, tables_xlsx
    from sim.report_docx import docx_bytes

    frames = {t.title: pd.DataFrame(t.rows, columns=t.header) for t in tables(st, lang)}
    rep = Report(
        title=_title(st, lang),
        lang=lang,
        summary=summary(st, lang),
        tables=frames,
        findings=_findings(st, lang),
    )
    heading = [i18n.t("item", lang), i18n.t("statement", lang)]
    sheets = {i18n.t("statement", lang): pd.DataFrame(rep.summary, columns=heading), **frames}
    dest = Path(out)
    with new_folder(dest, force=force, kind="settle") as tmp:
        (tmp / "statement.xlsx").write_bytes(tables_xlsx(sheets, rep.findings, lang))
        (tmp / "statement.docx").write_bytes(docx_bytes(rep))
    return dest


def _payments(payments: tuple[Payment, ...]) -> list[dict[str, Any]]:
    return [{"from": x.payer, "to": x.payee, "amount": x.amount} for x in payments]


def document(st: PortfolioStatement) -> dict[str, Any]:
    """The statement as one JSON document (amounts in the parks' unit)."""
    p = st.consolidated.portfolio
    pids = p.party_ids

    def by(values: Array) -> dict[str, float]:
        return {q: float(values[i]) for i, q in enumerate(pids)}

    return {
        "portfolio": p.name,
        "year": st.year,
        "unit": p.unit,
        "parties": list(pids),
        "parks": [
            {
                "id": park.park,
                "in_horizon": park.statement is not None,
                "lines": {name: by(park.lines[name]) for name in MOVED},
                "payments": _payments(park.payments),
            }
            for park in st.parks
        ],
        "net": by(st.net),
        "payments": _payments(st.payments),
        "fund": {"paid_in": by(st.fund_paid), "received": by(st.fund_received)},
    }
