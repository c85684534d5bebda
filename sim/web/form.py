"""The page's form: which terms and inputs an official can edit, how an edit changes the
scenario, and where each of the schema's problems belongs on the page.

Every input is named by the key path it sets (``sharing.shares.SC``,
``firms.battery-plant.growth``), the paths the schema's messages use. An edit is
applied to the loaded scenario's mapping (:func:`sim.scenario_toml.scenario_data`) and
the result is validated by :func:`sim.scenario.parse`, so the page shows the schema's
own messages: text that is not a number is passed on as text, for the schema to say
``must be a number, got the string 'abc'``. Nothing here imports Flask.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sim.errors import Problem
from sim.i18n import Reason
from sim.rules import CLAUSES, FACTORS, clause_rule, clause_rule_names, get_rule, rule_names
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.scenario import Scenario
from sim.schema import SCOPES

__all__ = ["MAX_VALUE", "Form", "FormError", "Input", "apply", "build_form", "locate"]

Kind = Literal["number", "year", "choice"]
MAX_VALUE = 200
"""Longest text a field may hold (the schema's longest name)."""
_EDITABLE_PARAMS = ("party_shares", "factor_weights", "fraction")
"""Rule parameters the form edits; others (Nash's weights) stay as the file has them."""
_INTEGER = re.compile(r"[+-]?[0-9]+")


class FormError(ValueError):
    """A request the form cannot read at all (unknown field, a value of the wrong type)."""


@dataclass(frozen=True)
class Input:
    """One field of the form: the key path it sets and its value in the loaded file."""

    name: str
    kind: Kind
    value: str
    options: tuple[str, ...] = ()
    optional: bool = False
    """Blank means the schema's default (or none, for floors, cap and the window)."""
    rule: str = ""
    """A rule parameter: shown only while ``sharing.rule`` is this rule."""
    clause: str = ""
    """A clause's share: shown only while that clause is ``fixed``."""
    key: str = ""
    """The party, factor or firm the field is about."""


@dataclass(frozen=True)
class Form:
    """Every editable field of a scenario, by name, in the order the page shows them."""

    inputs: dict[str, Input]
    parties: tuple[str, ...]
    firms: tuple[str, ...]

    def __getitem__(self, name: str) -> Input:
        return self.inputs[name]

    def group(self, prefix: str) -> list[Input]:
        """The fields whose names start with ``prefix``."""
        return [i for n, i in self.inputs.items() if n.startswith(prefix)]

    def values(self) -> dict[str, str]:
        """Every field's value as loaded."""
        return {n: i.value for n, i in self.inputs.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _rule_params(scenario: Scenario) -> list[Input]:
    out = []
    pids = scenario.party_ids
    for rule in rule_names():
        for prm in get_rule(rule).params:
            if prm.kind not in _EDITABLE_PARAMS:
                continue
            current = (
                scenario.sharing.params.get(prm.name) if scenario.sharing.rule == rule else None
            )
            if prm.kind == "fraction":
                out.append(Input(f"sharing.{prm.name}", "number", _text(current), rule=rule))
                continue
            keys = pids if prm.kind == "party_shares" else FACTORS
            for k in keys:
                value = current.get(k) if isinstance(current, Mapping) else None
                out.append(
                    Input(f"sharing.{prm.name}.{k}", "number", _text(value), rule=rule, key=k)
                )
    return out


def _clauses(scenario: Scenario) -> list[Input]:
    out = []
    for name in CLAUSES:
        clause = scenario.sharing.clause(name)
        out.append(Input(f"sharing.{name}", "choice", clause.rule, clause_rule_names(name)))
        shares = clause.params.get("shares")
        for p in scenario.party_ids:
            value = shares.get(p) if isinstance(shares, Mapping) else None
            out.append(
                Input(f"sharing.{name}.shares.{p}", "number", _text(value), clause=name, key=p)
            )
    return out


def build_form(scenario: Scenario) -> Form:
    """The form of ``scenario``: the agreement's terms, its clauses and the main inputs."""
    s = scenario.sharing
    pids = scenario.party_ids
    inputs = [
        Input("sharing.rule", "choice", s.rule, rule_names()),
        *_rule_params(scenario),
        Input("sharing.scope", "choice", s.scope, SCOPES),
        Input("sharing.base_year", "year", _text(s.base_year), optional=True),
        Input("sharing.from_year", "year", _text(s.from_year), optional=True),
        Input("sharing.years", "year", _text(s.years), optional=True),
        Input("sharing.compliance", "number", _text(s.compliance), optional=True),
        Input("sharing.cap", "number", _text(s.cap), optional=True),
        *(
            Input(f"sharing.floors.{p}", "number", _text(s.floors.get(p)), optional=True, key=p)
            for p in pids
        ),
        *_clauses(scenario),
        Input("horizon.discount_rate", "number", _text(scenario.discount_rate), optional=True),
    ]
    for f in scenario.firms:
        inputs.append(Input(f"firms.{f.id}.output", "number", _text(f.output), key=f.id))
        inputs.append(
            Input(f"firms.{f.id}.growth", "number", _text(f.growth), optional=True, key=f.id)
        )
    return Form({i.name: i for i in inputs}, pids, tuple(f.id for f in scenario.firms))


# --------------------------------------------------------------------------- applying

_BLANK = object()


def _read(value: Any, kind: Kind) -> Any:
    """A field's value as the scenario mapping holds it: a number where the text is one,
    else the text itself (the schema then says what is wrong with it); blank → _BLANK."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return _BLANK
    if kind == "choice":
        return text
    if _INTEGER.fullmatch(text):
        return int(text)
    if kind == "year":
        return text
    try:
        return float(text)
    except ValueError:
        return text


def _check(form: Form, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name not in form.inputs:
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


def _table(
    form: Form, values: Mapping[str, Any], prefix: str, keys: tuple[str, ...], base: Any
) -> Any:
    """A table of shares: ``base`` with the fields sent written in (a blank is left out:
    a missing key is 0); ``None`` when no field of it was sent."""
    if not any(f"{prefix}.{k}" in values for k in keys):
        return None
    out = dict(base) if isinstance(base, Mapping) else {}
    for k in keys:
        name = f"{prefix}.{k}"
        if name in values:
            _set(out, k, _read(values[name], form[name].kind))
    return out


def _apply_rule(form: Form, sharing: dict[str, Any], values: Mapping[str, Any]) -> None:
    old = sharing.get("rule")
    if "sharing.rule" in values:
        sharing["rule"] = _read(values["sharing.rule"], "choice")
    rule = sharing.get("rule")
    if rule not in rule_names():
        return  # the schema names the unknown rule
    if rule != old:  # the old rule's parameters are not this one's
        for r in rule_names():
            for prm in get_rule(r).params:
                sharing.pop(prm.name, None)
    for prm in get_rule(rule).params:
        if prm.kind == "fraction" and f"sharing.{prm.name}" in values:
            _set(sharing, prm.name, _read(values[f"sharing.{prm.name}"], "number"))
        elif prm.kind in ("party_shares", "factor_weights"):
            keys = form.parties if prm.kind == "party_shares" else FACTORS
            table = _table(form, values, f"sharing.{prm.name}", keys, sharing.get(prm.name))
            if table is not None:
                sharing[prm.name] = table


def _apply_clauses(form: Form, sharing: dict[str, Any], values: Mapping[str, Any]) -> None:
    for name in CLAUSES:
        field = f"sharing.{name}"
        if field not in values:
            continue
        rule = _read(values[field], "choice")
        if rule is _BLANK:
            rule = CLAUSE_DEFAULTS[name]
        known = clause_rule_names(name)
        needs = rule in known and clause_rule(name, rule).params
        if not needs:
            sharing[name] = rule
            continue
        old = sharing.get(name)
        base = old.get("shares") if isinstance(old, Mapping) else None
        table = _table(form, values, f"{field}.shares", form.parties, base)
        table = table if table is not None else base
        sharing[name] = {"rule": rule, "shares": table if table is not None else {}}


def apply(base: Mapping[str, Any], form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario mapping ``base`` with the form's ``values`` written in.

    A field that is not sent keeps the loaded value; a blank optional field takes the
    schema's default. The result is not validated: :func:`sim.scenario.parse` does that.

    Raises
    ------
    FormError
        For an unknown field name or a value that is neither text nor a number.
    """
    _check(form, values)
    data = copy.deepcopy(dict(base))
    sharing = data.setdefault("sharing", {"rule": "source"})
    _apply_rule(form, sharing, values)
    for key in ("scope", "base_year", "from_year", "years", "compliance", "cap"):
        name = f"sharing.{key}"
        if name in values:
            _set(sharing, key, _read(values[name], form[name].kind))
    floors = _table(form, values, "sharing.floors", form.parties, sharing.get("floors"))
    if floors is not None:
        _set(sharing, "floors", floors or _BLANK)
    _apply_clauses(form, sharing, values)
    if "horizon.discount_rate" in values:
        value = _read(values["horizon.discount_rate"], "number")
        _set(data.setdefault("horizon", {}), "discount_rate", value)
    for firm in data.get("firms", []):
        for key in ("output", "growth"):
            name = f"firms.{firm.get('id')}.{key}"
            if name in values:
                _set(firm, key, _read(values[name], "number"))
    return data


_INDEXED = re.compile(r"(firms|land_sales|parties|compare)\[([0-9]+)\](.*)")


def locate(problem: Problem, data: Mapping[str, Any]) -> str:
    """Where on the form a problem of the schema belongs: its key path with a firm's
    position replaced by its id (``firms[2].growth`` → ``firms.battery-plant.growth``).
    The page shows it beside that field, or the nearest group above it."""
    m = _INDEXED.fullmatch(problem.path)
    if m is None or m.group(1) != "firms":
        return problem.path
    firms = data.get("firms", [])
    i = int(m.group(2))
    if i < len(firms) and isinstance(firms[i], Mapping):
        return f"firms.{firms[i].get('id')}{m.group(3)}"
    return problem.path
