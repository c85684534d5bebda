"""Checks of a scenario beyond one key's kind and bounds, for :mod:`sim.scenario`.

Plain functions of ids and texts, returning the reason for a problem (empty when there
is none); the checker in :mod:`sim.scenario` attaches the key path. See the README,
"The scenario file, key by key".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.i18n import Reason

__all__ = ["ROWS", "empty_id", "indexed", "missing_party"]


ROWS: Mapping[str, str | None] = {"parties": "id", "firms": "id", "land_sales": None}
"""A scenario's lists, each with the key that names an item in key paths (``None``: its
place). A portfolio's are :data:`sim.portfolio.types.ROWS`."""


def indexed(path: str, data: Mapping[str, Any], rows: Mapping[str, str | None] = ROWS) -> str:
    """A problem's key path by the row of its item in ``data``: the checker names a firm
    or party by its id (``firms.battery-plant.growth``, as sweeps and the docs do), a land
    sale by its place (``land_sales.0.price``); a workbook's cells and the page's rows are
    found by row (``firms[2].growth``, ``land_sales[0].price``). Any other path as is.

    ``rows``: the lists of ``data`` (a dotted path: ``fund.stakes``) and the key naming
    an item in each; an item is named by the first row with that key (the checker names
    a row whose id is taken by its place, ``parks[3]``, which is returned as is), the
    longest key where several fit (ids may hold dots).

    >>> indexed("firms.b.growth", {"firms": [{"id": "a"}, {"id": "b"}]})
    'firms[1].growth'
    >>> indexed("land_sales.0", {"land_sales": [{}]}), indexed("sharing.rule", {})
    ('land_sales[0]', 'sharing.rule')
    >>> stakes = {"fund": {"stakes": [{"park": "a"}, {"park": "a.b"}]}}
    >>> indexed("fund.stakes.a.b.stake", stakes, {"fund.stakes": "park"})
    'fund.stakes[1].stake'
    """
    for table, key in rows.items():
        rest = path.removeprefix(f"{table}.")
        items = _at(data, table)
        if rest == path or not isinstance(items, list):
            continue
        found: tuple[int, str] | None = None
        for i, row in enumerate(items):
            ident = str(i) if key is None else row.get(key) if isinstance(row, Mapping) else None
            fits = isinstance(ident, str) and (rest == ident or rest.startswith(f"{ident}."))
            if fits and (found is None or len(str(ident)) > len(found[1])):
                found = (i, str(ident))
        if found is not None:
            return f"{table}[{found[0]}]{rest.removeprefix(found[1])}"
    return path


def _at(data: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path of nested tables (``None`` where there is none)."""
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


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
