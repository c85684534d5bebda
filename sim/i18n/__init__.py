"""The word catalogue: every word sim shows a reader, in English and Chinese.

One package holds the words and makes the language choice, so that a concept has one
Chinese word everywhere (出资 for what each party pays into the joint capex, 分红 for
the joint company's dividends) and no other module writes ``if lang == "zh"``:

- :func:`name`: an identifier's name (a rule, a scope, a design), e.g. ``shapley`` →
  ``Shapley 值``; in English an identifier is its own name;
- :func:`t`: a label, heading or note by its key, with ``{param}`` fields filled;
- :func:`pick`: one of two texts a caller holds itself (a party's ``name`` and
  ``name_zh``, a schema field's ``en`` and ``zh``);
- :func:`unit`: the amount unit (亿元 for 100m CNY in Chinese);
- :class:`Reason`: a validation reason, English text plus its key and parameters, that
  renders in either language (:mod:`sim.i18n.reasons`).

How to add a word: docs/development.md ("The word catalogue").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from sim.i18n.names import Names, listing
from sim.i18n.page_tables import PAGE_TABLES
from sim.i18n.portfolio import PORTFOLIO
from sim.i18n.portfolio_page import PORTFOLIO_PAGE
from sim.i18n.portfolio_report import PORTFOLIO_REPORT
from sim.i18n.portfolio_sweep import PORTFOLIO_SWEEP
from sim.i18n.reasons import REASONS, Reason, describe, infinite, render
from sim.i18n.sensitivity_text import SENSITIVITY
from sim.i18n.text import SENTENCES, SUMMARIES, USAGE
from sim.i18n.text import TEXT as _TEXT
from sim.i18n.web import PAGE
from sim.i18n.words import ALIASES, LABELS, NOTES, PHRASES, TERMS

TEXT: dict[str, tuple[str, str]] = {
    **_TEXT,
    **PAGE_TABLES,
    **SENSITIVITY,
    **PORTFOLIO,
    **PORTFOLIO_SWEEP,
    **PORTFOLIO_REPORT,
    **PORTFOLIO_PAGE,
}
"""Every heading, column head and note by key: the text commands', the page's tables' and
``sim portfolio``'s and its page's."""

__all__ = [
    "ALIASES",
    "LABELS",
    "LANGS",
    "NOTES",
    "PAGE",
    "PHRASES",
    "REASONS",
    "SENTENCES",
    "SUMMARIES",
    "TERMS",
    "TEXT",
    "USAGE",
    "Names",
    "Reason",
    "colon",
    "comma",
    "count",
    "describe",
    "flag",
    "interval",
    "is_zh",
    "listing",
    "name",
    "page",
    "phrase",
    "pick",
    "render",
    "semicolon",
    "summary",
    "t",
    "translate",
    "unit",
    "unnest",
    "with_unit",
]

LANGS = ("en", "zh")
"""The languages sim writes."""


def is_zh(lang: str) -> bool:
    """Whether ``lang`` is Chinese (the one place that compares a language code)."""
    return lang == "zh"


def semicolon(lang: str) -> str:
    """The separator of a list whose items hold commas, as ``lang`` writes it."""
    return pick(lang, "; ", "；")


def count(n: int, noun: str, lang: str) -> str:
    """``n`` things as ``lang`` counts them: the text ``{noun}_one`` for one, else
    ``{noun}_many``, its ``{n}`` filled.

    Examples
    --------
    >>> count(1, "figures", "en"), count(2, "figures", "en"), count(1, "figures", "zh")
    ('1 figure', '2 figures', '1 张图')
    """
    return t(f"{noun}_one" if n == 1 else f"{noun}_many", lang, n=f"{n:,}")


def interval(span: str, lang: str) -> str:
    """Bounds ``span`` (``[0, inf]``, :func:`sim.schema.keys.interval`) as ``lang``
    writes them: ``[0, +∞)`` in Chinese.

    Examples
    --------
    >>> interval("[0, inf]", "zh"), interval("[0, inf]", "en")
    ('[0, +∞)', '[0, inf]')
    """
    return pick(lang, span, infinite(span))


def flag(value: bool, lang: str) -> str:
    """A yes-or-no cell's value as a workbook in ``lang`` writes it (and reads it back):
    ``TRUE``/``FALSE``, ``是``/``否``.

    Examples
    --------
    >>> flag(True, "en"), flag(False, "zh")
    ('TRUE', '否')
    """
    return t("flag_true" if value else "flag_false", lang)


def comma(lang: str) -> str:
    """The separator of a list of clauses (``下限 0，众数 0.03``), as ``lang`` writes it;
    a list of words or names is :func:`listing`'s."""
    return pick(lang, ", ", "，")


