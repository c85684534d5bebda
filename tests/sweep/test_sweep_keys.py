"""Every number the key table lets a sweep set can be set on a batch, as the key table
says (:attr:`sim.schema.Key.sets`), and round-trips: the batch and the agreement's terms
a sweep gives for a value are those of the file with that value written in it."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from sim.agreement.terms import written_terms
from sim.compare import AGREEMENT_LABEL
from sim.model import Batch, Terms, batch_from_scenario
from sim.model.batch import YEARLY
from sim.rules import CLAUSES
from sim.scenario import Scenario, parse
from sim.schema import FIELDS, SCHEDULED, Binding, Field, Key, bind
from sim.schema.fields import slot_ids
from sim.sweep.run import apply_parameters
from sim.sweep.spec import parse_sweep

from ..conftest import REFERENCE


def _variants() -> list[dict[str, Any]]:
    """The reference scenario written so that every term a sweep sets exists: a cap, a
    review, every clause by fixed shares; with the tax pool divided by fixed shares, by a
    formula and by the introducer's share."""
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    sharing = data["sharing"]
    sharing["cap"] = 2.0
    sharing["floors"] = {"SC": 0.05, "CQ": 0.05}
    sharing["review"] = {"party": "SC", "below": 0.0, "shares": {"SC": 0.6, "CQ": 0.4}}
    for c in CLAUSES:
        sharing[c] = {"rule": "fixed", "shares": {"SC": 0.4, "CQ": 0.6}}
    formula = copy.deepcopy(data)
    formula["sharing"] |= {"rule": "formula", "weights": {"output": 0.5, "wages": 0.3,
                                                          "investment": 0.2}}  # fmt: skip
    del formula["sharing"]["shares"], formula["sharing"]["review"]
    introducer = copy.deepcopy(formula)
    del introducer["sharing"]["weights"]
    introducer["sharing"] |= {"rule": "introducer", "share": 0.4}
    return [data, formula, introducer]


VARIANTS = _variants()


def _bound(f: Field) -> tuple[dict[str, Any], Scenario, Binding]:
    """The first variant in which ``f`` names an input (its last id), bound."""
    for data in VARIANTS:
        sc = parse(copy.deepcopy(data))
        slot = next((p for p in f.pattern.split(".") if p.startswith("<")), "")
        path = f.pattern.replace(slot, slot_ids(slot, sc)[-1]) if slot else f.pattern
        b = bind(path, sc)
        if not isinstance(b, str):
            return data, sc, b
    raise AssertionError(f"{f.pattern}: no variant has it to sweep")


def _value(b: Binding, sc: Scenario) -> float:
    """A value of the input ``b`` within its bounds, other than the file's."""
    f = b.field
    if f.unit == "year":
        return float(sc.start_year + 1)
    if f.integer:
        return 3.0
    if f.unit.startswith("fraction"):
        return 0.3 if f.shares or f.unit == "fraction" else 0.07
    return 0.35 if f.lo < 0 else 1.7  # an amount, a threshold, years, an area


def _write(data: dict[str, Any], b: Binding, x: float) -> dict[str, Any]:
    """``data`` with ``x`` written at ``b``'s key path (a share's table rescaled to sum
    to 1, the others in proportion, as a sweep rescales them)."""
    out = copy.deepcopy(data)
    node: Any = out
    parts = b.field.pattern.split(".")
    for part in parts[:-1]:
        if part.startswith("<") and isinstance(node, list):  # an array of tables
            node = (
                node[b.position]
                if part == "<sale>"
                else next(item for item in node if item["id"] == b.key)
            )
        else:
            node = node.setdefault(b.key if part.startswith("<") else part, {})
    name = b.key if parts[-1].startswith("<") else parts[-1]
    value: Any = round(x) if b.field.integer else x
    if b.field.shares:
        others = {k: v for k, v in node.items() if k != name}
        total = sum(others.values())
        node.update({k: v / total * (1 - x) for k, v in others.items()})
    node[name] = value
    return out


def _same(a: Any, b: Any, where: str) -> None:
    if a is None or b is None:
        assert a is None and b is None, where
        return
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    np.testing.assert_allclose(a, np.broadcast_to(b, a.shape), rtol=1e-12, err_msg=where)


