"""One key table drives every surface: the checker's defaults and numbers, the sweep's
fields and the TOML write-back are the key table's (:data:`sim.schema.KEYS`)."""

from __future__ import annotations

import tomllib
from typing import Any

from sim.i18n import Reason
from sim.rules.clauses import firm_inputs
from sim.scenario import parse
from sim.scenario_toml import scenario_data
from sim.schema import FIELDS, KEYS, Key, key, names
from sim.schema.fields import bind

from ..conftest import REFERENCE, ROOT


def _tables(data: dict[str, Any], k: Key) -> list[dict[str, Any]]:
    """The tables of ``data`` that hold key ``k`` (every firm's for ``firms.<firm>.…``)."""
    nodes: list[Any] = [data]
    for part in k.path.split(".")[:-1]:
        if part.startswith("<"):  # an array of tables: each item
            nodes = [item for node in nodes if isinstance(node, list) for item in node]
        else:
            nodes = [node[part] for node in nodes if isinstance(node, dict) and part in node]
    return [t for t in nodes if isinstance(t, dict)]


def test_a_number_left_out_takes_the_default_the_key_table_documents() -> None:
    """Each number the reference writes that has a default in the key table is left out;
    the scenario read takes that default (the checker declares none of its own)."""
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    left_out = []
    for k in KEYS:
        if k.value is None or k.path.endswith(k.slot or "\0"):  # weights.<party>: by id
            continue
        name = k.path.rsplit(".", 1)[-1]
        for table in _tables(data, k):
            if name in table:
                del table[name]
                left_out.append(k.path)
    assert len(set(left_out)) >= 10, left_out
    back = scenario_data(parse(data))
    for k in KEYS:
        if k.path not in left_out:
            continue
        name = k.path.rsplit(".", 1)[-1]
        for table in _tables(back, k):
            assert table[name] == k.value, k.path


def test_the_sweep_s_fields_are_the_key_table_s_numbers_with_a_target() -> None:
    swept = {k.path: k for k in KEYS if k.sweep is not None}
    assert [f.pattern for f in FIELDS] == list(swept)
    for f in FIELDS:
        k = swept[f.pattern]
        assert (f.lo, f.hi, f.lo_open, f.hi_open, f.unit, f.en, f.zh, f.shares) == (
            k.lo, k.hi, k.lo_open, k.hi_open, k.unit, k.en, k.zh, k.shares,
        )  # fmt: skip


def test_the_cap_is_swept_as_the_key_table_bounds_it() -> None:
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    assert isinstance(bind("sharing.cap", parse(data)), str)  # no cap written: none to sweep
    data["sharing"]["cap"] = 2.0
    binding = bind("sharing.cap", parse(data))
    assert not isinstance(binding, str)
    assert (binding.lo, binding.hi, binding.field.unit) == (0.0, float("inf"), "unit/yr")


def test_the_write_back_writes_each_table_s_keys_in_the_key_table_s_order() -> None:
    data = scenario_data(parse(tomllib.loads(REFERENCE.read_text(encoding="utf-8"))))
    tables = {"meta": "meta", "horizon": "horizon", "taxes": "taxes",
              "investment": "investment", "cooperation": "cooperation"}  # fmt: skip
    for table, pattern in tables.items():
        assert list(data[table]) == [n for n in names(pattern) if n in data[table]], table
    for array, pattern in (("parties", "parties.<party>"), ("firms", "firms.<firm>")):
        inputs = {i.name for i in firm_inputs()}  # a clause input: where written
        if array == "firms":  # and a firm's names (else it is called by its id)
            inputs |= {"name", "name_zh"}
        for row in data[array]:
            assert list(row) == [n for n in names(pattern) if n in row], array
            assert set(names(pattern)) - set(row) <= inputs, array
    sharing = [n for n in data["sharing"] if n not in ("land", "dividends")]
    assert sharing == [n for n in names("sharing") if n in sharing]


def test_a_term_written_only_where_it_holds_cannot_be_swept_unwritten() -> None:
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    why = bind("sharing.cap", parse(data))
    assert why == "the agreement has no cap to sweep (write sharing.cap)"


def test_the_scenario_objects_defaults_are_the_key_table_s() -> None:
    """The frozen objects of :mod:`sim.scenario_types` stand below the key table (the
    schema binds key paths to a scenario), so their defaults are written there again:
    each must be the key table's (``None`` where nothing holds unwritten)."""
    from dataclasses import MISSING, fields

    from sim.scenario_types import Cooperation, Investment, Review, Sharing, Taxes
    from sim.schema import key

    paths = {k.path for k in KEYS}
    tables = {Taxes: "taxes", Investment: "investment", Sharing: "sharing",
              Review: "sharing.review", Cooperation: "cooperation"}  # fmt: skip
    checked = []
    for cls, table in tables.items():
        for f in fields(cls):
            path = f"{table}.{f.name}"
            if f.default is MISSING or path not in paths:
                continue
            k = key(path)
            if k.optional:
                expected: object = None
            elif k.value is not None:
                expected = k.value
            elif k.kind in ("rule", "scope", "clause") and k.default:
                expected = k.default[0]
            else:  # a default in words ("the rule", "to the end"): applied by the checker
                continue
            assert f.default == expected, path
            checked.append(path)
    assert len(checked) >= 9, checked


def test_a_key_given_a_sweep_target_applies_where_what_holds_it_is_written(
    monkeypatch: Any,
) -> None:
    """Whether a swept key exists in a scenario comes from the key table alone: a key
    under a table the file need not write (here a party's standalone capex, swept in
    this test only) is refused where the table is not written, in the table's words."""
    from dataclasses import replace

    from sim.scenario import load
    from sim.schema import fields

    k = key("cooperation.standalone_capex.<party>")
    added = replace(fields.field("investment.capex.<year>"), pattern=k.path, en=k.en, zh=k.zh)
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS, added))
    without = bind("cooperation.standalone_capex.SC", load(REFERENCE))
    assert isinstance(without, Reason)
    assert without == "the scenario has no cooperation.standalone_capex to sweep"
    assert without.text("zh") == "情景没有可变动的 cooperation.standalone_capex"
    with_it = bind("cooperation.standalone_capex.SC", load(ROOT / "scenarios" / "gaozhu.toml"))
    assert not isinstance(with_it, str) and with_it.field is added
