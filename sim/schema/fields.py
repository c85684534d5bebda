"""The field table: every numeric input by key path, with its bounds, unit and names.

One place for what a number in a scenario may be. Scenario files are validated
against these bounds (:mod:`sim.scenario`), sweep parameters name these key paths and
are checked against them (:mod:`sim.sweep.spec`), a sweep sets them on a batch through
:attr:`Field.target`, and tables, figures and reports take their English and Chinese
names and units from here.

A key path names one number: ``firms.battery-plant.growth``, ``sharing.shares.SC``,
``sharing.dividends.shares.CQ``. In the patterns below ``<party>``, ``<firm>``,
``<sale>`` (a land sale's position, from 0), ``<year>`` and ``<factor>`` stand for ids.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sim import i18n
from sim.rules import CLAUSES, FACTORS, clause_rule, get_rule
from sim.rules.clauses import FirmInput, firm_inputs

if TYPE_CHECKING:
    from sim.scenario_types import Scenario

__all__ = [
    "FIELDS",
    "Binding",
    "Field",
    "bind",
    "field",
    "input_value",
    "is_year",
    "unit_text",
    "value_text",
]

Target = Literal[
    "discount_rate",
    "retained_share",
    "local_share",
    "firms",
    "land",
    "capex",
    "equity",
    "return_rate",
    "payout_ratio",
    "compliance",
    "floors",
    "param",
    "clause",
    "cap",
    "review",
]
"""Where a field's value goes: a :class:`~sim.model.Batch` array, a firm or land-sale
input, the agreement's compliance or floors, a tax-rule parameter, or a clause's shares."""


@dataclass(frozen=True)
class Field:
    """A numeric input: its key path pattern, bounds, unit and names."""

    pattern: str
    lo: float
    hi: float
    unit: str
    en: str
    zh: str
    target: Target
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    shares: bool = False
    """Part of a table of shares that sums to 1 (the others are rescaled when swept)."""

    def admits(self, x: float) -> bool:
        """Whether ``x`` lies within the field's bounds."""
        if not math.isfinite(x):
            return False
        above_lo = x > self.lo if self.lo_open else x >= self.lo
        below_hi = x < self.hi if self.hi_open else x <= self.hi
        return above_lo and below_hi

    @property
    def span(self) -> str:
        """The bounds as an interval, e.g. ``(-1, 10]``."""
        return interval(self.lo, self.hi, self.lo_open, self.hi_open)


def interval(lo: float, hi: float, lo_open: bool = False, hi_open: bool = False) -> str:
    """Bounds as an interval, e.g. ``(-1, 10]`` or ``[0, inf]``."""
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    lo_text = "-inf" if lo == -math.inf else f"{lo:g}"
    hi_text = "inf" if hi == math.inf else f"{hi:g}"
    return f"{left}{lo_text}, {hi_text}{right}"


def _rate(pattern: str, en: str, zh: str, target: Target, unit: str = "fraction") -> Field:
    return Field(pattern, 0.0, 1.0, unit, en, zh, target)


_FIRM_RATE_NAMES = {
    "value_added_ratio": ("value added / output", "增加值率"),
    "vat_rate": ("VAT rate", "增值税税率"),
    "profit_margin": ("profit margin", "利润率"),
    "cit_rate": ("corporate income tax rate", "企业所得税税率"),
    "wage_ratio": ("wages / output", "工资占产值比"),
    "pit_rate": ("individual income tax rate", "个人所得税税率"),
    "surcharge_rate": ("surcharges / VAT", "附加税费率"),
    "other_local_rate": ("other local taxes / output", "其他地方税费率"),
}


def _firm_input(i: FirmInput) -> Field:
    """The field of a number each firm writes for a clause (its names: the catalogue's
    ``firm <name>``)."""
    en, zh = i18n.t(f"firm {i.name}"), i18n.t(f"firm {i.name}", "zh")
    return Field(f"firms.<firm>.{i.name}", i.lo, i.hi, i.unit, f"<firm>: {en}", f"<firm>：{zh}",
                 "firms", integer=i.integer)  # fmt: skip


