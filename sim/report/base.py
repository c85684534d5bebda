"""What a report is: its :class:`Report` and :class:`Figure` records, and the wording
every report shares (English, or Chinese from :data:`_ZH` and the glossary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim import i18n, plots, style
from sim.scenario import Scenario

Draw = Callable[[Any], Any]

_ZH = {  # report wording; rule names come from sim.output's terms
    "agreement": "协议",
    "source": "属地（无协议）",
    "Scenario": "情景",
    "Parties": "参与方",
    "Comparison of sharing rules": "分享规则比较",
    "Figures": "图",
    "Parameters": "参数",
    "party": "参与方",
    "name": "名称",
    "retained share": "本级留成比例",
    "rule": "规则",
    "gain vs source": "较属地增减",
    "gain vs alone": "较独立增减",
    "every party ≥ standing alone": "各方均不低于独立发展",
    "—": "—",
    "in core": "在核心内",
    "yes": "是",
    "no": "否",
    "firm": "企业",
    "registered in": "注册地",
    "introduced by": "引进方",
    "first year": "投产年份",
    "output": "产值",
    "growth": "增长率",
    "Summary": "摘要",
    "seed": "随机种子",
    "run": "运行编号",
    "Sensitivity": "敏感性分析",
    "Sweep": "情景扫描",
    "Statistics": "统计指标分算",
    "clause": "条款",
    "Gain over no agreement by clause (median)": "相对无协议的收益（按条款，中位数）",
    "Statistics counted (median share)": "统计指标分算（中位数比例）",
    "indicator": "指标",
    "value_added": "增加值",
    "tax": "税收",
    "investment": "固定资产投资",
    "other inputs at their medians": "其他输入取中位数",
    "INCOMPLETE": "未完成",
    "Terms": "计算依据",
    "terms": "所依条款",
    "Swept inputs": "变动的输入",
    "input": "输入",
    "distribution": "分布",
    "correlation": "相关",
    "every swept input varies": "所有变动输入均随情景变化",
    "the other swept inputs vary within each cell": "每格内其他变动输入随情景变化",
    "Yearly flows": "年度收支",
    "Findings": "主要结论",
    "runs": "次运行",
    "p5": "净现值 5% 分位",
    "p50": "净现值中位数",
    "p95": "净现值 95% 分位",
    "P(< source)": "劣于无协议的概率",
    "P(< alone)": "劣于独立发展的概率",
    "P(all ≥ alone)": "各方均不低于独立发展的概率",
    "P(all ≥ source)": "各方均不低于无协议的概率",
    "undefined": "无定义的情景数",
    "scenarios": "个情景",
    "incomplete: {k} of {n} scenarios": "未完成：已算 {k} / {n} 个情景",
    "design": "抽样设计",
    "note": "说明",
    "Robust shares": "稳健分成比例",
    "Minimax regret": "极小化最大遗憾",
    "max regret": "最大遗憾",
    "p95 regret": "95% 分位遗憾",
    "choice": "选择",
    "method": "方法",
    "conditions": "条件",
    "mass": "情景占比",
    "Scenario discovery": "情景发现",
    "event": "事件",
    "scenarios with the event": "发生事件的情景",
}


def shown_path(path: str | Path) -> str:
    """A file as a report names it: relative to the working folder where it lies inside
    it, else by its name alone (no absolute local paths in a document that travels)."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return p.name


def _rule_text(scenario: Scenario | None, label: str, lang: str) -> str:
    from sim.output import agreement_name

    return agreement_name(scenario, label, lang)


def _t(text: str, lang: str) -> str:
    from sim import i18n

    return i18n.pick(lang, text, _ZH.get(text, i18n.name(text, lang)))


@dataclass(frozen=True)
class Figure:
    """A figure of a report: its key, title, caption and how to draw it."""

    key: str
    title: str
    caption: str
    draw: Draw
    """Called with an Axes (inside sim's style) to draw the figure."""
    size: tuple[float, float] | None = None

    def render(self, lang: str, fmt: str = "png", dpi: int | None = None) -> bytes:
        """The figure drawn in sim's style, as the bytes of a PNG, SVG or PDF file
        (``dpi``: of a PNG, instead of sim's 200)."""
        with plots.figure(lang, self.size) as (fig, ax):
            self.draw(ax)
            return style.to_bytes(fig, fmt, dpi=dpi)


@dataclass(frozen=True)
class Report:
    """A report: title, summary lines, tables and figures, in one language."""

    title: str
    lang: str
    summary: list[tuple[str, str]]
    tables: dict[str, pd.DataFrame]
    figures: list[Figure] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """Sentences a reader needs first (:func:`sim.briefing.findings`), shown up front."""


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def _flows_heading(p: str, names: dict[str, str], lang: str) -> str:
    """A party's yearly-flows table: its code first (the workbook's sheet keeps 31
    characters of it), then its name."""
    name = names.get(p, p)
    who = p if name == p else i18n.t("name_in_brackets", lang, code=p, name=name)
    return f"{_t('Yearly flows', lang)} {who}"


_SHARE = {"en": " (share)", "zh": "（占比）"}
"""The suffix of a column holding a party's share of a total (statistics counted)."""
