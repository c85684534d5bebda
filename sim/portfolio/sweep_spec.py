"""Portfolio sweep files: which inputs of which parks vary, what all parks share, and how
they are sampled (docs/portfolio.md, "Portfolio sweeps").

A ``[sweep]`` table names its portfolio (``portfolio = "../portfolios/chengyu.toml"``,
relative to the sweep file) and takes ``design``, ``n``, ``seed``, ``[sweep.parameters]``
and ``[sweep.correlation]`` as a park's sweep does. Parameters are

- ``parks.<park>.<key path>``: any key path of a park's sweep (``firms.<id>.growth``,
  ``sharing.compliance``, …) in that park's scenario;
- ``common.discount_rate``: the discount rate of every park and of the portfolio;
- ``common.growth_shock``: a province-wide shock added to every firm's growth in every
  park.

Each park's parameters are validated by the park sweep's own checks on the park's
scenario (key paths, ranges, shares summing to 1, extreme values); a problem is reported
with the portfolio key path (``sweep.parameters.parks.gaozhu.firms.x.growth``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import Problem, SweepError
from sim.i18n import Reason
from sim.portfolio.load import PortfolioError, load_portfolio
from sim.portfolio.packages import PackageAlt, read_packages
from sim.portfolio.types import Portfolio
from sim.scenario import canonical_digest
from sim.schema import bind
from sim.sweep.distributions import _distribution
from sim.sweep.parameters import (
    Parameter,
    _check_extremes,
    _check_share_groups,
    _correlation,
    _parameters,
    _size,
)
from sim.sweep.spec import DESIGNS, SweepSpec, read_sweep_file

__all__ = ["COMMON", "PortfolioSweep", "load_portfolio_sweep", "parse_portfolio_sweep"]

COMMON = ("common.discount_rate", "common.growth_shock")
"""The inputs every park shares."""
KEYS = ("portfolio", "design", "n", "seed", "parameters", "correlation", "packages")
RULE = "agreement"
"""What a portfolio sweep evaluates in every park: the park's own agreement."""


@dataclass(frozen=True)
class PortfolioSweep:
    """A validated portfolio sweep."""

    portfolio: Portfolio
    parameters: tuple[Parameter, ...]
    """Every swept input by its portfolio key path, in the file's order."""
    parks: tuple[SweepSpec, ...]
    """Per park: a park sweep of its own parameters (key paths inside the park) and the
    common discount rate; what :func:`sim.sweep.run.apply_parameters` is given."""
    columns: tuple[tuple[int, ...], ...]
    """Per park: the columns of the sampled values its sweep takes, in its order."""
    sampler: SweepSpec
    """Draws every parameter's values (design, seed, correlation) as a park sweep does."""
    source: str
    digest: str
    table: Mapping[str, Any] = field(default_factory=dict)
    packages: tuple[PackageAlt, ...] = ()
    """Named package alternatives (``[[sweep.packages]]``) for ``sim robust``; not part
    of what the sweep evaluates, nor of its digest."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every parameter's portfolio key path, in the file's order."""
        return tuple(p.path for p in self.parameters)

    @property
    def n(self) -> int:
        """The number of scenarios."""
        return self.sampler.n

    @property
    def seed(self) -> int:
        """The seed."""
        return self.sampler.seed

    @property
    def design(self) -> str:
        """The design."""
        return self.sampler.design

    def column(self, name: str) -> int | None:
        """The position of the common input ``name`` among the values (None if fixed)."""
        return self.names.index(name) if name in self.names else None


def load_portfolio_sweep(path: str | Path) -> PortfolioSweep:
    """Read and validate a portfolio sweep file."""
    return parse_portfolio_sweep(read_sweep_file(path), str(Path(path)))


def _portfolio(sweep: Mapping[str, Any], source: str) -> Portfolio:
    where = sweep.get("portfolio")
    if not isinstance(where, str):
        raise SweepError(source, [Problem("sweep.portfolio", Reason("psweep_portfolio"))])
    path = Path(source).parent / where
    try:
        return load_portfolio(path)
    except PortfolioError as exc:
        why = Reason("base_unreadable", reason=exc.problems[0].text(), path=path)
        raise SweepError(source, [Problem("sweep.portfolio", why)]) from None


