"""The package deal's second linear programme: the per-park pool ratios closest to the
drafted ones that make every party accept the package (its NPV over every park and the
fund at least what it would net standing alone in every park).

With constant pool shares and no floors, cap or review, a park's NPV for each of its
parties is affine in the park's shares (:func:`sim.agreement.shares.share_map`:
``NPV_i(s) = base_i + K s_i``), and the fund does not move with them (it takes its
stake's part of the joint company, and its contributions follow tax at source). So the
package's NPV of a portfolio party ``q`` is its drafted NPV plus, over the adjustable
parks, ``Σ K_k (s_{k,i} − d_{k,i})`` for the park's parties ``i`` that belong to ``q``
(discounted to the portfolio's first year). Minimise ``Σ |s − d|`` (each ``|·|`` an
auxiliary variable) subject to every party's gain over standing alone ≥ 0, each park's
shares in [0, 1] summing to 1 — solved by HiGHS (``scipy.optimize.linprog``).

A park whose NPV is not affine in its shares — floors, a cap or a review clause, or a
rule other than fixed shares — is held as drafted, and the result says why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from sim import i18n
from sim.agreement.shares import share_map
from sim.model import RTOL, evaluate_npv
from sim.portfolio.consolidate import Consolidated
from sim.portfolio.package import Package

__all__ = [
    "Ratios",
    "package_ratios",
    "park_npv_at",
    "ratios_document",
    "ratios_lines",
    "ratios_table",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Ratios:
    """The per-park pool ratios closest to the drafted ones that every party accepts."""

    drafted: dict[str, Array]
    """Each adjustable park → its drafted shares (its own parties' order)."""
    held: dict[str, str]
    """Each park held as drafted → why (``floors``, ``cap``, ``review`` or ``rule``)."""
    shares: dict[str, Array] | None
    """Each adjustable park → the shares found (``None``: no ratios can make every
    party accept, or no park can be adjusted)."""
    deviation: float
    """``Σ |s − d|`` over the adjustable parks and their parties."""
    npv: Array | None
    """``(P,)`` each party's NPV in the package with the shares found."""

    @property
    def changed(self) -> bool:
        """Whether the ratios found differ from the drafted ones."""
        return self.deviation > 1e-9


def _why_held(terms: object) -> str:
    rule = getattr(terms, "rule", "")
    if rule != "fixed":
        return "rule"
    if np.any(np.asarray(getattr(terms, "floors")) != 0):  # noqa: B009
        return "floors"
    if getattr(terms, "cap") is not None:  # noqa: B009
        return "cap"
    if getattr(terms, "review") is not None:  # noqa: B009
        return "review"
    return ""


def park_npv_at(c: Consolidated, k: int, shares: Array) -> Array:
    """``(n_k,)`` the model's NPV of park ``k``'s parties with pool shares ``shares``
    (the park alone, to its own first year): the real model, for checking."""
    run = c.runs[k]
    terms = replace(run.outcome.terms, params={"shares": np.asarray(shares, float)[None, :]})
    return np.asarray(evaluate_npv(run.batch, terms)[0][0])


def _adjustable(
    c: Consolidated,
) -> tuple[dict[str, Array], dict[str, str], list[tuple[int, Array, float]]]:
    """The parks whose NPV is affine in their shares: their drafted shares and slopes
    (to the portfolio's first year); the others held, with why."""
    rate = c.portfolio.discount_rate
    drafted: dict[str, Array] = {}
    held: dict[str, str] = {}
    parts = []  # (park index, drafted shares, slope to the portfolio's first year)
    for k, run in enumerate(c.runs):
        terms = run.outcome.terms
        why = _why_held(terms)
        if not why:
            d = np.asarray(terms.params["shares"], dtype=float).reshape(-1, len(run.owner))[0]
            smap = share_map(run.batch, terms)
            affine = smap.npv(d[None, :])[0]
            real = run.result.npv[0]
            if np.abs(affine - real).max() > RTOL * max(1.0, float(np.abs(real).max())) * 10:
                why = "rule"  # the NPV does not follow the shares affinely (capex follows)
        if why:
            held[run.park.id] = why
            continue
        drafted[run.park.id] = d
        parts.append((k, d, float(smap.slope[0]) * (1.0 + rate) ** -run.offset))
    return drafted, held, parts


def package_ratios(c: Consolidated, pk: Package) -> Ratios:
    """The per-park pool ratios closest to the drafted ones that make every party
    accept the package (the module's linear programme)."""
    n_p = len(c.portfolio.parties)
    drafted, held, parts = _adjustable(c)
    if not parts:
        return Ratios(drafted, held, None, 0.0, None)
    sizes = [len(d) for _, d, _ in parts]
    n_s = sum(sizes)
    # variables: s (n_s), u (n_s); minimise Σ u
    cost = np.concatenate([np.zeros(n_s), np.ones(n_s)])
    a_ub, b_ub = [], []
    eye = np.eye(n_s)
    d_all = np.concatenate([d for _, d, _ in parts])
    for j in range(n_s):  # s − u ≤ d and −s − u ≤ −d
        a_ub.append(np.concatenate([eye[j], -eye[j]]))
        b_ub.append(d_all[j])
        a_ub.append(np.concatenate([-eye[j], -eye[j]]))
        b_ub.append(-d_all[j])
    scale = max(1.0, float(np.abs(pk.package).max()), float(np.abs(pk.alone).max()))
    for q in range(n_p):  # −Σ K (s − d) ≤ package − alone
        row = np.zeros(2 * n_s)
        j = 0
        for k, _, slope in parts:
            for i, owner in enumerate(c.runs[k].owner):
                if owner == q:
                    row[j + i] = -slope / scale
            j += len(c.runs[k].owner)
        a_ub.append(row)
        b_ub.append(float(pk.package[q] - pk.alone[q]) / scale + float(row[:n_s] @ d_all))
    a_eq = np.zeros((len(parts), 2 * n_s))
    j = 0
    for r, size in enumerate(sizes):
        a_eq[r, j : j + size] = 1.0
        j += size
    bounds = [(0.0, 1.0)] * n_s + [(0.0, None)] * n_s
    sol = linprog(
        cost, A_ub=np.array(a_ub), b_ub=np.array(b_ub), A_eq=a_eq, b_eq=np.ones(len(parts)),
        bounds=bounds, method="highs",
    )  # fmt: skip
    if sol.status != 0:
        return Ratios(drafted, held, None, float("nan"), None)
    return _result(c, pk, drafted, held, parts, np.asarray(sol.x[:n_s]))


def _result(
    c: Consolidated,
    pk: Package,
    drafted: dict[str, Array],
    held: dict[str, str],
    parts: list[tuple[int, Array, float]],
    s: Array,
) -> Ratios:
    shares: dict[str, Array] = {}
    npv = np.array(pk.package, dtype=float)
    j = 0
    for k, d, slope in parts:
        size = len(d)
        found = s[j : j + size]
        found[np.abs(found - d) <= 1e-12] = d[np.abs(found - d) <= 1e-12]
        shares[c.runs[k].park.id] = found
        for i, owner in enumerate(c.runs[k].owner):
            npv[owner] += slope * (found[i] - d[i])
        j += size
    deviation = float(sum(np.abs(shares[p] - drafted[p]).sum() for p in shares))
    return Ratios(drafted, held, shares, deviation, npv)


def _why(why: str, lang: str) -> str:
    return i18n.t("pfr_held_rule", lang) if why == "rule" else i18n.t(why, lang)


def _label(c: Consolidated, park: str, lang: str) -> str:
    return next(run.park.label(lang) for run in c.runs if run.park.id == park)


def ratios_lines(c: Consolidated, r: Ratios, lang: str = "en") -> list[str]:
    """The ratios found, as lines of ``sim portfolio compare``'s text."""
    out = []
    if r.shares is None or r.npv is None:
        out.append(i18n.t("pfr_ratios_none", lang))
    elif not r.changed:
        out.append(i18n.t("pfr_ratios_zero", lang))
    else:
        out.append(i18n.t("pfr_ratios", lang, dev=f"{r.deviation:.4g}"))
        for run in c.runs:
            if run.park.id in r.shares:
                pids = ":".join(run.park.scenario.party_ids)
                was = ":".join(f"{x:.4g}" for x in r.drafted[run.park.id])
                now = ":".join(f"{x:.4g}" for x in r.shares[run.park.id])
                out.append(f"  {run.park.label(lang)} ({pids}): {was} → {now}")
        npvs = i18n.comma(lang).join(
            f"{q} {r.npv[i]:.3f}" for i, q in enumerate(c.portfolio.party_ids)
        )
        out.append("  " + i18n.t("pfr_ratios_after", lang, npvs=npvs))
    if r.held:
        parks = i18n.comma(lang).join(
            i18n.t("name_in_brackets", lang, code=_label(c, k, lang), name=_why(v, lang))
            for k, v in r.held.items()
        )
        out.append("  " + i18n.t("pfr_held", lang, parks=parks))
    return out


def ratios_document(c: Consolidated, r: Ratios) -> dict[str, Any]:
    """The ratios found as JSON: each park's drafted and found shares by its parties."""

    def by_party(k: str, x: Array) -> dict[str, float]:
        run = next(run for run in c.runs if run.park.id == k)
        return {p: float(v) for p, v in zip(run.park.scenario.party_ids, x, strict=True)}

    return {
        "drafted": {k: by_party(k, v) for k, v in r.drafted.items()},
        "shares": None if r.shares is None else {k: by_party(k, v) for k, v in r.shares.items()},
        "deviation": r.deviation if np.isfinite(r.deviation) else None,
        "npv": None
        if r.npv is None
        else {q: float(r.npv[i]) for i, q in enumerate(c.portfolio.party_ids)},
        "held": dict(r.held),
    }


def ratios_table(c: Consolidated, r: Ratios, lang: str = "en") -> list[dict[str, object]]:
    """The report's table of the ratios: per park and party, drafted and found shares
    (a held park: its shares as drafted, and why in the last column)."""
    rows: list[dict[str, object]] = []
    for run in c.runs:
        k = run.park.id
        why = _why(r.held[k], lang) if k in r.held else ""
        for i, pid in enumerate(run.park.scenario.party_ids):
            drafted = r.drafted[k][i] if k in r.drafted else np.nan
            found = r.shares[k][i] if r.shares is not None and k in r.shares else np.nan
            rows.append(
                {
                    i18n.t("pf_park_col", lang): run.park.label(lang),
                    i18n.t("party_col", lang): pid,
                    i18n.t("pfr_drafted", lang): float(drafted),
                    i18n.t("pfr_found", lang): float(found),
                    i18n.t("pfr_held_col", lang): why,
                }
            )
    return rows
