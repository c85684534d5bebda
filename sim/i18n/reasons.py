"""Validation reasons: a key, parameters, and a template in each language.

A checker writes ``Reason("range", interval="(-1, 10]", got="30")`` where it wrote the
English text before: a :class:`Reason` *is* that English text (a ``str``), so every
message, test and JSON document in English stays as it was, and it also knows its key
and parameters, so :func:`render` writes it in Chinese (``须在 (-1, 10] 之内，实为 30``).

In a Chinese template ``{what!w}`` is the Chinese name of the parameter's value
(:data:`sim.i18n.words.TERMS`, :data:`WORDS`), ``{name!c}`` a clause's label,
``{key!d}`` a rule's or parameter's summary and ``{interval!i}`` an interval
(``[0, +∞)`` for ``[0, inf]``); a parameter that is itself a :class:`Reason` is
rendered in the same language.
"""

from __future__ import annotations

import string
from typing import Any

from sim.i18n.names import listing

__all__ = ["REASONS", "WORDS", "Reason", "describe", "render"]

REASONS: dict[str, tuple[str, str]] = {
    # the input file as a whole
    "invalid": ("{source}: not a valid {what} ({n} problem{s})", "{source}：不是有效的{what!w}（{n} 个问题）"),
    "more": ("… and {n} more", "……另有 {n} 个"),
    "no_file": ("no such file", "文件不存在"),
    "no_path": ("{path}: no such file or folder", "{path}：文件或文件夹不存在"),
    "no_folder": ("{path}: no such folder", "{path}：文件夹不存在"),
    "path_is_folder": ("{path}: is a folder, not a file", "{path}：是文件夹，不是文件"),
    "bad_path": ("invalid value for {name}: {reason} (see `{command} --help`)", "{name} 的值无效：{reason}（见 `{command} --help`）"),
    "not_utf8": ("cannot be read: not UTF-8 text", "无法读取：不是 UTF-8 文本"),
    "toml_syntax": ("TOML syntax error: {error} ({where})", "TOML 语法错误（{where}）：{error}"),
    "syntax_at": ("at line {line}, column {col}", "第 {line} 行第 {col} 列"),
    "syntax_end": ("at end of document", "文件末尾"),
    "syntax_other": ("{text}", "原文：“{text}”"),
    # what tomllib and json say is wrong (sim.syntax matches their messages)
    "syn_statement": ("Invalid statement", "无法识别的语句（每行应为 键 = 值、[表] 或 [[数组表]]）"),
    "syn_newline": ("Expected newline or end of document after a statement", "一条语句之后应换行（一行只写一个 键 = 值）"),
    "syn_equals": ("Expected '=' after a key in a key/value pair", "键之后应为 “=”（写作 键 = 值；含空格或中文的键须加引号）"),
    "syn_expected": ("Expected {what}", "此处应为 {what}"),
    "syn_char": ("Found invalid character {what}", "无效字符 {what}"),
    "syn_twice": ("Cannot declare {what} twice", "表 {what} 声明了两次"),
    "syn_overwrite": ("Cannot overwrite a value", "同一个键写了两次，不能覆盖已有的值"),
    "syn_table_end": ("Expected ']' at the end of a table declaration", "表头 [ … ] 缺少结尾的 “]”"),
    "syn_array_end": ("Expected ']]' at the end of an array declaration", "数组表头 [[ … ]] 缺少结尾的 “]]”"),
    "syn_immutable": ("Cannot mutate immutable namespace {what}", "{what} 已写成内联表或数组，不能再添加键"),
    "syn_redefine": ("Cannot redefine namespace {what}", "不能重新定义表 {what}"),
    "syn_key_start": ("Invalid initial character for a key part", "键的第一个字符无效（含中文、空格或符号的键须加引号）"),
    "syn_array": ("Unclosed array", "数组缺少结尾的 “]”"),
    "syn_inline_key": ("Duplicate inline table key {what}", "内联表中的键 {what} 重复"),
    "syn_inline": ("Unclosed inline table", "内联表缺少结尾的 “}}”"),
    "syn_backslash": ("Unescaped '\\' in a string", "字符串中的 “\\” 未转义（路径请用单引号 '…' 或写作 “\\\\”）"),
    "syn_hex": ("Invalid hex value", "无效的十六进制值"),
    "syn_unicode": ("Escaped character is not a Unicode scalar value", "转义字符不是有效的 Unicode 字符"),
    "syn_unterminated": ("Unterminated string", "字符串缺少结尾的引号"),
    "syn_open_string": ("Unterminated string: a string ends on its own line", "字符串缺少结尾的引号（一个字符串不能跨行）"),
    "syn_number": ("a number is written without thousands separators or a unit: {got}", "数字不能带千位分隔符或单位：{got}（写作 1200；单位见该项的说明）"),
    "syn_illegal": ("Illegal character {what}", "非法字符 {what}"),
    "syn_date": ("Invalid date or datetime", "无效的日期或时间"),
    "syn_value": ("Invalid value", "无效的值（文字须加引号，例如 \"固定比例\"；数字不带逗号或单位，例如 1200）"),
    "syn_json_value": ("Expecting value", "此处应为一个值"),
    "syn_json_name": ("Expecting property name enclosed in double quotes", "此处应为用双引号括起的键名（末尾多了逗号？）"),
    "syn_json_delimiter": ("Expecting {what} delimiter", "此处应为分隔符 {what}"),
    "syn_json_control": ("Invalid control character", "字符串中有无效的控制字符（换行须写作 \\n）"),
    "syn_json_escape": ("Invalid escape", "无效的转义序列"),
    "syn_json_extra": ("Extra data", "数据结束之后还有多余的内容"),
    "syn_json_comma": ("Illegal trailing comma", "结尾多了一个逗号"),
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
    "range": ("must be in {interval}, got {got}", "须在 {interval!i} 之内，实为 {got}"),
    "typed_number": ("type the number alone: {got} is written {read}", "请只填数字：{got} 应写作 {read}"),
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
    "unknown_party": ("unknown party {got} (parties: {parties})", "未知的参与方 {got}（参与方：{parties}）"),
    "unknown_id": ("unknown {what} {got} (known: {known})", "未知的{what!w} {got}（可用：{known}）"),
    "duplicate_id": ("duplicate {what} id {got}", "{what!w}编号 {got} 重复"),
    "duplicate_label": ("duplicate label {got}", "方案名 {got} 重复"),
    "duplicate_label_of": ("duplicate label {got} ({first})", "方案名 {got} 与 {first} 重复"),
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
    "read_as": ("{where}: {typed} read as {read}", "{where}：{typed} 读作 {read!n}"),
    "wrong_unit": ("{typed}: {unit} is not a unit of this value ({want})", "{typed}：{unit} 不是此项的单位（{want}）"),
    "unit_fraction": ("a fraction: type 0.5 or 50%", "比例：请填 0.5 或 50%"),
    "unit_year": ("a year: type the number alone", "年份：请只填数字"),
    "unit_years": ("a number of years: type it alone or with 年", "年数：请只填数字或加“年”"),
    "unit_mu": ("an area in mu: type it alone or with 亩", "面积（亩）：请只填数字或加“亩”"),
    "unit_cny": ("an amount in 100m CNY: type it alone or with 亿元; 万元 and 元 are converted", "金额（亿元）：请只填数字或加“亿元”；万元、元会换算"),
    "unit_amount": ("an amount in {amount}: type the number alone", "金额（{amount}）：请只填数字"),
    "unit_none": ("type the number alone", "请只填数字"),
    "range_percent": ("must be in {interval}, got {got} — did you mean {got}% = {fraction}?", "须在 {interval!i} 之内，实为 {got}——是否应为 {got}% = {fraction}？"),
    "unknown_rule_near": ("unknown rule {got} — did you mean {near}? (known: {known})", "未知的规则 {got}——是否应为 {near}？（可用：{known}）"),
    "one_of_near": ("must be one of {options}, got {got} — did you mean {near}?", "须为 {options} 之一，实为 {got}——是否应为 {near}？"),
    # workbooks
    "unknown_sheet_key": ("unknown key {got} (see the notes sheet)", "未知的键 {got}（见说明页）"),
    "unknown_sheet_key_near": ("unknown key {got} — did you mean {near}? (see the notes sheet)", "未知的键 {got}——是否应为 {near}？（见说明页）"),
    "unknown_item": ("unknown item {got}: give its key in A", "未知的项目 {got}：请在 A 列填写其键"),
    "missing_key_row": ("missing row: insert a row here with {key} in column {key_col} and its value in column {column}", "缺少此行：请在此处插入一行，{key_col} 列填 {key}，{column} 列填其数值"),
    "missing_party_row": ("missing: no row for party {party} — insert a row here with {key} in column A and its value in column {column} (0 to give it none)", "缺少：没有参与方 {party} 的行——请在此处插入一行，A 列填 {key}，{column} 列填其数值（不分给它填 0）"),
    "missing_party_cell": ("missing: every party must have a share here — type {party}'s share (0 to give it none)", "缺少：每个参与方都须在此有比例——请填写 {party} 的比例（不分给它填 0）"),
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
    "book_merged": ("merged cells: the value shown across them is held in {first} only, and the other cells read as empty; unmerge them and type the value in each cell", "合并单元格：跨格显示的数值只保存在 {first}，其余单元格读作空白；请取消合并，并在每个单元格中填写数值"),
    "sheet_unchecked": ("a sheet whose part could not be checked: save the workbook again in Excel", "无法检查该工作表的文件部件：请在 Excel 中重新保存工作簿"),
    "beyond_row": ("row {n}", "第 {n} 行"),
    "beyond_column": ("column {n} ({letters})", "第 {n} 列（{letters}）"),
    "beyond": ("a value beyond {beyond}: a sheet is read up to row {rows} and column {columns}; move it, or delete it if it is not needed", "超出{beyond}的数值：工作表只读取到第 {rows} 行、第 {columns} 列；请移动它，不需要的话请删除"),
    "damaged_string": ("a damaged cell: it points to shared string {value} and the workbook has {n}; save it again in Excel or WPS", "单元格已损坏：它指向共享字符串 {value}，而工作簿共有 {n} 个；请在 Excel 或 WPS 中重新保存"),
    "damaged_cell": ("a damaged cell: a {kind} cell holds {value}; type it again, or save the workbook again in Excel or WPS", "单元格已损坏：{kind!w}单元格中为 {value}；请重新输入，或在 Excel 或 WPS 中重新保存工作簿"),
    "book_parts": ("has {n} parts; workbooks are read up to {most}", "含 {n} 个文件部件；工作簿最多读取 {most} 个"),
    "book_unzipped": ("unzips to {n} bytes; workbooks are read up to {most}", "解压后为 {n} 字节；工作簿最多读取 {most} 字节"),
    "part_unzipped": ("{name} unzips to {n} bytes; a part is read up to {most}", "{name} 解压后为 {n} 字节；每个部件最多读取 {most} 字节"),
    "part_xml": ("{name} is not well-formed XML ({error})", "{name} 不是格式正确的 XML（{error}）"),
    "part_unzip": ("{name} cannot be unzipped ({error})", "{name} 无法解压（{error}）"),
    "part_elements": ("{name} has more than {most} XML elements; a part is read up to that many", "{name} 的 XML 元素超过 {most} 个；每个部件最多读取这么多"),
    "part_doctype": ("{name} declares a document type or entities, which .xlsx never does", "{name} 声明了文档类型或实体，而 .xlsx 从不如此"),
    "part_count": ("{name} has more than {most} {what} (<{tag}>); workbooks are read up to {most}", "{name} 的{what!w}（<{tag}>）超过 {most} 个；工作簿最多读取 {most} 个"),
    "sheet_cells": ("sheet {title} ({name}) has more than {most} cells with a value; a sheet is read up to {most}", "工作表 {title}（{name}）有值的单元格超过 {most} 个；每张工作表最多读取 {most} 个"),
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
    "upload_kind": ("upload a scenario file ({kinds}), got {got}", "请上传情景文件（{kinds}），实为 {got}"),
    "temp_folder": ("cannot write a temporary file in {root}: {error} (start sim serve in a folder it can write)", "无法在 {root} 中写入临时文件：{error}（请在 sim serve 可写入的文件夹中启动它）"),
    "temp_file": ("cannot write a temporary file in {root}: {error}", "无法在 {root} 中写入临时文件：{error}"),
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
    "exists": ("{dest}: exists; choose another path, or --force to replace what sim wrote there", "{dest}：已存在；请换一个路径，或用 --force 替换 sim 写过的内容"),
    "is_link": ("{dest}: is a symbolic link; not replacing it, even with --force", "{dest}：是符号链接；即使有 --force 也不替换"),
    "not_ours_listed": ("{dest}: exists and was not written by sim ({why}); not replacing it, even with --force (nothing was touched)", "{dest}：已存在且不是 sim 写的（{why}）；即使有 --force 也不替换（未作任何改动）"),
    "foreign": ("{dest}: not replacing it, even with --force: {found}; move them away or choose another path (nothing was touched)", "{dest}：即使有 --force 也不替换：{found}；请移走它们或换一个路径（未作任何改动）"),
    "not_ours": ("{dest}: exists and was not written by sim; not replacing it", "{dest}：已存在且不是 sim 写的；不替换"),
    "meanwhile": ("{dest}: something was written there meanwhile", "{dest}：其间有别的内容写入"),
    "foreign_meanwhile": ("{dest}: not replacing it, even with --force: {found} (written there while sim worked; nothing was touched)", "{dest}：即使有 --force 也不替换：{found}（在 sim 工作期间写入；未作任何改动）"),
    "same_time": ("{dest}: another process wrote it at the same time; what was there is kept as {old}", "{dest}：另一进程同时写入了它；原有内容保留为 {old}"),
    "other_process": ("{dest}: another process wrote it; what was there is kept as {old}", "{dest}：另一进程写入了它；原有内容保留为 {old}"),
    "kept_in": ("{dest}: written; files put into the old folder while sim replaced it are kept in {kept}", "{dest}：已写入；sim 替换期间放入旧文件夹的文件保留在 {kept}"),
    "cannot_write": ("{dest}: cannot write ({error} at {where})", "{dest}：无法写入（{error}，位于 {where}）"),
    "no_marker": ("it has no {marker} marker", "其中没有 {marker} 标记"),
    "bad_marker": ("its {marker} is not a marker sim wrote: hand-made, damaged, or from an older sim that did not list its files", "其 {marker} 不是 sim 写的标记：手工制作、已损坏，或来自不列出文件的旧版 sim"),
    "not_ours_why": ("exists and was not written by sim ({why})", "已存在且不是 sim 写的（{why}）"),
    "listed": ("{items}{more}", "{items}{more}"),
    "found_link": ("{rel} (a symbolic link)", "{rel}（符号链接）"),
    "found_folder": ("{rel}/ (a folder sim did not write)", "{rel}/（不是 sim 写的文件夹）"),
    "found_file": ("{rel} (not written by sim)", "{rel}（不是 sim 写的）"),
    "found_changed": ("{rel} (changed since sim wrote it)", "{rel}（sim 写入后已改动）"),
    "and_more": (", and {n} more", "，另有 {n} 个"),
    "sweep_too_many": ("{source}: {n} scenarios is above the limit of {most}; raise it with --max-scenarios if the machine and disk can take it", "{source}：{n} 个情景超过上限 {most}；若机器和磁盘承受得了，请用 --max-scenarios 提高上限"),
    "sweep_disk": ("{folder}: the results would take about {size} GB and {where} has {free} GB free; sweep fewer scenarios or write elsewhere (--out)", "{folder}：结果约需 {size} GB，而 {where} 只剩 {free} GB；请减少情景数或写到别处（--out）"),
    "sweep_chunk": ("--chunk-size {size}: with {parties} parties each scenario's game has 2^{parties} coalitions; at most {fits} scenarios per chunk fit in memory", "--chunk-size {size}：{parties} 个参与方时每个情景的博弈有 2^{parties} 个联盟；每块最多 {fits} 个情景才能放入内存"),
    "sweep_changed": ("{source}: the sweep file or its base scenario changed while the sweep ran; nothing of the new version was mixed in — run it again (with --resume to keep the chunks already done only if you restore the old version)", "{source}：扫描运行期间扫描文件或其基准情景被改动；新版本的内容没有混入——请重新运行（只有恢复旧版本时才可用 --resume 保留已完成的块）"),
    "bad_manifest": ("{folder}: has an unreadable manifest.json; not touching it", "{folder}：manifest.json 无法读取；不作改动"),
    "other_sweep": ("{folder}: holds the results of a different sweep; choose another --out folder", "{folder}：存有另一个扫描的结果；请换一个 --out 文件夹"),
    "sweep_complete": ("{folder}: this sweep is already complete (see `sim sweep summary {folder}`)", "{folder}：此扫描已完成（见 `sim sweep summary {folder}`）"),
    "sweep_interrupted": ("{folder}: holds an interrupted run of this sweep; add --resume to continue it", "{folder}：存有此扫描中断的运行；加 --resume 可继续"),
    "not_a_folder": ("{folder}: exists and is not a folder", "{folder}：已存在且不是文件夹"),
    "not_empty": ("{folder}: folder exists and is not empty; choose another --out folder", "{folder}：文件夹已存在且不为空；请换一个 --out 文件夹"),
    "nothing_to_resume": ("{folder}: nothing to resume here (no run of this sweep was recorded in it); run the sweep without --resume", "{folder}：此处没有可继续的运行（其中没有此扫描的记录）；请不加 --resume 运行扫描"),
    "no_results": ("{folder}: no results yet", "{folder}：尚无结果"),
    "no_sweep_manifest": ("{folder}: not a sweep folder (no manifest.json)", "{folder}：不是扫描文件夹（没有 manifest.json）"),
    "unreadable_manifest": ("{folder}: unreadable manifest.json ({error})", "{folder}：manifest.json 无法读取（{error}）"),
    "not_sweep_folder": ("{folder}: not a sweep folder", "{folder}：不是扫描文件夹"),
    "no_stored_inputs": ("{folder}: holds no copy of its inputs (a sweep run before sim stored them); run the sweep again to report on it", "{folder}：没有保存其输入的副本（sim 保存输入之前运行的扫描）；请重新运行扫描后再出报告"),
    "unreadable_input": ("{stored}: unreadable stored input ({error})", "{stored}：保存的输入无法读取（{error}）"),
    "digest_mismatch": ("{folder}: its stored inputs do not match the run's digest", "{folder}：保存的输入与运行记录的摘要不符"),
    "not_run_folder": ("{folder}: not a `sim run --out` folder ({error})", "{folder}：不是 `sim run --out` 的文件夹（{error}）"),
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
    "sens_undefined": ("{source}: the agreement is undefined at {bad} of {n} sample points ({method} needs every one); see `sim sweep` for where and why", "{source}：协议在 {n} 个样本点中的 {bad} 个无定义（{method!w}需要每个点都有定义）；原因与位置见 `sim sweep`"),
    "shapley_inputs": ("{source}: Shapley effects of correlated inputs are computed over every subset of up to {most} inputs; this sweep has {d}", "{source}：相关输入的 Shapley 效应须对所有输入子集计算，最多 {most} 个输入；此扫描有 {d} 个"),
    "not_sens_folder_why": ("{folder}: not a sensitivity folder ({error})", "{folder}：不是敏感性分析文件夹（{error}）"),
    "not_sens_folder": ("{folder}: not a sensitivity folder", "{folder}：不是敏感性分析文件夹"),
    "no_such_rule": ("--rule: the sweep has no agreement {got} ({known})", "--rule：扫描中没有方案 {got}（可用：{known}）"),
    "no_such_party": ("--party: no party {got} ({known})", "--party：没有参与方 {got}（可用：{known}）"),
    "no_standalone": ("--basis standalone: the sweep has no standalone values (sweep.standalone = false); use --basis source, or sweep again with standalone = true", "--basis standalone：扫描没有独立发展价值（sweep.standalone = false）；请用 --basis source，或以 standalone = true 重新扫描"),
    "no_figure_split": ("{target}: no {kind} figure: the inputs are {why}, so the variance is split by {by} (--kind {other})", "{target}：没有 {kind} 图：输入{why!w}，方差按{by}分解（--kind {other}）"),
    "no_figure": ("{target}: no {kind} figure for this input: it draws {kinds} (see `sim plot --help`)", "{target}：此输入没有 {kind} 图：它绘制的图为 {kinds}（见 `sim plot --help`）"),
    "no_party_figure": ("--party {party}: no {kind} figure for that party ({whose})", "--party {party}：该参与方没有 {kind} 图（{whose}）"),
    "figure_parties": ("parties: {parties}", "参与方：{parties}"),
    "not_per_party": ("it is not drawn per party", "此图不按参与方分别绘制"),
    "unknown_executor": ("unknown executor {got} (local, processes, dask)", "未知的执行方式 {got}（local、processes、dask）"),
    "needs_dask": ("--executor dask needs Dask distributed: pip install 'sim[dask]'", "--executor dask 需要 Dask distributed：pip install 'sim[dask]'"),
    "unknown_export": ("unknown export {got} (ema, salib)", "未知的导出格式 {got}（ema、salib）"),
    "sheet_cut": ("a sheet was cut short: a full disk or a file size limit", "工作表被截断：磁盘已满或文件大小受限"),
    "book_temp": ("cannot write the workbook's temporary files in {where} ({reason})", "无法在 {where} 中写入工作簿的临时文件（{reason}）"),
    "no_family_rule": ("no rule {got} for a {family} problem; known: {known}", "{family!w}问题没有规则 {got}；可用：{known}"),
    "unknown_rule_plain": ("unknown rule {got}; known rules: {known}", "未知的规则 {got}；可用的规则：{known}"),
    "file_exists": ("{dest}: exists; sim never replaces a scenario file or workbook: choose another name, or remove it first", "{dest}：已存在；sim 从不替换情景文件或工作簿：请换一个名字，或先删除它"),
    "settle_year": ("{source}: --year {year} is outside the horizon {first}–{last} (horizon.start_year, horizon.years): there is no such year to settle", "{source}：--year {year} 不在测算期 {first}–{last} 之内（horizon.start_year、horizon.years）：没有这一年可结算"),
    "cannot_listen": ("cannot listen on {host}:{port}: {error} (try another --port)", "无法在 {host}:{port} 上监听：{error}（请换一个 --port）"),
    "port_in_use": ("cannot listen on {host}:{port}: in use (try another --port)", "无法在 {host}:{port} 上监听：端口已被占用（请换一个 --port）"),
    "game_memory": ("{path}: comparing {n} parties builds a cooperative game of 2^{n} coalitions, estimated to need {need} of memory, more than the limit of {limit} ({which}); raise it with --max-memory (e.g. --max-memory {gb}GB) if the machine has that much", "{path}：比较 {n} 个参与方要构建有 2^{n} 个联盟的合作博弈，估计需要 {need} 内存，超过上限 {limit}（{which}）；若机器内存足够，请用 --max-memory 提高（如 --max-memory {gb}GB）"),
    "memory_default": ("the default, 75% of the memory this process can get", "默认值，即本进程可用内存的 75%"),
    "side_by_side": ("side by side needs the same parties and unit as {first} ({parties}; {unit}), got {got}; {got_unit}", "并列比较须与 {first} 的参与方和金额单位相同（{parties}；{unit}），实为 {got}；{got_unit}"),
    "convert_loses": ("cannot be written as a {kind} without changing {differ}: an empty table (such as `standalone_capex = {{}}`) has no cells in a workbook; remove it or fill it in", "无法写成{kind!w}而不改变 {differ}：空表（如 `standalone_capex = {{}}`）在工作簿中没有单元格；请删除它或填上内容"),
    "game_parties": ("{source}: {n} parties make 2^{n} coalitions; the cooperative game (standalone values, fair-division rules, cost rules, benefit) is computed up to {most} parties. Rules that need no game: fixed, equity, formula, introducer (and sweep.standalone = false)", "{source}：{n} 个参与方有 2^{n} 个联盟；合作博弈（独立发展价值、公平分配规则、成本规则、受益）最多计算 {most} 个参与方。无需博弈的规则：fixed、equity、formula、introducer（并设 sweep.standalone = false）"),
    "undefined_agreement": ("{source}: the agreement (rule {rule}) is undefined for this scenario: {reason}", "{source}：协议（规则 {rule}）在此情景下无定义：{reason!t}"),
    # game files (sim game solve)
    "json_syntax": ("JSON syntax error: {error} ({where})", "JSON 语法错误（{where}）：{error}"),
    "player_numbers": ("must be an object of player → number", "须为“参与人 → 数字”的对象"),
    "unknown_player": ("unknown player {got}", "未知的参与人 {got}"),
    "missing_plain": ("missing", "缺失"),
    "player_names": ("must be a non-empty array of player names", "须为非空的参与人名称数组"),
    "players_distinct": ("player names must be distinct", "参与人名称不能重复"),
    "player_comma": ("names may not contain ',': {bad}", "名称不能含 ','：{bad}"),
    "which_problem": ("cannot tell the problem: give 'values' (a game), 'costs' (a cost game), 'estate' and 'claims', 'total' and 'disagreement', or 'feasible'", "无法判断问题类型：请给出 'values'（博弈）、'costs'（成本博弈）、'estate' 和 'claims'、'total' 和 'disagreement'，或 'feasible'"),
    "coalition_values": ("must be an object of coalition → value", "须为“联盟 → 价值”的对象"),
    "coalition_costs": ("must be an object of coalition → cost", "须为“联盟 → 成本”的对象"),
    "unknown_players": ("unknown player(s) {got}", "未知的参与人 {got}"),
    "empty_coalition": ("empty coalition", "空联盟"),
    "coalition_twice": ("coalition given twice", "联盟重复给出"),
    "most_players": ("at most {most} players", "最多 {most} 个参与人"),
    "missing_coalition": ("missing coalition", "缺少此联盟"),
    "not_negative": ("must not be negative", "不能为负"),
    "claims_negative": ("claims must not be negative", "claims 不能为负"),
    "scrb_coalition": ("missing coalition (give every coalition's cost, or at least c(N), each c(N∖i) and each c(i) or alternative cost for scrb)", "缺少此联盟（请给出每个联盟的成本，至少给出 c(N)、每个 c(N∖i)，以及 scrb 所需的每个 c(i) 或替代成本）"),
    "estate_claims": ("{estate} exceeds the total claim {total}", "{estate} 超过索赔总额 {total}"),
    "weights_positive": ("weights must be positive", "weights 须为正数"),
    "two_players": ("a feasible set needs exactly 2 players", "可行集须恰有 2 个参与人"),
    "vertices": ("must be an array of at least 3 [u_A, u_B] pairs", "须为至少 3 个 [u_A, u_B] 数对的数组"),
    "json_object": ("must be a JSON object", "须为 JSON 对象"),
    "unknown_game_key": ("unknown key for a {family} problem (allowed: {allowed})", "{family!w}问题的未知键（可用：{allowed}）"),
    # scenario files: the agreement and the tables (sim.scenario)
    "meta_name": ("must be an id of letters, digits, '-', '_' or '.', got {got}", "须为由字母、数字、-、_ 或 . 组成的编号，实为 {got}"),
    "short_id": ("must be a short id (letters, digits, '-', '_', '.'; at most 32), got {got}", "须为简短编号（字母、数字、-、_、.；最多 32 个字符），实为 {got}"),
    "old_spreadsheet": ("sim reads .xlsx workbooks, not {suffix}: save it as .xlsx", "sim 只读取 .xlsx 工作簿，不读取 {suffix}：请另存为 .xlsx"),
    "inherited": (" ({term} is the agreement's: write it here)", "（{term!w}沿用自协议：请在此处填写）"),
    "window_past_horizon": ("the window {first}–{last} runs past the end of the horizon ({end}){whose}", "协议期 {first}–{last} 超出测算期末年（{end}）{whose}"),
    "base_year_scope": ("only applies with scope = \"above_base\"{whose}", "仅在分享范围为“超基数增量”（above_base）时适用{whose}"),
    "review_after_end": ("the first check ({check}) falls after the agreement's last year ({last}){whose}", "首次考核年份（{check}）晚于协议末年（{last}）{whose}"),
    "review_shares": ("missing: the pool's shares after the review", "缺失：重新协商后的分成比例"),
    "rule_takes": ("it takes: {names}", "可用：{names}"),
    "rule_takes_none": ("it takes none", "无参数"),
    "not_rule_param": ("is not a parameter of rule {rule} ({takes})", "不是规则 {rule} 的参数（{takes}）"),
    "party_amounts": ("must be a table of party = amount, got {got}", "须为“参与方 = 金额”的表，实为{got}"),
    "clause_value": ("must be a rule name or a table {{ rule = …, … }}, got {got}", "须为规则名或表 {{ rule = …, … }}，实为{got}"),
    "clause_rule_missing": ("missing: give rule = one of {options}", "缺失：请填写 rule = {options} 之一"),
    "clause_takes_none": ("no parameters", "无参数"),
    "not_clause_param": ("is not a parameter of {name} rule {rule} (it takes {takes})", "不是{name!c}条款规则 {rule} 的参数（可用：{takes}）"),
    "clause_needs": ("{name} rule {rule} needs {param}: write {name} = {{ rule = \"{rule0}\", {param} = {{ … }} }}", "{name!c}条款规则 {rule} 须有 {param}：请写 {name} = {{ rule = \"{rule0}\", {param} = {{ … }} }}"),
    "clause_needs_equity": ("{name} by equity needs investment.equity", "{name!c}按股比须有 investment.equity"),
    "rule_needs_param": ("missing: rule {rule} needs {param} ({description})", "缺失：规则 {rule} 须有 {param}（{about!d}）"),
    "party_weights": ("must be a table of party → weight, got {got}", "须为“参与方 → 权重”的表，实为{got}"),
    "land_costs": ("cost_share + rural_earmark must not exceed 1, got {cost} + {earmark} = {total}", "cost_share + rural_earmark 不能超过 1，实为 {cost} + {earmark} = {total}"),
    "capex_table": ("must be a table of year = amount, got {got}", "须为“年份 = 金额”的表，实为{got}"),
    "capex_years": ("keys must be years written as four digits, e.g. capex = {{ 2021 = 10.0 }}", "键须为四位数年份，如 capex = {{ 2021 = 10.0 }}"),
    "year_outside": ("year {year} is outside the horizon {first}–{last}", "{year} 年不在测算期 {first}–{last} 之内"),
    "capex_payer": ("missing: who pays the capex? give equity = {{ … }}", "缺失：共同投资由谁出资？请填写 equity = {{ … }}"),
    "requires_table": ("must be a table of firm id = [party ids], got {got}", "须为“企业编号 = [参与方编号]”的表，实为{got}"),
    "unknown_firm": ("unknown firm {got} (firms: {known})", "未知的企业 {got}（企业：{known}）"),
    "party_ids": ("must be an array of party ids, got {got}", "须为参与方编号的数组，实为{got}"),
    "too_big_stream": ("holds more than {most} bytes; input files are at most {most}", "超过 {most} 字节；输入文件最多 {most} 字节"),
    "too_big_file": ("is {size} bytes; input files are at most {most}", "大小为 {size} 字节；输入文件最多 {most} 字节"),
    "unreadable_file": ("cannot be read: {error}", "无法读取：{error}"),
    # sweep files (sim.sweep)
    "sweep_table": ("missing table: a sweep file needs [sweep] (see docs/sweeps.md)", "缺少此表：扫描文件须有 [sweep] 表（见 docs/sweeps.md）"),
    "base_path": ("must be a file path", "须为文件路径"),
    "base_only": ("a sweep file with `base` holds only [sweep]", "含 `base` 的扫描文件只能有 [sweep] 表"),
    "base_unreadable": ("{reason}: {path}", "{reason}：{path}"),
    "psweep_portfolio": ("a portfolio sweep names its portfolio file: portfolio = \"../portfolios/NAME.toml\" (relative to the sweep file)", "组合扫描须给出组合文件：portfolio = \"../portfolios/名称.toml\"（相对于扫描文件）"),
    "psweep_path": ("not an input of this portfolio (give one of: {known})", "不是该组合的输入（可用：{known}）"),
    "psweep_own_rate": ("every park of a portfolio is discounted at one rate: sweep common.discount_rate instead", "组合内各园区使用同一折现率：请改为扫描 common.discount_rate"),
    "psweep_rate_bounds": ("the discount rate must stay above −100% and bounded: give a bounded distribution (uniform, triangular, a truncated normal or a list)", "折现率须大于 −100% 且有界：请使用有界分布（均匀、三角、截断正态或取值列表）"),
    "psweep_shock_bounds": ("the growth shock must stay within ±50% a year: give a bounded distribution within it", "增长冲击须在每年 ±50% 以内：请使用此范围内的有界分布"),
    "psweep_changed": ("{folder}: the sweep file it records, {sweep}, or its portfolio has changed since the sweep ran: run `sim portfolio sweep` again", "{folder}：其所记录的扫描文件 {sweep} 或其园区组合在扫描之后已改动：请重新运行 `sim portfolio sweep`"),
    "pkg_shares": ("must be a table of park → its parties' shares, e.g. shares.gaozhu = {{ SC = 0.6, CQ = 0.4 }}, got {got}", "须为“园区 → 各方比例”的表，例如 shares.gaozhu = {{ SC = 0.6, CQ = 0.4 }}，实为{got}"),
    "pkg_not_fixed": ("a package sets a park's pool shares: this park's agreement must be fixed shares, not {rule}", "方案只能设定按固定比例分成的园区的比例：该园区的协议规则为 {rule}"),
    "pkg_swept": ("parks.{park}.sharing.shares is swept: a package cannot also set it", "parks.{park}.sharing.shares 已是扫描参数：方案不能同时设定"),
    "psweep_no_firms": ("no park of this portfolio has firms: there is no growth to shock", "该组合没有任何园区有企业：没有可施加冲击的增长率"),
    "base_no_file": ("no such file: {path}", "文件不存在：{path}"),
    "whole_at_least": ("must be a whole number ≥ {least}, got {got}", "须为不小于 {least} 的整数，实为 {got}"),
    "sweep_rules": ("must be a non-empty array of rule labels", "须为非空的方案名数组"),
    "unknown_agreement": ("unknown agreement {got} (known: {known})", "未知的方案 {got}（可用：{known}）"),
    "grid_n": ("a grid runs every combination of its lists ({n} scenarios): leave n out, or write n = {m}", "网格设计运行各列表的全部组合（{n} 个情景）：请删去 n，或写 n = {m}"),
    "true_false": ("must be true or false", "须为 true 或 false"),
    "no_parameters": ("give at least one parameter: \"key.path\" = {{ dist = ..., ... }} or [values]", "请至少给出一个参数：\"键路径\" = {{ dist = ..., ... }} 或 [取值列表]"),
    "outside_allowed": ("values from {lo} to {hi} fall outside what {path} allows ({span}){normal}", "取值 {lo} 至 {hi} 超出 {path} 的允许范围（{span}）{normal}"),
    "truncate_normal": ("; truncate the normal with low/high", "；请用 low/high 截断正态分布"),
    "capex_no_equity": ("capex up to {hi} but the base scenario has no investment.equity: who pays the capex? give equity = {{ … }} under [investment] in the scenario", "共同投资最高 {hi}，但基准情景没有 investment.equity：由谁出资？请在情景的 [investment] 下填写 equity = {{ … }}"),
    "whole_years": ("{path} takes whole years: give a list of values or dist = \"choice\"", "{path} 须为整数年份：请给出取值列表或 dist = \"choice\""),
    "grid_lists": ("a grid needs a list of values for every parameter", "网格设计须为每个参数给出取值列表"),
    "sobol_power": ("a Sobol design needs a power of 2, got {n} (try {below} or {above})", "Sobol 设计的情景数须为 2 的幂，实为 {n}（可用 {below} 或 {above}）"),
    "at_extremes": ("at the swept inputs' extreme values, {problem}", "在变动输入的极端取值下，{problem}"),
    "swept_shares_sum": ("swept shares of {group} can sum to {top}, above 1", "{group} 中变动的比例之和可达 {top}，超过 1"),
    "every_share_swept": ("every share of {group} is swept: leave one out, it takes what the others leave", "{group} 的每个比例都在变动：请留出一个，由它取其余之差"),
    "correlation_table": ("must be a table with parameters and matrix", "须为含 parameters 和 matrix 的表"),
    "correlation_kind": ("must be 'gaussian' or 'rank'", "须为 'gaussian' 或 'rank'"),
    "correlation_names": ("must list swept parameters by key path", "须按键路径列出变动的参数"),
    "correlation_matrix": ("must be a symmetric {k}×{k} matrix with ones on the diagonal", "须为对角线全为 1 的 {k}×{k} 对称矩阵"),
    "positive_definite": ("must be positive definite", "须为正定矩阵"),
    "empty_list": ("an empty list: give at least one value", "空列表：请至少给出一个值"),
    "list_numbers": ("a list of values must hold numbers", "取值列表只能含数字"),
    "values_or_dist": ("must be a list of values or {{ dist = ..., ... }}", "须为取值列表或 {{ dist = ..., ... }}"),
    "dist_takes": ("not a parameter of {kind} (takes: {takes})", "不是{kind!w}的参数（可用：{takes}）"),
    "choice_values": ("must be a non-empty list of numbers", "须为非空的数字列表"),
    "choice_weights": ("must be a list of positive numbers as long as values ({n}), got {got}; each at most {most}", "须为与 values 等长（{n} 个）的正数列表，实为 {got}；每个至多 {most}"),
    "list_of": ("a list of {n}", "{n} 个数的列表"),
    "dist_needs": ("missing: {kind} needs {need}", "缺失：{kind!w}须有 {need}"),
    "beyond_limit": ("{value} is beyond ±{most}", "{value} 超出 ±{most}"),
    "low_above_high": ("low must not exceed high", "low 不能大于 high"),
    "mode_between": ("must lie between low and high", "须在 low 与 high 之间"),
    "spread_positive": ("the spread (sd or sigma) must be positive", "离散程度（sd 或 sigma）须为正数"),
    "lognormal_overflow": ("exp(mu + 8 sigma) is beyond {most}: the values would overflow", "exp(mu + 8 sigma) 超出 {most}：取值会溢出"),
    "low_below_high": ("low must be below high", "low 须小于 high"),
    "truncation_mass": ("the truncation [{lo}, {hi}] leaves probability {mass} of this normal: move the mean or widen the bounds", "截断区间 [{lo}, {hi}] 内该正态分布的概率仅为 {mass}：请移动均值或放宽区间"),
    "unknown_slot": ("unknown {kind} {got} (known: {known})", "未知的{kind!w} {got}（可用：{known}）"),
    "no_numeric_field": ("{kind} have no numeric field {got} (fields: {known})", "{kind!w}没有数值字段 {got}（可用：{known}）"),
    "no_input": ("no such input: {got} (see docs/reference/keys.md)", "没有这个输入：{got}（见 docs/reference/keys.md）"),
    "no_term_sweep": ("{whose} has no {term} to sweep (write {key})", "{whose}没有可变动的{term!w}（请填写 {key}）"),
    "no_table_sweep": ("{whose} has no {table} to sweep", "{whose}没有可变动的 {table}"),
    "sweep_agreement": ("the agreement", "协议"),
    "sweep_scenario": ("the scenario", "情景"),
    "rule_has_no": ("the agreement's rule {rule} has no {name}", "协议的规则 {rule} 没有 {name}"),
    "clause_not_fixed": ("the agreement's {clause} clause is {rule}, not \"fixed\" shares", "协议的{clause!c}条款为 {rule}，不是 \"fixed\"（固定比例）"),
    # what a value was, inside "got …"
    "got_table": ("a table", "表"),
    "got_array": ("an array", "数组"),
    "got_boolean": ("the boolean {value}", "布尔值 {value}"),
    "got_string": ("the string {value}", "字符串 {value}"),
    # what SALib's problem dictionary cannot say (sim sweep export --to salib --approximate)
    "salib_refused": ("{folder}: SALib's problem dictionary cannot express {n} thing{s} of this sweep; nothing was written\n{lines}\nadd --approximate to export anyway: each approximation is then printed and written to NOTE.txt beside salib_problem.json", "{folder}：SALib 的问题字典无法表达此扫描的 {n} 项内容；未写入任何文件\n{lines}\n加上 --approximate 仍可导出：届时每项近似都会打印出来，并写入 salib_problem.json 旁的 NOTE.txt"),
    "salib_approximation": ("{parameter}: {why}; written as {written}", "{parameter}：{why}；写为{written}"),
    "salib_values": ("takes only the values {listed} (SALib has no discrete distribution)", "只取 {listed} 这些值（SALib 没有离散分布）"),
    "salib_choice": ("a discrete choice of {each} (SALib has no discrete distribution)", "在 {each} 中离散选择（SALib 没有离散分布）"),
    "salib_triang": ("a triangular distribution peaking at its upper end (SALib's triang takes a peak below 1)", "峰值在上端的三角分布（SALib 的 triang 要求峰值低于 1）"),
    "salib_triang_written": ("triang with peak {peak} of the width", "峰值位于宽度 {peak} 处的 triang"),
    "salib_uniform": ("a continuous uniform on [{low}, {high}]", " [{low}, {high}] 上的连续均匀分布"),
    "salib_correlated": ("{a} and {b} have a {kind} correlation of {r} (SALib's problem dictionary has no correlations)", "{a} 与 {b} 的 {kind!w}相关系数为 {r}（SALib 的问题字典不含相关性）"),
    "salib_independent": ("independent inputs", "相互独立的输入"),
    # the rule registries
    "unknown_clause_rule": ("the {clause} clause has no rule {got}; known: {known}", "{clause!c}条款没有规则 {got}；可用：{known}"),
    "rule_not_conserved": ("rule {rule} allocated {got} of a pool of {pool} (scenario {s}, year index {t})", "规则 {rule} 分配了 {got}，而税收池为 {pool}（情景 {s}，年份序号 {t}）"),
    "rule_shares_not_one": ("rule {rule} gave shares summing to {got}, not 1 (scenario {s}, year index {t})", "规则 {rule} 给出的比例之和为 {got}，不是 1（情景 {s}，年份序号 {t}）"),
    "rule_resolved": ("{rule} (its shares resolved per scenario, divided as {applied})", "{rule}（各情景求得的比例按 {applied} 分配）"),
    "rule_reviewed": ("{applied} at the review's shares (agreed rule {rule})", "{applied}，按重新协商后的分成比例（协议规则 {rule}）"),
    "sweep_not_conserved": ("agreement {label} of the sweep, scenario = the sweep's row: {why}", "扫描中的方案 {label}（情景序号即扫描的行号）：{why}"),
    "rule_sets_targets": ("rule {got} sets targets, not pool shares: resolve it with sim.agreement.resolve first", "规则 {got} 设定的是目标而非税收池分成比例：请先用 sim.agreement.resolve 求解"),
    # named fiscal policies of a sweep ([[sweep.policies]])
    "policy_tables": ("must be [[sweep.policies]] tables, each with a name", "须为 [[sweep.policies]] 表，每个表有 name"),
    "policy_duplicate": ("duplicate policy name {got}", "财政政策名 {got} 重复"),
    "policy_not_fiscal": ("not a fiscal parameter", "不是财政参数"),
    "policy_sets": ("{why}; a policy sets {keys}", "{why}；财政政策可设定的是 {keys}"),
    "policy_name_them": ("name the policies in [[sweep.policies]] tables", "请在 [[sweep.policies]] 表中写出各财政政策"),
    "policy_dist": ("must be \"choice\", got {got}", "须为 \"choice\"，实为 {got}"),
    "policy_list": ("must be a list of policy names ({known})", "须为财政政策名的列表（{known}）"),
    "policy_unknown": ("unknown policy {got} (policies: {known})", "未知的财政政策 {got}（可用：{known}）"),
    "policy_weights": ("must be a list of positive numbers as long as values ({n}), each at most {most}", "须为与 values 等长（{n} 个）的正数列表，每个至多 {most}"),
    "policy_choose": ("choose among the policies with a parameter: {example}", "请用一个参数在各财政政策中选择：{example}"),
    "policy_also_swept": ("{path} is also a swept parameter: sweep it, or set it in policies", "{path} 也是扫描参数：要么扫描它，要么在财政政策中设定它"),
}  # fmt: skip
"""Each reason's templates, English then Chinese."""

