"""When does an agreement break? Scenario discovery on a sweep's results (``sim discover``).

An *event* is a yes/no question about every scenario of a sweep: "is Linshui worse off
under the agreement than with no agreement?", "does some party do worse than standing
alone?". Scenario discovery finds the few boxes in the swept parameters' space where the
event concentrates (Bryant & Lempert 2010):

- **PRIM** (Friedman & Fisher 1999), from EMA Workbench (Kwakkel 2017): the box is
  peeled, a few percent of the scenarios at a time, from the side that raises the
  event's density most, then pasted back where that helps. Each step of this *peeling
  trajectory* trades **coverage** (the share of all the events that fall inside the box)
  for **density** (the share of the box's scenarios that are events). The box reported
  is the one with the greatest coverage among those at least as dense as asked, with
  at most a few conditions; further boxes are found on the scenarios left outside.
- **CART** (Breiman et al. 1984), from scikit-learn, as a second view: a shallow
  classification tree whose leaves where the event is the majority are boxes too.

Each box is a conjunction of conditions on the swept inputs, written from the field
table (:mod:`sim.schema`) in English and Chinese: "battery-plant: output growth
< 3.1%/yr and share of agreed transfers settled < 62%".

Why EMA Workbench: it is the maintained reference implementation of PRIM for scenario
discovery (TU Delft, BSD-3), with the peeling and pasting of Friedman & Fisher, the
quasi-p-value of each limit (Bryant & Lempert 2010) and discrete inputs handled. It is
an optional dependency (``pip install 'sim[decisions]'``).

References
----------
Friedman, J. H. & Fisher, N. I. (1999). Bump hunting in high-dimensional data.
*Statistics and Computing* 9(2): 123–143.
Bryant, B. P. & Lempert, R. J. (2010). Thinking inside the box: a participatory,
computer-assisted approach to scenario discovery. *Technological Forecasting and Social
Change* 77(1): 34–49.
Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. *Environmental Modelling &
Software* 96: 239–250.
Breiman, L., Friedman, J., Olshen, R. & Stone, C. (1984). *Classification and Regression
Trees*. Wadsworth.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim import i18n
from sim.errors import ResultsError
from sim.i18n import Reason
from sim.schema import Binding, input_value, value_text
from sim.style import Note

if TYPE_CHECKING:
    import pandas as pd

    from sim.scenario import Scenario
    from sim.sweep.spec import SweepSpec

__all__ = ["Box", "Condition", "Discovery", "Event", "discover", "discover_xy", "find_boxes"]

EventBasis = Literal["standalone", "source"]
MAX_CONDITIONS = 3
"""Most conditions a reported box may have (more would not be read)."""


class MissingExtraError(ResultsError):
    """Scenario discovery needs the optional dependencies ``sim[decisions]``."""


def _prim() -> Any:
    """EMA Workbench's PRIM module (its import warns about optional engines: silenced)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        raise MissingExtraError(
            "scenario discovery needs EMA Workbench and scikit-learn: pip install 'sim[decisions]'"
        ) from None
    return prim


@dataclass(frozen=True)
class Event:
    """Which scenarios are of interest: ``party`` (any party when ``None``) does worse
    under agreement ``rule`` than on ``basis`` (standing alone, or no agreement)."""

    rule: str = "agreement"
    party: str | None = None
    basis: EventBasis = "standalone"
    holds: bool = False
    """Turn the question round: the scenarios where it does *not* happen (where the
    agreement holds for the party, or for every party)."""

    @property
    def column(self) -> str:
        """The sweep table's gain column the event reads (``gain_vs_…``)."""
        return "gain_vs_standalone" if self.basis == "standalone" else "gain_vs_source"

    def describe(self, scenario: Scenario, lang: str = "en") -> str:
        """The event in words, e.g. "Yubei (Chongqing) worse off than with no agreement"."""
        names = {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}
        en_rule = "the agreement" if self.rule == "agreement" else repr(self.rule)
        rule = i18n.pick(lang, en_rule, i18n.name(self.rule, "zh"))
        than = i18n.t(f"than_{self.basis}", lang)
        everyone = i18n.t("every_party" if self.holds else "some_party", lang)
        who = names[self.party] if self.party else everyone
        return i18n.t(
            "event_holds" if self.holds else "event_fails", lang, who=who, rule=rule, than=than
        )