def _renamed(problems: list[Problem], prefix: str) -> list[Problem]:
    """A park sweep's problems at their portfolio key paths."""
    inner = "sweep.parameters."
    return [
        replace(p, path=inner + prefix + p.path[len(inner) :])
        if p.path.startswith(inner)
        else replace(p, path=p.path.replace("sweep.parameters", inner + prefix.rstrip(".")))
        for p in problems
    ]


def _common(path: str, raw: Any, portfolio: Portfolio, problems: list[Problem]) -> Parameter | None:
    """A common input, bound (for its unit and range) to the first park's discount rate
    or the first growth of a firm among the parks."""
    where = f"sweep.parameters.{path}"
    dist = _distribution(raw, where, problems)
    if dist is None:
        return None
    if path == "common.discount_rate":
        binding = bind("horizon.discount_rate", portfolio.parks[0].scenario)
        lo, hi = dist.bounds
        if not (lo > -1.0 and np.isfinite(hi)):
            problems.append(Problem(where, Reason("psweep_rate_bounds")))
    else:
        firm = next(((k.scenario, f.id) for k in portfolio.parks for f in k.scenario.firms), None)
        if firm is None:
            problems.append(Problem(where, Reason("psweep_no_firms")))
            return None
        binding = bind(f"firms.{firm[1]}.growth", firm[0])
        lo, hi = dist.bounds
        if not (np.isfinite(lo) and np.isfinite(hi) and lo > -0.5 and hi < 0.5):
            problems.append(Problem(where, Reason("psweep_shock_bounds")))
    assert not isinstance(binding, str)
    return Parameter(path, dist, binding)