WORDS: dict[str, str] = {
    "Spearman rank": "Spearman 秩",
    "Gaussian-copula": "高斯 copula ",
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
    "shared strings": "共享字符串",
    "style records": "样式记录",
    "workbook": "工作簿",
    "scenario file": "情景文件",
    "TOML scenario file": "TOML 情景文件",
    "correlated": "相关",
    "tu": "可转移效用博弈",
    "cost": "成本博弈",
    "claims": "破产分配",
    "bargaining": "讨价还价",
    "hull": "可行集讨价还价",
    "independent": "相互独立",
    "list": "数组",
    "dict": "对象",
    "NoneType": "空值",
    "sale": "土地出让",
    "year": "年份",
    "land sales": "土地出让",
    "firms": "企业",
    "scope": "分享范围",
    "years": "协议年数",
    "review": "重新协商条款",
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
        if isinstance(value, list) and all(hasattr(v, "text") for v in value):  # Reasons
            return listing((self.format_field(v, "") for v in value), self.lang)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):  # ids
            return listing(value, self.lang)
        text = getattr(value, "text", None)  # a Reason, or a Problem holding one
        if callable(text):
            value = text(self.lang)
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "w":
            from sim.i18n.words import TERMS

            text = str(value)
            return WORDS.get(text, TERMS.get(text, text))
        if conversion == "c":  # a clause by its label: 税收分成, 土地出让收益
            from sim.i18n.words import LABELS

            return LABELS.get(f"{value}_clause", {}).get("zh", str(value))
        if conversion == "t":  # a sentence the core wrote in English (SENTENCES)
            from sim.i18n import translate

            return translate(str(value), "zh")
        if conversion == "n":  # a value read: 固定比例（fixed）, 否（false）
            return _named(str(value))
        if conversion == "i":  # an interval: [0, inf] is [0, +∞)
            return infinite(str(value))
        if conversion == "d":  # a rule's or parameter's summary
            from sim.i18n.text import SUMMARIES

            return SUMMARIES.get(str(value), str(value))
        return super().convert_field(value, conversion)


