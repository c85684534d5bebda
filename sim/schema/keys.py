"""Every key of a scenario file: its kind, default, bounds, unit, names and meaning.

:mod:`sim.schema.fields` holds the numbers a sweep can set; this table holds every key a
scenario file may have — numbers (with their field's bounds and names where they have a
field), ids, names, choices and flags — in the file's order. The checker
(:mod:`sim.scenario`) takes the keys it allows and the bounds it checks from here, and the
workbook (:mod:`sim.workbook`) its sheets, columns, headers, units, lists, ranges and notes.

Patterns are written as in :mod:`sim.schema.fields` (``firms.<firm>.growth``). The
agreement's keys are written under ``sharing`` and hold for every ``[[compare]]`` table
too; ``label`` and ``label_zh`` only there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from sim import i18n
from sim.rules import CLAUSES, FACTOR_NAMES, clause_rule_names, rule_names, rules
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.rules.clauses import FirmInput, firm_inputs
from sim.schema.fields import field, interval

__all__ = [
    "ARRAYS",
    "KEYS",
    "MAX_ID",
    "MAX_TEXT",
    "SCOPES",
    "SHARING_TERMS",
    "TABLES",
    "Key",
    "key",
    "names",
]

Kind = Literal[
    "id", "text", "party", "parties", "flag", "whole", "year", "number", "rule", "scope", "clause"
]  # fmt: skip
"""What a key holds: a short id, free text, a party id, a list of party ids, true or
false, a whole number, a year, a number, or a rule, scope or clause rule by name."""

MAX_TEXT = 200
"""Longest name, title or label, in characters."""
MAX_ID = 32
"""Longest id of a party or firm (a scenario's name: twice that)."""
SCOPES = ("all", "new_firms", "above_base")
"""What an agreement pools (docs/money.md)."""
TABLES = (
    "meta", "horizon", "parties", "taxes", "firms", "land_sales", "investment", "sharing",
    "compare", "cooperation",
)  # fmt: skip
"""The top-level tables of a scenario file, in the file's order."""
ARRAYS = {"parties": "<party>", "firms": "<firm>", "land_sales": "<sale>", "compare": ""}
"""Tables written as arrays of tables (``[[firms]]``), and the slot their items fill."""
_SLOT = re.compile(r"<[a-z]+>")
_PREFIX = re.compile(r"^[^<]*<[a-z]+>\s*[:：]\s*")


@dataclass(frozen=True)
class Key:
    """One key of a scenario file (a pattern, e.g. ``firms.<firm>.growth``)."""

    path: str
    kind: Kind
    en: str
    """English name; a slot (``<party>``) stands for the id it names."""
    zh: str
    about_en: str
    """What it means, in a sentence."""
    about_zh: str
    default: tuple[str, str] | None = None
    """What holds when it is not written, in English and Chinese (``None``: required;
    ``("", "")``: nothing)."""
    unit: str = ""
    """A unit of :func:`sim.schema.fields.unit_text` (``""``: none)."""
    lo: float = -math.inf
    hi: float = math.inf
    """Bounds of a number; of an id or a text, ``hi`` is its longest length."""
    lo_open: bool = False
    hi_open: bool = False

    def __post_init__(self) -> None:
        if self.kind in ("id", "text") and self.hi == math.inf:
            object.__setattr__(self, "hi", float(MAX_ID if self.kind == "id" else MAX_TEXT))

    @property
    def name(self) -> str:
        """The key itself, e.g. ``growth``."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def table(self) -> str:
        """The top-level table it belongs to, e.g. ``firms``."""
        return self.path.split(".", 1)[0]

    @property
    def slot(self) -> str:
        """The slot in its pattern (``<party>``), or ``""``."""
        found = _SLOT.search(self.path)
        return found.group(0) if found else ""

    @property
    def required(self) -> bool:
        """Whether a file (or the table it belongs to) must write it."""
        return self.default is None

    def label(self, lang: str = "en", slot: str = "") -> str:
        """Its name in ``lang`` with the slot filled by ``slot``; without ``slot``, its name
        where the slot is given elsewhere (``firms.<firm>.growth``: ``output growth``)."""
        text = i18n.pick(lang, self.en, self.zh)
        if not slot:
            return _PREFIX.sub("", text)
        if self.slot == "<factor>" and slot in FACTOR_NAMES:  # 因素法权重：产值
            slot = i18n.pick(lang, *FACTOR_NAMES[slot])
        return _SLOT.sub(slot, text)

    def about(self, lang: str = "en") -> str:
        """What it means in ``lang``."""
        return i18n.pick(lang, self.about_en, self.about_zh)

    def default_text(self, lang: str = "en") -> str:
        """Its default in words (empty when required or when nothing holds)."""
        if self.default is None:
            return ""
        return i18n.pick(lang, *self.default)

    @property
    def span(self) -> str:
        """Its bounds as an interval, e.g. ``(-1, 10]`` (``""`` for keys without bounds)."""
        if (self.lo == -math.inf and self.hi == math.inf) or self.kind in ("id", "text"):
            return ""
        return interval(self.lo, self.hi, self.lo_open, self.hi_open)

    def choices(self) -> tuple[str, ...]:
        """The names it may take (rules, scopes, a clause's rules), else ``()``."""
        if self.kind == "rule":
            return rule_names()
        if self.kind == "scope":
            return SCOPES
        if self.kind == "clause":
            return clause_rule_names(self.name)
        return ()


def _d(en: str, zh: str | None = None) -> tuple[str, str]:
    return (en, en if zh is None else zh)


_NONE = _d("", "")


def _num(path: str, about_en: str, about_zh: str, default: tuple[str, str] | None = None) -> Key:
    """A numeric key with the bounds, unit and names of its field."""
    f = field(path)
    return Key(
        path, "whole" if f.integer else "number", f.en, f.zh, about_en, about_zh, default,
        f.unit, f.lo, f.hi, f.lo_open, f.hi_open,
    )  # fmt: skip


def _year(path: str, en: str, zh: str, about_en: str, about_zh: str, default: tuple[str, str] | None
          ) -> Key:  # fmt: skip
    return Key(path, "year", en, zh, about_en, about_zh, default, "year", 1900, 2200)


_RATES = (
    ("value_added_ratio", "value added = output × this", "增加值 = 产值 × 本比例"),
    ("vat_rate", "VAT = value added × this", "增值税 = 增加值 × 本税率"),
    ("profit_margin", "profit = output × this", "利润 = 产值 × 本比例"),
    ("cit_rate", "corporate income tax = profit × this", "企业所得税 = 利润 × 本税率"),
    ("wage_ratio", "wages = output × this", "工资总额 = 产值 × 本比例"),
    ("pit_rate", "individual income tax = wages × this", "个人所得税 = 工资总额 × 本税率"),
    ("surcharge_rate", "surcharges = VAT × this (all local)",
     "附加税费 = 增值税 × 本比例（全归地方）"),
    ("other_local_rate", "other local taxes = output × this", "其他地方税费 = 产值 × 本比例"),
)  # fmt: skip


def _clause_keys(c: str) -> tuple[Key, Key]:
    """The keys of a registered clause stream: its rule and its shares."""
    zh = i18n.t(f"{c}_key", "zh")
    return (
        Key(f"sharing.{c}", "clause", c, zh, i18n.t(f"{c}_about"), i18n.t(f"{c}_about", "zh"),
            _d(CLAUSE_DEFAULTS[c])),
        _num(f"sharing.{c}.shares.<party>", f"with {c} rule fixed: the shares (sum to 1)",
             f"{zh}按固定比例时各方比例（合计为 1）", _NONE),
    )  # fmt: skip


def _firm_input_key(i: FirmInput) -> Key:
    """The key of a number each firm writes for a clause."""
    about = f"firm {i.name} about"
    default = _d(f"its party's, else {i.default:g}", f"注册地的默认值，否则为 {i.default:g}")
    return _num(f"firms.<firm>.{i.name}", i18n.t(about), i18n.t(about, "zh"), default)


def _party_input_key(i: FirmInput) -> Key:
    """The key of a party's default for a number its firms write for a clause."""
    f = field(f"firms.<firm>.{i.name}")
    return Key(
        f"parties.<party>.{i.name}", "whole" if i.integer else "number",
        i18n.t(f"firm {i.name}"), i18n.t(f"firm {i.name}", "zh"),
        i18n.t("party input about"), i18n.t("party input about", "zh"), _d(f"{i.default:g}"),
        f.unit, f.lo, f.hi, f.lo_open, f.hi_open,
    )  # fmt: skip


KEYS: tuple[Key, ...] = (
    Key("meta.name", "id", "scenario id", "情景编号",
        "short id of the scenario: letters, digits, '-', '_', '.'",
        "情景的简短编号：字母、数字、-、_、.", hi=2 * MAX_ID),
    Key("meta.title", "text", "title", "英文标题", "title in English", "英文标题",
        _d("the id", "情景编号")),
    Key("meta.title_zh", "text", "Chinese title", "中文标题", "title in Chinese", "中文标题",
        _d("the title", "英文标题")),
    Key("meta.unit", "text", "unit of amounts", "金额单位",
        "unit of every amount in the file", "文件中所有金额的单位",
        _d("100m CNY", "100m CNY（亿元）")),
    Key("horizon.start_year", "whole", "first year", "起始年份",
        "first year of the horizon (t = 0, not discounted)", "测算期第一年（不折现）",
        None, "year", 1900, 2200),
    Key("horizon.years", "whole", "years", "测算年数", "length of the horizon", "测算期长度",
        None, "years", 1, 200),
    _num("horizon.discount_rate", "NPV = Σ net(t) / (1 + rate)^t",
         "净现值 = Σ 净收益(t) / (1 + 折现率)^t", _d("0")),
    Key("parties.<party>.id", "id", "id", "编号",
        "short id of a cooperating jurisdiction (at least 2)", "合作方的简短编号（至少两方）"),
    Key("parties.<party>.name", "text", "name", "英文名称", "name in English", "英文名称",
        _d("the id", "编号")),
    Key("parties.<party>.name_zh", "text", "Chinese name", "中文名称", "name in Chinese",
        "中文名称", _d("the name", "英文名称")),
    _num("parties.<party>.retained_share",
         "share of its local tax revenue this level keeps; the rest goes to its upper tiers",
         "地方税收中本级留成的比例，其余上解上级", _d("1")),
    *(_party_input_key(i) for i in firm_inputs()),
    _num("taxes.vat_local_share", "local (non-central) share of VAT", "增值税地方分享比例",
         _d("0.5")),
    _num("taxes.cit_local_share", "local share of corporate income tax", "企业所得税地方分享比例",
         _d("0.4")),
    _num("taxes.pit_local_share", "local share of individual income tax", "个人所得税地方分享比例",
         _d("0.4")),
    Key("firms.<firm>.id", "id", "id", "编号", "short id of a firm or cohort of firms",
        "企业（或企业群）的简短编号"),
    Key("firms.<firm>.party", "party", "registered in", "注册地",
        "the party where it is registered and pays its taxes", "企业注册并纳税的一方"),
    Key("firms.<firm>.introduced_by", "party", "introduced by", "引进方",
        "the party that brought the investment in", "招引该企业的一方", _d("its party", "注册地")),
    Key("firms.<firm>.existing", "flag", "existing", "存量企业",
        "TRUE for revenue that predates the agreement (stock)",
        "协议前已有的企业填 TRUE（其税收为存量）", _d("FALSE")),
    _year("firms.<firm>.first_year", "first year of output", "投产年份",
          "first year of output, inside the horizon", "投产第一年，须在测算期内", None),
    _num("firms.<firm>.output", "output in its first year", "投产第一年的产值"),
    _num("firms.<firm>.growth", "yearly growth of output", "产值年增长率", _d("0")),
    _num("firms.<firm>.ramp_years", "output reaches its level over this many years",
         "经过这么多年达到满产", _d("1")),
    *(_num(f"firms.<firm>.{k}", en, zh) for k, en, zh in _RATES),
    *(_firm_input_key(i) for i in firm_inputs()),
    Key("firms.<firm>.name", "text", "name", "英文名称",
        "name in English, where tables and figures name the firm", "英文名称（英文表格和图中使用）",
        _d("the id", "编号")),
    Key("firms.<firm>.name_zh", "text", "Chinese name", "中文名称",
        "name in Chinese, where Chinese tables and figures name the firm",
        "中文名称（中文表格和图中使用）", _d("the name", "英文名称")),
    Key("land_sales.<sale>.party", "party", "sold by", "出让方",
        "the party whose fund budget gets the income", "土地出让收入归入其政府性基金预算的一方"),
    _year("land_sales.<sale>.year", "year", "出让年份", "year of the sale, inside the horizon",
          "出让年份，须在测算期内", None),
    _num("land_sales.<sale>.area_mu", "area sold", "出让面积"),
    _num("land_sales.<sale>.price", "price per mu", "每亩单价"),
    _num("land_sales.<sale>.cost_share", "share of the price spent on acquisition and compensation",
         "征地拆迁等成本占出让价款的比例", _d("0")),
    _num("land_sales.<sale>.rural_earmark", "share of the price earmarked for rural uses",
         "计提农业农村的比例", _d("0")),
    Key("investment.capex.<year>", "number", "joint capex", "共同投资",
        "joint capital spending in the year, paid by equity", "当年共同投资额，按股比出资", _NONE,
        "unit", 0.0, math.inf),
    _num("investment.equity.<party>", "shareholding in the joint company (sums to 1)",
         "在合资公司中的股比（合计为 1）", _d("required with capex or equity rules",
                                      "有共同投资或按股比规则时必填")),
    _num("investment.return_rate", "joint company's profit per year on capex of earlier years",
         "合资公司每年利润占以往累计投资的比例", _d("0")),
    _num("investment.payout_ratio", "share of the joint company's profit paid as dividends",
         "合资公司利润中分红的比例", _d("1")),
    Key("sharing.label", "text", "label", "英文名称",
        "name of an alternative (only alternatives have one)", "比较方案的名称（仅比较方案填写）",
        _d("the rule", "规则名")),
    Key("sharing.label_zh", "text", "Chinese label", "中文名称", "its name in Chinese",
        "比较方案的中文名称", _d("the label", "英文名称")),
    Key("sharing.rule", "rule", "rule", "分享规则", "how the pooled tax is divided (sim rules)",
        "税收分享规则（见 sim rules）", _d("source", "source（属地，无协议）")),
    _num("sharing.shares.<party>", "with rule fixed: the pool's shares (sum to 1)",
         "固定比例规则：各方分成比例（合计为 1）", _NONE),
    _num("sharing.weights.<factor>",
         "with rule formula: the factor's weight (sum to 1)", "因素法：各因素权重（合计为 1）",
         _NONE),
    Key("sharing.weights.<party>", "number", "<party>: bargaining weight", "<party>：谈判权重",
        "with rule nash: the party's bargaining weight", "纳什谈判规则：该方的谈判权重", _d("1"),
        "", 0.0, math.inf, lo_open=True),
    _num("sharing.share", "with rule introducer: the introducer's share of each pooled firm's tax",
         "引进方分成规则：引进方分得的比例", _NONE),
    Key("sharing.scope", "scope", "scope", "分享范围",
        "all: all tax; new_firms: firms not existing; above_base: the increment over base_year",
        "all：全部税收；new_firms：新引进企业；above_base：超过基年的增量", _d("all")),
    _year("sharing.base_year", "base year", "基年",
          "with above_base: the year whose revenue is each party's stock",
          "超基数增量：以该年税收为各方存量", _d("from_year", "协议起始年")),
    _year("sharing.from_year", "first year", "协议起始年", "first year the agreement redistributes",
          "协议开始分享的年份", _d("the first year", "测算期第一年")),
    Key("sharing.years", "whole", "years", "协议年数", "years the agreement redistributes",
        "协议分享的年数", _d("to the end", "至测算期末"), "years", 1, 200),
    _num("sharing.compliance", "share of each agreed transfer actually settled",
         "约定转移中实际结算的比例", _d("1")),
    _num("sharing.floors.<party>", "minimum tax revenue per year in the agreement's years",
         "协议期内每年最低税收收入", _NONE),
    _num("sharing.cap", "most tax any party pays the others in a year",
         "任一方每年向其他方转移税收的上限", _NONE),
    Key("sharing.review.party", "party", "review: party", "重新协商：考核方",
        "the party whose cumulative gain is checked", "考核其累计增益的一方",
        _d("no review", "不设重新协商")),
    _num("sharing.review.below",
         "the shares switch once the party's cumulative tax gain is below this",
         "该方累计税收增益低于此值时改用新比例", _NONE),
    Key("sharing.review.after", "whole", "review: years before the first check",
        "重新协商：首次考核前的年数", "years of the window before the first check",
        "协议期内首次考核前的年数", _d("0"), "years", 0, 200),
    _num("sharing.review.shares.<party>", "the pool's shares after the review (sum to 1)",
         "重新协商后的分成比例（合计为 1）", _NONE),
    *(key for c in CLAUSES for key in _clause_keys(c)),
    Key("cooperation.synergy", "number", "synergy", "集聚效应",
        "the joint park's output is 1 + synergy times the parties' apart",
        "合作园区产值为各方单独发展时的 1 + 集聚效应 倍", _d("0"), "fraction", 0.0, 10.0),
    Key("cooperation.requires.<firm>", "parties", "<firm>: requires", "<firm>：需合作方",
        "parties that must all cooperate for the firm to come",
        "该企业落户须共同参与合作的各方", _d("its party and its introducer", "注册地与引进方")),
    Key("cooperation.standalone_capex.<party>", "number", "<party>: capex alone",
        "<party>：单独发展的投资", "total capex the party would spend on its own",
        "该方单独发展时的总投资", _d("its equity share of the joint capex", "按股比分摊的共同投资"),
        "unit", 0.0, math.inf),
)  # fmt: skip
"""Every key of a scenario file, in the file's order."""

_BY_PATH = {k.path: k for k in KEYS}


def key(path: str) -> Key:
    """The key of a pattern, e.g. ``key("firms.<firm>.growth")``."""
    return _BY_PATH[path]


@cache
def names(table: str) -> tuple[str, ...]:
    """The keys a table may hold, in the file's order: ``names("meta")``,
    ``names("firms.<firm>")``, ``names("sharing.review")``."""
    depth = table.count(".") + 1
    out = [k.path.split(".")[depth] for k in KEYS if k.path.startswith(f"{table}.")]
    return tuple(dict.fromkeys(out))


def _terms() -> tuple[str, ...]:
    params = {p.name for r in rules() for p in r.params}
    return tuple(
        n for n in names("sharing") if n not in params and n not in CLAUSES and "label" not in n
    )


SHARING_TERMS = _terms()
"""An agreement's keys besides its rule's parameters, its clauses and its labels:
``rule``, ``scope``, the window, ``compliance``, ``floors``, ``cap``, ``review``."""
