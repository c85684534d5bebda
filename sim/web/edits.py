"""How the page's edits change a scenario, and where the schema's problems go back.

An edit is applied to the loaded scenario's mapping (:func:`sim.scenario_toml.scenario_data`)
and the result is validated by :func:`sim.scenario.parse`, so the page shows the schema's
own messages: text that is not a number is passed on as text, for the schema to say
``must be a number, got the string 'abc'``. A blank field takes the schema's default —
in an alternative (``[[compare]]``), the agreement's term (:mod:`sim.inheritance`).
Rows of the arrays are taken in the order their ``<table>.rows`` field lists; a row
added on the page starts empty and takes the fields sent for it. Nothing here imports
Flask.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sim.errors import Problem
from sim.i18n import Reason
from sim.rules import CLAUSES, FACTORS, clause_rule, clause_rule_names, get_rule, rule_names
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.scenario import Scenario
from sim.schema.checks import indexed
from sim.web.form import ARRAYS, MAX_VALUE, Form, Kind, is_new

__all__ = ["MAX_ROWS", "FormError", "apply", "field_of", "locate", "rows_of"]

MAX_ROWS = 200
"""Most rows an array may have on the page."""
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TERMS = ("scope", "base_year", "from_year", "years", "compliance", "cap")


class FormError(ValueError):
    """A request the form cannot read at all (unknown field, a value of the wrong type)."""


_BLANK = object()


def _read(value: Any, kind: Kind) -> Any:
    """A field's value as the scenario mapping holds it: a number where the text is one,
    else the text itself (the schema then says what is wrong with it); blank → _BLANK."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return _BLANK
    if kind == "flag":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind in ("choice", "text"):
        return text
    if _INTEGER.fullmatch(text):
        return int(text)
    if kind == "year":
        return text
    try:
        return float(text)
    except ValueError:
        return text


