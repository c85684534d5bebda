"""One error hierarchy for the whole package.

Every error a user can cause subclasses :class:`SimError`; the CLI turns each into
one clear line on stderr and a non-zero exit, and shows the traceback only with
``--debug``. Errors caused by bad input also subclass :class:`ValueError`, so
library callers can catch them the ordinary way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.i18n import Reason, colon

__all__ = [
    "BudgetError",
    "ConservationError",
    "GameFileError",
    "InputError",
    "Problem",
    "ResultsError",
    "RuleError",
    "ScenarioError",
    "SimError",
    "SweepError",
    "UndefinedError",
    "YearError",
    "read_input",
    "read_input_bytes",
]


MAX_PROBLEMS = 50
"""Problems listed in one message (the count says how many there are)."""
MAX_LINE = 500
"""Longest line of an error message: what it echoes of the input is cut."""


def _cut(text: str) -> str:
    if len(text) <= MAX_LINE:
        return text
    return f"{text[: MAX_LINE - 40]}… ({len(text):,} characters in all)"


class SimError(Exception):
    """Base class of every error ``sim`` raises on purpose."""

    exit_code: int = 1

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang``: Chinese where it was raised with a
        :class:`~sim.i18n.Reason`, else as written."""
        first = self.args[0] if self.args else ""
        return first.text(lang or "en") if isinstance(first, Reason) else str(self)


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong."""

    path: str
    """Key path inside the file, e.g. ``firms.battery-plant.growth`` or ``sharing.shares``."""
    reason: str
    where: str = ""
    """Where a reader sees it when that is not the key path: a workbook's sheet, cell and
    column, e.g. ``firms!G7 output growth`` (empty for TOML files)."""

    def __str__(self) -> str:
        return self.text()

    def reason_text(self, lang: str = "en") -> str:
        """The reason alone in ``lang``."""
        return self.reason.text(lang) if isinstance(self.reason, Reason) else self.reason

    def text(self, lang: str = "en") -> str:
        """The problem in ``lang``: where, then the reason (Chinese where the checker gave
        a :class:`~sim.i18n.Reason`; key paths and ids stay as they are)."""
        at = self.where or self.path
        reason = self.reason_text(lang)
        return f"{at}{colon(lang)}{reason}" if at else reason


class InputError(SimError, ValueError):
    """An input file that cannot be used, with every problem found in it."""

    exit_code = 2
    what = "input file"

    def __init__(self, source: str, problems: Sequence[Problem], lang: str = "en") -> None:
        self.source = source
        self.problems = tuple(problems)
        self.lang = lang
        """The language of the message: a Chinese workbook's problems are told in Chinese."""
        super().__init__(self.message(lang))

    def message(self, lang: str | None = None) -> str:
        """The file, the number of problems, then one line per problem (at most
        :data:`MAX_PROBLEMS`, each cut to :data:`MAX_LINE` characters), in ``lang``
        (default: the error's own)."""
        lang = lang or self.lang
        n = len(self.problems)
        head = Reason(
            "invalid", source=_cut(self.source), what=self.what, n=n, s="s" if n != 1 else ""
        ).text(lang)
        lines = [f"  {_cut(p.text(lang))}" for p in self.problems[:MAX_PROBLEMS]]
        if n > MAX_PROBLEMS:
            lines.append(f"  {Reason('more', n=f'{n - MAX_PROBLEMS:,}').text(lang)}")
        return "\n".join([head, *lines])


class ScenarioError(InputError):
    """A scenario (or sweep) file that cannot be used, with every problem found in it."""

    what = "scenario"


class SweepError(ScenarioError):
    """A sweep file that cannot be used, with every problem found in it."""

    what = "sweep file"


class GameFileError(InputError):
    """A ``sim game solve`` file that cannot be used, with every problem found in it."""

    what = "game file"


MAX_INPUT_BYTES = 10_000_000
"""Largest input file read (a scenario of thousands of firms is far smaller)."""


def read_input(path: str | Path, error: type[InputError]) -> str:
    """The text of an input file, or ``error`` naming the file and why it cannot be read."""
    data = read_input_bytes(path, error)
    try:  # newlines as open() in text mode reads them
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise error(str(path), [Problem("", Reason("not_utf8"))]) from None


def read_input_bytes(path: str | Path, error: type[InputError]) -> bytes:
    """The bytes of an input file, or ``error`` naming the file and why it cannot be read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            why = Reason("too_big_file", size=f"{size:,}", most=f"{MAX_INPUT_BYTES:,}")
            raise error(str(p), [Problem("", why)])
        with p.open("rb") as fh:  # a pipe or a device states no size: read no more than that
            data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            why = Reason("too_big_stream", most=f"{MAX_INPUT_BYTES:,}")
            raise error(str(p), [Problem("", why)])
        return data
    except FileNotFoundError:
        raise error(str(p), [Problem("", Reason("no_file"))]) from None
    except OSError as exc:
        why = Reason("unreadable_file", error=exc.strerror or exc)
        raise error(str(p), [Problem("", why)]) from None


class RuleError(SimError, ValueError):
    """An unknown rule name, or parameters a rule cannot take."""

    exit_code = 2


class UndefinedError(SimError, ValueError):
    """An agreement whose rule is not defined for a scenario (the message says why)."""

    exit_code = 2


class BudgetError(SimError):
    """Work beyond a limit (the message says which, and how to raise it where one can)."""

    exit_code = 2


class ResultsError(SimError):
    """Results cannot be written or read (an existing folder, a bad path)."""

    exit_code = 2


class ConservationError(SimError, ArithmeticError):
    """Allocations that do not add up to what was collected.

    This is never the user's fault: it means a rule or the model is wrong, and the
    message states the stream, the year and the actual sums. The exit status is that
    of every internal error (70).
    """

    exit_code = 70


class YearError(SimError, ValueError):
    """A year asked for that the scenario does not have (outside its horizon)."""

    exit_code = 2
