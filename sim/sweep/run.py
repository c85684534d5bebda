"""Evaluate a sweep chunk by chunk: sample, build the batch, resolve and run every agreement.

One chunk of scenarios becomes one :class:`~sim.model.Batch`; each agreement of the
sweep is resolved for the whole chunk by :func:`sim.agreement.resolve` (the same call
``sim run`` and ``sim compare`` make: fair-division targets and their shares, cost
rules, floors) and evaluated with one call of the model.

The result of a chunk is a dict of equal-length columns, one row per scenario ×
agreement: ``scenario`` (index), ``rule`` (the agreement's label), ``status`` (one of
:data:`sim.agreement.STATUS`: ok, target not reached, undefined) and ``reason`` (why,
where it is not ok), these three as :class:`~sim.sweep.columns.Coded` text; every swept
parameter by key path, and per party ``npv.<P>``, ``gain_vs_source.<P>`` and, unless
``standalone = false``, ``gain_vs_standalone.<P>``; with the statistics clause in use,
``statistics.<indicator>.<P>``. Amounts of an undefined agreement are NaN.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from sim.agreement import OK, STATUS, Context, decompose, outcome_npv, outcome_result, resolve
from sim.agreement.terms import written_terms
from sim.compare import AGREEMENT_LABEL, agreement_labels, comparison_set
from sim.errors import ConservationError
from sim.i18n import Reason
from sim.model import INDICATORS, Batch, Result, StreamTerms, Terms, Values, batch_from_scenario
from sim.scenario import Scenario, Sharing
from sim.schema import FIELDS, Binding, Field, bind
from sim.schema.keys import key as schema_key
from sim.sweep.columns import Coded, Column
from sim.sweep.designs import sample
from sim.sweep.policies import Policy, yearly_values
from sim.sweep.spec import SweepSpec

__all__ = [
    "agreement_labels",
    "agreements",
    "apply_parameters",
    "base_value",
    "evaluate_agreement",
    "evaluate_block",
    "evaluate_chunk",
]


def agreements(scenario: Scenario) -> dict[str, Sharing]:
    """The agreements a sweep can evaluate, by label: those of ``sim compare``."""
    return {s.label: s for s in comparison_set(scenario)[0]}


def _rescale(table: np.ndarray, column: int, values: np.ndarray, fixed: set[int]) -> None:
    """Set ``table[:, column]`` and rescale the non-swept columns to keep rows summing to 1."""
    table[:, column] = values
    free = [j for j in range(table.shape[1]) if j not in fixed]
    if not free:
        return
    taken = table[:, sorted(fixed)].sum(axis=1)
    base = table[:, free]
    weight = base.sum(axis=1, keepdims=True)
    even = np.full_like(base, 1.0 / len(free))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(weight > 0, base / weight, even)
    table[:, free] = share * (1.0 - taken)[:, None]


class _Lazy(dict[str, np.ndarray]):
    """Arrays of one row, repeated to ``m`` rows: as views until first written."""

    def __init__(self, base: Mapping[str, np.ndarray], m: int) -> None:
        super().__init__()
        self.base, self.m = dict(base), m

    def __missing__(self, key: str) -> np.ndarray:
        value = np.repeat(self.base[key], self.m, axis=0)  # a writable copy
        self[key] = value
        return value

    def done(self) -> dict[str, np.ndarray]:
        return {
            k: self[k] if k in self else np.broadcast_to(v, (self.m, *v.shape[1:]))
            for k, v in self.base.items()
        }


def _where(f: Field, base: Batch) -> tuple[str, str]:
    """The table of arrays a swept field is in and its array's name there, from the key
    table alone: an agreement's term (``agreement``, :attr:`Field.term`), an input of
    one of the batch's tables (``firms``, ``land``: by the key's name) or one of the
    batch's own arrays (``batch``, named by the target)."""
    if f.term:
        return "agreement", f.term
    if isinstance(getattr(base, f.target), Mapping):
        return f.target, f.pattern.rsplit(".", 1)[-1]
    return "batch", f.target


def _batch_arrays(base: Batch) -> dict[str, np.ndarray]:
    """The batch's own arrays a sweep may set (``discount_rate``, ``equity``, …)."""
    names = {_where(f, base) for f in FIELDS}
    return {name: getattr(base, name) for table, name in sorted(names) if table == "batch"}


