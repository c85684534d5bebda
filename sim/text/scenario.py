"""The text of ``sim run`` and ``sim compare`` (one file, ``--explain``, several files)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sim import i18n
from sim.compare import Comparison
from sim.model import Result
from sim.output import (
    _num,
    agreement_name,
    capex_text,
    describe_row,
    describe_sharing,
    files_document,
    outside_core,
    statistics_document,
    table,
)
from sim.scenario import Scenario, Sharing
from sim.style import feature_label, indicator_label

if TYPE_CHECKING:
    from sim.agreement import Decomposition, Outcome

__all__ = [
    "outside_core_lines",
    "render_compare",
    "render_files",
    "render_run",
    "statistics_basis",
]


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    """Every row label and rule of ``scenario`` by its name in ``lang`` (for notes)."""
    labels = [s.label for s in scenario.compare]
    return {x: agreement_name(scenario, x, lang) for x in labels}


def _notes(notes: Sequence[str], scenario: Scenario, lang: str) -> list[str]:
    names = _names(scenario, lang)
    return [i18n.t("note_line", lang, note=i18n.translate(n, lang, names)) for n in notes]


def _policy_lines(scenario: Scenario, lang: str) -> list[str]:
    """The fiscal parameters the scenario gives by year, a line each under a heading."""
    from sim.schema.policy import policy_lines

    lines = policy_lines(scenario, lang)
    return [i18n.t("policy_head", lang), *(f"  {line}" for line in lines)] if lines else []


def _stream(name: str, lang: str) -> str:
    """A stream's column head: its id in English, its label in Chinese."""
    return i18n.pick(lang, name, i18n.t(name, lang))


def _resolution_lines(scenario: Scenario, outcome: Outcome, lang: str, index: int = 0) -> list[str]:
    pids = ":".join(scenario.party_ids)
    out = []
    if outcome.shares is not None:
        reached = "" if outcome.status[index] == 0 else i18n.t("not_reached", lang)
        out.append(
            i18n.t(
                "target_delivered",
                lang,
                rule=i18n.name(outcome.sharing.rule, lang),
                pids=pids,
                shares=":".join(f"{x:.4f}" for x in outcome.shares[index]),
                reached=reached,
            )
        )
    if outcome.capex_shares is not None:
        out.append(
            i18n.t(
                "investment_by",
                lang,
                rule=i18n.name(outcome.sharing.clause("investment").rule, lang),
                capex=capex_text(scenario.party_ids, outcome.capex_shares[index], lang),
            )
        )
    return out


def _sum_of(streams: tuple[str, ...], lang: str) -> str:
    """``tax + land + …`` in ``lang``: the streams' ids in English, their labels in Chinese."""
    return " + ".join(i18n.pick(lang, s, i18n.t(s, "zh")) for s in streams)


def statistics_basis(scenario: Scenario, sharing: Sharing, lang: str = "en") -> str:
    """What the statistics clause counts to each party, in words."""
    clause = sharing.clause("statistics")
    first, last = scenario.window(sharing)
    years = f"{first}–{last}"
    whole = (first, last) == (scenario.start_year, scenario.end_year)
    others = "" if whole else i18n.t("at_source_other_years", lang)
    if clause.rule == "source":
        return i18n.t("stats_source", lang)
    if clause.rule in ("tax", "equity"):
        key = {"tax": "stats_tax", "equity": "stats_equity"}[clause.rule]
        return i18n.t(key, lang, years=years, others=others)
    shares = clause.params["shares"]
    assert isinstance(shares, Mapping)
    ratio = ":".join(f"{shares[p]:g}" for p in scenario.party_ids)
    pids = ":".join(scenario.party_ids)
    return i18n.t("stats_fixed", lang, pids=pids, ratio=ratio, years=years, others=others)


def _statistics_table(scenario: Scenario, result: Result, lang: str, index: int = 0) -> list[str]:
    stats = statistics_document(result, index)
    if stats is None:
        return []
    pids = scenario.party_ids
    rows = [
        [
            indicator_label(name, lang),
            *(f"{_num(v['total'][p])} ({v['share'][p]:.1%})" for p in pids),
        ]
        for name, v in stats.items()
        if all(v["share"][p] is not None for p in pids)
    ]
    basis = statistics_basis(scenario, scenario.sharing, lang)
    return [
        "",
        i18n.t("statistics_head", lang, unit=i18n.unit(scenario.unit, lang), basis=basis),
        table([i18n.t("indicator_col", lang), *pids], rows),
    ]


def _feature(name: str, lang: str) -> str:
    return i18n.pick(lang, name, feature_label(name, lang))


def _decomposition_table(
    scenario: Scenario, decomposition: Decomposition, lang: str, index: int = 0
) -> list[str]:
    pids = scenario.party_ids
    parts = decomposition.parts[index]
    rows = [
        [_feature(f, lang), *(_num(parts[k, i]) for i in range(len(pids)))]
        for k, f in enumerate(decomposition.features)
    ]
    gain = i18n.t("gain_col", lang)
    rows.append([gain, *(_num(decomposition.gain[index, i]) for i in range(len(pids)))])
    return ["", i18n.t("where_gain", lang), table([i18n.t("feature_col", lang), *pids], rows)]


