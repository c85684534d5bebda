"""The Chinese notes sheet (说明) names a choice as its list does and lists words with the
enumeration comma 、, never ", "."""

from __future__ import annotations

import io
import re

import openpyxl

from sim import i18n
from sim.schema import KEYS

from ..workbooks import template

CHINESE_LIST = re.compile(r"[\u4e00-\u9fff）], |, [\u4e00-\u9fff（]")


def _notes() -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(io.BytesIO(template("zh")), read_only=True)
    return list(wb["说明"].iter_rows(values_only=True))


def test_a_choice_s_default_is_its_name() -> None:
    # sharing.rule's default read source（属地，无协议）: the id, and a name its list lacks
    rows = {row[2]: row for row in _notes() if row and len(row) > 5}
    for k in KEYS:
        if k.choices() and k.default:
            default = rows[k.path][5]
            assert default == i18n.name(str(k.default[0]), "zh"), (k.path, default)
            assert default in str(rows[k.path][4]).split("、"), (k.path, rows[k.path][4])
    assert rows["sharing.rule"][5] == "属地"


def test_chinese_lists_use_the_enumeration_comma() -> None:
    said = [str(v) for row in _notes() for v in row if isinstance(v, str)]
    assert [s for s in said if CHINESE_LIST.search(s)] == []
    assert "属地、固定比例、按股比" in " ".join(said)
    assert i18n.listing(["是", "否"], "zh") == "是、否"
    assert i18n.listing(["source", "fixed"], "en") == "source, fixed"
