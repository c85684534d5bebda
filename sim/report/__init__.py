"""Reports: the figures and tables of a scenario, a sweep or a sensitivity analysis.

:func:`scenario_figures`, :func:`sweep_figures` and :func:`sensitivity_figures` turn
results into :class:`Figure` records (a drawing function, title and caption);
:func:`write_report` renders them into one self-contained HTML file (figures embedded
as PNG, no external requests), saves each figure as PNG, SVG or PDF, and writes the
tables to an ``.xlsx`` workbook. English or Chinese (``lang = "zh"``: party names from
``name_zh``, labels and captions translated, amounts in 亿元). No dates or random ids
go into any file, so the same inputs give the same bytes.
"""

from sim.report.base import Figure, Report, shown_path
from sim.report.base import _t as _t  # re-exported: sim.report_docx and sim.web.text use it
from sim.report.decisions import (
    boxes_table,
    discovery_figures,
    discovery_report,
    discovery_tables,
    robust_figures,
    robust_report,
    robust_tables,
)
from sim.report.scenario import (
    comparison_table,
    decomposition_table,
    run_report,
    scenario_report,
    statistics_table,
    wide_flows,
)
from sim.report.sensitivity import sensitivity_report
from sim.report.sweep import sweep_report, swept_inputs_table
from sim.report.write import _is_percent as _is_percent  # re-exported for sim.report_docx
from sim.report.write import cell_text, tables_xlsx, write_report

__all__ = [
    "Figure",
    "Report",
    "boxes_table",
    "cell_text",
    "comparison_table",
    "decomposition_table",
    "discovery_figures",
    "discovery_report",
    "discovery_tables",
    "robust_figures",
    "robust_report",
    "robust_tables",
    "run_report",
    "scenario_report",
    "sensitivity_report",
    "shown_path",
    "statistics_table",
    "sweep_report",
    "swept_inputs_table",
    "tables_xlsx",
    "wide_flows",
    "write_report",
]
