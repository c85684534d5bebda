"""Reports: the figures and tables of a scenario, a sweep or a sensitivity analysis.

:func:`scenario_figures`, :func:`sweep_figures` and :func:`sensitivity_figures` turn
results into :class:`Figure` records (a drawing function, title and caption);
:func:`write_report` renders them into one self-contained HTML file (figures embedded
as PNG, no external requests), saves each figure as PNG, SVG or PDF, and writes the
tables to an ``.xlsx`` workbook. English or Chinese (``lang = "zh"``: party names from
``name_zh``, labels and captions translated, amounts in 亿元). No dates or random ids
go into any file, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import plots, style
from sim.compare import Comparison, compare
from sim.report_tables import numbered_figures, numbered_tables
from sim.scenario import Scenario

__all__ = [
    "Figure",
    "Report",
    "comparison_table",
    "decomposition_table",
    "discovery_figures",
    "discovery_report",
    "robust_figures",
    "robust_report",
    "run_report",
    "scenario_report",
    "sensitivity_report",
    "sweep_report",
    "write_report",
]

Draw = Callable[[Any], Any]

_ZH = {  # report wording; rule names come from sim.output's terms
    "agreement": "协议",
    "source": "属地（无协议）",
    "Scenario": "情景",
    "Parties": "参与方",
    "Comparison of sharing rules": "分享规则比较",
    "Figures": "图",
    "Parameters": "参数",
    "party": "参与方",
    "name": "名称",
    "retained share": "本级留成比例",
    "rule": "规则",
    "gain vs source": "较属地增减",
    "gain vs alone": "较独立增减",
    "every party ≥ standing alone": "各方均不低于独立发展",
    "—": "—",
    "in core": "在核心内",
    "yes": "是",
    "no": "否",
    "firm": "企业",
    "registered in": "注册地",
    "introduced by": "引进方",
    "first year": "投产年份",
    "output": "产值",
    "growth": "增长率",
    "Summary": "摘要",
    "seed": "随机种子",
    "run": "运行编号",
    "Sensitivity": "敏感性分析",
    "Sweep": "情景扫描",
    "Statistics": "统计指标分算",
    "clause": "条款",
    "Gain over no agreement by clause (median)": "相对无协议的收益（按条款，中位数）",
    "Statistics counted (median share)": "统计指标分算（中位数比例）",
    "indicator": "指标",
    "value_added": "增加值",
    "tax": "税收",
    "investment": "固定资产投资",
    "other inputs at their medians": "其他输入取中位数",
    "INCOMPLETE": "未完成",
    "Terms": "计算依据",
    "terms": "所依条款",
    "Swept inputs": "变动的输入",
    "input": "输入",
    "distribution": "分布",
    "correlation": "相关",
    "every swept input varies": "所有变动输入均随情景变化",
    "the other swept inputs vary within each cell": "每格内其他变动输入随情景变化",
    "Yearly flows": "年度收支",
    "Findings": "主要结论",
    "runs": "次运行",
    "p5": "净现值 5% 分位",
    "p50": "净现值中位数",
    "p95": "净现值 95% 分位",
    "P(< source)": "劣于无协议的概率",
    "P(< alone)": "劣于独立发展的概率",
    "P(all ≥ alone)": "各方均不低于独立发展的概率",
    "P(all ≥ source)": "各方均不低于无协议的概率",
    "undefined": "无定义的情景数",
    "scenarios": "个情景",
    "incomplete: {k} of {n} scenarios": "未完成：已算 {k} / {n} 个情景",
    "design": "抽样设计",
    "note": "说明",
    "Robust shares": "稳健分成比例",
    "Minimax regret": "极小化最大遗憾",
    "max regret": "最大遗憾",
    "p95 regret": "95% 分位遗憾",
    "choice": "选择",
    "method": "方法",
    "conditions": "条件",
    "mass": "情景占比",
    "Scenario discovery": "情景发现",
    "event": "事件",
    "scenarios with the event": "发生事件的情景",
}


def shown_path(path: str | Path) -> str:
    """A file as a report names it: relative to the working folder where it lies inside
    it, else by its name alone (no absolute local paths in a document that travels)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return p.name


def _rule_text(scenario: Scenario | None, label: str, lang: str) -> str:
    from sim.output import agreement_name

    return agreement_name(scenario, label, lang)


def _t(text: str, lang: str) -> str:
    from sim import i18n

    return i18n.pick(lang, text, _ZH.get(text, i18n.name(text, lang)))


@dataclass(frozen=True)
class Figure:
    """A figure of a report: its key, title, caption and how to draw it."""

    key: str
    title: str
    caption: str
    draw: Draw
    """Called with an Axes (inside sim's style) to draw the figure."""
    size: tuple[float, float] | None = None

    def render(self, lang: str, fmt: str = "png", dpi: int | None = None) -> bytes:
        """The figure drawn in sim's style, as the bytes of a PNG, SVG or PDF file
        (``dpi``: of a PNG, instead of sim's 200)."""
        with plots.figure(lang, self.size) as (fig, ax):
            self.draw(ax)
            return style.to_bytes(fig, fmt, dpi=dpi)


