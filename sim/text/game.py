"""The text of ``sim game`` (a scenario's game, or a problem typed in) and ``sim rules``."""

from __future__ import annotations

from typing import Any

from sim import i18n
from sim.output import _num, table
from sim.rules import CLAUSES, rules

__all__ = ["WIDE", "render_game", "render_rules", "render_solved"]

WIDE = 10
"""Players beyond which ``sim game solve`` prints a row per player instead of per rule."""


def _core_line(core: dict[str, Any], digits: int, lang: str) -> str:
    state = i18n.t("core_EMPTY" if core["empty"] else "core_not_empty", lang)
    return i18n.t("core_line", lang, state=state, eps=_num(core["least_core_epsilon"], digits))


def render_game(doc: dict[str, Any], lang: str = "en", terms: str | None = None) -> str:
    """The text of ``sim game FILE.toml`` (``terms``: the agreement in words in ``lang``,
    else the document's)."""
    pids = doc["players"]
    out = [
        i18n.t("game_head", lang, name=doc["scenario"], unit=i18n.unit(doc["unit"], lang)),
        "",
    ]
    values = [[k, _num(v)] for k, v in doc["values"].items()]
    out.append(table([i18n.t("coalition_col", lang), "v(S)"], values))
    out += [
        "",
        i18n.t("surplus_line", lang, surplus=_num(doc["surplus"])),
        _core_line(doc["core"], 4, lang),
        "",
    ]
    rows = []
    for name, alloc in doc["allocations"].items():
        if alloc is None:
            rows.append([i18n.name(name, lang), *(["—"] * len(pids)), "—"])
        else:
            inside = i18n.t("yes" if doc["in_core"][name] else "no", lang)
            rows.append([i18n.name(name, lang), *(_num(alloc[p]) for p in pids), inside])
    out.append(table([i18n.t("rule_col", lang), *pids, i18n.t("in_core", lang)], rows))
    out += [
        i18n.t("undefined_rule", lang, rule=i18n.name(k, lang), reason=i18n.translate(v, lang))
        for k, v in doc["notes"].items()
    ]
    acc = doc["acceptable_shares"]
    out += ["", i18n.t("acceptable_head", lang, terms=terms or acc["terms"])]
    if not acc["feasible"]:
        out.append(i18n.t("none_acceptable", lang))
    elif len(pids) == 2:
        lo, hi = acc["low"][pids[0]], acc["high"][pids[0]]
        out.append(
            i18n.t(
                "two_acceptable",
                lang,
                first=pids[0],
                second=pids[1],
                low=f"{lo:.4f}",
                high=f"{hi:.4f}",
            )
        )
    else:
        approx = "" if acc["exact"] else i18n.t("approximate", lang)
        out.append(i18n.t("many_acceptable", lang, approx=approx))
        out.append(
            table(
                [i18n.t("party_col", lang), i18n.t("least_col", lang), i18n.t("most_col", lang)],
                [[p, f"{acc['low'][p]:.4f}", f"{acc['high'][p]:.4f}"] for p in pids],
            )
        )
    return "\n".join(out)


def render_solved(doc: dict[str, Any], lang: str = "en") -> str:
    """A solved problem as text: one row per rule, or per player when there are many.

    Beyond :data:`WIDE` players the table is turned (a column per rule), so that
    thousands of claimants read down the page rather than across it.
    """
    pids = doc["players"]
    core = doc["core"]
    names = list(doc["allocations"])
    problem = i18n.name(doc["problem"], lang)

    def cell(name: str, p: str) -> str:
        alloc = doc["allocations"][name]
        return "—" if alloc is None else f"{alloc[p]:.6g}"

    def held(name: str) -> str:
        inside = core["in_core"][name]
        return "—" if inside is None else i18n.t("yes" if inside else "no", lang)

    in_core = i18n.t("in_core", lang)
    if len(pids) > WIDE:
        head = i18n.t("problem_many", lang, problem=problem, n=f"{len(pids):,}")
        rows = [[p, *(cell(name, p) for name in names)] for p in pids]
        if core is not None:
            rows.append([in_core, *(held(name) for name in names)])
        body = table([i18n.t("player_col", lang), *(i18n.name(n, lang) for n in names)], rows)
    else:
        head = i18n.t("problem_few", lang, problem=problem, players=", ".join(pids))
        rows = [
            [
                i18n.name(name, lang),
                *(cell(name, p) for p in pids),
                *([held(name)] if core is not None else []),
            ]
            for name in names
        ]
        body = table(
            [i18n.t("rule_col", lang), *pids, *([in_core] if core is not None else [])], rows
        )
    out = [head, "", body]
    if core is not None:
        out += ["", _core_line(core, 6, lang)]
    for name, note in doc["notes"].items():
        undefined = doc["allocations"].get(name) is None
        out.append(
            i18n.t(
                "undefined_note",
                lang,
                rule=i18n.name(name, lang),
                undefined=i18n.t("undefined_comma", lang) if undefined else "",
                note=i18n.translate(note, lang),
            )
        )
    return "\n".join(out)


def render_rules(lang: str = "en") -> str:
    """Every registered rule with its parameters and reference, then the clauses' rules.

    In Chinese the rules' names, summaries and parameters' descriptions are the
    catalogue's (:data:`sim.i18n.SUMMARIES`); the references are citations, as written.
    """
    from sim.rules import clause_rules
    from sim.rules.clauses import DEFAULTS

    out = [i18n.t("tax_clause_head", lang), ""]
    for r in rules():
        params = ", ".join(p.name for p in r.params) or i18n.t("no_params", lang)
        kind = i18n.t("divides_pool" if r.kind == "pool" else "fair_target", lang)
        title = i18n.pick(lang, r.name, f"{r.name}（{i18n.name(r.name, lang)}）")
        out += [f"{title}  ({kind})", i18n.t("parameters_line", lang, params=params)]
        out += [
            f"    {p.name} ({p.kind}): {i18n.summary(f'{r.name}.{p.name}', p.description, lang)}"
            for p in r.params
        ]
        out += [
            f"  {i18n.summary(r.name, r.summary, lang)}",
            i18n.t("reference_line", lang, reference=r.reference),
            "",
        ]
    for clause in CLAUSES:
        out += [
            i18n.t(
                "clause_head",
                lang,
                upper=clause.upper(),
                name=i18n.t(f"{clause}_clause", lang),
                clause=clause,
                default=repr(DEFAULTS[clause]),
            ),
            "",
        ]
        for c in clause_rules(clause):
            params = ", ".join(p.name for p in c.params)
            written = f'{{ rule = "{c.name}", {params} = {{ … }} }}' if params else f'"{c.name}"'
            out += [
                f"{c.name}  ({clause} = {written})",
                f"  {i18n.summary(f'clause.{c.name}', c.summary, lang)}",
                i18n.t("reference_line", lang, reference=c.reference),
                "",
            ]
    return "\n".join(out).rstrip()