def _same_batch(swept: Batch, written: Batch, where: str) -> None:
    for fld in fields(Batch):
        a, b = getattr(swept, fld.name), getattr(written, fld.name)
        if fld.name == "structure":
            continue
        if isinstance(a, dict) or hasattr(a, "keys"):
            assert set(a) == set(b), f"{where}: {fld.name}"
            for k in a:
                _same(a[k], b[k], f"{where}: {fld.name}.{k}")
        else:
            _same(a, b, f"{where}: {fld.name}")


def _same_terms(swept: Terms, written: Terms, where: str) -> None:
    for name in ("compliance", "floors", "cap"):
        _same(getattr(swept, name), getattr(written, name), f"{where}: {name}")
    assert set(swept.params) == set(written.params), where
    for k in swept.params:
        _same(swept.params[k], written.params[k], f"{where}: params.{k}")
    for c in CLAUSES:
        _same(swept.clause(c).shares, written.clause(c).shares, f"{where}: {c}")
    assert (swept.review is None) == (written.review is None), where
    if swept.review is not None and written.review is not None:
        _same(swept.review.below, written.review.below, f"{where}: review.below")
        _same(swept.review.shares, written.review.shares, f"{where}: review.shares")


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.pattern)
def test_every_sweepable_key_is_set_on_a_batch_as_the_file_would_set_it(f: Field) -> None:
    data, sc, b = _bound(f)
    x = _value(b, sc)
    assert b.lo <= x <= b.hi, f.pattern
    low, high = (x, x + 1) if f.integer else (x - 0.01, x + 0.01)
    prm = [int(low), int(high)] if f.integer else {"dist": "uniform", "low": low, "high": high}
    spec = parse_sweep({**data, "sweep": {"n": 2, "parameters": {b.path: prm}}}, "test")
    batch, terms = apply_parameters(spec, np.full((2, 1), x), (AGREEMENT_LABEL,))
    written = parse(_write(data, b, x))
    before = batch_from_scenario(sc)
    _same_batch(batch, batch_from_scenario(written), b.path)
    _same_terms(terms[AGREEMENT_LABEL], written_terms(written, written.sharing), b.path)
    with pytest.raises(AssertionError):  # and the value was set at all
        _same_batch(batch, before, b.path)
        _same_terms(terms[AGREEMENT_LABEL], written_terms(sc, sc.sharing), b.path)


def test_a_key_swept_says_how_a_batch_sets_it_and_its_schedules_are_the_batch_s() -> None:
    with pytest.raises(ValueError, match="where and how"):
        Key("horizon.x", "number", "x", "x", "x", "x", sweep="discount_rate")
    assert {f.sets for f in FIELDS} == {"scalar", "column", "share", "default"}
    by_year = {f.pattern.rsplit(".", 1)[-1] if f.target == "firms" else f.target
               for f in FIELDS if f.schedule}  # fmt: skip
    assert by_year == set(YEARLY)  # each fiscal parameter with a schedule has a year axis
    assert set(SCHEDULED) <= {f.pattern for f in FIELDS if f.sets == "column"}


def test_a_sweep_checks_each_input_at_the_end_its_key_declares() -> None:
    """The extreme a sweep checks is the key table's (:attr:`Field.extreme`), the same
    for every key: growth at its largest, unless its key said its lowest end."""
    from dataclasses import replace

    from sim.sweep.parameters import _check_extremes, _parameters

    sc = parse(copy.deepcopy(VARIANTS[0]))
    spec = {"firms.battery-plant.growth": {"dist": "uniform", "low": -0.5, "high": 6.0}}
    problems: list[Any] = []
    params = _parameters(spec, sc, problems)
    _check_extremes(params, sc, problems)
    assert params[0].binding.field.extreme == "high"
    assert [p.reason.key for p in problems] == ["at_extremes"]
    assert "growing 6 a year" in str(problems[0].reason)
    low = replace(params[0].binding, field=replace(params[0].binding.field, extreme="low"))
    problems = []
    _check_extremes([replace(params[0], binding=low)], sc, problems)
    assert problems == []
