"""When does a party lose overall? Scenario discovery on a portfolio sweep's results
(``sim discover`` on a ``sim portfolio sweep`` folder).

The event: a party (any party, or the one asked) **loses overall** — its gain over no
agreement, summed over every park and the fund (the sweep's ``gain_vs_source.<P>``), is
below zero (to 1e-9 of its size); ``holds`` turns the question round. The boxes are
found as for a park's sweep (:func:`sim.decisions.discover.discover_xy`: PRIM, then a
shallow CART tree, each box kept only when denser than the whole sweep by five
percentage points), on the swept inputs by their portfolio key paths; a park's input is
named with the park (``Gaozhu: battery-plant: output growth``, ``川渝高竹新区：…``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sim import i18n
from sim.decisions.discover import Box, Condition, Discovery, Event, discover_xy
from sim.errors import ResultsError
from sim.i18n import Reason
from sim.portfolio.sweep_spec import PortfolioSweep

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["portfolio_discover"]

SHOCK = "common.growth_shock"


def portfolio_discover(
    sweep: PortfolioSweep,
    table: pd.DataFrame,
    party: str | None = None,
    *,
    holds: bool = False,
    boxes: int = 2,
    density: float = 0.8,
    mass_min: float = 0.05,
) -> Discovery:
    """Where a party loses overall among the sweep's scenarios (``table``: its results,
    :func:`sim.portfolio.sweep_run.read_portfolio_results`)."""
    pids = sweep.portfolio.party_ids
    if party is not None and party not in pids:
        raise ResultsError(Reason("no_such_party", got=repr(party), known=tuple(pids)))
    gains = table[[f"gain_vs_source.{p}" for p in pids]].to_numpy(dtype=float)
    defined = np.isfinite(gains).all(axis=1)
    g = gains[defined]
    npv = np.abs(table[[f"npv.{p}" for p in pids]].to_numpy(dtype=float)[defined])
    tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(g), npv))
    lose = g < -tol
    y = lose.any(axis=1) if party is None else lose[:, pids.index(party)]
    if holds:
        y = ~y
    x = table.loc[defined, list(sweep.names)].reset_index(drop=True).astype(float)
    bindings = {p.path: replace(p.binding, path=p.path) for p in sweep.parameters}
    found = discover_xy(
        x, y, bindings, Event("agreement", party, "source", holds), left_out=int((~defined).sum()),
        boxes=boxes, density=density, mass_min=mass_min,
    )  # fmt: skip
    names = {k.id: (k.name or k.id, k.name_zh or k.name or k.id) for k in sweep.portfolio.parks}

    def named(box: Box) -> Box:
        return replace(box, conditions=tuple(_named(c, names) for c in box.conditions))

    return replace(
        found, boxes=[named(b) for b in found.boxes], tree=[named(b) for b in found.tree]
    )


def _named(c: Condition, parks: dict[str, tuple[str, str]]) -> Condition:
    """A condition on a portfolio input, named with its park (or as the common input)."""
    if c.path == SHOCK:
        return replace(c, label_en=i18n.t("pd_shock", "en"), label_zh=i18n.t("pd_shock", "zh"))
    parts = c.path.split(".", 2)
    if parts[0] != "parks" or parts[1] not in parks:
        return c
    en, zh = parts[1], parks[parts[1]][1]
    return replace(
        c,
        label_en=i18n.t("pd_park_input", "en", park=en, input=c.label_en),
        label_zh=i18n.t("pd_park_input", "zh", park=zh, input=c.label_zh),
    )
