"""The words of a portfolio's report (``sim report`` on a portfolio file): its table
captions, figure titles and captions, ``(English, Chinese)`` templates looked up by
:func:`sim.i18n.t` as :data:`sim.i18n.portfolio.PORTFOLIO`'s are (the catalogue
merges them; no key is in two tables).

Plain data, no imports.
"""

from __future__ import annotations

__all__ = ["PORTFOLIO_REPORT"]

PORTFOLIO_REPORT: dict[str, tuple[str, str]] = {
    "pfr_portfolio": ("Portfolio", "园区组合"),
    "pfr_parties": ("Parties", "参与方"),
    "pfr_park": ("Park {id}", "园区 {id}"),
    "pfr_fund": ("Fund", "基金"),
    "pfr_core": ("Core", "核心"),
    "pfr_policy": ("Fiscal policy, every park", "各园区统一财政政策"),
    "pfr_park_policy": ("Fiscal policy, park {id}", "园区 {id} 财政政策"),
    "pfr_drafted_ratios": ("Pool ratios", "分成比例"),
    "pfr_t_npv": (
        "Each party's NPV and gain over no agreement, park by park, from the fund and in all "
        "({unit}; discounted at {rate} to {start}; a park's gain is its NPV under the "
        "agreement less with no agreement; the fund's is its NPV less what its stakes took "
        "from the parties' own)",
        "各方净现值及较无协议增减：逐个园区、基金与合计（{unit}；按折现率 {rate} 折现至 "
        "{start} 年；园区的较无协议增减 = 协议下净现值 − 无协议时的净现值；基金的"
        "较无协议增减 = 基金净现值 − 基金持股所占各方原有份额）",
    ),
    "pfr_t_budget": (
        "{party}: net by budget, year by year, over every park and the fund ({unit} per "
        "year; general budget = tax + incentives; government-fund budget = net land "
        "income; state capital = dividends + investment + fund)",
        "{party}：各园区与基金合计的逐年分预算净收益（{unit}/年；一般公共预算 = 留成税收 + "
        "税收奖补；政府性基金预算 = 土地出让净收益；国有资本 = 分红 + 出资 + 基金）",
    ),
    "pfr_t_fund": (
        "The fund's account, year by year ({unit} per year; each year, what has been paid "
        "in to date = invested + fees + paid back + balance, checked in code)",
        "基金逐年账户（{unit}/年；每年累计缴款 = 基金投资 + 管理费 + 余额返还 + 余额，由程序核验）",
    ),
    "pfr_t_package": (
        "The package deal: each party's NPV over every park and the fund against standing "
        "alone in every park (v({{i}})), and the Shapley value and nucleolus of the "
        "portfolio's game ({unit}; to {start})",
        "一揽子方案：各方在全部园区与基金的净现值与在各园区均独立发展（v({{i}})）相比，及组合"
        "合作博弈的 Shapley 值与核仁（{unit}；折现至 {start} 年）",
    ),
    "pfr_t_side": (
        "Side payments between the parties ({unit}, NPV to {start}) solved as linear "
        "programmes by HiGHS: the smallest total that makes every party accept the "
        "package, and the smallest that puts it in the core",
        "各方之间的补偿款（{unit}，折现至 {start} 年的净现值），以 HiGHS 求解线性规划："
        "使各方均接受一揽子方案的最小总额，及使其进入核心的最小总额",
    ),
    "pfr_side_for": ("to", "目的"),
    "pfr_side_accept": ("every party accepts", "各方均接受"),
    "pfr_side_core": ("the package in the core", "一揽子方案进入核心"),
    "pfr_side_nothing": ("none needed", "无需补偿"),
    "pfr_side_impossible": ("impossible", "无法实现"),
    "pfr_f_gain": ("Gain over no agreement by park", "各园区较无协议增减"),
    "pfr_f_gain_caption": (
        "{portfolio}: each party's NPV under each park's agreement less its NPV with no "
        "agreement in that park, the fund's gain (its NPV less what its stakes took from "
        "the parties' own) and the total, {unit}, discounted at {rate} to {start}",
        "{portfolio}：各方在各园区的较无协议增减（协议下净现值 − 无协议时的净现值）、基金"
        "带来的较无协议增减（基金净现值 − 基金持股所占各方原有份额）及合计，{unit}，"
        "按折现率 {rate} 折现至 {start} 年",
    ),
    "pfr_f_budget": ("{party}: net by budget", "{party}：分预算净收益"),
    "pfr_f_budget_caption": (
        "{portfolio}: {party}'s net each year over every park and the fund, stacked by "
        "budget (general budget = tax + incentives; government-fund budget = net land "
        "income; state capital = dividends + investment + fund), {unit} per year; the line "
        "is the net",
        "{portfolio}：{party} 各园区与基金合计的逐年净收益，按预算堆叠（一般公共预算 = 留成"
        "税收 + 税收奖补；政府性基金预算 = 土地出让净收益；国有资本 = 分红 + 出资 + 基金），"
        "{unit}/年；折线为净收益",
    ),
    "pfr_f_package": ("The package against standing alone", "一揽子方案与独立发展相比"),
    "pfr_f_package_caption": (
        "{portfolio}: each party's gain over standing alone in every park (its NPV less "
        "v({{i}})) under the package as drafted, under the Shapley value and under the "
        "nucleolus of the portfolio's game, {unit}, to {start}",
        "{portfolio}：各方较独立发展增减（净现值 − 在各园区均独立发展的 v({{i}})）："
        "按现有一揽子方案、按组合合作博弈的 Shapley 值、按核仁，{unit}，折现至 {start} 年",
    ),
    "pfr_drafted": ("as drafted", "现有方案"),
    "pfr_ratios": (
        "per-park pool ratios closest to the drafted ones that make every party accept the "
        "package (least total change of the shares: {dev}):",
        "使各方均接受一揽子方案、与现有比例最接近的各园区分成比例（各比例变动绝对值之和最小"
        "为 {dev}）：",
    ),
    "pfr_ratios_after": ("after them: {npvs}", "调整后：{npvs}"),
    "pfr_ratios_none": (
        "no per-park pool ratios make every party accept the package",
        "任何各园区分成比例都无法使各方均接受一揽子方案",
    ),
    "pfr_ratios_zero": (
        "every party accepts the package with the drafted pool ratios",
        "各方在现有分成比例下均已接受一揽子方案",
    ),
    "pfr_held": (
        "held as drafted (NPV not affine in the shares): {parks}",
        "保持现有比例的园区（净现值并非分成比例的线性函数）：{parks}",
    ),
    "pfr_held_rule": ("not fixed shares", "非固定比例"),
    "pfr_t_ratios": (
        "Per-park pool ratios closest to the drafted ones that make every party accept the "
        "package: a linear programme solved by HiGHS, least total absolute change of the "
        "shares, with each park's NPV affine in its shares",
        "使各方均接受一揽子方案、与现有比例最接近的各园区分成比例：以 HiGHS 求解线性规划，"
        "各比例变动绝对值之和最小，各园区净现值为其分成比例的线性函数",
    ),
    "pfr_found": ("closest accepted", "最接近的可接受比例"),
    "pfr_held_col": ("held as drafted", "保持现有比例"),
}