FIELDS: tuple[Field, ...] = (
    Field(
        "horizon.discount_rate", -1.0, 1.0, "fraction/yr", "discount rate", "折现率",
        "discount_rate", lo_open=True,
    ),
    _rate("parties.<party>.retained_share", "<party>: retained share of local tax",
          "<party>：本级留成比例", "retained_share"),
    _rate("taxes.vat_local_share", "local share of VAT", "增值税地方分享比例", "local_share"),
    _rate("taxes.cit_local_share", "local share of CIT", "企业所得税地方分享比例", "local_share"),
    _rate("taxes.pit_local_share", "local share of PIT", "个人所得税地方分享比例", "local_share"),
    Field("firms.<firm>.output", 0.0, math.inf, "unit/yr", "<firm>: output in its first year",
          "<firm>：投产首年产值", "firms"),
    Field("firms.<firm>.growth", -1.0, 10.0, "fraction/yr", "<firm>: output growth",
          "<firm>：产值年增速", "firms", lo_open=True),
    Field("firms.<firm>.ramp_years", 1.0, 100.0, "years", "<firm>: years to full output",
          "<firm>：达产年数", "firms"),
    Field("firms.<firm>.first_year", -math.inf, math.inf, "year", "<firm>: first year of output",
          "<firm>：投产年份", "firms", integer=True),
    *(
        _rate(f"firms.<firm>.{k}", f"<firm>: {en}", f"<firm>：{zh}", "firms")
        for k, (en, zh) in _FIRM_RATE_NAMES.items()
    ),
    *(_firm_input(i) for i in firm_inputs()),
    Field("land_sales.<sale>.area_mu", 0.0, math.inf, "mu", "land sale <sale>: area",
          "土地出让 <sale>：面积", "land"),
    Field("land_sales.<sale>.price", 0.0, math.inf, "unit/mu", "land sale <sale>: price",
          "土地出让 <sale>：单价", "land"),
    _rate("land_sales.<sale>.cost_share", "land sale <sale>: acquisition cost share",
          "土地出让 <sale>：成本比例", "land"),
    _rate("land_sales.<sale>.rural_earmark", "land sale <sale>: rural earmark",
          "土地出让 <sale>：农业农村计提比例", "land"),
    Field("investment.capex.<year>", 0.0, math.inf, "unit", "joint capex in <year>",
          "<year> 年共同投资", "capex"),
    Field("investment.equity.<party>", 0.0, 1.0, "fraction", "<party>: equity",
          "<party>：合资公司股比", "equity", shares=True),
    Field("investment.return_rate", -1.0, 1.0, "fraction/yr", "joint company's return",
          "合资公司收益率", "return_rate"),
    _rate("investment.payout_ratio", "joint company's payout ratio", "合资公司分红比例",
          "payout_ratio"),
    _rate("sharing.compliance", "share of agreed transfers settled", "结算率", "compliance"),
    Field("sharing.floors.<party>", 0.0, math.inf, "unit/yr", "<party>: floor",
          "<party>：保底收入", "floors"),
    Field("sharing.cap", 0.0, math.inf, "unit/yr", "cap on a party's yearly transfer",
          "年度转移上限", "cap"),
    Field("sharing.review.below", -math.inf, math.inf, "unit", "review threshold",
          "重新协商触发阈值", "review"),
    Field("sharing.review.shares.<party>", 0.0, 1.0, "fraction",
          "<party>: share of the pool after review", "<party>：重新协商后的分成比例",
          "review", shares=True),
    Field("sharing.shares.<party>", 0.0, 1.0, "fraction", "<party>: share of the tax pool",
          "<party>：税收分成比例", "param", shares=True),
    _rate("sharing.share", "introducer's share", "引进方分成比例", "param"),
    Field("sharing.weights.<factor>", 0.0, 1.0, "fraction", "formula weight of <factor>",
          "因素法权重：<factor>", "param", shares=True),
    *(
        Field(f"sharing.{c}.shares.<party>", 0.0, 1.0, "fraction", f"<party>: share of {c}",
              f"<party>：{i18n.t(f'{c}_key', 'zh')}比例", "clause", shares=True)
        for c in CLAUSES
    ),
)  # fmt: skip

_BY_PATTERN = {f.pattern: f for f in FIELDS}


def field(pattern: str) -> Field:
    """The field of a key path pattern, e.g. ``field("firms.<firm>.growth")``."""
    return _BY_PATTERN[pattern]


