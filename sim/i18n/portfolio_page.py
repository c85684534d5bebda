"""The words of a portfolio's page (``sim serve`` on a portfolio file): headings, the
fund's choices and hints, ``(English, Chinese)`` templates looked up by
:func:`sim.i18n.t` as :data:`sim.i18n.text.TEXT`'s are (the catalogue merges them; no
key is in both).

Plain data, no imports.
"""

from __future__ import annotations

__all__ = ["PORTFOLIO_PAGE"]

PORTFOLIO_PAGE: dict[str, tuple[str, str]] = {
    "pfp_where": ("Explore a portfolio", "园区组合测算"),
    "pfp_parks": ("Each park's pool shares", "各园区分成比例"),
    "pfp_parks_hint": (
        "a park whose rule is not fixed shares keeps the terms its file gives",
        "非固定比例的园区沿用其文件中的条款",
    ),
    "pfp_not_fixed": (
        "rule: {rule}; terms as its file gives them",
        "规则：{rule}；沿用文件中的条款",
    ),
    "pfp_fund": ("The joint fund", "共同发展基金"),
    "pfp_blank_nothing": ("blank: none", "留空：无"),
    "pfp_basis_fixed": ("fixed shares", "固定比例"),
    "pfp_basis_retained": ("each party's retained tax that year", "各方当年属地留成税收"),
    "pfp_returns_contributions": ("what each party has paid in", "各方累计缴款"),
    "pfp_returns_fixed": ("fixed shares", "固定比例"),
    "pfp_results": ("Consolidated results", "合并结果"),
    "pfp_budgets": ("Each budget's NPV and gain", "分预算净现值与较无协议增减"),
    "pfp_years": ("Budgets year by year, and the fund's account", "逐年分预算净收益与基金账户"),
    "pfp_package": ("The package deal", "一揽子方案"),
    "pfp_settlement": ("Settlement statement", "年终结算单"),
    "pfp_year": ("year", "年份"),
    "pfp_statement_xlsx": ("statement (xlsx)", "结算单（xlsx）"),
    "pfp_statement_docx": ("statement (Word)", "结算单（Word）"),
    "pfp_budget_npv": (
        "{party}: NPV and gain over no agreement of each budget, park by park, from the fund and in all ({unit}; discounted at {rate} to {start})",
        "{party}：各预算的净现值及较无协议增减，逐个园区、基金与合计（{unit}；按折现率 {rate} 折现至 {start} 年）",
    ),
    "pfp_problem": ("a problem in the portfolio", "园区组合有问题"),
}
