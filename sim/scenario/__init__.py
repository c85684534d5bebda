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

from sim.scenario.load import (
    WORKBOOK_SUFFIXES as WORKBOOK_SUFFIXES,
)
from sim.scenario.load import load, loads, parse, parse_noted, read, read_noted
from sim.scenario.values import canonical_digest as canonical_digest
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Clause,
    Cooperation,
    Firm,
    Investment,
    LandSale,
    Party,
    Review,
    Scenario,
    Sharing,
    Taxes,
)
from sim.schema.magnitude import MAX_AMOUNT, magnitude_problems

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
