"""The ``sim`` command: a thin click layer that parses, calls and prints.

Every error a user can cause is a :class:`~sim.errors.SimError`; it is printed as
one clear message on stderr with a non-zero exit status, and its traceback only with
``--debug``. The group and what its commands share stand in :mod:`sim.cli.group`; each
family of commands registers itself on it from its own module.
"""

from sim.cli import decisions, portfolio, report, scenario, serve, sweep, workbook
from sim.cli.group import _load, main
from sim.cli.report import _report_for

__all__ = [
    "_load",
    "_report_for",
    "decisions",
    "main",
    "portfolio",
    "report",
    "scenario",
    "serve",
    "sweep",
    "workbook",
]
