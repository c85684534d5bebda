"""What the page shows, computed by the functions the commands use.

- the comparison: :func:`sim.compare.compare` with ``explain=True`` and
  :func:`sim.output.compare_document`, the numbers ``sim compare`` prints, with the
  per-clause decomposition of ``sim compare --explain``;
- the findings of ``sim report`` (:func:`sim.briefing.findings`);
- the pool-share slider: the agreement with its pool split by fixed shares (its scope,
  window, compliance, floors and clauses as written, as ``sim game`` varies them), each
  party's NPV beside its standalone value v(i), and the acceptable shares of
  :func:`sim.agreement.acceptable`;
- the figures of :func:`sim.report.scenario_report`, rendered with
  :meth:`sim.report.Figure.render`.

Nothing here imports Flask. Figures are drawn with matplotlib's pyplot, which keeps
global state, so drawing is serialised by a lock; reports and figures are cached by
the scenario's digest (its content) and language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from sim import i18n, style
from sim.compare import Comparison, compare
from sim.scenario import Scenario, Sharing

__all__ = [
    "DOWNLOADS",
    "DRAW",
    "Evaluation",
    "Slider",
    "agreement_npv",
    "at_shares",
    "download",
    "evaluate",
    "figure_svg",
    "figures",
]

K = TypeVar("K")
V = TypeVar("V")
TOL = 1e-9


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value of ``key``, made (outside the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


DRAW = threading.Lock()
"""Held while matplotlib draws (pyplot keeps global state)."""
_REPORTS: LRU[tuple[str, str], Any] = LRU(8)
_FIGURES: LRU[tuple[str, str, str], bytes] = LRU(64)


@dataclass(frozen=True)
class Slider:
    """The pool-share slider's starting point and the acceptable shares."""

    shares: tuple[float, ...]
    """The pool shares the agreement starts from: its fixed shares, the shares a
    fair-division rule came to, else an equal split."""
    feasible: bool
    low: tuple[float, ...]
    high: tuple[float, ...]
    exact: bool
    standalone: tuple[float, ...]
    lines: tuple[tuple[tuple[float, float], ...], ...] = ()
    """Per party, its acceptable shares along the slider's own line (its share moving,
    the others keeping their proportions of :attr:`shares`): every party and coalition
    at least as well off as alone (:func:`sim.agreement.acceptable_along`)."""


@dataclass(frozen=True)
class Evaluation:
    """Everything the page shows for one version of the scenario, in one language."""

    scenario: Scenario
    comparison: Comparison
    document: dict[str, Any]
    """:func:`sim.output.compare_document` of the comparison: ``sim compare``'s JSON."""
    findings: list[str]
    slider: Slider


def _slider(scenario: Scenario, start: tuple[float, ...], standalone: tuple[float, ...]) -> Slider:
    """The slider from ``start``: each party's acceptable range and, along each party's
    own line, the acceptable shares the slider can reach."""
    from sim.agreement import Context, acceptable, acceptable_along, resolve
    from sim.errors import BudgetError, UndefinedError
    from sim.model import batch_from_scenario

    n = len(scenario.parties)
    try:
        batch = batch_from_scenario(scenario)
        ctx = Context(scenario, batch)
        out = resolve(scenario, None, batch, context=ctx)
        ok = acceptable(scenario, batch=batch, context=ctx, outcome=out)
        lines = [
            acceptable_along(scenario, k, start, batch=batch, context=ctx, outcome=out)
            for k in range(n)
        ]
    except (UndefinedError, BudgetError):
        nan = (np.nan,) * n
        return Slider(start, False, nan, nan, False, standalone, ((),) * n)
    return Slider(
        start,
        ok.feasible,
        tuple(map(float, ok.low)),
        tuple(map(float, ok.high)),
        ok.exact and all(line.exact for line in lines),
        standalone,
        tuple(line.intervals for line in lines),
    )


def _start_shares(scenario: Scenario, comparison: Comparison) -> tuple[float, ...]:
    pids = scenario.party_ids
    params = scenario.sharing.params
    if scenario.sharing.rule == "fixed":
        shares = params["shares"]
        assert not isinstance(shares, float)
        return tuple(float(shares[p]) for p in pids)
    row = comparison.row("agreement")
    if row.defined and row.shares is not None:
        return tuple(map(float, row.shares))
    return (1.0 / len(pids),) * len(pids)