@dataclass(frozen=True)
class Report:
    """A report: title, summary lines, tables and figures, in one language."""

    title: str
    lang: str
    summary: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame]
    figures: list[Figure] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """Sentences a reader needs first (:func:`sim.briefing.findings`), shown up front."""


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    return {p.id: (p.name_zh if lang == "zh" else p.name) for p in scenario.parties}


def _flows_heading(p: str, names: dict[str, str], lang: str) -> str:
    """A party's yearly-flows table: its code first (the workbook's sheet keeps 31
    characters of it), then its name."""
    name = names.get(p, p)
    who = p if name == p else (f"{p}（{name}）" if lang == "zh" else f"{p} ({name})")
    return f"{_t('Yearly flows', lang)} {who}"


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
            row[f"NPV {p}" if lang == "en" else f"净现值 {p}"] = round(float(r.npv[i]), 3)
        for i, p in enumerate(pids):
            row[f"{_t('gain vs source', lang)} {p}"] = round(float(r.gain_vs_source[i]), 3)
        row[_t("every party ≥ standing alone", lang)] = _t(_yes_no(r.all_gain_vs_standalone), lang)
        row[_t("in core", lang)] = _t(_yes_no(r.in_core), lang)
        row[_t("terms", lang)] = describe_sharing(comparison.scenario, r.sharing, lang)
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
        row: dict[str, Any] = {_t("indicator", lang): _t(indicator, lang).replace("_", " ")}
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


