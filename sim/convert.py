"""A scenario written as a workbook or as TOML, checked to read back as the same scenario.

``sim template`` and ``sim convert`` write through :func:`render`: the file is written in
memory, read back and validated, and only a file that gives the same
:class:`~sim.scenario.Scenario` (every input, the agreement and its alternatives) is
returned. A TOML file written from a workbook and read back gives the very mapping the
workbook gave (ints and floats alike), and so the same content digest.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError
from sim.i18n import Reason
from sim.scenario import WORKBOOK_SUFFIXES, Scenario, parse
from sim.workbook.read import read_workbook
from sim.workbook.totoml import dumps
from sim.workbook.write import write_workbook

__all__ = ["FORMATS", "REFERENCE", "reference", "render", "same"]

FORMATS = {".xlsx": "workbook", ".toml": "TOML scenario file"}
"""What ``sim convert`` writes, by the destination's suffix."""
REFERENCE = Path(__file__).resolve().parent / "data" / "co-built-park.toml"
"""The reference scenario (co-built-park.toml), shipped inside the package for ``sim template``."""


def reference(lang: str = "en") -> tuple[Scenario, dict[str, Any]]:
    """The reference scenario and its mapping, to fill a template in ``lang``: in Chinese
    its title and its parties' names are their Chinese ones (``title_zh``, ``name_zh``),
    so that a Chinese workbook is filled in Chinese; the ids stay as they are.

    Examples
    --------
    >>> scenario, data = reference("zh")
    >>> data["meta"]["title"] == data["meta"]["title_zh"], [p.name for p in scenario.parties]
    (True, ['广安（四川）', '渝北（重庆）'])
    """
    from sim import i18n
    from sim.scenario import read

    scenario, data = read(REFERENCE)
    meta = dict(data["meta"])
    meta["title"] = i18n.pick(lang, meta["title"], meta.get("title_zh") or meta["title"])
    parties = [{**p, "name": i18n.pick(lang, p["name"], p.get("name_zh") or p["name"])}
               for p in data["parties"]]  # fmt: skip
    localized = {**data, "meta": meta, "parties": parties}
    return parse(localized, scenario.source), localized


def render(
    scenario: Scenario,
    data: Mapping[str, Any],
    suffix: str,
    *,
    lang: str = "en",
    header: Sequence[str] = (),
) -> bytes:
    """The bytes of ``scenario`` (read from mapping ``data``) as a ``.xlsx`` workbook (with
    headers and notes in ``lang``) or a ``.toml`` file (after ``header`` comment lines).

    Raises
    ------
    ScenarioError
        If the file would not read back as the same scenario (an empty table, such as
        ``standalone_capex = {}``, has no cells in a workbook).
    RuntimeError
        If what was written is not a valid scenario (a bug).
    """
    name = f"{scenario.source} as {FORMATS[suffix]}"
    if suffix in WORKBOOK_SUFFIXES:
        blob = write_workbook(data, lang)
        book = read_workbook(name, blob)
        back_data: Mapping[str, Any] = book.data
        if book.problems:
            raise RuntimeError(f"{name}: {'; '.join(map(str, book.problems))}")
    else:
        text = dumps(data, header)
        blob = text.encode("utf-8")
        back_data = tomllib.loads(text)
    try:
        back = parse(back_data, source=name)
    except ScenarioError as exc:
        raise RuntimeError(f"written, it is not a valid scenario: {exc}") from None
    differ = same(scenario, back)
    if differ:
        raise ScenarioError(
            scenario.source,
            [
                Problem(
                    "",
                    Reason("convert_loses", kind=FORMATS[suffix], differ=", ".join(differ)),
                )
            ],
        )
    return blob


def same(a: Scenario, b: Scenario) -> list[str]:
    """The parts of two scenarios that differ, where they came from and their digests
    aside (empty: the same scenario)."""
    return [
        f.name
        for f in dataclasses.fields(Scenario)
        if f.name not in ("source", "digest") and getattr(a, f.name) != getattr(b, f.name)
    ]
