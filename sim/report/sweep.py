"""The report of a sweep's results folder: the swept inputs, the summary, the fan and band
figures, and the sweep's decisions (robust shares, scenario discovery).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim import i18n, plots, style
from sim.report.base import (
    _SHARE,
    Figure,
    Report,
    _names,
    _rule_text,
    _t,
    shown_path,
)
from sim.report.decisions import (
    discovery_figures,
    discovery_tables,
    robust_figures,
    robust_tables,
    scenario_count,
)
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.sweep.spec import SweepSpec


def swept_inputs_table(spec: SweepSpec, lang: str = "en") -> pd.DataFrame:
    """Every swept input: its name, key path, distribution (values in its unit) and the
    inputs it is correlated with."""
    zh = i18n.is_zh(lang)
    corr = spec.correlation
    rows = []
    for j, p in enumerate(spec.parameters):
        name = i18n.pick(lang, p.binding.label_en, p.binding.label_zh)
        linked = []
        if corr is not None:
            for k, other in enumerate(spec.parameters):
                if k != j and corr[j, k] != 0:
                    o = i18n.pick(lang, other.binding.label_en, other.binding.label_zh)
                    linked.append(f"{o} {corr[j, k]:+.2g}")
        rows.append(
            {
                _t("input", lang): name,
                # the key path is for whoever reruns the sweep, not for a Chinese briefing
                **({} if zh else {"key": p.path}),
                _t("input_distribution", lang): p.text(lang, spec.scenario.unit),
                _t("correlation", lang): i18n.semicolon(lang).join(linked) or i18n.t("none", lang),
            }
        )
    return pd.DataFrame(rows)


def sweep_report(
    folder: str | Path,
    lang: str = "en",
    fan_scenarios: int = 2000,
    only: Collection[str] | None = None,
) -> Report:
    """Summary table and figures of a stored sweep.

    ``only``: the figure kinds wanted (``sim plot`` wants one); the analyses that draw
    no wanted figure — the fan's and band's evaluations, ``sim robust``, scenario
    discovery — are skipped. A figure drawn is the same as in the whole report."""
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
    done = scenario_count(spec.n, None if doc["complete"] else int(doc["scenarios_done"]), lang)
    caption = (
        f"{_t('scenario', lang)} {scenario.heading(lang)} · {_t(spec.design, lang)} {done} · "
        f"{_t('seed', lang)} {spec.seed} · {_t('run', lang)} {run_id}"
    )
    rows = []
    for rule, entry in doc["rules"].items():
        for p, s in entry["parties"].items():
            rows.append(
                {
                    _t("rule", lang): _rule_text(scenario, rule, lang),
                    _t("party", lang): p,
                    _t("npv_p5", lang): s["npv_p5"],
                    _t("npv_p50", lang): s["npv_p50"],
                    _t("npv_p95", lang): s["npv_p95"],
                    _t("p_worse_source", lang): s["p_worse_than_source"],
                    **(
                        {_t("p_worse_alone", lang): s["p_worse_than_alone"]}
                        if "p_worse_than_alone" in s
                        else {}
                    ),
                    _t(
                        "p_all_alone"
                        if entry["all_gain_basis"] == "standalone"
                        else "p_all_source",
                        lang,
                    ): entry["p_all_gain"],
                    _t("undefined_count", lang): entry["undefined"],
                }
            )
    summary_table = pd.DataFrame(rows)
    shown = (
        results.assign(rule=[_rule_text(scenario, r, lang) for r in results["rule"]])
        if i18n.is_zh(lang)
        else results
    )
    figures = [
        Figure(
            "distribution",
            style.label("distribution", lang),
            caption + " · " + _t("all_inputs_vary", lang),
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

    def wanted(*kinds: str) -> bool:
        return only is None or any(k in only for k in kinds)

    if wanted("fan"):
        quantiles = _fan_quantiles(spec, min(fan_scenarios, spec.n))
        figures.append(
            Figure(
                "fan",
                style.label("fan", lang),
                caption
                + f" · {min(fan_scenarios, spec.n):,} "
                + _t("n_scenarios", lang)
                + " · "
                + _t("all_inputs_vary", lang),
                lambda ax: plots.fan_chart(
                    quantiles, ax, lang=lang, names=names, unit=scenario.unit
                ),
            )
        )
    continuous = [
        p.path for p in spec.parameters if p.distribution.kind not in ("values", "choice")
    ]
    inputs = {  # each swept input's name in the report's language
        p.path: i18n.pick(lang, p.binding.label_en, p.binding.label_zh) for p in spec.parameters
    }
    if len(continuous) >= 2 and "agreement" in spec.rules:
        x, y = continuous[0], continuous[1]
        figures.append(
            Figure(
                "heatmap",
                style.label("heatmap", lang),
                caption + " · " + _t("others_vary_in_cell", lang),
                lambda ax: plots.heatmap(results, x, y, parties, ax, lang=lang, labels=inputs),
            )
        )
    if len(parties) == 2 and continuous and scenario.sharing.rule == "fixed" and wanted("band"):
        band = _band(spec, continuous[0])
        agreed = float(scenario.sharing.params["shares"][parties[0]])  # type: ignore[index]
        figures.append(
            Figure(
                "band",
                style.label("band", lang),
                caption + " · " + _t("others_at_median", lang),
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
    title = i18n.pick(lang, scenario.title, scenario.title_zh)
    summary = [
        (_t("sweep", lang), shown_path(spec.source)),
        (_t("scenario", lang), title),
        (_t("design", lang), f"{_t(spec.design, lang)}, n = {spec.n:,}"),
        *(
            []
            if doc["complete"]
            else [
                (
                    _t("incomplete", lang),
                    _t("incomplete_k_of_n", lang).format(
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
        _t("swept_inputs", lang): swept_inputs_table(spec, lang),
        _t("summary", lang): summary_table,
        **_sweep_clause_tables(doc, names, lang, scenario),
        **_policy_tables(spec, doc, lang),
    }
    partial = None if doc["complete"] else int(doc["scenarios_done"])
    _decisions(
        spec, results, lang, tables, figures, summary, partial,
        robust_shares=wanted("robust"), discovery=wanted("tradeoff", "box"),
    )  # fmt: skip
    return Report(title, lang, summary, tables, figures)


def _policy_tables(spec: SweepSpec, doc: dict[str, Any], lang: str) -> dict[str, pd.DataFrame]:
    """The sweep's named fiscal policies: what each sets in which years, and each
    agreement's NPV under each (none for a sweep without them)."""
    from sim.schema.policy import policy_lines

    chosen = next((p for p in spec.parameters if p.policies), None)
    if chosen is None or "policies" not in doc:
        return {}
    sc = spec.scenario
    policy, in_force = i18n.t("policy_col", lang), i18n.t("policy_in_force", lang)
    rows = [
        {
            policy: x.label(lang),
            in_force: i18n.semicolon(lang).join(policy_lines(sc, lang, {**sc.schedules, **x.sets}))
            or i18n.t("policy_as_file", lang),
        }
        for x in chosen.policies
    ]
    by_policy = [
        {
            policy: x.label(lang),
            _t("rule", lang): _rule_text(sc, rule, lang),
            _t("party", lang): p,
            _t("npv_p50", lang): s["npv_p50"],
            _t("p_worse_source", lang): s["p_worse_than_source"],
            **(
                {_t("p_worse_alone", lang): s["p_worse_than_alone"]}
                if "p_worse_than_alone" in s
                else {}
            ),
        }
        for x, rules in zip(chosen.policies, doc["policies"].values(), strict=True)
        for rule, entry in rules.items()
        for p, s in entry["parties"].items()
    ]
    return {
        i18n.t("policies_table", lang): pd.DataFrame(rows),
        i18n.t("policy_summary_table", lang): pd.DataFrame(by_policy),
    }


