"""A scenario mapping written as TOML text, the way the shipped scenario files are written.

The inverse of :func:`tomllib.loads` for the mappings a scenario file holds:
``tomllib.loads(dumps(data)) == data``, ints staying ints and floats floats (written
with :func:`repr`, the shortest text that reads back to the same number). Tables come
in the order of :data:`sim.schema.TABLES`, arrays of tables as ``[[firms]]``, and
nested tables inline (``shares = { SC = 0.5, CQ = 0.5 }``), one key a line, as people
write scenario files. Written here rather than with tomli-w, which writes nested
tables as ``[sharing.shares]`` sections, so that the file reads like the shipped ones
and no runtime dependency is added.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sim.schema import TABLES

__all__ = ["dumps"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def dumps(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """TOML text of ``data``, after ``header`` lines written as comments.

    Examples
    --------
    >>> print(dumps({"sharing": {"rule": "fixed", "shares": {"SC": 0.5, "CQ": 0.5}}}))
    [sharing]
    rule = "fixed"
    shares = { SC = 0.5, CQ = 0.5 }
    <BLANKLINE>
    """
    lines = [f"# {h}".rstrip() for h in header]
    order = {name: i for i, name in enumerate(TABLES)}
    keys = sorted(data, key=lambda k: order.get(k, len(order)))
    plain = [k for k in keys if not _is_table(data[k]) and not _is_array_of_tables(data[k])]
    lines += [f"{_key(k)} = {_value(data[k])}" for k in plain]
    for k in keys:
        value = data[k]
        if _is_table(value):
            lines += ["", f"[{_key(k)}]", *_entries(value)]
        elif _is_array_of_tables(value):
            for item in value:
                lines += ["", f"[[{_key(k)}]]", *_entries(item)]
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _entries(table: Mapping[str, Any]) -> list[str]:
    return [f"{_key(k)} = {_value(v)}" for k, v in table.items()]


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {type(value).__name__}: {value!r}")


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