def evaluate(scenario: Scenario, lang: str = "en") -> Evaluation:
    """The comparison, decomposition, findings and slider of ``scenario``."""
    from sim.briefing import findings
    from sim.output import compare_document

    comparison = compare(scenario, explain=True)
    standalone = tuple(map(float, comparison.standalone))
    slider = _slider(scenario, _start_shares(scenario, comparison), standalone)
    try:
        found = findings(scenario, comparison, lang)
    except Exception:  # the agreement undefined: the table says why
        found = []
    return Evaluation(scenario, comparison, compare_document(comparison), found, slider)


def _yes(flag: bool | None, lang: str, no: str = "no") -> str:
    return "—" if flag is None else i18n.t("yes" if flag else no, lang)


def comparison_table(ev: Evaluation, lang: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The table of ``sim compare``: its header and, per agreement, its cells (amounts
    formatted as ``sim compare`` prints them) and its terms in words."""
    from sim.output import _num, agreement_name, describe_sharing
    from sim.web.text import t

    sc = ev.scenario
    pids = sc.party_ids
    header = [
        i18n.t("label_col", lang),
        t("rule", lang),
        *(i18n.t("npv_of", lang, party=p) for p in pids),
        *(i18n.t("gain_of", lang, party=p) for p in pids),
        i18n.t("all_ge_alone", lang),
        t("in_core", lang),
    ]
    rows = []
    for row in ev.comparison.rows:
        cells = [
            agreement_name(sc, row.label, lang),
            i18n.phrase(row.rule, lang),
            *(_num(v) for v in row.npv),
            *(_num(v) for v in row.gain_vs_source),
            _yes(row.all_gain_vs_standalone, lang, "NO"),
            _yes(row.in_core, lang),
        ]
        terms = describe_sharing(sc, row.sharing, lang)
        if row.shares is not None and row.defined:
            terms += " → " + ":".join(f"{x:.4f}" for x in row.shares)
        rows.append({"label": row.label, "cells": cells, "terms": terms, "defined": row.defined})
    return header, rows


def comparison_notes(ev: Evaluation, lang: str) -> list[str]:
    """The notes under the table of ``sim compare`` (why a rule is undefined, why a row
    every party accepts is not in the core), in ``lang``."""
    from sim.output import agreement_name
    from sim.text.scenario import outside_core_lines

    names = {s.label: agreement_name(ev.scenario, s.label, lang) for s in ev.scenario.compare}
    notes = ev.comparison.notes
    why = outside_core_lines(ev.comparison, lang)
    return [i18n.t("note_line", lang, note=i18n.translate(n, lang, names)) for n in notes] + why


def explain_table(ev: Evaluation, lang: str) -> tuple[list[str], list[list[str]]]:
    """``sim compare --explain``: each agreement's gain over no agreement split by clause,
    one row per agreement and party (the rows ``sim compare --explain`` prints)."""
    from sim.text.scenario import explain_rows
    from sim.web.text import t

    used, rows = explain_rows(ev.comparison, lang)
    header = [
        i18n.t("label_col", lang),
        t("party", lang),
        *(style.feature_label(f, lang) for f in used),
        style.label("gain", lang),
    ]
    return header, rows


def agreement_npv(scenario: Scenario, sharing: Sharing | None = None) -> tuple[str, Any, Any, Any]:
    """The agreement ``sharing`` (default: the scenario's own) on ``scenario``: why it is
    undefined (empty when it is defined), each party's NPV and standalone value v(i)
    (NaN beyond the parties whose game is computed), and the game (``None`` then)."""
    from sim.agreement import Context, outcome_result, resolve
    from sim.errors import BudgetError
    from sim.games.tu import Game
    from sim.model import batch_from_scenario

    n = len(scenario.parties)
    batch = batch_from_scenario(scenario)
    ctx = Context(scenario, batch)
    outcome = resolve(scenario, sharing, batch, context=ctx)
    if not outcome.defined[0]:
        return outcome.reasons[0] or "undefined", np.full(n, np.nan), np.full(n, np.nan), None
    npv = outcome_result(batch, outcome).npv[0]
    try:
        game: Game | None = Game(scenario.party_ids, ctx.values[0])
    except BudgetError:
        game = None
    alone = game.standalone if game is not None else np.full(n, np.nan)
    return "", npv, alone, game


def at_shares(scenario: Scenario, shares: tuple[float, ...], lang: str = "en") -> dict[str, Any]:
    """The agreement with its pool split by fixed ``shares`` (every other term as written):
    each party's NPV, standalone value and gain over it, whether every party and
    coalition does at least as well as alone (the shares are acceptable), and the verdict
    in ``lang``, saying why when they are not (which party or coalition gets less than on
    its own: every party at least alone is not enough with three or more)."""
    from sim.agreement import fixed_sharing
    from sim.output import outside_core

    pids = scenario.party_ids
    sharing = fixed_sharing(scenario.sharing, pids, np.array(shares))
    reason, npv, alone, game = agreement_npv(scenario, sharing)
    if reason:
        return {"defined": False, "reason": reason}
    scale = max(1.0, float(np.abs(npv).max()))
    acceptable = game.in_core(npv) if game is not None else None
    why = outside_core(game, npv, lang, names(scenario, lang)) if game is not None else ""
    verdict = i18n.page("acceptable" if acceptable else "not acceptable", lang)
    if not acceptable and why:
        verdict = i18n.t("not_acceptable_why", lang, why=why)

    def by_party(values: Any) -> dict[str, float | None]:  # strict JSON: NaN → null
        return {
            p: (float(x) if np.isfinite(x) else None) for p, x in zip(pids, values, strict=True)
        }

    return {
        "defined": True,
        "shares": by_party(shares),
        "npv": by_party(npv),
        "standalone": by_party(alone),
        "gain_vs_standalone": by_party(npv - alone),
        "at_least_alone": {p: bool(npv[i] >= alone[i] - TOL * scale) for i, p in enumerate(pids)},
        "acceptable": acceptable,
        "verdict": verdict,
    }


def _report(scenario: Scenario, lang: str) -> Any:
    from sim.report import scenario_report

    return _REPORTS.get((scenario.digest, lang), lambda: scenario_report(scenario, lang))


def figures(scenario: Scenario, lang: str) -> list[dict[str, str]]:
    """Each figure of the scenario's report: key, title and caption."""
    return [
        {"key": f.key, "title": f.title, "caption": f.caption}
        for f in _report(scenario, lang).figures
    ]


def figure_svg(scenario: Scenario, lang: str, key: str) -> bytes | None:
    """Figure ``key`` of the scenario's report as SVG (``None``: no such figure)."""
    found = [f for f in _report(scenario, lang).figures if f.key == key]
    if not found:
        return None

    def draw() -> bytes:
        with DRAW:
            data: bytes = found[0].render(lang, "svg")
            return data

    return _FIGURES.get((scenario.digest, lang, key), draw)


DOWNLOADS = {
    "scenario.toml": "application/toml",
    "scenario.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "report.html": "text/html",
    "tables.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "report.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(scenario: Scenario, what: str, lang: str, root: Path) -> tuple[bytes, str, str]:
    """A file of the edited scenario: ``scenario.toml`` or ``scenario.xlsx`` (the
    scenario workbook; both read back to the same scenario), ``report.html``,
    ``tables.xlsx`` (:func:`sim.report.write_report`, written in a temporary folder
    inside ``root`` and removed) or ``report.docx`` (the Word report). Returns the
    bytes, a file name and its media type.

    Raises
    ------
    ResultsError
        For anything else.
    """
    from sim.errors import ResultsError

    if what not in DOWNLOADS:
        raise ResultsError(f"no download {what[:50]!r} (there are: {', '.join(DOWNLOADS)})")
    stem = scenario.name
    if what == "scenario.toml":
        from sim import __version__
        from sim.scenario_toml import dumps

        header = (
            f"{scenario.title}\nWritten by sim {__version__} (`sim serve`) from "
            f"{scenario.source}: every term written out but what a firm takes from its party; "
            "the original's comments are not kept."
        )
        return dumps(scenario, header).encode(), f"{stem}.toml", DOWNLOADS[what]
    if what == "scenario.xlsx":
        from sim.scenario_toml import scenario_data
        from sim.workbook.write import write_workbook

        return write_workbook(scenario_data(scenario), lang), f"{stem}.xlsx", DOWNLOADS[what]
    from sim.report import write_report

    report = _report(scenario, lang)
    if what == "report.docx":
        from sim.report_docx import docx_bytes

        with DRAW:
            data = docx_bytes(report)
        return data, f"{stem}-report-{lang}.docx", DOWNLOADS[what]
    if what == "tables.xlsx":
        report = replace(report, figures=[])  # the workbook holds tables only
    from sim.web.workspace import temporary_folder

    with temporary_folder(root) as tmp, DRAW:
        folder = Path(tmp) / "report"
        write_report(report, folder, "png")
        data = (folder / what).read_bytes()
    suffix = Path(what).suffix
    return data, f"{stem}-report-{lang}{suffix}", DOWNLOADS[what]


def names(scenario: Scenario, lang: str) -> dict[str, str]:
    """Each party's name in ``lang``."""
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def unit(scenario: Scenario, lang: str) -> str:
    """The amount unit in ``lang``."""
    return style.unit(scenario.unit, lang)
