"""A portfolio's consolidated results and its package deal as text (English or Chinese,
every word from :mod:`sim.i18n`) and as JSON documents (amounts in the parks' unit)."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim import i18n
from sim.model import STREAMS
from sim.output import _num, describe_sharing, table
from sim.portfolio.consolidate import BUDGETS, Consolidated
from sim.portfolio.package import Package, SidePayment
from sim.portfolio.types import Portfolio

__all__ = ["compare_document", "render_compare", "render_run", "run_document"]

_LEVELS = {
    "province": "pf_level_province",
    "prefecture": "pf_level_prefecture",
    "county": "pf_level_county",
}
_BUDGETS = {
    "general_budget": "pf_general_budget",
    "fund_budget": "pf_fund_budget",
    "state_capital": "pf_state_capital",
}
_FUND_COLUMNS = (
    "pf_fund_paid",
    "pf_fund_invested",
    "pf_fund_fee",
    "pf_fund_dividends",
    "pf_fund_exit",
    "pf_fund_returned",
    "pf_fund_balance",
)
_SIDE = ("pf_side", "pf_side_none", "pf_side_zero")
_SIDE_CORE = ("pf_side_core", "pf_side_core_none", "pf_side_core_zero")


def _party(p: Portfolio, q: int, lang: str) -> str:
    party = p.parties[q]
    return f"{party.id} {i18n.pick(lang, party.name, party.name_zh)}"


def _pct(x: float) -> str:
    return f"{100 * x:.4g}%"


def _shares(p: Portfolio, shares: Any) -> str:
    return ":".join(f"{shares[q]:g}" for q in p.party_ids) + f" ({':'.join(p.party_ids)})"


def _heading(c: Consolidated, lang: str) -> list[str]:
    p = c.portfolio
    sep = i18n.semicolon(lang)
    parties = sep.join(
        i18n.t(
            "name_in_brackets",
            lang,
            code=_party(p, q, lang),
            name=i18n.t(_LEVELS[party.level], lang),
        )
        for q, party in enumerate(p.parties)
    )
    out = [
        f"{i18n.pick(lang, p.title, p.title_zh)}  [{p.name}]",
        i18n.t("pf_parties", lang, parties=parties),
    ]
    for run in c.runs:
        sc = run.park.scenario
        mapping = i18n.comma(lang).join(f"{a}→{b}" for a, b in run.park.parties.items())
        out.append(
            i18n.t(
                "pf_park",
                lang,
                id=run.park.label(lang),
                title=i18n.pick(lang, sc.title, sc.title_zh),
                years=f"{sc.start_year}–{sc.end_year}",
                mapping=mapping,
                terms=describe_sharing(sc, sc.sharing, lang),
            )
        )
        if run.stake > 0:
            out.append(
                "  " + i18n.t("pf_stake", lang, stake=_pct(run.stake), rest=_pct(1 - run.stake))
            )
    fund = p.fund
    if fund is not None:
        paid = sum(fund.contributions.values())
        years = list(fund.contributions)
        basis = (
            i18n.t("pf_by_shares", lang, shares=_shares(p, fund.contribution_shares))
            if fund.basis == "fixed"
            else i18n.t("pf_by_retained", lang)
        )
        returns = (
            i18n.t("pf_by_shares", lang, shares=_shares(p, fund.return_shares))
            if fund.returns == "fixed"
            else i18n.t("pf_by_paid_in", lang)
        )
        out.append(
            i18n.t(
                "pf_fund",
                lang,
                name=i18n.pick(lang, fund.name, fund.name_zh),
                paid=_num(paid),
                years=f"{years[0]}–{years[-1]}" if years else "—",
                basis=basis,
                fee=_pct(fund.fee),
                returns=returns,
                exit=f"{fund.exit_multiple:g}",
            )
        )
    return out


def render_run(c: Consolidated, lang: str = "en") -> str:
    """Per party and year every stream and budget, the NPVs and gains by park and
    overall, and the fund's money."""
    p = c.portfolio
    unit = i18n.unit(p.unit, lang)
    out = [*_heading(c, lang), i18n.t("pf_amounts", lang, unit=unit)]
    streams = c.by_stream()
    budgets = c.by_budget()
    head = [
        i18n.t("year_col", lang),
        *(i18n.t(s, lang) for s in STREAMS),
        i18n.t("pf_fund_col", lang),
        *(i18n.t(_BUDGETS[b], lang) for b in BUDGETS),
        i18n.t("net", lang),
    ]
    net = c.net
    for q in range(len(p.parties)):
        rows = [
            [
                str(year),
                *(_num(streams[s][q, t]) for s in (*STREAMS, "fund")),
                *(_num(budgets[b][q, t]) for b in BUDGETS),
                _num(net[q, t]),
            ]
            for t, year in enumerate(c.years)
        ]
        out += ["", _party(p, q, lang), table(head, rows)]
    out += ["", *_npv_lines(c, lang)]
    if c.fund is not None:
        out += ["", *_fund_lines(c, lang)]
    out += ["", i18n.t("pf_conserved", lang)]
    return "\n".join(out)


