"""A portfolio's report (``sim report`` on a portfolio file): the consolidated NPVs and
gains per party overall and per park, the by-budget table of each party by year, the
fund's account and the package deal (core, Shapley value, nucleolus, smallest side
payments), as a :class:`sim.report.Report` that :func:`sim.report.write_report` writes
as HTML and xlsx and :func:`sim.report_docx.write_docx_report` as Word, in English or
Chinese. Every number is the one ``sim portfolio run|compare --format json`` gives.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from sim import i18n, plots, style
from sim.portfolio.consolidate import BUDGETS, Consolidated
from sim.portfolio.package import Package, SidePayment
from sim.portfolio.ratios import package_ratios, ratios_lines, ratios_table
from sim.portfolio.render import _BUDGETS, _FUND_COLUMNS, _heading
from sim.report import Figure, Report

__all__ = ["is_portfolio", "portfolio_report", "report_of_file", "report_tables"]


def _context(c: Consolidated, lang: str) -> dict[str, object]:
    p = c.portfolio
    return {
        "unit": i18n.unit(p.unit, lang),
        "rate": f"{p.discount_rate:.4g}",
        "start": c.years[0],
        "portfolio": i18n.pick(lang, p.title, p.title_zh),
    }


def _party_name(c: Consolidated, q: int, lang: str) -> str:
    party = c.portfolio.parties[q]
    return f"{party.id} {i18n.pick(lang, party.name, party.name_zh)}"


def _npv_table(c: Consolidated, lang: str) -> pd.DataFrame:
    p = c.portfolio
    rows: list[tuple[str, np.ndarray, np.ndarray]] = [
        (run.park.label(lang), c.park_npv()[k], c.park_gain[k]) for k, run in enumerate(c.runs)
    ]
    if c.fund is not None:
        rows.append((i18n.t("pf_fund_row", lang), c.fund_npv, c.fund_gain))
    rows.append((i18n.t("total", lang), c.npv, c.gain))
    npv, gain = i18n.t("npv", lang), i18n.t("gain_col", lang)
    out = []
    for name, v, g in rows:
        row: dict[str, object] = {i18n.t("pf_park_col", lang): name}
        for q, pid in enumerate(p.party_ids):
            row[f"{pid} {npv}"] = float(v[q])
            row[f"{pid} {gain}"] = float(g[q])
        out.append(row)
    return pd.DataFrame(out)


def _budget_frame(c: Consolidated, q: int, lang: str) -> pd.DataFrame:
    budgets = c.by_budget()
    columns = {i18n.t(_BUDGETS[b], lang): budgets[b][q] for b in BUDGETS}
    columns[i18n.t("net", lang)] = c.net[q]
    frame = pd.DataFrame(columns, index=pd.Index(list(c.years), name=i18n.t("year_col", lang)))
    return frame


def _fund_table(c: Consolidated, lang: str) -> pd.DataFrame:
    f = c.fund
    assert f is not None
    values = (
        f.contributions.sum(axis=0),
        f.invested.sum(axis=0),
        f.fee,
        f.dividends.sum(axis=0),
        f.exit.sum(axis=0),
        f.returned,
        f.balance,
    )
    data: dict[str, object] = {i18n.t("year_col", lang): list(c.years)}
    for key, v in zip(_FUND_COLUMNS, values, strict=True):
        data[i18n.t(key, lang)] = [float(x) for x in v]
    return pd.DataFrame(data)


def _park_table(c: Consolidated, pk: Package, lang: str) -> pd.DataFrame:
    yes, no = i18n.t("yes", lang), i18n.t("NO", lang)
    rows = []
    for k, run in enumerate(c.runs):
        for q in sorted(set(run.owner)):
            rows.append(
                {
                    i18n.t("pf_park_col", lang): run.park.label(lang),
                    i18n.t("party_col", lang): c.portfolio.party_ids[q],
                    i18n.t("npv", lang): float(pk.park_npv[k, q]),
                    i18n.t("standalone", lang): float(pk.park_alone[k, q]),
                    i18n.t("pf_gain_alone", lang): float(pk.park_gain[k, q]),
                    i18n.t("pf_accepts", lang): yes if pk.accepts_by_park[k, q] else no,
                }
            )
    return pd.DataFrame(rows)


def _package_table(c: Consolidated, pk: Package, lang: str) -> pd.DataFrame:
    yes, no = i18n.t("yes", lang), i18n.t("NO", lang)
    nucl = pk.nucleolus if pk.nucleolus is not None else np.full(len(pk.package), np.nan)
    rows = [
        {
            i18n.t("party_col", lang): pid,
            i18n.t("npv", lang): float(pk.package[q]),
            i18n.t("standalone", lang): float(pk.alone[q]),
            i18n.t("pf_gain_alone", lang): float(pk.gain[q]),
            i18n.t("pf_accepts", lang): yes if pk.accepts[q] else no,
            style.label("shapley", lang): float(pk.shapley[q]),
            style.label("nucleolus", lang): float(nucl[q]),
        }
        for q, pid in enumerate(c.portfolio.party_ids)
    ]
    return pd.DataFrame(rows)


def _side_rows(side: SidePayment | None, key: str, lang: str) -> list[dict[str, object]]:
    head = (
        i18n.t("pfr_side_for", lang),
        style.label("payer", lang),
        style.label("payee", lang),
        style.label("amount", lang),
    )
    what = i18n.t(key, lang)
    if side is None or not side.payments:
        told = i18n.t("pfr_side_impossible" if side is None else "pfr_side_nothing", lang)
        return [dict(zip(head, (what, told, "", 0.0 if side is not None else np.nan), strict=True))]
    return [
        dict(zip(head, (what, pay.payer, pay.payee, float(pay.amount)), strict=True))
        for pay in side.payments
    ]


def report_tables(c: Consolidated, pk: Package, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The report's tables, each under its caption, in the order numbered."""
    ctx = _context(c, lang)
    tables = {i18n.t("pfr_t_npv", lang, **ctx): _npv_table(c, lang)}
    for q in range(len(c.portfolio.parties)):
        name = i18n.t("pfr_t_budget", lang, party=_party_name(c, q, lang), **ctx)
        tables[name] = _budget_frame(c, q, lang).reset_index()
    if c.fund is not None:
        tables[i18n.t("pfr_t_fund", lang, **ctx)] = _fund_table(c, lang)
    by_park = i18n.t("pf_by_park", lang, **ctx)
    tables[by_park[:1].upper() + by_park[1:]] = _park_table(c, pk, lang)
    tables[i18n.t("pfr_t_package", lang, **ctx)] = _package_table(c, pk, lang)
    side = _side_rows(pk.side, "pfr_side_accept", lang)
    side += _side_rows(pk.side_core, "pfr_side_core", lang)
    tables[i18n.t("pfr_t_side", lang, **ctx)] = pd.DataFrame(side)
    ratios = package_ratios(c, pk)
    tables[i18n.t("pfr_t_ratios", lang)] = pd.DataFrame(ratios_table(c, ratios, lang))
    return tables


