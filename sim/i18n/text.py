"""The words of the text commands (``sim run``, ``compare``, ``game``, ``rules``, ``sweep``),
and the sentences the core writes in English that they translate.

Plain data, no imports. ``TEXT``: headings, column heads and notes, ``(English,
Chinese)`` templates with ``{param}`` fields, looked up by :func:`sim.i18n.t`.
``SENTENCES``: English sentences the model, the agreement and the games write (a
reason an agreement is undefined, say), each with its Chinese: :func:`sim.i18n.translate`
matches a text against the English templates, so that reasons stored in a sweep's
results read in Chinese too. ``SUMMARIES``: each registered rule's summary and each
parameter's description in Chinese (the English is the registry's).
"""

from __future__ import annotations

__all__ = ["SENTENCES", "SUMMARIES", "TEXT", "USAGE"]

TEXT: dict[str, tuple[str, str]] = {
    # shared
    "note_line": ("note: {note}", "说明：{note}"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "NO": ("NO", "否"),
    "total": ("total", "合计"),
    "party_col": ("party", "参与方"),
    "id_col": ("id", "编号"),
    "year_col": ("year", "年份"),
    "gain_col": ("gain", "较无协议增减"),
    "label_col": ("label", "方案"),
    "rule_col": ("rule", "规则"),
    "in_core": ("in core", "在核心内"),
    "core_line": ("core: {state} (least-core ε = {eps})", "核心：{state}（最小核心 ε = {eps}）"),
    "core_EMPTY": ("EMPTY", "为空"),
    "core_is_empty": ("empty", "为空"),
    "core_not_empty": ("not empty", "非空"),
    "short_alone": ("{who} gets {got}, less than the {value} it has alone", "{who} 得到 {got}，少于其独立发展的 {value}"),
    "short_together": ("{who} together get {got}, less than the {value} they have on their own", "{who} 合计得到 {got}，少于其自行合作的 {value}"),
    "short_total": ("the parties get {got} in all, not the {value} all of them have together", "各方合计得到 {got}，不等于全体合作的 {value}"),
    "not_acceptable_why": ("not acceptable: {why}", "不可接受：{why}"),
    "not_in_core_why": ("{label} is not in the core: {why}", "{label} 不在核心内：{why}"),
    # an agreement in words
    "review_text": (
        "review from {first}: if {party}'s cumulative tax gain < {below}, shares {after}",
        "重新协商：自 {first} 年起，若 {party} 累计税收增益低于 {below}，分成改为 {after}",
    ),
    # sim run
    "run_agreement": ("agreement: {terms}", "协议：{terms}"),
    "run_amounts": (
        "amounts in {unit} per year; net = {streams}",
        "金额单位：{unit}/年；净收益 = {streams}",
    ),
    "source_tax_col": ("source tax", "属地征收税收"),
    "transfer_col": ("tax transfer", "税收转移"),
    "source_stream_col": ("{stream} at source", "属地{stream}"),
    "run_npv": (
        "NPV at {rate} discount rate ({unit}, {start} = year 0); gain = NPV − NPV with no agreement",
        "净现值：折现率 {rate}（{unit}，{start} 年为第 0 年）；较无协议增减 = 净现值 − 无协议时的净现值",
    ),
    "target_delivered": (
        "{rule}: target NPVs delivered by pool shares {pids} = {shares}{reached}",
        "{rule}：以分成比例 {pids} = {shares} 实现目标净现值{reached}",
    ),
    "not_reached": (" (nearest feasible; target not reached)", "（最接近的可行比例；未达到目标）"),
    "investment_by": ("investment by {rule}: {capex}", "出资按{rule}：{capex}"),
    "capex_shares": ("capex shares {pids} = {shares}", "出资比例 {pids} = {shares}"),
    "no_capex": ("no capex to divide", "没有需分摊的出资"),
    "statistics_head": (
        "statistics counted to each party over the horizon ({unit}, share in brackets; never "
        "added to money): {basis}",
        "计入各方的统计指标（测算期合计，{unit}，括号内为占比；不计入资金）：{basis}",
    ),
    "indicator_col": ("indicator", "指标"),
    "at_source_other_years": (", at source in other years", "，其余年份按属地"),
    "stats_source": (
        "at source (output, value added and tax where firms are registered; investment where "
        "it is paid)",
        "按属地（产值、增加值和税收计入企业注册地；投资计入出资方）",
    ),
    "stats_tax": ("by the tax pool's shares in {years}{others}", "{years} 年按税收分成比例{others}"),
    "stats_equity": ("by shareholding in {years}{others}", "{years} 年按股比{others}"),
    "stats_fixed": ("{pids} = {ratio} in {years}{others}", "{years} 年 {pids} = {ratio}{others}"),
    "where_gain": (
        "where each party's gain over no agreement comes from (NPV; Shapley value over the "
        "agreement's features, summing exactly to the gain)",
        "各方较无协议增减的来源（净现值；按协议各条款的 Shapley 值分解，各项之和恰为较无协议增减）",
    ),
    "feature_col": ("feature", "条款"),
    # sim compare
    "compare_npv": (
        "NPV at {rate} discount rate, in {unit}; gain = NPV − NPV under source (no agreement); "
        "all ≥ alone: every party nets at least its standalone value",
        "净现值：折现率 {rate}，单位 {unit}；较无协议增减 = 净现值 − 无协议（属地）时的净现值；"
        "各方均不低于独立发展：各方净收益均不低于其独立发展的价值",
    ),
    "parties_line": ("parties: {parties}", "参与方：{parties}"),
    "standalone_line": (
        "standing alone (v(i), see `sim game`): {values}; core {core}",
        "独立发展（v(i)）：{values}；核心{core}",
    ),
    "core_not_computed": ("not computed", "未计算"),
    "npv_of": ("NPV {party}", "净现值 {party}"),
    "gain_of": ("gain {party}", "较无协议增减 {party}"),
    "alone_of": ("alone {party}", "独立 {party}"),
    "all_ge_alone": ("all ≥ alone", "各方均不低于独立发展"),
    "all_ge_source": ("all ≥ source", "各方均不低于无协议"),
    "row_terms": ("{label}: {terms}", "{label}：{terms}"),
    "row_undefined": (" → undefined (see the note below)", " → 无定义（见下方说明）"),
    "row_shares": (" → pool shares {shares}", " → 分成比例 {shares}"),
    "row_nearest": (" (nearest feasible)", "（最接近的可行比例）"),
    "explain_head": (
        "where each party's gain over no agreement comes from (NPV, {unit}; the Shapley value "
        "over the agreement's features, so the parts sum to the gain)",
        "各方较无协议增减的来源（净现值，{unit}；按协议各条款的 Shapley 值分解，各项之和即较无协议增减）",
    ),
    "files_head": (
        "Each file's own agreement, side by side: NPV {basis}, in {unit}; gain = NPV − NPV under "
        "source (no agreement) in the same file; alone = standalone value",
        "各文件按其自身协议并列比较：净现值{basis}，单位 {unit}；较无协议增减 = 净现值 − 同一文件无协议"
        "（属地）时的净现值；独立 = 独立发展的价值",
    ),
    "files_rate": ("at a {rate} discount rate", "按折现率 {rate}"),
    "files_rates": (
        "each at its own file's discount rate (they differ)",
        "各按其文件的折现率（各不相同）",
    ),
    "file_col": ("file", "文件"),
    "files_more": (
        "(each file's full comparison: `sim compare FILE`)",
        "（各文件的完整比较：`sim compare FILE`）",
    ),
    # sim game
    "game_head": (
        "Cooperative game of [{name}]: v(S) = total NPV of coalition S cooperating alone ({unit})",
        "合作博弈 [{name}]：v(S) = 联盟 S 单独合作时的净现值合计（{unit}）",
    ),
    "coalition_col": ("coalition", "联盟"),
    "surplus_line": (
        "surplus of cooperating: v(N) − Σ v(i) = {surplus}",
        "合作剩余：v(N) − Σ v(i) = {surplus}",
    ),
    "undefined_rule": ("  {rule}: undefined, {reason}", "  {rule}：无定义，{reason}"),
    "acceptable_head": (
        "acceptable pool shares, with the agreement's other terms as written: {terms}",
        "可接受的分成比例（协议其余条款按文件所写）：{terms}",
    ),
    "none_acceptable": (
        "no pool shares leave every party and coalition at least as well off as on its own",
        "没有任何分成比例能使各方及各联盟均不低于其独立发展",
    ),
    "two_acceptable": (
        "{first} between {low} and {high} of the pool ({second} the rest): both do at least as "
        "well as alone",
        "{first} 分成比例介于 {low} 与 {high} 之间（其余归 {second}）：双方均不低于独立发展",
    ),
    "many_acceptable": (
        "every party and coalition does at least as well as alone with shares in these ranges "
        "(jointly, summing to 1){approx}:",
        "分成比例在以下区间内（合计为 1）时，各方及各联盟均不低于独立发展{approx}：",
    ),
    "approximate": (
        "; approximate: the search with floors did not settle",
        "；近似：含保底的搜索未收敛",
    ),
    "least_col": ("least", "下限"),
    "most_col": ("most", "上限"),
    # sim game solve
    "problem_many": ("{problem} problem, {n} players", "{problem}问题，{n} 个参与者"),
    "problem_few": ("{problem} problem, players {players}", "{problem}问题，参与者 {players}"),
    "player_col": ("player", "参与者"),
    "undefined_note": ("{rule}: {undefined}{note}", "{rule}：{undefined}{note}"),
    "undefined_comma": ("undefined, ", "无定义，"),
    # sim rules
    "tax_clause_head": ("TAX CLAUSE: sharing.rule", "税收分成条款：sharing.rule"),
    "clause_head": (
        "{upper} CLAUSE: sharing.{clause} (default {default})",
        "{name}条款：sharing.{clause}（默认 {default}）",
    ),
    "divides_pool": ("divides the pool", "划分税收池"),
    "fair_target": (
        "fair-division target, delivered as constant pool shares",
        "公平分配目标，以固定分成比例实现",
    ),
    "parameters_line": ("  parameters: {params}", "  参数：{params}"),
    "no_params": ("none", "无"),
    "reference_line": ("  reference: {reference}", "  文献：{reference}"),
    # fiscal-policy schedules (a fiscal parameter given by year)
    "policy_head": ("fiscal policy by year:", "分年度财政政策："),
    "policy_label": ("fiscal policy", "财政政策"),
    "policy_line": ("{name}: {spans}", "{name}：{spans}"),
    "policy_to": ("{value} to {last}", "{last} 年及以前 {value}"),
    "policy_from": ("{value} from {first}", "{first} 年起 {value}"),
    "policy_between": ("{value} in {first}–{last}", "{first}–{last} 年 {value}"),
    "policy_in": ("{value} in {first}", "{first} 年 {value}"),
    "policy_col": ("fiscal policy", "财政政策"),
    "policy_summary_head": ("By fiscal policy:", "按财政政策："),
    "policy_in_force": ("in force", "各年度取值"),
    "policy_as_file": ("as in the scenario file", "与情景文件相同"),
    "policies_table": ("Fiscal policies", "财政政策"),
    "policy_summary_table": ("Summary by fiscal policy", "按财政政策汇总"),
    "schedule_step": ("{value} from {year}", "{year}年起 {value}"),
    "schedule_sep": ("; ", "；"),
    "schedule_hint": (
        "or by year: 0.5 from 2021; 0.45 from 2027",
        "或按年份填写：2021年起 0.5；2027年起 0.45",
    ),
    # sim sweep summary
    "sweep_head": (
        "Sweep of [{name}]: {n} {scenarios}, {design} design, seed {seed}; NPV in {unit}",
        "扫描 [{name}]：{n} 个情景，{design}设计，随机种子 {seed}；净现值单位 {unit}",
    ),
    "scenario_one": ("scenario", "情景"),
    "scenario_many": ("scenarios", "情景"),
    "sweep_incomplete": (
        "INCOMPLETE: {done} of {n} scenarios; resume the sweep for the rest",
        "未完成：{n} 个情景中已完成 {done} 个；继续扫描以完成其余情景",
    ),
    "agreement_col": ("agreement", "协议"),
    "npv_p5": ("NPV p5", "净现值 5%分位"),
    "p50": ("p50", "中位数"),
    "p95": ("p95", "95%分位"),
    "p_all_alone": ("P(all ≥ alone)", "各方均不低于独立发展的概率"),
    "p_all_source": ("P(all ≥ source)", "各方均不低于无协议的概率"),
    "p_all_basis": (
        "P(all ≥ …): share of scenarios in which every party does at least as well as {basis}.",
        "均不低于……的概率：各方均不低于{basis}的情景比例。",
    ),
    "basis_alone": ("standing alone", "独立发展"),
    "basis_source": ("the source position (no agreement)", "无协议（属地）"),
    "undefined_in": (
        "{rule}: undefined in {k} of {n} scenarios (left out of its statistics){why}",
        "{rule}：在 {n} 个情景中有 {k} 个无定义（不计入其统计）{why}",
    ),
    "unreached_in": (
        "{rule}: target not reached by constant shares in {k} of {n} scenarios (the nearest "
        "shares are used)",
        "{rule}：在 {n} 个情景中有 {k} 个无法以固定比例达到目标（采用最接近的比例）",
    ),
    "gain_by_clause": (
        "{rule}: gain over no agreement by clause (median, {pids}): {parts}",
        "{rule}：较无协议增减按条款分解（中位数，{pids}）：{parts}",
    ),
    "stats_counted": (
        "{rule}: statistics counted (median share, {pids}): {parts}",
        "{rule}：计入的统计指标（占比中位数，{pids}）：{parts}",
    ),
    "results_in": ("results in {folder}", "结果保存在 {folder}"),
    # the statistics' indicators
    "output": ("output", "产值"),
    "value_added": ("value added", "增加值"),
    "indicator_investment": ("investment", "固定资产投资"),
    "indicator_tax": ("tax", "税收"),
    # a briefing's findings and terms (sim.briefing)
    "brief_gains": (
        "Under the agreement ({terms}), over {start}–{end} at a {rate} discount rate: {each}; in {unit}.",
        "按协议（{terms}），{start}–{end} 年、折现率 {rate} 下：{each}，单位{unit}。",
    ),
    "brief_gain_item": ("{name} nets {npv} ({gain} against no agreement)", "{name}净现值 {npv}（较无协议增减 {gain}）"),
    "brief_all_alone": (
        "Every party does at least as well as standing alone ({each}).", "各方均不低于独立发展：{each}。"
    ),
    "brief_alone_item": ("{name} {alone} alone", "{name}独立发展 {alone}"),
    "brief_not_all_alone": (
        "Not every party does at least as well as standing alone: {each}.", "并非各方均不低于独立发展：{each}。"
    ),
    "brief_short_item": (
        "{name} falls {gap} short ({npv} against {alone} alone)", "{name}比独立发展少 {gap}（{npv}，独立发展 {alone}）"
    ),
    "brief_approx": (" (approximate)", "（近似）"),
    "brief_drafted": ("; the agreement gives {name} {share}", "；协议为{name} {share}"),
    "brief_none_acceptable": (
        "With the agreement's other terms as written, no pool shares leave every party at least as well off as standing alone.",
        "在协议其他条款不变时，任何分成比例都不能使各方均不低于独立发展。",
    ),
    "brief_none_acceptable_many": (
        "With the agreement's other terms as written, no pool shares leave every party and coalition at least as well off as alone.",
        "在协议其他条款不变时，任何分成比例都不能使每一方及每个联盟均不低于独立发展。",
    ),
    "brief_acceptable_two": (
        "With the agreement's other terms as written, a pool share for {first} between {low} and {high} ({second} the rest) leaves both at least as well off as standing alone{approx}{drafted}.",
        "在协议其他条款不变时，{first}分成比例在 {low}–{high} 之间（其余归{second}）可使双方均不低于独立发展{approx}{drafted}。",
    ),
    "brief_acceptable_many": (
        "With the agreement's other terms as written, pool shares in these ranges (summing to 100%) leave every party and coalition at least as well off as alone{approx}: {ranges}.",
        "在协议其他条款不变时，各方分成比例在以下范围内（合计 100%）可使每一方及每个联盟均不低于独立发展{approx}：{ranges}。",
    ),
    "brief_nearest": (" (nearest feasible)", "（最接近的可行值）"),
    "brief_delivered": (", delivered by pool shares {ratio}{near}", "，由分成比例 {ratio} 实现{near}"),
    "brief_fair": ("{who}: {split}{shares}.", "{who}：{split}{shares}。"),
    "terms_unit": ("unit", "单位"),
    "terms_horizon": ("horizon", "期限"),
    "terms_rate": ("discount rate", "折现率"),
    "terms_party": ("party {id}", "参与方 {id}"),
    "terms_keeps": ("{name}, keeps {kept} of its local tax", "{name}，本级留成 {kept}"),
    "terms_keeps_by_year": ("{name}, keeps of its local tax: {kept}", "{name}，本级留成：{kept}"),
    "terms_party_default": ("party {id}: {what} (default of its firms)", "参与方 {id}：{what}（本方注册企业默认值）"),
    "terms_firm_own": ("firm {name}: {what}", "企业 {name}：{what}"),
    "terms_term": ("agreement term {k}", "协议条款 {k}"),
    "terms_item": ("item", "项目"),
    "terms_value": ("value", "内容"),
    # a report's headings and captions (sim.report)
    "name_in_brackets": ("{code} ({name})", "{code}（{name}）"),
    "share_suffix": (" (share)", "（占比）"),
    "document_language": ("en-US", "zh-CN"),
    "comparison_lines": (" · dashed: no agreement; dotted: standing alone", " · 虚线：无协议；点线：独立发展"),
    "waterfall_caption": (
        " · Shapley value over the agreement's clauses; parts sum to the gain",
        " · 按协议条款的 Shapley 值分解，各部分之和等于较无协议增减",
    ),
    "summary_agreement": ("Agreement", "协议"),
    "summary_horizon": ("Horizon", "期限"),
    "summary_years": ("{start}–{end}, discount rate {rate}", "{start}–{end}，折现率 {rate}"),
    "summary_unit": ("Unit", "单位"),
    # a workbook's headers and what a cell may hold (sim.workbook)
    "header_unit": ("{text} [{unit}]", "{text}（{unit}）"),
    "allowed_party": ("a party id", "参与方编号"),
    "flag_true": ("TRUE", "是"),
    "flag_false": ("FALSE", "否"),
    "allowed_parties": ("party ids, separated by commas", "参与方编号，逗号分隔"),
    "allowed_id": ("letters, digits, -_. (≤ {most})", "字母、数字、-、_、.（至多 {most} 个）"),
    "allowed_year": ("a year in the horizon", "测算期内的年份"),
    "allowed_whole": ("whole number {span}", "整数 {span}"),
    # a value in its unit (sim.schema)
    "value_years": ("{x} years", "{x} 年"),
    "value_mu": ("{x} mu", "{x} 亩"),
    "per_mu": ("/mu", "/亩"),
    # figures (sim.plots)
    "figures_at_top": ("\n(figures at the top: {what})", "\n（顶部数字：{what}）"),
    # what a command wrote (sim.cli)
    "wrote_path": ("wrote {path}", "已写入 {path}"),
    "wrote_whose": (
        "wrote {path} ({shown}'s; --party for another: {others})",
        "已写入 {path}（{shown} 的图；另一参与方的图用 --party：{others}）",
    ),
    "serve_open": ("sim serve: open {url}  (folder {folder}; Ctrl-C to stop)", "sim serve：请打开 {url}（文件夹 {folder}；按 Ctrl-C 停止）"),
    "serve_stopped": ("stopped", "已停止"),
    "serve_exposed": ("warning: listening on {host}, not only on this machine: anyone who can reach it on port {port} can open the scenarios in {folder}, upload files and read the results. Use this only on a network you trust; the default --host 127.0.0.1 keeps the page to this machine.", "警告：正在 {host} 上监听，不限于本机：能访问其 {port} 端口的任何人都可以打开 {folder} 中的情景、上传文件并查看结果。请只在可信的网络中这样使用；默认的 --host 127.0.0.1 只允许本机访问。"),
    "wrote_run": ("wrote {path}, flows.parquet and manifest.json", "已写入 {path}、flows.parquet 和 manifest.json"),
    "wrote_docx": ("wrote {path} ({figures})", "已写入 {path}（{figures}）"),
    "wrote_report": ("wrote {path}, {tables} and {figures}", "已写入 {path}、{tables} 和 {figures}"),
    "figures_one": ("{n} figure", "{n} 张图"),
    # a report's tables for programs in tables.xlsx (sim.report.write.tidy_sheet)
    "tidy_sheet": ("{name} (tidy)", "{name}（数据）"),
    "tidy_comparison": ("comparison", "规则比较"),
    "tidy_decomposition": ("decomposition", "较无协议增减来源"),
    "tidy_flows": ("flows", "年度收支"),
    "tidy_tornado": ("tornado", "单因素敏感性"),
    "tidy_sobol": ("sobol", "Sobol 指数"),
    "tidy_shapley": ("shapley", "Shapley 效应"),
    "tidy_morris": ("morris", "Morris 筛选"),
    "tidy_about": ("about the tidy sheets", "数据表说明"),
    "tidy_note": (
        "The sheets marked (tidy) are for programs: a row per value, and column names that "
        "are stable keys (label, party, year, stream, value, unit …), the same in every "
        "language; the tables above them are for reading.",
        "标有“（数据）”的工作表供程序读取：每行一个数值；列名为固定的英文键（label、party、year、"
        "stream、value、unit 等），不随语言改变，方案名称和单位则用中文。供阅读的是前面的各表。",
    ),
    "figures_many": ("{n} figures", "{n} 张图"),
    "wrote_what": ("{wrote} ({name}: {what})", "{wrote}（{name}：{what}）"),
    "count_party": ("{n} party", "{n} 个参与方"),
    "count_parties": ("{n} parties", "{n} 个参与方"),
    "count_firm": ("{n} firm", "{n} 家企业"),
    "count_firms": ("{n} firms", "{n} 家企业"),
    "count_sale": ("{n} land sale", "{n} 宗土地出让"),
    "count_sales": ("{n} land sales", "{n} 宗土地出让"),
    "count_alternative": ("{n} alternative", "{n} 个比较方案"),
    "count_alternatives": ("{n} alternatives", "{n} 个比较方案"),
    # a swept input's distribution in words (sim.sweep)
    "dist_values": ("values ", "取值 "),
    # sim sweep export
    "export_approximated": ("approximated: {line}", "近似处理：{line}"),
    "export_incomplete": ("note: the sweep is INCOMPLETE; the export holds the scenarios done so far", "说明：扫描未完成；导出的仅为已完成的情景"),
    # the workbook's notes sheet: how to use it (book_usage_)
    "book_usage_run": (
        "A scenario for sim, to fill in. Then: sim compare THIS.xlsx (also run, game, report, validate); sim convert THIS.xlsx THIS.toml writes it as a scenario file.",
        "sim 的情景数据表，填好后运行：sim compare 本文件.xlsx（也可 run、game、report、validate）；sim convert 本文件.xlsx 本文件.toml 转为情景文件。",
    ),
    "book_usage_keys": (
        "Keep the headers of row 1 and the keys of column A (scenario, agreements): sim reads columns by their header and rows by their key, in English or Chinese. A sheet or column whose name starts with # is yours: sim reads past it.",
        "请保留第 1 行的列名和“情景”“协议”表 A 列的键：sim 按列名读列、按键读行，中英文均可。名称以 # 开头的工作表或列由您自用，sim 不读取。",
    ),
    "book_usage_cells": (
        "An empty cell takes its default. Rates and shares are fractions (13% is 0.13; typing 13% works too). Amounts are in {unit}.",
        "空单元格取默认值。比率和比例填小数（13% 填 0.13，直接输入 13% 亦可）。金额单位：{unit}。",
    ),
    "book_usage_sheets": (
        "parties: a row per party, with its equity in the joint company. agreements: column D is the agreement, each column after it an alternative shown by sim compare; rows that do not apply to a column's rule stay empty.",
        "参与方表：每方一行，含其在合资公司中的股比。协议表：D 列为协议，其后每列为一个比较方案（sim compare 并列比较）；与该列规则无关的行留空。",
    ),
    "book_usage_party": (
        "To add a party: a row on the parties sheet (equities still summing to 1), its firms on the firms sheet, and a row for it in every table of shares the agreement uses (shares.<id>, floors.<id>, land.shares.<id>, …); sim validate names each missing row and the cell where it goes.",
        "添加参与方：在参与方表加一行（股比之和仍须为 1），在企业表加其企业，并在协议用到的每个比例表中为其加一行（shares.<编号>、floors.<编号>、land.shares.<编号> 等）；sim validate 会指出每一缺少的行及其应插入的单元格。",
    ),
    # words of the workbook (book_), sensitivity tables (sens_), units (unit_word_)
    "book_key": ("key", "键"),
    "book_item": ("item", "项目"),
    "book_unit": ("unit", "单位"),
    "book_value": ("value", "值"),
    "book_agreement": ("agreement", "协议"),
    "book_alternative": ("alternative {n}", "比较方案 {n}"),
    "book_none": ("none", "无"),
    "book_sheet": ("sheet", "工作表"),
    "book_column": ("column or row", "列或行"),
    "book_allowed": ("allowed", "取值"),
    "book_default": ("default", "默认"),
    "book_meaning": ("meaning", "含义"),
    "book_required": ("required", "必填"),
    "book_rule": ("rule", "规则"),
    "book_about": ("what it does", "说明"),
    "unit_word_fraction": ("fraction", "比例"),
    "unit_word_fraction/yr": ("fraction/yr", "比例/年"),
    "unit_word_unit": ("{amount}", "{amount}"),
    "unit_word_unit/yr": ("{amount}/yr", "{amount}/年"),
    "unit_word_unit/mu": ("{amount}/mu", "{amount}/亩"),
    "unit_word_mu": ("mu", "亩"),
    "unit_word_year": ("year", "年份"),
    "unit_word_years": ("years", "年"),
    "per_year": ("/yr", "/年"),

    "dist_low": ("low", "下限"),
    "dist_high": ("high", "上限"),
    "dist_mode": ("mode", "众数"),
    "dist_mean": ("mean", "均值"),
    "dist_sd": ("sd", "标准差"),
    "dist_mu": ("mu", "μ"),
    "dist_sigma": ("sigma", "σ"),
    "dist_choice": ("choice: ", "离散取值："),
    "dist_truncated": (", truncated to [{low}, {high}]", "，截断于 [{low}, {high}]"),
    # sim robust and sim discover (sim.text.decisions)
    "robust_head": (
        "Robust pool shares for [{name}]: {n} scenarios ({design}, seed {seed}); each party compared with: {basis_lower}",
        "稳健分成比例 [{name}]：{n} 个情景（{design}，随机种子 {seed}）；基准：{basis}",
    ),
    "robust_no_drafted": (
        "as drafted: the agreement's rule ({rule}) has no constant pool shares to mark",
        "协议规则（{rule}）没有固定分成比例，无法标出",
    ),
    "robust_fair": (
        "{rules}: the shares of the scenario as written, held constant in every scenario.",
        "{rules}：按文件所设情景求得的比例，在各情景中保持不变",
    ),
    "robust_near_best": (
        "Any {party} share in {spans} is within one percentage point of the best.",
        "{party} 分成比例在 {spans} 内，概率与最高值相差不超过 1 个百分点",
    ),
    "robust_maximin": (
        "Best for the worst-off party on average: {split}; expected gain over {basis} ({amount}): {gains}",
        "使最差一方期望收益最大的比例：{split}；期望收益（{amount}）：{gains}",
    ),
    "robust_acceptable": (
        "Acceptable {party} share per scenario: least {low} at the median (5–95%: {q5}–{q95}), greatest {high} at the median; no acceptable share in {empty} of scenarios",
        "各情景可接受的 {party} 比例：下限中位数 {low}（5%–95%：{q5}–{q95}），上限中位数 {high}；无可接受比例的情景 {empty}",
    ),
    "regret_agreement": ("agreement (resolved in each scenario)", "协议（各情景分别求解）"),
    "regret_max": ("max regret ({amount})", "最大遗憾（{amount}）"),
    "regret_whose": ("whose", "遗憾最大的一方"),
    "regret_p95": ("p95 regret", "95% 分位遗憾"),
    "regret_head": (
        "Minimax regret (Savage) among the agreements compared, over {n} scenarios (regret: a party's shortfall from the agreement best for it in that scenario)",
        "极小化最大遗憾（Savage）：各协议在 {n} 个情景中的遗憾",
    ),
    "regret_choice": ("Choice: {choice}", "选择：{choice}"),
    "waterfall_whole": ("{feature} (the whole gain)", "{feature}（即全部较无协议增减）"),
    "regret_more_often": (
        "  more often acceptable to every party: {others} — minimax regret limits the largest "
        "shortfall, not how often every party accepts",
        "  各方均可接受的情景更多的方案：{others}——最小最大后悔值只限制最大差额，不看各方均可接受的频率",
    ),
    "regret_tied": ("tied: {tied} (the first in the sweep's order is named)", "并列：{tied}（取扫描顺序中的第一个）"),
    "regret_left_out": (
        "{n} scenarios where some agreement is undefined are left out", "有协议无定义的 {n} 个情景未计入"
    ),
    "discover_head": (
        "Scenario discovery for [{name}]: {event} in {events} of {n} scenarios ({rate})",
        "情景发现 [{name}]：{event}——{events} / {n} 个情景（{rate}）",
    ),
    "conditions_col": ("conditions", "条件"),
    "mass_col": ("mass", "情景占比"),
    "discover_legend": (
        "coverage: share of the event's scenarios inside the box; density: share of the box's scenarios with the event; mass: share of all scenarios in the box.",
        "覆盖率：事件落在区域内的比例；密度：区域内情景发生事件的比例；情景占比：区域内情景占全部情景的比例。",
    ),
    "discover_left_out": (
        "{n} scenarios where the agreement is undefined are left out", "协议无定义的 {n} 个情景未计入"
    ),
}  # fmt: skip
"""Headings, column heads and notes of the text commands, English then Chinese."""

USAGE = (
    "book_usage_run",
    "book_usage_keys",
    "book_usage_cells",
    "book_usage_sheets",
    "book_usage_party",
)
"""The lines of the workbook's notes sheet that say how to use it, in order."""

SENTENCES: dict[str, tuple[str, str]] = {
    # notes with a label and a status in front: "{label}: {status}: {reason}"
    "status_note": ("{labels}: {status}{where}: {reason}", "{labels}：{status}{where}：{reason}"),
    "in_k_of_n": (" in {k} of {n} scenarios", "（{n} 个情景中的 {k} 个）"),
    "target not reached": ("target not reached", "未达到目标"),
    "undefined": ("undefined", "无定义"),
    "investment_by_rule": ("investment by {rule}: {reason}", "出资按{rule}：{reason}"),
    # the agreement and sim compare
    "no_shares": (
        "no constant pool shares in [0, 1] deliver the target NPVs; the nearest are used",
        "[0, 1] 内没有能实现目标净现值的固定分成比例，采用最接近的比例",
    ),
    "equity_left_out": (
        "equity left out: the scenario has no investment.equity",
        "未列入按股比：情景未设 investment.equity",
    ),
    "too_many_parties": (
        "{n} parties: the cooperative game ({coalitions} coalitions) is computed up to {most} "
        "parties; left out: {labels}",
        "{n} 个参与方：合作博弈（{coalitions} 个联盟）只计算到 {most} 个参与方；未列入：{labels}",
    ),
    # the games
    "worth_less": (
        "cooperating is worth less than standing alone (v(N) < Σ v(i)): no division leaves "
        "every party at least as well off as alone",
        "合作的价值低于独立发展（v(N) < Σ v(i)）：没有哪种分配能使各方均不低于独立发展",
    ),
    "proportional_signs": (
        "standalone values must share a sign and not sum to 0 for proportional division",
        "按比例分配要求各方独立价值同号且之和不为 0",
    ),
    "banzhaf_zero": ("the raw Banzhaf values sum to 0", "原始 Banzhaf 值之和为 0"),
    "not_quasi_balanced": (
        "the game is not quasi-balanced (m ≤ M, Σm ≤ v(N) ≤ ΣM fails)",
        "该博弈不是拟平衡的（m ≤ M, Σm ≤ v(N) ≤ ΣM 不成立）",
    ),
    "empty_imputations": (
        "the imputation set is empty (Σ v(i) > v(N))",
        "分配集为空（Σ v(i) > v(N)）",
    ),
    "negative_remaining": (
        "a remaining benefit is negative: a party's separable cost c(N) − c(N∖i) exceeds what "
        "it would pay alone (or for its alternative), so the most it may be charged is below "
        "the least it must be charged",
        "剩余效益为负：某方的可分离费用 c(N) − c(N∖i) 超过其单独承担（或替代方案）的费用，"
        "其可承担的上限低于必须承担的下限",
    ),
    "no_remaining": (
        "every remaining benefit is 0 while the non-separable cost is not: there is nothing to "
        "divide it in proportion to",
        "各方剩余效益均为 0 而不可分离费用不为 0：无从按比例分摊",
    ),
    "no_cost_imputations": (
        "c(N) exceeds the sum of the standalone costs: no allocation has every party pay at most "
        "what it would alone",
        "c(N) 超过各方单独费用之和：没有哪种分摊能使各方所付均不超过其单独承担的费用",
    ),
}  # fmt: skip
"""English sentences the core writes, and their Chinese (``{param}``: any text, itself
translated where it is a sentence or a name)."""

SUMMARIES: dict[str, str] = {
    # the tax rules (sharing.rule)
    "source": "不作再分配：各企业的留成税收归其注册地一方（1994 年分税制的属地原则）。",
    "fixed": "税收池按固定比例划分，多数协议即如此约定（高竹新区增量 50:50、辽宁飞地 5:5、"
    "广元—青川 6:4）。",
    "equity": "税收池按合资开发公司的股比划分，如江苏南北共建园区。",
    "formula": "每年的比例为各方所在地入池企业产值、工资的份额以及股比、累计出让土地份额的加权"
    "平均；某因素当年合计为零时不计，其余权重按比例放大。",
    "introducer": "每家入池企业的税收在引进投资的一方与企业注册地一方之间划分（飞地经济做法）。",
    "shapley": "各方得到其在该情景博弈各联盟中的平均边际贡献。",
    "normalized_banzhaf": "Banzhaf 值（各联盟上边际贡献的平均）按 v(N) 重新标定。",
    "nucleolus": "使最不满意的联盟尽可能满意、再依次类推（字典序）的分配；核心非空时必在核心内。",
    "prenucleolus": "在全部有效分配上求的核仁（不要求个体理性）。",
    "tau_value": "各方理想收益与最低应得之间的有效折中。",
    "equal_surplus": "各方的独立价值加上合作剩余的均分。",
    "proportional_standalone": "按各方独立价值的比例分配 v(N)。",
    "nash": "就合作收益进行纳什谈判：总额为 v(N)，谈判破裂点为各方独立价值 v(i)；设权重时为"
    "非对称解。",
    "kalai_smorodinsky": "收益与各方理想收益成比例：总额为 v(N)，谈判破裂点为各方独立价值 v(i)，"
    "理想收益为其乌托邦收益 v(N) − v(N∖i)。",
    "egalitarian": "相对独立发展的收益相等：总额为 v(N)，谈判破裂点为各方独立价值 v(i)。",
    # the other clauses' rules (sharing.land, .dividends, .investment, .statistics)
    "clause.source": "按发生地：土地出让收益归出让土地的一方；产值、增加值和税收统计计入企业注册地，"
    "投资计入出资方。",
    "clause.shared": "与 `tax` 相同：情景格式早先对“土地收益按税收分成比例划分”的叫法。",
    "clause.tax": "在协议年份内按税收分成比例（税收规则有比例时，即除 introducer 外的所有规则）；"
    "否则按默认：土地与统计按属地，分红按股比。土地收益按结算率结算。",
    "clause.equity": "按合资开发公司的股比（investment.equity）。",
    "clause.fixed": "按条款中写明的固定比例：土地与统计限协议年份，分红与出资每年适用。",
    "clause.benefit": "成本共担、利益共享：各方按合作带来的收益（协议下净现值减其独立价值）比例"
    "分摊共同出资；出资会改变收益，故取不动点：x = a / Σ a，a 为不出资时的收益。",
    "clause.scrb": "对共同出资的费用博弈用可分离费用—剩余效益法：各方承担其可分离费用，"
    "不可分离费用按剩余效益比例分摊。",
    "clause.shapley": "共同出资费用博弈的 Shapley 值。",
    "clause.nucleolus": "共同出资费用博弈的核仁。",
    "clause.per_capita_nucleolus": "共同出资费用博弈的人均核仁（各联盟的超额除以其参与方数）。",
    # the parameters (rule.parameter)
    "fixed.shares": "各方在税收池中的比例，合计为 1",
    "formula.weights": "各因素（产值、工资、出资、土地）的权重，合计为 1",
    "introducer.share": "每家入池企业税收中归引进方的比例；其余留在注册地",
    "nash.weights": "各方的谈判权重（> 0；默认各为 1）",
}
"""Each rule's summary and each parameter's description in Chinese, keyed by the rule's
name (a tax rule), ``clause.<name>`` (another clause's rule) or ``<rule>.<parameter>``."""
