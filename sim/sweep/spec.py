"""Sweep files: which inputs vary, how they are sampled, and which rules are evaluated.

A sweep is a ``[sweep]`` table in a scenario file, or a file of its own whose
``[sweep]`` names a base scenario (``base = "gaozhu.toml"``, relative to the sweep
file). Parameters are key paths into the scenario: every number of the key table
(:data:`sim.schema.KEYS`) that a sweep can set, the field table
(:data:`sim.schema.FIELDS`; the manual's key reference marks them), such as
``horizon.discount_rate``, ``firms.<id>.growth`` (``first_year`` in whole years),
``land_sales.<i>.price``, ``investment.equity.<party>``, ``sharing.shares.<party>``,
``sharing.floors.<party>`` or ``sharing.dividends.shares.<party>``; and ``policy``, one
of the named ``[[sweep.policies]]``. How each is set on a batch (one number per
scenario, its party's or firm's column, or a share) is the key table's too
(:attr:`sim.schema.Key.sets`, :mod:`sim.sweep.run`).

Shares that must sum to 1 stay summing to 1: when one party's share is set to ``x``,
the other parties' shares are rescaled in proportion to their values in the file so
that they sum to ``1 − x`` (for two parties, the other simply gets ``1 − x``). Two
swept shares of the same table must not sum above 1.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import Problem, ScenarioError, SweepError, read_input
from sim.i18n import Reason
from sim.scenario import WORKBOOK_SUFFIXES, Scenario, canonical_digest, parse, read
from sim.style import Note
from sim.sweep.distributions import Distribution
from sim.sweep.parameters import (
    Parameter,
    _check_extremes,
    _check_share_groups,
    _correlation,
    _parameters,
    _size,
)
from sim.syntax import syntax_reason

__all__ = ["Distribution", "Parameter", "SweepSpec", "load_sweep", "parse_sweep"]

DESIGNS = ("grid", "montecarlo", "lhs", "sobol")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: its base scenario, parameters, design and rules."""

    scenario: Scenario
    parameters: tuple[Parameter, ...]
    design: str
    n: int
    seed: int
    rules: tuple[str, ...]
    """Labels of the agreements to evaluate (see :func:`sim.sweep.run.agreements`)."""
    correlation: np.ndarray | None
    correlation_kind: str
    standalone: bool
    """Whether each scenario's standalone values (and gains over them) are computed."""
    source: str
    digest: str
    """SHA-256 of the sweep table and the base scenario together."""
    explain: tuple[str, ...] = ()
    """The features the file's agreement's gains are split over in every scenario
    (``sweep.explain``); empty for none."""
    table: Mapping[str, Any] = field(default_factory=dict)
    """The ``[sweep]`` table as written, without ``base``: stored with the results."""
    scenario_text: str = ""
    """The base scenario's TOML, verbatim: stored with the results, so that a report
    never re-reads input files that may have changed."""

    @property
    def names(self) -> tuple[str, ...]:
        """The swept parameters' key paths, in the file's order."""
        return tuple(p.path for p in self.parameters)


