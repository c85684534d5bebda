"""A settlement statement as text, as a JSON document, and as ``statement.xlsx`` and
``statement.docx`` (through the report writers, :mod:`sim.report` and
:mod:`sim.report_docx`, and :func:`sim.files.new_folder`).

Every surface is built from the same tables (:func:`tables`): the text prints them,
the workbook and the Word document hold them. Words come from :mod:`sim.style` and the
glossary, in English or Chinese. Amounts in 亿元 (100m CNY) are shown in yuan, to the
fen; the JSON document keeps the scenario's unit, as ``sim run`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim import i18n
from sim.glossary import ZH_TERMS
from sim.glossary import unit as unit_name
from sim.model import RTOL
from sim.output import describe_sharing, table
from sim.rules import FACTOR_NAMES, FACTORS, MONEY_CLAUSES
from sim.rules.clauses import ARISING
from sim.settle.ledger import LINES, PAID_BORNE, TAX_LINES, Statement, cents
from sim.settle.rounding import kept, round_parts
from sim.style import COLON, Note, label

__all__ = ["Table", "document", "render", "statement_report", "tables", "write"]

Cell = str | float


@dataclass(frozen=True)
class Table:
    """A table of a statement: its title, header and rows (numbers as floats)."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    left: int = 1
    """How many columns are text (aligned left)."""


def _term(word: str, lang: str) -> str:
    """A rule's or term's name in ``lang`` (the glossary's Chinese)."""
    return i18n.pick(lang, word, ZH_TERMS.get(word, word))


def _money(unit: str) -> tuple[float, str | None]:
    """The factor from the scenario's unit to the statement's, and the statement's unit
    key (``yuan``) where amounts in 亿元 are shown in yuan; ``None``: the scenario's."""
    if unit.strip().lower() in ("100m cny", "亿元"):
        return 1e8, "yuan"
    return 1.0, None


def _unit(st: Statement, lang: str) -> str:
    key = _money(st.scenario.unit)[1]
    return label(key, lang) if key else unit_name(st.scenario.unit, lang)


def _amount(x: float) -> str:
    text = f"{x:,.2f}"
    return text.lstrip("-") if not text.strip("-0.,") else text


def _pct(x: float) -> str:
    return "—" if not np.isfinite(x) else f"{100 * x:.2f}%"


def _party(st: Statement, pid: str, lang: str) -> str:
    party = next(p for p in st.scenario.parties if p.id == pid)
    name = i18n.pick(lang, party.name, party.name_zh)
    return pid if name == pid else f"{pid} {name}"


def _shown_lines(st: Statement) -> list[str]:
    """The lines that apply: steps of clauses the agreement has, streams that move."""
    skip = set()
    if st.compliance == 1.0:
        skip.add("unsettled")
    if st.cap is None:
        skip.add("held_back")
    if not np.any(st.floors > 0):
        skip.add("top_up")
    if not st.in_window:
        skip |= {"source_tax", "pooled", "agreed_share", "agreed", "unsettled"}
        skip |= {"held_back", "top_up", "tax"}
    for name in MONEY_CLAUSES:
        if not np.any(st.lines[name]):
            skip.add(name)
    for name in ARISING:  # paid and borne: shown in a year with any of it
        if not np.any(st.lines[f"source_{name}"]):
            skip |= {f"source_{name}", f"{name}_borne"}
    return [k for k in LINES if k not in skip]


_LINE_LABEL = {
    "source_tax": "source_tax",
    "pooled": "pooled",
    "agreed_share": "agreed_share",
    "agreed": "agreed",
    "unsettled": "unsettled",
    "held_back": "held_back",
    "top_up": "top_up",
    "tax": "settled",
    **{line: line for line in PAID_BORNE},
    **{name: f"{name}_clause" for name in MONEY_CLAUSES},
    "net": "net_settled",
}


def tables(st: Statement, lang: str = "en") -> list[Table]:
    """The statement's tables, amounts in the statement's unit (:func:`_money`)."""
    k = _money(st.scenario.unit)[0]
    pids = list(st.parties)
    out = []
    shown = _to_cents(st, k)  # every amount rounded so that the statement adds up as printed
    if st.contributions:
        firm = _firm_names(st, lang)
        retained, pooled = shown["firms"]["retained"], shown["firms"]["pooled"]
        rows: list[list[Cell]] = [
            [firm[c.firm], c.party, c.introduced_by, float(retained[i]), float(pooled[i])]
            for i, c in enumerate(st.contributions)
        ]
        total = [float(np.round(100 * x.sum()) / 100) for x in (retained, pooled)]
        rows.append([label("pool", lang), "", "", *total])
        head = ["firm", "registered", "introduced_by", "tax", "pooled"]
        out.append(Table(label("contributions", lang), [label(h, lang) for h in head], rows, 3))
    if st.shares is not None:
        rows = []
        if st.factors is not None and st.weights is not None:
            for i, name in enumerate(FACTORS):
                factor = i18n.pick(lang, FACTOR_NAMES[name][0], FACTOR_NAMES[name][1])
                weight = f"{label('weight', lang)} {_pct(float(st.weights[i]))}"
                name = i18n.t("name_in_brackets", lang, code=factor, name=weight)
                rows.append([name, *(_pct(x) for x in st.factors[i])])
        rows.append([label("shares_applied", lang), *(_pct(x) for x in st.shares)])
        title = i18n.t(
            "name_in_brackets", lang, code=label("shares_applied", lang), name=_rule_name(st, lang)
        )
        out.append(Table(title, [label("item", lang), *pids], rows))
    lines = _shown_lines(st)
    if any(np.any(st.lines[n]) for n in lines):
        rows = [[label(_LINE_LABEL[n], lang), *shown[n].tolist()] for n in lines]
        out.append(Table(label("tax_lines", lang), [label("item", lang), *pids], rows))
    if shown["payments"]:
        rows = [[p.payer, p.payee, p.amount] for p in shown["payments"]]
        head = [label(h, lang) for h in ("payer", "payee", "amount")]
        out.append(Table(label("payments", lang), head, rows, 2))
    return out


