"""The page's words in English and Chinese, all from the catalogue (:mod:`sim.i18n`):
the page's own words (buttons, headings, hints) in :data:`sim.i18n.PAGE`, names of rules,
clauses and terms and the labels of tables and figures from the glossary
(:func:`sim.style.label`, :func:`sim.i18n.phrase`, the field names of :mod:`sim.schema`).
"""

from __future__ import annotations

from sim import i18n, style

__all__ = ["LANGS", "clause_name", "field_label", "label", "t"]

LANGS = i18n.LANGS


def t(text: str, lang: str) -> str:
    """``text`` in ``lang``: the page's own words (:data:`sim.i18n.PAGE`), else the
    report's and the glossary's."""
    return i18n.page(text, lang)


def clause_name(clause: str, lang: str) -> str:
    """The name of a clause (land, dividends, investment, statistics) in ``lang``."""
    if clause == "statistics":  # the glossary's word, through the report's lookup
        return i18n.t("statistics_clause", lang)
    found = style.feature_label(clause, lang)
    if found != clause:
        return found
    from sim.schema.keys import key  # a clause the glossary has no label for: the key's name

    return key(f"sharing.{clause}").label(lang)


def label(key: str, lang: str) -> str:
    """A label of the glossary (:func:`sim.style.label`), e.g. ``npv``, ``standalone``."""
    return style.label(key, lang)


def field_label(pattern: str, lang: str) -> str:
    """The name of a numeric input of :mod:`sim.schema`, e.g. ``horizon.discount_rate``."""
    from sim.schema import field

    f = field(pattern)
    return i18n.pick(lang, f.en, f.zh)