@dataclass(frozen=True)
class Binding:
    """A key path bound to a scenario: its field, the id it names and where it goes."""

    path: str
    field: Field
    key: str
    """The id the path names (party, firm, sale, year or factor; empty for none)."""
    position: int
    """Index of that id among its kind (party order, firm order, year − start …)."""
    lo: float
    hi: float
    """The field's bounds for this scenario (a firm's first year: the horizon)."""
    name_en: str = ""
    name_zh: str = ""
    """What tables call the id in each language (a firm's name; empty: the id)."""

    @property
    def label_en(self) -> str:
        """The input's English name, e.g. ``battery-plant: output growth``."""
        return _fill(self.field.en, self.name_en or self.key)

    @property
    def label_zh(self) -> str:
        """The input's Chinese name, e.g. ``电池厂：产值年增速`` (the firm's ``name_zh``)."""
        return _fill(self.field.zh, self.name_zh or self.name_en or self.key)

    @property
    def group(self) -> str:
        """The table a share belongs to (``sharing.shares``) or the path itself."""
        return self.path.rsplit(".", 1)[0] if self.field.shares else self.path


_PER_YEAR = {"en": "/yr", "zh": "/年"}


def value_text(x: float, unit: str, lang: str = "en", amount_unit: str = "") -> str:
    """A field's value in words by its unit: rates as percentages, years whole.

    Examples
    --------
    >>> value_text(0.0312, "fraction/yr"), value_text(0.62, "fraction", "zh")
    ('3.12%/yr', '62%')
    >>> value_text(2026.0, "year"), value_text(12.5, "unit/yr", "en", "100m CNY")
    ('2026', '12.5 100m CNY/yr')
    """
    per_year = _PER_YEAR.get(lang, "/yr")
    if unit == "fraction":
        return f"{x:.3g}" if abs(x) >= 10 else f"{100 * x:.3g}%"
    if unit == "fraction/yr":
        return f"{100 * x:.3g}%{per_year}"
    if unit == "year":
        return f"{x:.0f}"
    if unit == "years":
        return i18n.t("value_years", lang, x=f"{x:.3g}")
    if unit == "mu":
        return i18n.t("value_mu", lang, x=f"{x:.4g}")
    amount = f"{x:.3g} {amount_unit}".rstrip()
    if unit == "unit/yr":
        return amount + per_year
    if unit == "unit/mu":
        return amount + i18n.t("per_mu", lang)
    return amount


def is_year(path: str) -> bool:
    """Whether the key path names a year (its field's unit is ``"year"``).

    Examples
    --------
    >>> is_year("firms.battery-plant.first_year"), is_year("horizon.discount_rate")
    (True, False)
    """
    return any(f.unit == "year" for f, _ in _candidates(path))


def input_value(x: float, path: str) -> float | int:
    """A value of the input at ``path`` as tables, files and printouts hold it: a year
    whole (``2025``, never ``2025.0`` or ``2,025.000``), any other number unchanged.

    The one place that decides how a swept year is written: sensitivity tables and
    CSVs, discovery's ranges and the exports all pass their input values through it.

    Examples
    --------
    >>> input_value(2025.0, "firms.battery-plant.first_year"), input_value(0.5, "sharing.share")
    (2025, 0.5)
    """
    if is_year(path) and math.isfinite(x):
        return round(x)
    return x


_UNIT_WORDS = {
    "fraction": ("fraction", "比例"),
    "fraction/yr": ("fraction/yr", "比例/年"),
    "unit": ("{amount}", "{amount}"),
    "unit/yr": ("{amount}/yr", "{amount}/年"),
    "unit/mu": ("{amount}/mu", "{amount}/亩"),
    "mu": ("mu", "亩"),
    "year": ("year", "年份"),
    "years": ("years", "年"),
}


def unit_text(unit: str, lang: str = "en", amount_unit: str = "") -> str:
    """A field's unit in words, as a column header shows it (``""`` for none).

    Examples
    --------
    >>> unit_text("fraction/yr"), unit_text("unit/yr", "zh", "亿元"), unit_text("")
    ('fraction/yr', '亿元/年', '')
    """
    if not unit:
        return ""
    en, zh = _UNIT_WORDS[unit]
    return i18n.pick(lang, en, zh).format(amount=amount_unit or "unit")


