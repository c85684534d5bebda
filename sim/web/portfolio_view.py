"""How the page of a portfolio edits it (no Flask): its fields, their edits and problems.

A portfolio's page edits each park's pool shares (through the park's own form,
:mod:`sim.web.form` and :mod:`sim.web.edits`, named ``parks.<park>.<field>``) and the
joint fund's key figures (``fund.<key>``, checked by the portfolio file's own checker),
and shows what ``sim portfolio run``, ``compare`` and ``settle`` give on the edited
portfolio: every number comes from :mod:`sim.portfolio` (consolidation, package deal,
ratios, statement) and its report's tables; the page only lays them out. A problem goes
beside its field, in the page's language (:func:`sim.web.problems.place` for a park).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sim import i18n
from sim.errors import Problem, ScenarioError
from sim.portfolio import Portfolio, PortfolioError
from sim.portfolio.load import BASES, RETURNS, _Portfolio
from sim.portfolio.types import ROWS, Fund
from sim.scenario import Scenario, parse
from sim.schema.checks import indexed
from sim.web.edits import FormError, apply, rows_of
from sim.web.form import MAX_VALUE, Form, build_form
from sim.web.problems import place

__all__ = [
    "FUND_KEYS",
    "PortfolioSpace",
    "edited",
    "fund_fields",
    "open_portfolio",
    "park_fields",
]

FUND_KEYS = ("fee", "exit_multiple", "basis", "returns")
"""The fund's own figures on the page (besides contributions, shares and stakes)."""
_CHOICES = {
    "fixed": "pfp_basis_fixed",
    "retained": "pfp_basis_retained",
    "returns_contributions": "pfp_returns_contributions",
    "returns_fixed": "pfp_returns_fixed",
}
"""The words of the fund's choices: how contributions (and returns) are divided."""
_YEAR = re.compile(r"[0-9]{4}")
_STAKE = re.compile(r"fund\.stakes\[([0-9]+)\]")


@dataclass(frozen=True)
class ParkSpace:
    """One park of the portfolio as its page edits it: its mapping and its form."""

    id: str
    scenario: Scenario
    data: dict[str, Any]
    form: Form


@dataclass(frozen=True)
class PortfolioSpace:
    """A loaded portfolio: its name, each park's form and the fund's table."""

    id: str
    name: str
    portfolio: Portfolio
    parks: tuple[ParkSpace, ...]
    fund: dict[str, Any] | None
    """The fund's table as a portfolio file has it (``None``: no fund)."""
    folder: Path
    lang: str = "en"

    def park(self, park_id: str) -> ParkSpace:
        """The park ``park_id``."""
        return next(p for p in self.parks if p.id == park_id)


def open_portfolio(portfolio: Portfolio, name: str, wid: str, lang: str = "en") -> PortfolioSpace:
    """The portfolio's page state (``wid``: its id on the server)."""
    from sim.scenario_toml import scenario_data

    parks = []
    for park in portfolio.parks:
        data = scenario_data(park.scenario)
        parks.append(ParkSpace(park.id, park.scenario, data, build_form(park.scenario, data)))
    fund = fund_table(portfolio.fund) if portfolio.fund is not None else None
    folder = Path(portfolio.source).parent
    return PortfolioSpace(wid, name, portfolio, tuple(parks), fund, folder, lang)


def fund_table(fund: Fund) -> dict[str, Any]:
    """The fund as a portfolio file's ``[fund]`` table."""
    out: dict[str, Any] = {
        "name": fund.name,
        "name_zh": fund.name_zh,
        "contributions": {str(y): x for y, x in fund.contributions.items()},
        "basis": fund.basis,
        "fee": fund.fee,
        "returns": fund.returns,
        "exit_multiple": fund.exit_multiple,
        "stakes": [{"park": s.park, "stake": s.stake} for s in fund.stakes],
    }
    if fund.contribution_shares is not None:
        out["shares"] = dict(fund.contribution_shares)
    if fund.return_shares is not None:
        out["return_shares"] = dict(fund.return_shares)
    return out


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class Field:
    """One input of the portfolio's page."""

    name: str
    label: str
    value: str
    options: tuple[tuple[str, str], ...] = ()
    """A choice's ``(value, words)``; empty for a number."""
    hint: str = ""
    shown_with: tuple[str, str] = ("", "")
    """Shown only while the field ``[0]`` has the value ``[1]``."""


def _text(x: Any) -> str:
    return "" if x is None else repr(x) if isinstance(x, float) else str(x)


def park_fields(park: ParkSpace, lang: str) -> list[Field]:
    """The park's pool shares, one field per party of the park (none when its rule is
    not fixed shares: its terms are the file's)."""
    if park.scenario.sharing.rule != "fixed":
        return []
    names = park_names(park.scenario, lang)
    out = []
    for pid in park.scenario.party_ids:
        name = f"sharing.shares.{pid}"
        out.append(Field(f"parks.{park.id}.{name}", f"{names[pid]} ({pid})",
                         park.form[name].value))  # fmt: skip
    return out


