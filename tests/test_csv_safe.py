"""No CSV cell or spreadsheet text cell sim writes is read as a formula (issue 18)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import load_scenario, run
from sim.cli import main
from sim.csv_safe import FORMULA_START, safe_cell, write_csv
from sim.store import write_run

from .conftest import ROOT

HOSTILE = ["+cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3", "=1+1"]
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

hostile_text = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(FORMULA_START),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
# labels and units must be printable, without surrounding spaces (README, "Input hygiene")
hostile_label = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["=", "+", "-", "@"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20),
)


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _safe(text: str) -> str:
    return text if NUMBER.fullmatch(text) else f"'{text}"


def _no_formula(cells: list[str]) -> None:
    bad = [c for c in cells if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
    assert bad == []


@given(st.lists(st.one_of(hostile_text, st.text(max_size=10)), min_size=1, max_size=8),
       st.lists(st.floats(-1e6, 1e6), min_size=8, max_size=8))  # fmt: skip
@settings(max_examples=60)
def test_write_csv_neutralises_text_keeps_numbers(texts: list[str], numbers: list[float]) -> None:
    import pandas as pd

    frame = pd.DataFrame({"label": texts, "=value": numbers[: len(texts)]})
    buffer = io.StringIO()
    write_csv(buffer, frame)
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows[0] == ["label", "'=value"]
    labels = [row[0] for row in rows[1:]]
    _no_formula(labels)
    # each label is the original, behind a quote where it would have been a formula
    pairs = zip(labels, texts, strict=True)
    assert [t.removeprefix("'") if t != o else t for t, o in pairs] == texts
    back = pd.read_csv(io.StringIO(buffer.getvalue()))
    assert back["'=value"].dtype.kind == "f"  # numbers, negative ones too, stay numbers
    assert back["'=value"].tolist() == pytest.approx(numbers[: len(texts)])


def test_safe_cell_examples() -> None:
    assert safe_cell("=HYPERLINK()") == "'=HYPERLINK()"
    assert safe_cell("@SUM(1)") == "'@SUM(1)" and safe_cell("\tx") == "'\tx"
    assert safe_cell("\rx") == "'\rx" and safe_cell("-2+3") == "'-2+3"
    assert safe_cell("Linshui") == "Linshui" and safe_cell(-1.5) == -1.5
    assert safe_cell("-1.5") == "-1.5" and safe_cell("+2e3") == "+2e3"  # numbers run nothing


@given(unit=hostile_label, name=hostile_label)
@settings(max_examples=15, deadline=None)
def test_run_out_flows_csv_has_no_formula(tmp_path_factory: pytest.TempPathFactory,
                                          unit: str, name: str) -> None:  # fmt: skip
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    evil = replace(scenario, unit=unit, name=name)
    out = tmp_path_factory.mktemp("run") / "out"
    write_run(out, evil, run(evil))
    cells = _cells(out / "flows.csv")
    assert {_safe(unit), _safe(name)} <= set(cells)
    _no_formula(cells)


def _evil_sweep(folder: Path, labels: list[str]) -> Path:
    text = (ROOT / "scenarios" / "gaozhu.toml").read_text(encoding="utf-8")
    text = text.replace('label = "new firms 50:50"', f"label = '{labels[0]}'")
    text = text.replace('label = "CIT-style formula"', f"label = '{labels[1]}'")
    (folder / "evil.toml").write_text(text, encoding="utf-8")
    sweep = folder / "sweep.toml"
    sweep.write_text(
        '[sweep]\nbase = "evil.toml"\nn = 64\nseed = 1\n[sweep.parameters]\n'
        '"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }\n',
        encoding="utf-8",
    )
    return sweep


LABELS = ['=HYPERLINK("http://x","y")', "@SUM(1)"]


def test_robust_minimax_regret_csv_has_no_formula(tmp_path: Path) -> None:
    sweep = _evil_sweep(tmp_path, LABELS)
    out = tmp_path / "robust"
    result = CliRunner().invoke(main, ["robust", str(sweep), "--out", str(out)])
    assert result.exit_code == 0, result.output
    cells = _cells(out / "minimax-regret.csv")
    assert [f"'{label}" for label in LABELS] == [c for c in cells if c.startswith("'")]
    for path in out.glob("*.csv"):
        _no_formula(_cells(path))


def test_sweep_export_ema_has_no_formula(tmp_path: Path) -> None:
    sweep = _evil_sweep(tmp_path, LABELS)
    folder = tmp_path / "sweep-out"
    runner = CliRunner()
    assert runner.invoke(main, ["sweep", str(sweep), "--out", str(folder)]).exit_code == 0
    out = tmp_path / "ema"
    args = ["sweep", "export", str(folder), "--to", "ema", "--dest", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    cells = _cells(out / "experiments.csv")
    assert {f"'{label}" for label in LABELS} <= set(cells)
    _no_formula(cells)
    _no_formula(_cells(out / "outcomes.csv"))


def test_report_xlsx_text_is_never_a_formula(tmp_path: Path, blank_pictures: None) -> None:
    import openpyxl

    sweep = _evil_sweep(tmp_path, LABELS)
    out = tmp_path / "report"
    args = ["report", str(sweep.parent / "evil.toml"), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "tables.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "f" not in {c.data_type for c in cells}
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]
    assert hostile and all(c.quotePrefix for c in hostile)


def test_template_workbook_text_is_never_a_formula(tmp_path: Path) -> None:
    import openpyxl

    sweep = _evil_sweep(tmp_path, LABELS)
    out = tmp_path / "evil.xlsx"
    result = CliRunner().invoke(main, ["convert", str(sweep.parent / "evil.toml"), str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value in LABELS]
    assert len(hostile) == 2 and all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_one_csv_writer() -> None:
    """Every CSV file goes through sim.csv_safe.write_csv: no other writer in the package."""
    stray = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        if path.name == "csv_safe.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\.to_csv\(|csv\.(writer|DictWriter)\(", line):
                stray.append(f"{path.relative_to(ROOT)}:{n}")
    assert stray == []
