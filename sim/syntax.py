"""A TOML or JSON parser's complaint as a :class:`~sim.i18n.reasons.Reason`: what is
wrong (the common messages of :mod:`tomllib` and :mod:`json`, in either language) and
where (line and column), so that ``--lang zh`` reads
``TOML 语法错误（第 3 行第 5 列）：键之后应为 “=”（写作 键 = 值）``.

A message the table does not know keeps the parser's English, quoted, beside the
Chinese line and column.
"""

from __future__ import annotations

import ast
import json
import re

from sim.i18n import Reason

__all__ = ["PATTERNS", "syntax_reason"]

PATTERNS: dict[str, str] = {
    "syn_statement": r"Invalid statement",
    "syn_newline": r"Expected newline or end of document after a statement",
    "syn_equals": r"Expected '=' after a key in a key/value pair",
    "syn_char": r"Found invalid character (?P<what>.+)",
    "syn_twice": r"Cannot declare (?P<what>.+) twice",
    "syn_overwrite": r"Cannot overwrite a value",
    "syn_table_end": r"Expected '\]' at the end of a table declaration",
    "syn_array_end": r"Expected '\]\]' at the end of an array declaration",
    "syn_immutable": r"Cannot mutate immutable namespace (?P<what>.+)",
    "syn_redefine": r"Cannot redefine namespace (?P<what>.+)",
    "syn_key_start": r"Invalid initial character for a key part",
    "syn_array": r"Unclosed array",
    "syn_inline_key": r"Duplicate inline table key (?P<what>.+)",
    "syn_inline": r"Unclosed inline table",
    "syn_backslash": r"Unescaped '\\' in a string",
    "syn_hex": r"Invalid hex value",
    "syn_unicode": r"Escaped character is not a Unicode scalar value",
    "syn_unterminated": r"Unterminated string(?: starting at)?",
    "syn_open_string": r"Illegal character '\\n'",
    "syn_illegal": r"Illegal character (?P<what>.+)",
    "syn_date": r"Invalid date or datetime",
    "syn_value": r"Invalid value",
    "syn_expected": r"Expected (?P<what>.+)",
    "syn_json_value": r"Expecting value",
    "syn_json_name": r"Expecting property name enclosed in double quotes",
    "syn_json_delimiter": r"Expecting (?P<what>'.') delimiter",
    "syn_json_control": r"Invalid control character at",
    "syn_json_escape": r"Invalid \\(?:uXXXX )?escape",
    "syn_json_extra": r"Extra data",
    "syn_json_comma": r"Illegal trailing comma before end of (?:object|array)",
}
"""The messages of :mod:`tomllib` and :mod:`json` as patterns, by the key of their reason
(:data:`sim.i18n.REASONS`); ``what`` is a character or key the message names."""

_AT = re.compile(
    r"^(?P<msg>.*?) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


_NUMBER_THEN = re.compile(r"\d[,，]\d|\d\s*[^\s\d#,.\]}\x00-\x7f]")
"""A number followed by a thousands separator or a unit (``1,200``, ``1，200``, ``1200亩``,
``5亿元``), which TOML cannot read."""


def syntax_reason(exc: Exception, text: str | None = None) -> Reason:
    """The reason of a :class:`tomllib.TOMLDecodeError` or :class:`json.JSONDecodeError`:
    what the parser says, and where. With the file's ``text``, a number written with a
    thousands separator or a unit is named as such.

    Examples
    --------
    >>> import tomllib
    >>> try:
    ...     tomllib.loads("a = 1\\nb 2")
    ... except tomllib.TOMLDecodeError as exc:
    ...     r = syntax_reason(exc)
    >>> r
    "TOML syntax error: Expected '=' after a key in a key/value pair (at line 2, column 3)"
    >>> r.text("zh")
    'TOML 语法错误（第 2 行第 3 列）：键之后应为 “=”（写作 键 = 值；含空格或中文的键须加引号）'
    """
    line: int | None
    if isinstance(exc, json.JSONDecodeError):
        kind, msg, line, col = "json_syntax", exc.msg, exc.lineno, exc.colno
    else:
        kind, full = "toml_syntax", str(exc)
        found = _AT.match(full)
        msg = found["msg"] if found else full
        line, col = (
            (int(found["line"]), int(found["col"])) if found and found["line"] else (None, 0)
        )
    where = Reason("syntax_end") if line is None else Reason("syntax_at", line=line, col=col)
    number = _number(text, line, col) if text is not None and line is not None else None
    return Reason(kind, error=number or _what(msg), where=where)


def _number(text: str, line: int, col: int) -> Reason | None:
    """A number with a separator or a unit around where the parser stopped, if any."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    row = lines[line - 1]
    for m in re.finditer(r"[-+]?\d[\d,，_.]*\s*[^\s\d\x00-\x7f]*", row):
        if m.start() <= col - 1 <= m.end() and _NUMBER_THEN.search(m.group().strip()):
            return Reason("syn_number", got=m.group().strip())
    return None


def _what(msg: str) -> Reason:
    for key, pattern in PATTERNS.items():
        found = re.fullmatch(pattern, msg)
        if found:
            return Reason(key, **{k: _key(v) for k, v in found.groupdict().items()})
    return Reason("syntax_other", text=msg)


def _key(what: str) -> str:
    """A key tomllib names as a tuple (``('a', 'c')``) written as TOML writes it (``a.c``)."""
    try:
        parts = ast.literal_eval(what)
    except (ValueError, SyntaxError):
        return what
    if isinstance(parts, tuple) and all(isinstance(x, str) for x in parts):
        return ".".join(parts)
    return what
