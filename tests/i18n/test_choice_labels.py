"""Every list of choices names each choice differently, in both languages.

The land clause's choices ``shared`` and ``tax`` were both 随税收分成比例 in Chinese: on
the page's list a reader could not tell them apart, and the workbook listed the name
once (read back as ``shared``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from sim import i18n
from sim.portfolio.load import BASES, RETURNS
from sim.rules import CLAUSES, clause_rule_names, rule_names
from sim.schema.keys import KEYS, SCOPES
from sim.sweep.distributions import DISTRIBUTIONS
from sim.sweep.spec import DESIGNS


def _lists() -> Iterator[tuple[str, tuple[str, ...]]]:
    yield from _scenario_lists()
    yield "sweep.design", DESIGNS
    yield "sweep.parameters.dist", DISTRIBUTIONS
    yield "fund.basis", BASES
    yield "fund.returns", RETURNS


LABELLERS: dict[str, Callable[[str, str], str]] = {
    "name": i18n.name,  # the workbook's lists, the reports, the key reference
    "page": i18n.page,  # the sim serve page's lists
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("how", sorted(LABELLERS))
def test_no_two_choices_of_a_list_share_a_label(how: str, lang: str) -> None:
    words = LABELLERS[how]
    same = {}
    for where, choices in _lists():
        labels = Counter(words(c, lang) for c in choices)
        twice = {w: [c for c in choices if words(c, lang) == w] for w, n in labels.items() if n > 1}
        if twice:
            same[where] = twice
    assert not same


def _scenario_lists() -> Iterator[tuple[str, tuple[str, ...]]]:
    """The lists of a scenario's choices: on the page, in the workbook, the reports and
    the CLI alike."""
    yield "rule", rule_names()
    yield "scope", SCOPES
    for clause in CLAUSES:
        yield f"sharing.{clause}", clause_rule_names(clause)
    for k in KEYS:
        if k.choices():
            yield k.path, k.choices()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_surface_names_a_choice_alike(lang: str) -> None:
    # the page listed `source` as 无协议（属地） (a report word, i18n.page), the workbook,
    # reports and CLI as 属地 (its name, i18n.name): one choice, one name
    differ = {
        (where, c): (i18n.page(c, lang), i18n.name(c, lang))
        for where, choices in _scenario_lists()
        for c in choices
        if i18n.page(c, lang) != i18n.name(c, lang) or i18n.phrase(c, lang) != i18n.name(c, lang)
    }
    assert not differ
