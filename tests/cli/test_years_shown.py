"""Years print as years: a swept first year reads ``2025`` in every output, never
``2025.0`` or ``2,025.000``.

The shipped sweep (scenarios/sweeps/gaozhu.toml, which sweeps the battery plant's
first year over 2025–2027) goes through every command that shows its inputs — the
sweep and its summary, its EMA export, discovery, sensitivity and the reports of the
sweep and of the sensitivity folder, as HTML, workbook and Word, in English and
Chinese — and each printout and file is searched for a year written as a decimal.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main

from ..conftest import pictures_not_rasterised, shipped_sweep

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_years_shown")

DECIMAL_YEAR = re.compile(r"(?<![\d.])20[2-3]\d\.\d|(?<![\d.])2,0[2-3]\d(?![\d])")
"""A year of the sweep written as a decimal (2025.0, 2,025.000)."""


def _small_copy(tmp_path: Path) -> Path:
    """The shipped sweep with its base made absolute and fewer scenarios (it sweeps a
    year: ``first_year``)."""
    path = shipped_sweep(tmp_path, 300)
    assert "first_year" in path.read_text(encoding="utf-8")
    return path


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """Every printout (by command) and the folder holding every file written (figures
    drawn but not rasterised: no test here reads a picture, see _file_texts)."""
    tmp = tmp_path_factory.mktemp("years")
    sweep = _small_copy(tmp)
    sw, sens = tmp / "sweep", tmp / "sensitivity"
    printed = {
        "sweep": _run("sweep", str(sweep), "--out", str(sw), "--quiet"),
        "summary": _run("sweep", "summary", str(sw)),
        "export": _run("sweep", "export", str(sw), "--to", "ema"),
        "sensitivity": _run("sensitivity", str(sweep), "--n", "16", "--out", str(sens)),
    }
    with pictures_not_rasterised():
        _reports(tmp, printed, sw, sens)
    return printed, tmp


def _reports(tmp: Path, printed: dict[str, str], sw: Path, sens: Path) -> None:
    for lang in ("en", "zh"):
        printed[f"discover-{lang}"] = _run(
            "discover", str(sw), "--holds", "--lang", lang, "--out", str(tmp / f"discover-{lang}")
        )
    # each report (of the sweep, of the sensitivity folder) as HTML and as Word, each
    # format once in each language: the years are formatted by the format's writer
    for name, target, to, lang in (
        ("sweep", sw, "html", "en"),
        ("sweep", sw, "docx", "zh"),
        ("sensitivity", sens, "html", "zh"),
        ("sensitivity", sens, "docx", "en"),
    ):
        out = tmp / f"report-{name}-{lang}-{to}"
        _run("report", str(target), "--lang", lang, "--to", to, "--out", str(out))


def _decimal_years(text: str) -> list[str]:
    return [text[max(0, m.start() - 50) : m.end() + 10] for m in DECIMAL_YEAR.finditer(text)]


def _file_texts(folder: Path) -> dict[str, str]:
    """The text of every file a person or program reads: CSV, JSON, HTML (figures left
    out) and the XML inside Word documents and workbooks."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".csv", ".json", ".html", ".txt"):
            text = path.read_text(encoding="utf-8")
            texts[str(path)] = re.sub(r"data:[a-z/]+;base64,[^\"')]+", "", text)
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith(".xml"):
                        texts[f"{path}:{name}"] = z.read(name).decode("utf-8")
    return texts


def test_the_shipped_sweep_sweeps_a_year(outputs: tuple[dict[str, str], Path]) -> None:
    printed, _ = outputs
    assert "first_year" in printed["sensitivity"]
    assert "2025" in printed["sensitivity"]
    assert "2026" in printed["discover-en"] and "2026" in printed["discover-zh"]


@pytest.mark.parametrize(
    "command", ["sweep", "summary", "export", "sensitivity", "discover-en", "discover-zh"]
)
def test_no_printout_writes_a_year_as_a_decimal(
    outputs: tuple[dict[str, str], Path], command: str
) -> None:
    printed, _ = outputs
    assert _decimal_years(printed[command]) == []


def test_no_file_writes_a_year_as_a_decimal(outputs: tuple[dict[str, str], Path]) -> None:
    _, folder = outputs
    texts = _file_texts(folder)
    assert any(".docx:" in k for k in texts) and any(k.endswith("tornado.csv") for k in texts)
    found = {k: hits for k, t in texts.items() if (hits := _decimal_years(t))}
    assert found == {}


def test_workbook_years_are_not_formatted_with_decimals(
    outputs: tuple[dict[str, str], Path],
) -> None:
    """A year stored as a number in tables.xlsx shows as 2025, not 2,025.00."""
    import openpyxl

    _, folder = outputs
    checked = 0
    for path in folder.glob("report-*-html/tables.xlsx"):
        for sheet in openpyxl.load_workbook(path):
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, int | float) and 2025 <= cell.value <= 2027:
                        checked += 1
                        assert "." not in cell.number_format, (path, sheet.title, cell)
    assert checked > 0
