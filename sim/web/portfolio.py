"""The page of a portfolio (``sim serve`` on a portfolio file or workbook): its routes,
added to the application by :func:`register` (:func:`sim.web.make_app` calls it).

``/p/<pid>`` shows the consolidated results, the package deal and a year's
settlement statement of the portfolio; its endpoints take the page's fields (each
park's pool shares, the fund's key figures, :mod:`sim.web.portfolio_view`) and answer
with the results recomputed (:mod:`sim.web.portfolio_results`), or with each problem
placed beside its field in the page's language. The statement downloads as ``sim
portfolio settle --out`` writes it. The page and the start page open a portfolio where
they would open a scenario: the file given, the one chosen on the start page (by its
listed key, as a scenario).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for

from sim import i18n
from sim.i18n import Reason
from sim.portfolio import Portfolio, PortfolioError
from sim.web.asked import State, body_lang, fields_of, json_object, page_lang
from sim.web.edits import FormError
from sim.web.guard import TOKEN_FIELD
from sim.web.portfolio_results import View, evaluate
from sim.web.portfolio_view import (
    PortfolioSpace,
    edited,
    fund_fields,
    fund_problems,
    loaded,
    open_portfolio,
    park_fields,
)
from sim.web.workspace import Kept, file_lang, temporary_folder

__all__ = ["Portfolios", "register"]

DOWNLOADS = {
    "statement.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "statement.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
"""What the page downloads: the year's statement, as ``sim portfolio settle --out``."""


class Portfolios(Kept[PortfolioSpace]):
    """The loaded portfolios, the most recent ``size`` kept (the pinned one always)."""

    def __init__(self, size: int = 16) -> None:
        super().__init__(size)

    def add(self, portfolio: Portfolio, name: str, *, pin: bool = False, lang: str = "en"
            ) -> PortfolioSpace:  # fmt: skip
        """Keep ``portfolio`` under a new unguessable id."""
        return self.keep(lambda pid: open_portfolio(portfolio, name, pid, lang), pin=pin)


def register(
    app: Flask, portfolio: Portfolio | None = None, name: str = "", lang: str | None = None
) -> Portfolios:
    """Add the portfolio's page to ``app``; ``portfolio`` (named ``name``) opens first, in
    ``lang`` (``sim serve --lang``), else in its file's language (a workbook's own)."""
    state: State = app.extensions["sim"]
    store = Portfolios()
    app.extensions["sim_portfolios"] = store
    if portfolio is not None:
        own = lang or file_lang(portfolio.source)
        store.add(portfolio, name or portfolio.source, pin=True, lang=own)
    _routes(app, state, store)
    return store


def _space(store: Portfolios, pid: str) -> PortfolioSpace:
    space = store.get(pid)
    if space is None:
        abort(404, Reason("page_no_workspace"))
    return space


def _year(space: PortfolioSpace, raw: Any) -> int | None:
    """The year asked for (``None``: not asked), one of the portfolio's."""
    if raw in (None, ""):
        return None
    years = space.portfolio.years
    try:
        year = int(str(raw))
    except ValueError:
        year = None
    if year not in years:
        span = Reason("year_span", first=years[0], last=years[-1])
        abort(400, Reason("must_be", what=span, got=repr(str(raw)[:20])))
    return year


def _problems(problems: list[dict[str, str]], lang: str) -> Any:
    body = {"ok": False, "error": i18n.t("pfp_problem", lang), "problems": problems}
    return jsonify(body), 422


def _view(space: PortfolioSpace, fields: dict[str, Any], year: int | None, lang: str
          ) -> View | list[dict[str, str]]:  # fmt: skip
    """The results of the edited portfolio, or its problems placed on the page."""
    try:
        portfolio, problems = edited(space, fields, lang)
    except FormError as exc:
        abort(400, exc.args[0])
    if portfolio is None:
        return problems
    try:
        return evaluate(portfolio, year, lang)
    except PortfolioError as exc:  # the fund runs short: a problem of its figures
        return fund_problems(exc, space, lang)


