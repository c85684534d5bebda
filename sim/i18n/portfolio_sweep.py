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
    "pd_shock": ("province-wide growth shock (every park's firms)", "全省增长冲击（各园区企业）"),
    "pd_park_input": ("{park}: {input}", "{park}：{input}"),
    "pd_lose": (
        "{who} loses overall (its gain over no agreement, over every park and the fund, below zero)",
        "{who}整体受损（各园区与基金合计较无协议增减为负）",
    ),
    "pd_gain": (
        "{who} does not lose overall (its gain over no agreement, over every park and the fund, at least zero)",
        "{who}整体不受损（各园区与基金合计较无协议增减不为负）",
    ),
    "pr_title": (
        "Robust packages over the portfolio sweep [{name}]: {n} scenarios; a party gains when its NPV over every park and the fund is at least {basis}; NPV in {unit}",
        "组合扫描 [{name}] 的稳健方案：{n} 个情景；某方各园区与基金合计净现值不低于{basis}即为受益；净现值单位：{unit}",
    ),
    "pr_basis_standalone": ("its value standing alone in every park", "其在各园区独立发展的价值"),
    "pr_basis_source": ("its NPV with no agreement in any park", "各园区均无协议时的净现值"),
    "pr_package": ("package", "方案"),
    "pr_drafted": ("as drafted", "现行协议"),
    "pr_all_gain": ("every party gains", "各方均受益"),
    "pr_gains": ("{party} gains", "{party} 受益"),
    "pr_mean": ("{party} {gain}: mean", "{party} {gain}均值"),
    "pr_worst": ("worst-off mean", "最差一方均值"),
    "pr_choice": (
        "Most robust: {name} (every party gains in {share} of the scenarios; the worst-off party's {gain}: mean {worst})",
        "最稳健：{name}（{share} 的情景中各方均受益；最差一方{gain}均值 {worst}）",
    ),
    "pr_regret_choice": (
        "Minimax regret (Savage): {name} (largest regret {regret})",
        "极小化最大遗憾（Savage）：{name}（最大遗憾 {regret}）",
    ),
    "pr_terms": (
        "Each package's pool shares (a park not named holds its drafted agreement):",
        "各方案的分成比例（未列出的园区按现行协议）：",
    ),
    "pr_no_packages": (
        "the sweep file names no packages ([[sweep.packages]]): only the package as drafted is shown",
        "扫描文件未列出备选方案（[[sweep.packages]]）：仅列现行协议",
    ),
    "psw_table": (
        "Each party's NPV and gain over no agreement ({unit})",
        "各方净现值与较无协议增减（{unit}）",
    ),
    "pr_table": (
        "Robust packages: every party against standing alone in every park ({unit})",
        "稳健方案：各方对照其在各园区独立发展（{unit}）",
    ),
    "pd_table": ("Where {event}", "情景区域：{event}"),
    "pr_figure": (
        "Share of the scenarios in which every party gains, by package",
        "各方案下各方均受益的情景占比",
    ),
}
