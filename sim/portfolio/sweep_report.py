"""The report of a portfolio sweep folder (``sim report`` on a ``sim portfolio sweep``
folder): the summary per party overall, per park and for the fund; the robust packages
(:mod:`sim.portfolio.robust`: the package as drafted and each ``[[sweep.packages]]``
package, every party against standing alone in every park); and, for each party, the
boxes of the swept inputs where it loses overall (:mod:`sim.portfolio.discover`; with
the optional ``sim[decisions]``), as a :class:`sim.report.Report`, in English or
Chinese. Its numbers are those of ``sim portfolio sweep``, ``sim robust`` and ``sim
discover`` on the folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import i18n
from sim.decisions.discover import MissingExtraError
from sim.portfolio.decisions import choice_line, event_text, label, open_portfolio_sweep
from sim.portfolio.discover import portfolio_discover
from sim.portfolio.robust import PortfolioRobust, portfolio_robust
from sim.portfolio.sweep_run import _SCOPES, _park, summarize
from sim.report import Figure, Report, boxes_table

__all__ = ["portfolio_sweep_report"]


def _summary_table(summary: dict[str, Any], lang: str) -> pd.DataFrame:
    rows = []
    for p, scopes in summary["parties"].items():
        for scope in summary["scopes"]:
            s = scopes[scope]
            where = (
                i18n.t(_SCOPES[scope], lang) if scope in _SCOPES else _park(summary, scope, lang)
            )
            row: dict[str, object] = {
                i18n.t("psw_party", lang): p,
                i18n.t("psw_scope", lang): where,
            }
            for what, head, word in (
                ("npv", "psw_npv_mean", i18n.t("npv", lang)),
                ("gain_vs_source", "psw_gain_mean", i18n.phrase("gain_vs_source", lang)),
            ):
                row[i18n.t(head, lang)] = s[what]["mean"]
                row[f"{word} {i18n.t('psw_p5', lang)}"] = s[what]["p5"]
                row[f"{word} {i18n.t('psw_p95', lang)}"] = s[what]["p95"]
            row[i18n.t("psw_p_loss", lang) + i18n.t("share_suffix", lang)] = s["p_loss"]
            rows.append(row)
    return pd.DataFrame(rows)


def _robust_table(r: PortfolioRobust, unit: str, lang: str) -> pd.DataFrame:
    share = i18n.t("share_suffix", lang)
    gain = i18n.phrase("gain_vs_alone", lang)
    rows = []
    for a, name in enumerate(r.labels):
        row: dict[str, object] = {
            i18n.t("pr_package", lang): label(r, a, lang),
            i18n.t("pr_all_gain", lang) + share: float(r.accepted[a]),
        }
        for i, q in enumerate(r.parties):
            row[i18n.t("pr_gains", lang, party=q) + share] = float(r.gains_share[a, i])
        for i, q in enumerate(r.parties):
            row[i18n.t("pr_mean", lang, party=q, gain=gain)] = float(r.mean_gain[a, i])
        row[i18n.t("pr_worst", lang)] = float(r.worst_off[a])
        row[i18n.t("regret_max", lang, amount=i18n.unit(unit, lang))] = r.regret["max_regret"][name]
        rows.append(row)
    return pd.DataFrame(rows)


def _figure(r: PortfolioRobust, unit: str, lang: str) -> Figure:
    names = [label(r, a, lang) for a in range(len(r.labels))]
    values = 100 * np.asarray(r.accepted, dtype=float)
    title = i18n.t("pr_figure", lang)

    def draw(ax: Any) -> None:
        ax.barh(names[::-1], values[::-1], color="#4C72B0")
        ax.set_xlim(0, 100)
        ax.set_xlabel(i18n.with_unit(i18n.t("pr_all_gain", lang), "%", lang))
        ax.set_title(title)  # on the picture too: pasted alone, it still says what it shows

    caption = i18n.t("pr_table", lang, unit=i18n.unit(unit, lang))
    return Figure("portfolio-robust", title, caption, draw)


def portfolio_sweep_report(folder: str | Path, lang: str = "en") -> Report:
    """The report of the portfolio sweep folder ``folder`` (see the module docstring)."""
    folder = Path(folder)
    found = open_portfolio_sweep(folder)
    assert found is not None
    sweep, table = found
    assert table is not None
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    summary = summarize(folder, manifest)
    p = sweep.portfolio
    r = portfolio_robust(sweep, table)
    tables = {
        i18n.t("psw_table", lang, unit=i18n.unit(p.unit, lang)): _summary_table(summary, lang),
        i18n.t("pr_table", lang, unit=i18n.unit(p.unit, lang)): _robust_table(r, p.unit, lang),
    }
    head = i18n.t(
        "psw_title", lang, name=p.name, n=f"{summary['scenarios_done']:,}",
        design=i18n.name(summary["design"], lang), seed=summary["seed"],
        unit=i18n.unit(p.unit, lang),
    )  # fmt: skip
    findings = choice_line(r, lang)
    for q in p.party_ids:
        try:
            d = portfolio_discover(sweep, table, q)
        except MissingExtraError:
            break
        event = event_text(sweep, d.event, lang)
        findings.append(f"{event}{i18n.colon(lang)}{d.events:,} / {d.scenarios:,} ({d.rate:.1%})")
        if d.boxes or d.tree:
            tables[i18n.t("pd_table", lang, event=event)] = boxes_table(d, p.unit, lang)
    return Report(
        title=i18n.pick(lang, p.title, p.title_zh),
        lang=lang,
        summary=[(i18n.t("pfr_portfolio", lang), head)],
        tables=tables,
        figures=[_figure(r, p.unit, lang)],
        findings=findings,
    )