def park_names(scenario: Scenario, lang: str) -> dict[str, str]:
    """Each of the park's parties' names in ``lang``."""
    return {p.id: i18n.pick(lang, p.name, p.name_zh) for p in scenario.parties}


def fund_fields(space: PortfolioSpace, lang: str) -> list[Field]:
    """The fund's key figures: its yearly contributions, how they are divided, the fee,
    its stakes, how returns are divided and the exit multiple."""
    fund = space.fund
    if fund is None:
        return []
    p = space.portfolio
    word = i18n.t
    out = [
        Field(f"fund.contributions.{y}", f"{word('pf_book_contributions', lang)} {y}",
              _text(fund["contributions"].get(str(y))), hint=i18n.t("pfp_blank_nothing", lang))
        for y in p.years
    ]  # fmt: skip
    choices = {
        "basis": tuple((b, word(_CHOICES[b], lang)) for b in BASES),
        "returns": tuple((r, word(_CHOICES[f"returns_{r}"], lang)) for r in RETURNS),
    }
    out.append(Field("fund.basis", word("pf_book_basis", lang), fund["basis"], choices["basis"]))
    shares = fund.get("shares") or {}
    colon = i18n.colon(lang)
    out += [
        Field(f"fund.shares.{q.id}", f"{word('pf_book_share', lang)}{colon}{_party(q, lang)}",
              _text(shares.get(q.id)), shown_with=("fund.basis", "fixed"))
        for q in p.parties
    ]  # fmt: skip
    out.append(Field("fund.fee", word("pf_book_fee", lang), _text(fund["fee"])))
    stakes = {s["park"]: s["stake"] for s in fund["stakes"]}
    out += [
        Field(f"fund.stakes.{k.id}", f"{word('pf_book_stake', lang)}{colon}{k.label(lang)}",
              _text(stakes.get(k.id)), hint=i18n.t("pfp_blank_nothing", lang))
        for k in p.parks
    ]  # fmt: skip
    out.append(
        Field("fund.returns", word("pf_book_returns", lang), fund["returns"], choices["returns"])
    )
    back = fund.get("return_shares") or {}
    out += [
        Field(f"fund.return_shares.{q.id}", f"{word('pf_book_return_share', lang)}{colon}"
              f"{_party(q, lang)}", _text(back.get(q.id)), shown_with=("fund.returns", "fixed"))
        for q in p.parties
    ]  # fmt: skip
    out.append(Field("fund.exit_multiple", word("pf_book_exit_multiple", lang),
                     _text(fund["exit_multiple"])))  # fmt: skip
    return out


def _party(q: Any, lang: str) -> str:
    return i18n.pick(lang, q.name, q.name_zh)


def loaded(space: PortfolioSpace) -> dict[str, str]:
    """Every field's value as loaded."""
    fields = [f for k in space.parks for f in park_fields(k, "en")]
    return {f.name: f.value for f in [*fields, *fund_fields(space, "en")]}


# --------------------------------------------------------------------------- edits


def _number(value: Any) -> Any:
    """A field's value as a portfolio file holds it: a number where the text is one,
    else the text (the checker says what is wrong with it); ``None`` for blank."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else float(text)
    except ValueError:
        return text


def _fund_place(
    t: dict[str, Any], stakes: dict[str, Any], space: PortfolioSpace, head: str, key: str
) -> dict[str, Any] | None:
    """The table of the fund that the field ``fund.<head>.<key>`` sets (``None``: no such
    field on the page)."""
    if not key and head in FUND_KEYS:
        return t
    if head == "contributions" and _YEAR.fullmatch(key):
        return t["contributions"]  # type: ignore[no-any-return]
    if head in ("shares", "return_shares") and key in space.portfolio.party_ids:
        return t.setdefault(head, {})  # type: ignore[no-any-return]
    if head == "stakes" and key in [k.id for k in space.parks]:
        return stakes
    return None


def _fund_edited(space: PortfolioSpace, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fund's table with the fields sent written in (a blank one left out)."""
    assert space.fund is not None
    t = copy.deepcopy(space.fund)
    parks = [k.id for k in space.parks]
    stakes = {s["park"]: s["stake"] for s in t["stakes"]}
    for name, raw in fields.items():
        head, _, key = name.removeprefix("fund.").partition(".")
        value = str(raw).strip() if head in ("basis", "returns") else _number(raw)
        table = _fund_place(t, stakes, space, head, key)
        if table is None:
            raise FormError(i18n.Reason("form_unknown", got=repr(name[:100])))
        key = key or head
        if value is None or value == "":
            table.pop(key, None)
        else:
            table[key] = value
    t["stakes"] = [{"park": k, "stake": stakes[k]} for k in parks if k in stakes]
    for key in ("shares", "return_shares"):
        if key in t and not t[key]:
            del t[key]
    if t.get("basis") != "fixed":
        t.pop("shares", None)
    if t.get("returns") != "fixed":
        t.pop("return_shares", None)
    return t