def _npv_lines(c: Consolidated, lang: str) -> list[str]:
    p = c.portfolio
    unit = i18n.unit(p.unit, lang)
    head = [i18n.t("pf_park_col", lang)]
    for party in p.parties:
        head += [f"{party.id} {i18n.t('npv', lang)}", f"{party.id} {i18n.t('gain_col', lang)}"]
    npv, gain = c.park_npv(), c.park_gain
    rows = []
    for k, run in enumerate(c.runs):
        cells = [run.park.label(lang)]
        for q in range(len(p.parties)):
            cells += [_num(npv[k, q]), _num(gain[k, q])]
        rows.append(cells)
    if c.fund is not None:
        cells = [i18n.t("pf_fund_row", lang)]
        for q in range(len(p.parties)):
            cells += [_num(c.fund_npv[q]), _num(c.fund_gain[q])]
        rows.append(cells)
    cells = [i18n.t("total", lang)]
    for q in range(len(p.parties)):
        cells += [_num(c.npv[q]), _num(c.gain[q])]
    rows.append(cells)
    rate = f"{p.discount_rate:.4g}"
    return [i18n.t("pf_npv", lang, rate=rate, unit=unit, start=c.years[0]), table(head, rows)]


def _fund_lines(c: Consolidated, lang: str) -> list[str]:
    f = c.fund
    assert f is not None
    head = [i18n.t("year_col", lang)] + [i18n.t(k, lang) for k in _FUND_COLUMNS]
    rows = [
        [
            str(year),
            *(
                _num(x)
                for x in (
                    f.contributions[:, t].sum(),
                    f.invested[:, t].sum(),
                    f.fee[t],
                    f.dividends[:, t].sum(),
                    f.exit[:, t].sum(),
                    f.returned[t],
                    f.balance[t],
                )
            ),
        ]
        for t, year in enumerate(c.years)
    ]
    return [i18n.t("pf_fund_head", lang), table(head, rows)]


def _by_party(p: Portfolio, values: Any) -> dict[str, Any]:
    return {q: _f(values[i]) for i, q in enumerate(p.party_ids)}


def _f(x: Any) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def _yearly(p: Portfolio, values: Any) -> dict[str, list[float | None]]:
    return {q: [_f(v) for v in values[i]] for i, q in enumerate(p.party_ids)}


