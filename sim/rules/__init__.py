"""Sharing rules, one small pure function each, registered by name.

Importing this package registers the keyed rules (``source``, ``fixed``, ``equity``,
``formula``, ``introducer``).
"""

from sim.rules import keyed as _keyed  # noqa: F401  (registers the keyed rules)
from sim.rules.registry import (
    FACTORS,
    Division,
    Param,
    Pool,
    RuleSpec,
    divide,
    get_rule,
    register,
    rule_names,
    rules,
)

__all__ = [
    "FACTORS",
    "Division",
    "Param",
    "Pool",
    "RuleSpec",
    "divide",
    "get_rule",
    "register",
    "rule_names",
    "rules",
]