def colon(lang: str) -> str:
    """The colon between a label and what it labels, as ``lang`` writes it."""
    return pick(lang, ": ", "：")


def with_unit(text: str, unit_name: str, lang: str) -> str:
    """A label with its unit, as ``lang`` writes it: ``NPV (100m CNY)``, in Chinese in
    full-width brackets with no space, ``净现值（亿元）``; ``text`` alone without a unit.
    The one way a figure's axis, a table's column or a field is given its unit (a
    workbook's header has its own, read back: ``header_unit``).

    >>> with_unit("净收益", "亿元", "zh"), with_unit("NPV", "100m CNY", "en")
    ('净收益（亿元）', 'NPV (100m CNY)')
    """
    if not unit_name:
        return text
    return pick(lang, f"{text} ({unit_name})", f"{text}（{unit_name}）")


def pick(lang: str, en: str, zh: str) -> str:
    """``zh`` in Chinese, else ``en``: for a pair of texts the caller holds (a party's
    ``name`` and ``name_zh``).

    Examples
    --------
    >>> pick("zh", "Gaozhou", "高州"), pick("en", "Gaozhou", "高州")
    ('高州', 'Gaozhou')
    """
    return zh if is_zh(lang) else en


def name(word: str, lang: str) -> str:
    """An identifier's name in ``lang``: itself in English, its Chinese name in Chinese
    (itself when the catalogue has none, e.g. a party id).

    Examples
    --------
    >>> name("shapley", "zh"), name("shapley", "en"), name("SC", "zh")
    ('Shapley 值', 'shapley', 'SC')
    """
    return TERMS.get(word, word) if is_zh(lang) else word


def phrase(key: str, lang: str) -> str:
    """A report's word by its concept (:data:`PHRASES`, else :data:`TEXT`), in ``lang``;
    an identifier's name where it is one (:func:`name`).

    Examples
    --------
    >>> phrase("gain_vs_source", "zh"), phrase("shapley", "zh"), phrase("in_core", "en")
    ('较无协议增减', 'Shapley 值', 'in core')
    """
    if key in PHRASES:
        return pick(lang, *PHRASES[key])
    if key in TEXT:
        return pick(lang, *TEXT[key])
    return name(key, lang)


def page(text: str, lang: str) -> str:
    """A word of the ``sim serve`` page, written by its English (:data:`PAGE`), in
    ``lang``; else a report's word by its concept or an identifier's name (:func:`phrase`).

    Examples
    --------
    >>> page("Download", "zh"), page("factor land", "en"), page("in_core", "zh")
    ('下载', 'land area sold', '在核心内')
    """
    if text in PAGE:
        return pick(lang, *PAGE[text])
    return phrase(text, lang)


def t(key: str, lang: str = "en", **params: object) -> str:
    """The label or note ``key`` in ``lang``, its ``{param}`` fields filled from
    ``params``; an unknown key is returned as is.

    Examples
    --------
    >>> t("npv", "zh"), t("npv"), t("never", "zh")
    ('净现值', 'NPV', '该事件从未发生')
    """
    entry = LABELS.get(key) or NOTES.get(key)
    if entry is not None:
        text = entry.get(lang, entry["en"])
    elif key in TEXT:
        text = pick(lang, *TEXT[key])
    else:
        return key
    return unnest(text.format(**params)) if params else text