def _term(t: Terms, f: Field) -> np.ndarray | None:
    """The array of the agreement's terms ``t`` that field ``f`` sets (``None``: none,
    such as a cap not written or a parameter of another rule)."""
    head, _, rest = f.term.partition(".")
    if f.target == "param":
        return t.params.get(head)
    if f.target == "clause":
        return t.clause(head).shares
    found = getattr(t, head)
    array: np.ndarray | None = getattr(found, rest) if rest and found is not None else found
    return array


def _with_terms(t: Terms, set_: Mapping[str, np.ndarray]) -> Terms:
    """The terms ``t`` with the arrays ``set_`` (by :attr:`Field.term`) put in."""
    by_term = {f.term: f for f in FIELDS if f.term}
    params, clauses = dict(t.params), dict(t.clauses)
    plain: dict[str, Any] = {}
    for term, array in set_.items():
        f = by_term[term]
        head, _, rest = term.partition(".")
        if f.target == "param":
            params[head] = array
        elif f.target == "clause":
            clauses[head] = StreamTerms("shares", array)
        elif rest:  # a field of a clause of its own (the review's threshold, its shares)
            inner = plain.get(head, getattr(t, head))
            if inner is not None:
                plain[head] = replace(inner, **{rest: array})
        else:
            plain[head] = array
    return replace(t, params=params, clauses=clauses, **plain)


def _agreed(own: Terms) -> dict[str, np.ndarray]:
    """Every array of the file's agreement that a sweep may set, by :attr:`Field.term`."""
    out = {}
    for f in FIELDS:
        if f.term and f.term not in out:
            found = _term(own, f)
            if found is not None:
                out[f.term] = found
    return out


class _Inputs:
    """The batch's and the agreement's arrays for ``m`` scenarios, set parameter by
    parameter: each as the key table says (:attr:`Field.sets`), in the table of arrays
    it is in (:func:`_where`)."""

    def __init__(self, base: Batch, own: Terms, m: int) -> None:
        self.base = base
        tables = {_where(f, base)[0] for f in FIELDS}
        self.tables = {
            name: _Lazy(getattr(base, name), m) for name in sorted(tables - {"batch", "agreement"})
        }
        self.tables["batch"] = _Lazy(_batch_arrays(base), m)
        self.tables["agreement"] = _Lazy(_agreed(own), m)
        self.yearly = _Lazy(base.yearly, m)
        self.swept: dict[str, set[int]] = {}

    def array(self, f: Field) -> np.ndarray:
        """The array ``(m, …)`` field ``f`` sets (a writable copy)."""
        table, name = _where(f, self.base)
        return self.tables[table][name]

    def set_all(self, spec: SweepSpec, values: np.ndarray) -> None:
        """Set every swept parameter to its column of ``values`` ``(m, d)``; the fiscal
        parameters named policies set get a year axis first."""
        for prm in spec.parameters:
            for path in sorted({k for policy in prm.policies for k in policy.sets}):
                self.by_year(_bound(path, spec.scenario).field, spec.scenario)
        order = sorted(  # a party's default first: a firm's own value swept beside it wins
            range(len(spec.parameters)),
            key=lambda j: spec.parameters[j].binding.field.sets != "default",
        )
        for j in order:
            prm = spec.parameters[j]
            if prm.policies:
                self.policy(prm.policies, values[:, j], spec.scenario)
            else:
                self.set(prm.binding, values[:, j])

    def by_year(self, f: Field, scenario: Scenario) -> None:
        """Give the fiscal parameter ``f`` a year axis (its array of
        :attr:`Batch.yearly`, the file's value in every year) where it has none: before
        any parameter is set, so that a swept number fills every year."""
        table, name = _where(f, self.base)
        if name not in self.yearly.base:
            plain = self.tables[table].base[name]
            self.yearly.base[name] = np.repeat(plain[:, :, None], scenario.n_years, axis=2)

    def policy(self, policies: tuple[Policy, ...], x: np.ndarray, scenario: Scenario) -> None:
        """Set what each scenario's named policy ``x`` (its position) sets, year by year."""
        for i, policy in enumerate(policies):
            rows = x == i
            if not rows.any():
                continue
            for path, value in policy.sets.items():
                b = _bound(path, scenario)
                values = yearly_values(value, scenario)
                name = _where(b.field, self.base)[1]
                self.yearly[name][np.ix_(rows, [b.position])] = values
                self.array(b.field)[rows, b.position] = values[0]

    def set(self, b: Binding, x: np.ndarray) -> None:
        """Set the input ``b`` names to ``x`` ``(m,)`` in every scenario, as the key table
        says: a scalar, its column, its share with the others rescaled, or the columns
        of the firms that take a party's default."""
        f = b.field
        name = _where(f, self.base)[1]
        if f.schedule and name in self.yearly.base:  # a number swept over a schedule
            self.yearly[name][:, b.position, :] = x[:, None]  # holds every year
        table = self.array(f)
        if f.sets == "share":
            fixed = self.swept.setdefault(b.group, set())
            fixed.add(b.position)
            _rescale(table, b.position, x, fixed)
        elif f.sets == "column":
            table[:, b.position] = x
        elif f.sets == "default":  # a party's default: each of its firms that takes it
            table[:, list(b.columns)] = x[:, None]
        else:
            table[:] = x


