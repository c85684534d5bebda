"""The glossary: Chinese names of rules and agreement terms, and the amount unit in words.

Plain data with no imports, so that every layer can name things in Chinese: reports,
tables and figures (through :mod:`sim.style`), and the workbook, which the scenario
checker reads without loading matplotlib.
"""

from __future__ import annotations

__all__ = ["ZH_TERMS", "unit"]

ZH_TERMS = {  # Chinese names of rules and agreement terms
    "agreement": "协议",
    "source": "属地",
    "montecarlo": "蒙特卡洛",
    "lhs": "拉丁超立方",
    "sobol": "Sobol 序列",
    "grid": "网格",
    "fixed": "固定比例",
    "equity": "按股比",
    "formula": "因素法",
    "introducer": "引进方分成",
    "shapley": "Shapley 值",
    "normalized_banzhaf": "标准化 Banzhaf",
    "nucleolus": "核仁",
    "prenucleolus": "前核仁",
    "tau_value": "τ 值",
    "equal_surplus": "等分剩余",
    "proportional_standalone": "按独立价值比例",
    "nash": "纳什谈判",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "平等收益",
    "shares": "比例",
    "weights": "权重",
    "share": "引进方比例",
    "all": "全部税收",
    "new_firms": "新引进企业",
    "above_base": "超基数增量",
    "scope": "范围",
    "base year": "基年",
    "compliance": "结算率",
    "floors": "保底",
    "cap": "年度转移上限",
    "yr": "年",
    "land shared": "土地收益共享",
    "shared": "随税收分成比例",
    "tax": "随税收分成比例",
    "benefit": "按受益比例",
    "scrb": "可分离费用—剩余效益法",
    "per_capita_nucleolus": "人均核仁",
    "land": "土地出让收益",
    "dividends": "合资公司分红",
    "investment": "共同投资",
    "statistics": "统计指标",
    "window": "协议期",
    "review": "重新协商",
    "as in the agreement: {}": "沿用协议：{}",
    ", ": "、",
    "not the agreement's review": "不沿用协议的重新协商条款",
}


def unit(scenario_unit: str, lang: str) -> str:
    """The amount unit: 亿元 in Chinese when the scenario is in 100m CNY."""
    if lang == "zh" and scenario_unit.strip().lower() in ("100m cny", "亿元"):
        return "亿元"
    return scenario_unit
