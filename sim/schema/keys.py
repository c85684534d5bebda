"""The key table: every key of a scenario file, declared once — its kind, names, meaning,
default, bounds, unit, how many it stands for (a slot: per party, per firm, per sale,
per year, per factor), and, for a number a sweep can set, where it goes on a batch.

Every surface is generated from it: the checker (:mod:`sim.scenario`) takes the keys it
allows, the bounds it checks and the defaults it applies; the workbook
(:mod:`sim.workbook`) its sheets, columns, a row for each party or factor, headers,
units, lists, ranges and notes; the sweep's field table (:data:`sim.schema.fields.FIELDS`)
is its keys with a :attr:`Key.sweep` target; the TOML write-back
(:mod:`sim.scenario_toml`) its tables' keys and their order; the manual's key reference
(``tools/mkdocs_hooks.py``) every row.

Patterns name ids by slots (``firms.<firm>.growth``, ``sharing.shares.<party>``). The
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

__all__ = [
    "ARRAYS",
    "KEYS",
    "MAX_ID",
    "MAX_TEXT",
    "SCHEDULED",
    "SCOPES",
    "SHARING_TERMS",
    "TABLES",
    "Around",
    "Extreme",
    "Key",
    "Sets",
    "Target",
    "key",
    "names",
]

Kind = Literal[
    "id", "text", "party", "parties", "flag", "whole", "year", "number", "rule", "scope", "clause"
]  # fmt: skip
"""What a key holds: a short id, free text, a party id, a list of party ids, true or
false, a whole number, a year, a number, or a rule, scope or clause rule by name."""

Target = Literal[
    "discount_rate", "retained_share", "local_share", "firms", "land", "capex", "equity",
    "return_rate", "payout_ratio", "compliance", "floors", "param", "clause", "cap", "review",
    "policy",
]  # fmt: skip
"""Where a swept number goes: a :class:`~sim.model.Batch` array, a firm or land-sale
input, the agreement's compliance, floors or cap, the review's threshold or shares, a
tax-rule parameter, a clause's shares (:mod:`sim.sweep.run`), or a sweep's named fiscal
policy (:mod:`sim.sweep.policies`)."""

Sets = Literal["scalar", "column", "share", "default"]
"""How a sweep sets a number on a batch (:mod:`sim.sweep.run`), the same for every key of
its kind: ``scalar``, one number per scenario (the array is ``(S,)``: the discount rate,
the cap); ``column``, the column of the one id its slot names (per party, per firm, per
land sale, per year, or the key's place among its target's keys: a tax's local share);
``share``, that column of a table of shares, the others rescaled to keep each row
summing to 1 (an equity, a fixed share, a clause's shares); ``default``, a party's
default for its firms: the column of each firm of the party its slot names that does
not write its own (a party's rebate share)."""

Extreme = Literal["low", "high"]
"""The end of a swept number's range where a scenario's amounts or discount factors are
largest, where a sweep checks that they stay finite (:func:`sim.scenario.magnitude_problems`):
``high`` for an output, a growth, a price; ``low`` for a discount rate (the factor
``(1 + r)^-t`` grows as ``r`` falls) or a first year of output (the earlier, the longer
output compounds)."""

Around = Literal["bounds", "times", "plus", "double"]
"""How the page (``sim serve``) forms the range it offers to sweep a number over, around
its value ``x`` with a step ``s`` (:meth:`Key.around`): ``bounds``, the key's bounds;
``times``, ``x·(1 − s)`` to ``x·(1 + s)``; ``plus``, ``x − s`` to ``x + s`` (to 4
places); ``double``, 0 to ``2x``, at least to ``s``."""

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
    sweep: Target | None = None
    """Where a sweep sets it on a batch (``None``: it cannot be swept)."""
    sets: Sets | None = None
    """How a sweep sets it on a batch (with :attr:`sweep`)."""
    schedule: bool = False
    """A fiscal parameter a file may give as a schedule by year
    (:class:`~sim.scenario_types.Schedule`); on a batch it then has a year axis
    (:attr:`sim.model.Batch.yearly`), which a swept number fills in every year."""
    heading: tuple[str, str] | None = None
    """Its name in English and Chinese where its slot is given elsewhere (a column of a
    row per year), when that is not its name less the slot's prefix."""
    extreme: Extreme = "high"
    """The end of its range a sweep checks a scenario at (:data:`Extreme`)."""
    page: tuple[Around, float] | None = None
    """Whether the page offers to sweep it, and how it forms the range around its value
    (:data:`Around`; ``None``: not offered)."""

    def __post_init__(self) -> None:
        if self.kind in ("id", "text") and self.hi == math.inf:
            object.__setattr__(self, "hi", float(MAX_ID if self.kind == "id" else MAX_TEXT))
        if (self.sweep is None) != (self.sets is None):
            raise ValueError(f"{self.path}: a swept key says where and how a batch sets it")
        if self.page is not None and self.sweep is None:
            raise ValueError(f"{self.path}: the page offers only a key a sweep can set")

    def around(self, x: float) -> tuple[float, float]:
        """The range the page offers to sweep it over, around its value ``x``
        (:attr:`page`).

        Examples
        --------
        Within the key's bounds: a discount rate of 60% is offered 0 to 100%, not 120%.

        >>> key("firms.<firm>.growth").around(0.03), key("firms.<firm>.output").around(8.0)
        ((-0.02, 0.08), (4.0, 12.0))
        >>> key("horizon.discount_rate").around(0.6)
        (0.0, 1.0)
        """
        how, step = self.page or ("bounds", 0.0)
        if how == "times":
            low, high = x * (1 - step), x * (1 + step)
        elif how == "plus":
            low, high = round(x - step, 4), round(x + step, 4)
        elif how == "double":
            low, high = 0.0, max(step, 2 * x)
        else:
            return self.lo, self.hi
        return max(low, self.lo), min(high, self.hi)

    @property
    def shares(self) -> bool:
        """Part of a table of shares that sums to 1 (the others are rescaled when swept)."""
        return self.sets == "share"

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
            return i18n.pick(lang, *self.heading) if self.heading else _PREFIX.sub("", text)
        if self.slot == "<factor>" and slot in FACTOR_NAMES:  # 因素法权重：产值
            slot = i18n.pick(lang, *FACTOR_NAMES[slot])
        return _SLOT.sub(slot, text)

    def about(self, lang: str = "en") -> str:
        """What it means in ``lang``."""
        return i18n.pick(lang, self.about_en, self.about_zh)

    @property
    def value(self) -> float | None:
        """Its default as a number, which the checker applies when it is not written
        (``None``: required, nothing holds, or not a number)."""
        if not self.default or self.kind not in ("number", "whole"):
            return None
        try:
            return float(self.default[0])
        except ValueError:
            return None

    @property
    def optional(self) -> bool:
        """Whether nothing holds when it is not written (``sharing.cap``)."""
        return self.default == ("", "")

    def default_text(self, lang: str = "en") -> str:
        """Its default in words (empty when required or when nothing holds); a choice's
        by its name, as its list names it (``属地``, never ``source（属地）``)."""
        if self.default is None:
            return ""
        if self.choices():
            return i18n.name(self.default[0], lang)
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


def interval(lo: float, hi: float, lo_open: bool = False, hi_open: bool = False) -> str:
    """Bounds as an interval, e.g. ``(-1, 10]`` or ``[0, inf]``."""
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    lo_text = "-inf" if lo == -math.inf else f"{lo:g}"
    hi_text = "inf" if hi == math.inf else f"{hi:g}"
    return f"{left}{lo_text}, {hi_text}{right}"


def _d(en: str, zh: str | None = None) -> tuple[str, str]:
    return (en, en if zh is None else zh)


_NONE = _d("", "")
_INF = math.inf


def _num(
    path: str, lo: float, hi: float, unit: str, names: tuple[str, str],
    about: tuple[str, str], default: tuple[str, str] | None = None, *, to: Target | None,
    sets: Sets | None, lo_open: bool = False, kind: Kind = "number", schedule: bool = False,
    extreme: Extreme = "high", page: tuple[Around, float] | None = None,
) -> Key:  # fmt: skip
    """A number: its bounds, unit, names, meaning, default, where and how a sweep sets it
    on a batch, the end of its range a sweep checks, and how the page offers it."""
    return Key(path, kind, *names, *about, default, unit, lo, hi, lo_open, sweep=to,
               sets=sets, schedule=schedule, extreme=extreme, page=page)  # fmt: skip


def _rate(path: str, names: tuple[str, str], about: tuple[str, str],
          default: tuple[str, str] | None = None, *, to: Target, sets: Sets,
          schedule: bool = False, page: tuple[Around, float] | None = None) -> Key:  # fmt: skip
    """A fraction in [0, 1]."""
    return _num(path, 0.0, 1.0, "fraction", names, about, default, to=to, sets=sets,
                schedule=schedule, page=page)  # fmt: skip


def _year(path: str, en: str, zh: str, about_en: str, about_zh: str, default: tuple[str, str] | None
          ) -> Key:  # fmt: skip
    return Key(path, "year", en, zh, about_en, about_zh, default, "year", 1900, 2200)


_RATES = (
    ("value_added_ratio", ("value added / output", "增加值率"),
     ("value added = output × this", "增加值 = 产值 × 本比例")),
    ("vat_rate", ("VAT rate", "增值税税率"),
     ("VAT = value added × this", "增值税 = 增加值 × 本税率")),
    ("profit_margin", ("profit margin", "利润率"),
     ("profit = output × this", "利润 = 产值 × 本比例")),
    ("cit_rate", ("corporate income tax rate", "企业所得税税率"),
     ("corporate income tax = profit × this", "企业所得税 = 利润 × 本税率")),
    ("wage_ratio", ("wages / output", "工资占产值比"),
     ("wages = output × this", "工资总额 = 产值 × 本比例")),
    ("pit_rate", ("individual income tax rate", "个人所得税税率"),
     ("individual income tax = wages × this", "个人所得税 = 工资总额 × 本税率")),
    ("surcharge_rate", ("surcharges / VAT", "附加税费率"),
     ("surcharges = VAT × this (all local)", "附加税费 = 增值税 × 本比例（全归地方）")),
    ("other_local_rate", ("other local taxes / output", "其他地方税费率"),
     ("other local taxes = output × this", "其他地方税费 = 产值 × 本比例")),
)  # fmt: skip
_TAXES = (
    ("vat", ("VAT", "增值税"), ("local (non-central) share of VAT", "增值税地方分享比例"), "0.5"),
    ("cit", ("CIT", "企业所得税"),
     ("local share of corporate income tax", "企业所得税地方分享比例"), "0.4"),
    ("pit", ("PIT", "个人所得税"),
     ("local share of individual income tax", "个人所得税地方分享比例"), "0.4"),
)  # fmt: skip


def _clause_keys(c: str) -> tuple[Key, Key]:
    """The keys of a registered clause stream: its rule and its shares (names and meaning
    from the catalogue: ``<clause>_clause``, ``<clause>_about``)."""
    zh = i18n.t(f"{c}_clause", "zh")
    return (
        Key(f"sharing.{c}", "clause", c, zh, i18n.t(f"{c}_about"), i18n.t(f"{c}_about", "zh"),
            _d(CLAUSE_DEFAULTS[c])),
        _rate(f"sharing.{c}.shares.<party>", (f"<party>: share of {c}", f"<party>：{zh}比例"),
              (f"with {c} rule fixed: the shares (sum to 1)",
               f"{zh}按固定比例时各方比例（合计为 1）"),
              _NONE, to="clause", sets="share"),
    )  # fmt: skip


def _firm_input_key(i: FirmInput) -> Key:
    """The key of a number each firm writes for a clause (swept as a firm input)."""
    en, zh, about = i18n.t(f"firm {i.name}"), i18n.t(f"firm {i.name}", "zh"), f"firm {i.name} about"
    return _num(
        f"firms.<firm>.{i.name}", i.lo, i.hi, i.unit, (f"<firm>: {en}", f"<firm>：{zh}"),
        (i18n.t(about), i18n.t(about, "zh")),
        _d(f"its party's, else {i.default:g}", f"注册地的默认值，否则为 {i.default:g}"),
        to="firms", sets="column", kind="whole" if i.integer else "number",
    )  # fmt: skip


def _party_input_key(i: FirmInput) -> Key:
    """The key of a party's default for a number its firms write for a clause (swept
    into the firm input of each of its firms that does not write its own)."""
    en, zh = i18n.t(f"firm {i.name}"), i18n.t(f"firm {i.name}", "zh")
    return _num(
        f"parties.<party>.{i.name}", i.lo, i.hi, i.unit, (f"<party>: {en}", f"<party>：{zh}"),
        (i18n.t("party input about"), i18n.t("party input about", "zh")), _d(f"{i.default:g}"),
        to="firms", sets="default", kind="whole" if i.integer else "number",
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
        _d("100m CNY", i18n.unit("100m CNY", "zh"))),
    Key("horizon.start_year", "whole", "first year", "起始年份",
        "first year of the horizon (t = 0, not discounted)", "测算期第一年（不折现）",
        None, "year", 1900, 2200),
    Key("horizon.years", "whole", "years", "测算年数", "length of the horizon", "测算期长度",
        None, "years", 1, 200),
    _num("horizon.discount_rate", -1.0, 1.0, "fraction/yr", ("discount rate", "折现率"),
         ("NPV = Σ net(t) / (1 + rate)^t", "净现值 = Σ 净收益(t) / (1 + 折现率)^t"), _d("0"),
         to="discount_rate", sets="scalar", lo_open=True, extreme="low", page=("double", 0.1)),
    Key("parties.<party>.id", "id", "id", "编号",
        "short id of a cooperating jurisdiction (at least 2)", "合作方的简短编号（至少两方）"),
    Key("parties.<party>.name", "text", "name", "英文名称", "name in English", "英文名称",
        _d("the id", "编号")),
    Key("parties.<party>.name_zh", "text", "Chinese name", "中文名称", "name in Chinese",
        "中文名称", _d("the name", "英文名称")),
    _rate("parties.<party>.retained_share",
          ("<party>: retained share of local tax", "<party>：本级留成比例"),
          ("share of its local tax revenue this level keeps; the rest goes to its upper tiers",
           "地方税收中本级留成的比例，其余上解上级"), _d("1"), to="retained_share",
          sets="column", schedule=True),
    *(_rate(f"taxes.{t}_local_share", (f"local share of {en}", f"{zh}地方分享比例"), about,
            _d(default), to="local_share", sets="column", schedule=True)
      for t, (en, zh), about, default in _TAXES),
    Key("firms.<firm>.id", "id", "id", "编号", "short id of a firm or cohort of firms",
        "企业（或企业群）的简短编号"),
    Key("firms.<firm>.party", "party", "registered in", "注册地",
        "the party where it is registered and pays its taxes", "企业注册并纳税的一方"),
    Key("firms.<firm>.introduced_by", "party", "introduced by", "引进方",
        "the party that brought the investment in", "招引该企业的一方", _d("its party", "注册地")),
    Key("firms.<firm>.existing", "flag", "existing", "存量企业",
        "TRUE for revenue that predates the agreement (stock)",
        f"协议前已有的企业填 {i18n.flag(True, 'zh')}（其税收为存量）",
        _d(i18n.flag(False, "en"), i18n.flag(False, "zh"))),
    Key("firms.<firm>.first_year", "year", "<firm>: first year of output", "<firm>：投产年份",
        "first year of output, inside the horizon", "投产第一年，须在测算期内", None, "year",
        1900, 2200, sweep="firms", sets="column", extreme="low"),
    _num("firms.<firm>.output", 0.0, _INF, "unit/yr",
         ("<firm>: output in its first year", "<firm>：投产首年产值"),
         ("output in its first year", "投产第一年的产值"), to="firms", sets="column",
         page=("times", 0.5)),
    _num("firms.<firm>.growth", -1.0, 10.0, "fraction/yr",
         ("<firm>: output growth", "<firm>：产值年增速"),
         ("yearly growth of output", "产值年增长率"), _d("0"), to="firms", sets="column",
         lo_open=True, page=("plus", 0.05)),
    _num("firms.<firm>.ramp_years", 1.0, 100.0, "years",
         ("<firm>: years to full output", "<firm>：达产年数"),
         ("output reaches its level over this many years", "经过这么多年达到满产"), _d("1"),
         to="firms", sets="column"),
    *(_rate(f"firms.<firm>.{k}", (f"<firm>: {en}", f"<firm>：{zh}"), about, to="firms",
            sets="column", schedule=k == "surcharge_rate") for k, (en, zh), about in _RATES),
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
    _num("land_sales.<sale>.area_mu", 0.0, _INF, "mu",
         ("land sale <sale>: area", "土地出让 <sale>：面积"),
         ("area sold", "出让面积"), to="land", sets="column"),
    _num("land_sales.<sale>.price", 0.0, _INF, "unit/mu",
         ("land sale <sale>: price", "土地出让 <sale>：单价"), ("price per mu", "每亩单价"),
         to="land", sets="column"),
    _rate("land_sales.<sale>.cost_share",
          ("land sale <sale>: acquisition cost share", "土地出让 <sale>：成本比例"),
          ("share of the price spent on acquisition and compensation",
           "征地拆迁等成本占出让价款的比例"), _d("0"), to="land", sets="column"),
    _rate("land_sales.<sale>.rural_earmark",
          ("land sale <sale>: rural earmark", "土地出让 <sale>：农业农村计提比例"),
          ("share of the price earmarked for rural uses", "计提农业农村的比例"), _d("0"),
          to="land", sets="column"),
    Key("investment.capex.<year>", "number", "joint capex in <year>", "<year> 年共同投资",
        "joint capital spending in the year, paid by equity", "当年共同投资额，按股比出资", _NONE,
        "unit", 0.0, _INF, sweep="capex", sets="column", heading=("joint capex", "共同投资")),
    _rate("investment.equity.<party>", ("<party>: equity", "<party>：合资公司股比"),
          ("shareholding in the joint company (sums to 1)", "在合资公司中的股比（合计为 1）"),
          _d("required with capex or equity rules", "有共同投资或按股比规则时必填"), to="equity",
          sets="share"),
    _num("investment.return_rate", -1.0, 1.0, "fraction/yr",
         ("joint company's return", "合资公司收益率"),
         ("joint company's profit per year on capex of earlier years",
          "合资公司每年利润占以往累计投资的比例"), _d("0"), to="return_rate", sets="scalar"),
    _rate("investment.payout_ratio", ("joint company's payout ratio", "合资公司分红比例"),
          ("share of the joint company's profit paid as dividends", "合资公司利润中分红的比例"),
          _d("1"), to="payout_ratio", sets="scalar"),
    Key("sharing.label", "text", "label", "英文名称",
        "name of an alternative (only alternatives have one)", "比较方案的名称（仅比较方案填写）",
        _d("the rule", "规则名")),
    Key("sharing.label_zh", "text", "Chinese label", "中文名称", "its name in Chinese",
        "比较方案的中文名称", _d("the label", "英文名称")),
    Key("sharing.rule", "rule", "rule", "分享规则", "how the pooled tax is divided (sim rules)",
        "税收分享规则（见 sim rules）", _d("source")),
    _rate("sharing.shares.<party>", ("<party>: share of the tax pool", "<party>：税收分成比例"),
          ("with rule fixed: the pool's shares (sum to 1)",
           "固定比例规则：各方分成比例（合计为 1）"), _NONE, to="param", sets="share"),
    _rate("sharing.weights.<factor>", ("formula weight of <factor>", "因素法权重：<factor>"),
          ("with rule formula: the factor's weight (sum to 1)", "因素法：各因素权重（合计为 1）"),
          _NONE, to="param", sets="share"),
    Key("sharing.weights.<party>", "number", "<party>: bargaining weight", "<party>：谈判权重",
        "with rule nash: the party's bargaining weight", "纳什谈判规则：该方的谈判权重", _d("1"),
        "", 0.0, _INF, lo_open=True),
    _rate("sharing.share", ("introducer's share", "引进方分成比例"),
          ("with rule introducer: the introducer's share of each pooled firm's tax",
           "引进方分成规则：引进方分得的比例"), _NONE, to="param", sets="scalar"),
    Key("sharing.scope", "scope", "scope", "分享范围",
        "all: all tax; new_firms: firms not existing; above_base: the increment over base_year",
        "全部税收：各企业的全部税收；新引进企业：非存量企业的税收；超基数增量：超过基年的增量",
        _d("all")),
    _year("sharing.base_year", "base year", "基年",
          "with above_base: the year whose revenue is each party's stock",
          "超基数增量：以该年税收为各方存量", _d("from_year", "协议起始年")),
    _year("sharing.from_year", "first year", "协议起始年", "first year the agreement redistributes",
          "协议开始分享的年份", _d("the first year", "测算期第一年")),
    Key("sharing.years", "whole", "years", "协议年数", "years the agreement redistributes",
        "协议分享的年数", _d("to the end", "至测算期末"), "years", 1, 200),
    _rate("sharing.compliance", ("share of agreed transfers settled", "结算率"),
          ("share of each agreed transfer actually settled", "约定转移中实际结算的比例"), _d("1"),
          to="compliance", sets="scalar", page=("bounds", 0.0)),
    _num("sharing.floors.<party>", 0.0, _INF, "unit/yr", ("<party>: floor", "<party>：保底收入"),
         ("minimum tax revenue per year in the agreement's years", "协议期内每年最低税收收入"),
         _NONE, to="floors", sets="column"),
    _num("sharing.cap", 0.0, _INF, "unit/yr", ("cap on a party's yearly transfer", "年度转移上限"),
         ("most tax any party pays the others in a year", "任一方每年向其他方转移税收的上限"),
         _NONE, to="cap", sets="scalar"),
    Key("sharing.review.party", "party", "review: party", "重新协商：考核方",
        "the party whose cumulative gain is checked", "考核其累计税收增益的一方",
        _d("no review", "不设重新协商")),
    _num("sharing.review.below", -_INF, _INF, "unit", ("review threshold", "重新协商触发阈值"),
         ("the shares switch once the party's cumulative tax gain is below this",
          "该方累计税收增益低于此值时改用新比例"), _NONE, to="review", sets="scalar"),
    Key("sharing.review.after", "whole", "review: years before the first check",
        "重新协商：首次考核前的年数", "years of the window before the first check",
        "协议期内首次考核前的年数", _d("0"), "years", 0, 200),
    _rate("sharing.review.shares.<party>",
          ("<party>: share of the pool after review", "<party>：重新协商后的分成比例"),
          ("the pool's shares after the review (sum to 1)", "重新协商后的分成比例（合计为 1）"),
          _NONE, to="review", sets="share"),
    *(key for c in CLAUSES for key in _clause_keys(c)),
    Key("cooperation.synergy", "number", "synergy", "集聚效应",
        "the joint park's output is 1 + synergy times the parties' apart",
        "合作园区产值为各方独立发展时的 1 + 集聚效应 倍", _d("0"), "fraction", 0.0, 10.0),
    Key("cooperation.requires.<firm>", "parties", "<firm>: requires", "<firm>：需合作方",
        "parties that must all cooperate for the firm to come",
        "该企业落户须共同参与合作的各方", _d("its party and its introducer", "注册地与引进方")),
    Key("cooperation.standalone_capex.<party>", "number", "<party>: capex alone",
        "<party>：独立发展的投资", "total capex the party would spend on its own",
        "该方独立发展时的总投资", _d("its equity share of the joint capex", "按股比分摊的共同投资"),
        "unit", 0.0, _INF),
    # the clause inputs last: a workbook's columns for them follow every other column
    *(_party_input_key(i) for i in firm_inputs()),
    *(_firm_input_key(i) for i in firm_inputs()),
)  # fmt: skip
"""Every key of a scenario file, in the file's order."""

_BY_PATH = {k.path: k for k in KEYS}

SCHEDULED = tuple(k.path for k in KEYS if k.schedule)
"""The fiscal parameters a file may give as a :class:`~sim.scenario_types.Schedule` by
year: the keys of :data:`KEYS` that say so."""


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
