"""The words of the ``sim serve`` page's form tables (firms, land sales, investment,
parties, horizon and tax shares, cooperation, the review clause, the alternatives), by
key: ``(English, Chinese)`` templates looked up by :func:`sim.i18n.t`."""

from __future__ import annotations

__all__ = ["PAGE_TABLES"]

PAGE_TABLES: dict[str, tuple[str, str]] = {
    "page_blank": ("blank: {default}", "留空：{default}"),
    "page_nothing": ("none", "无"),
    "page_as_agreement": ("blank: as the agreement", "留空：同协议"),
    "page_same": ("as the agreement", "同协议"),
    "page_firms": ("Firms", "企业"),
    "page_land_sales": ("Land sales", "土地出让"),
    "page_land_sale": ("land sale {n}", "土地出让 {n}"),
    "page_investment": ("Joint investment and equity", "共同投资与股比"),
    "page_capex": ("joint capex by year", "各年共同投资"),
    "page_horizon": ("Horizon and tax shares", "测算期与税收分享"),
    "page_parties": ("Parties", "合作方"),
    "page_parties_hint": (
        "a party is added or removed, or its id changed, in the scenario file or workbook "
        "(see the guide: add a party)",
        "合作方的添加、删除或编号修改请在情景文件或工作簿中进行（见使用指南：添加合作方）",
    ),
    "page_cooperation": ("Cooperation", "合作"),
    "page_review": ("Review clause", "重新协商条款"),
    "page_alternatives": ("Alternatives compared", "比较方案"),
    "page_alternatives_hint": (
        "each alternative runs on the agreement's terms except those it writes: a blank "
        "field takes the agreement's",
        "比较方案除自行填写的条款外均沿用协议的条款：留空即同协议",
    ),
    "page_new_alternative": ("alternative {n}", "比较方案 {n}"),
    "page_add_firm": ("add a firm", "添加企业"),
    "page_add_sale": ("add a land sale", "添加土地出让"),
    "page_add_alternative": ("add an alternative", "添加比较方案"),
    "page_remove": ("remove", "删除"),
    "page_schedule": ("given by year: edit it in the file", "按年份给出：请在文件中修改"),
}
