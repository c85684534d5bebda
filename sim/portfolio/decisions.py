"""``sim robust`` and ``sim discover`` on a portfolio sweep: their text (English or
Chinese) and JSON documents, from :mod:`sim.portfolio.robust` and
:mod:`sim.portfolio.discover`."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import i18n
from sim.decisions.discover import Discovery, Event
from sim.errors import ResultsError
from sim.i18n import Reason
from sim.output import discovery_fields
from sim.portfolio.robust import PortfolioRobust
from sim.portfolio.sweep_spec import PortfolioSweep, load_portfolio_sweep
from sim.tables import table

if TYPE_CHECKING:
    import pandas as pd
from sim.text.decisions import discovery_text

__all__ = [
    "choice_line",
    "discover_document",
    "event_text",
    "open_portfolio_sweep",
    "render_discover",
    "render_robust",
    "robust_document",
    "write_decision",
]


_BASIS = {
    "standalone": ("pr_basis_standalone", "gain_vs_alone"),
    "source": ("pr_basis_source", "gain_vs_source"),
}
"""Each basis in words, and its gain's phrase."""


def _pct(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:.1%}"


def _num(x: float) -> str:
    return "—" if not math.isfinite(x) else f"{x:,.3f}"


def _party(sweep: PortfolioSweep, pid: str, lang: str) -> str:
    party = next(p for p in sweep.portfolio.parties if p.id == pid)
    return f"{pid} {i18n.pick(lang, party.name, party.name_zh)}"


def label(r: PortfolioRobust, a: int, lang: str) -> str:
    """Alternative ``a``'s name: the drafted package's as the catalogue says it."""
    if a == 0:
        return i18n.t("pr_drafted", lang)
    return i18n.pick(lang, r.labels[a], r.labels_zh[a])


def _terms(sweep: PortfolioSweep, r: PortfolioRobust, lang: str) -> list[str]:
    parks = {k.id: k for k in sweep.portfolio.parks}
    lines = [i18n.t("pr_terms", lang)]
    for a in range(len(r.labels)):
        parts = []
        for park_id, shares in r.shares[a].items():
            ratio = ":".join(f"{v:g}" for v in shares.values())
            parts.append(f"{parks[park_id].label(lang)} ({':'.join(shares)}) {ratio}")
        lines.append(f"  {label(r, a, lang)}{i18n.colon(lang)}" + i18n.semicolon(lang).join(parts))
    return lines


def choice_line(r: PortfolioRobust, lang: str) -> list[str]:
    """The most robust package in a sentence (none without a scenario)."""
    if r.choice is None:
        return []
    a = r.labels.index(r.choice)
    return [
        i18n.t(
            "pr_choice",
            lang,
            name=label(r, a, lang),
            share=_pct(float(r.accepted[a])),
            worst=_num(float(r.worst_off[a])),
            gain=i18n.phrase(_BASIS[r.basis][1], lang),
        )
    ]


def render_robust(sweep: PortfolioSweep, r: PortfolioRobust, lang: str = "en") -> str:
    """The readable text of ``sim robust`` on a portfolio sweep."""
    p = sweep.portfolio
    basis, phrase = _BASIS[r.basis]
    gain = i18n.phrase(phrase, lang)
    head = [
        i18n.t("pr_package", lang),
        i18n.t("pr_all_gain", lang),
        *(i18n.t("pr_gains", lang, party=q) for q in r.parties),
        *(i18n.t("pr_mean", lang, party=q, gain=gain) for q in r.parties),
        i18n.t("pr_worst", lang),
        i18n.t("regret_max", lang, amount=i18n.unit(p.unit, lang)),
    ]
    rows = [
        [
            label(r, a, lang),
            _pct(float(r.accepted[a])),
            *(_pct(float(x)) for x in r.gains_share[a]),
            *(_num(float(x)) for x in r.mean_gain[a]),
            _num(float(r.worst_off[a])),
            _num(float(r.regret["max_regret"][name] or math.nan)),
        ]
        for a, name in enumerate(r.labels)
    ]
    lines = [
        i18n.t(
            "pr_title",
            lang,
            name=p.name,
            n=f"{r.scenarios:,}",
            basis=i18n.t(basis, lang),
            unit=i18n.unit(p.unit, lang),
        ),
        "",
        table(head, rows, left=1),
        "",
    ]
    lines += choice_line(r, lang)
    regret = r.regret.get("choice")
    if regret is not None:
        a = r.labels.index(regret)
        lines.append(
            i18n.t(
                "pr_regret_choice",
                lang,
                name=label(r, a, lang),
                regret=_num(float(r.regret["max_regret"][regret])),
            )
        )
        tied = [label(r, r.labels.index(x), lang) for x in r.regret.get("tied", [])]
        if len(tied) > 1:
            lines.append(i18n.t("regret_tied", lang, tied=i18n.listing(tied, lang)))
    if len(r.labels) == 1:
        lines.append(i18n.t("pr_no_packages", lang))
    lines += ["", *_terms(sweep, r, lang)]
    if r.left_out:
        lines.append(i18n.t("regret_left_out", lang, n=f"{r.left_out:,}"))
    return "\n".join(lines)