def _bound(path: str, scenario: Scenario) -> Binding:
    """The binding of a key path the sweep file's checks have bound already."""
    b = bind(path, scenario)
    assert not isinstance(b, str)  # checked with the sweep file
    return b


def base_value(b: Binding, scenario: Scenario) -> float:
    """The value of the input ``b`` in ``scenario``, where a sweep of it starts from: its
    number (or column) of the batch or the agreement's terms as the file writes them."""
    if b.field.sets == "default":  # a party's default for its firms, as it writes it
        name = b.field.pattern.rsplit(".", 1)[-1]
        written = scenario.parties[b.position].inputs.get(name)
        return float(written if written is not None else schema_key(b.field.pattern).value or 0)
    inputs = _Inputs(batch_from_scenario(scenario), written_terms(scenario, scenario.sharing), 1)
    array = inputs.array(b.field)
    return float(array[0] if array.ndim == 1 else array[0, b.position])


def apply_parameters(
    spec: SweepSpec, values: np.ndarray, labels: tuple[str, ...] | None = None
) -> tuple[Batch, dict[str, Terms]]:
    """The batch and the terms as written of the agreements ``labels`` (default: the
    sweep's) for ``values`` ``(m, d)``.

    ``sharing.*`` parameters set the file's own agreement; every other row but
    ``source`` follows the agreement's compliance, floors, cap, clauses and review where
    it took them from the agreement (:func:`sim.inheritance.inherit`: ``equity`` and the
    fair-division rules, and each ``[[compare]]`` table that does not write them), and
    keeps what it wrote itself; ``source`` has none.
    """
    sc = spec.scenario
    m = values.shape[0]
    base = batch_from_scenario(sc)
    own = written_terms(sc, sc.sharing)
    inputs = _Inputs(base, own, m)
    inputs.set_all(spec, values)
    tables: dict[str, Any] = {name: table.done() for name, table in inputs.tables.items()}
    agreed: dict[str, np.ndarray] = tables.pop("agreement")
    batch = replace(base, **tables.pop("batch"), **tables, yearly=inputs.yearly.done())
    by_term = {f.term: f for f in FIELDS if f.term}
    terms: dict[str, Terms] = {}
    wanted = spec.rules if labels is None else labels
    for label, sharing in agreements(sc).items():
        if label not in wanted:
            continue
        t = written_terms(sc, sharing)
        if sharing.rule == "source":
            terms[label] = t
        elif label == AGREEMENT_LABEL:
            terms[label] = _with_terms(t, agreed)
        else:  # every other row follows the terms it took from the agreement, not its rule
            taken = {
                term: array
                for term, array in agreed.items()
                if by_term[term].target != "param" and term.split(".")[0] in sharing.inherited
            }
            terms[label] = _with_terms(t, taken)
    return batch, terms


def evaluate_agreement(
    spec: SweepSpec, values: np.ndarray, label: str = AGREEMENT_LABEL, *, streams: bool = False
) -> tuple[np.ndarray, Result | None]:
    """``(m, P)`` NPV under one agreement for parameter values ``(m, d)`` (NaN where it is
    undefined), resolved exactly as in the sweep; with ``streams``, also every stream.

    What ``sim sensitivity`` and the report's figures of a sweep evaluate.
    """
    sc = spec.scenario
    batch, terms = apply_parameters(spec, values, (label,))
    outcome = resolve(sc, agreements(sc)[label], batch, terms[label])
    npv = outcome_npv(batch, outcome).npv
    return npv, outcome_result(batch, outcome, statistics=False) if streams else None


