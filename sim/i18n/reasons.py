"""Validation reasons: a key, parameters, and a template in each language.

A checker writes ``Reason("range", interval="(-1, 10]", got="30")`` where it wrote the
English text before: a :class:`Reason` *is* that English text (a ``str``), so every
message, test and JSON document in English stays as it was, and it also knows its key
and parameters, so :func:`render` writes it in Chinese (``须在 (-1, 10] 之内，实为 30``).

In a Chinese template ``{what!w}`` is the Chinese name of the parameter's value
(:data:`sim.i18n.words.TERMS`, :data:`WORDS`); a parameter that is itself a
:class:`Reason` is rendered in the same language.
"""

from __future__ import annotations

import string
from typing import Any

__all__ = ["REASONS", "WORDS", "Reason", "describe", "render"]

REASONS: dict[str, tuple[str, str]] = {
    # the input file as a whole
    "invalid": ("{source}: not a valid {what} ({n} problem{s})", "{source}：不是有效的{what!w}（{n} 个问题）"),
    "more": ("… and {n} more", "……另有 {n} 个"),
    "no_file": ("no such file", "文件不存在"),
    "not_utf8": ("cannot be read: not UTF-8 text", "无法读取：不是 UTF-8 文本"),
    "toml_syntax": ("TOML syntax error: {error}", "TOML 语法错误：{error}"),
    "too_deep": ("nested too deeply to read", "嵌套层数过多，无法读取"),
    # tables and keys
    "missing_table": ("{missing} table", "{missing!w}：缺少此表"),
    "not_table": ("must be a table, got {got}", "须为表，实为{got}"),
    "unknown_key": ("unknown key (allowed here: {allowed})", "未知的键（此处可用：{allowed}）"),
    "array_of_tables": ("must be an array of tables ([[{key}]]), got {got}", "须为表数组（[[{key}]]），实为{got}"),
    # values
    "missing_number": ("{missing} (a number is required)", "{missing!w}（须填数字）"),
    "missing_whole": ("{missing} (a whole number is required)", "{missing!w}（须填整数）"),
    "missing_string": ("{missing} (a string is required)", "{missing!w}（须填文字）"),
    "not_number": ("must be a number, got {got}", "须为数字，实为{got}"),
    "not_finite": ("must be a finite number, got {got}", "须为有限数字，实为 {got}"),
    "range": ("must be in {interval}, got {got}", "须在 {interval} 之内，实为 {got}"),
    "not_whole": ("must be a whole number, got {got}", "须为整数，实为{got}"),
    "between": ("must be between {lo} and {hi}, got {got}", "须在 {lo} 与 {hi} 之间，实为 {got}"),
    "must_be": ("must be {what}, got {got}", "须为{what}，实为 {got}"),
    "year_span": ("a year inside the horizon {first}–{last}", "测算期 {first}–{last} 内的年份"),
    "not_string": ("must be a string, got {got}", "须为文字，实为{got}"),
    "too_long": ("is {length} characters long; at most {most}", "长 {length} 个字符，最多 {most} 个"),
    "not_printable": ("must be printable text without surrounding spaces, got {got}", "须为可打印文字且首尾无空格，实为 {got}"),
    "one_of": ("must be one of {options}, got {got}", "须为 {options} 之一，实为 {got}"),
    "not_boolean": ("must be true or false, got {got}", "须为 true 或 false，实为{got}"),
    "sum_to_one": ("must sum to 1, got {total}", "之和须为 1，实为 {total}"),
    "schedule_table": ("a schedule by year is a table {{ from = {{ <year> = <value>, … }} }}, got {got}", "按年份的安排须写成表 {{ from = {{ <年份> = <数值>, … }} }}，实为{got}"),
    "schedule_key": ("unknown key in a schedule (write {{ from = {{ <year> = <value>, … }} }})", "安排中的未知键（请写 {{ from = {{ <年份> = <数值>, … }} }}）"),
    "schedule_empty": ("a schedule needs at least one year: {{ from = {{ {start} = <value> }} }}", "安排至少须有一个年份：{{ from = {{ {start} = <数值> }} }}"),
    "schedule_year": ("must be a year (four digits), got {got}", "须为年份（四位数字），实为 {got}"),
    "schedule_after": ("{year} is after the horizon's last year {last}", "{year} 晚于测算期最后一年 {last}"),
    "schedule_start": ("the schedule starts in {first}: say the value from the horizon's first year, {start} = …", "安排从 {first} 年起：请写明测算期第一年起的数值，{start} = …"),
    "share_table": ("must be a table of {what} → share, got {got}", "须为{what!w} → 比例的表，实为{got}"),
    # ids and references
    "name_party": ("must name a party ({parties})", "须填参与方编号（{parties}）"),
    "unknown_firm": ("unknown firm {got} (firms: {firms})", "未知的企业 {got}（企业：{firms}）"),
    "review_no_shares": ("missing: the pool's shares after the review", "缺失：重新协商后的分成比例"),
    "capex_no_equity": ("missing: who pays the capex? give equity = {{ … }}", "缺失：共同投资由谁出资？请填写 equity = {{ … }}"),
    "unknown_party": ("unknown party {got} (parties: {parties})", "未知的参与方 {got}（参与方：{parties}）"),
    "unknown_id": ("unknown {what} {got} (known: {known})", "未知的{what!w} {got}（可用：{known}）"),
    "duplicate_id": ("duplicate {what} id {got}", "{what!w}编号 {got} 重复"),
    "duplicate_label": ("duplicate label {got}", "方案名 {got} 重复"),
    "missing_party": ("missing: every party must appear in every shares table (write {party} = 0 to give it none)", "缺少：每个参与方都须出现在每张比例表中（不分给它也须写 {party} = 0）"),
    "empty_id": ("must not be empty: give the {what} a short id (letters, digits, -, _, .)", "不能为空：请给{what!w}一个简短编号（字母、数字、-、_、.）"),
    "empty_label": ("must not be empty: name the alternative", "不能为空：请给比较方案命名"),
    "reserved_label": ("{label} is reserved for the rows sim compare adds: {reserved}{why}", "{label} 是 sim compare 自带行的名称：{reserved}{why}"),
    "fair_label": ("; a table labelled {label} must be of rule {label} (it replaces that row)", "；名为 {label} 的方案须采用 {label} 规则（它将取代该行）"),
    "reserved_label_zh": ("its Chinese name {zh} is reserved for the rows sim compare adds: {reserved}", "其中文名 {zh} 是 sim compare 自带行的名称：{reserved}"),
    "duplicate_label_zh": ("its Chinese name {zh} is also the Chinese name of {first}", "其中文名 {zh} 与 {first} 的中文名重复"),
    "unknown_rule": ("unknown rule {got} (known: {known})", "未知的规则 {got}（可用：{known}）"),
    "rule_needs_equity": ("rule {got} needs investment.equity", "规则 {got} 需要 investment.equity"),
    "two_parties": ("an agreement needs at least 2 parties, got {n}", "协议至少需要 2 个参与方，实为 {n} 个"),
    "no_parties": ("missing: give at least 2 [[parties]] tables", "缺失：至少须有 2 个 [[parties]] 表"),
    "no_firms": ("missing: give at least one [[firms]] table (a firm that pays tax)", "缺失：至少须有 1 个 [[firms]] 表（一家纳税企业）"),
    "empty_firms": ("must hold at least one firm", "至少须有一家企业"),
    # what people type (sim.schema.typed)
    "read_as": ("{where}: {typed} read as {read}", "{where}：{typed} 读作 {read}"),
    "wrong_unit": ("{typed}: {unit} is not a unit of this value ({want})", "{typed}：{unit} 不是此项的单位（{want}）"),
    "unit_fraction": ("a fraction: type 0.5 or 50%", "比例：请填 0.5 或 50%"),
    "unit_year": ("a year: type the number alone", "年份：请只填数字"),
    "unit_years": ("a number of years: type it alone or with 年", "年数：请只填数字或加“年”"),
    "unit_mu": ("an area in mu: type it alone or with 亩", "面积（亩）：请只填数字或加“亩”"),
    "unit_cny": ("an amount in 100m CNY: type it alone or with 亿元; 万元 and 元 are converted", "金额（亿元）：请只填数字或加“亿元”；万元、元会换算"),
    "unit_amount": ("an amount in {amount}: type the number alone", "金额（{amount}）：请只填数字"),
    "unit_none": ("type the number alone", "请只填数字"),
    "range_percent": ("must be in {interval}, got {got} — did you mean {got}% = {fraction}?", "须在 {interval} 之内，实为 {got}——是否应为 {got}% = {fraction}？"),
    "unknown_rule_near": ("unknown rule {got} — did you mean {near}? (known: {known})", "未知的规则 {got}——是否应为 {near}？（可用：{known}）"),
    "one_of_near": ("must be one of {options}, got {got} — did you mean {near}?", "须为 {options} 之一，实为 {got}——是否应为 {near}？"),
    # workbooks
    "unknown_sheet_key": ("unknown key {got} (see the notes sheet)", "未知的键 {got}（见说明页）"),
    "unknown_item": ("unknown item {got}: give its key in A", "未知的项目 {got}：请在 A 列填写其键"),
    "missing_party_row": ("missing: no row for party {party} — insert a row here with {key} in column A and its value in column {column} (0 to give it none)", "缺少：没有参与方 {party} 的行——请在此处插入一行，A 列填 {key}，{column} 列填其数值（不分给它填 0）"),
    "party_named": ("{party} ({name})", "{party}（{name}）"),
    "row_without_key": ("values in a row without its key", "该行有数值但没有键"),
    "beside_value": ("values beside the value column: only one is read", "值列旁也有数值：只读取值列"),
    "book_formula": ("a formula whose value was never computed: open and save the workbook in Excel or WPS, or type the value", "公式的值从未计算过：请在 Excel 或 WPS 中打开并保存工作簿，或直接填写数值"),
    "unknown_sheet": ("unknown sheet (sheets: {known}; name yours '#…')", "未知的工作表（可用：{known}；自用的工作表请以“#”开头命名）"),
    "second_sheet": ("a second {name} sheet (the first: {first})", "第二张{zh}表（第一张：{first}）"),
    "no_header": ("no header row: name the columns ({known})", "没有列名行：请填写列名（{known}）"),
    "no_header_key": ("no header row: column A is headed 'key' (键)", "没有列名行：A 列的列名须为“键”（key）"),
    "column_without_header": ("values in a column without a header: head it with its name, or with '#…' for notes of your own", "该列有数值但没有列名：请填写列名；自用的备注列请以“#”开头命名"),
    "unknown_column": ("unknown column {got} (columns here: {known})", "未知的列 {got}（此处可用：{known}）"),
    "second_column": ("a second column for {got} (the first is {first})", "{got} 列重复（第一列为 {first} 列）"),
    "row_without_year": ("a row without its year", "该行没有年份"),
    "again": ("{got} again (row {row})", "{got} 重复（见第 {row} 行）"),
    "not_xlsx": ("not an .xlsx workbook (save it as 'Excel Workbook (*.xlsx)')", "不是 .xlsx 工作簿（请另存为“Excel 工作簿 (*.xlsx)”）"),
    "damaged_zip": ("not an .xlsx workbook: a damaged zip archive ({error})", "不是 .xlsx 工作簿：zip 压缩包已损坏（{error}）"),
    "unreadable_xlsx": ("cannot be read as an .xlsx workbook ({kind}: {error})", "无法作为 .xlsx 工作簿读取（{kind}：{error}）"),
    "sheet_unchecked": ("a sheet whose part could not be checked: save the workbook again in Excel", "无法检查该工作表的文件部件：请在 Excel 中重新保存工作簿"),
    "beyond_row": ("row {n}", "第 {n} 行"),
    "beyond_column": ("column {n} ({letters})", "第 {n} 列（{letters}）"),
    "beyond": ("a value beyond {beyond}: a sheet is read up to row {rows} and column {columns}; move it, or delete it if it is not needed", "超出{beyond}的数值：工作表只读取到第 {rows} 行、第 {columns} 列；请移动它，不需要的话请删除"),
    "damaged_string": ("a damaged cell: it points to shared string {value} and the workbook has {n}; save it again in Excel or WPS", "单元格已损坏：它指向共享字符串 {value}，而工作簿共有 {n} 个；请在 Excel 或 WPS 中重新保存"),
    "damaged_cell": ("a damaged cell: a {kind} cell holds {value}; type it again, or save the workbook again in Excel or WPS", "单元格已损坏：{kind!w}单元格中为 {value}；请重新输入，或在 Excel 或 WPS 中重新保存工作簿"),
    # amounts too large to compute (sim.schema.magnitude)
    "about_power": ("about 1e+{n}", "约 1e+{n}"),
    "beyond_float": ("more than 1e+308", "超过 1e+308"),
    "float_max": (" — more than float64 can hold (about 1.8e+308)", "——超出 float64 的表示范围（约 1.8e+308）"),
    "big_discount": ("{rate} over {n} years makes a discount factor of {power}{beyond}; it must stay below {most}: raise horizon.discount_rate or shorten horizon.years", "折现率 {rate} 经 {n} 年得到的折现系数为 {power}{beyond}；须小于 {most}：请提高 horizon.discount_rate 或缩短 horizon.years"),
    "big_output": ("output {output} growing {growth} a year for {years} years reaches {power}; amounts must stay below {most} (the file's unit)", "产值 {output} 按每年 {growth} 增长 {years} 年后达到 {power}；金额须小于 {most}（以文件的金额单位计）"),
    "big_land": ("area × price = {power}; amounts must stay below {most}", "面积 × 单价 = {power}；金额须小于 {most}"),
    "big_amount": ("{power} is above {most}", "{power} 超过 {most}"),
    # requests to the page (sim serve): why one is refused
    "page_lang": ("lang must be one of {langs}, got {got}", "lang 须为 {langs} 之一，实为 {got}"),
    "page_json_object": ("the body must be a JSON object", "请求内容须为 JSON 对象"),
    "page_no_workspace": ("no such scenario here (the server may have been restarted): open it again", "此处没有这个情景（服务可能已重启）：请重新打开"),
    "page_fields": ("fields must be a JSON object of field name → value", "fields 须为“字段名 → 值”的 JSON 对象"),
    "page_not_listed": ("{got} is not a scenario listed here", "{got} 不是此处列出的情景"),
    "page_choose_file": ("choose a scenario file to upload", "请选择要上传的情景文件"),
    "page_no_figure": ("no figure {got} for this scenario", "该情景没有图 {got}"),
    "page_sweep_input": ("input must be one of {options}", "input 须为 {options} 之一"),
    "page_points": ("points must be a whole number from 2 to {most}", "点数须为 2 到 {most} 之间的整数"),
    "page_low_high": ("low must be below high, got {low} and {high}", "起点须小于终点，实为 {low} 和 {high}"),
    "page_busy": ("sweeps are already running: cancel one or wait for it", "已有扫描在运行：请取消一个或等待其完成"),
    "page_no_job": ("no such sweep here", "此处没有这个扫描"),
    "page_no_job_figure": ("the sweep has no figure (yet)", "该扫描（尚）无图"),
    "page_no_download": ("no download {got} (there are: {known})", "没有下载项 {got}（可用：{known}）"),
    "page_finite": ("{key} must be a finite number, got {got}", "{key} 须为有限数字，实为 {got}"),
    "page_shares": ("shares must be an object with a share for each of {parties}", "shares 须为对象，且 {parties} 各有一个比例"),
    "page_share": ("shares.{party}: must be a number in [0, 1], got {got}", "shares.{party}：须为 [0, 1] 之内的数字，实为 {got}"),
    "page_shares_sum": ("shares must sum to 1, got {total}", "shares 之和须为 1，实为 {total}"),
    "form_unknown": ("unknown field {got}", "未知的字段 {got}"),
    "form_type": ("field {got}: must be text or a number, got {kind}", "字段 {got}：须为文字或数字，实为{kind!w}"),
    "form_long": ("field {got}: at most {most} characters, got {n}", "字段 {got}：最多 {most} 个字符，实为 {n} 个"),
    "form_rows": ("{table}.rows: each row once, loaded or new-<n>, at most {most}; got {got}", "{table}.rows：每行一次，为已载入的行或 new-<n>，最多 {most} 行；实为 {got}"),
    "json_type": ("the body must be JSON (Content-Type: application/json)", "请求内容须为 JSON（Content-Type: application/json）"),
    "json_large": ("the JSON body is larger than {most} bytes", "JSON 请求内容超过 {most} 字节"),
    "json_utf8": ("the body is not UTF-8 (byte {at})", "请求内容不是 UTF-8（第 {at} 字节）"),
    "json_deep": ("the JSON body is nested too deep (at most {most} levels)", "JSON 请求内容嵌套层数过多（最多 {most} 层）"),
    "json_invalid": ("the body is not valid JSON: {error}", "请求内容不是有效的 JSON：{error}"),
    "page_problems": ("the scenario has problems", "情景有问题"),
    "page_bug": ("internal error ({kind}); this is a bug in sim", "内部错误（{kind}）：这是 sim 的程序缺陷"),
    "page_token": ("refused: the page's token is missing or wrong (reload the page: the server may have been restarted)", "已拒绝：页面令牌缺失或有误（请刷新页面：服务可能已重启）"),
    "page_other_site": ("refused: a request from another site (Sec-Fetch-Site: {site}); sim serve acts only on requests from its own page", "已拒绝：来自其他网站的请求（Sec-Fetch-Site: {site}）；sim serve 只处理来自其自身页面的请求"),
    "page_origin": ("refused: the request comes from {origin}, not from this server ({own}); sim serve acts only on requests from its own page", "已拒绝：请求来自 {origin}，而非本服务（{own}）；sim serve 只处理来自其自身页面的请求"),
    "page_host": ("Host {host} is not trusted: this server answers only to {hosts}", "Host {host} 不受信任：本服务只应答 {hosts}"),
    "http_404": ("not found: no such page here", "未找到：此处没有这个页面"),
    "http_405": ("this address does not take that method", "此地址不接受该请求方法"),
    "http_413": ("the request is too large", "请求内容过大"),
    "http_415": ("the body is not of a type this address takes", "请求内容的类型不被此地址接受"),
    # results folders
    "not_report_folder": ("{folder}: not a results folder sim report reads (a `sim run --out`, `sim sweep`, `sim sensitivity` or `sim robust` folder, with its manifest.json){kind}", "{folder}：不是 sim report 可读的结果文件夹（须为 `sim run --out`、`sim sweep`、`sim sensitivity` 或 `sim robust` 的文件夹，含 manifest.json）{kind}"),
    "folder_of": ("; this one is of `sim {command}`", "；这是 `sim {command}` 的文件夹"),
    "robust_sweep_gone": ("{folder}: its report reruns the sweep file it records, {sweep}, which cannot be read: run `sim robust` again", "{folder}：其报告须重算所记录的扫描文件 {sweep}，但该文件无法读取：请重新运行 `sim robust`"),
    "robust_sweep_changed": ("{folder}: its report reruns the sweep file it records, {sweep}, which has changed since: run `sim robust` again", "{folder}：其报告须重算所记录的扫描文件 {sweep}，但该文件此后已改动：请重新运行 `sim robust`"),
    # portfolio files
    "bad_id": ("must be an id of letters, digits, '-', '_' or '.', got {got}", "须为由字母、数字、-、_、. 组成的编号，实为 {got}"),
    "too_many": ("at most {most} {what} entries, got {got}", "{what!w}最多 {most} 个，实为 {got} 个"),
    "in_file": ("{file}: {reason}", "{file}：{reason}"),
    "in_file_at": ("{file}: {at}: {reason}", "{file}：{at}：{reason}"),
    "at_least_one": ("at least one {what} is needed", "至少须有一个{what!w}"),
    "not_mapped": ("missing: every party of the park must be mapped onto a party of the portfolio", "缺少：园区的每个参与方都须对应到组合的一个参与方"),
    "differs": ("{what} {got} differs from park {first}'s {want}: every park of a portfolio has the same", "{what!w} {got} 与园区 {first} 的 {want} 不同：组合中各园区须相同"),
    "only_with": ("only with {key} = {value!r}", "仅在 {key} = {value!r} 时可用"),
    "year_table": ("must be a table of year → amount, got {got}", "须为年份 → 金额的表，实为{got}"),
    "year_key": ("must be a year (four digits), got {got}", "须为年份（四位数字），实为 {got}"),
    "no_retained": ("no party retains any tax in {year}: the fund's contributions cannot be divided by it", "{year} 年各方均无留成税收，基金出资无法按其分摊"),
    "fund_short": ("the fund runs short in {year}: {paid} paid in to date, {spent} invested and charged in fees", "基金在 {year} 年资金不足：累计缴入 {paid}，累计投资及管理费 {spent}"),
    # what a value was, inside "got …"
    "got_table": ("a table", "表"),
    "got_array": ("an array", "数组"),
    "got_boolean": ("the boolean {value}", "布尔值 {value}"),
    "got_string": ("the string {value}", "字符串 {value}"),
}  # fmt: skip
"""Each reason's templates, English then Chinese."""

