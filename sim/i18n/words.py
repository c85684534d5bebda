"""The words: names of rules and terms, labels of tables and figures, notes.

Plain data, no imports. Each entry is keyed by its concept; see :mod:`sim.i18n` for the
functions that pick the language, and docs/development.md for how to add a word.
"""

from __future__ import annotations

__all__ = ["ALIASES", "LABELS", "NOTES", "PHRASES", "TERMS"]

TERMS: dict[str, str] = {
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
    "shared": "共享（即随税收分成比例）",
    "tax": "随税收分成比例",
    "benefit": "按受益比例",
    "scrb": "可分离费用—剩余效益法",
    "per_capita_nucleolus": "人均核仁",
    "land": "土地出让收益",
    "dividends": "分红",
    "investment": "出资",
    "statistics": "统计指标",
    "incentives": "税收奖补",
    "window": "协议期",
    "review": "重新协商",
    "as in the agreement: {}": "沿用协议：{}",
    "not the agreement's review": "不沿用协议的重新协商条款",
    "banzhaf": "Banzhaf 值",
    "uniform": "均匀分布",
    "triangular": "三角分布",
    "normal": "正态分布",
    "lognormal": "对数正态分布",
}
"""Chinese names of identifiers (rules, scopes, designs, clauses, parameters): in English
an identifier is its own name."""

ALIASES: dict[str, tuple[str, ...]] = {
    "shapley": ("夏普利值", "沙普利值", "夏普里值", "Shapley值", "Shapley value"),
    "nucleolus": ("核仁解",),
    "prenucleolus": ("预核仁", "前核仁解"),
    "nash": ("纳什", "纳什谈判解", "纳什解", "纳什讨价还价解", "Nash bargaining"),
    "normalized_banzhaf": ("标准化 Banzhaf 值", "标准化班扎夫值"),
    "kalai_smorodinsky": ("KS 解", "卡莱—斯莫罗丁斯基解"),
    "egalitarian": ("平等主义解",),
    "tau_value": ("τ值", "tau 值"),
}
"""Other names a reader may type for an identifier (read, with a note, as the identifier;
never displayed: :data:`TERMS` holds the one displayed name)."""