def render_run(
    scenario: Scenario,
    result: Result,
    outcome: Outcome | None = None,
    decomposition: Decomposition | None = None,
    index: int = 0,
    lang: str = "en",
) -> str:
    """A readable report of one scenario: yearly streams per party, NPVs, statistics and
    where the gains come from."""
    amount = i18n.unit(scenario.unit, lang)
    out = [
        f"{i18n.pick(lang, scenario.title, scenario.title_zh)}  [{scenario.name}]",
        i18n.t("run_agreement", lang, terms=describe_sharing(scenario, scenario.sharing, lang)),
        *_policy_lines(scenario, lang),
        *(_resolution_lines(scenario, outcome, lang, index) if outcome is not None else []),
        *_notes(outcome.notes if outcome is not None else (), scenario, lang),
        i18n.t("run_amounts", lang, unit=amount, streams=_sum_of(result.streams, lang)),
    ]
    header = [
        i18n.t("year_col", lang),
        *(_stream(s, lang) for s in result.streams),
        _stream("net", lang),
        i18n.t("source_tax_col", lang),
        i18n.t("transfer_col", lang),
        *(i18n.t("source_stream_col", lang, stream=_stream(s, lang)) for s in result.arising),
    ]
    for i, party in enumerate(scenario.parties):
        rows = []
        for t, year in enumerate(result.years):
            vals = [result.stream(s)[index, i, t] for s in result.streams]
            rows.append(
                [
                    str(year),
                    *(_num(v) for v in vals),
                    _num(result.net[index, i, t]),
                    _num(result.source_tax[index, i, t]),
                    _num(result.transfers[index, i, t]),
                    *(_num(result.at_source(s)[index, i, t]) for s in result.arising),
                ]
            )
        name = i18n.pick(lang, party.name, party.name_zh)
        out += ["", f"{name} [{party.id}]", table(header, rows)]
    npv = result.npv[index]
    gain = npv - result.source_npv[index]
    rows = [
        [i18n.pick(lang, p.name, p.name_zh), p.id, _num(npv[i]), _num(gain[i])]
        for i, p in enumerate(scenario.parties)
    ]
    rows.append([i18n.t("total", lang), "", _num(float(npv.sum())), _num(float(gain.sum()))])
    head = [i18n.t("party_col", lang), i18n.t("id_col", lang), i18n.t("npv", lang)]
    out += [
        "",
        i18n.t(
            "run_npv",
            lang,
            rate=f"{scenario.discount_rate:.4g}",
            unit=amount,
            start=scenario.start_year,
        ),
        table([*head, i18n.t("gain_col", lang)], rows, left=2),
    ]
    out += _statistics_table(scenario, result, lang, index)
    if decomposition is not None and decomposition.features:
        out += _decomposition_table(scenario, decomposition, lang, index)
    return "\n".join(out)


def explain_rows(comparison: Comparison, lang: str) -> tuple[list[str], list[list[str]]]:
    """The features the agreements use, and every agreement's gain over no agreement split
    by them, one row per agreement and party (label, party, a part per feature, the gain):
    what ``sim compare --explain`` prints and the page shows."""
    from sim.agreement import FEATURES

    explained = [r for r in comparison.rows if r.decomposition is not None]
    used = [
        f
        for f in FEATURES
        if any(f in r.decomposition.features for r in explained if r.decomposition)
    ]
    sc = comparison.scenario
    rows = []
    for r in explained:
        d = r.decomposition
        assert d is not None
        for i, p in enumerate(sc.party_ids):
            parts = dict(zip(d.features, d.parts[0, :, i], strict=True))
            rows.append(
                [
                    agreement_name(sc, r.label, lang) if i == 0 else "",
                    p,
                    *(_num(parts[f]) if f in parts else "" for f in used),
                    _num(d.gain[0, i]),
                ]
            )
    return used, rows


def _explain_table(comparison: Comparison, lang: str) -> list[str]:
    """Every agreement's gain over no agreement split by feature, one row per party."""
    used, rows = explain_rows(comparison, lang)
    if not rows:
        return []
    header = [
        i18n.t("label_col", lang),
        i18n.t("party_col", lang),
        *(_feature(f, lang) for f in used),
        i18n.t("gain_col", lang),
    ]
    return [
        "",
        i18n.t("explain_head", lang, unit=i18n.unit(comparison.scenario.unit, lang)),
        table(header, rows, left=2),
    ]


def _yes(flag: bool | None, lang: str, no: str = "no") -> str:
    return "—" if flag is None else i18n.t("yes" if flag else no, lang)


