"""Sharing rules, one small pure function each, registered by name.

Importing this package registers the keyed pool rules (``source``, ``fixed``,
``equity``, ``formula``, ``introducer``) and the fair-division target rules
(``shapley``, ``nucleolus``, ``nash``, …); :mod:`sim.rules.clauses` holds the rules of
the other clauses (land, dividends, investment, statistics).
"""

from sim.rules import fair as _fair  # noqa: F401  (registers the target rules)
from sim.rules import keyed as _keyed  # noqa: F401  (registers the keyed rules)
from sim.rules.clauses import (
    CLAUSE_STREAMS,
    CLAUSES,
    MONEY_CLAUSES,
    ClauseName,
    ClauseRule,
    ClauseStream,
    clause_rule,
    clause_rule_names,
    clause_rules,
)
from sim.rules.registry import (
    FACTOR_NAMES,
    FACTORS,
    Division,
    Param,
    Pool,
    RuleSpec,
    Targets,
    divide,
    get_rule,
    register,
    register_target,
    rule_names,
    rules,
)

__all__ = [
    "CLAUSES",
    "CLAUSE_STREAMS",
    "FACTORS",
    "FACTOR_NAMES",
    "MONEY_CLAUSES",
    "ClauseName",
    "ClauseRule",
    "ClauseStream",
    "Division",
    "Param",
    "Pool",
    "RuleSpec",
    "Targets",
    "clause_rule",
    "clause_rule_names",
    "clause_rules",
    "divide",
    "get_rule",
    "register",
    "register_target",
    "rule_names",
    "rules",
]