def infinite(interval: str) -> str:
    """An interval as Chinese writes it: ``[0, inf]`` is ``[0, +∞)``."""
    text = interval.replace("-inf", "−∞").replace("inf", "+∞")
    return text.replace("[−∞", "(−∞").replace("+∞]", "+∞)")


def _chinese(value: str) -> str:
    """An identifier's Chinese name, ``是``/``否`` for true and false, 亿元 for the unit
    100m CNY; the value itself when it has none."""
    from sim.i18n import unit
    from sim.i18n.text import TEXT
    from sim.i18n.words import TERMS

    yes_no = {"true": TEXT["yes"][1], "false": TEXT["no"][1]}
    return TERMS.get(value) or yes_no.get(value) or unit(value, "zh")


def _named(value: str) -> str:
    """A value read, by its Chinese name with its identifier: ``固定比例（fixed）``; a
    unit by its Chinese name alone (亿元, never the English 100m CNY)."""
    from sim.i18n import unit

    chinese = _chinese(value)
    if chinese == value or unit(value, "zh") == chinese:
        return chinese
    return f"{chinese}（{value}）"


def render(key: str, lang: str, params: dict[str, Any]) -> str:
    """The reason ``key`` with ``params`` in ``lang`` (English for any other code)."""
    en, zh = REASONS[key]
    if lang != "zh":
        return _Formatter(lang).format(en, **params)
    from sim.i18n import unnest

    return unnest(_Formatter(lang).format(zh, **params))


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