WORDS: dict[str, str] = {
    "missing": "缺失",
    "missing column": "缺少此列",
    "missing row": "缺少此行",
    "party": "参与方",
    "firm": "企业",
    "factor": "因素",
    "scenario": "情景文件",
    "sweep file": "扫描文件",
    "game file": "博弈文件",
    "portfolio": "园区组合文件",
    "park": "园区",
    "unit": "金额单位",
    "discount_rate": "折现率",
    "input file": "输入文件",
    "number": "数字",
    "TRUE/FALSE": "TRUE/FALSE ",
    "shared string": "共享字符串",
    "list": "数组",
    "dict": "对象",
    "NoneType": "空值",
}
"""Chinese of the words a reason's parameters take (``{what!w}``)."""


class Reason(str):
    """A validation reason: its English text, and the key and parameters that give it in
    either language.

    Examples
    --------
    >>> r = Reason("range", interval="(-1, 10]", got="30")
    >>> r, r.text("zh")
    ('must be in (-1, 10], got 30', '须在 (-1, 10] 之内，实为 30')
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Reason:
        """The reason ``key`` of :data:`REASONS` with ``params`` (its English text)."""
        self = super().__new__(cls, render(key, "en", params))
        self.key = key
        self.params = params
        return self

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return render(self.key, lang, self.params)

    def but(self, **params: Any) -> Reason:
        """The same reason with some parameters changed (``missing="missing column"``)."""
        return Reason(self.key, **{**self.params, **params})


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, Reason):
            value = value.text(self.lang)
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "w":
            from sim.i18n.words import TERMS

            text = str(value)
            return WORDS.get(text, TERMS.get(text, text))
        return super().convert_field(value, conversion)


def render(key: str, lang: str, params: dict[str, Any]) -> str:
    """The reason ``key`` with ``params`` in ``lang`` (English for any other code)."""
    en, zh = REASONS[key]
    return _Formatter(lang).format(zh if lang == "zh" else en, **params)


def describe(value: Any) -> str:
    """What a value is, for ``got …``: ``a table``, ``the string 'x'``, or its repr."""
    if isinstance(value, dict):
        return Reason("got_table")
    if isinstance(value, list):
        return Reason("got_array")
    if isinstance(value, bool):
        return Reason("got_boolean", value=str(value).lower())
    if isinstance(value, str):
        return Reason("got_string", value=repr(value))
    return repr(value)
