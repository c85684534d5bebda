"""A scenario's report states the rebate terms the incentives clause moves money by:
each party's default rebate for its firms and each firm's rebate (its own or its
party's) in the parties and parameters tables, and the terms table names every value
written — in HTML, tables.xlsx and Word, in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from docx import Document

from sim.cli import main
from sim.report import scenario_report
from sim.scenario import load

from ..conftest import ROOT

INCENTIVES = ROOT / "scenarios" / "joint-promotion-incentives.toml"
WORDS = {  # the catalogue's words for the table, the column of each rebate term
    "en": ("Parties", "Parameters", "rebate share", "rebate years", "(default of its firms)"),
    "zh": ("参与方", "参数", "税收返还比例", "税收返还年数", "（本方注册企业默认值）"),
}


def test_the_report_states_each_partys_and_firms_rebate_terms() -> None:
    sc = load(INCENTIVES)
    for lang, (parties, firms, share, years, default) in WORDS.items():
        rep = scenario_report(sc, lang)
        by_party = rep.tables[parties].set_index(rep.tables[parties].columns[0])
        assert by_party[share].to_dict() == {"SC": 0.3, "CQ": 0.0}
        assert by_party[years].to_dict() == {"SC": 5, "CQ": 0}
        table = rep.tables[firms]
        assert table[share].tolist() == [0.0, 0.0, 0.5, 0.3]  # the hub: SC's default
        assert table[years].tolist() == [5, 0, 3, 5] and table[years].dtype.kind == "i"
        terms = rep.tables[next(iter(rep.tables))]
        items = dict(zip(terms.iloc[:, 0], terms.iloc[:, 1], strict=True))
        assert [v for k, v in items.items() if default in k] == ["30%", _years(5, lang)]


def _years(n: int, lang: str) -> str:
    return f"{n} years" if lang == "en" else f"{n} 年"


def test_a_report_without_rebates_has_no_rebate_columns() -> None:
    rep = scenario_report(load(ROOT / "scenarios" / "gaozhu.toml"), "en")
    assert "rebate share" not in rep.tables["Parties"].columns


def test_every_format_carries_the_rebate_terms(tmp_path: Path, blank_pictures: None) -> None:
    for to, lang in (("html", "zh"), ("docx", "en")):
        out = tmp_path / to
        args = ["report", str(INCENTIVES), "--lang", lang, "--to", to, "--out", str(out)]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        share = WORDS[lang][2]
        if to == "html":
            assert share in (out / "report.html").read_text(encoding="utf-8")
            sheets = pd.read_excel(out / "tables.xlsx", sheet_name=None)
            assert share in sheets[WORDS[lang][0]].columns
        else:
            doc = Document(str(out / "report.docx"))
            cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
            assert share in cells and "party SC: rebate share (default of its firms)" in cells