def _firm_names(st: Statement, lang: str) -> dict[str, str]:
    """Each firm's name in ``lang``: its Chinese name (``name_zh``) in Chinese, its id in
    English (as the file's keys and the JSON's write it)."""
    return {f.id: i18n.pick(lang, f.id, f.label(lang)) for f in st.scenario.firms}


def _rule_name(st: Statement, lang: str) -> str:
    name = _term(st.applied, lang)
    if st.review_from is not None or st.rule == st.applied:
        return name
    return Note("resolved", {"rule": _term(st.rule, lang)}).text(lang)


def _notes(st: Statement, lang: str) -> list[str]:
    """Sentences about the year: outside the window, the review, nothing to settle."""
    out = []
    first, last = st.window
    if not st.in_window:
        out.append(Note("outside_window", {"year": st.year, "first": first, "last": last}))
    if st.review_from is not None:
        out.append(Note("review_switched", {"year": st.review_from}))
    if st.empty:
        out.append(Note("nothing_moves", {"year": st.year}))
    return [n.text(lang) for n in out]


def _payment_lines(st: Statement, lang: str) -> list[str]:
    k = _money(st.scenario.unit)[0]
    unit = _unit(st, lang)
    return [
        Note(
            "pays",
            {
                "payer": _party(st, p.payer, lang),
                "payee": _party(st, p.payee, lang),
                "amount": _amount(p.amount),
                "unit": unit,
            },
        ).text(lang)
        for p in _to_cents(st, k)["payments"]
    ]


def _to_cents(st: Statement, k: float) -> dict[str, Any]:
    """Every line, the firms' amounts and the payments, in the statement's unit rounded
    to hundredths so that the statement adds up as printed (:mod:`sim.settle.rounding`):
    the payments to the nets (:func:`cents`), each party's streams to its net, its steps
    to its tax transfer, its agreed share less its pooled tax to the agreed transfer, the
    rebates it bears less those it pays to its rebates line, its firms' pooled tax to its
    own; each transfer line to zero and the firms to the pool."""
    net, payments = cents(st.parties, st.lines["net"], k)

    def exact(*names: str) -> Any:
        return np.array([k * 100 * np.asarray(st.lines[n], dtype=float) for n in names])

    streams = ["tax", *MONEY_CLAUSES]
    got = dict(zip(streams, round_parts(exact(*streams), np.round(net * 100)), strict=True))
    got |= dict(zip(TAX_LINES, round_parts(exact(*TAX_LINES), got["tax"]), strict=True))
    share, pooled, agreed = exact("agreed_share", "pooled", "agreed")
    scale = max(1.0, float(np.abs(share).sum()))
    if np.any(agreed) and np.allclose(share - pooled, agreed, rtol=0, atol=RTOL * scale):
        got["agreed_share"], minus = round_parts(np.array([share, -pooled]), got["agreed"])
        got["pooled"] = -minus
    else:
        got["agreed_share"], got["pooled"] = kept(share), kept(pooled)
    for name in ARISING:  # what each party bears less what it pays is its clause line
        borne, paid = exact(f"{name}_borne", f"source_{name}")
        got[f"{name}_borne"], minus = round_parts(np.array([borne, -paid]), got[name])
        got[f"source_{name}"] = -minus
    got["source_tax"] = np.round(exact("source_tax")[0])
    firms = [c.party for c in st.contributions]
    retained = kept(np.array([k * 100 * c.retained for c in st.contributions]))
    in_pool = np.array([k * 100 * c.pooled for c in st.contributions])
    for i, pid in enumerate(st.parties):  # each party's firms add up to its pooled line
        mine = [j for j, party in enumerate(firms) if party == pid]
        in_pool[mine] = kept(in_pool[mine], total=float(got["pooled"][i]))
    shown = {name: values / 100 for name, values in got.items()}
    firm = {"retained": retained / 100, "pooled": in_pool / 100}
    return {"net": net, "payments": payments, **shown, "firms": firm}


