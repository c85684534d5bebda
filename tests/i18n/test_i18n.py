"""The word catalogue (sim.i18n): one Chinese word per concept, no unused entry, no
language branch outside it, and validation reasons in Chinese."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sim import i18n
from sim.cli import main
from sim.rules import FACTOR_NAMES
from sim.rules.clauses import ARISING
from sim.scenario import load

SIM = Path(__file__).resolve().parents[2] / "sim"
INVALID = Path(__file__).parents[1] / "data" / "invalid"


def _dict_keys(path: Path) -> list[list[str]]:
    """The keys of every dict literal in ``path``, as written (duplicates kept)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        [k.value for k in node.keys if isinstance(k, ast.Constant)]
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
    ]


@pytest.mark.parametrize(
    "module", ["words.py", "reasons.py", "text.py", "portfolio.py", "web.py", "portfolio_page.py"]
)
def test_no_key_is_written_twice(module: str) -> None:
    # a dict literal silently keeps the last of two equal keys: two words for one concept
    for keys in _dict_keys(SIM / "i18n" / module):
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


NOT_THE_SAME_CONCEPT = {
    # key: why its term (an identifier's name) and its label differ
    "tax": "the term is the land clause's mode `tax` (随税收分成比例), the label the stream",
    "land": "the term is the land clause, the label the stream net of costs (净收益)",
    "sobol": "the term is the design (Sobol sequence), the label the indices",
}


def test_one_chinese_word_per_concept() -> None:
    # an identifier's name (TERMS) and its label (LABELS), and a clause's label, agree
    for key, zh in i18n.TERMS.items():
        for label_key in (key, f"{key}_clause"):
            if label_key in i18n.LABELS and key not in NOT_THE_SAME_CONCEPT:
                assert zh in i18n.LABELS[label_key]["zh"], (key, zh, i18n.LABELS[label_key])
    # the formula's factors have the clauses' words: 出资 for what each party pays in
    assert FACTOR_NAMES["investment"][1].startswith(i18n.name("investment", "zh"))
    # the words that disagreed before
    assert i18n.name("investment", "zh") == i18n.t("investment", "zh") == "出资"
    assert i18n.name("dividends", "zh") == i18n.t("dividends", "zh") == "分红"
    assert i18n.name("cap", "zh") == i18n.t("cap", "zh")


def test_every_entry_is_used() -> None:
    # each key is written, quoted, somewhere outside the catalogue (or built from a
    # prefix a caller completes: than_<basis>, <clause>_clause, http_<status>,
    # output_<output>, rank_<k>, <kind>_number, <noun>s_one|_many (i18n.count), flag_
    # (i18n.flag), tidy_<table> (sim.report.write.tidy_sheet); and the words of a
    # registered clause stream: <clause>_key, <clause>_about, firm <input>; of one that
    # arises with the firms: source_<clause>, <clause>_borne)
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in SIM.rglob("*")
        if p.suffix in (".py", ".html") and "i18n" not in p.parts
    )
    built = ("than_", "_clause", "http_", "output_", "rank_", "_number", "book_", "sens_")
    built += ("unit_word_", "dist_")
    built += ("_about", "firm ", "s_one", "s_many", "flag_", "tidy_")
    # every string written between quotes (overlapping: a closing quote may open the next)
    quoted = set(re.findall(r"(?=[\"']([^\"'\n]*)[\"'])", text))
    quoted |= {w for c in ARISING for w in (f"source_{c}", f"{c}_borne")}
    unused = [
        k
        for k in [*i18n.LABELS, *i18n.NOTES, *i18n.REASONS, *i18n.TEXT, *i18n.PHRASES]
        if k not in quoted and not k.startswith(built) and not k.endswith(built)
    ]
    unused = [
        k
        for k in unused
        if k
        not in (
            "got_table",
            "got_array",
            "got_boolean",
            "got_string",
            "invalid",
            "more",
            "must_be",
            "year_span",
        )
    ]
    assert not unused


