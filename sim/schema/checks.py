"""Checks of a scenario beyond one key's kind and bounds, for :mod:`sim.scenario`.

Plain functions of ids and texts, returning the reason for a problem (empty when there
is none); the checker in :mod:`sim.scenario` attaches the key path. See the README,
"The scenario file, key by key".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.i18n import Reason

__all__ = ["empty_id", "indexed", "missing_party"]


def indexed(path: str, data: Mapping[str, Any]) -> str:
    """A problem's key path by the row of its item in ``data``: the checker names a firm
    or party by its id (``firms.battery-plant.growth``, as sweeps and the docs do), a land
    sale by its place (``land_sales.0.price``); a workbook's cells and the page's rows are
    found by row (``firms[2].growth``, ``land_sales[0].price``). Any other path as is.

    >>> indexed("firms.b.growth", {"firms": [{"id": "a"}, {"id": "b"}]})
    'firms[1].growth'
    >>> indexed("land_sales.0", {"land_sales": [{}]}), indexed("sharing.rule", {})
    ('land_sales[0]', 'sharing.rule')
    """
    table, _, rest = path.partition(".")
    rows = data.get(table)
    if table not in ("parties", "firms", "land_sales") or not isinstance(rows, list):
        return path
    for i, row in enumerate(rows):
        ident = (
            str(i) if table == "land_sales" else row.get("id") if isinstance(row, Mapping) else None
        )
        if isinstance(ident, str) and (rest == ident or rest.startswith(f"{ident}.")):
            return f"{table}[{i}]{rest.removeprefix(ident)}"
    return path


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
