"""Identifiers a reason lists, in either language (:class:`Names`)."""

from __future__ import annotations

from collections.abc import Iterable

from sim.i18n.words import TERMS

__all__ = ["Names", "listing"]

_LIST_SEPARATOR = {"en": ", ", "zh": "、"}


def listing(words: Iterable[str], lang: str) -> str:
    """Words or names one after another, as ``lang`` lists them: with ``, `` in English,
    with the enumeration comma ``、`` in Chinese (never ``, ``); the one place a list's
    separator is chosen.

    >>> listing(["属地", "固定比例"], "zh"), listing(["source", "fixed"], "en")
    ('属地、固定比例', 'source, fixed')
    """
    return _LIST_SEPARATOR.get(lang, ", ").join(words)


class Names(str):
    """Identifiers a reason lists (the known rules, a near miss's nearest names): the ids
    in English, in Chinese their Chinese names (:data:`~sim.i18n.words.TERMS`), which a
    Chinese workbook's cells take as well; ``quoted``: each in quotes, and in Chinese
    with its id beside it.

    Examples
    --------
    >>> known = Names(("source", "fixed", "nash"))
    >>> known, known.text("zh")
    ('source, fixed, nash', '属地、固定比例、纳什谈判')
    >>> Names(("fixed",), quoted=True).text("zh"), Names(("fixed",), quoted=True)
    ("'固定比例'（fixed）", "'fixed'")
    """

    ids: tuple[str, ...]
    quoted: bool

    def __new__(cls, ids: Iterable[str], quoted: bool = False) -> Names:
        """The names of ``ids``; their English text."""
        ids = tuple(ids)
        self = super().__new__(cls, ", ".join(f"'{i}'" if quoted else i for i in ids))
        self.ids, self.quoted = ids, quoted
        return self

    def text(self, lang: str = "en") -> str:
        """The names in ``lang``."""
        if lang != "zh":
            return str(self)

        def one(i: str) -> str:
            zh = TERMS.get(i)
            if not self.quoted:
                return zh or i
            return f"'{zh}'（{i}）" if zh else f"'{i}'"

        return listing(map(one, self.ids), lang)
