"""What the page of a portfolio shows and how its edits change the portfolio (no Flask).

A portfolio's page edits each park's pool shares (through the park's own form,
:mod:`sim.web.form` and :mod:`sim.web.edits`, named ``parks.<park>.<field>``) and the
joint fund's key figures (``fund.<key>``, checked by the portfolio file's own checker),
and shows what ``sim portfolio run``, ``compare`` and ``settle`` give on the edited
portfolio: every number comes from :mod:`sim.portfolio` (consolidation, package deal,
ratios, statement) and its report's tables; the page only lays them out. A problem goes
beside its field, in the page's language (:func:`sim.web.problems.place` for a park).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim import i18n
from sim.errors import Problem, ScenarioError
from sim.model import STREAMS
from sim.output import _num
from sim.portfolio import Consolidated, Package, Portfolio, PortfolioError, consolidate, package
from sim.portfolio.consolidate import BUDGETS
from sim.portfolio.load import BASES, RETURNS, _Portfolio
from sim.portfolio.ratios import package_ratios, ratios_document
from sim.portfolio.render import _BUDGETS, compare_document, run_document
from sim.portfolio.report import portfolio_report
from sim.portfolio.statement import PortfolioStatement, document, settle_portfolio, summary, tables
from sim.portfolio.statement import _findings as statement_sentences
from sim.portfolio.types import Fund
from sim.scenario import Scenario, parse
from sim.settle.render import _amount
from sim.web.edits import FormError, apply, rows_of
from sim.web.form import MAX_VALUE, Form, build_form
from sim.web.problems import place

__all__ = [
    "FUND_KEYS",
    "PortfolioSpace",
    "Table",
    "View",
    "edited",
    "evaluate",
    "fund_fields",
    "open_portfolio",
    "park_fields",
]

FUND_KEYS = ("fee", "exit_multiple", "basis", "returns")
"""The fund's own figures on the page (besides contributions, shares and stakes)."""
_CHOICES = {
    "fixed": "pfp_basis_fixed",
    "retained": "pfp_basis_retained",
    "returns_contributions": "pfp_returns_contributions",
    "returns_fixed": "pfp_returns_fixed",
}
"""The words of the fund's choices: how contributions (and returns) are divided."""
_YEAR = re.compile(r"[0-9]{4}")
_STAKE = re.compile(r"fund\.stakes\[([0-9]+)\]")


@dataclass(frozen=True)
class ParkSpace:
    """One park of the portfolio as its page edits it: its mapping and its form."""

    id: str
    scenario: Scenario
    data: dict[str, Any]
    form: Form


@dataclass(frozen=True)
class PortfolioSpace:
    """A loaded portfolio: its name, each park's form and the fund's table."""

    id: str
    name: str
    portfolio: Portfolio
    parks: tuple[ParkSpace, ...]
    fund: dict[str, Any] | None
    """The fund's table as a portfolio file has it (``None``: no fund)."""
    folder: Path
    lang: str = "en"

    def park(self, park_id: str) -> ParkSpace:
        """The park ``park_id``."""
        return next(p for p in self.parks if p.id == park_id)


def open_portfolio(portfolio: Portfolio, name: str, wid: str, lang: str = "en") -> PortfolioSpace:
    """The portfolio's page state (``wid``: its id on the server)."""
    from sim.scenario_toml import scenario_data

    parks = []
    for park in portfolio.parks:
        data = scenario_data(park.scenario)
        parks.append(ParkSpace(park.id, park.scenario, data, build_form(park.scenario, data)))
    fund = fund_table(portfolio.fund) if portfolio.fund is not None else None
    folder = Path(portfolio.source).parent
    return PortfolioSpace(wid, name, portfolio, tuple(parks), fund, folder, lang)


def fund_table(fund: Fund) -> dict[str, Any]:
    """The fund as a portfolio file's ``[fund]`` table."""
    out: dict[str, Any] = {
        "name": fund.name,
        "name_zh": fund.name_zh,
        "contributions": {str(y): x for y, x in fund.contributions.items()},
        "basis": fund.basis,
        "fee": fund.fee,
        "returns": fund.returns,
        "exit_multiple": fund.exit_multiple,
        "stakes": [{"park": s.park, "stake": s.stake} for s in fund.stakes],
    }
    if fund.contribution_shares is not None:
        out["shares"] = dict(fund.contribution_shares)
    if fund.return_shares is not None:
        out["return_shares"] = dict(fund.return_shares)
    return out


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class Field:
    """One input of the portfolio's page."""

    name: str
    label: str
    value: str
    options: tuple[tuple[str, str], ...] = ()
    """A choice's ``(value, words)``; empty for a number."""
    hint: str = ""
    shown_with: tuple[str, str] = ("", "")
    """Shown only while the field ``[0]`` has the value ``[1]``."""


def _text(x: Any) -> str:
    return "" if x is None else repr(x) if isinstance(x, float) else str(x)


