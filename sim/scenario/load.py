"""Loading a scenario: a TOML file, text or mapping, or an ``.xlsx`` workbook, validated
by :class:`~sim.scenario.checker._Checker`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError, read_input, read_input_bytes
from sim.i18n import Reason
from sim.scenario.checker import _Checker
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Scenario,
)
from sim.schema.typed import ReadAs, read_names
from sim.syntax import syntax_reason

WORKBOOK_SUFFIXES = (".xlsx",)
"""Files read as workbooks (:mod:`sim.workbook`); every other file is read as TOML."""
_OLD_SPREADSHEETS = (".xls", ".et", ".ods", ".numbers", ".csv")


def load(path: str | Path) -> Scenario:
    """Read and validate the scenario file at ``path``: TOML, or an ``.xlsx`` workbook
    (``sim template``), checked alike.

    Raises
    ------
    ScenarioError
        Naming the file and every problem in it (including TOML syntax errors
        with their line, a workbook's sheet, cell and column, and a file that cannot
        be read).
    """
    return read(path)[0]


def read(path: str | Path) -> tuple[Scenario, dict[str, Any]]:
    """The scenario at ``path`` (as :func:`load`) and the mapping it was read from, the
    mapping :func:`tomllib.loads` gives for a TOML file (names read as identifiers)."""
    scenario, data, _ = read_noted(path)
    return scenario, data


def read_noted(path: str | Path) -> tuple[Scenario, dict[str, Any], list[ReadAs]]:
    """:func:`read`, and each value read differently from how it was typed (a workbook's
    ``1,200`` read as 1200, a rule written ``固定比例`` read as ``fixed``), where it is:
    a workbook's cell, a TOML file's key path (``sim validate`` lists them)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _OLD_SPREADSHEETS:
        raise ScenarioError(str(p), [Problem("", Reason("old_spreadsheet", suffix=suffix))])
    if suffix in WORKBOOK_SUFFIXES:
        from sim.workbook.read import read_workbook

        book = read_workbook(str(p), read_input_bytes(p, ScenarioError))
        try:
            scenario, data, notes = parse_noted(book.data, source=str(p))
        except ScenarioError as exc:
            raise ScenarioError(str(p), book.locate(exc.problems), book.lang) from None
        if book.problems:
            raise ScenarioError(str(p), book.locate([]), book.lang)
        return scenario, data, book.read_as + notes
    return parse_noted(_toml(read_input(p, ScenarioError), str(p)), source=str(p))


def loads(text: str, source: str = "<string>") -> Scenario:
    """Validate scenario TOML given as a string (``source`` names it in errors)."""
    return parse(_toml(text, source), source=source)


def _toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [Problem("", syntax_reason(exc, text))]) from None
    except RecursionError:
        raise ScenarioError(source, [Problem("", Reason("too_deep"))]) from None


def parse(data: Mapping[str, Any], source: str = "<data>") -> Scenario:
    """Validate an already-parsed scenario mapping (as :mod:`tomllib` returns it)."""
    return parse_noted(data, source)[0]


def parse_noted(
    data: Mapping[str, Any], source: str = "<data>"
) -> tuple[Scenario, dict[str, Any], list[ReadAs]]:
    """:func:`parse`, the mapping with its names read as identifiers (``固定比例`` →
    ``fixed``, :func:`sim.schema.typed.read_names`), and a note for each name read."""
    named, notes = read_names(data)
    checker = _Checker()
    scenario = checker.scenario(named, source)
    if checker.problems or scenario is None:
        raise ScenarioError(source, checker.problems)
    return scenario, named, notes