def rows_of(form: Form, values: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each array's rows as the page sends them (``firms.rows``: ``a,b,new-1``), else as
    loaded.

    Raises
    ------
    FormError
        For a row that is neither loaded nor added, one written twice, or too many.
    """
    out = {}
    for table in ARRAYS:
        name = f"{table}.rows"
        if name not in values:
            out[table] = form.rows.get(table, ())
            continue
        raw = values[name]
        if not isinstance(raw, str):
            raise FormError(Reason("form_type", got=repr(name), kind=type(raw).__name__))
        keys = tuple(k.strip() for k in raw.split(",") if k.strip())
        bad = [k for k in keys if k not in form.rows.get(table, ()) and not is_new(k)]
        if bad or len(set(keys)) != len(keys) or len(keys) > MAX_ROWS:
            got = repr(raw[:100])
            raise FormError(Reason("form_rows", got=got, table=table, most=MAX_ROWS))
        out[table] = keys
    out["parties"] = form.parties  # a party's place in the file; not edited on the page
    return out


def _check(form: Form, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if form.find(name) is None and name not in {f"{t}.rows" for t in ARRAYS}:
            raise FormError(Reason("form_unknown", got=repr(name[:100])))
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FormError(Reason("form_type", got=repr(name), kind=type(value).__name__))
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise FormError(
                Reason("form_long", got=repr(name), most=MAX_VALUE, n=f"{len(value):,}")
            )


def _set(table: dict[str, Any], key: str, value: Any) -> None:
    if value is _BLANK:
        table.pop(key, None)
    else:
        table[key] = value


def _table(values: Mapping[str, Any], prefix: str, keys: tuple[str, ...], base: Any) -> Any:
    """A table of numbers: ``base`` with the fields sent written in (a blank is left out);
    ``None`` when no field of it was sent."""
    if not any(f"{prefix}.{k}" in values for k in keys):
        return None
    out = dict(base) if isinstance(base, Mapping) else {}
    for k in keys:
        name = f"{prefix}.{k}"
        if name in values:
            _set(out, k, _read(values[name], "number"))
    return out


def _put_table(t: dict[str, Any], name: str, table: Any) -> None:
    if table is not None:
        _set(t, name, table or _BLANK)


def _apply_rule(form: Form, t: dict[str, Any], values: Mapping[str, Any], prefix: str) -> None:
    old = t.get("rule")
    if f"{prefix}.rule" in values:
        _set(t, "rule", _read(values[f"{prefix}.rule"], "choice"))
    rule = t.get("rule")
    if rule not in rule_names():
        return  # the schema names the unknown rule
    if rule != old:  # the old rule's parameters are not this one's
        for r in rule_names():
            for prm in get_rule(r).params:
                t.pop(prm.name, None)
    for prm in get_rule(rule).params:
        name = f"{prefix}.{prm.name}"
        if prm.kind == "fraction" and name in values:
            _set(t, prm.name, _read(values[name], "number"))
        elif prm.kind in ("party_shares", "factor_weights"):
            keys = form.parties if prm.kind == "party_shares" else FACTORS
            table = _table(values, name, keys, t.get(prm.name))
            if table is not None:
                t[prm.name] = table


def _apply_clauses(
    form: Form, t: dict[str, Any], values: Mapping[str, Any], prefix: str, inherit: bool
) -> None:
    for name in CLAUSES:
        field = f"{prefix}.{name}"
        if field not in values:
            continue
        rule = _read(values[field], "choice")
        if rule is _BLANK and inherit:  # the agreement's clause
            t.pop(name, None)
            continue
        if rule is _BLANK:
            rule = CLAUSE_DEFAULTS[name]
        known = clause_rule_names(name)
        params = clause_rule(name, rule).params if rule in known else ()
        if not params:
            t[name] = rule
            continue
        old = t.get(name)
        clause: dict[str, Any] = {"rule": rule}
        for prm in params:
            base = old.get(prm.name) if isinstance(old, Mapping) else None
            if prm.kind != "party_shares":  # not on the form: as the file has it
                if base is not None:
                    clause[prm.name] = base
                continue
            table = _table(values, f"{field}.{prm.name}", form.parties, base)
            table = table if table is not None else base
            clause[prm.name] = table if table is not None else {}
        t[name] = clause


def _apply_agreement(
    form: Form, t: dict[str, Any], values: Mapping[str, Any], prefix: str, inherit: bool
) -> None:
    """The agreement ``t`` (``[sharing]``, or an alternative: ``inherit``) with the
    fields under ``prefix`` written in."""
    for k in ("label", "label_zh"):
        if f"{prefix}.{k}" in values:
            _set(t, k, _read(values[f"{prefix}.{k}"], "text"))
    _apply_rule(form, t, values, prefix)
    for k in _TERMS:
        name = f"{prefix}.{k}"
        if name in values:
            found = form.find(name)
            _set(t, k, _read(values[name], found.kind if found else "number"))
    _put_table(t, "floors", _table(values, f"{prefix}.floors", form.parties, t.get("floors")))
    _apply_clauses(form, t, values, prefix, inherit)


def _apply_review(form: Form, sharing: dict[str, Any], values: Mapping[str, Any]) -> None:
    """The review clause: removed when every field of it is blank (the schema names
    what is missing when only some are filled)."""
    names = [n for n in values if n.startswith("sharing.review.")]
    if not names:
        return
    old = sharing.get("review")
    review = copy.deepcopy(dict(old)) if isinstance(old, Mapping) else {}
    terms: tuple[tuple[str, Kind], ...] = (
        ("party", "choice"),
        ("below", "number"),
        ("after", "number"),
    )
    for k, kind in terms:
        if f"sharing.review.{k}" in values:
            _set(review, k, _read(values[f"sharing.review.{k}"], kind))
    shares = _table(values, "sharing.review.shares", form.parties, review.get("shares"))
    _put_table(review, "shares", shares)
    if review:
        sharing["review"] = review
    else:
        sharing.pop("review", None)


def _apply_investment(form: Form, data: dict[str, Any], values: Mapping[str, Any]) -> None:
    if not any(n.startswith("investment.") for n in values):
        return
    inv = data.setdefault("investment", {})
    capex = dict(inv.get("capex") or {})
    for i in form.group("investment.capex."):
        if i.name in values:
            _set(capex, i.key, _read(values[i.name], "number"))
    _set(inv, "capex", capex or _BLANK)
    equity = _table(values, "investment.equity", form.parties, inv.get("equity"))
    _put_table(inv, "equity", equity)
    for k in ("return_rate", "payout_ratio"):
        if f"investment.{k}" in values:
            _set(inv, k, _read(values[f"investment.{k}"], "number"))


_PLAIN = ("horizon.", "taxes.", "parties.", "cooperation.")


def _apply_plain(form: Form, data: dict[str, Any], values: Mapping[str, Any]) -> None:
    """The horizon, the tax shares, the parties' names, retained shares and defaults for
    their firms, and the cooperation's synergy and capex alone (a value given by year is
    kept)."""
    for name, value in values.items():
        shown = form.inputs.get(name)
        if not name.startswith(_PLAIN) or shown is None or shown.kind == "schedule":
            continue
        head, *path, last = name.split(".")
        if head == "parties":
            pid = path.pop(0)
            table = next(p for p in data["parties"] if isinstance(p, dict) and p.get("id") == pid)
        else:
            table = data.setdefault(head, {})
        for k in path:
            table = table.setdefault(k, {})
        _set(table, last, _read(value, shown.kind))
    coop = data.get("cooperation")
    if isinstance(coop, dict) and coop.get("standalone_capex") == {}:
        del coop["standalone_capex"]


def _apply_rows(
    form: Form, data: dict[str, Any], values: Mapping[str, Any], table: str, order: tuple[str, ...]
) -> None:
    """The array ``table`` in the rows' ``order``, each with its fields written in."""
    loaded = dict(zip(form.rows.get(table, ()), data.get(table, []), strict=False))
    if order == form.rows.get(table, ()) and not any(n.startswith(f"{table}.") for n in values):
        return
    out = []
    for row in order:
        item = copy.deepcopy(dict(loaded[row])) if row in loaded else {}
        if table == "compare":
            _apply_agreement(form, item, values, f"compare.{row}", inherit=True)
        else:
            for rest, blank in form.templates[table].items():
                name = f"{table}.{row}.{rest}"
                shown = form.inputs.get(name, blank)
                if name in values and shown.kind != "schedule":  # a schedule is kept
                    _set(item, rest, _read(values[name], shown.kind))
        out.append(item)
    if out or table == "firms":
        data[table] = out
    else:
        data.pop(table, None)
    if table == "firms":
        _follow_firms(data, loaded, order, out)