def _settings(sweep: Mapping[str, Any], problems: list[Problem]) -> tuple[str, int, int]:
    """The design, n and seed (defaults where they are wrong, the problem noted)."""
    design = sweep.get("design", "montecarlo")
    if design not in DESIGNS:
        options = ", ".join(map(repr, DESIGNS))
        problems.append(
            Problem("sweep.design", Reason("one_of", options=options, got=repr(design)))
        )
        design = "montecarlo"
    got = {"n": sweep.get("n", 1000), "seed": sweep.get("seed", 0)}
    for key, least, default in (("n", 1, 1000), ("seed", 0, 0)):
        value = got[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            problems.append(
                Problem(f"sweep.{key}", Reason("whole_at_least", least=least, got=repr(value)))
            )
            got[key] = default
    return str(design), int(got["n"]), int(got["seed"])


def _split(
    raw: Mapping[str, Any], portfolio: Portfolio, problems: list[Problem]
) -> tuple[list[Parameter | None], dict[str, dict[str, Any]], dict[str, list[int]]]:
    """The common inputs (at their positions; ``None`` elsewhere), and each park's
    parameters by key path inside the park, with their positions."""
    ids = [k.id for k in portfolio.parks]
    by_park: dict[str, dict[str, Any]] = {k: {} for k in ids}
    where: dict[str, list[int]] = {k: [] for k in ids}
    params: list[Parameter | None] = []
    for j, (path, spec) in enumerate(raw.items()):
        parts = path.split(".", 2)
        if path in COMMON:
            params.append(_common(path, spec, portfolio, problems))
            continue
        params.append(None)  # a park's: filled in from the park's own checks
        if len(parts) < 3 or parts[0] != "parks" or parts[1] not in by_park:
            known = ", ".join([*COMMON, *(f"parks.{k}.<key path>" for k in ids)])
            problems.append(Problem(f"sweep.parameters.{path}", Reason("psweep_path", known=known)))
        elif parts[2] == "horizon.discount_rate":
            problems.append(Problem(f"sweep.parameters.{path}", Reason("psweep_own_rate")))
        else:
            by_park[parts[1]][parts[2]] = spec
            where[parts[1]].append(j)
    return params, by_park, where


def _parks(
    raw: Mapping[str, Any],
    portfolio: Portfolio,
    params: list[Parameter | None],
    problems: list[Problem],
) -> tuple[list[SweepSpec], list[tuple[int, ...]]]:
    """Each park's sweep (its parameters checked by the park sweep's own checks, and the
    common discount rate as its own) and the columns it takes; ``params`` filled in."""
    _, by_park, where = _split(raw, portfolio, problems)
    rate = list(raw).index("common.discount_rate") if "common.discount_rate" in raw else None
    shared = params[rate] if rate is not None else None
    specs, columns = [], []
    for park in portfolio.parks:
        found: list[Problem] = []
        own = _parameters(by_park[park.id], park.scenario, found) if by_park[park.id] else []
        if by_park[park.id]:
            _check_share_groups(own, park.scenario, found)
            _check_extremes(own, park.scenario, found)
        problems.extend(_renamed(found, f"parks.{park.id}."))
        if found:
            continue
        for j, prm in zip(where[park.id], own, strict=True):
            params[j] = replace(prm, path=f"parks.{park.id}.{prm.path}")
        cols = list(where[park.id])
        if shared is not None and rate is not None:  # the common rate as the park's own
            b = bind("horizon.discount_rate", park.scenario)
            assert not isinstance(b, str)
            own = [*own, replace(shared, path="horizon.discount_rate", binding=b)]
            cols.append(rate)
        columns.append(tuple(cols))
        specs.append(_park_spec(park.scenario, own, str(portfolio.source)))
    return specs, columns


def parse_portfolio_sweep(data: Mapping[str, Any], source: str) -> PortfolioSweep:
    """Validate a parsed portfolio sweep file; every problem at once, with its key path."""
    sweep = data.get("sweep")
    if not isinstance(sweep, dict):
        raise SweepError(source, [Problem("sweep", Reason("sweep_table"))])
    problems = [
        Problem(f"sweep.{key}", Reason("unknown_key", allowed=", ".join(KEYS)))
        for key in sweep
        if key not in KEYS
    ]
    portfolio = _portfolio(sweep, source)
    design, n, seed = _settings(sweep, problems)
    raw = sweep.get("parameters")
    if not isinstance(raw, dict) or not raw:
        raise SweepError(source, [*problems, Problem("sweep.parameters", Reason("no_parameters"))])
    params, _, _ = _split(raw, portfolio, [])
    specs, columns = _parks(raw, portfolio, params, problems)
    every = [p for p in params if p is not None]
    size = _size(design, n, every, problems) if len(every) == len(params) else n
    corr, kind = _correlation(sweep.get("correlation"), every, problems)
    packages = read_packages(sweep.get("packages"), portfolio, list(raw), problems)
    if problems:
        raise SweepError(source, problems)
    table = {k: v for k, v in sweep.items() if k not in ("portfolio", "packages")}
    digest = canonical_digest(
        {
            "sweep": table,
            "parks": [k.scenario.digest for k in portfolio.parks],
            "portfolio": _text(portfolio.source),
        }
    )
    sampler = SweepSpec(
        portfolio.parks[0].scenario,
        tuple(every),
        design,
        int(size),
        int(seed),
        (RULE,),
        corr,
        kind,
        False,
        source,
        digest,
    )
    return PortfolioSweep(
        portfolio, tuple(every), tuple(specs), tuple(columns), sampler, source, digest, table,
        packages,
    )  # fmt: skip


def _park_spec(scenario: Any, params: list[Parameter], source: str) -> SweepSpec:
    return SweepSpec(
        scenario, tuple(params), "montecarlo", 1, 0, (RULE,), None, "gaussian", False, source, ""
    )


def _text(path: str) -> str:
    """The portfolio file's text (a workbook's bytes as hex): part of the digest."""
    p = Path(path)
    return p.read_bytes().hex() if p.suffix.lower() == ".xlsx" else p.read_text(encoding="utf-8")