def _fill(text: str, key: str) -> str:
    for slot in ("<party>", "<firm>", "<sale>", "<year>", "<factor>"):
        text = text.replace(slot, key)
    return text


def _ids(kind: str, scenario: Scenario) -> tuple[str, ...]:
    if kind == "<party>":
        return scenario.party_ids
    if kind == "<firm>":
        return tuple(f.id for f in scenario.firms)
    if kind == "<sale>":
        return tuple(str(i) for i in range(len(scenario.land_sales)))
    if kind == "<year>":
        return tuple(str(y) for y in scenario.years)
    return FACTORS


def _candidates(path: str) -> list[tuple[Field, str]]:
    """Fields whose pattern matches ``path`` with one slot filled, and the slot's text."""
    parts = path.split(".")
    out = []
    for f in FIELDS:
        pat = f.pattern.split(".")
        if len(pat) != len(parts):
            continue
        slots = [(p, q) for p, q in zip(pat, parts, strict=True) if p != q]
        if not slots:
            out.append((f, ""))
        elif len(slots) == 1 and slots[0][0].startswith("<"):
            out.append((f, slots[0][1]))
    return out


def _applies(f: Field, scenario: Scenario) -> str:
    """Why the field does not exist in this scenario (empty when it does)."""
    sharing = scenario.sharing
    if f.target == "equity" and scenario.investment.equity is None:
        return "the scenario has no investment.equity to sweep"
    if f.target == "param":
        name = f.pattern.split(".")[1]
        if name not in {p.name for p in get_rule(sharing.rule).params}:
            return f"the agreement's rule {sharing.rule!r} has no {name}"
    if f.target == "cap" and sharing.cap is None:
        return "the agreement has no cap to sweep (write sharing.cap)"
    if f.target == "review" and sharing.review is None:
        return "the agreement has no [sharing.review] to sweep"
    if f.target == "clause":
        clause = f.pattern.split(".")[1]
        rule = sharing.clause(clause).rule
        if clause_rule(clause, rule).basis != "shares":
            return f'the agreement\'s {clause} clause is {rule!r}, not "fixed" shares'
    return ""


def bind(path: str, scenario: Scenario) -> Binding | str:
    """The binding of a key path in ``scenario``, or why there is no such input."""
    for f, key in _candidates(path):
        why = _applies(f, scenario)
        if why:
            return why
        slot = next((p for p in f.pattern.split(".") if p.startswith("<")), "")
        if not slot:
            return Binding(path, f, "", _position(f, path), f.lo, f.hi)
        ids = _ids(slot, scenario)
        if key not in ids:
            kind = slot.strip("<>")
            return f"unknown {kind} {key!r} ({kind}s: {', '.join(ids) or 'none'})"
        lo, hi = f.lo, f.hi
        if f.pattern == "firms.<firm>.first_year":
            lo, hi = float(scenario.start_year), float(scenario.end_year)
        names = ("", "")
        if slot == "<firm>":
            firm = scenario.firms[ids.index(key)]
            names = (firm.label("en"), firm.label("zh"))
        return Binding(path, f, key, ids.index(key), lo, hi, *names)
    return _unknown(path)


def _unknown(path: str) -> str:
    """Why ``path`` names no input, with the names its family does have."""
    parts = path.split(".")
    siblings = sorted(
        {
            f.pattern.split(".")[-1]
            for f in FIELDS
            if f.pattern.split(".")[0] == parts[0] and len(f.pattern.split(".")) == len(parts)
        }
    )
    if parts[0] in ("firms", "land_sales") and len(parts) == 3 and siblings:
        kind = "firms" if parts[0] == "firms" else "land sales"
        return f"{kind} have no numeric field {parts[-1]!r} (fields: {', '.join(siblings)})"
    return f"no such input: {path!r} (see the README, 'The scenario file, key by key')"


def _position(f: Field, path: str) -> int:
    """Index of a slot-less field inside its batch array (the tax's local shares)."""
    if f.target == "local_share":
        return ("vat_local_share", "cit_local_share", "pit_local_share").index(path.split(".")[1])
    return 0