def _figures(c: Consolidated, pk: Package, lang: str) -> list[Figure]:
    p = c.portfolio
    ctx = _context(c, lang)
    names = {x.id: i18n.pick(lang, x.name, x.name_zh) for x in p.parties}
    unit = style.unit(p.unit, lang)
    rows = []
    groups = [run.park.label(lang) for run in c.runs]
    gains = [c.park_gain[k] for k in range(len(c.runs))]
    if c.fund is not None:
        groups.append(i18n.t("pf_fund_row", lang))
        gains.append(c.fund_gain)
    groups.append(i18n.t("total", lang))
    gains.append(c.gain)
    for g, values in zip(groups, gains, strict=True):
        for run in c.runs:
            if run.park.label(lang) == g:
                present = set(run.owner)
                break
        else:
            present = set(range(len(p.parties)))
        for q, pid in enumerate(p.party_ids):
            rows.append({"group": g, "party": pid, "value": values[q] if q in present else np.nan})
    gain_label = i18n.with_unit(style.label("gain", lang), unit, lang)
    out = [
        Figure(
            "portfolio-gain",
            i18n.t("pfr_f_gain", lang),
            i18n.t("pfr_f_gain_caption", lang, **ctx),
            partial(
                plots.grouped_gains,
                pd.DataFrame(rows),
                title=i18n.t("pfr_f_gain", lang),
                ylabel=gain_label,
                names=names,
            ),
        )
    ]
    for q in range(len(p.parties)):
        who = _party_name(c, q, lang)
        title = i18n.t("pfr_f_budget", lang, party=who)
        out.append(
            Figure(
                f"portfolio-budget-{p.party_ids[q]}",
                title,
                i18n.t("pfr_f_budget_caption", lang, party=who, **ctx),
                partial(
                    plots.budget_flows,
                    _budget_frame(c, q, lang),
                    lang=lang,
                    title=title,
                    unit=p.unit,
                ),
            )
        )
    rules = [
        (i18n.t("pfr_drafted", lang), pk.package),
        (style.label("shapley", lang), pk.shapley),
    ]
    if pk.nucleolus is not None:
        rules.append((style.label("nucleolus", lang), pk.nucleolus))
    rows = [
        {"group": name, "party": pid, "value": float(x[q] - pk.alone[q])}
        for name, x in rules
        for q, pid in enumerate(p.party_ids)
    ]
    out.append(
        Figure(
            "portfolio-package",
            i18n.t("pfr_f_package", lang),
            i18n.t("pfr_f_package_caption", lang, **ctx),
            partial(
                plots.grouped_gains,
                pd.DataFrame(rows),
                title=i18n.t("pfr_f_package", lang),
                ylabel=i18n.with_unit(i18n.t("pf_gain_alone", lang), unit, lang),
                names=names,
            ),
        )
    )
    return out


