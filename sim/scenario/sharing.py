"""The checks of an agreement (``[sharing]`` and each ``[[compare]]``): its rule and
parameters, floors, window, review, clauses and weights (:class:`_Sharing`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sim.i18n import Reason
from sim.inheritance import inherit
from sim.rules import (
    CLAUSES,
    FACTORS,
    ClauseName,
    Param,
    RuleSpec,
    clause_rule,
    clause_rule_names,
    get_rule,
    rule_names,
)
from sim.rules.clauses import DEFAULTS as CLAUSE_DEFAULTS
from sim.scenario.values import (
    _all_param_names,
    _bounds,
    _describe,
    _join,
    _Values,
)
from sim.scenario_types import FIRM_RATES as FIRM_RATES
from sim.scenario_types import (
    Clause,
    Investment,
    Review,
    RuleValue,
    Sharing,
)
from sim.schema import SCOPES, SHARING_TERMS, names
from sim.schema.labels import AGREEMENT_LABEL
from sim.schema.typed import one_of, unknown_rule


class _Sharing(_Values):
    """The checks of an agreement's table."""

    def sharing(
        self,
        t: Mapping[str, Any],
        path: str,
        pids: tuple[str, ...],
        span: tuple[int, int] | None,
        investment: Investment,
        *,
        with_label: bool,
        parent: Sharing | None = None,
    ) -> Sharing | None:
        """An agreement: its tax clause, window, settlement, floors and other clauses;
        an alternative takes what it does not write from ``parent``, the agreement."""
        rule = self.string(t, "rule", path)
        if rule and rule not in rule_names():
            self.fail(
                f"{path}.rule",
                unknown_rule(rule, rule_names()),
            )
            return None
        spec = get_rule(rule) if rule else None
        self.sharing_keys(t, path, spec, with_label)
        params: dict[str, RuleValue] = {}
        if spec is not None:
            for prm in spec.params:
                params[prm.name] = self.rule_param(t, prm, path, pids)
            if "investment.equity" in spec.needs and investment.equity is None:
                self.fail(f"{path}.rule", Reason("rule_needs_equity", got=repr(rule)))
        # the file's own [sharing] writes no label: it is the row ``agreement`` everywhere
        label = self.string(t, "label", path, default=rule) if with_label else AGREEMENT_LABEL
        label_zh = self.string(t, "label_zh", path, default=label) if with_label else ""
        scope = self.choice(t, "scope", path, SCOPES, "all")
        clauses = {name: self.clause(t, name, path, pids, investment) for name in CLAUSES}
        terms = self.numbers(t, path, "sharing", SHARING_TERMS)  # compliance, cap
        floors = self.by_party(t, "floors", path, pids, "sharing")
        review = self.review(t, path, pids)
        from_year, n, base_year = self.window(t, path, span)
        s = Sharing(
            rule=rule or "source",
            params=MappingProxyType(params),
            scope=scope,
            base_year=base_year,
            from_year=from_year,
            years=n,
            floors=MappingProxyType(floors),
            clauses=MappingProxyType(clauses),
            label=label,
            label_zh=label_zh,
            review=review,
            **terms,
        )
        if parent is not None:
            s = inherit(parent, s, own=t.keys())
        self.consistent(s, path, span)
        return s if rule else None

    def consistent(self, s: Sharing, path: str, span: tuple[int, int] | None) -> None:
        """The checks across an agreement's terms, on the terms it runs on (an
        alternative's own and those it took from the agreement)."""

        def whose(term: str) -> str:
            return Reason("inherited", term=term) if term in s.inherited else ""

        if span is None:
            return
        first = s.from_year if s.from_year is not None else span[0]
        if s.years is not None and first + s.years - 1 > span[1]:
            self.fail(
                f"{path}.years",
                Reason(
                    "window_past_horizon",
                    first=first,
                    last=first + s.years - 1,
                    end=span[1],
                    whose=whose("years"),
                ),
            )
        if s.base_year is not None and s.scope != "above_base":
            self.fail(f"{path}.base_year", Reason("base_year_scope", whose=whose("scope")))
        last = first + s.years - 1 if s.years is not None else span[1]
        if s.review is not None and first + s.review.after > last:
            self.fail(
                _join(path, "review.after"),
                Reason(
                    "review_after_end",
                    check=first + s.review.after,
                    last=last,
                    whose=whose("review"),
                ),
            )

    def review(self, t: Mapping[str, Any], path: str, pids: tuple[str, ...]) -> Review | None:
        """``review``: a party, a threshold, the years before the first check, new shares."""
        if "review" not in t:
            return None
        p = _join(path, "review")
        r = self.table(t, "review", p, required=True)
        if not r:
            return None
        self.keys(r, names("sharing.review"), p)
        party = r.get("party")
        if not isinstance(party, str):
            self.fail(_join(p, "party"), Reason("name_party", parties=tuple(pids)))
            party = ""
        else:
            self.party_ref(party, _join(p, "party"), pids)
        below = self.bounded(r, "below", p, "sharing.review.below")
        after = self.whole(r, "after", p, "sharing.review.after")
        if "shares" not in r:
            self.fail(_join(p, "shares"), Reason("review_shares"))
            shares = {q: 0.0 for q in pids}
        else:
            shares = self.shares(r["shares"], _join(p, "shares"), pids, "party")
        return Review(party, below, MappingProxyType(shares), after or 0)

    def sharing_keys(
        self, t: Mapping[str, Any], path: str, spec: RuleSpec | None, with_label: bool
    ) -> None:
        """Report keys an agreement cannot have, naming a parameter of another rule as such."""
        param_names = tuple(p.name for p in spec.params) if spec else ()
        labels = ("label", "label_zh") if with_label else ()
        allowed = (*SHARING_TERMS, *CLAUSES, *param_names, *labels)
        for key in t:
            if key in allowed:
                continue
            if spec is not None and key in _all_param_names():
                takes = (
                    Reason("rule_takes", names=", ".join(param_names))
                    if param_names
                    else Reason("rule_takes_none")
                )
                self.fail(
                    _join(path, key), Reason("not_rule_param", rule=repr(spec.name), takes=takes)
                )
            else:
                self.fail(_join(path, key), Reason("unknown_key", allowed=", ".join(allowed)))

    def window(
        self, t: Mapping[str, Any], path: str, span: tuple[int, int] | None
    ) -> tuple[int | None, int | None, int | None]:
        """``from_year``, ``years`` and ``base_year``, each inside the horizon (how they
        fit together: :meth:`consistent`)."""
        if span is None:
            return None, None, None
        from_year = self.year(t, "from_year", path, span, default=None)
        n = self.integer(t, "years", path, default=None, lo=1, hi=span[1] - span[0] + 1)
        base_year = self.year(t, "base_year", path, span, default=None)
        return from_year, n, base_year

    def clause(
        self,
        t: Mapping[str, Any],
        name: ClauseName,
        path: str,
        pids: tuple[str, ...],
        investment: Investment,
    ) -> Clause:
        """The clause of stream ``name``: a rule name, or a table with a rule and its shares."""
        p = _join(path, name)
        value = t.get(name, CLAUSE_DEFAULTS[name])
        table: Mapping[str, Any]
        if isinstance(value, str):
            table = {"rule": value}
        elif isinstance(value, dict):
            table = value
        else:
            self.fail(p, Reason("clause_value", got=_describe(value)))
            return Clause(CLAUSE_DEFAULTS[name])
        rule = table.get("rule")
        known = clause_rule_names(name)
        if not isinstance(rule, str) or rule not in known:
            where = p if isinstance(value, str) else f"{p}.rule"
            options = ", ".join(map(repr, known))
            if rule is None:
                self.fail(where, Reason("clause_rule_missing", options=options))
            else:
                self.fail(where, one_of(rule, known))
            return Clause(CLAUSE_DEFAULTS[name])
        spec = clause_rule(name, rule)
        for key in table:
            if key != "rule" and key not in {prm.name for prm in spec.params}:
                takes = ", ".join(prm.name for prm in spec.params) or Reason("clause_takes_none")
                why = Reason("not_clause_param", name=name, rule=repr(rule), takes=takes)
                self.fail(_join(p, key), why)
        params: dict[str, RuleValue] = {}
        for prm in spec.params:
            if prm.name not in table:
                self.fail(
                    p,
                    Reason("clause_needs", name=name, rule=repr(rule), rule0=rule, param=prm.name),
                )
                continue
            params[prm.name] = MappingProxyType(
                self.shares(table[prm.name], _join(p, prm.name), pids, "party")
            )
        if spec.basis == "equity" and name in t and investment.equity is None:
            self.fail(p, Reason("clause_needs_equity", name=name))
        return Clause(rule, MappingProxyType(params))

    def rule_param(
        self, t: Mapping[str, Any], prm: Param, path: str, pids: tuple[str, ...]
    ) -> RuleValue:
        p = _join(path, prm.name)
        if prm.name not in t:
            if prm.default is None:
                rule = t.get("rule")
                why = Reason(
                    "rule_needs_param",
                    rule=repr(rule),
                    param=prm.name,
                    description=prm.description,
                    about=f"{rule}.{prm.name}",
                )
                self.fail(p, why)
                return {}
            if prm.kind == "party_weights":
                return MappingProxyType({q: prm.default for q in pids})
            return prm.default
        value = t[prm.name]
        if prm.kind == "party_weights":
            return MappingProxyType(self.weights(value, p, pids, prm.default or 1.0))
        if prm.kind == "party_shares":
            return MappingProxyType(self.shares(value, p, pids, "party"))
        if prm.kind == "factor_weights":
            return MappingProxyType(self.shares(value, p, FACTORS, "factor"))
        return self.check_number(value, p, lo=0.0, hi=1.0)

    def weights(
        self, value: Any, path: str, pids: tuple[str, ...], default: float
    ) -> dict[str, float]:
        """A table of positive numbers keyed by party; missing parties get ``default``."""
        if not isinstance(value, dict):
            self.fail(path, Reason("party_weights", got=_describe(value)))
            return {}
        out = {q: default for q in pids}
        for key, v in value.items():
            self.party_ref(key, _join(path, key), pids)
            x = self.check_number(v, _join(path, key), **_bounds("sharing.weights.<party>"))
            out[key] = x
        return out