def _routes(app: Flask, state: State, store: Portfolios) -> None:  # noqa: C901
    home = app.view_functions["home"]
    open_file = app.view_functions["open_file"]

    def home_or_portfolio() -> Any:
        pinned = store.get(store.pinned) if store.pinned else None
        if pinned is None:
            return home()
        return redirect(url_for("portfolio_page", pid=pinned.id, lang=page_lang(pinned.lang)))

    def open_portfolio_file() -> Any:
        from sim.portfolio import load_portfolio
        from sim.portfolio.report import is_portfolio

        page_lang()
        key = request.form.get("file", "")
        path = state.files().get(key)
        if path is None or not is_portfolio(path):
            return open_file()  # a scenario (or a key not listed, refused there)
        space = store.add(load_portfolio(path), key.split("/", 1)[1], lang=file_lang(path))
        return redirect(url_for("portfolio_page", pid=space.id, lang=page_lang(space.lang)), 303)

    app.view_functions["home"] = home_or_portfolio
    app.view_functions["open_file"] = open_portfolio_file

    @app.get("/p/<pid>")
    def portfolio_page(pid: str) -> Any:
        page_lang()
        space = _space(store, pid)
        lang = page_lang(space.lang)
        p = space.portfolio
        return render_template(
            "portfolio.html",
            lang=lang,
            space=space,
            title=i18n.pick(lang, p.title, p.title_zh),
            parks=[
                (
                    k,
                    park.label(lang),  # its id only as the fields' keys, in Chinese
                    i18n.pick(lang, k.scenario.title, k.scenario.title_zh),
                    park_fields(k, lang),
                )
                for park, k in zip(p.parks, space.parks, strict=True)
            ],
            unit=i18n.unit(p.unit, lang),
            fund=fund_fields(space, lang),
            loaded=loaded(space),
        )

    @app.post("/p/<pid>/api/validate")
    def portfolio_validate(pid: str) -> Any:
        body = json_object()
        lang = body_lang(body)
        try:
            portfolio, problems = edited(_space(store, pid), fields_of(body), lang)
        except FormError as exc:
            abort(400, exc.args[0])
        return jsonify({"ok": portfolio is not None, "problems": problems})

    @app.post("/p/<pid>/api/evaluate")
    def portfolio_evaluate(pid: str) -> Any:
        body = json_object()
        lang = body_lang(body)
        space = _space(store, pid)
        year = _year(space, body.get("year"))
        started = time.perf_counter()
        view = _view(space, fields_of(body), year, lang)
        if isinstance(view, list):
            return _problems(view, lang)
        p = space.portfolio
        context = {"v": view, "lang": lang, "unit": i18n.unit(p.unit, lang)}
        html = {
            key: render_template(f"_portfolio_{key}.html", **context)
            for key in ("results", "package", "statement")
        }
        return jsonify(
            {
                "ok": True,
                "year": view.statement.year,
                "html": html,
                "documents": view.documents,
                "seconds": round(time.perf_counter() - started, 4),
            }
        )

    @app.post("/p/<pid>/download/<what>")
    def portfolio_download(pid: str, what: str) -> Any:
        from sim.portfolio.statement import write

        space = _space(store, pid)
        if what not in DOWNLOADS:
            known = ", ".join(DOWNLOADS)
            abort(404, Reason("page_no_download", got=repr(what[:50]), known=known))
        lang = page_lang()  # the form's
        form = request.form.to_dict()
        for name in (TOKEN_FIELD, "lang"):
            form.pop(name, None)
        year = _year(space, form.pop("year", None))
        view = _view(space, form, year, lang)
        if isinstance(view, list):
            return _problems(view, lang)
        with temporary_folder(state.root) as tmp:
            folder = write(view.statement, Path(tmp) / "statement", lang)
            data = (folder / what).read_bytes()
        filename = f"{space.portfolio.name}-{view.statement.year}-{what}"
        return Response(
            data,
            mimetype=DOWNLOADS[what],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