def robust_document(sweep: PortfolioSweep, r: PortfolioRobust) -> dict[str, Any]:
    """The JSON document of ``sim robust`` on a portfolio sweep."""

    def f(x: float) -> float | None:
        return None if not math.isfinite(x) else float(x)

    return {
        "kind": "portfolio robust",
        "sweep": sweep.source,
        "sweep_digest": sweep.digest,
        "portfolio": sweep.portfolio.name,
        "unit": sweep.portfolio.unit,
        "basis": r.basis,
        "scenarios": r.scenarios,
        "left_out": r.left_out,
        "packages": [
            {
                "name": name,
                "name_zh": r.labels_zh[a] if a else i18n.t("pr_drafted", "zh"),
                "shares": r.shares[a],
                "every_party_gains": f(float(r.accepted[a])),
                "worst_off_mean_gain": f(float(r.worst_off[a])),
                "max_regret": r.regret["max_regret"][name],
                "parties": {
                    q: {
                        "gains": f(float(r.gains_share[a, i])),
                        "mean_gain": f(float(r.mean_gain[a, i])),
                        "p5_gain": f(float(r.p5_gain[a, i])),
                    }
                    for i, q in enumerate(r.parties)
                },
            }
            for a, name in enumerate(r.labels)
        ],
        "choice": r.choice,
        "regret": {
            "choice": r.regret["choice"],
            "tied": r.regret["tied"],
            "max_regret": r.regret["max_regret"],
            "p95_regret": r.regret["p95_regret"],
        },
    }


def event_text(sweep: PortfolioSweep, event: Event, lang: str) -> str:
    """The event in words: "CQ Chongqing loses overall (…)"."""
    if event.party is not None:
        who = _party(sweep, event.party, lang)
    else:
        who = i18n.t("every_party" if event.holds else "some_party", lang)
    return i18n.t("pd_gain" if event.holds else "pd_lose", lang, who=who)


def render_discover(sweep: PortfolioSweep, d: Discovery, lang: str = "en") -> str:
    """The readable text of ``sim discover`` on a portfolio sweep folder."""
    p = sweep.portfolio
    return discovery_text(d, p.name, event_text(sweep, d.event, lang), p.unit, lang)


def discover_document(sweep: PortfolioSweep, d: Discovery) -> dict[str, Any]:
    """The JSON document of ``sim discover`` on a portfolio sweep folder."""
    return {
        "kind": "portfolio discovery",
        "sweep": sweep.source,
        "sweep_digest": sweep.digest,
        "portfolio": sweep.portfolio.name,
        "event": {
            "party": d.event.party,
            "basis": "source",
            "holds": d.event.holds,
            "text": event_text(sweep, d.event, "en"),
            "text_zh": event_text(sweep, d.event, "zh"),
        },
        **discovery_fields(d, sweep.portfolio.unit),
    }


def open_portfolio_sweep(path: str | Path) -> tuple[PortfolioSweep, pd.DataFrame | None] | None:
    """A portfolio sweep file (the sweep, no results), or a ``sim portfolio sweep``
    folder (the sweep its manifest names, unchanged since, and the folder's results);
    ``None`` for anything else (a park's sweep file or folder)."""
    from sim.portfolio.sweep_run import KIND, read_portfolio_results

    path = Path(path)
    if path.is_dir():
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
            return None
        source = str(manifest.get("sweep", {}).get("file", ""))
        sweep = load_portfolio_sweep(source)
        if sweep.digest != manifest["sweep"].get("digest"):
            raise ResultsError(Reason("psweep_changed", folder=str(path), sweep=source))
        return sweep, read_portfolio_results(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    sweep_table = data.get("sweep")
    if not isinstance(sweep_table, dict) or "portfolio" not in sweep_table:
        return None
    return load_portfolio_sweep(path), None


def write_decision(
    folder: Path, kind: str, sweep: PortfolioSweep, document: dict[str, Any],
    tables: dict[str, pd.DataFrame], *, force: bool = False,
) -> None:  # fmt: skip
    """The folder of ``sim robust`` or ``sim discover`` on a portfolio sweep: its JSON
    document, tables as CSV and manifest, claimed whole or not at all."""
    from sim.csv_safe import write_csv
    from sim.files import new_folder, write_json
    from sim.store import versions

    with new_folder(folder, force=force, kind=kind) as tmp:
        write_json(tmp / f"{kind}.json", document)
        for name, frame in tables.items():
            write_csv(tmp / f"{name}.csv", frame)
        manifest = {
            "kind": f"portfolio {kind}",
            "sweep": sweep.source,
            "sweep_digest": sweep.digest,
            "portfolio": sweep.portfolio.name,
            "versions": versions(),
        }
        write_json(tmp / "manifest.json", manifest)
