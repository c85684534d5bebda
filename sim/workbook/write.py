"""Write a scenario mapping as a workbook to fill in: a sheet per table, headers with units
in English or Chinese, lists and ranges Excel checks as one types, and a notes sheet.

Every value of the mapping gets a cell (a value without one is a bug, and raises); floats
are stored as the shortest text that reads back to the same number, so that a workbook
read back gives the mapping it was written from, ints and floats alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from sim import i18n
from sim.csv_safe import text_cell
from sim.files import xlsx_bytes
from sim.i18n import TERMS as ZH_TERMS
from sim.i18n import unit
from sim.rules import CLAUSES, clause_rule, clause_rule_names, rules
from sim.schema import SCHEDULED, Key, unit_text
from sim.workbook.cells import schedule_cell
from sim.workbook.layout import (
    AGREEMENTS,
    NOTES,
    SHEETS,
    SLOT_COLUMN,
    Item,
    Segments,
    Sheet,
    get,
    items,
    leaves,
)

__all__ = ["write_workbook"]

EXTRA_ROWS = 200
"""Rows below a table's last that its lists and ranges still cover (room to add)."""
EXTRA_COLUMNS = 4
"""Empty alternatives' columns after the last on the agreements sheet."""
_HEADER_FILL = "D9E2F3"
_KEY_FONT = "808080"


def _w(word: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"book_{word}", lang, **kw)


def write_workbook(data: Mapping[str, Any], lang: str = "en") -> bytes:
    """The workbook of scenario mapping ``data`` (as :func:`tomllib.loads` gives it), with
    headers and notes in ``lang`` (``en`` or ``zh``).

    Raises
    ------
    RuntimeError
        If a value of ``data`` has no cell (a bug: every key of the schema has one).
    """
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    writer = _Writer(data, lang)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.title(lang))
        if sheet.shape == "records":
            writer.records(ws, sheet)
        else:
            writer.items(ws, sheet)
    parties = wb[SHEETS[1].title(lang)]
    last = len(writer.party_ids) + 1 + EXTRA_ROWS
    wb.defined_names["party_ids"] = DefinedName(
        "party_ids", attr_text=f"{_quote(parties.title)}!$A$2:$A${last}"
    )
    writer.notes(wb.create_sheet(i18n.pick(lang, *NOTES)))
    writer.check()
    wb.properties.creator = "sim"
    return xlsx_bytes(wb.save)


