"""A sensitivity analysis as people read it: what ``sim sensitivity`` prints and the
table of drivers a report shows.

The full index tables are printed for each party's NPV; the gains — over no
agreement and over standing alone, which the sharing decision turns on — are printed
compactly: for each party and output, the few inputs that move it most, by the
variance-based index computed (Shapley effects with correlated inputs, else Sobol
total-order indices), else Morris μ*, else the tornado's swing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from sim import i18n, style
from sim.tables import table, width

if TYPE_CHECKING:
    from sim.sensitivity import SensitivityResult
    from sim.sweep.spec import SweepSpec

__all__ = ["OUTPUTS", "TITLES", "drivers_table", "render", "top_inputs"]

OUTPUTS = ("npv", "gain_vs_source", "gain_vs_standalone")
"""The outputs of a sensitivity analysis, in the order they are shown."""

TOP = 3
"""How many inputs the table of drivers names for each party and output."""

TITLES = {m: f"sens_title_{m}" for m in ("sobol", "shapley", "morris", "tornado")}
"""The catalogue key of the heading of each table ``sim sensitivity`` prints, by method."""


def _measure(result: SensitivityResult) -> tuple[str, pd.DataFrame, str]:
    """The label key of the index that ranks the inputs, the table and its column."""
    if result.sobol is not None:
        if result.method == "shapley":
            return "rank_shapley", result.sobol, "shapley_effect"
        return "rank_sobol", result.sobol, "ST"
    if result.morris is not None:
        return "rank_morris", result.morris, "mu_star"
    swing = (result.tornado["high"] - result.tornado["low"]).abs()
    return "rank_tornado", result.tornado.assign(swing=swing), "swing"


def top_inputs(result: SensitivityResult, k: int = TOP) -> pd.DataFrame:
    """For each output and party, the ``k`` inputs with the largest index, largest first.

    Columns ``output``, ``party``, ``rank`` (from 1), ``parameter`` and ``value`` (the
    index); the parties in scenario order, each party's outputs in :data:`OUTPUTS` order.
    """
    _, table, column = _measure(result)
    order = {o: i for i, o in enumerate(OUTPUTS)}
    parties = list(dict.fromkeys(table["party"]))
    frame = table.assign(
        _o=table["output"].map(order), _p=table["party"].map(parties.index), value=table[column]
    ).sort_values(["_p", "_o", "value"], ascending=[True, True, False], kind="stable")
    top = frame.groupby(["_p", "_o"], sort=False).head(k)
    top = top.assign(rank=top.groupby(["_p", "_o"]).cumcount() + 1)
    return top[["output", "party", "rank", "parameter", "value"]].reset_index(drop=True)


def drivers_table(
    result: SensitivityResult, names: dict[str, str], lang: str = "en", k: int = TOP
) -> tuple[str, pd.DataFrame]:
    """The table of drivers for a report: its title, and one row per party and output
    naming its ``k`` strongest inputs with their index (``names``: input → its name)."""
    key, _, _ = _measure(result)
    top = top_inputs(result, k)
    rows = []
    for (output, party), group in top.groupby(["output", "party"], sort=False):
        row = {
            style.label("party", lang): party,
            style.label("analysed_output", lang): style.label(f"output_{output}", lang),
        }
        for _, r in group.iterrows():
            row[style.label(f"rank_{r['rank']}", lang)] = (
                f"{names.get(r['parameter'], r['parameter'])} ({r['value']:.3f})"
            )
        rows.append(row)
    title = style.label("drivers", lang).format(k=k, measure=style.label(key, lang))
    return title, pd.DataFrame(rows).fillna("")


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows of text cells as left-aligned columns."""
    widths = [max(width(r[j]) for r in rows) for j in range(len(rows[0]))]
    return [
        "  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers to 3 decimals, whole numbers (a swept year) as they are."""
    return frame.map(lambda v: f"{v:.3f}" if isinstance(v, float) else str(v))


def _head(column: str, lang: str) -> str:
    """The printed head of a column of the stored tables (the CSVs keep their names)."""
    if column.endswith("_conf"):
        return i18n.t("sens_head_conf", lang)
    key = f"sens_head_{column}"
    return i18n.t(key, lang) if key in i18n.TEXT else column.replace("_", " ")


def _text_table(frame: pd.DataFrame, lang: str) -> str:
    """A stored table as the other commands print theirs: readable heads, a ``±`` column
    after each estimate, party and input to the left, a party's variance on its first row."""
    cells = _rounded(frame)
    if "variance" in cells and "party" in cells:
        cells.loc[cells["party"].duplicated(), "variance"] = ""
    if "party" in cells:
        cells.loc[cells["party"].eq(cells["party"].shift()), "party"] = ""
    heads = [_head(c, lang) for c in cells.columns]
    return table(heads, cells.to_numpy().tolist(), left=2)


def _largest_first(frame: pd.DataFrame, size: pd.Series) -> pd.DataFrame:
    """``frame``'s rows, each party's largest ``size`` first (parties in their order): the
    printed tables read like the drivers' ranking; the CSVs keep the inputs' order."""
    party = pd.Categorical(frame["party"], categories=list(dict.fromkeys(frame["party"])))
    keys = pd.DataFrame({"party": party, "size": -size.abs().to_numpy()}, index=frame.index)
    return frame.loc[keys.sort_values(["party", "size"], kind="stable").index]


SIZE = {"morris": "mu_star", "shapley": "shapley_effect", "sobol": "ST"}
"""The column each printed table is ordered by, largest first (the tornado: its swing)."""


def render(spec: SweepSpec, result: SensitivityResult, folder: Any, lang: str = "en") -> str:
    """The readable text of ``sim sensitivity``: the NPV's full tables, the drivers of
    every output (the gains included) and where the tables were written."""
    unit = i18n.unit(spec.scenario.unit, lang)
    lines = [_header(spec, result, lang)]
    frames = {result.method: result.sobol, "morris": result.morris}
    for method, frame in frames.items():
        if frame is not None:
            npv = frame[frame["output"] == "npv"].drop(columns="output")
            npv = _largest_first(npv, npv[SIZE[method]])
            lines += ["", i18n.t(TITLES[method], lang, unit=unit)]
            lines += [_text_table(npv, lang)]
            if method == "shapley" and (npv["shapley_effect"] < 0).any():
                lines += [i18n.t("sens_negative", lang)]
    tornado = result.tornado[result.tornado["output"] == "npv"].drop(columns="output")
    tornado = _largest_first(tornado, tornado["high"] - tornado["low"])
    lines += ["", i18n.t(TITLES["tornado"], lang, unit=unit)]
    lines += [_text_table(tornado, lang)]
    key, _, _ = _measure(result)
    title = style.label("drivers", lang).format(k=TOP, measure=style.label(key, lang))
    lines += ["", title + i18n.colon(lang).rstrip()]
    heads = [i18n.t("sens_party", lang), i18n.t("sens_output", lang)]
    table = [[*heads, *(style.label(f"rank_{i}", lang) for i in range(1, TOP + 1))]]
    top = top_inputs(result)
    for (output, party), group in top.groupby(["output", "party"], sort=False):
        cells = [f"{p} {v:.3f}" for p, v in zip(group["parameter"], group["value"], strict=True)]
        name = style.label(f"output_{output}", lang)
        table.append([str(party), name, *cells, *[""] * (TOP - len(cells))])
    lines += _aligned(table)
    lines += [i18n.t("note_line", lang, note=note.text(lang)) for note in result.notes]
    outputs = i18n.comma(lang).join(_outputs(result))
    lines += ["", i18n.t("sens_every_table", lang, folder=folder, outputs=outputs)]
    lines += [i18n.t("wrote_path", lang, path=folder)]
    return "\n".join(lines)


def _outputs(result: SensitivityResult) -> list[str]:
    present = set(result.tornado["output"])
    return [o for o in OUTPUTS if o in present]


def _header(spec: SweepSpec, result: SensitivityResult, lang: str = "en") -> str:
    """What was computed, on how many model runs."""
    names = {"sobol": "sobol", "shapley": "shapley_effects", "morris": "morris"}
    runs = i18n.comma(lang).join(
        i18n.t("sens_runs", lang, k=f"{k:,}", name=style.label(names.get(m, m), lang))
        for m, k in result.samples.items()
    )
    return i18n.t("sens_header", lang, source=spec.source, seed=result.seed, runs=runs)
