"""A Chinese user never reads English except key paths and ids (issue 19): a Chinese
workbook's mistakes and the Chinese page's form errors are told in Chinese."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.scenario import load

from ..conftest import ROOT

IDS = {"machinery", "Excel"}
"""The words a message may hold that are not English: a firm's id, a program's name."""


def _english(text: str) -> list[str]:
    """The English words of 4+ letters in ``text``, outside key paths, ids and cells."""
    words = re.findall(r"[A-Za-z][\w.\-\[\]:!]*", text)
    return [w for w in words if re.fullmatch(r"[A-Za-z]{4,}", w) and w not in IDS]


def _template(tmp_path: Path) -> Path:
    path = tmp_path / "x.xlsx"
    result = CliRunner().invoke(main, ["template", str(path), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    return path


def _damage(path: Path) -> None:
    """Make the first firm's output (企业!F2) a number cell that holds no number."""
    old = path.with_suffix(".old.xlsx")
    shutil.move(path, old)
    with zipfile.ZipFile(old) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                cell = rb'<c r="F2"[^>]*>.*?</c>'
                data, n = re.subn(cell, b'<c r="F2"><v>abc</v></c>', data, count=1)
                assert n == 1
            dst.writestr(info, data)


def _cell(sheet: str, ref: str, value: Any) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        wb = openpyxl.load_workbook(path)
        wb[sheet][ref] = value
        wb.save(path)

    return edit


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (_cell("情景", "E7", 3), "情景!E:E"),
        (_damage, "企业!F2"),
        (_cell("企业", "SG2", 1), "企业!SG2"),
        (_cell("企业", "F2", "20 亩"), "企业!F2"),
        (_cell("企业", "F2", 1e12), "企业!A2:U2"),  # the row: up to the incentives columns
        (_cell("企业", "F3", "=1+1"), "企业!F3"),
        (_cell("企业", "T1", "xyz"), "企业!T1"),
        (_cell("共同投资", "A3", 2021), "共同投资!A3"),
        (_cell("企业", "V3", 5), "企业!V3：该列有数值但没有列名"),  # past the incentives columns
        (_cell("参与方", "J2", "x"), "参与方!J2：该列有数值但没有列名"),
    ],
    ids=[
        "beside",
        "damaged",
        "beyond",
        "unit",
        "magnitude",
        "formula",
        "column",
        "again",
        "unheaded",
        "unheaded2",
    ],
)
def test_a_chinese_workbook_s_mistakes_are_told_in_chinese(
    tmp_path: Path, edit: Callable[[Path], None], where: str
) -> None:
    path = _template(tmp_path)
    edit(path)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    text = result.output.replace(str(path), "")
    assert where in text
    assert _english(text) == [], text


flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")


@pytest.mark.parametrize(
    "fields",
    [
        {"meta.name": "x"},
        {"sharing.cap": ["a"]},
        {"sharing.cap": None},
        {"sharing.cap": "9" * 1000},
    ],
    ids=["unknown", "array", "null", "long"],
)
def test_the_chinese_page_s_form_errors_are_in_chinese(tmp_path: Path, fields: Any) -> None:
    from sim.web import make_app

    app = make_app(tmp_path, load(ROOT / "scenarios" / "gaozhu.toml"), name="gaozhu.toml")
    client = app.test_client()
    client.environ_base["HTTP_X_SIM_TOKEN"] = app.extensions["sim"].guard.token
    wid = re.search(r"/w/([\w-]+)", client.get("/").headers["Location"])
    assert wid is not None
    response = client.post(f"/w/{wid.group(1)}/api/evaluate", json={"lang": "zh", "fields": fields})
    assert response.status_code == 400
    text = response.get_json()["error"]
    assert "字段" in text and _english(text) == [], text


@pytest.mark.parametrize(
    ("limit", "value", "told"),
    [
        ("MAX_STYLES", 3, "xl/styles.xml 的样式记录（<"),
        ("MAX_CELLS", 10, "有值的单元格超过 10 个"),
        ("MAX_PARTS", 3, "个文件部件；工作簿最多读取 3 个"),
    ],
    ids=["styles", "cells", "parts"],
)
def test_a_chinese_workbook_past_a_size_limit_is_told_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, told: str
) -> None:
    from sim.workbook import bounds

    path = _template(tmp_path)
    monkeypatch.setattr(bounds, limit, value)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1 and told in result.output, result.output
    parts = re.sub(r"\S*/\S*", " ", result.output)  # the workbook's parts, by their paths
    assert _english(parts) == [], result.output


def test_a_rule_registry_refusal_is_told_in_chinese() -> None:
    from sim.errors import RuleError
    from sim.rules import clause_rule, rules

    with pytest.raises(RuleError) as caught:
        clause_rule("land", "nope")
    zh = caught.value.message("zh")
    assert zh.startswith("土地出让收益条款没有规则 'nope'") and "clause" not in zh, zh
    assert "the land clause has no rule 'nope'" in caught.value.message("en")
    target = rules("target")[0]
    with pytest.raises(RuleError) as caught:
        target.func(None, {})  # type: ignore[arg-type]
    assert caught.value.message("zh").startswith(f"规则 '{target.name}' 设定的是目标")


def test_a_rule_that_loses_money_is_told_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    # the conservation check of sim.rules.divide: its message is a catalogue Reason
    from types import SimpleNamespace

    import numpy as np

    from sim.errors import ConservationError
    from sim.rules import registry

    spec = SimpleNamespace(func=lambda pool, params: registry.Division(np.zeros((1, 2, 1)), None))
    monkeypatch.setattr(registry, "get_rule", lambda name: spec)
    pool = SimpleNamespace(total=np.ones((1, 1)))
    with pytest.raises(ConservationError) as caught:
        registry.divide(pool, "leaky", {})  # type: ignore[arg-type]
    zh = caught.value.message("zh")
    assert zh.startswith("规则 'leaky' 分配了 ") and zh.endswith("（情景 0，年份序号 0）"), zh
    assert "rule 'leaky' allocated" in caught.value.message("en")