def _follow_firms(
    data: dict[str, Any], loaded: Mapping[str, Any], order: tuple[str, ...], firms: list[Any]
) -> None:
    """``[cooperation] requires`` names firms by id: a firm removed on the page takes its
    entry with it, a firm whose id is changed carries it to the new id."""
    coop = data.get("cooperation")
    requires = coop.get("requires") if isinstance(coop, dict) else None
    if not isinstance(coop, dict) or not isinstance(requires, Mapping):
        return
    was = {row: str(item.get("id")) for row, item in loaded.items() if isinstance(item, Mapping)}
    now = {was[row]: firm.get("id") for row, firm in zip(order, firms, strict=True) if row in was}
    out = {}
    for firm, parties in requires.items():
        if firm not in was.values():  # not a firm of the file: the schema says so
            out[firm] = parties
        elif firm in now:
            new = now[firm]
            out[new if isinstance(new, str) and new else firm] = parties
    coop["requires"] = out


def apply(base: Mapping[str, Any], form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario mapping ``base`` with the form's ``values`` written in.

    A field that is not sent keeps the loaded value; a blank optional field takes the
    schema's default (an alternative's, the agreement's term). The result is not
    validated: :func:`sim.scenario.parse` does that.

    Raises
    ------
    FormError
        For an unknown field name or a value that is neither text nor a number.
    """
    _check(form, values)
    rows = rows_of(form, values)
    data = copy.deepcopy(dict(base))
    sharing = data.setdefault("sharing", {"rule": "source"})
    _apply_agreement(form, sharing, values, "sharing", inherit=False)
    _apply_review(form, sharing, values)
    _apply_plain(form, data, values)
    _apply_investment(form, data, values)
    for table in ARRAYS:
        _apply_rows(form, data, values, table, rows[table])
    return data


def field_of(path: str, scenario: Scenario, rows: Mapping[str, Sequence[str]]) -> str:
    """The form's field of a key path of the edited scenario: a firm's by its row
    (``firms.firm-5.output`` of a firm added as row ``new-1``: ``firms.new-1.output``)."""
    table, _, rest = path.partition(".")
    if table != "firms":
        return path
    for i, f in enumerate(scenario.firms):
        tail = rest.removeprefix(f"{f.id}.")
        if tail != rest and i < len(rows["firms"]):
            return f"firms.{rows['firms'][i]}.{tail}"
    return path


_INDEXED = re.compile(r"(firms|land_sales|compare|parties)\[([0-9]+)\](.*)")


def locate(
    problem: Problem, rows: Mapping[str, Sequence[str]], data: Mapping[str, Any] | None = None
) -> str:
    """Where on the form a problem of the schema belongs: its key path with an array
    item (named by its id or place in ``data``: :func:`sim.schema.checks.indexed`)
    replaced by its row key (``firms.firm-5.growth`` of a firm added as row ``new-1``
    → ``firms.new-1.growth``, ``compare[0].shares`` → ``compare.0.shares``)."""
    m = _INDEXED.fullmatch(indexed(problem.path, data or {}))
    if m is None:
        return problem.path
    keys = rows.get(m.group(1), ())
    i = int(m.group(2))
    return f"{m.group(1)}.{keys[i]}{m.group(3)}" if i < len(keys) else problem.path
