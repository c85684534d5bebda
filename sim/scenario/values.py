"""Reading one value of a scenario file: the problems collected, tables and keys, numbers
in bounds, whole numbers, text, choices, years, party references and shares that sum
to 1 (:class:`_Values`, the base of the checker of :mod:`sim.scenario.checker`)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from sim.errors import Problem
from sim.i18n import Reason, describe
from sim.rules import (
    rules,
)
from sim.rules.clauses import firm_inputs
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import Schedule
from sim.schema import KEYS, MAX_ID, MAX_TEXT, SCHEDULED
from sim.schema import key as schema_key
from sim.schema.checks import empty_id, missing_party
from sim.schema.typed import one_of, out_of_range

SHARE_TOL = 1e-9
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_ID - 1}}}")
_YEAR_KEY = re.compile(r"[0-9]{4}")

_MISSING = object()


def _describe(value: Any) -> str:
    return describe(value)


_CLAUSE_INPUTS = frozenset(i.name for i in firm_inputs())
"""The numbers a firm or party writes for a clause: read with their defaults apart."""


class _Values:
    """Reads one value at a time, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.schedules: dict[str, Schedule] = {}
        """Key path → schedule of the fiscal parameters given by year (:meth:`scheduled`)."""
        self.span: tuple[int, int] | None = None
        """The horizon's first and last year, once read (``None``: not valid)."""
        self.party_ids_told = False
        """Whether a party's id was missing, malformed or repeated (told at its row): the
        references to parties and the tables keyed by party are then not checked against
        ids that are not the file's (one repeated id was told as ten problems)."""

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

    def bounded(self, table: Mapping[str, Any], name: str, path: str, pattern: str) -> float:
        """A number checked against the bounds of ``pattern`` in :mod:`sim.schema`; when
        it is not written, the key's default (:attr:`~sim.schema.keys.Key.value`), or a
        problem where it has none."""
        k = schema_key(pattern)
        default = _MISSING if k.value is None else k.value
        return self.number(table, name, path, default=default, **_bounds(pattern))

    def scheduled(
        self, table: Mapping[str, Any], name: str, path: str, pattern: str, key_path: str
    ) -> float:
        """A fiscal parameter: a number for every year, or a schedule by year
        ``{ from = { 2021 = 0.5, 2027 = 0.45 } }`` kept under ``key_path`` in
        :attr:`schedules`; its value in the horizon's first year either way."""
        value = table.get(name, _MISSING)
        if not isinstance(value, dict):
            return self.bounded(table, name, path, pattern)
        p = _join(path, name)
        steps = value.get("from", {})
        for key in (k for k in value if k != "from"):
            self.fail(_join(p, key), Reason("schedule_key"))
        if not isinstance(steps, dict):
            self.fail(_join(p, "from"), Reason("schedule_table", got=_describe(steps)))
            return math.nan
        start, last = self.span if self.span is not None else (None, None)
        if not steps:
            self.fail(_join(p, "from"), Reason("schedule_empty", start=start or "<year>"))
            return math.nan
        out: list[tuple[int, float]] = []
        for key, v in steps.items():
            at = _join(_join(p, "from"), key)
            x = self.check_number(v, at, **_bounds(pattern))
            if not _YEAR_KEY.fullmatch(key):
                self.fail(at, Reason("schedule_year", got=repr(key)))
            elif last is not None and int(key) > last:
                self.fail(at, Reason("schedule_after", year=key, last=last))
            else:
                out.append((int(key), x))
        out.sort()
        if not out or start is None:
            return math.nan
        if out[0][0] > start:
            self.fail(_join(p, "from"), Reason("schedule_start", first=out[0][0], start=start))
            return math.nan
        schedule = Schedule(tuple(out))
        self.schedules[key_path] = schedule
        return schedule.at(start)

    def numbers(
        self,
        table: Mapping[str, Any],
        path: str,
        pattern: str,
        only: tuple[str, ...] = (),
        ident: str = "",
    ) -> dict[str, Any]:
        """Every number a table of ``pattern`` (``firms.<firm>``, ``sharing``) holds by
        the key table (``only`` those named, if given), each checked by :meth:`bounded`;
        ``None`` for one not written where nothing holds by default (``sharing.cap``).
        A fiscal parameter (:data:`SCHEDULED`) may be a schedule by year
        (:meth:`scheduled`), kept under its key path with ``ident`` for the slot."""
        out: dict[str, Any] = {}
        for k in KEYS:
            head, _, name = k.path.rpartition(".")
            if head != pattern or k.kind != "number" or name.startswith("<"):
                continue
            if (only and name not in only) or name in _CLAUSE_INPUTS:  # see clause_inputs
                continue
            absent = name not in table and k.optional
            if k.path in SCHEDULED:
                at = re.sub(r"<[a-z]+>", ident, k.path)
                out[name] = self.scheduled(table, name, path, k.path, at)
            else:
                out[name] = None if absent else self.bounded(table, name, path, k.path)
        return out

    def by_party(
        self, t: Mapping[str, Any], name: str, path: str, pids: tuple[str, ...], pattern: str
    ) -> dict[str, float]:
        """A table of party → amount (``floors``, ``standalone_capex``), each party known
        and each amount within the bounds of its key (``{pattern}.{name}.<party>``);
        a party left out has none."""
        p = _join(path, name)
        raw = t.get(name, {})
        if not isinstance(raw, dict):
            self.fail(p, Reason("party_amounts", got=_describe(raw)))
            return {}
        out = {}
        for key, value in raw.items():
            self.party_ref(key, f"{p}.{key}", pids)
            out[key] = self.check_number(
                value, f"{p}.{key}", **_bounds(f"{pattern}.{name}.<party>")
            )
        return out

    def whole(self, table: Mapping[str, Any], name: str, path: str, pattern: str) -> int | None:
        """A whole number checked against the bounds of ``pattern`` in :mod:`sim.schema`;
        when it is not written, the key's default, or a problem where it has none."""
        k = schema_key(pattern)
        default = _MISSING if k.value is None else int(k.value)
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

    def named(
        self, t: Mapping[str, Any], table: str, i: int, seen: set[str], what: str
    ) -> tuple[str, str]:
        """Row ``i`` of ``table``'s id (checked) and the key path its problems are named
        by: ``firms.battery-plant``, as sweeps and the docs write it; ``firms[2]`` while
        its id cannot name it (missing, malformed or taken: that problem is told at
        ``firms[2].id``). A portfolio's parties and parks are named so too
        (``parks.gaozhu.file``); :func:`sim.schema.checks.indexed` finds the row again."""
        before = set(seen)
        ident = self.ident(t, f"{table}[{i}]", seen, what)
        known = bool(ident) and ident not in before and _ID.fullmatch(ident) is not None
        return ident, f"{table}.{ident}" if known else f"{table}[{i}]"

    def ident(self, t: Mapping[str, Any], path: str, seen: set[str], what: str) -> str:
        if _blank(t.get("id")):
            self.fail(f"{path}.id", empty_id(what))
            return ""
        value = self.string(t, "id", path)
        if value and not _ID.fullmatch(value):
            self.fail(
                f"{path}.id",
                Reason("short_id", got=repr(value)),
            )
        elif value in seen:
            self.fail(f"{path}.id", Reason("duplicate_id", what=what, got=repr(value)))
        seen.add(value)
        return value

    def party_ref(self, value: str, path: str, party_ids: tuple[str, ...]) -> None:
        if self.party_ids_told:
            return
        if value == "" and party_ids and path.endswith((".party", ".introduced_by")):
            self.fail(path, Reason("name_party", parties=tuple(party_ids)))
        if value and party_ids and value not in party_ids:
            known = tuple(dict.fromkeys(party_ids))
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
        if not allowed or (what == "party" and self.party_ids_told):  # told elsewhere
            return out
        if what == "party":
            for key in (k for k in allowed if k not in value):
                self.fail(_join(path, key), missing_party(key))
        ok = True
        for key, v in value.items():
            if key not in allowed:
                self.fail(
                    _join(path, key),
                    Reason("unknown_id", what=what, got=repr(key), known=tuple(allowed)),
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


def canonical_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of a mapping's canonical JSON (sorted keys), for manifests."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


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
