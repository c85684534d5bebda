"""The report of a ``sim sensitivity`` folder: indices, tornado and drivers."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from sim import i18n, plots, style
from sim.report.base import (
    Figure,
    Report,
    _t,
    shown_path,
)

if TYPE_CHECKING:
    from sim.sensitivity import SensitivityResult
    from sim.sweep.spec import SweepSpec


_SENSITIVITY_TABLES = {
    "tornado": "tornado_table",
    "sobol": "sobol",
    "shapley": "shapley_effects",
    "morris": "morris",
}


def _display_sensitivity(frame: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """A stored sensitivity table for reading: outputs and inputs by name, headings in
    ``lang`` (the numbers as stored)."""
    shown = frame.assign(
        output=[style.label(f"output_{o}", lang) for o in frame["output"]],
        parameter=[names.get(x, x) for x in frame["parameter"]],
    )
    return shown.rename(
        columns={c: i18n.t(f"sens_{c}", lang) if f"sens_{c}" in i18n.TEXT else c for c in shown}
    )


def sensitivity_report(spec: SweepSpec, result: SensitivityResult, lang: str = "en") -> Report:
    """Tornado, Sobol (or Shapley effects) and Morris figures of each party's NPV, and
    every output's tables."""
    scenario = spec.scenario
    figures = []
    names = {
        p.path: i18n.pick(lang, p.binding.label_en, p.binding.label_zh) for p in spec.parameters
    }
    caption = f"{_t('scenario', lang)} {scenario.heading(lang)} · {_t('seed', lang)} {result.seed}"

    def npv_rows(table: pd.DataFrame, party: str) -> pd.DataFrame:
        return table[(table["output"] == "npv") & (table["party"] == party)]

    indices = "shapley_effects" if result.method == "shapley" else "sobol"
    drawn = result.method  # the figure is named after what it draws: sobol-SC or shapley-SC
    for p in scenario.party_ids:
        tor = npv_rows(result.tornado, p)
        figures.append(
            Figure(
                f"tornado-{p}",
                f"{style.label('tornado', lang)}{style.COLON[lang]}{p}",
                caption,
                partial(
                    plots.tornado,
                    tor,
                    float(tor["base"].iloc[0]),
                    lang=lang,
                    unit=scenario.unit,
                    party=p,
                    names=names,
                ),
            )
        )
        if result.sobol is not None:
            figures.append(
                Figure(
                    f"{drawn}-{p}",
                    f"{style.label(indices, lang)}{style.COLON[lang]}{p}",
                    caption + f" · {result.samples[result.method]:,} " + _t("runs", lang),
                    partial(
                        plots.sobol_indices, npv_rows(result.sobol, p), lang=lang, party=p,
                        names=names,
                    ),
                )
            )  # fmt: skip
        if result.morris is not None:
            figures.append(
                Figure(
                    f"morris-{p}",
                    f"{style.label('morris', lang)}{style.COLON[lang]}{p}",
                    caption + f" · {result.samples['morris']:,} " + _t("runs", lang),
                    partial(
                        plots.morris, npv_rows(result.morris, p), lang=lang, party=p,
                        unit=scenario.unit, names=names,
                    ),
                )
            )  # fmt: skip
    raw = {"tornado": result.tornado, result.method: result.sobol, "morris": result.morris}
    from sim.sensitivity_tables import drivers_table

    title, drivers = drivers_table(result, names, lang)
    tables = {title: drivers}  # the gains' drivers first: what the sharing decision turns on
    tables |= {
        style.label(_SENSITIVITY_TABLES[key], lang): _display_sensitivity(frame, names, lang)
        for key, frame in raw.items()
        if frame is not None
    }
    tables |= {f"{key} (tidy)": frame for key, frame in raw.items() if frame is not None}
    title = i18n.pick(lang, scenario.title, scenario.title_zh)
    summary = [(_t("sensitivity", lang), shown_path(spec.source))]
    summary += [(_t("note", lang), n.text(lang)) for n in result.notes]
    return Report(title, lang, summary, tables, figures)
