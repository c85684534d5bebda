"""A portfolio as an ``.xlsx`` workbook: read into the mapping its TOML file gives, and
written from one (``sim portfolio workbook``).

Sheets: ``meta``, ``fund`` and ``policy`` hold a key and its value per row (a tax's
local share in ``policy`` a number or a schedule cell, ``0.5 from 2021; 0.45 from
2027``); ``parties``, ``parks``, ``contributions``, ``fund_shares`` and ``stakes``
hold one record per row under a header. A header or key is its TOML key, optionally
followed by words in brackets (the Chinese workbook writes ``level（级别）``); a park's
``parties`` cell maps its parties as ``SC=SC, CQ=CQ``. The workbook is checked against
the limits of :mod:`sim.workbook.bounds` before it is read; every problem the
portfolio checker finds is told at its sheet and cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sim import i18n
from sim.errors import Problem, read_input_bytes
from sim.i18n import Reason
from sim.portfolio.policy import POLICY_KEYS
from sim.portfolio.types import ROWS
from sim.schema import key as schema_key
from sim.schema.checks import indexed
from sim.workbook.bounds import inspect
from sim.workbook.cells import convert, convert_schedule, schedule_cell
from sim.workbook.grids import Grid, open_sheets
from sim.workbook.layout import normal

__all__ = ["RECORDS", "SHEETS", "read_book", "write_book"]

RECORDS: dict[str, tuple[str, ...]] = {
    "parties": ("id", "name", "name_zh", "level"),
    "parks": ("id", "name", "name_zh", "file", "parties"),
    "contributions": ("year", "amount"),
    "fund_shares": ("party", "share", "return_share"),
    "stakes": ("park", "stake"),
}
"""The record sheets and their columns."""
ITEMS: dict[str, tuple[str, ...]] = {
    "meta": ("name", "title", "title_zh"),
    "fund": ("name", "name_zh", "basis", "fee", "returns", "exit_multiple"),
    "policy": ("name", "name_zh", *(f"taxes.{k}" for k in POLICY_KEYS)),
}
"""The key-and-value sheets and their keys."""
SHEETS: tuple[str, ...] = (
    "meta",
    "parties",
    "parks",
    "fund",
    "contributions",
    "fund_shares",
    "stakes",
    "policy",
)

_WORDS: dict[str, str] = {
    "meta": "pf_book_meta",
    "parties": "pf_book_parties",
    "parks": "pf_book_parks",
    "fund": "pf_book_fund",
    "contributions": "pf_book_contributions",
    "fund_shares": "pf_book_fund_shares",
    "stakes": "pf_book_stakes",
    "id": "pf_book_id",
    "name": "pf_book_name",
    "name_zh": "pf_book_name_zh",
    "level": "pf_book_level",
    "title": "pf_book_title",
    "title_zh": "pf_book_title_zh",
    "file": "pf_book_file",
    "year": "pf_book_year",
    "amount": "pf_book_amount",
    "party": "pf_book_party",
    "share": "pf_book_share",
    "return_share": "pf_book_return_share",
    "park": "pf_book_park",
    "stake": "pf_book_stake",
    "basis": "pf_book_basis",
    "fee": "pf_book_fee",
    "returns": "pf_book_returns",
    "exit_multiple": "pf_book_exit_multiple",
    "policy": "policy_label",
}
"""Each sheet's and key's words in the Chinese workbook (in brackets after the key)."""

Locate = Callable[[Problem], Problem]


def _cell(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


def _value(v: Any) -> Any:
    """A cell as TOML would hold it: a whole float a whole number, text stripped."""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, str):
        return v.strip()
    return v


def _mapping(v: Any) -> Any:
    """``SC=SC, CQ=CQ`` (or ``→``, ``：``) as a table; anything else as it is."""
    if not isinstance(v, str):
        return v
    out: dict[str, str] = {}
    for part in filter(None, re.split(r"[,，;；、\s]+", v)):
        pair = re.split(r"\s*(?:=|→|->|:|：)\s*", part)
        if len(pair) != 2 or not all(pair):
            return v
        out[pair[0]] = pair[1]
    return out


def read_book(path: str | Path) -> tuple[dict[str, Any], Locate, list[Problem]]:
    """The mapping the workbook at ``path`` holds, a function that places a problem at its
    sheet and cell, and the problems only a workbook has (an unknown sheet, a column or
    key not known, a year typed twice).

    Raises
    ------
    ScenarioError
        If the file cannot be read as an ``.xlsx`` workbook within the limits of
        :mod:`sim.workbook.bounds` (the caller tells it as the portfolio's).
    """
    from sim.errors import ScenarioError

    source = str(path)
    data = read_input_bytes(path, ScenarioError)
    problems: list[Problem] = []
    sheets = _sheets(_grids(source, data, problems), problems)
    where: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, (title, grid) in sheets.items():
        if name in ITEMS:
            _item_sheet(name, _items(title, name, grid, ITEMS[name], where, problems), out)
            continue
        prefix = "fund.stakes" if name == "stakes" else name
        records = _records(title, prefix, grid, RECORDS[name], where, problems)
        if name == "parks":
            for r in records:
                if "parties" in r:
                    r["parties"] = _mapping(r["parties"])
        if name in ("parties", "parks"):
            out[name] = records
        elif records:
            _fund_records(name, title, records, out.setdefault("fund", {}), where)
    return out, _locator(where, out), problems


def _grids(source: str, data: bytes, problems: list[Problem]) -> dict[str, Grid]:
    """Every sheet's values within the bounds; a formula by the value it was last
    computed to (one never computed is a problem at its cell)."""
    extents = inspect(source, data)
    grids, formulas = open_sheets(source, data, extents, data_only=False)
    if formulas:
        computed = open_sheets(source, data, extents, data_only=True)[0]
        for title, (row, col) in formulas:
            line = computed.get(title, [])[row - 1 : row]
            value = line[0][col - 1] if line and col - 1 < len(line[0]) else None
            if value is None:
                problems.append(
                    Problem("", Reason("book_formula"), f"{title}!{_cell(row - 1, col - 1)}")
                )
            grids[title][row - 1][col - 1] = value
    return grids


def _sheets(grids: dict[str, Grid], problems: list[Problem]) -> dict[str, tuple[str, Grid]]:
    """Each sheet's name (``parties``) → its title and values; an unknown sheet (not
    named ``#…``) or a second of one name is a problem."""
    known = {normal(s): s for s in SHEETS}
    sheets: dict[str, tuple[str, Grid]] = {}
    for title, grid in grids.items():
        name = known.get(normal(title))
        if title.startswith("#"):
            continue
        if name is None or name in sheets:
            why = Reason("unknown_sheet", known=", ".join(SHEETS))
            problems.append(Problem("", why, f"'{title}'"))
            continue
        sheets[name] = (title, grid)
    return sheets


def _items(
    title: str,
    prefix: str,
    grid: Grid,
    keys: tuple[str, ...],
    where: dict[str, str],
    problems: list[Problem],
) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for r, row in enumerate(grid):
        if not row or row[0] is None or str(row[0]).startswith("#"):
            continue
        key = {normal(k): k for k in keys}.get(normal(str(row[0])))
        if key is None:
            why = Reason("unknown_key", allowed=", ".join(keys))
            problems.append(Problem("", why, f"{title}!{_cell(r, 0)}"))
            continue
        value = _value(row[1]) if len(row) > 1 else None
        if value is not None and value != "":
            table[key] = value
        where[f"{prefix}.{key}"] = f"{title}!{_cell(r, 1)}"
    return table


def _item_sheet(name: str, table: dict[str, Any], out: dict[str, Any]) -> None:
    """A key-and-value sheet's table put where the TOML file holds it."""
    if name == "meta":
        out["meta"] = table
    elif name == "policy":
        out["policy"] = _policy(table)
    elif table:
        out.setdefault("fund", {}).update(table)


def _policy(table: Mapping[str, Any]) -> dict[str, Any]:
    """The ``policy`` sheet as the TOML file's ``[policy]`` holds it: a tax's cell is a
    number (``0.45``, ``45%``) or a schedule by year (``0.5 from 2021; 0.45 from 2027``,
    ``2021年起 0.5；2027年起 0.45``)."""
    out: dict[str, Any] = {}
    for k, value in table.items():
        if not k.startswith("taxes."):
            out[k] = value
            continue
        found = schema_key(k)
        read = convert_schedule(found, value)
        out.setdefault("taxes", {})[k.split(".", 1)[1]] = (
            read if read is not None else convert(found, value)
        )
    return out


def _records(
    title: str,
    prefix: str,
    grid: Grid,
    columns: tuple[str, ...],
    where: dict[str, str],
    problems: list[Problem],
) -> list[dict[str, Any]]:
    if not grid:
        return []
    head: list[str | None] = []
    known = {normal(k): k for k in columns}
    for c, h in enumerate(grid[0]):
        key = known.get(normal(str(h))) if h is not None else None
        if h is not None and key is None:
            why = Reason("unknown_key", allowed=", ".join(columns))
            problems.append(Problem("", why, f"{title}!{_cell(0, c)}"))
        head.append(key)
    out: list[dict[str, Any]] = []
    for r, row in enumerate(grid[1:], start=1):
        if not any(v is not None and v != "" for v in row):
            continue
        i = len(out)
        record: dict[str, Any] = {}
        for c, key in enumerate(head):
            if key is None:
                continue
            where[f"{prefix}[{i}].{key}"] = f"{title}!{_cell(r, c)}"
            where.setdefault(f"{prefix}[{i}]", f"{title}!{_cell(r, 0)}")
            v = _value(row[c]) if c < len(row) else None
            if v is not None and v != "":
                record[key] = v
        out.append(record)
    return out


def _fund_records(
    name: str,
    title: str,
    records: list[dict[str, Any]],
    fund: dict[str, Any],
    where: dict[str, str],
) -> None:
    """The fund's contributions, shares and stakes as the TOML file holds them."""
    if name == "stakes":
        fund["stakes"] = records
        return
    tables = (
        (("amount", "contributions"),)
        if name == "contributions"
        else (("share", "shares"), ("return_share", "return_shares"))
    )
    for column, table in tables:
        where[f"fund.{table}"] = f"{title}!{_cell(0, RECORDS[name].index(column))}"
    for i, r in enumerate(records):
        key = str(r.get("year" if name == "contributions" else "party", ""))
        for column, table in tables:
            if column in r:
                fund.setdefault(table, {})[key] = r[column]
                where[f"fund.{table}.{key}"] = where.get(f"{name}[{i}].{column}", "")


def _locator(where: Mapping[str, str], data: Mapping[str, Any]) -> Locate:
    """Where a problem is: its key path (a park by its id, ``parks.gaozhu.file``, found by
    its row in ``data``: :func:`sim.schema.checks.indexed`), or the nearest table above
    it, at its sheet and cell."""

    def locate(p: Problem) -> Problem:
        path = indexed(p.path.split(": ", 1)[0], data, ROWS)
        while path:
            if path in where:
                return Problem(p.path, p.reason, where[path])
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return p

    return locate


def write_book(data: Mapping[str, Any], out: str | Path, lang: str = "en") -> None:
    """Write the portfolio mapping ``data`` (as its TOML file holds it) as the workbook
    ``out``, which must not exist (it is written whole or not at all)."""
    import openpyxl

    from sim.files import new_file, xlsx_bytes

    def word(key: str) -> str:
        zh = schema_key(key).zh if key.startswith("taxes.") else i18n.t(_WORDS[key], lang)
        return i18n.t("name_in_brackets", lang, code=key, name=zh) if i18n.is_zh(lang) else key

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    fund = dict(data.get("fund", {}))
    items = {"meta": data.get("meta", {}), "fund": fund, "policy": _policy_items(data, lang)}
    for name in SHEETS:
        if name == "policy" and "policy" not in data:
            continue
        ws = wb.create_sheet(word(name))
        if name in ITEMS:
            for key in ITEMS[name]:
                if key in items[name]:
                    ws.append([word(key), items[name][key]])
            continue
        ws.append([word(c) for c in RECORDS[name]])
        for row in _rows(name, data, fund):
            ws.append(row)
    new_file(out, xlsx_bytes(wb.save))


def _policy_items(data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The ``[policy]`` table's rows: its names, and each tax's number or schedule cell."""
    policy = dict(data.get("policy", {}))
    taxes = dict(policy.pop("taxes", {}))
    for k, v in taxes.items():
        policy[f"taxes.{k}"] = schedule_cell(v, lang) if isinstance(v, Mapping) else v
    return policy


def _rows(name: str, data: Mapping[str, Any], fund: Mapping[str, Any]) -> list[list[Any]]:
    if name in ("parties", "parks"):
        rows = []
        for r in data.get(name, []):
            row = [r.get(c) for c in RECORDS[name]]
            if name == "parks":
                row[-1] = ", ".join(f"{a}={b}" for a, b in dict(r.get("parties", {})).items())
            rows.append(row)
        return rows
    if name == "contributions":
        return [[int(y), a] for y, a in dict(fund.get("contributions", {})).items()]
    if name == "stakes":
        return [[s.get("park"), s.get("stake")] for s in fund.get("stakes", [])]
    shares, back = dict(fund.get("shares", {})), dict(fund.get("return_shares", {}))
    return [[p, shares.get(p), back.get(p)] for p in dict.fromkeys([*shares, *back])]