def test_portfolio_words_are_not_the_text_commands_words() -> None:
    # sim.i18n.TEXT merges both tables: a key in both would hide one
    from sim.i18n.portfolio import PORTFOLIO
    from sim.i18n.text import TEXT

    assert not set(TEXT) & set(PORTFOLIO)
    assert set(PORTFOLIO) <= set(i18n.TEXT)


def test_a_key_names_one_entry() -> None:
    # sim.i18n.t looks in LABELS, NOTES, then TEXT: a key in two would hide one
    assert not set(i18n.TEXT) & (set(i18n.LABELS) | set(i18n.NOTES))


def test_every_rule_has_a_chinese_summary() -> None:
    from sim.rules import CLAUSES, clause_rules, rules

    wanted = {r.name for r in rules()}
    wanted |= {f"clause.{c.name}" for clause in CLAUSES for c in clause_rules(clause)}
    wanted |= {f"{r.name}.{p.name}" for r in rules() for p in r.params}
    assert wanted == set(i18n.SUMMARIES)


LANG_BRANCH = re.compile(r"lang *(==|!=) *['\"](zh|en)['\"]|\{['\"]zh['\"]: .*\}\.get\(lang")
"""A language branch: ``lang == "zh"``, or ``{"zh": …}.get(lang, …)`` (the same, hidden)."""


def test_no_language_branch_outside_the_catalogue() -> None:
    # the code and the page's templates choose a language only through sim.i18n
    found = sorted(
        str(p.relative_to(SIM))
        for p in SIM.rglob("*")
        if p.suffix in (".py", ".html")
        and "i18n" not in p.parts
        and LANG_BRANCH.search(p.read_text(encoding="utf-8"))
    )
    assert not found


def test_the_page_words_are_the_catalogues() -> None:
    # the page's words are in sim.i18n.PAGE, and a word the rest of the catalogue has is
    # not written a second time there (one Chinese word per concept)
    from sim.web.text import t

    assert t("Download", "zh") == "下载"
    assert t("factor land", "en") == "land area sold"
    alone = t("every party at least as well off as alone", "zh")
    assert alone.startswith(i18n.t("all_alone", "zh"))
    for key, (_, zh) in i18n.PAGE.items():
        assert key not in i18n.PHRASES and key not in i18n.TEXT, key
        assert zh not in {i18n.t("npv", "zh"), i18n.t("yes", "zh"), i18n.t("party", "zh")}


@pytest.mark.parametrize(
    ("name", "english", "chinese"),
    [
        (
            "growth-below-minus-one",
            "must be in (-1, 10], got -1.5",
            "须在 (-1, 10] 之内，实为 -1.5",
        ),
        ("duplicate-firm-id", "duplicate firm id 'machinery'", "企业编号 'machinery' 重复"),
        ("equity-does-not-sum-to-one", "must sum to 1, got 0.9", "之和须为 1，实为 0.9"),
        ("growth-as-string", "must be a number, got the string '3%'", "须为数字，实为字符串 '3%'"),
    ],
)
def test_validate_gives_reasons_in_chinese(name: str, english: str, chinese: str) -> None:
    path = str(INVALID / f"{name}.toml")
    en = CliRunner().invoke(main, ["validate", path])
    zh = CliRunner().invoke(main, ["validate", path, "--lang", "zh"])
    assert en.exit_code == zh.exit_code == 1
    assert english in en.output and "not a valid scenario" in en.output
    assert chinese in zh.output and "不是有效的情景文件" in zh.output
    assert english not in zh.output


