"""The words of ``sim portfolio`` (a portfolio of parks and a joint fund): headings,
column heads, notes and the workbook's sheet and key words, ``(English, Chinese)``
templates looked up by :func:`sim.i18n.t` as :data:`sim.i18n.text.TEXT`'s are (the
catalogue merges them; no key is in both).

Plain data, no imports.
"""

from __future__ import annotations

__all__ = ["PORTFOLIO"]

PORTFOLIO: dict[str, tuple[str, str]] = {
    "pf_level_province": ("province", "省级"),
    "pf_level_prefecture": ("prefecture", "地市级"),
    "pf_level_county": ("county", "区县级"),
    "pf_parties": ("parties: {parties}", "参与方：{parties}"),
    "pf_park": (
        "park {id}: {title}, {years}; {mapping}; agreement: {terms}",
        "园区 {id}：{title}，{years}；{mapping}；协议：{terms}",
    ),
    "pf_stake": (
        "the fund holds {stake} of its joint company: its parties' dividends and investment are {rest} of what `sim run` gives the park alone",
        "基金持有其合资公司 {stake} 的股份：其各方的分红与出资为单独 `sim run` 该园区时的 {rest}",
    ),
    "pf_by_shares": ("by fixed shares {shares}", "按固定比例 {shares}"),
    "pf_by_retained": (
        "by each party's own retained tax that year across the parks",
        "按各方当年在各园区的属地留成税收",
    ),
    "pf_by_paid_in": ("by what each party has paid in to date", "按各方累计缴款"),
    "pf_fund": (
        "fund: {name}: {paid} paid in {years}, {basis}; fee {fee} a year of what has been paid in; returns and exit value {returns}; each stake sold at {exit}× what the fund paid in, in its park's last year",
        "基金：{name}：{years} 年缴款 {paid}，{basis}；管理费为每年累计缴款的 {fee}；收益与退出价值{returns}分配；各股份在所在园区最后一年按基金投资额的 {exit} 倍退出",
    ),
    "pf_amounts": (
        "amounts in {unit} per year; general budget = tax + incentives; government-fund budget = net land income; state capital = dividends + investment + fund; net = all three",
        "金额单位：{unit}/年；一般公共预算 = 留成税收 + 税收奖补；政府性基金预算 = 土地出让净收益；国有资本 = 分红 + 出资 + 基金；净收益 = 三者之和",
    ),
    "pf_fund_col": ("Fund", "基金"),
    "pf_general_budget": ("General budget", "一般公共预算"),
    "pf_fund_budget": ("Government-fund budget", "政府性基金预算"),
    "pf_state_capital": ("State capital", "国有资本"),
    "pf_park_col": ("park", "园区"),
    "pf_fund_row": ("fund", "基金"),
    "pf_npv": (
        "NPV at {rate} discount rate ({unit}, {start} = year 0) by park and overall; gain = over no agreement in the park (the fund: over the company flows its stakes took)",
        "净现值：折现率 {rate}（{unit}，{start} 年为第 0 年），按园区及合计；较无协议增减 = 相对该园区无协议（基金一行：相对其股份所占的合资公司收支）",
    ),
    "pf_fund_head": ("the fund, year by year", "基金逐年收支"),
    "pf_fund_paid": ("paid in", "缴款"),
    "pf_fund_invested": ("invested", "基金投资"),
    "pf_fund_fee": ("fee", "管理费"),
    "pf_fund_dividends": ("dividends", "分红"),
    "pf_fund_exit": ("exit", "退出价值"),
    "pf_fund_returned": ("paid back", "余额返还"),
    "pf_fund_balance": ("balance", "余额"),
    "pf_conserved": (
        "money conserved: every park, stream and year adds up (parties and fund) to what `sim run` allocates on the park alone; the fund's paid in = invested + fees + paid back + balance, every year",
        "资金守恒：每个园区、每项收支、每一年，各方与基金所得之和等于单独 `sim run` 该园区的分配；基金每年累计缴款 = 基金投资 + 管理费 + 余额返还 + 余额",
    ),
    "pf_by_park": (
        "park by park: NPV under each park's agreement ({unit}, to {start}; as `sim run`, before the fund) against standing alone in that park",
        "逐个园区：各园区协议下的净现值（{unit}，折现至 {start} 年；同 `sim run`，未计基金）与在该园区独立发展相比",
    ),
    "pf_gain_alone": ("gain over alone", "较独立发展增减"),
    "pf_accepts": ("accepts", "接受"),
    "pf_package": (
        "the package: every park's agreement (and the fund, if any), against standing alone in every park",
        "一揽子方案：各园区协议（及基金，如有）合计，与在各园区均独立发展相比",
    ),
    "pf_fund_adds": (
        "the fund adds {value} to the whole portfolio's value (it needs every party)",
        "基金使整个组合的价值增加 {value}（须各方共同参与）",
    ),
    "pf_in_core": ("the package in the core: {answer}", "一揽子方案在核心内：{answer}"),
    "pf_overall_not_park": (
        "{party} gains overall though it loses to standing alone in: {parks}",
        "{party} 在以下园区不及独立发展，但总体获益：{parks}",
    ),
    "pf_side": (
        "smallest side payment that makes every party accept the package: {total} in all",
        "使各方均接受一揽子方案的最小补偿款：合计 {total}",
    ),
    "pf_side_none": (
        "no side payment makes every party accept: the portfolio is worth less than its parties standing alone",
        "任何补偿款都无法使各方均接受：组合的价值低于各方独立发展之和",
    ),
    "pf_side_zero": (
        "every party accepts the package as it is: no side payment needed",
        "各方均已接受一揽子方案：无需补偿款",
    ),
    "pf_side_core": (
        "smallest side payment that puts the package in the core: {total} in all",
        "使一揽子方案进入核心的最小补偿款：合计 {total}",
    ),
    "pf_side_core_none": (
        "no side payment puts the package in the core: the core is empty",
        "任何补偿款都无法使一揽子方案进入核心：核心为空",
    ),
    "pf_side_core_zero": (
        "the package is in the core as it is: no side payment needed",
        "一揽子方案已在核心内：无需补偿款",
    ),
    "pf_statement": ("Portfolio settlement statement {year}", "园区组合年终结算单 {year}"),
    "pf_statement_parks": (
        "What each park's agreement moves, by party of the portfolio (+ received, − paid)",
        "各园区协议的收支（按组合参与方；+ 为收入，− 为支出）",
    ),
    "pf_statement_before": (
        "Payments park by park, before netting",
        "轧差前各园区的支付",
    ),
    "pf_statement_fund": (
        "The fund's account (not netted: paid into and out of the fund)",
        "基金账户（不参与轧差：缴入与拨付均经基金）",
    ),
    "pf_received": ("received", "收到"),
    "pf_portfolio": ("Portfolio", "园区组合"),
    "pf_book_meta": ("portfolio", "园区组合"),
    "pf_book_parties": ("parties", "参与方"),
    "pf_book_parks": ("parks", "园区"),
    "pf_book_fund": ("fund", "基金"),
    "pf_book_contributions": ("contributions by year", "逐年缴款"),
    "pf_book_fund_shares": ("shares of the fund", "基金分摊比例"),
    "pf_book_stakes": ("the fund's stakes", "基金持股"),
    "pf_book_id": ("id", "编号"),
    "pf_book_name": ("name", "名称"),
    "pf_book_name_zh": ("Chinese name", "中文名称"),
    "pf_book_level": ("level", "级别"),
    "pf_book_title": ("title", "标题"),
    "pf_book_title_zh": ("Chinese title", "中文标题"),
    "pf_book_file": ("scenario file", "情景文件"),
    "pf_book_year": ("year", "年份"),
    "pf_book_amount": ("amount", "金额"),
    "pf_book_party": ("party", "参与方"),
    "pf_book_share": ("share of contributions", "缴款比例"),
    "pf_book_return_share": ("share of returns", "收益分配比例"),
    "pf_book_park": ("park", "园区"),
    "pf_book_stake": ("stake", "持股比例"),
    "pf_book_basis": ("contributions by", "缴款分摊方式"),
    "pf_book_fee": ("management fee", "管理费率"),
    "pf_book_returns": ("returns by", "收益分配方式"),
    "pf_book_exit_multiple": ("exit multiple", "退出倍数"),
    "pf_valid": (
        "({name}: {parties} parties, {parks} parks, fund: {fund})",
        "（{name}：{parties} 个参与方，{parks} 个园区，基金：{fund}）",
    ),
    "pf_after": ("after it: {npvs}", "补偿后：{npvs}"),
}  # fmt: skip
"""Each key's English and Chinese."""
