"""Scenario files: load TOML, validate every key, resolve into typed immutable objects.

The format is documented key by key in docs/reference/keys.md. Validation
reports every problem in a file at once, each with its key path and reason, and
raises one :class:`~sim.errors.ScenarioError`; unknown keys are errors, shares that
must sum to 1 are checked to 1e-9 (a table of party shares names every party), ids
must be non-empty and resolve, and ``[[compare]]`` labels must not be a built-in row's
(:mod:`sim.schema.labels`). How large amounts and discount factors may get is checked
in log space by :mod:`sim.schema.magnitude`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sim.errors import Problem, ScenarioError, read_input, read_input_bytes
from sim.i18n import Reason, describe
from sim.inheritance import inherit
from sim.rules import (
    CLAUSES,
    FACTORS,
    ClauseName,
    Param,
    RuleSpec,
    clause_rule,
    clause_rule_names,
    get_rule,
    rule_names,
    rules,
)
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Clause,
    Cooperation,
    Firm,
    Investment,
    LandSale,
    Party,
    Review,
    RuleValue,
    Scenario,
    Sharing,
    Taxes,
)
from sim.schema import MAX_ID, MAX_TEXT, SCOPES, SHARING_TERMS, TABLES, names
from sim.schema import key as schema_key
from sim.schema.checks import empty_id, missing_party
from sim.schema.labels import label_problems
from sim.schema.magnitude import MAX_AMOUNT, magnitude_problems
from sim.schema.typed import ReadAs, one_of, out_of_range, read_names, unknown_rule

__all__ = [
    "MAX_AMOUNT",
    "Clause",
    "Cooperation",
    "Firm",
    "Investment",
    "LandSale",
    "Party",
    "Review",
    "Scenario",
    "Sharing",
    "Taxes",
    "load",
    "loads",
    "magnitude_problems",
    "parse",
    "parse_noted",
    "read",
    "read_noted",
]

SHARE_TOL = 1e-9
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_ID - 1}}}")
_YEAR_KEY = re.compile(r"[0-9]{4}")

# --------------------------------------------------------------------------- loading


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
        raise ScenarioError(
            str(p), [Problem("", f"sim reads .xlsx workbooks, not {suffix}: save it as .xlsx")]
        )
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
        raise ScenarioError(source, [Problem("", Reason("toml_syntax", error=exc))]) from None
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


def canonical_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of a mapping's canonical JSON (sorted keys), for manifests."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


# --------------------------------------------------------------------------- checking

_MISSING = object()


def _describe(value: Any) -> str:
    return describe(value)


class _Checker:
    """Walks a parsed file, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    # -- primitives ----------------------------------------------------------------

    def table(
        self, parent: Mapping[str, Any], key: str, path: str, required: bool
    ) -> dict[str, Any]:
        value = parent.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(path, Reason("missing_table", missing="missing"))
            return {}
        if not isinstance(value, dict):
            self.fail(path, Reason("not_table", got=_describe(value)))
            return {}
        return value

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in table:
            if key not in allowed:
                hint = ", ".join(allowed)
                self.fail(_join(path, key), Reason("unknown_key", allowed=hint))

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: Any = _MISSING,
        lo: float | None = None,
        hi: float | None = None,
        lo_open: bool = False,
        hi_open: bool = False,
    ) -> float:
        p = _join(path, key)
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.fail(p, Reason("missing_number", missing="missing"))
                return math.nan
            return float(default)
        return self.check_number(value, p, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open)

    def check_number(
        self,
        value: Any,
        p: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        lo_open: bool = False,
        hi_open: bool = False,
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(p, Reason("not_number", got=_describe(value)))
            return math.nan
        x = float(value)
        if not math.isfinite(x):
            self.fail(p, Reason("not_finite", got=x))
            return math.nan
        below = lo is not None and (x <= lo if lo_open else x < lo)
        above = hi is not None and (x >= hi if hi_open else x > hi)
        if below or above:
            left = "(" if lo_open else "["
            right = ")" if hi_open else "]"
            lo_s = "-inf" if lo is None else f"{lo:g}"
            hi_s = "inf" if hi is None else f"{hi:g}"
            self.fail(p, out_of_range(f"{left}{lo_s}, {hi_s}{right}", value, lo, hi))
        return x

    def bounded(
        self, table: Mapping[str, Any], name: str, path: str, pattern: str, default: Any = _MISSING
    ) -> float:
        """A number checked against the bounds of ``pattern`` in :mod:`sim.schema`."""
        return self.number(table, name, path, default=default, **_bounds(pattern))

    def whole(
        self, table: Mapping[str, Any], name: str, path: str, pattern: str, default: Any = _MISSING
    ) -> int | None:
        """A whole number checked against the bounds of ``pattern`` in :mod:`sim.schema`."""
        k = schema_key(pattern)
        return self.integer(table, name, path, default=default, lo=int(k.lo), hi=int(k.hi))

    def fraction(
        self, table: Mapping[str, Any], key: str, path: str, default: Any = _MISSING
    ) -> float:
        return self.number(table, key, path, default=default, lo=0.0, hi=1.0)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: Any = _MISSING,
        lo: int | None = None,
        hi: int | None = None,
        what: str = "",
    ) -> int | None:
        p = _join(path, key)
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.fail(p, Reason("missing_whole", missing="missing"))
            return None if default is _MISSING else default
        return self.check_integer(value, p, lo=lo, hi=hi, what=what)

    def check_integer(
        self, value: Any, p: str, *, lo: int | None = None, hi: int | None = None, what: str = ""
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(p, Reason("not_whole", got=_describe(value)))
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if what:
                self.fail(p, Reason("must_be", what=what, got=value))
            else:
                self.fail(p, Reason("between", lo=lo, hi=hi, got=value))
            return None
        return value

    def string(
        self, table: Mapping[str, Any], key: str, path: str, *, default: Any = _MISSING
    ) -> str:
        p = _join(path, key)
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.fail(p, Reason("missing_string", missing="missing"))
                return ""
            return str(default)
        if not isinstance(value, str):
            self.fail(p, Reason("not_string", got=_describe(value)))
            return ""
        if len(value) > MAX_TEXT:
            self.fail(p, Reason("too_long", length=f"{len(value):,}", most=MAX_TEXT))
            return ""
        if not value.isprintable() or value != value.strip():
            self.fail(p, Reason("not_printable", got=repr(value)))
            return ""
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, path: str, options: tuple[str, ...], default: str
    ) -> str:
        value = self.string(table, key, path, default=default)
        if value and value not in options:
            self.fail(
                _join(path, key),
                one_of(value, options),
            )
        return value

    def boolean(self, table: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(_join(path, key), Reason("not_boolean", got=_describe(value)))
            return default
        return value

    def array_of_tables(self, data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, Reason("array_of_tables", key=key, got=_describe(value)))
            return []
        out: list[dict[str, Any]] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{key}[{i}]", Reason("not_table", got=_describe(item)))
                out.append({})
            else:
                out.append(item)
        return out

    def party_ref(self, value: str, path: str, party_ids: tuple[str, ...]) -> None:
        if value == "" and party_ids and path.endswith((".party", ".introduced_by")):
            self.fail(path, Reason("name_party", parties=", ".join(party_ids)))
        if value and party_ids and value not in party_ids:
            known = ", ".join(dict.fromkeys(party_ids))
            self.fail(path, Reason("unknown_party", got=repr(value), parties=known))

    def year(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        span: tuple[int, int],
        default: Any = _MISSING,
    ) -> int | None:
        return self.integer(
            table,
            key,
            path,
            default=default,
            lo=span[0],
            hi=span[1],
            what=Reason("year_span", first=span[0], last=span[1]),
        )

    def shares(
        self,
        value: Any,
        path: str,
        allowed: tuple[str, ...],
        what: str,
        *,
        must_sum_to_one: bool = True,
    ) -> dict[str, float]:
        """A table of fractions keyed by ``allowed`` names. Every party must be in a
        table of party shares (a party added to the file but left out of one would get
        0% unseen); a factor left out of a table of factor weights weighs 0."""
        if not isinstance(value, dict):
            self.fail(path, Reason("share_table", what=what, got=_describe(value)))
            return {}
        out = {k: 0.0 for k in allowed}
        if not allowed:  # nothing to resolve against (already reported elsewhere)
            return out
        if what == "party":
            for key in (k for k in allowed if k not in value):
                self.fail(_join(path, key), missing_party(key))
        ok = True
        for key, v in value.items():
            if key not in allowed:
                self.fail(
                    _join(path, key),
                    Reason("unknown_id", what=what, got=repr(key), known=", ".join(allowed)),
                )
                ok = False
                continue
            x = self.check_number(v, _join(path, key), lo=0.0, hi=1.0)
            ok &= math.isfinite(x) and 0.0 <= x <= 1.0
            out[key] = x
        if ok and must_sum_to_one and allowed:
            total = sum(out.values())
            if abs(total - 1.0) > SHARE_TOL:
                self.fail(path, Reason("sum_to_one", total=f"{total:.12g}"))
        return out

    # -- sections --------------------------------------------------------------------

    def scenario(self, data: Mapping[str, Any], source: str) -> Scenario | None:
        self.keys(data, TABLES, "")

        meta = self.table(data, "meta", "meta", required=True)
        self.keys(meta, names("meta"), "meta")
        name = "" if _blank(meta.get("name")) else self.string(meta, "name", "meta")
        if _blank(meta.get("name")):
            self.fail("meta.name", empty_id("scenario"))
        elif name and not re.fullmatch(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{2 * MAX_ID - 1}}}", name):
            self.fail(
                "meta.name", f"must be an id of letters, digits, '-', '_' or '.', got {name!r}"
            )
        title = self.string(meta, "title", "meta", default=name)
        title_zh = self.string(meta, "title_zh", "meta", default=title)
        unit = self.string(meta, "unit", "meta", default="100m CNY")

        hz = self.table(data, "horizon", "horizon", required=True)
        self.keys(hz, names("horizon"), "horizon")
        start = self.whole(hz, "start_year", "horizon", "horizon.start_year")
        n_years = self.whole(hz, "years", "horizon", "horizon.years")
        discount = self.bounded(hz, "discount_rate", "horizon", "horizon.discount_rate", 0.0)
        span = (start, start + n_years - 1) if start is not None and n_years is not None else None

        parties = self.parties(data)
        pids = tuple(p.id for p in parties if p.id)  # an empty id is reported once

        tx = self.table(data, "taxes", "taxes", required=False)
        self.keys(tx, names("taxes"), "taxes")
        taxes = Taxes(
            *(
                self.bounded(tx, k, "taxes", f"taxes.{k}", default)
                for k, default in (
                    ("vat_local_share", 0.5),
                    ("cit_local_share", 0.4),
                    ("pit_local_share", 0.4),
                )
            )
        )

        firms = self.firms(data, pids, span)
        land = self.land_sales(data, pids, span)
        investment = self.investment(data, pids, span)

        sharing_table = self.table(data, "sharing", "sharing", required=False)
        if "sharing" not in data:
            sharing_table = {"rule": "source"}
        sharing = self.sharing(sharing_table, "sharing", pids, span, investment, with_label=False)
        compare = []
        at = []
        for i, table in enumerate(self.array_of_tables(data, "compare")):
            path = f"compare[{i}]"
            s = self.sharing(table, path, pids, span, investment, with_label=True, parent=sharing)
            if s is not None:
                compare.append(s)
                at.append(i)
        for j, key, reason in label_problems([(s.label, s.label_zh, s.rule) for s in compare]):
            self.fail(f"compare[{at[j]}].{key}", reason)

        cooperation = self.cooperation(data, pids, tuple(f.id for f in firms))

        if self.problems or span is None or sharing is None or start is None or n_years is None:
            return None
        scenario = Scenario(
            name=name,
            title=title,
            title_zh=title_zh,
            unit=unit,
            start_year=start,
            n_years=n_years,
            discount_rate=discount,
            parties=parties,
            taxes=taxes,
            firms=firms,
            land_sales=land,
            investment=investment,
            sharing=sharing,
            compare=tuple(compare),
            cooperation=cooperation,
            source=source,
            digest=canonical_digest(data),
        )
        self.problems.extend(magnitude_problems(scenario))
        return None if self.problems else scenario

    def parties(self, data: Mapping[str, Any]) -> tuple[Party, ...]:
        tables = self.array_of_tables(data, "parties")
        if "parties" in data and isinstance(data["parties"], list) and len(tables) < 2:
            self.fail("parties", Reason("two_parties", n=len(tables)))
        elif "parties" not in data:
            self.fail("parties", Reason("no_parties"))
        out = []
        seen: set[str] = set()
        for i, t in enumerate(tables):
            path = f"parties[{i}]"
            self.keys(t, names("parties.<party>"), path)
            pid = self.ident(t, path, seen, "party")
            name = self.string(t, "name", path, default=pid)
            name_zh = self.string(t, "name_zh", path, default=name)
            retained = self.bounded(
                t, "retained_share", path, "parties.<party>.retained_share", 1.0
            )
            out.append(Party(pid, name, name_zh, retained))
        return tuple(out)

    def ident(self, t: Mapping[str, Any], path: str, seen: set[str], what: str) -> str:
        if _blank(t.get("id")):
            self.fail(f"{path}.id", empty_id(what))
            return ""
        value = self.string(t, "id", path)
        if value and not _ID.fullmatch(value):
            self.fail(
                f"{path}.id",
                f"must be a short id (letters, digits, '-', '_', '.'; at most 32), got {value!r}",
            )
        elif value in seen:
            self.fail(f"{path}.id", Reason("duplicate_id", what=what, got=repr(value)))
        seen.add(value)
        return value

    def firms(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> tuple[Firm, ...]:
        allowed = names("firms.<firm>")
        out = []
        seen: set[str] = set()
        tables = self.array_of_tables(data, "firms")
        if not tables and "firms" not in data:
            self.fail("firms", Reason("no_firms"))
        elif not tables:
            self.fail("firms", Reason("empty_firms"))
        for i, t in enumerate(tables):
            path = f"firms[{i}]"
            self.keys(t, allowed, path)
            fid = self.ident(t, path, seen, "firm")
            firm_name = self.string(t, "name", path, default=fid)
            firm_name_zh = self.string(t, "name_zh", path, default=firm_name)
            party = self.string(t, "party", path)
            self.party_ref(party, f"{path}.party", pids)
            intro = self.string(t, "introduced_by", path, default=party)
            self.party_ref(intro, f"{path}.introduced_by", pids)
            existing = self.boolean(t, "existing", path, False)
            if span is not None:
                first = self.year(t, "first_year", path, span)
            else:
                first = self.integer(t, "first_year", path)
            rates = {k: self.bounded(t, k, path, f"firms.<firm>.{k}") for k in FIRM_RATES}
            out.append(
                Firm(
                    id=fid,
                    party=party,
                    introduced_by=intro,
                    existing=existing,
                    first_year=first if first is not None else 0,
                    output=self.bounded(t, "output", path, "firms.<firm>.output"),
                    growth=self.bounded(t, "growth", path, "firms.<firm>.growth", 0.0),
                    ramp_years=self.bounded(t, "ramp_years", path, "firms.<firm>.ramp_years", 1.0),
                    **rates,
                    name=firm_name,
                    name_zh=firm_name_zh,
                )
            )
        return tuple(out)

    def land_sales(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> tuple[LandSale, ...]:
        out = []
        for i, t in enumerate(self.array_of_tables(data, "land_sales")):
            path = f"land_sales[{i}]"
            self.keys(t, names("land_sales.<sale>"), path)
            party = self.string(t, "party", path)
            self.party_ref(party, f"{path}.party", pids)
            year = self.year(t, "year", path, span) if span else self.integer(t, "year", path)
            cost = self.bounded(t, "cost_share", path, "land_sales.<sale>.cost_share", 0.0)
            earmark = self.bounded(t, "rural_earmark", path, "land_sales.<sale>.rural_earmark", 0.0)
            if cost + earmark > 1.0 + SHARE_TOL:
                self.fail(
                    path,
                    f"cost_share + rural_earmark must not exceed 1, got "
                    f"{cost:g} + {earmark:g} = {cost + earmark:g}",
                )
            out.append(
                LandSale(
                    party=party,
                    year=year if year is not None else 0,
                    area_mu=self.bounded(t, "area_mu", path, "land_sales.<sale>.area_mu"),
                    price=self.bounded(t, "price", path, "land_sales.<sale>.price"),
                    cost_share=cost,
                    rural_earmark=earmark,
                )
            )
        return tuple(out)

    def investment(
        self, data: Mapping[str, Any], pids: tuple[str, ...], span: tuple[int, int] | None
    ) -> Investment:
        t = self.table(data, "investment", "investment", required=False)
        self.keys(t, names("investment"), "investment")
        capex: dict[int, float] = {}
        raw = t.get("capex", {})
        if not isinstance(raw, dict):
            self.fail("investment.capex", f"must be a table of year = amount, got {_describe(raw)}")
            raw = {}
        for key, value in raw.items():
            p = f"investment.capex.{key}"
            if not _YEAR_KEY.fullmatch(str(key)):
                self.fail(
                    p, "keys must be years written as four digits, e.g. capex = { 2021 = 10.0 }"
                )
                continue
            year = int(key)
            if span is not None and not span[0] <= year <= span[1]:
                self.fail(p, f"year {year} is outside the horizon {span[0]}–{span[1]}")
                continue
            capex[year] = self.check_number(value, p, **_bounds("investment.capex.<year>"))
        equity = None
        if "equity" in t:
            equity = MappingProxyType(self.shares(t["equity"], "investment.equity", pids, "party"))
        if capex and equity is None:
            self.fail("investment.equity", "missing: who pays the capex? give equity = { … }")
        return Investment(
            capex=MappingProxyType(dict(sorted(capex.items()))),
            equity=equity,
            return_rate=self.bounded(t, "return_rate", "investment", "investment.return_rate", 0.0),
            payout_ratio=self.bounded(
                t, "payout_ratio", "investment", "investment.payout_ratio", 1.0
            ),
        )

    def sharing(
        self,
        t: Mapping[str, Any],
        path: str,
        pids: tuple[str, ...],
        span: tuple[int, int] | None,
        investment: Investment,
        *,
        with_label: bool,
        parent: Sharing | None = None,
    ) -> Sharing | None:
        """An agreement: its tax clause, window, settlement, floors and other clauses;
        an alternative takes what it does not write from ``parent``, the agreement."""
        rule = self.string(t, "rule", path)
        if rule and rule not in rule_names():
            self.fail(
                f"{path}.rule",
                unknown_rule(rule, rule_names()),
            )
            return None
        spec = get_rule(rule) if rule else None
        self.sharing_keys(t, path, spec, with_label)
        params: dict[str, RuleValue] = {}
        if spec is not None:
            for prm in spec.params:
                params[prm.name] = self.rule_param(t, prm, path, pids)
            if "investment.equity" in spec.needs and investment.equity is None:
                self.fail(f"{path}.rule", Reason("rule_needs_equity", got=repr(rule)))
        label = self.string(t, "label", path, default=rule) if with_label else ""
        label_zh = self.string(t, "label_zh", path, default=label) if with_label else ""
        scope = self.choice(t, "scope", path, SCOPES, "all")
        clauses = {name: self.clause(t, name, path, pids, investment) for name in CLAUSES}
        compliance = self.bounded(t, "compliance", path, "sharing.compliance", 1.0)
        floors = self.floors(t, path, pids)
        cap = self.bounded(t, "cap", path, "sharing.cap") if "cap" in t else None
        review = self.review(t, path, pids)
        from_year, n, base_year = self.window(t, path, span)
        s = Sharing(
            rule=rule or "source",
            params=MappingProxyType(params),
            scope=scope,
            base_year=base_year,
            from_year=from_year,
            years=n,
            compliance=compliance,
            floors=MappingProxyType(floors),
            land=clauses["land"],
            dividends=clauses["dividends"],
            investment=clauses["investment"],
            statistics=clauses["statistics"],
            label=label,
            label_zh=label_zh,
            cap=cap,
            review=review,
        )
        if parent is not None:
            s = inherit(parent, s, own=t.keys())
        self.consistent(s, path, span)
        return s if rule else None

    def consistent(self, s: Sharing, path: str, span: tuple[int, int] | None) -> None:
        """The checks across an agreement's terms, on the terms it runs on (an
        alternative's own and those it took from the agreement)."""

        def whose(term: str) -> str:
            return f" ({term} is the agreement's: write it here)" if term in s.inherited else ""

        if span is None:
            return
        first = s.from_year if s.from_year is not None else span[0]
        if s.years is not None and first + s.years - 1 > span[1]:
            self.fail(
                f"{path}.years",
                f"the window {first}–{first + s.years - 1} runs past the end of the horizon "
                f"({span[1]}){whose('years')}",
            )
        if s.base_year is not None and s.scope != "above_base":
            self.fail(
                f"{path}.base_year", f'only applies with scope = "above_base"{whose("scope")}'
            )
        last = first + s.years - 1 if s.years is not None else span[1]
        if s.review is not None and first + s.review.after > last:
            self.fail(
                _join(path, "review.after"),
                f"the first check ({first + s.review.after}) falls after the agreement's "
                f"last year ({last}){whose('review')}",
            )

    def review(self, t: Mapping[str, Any], path: str, pids: tuple[str, ...]) -> Review | None:
        """``review``: a party, a threshold, the years before the first check, new shares."""
        if "review" not in t:
            return None
        p = _join(path, "review")
        r = self.table(t, "review", p, required=True)
        if not r:
            return None
        self.keys(r, names("sharing.review"), p)
        party = r.get("party")
        if not isinstance(party, str):
            self.fail(_join(p, "party"), f"must name a party ({', '.join(pids)})")
            party = ""
        else:
            self.party_ref(party, _join(p, "party"), pids)
        below = self.bounded(r, "below", p, "sharing.review.below")
        after = self.whole(r, "after", p, "sharing.review.after", 0)
        if "shares" not in r:
            self.fail(_join(p, "shares"), "missing: the pool's shares after the review")
            shares = {q: 0.0 for q in pids}
        else:
            shares = self.shares(r["shares"], _join(p, "shares"), pids, "party")
        return Review(party, below, MappingProxyType(shares), after or 0)

    def sharing_keys(
        self, t: Mapping[str, Any], path: str, spec: RuleSpec | None, with_label: bool
    ) -> None:
        """Report keys an agreement cannot have, naming a parameter of another rule as such."""
        param_names = tuple(p.name for p in spec.params) if spec else ()
        labels = ("label", "label_zh") if with_label else ()
        allowed = (*SHARING_TERMS, *CLAUSES, *param_names, *labels)
        for key in t:
            if key in allowed:
                continue
            if spec is not None and key in _all_param_names():
                takes = f"it takes: {', '.join(param_names)}" if param_names else "it takes none"
                self.fail(_join(path, key), f"is not a parameter of rule {spec.name!r} ({takes})")
            else:
                self.fail(_join(path, key), f"unknown key (allowed here: {', '.join(allowed)})")

    def floors(self, t: Mapping[str, Any], path: str, pids: tuple[str, ...]) -> dict[str, float]:
        """``floors``: party → minimum tax revenue per year."""
        raw = t.get("floors", {})
        if not isinstance(raw, dict):
            self.fail(f"{path}.floors", f"must be a table of party = amount, got {_describe(raw)}")
            return {}
        out = {}
        for key, value in raw.items():
            self.party_ref(key, f"{path}.floors.{key}", pids)
            out[key] = self.check_number(
                value, f"{path}.floors.{key}", **_bounds("sharing.floors.<party>")
            )
        return out

    def window(
        self, t: Mapping[str, Any], path: str, span: tuple[int, int] | None
    ) -> tuple[int | None, int | None, int | None]:
        """``from_year``, ``years`` and ``base_year``, each inside the horizon (how they
        fit together: :meth:`consistent`)."""
        if span is None:
            return None, None, None
        from_year = self.year(t, "from_year", path, span, default=None)
        n = self.integer(t, "years", path, default=None, lo=1, hi=span[1] - span[0] + 1)
        base_year = self.year(t, "base_year", path, span, default=None)
        return from_year, n, base_year

    def clause(
        self,
        t: Mapping[str, Any],
        name: ClauseName,
        path: str,
        pids: tuple[str, ...],
        investment: Investment,
    ) -> Clause:
        """The clause of stream ``name``: a rule name, or a table with a rule and its shares."""
        p = _join(path, name)
        value = t.get(name, CLAUSE_DEFAULTS[name])
        table: Mapping[str, Any]
        if isinstance(value, str):
            table = {"rule": value}
        elif isinstance(value, dict):
            table = value
        else:
            self.fail(
                p, f"must be a rule name or a table {{ rule = …, … }}, got {_describe(value)}"
            )
            return Clause(CLAUSE_DEFAULTS[name])
        rule = table.get("rule")
        known = clause_rule_names(name)
        if not isinstance(rule, str) or rule not in known:
            where = p if isinstance(value, str) else f"{p}.rule"
            options = ", ".join(map(repr, known))
            if rule is None:
                self.fail(where, f"missing: give rule = one of {options}")
            else:
                self.fail(where, one_of(rule, known))
            return Clause(CLAUSE_DEFAULTS[name])
        spec = clause_rule(name, rule)
        for key in table:
            if key != "rule" and key not in {prm.name for prm in spec.params}:
                takes = ", ".join(prm.name for prm in spec.params) or "no parameters"
                self.fail(
                    _join(p, key), f"is not a parameter of {name} rule {rule!r} (it takes {takes})"
                )
        params: dict[str, RuleValue] = {}
        for prm in spec.params:
            if prm.name not in table:
                self.fail(
                    p,
                    f"{name} rule {rule!r} needs {prm.name}: write {name} = "
                    f'{{ rule = "{rule}", {prm.name} = {{ … }} }}',
                )
                continue
            params[prm.name] = MappingProxyType(
                self.shares(table[prm.name], _join(p, prm.name), pids, "party")
            )
        if spec.basis == "equity" and name in t and investment.equity is None:
            self.fail(p, f"{name} by equity needs investment.equity")
        return Clause(rule, MappingProxyType(params))

    def rule_param(
        self, t: Mapping[str, Any], prm: Param, path: str, pids: tuple[str, ...]
    ) -> RuleValue:
        p = _join(path, prm.name)
        if prm.name not in t:
            if prm.default is None:
                self.fail(
                    p, f"missing: rule {t.get('rule')!r} needs {prm.name} ({prm.description})"
                )
                return {}
            if prm.kind == "party_weights":
                return MappingProxyType({q: prm.default for q in pids})
            return prm.default
        value = t[prm.name]
        if prm.kind == "party_weights":
            return MappingProxyType(self.weights(value, p, pids, prm.default or 1.0))
        if prm.kind == "party_shares":
            return MappingProxyType(self.shares(value, p, pids, "party"))
        if prm.kind == "factor_weights":
            return MappingProxyType(self.shares(value, p, FACTORS, "factor"))
        return self.check_number(value, p, lo=0.0, hi=1.0)

    def weights(
        self, value: Any, path: str, pids: tuple[str, ...], default: float
    ) -> dict[str, float]:
        """A table of positive numbers keyed by party; missing parties get ``default``."""
        if not isinstance(value, dict):
            self.fail(path, f"must be a table of party → weight, got {_describe(value)}")
            return {}
        out = {q: default for q in pids}
        for key, v in value.items():
            self.party_ref(key, _join(path, key), pids)
            x = self.check_number(v, _join(path, key), **_bounds("sharing.weights.<party>"))
            out[key] = x
        return out

    def cooperation(
        self, data: Mapping[str, Any], pids: tuple[str, ...], firm_ids: tuple[str, ...]
    ) -> Cooperation:
        t = self.table(data, "cooperation", "cooperation", required=False)
        self.keys(t, names("cooperation"), "cooperation")
        synergy = self.bounded(t, "synergy", "cooperation", "cooperation.synergy", 0.0)
        requires: dict[str, tuple[str, ...]] = {}
        raw = t.get("requires", {})
        if not isinstance(raw, dict):
            self.fail(
                "cooperation.requires",
                f"must be a table of firm id = [party ids], got {_describe(raw)}",
            )
            raw = {}
        for firm, parties in raw.items():
            p = f"cooperation.requires.{firm}"
            if firm_ids and firm not in firm_ids:
                self.fail(p, f"unknown firm {firm!r} (firms: {', '.join(firm_ids)})")
                continue
            if not isinstance(parties, list) or not all(isinstance(x, str) for x in parties):
                self.fail(p, f"must be an array of party ids, got {_describe(parties)}")
                continue
            for x in parties:
                self.party_ref(x, p, pids)
            requires[firm] = tuple(parties)
        standalone = None
        if "standalone_capex" in t:
            raw_capex = t["standalone_capex"]
            if not isinstance(raw_capex, dict):
                self.fail(
                    "cooperation.standalone_capex",
                    f"must be a table of party = amount, got {_describe(raw_capex)}",
                )
            else:
                standalone = {}
                for key, v in raw_capex.items():
                    p = f"cooperation.standalone_capex.{key}"
                    self.party_ref(key, p, pids)
                    standalone[key] = self.check_number(
                        v, p, **_bounds("cooperation.standalone_capex.<party>")
                    )
        return Cooperation(
            synergy=synergy,
            requires=MappingProxyType(requires),
            standalone_capex=None if standalone is None else MappingProxyType(standalone),
        )


def _bounds(pattern: str) -> dict[str, Any]:
    """The bounds of ``pattern`` in :mod:`sim.schema`, as ``check_number`` takes them."""
    k = schema_key(pattern)
    return {
        "lo": None if k.lo == -math.inf else k.lo,
        "hi": None if k.hi == math.inf else k.hi,
        "lo_open": k.lo_open,
        "hi_open": k.hi_open,
    }


def _all_param_names() -> frozenset[str]:
    return frozenset(p.name for r in rules() for p in r.params)


def _blank(value: Any) -> bool:
    """Whether ``value`` is text of nothing but spaces (or nothing at all)."""
    return isinstance(value, str) and not value.strip()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
