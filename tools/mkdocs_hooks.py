"""MkDocs hooks: the key and rule references, generated from the code at every build.

A page that holds ``<!-- sim:keys -->`` gets the table of every scenario key from the key
table (:data:`sim.schema.keys.KEYS`); one that holds ``<!-- sim:rules -->`` gets every
rule and clause rule from the rule registry (:func:`sim.output.rules_document`, the same
document ``sim rules --format json`` prints). Nothing in ``docs/`` repeats them by hand,
so a key or rule added to the code appears in the manual with no edit.
"""

from __future__ import annotations

from typing import Any

_KEYS = "<!-- sim:keys -->"
_RULES = "<!-- sim:rules -->"
_SCHEDULES = "fiscal-policy-schedules-a-fiscal-parameter-that-changes-by-year"
"""The anchor of the keys page's section on schedules by year."""


def _cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks folded."""
    return str(text).replace("|", "\\|").replace("\n", " ")


_PER = {"<party>": "party", "<firm>": "firm", "<sale>": "land sale", "<year>": "year",
        "<factor>": "factor"}  # fmt: skip


def keys_markdown() -> str:
    """Every key of a scenario file as a Markdown table, in the file's order: what it
    holds, one per what (a party, a firm…), its range, unit, default, whether a sweep
    can vary it, what it means and its Chinese name."""
    from sim.schema.keys import KEYS

    rows = [
        "| key | holds | one per | range or choices | unit | default | swept | meaning | 中文名 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for k in KEYS:
        choices = ", ".join(f"`{c}`" for c in k.choices())
        span = choices or k.span
        if k.kind in ("id", "text"):
            span = f"at most {int(k.hi)} characters"
        default = "required" if k.required else (k.default_text() or "none")
        kind = f"{k.kind} or [schedule](#{_SCHEDULES})" if k.schedule else k.kind
        cells = (f"`{k.path}`", kind, _PER.get(k.slot, ""), span, k.unit, default,
                 "yes" if k.sweep else "", k.about(), k.zh)  # fmt: skip
        rows.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(rows)


def _rule_rows(rules: list[dict[str, Any]], with_kind: bool) -> list[str]:
    out: list[str] = []
    for r in rules:
        params = r["params"]
        names = ", ".join(f"`{p['name'] if isinstance(p, dict) else p}`" for p in params)
        kind = r.get("kind", r.get("basis", ""))
        cells = [f"`{r['name']}`", kind if with_kind else "", names or "none", r["summary"]]
        cells.append(r["reference"])
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return out


def rules_markdown() -> str:
    """Every tax rule, then each clause's rules, as Markdown tables."""
    from sim.output import rules_document

    doc = rules_document()
    head = ["| name | kind | parameters | what it does | reference |", "|---|---|---|---|---|"]
    parts = ["## Tax rules (`sharing.rule`)", "", *head, *_rule_rows(doc["rules"], True)]
    for clause, rules in doc["clauses"].items():
        parts += ["", f"## `sharing.{clause}`", "", *head, *_rule_rows(rules, True)]
    return "\n".join(parts)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Fill the generated references into the pages that ask for them."""
    if _KEYS in markdown:
        markdown = markdown.replace(_KEYS, keys_markdown())
    if _RULES in markdown:
        markdown = markdown.replace(_RULES, rules_markdown())
    return markdown