def _fund_field(path: str, table: Mapping[str, Any]) -> str:
    """The page's field of a problem's key path in the fund: a stake's by its park, as
    the checker names it (``fund.stakes.gaozhu.stake``) or, not naming one, by its row
    (``fund.stakes[1]``, found as the portfolio's workbook finds its cell)."""
    m = _STAKE.match(indexed(path, {"fund": table}, ROWS))
    if m is None:
        return path
    stakes = table.get("stakes", [])
    i = int(m.group(1))
    return f"fund.stakes.{stakes[i]['park']}" if i < len(stakes) else "fund.stakes"


FUND_SLOTS = {
    "fund": "",
    "fund.contributions": "pf_book_contributions",
    "fund.shares": "pf_book_share",
    "fund.return_shares": "pf_book_return_share",
    "fund.stakes": "pf_book_stakes",
}
"""The fund's groups of fields with a message slot of their own, and their words."""


def _fund_problem(space: PortfolioSpace, p: Problem, table: Mapping[str, Any], lang: str
                  ) -> dict[str, str]:  # fmt: skip
    field = _fund_field(p.path, table)
    names = {f.name: f.label for f in fund_fields(space, lang)}
    slot = field
    while slot and slot not in names and slot not in FUND_SLOTS:
        slot = slot.rpartition(".")[0]
    label = names.get(slot) or (i18n.t(FUND_SLOTS[slot], lang) if FUND_SLOTS.get(slot) else "")
    return {"path": p.path, "field": _fund_field(p.path, table), "slot": slot or "fund",
            "label": label, "message": p.reason_text(lang)}  # fmt: skip


def _split(
    space: PortfolioSpace, fields: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The fields sent, each park's (named within the park) and the fund's.

    Raises
    ------
    FormError
        For a field the page does not have, or a value of the wrong type.
    """
    by_park: dict[str, dict[str, Any]] = {k.id: {} for k in space.parks}
    fund: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise FormError(i18n.Reason("form_type", got=repr(name), kind=type(value).__name__))
        if isinstance(value, str) and len(value) > MAX_VALUE:
            raise FormError(
                i18n.Reason("form_long", got=repr(name), most=MAX_VALUE, n=f"{len(value):,}")
            )
        parts = name.split(".", 2)
        if len(parts) == 3 and parts[0] == "parks" and parts[1] in by_park:
            by_park[parts[1]][parts[2]] = value
        elif parts[0] == "fund" and space.fund is not None:
            fund[name] = value
        else:
            raise FormError(i18n.Reason("form_unknown", got=repr(name[:100])))
    return by_park, fund


def edited(
    space: PortfolioSpace, fields: Mapping[str, Any], lang: str = "en"
) -> tuple[Portfolio | None, list[dict[str, str]]]:
    """The portfolio with ``fields`` written in, or its problems, each with the page's
    field it belongs to, its place, the field's label and the reason in ``lang``.

    Raises
    ------
    FormError
        For a field the page does not have, or a value of the wrong type.
    """
    by_park, fund = _split(space, fields)
    problems: list[dict[str, str]] = []
    parks = []
    for park, own in zip(space.portfolio.parks, space.parks, strict=True):
        sent = by_park[park.id]
        if not sent:
            parks.append(park)
            continue
        data = apply(own.data, own.form, sent)
        try:
            scenario = parse(data, source=park.scenario.source)
        except ScenarioError as exc:
            rows = rows_of(own.form, sent)
            names = park_names(own.scenario, lang)
            for x in place(exc.problems, data, own.form, lang, names, rows):
                problems.append({
                    "path": f"parks.{park.id}.{x.path}", "field": f"parks.{park.id}.{x.field}",
                    "slot": f"parks.{park.id}.{x.slot}" if x.slot else f"parks.{park.id}",
                    "label": x.label, "message": x.message,
                })  # fmt: skip
            parks.append(park)  # as loaded, for the fund's checks (its years, its stakes)
            continue
        parks.append(replace(park, scenario=scenario))
    new_fund = space.portfolio.fund
    if space.fund is not None and fund:
        table = _fund_edited(space, fund)
        checker = _Portfolio(space.folder)
        checker.declared = tuple(k.id for k in space.parks)
        new_fund = checker.fund(table, space.portfolio.party_ids, parks)
        problems += [_fund_problem(space, p, table, lang) for p in checker.problems]
    if problems:
        return None, problems
    return replace(space.portfolio, parks=tuple(parks), fund=new_fund), []


def fund_problems(exc: PortfolioError, space: PortfolioSpace, lang: str) -> list[dict[str, str]]:
    """The problems of a fund that cannot run (short of money), placed on the page."""
    table = space.fund or {}
    return [_fund_problem(space, p, table, lang) for p in exc.problems]
