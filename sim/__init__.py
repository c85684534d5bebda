"""sim: a cross-region fiscal benefit-sharing simulator.

The public API: load a scenario, evaluate it (one scenario or a batch of variants),
and compare agreements.

>>> import sim
>>> scenario = sim.load_scenario("scenarios/co-built-park.toml")
>>> result = sim.run(scenario)
>>> result.npv[0].round(3).tolist()
[18.931, 15.654]
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("sim")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from sim.agreement import Outcome, resolve, run, terms_for
from sim.compare import Comparison, compare
from sim.errors import (
    ConservationError,
    Problem,
    ResultsError,
    RuleError,
    ScenarioError,
    SimError,
    UndefinedError,
)
from sim.model import Batch, Result, Terms, batch_from_scenario, evaluate
from sim.rules import get_rule, register, rule_names
from sim.scenario import Scenario, Sharing
from sim.scenario import load as load_scenario
from sim.scenario import loads as loads_scenario

__all__ = [
    "Batch",
    "Comparison",
    "ConservationError",
    "Outcome",
    "Problem",
    "Result",
    "ResultsError",
    "RuleError",
    "Scenario",
    "ScenarioError",
    "Sharing",
    "SimError",
    "Terms",
    "UndefinedError",
    "__version__",
    "batch_from_scenario",
    "compare",
    "evaluate",
    "get_rule",
    "load_scenario",
    "loads_scenario",
    "register",
    "resolve",
    "rule_names",
    "run",
    "terms_for",
]