class _Writer:
    def __init__(self, data: Mapping[str, Any], lang: str) -> None:
        self.data = data
        self.lang = lang
        parties = data.get("parties", [])
        self.party_ids = [str(p.get("id", "")) for p in parties if isinstance(p, Mapping)]
        self.amount = unit(str(get(data, ("meta", "unit")) or "100m CNY"), lang)
        self.used: set[Segments] = set()

    # -- cells ---------------------------------------------------------------------

    def put(self, ws: Any, row: int, col: int, k: Key, segments: Segments) -> None:
        """The value at ``segments`` into a cell, as a cell of key ``k`` holds it."""
        value = get(self.data, segments)
        if value is None:
            return
        self.used.add(segments)
        if k.kind == "clause" and isinstance(value, Mapping):
            self.used.add((*segments, "rule"))
            value = value.get("rule")
        if k.kind in ("rule", "scope", "clause") and isinstance(value, str):
            value = i18n.name(value, self.lang)  # read back by its name (固定比例 → fixed)
        if k.path == "meta.unit" and isinstance(value, str):
            value = unit(value, self.lang)  # 亿元 in Chinese, read back as 100m CNY
        word = i18n.flag(value, self.lang) if isinstance(value, bool) else ""
        if k.kind == "flag" and word and word != str(value).upper():  # TRUE stays a boolean
            value = word  # 是 or 否 in Chinese, read back as a flag
        if k.kind == "parties" and isinstance(value, list):
            value = ", ".join(map(str, value)) if value else _w("none", self.lang)
        if k.path in SCHEDULED and isinstance(value, Mapping):  # a schedule by year
            self.used.update(s for s in leaves(value, segments))
            value = schedule_cell(value, self.lang)
        _set(ws.cell(row, col), value)

    def header(self, k: Key, slot: str = "") -> str:
        """A column's header: the key's name and its unit."""
        text = k.label(self.lang, slot)
        u = unit_text(k.unit, self.lang, self.amount)
        if not u:
            return text
        return i18n.t("header_unit", self.lang, text=text, unit=u)

    # -- sheets --------------------------------------------------------------------

    def records(self, ws: Any, sheet: Sheet) -> None:
        """A row per item of the table: parties, firms, land sales, capex years."""
        slot_names = SLOT_COLUMN.get(sheet.slot)
        keys = list(sheet.keys)
        heads = [i18n.pick(self.lang, *slot_names)] if slot_names else []
        heads += [self.header(k) for k in keys]
        _head(ws, 1, heads)
        offset = 1 if slot_names else 0
        idents = self.idents(sheet)
        for i, ident in enumerate(idents):
            r = i + 2
            if slot_names:
                _set(ws.cell(r, 1), int(ident) if ident.isdigit() else ident)
            for c, k in enumerate(keys, start=1 + offset):
                if sheet.array and k.table == sheet.array:
                    segments: Segments = (sheet.array, i, k.name)
                else:
                    segments = tuple(ident if p == sheet.slot else p for p in k.path.split("."))
                self.put(ws, r, c, k, segments)
        if slot_names:
            for year in idents:
                self.used.add(("investment", "capex", year))
        rows = f"2:{len(idents) + 1 + EXTRA_ROWS}"
        for c, k in enumerate(keys, start=1 + offset):
            _validate(ws, k, self.lang, [_range(c, c, rows)])
        ws.freeze_panes = "B2"
        _widths(ws)

    def idents(self, sheet: Sheet) -> list[str]:
        """What names each row: the party's or firm's id, the sale's position, the year."""
        if sheet.array:
            records = self.data.get(sheet.array, [])
            return [str(r.get("id", i)) if isinstance(r, Mapping) else "" for i, r in
                    enumerate(records)]  # fmt: skip
        years = get(self.data, ("investment", "capex")) or {}
        return [str(y) for y in years]

    def items(self, ws: Any, sheet: Sheet) -> None:
        """A row per key: the scenario's settings, or every agreement in a column."""
        rows = items(sheet, self.party_ids)
        if sheet is AGREEMENTS:
            agreements: list[Segments] = [("sharing",)]
            agreements += [("compare", j) for j in range(len(self.data.get("compare", [])))]
            values = [_w("agreement", self.lang)]
            values += [_w("alternative", self.lang, n=j) for j in range(1, len(agreements))]
            width = len(agreements) + EXTRA_COLUMNS
            values += [_w("alternative", self.lang, n=j) for j in range(len(agreements), width)]
        else:
            agreements, values, width = [()], [_w("value", self.lang)], 1
        _head(ws, 1, [_w(w, self.lang) for w in ("key", "item", "unit")] + values)
        by_key: dict[Key, list[str]] = {}
        for r, item in enumerate(rows, start=2):
            self.item(ws, r, sheet, item, agreements)
            by_key.setdefault(item.key, []).append(_range(4, 3 + width, f"{r}:{r}"))
        for k, ranges in by_key.items():
            _validate(ws, k, self.lang, ranges)
        ws.freeze_panes = "D2"
        _widths(ws)

    def item(
        self, ws: Any, r: int, sheet: Sheet, item: Item, agreements: Sequence[Segments]
    ) -> None:
        from openpyxl.styles import Font

        _set(ws.cell(r, 1), item.text(sheet))
        ws.cell(r, 1).font = Font(color=_KEY_FONT)
        _set(ws.cell(r, 2), item.key.label(self.lang, item.slot))
        _set(ws.cell(r, 3), unit_text(item.key.unit, self.lang, self.amount))
        for c, root in enumerate(agreements, start=4):
            self.put(ws, r, c, item.key, (*root, *item.segments()))

    def notes(self, ws: Any) -> None:
        """How to use the workbook, what each column and row holds, and the rules."""
        lines = [i18n.t(key, self.lang, unit=self.amount) for key in i18n.USAGE]
        for r, line in enumerate(lines, start=1):
            _set(ws.cell(r, 1), line)
        r = self.key_notes(ws, len(lines) + 2)
        self.rule_notes(ws, r + 2)
        _widths(ws, most=60)

    def key_notes(self, ws: Any, top: int) -> int:
        """A row per key: its sheet, header, TOML key, unit, range, default and meaning."""
        lang = self.lang
        heads = ["sheet", "column", "key", "unit", "allowed", "default", "meaning"]
        _head(ws, top, [_w(w, lang) for w in heads])
        r = top
        for sheet in SHEETS:
            for k in sheet.keys:
                r += 1
                default = k.default_text(lang) or ("" if k.default else _w("required", lang))
                u = unit_text(k.unit, lang, self.amount)
                row = [sheet.title(lang), k.label(lang), k.path, u, _allowed(k, lang),
                       default, k.about(lang)]  # fmt: skip
                for c, text in enumerate(row, start=1):
                    _set(ws.cell(r, c), text)
        return r

    def rule_notes(self, ws: Any, top: int) -> None:
        """Every sharing rule and clause rule, with what it does, in the workbook's language."""
        lang = self.lang
        _head(ws, top, [_w("rule", lang), _w("about", lang)])
        named = [
            (spec.name, spec.name, i18n.summary(spec.name, spec.summary, lang)) for spec in rules()
        ]
        named += [
            (f"{c} = {name}", f"{ZH_TERMS.get(c, c)}：{ZH_TERMS.get(name, name)}",
             i18n.summary(f"clause.{name}", clause_rule(c, name).summary, lang))
            for c in CLAUSES
            for name in clause_rule_names(c)
        ]  # fmt: skip
        for r, (name, name_zh, summary) in enumerate(named, start=top + 1):
            zh_name = f"{name}（{ZH_TERMS.get(name_zh, name_zh)}）"
            _set(ws.cell(r, 1), i18n.pick(lang, name, zh_name))
            _set(ws.cell(r, 2), summary)

    def check(self) -> None:
        """Every value of the mapping is in a cell (an empty table has none to lose)."""
        left = [
            s for s in leaves(self.data) if s not in self.used and get(self.data, s) not in ({}, [])
        ]
        if left:
            from sim.workbook.layout import key_path

            raise RuntimeError(f"no cell in the workbook for {', '.join(map(key_path, left))}")