@dataclass(frozen=True)
class Condition:
    """One limit of a box on one swept input: ``lower ≤ x`` and/or ``x ≤ upper``."""

    path: str
    label_en: str
    label_zh: str
    unit: str
    integer: bool
    lower: float | None
    upper: float | None
    qp: float | None = None
    """The quasi-p-value of the limit (the larger of the two when both are set): the
    chance that a box without it would be as dense (Bryant & Lempert 2010)."""

    def limits(self) -> tuple[float | None, float | None]:
        """The limits as the text and files state them: of a whole-numbered input (a
        year), the least and greatest whole numbers inside (``x ≤ 2026`` for PRIM's
        ``x < 2026.5``); of any other input, PRIM's or CART's limits as found."""
        lo, hi = self.lower, self.upper
        if not self.integer:
            return lo, hi
        return (
            None if lo is None else math.ceil(lo - 1e-9),
            None if hi is None else math.floor(hi + 1e-9),
        )

    def text(self, lang: str = "en", amount_unit: str = "") -> str:
        """The condition in words: ``battery-plant: output growth < 3.1%/yr``."""
        name = i18n.pick(lang, self.label_en, self.label_zh)
        lo, hi = self.limits()
        if self.integer and lo is not None and hi is not None and lo == hi:  # one year
            return f"{name} = {value_text(lo, self.unit, lang, amount_unit)}"

        def v(x: float) -> str:
            return value_text(x, self.unit, lang, amount_unit)

        ge, le = ("≥", "≤") if self.integer else (">", "<")
        if lo is not None and hi is not None:
            return f"{v(lo)} ≤ {name} ≤ {v(hi)}"
        if lo is not None:
            return f"{name} {ge} {v(lo)}"
        assert hi is not None
        return f"{name} {le} {v(hi)}"


@dataclass(frozen=True)
class Box:
    """A region of the inputs' space where the event concentrates."""

    method: Literal["prim", "cart"]
    conditions: tuple[Condition, ...]
    coverage: float
    """Share of all the scenarios with the event that fall inside the box."""
    density: float
    """Share of the box's scenarios that have the event."""
    mass: float
    """Share of all scenarios inside the box."""
    scenarios: int
    events: int
    step: int | None = None
    """PRIM: the chosen step of the peeling trajectory."""

    def text(self, lang: str = "en", amount_unit: str = "") -> str:
        """The box as one sentence of conditions."""
        joined = i18n.t("and_join", lang)
        return joined.join(c.text(lang, amount_unit) for c in self.conditions) or i18n.t(
            "everywhere", lang
        )


