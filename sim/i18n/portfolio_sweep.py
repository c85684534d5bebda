"""The words of ``sim portfolio sweep``: its summary's title, column heads and notes,
``(English, Chinese)`` templates looked up by :func:`sim.i18n.t` (the catalogue merges
them with :data:`sim.i18n.text.TEXT`; no key is in both).

Plain data, no imports.
"""

from __future__ import annotations

__all__ = ["PORTFOLIO_SWEEP"]

PORTFOLIO_SWEEP: dict[str, tuple[str, str]] = {
    "psw_title": (
        "Portfolio sweep of [{name}]: {n} scenarios, {design} design, seed {seed}; NPV in {unit}",
        "组合扫描 [{name}]：{n} 个情景，{design} 设计，随机种子 {seed}；净现值单位：{unit}",
    ),
    "psw_party": ("party", "参与方"),
    "psw_scope": ("where", "范围"),
    "psw_overall": ("overall", "合计"),
    "psw_fund": ("fund", "基金"),
    "psw_npv_mean": ("NPV mean", "净现值均值"),
    "psw_gain_mean": ("gain mean", "较无协议增减均值"),
    "psw_p5": ("p5", "5%分位"),
    "psw_p95": ("p95", "95%分位"),
    "psw_p_loss": ("P(loss)", "受损概率"),
    "psw_note": (
        "gain = over no agreement (overall: in every park, and the fund over the company flows its stakes took); P(loss): share of scenarios with a gain below zero",
        "较无协议增减：合计一行对照各园区均无协议（基金一行对照其股份所占的合资公司收支）；受损概率：较无协议增减为负的情景占比",
    ),
    "psw_undefined": (
        "{k} scenarios left out: some park's agreement is undefined in them",
        "剔除 {k} 个情景：其中有园区的协议无定义",
    ),
}