def read_sweep_file(path: str | Path) -> dict[str, Any]:
    """The TOML of a sweep file (:class:`SweepError` naming it if unreadable or invalid)."""
    p = Path(path)
    text = read_input(p, SweepError)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SweepError(str(p), [Problem("", syntax_reason(exc, text))]) from None


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file (or a scenario file with a ``[sweep]`` table)."""
    return parse_sweep(read_sweep_file(path), str(Path(path)))


SWEEP_KEYS = (
    "base",
    "design",
    "n",
    "seed",
    "rules",
    "parameters",
    "correlation",
    "standalone",
    "explain",
    "policies",
)


def _base(data: Mapping[str, Any], sweep: Mapping[str, Any], source: str) -> tuple[Scenario, str]:
    """The scenario the sweep varies (this file's, or the one ``base`` names) and its
    TOML text (empty when the data did not come from a file)."""
    base_path = sweep.get("base")
    if base_path is None:
        text = Path(source).read_text(encoding="utf-8") if Path(source).is_file() else ""
        return parse({k: v for k, v in data.items() if k != "sweep"}, source), text
    if not isinstance(base_path, str):
        raise SweepError(source, [Problem("sweep.base", Reason("base_path"))])
    others = [k for k in data if k != "sweep"]
    if others:
        raise SweepError(source, [Problem(others[0], Reason("base_only"))])
    scenario_source = str(Path(source).parent / base_path)
    if Path(scenario_source).suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook_base(source, scenario_source, base_path)
    try:
        text = read_input(scenario_source, ScenarioError)
    except ScenarioError as exc:
        reason = exc.problems[0].reason
        why = Reason("base_unreadable", reason=reason, path=scenario_source)
        raise SweepError(source, [Problem("sweep.base", why)]) from None
    try:
        scenario_data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(scenario_source, [Problem("", syntax_reason(exc, text))]) from None
    return parse({k: v for k, v in scenario_data.items() if k != "sweep"}, scenario_source), text


def _workbook_base(source: str, scenario_source: str, base_path: str) -> tuple[Scenario, str]:
    """A base scenario kept as a workbook, and the TOML text of what it holds (stored with
    the results, it reads back to the same scenario and digest)."""
    from sim.workbook.totoml import dumps

    if not Path(scenario_source).is_file():
        raise SweepError(
            source, [Problem("sweep.base", Reason("base_no_file", path=scenario_source))]
        )
    scenario, data = read(scenario_source)
    return scenario, dumps(data, (scenario.title, f"read from the workbook {base_path}"))


def _whole(
    sweep: Mapping[str, Any], key: str, default: int, least: int, problems: list[Problem]
) -> int:
    value = sweep.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        problems.append(
            Problem(f"sweep.{key}", Reason("whole_at_least", least=least, got=repr(value)))
        )
        return default
    return value


def _rules(sweep: Mapping[str, Any], scenario: Scenario, problems: list[Problem]) -> list[str]:
    from sim.compare import agreement_labels

    known = agreement_labels(scenario)
    rules = sweep.get("rules", list(known))
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules) or not rules:
        problems.append(Problem("sweep.rules", Reason("sweep_rules")))
        return list(known)
    for i, label in enumerate(rules):
        if label not in known:
            problems.append(
                Problem(
                    f"sweep.rules[{i}]",
                    Reason("unknown_agreement", got=repr(label), known=tuple(known)),
                )
            )
    return rules


def parse_sweep(data: Mapping[str, Any], source: str) -> SweepSpec:
    """Validate a parsed sweep file; every problem is reported at once with its key path."""
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        raise SweepError(
            source,
            [Problem("sweep", Reason("sweep_table"))],
        )
    problems = [
        Problem(f"sweep.{key}", Reason("unknown_key", allowed=", ".join(SWEEP_KEYS)))
        for key in sweep
        if key not in SWEEP_KEYS
    ]
    scenario, scenario_text = _base(data, sweep, source)
    design = sweep.get("design", "montecarlo")
    if design not in DESIGNS:
        problems.append(
            Problem(
                "sweep.design",
                Reason("one_of", options=", ".join(map(repr, DESIGNS)), got=repr(design)),
            )
        )
    n = _whole(sweep, "n", 1000, 1, problems)
    seed = _whole(sweep, "seed", 0, 0, problems)
    params = _parameters(sweep.get("parameters", {}), scenario, problems, sweep.get("policies"))
    given = n
    n = _size(design, n, params, problems)
    if design == "grid" and "n" in sweep and given != n and not problems:
        problems.append(
            Problem(
                "sweep.n",
                Reason("grid_n", n=f"{n:,}", m=n),
            )
        )
    _check_share_groups(params, scenario, problems)
    _check_extremes(params, scenario, problems)
    corr, corr_kind = _correlation(sweep.get("correlation"), params, problems)
    rules = _rules(sweep, scenario, problems)
    standalone = sweep.get("standalone", True)
    if not isinstance(standalone, bool):
        problems.append(Problem("sweep.standalone", Reason("true_false")))
        standalone = True
    explain = _explain(sweep, scenario, params, rules, problems)
    if problems:
        raise SweepError(source, problems)
    table = {k: v for k, v in sweep.items() if k != "base"}  # where the base lay is no input
    digest = canonical_digest({"sweep": table, "scenario": scenario.digest})
    return SweepSpec(
        scenario,
        tuple(params),
        design,
        int(n),
        int(seed),
        tuple(rules),
        corr,
        corr_kind,
        bool(standalone),
        source,
        digest,
        explain,
        table,
        scenario_text,
    )


def stored_spec(folder: Path, manifest: Mapping[str, Any]) -> tuple[SweepSpec, Note | None]:
    """The sweep a results folder holds, from the inputs stored with it (never from the
    files it was run from), and a note if those files have changed or gone since.

    Raises
    ------
    ResultsError
        If the stored inputs are missing or do not give the digest the run recorded.
    """
    from sim.errors import ResultsError

    sweep = manifest.get("sweep", {})
    source = str(sweep.get("file", folder))
    stored = folder / "inputs" / "scenario.toml"
    if "table" not in sweep or not stored.is_file():
        raise ResultsError(Reason("no_stored_inputs", folder=folder))
    try:
        scenario_data = tomllib.loads(stored.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        why = syntax_reason(exc)
        raise ResultsError(Reason("unreadable_input", stored=stored, error=why)) from None
    except OSError as exc:
        raise ResultsError(Reason("unreadable_input", stored=stored, error=exc)) from None
    data = {k: v for k, v in scenario_data.items() if k != "sweep"}
    spec = parse_sweep({**data, "sweep": dict(sweep["table"])}, source)
    spec = replace(spec, scenario_text=stored.read_text(encoding="utf-8"))
    if spec.digest != sweep.get("digest"):
        raise ResultsError(Reason("digest_mismatch", folder=folder))
    return spec, _changed_since(source, spec.digest)


def _changed_since(source: str, digest: str) -> Note | None:
    """Why the sweep file a run names no longer gives that run (``None`` when it does)."""
    if not Path(source).is_file():
        return Note("gone", {"source": source})
    try:
        now = load_sweep(source).digest
    except ScenarioError:  # changed, and now invalid
        return Note("changed", {"source": source})
    return Note("changed", {"source": source}) if now != digest else None


def _explain(
    sweep: Mapping[str, Any],
    scenario: Scenario,
    params: list[Parameter],
    rules: list[str],
    problems: list[Problem],
) -> tuple[str, ...]:
    """The features to split the agreement's gains over: by default when the agreement as
    written uses two or more (a swept compliance or floor is then split out too)."""
    from sim.agreement import FEATURES, features_of

    wanted = sweep.get("explain")
    if wanted is not None and not isinstance(wanted, bool):
        problems.append(Problem("sweep.explain", Reason("true_false")))
        return ()
    swept = {p.path.split(".")[1] for p in params if p.path.startswith("sharing.")}
    varied = tuple(f for f in FEATURES if f in swept)
    features = features_of(scenario.sharing, varied)
    if wanted is None:  # by default when the agreement as written has several clauses
        wanted = len(features_of(scenario.sharing)) >= 2
    return features if wanted and "agreement" in rules else ()