def summary(st: Statement, lang: str = "en") -> list[tuple[str, str]]:
    """The statement's heading lines: scenario, agreement, its years, terms, unit."""
    none = label("none", lang)
    k = _money(st.scenario.unit)[0]
    floors = ", ".join(
        f"{p} {_amount(k * float(f))}" for p, f in zip(st.parties, st.floors, strict=True) if f > 0
    )
    cap = none if st.cap is None else _amount(k * st.cap)
    terms = {"compliance": st.compliance, "cap": cap, "floors": floors or none}
    sc = st.scenario
    title = i18n.pick(lang, sc.title, sc.title_zh)
    netting = Note("netting").text(lang)
    parties = i18n.semicolon(lang).join(_party(st, p, lang) for p in st.parties)
    return [
        (label("scenario", lang), f"{title} [{sc.name}]"),
        (label("party", lang), parties),
        (label("rule", lang), describe_sharing(sc, _sharing(st), lang)),
        (label("terms", lang), Note("terms_line", terms).text(lang)),
        (label("amounts_in", lang), i18n.semicolon(lang).join([_unit(st, lang), netting])),
    ]


def _sharing(st: Statement) -> Any:
    """The agreement the statement settles (the scenario's own ``[sharing]``)."""
    return st.scenario.sharing


def _title(st: Statement, lang: str) -> str:
    return f"{label('statement', lang)} {st.year}"


def render(st: Statement, lang: str = "en") -> str:
    """The statement as readable text."""
    colon = COLON[lang]
    out = [f"{_title(st, lang)}  [{st.scenario.name}]"]
    out += [f"{key}{colon}{value}" for key, value in summary(st, lang)[1:]]
    out += _notes(st, lang)
    for tab in tables(st, lang):
        rows = [[_amount(c) if isinstance(c, float) else c for c in row] for row in tab.rows]
        out += ["", tab.title, table(tab.header, rows, left=tab.left)]
    if st.payments:
        out += ["", *_payment_lines(st, lang)]
    return "\n".join(out)


def document(st: Statement) -> dict[str, Any]:
    """The statement as a JSON document (docs/settle.md), amounts in the scenario's unit."""
    pids = list(st.parties)

    def by_party(values: Any) -> dict[str, float]:
        return {p: float(values[i]) + 0.0 for i, p in enumerate(pids)}

    return {
        "scenario": st.scenario.name,
        "year": st.year,
        "unit": st.scenario.unit,
        "parties": pids,
        "window": list(st.window),
        "in_window": st.in_window,
        "rule": st.rule,
        "applied_rule": st.applied,
        "compliance": st.compliance,
        "cap": st.cap,
        "floors": by_party(st.floors),
        "review_from": st.review_from,
        "contributions": [
            {
                "firm": c.firm,
                "party": c.party,
                "introduced_by": c.introduced_by,
                "retained": c.retained,
                "pooled": c.pooled,
            }
            for c in st.contributions
        ],
        "pool": st.pool,
        "shares": None if st.shares is None else by_party(st.shares),
        "formula": None
        if st.factors is None or st.weights is None
        else {
            name: {"weight": _finite(st.weights[i]), "shares": _finite_by(pids, st.factors[i])}
            for i, name in enumerate(FACTORS)
        },
        "lines": {name: by_party(values) for name, values in st.lines.items()},
        "payments": [{"from": p.payer, "to": p.payee, "amount": p.amount} for p in st.payments],
    }


def _finite(x: Any) -> float | None:
    return float(x) if np.isfinite(x) else None


def _finite_by(pids: list[str], values: Any) -> dict[str, float | None]:
    return {p: _finite(values[i]) for i, p in enumerate(pids)}


def statement_report(st: Statement, lang: str = "en") -> Any:
    """The statement as a :class:`sim.report.Report` (for the workbook and Word writers):
    the heading lines as its summary, the payments as its findings, its tables."""
    import pandas as pd

    from sim.report import Report

    frames = {}
    for tab in tables(st, lang):
        frames[tab.title] = pd.DataFrame(tab.rows, columns=tab.header)
    findings = [*_notes(st, lang), *_payment_lines(st, lang)]
    return Report(
        title=f"{_title(st, lang)} · {st.scenario.name}",
        lang=lang,
        summary=summary(st, lang),
        tables=frames,
        findings=findings,
    )


def write(st: Statement, out: str | Path, lang: str = "en", *, force: bool = False) -> Path:
    """Write ``statement.xlsx`` and ``statement.docx`` into the folder ``out``, atomically
    (:func:`sim.files.new_folder`: ``out`` must not exist, or with ``force`` be a folder
    ``sim`` wrote)."""
    from sim.files import new_folder
    from sim.report import tables_xlsx
    from sim.report_docx import docx_bytes

    rep = statement_report(st, lang)
    sheets = {label("statement", lang): _summary_frame(rep.summary, lang), **rep.tables}
    dest = Path(out)
    with new_folder(dest, force=force, kind="settle") as tmp:
        (tmp / "statement.xlsx").write_bytes(tables_xlsx(sheets, rep.findings, lang))
        (tmp / "statement.docx").write_bytes(docx_bytes(rep))
    return dest


def _summary_frame(rows: list[tuple[str, str]], lang: str) -> Any:
    import pandas as pd

    return pd.DataFrame(rows, columns=[label("item", lang), label("statement", lang)])
