"""Checks of a scenario beyond one key's kind and bounds, for :mod:`sim.scenario`.

Plain functions of ids and texts, returning the reason for a problem (empty when there
is none); the checker in :mod:`sim.scenario` attaches the key path. See the README,
"The scenario file, key by key".
"""

from __future__ import annotations

from sim.i18n import Reason

__all__ = ["empty_id", "missing_party"]


def missing_party(party: str) -> Reason:
    """Why a table of party shares must name ``party``.

    A party left out of a shares table would get 0% of what the table divides, and a
    party added to a file whose tables were written for fewer would get nothing unseen
    (``fixed shares 0.5:0.5:0``). A share of nothing is written out.

    >>> missing_party("GA")
    'missing: every party must appear in every shares table (write GA = 0 to give it none)'
    """
    return Reason("missing_party", party=party)


def empty_id(what: str) -> Reason:
    """Why an id (of a party, a firm, the scenario) cannot be empty.

    Ids name columns, sheets' rows, files and folders; an empty one validated and then
    broke ``sim convert`` and ``sim template``. Text with spaces around it (so also
    spaces alone) is refused for every string already.

    >>> empty_id("firm")
    'must not be empty: give the firm a short id (letters, digits, -, _, .)'
    """
    return Reason("empty_id", what=what)