@dataclass(frozen=True)
class Discovery:
    """The boxes found for an event over a sweep's scenarios."""

    event: Event
    scenarios: int
    events: int
    boxes: list[Box]
    trajectories: list[pd.DataFrame]
    """PRIM's peeling trajectory for each box: coverage, density, mass, res_dim."""
    tree: list[Box]
    ranges: dict[str, tuple[float, float]]
    """Each input's least and greatest value over the scenarios."""
    density_target: float
    left_out: int = 0
    """Scenarios where the agreement is undefined (no event either way)."""
    notes: list[Note] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Share of the scenarios with the event."""
        return self.events / self.scenarios if self.scenarios else float("nan")

    def lift(self, box: Box) -> float:
        """How much likelier the event is inside ``box`` than over all the scenarios: its
        density ÷ :attr:`rate` (1: no better than the whole sweep; NaN without events)."""
        return box.density / self.rate if self.rate > 0 else float("nan")


def _conditions(
    lims: pd.DataFrame,
    init: pd.DataFrame,
    qp: dict[str, list[float]],
    bindings: dict[str, Binding],
) -> tuple[Condition, ...]:
    out = []
    for path in lims.columns:
        lo, hi = (float(v) for v in lims[path].to_numpy()[:2])
        lo0, hi0 = (float(v) for v in init[path].to_numpy()[:2])
        lower = lo if lo > lo0 else None
        upper = hi if hi < hi0 else None
        if lower is None and upper is None:
            continue
        q = [x for x in qp.get(path, []) if x is not None and x >= 0]
        out.append(_condition(bindings[path], lower, upper, max(q) if q else None))
    return tuple(out)


def _condition(
    b: Binding, lower: float | None, upper: float | None, qp: float | None = None
) -> Condition:
    """A condition on the input ``b`` binds, named and measured from the field table."""
    return Condition(
        b.path, b.label_en, b.label_zh, b.field.unit, b.field.integer, lower, upper, qp
    )


def _choose(trajectory: pd.DataFrame, density: float, most: int) -> int:
    """The step with the greatest coverage among those at least ``density`` dense with one
    to ``most`` conditions; if none is that dense, the densest of them (-1: no such step)."""
    res_dim = trajectory["res_dim"].to_numpy()
    dens = trajectory["density"].to_numpy()
    cover = trajectory["coverage"].to_numpy()
    few = (res_dim <= most) & (res_dim >= 1)
    if not few.any():
        return -1
    dense = few & (dens >= density - 1e-12)
    if dense.any():
        return int(np.argmax(np.where(dense, cover, -np.inf)))
    return int(np.argmax(np.where(few, dens, -np.inf)))


def _peel_boxes(
    prim: Any,
    x: pd.DataFrame,
    y: np.ndarray,
    bindings: dict[str, Binding],
    boxes: int,
    density: float,
    peel_alpha: float,
    mass_min: float,
    most: int,
    found: list[Box],
    trajectories: list[pd.DataFrame],
    notes: list[Note],
) -> None:
    """Run PRIM, appending each box kept, its trajectory and any note."""
    # binary y: the threshold only decides whether PRIM keeps its last box (its density
    # must reach it), so a box is kept when it is denser than the whole sweep
    engine = prim.Prim(
        x,
        y,
        threshold=min(1.0, float(y.mean()) * (1 + 1e-9)),
        peel_alpha=peel_alpha,
        paste_alpha=peel_alpha,
        mass_min=mass_min,
    )
    total = int(y.sum())
    for _ in range(boxes):
        box = engine.find_box()
        if box is None or int(box.peeling_trajectory["res_dim"].max()) == 0:
            if not found:
                notes.append(Note("no_box", {"mass": mass_min}))
            break
        trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]]
        k = _choose(trajectory, density, most)
        if k < 0:
            notes.append(Note("too_many", {"box": len(found) + 1, "most": most}))
            break
        box.select(k)
        row = trajectory.iloc[k]
        if found and row["density"] < density:
            notes.append(Note("further_box", {"density": row["density"], "most": most}))
            break
        if row["density"] < density:
            notes.append(Note("densest", {"box": len(found) + 1, "most": most, "density": density}))
        found.append(
            Box(
                "prim",
                _conditions(box.box_lims[k], engine.box_init, box.qp[k], bindings),
                float(row["k"]) / total,
                float(row["density"]),
                float(row["n"]) / len(y),
                int(row["n"]),
                int(row["k"]),
                k,
            )
        )
        trajectories.append(trajectory.astype(float).reset_index(drop=True))


def find_boxes(
    x: pd.DataFrame,
    y: np.ndarray,
    bindings: dict[str, Binding],
    *,
    boxes: int = 2,
    density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    most: int = MAX_CONDITIONS,
) -> tuple[list[Box], list[pd.DataFrame], list[Note]]:
    """PRIM boxes of the event ``y`` (booleans) over the inputs ``x``.

    A box is kept only when the event is more frequent inside it than in the whole
    sweep; up to ``boxes`` are found, each on the scenarios outside the boxes before it.
    """
    prim = _prim()
    y = np.asarray(y, dtype=float)
    notes: list[Note] = []
    found: list[Box] = []
    trajectories: list[pd.DataFrame] = []
    if y.sum() == 0:
        return [], [], [Note("never")]
    # EMA Workbench warns of pandas deprecations it has yet to follow: not the user's concern
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _peel_boxes(prim, x, y, bindings, boxes, density, peel_alpha, mass_min, most,
                    found, trajectories, notes)  # fmt: skip
    return found, trajectories, notes


def tree_boxes(
    x: pd.DataFrame,
    y: np.ndarray,
    bindings: dict[str, Binding],
    *,
    depth: int = 3,
    mass_min: float = 0.05,
    leaves: int = 3,
) -> list[Box]:
    """The ``leaves`` largest leaves (by coverage) of a shallow CART tree where the event
    is the majority, as boxes."""
    from sklearn.tree import DecisionTreeClassifier

    n = len(y)
    clf = DecisionTreeClassifier(
        max_depth=depth, min_samples_leaf=max(1, int(mass_min * n)), random_state=0
    )
    clf.fit(x.to_numpy(dtype=float), y.astype(int))
    t = clf.tree_
    leaf = clf.apply(x.to_numpy(dtype=float))
    total = int(y.sum())
    out: list[Box] = []

    def walk(node: int, limits: dict[str, list[float | None]]) -> None:
        if t.children_left[node] == -1:  # a leaf
            inside = leaf == node
            k, m = int(y[inside].sum()), int(inside.sum())
            if m and k / m > 0.5:
                conditions = tuple(
                    _condition(bindings[path], lo, hi) for path, (lo, hi) in limits.items()
                )
                out.append(Box("cart", conditions, k / total, k / m, m / n, m, k))
            return
        path = x.columns[t.feature[node]]
        cut = float(t.threshold[node])
        lo, hi = limits.get(path, [None, None])
        left = {**limits, path: [lo, cut if hi is None else min(hi, cut)]}
        right = {**limits, path: [cut if lo is None else max(lo, cut), hi]}
        walk(int(t.children_left[node]), left)
        walk(int(t.children_right[node]), right)

    walk(0, {})
    return sorted(out, key=lambda b: -b.coverage)[:leaves]


def _check(spec: SweepSpec, event: Event) -> None:
    """The event asks about an agreement, a party and a basis the sweep has."""
    parties = spec.scenario.party_ids
    if event.rule not in spec.rules:
        known = ", ".join(spec.rules)
        raise ResultsError(Reason("no_such_rule", got=repr(event.rule), known=known))
    if event.party is not None and event.party not in parties:
        known = ", ".join(parties)
        raise ResultsError(Reason("no_such_party", got=repr(event.party), known=known))
    if event.basis == "standalone" and not spec.standalone:
        raise ResultsError(Reason("no_standalone"))


MIN_EXCESS = 0.05
"""A box is a finding only if its density exceeds the event's share of all the scenarios by
at least this much (5 percentage points): a box with 96.3% of events where the sweep has
95.4% says nothing about when the event happens."""


def share_text(x: float) -> str:
    """The share ``x`` as a percentage, to one decimal as the event's share is told, or
    more (at most four) where one would round a share short of all up to 100% or a share
    above none down to 0%.

    Examples
    --------
    >>> share_text(0.999), share_text(0.75), share_text(0.99996), share_text(0.0004)
    ('99.9%', '75.0%', '99.996%', '0.04%')
    """
    for digits in range(1, 5):
        text = f"{x:.{digits}%}"
        shown = float(text[:-1])
        if not ((x < 1 and shown >= 100) or (x > 0 and shown == 0)):
            break
    return text


def _findings(
    found: list[Box], trajectories: list[pd.DataFrame], tree: list[Box], rate: float,
    notes: list[Note],
) -> tuple[list[Box], list[pd.DataFrame], list[Box]]:  # fmt: skip
    """The boxes denser than the whole sweep by :data:`MIN_EXCESS`; a note for each other."""

    def weak(box: Box) -> bool:
        if box.density - rate >= MIN_EXCESS:
            return False
        notes.append(Note("weak_box", {"method": box.method.upper(), "density": box.density,
                                       "rate": rate, "points": MIN_EXCESS * 100}))  # fmt: skip
        return True

    kept = [i for i, box in enumerate(found) if not weak(box)]
    return (
        [found[i] for i in kept],
        [trajectories[i] for i in kept],
        [b for b in tree if not weak(b)],
    )


def discover(
    spec: SweepSpec,
    table: pd.DataFrame,
    event: Event,
    *,
    boxes: int = 2,
    density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """Where ``event`` concentrates among the sweep's scenarios (see the module docstring).

    ``table`` is the sweep's results (:func:`sim.sweep.execute.read_results`).
    """
    sc = spec.scenario
    _check(spec, event)
    rows = table[table["rule"] == event.rule]
    gains = rows[[f"{event.column}.{p}" for p in sc.party_ids]].to_numpy(dtype=float)
    defined = np.isfinite(gains).all(axis=1)
    columns = list(spec.names)
    x = rows.loc[defined, columns].reset_index(drop=True).astype(float)
    g = gains[defined]
    tol = 1e-9 * np.maximum(1.0, np.abs(g).max(axis=1))
    if event.party is None:
        y = (g < -tol[:, None]).any(axis=1)
    else:
        y = g[:, sc.party_ids.index(event.party)] < -tol
    if event.holds:
        y = ~y
    bindings = {p.path: p.binding for p in spec.parameters}
    return discover_xy(
        x, y, bindings, event, left_out=int((~defined).sum()), boxes=boxes, density=density,
        peel_alpha=peel_alpha, mass_min=mass_min,
    )  # fmt: skip


def discover_xy(
    x: pd.DataFrame,
    y: np.ndarray,
    bindings: dict[str, Binding],
    event: Event,
    *,
    left_out: int = 0,
    boxes: int = 2,
    density: float = 0.8,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """Where the event ``y`` (booleans, one per row of the inputs ``x``, each column a
    swept input's key path bound by ``bindings``) concentrates: PRIM's boxes and CART's,
    each kept only when denser than the whole sweep by :data:`MIN_EXCESS`."""
    columns = list(x.columns)
    varying = [c for c in columns if x[c].nunique() > 1]
    notes: list[Note] = []
    fixed = sorted(set(columns) - set(varying))
    if fixed:
        notes.append(Note("never_varies", {"inputs": ", ".join(fixed)}))
    x = x[varying]
    found, trajectories, more = (
        find_boxes(
            x, y, bindings, boxes=boxes, density=density, peel_alpha=peel_alpha, mass_min=mass_min
        )
        if varying and 0 < y.sum() < len(y)
        else ([], [], [])
    )
    notes += more
    if y.sum() == len(y):
        notes.append(Note("always"))
    elif y.mean() > 0.5:  # the hint turns the question round, whichever way it was asked
        rate = share_text(float(y.mean()))
        notes.append(Note("mostly_held" if event.holds else "mostly", {"rate": rate}))
    elif y.sum() == 0:
        notes.append(Note("never"))
    tree = tree_boxes(x, y, bindings, mass_min=mass_min) if varying and 0 < y.sum() < len(y) else []
    found, trajectories, tree = _findings(found, trajectories, tree, float(y.mean()), notes)
    ranges = {  # a swept year whole, as every output shows it
        c: (input_value(float(x[c].min()), c), input_value(float(x[c].max()), c)) for c in varying
    }
    return Discovery(
        event,
        len(y),
        int(y.sum()),
        found,
        trajectories,
        tree,
        ranges,
        density,
        left_out=left_out,
        notes=notes,
    )