def run_document(c: Consolidated) -> dict[str, Any]:
    """The consolidated results as one JSON document (amounts in the parks' unit)."""
    p = c.portfolio
    streams = c.by_stream()
    doc: dict[str, Any] = {
        "portfolio": p.name,
        "unit": p.unit,
        "years": list(c.years),
        "discount_rate": p.discount_rate,
        "parties": [
            {"id": x.id, "name": x.name, "name_zh": x.name_zh, "level": x.level} for x in p.parties
        ],
        "budgets": {b: list(names) for b, names in BUDGETS.items()},
        "parks": [
            {
                "id": run.park.id,
                "name": run.park.name,
                "name_zh": run.park.name_zh,
                "file": run.park.path,
                "parties": dict(run.park.parties),
                "first_year": run.park.scenario.start_year,
                "fund_stake": run.stake,
                "streams": {s: _yearly(p, c.streams[s][k]) for s in STREAMS},
                "npv": _by_party(p, c.park_npv()[k]),
                "gain": _by_party(p, c.park_gain[k]),
            }
            for k, run in enumerate(c.runs)
        ],
        "consolidated": {
            "streams": {s: _yearly(p, streams[s]) for s in (*STREAMS, "fund")},
            "budgets": {b: _yearly(p, v) for b, v in c.by_budget().items()},
            "net": _yearly(p, c.net),
            "npv": _by_party(p, c.npv),
            "gain": _by_party(p, c.gain),
        },
        "fund": None,
    }
    f = c.fund
    if f is not None:
        doc["fund"] = {
            "contributions": _yearly(p, f.contributions),
            "distributed": _yearly(p, f.distributed),
            "invested": {r.park.id: [_f(x) for x in f.invested[k]] for k, r in enumerate(c.runs)},
            "dividends": {r.park.id: [_f(x) for x in f.dividends[k]] for k, r in enumerate(c.runs)},
            "exit": {r.park.id: [_f(x) for x in f.exit[k]] for k, r in enumerate(c.runs)},
            "fee": [_f(x) for x in f.fee],
            "returned": [_f(x) for x in f.returned],
            "balance": [_f(x) for x in f.balance],
            "npv": _by_party(p, c.fund_npv),
            "gain": _by_party(p, c.fund_gain),
        }
    return doc


def _side_lines(
    pk: Package, side: SidePayment | None, keys: tuple[str, str, str], unit: str, lang: str
) -> list[str]:
    some, none, zero = keys
    if side is None:
        return [i18n.t(none, lang)]
    if side.total <= 0:
        return [i18n.t(zero, lang)]
    out = [i18n.t(some, lang, total=_num(side.total))]
    for pay in side.payments:
        amount = _num(pay.amount)
        line = i18n.t("pays", lang, payer=pay.payer, payee=pay.payee, amount=amount, unit=unit)
        out.append("  " + line)
    after = pk.package + side.transfers
    npvs = i18n.comma(lang).join(f"{q} {_num(after[i])}" for i, q in enumerate(pk.game.players))
    out.append("  " + i18n.t("pf_after", lang, npvs=npvs))
    return out


