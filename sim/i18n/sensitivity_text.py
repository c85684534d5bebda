"""The words of ``sim sensitivity``'s printed tables (headings, column heads, notes),
by key: ``(English, Chinese)`` templates looked up by :func:`sim.i18n.t`."""

from __future__ import annotations

__all__ = ["SENSITIVITY"]

SENSITIVITY: dict[str, tuple[str, str]] = {
    "sens_output": ("output", "输出"),
    "sens_party": ("party", "参与方"),
    "sens_parameter": ("input", "输入"),
    "sens_S1": ("first-order index", "一阶指数"),
    "sens_S1_conf": ("± (95%)", "±（95%）"),
    "sens_ST": ("total-order index", "总效应指数"),
    "sens_ST_conf": ("± (95%) ", "±（95%） "),
    "sens_shapley_effect": ("Shapley effect", "Shapley 效应"),
    "sens_shapley_effect_conf": ("± (95%)", "±（95%）"),
    "sens_variance": ("variance of the output", "输出方差"),
    "sens_mu_star": ("μ*", "μ*"),
    "sens_mu_star_conf": ("μ* ± (95%)", "μ* ±（95%）"),
    "sens_sigma": ("σ", "σ"),
    "sens_low_value": ("input at its 5% quantile", "输入取 5% 分位"),
    "sens_high_value": ("input at its 95% quantile", "输入取 95% 分位"),
    "sens_low": ("output at the 5% quantile", "5% 分位时的输出"),
    "sens_high": ("output at the 95% quantile", "95% 分位时的输出"),
    "sens_base": ("output at the medians", "中位数时的输出"),
    # sim sensitivity: what it prints
    "sens_header": (
        "Sensitivity of each party's NPV to the inputs of {source}, under their declared "
        "distributions (seed {seed}); model runs: {runs}.",
        "各方净现值对 {source} 各输入的敏感性，输入按其声明的分布取值（随机种子 {seed}）；模型运行次数：{runs}。",
    ),
    "sens_runs": ("{k} for {name}", "{name} {k} 次"),
    "sens_title_sobol": (
        "NPV, Sobol indices (S1: the share of the NPV's variance an input explains alone; "
        "ST: with its interactions; each with its 95% confidence half-width):",
        "净现值，Sobol 敏感性指数（S1：输入单独解释的净现值方差比例；ST：含其交互作用；"
        "各附 95% 置信区间半宽）：",
    ),
    "sens_title_shapley": (
        "NPV, Shapley effects (each input's share of the NPV's variance, interactions and "
        "correlation shared out; they sum to 1; each with its 95% confidence half-width; "
        "variance in ({unit})²):",
        "净现值，Shapley 效应（各输入占净现值方差的比例，交互作用与相关性分摊在内；合计为 1；"
        "各附 95% 置信区间半宽；方差单位为{unit}的平方）：",
    ),
    "sens_title_morris": (
        "NPV, Morris screening (μ*: the mean absolute elementary effect, NPV's change per "
        "the input's whole range in quantiles, in {unit}; its 95% confidence half-width; "
        "σ: how much the effect varies, a sign of interactions or curvature):",
        "净现值，Morris 筛选（μ*：基本效应绝对值的均值，即输入按分位数走完全程时净现值的变化，"
        "单位{unit}；附 95% 置信区间半宽；σ：效应的离散程度，反映交互作用或非线性）：",
    ),
    "sens_title_tornado": (
        "NPV, tornado (the input at its 5th and 95th percentile, every other input at its "
        "median; NPV in {unit}):",
        "净现值单因素敏感性（输入取 5% 与 95% 分位，其余取中位数；净现值单位{unit}）：",
    ),
    "sens_negative": (
        "(a negative effect is sampling noise around zero: the input matters little; a "
        "larger --n narrows it)",
        "（负的效应是零附近的抽样误差：该输入影响很小；增大 --n 可缩小误差）",
    ),
    "sens_every_table": (
        "(every table of every output in {folder}: {outputs})",
        "（各输出的全部表格见 {folder}：{outputs}）",
    ),
    "sens_head_parameter": ("input", "输入"),
    "sens_head_shapley_effect": ("Shapley effect", "Shapley 效应"),
    "sens_head_S1": ("S1 (first order)", "S1（一阶）"),
    "sens_head_ST": ("ST (total)", "ST（总效应）"),
    "sens_head_mu_star": ("μ*", "μ*"),
    "sens_head_sigma": ("σ", "σ"),
    "sens_head_low_value": ("input at 5%", "输入取 5% 分位"),
    "sens_head_high_value": ("input at 95%", "输入取 95% 分位"),
    "sens_head_low": ("at 5%", "5% 分位时"),
    "sens_head_high": ("at 95%", "95% 分位时"),
    "sens_head_base": ("at medians", "中位数时"),
    "sens_head_variance": ("variance", "方差"),
    "sens_head_party": ("party", "参与方"),
    "sens_head_conf": ("± 95%", "±95%"),
}