def _parties_line(scenario: Scenario, lang: str) -> str:
    parties = i18n.semicolon(lang).join(
        f"{p.id} = {i18n.pick(lang, p.name, p.name_zh)}" for p in scenario.parties
    )
    return i18n.t("parties_line", lang, parties=parties)


def render_compare(comparison: Comparison, lang: str = "en") -> str:
    """The side-by-side table of ``sim compare`` (with ``--explain``, where gains come from)."""
    sc = comparison.scenario
    pids = sc.party_ids
    header = [
        i18n.t("label_col", lang),
        i18n.t("rule_col", lang),
        *(i18n.t("npv_of", lang, party=p) for p in pids),
        *(i18n.t("gain_of", lang, party=p) for p in pids),
        i18n.t("all_ge_alone", lang),
        i18n.t("in_core", lang),
    ]
    rows = [
        [
            agreement_name(sc, row.label, lang),
            i18n.name(row.rule, lang),
            *(_num(v) for v in row.npv),
            *(_num(v) for v in row.gain_vs_source),
            _yes(row.all_gain_vs_standalone, lang, no="NO"),
            _yes(row.in_core, lang),
        ]
        for row in comparison.rows
    ]
    core = {True: "core_is_empty", False: "core_not_empty", None: "core_not_computed"}
    standalone = i18n.comma(lang).join(
        f"{p} {_num(v)}" for p, v in zip(pids, comparison.standalone, strict=True)
    )
    out = [
        f"{i18n.pick(lang, sc.title, sc.title_zh)}  [{sc.name}]",
        i18n.t(
            "compare_npv",
            lang,
            rate=f"{sc.discount_rate:.4g}",
            unit=i18n.unit(sc.unit, lang),
        ),
        _parties_line(sc, lang),
        *_policy_lines(sc, lang),
        i18n.t(
            "standalone_line",
            lang,
            values=standalone,
            core=i18n.t(core[comparison.core_empty], lang),
        ),
        "",
        table(header, rows, left=2),
        "",
        *(
            i18n.t(
                "row_terms",
                lang,
                label=agreement_name(sc, row.label, lang),
                terms=describe_row(sc, row, lang),
            )
            for row in comparison.rows
        ),
        *outside_core_lines(comparison, lang),
    ]
    agreement = comparison.rows[0]
    if agreement.result is not None:
        out += _statistics_table(sc, agreement.result, lang)
    out += _explain_table(comparison, lang)
    out += _notes(comparison.notes, sc, lang)
    return "\n".join(out)


def outside_core_lines(comparison: Comparison, lang: str) -> list[str]:
    """Why each row that every party accepts is not in the core: which coalition does
    better on its own (the table says only "yes" beside "no")."""
    game, sc = comparison.game, comparison.scenario
    if game is None:
        return []
    return [
        i18n.t(
            "not_in_core_why",
            lang,
            label=agreement_name(sc, row.label, lang),
            why=outside_core(game, row.npv, lang),
        )
        for row in comparison.rows
        if row.in_core is False and row.all_gain_vs_standalone
    ]


def _nan(x: float | None) -> float:
    return math.nan if x is None else x


def render_files(comparisons: Sequence[Comparison], lang: str = "en") -> str:
    """The text of ``sim compare A.toml B.toml …``: one row per file, its own agreement."""
    doc = files_document(comparisons)
    pids = doc["parties"]
    first = comparisons[0].scenario
    header = [
        i18n.t("file_col", lang),
        *(i18n.t("npv_of", lang, party=p) for p in pids),
        *(i18n.t("gain_of", lang, party=p) for p in pids),
        *(i18n.t("alone_of", lang, party=p) for p in pids),
        i18n.t("all_ge_alone", lang),
        i18n.t("all_ge_source", lang),
    ]
    rows: list[list[str]] = [
        [
            f["file"],
            *(_num(_nan(f["npv"][p])) for p in pids),
            *(_num(_nan(f["gain_vs_source"][p])) for p in pids),
            *(_num(_nan(f["standalone"][p])) for p in pids),
            _yes(f["all_gain_vs_standalone"], lang, no="NO"),
            _yes(f["all_gain_vs_source"], lang, no="NO"),
        ]
        for f in doc["files"]
    ]
    rates = {f["discount_rate"] for f in doc["files"]}
    basis = (
        i18n.t("files_rate", lang, rate=f"{rates.pop():.4g}")
        if len(rates) == 1
        else i18n.t("files_rates", lang)
    )
    terms = [
        i18n.t(
            "row_terms",
            lang,
            label=f["file"],
            terms=describe_row(c.scenario, c.row("agreement"), lang),
        )
        for f, c in zip(doc["files"], comparisons, strict=True)
    ]
    return "\n".join(
        [
            i18n.t("files_head", lang, basis=basis, unit=i18n.unit(first.unit, lang)),
            _parties_line(first, lang),
            "",
            table(header, rows),
            "",
            *terms,
            "",
            i18n.t("files_more", lang),
        ]
    )