def park_fields(park: ParkSpace, lang: str) -> list[Field]:
    """The park's pool shares, one field per party of the park (none when its rule is
    not fixed shares: its terms are the file's)."""
    if park.scenario.sharing.rule != "fixed":
        return []
    names = park_names(park.scenario, lang)
    out = []
    for pid in park.scenario.party_ids:
        name = f"sharing.shares.{pid}"
        out.append(Field(f"parks.{park.id}.{name}", f"{names[pid]} ({pid})",
                         park.form[name].value))  # fmt: skip
    return out


def park_names(scenario: Scenario, lang: str) -> dict[str, str]:
    """Each of the park's parties' names in ``lang``."""
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def fund_fields(space: PortfolioSpace, lang: str) -> list[Field]:
    """The fund's key figures: its yearly contributions, how they are divided, the fee,
    its stakes, how returns are divided and the exit multiple."""
    fund = space.fund
    if fund is None:
        return []
    p = space.portfolio
    word = i18n.t
    out = [
        Field(f"fund.contributions.{y}", f"{word('pf_book_contributions', lang)} {y}",
              _text(fund["contributions"].get(str(y))), hint=i18n.t("pfp_blank_nothing", lang))
        for y in p.years
    ]  # fmt: skip
    choices = {
        "basis": tuple((b, word(_CHOICES[b], lang)) for b in BASES),
        "returns": tuple((r, word(_CHOICES[f"returns_{r}"], lang)) for r in RETURNS),
    }
    out.append(Field("fund.basis", word("pf_book_basis", lang), fund["basis"], choices["basis"]))
    shares = fund.get("shares") or {}
    colon = i18n.colon(lang)
    out += [
        Field(f"fund.shares.{q.id}", f"{word('pf_book_share', lang)}{colon}{_party(q, lang)}",
              _text(shares.get(q.id)), shown_with=("fund.basis", "fixed"))
        for q in p.parties
    ]  # fmt: skip
    out.append(Field("fund.fee", word("pf_book_fee", lang), _text(fund["fee"])))
    stakes = {s["park"]: s["stake"] for s in fund["stakes"]}
    out += [
        Field(f"fund.stakes.{k.id}", f"{word('pf_book_stake', lang)}{colon}{k.id}",
              _text(stakes.get(k.id)), hint=i18n.t("pfp_blank_nothing", lang))
        for k in p.parks
    ]  # fmt: skip
    out.append(
        Field("fund.returns", word("pf_book_returns", lang), fund["returns"], choices["returns"])
    )
    back = fund.get("return_shares") or {}
    out += [
        Field(f"fund.return_shares.{q.id}", f"{word('pf_book_return_share', lang)}{colon}"
              f"{_party(q, lang)}", _text(back.get(q.id)), shown_with=("fund.returns", "fixed"))
        for q in p.parties
    ]  # fmt: skip
    out.append(Field("fund.exit_multiple", word("pf_book_exit_multiple", lang),
                     _text(fund["exit_multiple"])))  # fmt: skip
    return out


def _party(q: Any, lang: str) -> str:
    return i18n.pick(lang, q.name, q.name_zh)


def loaded(space: PortfolioSpace) -> dict[str, str]:
    """Every field's value as loaded."""
    fields = [f for k in space.parks for f in park_fields(k, "en")]
    return {f.name: f.value for f in [*fields, *fund_fields(space, "en")]}


# --------------------------------------------------------------------------- edits


def _number(value: Any) -> Any:
    """A field's value as a portfolio file holds it: a number where the text is one,
    else the text (the checker says what is wrong with it); ``None`` for blank."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else float(text)
    except ValueError:
        return text


def _fund_place(
    t: dict[str, Any], stakes: dict[str, Any], space: PortfolioSpace, head: str, key: str
) -> dict[str, Any] | None:
    """The table of the fund that the field ``fund.<head>.<key>`` sets (``None``: no such
    field on the page)."""
    if not key and head in FUND_KEYS:
        return t
    if head == "contributions" and _YEAR.fullmatch(key):
        return t["contributions"]  # type: ignore[no-any-return]
    if head in ("shares", "return_shares") and key in space.portfolio.party_ids:
        return t.setdefault(head, {})  # type: ignore[no-any-return]
    if head == "stakes" and key in [k.id for k in space.parks]:
        return stakes
    return None


def _fund_edited(space: PortfolioSpace, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fund's table with the fields sent written in (a blank one left out)."""
    assert space.fund is not None
    t = copy.deepcopy(space.fund)
    parks = [k.id for k in space.parks]
    stakes = {s["park"]: s["stake"] for s in t["stakes"]}
    for name, raw in fields.items():
        head, _, key = name.removeprefix("fund.").partition(".")
        value = str(raw).strip() if head in ("basis", "returns") else _number(raw)
        table = _fund_place(t, stakes, space, head, key)
        if table is None:
            raise FormError(i18n.Reason("form_unknown", got=repr(name[:100])))
        key = key or head
        if value is None or value == "":
            table.pop(key, None)
        else:
            table[key] = value
    t["stakes"] = [{"park": k, "stake": stakes[k]} for k in parks if k in stakes]
    for key in ("shares", "return_shares"):
        if key in t and not t[key]:
            del t[key]
    if t.get("basis") != "fixed":
        t.pop("shares", None)
    if t.get("returns") != "fixed":
        t.pop("return_shares", None)
    return t


