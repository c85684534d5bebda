"""The fiscal model: scenario arrays → streams per party and year, for a batch at once.

Everything here is pure numpy arithmetic over a leading *scenario* axis, so one call
evaluates one scenario or a million variants of it. Shapes use ``S`` scenarios,
``F`` firms, ``L`` land sales, ``P`` parties and ``T`` years.

The arithmetic is the manual's (docs/money.md, docs/rules.md); :mod:`sim._reference`
restates it as a plain per-scenario loop, used to test this module and as the
benchmark baseline.

Data flows one way: a :class:`Batch` (the economy) and :class:`Terms` (an agreement)
go into :func:`evaluate`, which returns a :class:`Result` after checking that every
stream in every year is conserved.

Its modules, each importing only those above it in this list (the import contract in
pyproject.toml checks it):

- :mod:`sim.model.batch`: the inputs as arrays (:class:`Batch`, :class:`Structure`);
- :mod:`sim.model.terms`: an agreement as the model sees it (:class:`Terms`);
- :mod:`sim.model.sources`: money at source: output, taxes collected, land, the joint
  company, discount factors, present values with no agreement;
- :mod:`sim.model.result`: what comes out (:class:`Result`, :class:`Values`);
- :mod:`sim.model.checks`: conservation of every stream in every year;
- :mod:`sim.model.tax`: the tax clause: pool, division, compliance, cap, floors, review;
- :mod:`sim.model.clauses`: the land, company and statistics clauses;
- :mod:`sim.model.shared`: what a large batch's scenarios share, computed once;
- :mod:`sim.model.chunk`: the stream route, every stream of every year of a chunk;
- :mod:`sim.model.linear`: the linear route, present values first;
- :mod:`sim.model.evaluation`: :func:`evaluate` and :func:`evaluate_npv`;
- :mod:`sim.model.parts`: the joint company's streams and retained tax at source,
  without every stream (what a portfolio's fund needs of a park).

Every name other modules take from the model is importable from ``sim.model`` itself
(``_streams_npv``, ``_linear_rows`` and ``_pick`` too, for the tests that hold one
route against the other).
"""

from __future__ import annotations

from sim.model.batch import CHUNK_SIZE, FIRM_FIELDS, Batch, Structure, batch_from_scenario
from sim.model.checks import RTOL, check_conservation
from sim.model.chunk import _streams_npv as _streams_npv
from sim.model.evaluation import _pick as _pick
from sim.model.evaluation import evaluate, evaluate_npv
from sim.model.linear import _linear_rows as _linear_rows
from sim.model.parts import CompanyParts, company_parts, retained_at_source
from sim.model.result import INDICATORS, STREAMS, Result, Values
from sim.model.shared import SHARED_FROM
from sim.model.sources import PresentValues, collect, discount_factors, present_values
from sim.model.tax import apply_cap, apply_floors, review_switch, tax_pool
from sim.model.terms import ReviewTerms, StreamTerms, Terms, default_clause

__all__ = [
    "CHUNK_SIZE",
    "FIRM_FIELDS",
    "INDICATORS",
    "RTOL",
    "SHARED_FROM",
    "STREAMS",
    "Batch",
    "CompanyParts",
    "PresentValues",
    "Result",
    "ReviewTerms",
    "StreamTerms",
    "Structure",
    "Terms",
    "Values",
    "apply_cap",
    "apply_floors",
    "batch_from_scenario",
    "check_conservation",
    "collect",
    "company_parts",
    "default_clause",
    "discount_factors",
    "evaluate",
    "evaluate_npv",
    "present_values",
    "retained_at_source",
    "review_switch",
    "tax_pool",
]