# --------------------------------------------------------------------------- helpers


def _set(cell: Any, value: Any) -> None:
    """A cell's value: a float as the shortest text of it (read back as the same number),
    text always as text (never a formula)."""
    if isinstance(value, float) and math.isfinite(value):
        cell.value = repr(value)
        cell.data_type = "n"
    elif isinstance(value, str):
        text_cell(cell, value)
    else:
        cell.value = value


def _head(ws: Any, row: int, texts: Sequence[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    for c, text in enumerate(texts, start=1):
        cell = ws.cell(row, c)
        _set(cell, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)


def _range(first: int, last: int, rows: str) -> str:
    from openpyxl.utils import get_column_letter

    top, bottom = rows.split(":")
    return f"{get_column_letter(first)}{top}:{get_column_letter(last)}{bottom}"


def _quote(title: str) -> str:
    return f"'{title}'" if not title.replace("_", "").isalnum() else title


def _allowed(k: Key, lang: str) -> str:
    """What a key may be, in words: its choices, its range, or its kind."""
    choices = _choices(k, lang)
    if choices:
        return i18n.listing(choices, lang)
    if k.kind == "flag":
        return i18n.listing((i18n.flag(v, lang) for v in (True, False)), lang)
    if k.kind == "party":
        return i18n.t("allowed_party", lang)
    if k.kind == "parties":
        return i18n.t("allowed_parties", lang)
    if k.kind == "id":
        return i18n.t("allowed_id", lang, most=f"{k.hi:.0f}")
    if k.kind == "year":
        return i18n.t("allowed_year", lang)
    span = i18n.interval(k.span, lang)
    if k.kind == "whole" and span:
        return i18n.t("allowed_whole", lang, span=span)
    return span


def _validate(ws: Any, k: Key, lang: str, ranges: Sequence[str]) -> None:
    """Excel's check of what is typed into ``ranges``: a list, a range, a length."""
    dv = _validation(k, lang)
    if dv is None:
        return
    allowed = _allowed(k, lang)
    dv.error = allowed[:255]
    dv.errorTitle = k.label(lang)[:32]
    dv.prompt = "; ".join(p for p in (allowed, k.about(lang)) if p)[:255]
    if k.path in SCHEDULED:  # or a schedule by year, typed as text: warn, do not refuse
        dv.errorStyle = "warning"
        dv.prompt = f"{dv.prompt}; {i18n.t('schedule_hint', lang)}"[:255]
    dv.promptTitle = k.label(lang)[:32]
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.allow_blank = True
    for cells in ranges:
        dv.add(cells)
    ws.add_data_validation(dv)


def _choices(k: Key, lang: str) -> tuple[str, ...]:
    """The names a key may take, in ``lang`` (a Chinese workbook lists 固定比例…)."""
    return tuple(i18n.name(c, lang) for c in k.choices())


def _validation(k: Key, lang: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = _choices(k, lang)
    if choices:
        return DataValidation(type="list", formula1=f'"{",".join(choices)}"')
    if k.kind == "flag":
        flags = ",".join(i18n.flag(v, lang) for v in (True, False))
        return DataValidation(type="list", formula1=f'"{flags}"')
    if k.kind in ("party",):
        return DataValidation(type="list", formula1="party_ids")
    if k.kind in ("id", "text"):
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=f"{k.hi:.0f}")
    kind = "whole" if k.kind in ("whole", "year") else "decimal"
    if k.kind not in ("whole", "year", "number"):
        return None
    lo, hi = k.lo, k.hi
    if math.isinf(lo) and math.isinf(hi):
        return None
    if math.isinf(hi):
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{lo:g}")
    if math.isinf(lo):
        return DataValidation(type=kind, operator="lessThanOrEqual", formula1=f"{hi:g}")
    return DataValidation(type=kind, operator="between", formula1=f"{lo:g}", formula2=f"{hi:g}")


def _widths(ws: Any, most: int = 40) -> None:
    """Columns as wide as their longest text (a Chinese character counts twice)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            width = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), most)
