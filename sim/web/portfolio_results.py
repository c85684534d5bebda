"""What the page of a portfolio shows of the edited portfolio (no Flask): the results of
``sim portfolio run``, the package deal and ratios of ``compare`` and a year's statement
of ``settle``, laid out as tables (:class:`View`). Every number comes from
:mod:`sim.portfolio` and its report's tables; the edits that make the portfolio are
:mod:`sim.web.portfolio_view`'s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sim import i18n
from sim.model import STREAMS
from sim.output import _num
from sim.portfolio import Consolidated, Package, Portfolio, consolidate, package
from sim.portfolio.consolidate import BUDGETS
from sim.portfolio.ratios import package_ratios, ratios_document
from sim.portfolio.render import _BUDGETS, compare_document, run_document
from sim.portfolio.report import portfolio_report
from sim.portfolio.statement import PortfolioStatement, document, settle_portfolio, summary, tables
from sim.portfolio.statement import _findings as statement_sentences
from sim.settle.render import _amount

__all__ = ["Table", "View", "budget_tables", "evaluate", "first_year_moved"]


@dataclass(frozen=True)
class Table:
    """A table as the page shows it: its caption, header and cells (text)."""

    id: str
    title: str
    header: list[str]
    rows: list[list[str]]
    left: int = 1
    """How many columns hold words (aligned left)."""
    group: str = ""


@dataclass(frozen=True)
class View:
    """Everything the page shows of a portfolio, and the documents of the commands."""

    consolidated: Consolidated
    package: Package
    statement: PortfolioStatement
    summary: list[tuple[str, str]]
    findings: list[str]
    tables: list[Table]
    statement_summary: list[tuple[str, str]]
    statement_tables: list[Table]
    statement_findings: list[str]
    documents: dict[str, Any] = field(default_factory=dict)
    """``run``, ``compare`` and ``settle``: what ``sim portfolio … --format json`` gives."""


def _cell(x: Any, fmt: Any = _num) -> str:
    if isinstance(x, float | np.floating):
        return "—" if not math.isfinite(float(x)) else fmt(float(x))
    return str(x)


def _frame(tid: str, title: str, frame: Any, fmt: Any = _num) -> Table:
    rows = [[_cell(x, fmt) for x in row] for row in frame.itertuples(index=False)]
    left = next((i for i, c in enumerate(frame.columns) if frame[c].dtype.kind == "f"), 1)
    return Table(tid, title, [str(c) for c in frame.columns], rows, max(left, 1))


def budget_tables(c: Consolidated, lang: str) -> list[Table]:
    """Per party: the NPV and gain over no agreement of each budget, by park, the fund
    and in all (each park's and the fund's columns summing to the totals of ``sim
    portfolio run``)."""
    p = c.portfolio
    d = c.discount
    moved = {s: c.streams[s] - c.source[s] for s in STREAMS}
    out = []
    for q, party in enumerate(p.parties):
        header = [i18n.t("pf_park_col", lang)]
        for b in (*BUDGETS, "net"):
            name = i18n.t(_BUDGETS[b], lang) if b in BUDGETS else i18n.t("net", lang)
            header += [f"{name} {i18n.t('npv', lang)}", f"{name} {i18n.t('gain_col', lang)}"]
        rows = []
        for k, run in enumerate(c.runs):
            cells = [run.park.label(lang)]  # as the report's tables name it
            for names in BUDGETS.values():
                own = [s for s in names if s in STREAMS]
                npv = sum(float(c.streams[s][k, q] @ d) for s in own)
                gain = sum(float(moved[s][k, q] @ d) for s in own)
                cells += [_num(npv), _num(gain)]
            cells += [_num(c.park_npv()[k, q]), _num(c.park_gain[k, q])]
            rows.append(cells)
        if c.fund is not None:
            fund = [_num(0.0), _num(0.0)] * 2 + [_num(c.fund_npv[q]), _num(c.fund_gain[q])]
            rows.append([i18n.t("pf_fund_row", lang), *fund, fund[-2], fund[-1]])
        budgets = c.by_budget()
        cells = [i18n.t("total", lang)]
        for b, names in BUDGETS.items():
            gain = sum(float(moved[s][:, q].sum(axis=0) @ d) for s in names if s in STREAMS)
            gain += float(c.fund_gain[q]) if "fund" in names else 0.0
            cells += [_num(float(budgets[b][q] @ d)), _num(gain)]
        cells += [_num(c.npv[q]), _num(c.gain[q])]
        rows.append(cells)
        name = i18n.pick(lang, party.name, party.name_zh)
        title = i18n.t(
            "pfp_budget_npv", lang, party=f"{party.id} {name}",
            unit=i18n.unit(p.unit, lang), rate=f"{p.discount_rate:.4g}", start=c.years[0],
        )  # fmt: skip
        out.append(Table(f"budget-npv-{party.id}", title, header, rows, group="budgets"))
    return out


def first_year_moved(c: Consolidated) -> int:
    """The first year in which the parks' agreements move money (else the first year):
    the settlement the page opens on."""
    moved = np.abs(c.park_net() - c.park_net(source=True)).sum(axis=(0, 1))
    years = np.flatnonzero(moved > 0)
    return c.years[int(years[0])] if len(years) else c.years[0]


def _share(x: float) -> str:
    return f"{x:.4g}"


def evaluate(portfolio: Portfolio, year: int | None, lang: str = "en") -> View:
    """The page's results for ``portfolio`` and the settlement of ``year`` (``None``: the
    first year anything moves).

    Raises
    ------
    PortfolioError
        When the fund runs short, or nobody retains tax in a year it is paid by retained
        tax (a problem of the fund's figures).
    YearError
        When ``year`` is not one of the portfolio's.
    """
    c = consolidate(portfolio)
    pk = package(c)
    report = portfolio_report(c, pk, lang)
    ratios = package_ratios(c, pk)
    ids = ["npv", *(f"budget-{q.id}" for q in portfolio.parties)]
    ids += ["fund"] * (c.fund is not None) + ["by-park", "package", "side", "ratios"]
    tabs = [
        replace(
            _frame(tid, title, frame, _share if tid == "ratios" else _num),
            group=tid.split("-")[0],
        )
        for tid, (title, frame) in zip(ids, report.tables.items(), strict=True)
    ]
    st = settle_portfolio(c, first_year_moved(c) if year is None else year)
    k_tabs = [
        Table(f"statement-{i}", t.title, list(t.header),
              [[_amount(x) if isinstance(x, float) else str(x) for x in row] for row in t.rows],
              t.left)
        for i, t in enumerate(tables(st, lang))
    ]  # fmt: skip
    docs = {
        "run": run_document(c),
        "compare": {**compare_document(c, pk), "ratios": ratios_document(c, ratios)},
        "settle": document(st),
    }
    return View(
        c, pk, st, list(report.summary), list(report.findings),
        [*tabs[:1], *budget_tables(c, lang), *tabs[1:]],
        summary(st, lang), k_tabs, statement_sentences(st, lang), docs,
    )  # fmt: skip