def _fund_field(path: str, table: Mapping[str, Any]) -> str:
    """The page's field of a problem's key path in the fund (a stake by its park)."""
    m = _STAKE.match(path)
    if m is None:
        return path
    stakes = table.get("stakes", [])
    i = int(m.group(1))
    return f"fund.stakes.{stakes[i]['park']}" if i < len(stakes) else "fund.stakes"


FUND_SLOTS = {
    "fund": "",
    "fund.contributions": "pf_book_contributions",
    "fund.shares": "pf_book_share",
    "fund.return_shares": "pf_book_return_share",
    "fund.stakes": "pf_book_stakes",
}
"""The fund's groups of fields with a message slot of their own, and their words."""


def _fund_problem(space: PortfolioSpace, p: Problem, table: Mapping[str, Any], lang: str
                  ) -> dict[str, str]:  # fmt: skip
    field = _fund_field(p.path, table)
    names = {f.name: f.label for f in fund_fields(space, lang)}
    slot = field
    while slot and slot not in names and slot not in FUND_SLOTS:
        slot = slot.rpartition(".")[0]
    label = names.get(slot) or (i18n.t(FUND_SLOTS[slot], lang) if FUND_SLOTS.get(slot) else "")
    return {"path": p.path, "field": _fund_field(p.path, table), "slot": slot or "fund",
            "label": label, "message": p.reason_text(lang)}  # fmt: skip


def _split(
    space: PortfolioSpace, fields: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The fields sent, each park's (named within the park) and the fund's.

    Raises
    ------
    FormError
        For a field the page does not have, or a value of the wrong type.
    """
    by_park: dict[str, dict[str, Any]] = {k.id: {} for k in space.parks}
    fund: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FormError(i18n.Reason("form_type", got=repr(name), kind=type(value).__name__))
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise FormError(
                i18n.Reason("form_long", got=repr(name), most=MAX_VALUE, n=f"{len(value):,}")
            )
        parts = name.split(".", 2)
        if len(parts) == 3 and parts[0] == "parks" and parts[1] in by_park:
            by_park[parts[1]][parts[2]] = value
        elif parts[0] == "fund" and space.fund is not None:
            fund[name] = value
        else:
            raise FormError(i18n.Reason("form_unknown", got=repr(name[:100])))
    return by_park, fund


def edited(
    space: PortfolioSpace, fields: Mapping[str, Any], lang: str = "en"
) -> tuple[Portfolio | None, list[dict[str, str]]]:
    """The portfolio with ``fields`` written in, or its problems, each with the page's
    field it belongs to, its place, the field's label and the reason in ``lang``.

    Raises
    ------
    FormError
        For a field the page does not have, or a value of the wrong type.
    """
    by_park, fund = _split(space, fields)
    problems: list[dict[str, str]] = []
    parks = []
    for park, own in zip(space.portfolio.parks, space.parks, strict=True):
        sent = by_park[park.id]
        if not sent:
            parks.append(park)
            continue
        data = apply(own.data, own.form, sent)
        try:
            scenario = parse(data, source=park.scenario.source)
        except ScenarioError as exc:
            rows = rows_of(own.form, sent)
            names = park_names(own.scenario, lang)
            for x in place(exc.problems, data, own.form, lang, names, rows):
                problems.append({
                    "path": f"parks.{park.id}.{x.path}", "field": f"parks.{park.id}.{x.field}",
                    "slot": f"parks.{park.id}.{x.slot}" if x.slot else f"parks.{park.id}",
                    "label": x.label, "message": x.message,
                })  # fmt: skip
            parks.append(park)  # as loaded, for the fund's checks (its years, its stakes)
            continue
        parks.append(replace(park, scenario=scenario))
    new_fund = space.portfolio.fund
    if space.fund is not None and fund:
        table = _fund_edited(space, fund)
        checker = _Portfolio(space.folder)
        checker.declared = tuple(k.id for k in space.parks)
        new_fund = checker.fund(table, space.portfolio.party_ids, parks)
        problems += [_fund_problem(space, p, table, lang) for p in checker.problems]
    if problems:
        return None, problems
    return replace(space.portfolio, parks=tuple(parks), fund=new_fund), []


# --------------------------------------------------------------------------- results


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
        title = i18n.t(
            "pfp_budget_npv", lang, party=f"{party.id} {_party(party, lang)}",
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


def fund_problems(exc: PortfolioError, space: PortfolioSpace, lang: str) -> list[dict[str, str]]:
    """The problems of a fund that cannot run (short of money), placed on the page."""
    table = space.fund or {}
    return [_fund_problem(space, p, table, lang) for p in exc.problems]
