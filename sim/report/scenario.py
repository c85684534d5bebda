"""The report of a scenario (``sim report FILE``) and of a ``sim run --out`` folder."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from sim import i18n, plots, style
from sim.compare import Comparison, compare
from sim.i18n import Reason
from sim.model import STREAMS
from sim.report.base import (
    _SHARE,
    Figure,
    Report,
    _flows_heading,
    _names,
    _rule_text,
    _t,
    shown_path,
)
from sim.rules.clauses import ARISING, FirmInput, firm_inputs
from sim.scenario import Scenario
from sim.schema.policy import policy_lines


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """Tidy: one row per agreement and party (label, rule, party, npv, source, standalone…)."""
    source = next(r.npv for r in comparison.rows if r.label == "source")
    rows = []
    for r in comparison.rows:
        for i, p in enumerate(comparison.scenario.party_ids):
            rows.append(
                {
                    "label": r.label,
                    "rule": r.rule,
                    "party": p,
                    "npv": r.npv[i],
                    "gain_vs_source": r.gain_vs_source[i],
                    "gain_vs_standalone": r.gain_vs_standalone[i],
                    "source": source[i],
                    "standalone": comparison.standalone[i],
                    "all_gain_vs_standalone": r.all_gain_vs_standalone,
                    "in_core": r.in_core,
                }
            )
    return pd.DataFrame(rows)


def _yes_no(flag: bool | None) -> str:
    return "—" if flag is None else ("yes" if flag else "no")


def _display_comparison(comparison: Comparison, lang: str) -> pd.DataFrame:
    """The comparison as the report shows it, each row with the terms it runs on."""
    from sim.output import describe_sharing

    pids = comparison.scenario.party_ids
    rows = []
    for r in comparison.rows:
        row: dict[str, Any] = {_t("rule", lang): _rule_text(comparison.scenario, r.label, lang)}
        for i, p in enumerate(pids):
            row[i18n.t("npv_of", lang, party=p)] = round(float(r.npv[i]), 3)
        for i, p in enumerate(pids):
            row[f"{_t('gain_vs_source', lang)} {p}"] = round(float(r.gain_vs_source[i]), 3)
        row[_t("all_vs_alone", lang)] = _t(_yes_no(r.all_gain_vs_standalone), lang)
        row[_t("in_core", lang)] = _t(_yes_no(r.in_core), lang)
        row[_t("terms_column", lang)] = describe_sharing(comparison.scenario, r.sharing, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def statistics_table(scenario: Scenario, result: Any, lang: str = "en") -> pd.DataFrame:
    """The statistics clause's split over the horizon: each indicator's total per party
    and its share (counted, never added to money)."""
    from sim.output import statistics_document

    doc = statistics_document(result) or {}
    names = _names(scenario, lang)
    rows = []
    for indicator, v in doc.items():
        row: dict[str, Any] = {_t("indicator", lang): style.indicator_label(indicator, lang)}
        for p in scenario.party_ids:
            row[f"{names[p]}"] = v["total"][p]
            row[f"{names[p]}{_SHARE[lang]}"] = v["share"][p]
        rows.append(row)
    return pd.DataFrame(rows)


def decomposition_table(comparison: Comparison, label: str) -> pd.DataFrame:
    """Tidy: each feature's part of each party's gain over no agreement (one agreement)."""
    row = comparison.row(label)
    d = row.decomposition
    if d is None:
        return pd.DataFrame(columns=["label", "party", "feature", "value"])
    return pd.DataFrame(
        [
            {"label": label, "party": p, "feature": f, "value": float(d.parts[0, k, i])}
            for i, p in enumerate(comparison.scenario.party_ids)
            for k, f in enumerate(d.features)
        ]
    )


def tidy(frame: pd.DataFrame, scenario: Scenario | None, lang: str) -> pd.DataFrame:
    """A table for programs in ``lang``: its columns keep their keys, its agreements'
    labels (``label_zh``, a rule's name) and its unit are written in ``lang``."""
    frame = frame.copy()
    if "label" in frame.columns:
        frame["label"] = [_rule_text(scenario, x, lang) for x in frame["label"]]
    if "unit" in frame.columns:
        frame["unit"] = [style.unit(str(u), lang) for u in frame["unit"]]
    return frame


def wide_flows(frame: pd.DataFrame, party: str, lang: str = "en") -> pd.DataFrame:
    """One party's yearly flows as a table to read: a row per year, a column per stream
    (the tidy ``flows`` table pivoted; the same numbers)."""
    paid = [f"source_{s}" for s in ARISING]  # what each paid where it arises
    streams = [*STREAMS, "net", "source_tax", "transfer", *paid]
    rows = frame[frame["party"] == party].pivot(index="year", columns="stream", values="value")
    rows = rows[[s for s in streams if s in rows.columns]]
    rows.columns = [style.label(s, lang) for s in rows.columns]
    return rows.rename_axis(style.label("year", lang)).reset_index()


def _clause_inputs(scenario: Scenario) -> tuple[FirmInput, ...]:
    """The numbers firms write for the clauses that this scenario writes anywhere (a
    party's default or a firm's own): the columns its parties and firms tables add."""
    written = {n for p in scenario.parties for n in p.inputs}
    written |= {n for f in scenario.firms for n in f.inputs}
    return tuple(i for i in firm_inputs() if i.name in written)


def _input(i: FirmInput, x: float) -> float | int:
    """A clause input as a table shows it (a number of years whole)."""
    return int(x) if i.integer else x


def scenario_report(scenario: Scenario, lang: str = "en") -> Report:
    """Findings, terms, comparison, parameter and yearly tables, and figures of one
    scenario."""
    from sim.briefing import findings, terms_table
    from sim.output import describe_sharing
    from sim.store import flows_frame

    comparison = compare(scenario, explain=True)
    names = _names(scenario, lang)
    unit = style.unit(scenario.unit, lang)
    agreement = comparison.row("agreement")
    agreement.outcome.require_defined(scenario)
    assert agreement.result is not None
    result = agreement.result
    frame = flows_frame(scenario, result)
    parts = decomposition_table(comparison, "agreement")
    run_id = scenario.digest[:12]
    caption_base = (
        f"{_t('scenario', lang)} {scenario.heading(lang)} · {_t('rule', lang)} "
        f"{_t(scenario.sharing.rule, lang)} · {_t('run', lang)} {run_id}"
    )
    table = comparison_table(comparison)
    table_display = table.assign(label=[_rule_text(scenario, x, lang) for x in table["label"]])
    figures = [
        Figure(
            "comparison",
            style.label("comparison", lang),
            caption_base + i18n.t("comparison_lines", lang),
            lambda ax: plots.rule_comparison(
                table_display, ax, lang=lang, names=names, unit=scenario.unit
            ),
        ),
        *(
            Figure(
                f"flows-{p}",
                f"{style.label('flows', lang)}{style.COLON[lang]}{names[p]}",
                caption_base,
                partial(plots.flows, frame, p, lang=lang, names=names, unit=scenario.unit),
            )
            for p in scenario.party_ids
        ),
        Figure(
            "transfers",
            style.label("transfers", lang),
            caption_base,
            lambda ax: plots.transfers(frame, ax, lang=lang, names=names, unit=scenario.unit),
        ),
        *(
            Figure(
                f"waterfall-{p}",
                f"{style.label('waterfall', lang)}{style.COLON[lang]}{names[p]}",
                caption_base + i18n.t("waterfall_caption", lang),
                partial(
                    plots.decomposition_waterfall,
                    parts,
                    p,
                    lang=lang,
                    names=names,
                    unit=scenario.unit,
                ),
            )
            for p in scenario.party_ids
            if len(parts)
        ),
    ]
    inputs = _clause_inputs(scenario)
    parties = pd.DataFrame(
        [
            {
                _t("party", lang): p.id,
                _t("name", lang): names[p.id],
                _t("retained_share", lang): p.retained_share,
                **{  # its default for its firms (the input's own where it writes none)
                    i18n.t(f"firm {i.name}", lang): _input(i, p.inputs.get(i.name, i.default))
                    for i in inputs
                },
            }
            for p in scenario.parties
        ]
    )
    firms = pd.DataFrame(
        [
            {
                _t("firm", lang): f.label(lang),
                _t("registered_in", lang): f.party,
                _t("introduced_by", lang): f.introduced_by,
                _t("first_year", lang): f.first_year,
                i18n.with_unit(_t("output", lang), unit, lang): f.output,
                _t("growth", lang): f.growth,
                **{  # its own, else its party's default
                    i18n.t(f"firm {i.name}", lang): _input(i, scenario.firm_input(f, i.name))
                    for i in inputs
                },
            }
            for f in scenario.firms
        ]
    )
    title = i18n.pick(lang, scenario.title, scenario.title_zh)
    summary = [
        (_t("scenario", lang), f"{title} [{scenario.name}]"),
        (
            i18n.t("summary_agreement", lang),
            describe_sharing(scenario, scenario.sharing, lang),
        ),
        (
            i18n.t("summary_horizon", lang),
            i18n.t(
                "summary_years",
                lang,
                start=scenario.start_year,
                end=scenario.end_year,
                rate=f"{scenario.discount_rate:.1%}",
            ),
        ),
        *(
            (i18n.t("policy_label", lang), line)
            for line in policy_lines(scenario, lang)  # a fiscal parameter given by year
        ),
        (i18n.t("summary_unit", lang), unit),
        (_t("run", lang), run_id),
    ]
    names = _names(scenario, lang)
    yearly = {
        _flows_heading(p, names, lang): wide_flows(frame, p, lang) for p in scenario.party_ids
    }
    return Report(
        title,
        lang,
        summary,
        {
            _t("terms_table", lang): terms_table(scenario, lang),
            _t("comparison_table", lang): _display_comparison(comparison, lang),
            _t("parties", lang): parties,
            _t("parameters", lang): firms,
            _t("statistics_split", lang): statistics_table(scenario, result, lang),
            **yearly,
            "comparison (tidy)": tidy(table, scenario, lang),
            "decomposition (tidy)": tidy(parts, scenario, lang),
            "flows (tidy)": tidy(frame, scenario, lang),
        },
        figures,
        findings(scenario, comparison, lang),
    )


def run_report(folder: str | Path, lang: str = "en") -> Report:
    """Figures and tables of a ``sim run --out`` folder (from its stored flows)."""
    import json

    from sim.errors import ResultsError

    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        frame = pd.read_parquet(folder / "flows.parquet")
    except (OSError, ValueError) as exc:
        raise ResultsError(Reason("not_run_folder", folder=folder, error=exc)) from None
    name = manifest["scenario"]["name"]
    unit = str(frame["unit"].iloc[0])
    parties = [p for p in dict.fromkeys(frame["party"]) if p != "central"]
    scenario, note = _stored_scenario(folder, manifest)
    names = _names(scenario, lang) if scenario is not None else {p: p for p in parties}
    title = name if scenario is None else (i18n.pick(lang, scenario.title, scenario.title_zh))
    rule = _t(manifest["rule"], lang)
    caption = (
        f"{_t('scenario', lang)} {name if scenario is None else scenario.heading(lang)} · "
        f"{_t('rule', lang)} {rule} · "
        f"{_t('run', lang)} {manifest['scenario']['digest'][:12]}"
    )
    figures = [
        *(
            Figure(
                f"flows-{p}",
                f"{style.label('flows', lang)}{style.COLON[lang]}{names[p]}",
                caption,
                partial(plots.flows, frame, p, lang=lang, names=names, unit=unit),
            )
            for p in parties
        ),
        Figure(
            "transfers",
            style.label("transfers", lang),
            caption,
            partial(plots.transfers, frame, lang=lang, names=names, unit=unit),
        ),
    ]
    net = frame[frame["stream"] == "net"].pivot(index="year", columns="party", values="value")
    net = net.rename_axis(style.label("year", lang)).reset_index()
    summary = [(_t("scenario", lang), f"{title} [{name}]"), (_t("rule", lang), rule)]
    summary += [(_t("note", lang), note.text(lang))] if note is not None else []
    if scenario is not None:  # the fiscal parameters given by year
        summary += [(i18n.t("policy_label", lang), x) for x in policy_lines(scenario, lang)]
    tables = {i18n.with_unit(style.label("net", lang), style.unit(unit, lang), lang): net}
    tables |= {_flows_heading(p, names, lang): wide_flows(frame, p, lang) for p in parties}
    return Report(
        title, lang, summary, {**tables, "flows (tidy)": tidy(frame, scenario, lang)}, figures
    )


def _stored_scenario(folder: Path, manifest: dict[str, Any]) -> tuple[Scenario | None, Any]:
    """The scenario a run folder stored (``inputs/``), and a note if the file it was run
    from has changed or gone since; ``None`` for a folder from before sim stored it."""
    from sim.errors import ResultsError, ScenarioError
    from sim.scenario import load
    from sim.style import Note

    stored = sorted((folder / "inputs").glob("scenario.*"))
    if not stored:
        return None, None
    scenario = load(stored[0])
    digest = manifest["scenario"]["digest"]
    if scenario.digest != digest:
        raise ResultsError(Reason("digest_mismatch", folder=folder))
    source = str(manifest["scenario"].get("file") or "")
    if not source or not Path(source).is_file():
        return scenario, Note("gone", {"source": source or "?"})
    try:
        changed = load(source).digest != digest
    except ScenarioError:
        changed = True
    return scenario, Note("changed", {"source": shown_path(source)}) if changed else None