ROBUST_IN_REPORT = 100_000
"""Largest sweep whose report includes ``sim robust`` (it evaluates the sweep again)."""
DISCOVERY_ROWS = 100_000
"""Most scenarios PRIM and CART look at in a report (a seeded random subset beyond)."""


def _decisions(
    spec: SweepSpec,
    results: pd.DataFrame,
    lang: str,
    tables: dict[str, pd.DataFrame],
    figures: list[Figure],
    summary: list[tuple[str, str]],
    done: int | None = None,
    robust_shares: bool = True,
    discovery: bool = True,
) -> None:
    """The sweep report's decisions: the robust shares (two or three parties, the file's
    agreement) and, with ``sim[decisions]`` installed, when each party would be worse off
    under the agreement than with no agreement (``done``: the scenarios of an interrupted
    sweep; ``robust_shares`` and ``discovery`` false: that part left out)."""
    from sim.decisions.discover import Event, MissingExtraError, discover
    from sim.decisions.robust import robust

    parties = spec.scenario.party_ids
    robust_fits = len(parties) <= 3 and spec.n <= ROBUST_IN_REPORT
    if robust_shares and "agreement" in spec.rules and robust_fits:
        result = robust(spec)
        tables.update(robust_tables(result, lang, spec.scenario))
        figures.extend(robust_figures(spec, result, lang))
    rows = results[results["rule"] == "agreement"]
    if not discovery or "agreement" not in spec.rules or rows.empty:
        return
    if len(rows) > DISCOVERY_ROWS:
        keep = np.random.default_rng(spec.seed).choice(len(rows), DISCOVERY_ROWS, replace=False)
        rows = rows.iloc[np.sort(keep)]
        summary.append(
            (
                _t("discovery", lang),
                i18n.with_unit(
                    f"{DISCOVERY_ROWS:,} / {spec.n:,}", f"{_t('seed', lang)} {spec.seed}", lang
                ),
            )
        )
    for party in parties:
        worse = (rows[f"gain_vs_source.{party}"] < 0).mean()
        if not 0.01 <= worse <= 0.99:
            continue
        try:
            found = discover(spec, rows, Event(party=party, basis="source"))
        except MissingExtraError:
            summary.append((_t("discovery", lang), "pip install 'sim[decisions]'"))
            return
        tables.update(discovery_tables(spec, found, lang))
        figures.extend(
            replace(f, key=f"{f.key}-{party}") for f in discovery_figures(spec, found, lang, done)
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
                _t("indicator", lang): style.indicator_label(indicator, lang),
            }
            row.update({f"{names[p]}{_SHARE[lang]}": v for p, v in by_party.items()})
            stats.append(row)
    out = {}
    if parts:
        out[_t("gain_by_clause_table", lang)] = pd.DataFrame(parts)
    if stats:
        out[_t("statistics_counted", lang)] = pd.DataFrame(stats)
    return out


def _fan_quantiles(spec: SweepSpec, k: int) -> pd.DataFrame:
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


def _band(spec: SweepSpec, path: str, points: int = 25) -> pd.DataFrame:
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