def test_a_chinese_workbook_gives_reasons_in_chinese(tmp_path: Path) -> None:
    book = tmp_path / "park.xlsx"
    assert CliRunner().invoke(main, ["template", str(book), "--lang", "zh"]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    wb["企业"]["G2"] = 30  # 产值年增速
    wb.save(book)
    result = CliRunner().invoke(main, ["validate", str(book)])
    assert result.exit_code == 1
    assert "企业!G2 产值年增速：须在 (-1, 10] 之内，实为 30" in result.output
    assert "must be" not in result.output
    ran = CliRunner().invoke(main, ["run", str(book)])
    assert ran.exit_code == 2 and "须在 (-1, 10] 之内" in ran.output
    # the whole message in one language: the workbook's, or --lang's where it is typed
    assert ran.output.startswith("错误：") and "error" not in ran.output
    asked = CliRunner().invoke(main, ["compare", str(book), "--lang", "en"])
    assert asked.output.startswith("error: ") and "must be in (-1, 10], got 30" in asked.output
    assert "须在" not in asked.output and "不是有效" not in asked.output


def test_a_valid_chinese_workbook_is_reported_in_chinese(tmp_path: Path) -> None:
    """`sim validate` on a valid workbook from `sim template --lang zh` said `ok … (… parties)`
    in English; with --lang it says what --lang asks."""
    book = tmp_path / "park.xlsx"
    assert CliRunner().invoke(main, ["template", str(book), "--lang", "zh"]).exit_code == 0
    said = CliRunner().invoke(main, ["validate", str(book)])
    assert said.exit_code == 0 and said.output.startswith("通过  ")
    assert "个参与方" in said.output and said.output.splitlines()[0].endswith("）")
    # nothing to note in Chinese: its choices are typed by their Chinese names (a new user
    # met 协议!D4：固定比例 读作 固定比例（fixed） and three more on the untouched template)
    assert len(said.output.splitlines()) == 1, said.output
    asked = CliRunner().invoke(main, ["validate", str(book), "--lang", "en"])
    assert asked.output.startswith("ok  ") and "parties" in asked.output
    assert "协议!D4: 固定比例 read as fixed" in asked.output  # in English it says something


GAIN_TERMS = ("较无协议增减", "较独立发展增减")
"""The gain over no agreement (each party keeping the tax collected in it) and over
standing alone: one Chinese term each."""
OTHER_GAIN_WORDS = re.compile(r"增减|较属地|相对无协议|比无协议|收益来源|增益")


def test_one_chinese_term_for_a_gain() -> None:
    # the CLI said 增减, the report 较属地增减, the figures 较无协议增减 for one concept
    seen = []
    for path in [*SIM.rglob("*.py"), *SIM.rglob("*.html")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            rest = line
            for term in GAIN_TERMS:
                rest = rest.replace(term, "")
            rest = rest.replace("累计税收增益", "")  # the review's test: tax, not NPV
            if OTHER_GAIN_WORDS.search(rest):
                seen.append(f"{path.relative_to(SIM)}: {line.strip()}")
    assert not seen, seen
    assert i18n.t("gain", "zh") == i18n.phrase("gain_vs_source", "zh") == GAIN_TERMS[0]
    assert i18n.t("output_gain_vs_standalone", "zh") == i18n.phrase("gain_vs_alone", "zh")


def test_a_report_s_words_agree_with_the_catalogue() -> None:
    # the report said 属地（无协议） and 规则 where the labels say 无协议（属地） and 分享规则;
    # its words are keyed by concept, English and Chinese both values, like the rest
    for key, (en, zh) in i18n.PHRASES.items():
        assert re.fullmatch(r"[a-z0-9_]+", key) and en and zh, key  # a concept, not English
        if key in i18n.LABELS:
            assert zh == i18n.LABELS[key]["zh"], (key, zh, i18n.LABELS[key])
        if key in i18n.TERMS:
            assert i18n.TERMS[key] in zh, (key, zh, i18n.TERMS[key])
        # a concept the text commands' words hold already is written once, there
        assert key not in i18n.TEXT, key
    # a statistic has one name: the report's 固定资产投资 is the page's
    assert i18n.phrase("indicator", "zh") == "指标"
    assert i18n.t("indicator_investment", "zh") == "固定资产投资"
    assert i18n.phrase("in_core", "zh") == i18n.t("in_core", "zh") == "在核心内"
    assert i18n.phrase("p_all_source", "zh") == "各方均不低于无协议的概率"
    assert i18n.phrase("comparison_table", "en") == "Comparison of sharing rules"


def test_every_reason_the_code_names_is_in_the_catalogue() -> None:
    """A ``Reason("key", …)`` whose key the catalogue lacks is an internal error (exit
    70) at the moment it is told — found by the game-file fuzz test once."""
    missing = sorted(
        f"{p.relative_to(SIM)}: {m.group(1)}"
        for p in SIM.rglob("*.py")
        for m in re.finditer(r'Reason\(\s*"([a-z0-9_]+)"', p.read_text(encoding="utf-8"))
        if m.group(1) not in i18n.REASONS
    )
    assert not missing


@pytest.mark.parametrize(
    ("args", "chinese"),
    [
        (["run"], "留成税收"),
        (["compare"], "较无协议增减"),
        (["game"], "联盟"),
        (["settle", "--year", "2030"], "年终结算单"),
        (["run", "--out", "OUT"], "已写入"),
    ],
)
def test_a_chinese_workbook_is_answered_in_chinese(
    tmp_path: Path, args: list[str], chinese: str
) -> None:
    """`sim validate` answered a Chinese workbook in Chinese but `run`, `compare`, `game`
    in English: without --lang every command that reads a workbook takes its language."""
    book = tmp_path / "park.xlsx"
    assert CliRunner().invoke(main, ["template", str(book), "--lang", "zh"]).exit_code == 0
    rest = [str(tmp_path / a) if a == "OUT" else a for a in args[1:]]
    said = CliRunner().invoke(main, [args[0], str(book), *rest])
    assert said.exit_code == 0, said.output
    assert chinese in said.output
    rest = [str(tmp_path / "en") if a == "OUT" else a for a in args[1:]]
    asked = CliRunner().invoke(main, [args[0], str(book), *rest, "--lang", "en"])
    assert asked.exit_code == 0 and chinese not in asked.output
    words = asked.output  # the workbook's own names (Chinese in a Chinese template) aside
    scenario = load(book)
    for name in (scenario.title, *(p.name for p in scenario.parties)):
        words = words.replace(name, "")
    assert not re.search(r"[\u4e00-\u9fff]", words)


def test_an_open_interval_reads_as_math_in_chinese() -> None:
    # "须在 [0, inf] 之内" showed the English "inf" on the Chinese page and CLI
    r = i18n.Reason("range", interval="[0, inf]", got="-1")
    assert r == "must be in [0, inf], got -1"
    assert r.text("zh") == "须在 [0, +∞) 之内，实为 -1"
    assert i18n.Reason("range", interval="[-inf, 0]", got="1").text("zh").startswith("须在 (−∞, 0]")


def test_the_language_switch_is_named_in_the_page_s_language() -> None:
    template = (SIM / "web" / "templates" / "base.html").read_text(encoding="utf-8")
    assert 'aria-label="language"' not in template
    assert i18n.page("Language", "zh") == "语言"


VARIANTS = {"单独发展": "独立发展", "总收益": "较无协议增减"}
"""Words a new user found beside the catalogue's term for the same concept (standing
alone; the gain the decomposition's parts sum to)."""


def test_standing_alone_and_the_gain_have_one_chinese_term() -> None:
    seen = [
        f"{path.relative_to(SIM)}: {variant} (the term is {term})"
        for path in SIM.rglob("*.py")
        for variant, term in VARIANTS.items()
        if variant in path.read_text(encoding="utf-8")
    ]
    assert not seen, seen
    # the tax collected at source: `sim run`'s column is the term reports and statements use
    assert i18n.t("source_tax_col", "zh") == i18n.t("source_tax", "zh")


def test_a_chinese_message_lists_ids_with_the_enumeration_comma(tmp_path: Path) -> None:
    # a new user met （参与方：SC, CQ） and （可用：gaozhu, suitong, …） in Chinese messages
    from sim.i18n import Reason

    reason = Reason("unknown_party", got="'XX'", parties=("SC", "CQ"))
    assert "SC、CQ" in reason.text("zh") and "SC, CQ" in reason
    path = tmp_path / "s.toml"
    text = (SIM.parent / "scenarios" / "gaozhu.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('party = "CQ"', 'party = "XX"', 1), encoding="utf-8")
    said = CliRunner().invoke(main, ["validate", str(path), "--lang", "zh"])
    assert said.exit_code == 1 and "SC、CQ" in said.output + said.stderr, said.output