def is_portfolio(path: str | Path) -> bool:
    """Whether the file at ``path`` is a portfolio (its ``parks`` table or sheet), not a
    scenario: what ``sim report`` tells them apart by."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                names = [n.split("（")[0].split("(")[0].strip() for n in book.sheetnames]
                return "parks" in names
            finally:
                book.close()
        import tomllib

        return isinstance(tomllib.loads(path.read_text(encoding="utf-8")).get("parks"), list)
    except Exception:  # not readable as either: let the scenario reader tell what is wrong
        return False


def report_of_file(path: str | Path, lang: str = "en") -> Report:
    """The report of the portfolio file at ``path``, consolidated and played as
    ``sim portfolio run`` and ``compare`` do."""
    from sim.portfolio.consolidate import consolidate
    from sim.portfolio.load import load_portfolio
    from sim.portfolio.package import package

    c = consolidate(load_portfolio(path))
    return portfolio_report(c, package(c), lang)


def _told(line: str, lang: str) -> str:
    """A line of ``sim portfolio``'s heading without its own label (``park gaozhu: …``),
    which the report's summary gives as the entry's name."""
    return line.split(i18n.colon(lang), 1)[-1]


def _policy_summary(c: Consolidated, lang: str) -> list[tuple[str, str]]:
    """The portfolio's ``[policy]`` and each park's own schedules: which value applies in
    which years."""
    from dataclasses import replace

    from sim.schema.policy import policy_lines

    p = c.portfolio
    out = []
    if p.policy:
        first = p.parks[0].scenario
        span = replace(first, start_year=c.years[0], n_years=len(c.years))
        lines = policy_lines(span, lang, p.policy)
        name = i18n.pick(lang, p.policy_name, p.policy_name_zh)
        out.append(
            (
                i18n.t("pfr_policy", lang),
                f"{name}{i18n.colon(lang)}" + i18n.semicolon(lang).join(lines),
            )
        )
    for park in p.parks:
        own = {k: v for k, v in park.scenario.schedules.items() if k not in p.policy}
        if own:
            lines = policy_lines(park.scenario, lang, own)
            out.append(
                (
                    i18n.t("pfr_park_policy", lang, id=park.label(lang)),
                    i18n.semicolon(lang).join(lines),
                )
            )
    return out


def portfolio_report(c: Consolidated, pk: Package, lang: str = "en") -> Report:
    """The report of the consolidated portfolio ``c`` and its package deal ``pk``."""
    p = c.portfolio
    heading = _heading(c, lang)
    summary = [
        (i18n.t("pfr_portfolio", lang), heading[0]),
        (i18n.t("pfr_parties", lang), _told(heading[1], lang)),
    ]
    lines = heading[2:]
    fund_line = _told(lines.pop(), lang) if p.fund is not None else ""
    parks: list[str] = []
    for line in lines:  # a park's line, then the fund's stake in it (indented)
        if line.startswith("  ") and parks:
            parks[-1] += i18n.semicolon(lang) + line.strip()
        else:
            parks.append(_told(line, lang))
    for run, line in zip(c.runs, parks, strict=True):
        summary.append((i18n.t("pfr_park", lang, id=run.park.label(lang)), line))
    if fund_line:
        summary.append((i18n.t("pfr_fund", lang), fund_line))
    summary += _policy_summary(c, lang)
    state = i18n.t("core_is_empty" if pk.core_empty else "core_not_empty", lang)
    core = i18n.t("core_line", lang, state=state, eps=f"{pk.least_core:.6g}")
    yes, no = i18n.t("yes", lang), i18n.t("NO", lang)
    core += i18n.semicolon(lang) + i18n.t("pf_in_core", lang, answer=yes if pk.in_core else no)
    summary.append((i18n.t("pfr_core", lang), _told(core, lang)))
    ratios = ratios_lines(c, package_ratios(c, pk), lang)
    told = i18n.semicolon(lang).join(x.strip().rstrip(":：") for x in ratios)
    summary.append((i18n.t("pfr_drafted_ratios", lang), told))
    findings = []
    for q in range(len(p.parties)):
        lost = [
            c.runs[k].park.label(lang) for k in range(len(c.runs)) if not pk.accepts_by_park[k, q]
        ]
        if lost and pk.accepts[q]:
            where = i18n.listing(lost, lang)
            findings.append(i18n.t("pf_overall_not_park", lang, party=p.party_ids[q], parks=where))
    return Report(
        i18n.pick(lang, p.title, p.title_zh),
        lang,
        summary,
        report_tables(c, pk, lang),
        _figures(c, pk, lang),
        findings,
    )