OUTPUTS = ("npv", "gain_vs_source", "gain_vs_standalone")
"""What :func:`evaluate_outputs` gives per party: NPV, and the gain over no agreement and
over standing alone (as in the sweep's columns)."""


def evaluate_outputs(
    spec: SweepSpec, values: np.ndarray, label: str = AGREEMENT_LABEL
) -> dict[str, np.ndarray]:
    """Each output of :data:`OUTPUTS` ``(m, P)`` under one agreement for parameter values
    ``(m, d)``, resolved as in the sweep (``gain_vs_standalone`` only when the sweep
    computes standalone values); NaN where the agreement is undefined."""
    sc = spec.scenario
    batch, terms = apply_parameters(spec, values, (label,))
    ctx = Context(sc, batch)
    outcome = resolve(sc, agreements(sc)[label], batch, terms[label], context=ctx)
    found = outcome_npv(batch, outcome)
    out = {"npv": found.npv, "gain_vs_source": found.npv - found.source}
    if spec.standalone:
        out["gain_vs_standalone"] = found.npv - ctx.standalone
    return out


def _statistics_wanted(spec: SweepSpec) -> bool:
    """Statistics columns when some evaluated agreement splits the statistics."""
    by_label = agreements(spec.scenario)
    return any(by_label[r].clause("statistics").rule != "source" for r in spec.rules)


BLOCK_SECONDS = 0.25
"""How long each block of a chunk should take: the progress bar moves several times a
second whatever the sweep's speed (blocks of 1,024 to 8,192 scenarios also run faster
than one of 65,536, whose temporaries outgrow the caches)."""
BLOCK_SIZES = (64, 1024, 8192)
"""Smallest, first and largest block, in scenarios."""


def evaluate_chunk(
    spec: SweepSpec, start: int, stop: int, progress: Callable[[int], None] | None = None
) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1`` (one row per scenario × rule,
    rule by rule).

    The chunk is evaluated in blocks sized to take about :data:`BLOCK_SECONDS` each,
    and ``progress(k)`` is called after each block of ``k`` scenarios. The numbers do
    not depend on the blocks (a scenario's values depend on its index and the seed
    alone), nor does the order of the rows.
    """
    smallest, size, largest = BLOCK_SIZES
    blocks = []
    at = start
    while at < stop:
        end = min(at + size, stop)
        began = time.perf_counter()
        blocks.append(evaluate_block(spec, at, end))
        elapsed = time.perf_counter() - began
        if progress is not None:
            progress(end - at)
        target = size * BLOCK_SECONDS / max(elapsed, 1e-6)
        size = int(min(largest, max(smallest, 2 ** round(math.log2(max(target, 1.0))))))
        at = end
    if len(blocks) == 1:
        return blocks[0]
    return {name: _join_blocks([b[name] for b in blocks], len(spec.rules)) for name in blocks[0]}


def _join_blocks(parts: list[Column], rules: int) -> Column:
    """One column of a chunk from its blocks' (each ``rules`` runs of its scenarios):
    rule by rule, each rule's rows in scenario order."""
    if isinstance(parts[0], Coded):
        whole = Coded.concat([p for p in parts if isinstance(p, Coded)])  # one set of labels
        cuts = np.cumsum([len(p.codes) for p in parts if isinstance(p, Coded)])[:-1]
        codes = np.split(whole.codes, cuts)
        joined = np.concatenate([c.reshape(rules, -1) for c in codes], axis=1).ravel()
        return Coded(joined, whole.labels)
    arrays = [p for p in parts if isinstance(p, np.ndarray)]
    return np.concatenate([a.reshape(rules, -1) for a in arrays], axis=1).ravel()


