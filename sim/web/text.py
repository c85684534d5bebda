"""The page's words in English and Chinese.

Names of rules, clauses and terms, and the labels of tables and figures, come from the
project's glossary (:func:`sim.style.label`, the Chinese terms of :mod:`sim.output` through the
report's :func:`sim.report._t`, the field names of :mod:`sim.schema`); this table holds
only the words of the page itself (buttons, headings, hints).
"""

from __future__ import annotations

from sim import style

__all__ = ["LANGS", "clause_name", "field_label", "label", "t"]

LANGS = ("en", "zh")

_EN = {  # page words whose key is not the English text
    "factor output": "output",
    "factor wages": "wages",
    "factor investment": "investment (equity)",
    "factor land": "land area sold",
}

_ZH = {
    "Explore an agreement": "协议测算",
    "label": "方案",
    "factor output": "产值",
    "factor wages": "工资",
    "factor investment": "出资（股比）",
    "factor land": "土地出让面积",
    "Open a scenario": "打开情景",
    "Shipped scenarios": "随附情景",
    "In this folder": "本文件夹中的情景",
    "Upload a scenario file (.toml, or an .xlsx workbook)": "上传情景文件（.toml 或 .xlsx 工作簿）",
    "Upload": "上传",
    "none": "无",
    "open another scenario": "打开其他情景",
    "The agreement": "协议条款",
    "Other clauses": "其他条款",
    "Main inputs": "主要输入",
    "pool shares": "税收池分成比例",
    "formula weights": "因素法权重",
    "introducer's share": "引进方比例",
    "window": "分成期限",
    "from year": "起始年份",
    "years": "年数",
    "blank: the whole horizon": "留空：整个期限",
    "blank: none": "留空：无",
    "blank: 1 (everything settled)": "留空：1（全部结算）",
    "blank: the first year of the window": "留空：分成期限首年",
    "shares": "比例",
    "Problems": "问题",
    "these results are for the last valid terms": "以下结果对应最近一次有效的条款，不是当前输入",
    "working…": "计算中……",
    "up to date": "已更新",
    "Pool share": "分成比例",
    "the pool split by fixed shares, other terms as written": "按固定比例分配税收池，其他条款不变",
    "acceptable range": "可接受范围",
    "acceptable": "可接受",
    "not acceptable": "不可接受",
    "no pool shares are acceptable to every party": "没有各方均可接受的分成比例",
    "no share this slider reaches is acceptable to every party and coalition": (
        "此滑块所及的比例中没有各方及各联盟均可接受的"
    ),
    "coalitions worse off than on their own": "合计劣于自行合作的联盟",
    "Use these shares in the agreement": "将此比例写入协议",
    "Download": "下载",
    "scenario (TOML)": "情景文件（TOML）",
    "report (HTML)": "报告（HTML）",
    "tables (xlsx)": "表格（xlsx）",
    "report (Word)": "报告（Word）",
    "scenario (workbook)": "情景（工作簿）",
    "NPV": "净现值",
    "at least alone": "不低于独立发展",
    "yes": "是",
    "no": "否",
    "NO": "否",
    "gain": "较无协议增减",
    "party": "参与方",
    "Sweep one input": "单一输入扫描",
    "input": "输入",
    "from": "从",
    "to": "到",
    "points": "点数",
    "Run": "运行",
    "Cancel": "取消",
    "cancelled": "已取消",
    "done": "完成",
    "failed": "出错",
    "every party at least as well off as alone": "各方均不低于独立发展的取值",
    "nowhere in this range": "此范围内没有",
    "points not computed": "未计算的点",
    "no point of the sweep could be run": "扫描的各点均无法计算",
    "one input moved over a range, the rest as edited": "一个输入在范围内变化，其余按当前设置",
    "back to the start": "返回首页",
    "a problem in the scenario": "情景有问题",
    "the agreement is undefined for this scenario": "该情景下协议无定义",
}


def t(text: str, lang: str) -> str:
    """``text`` in ``lang``: the page's own words, else the report's and the glossary's."""
    if lang != "zh":
        return _EN.get(text, text)
    if text in _ZH:
        return _ZH[text]
    from sim.report import _t

    return _t(text, lang)


def clause_name(clause: str, lang: str) -> str:
    """The name of a clause (land, dividends, investment, statistics) in ``lang``."""
    if clause == "statistics":  # the glossary's word, through the report's lookup
        return t("statistics", lang) if lang == "zh" else "Statistics"
    found = style.feature_label(clause, lang)
    if found != clause:
        return found
    from sim.schema.keys import key  # a clause the glossary has no label for: the key's name

    return key(f"sharing.{clause}").label(lang)


def label(key: str, lang: str) -> str:
    """A label of the glossary (:func:`sim.style.label`), e.g. ``npv``, ``standalone``."""
    return style.label(key, lang)


def field_label(pattern: str, lang: str) -> str:
    """The name of a numeric input of :mod:`sim.schema`, e.g. ``horizon.discount_rate``."""
    from sim.schema import field

    f = field(pattern)
    return f.zh if lang == "zh" else f.en