LABELS: dict[str, dict[str, str]] = {
    "npv": {"en": "NPV", "zh": "净现值"},
    "party": {"en": "Party", "zh": "参与方"},
    "rule": {"en": "Sharing rule", "zh": "分享规则"},
    "year": {"en": "Year", "zh": "年份"},
    "tax": {"en": "Tax retained", "zh": "留成税收"},
    "land": {"en": "Net land income", "zh": "土地出让净收益"},
    "dividends": {"en": "Dividends", "zh": "分红"},
    "investment": {"en": "Investment", "zh": "出资"},
    "net": {"en": "Net benefit", "zh": "净收益"},
    "transfer": {"en": "Transfer received (+) or paid (−)", "zh": "转移收入（+）或支出（−）"},
    "source": {"en": "No agreement (source)", "zh": "无协议（属地）"},
    "standalone": {"en": "Standing alone", "zh": "独立发展"},
    "flows": {"en": "Yearly flows", "zh": "年度收支"},
    "comparison": {"en": "NPV by sharing rule", "zh": "各分享规则下的净现值"},
    "transfers": {"en": "Transfers under the agreement", "zh": "协议下的税收转移"},
    "distribution": {"en": "NPV across scenarios", "zh": "各情景下的净现值分布"},
    "p_loss": {"en": "P(worse than alone)", "zh": "劣于独立发展的概率"},
    "fan": {"en": "Yearly net benefit, 5–95% band", "zh": "年度净收益（5%–95%区间）"},
    "median": {"en": "median", "zh": "中位数"},
    "heatmap": {
        "en": "Share of scenarios where every party ≥ standing alone",
        "zh": "各方均不低于独立发展的情景比例",
    },
    "heatmap_source": {
        "en": "Share of scenarios where every party ≥ no agreement",
        "zh": "各方均不低于无协议的情景比例",
    },
    "band": {"en": "Acceptable pool share", "zh": "可接受的分成比例"},
    "share_of": {"en": "share of the pool", "zh": "分成比例"},
    "tornado": {"en": "NPV sensitivity, one input at a time", "zh": "净现值单因素敏感性"},
    "sobol": {"en": "Sobol indices", "zh": "Sobol 敏感性指数"},
    "first_order": {"en": "first order", "zh": "一阶"},
    "total_order": {"en": "total order", "zh": "总效应"},
    "morris": {"en": "Morris screening", "zh": "Morris 筛选"},
    "shapley_effects": {"en": "Shapley effects", "zh": "Shapley 效应"},
    "source_tax": {"en": "Tax collected at source", "zh": "属地征收税收"},
    "upper_tier": {"en": "To upper tiers", "zh": "上解上级"},
    "tornado_table": {
        "en": "One input at a time: each at its 5% and 95% quantile, the others at their medians",
        "zh": "单因素敏感性：各输入取 5% 与 95% 分位，其余取中位数",
    },
    "sobol_axis": {
        "en": "index (share of NPV variance)",
        "zh": "指数（占净现值方差的比例）",
    },
    "shapley_axis": {
        "en": "Shapley effect (share of NPV variance; correlated inputs)",
        "zh": "Shapley 效应（占净现值方差的比例；输入相关）",
    },
    "low": {"en": "low", "zh": "低值"},
    "high": {"en": "high", "zh": "高值"},
    "unit": {"en": "100m CNY", "zh": "亿元"},
    "waterfall": {
        "en": "Where the gain over no agreement comes from",
        "zh": "较无协议增减的来源",
    },
    "gain": {"en": "Gain over no agreement", "zh": "较无协议增减"},
    "feature": {"en": "Clause", "zh": "条款"},
    "compliance": {"en": "Compliance", "zh": "结算率"},
    "floors": {"en": "Floors", "zh": "保底"},
    "cap": {"en": "Cap", "zh": "年度转移上限"},
    "review": {"en": "Review", "zh": "重新协商"},
    "tax_clause": {"en": "Tax", "zh": "税收分成"},
    "land_clause": {"en": "Land income", "zh": "土地出让收益"},
    "dividends_clause": {"en": "Dividends", "zh": "分红"},
    "investment_clause": {"en": "Investment", "zh": "出资"},
    "statistics_clause": {"en": "Statistics", "zh": "统计指标"},
    "incentives": {"en": "Tax incentives", "zh": "税收奖补"},
    "incentives_clause": {"en": "Incentives", "zh": "税收奖补"},
    "incentives_about": {
        "en": "who bears the tax rebated to the firms attracted",
        "zh": "返还给招引企业的税收由谁承担",
    },
    "source_incentives": {
        "en": "Incentives paid where they arise (− paid to firms)",
        "zh": "属地支付税收奖补（−为向企业支付）",
    },
    "incentives_borne": {"en": "Incentives borne as agreed", "zh": "按协议承担税收奖补"},
    "firm rebate_share": {"en": "rebate share", "zh": "税收返还比例"},
    "firm rebate_share about": {
        "en": "share of the tax its party keeps of it rebated to the firm",
        "zh": "本级留成税收中返还给企业的比例",
    },
    "firm rebate_years": {"en": "rebate years", "zh": "税收返还年数"},
    "firm rebate_years about": {
        "en": "the rebate is paid in the first this many years of its output",
        "zh": "投产后前若干年返还",
    },
    "party input about": {
        "en": "the default for the firms registered in this party (a firm's own wins)",
        "zh": "在本方注册企业的默认值（企业自填的优先）",
    },
    "land_about": {"en": "who gets net land income", "zh": "土地出让净收益归谁"},
    "dividends_about": {
        "en": "who gets the joint company's dividends",
        "zh": "合资公司分红归谁",
    },
    "investment_about": {"en": "who pays the joint capex", "zh": "共同投资由谁出资"},
    "statistics_about": {
        "en": "to whom the park's output, value added, investment and tax are counted",
        "zh": "园区产值、增加值、投资和税收统计计入哪一方",
    },
    "total_gain": {"en": "Total", "zh": "合计"},
    "robust": {
        "en": "Share of scenarios every party accepts, by pool share",
        "zh": "各方均可接受的情景比例（按分成比例）",
    },
    "p_accept": {"en": "P(every party ≥ standing alone)", "zh": "各方均不低于独立发展的概率"},
    "p_accept_source": {"en": "P(every party ≥ no agreement)", "zh": "各方均不低于无协议的概率"},
    "best": {"en": "most often accepted", "zh": "最常被接受"},
    "as_written": {"en": "(scenario as written)", "zh": "（按文件所设情景）"},
    "agreement": {"en": "agreement", "zh": "协议"},
    "drafted": {"en": "as drafted", "zh": "协议比例"},
    "shapley": {"en": "Shapley", "zh": "Shapley 值"},
    "nucleolus": {"en": "nucleolus", "zh": "核仁"},
    "nash": {"en": "Nash bargaining", "zh": "纳什谈判"},
    "tradeoff": {"en": "PRIM peeling trajectory", "zh": "PRIM 剥离轨迹"},
    "coverage": {"en": "coverage", "zh": "覆盖率"},
    "density": {"en": "density", "zh": "密度"},
    "lift": {"en": "lift", "zh": "提升度"},
    "res_dim": {"en": "inputs restricted", "zh": "受限输入个数"},
    "chosen": {"en": "chosen box", "zh": "所选区域"},
    "box": {"en": "Where the event concentrates", "zh": "事件集中的参数区域"},
    "sweep_low": {"en": "lowest swept", "zh": "扫描下限"},
    "sweep_high": {"en": "highest swept", "zh": "扫描上限"},
    "all_alone": {"en": "every party ≥ standing alone", "zh": "各方均不低于独立发展"},
    # sim validate and every error
    "ok": {"en": "ok", "zh": "通过"},
    "error": {"en": "error: ", "zh": "错误："},
    "valid_scenario": {
        "en": "{name}: {parties} parties, {firms} firms, {years} years, rule {rule}",
        "zh": "{name}：{parties} 个参与方，{firms} 家企业，{years} 年，规则 {rule}",
    },
    "valid_sweep": {
        "en": "sweep of {name}: {parameters} parameters, {design} design, {n} scenarios, agreements {rules}",
        "zh": "{name} 的扫描：{parameters} 个参数，{design}设计，{n} 个情景，协议 {rules}",
    },
    # sim discover: the event in words
    "event_holds": {
        "en": "{who} at least as well off under {rule} as {than}",
        "zh": "在“{rule}”下，{who}均不劣于{than}",
    },
    "event_fails": {
        "en": "{who} worse off under {rule} than {than}",
        "zh": "在“{rule}”下，{who}劣于{than}",
    },
    "every_party": {"en": "every party", "zh": "各方"},
    "some_party": {"en": "some party", "zh": "至少一方"},
    "than_standalone": {"en": "standing alone", "zh": "独立发展"},
    "than_source": {"en": "with no agreement", "zh": "无协议（属地）"},
    "and_join": {"en": " and ", "zh": "，且 "},
    "everywhere": {"en": "(everywhere)", "zh": "（无约束）"},
    # settlement statements (sim settle)
    "statement": {"en": "Settlement statement", "zh": "年终结算单"},
    "contributions": {"en": "Pool contributions, firm by firm", "zh": "分成池缴入（按企业）"},
    "firm": {"en": "Firm", "zh": "企业"},
    "registered": {"en": "Registered in", "zh": "注册地"},
    "introduced_by": {"en": "Introduced by", "zh": "引进方"},
    "pooled": {"en": "Pooled", "zh": "入池"},
    "pool": {"en": "Pool", "zh": "分成池合计"},
    "shares_applied": {"en": "Shares of the pool applied", "zh": "当年适用分成比例"},
    "factor": {"en": "Factor", "zh": "因素"},
    "weight": {"en": "weight", "zh": "权重"},
    "item": {"en": "Item", "zh": "项目"},
    "agreed_share": {"en": "Agreed share of the pool", "zh": "按协议应分得"},
    "agreed": {"en": "Agreed transfer (+ receivable, − payable)", "zh": "应收（+）或应付（−）"},
    "unsettled": {"en": "Not settled (compliance)", "zh": "未结算（结算率）"},
    "held_back": {"en": "Held back by the cap", "zh": "超上限扣留"},
    "top_up": {"en": "Floor top-up", "zh": "保底补足"},
    "settled": {
        "en": "Tax transfer settled (+ received, − paid)",
        "zh": "实收（+）或实付（−）税收",
    },
    "net_settled": {"en": "Settled in all (+ received, − paid)", "zh": "实收（+）或实付（−）合计"},
    "tax_lines": {"en": "Tax, party by party", "zh": "税收分成（按参与方）"},
    "payments": {
        "en": "Payments (netted: one per pair of treasuries)",
        "zh": "轧差后支付（每对财政之间一笔）",
    },
    "payer": {"en": "Payer", "zh": "付款方"},
    "payee": {"en": "Payee", "zh": "收款方"},
    "amount": {"en": "Amount", "zh": "金额"},
    "yuan": {"en": "yuan", "zh": "元"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "amounts_in": {"en": "Amounts in", "zh": "金额单位"},
    "none": {"en": "none", "zh": "无"},
    "terms": {"en": "Terms", "zh": "结算条款"},
    "analysed_output": {"en": "output", "zh": "输出"},
    "output_npv": {"en": "NPV", "zh": "净现值"},
    "output_gain_vs_source": {"en": "gain over no agreement", "zh": "较无协议增减"},
    "output_gain_vs_standalone": {"en": "gain over standing alone", "zh": "较独立发展增减"},
    "drivers": {
        "en": "What drives each party's NPV and gains: the {k} inputs with the largest {measure}",
        "zh": "各方净现值及其较无协议增减、较独立发展增减的主要驱动：{measure}最大的 {k} 个输入",
    },
    "rank_shapley": {
        "en": "Shapley effect (share of the output's variance)",
        "zh": "Shapley 效应（占输出方差的比例）",
    },
    "rank_sobol": {
        "en": "total-order Sobol index (share of the output's variance)",
        "zh": "总效应 Sobol 指数（占输出方差的比例）",
    },
    "rank_morris": {"en": "Morris μ* (in the amount unit)", "zh": "Morris μ*（金额单位）"},
    "rank_tornado": {
        "en": "tornado swing (output at the 95% quantile − at the 5%)",
        "zh": "单因素摆幅（95% 分位与 5% 分位时输出之差）",
    },
    "rank_1": {"en": "largest", "zh": "第一"},
    "rank_2": {"en": "second", "zh": "第二"},
    "rank_3": {"en": "third", "zh": "第三"},
    "table_number": {"en": "Table", "zh": "表"},
    "figure_number": {"en": "Figure", "zh": "图"},
    "full_stop": {"en": ". ", "zh": "。"},
}
"""Labels of tables and figures, and headings, in English and Chinese."""


NOTES: dict[str, dict[str, str]] = {
    "review_grid": {
        "en": "a review clause: a party's acceptable shares need not form an interval, so "
        "P(every party accepts) was evaluated on the model at every point of a grid of step "
        "{step:g} (exact at those points; the best share is found to that step)",
        "zh": "协议含重新协商条款，各方可接受的比例未必连成区间，故在步长 {step:g} 的网格各点上"
        "用模型逐一计算各方均可接受的概率（网格点上精确，最优比例精确到该步长）",
    },
    "one_share": {
        "en": "each scenario accepts at most one share: with no agreement as the basis, what "
        "one party gains over it the other loses",
        "zh": "以无协议为基准时，一方所得即另一方所失，每个情景至多只接受一个比例",
    },
    "choice_accepted": {
        "en": "  acceptable to every party (each ≥ standing alone) in {share} ({count:,}) of "
        "the {scenarios:,} scenarios where it is defined",
        "zh": "  在其有定义的 {scenarios:,} 个情景中，{share}（{count:,} 个）各方均不低于独立发展",
    },
    "choice_accepted_source": {
        "en": "  acceptable to every party (each ≥ no agreement) in {share} ({count:,}) of "
        "the {scenarios:,} scenarios where it is defined",
        "zh": "  在其有定义的 {scenarios:,} 个情景中，{share}（{count:,} 个）各方均不低于无协议",
    },
    "lift_basis": {
        "en": "lift: density ÷ the event's share of all the scenarios ({rate}): how many "
        "times likelier the event is inside the box than over the whole sweep.",
        "zh": "提升度：密度 ÷ 事件在全部情景中的比例（{rate}），即区域内事件发生的可能性是整个"
        "扫描的几倍。",
    },
    "regret_none": {
        "en": "no scenario in which every agreement compared is defined: no minimax-regret choice",
        "zh": "没有一个情景能使所比较的各协议均有定义，无法按极小化最大遗憾选择",
    },
    "bisection": {
        "en": "floors or a cap: each scenario's interval was found on the model by bisection",
        "zh": "协议含保底或转移上限，各情景的可接受区间在模型上用二分法求得",
    },
    "simplex_grid": {
        "en": "{parties} parties: the best shares on a grid of step {step:g} over the simplex; "
        "the greatest probability lies between {low:.1%} and {high:.1%}",
        "zh": "{parties} 方：在步长 {step:g} 的比例网格上求最优；最高概率介于 {low:.1%} 与 "
        "{high:.1%} 之间",
    },
    "simplex_grid_exact": {
        "en": "{parties} parties: the best shares on a grid of step {step:g} over the simplex; "
        "no shares off the grid do better ({high:.1%})",
        "zh": "{parties} 方：在步长 {step:g} 的比例网格上求最优；网格外没有更好的比例（{high:.1%}）",
    },
    "simplex_model": {
        "en": "floors or a cap: the grid was searched without them, and the probabilities at "
        "the best and the marked shares evaluated on the model with them",
        "zh": "协议含保底或转移上限：网格搜索时不计，最优比例及所标比例的概率再用完整模型计算",
    },
    "no_box": {
        "en": "no box of at least {mass:.0%} of the scenarios has the event more often than "
        "the sweep as a whole",
        "zh": "没有哪个占情景 {mass:.0%} 以上的参数区域比整体更常发生该事件",
    },
    "too_many": {
        "en": "box {box}: every step restricts more than {most} inputs",
        "zh": "区域 {box}：每一步都限制了 {most} 个以上的输入",
    },
    "further_box": {
        "en": "a further box reaches a density of only {density:.0%} with at most {most} "
        "conditions: not shown",
        "zh": "下一个区域在至多 {most} 个条件下密度仅为 {density:.0%}，未列出",
    },
    "densest": {
        "en": "box {box}: no step with at most {most} conditions reaches the density asked "
        "({density:.0%}); the densest such step is shown",
        "zh": "区域 {box}：至多 {most} 个条件时没有一步达到所要求的密度（{density:.0%}），"
        "列出的是其中最密的一步",
    },
    "never_varies": {
        "en": "inputs that never vary are left out: {inputs}",
        "zh": "始终不变的输入未纳入：{inputs}",
    },
    "always": {
        "en": "the event happens in every scenario: there is no condition to find",
        "zh": "该事件在所有情景中都发生，无条件可找",
    },
    "mostly": {
        "en": "the event happens in {rate} of the scenarios: where it does not may say more "
        "(turn the question round: --holds)",
        "zh": "该事件在 {rate} 的情景中发生：反过来看它不发生的条件可能更有信息（--holds）",
    },
    "mostly_held": {
        "en": "the event happens in {rate} of the scenarios: where it does not may say more "
        "(ask without --holds)",
        "zh": "该事件在 {rate} 的情景中发生：反过来看它不发生的条件可能更有信息（去掉 --holds）",
    },
    "never": {"en": "the event never happens", "zh": "该事件从未发生"},
    "weak_box": {
        "en": "a {method} box with a density of {density:.1%} is not shown: within {points:.0f} "
        "points of the event's share of all the scenarios ({rate:.1%}), it is not a finding",
        "zh": "一个 {method} 区域的密度为 {density:.1%}，与该事件在全部情景中的占比"
        "（{rate:.1%}）相差不到 {points:.0f} 个百分点，不构成发现，未列出",
    },
    "changed": {
        "en": "{source} has changed since the run; this is the run as stored",
        "zh": "{source} 在运行后已被修改；此处为保存的运行结果",
    },
    "gone": {
        "en": "{source} is no longer there; this is the run as stored",
        "zh": "{source} 已不在原处；此处为保存的运行结果",
    },
    "shapley_instead": {
        "en": "the inputs are correlated: Shapley effects (Owen 2014; Song, Nelson & Staum "
        "2016) instead of Sobol indices, which do not split the variance then",
        "zh": "输入之间相关：以 Shapley 效应（Owen 2014；Song, Nelson & Staum 2016）代替 Sobol "
        "指数，后者在输入相关时不能分解方差",
    },
    "morris_independent": {
        "en": "Morris screening treats the inputs as independent",
        "zh": "Morris 筛选按输入相互独立处理",
    },
    "tornado_oat": {
        "en": "the tornado moves one input at a time, the others at their medians",
        "zh": "龙卷风图每次只变动一个输入，其余取中位数",
    },
    "partial": {
        "en": "partial: the sweep is not complete; {done:,} of {n:,} scenarios examined",
        "zh": "不完整：扫描尚未完成，仅分析了 {done:,} / {n:,} 个情景",
    },
    "outside_window": {
        "en": "{year} is outside the agreement's years {first}–{last}: no tax or land to settle",
        "zh": "{year} 年不在协议期 {first}–{last} 年内，无税收或土地收益需要结算",
    },
    "nothing_moves": {
        "en": "nothing moves between treasuries in {year}: nothing to settle",
        "zh": "{year} 年各方财政之间没有资金往来，无需结算",
    },
    "pays": {
        "en": "{payer} pays {payee} {amount} {unit}",
        "zh": "{payer} 向 {payee} 支付 {amount} {unit}",
    },
    "review_switched": {
        "en": "the review clause switched the shares from {year} on",
        "zh": "重新协商条款自 {year} 年起改变了分成比例",
    },
    "resolved": {
        "en": "{rule}: delivered by constant shares of the pool",
        "zh": "{rule}：以固定的分成比例实现",
    },
    "netting": {
        "en": "each payer's net payment is divided between the receivers in proportion to "
        "what each receives; + received, − paid",
        "zh": "各付款方的净支付按各收款方应收金额的比例分配；+ 为收入，− 为支出",
    },
    "terms_line": {
        "en": "compliance {compliance:.0%}; cap {cap}; floors {floors}",
        "zh": "结算率 {compliance:.0%}；年度转移上限 {cap}；保底 {floors}",
    },
}
"""Remarks attached to results, templates with ``{param}`` fields."""


PHRASES: dict[str, tuple[str, str]] = {
    "scenario": ("Scenario", "情景"),
    "parties": ("Parties", "参与方"),
    "comparison_table": ("Comparison of sharing rules", "分享规则比较"),
    "figures": ("Figures", "图"),
    "parameters": ("Parameters", "参数"),
    "party": ("party", "参与方"),
    "name": ("name", "名称"),
    "retained_share": ("retained share", "本级留成比例"),
    "rule": ("rule", "分享规则"),
    "gain_vs_source": ("gain vs source", "较无协议增减"),
    "gain_vs_alone": ("gain vs alone", "较独立发展增减"),
    "all_vs_alone": ("every party ≥ standing alone", "各方均不低于独立发展"),
    "firm": ("firm", "企业"),
    "registered_in": ("registered in", "注册地"),
    "introduced_by": ("introduced by", "引进方"),
    "first_year": ("first year", "投产年份"),
    "growth": ("growth", "增长率"),
    "summary": ("Summary", "摘要"),
    "seed": ("seed", "随机种子"),
    "run": ("run", "运行编号"),
    "sensitivity": ("Sensitivity", "敏感性分析"),
    "sweep": ("Sweep", "情景扫描"),
    "statistics_split": ("Statistics", "统计指标分算"),
    "clause": ("clause", "条款"),
    "gain_by_clause_table": (
        "Gain over no agreement by clause (median)",
        "较无协议增减（按条款，中位数）",
    ),
    "statistics_counted": ("Statistics counted (median share)", "统计指标分算（中位数比例）"),
    "indicator": ("indicator", "指标"),
    "others_at_median": ("other inputs at their medians", "其他输入取中位数"),
    "incomplete": ("INCOMPLETE", "未完成"),
    "terms_table": ("Terms", "计算依据"),
    "terms_column": ("terms", "所依条款"),
    "swept_inputs": ("Swept inputs", "变动的输入"),
    "input": ("input", "输入"),
    "input_distribution": ("distribution", "分布"),
    "correlation": ("correlation", "相关"),
    "all_inputs_vary": ("every swept input varies", "所有变动输入均随情景变化"),
    "others_vary_in_cell": (
        "the other swept inputs vary within each cell",
        "每格内其他变动输入随情景变化",
    ),
    "yearly_flows": ("Yearly flows", "年度收支"),
    "findings": ("Findings", "主要结论"),
    "runs": ("runs", "次运行"),
    "npv_p50": ("p50", "净现值中位数"),
    "npv_p95": ("p95", "净现值 95%分位"),
    "p_worse_source": ("P(< source)", "劣于无协议的概率"),
    "p_worse_alone": ("P(< alone)", "劣于独立发展的概率"),
    "undefined_count": ("undefined", "无定义的情景数"),
    "n_scenarios": ("scenarios", "个情景"),
    "incomplete_k_of_n": ("incomplete: {k} of {n} scenarios", "未完成：已算 {k} / {n} 个情景"),
    "design": ("design", "抽样设计"),
    "note": ("note", "说明"),
    "robust_shares": ("Robust shares", "稳健分成比例"),
    "minimax_regret": ("Minimax regret", "极小化最大遗憾"),
    "max_regret": ("max regret", "最大遗憾"),
    "p95_regret": ("p95 regret", "95% 分位遗憾"),
    "choice": ("choice", "选择"),
    "method": ("method", "方法"),
    "conditions": ("conditions", "条件"),
    "mass": ("mass", "情景占比"),
    "discovery": ("Scenario discovery", "情景发现"),
    "event": ("event", "事件"),
    "with_event": ("scenarios with the event", "发生事件的情景"),
}
"""The words of a report (its headings, column heads and notes) by concept, in English
and Chinese; a word the text commands share is :data:`sim.i18n.TEXT`'s, a rule's or a
design's name :data:`TERMS`'s."""