def wide_flows(frame: pd.DataFrame, party: str, lang: str = "en") -> pd.DataFrame:
    """One party's yearly flows as a table to read: a row per year, a column per stream
    (the tidy ``flows`` table pivoted; the same numbers)."""
    streams = ["tax", "land", "dividends", "investment", "net", "source_tax", "transfer"]
    rows = frame[frame["party"] == party].pivot(index="year", columns="stream", values="value")
    rows = rows[[s for s in streams if s in rows.columns]]
    rows.columns = [style.label(s, lang) for s in rows.columns]
    return rows.rename_axis(style.label("year", lang)).reset_index()


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
        f"{_t('Scenario', lang)} {scenario.name} · {_t('rule', lang)} "
        f"{_t(scenario.sharing.rule, lang)} · {_t('run', lang)} {run_id}"
    )
    table = comparison_table(comparison)
    table_display = table.assign(label=[_rule_text(scenario, x, lang) for x in table["label"]])
    figures = [
        Figure(
            "comparison",
            style.label("comparison", lang),
            caption_base
            + (
                " · dashed: no agreement; dotted: standing alone"
                if lang == "en"
                else " · 虚线：无协议；点线：独立发展"
            ),
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
                caption_base
                + (
                    " · Shapley value over the agreement's clauses; parts sum to the gain"
                    if lang == "en"
                    else " · 按协议条款的 Shapley 值分解，各部分之和等于总收益"
                ),
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
    parties = pd.DataFrame(
        [
            {
                _t("party", lang): p.id,
                _t("name", lang): names[p.id],
                _t("retained share", lang): p.retained_share,
            }
            for p in scenario.parties
        ]
    )
    firms = pd.DataFrame(
        [
            {
                _t("firm", lang): f.label(lang),
                _t("registered in", lang): f.party,
                _t("introduced by", lang): f.introduced_by,
                _t("first year", lang): f.first_year,
                f"{_t('output', lang)} ({unit})": f.output,
                _t("growth", lang): f.growth,
            }
            for f in scenario.firms
        ]
    )
    title = scenario.title_zh if lang == "zh" else scenario.title
    summary = [
        (_t("Scenario", lang), f"{title} [{scenario.name}]"),
        (
            "协议" if lang == "zh" else "Agreement",
            describe_sharing(scenario, scenario.sharing, lang),
        ),
        (
            "期限" if lang == "zh" else "Horizon",
            f"{scenario.start_year}–{scenario.end_year}"
            + (
                f"，折现率 {scenario.discount_rate:.1%}"
                if lang == "zh"
                else f", discount rate {scenario.discount_rate:.1%}"
            ),
        ),
        ("单位" if lang == "zh" else "Unit", unit),
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
            _t("Terms", lang): terms_table(scenario, lang),
            _t("Comparison of sharing rules", lang): _display_comparison(comparison, lang),
            _t("Parties", lang): parties,
            _t("Parameters", lang): firms,
            _t("Statistics", lang): statistics_table(scenario, result, lang),
            **yearly,
            "comparison (tidy)": table,
            "decomposition (tidy)": parts,
            "flows (tidy)": frame,
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
        raise ResultsError(f"{folder}: not a `sim run --out` folder ({exc})") from None
    name = manifest["scenario"]["name"]
    unit = str(frame["unit"].iloc[0])
    parties = [p for p in dict.fromkeys(frame["party"]) if p != "central"]
    scenario, note = _stored_scenario(folder, manifest)
    names = _names(scenario, lang) if scenario is not None else {p: p for p in parties}
    title = name if scenario is None else (scenario.title_zh if lang == "zh" else scenario.title)
    rule = _t(manifest["rule"], lang)
    caption = (
        f"{_t('Scenario', lang)} {name} · {_t('rule', lang)} {rule} · "
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
    summary = [(_t("Scenario", lang), f"{title} [{name}]"), (_t("rule", lang), rule)]
    summary += [(_t("note", lang), note.text(lang))] if note is not None else []
    tables = {f"{style.label('net', lang)} ({style.unit(unit, lang)})": net}
    tables |= {_flows_heading(p, names, lang): wide_flows(frame, p, lang) for p in parties}
    return Report(title, lang, summary, {**tables, "flows (tidy)": frame}, figures)


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
        raise ResultsError(f"{folder}: its stored inputs do not match the run's digest")
    source = str(manifest["scenario"].get("file") or "")
    if not source or not Path(source).is_file():
        return scenario, Note("gone", {"source": source or "?"})
    try:
        changed = load(source).digest != digest
    except ScenarioError:
        changed = True
    return scenario, Note("changed", {"source": shown_path(source)}) if changed else None


def swept_inputs_table(spec: Any, lang: str = "en") -> pd.DataFrame:
    """Every swept input: its name, key path, distribution (values in its unit) and the
    inputs it is correlated with."""
    zh = lang == "zh"
    corr = spec.correlation
    rows = []
    for j, p in enumerate(spec.parameters):
        name = p.binding.label_zh if zh else p.binding.label_en
        linked = []
        if corr is not None:
            for k, other in enumerate(spec.parameters):
                if k != j and corr[j, k] != 0:
                    o = other.binding.label_zh if zh else other.binding.label_en
                    linked.append(f"{o} {corr[j, k]:+.2g}")
        rows.append(
            {
                _t("input", lang): name,
                # the key path is for whoever reruns the sweep, not for a Chinese briefing
                **({} if zh else {"key": p.path}),
                _t("distribution", lang): p.text(lang, spec.scenario.unit),
                _t("correlation", lang): ("；" if zh else "; ").join(linked)
                or ("无" if zh else "none"),
            }
        )
    return pd.DataFrame(rows)


def sweep_report(folder: str | Path, lang: str = "en", fan_scenarios: int = 2000) -> Report:
    """Summary table and figures of a stored sweep."""
    from sim.sweep.execute import read_manifest, read_results
    from sim.sweep.spec import stored_spec
    from sim.sweep.summary import summarize

    folder = Path(folder)
    manifest = read_manifest(folder)
    spec, changed = stored_spec(folder, manifest)
    scenario = spec.scenario
    names = _names(scenario, lang)
    results = read_results(folder)
    doc = summarize(folder)
    parties = list(scenario.party_ids)
    run_id = f"{folder.name}/{manifest['sweep']['digest'][:12]}"
    done = (
        f"n={spec.n:,}"
        if doc["complete"]
        else _t("INCOMPLETE", lang) + f" {doc['scenarios_done']:,} / {spec.n:,}"
    )
    caption = (
        f"{_t('Scenario', lang)} {scenario.name} · {_t(spec.design, lang)} {done} · "
        f"{_t('seed', lang)} {spec.seed} · {_t('run', lang)} {run_id}"
    )
    rows = []
    for rule, entry in doc["rules"].items():
        for p, s in entry["parties"].items():
            rows.append(
                {
                    _t("rule", lang): _rule_text(scenario, rule, lang),
                    _t("party", lang): p,
                    _t("p5", lang): s["npv_p5"],
                    _t("p50", lang): s["npv_p50"],
                    _t("p95", lang): s["npv_p95"],
                    _t("P(< source)", lang): s["p_worse_than_source"],
                    **(
                        {_t("P(< alone)", lang): s["p_worse_than_alone"]}
                        if "p_worse_than_alone" in s
                        else {}
                    ),
                    _t(
                        "P(all ≥ alone)"
                        if entry["all_gain_basis"] == "standalone"
                        else "P(all ≥ source)",
                        lang,
                    ): entry["p_all_gain"],
                    _t("undefined", lang): entry["undefined"],
                }
            )
    summary_table = pd.DataFrame(rows)
    shown = (
        results.assign(rule=[_rule_text(scenario, r, lang) for r in results["rule"]])
        if lang == "zh"
        else results
    )
    figures = [
        Figure(
            "distribution",
            style.label("distribution", lang),
            caption + " · " + _t("every swept input varies", lang),
            lambda ax: plots.npv_distribution(
                shown,
                parties,
                ax,
                rules=[_rule_text(scenario, r, lang) for r in spec.rules],
                lang=lang,
                names=names,
                unit=scenario.unit,
            ),
        )
    ]
    quantiles = _fan_quantiles(spec, min(fan_scenarios, spec.n))
    figures.append(
        Figure(
            "fan",
            style.label("fan", lang),
            caption
            + f" · {min(fan_scenarios, spec.n):,} "
            + _t("scenarios", lang)
            + " · "
            + _t("every swept input varies", lang),
            lambda ax: plots.fan_chart(quantiles, ax, lang=lang, names=names, unit=scenario.unit),
        )
    )
    continuous = [
        p.path for p in spec.parameters if p.distribution.kind not in ("values", "choice")
    ]
    inputs = {  # each swept input's name in the report's language
        p.path: p.binding.label_zh if lang == "zh" else p.binding.label_en for p in spec.parameters
    }
    if len(continuous) >= 2 and "agreement" in spec.rules:
        x, y = continuous[0], continuous[1]
        figures.append(
            Figure(
                "heatmap",
                style.label("heatmap", lang),
                caption + " · " + _t("the other swept inputs vary within each cell", lang),
                lambda ax: plots.heatmap(results, x, y, parties, ax, lang=lang, labels=inputs),
            )
        )
    if len(parties) == 2 and continuous and scenario.sharing.rule == "fixed":
        band = _band(spec, continuous[0])
        agreed = float(scenario.sharing.params["shares"][parties[0]])  # type: ignore[index]
        figures.append(
            Figure(
                "band",
                style.label("band", lang),
                caption + " · " + _t("other inputs at their medians", lang),
                lambda ax: plots.acceptable_band(
                    band,
                    parties[0],
                    ax,
                    parameter=inputs[continuous[0]],
                    agreed=agreed,
                    lang=lang,
                    names=names,
                ),
            )
        )
    title = scenario.title_zh if lang == "zh" else scenario.title
    summary = [
        (_t("Sweep", lang), shown_path(spec.source)),
        (_t("Scenario", lang), title),
        (_t("design", lang), f"{_t(spec.design, lang)}, n = {spec.n:,}"),
        *(
            []
            if doc["complete"]
            else [
                (
                    _t("INCOMPLETE", lang),
                    _t("incomplete: {k} of {n} scenarios", lang).format(
                        k=f"{doc['scenarios_done']:,}", n=f"{spec.n:,}"
                    ),
                )
            ]
        ),
        *([(_t("note", lang), changed.text(lang))] if changed else []),
        (_t("seed", lang), str(spec.seed)),
        (_t("run", lang), run_id),
    ]
    tables = {
        _t("Swept inputs", lang): swept_inputs_table(spec, lang),
        _t("Summary", lang): summary_table,
        **_sweep_clause_tables(doc, names, lang, scenario),
    }
    _decisions(spec, results, lang, tables, figures, summary)
    return Report(title, lang, summary, tables, figures)


ROBUST_IN_REPORT = 100_000
"""Largest sweep whose report includes ``sim robust`` (it evaluates the sweep again)."""
DISCOVERY_ROWS = 100_000
"""Most scenarios PRIM and CART look at in a report (a seeded random subset beyond)."""


def _decisions(
    spec: Any,
    results: pd.DataFrame,
    lang: str,
    tables: dict[str, pd.DataFrame],
    figures: list[Figure],
    summary: list[tuple[str, str]],
) -> None:
    """The sweep report's decisions: the robust shares (two or three parties, the file's
    agreement) and, with ``sim[decisions]`` installed, when each party would be worse off
    under the agreement than with no agreement."""
    from sim.decisions.discover import Event, MissingExtraError, discover
    from sim.decisions.robust import robust

    parties = spec.scenario.party_ids
    if "agreement" in spec.rules and len(parties) <= 3 and spec.n <= ROBUST_IN_REPORT:
        result = robust(spec)
        tables.update(robust_tables(result, lang, spec.scenario))
        figures.extend(robust_figures(spec, result, lang))
    rows = results[results["rule"] == "agreement"]
    if "agreement" not in spec.rules or rows.empty:
        return
    if len(rows) > DISCOVERY_ROWS:
        keep = np.random.default_rng(spec.seed).choice(len(rows), DISCOVERY_ROWS, replace=False)
        rows = rows.iloc[np.sort(keep)]
        summary.append(
            (_t("Scenario discovery", lang), f"{DISCOVERY_ROWS:,} / {spec.n:,} (seed {spec.seed})")
        )
    for party in parties:
        worse = (rows[f"gain_vs_source.{party}"] < 0).mean()
        if not 0.01 <= worse <= 0.99:
            continue
        try:
            found = discover(spec, rows, Event(party=party, basis="source"))
        except MissingExtraError:
            summary.append((_t("Scenario discovery", lang), "pip install 'sim[decisions]'"))
            return
        tables.update(discovery_tables(spec, found, lang))
        figures.extend(
            replace(f, key=f"{f.key}-{party}") for f in discovery_figures(spec, found, lang)
        )


def _sweep_clause_tables(
    doc: dict[str, Any], names: dict[str, str], lang: str, scenario: Scenario | None = None
) -> dict[str, pd.DataFrame]:
    """Medians of the gain by clause and of the statistics shares, per agreement."""
    parts, stats = [], []
    for rule, entry in doc["rules"].items():
        for feature, by_party in entry.get("decomposition_median", {}).items():
            row: dict[str, Any] = {
                _t("rule", lang): _rule_text(scenario, rule, lang),
                _t("clause", lang): style.feature_label(feature, lang),
            }
            row.update({names[p]: v for p, v in by_party.items()})
            parts.append(row)
        for indicator, by_party in entry.get("statistics_share_median", {}).items():
            row = {
                _t("rule", lang): _rule_text(scenario, rule, lang),
                _t("indicator", lang): _t(indicator, lang),
            }
            row.update({f"{names[p]}{_SHARE[lang]}": v for p, v in by_party.items()})
            stats.append(row)
    out = {}
    if parts:
        out[_t("Gain over no agreement by clause (median)", lang)] = pd.DataFrame(parts)
    if stats:
        out[_t("Statistics counted (median share)", lang)] = pd.DataFrame(stats)
    return out


def _fan_quantiles(spec: Any, k: int) -> pd.DataFrame:
    from sim.sweep.designs import sample
    from sim.sweep.run import evaluate_agreement

    label = "agreement" if "agreement" in spec.rules else spec.rules[0]
    _, result = evaluate_agreement(spec, sample(spec, 0, k), label, streams=True)
    assert result is not None
    q = np.nanpercentile(result.net, [5, 50, 95], axis=0)  # (3, P, T)
    rows = [
        {"party": p, "year": int(y), "p5": q[0, i, t], "p50": q[1, i, t], "p95": q[2, i, t]}
        for i, p in enumerate(spec.scenario.party_ids)
        for t, y in enumerate(spec.scenario.years)
    ]
    return pd.DataFrame(rows)


def _band(spec: Any, path: str, points: int = 25) -> pd.DataFrame:
    """Acceptable share interval of the first party across ``path``, others at medians.

    On the agreement as it runs (floors, compliance, window and clauses included).
    """
    from sim.agreement import acceptable
    from sim.sweep.run import agreements, apply_parameters

    j = [p.path for p in spec.parameters].index(path)
    values = spec.parameters[j].distribution.ppf(np.linspace(0.02, 0.98, points))
    medians = np.array([p.distribution.ppf(np.array([0.5]))[0] for p in spec.parameters])
    x = np.repeat(medians[None, :], points, axis=0)
    x[:, j] = values
    batch, terms = apply_parameters(spec, x, ("agreement",))
    from sim.agreement import Context, resolve

    sc = spec.scenario
    ctx = Context(sc, batch)
    outcome = resolve(sc, agreements(sc)["agreement"], batch, terms["agreement"], context=ctx)
    low, high = np.full(points, np.nan), np.full(points, np.nan)
    for r in range(points):
        ok = acceptable(sc, batch=batch, context=ctx, outcome=outcome, index=r)
        if ok.feasible:
            low[r], high[r] = ok.low[0], ok.high[0]
    return pd.DataFrame({"value": values, "low": low, "high": high})


def _sweep_caption(spec: Any, lang: str) -> str:
    return (
        f"{_t('Scenario', lang)} {spec.scenario.name} · {_t(spec.design, lang)} n={spec.n:,} · "
        f"{_t('seed', lang)} {spec.seed}"
    )


def robust_figures(spec: Any, result: Any, lang: str = "en") -> list[Figure]:
    """The figure of ``sim robust``: P(every party accepts) against the first party's
    share (two parties) or over the simplex (three); none for more parties."""
    parties = list(result.parties)
    names = _names(spec.scenario, lang)
    basis = style.label("standalone" if result.basis == "standalone" else "source", lang)
    caption = f"{_sweep_caption(spec, lang)} · {basis}"
    if result.curve is not None:
        curve = pd.DataFrame(result.curve, columns=["share", "probability"])
        marks = {k: (v["shares"][parties[0]], v["probability"]) for k, v in result.marked.items()}
        draw = partial(
            plots.robust_curve,
            curve,
            parties[0],
            best=float(result.best_shares[0]),
            probability=result.best_probability,
            marks=marks,
            near=result.near_best,
            basis=result.basis,
            lang=lang,
            names=names,
        )
        return [Figure("robust", style.label("robust", lang), caption, draw)]
    if result.grid is not None and len(parties) == 3:
        grid = pd.DataFrame(result.grid, columns=[*parties, "probability"])
        points = {k: [v["shares"][p] for p in parties] for k, v in result.marked.items()}
        draw = partial(
            plots.robust_simplex,
            grid,
            parties,
            best=list(result.best_shares),
            marks=points,
            basis=result.basis,
            lang=lang,
            names=names,
        )
        return [Figure("robust", style.label("robust", lang), caption, draw)]
    return []


def robust_tables(
    result: Any, lang: str = "en", scenario: Scenario | None = None
) -> dict[str, pd.DataFrame]:
    """The shares compared and the regret table of ``sim robust``."""
    parties = list(result.parties)
    p_head = style.label("p_accept" if result.basis == "standalone" else "p_accept_source", lang)
    share = {p: f"{p}: {style.label('share_of', lang)}" for p in parties}
    rows = [
        {"": style.label("best", lang),
         **{share[p]: x for p, x in zip(parties, result.best_shares, strict=True)},
         p_head: result.best_probability}
    ]  # fmt: skip
    for name, entry in result.marked.items():
        written = "" if name == "drafted" else " " + style.label("as_written", lang)
        rows.append(
            {
                "": style.label(name, lang) + written,
                **{share[p]: entry["shares"][p] for p in parties},
                p_head: entry["probability"],
            }
        )
    regret = result.regret
    reg = pd.DataFrame(
        {
            _t("rule", lang): [_rule_text(scenario, k, lang) for k in regret["max_regret"]],
            _t("max regret", lang): list(regret["max_regret"].values()),
            _t("p95 regret", lang): list(regret["p95_regret"].values()),
        }
    )
    return {_t("Robust shares", lang): pd.DataFrame(rows), _t("Minimax regret", lang): reg}


def robust_report(spec: Any, result: Any, lang: str = "en") -> Report:
    """``sim robust`` as a report: the shares compared, the regret table and the figure."""
    sc = spec.scenario
    title = sc.title_zh if lang == "zh" else sc.title
    summary = [
        (_t("Sweep", lang), shown_path(spec.source)),
        (
            _t("Robust shares", lang),
            _t("choice", lang) + ": " + _t(result.regret["choice"] or "—", lang),
        ),
    ]
    return Report(
        title,
        lang,
        summary,
        robust_tables(result, lang, spec.scenario),
        robust_figures(spec, result, lang),
    )


def _limits_table(box: Any, ranges: dict[str, tuple[float, float]], lang: str, unit: str) -> Any:
    from sim.schema import value_text

    rows = []
    for c in box.conditions:
        lo, hi = ranges.get(c.path, (np.nan, np.nan))
        lower, upper = c.limits()  # a year: the whole numbers the box keeps, as its text says
        rows.append(
            {
                "input": c.label_zh if lang == "zh" else c.label_en,
                "low": lo,
                "high": hi,
                "low_text": value_text(lo, c.unit, lang, unit),
                "high_text": value_text(hi, c.unit, lang, unit),
                "lower": np.nan if lower is None else lower,
                "upper": np.nan if upper is None else upper,
                "lower_text": "" if lower is None else value_text(lower, c.unit, lang, unit),
                "upper_text": "" if upper is None else value_text(upper, c.unit, lang, unit),
            }
        )
    return pd.DataFrame(rows)


def discovery_figures(spec: Any, result: Any, lang: str = "en") -> list[Figure]:
    """PRIM's trade-off curve and the limits of each box it found."""
    amount = style.unit(spec.scenario.unit, lang)
    event = result.event.describe(spec.scenario, lang)
    caption = f"{_sweep_caption(spec, lang)} · {event}"
    figures = []
    for i, (box, trajectory) in enumerate(zip(result.boxes, result.trajectories, strict=True)):
        k = i + 1
        figures.append(
            Figure(
                f"tradeoff-{k}",
                f"{style.label('tradeoff', lang)} ({k})",
                caption,
                partial(plots.prim_tradeoff, trajectory, chosen=box.step, lang=lang),
            )
        )
        limits = _limits_table(box, result.ranges, lang, amount)
        stats = (
            f"{style.label('coverage', lang)} {box.coverage:.0%} · "
            f"{style.label('density', lang)} {box.density:.0%}"
        )
        figures.append(
            Figure(
                f"box-{k}",
                f"{style.label('box', lang)} ({k})",
                f"{caption} · {stats}",
                partial(plots.box_limits, limits, lang=lang, title=f"{event} ({k}): {stats}"),
                size=(style.FIGSIZE[0], max(4.0, 2.0 + 1.2 * len(limits)) / 2.54 * 1.6),
            )
        )
    return figures


def discovery_tables(spec: Any, result: Any, lang: str = "en") -> dict[str, pd.DataFrame]:
    """The boxes PRIM and CART found, as conditions in words."""
    amount = style.unit(spec.scenario.unit, lang)
    rows = [
        {
            _t("method", lang): b.method.upper(),
            _t("conditions", lang): b.text(lang, amount),
            style.label("coverage", lang): b.coverage,
            style.label("density", lang): b.density,
            _t("mass", lang): b.mass,
            f"{style.label('lift', lang)} (÷ {result.rate:.1%})": result.lift(b),
        }
        for b in [*result.boxes, *result.tree]
    ]
    event = result.event.describe(spec.scenario, lang)
    title = f"{_t('Scenario discovery', lang)}{style.COLON[lang]}{event}"
    return {title: pd.DataFrame(rows)}


def discovery_report(spec: Any, result: Any, lang: str = "en") -> Report:
    """``sim discover`` as a report: the boxes in words and PRIM's figures."""
    sc = spec.scenario
    title = sc.title_zh if lang == "zh" else sc.title
    summary = [
        (_t("Sweep", lang), shown_path(spec.source)),
        (_t("event", lang), result.event.describe(sc, lang)),
        (_t("scenarios with the event", lang),
         f"{result.events:,} / {result.scenarios:,} ({result.rate:.1%})"),
    ]  # fmt: skip
    return Report(
        title,
        lang,
        summary,
        discovery_tables(spec, result, lang),
        discovery_figures(spec, result, lang),
    )


_SENSITIVITY_TABLES = {
    "tornado": "tornado_table",
    "sobol": "sobol",
    "shapley": "shapley_effects",
    "morris": "morris",
}
_SENSITIVITY_COLUMNS = {  # a stored table's column → (English, Chinese) heading
    "output": ("output", "输出"),
    "party": ("party", "参与方"),
    "parameter": ("input", "输入"),
    "S1": ("first-order index", "一阶指数"),
    "S1_conf": ("± (95%)", "±（95%）"),
    "ST": ("total-order index", "总效应指数"),
    "ST_conf": ("± (95%) ", "±（95%） "),
    "shapley_effect": ("Shapley effect", "Shapley 效应"),
    "shapley_effect_conf": ("± (95%)", "±（95%）"),
    "variance": ("variance of the output", "输出方差"),
    "mu_star": ("μ*", "μ*"),
    "mu_star_conf": ("μ* ± (95%)", "μ* ±（95%）"),
    "sigma": ("σ", "σ"),
    "low_value": ("input at its 5% quantile", "输入取 5% 分位"),
    "high_value": ("input at its 95% quantile", "输入取 95% 分位"),
    "low": ("output at the 5% quantile", "5% 分位时的输出"),
    "high": ("output at the 95% quantile", "95% 分位时的输出"),
    "base": ("output at the medians", "中位数时的输出"),
}


def _display_sensitivity(frame: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """A stored sensitivity table for reading: outputs and inputs by name, headings in
    ``lang`` (the numbers as stored)."""
    k = 1 if lang == "zh" else 0
    shown = frame.assign(
        output=[style.label(f"output_{o}", lang) for o in frame["output"]],
        parameter=[names.get(x, x) for x in frame["parameter"]],
    )
    return shown.rename(
        columns={c: _SENSITIVITY_COLUMNS.get(str(c), (str(c),) * 2)[k] for c in shown}
    )


def sensitivity_report(spec: Any, result: Any, lang: str = "en") -> Report:
    """Tornado, Sobol (or Shapley effects) and Morris figures of each party's NPV, and
    every output's tables."""
    scenario = spec.scenario
    figures = []
    names = {
        p.path: p.binding.label_zh if lang == "zh" else p.binding.label_en for p in spec.parameters
    }
    caption = f"{_t('Scenario', lang)} {scenario.name} · {_t('seed', lang)} {result.seed}"

    def npv_rows(table: pd.DataFrame, party: str) -> pd.DataFrame:
        return table[(table["output"] == "npv") & (table["party"] == party)]

    indices = "shapley_effects" if result.method == "shapley" else "sobol"
    drawn = result.method  # the figure is named after what it draws: sobol-SC or shapley-SC
    for p in scenario.party_ids:
        tor = npv_rows(result.tornado, p)
        figures.append(
            Figure(
                f"tornado-{p}",
                f"{style.label('tornado', lang)}{style.COLON[lang]}{p}",
                caption,
                partial(
                    plots.tornado,
                    tor,
                    float(tor["base"].iloc[0]),
                    lang=lang,
                    unit=scenario.unit,
                    party=p,
                    names=names,
                ),
            )
        )
        if result.sobol is not None:
            figures.append(
                Figure(
                    f"{drawn}-{p}",
                    f"{style.label(indices, lang)}{style.COLON[lang]}{p}",
                    caption + f" · {result.samples[result.method]:,} " + _t("runs", lang),
                    partial(
                        plots.sobol_indices, npv_rows(result.sobol, p), lang=lang, party=p,
                        names=names,
                    ),
                )
            )  # fmt: skip
        if result.morris is not None:
            figures.append(
                Figure(
                    f"morris-{p}",
                    f"{style.label('morris', lang)}{style.COLON[lang]}{p}",
                    caption + f" · {result.samples['morris']:,} " + _t("runs", lang),
                    partial(
                        plots.morris, npv_rows(result.morris, p), lang=lang, party=p,
                        unit=scenario.unit, names=names,
                    ),
                )
            )  # fmt: skip
    raw = {"tornado": result.tornado, result.method: result.sobol, "morris": result.morris}
    from sim.sensitivity_tables import drivers_table

    title, drivers = drivers_table(result, names, lang)
    tables = {title: drivers}  # the gains' drivers first: what the sharing decision turns on
    tables |= {
        style.label(_SENSITIVITY_TABLES[key], lang): _display_sensitivity(frame, names, lang)
        for key, frame in raw.items()
        if frame is not None
    }
    tables |= {f"{key} (tidy)": frame for key, frame in raw.items() if frame is not None}
    title = scenario.title_zh if lang == "zh" else scenario.title
    summary = [(_t("Sensitivity", lang), shown_path(spec.source))]
    summary += [(_t("note", lang), n.text(lang)) for n in result.notes]
    return Report(title, lang, summary, tables, figures)


_CSS = """body{font-family:'sim-cjk','Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',
'PingFang SC','DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.9em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
caption{text-align:left;font-size:.95em;padding:.8em 0 .3em}
figure{margin:1.2em 0 2em}img{max-width:100%}figcaption{font-size:.85em;color:#555}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}"""


def _percent_columns() -> frozenset[str]:
    """Column headings (English and Chinese) whose values are shares of scenarios: shown
    as percentages in the HTML and formatted so in the workbook."""
    en = ["P(< source)", "P(< alone)", "P(all ≥ alone)", "P(all ≥ source)", "mass",
          "retained share", "growth"]  # fmt: skip
    labels = ["p_accept", "p_accept_source", "coverage", "density"]
    both = ("en", "zh")
    return frozenset(
        [*(_t(k, g) for k in en for g in both), *(style.label(k, g) for k in labels for g in both)]
    )


_SHARE = {"en": " (share)", "zh": "（占比）"}
"""The suffix of a column holding a party's share of a total (statistics counted)."""


def _is_percent(name: Any) -> bool:
    """Whether a column holds shares or rates: of scenarios, of the pool (``…: share of the
    pool``), of a total (``… (share)``), or a growth rate."""
    text = str(name)
    shares = (style.label("share_of", "en"), style.label("share_of", "zh"), *_SHARE.values())
    return text in _percent_columns() or text.endswith(shares)


def cell_text(v: Any, pct: bool) -> str:
    """A table cell as reports show it (HTML and Word): shares as percentages, other
    numbers to 3 decimals, the typographic minus (none on what rounds to zero), a dash
    where there is no number."""
    if isinstance(v, float | np.floating):
        x = float(v)
        if not np.isfinite(x):
            return "—"
        text = f"{100 * x:.1f}%" if pct else f"{x:,.3f}"
        if text.startswith("-") and not text.strip("-0.,%"):
            text = text[1:]  # −0.000 is 0.000
        return text.replace("-", "−")
    return str(v)


def _html_table(frame: pd.DataFrame, caption: str = "") -> str:
    """``frame`` as an HTML table; ``caption`` (HTML) above it."""
    percent = [_is_percent(c) for c in frame.columns]

    def cell(v: Any, pct: bool) -> str:
        return html.escape(cell_text(v, pct))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{cell(v, pct)}</td>" for v, pct in zip(row, percent, strict=True))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    top = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{top}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(
    report: Report, out: str | Path, fmt: str = "png", *, force: bool = False
) -> list[Path]:
    """Write ``report.html`` (self-contained), each figure as ``fmt``, and ``tables.xlsx``.

    The folder is written aside and claimed atomically (:func:`sim.files.new_folder`):
    ``out`` must not exist, or with ``force`` be a report ``sim`` wrote.
    """
    from sim.files import new_folder

    dest = Path(out)
    with new_folder(dest, force=force, kind="report") as tmp:
        names = _write_report_files(report, tmp, fmt)
    return [dest / name for name in names]


def _write_report_files(report: Report, out: Path, fmt: str) -> list[str]:
    lang = report.lang
    written = []
    parts = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(report.title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(report.title)}</h1><dl>"
    ]
    parts += [f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in report.summary]
    parts.append("</dl>")
    if report.findings:
        parts.append(f'<h2>{html.escape(_t("Findings", lang))}</h2><ul class="findings">')
        parts += [f"<li>{html.escape(line)}</li>" for line in report.findings]
        parts.append("</ul>")
    for table in numbered_tables(report.tables):  # numbered as the Word document's
        caption = f"<b>{table.label(lang)}.</b> {html.escape(table.caption)}"
        parts.append(_html_table(table.item, caption))
    parts.append(f"<h2>{html.escape(_t('Figures', lang))}</h2>")
    for numbered in numbered_figures(report.figures, lang):
        fig = numbered.item
        png = fig.render(lang, "png")
        if fmt != "png":
            (out / f"{fig.key}.{fmt}").write_bytes(fig.render(lang, fmt))
        else:
            (out / f"{fig.key}.png").write_bytes(png)
        written.append(f"{fig.key}.{fmt}")
        data = base64.b64encode(png).decode()
        parts.append(
            f'<figure id="{fig.key}"><img alt="{html.escape(fig.title)}" '
            f'src="data:image/png;base64,{data}"><figcaption><b>{numbered.label(lang)}.</b> '
            f"{html.escape(numbered.caption)}</figcaption>"
            "</figure>"
        )
    parts.append("</body></html>\n")
    text = "".join(parts)
    if any(ord(ch) > 0x2E7F for ch in text):  # CJK text: carry the font in the page
        text = text.replace("<style>", f"<style>{_embedded_font(text)}", 1)
    (out / "report.html").write_text(text, encoding="utf-8")
    (out / "tables.xlsx").write_bytes(tables_xlsx(report.tables, report.findings, lang))
    return ["report.html", "tables.xlsx", *written]


def tables_xlsx(
    tables: dict[str, pd.DataFrame], findings: Sequence[str] = (), lang: str = "en"
) -> bytes:
    """The ``.xlsx`` workbook of a report's tables, each on a sheet, the findings first
    (one sentence per row); text never a formula, the same tables the same bytes."""
    from sim.files import xlsx_bytes

    sheets = dict(tables)
    if findings:
        sheets = {_t("Findings", lang): pd.DataFrame({_t("Findings", lang): list(findings)})}
        sheets |= tables
    return xlsx_bytes(lambda buffer: _write_tables(buffer, sheets))


def _write_tables(buffer: Any, sheets: dict[str, pd.DataFrame]) -> None:
    """Each table on a sheet of a workbook written into ``buffer``, text never a formula."""
    from sim.csv_safe import text_cells

    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            text_cells(writer.sheets[sheet])
            _percent_format(writer.sheets[sheet], frame)


def _percent_format(sheet: Any, frame: pd.DataFrame) -> None:
    """A sheet to read: shares of scenarios as percentages, amounts to two decimals (the
    values stay full numbers), bold headers, columns as wide as their headers."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(frame.columns, start=1):
        fmt = None
        if _is_percent(name):
            fmt = "0.0%"
        elif frame[name].dtype.kind == "f":
            fmt = "#,##0.00"
        if fmt is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        header = str(name)
        width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in header)  # CJK: two columns
        sheet.column_dimensions[get_column_letter(j)].width = max(10, min(60, width + 2))
        sheet.cell(row=1, column=j).font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _embedded_font(text: str) -> str:
    """An @font-face rule carrying the CJK font, cut down to the characters of ``text``.

    Readers' machines may have no Chinese font (a fresh Linux, a locked-down office
    PC): the page carries its own, subset with fontTools to a few dozen kilobytes.
    """
    from fontTools import subset

    _, path = style.cjk_font()
    options = subset.Options()
    options.flavor = None
    options.name_IDs = ["*"]
    font = subset.load_font(path, options)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text))))
        subsetter.subset(font)
        buf = io.BytesIO()
        subset.save_font(font, buf, options)
    finally:
        font.close()
    data = base64.b64encode(buf.getvalue()).decode()
    return (
        f"@font-face{{font-family:'sim-cjk';src:url(data:font/otf;base64,{data}) "
        "format('opentype');font-display:block}"
    )