_NESTED = re.compile(r"（([^（）]*)（([^（）]*)）([^（）]*)）")
_PUNCTUATION = "，。；：、！？"


def unnest(text: str) -> str:
    """``text`` without a bracket inside a bracket: a name that holds one (铜梁（重庆）)
    written in brackets reads 铜梁，重庆 there.

    Examples
    --------
    >>> unnest("TL（铜梁（重庆））"), unnest("TL（铜梁）")
    ('TL（铜梁，重庆）', 'TL（铜梁）')
    >>> unnest("不是此项的单位（面积（亩）：请只填数字）")
    '不是此项的单位（面积，亩：请只填数字）'
    """

    def flat(m: re.Match[str]) -> str:
        before, inner, after = m.groups()
        text = f"{before}，{inner}" if before else inner
        if after and after[0] not in _PUNCTUATION:
            text += "，"
        return f"（{text}{after}）"

    while True:
        done = _NESTED.sub(flat, text)
        if done == text:
            return text
        text = done


def summary(key: str, english: str, lang: str) -> str:
    """A rule's summary or a parameter's description (``english``, the registry's) in
    ``lang``: :data:`SUMMARIES` holds the Chinese by the rule's name, ``clause.<name>``
    or ``<rule>.<parameter>``."""
    return pick(lang, english, SUMMARIES.get(key, english))


FIELDS = {
    "status": "target not reached|undefined",
    "where": r"(?: in [\d,]+ of [\d,]+ scenarios)?",
    "k": r"[\d,]+",
    "n": r"[\d,]+",
    "coalitions": r"\S+",
    "most": r"\d+",
}
"""What a field of a sentence may hold, where narrower than any text."""


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for en, zh in SENTENCES.values():
        parts = re.split(r"\{(\w+)\}", en)
        regex = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>{FIELDS.get(part, '.+?')})"
            for i, part in enumerate(parts)
        )
        out.append((re.compile(regex, re.DOTALL), zh))
    return tuple(out)


def translate(text: str, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A sentence the core wrote in English (:data:`SENTENCES`), in ``lang``; its fields
    are translated in turn, and a name among them (an agreement's label, a rule) is given
    by ``names`` or the catalogue. A text that matches no sentence is returned as is.

    Examples
    --------
    >>> translate("nash: undefined: the raw Banzhaf values sum to 0", "zh")
    '纳什谈判：无定义：原始 Banzhaf 值之和为 0'
    >>> translate("anything else", "zh"), translate("undefined", "en")
    ('anything else', 'undefined')
    """
    if not is_zh(lang):
        return text
    names = names or {}
    for pattern, zh in _patterns():
        found = pattern.fullmatch(text)
        if found:
            return zh.format(**{k: _field(v, lang, names) for k, v in found.groupdict().items()})
    return text


def _field(value: str, lang: str, names: Mapping[str, str]) -> str:
    """A field of a sentence in ``lang``: a sentence, a name, or a list of names."""
    if ", " in value and all(v in names or v in TERMS for v in value.split(", ")):
        return "、".join(names.get(v) or name(v, lang) for v in value.split(", "))
    if value in names:
        return names[value]
    done = translate(value, lang, names)
    return done if done != value else name(value, lang)


def unit(scenario_unit: str, lang: str) -> str:
    """The amount unit: 亿元 in Chinese when the scenario is in 100m CNY.

    Examples
    --------
    >>> unit("100m CNY", "zh"), unit("100m CNY", "en"), unit("m USD", "zh")
    ('亿元', '100m CNY', 'm USD')
    """
    if is_zh(lang) and scenario_unit.strip().lower() in ("100m cny", "亿元"):
        return "亿元"
    return scenario_unit