def evaluate_block(spec: SweepSpec, start: int, stop: int) -> dict[str, Column]:
    """The result columns of scenarios ``start … stop − 1``, evaluated as one batch."""
    sc = spec.scenario
    values = sample(spec, start, stop)
    batch, terms = apply_parameters(spec, values)
    by_label = agreements(sc)
    ctx = Context(sc, batch)
    statistics = _statistics_wanted(spec)
    outcomes, results = {}, {}
    for label in spec.rules:
        try:
            outcomes[label] = resolve(sc, by_label[label], batch, terms[label], context=ctx)
            results[label] = outcome_npv(batch, outcomes[label], statistics=statistics)
        except ConservationError as exc:
            raise _on_rows(exc, label, start) from exc
    first = next(iter(results.values()))
    # the position with no agreement: exactly the source row where there is one
    source_npv = results["source"].npv if "source" in results else first.source
    standalone = ctx.standalone if spec.standalone else None
    parts = (
        decompose(batch, outcomes[AGREEMENT_LABEL], spec.explain).parts if spec.explain else None
    )
    columns: dict[str, list[Column]] = {}
    for label, result in results.items():
        out = outcomes[label]
        rows = _rows_of(spec, label, out.status, out.reasons, values, start, stop)
        rows.update(_amounts(sc.party_ids, result, source_npv, standalone))
        if parts is not None:  # the agreement's gain by feature; NaN on other agreements' rows
            mine = parts if label == AGREEMENT_LABEL else np.full_like(parts, np.nan)
            for k, feature in enumerate(spec.explain):
                for i, p in enumerate(sc.party_ids):
                    rows[f"decomposition.{feature}.{p}"] = mine[:, k, i]
        for name, col in rows.items():
            columns.setdefault(name, []).append(col)
    return {k: _concat(c) for k, c in columns.items()}


def _on_rows(exc: ConservationError, label: str, start: int) -> ConservationError:
    """``exc`` naming the agreement and the sweep's row (the block's scenario ``s`` is row
    ``start + s``)."""
    why = exc.args[0] if exc.args else str(exc)
    if isinstance(why, Reason) and "s" in why.params:
        why = why.but(s=start + int(why.params["s"]))
    return ConservationError(Reason("sweep_not_conserved", label=repr(label), why=why))


def _concat(parts: list[Column]) -> Column:
    """One column from each agreement's rows (itself, not a copy, for one agreement)."""
    if len(parts) == 1:
        return parts[0]
    if isinstance(parts[0], Coded):
        return Coded.concat([p for p in parts if isinstance(p, Coded)])
    return np.concatenate([p for p in parts if isinstance(p, np.ndarray)])


def _rows_of(
    spec: SweepSpec,
    label: str,
    status: np.ndarray,
    reasons: tuple[str, ...],
    values: np.ndarray,
    start: int,
    stop: int,
) -> dict[str, Column]:
    """The columns that say which scenario, agreement and parameters a row is."""
    m = stop - start
    out: dict[str, Column] = {
        "scenario": np.arange(start, stop, dtype=np.int64),
        "rule": Coded(np.full(m, spec.rules.index(label), dtype=np.int32), spec.rules),
        "status": Coded(status.astype(np.int32), STATUS),
        "reason": _reasons(status, reasons),
    }
    for j, name in enumerate(spec.names):
        out[name] = values[:, j]
    return out


def _reasons(status: np.ndarray, reasons: tuple[str, ...]) -> Coded:
    """The reasons as codes: empty where the status is ok, looked at only where it is not."""
    codes = np.zeros(len(status), dtype=np.int32)
    labels = {"": 0}
    for r in np.flatnonzero(status != OK):
        codes[r] = labels.setdefault(reasons[r], len(labels))
    return Coded(codes, tuple(labels))


def _amounts(
    pids: tuple[str, ...], result: Values, source_npv: np.ndarray, standalone: np.ndarray | None
) -> dict[str, np.ndarray]:
    """Per party: NPV, gains over no agreement and over standing alone, statistics."""
    out = {f"npv.{p}": result.npv[:, i] for i, p in enumerate(pids)}
    out.update(
        {f"gain_vs_source.{p}": result.npv[:, i] - source_npv[:, i] for i, p in enumerate(pids)}
    )
    if standalone is not None:
        out.update(
            {
                f"gain_vs_standalone.{p}": result.npv[:, i] - standalone[:, i]
                for i, p in enumerate(pids)
            }
        )
    if result.statistics is not None:
        for k, indicator in enumerate(INDICATORS):
            for i, p in enumerate(pids):
                out[f"statistics.{indicator}.{p}"] = result.statistics[:, k, i]
    return out