def render_compare(c: Consolidated, pk: Package, lang: str = "en") -> str:
    """Park by park beside the package: each party's NPV against standing alone, the
    portfolio's core and fair division, and the smallest side payment."""
    p = c.portfolio
    unit = i18n.unit(p.unit, lang)
    yes, no = i18n.t("yes", lang), i18n.t("NO", lang)
    out = [*_heading(c, lang), ""]
    out.append(i18n.t("pf_by_park", lang, unit=unit, start=c.years[0]))
    head = [
        i18n.t("pf_park_col", lang),
        i18n.t("party_col", lang),
        i18n.t("npv", lang),
        i18n.t("standalone", lang),
        i18n.t("pf_gain_alone", lang),
        i18n.t("pf_accepts", lang),
    ]
    rows = []
    for k, run in enumerate(c.runs):
        for q in sorted(set(run.owner)):
            gain = pk.park_gain[k, q]
            rows.append(
                [
                    run.park.label(lang),
                    p.party_ids[q],
                    _num(pk.park_npv[k, q]),
                    _num(pk.park_alone[k, q]),
                    _num(gain),
                    yes if pk.accepts_by_park[k, q] else no,
                ]
            )
    out += [table(head, rows, left=2), "", i18n.t("pf_package", lang)]
    head = [
        i18n.t("party_col", lang),
        i18n.t("npv", lang),
        i18n.t("standalone", lang),
        i18n.t("pf_gain_alone", lang),
        i18n.t("pf_accepts", lang),
        i18n.name("shapley", lang),
        i18n.name("nucleolus", lang),
    ]
    nucl = pk.nucleolus if pk.nucleolus is not None else np.full(len(p.parties), np.nan)
    rows = [
        [
            p.party_ids[q],
            _num(pk.package[q]),
            _num(pk.alone[q]),
            _num(pk.gain[q]),
            yes if pk.accepts[q] else no,
            _num(pk.shapley[q]),
            _num(nucl[q]),
        ]
        for q in range(len(p.parties))
    ]
    total = [
        i18n.t("total", lang),
        _num(pk.package.sum()),
        _num(pk.alone.sum()),
        _num(pk.gain.sum()),
    ]
    rows.append([*total, "", _num(pk.shapley.sum()), _num(np.nansum(nucl))])
    out += [table(head, rows)]
    if c.fund is not None:
        out.append(i18n.t("pf_fund_adds", lang, value=_num(pk.fund_value)))
    state = i18n.t("core_is_empty" if pk.core_empty else "core_not_empty", lang)
    out.append(i18n.t("core_line", lang, state=state, eps=_num(pk.least_core)))
    out.append(i18n.t("pf_in_core", lang, answer=yes if pk.in_core else no))
    for q in range(len(p.parties)):
        lost = [
            c.runs[k].park.label(lang) for k in range(len(c.runs)) if not pk.accepts_by_park[k, q]
        ]
        if lost and pk.accepts[q]:
            parks = i18n.listing(lost, lang)
            out.append(i18n.t("pf_overall_not_park", lang, party=p.party_ids[q], parks=parks))
    out += ["", *_side_lines(pk, pk.side, _SIDE, unit, lang)]
    out += _side_lines(pk, pk.side_core, _SIDE_CORE, unit, lang)
    return "\n".join(out)


def _side_doc(p: Portfolio, side: SidePayment | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "total": side.total,
        "transfers": _by_party(p, side.transfers),
        "payments": [{"from": x.payer, "to": x.payee, "amount": x.amount} for x in side.payments],
    }


def compare_document(c: Consolidated, pk: Package) -> dict[str, Any]:
    """The package deal as one JSON document."""
    p = c.portfolio
    parks = []
    for k, run in enumerate(c.runs):
        present = sorted(set(run.owner))
        parks.append(
            {
                "id": run.park.id,
                "npv": {p.party_ids[q]: _f(pk.park_npv[k, q]) for q in present},
                "standalone": {p.party_ids[q]: _f(pk.park_alone[k, q]) for q in present},
                "accepts": {p.party_ids[q]: bool(pk.accepts_by_park[k, q]) for q in present},
            }
        )
    return {
        "portfolio": p.name,
        "unit": p.unit,
        "base_year": c.years[0],
        "parties": list(p.party_ids),
        "coalitions": {
            ",".join(pk.game.coalition(s)): float(pk.game.v[s]) for s in range(1, 1 << pk.game.n)
        },
        "parks": parks,
        "package": {
            "npv": _by_party(p, pk.package),
            "standalone": _by_party(p, pk.alone),
            "gain": _by_party(p, pk.gain),
            "accepts": {q: bool(pk.accepts[i]) for i, q in enumerate(p.party_ids)},
        },
        "fund_value": pk.fund_value,
        "core": {"empty": pk.core_empty, "least_core_epsilon": pk.least_core},
        "in_core": pk.in_core,
        "shapley": _by_party(p, pk.shapley),
        "nucleolus": None if pk.nucleolus is None else _by_party(p, pk.nucleolus),
        "side_payment": _side_doc(p, pk.side),
        "side_payment_core": _side_doc(p, pk.side_core),
    }
