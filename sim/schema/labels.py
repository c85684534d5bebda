"""The labels of ``sim compare``'s rows: the built-in rows and the ``[[compare]]`` tables.

``sim compare`` shows the file's agreement (``agreement``), no agreement (``source``),
the agreement with the pool split by shareholding (``equity``), each ``[[compare]]``
table and the fair-division rules of :data:`FAIR_RULES`. Every row is found by its
label in tables, figures and reports, in English and in Chinese, so no two rows may
share a name in either language. This module is the one home of the built-in labels:
:mod:`sim.compare` builds its rows from them and the scenario checker refuses a
``[[compare]]`` label that would clash with one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.glossary import ZH_TERMS
from sim.i18n import Reason

__all__ = [
    "AGREEMENT_LABEL",
    "BUILT_IN_LABELS",
    "EQUITY_LABEL",
    "FAIR_RULES",
    "SOURCE_LABEL",
    "label_problems",
    "zh_name",
]

AGREEMENT_LABEL = "agreement"
"""The file's own ``[sharing]``."""
SOURCE_LABEL = "source"
"""No agreement at all: every party keeps what it collects."""
EQUITY_LABEL = "equity"
"""The file's agreement with the tax pool split by shareholding."""
FAIR_RULES: tuple[str, ...] = ("shapley", "nucleolus", "nash")
"""Fair-division rules ``sim compare`` adds beside the keyed ones. A ``[[compare]]``
table of one of these rules, labelled with its name, stands in for its row."""
BUILT_IN_LABELS: tuple[str, ...] = (AGREEMENT_LABEL, SOURCE_LABEL, EQUITY_LABEL, *FAIR_RULES)


def zh_name(label: str, label_zh: str = "") -> str:
    """A row's name in Chinese: its own ``label_zh`` where it has one (other than its
    label), else the glossary's name of the label (``shapley`` → ``Shapley 值``).

    >>> zh_name("equity"), zh_name("equal thirds", "三方均分"), zh_name("my split")
    ('按股比', '三方均分', 'my split')
    """
    if label_zh and label_zh != label:
        return label_zh
    return ZH_TERMS.get(label, label)


def _reserved_text() -> str:
    return ", ".join(f"{b} ({zh_name(b)})" for b in BUILT_IN_LABELS)


def label_problems(tables: Sequence[tuple[str, str, str]]) -> list[tuple[int, str, str]]:
    """Why ``[[compare]]`` tables' labels would clash with a row's in either language.

    ``tables`` holds each ``[[compare]]`` table's ``(label, label_zh, rule)``; the answer
    holds ``(position, key, reason)`` for each clash, ``key`` being ``label`` or
    ``label_zh``. A label may not be empty, be a built-in row's (``agreement``,
    ``source``, ``equity``; a fair-division rule's only on a table of that rule, which
    then stands in for its row), or be another table's; nor may its Chinese name.

    >>> label_problems([("equity", "", "fixed")])[0][:2]
    (0, 'label')
    >>> label_problems([("nash", "", "nash"), ("split", "三方均分", "fixed")])
    []
    """
    stand_ins = {label for label, _, rule in tables if label in FAIR_RULES and label == rule}
    built_in = [b for b in BUILT_IN_LABELS if b not in stand_ins]
    owner_en = dict.fromkeys(built_in, "")  # a name → the table that has it ("": a row)
    owner_zh = {zh_name(b): "" for b in built_in}
    reserved = _reserved_text()
    out: list[tuple[int, str, str]] = []
    for i, (label, label_zh, rule) in enumerate(tables):
        zh = zh_name(label, label_zh)
        zh_key = "label_zh" if label_zh and label_zh != label else "label"
        if not label:
            out.append((i, "label", Reason("empty_label")))
        elif label in FAIR_RULES and rule != label:
            why = Reason("fair_label", label=repr(label))
            out.append((i, "label", Reason("reserved_label", label=repr(label),
                                           reserved=reserved, why=why)))  # fmt: skip
        elif label in owner_en:
            first = owner_en[label]
            out.append((i, "label", Reason("duplicate_label_of", got=repr(label), first=first)
                        if first else Reason("reserved_label", label=repr(label),
                                             reserved=reserved, why="")))  # fmt: skip
        elif zh in owner_zh:
            first = owner_zh[zh]
            out.append((i, zh_key, Reason("duplicate_label_zh", zh=repr(zh), first=first)
                        if first else Reason("reserved_label_zh", zh=repr(zh),
                                             reserved=reserved)))  # fmt: skip
        owner_en.setdefault(label, f"compare[{i}]")
        owner_zh.setdefault(zh, f"compare[{i}]")
    return out
