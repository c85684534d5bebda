"""The error handlers of ``sim serve``: every bad request a 4xx with one clear message
in the page's language (JSON for the page's endpoints, else an error page), every bug a
500 that says so, no traceback ever reaching the browser; added by :func:`register`."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from sim import i18n
from sim.errors import InputError, SimError
from sim.i18n import REASONS, Reason
from sim.web.asked import Problems
from sim.web.text import LANGS

__all__ = ["register"]


def register(app: Flask) -> None:
    """Add the error handlers to ``app``."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        message: str = exc.description or exc.name
        if message == type(exc).description and f"http_{exc.code}" in REASONS:
            message = Reason(f"http_{exc.code}")  # werkzeug's own words: ours, in two languages
        return _error(exc.code or 400, message)

    @app.errorhandler(Problems)
    def problems(exc: Problems) -> Any:
        return _error(422, Reason("page_problems"), exc.problems)

    @app.errorhandler(InputError)
    def input_error(exc: InputError) -> Any:
        asked = "lang" in request.args
        lang = exc.lang if i18n.is_zh(exc.lang) and not asked else _request_lang()
        g.lang = lang
        found = [
            {"path": p.path, "field": p.path, "where": p.where or p.path,
             "message": p.reason_text(lang)}
            for p in exc.problems
        ]  # fmt: skip
        return _error(422, exc.message(lang).splitlines()[0], found)

    @app.errorhandler(SimError)
    def sim_error(exc: SimError) -> Any:
        status = 500 if exc.exit_code == 70 else 422
        return _error(status, exc.message(_request_lang()))

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> Any:  # a bug: say so, without the traceback
        app.logger.exception("internal error")
        return _error(500, Reason("page_bug", kind=type(exc).__name__))


def _wants_json() -> bool:
    return (
        "/api/" in request.path
        or request.is_json
        or request.accept_mimetypes.best == ("application/json")
    )


def _request_lang() -> str:
    """The language of the page that sent the request, for its error page: the one the
    route read (``?lang=``, the form's or the JSON body's ``lang``), else the query's,
    else the form's, else English."""
    lang = g.get("lang")
    if lang is None:
        try:
            lang = request.args.get("lang") or request.form.get("lang")
        except Exception:  # a body too large or malformed to read: the query only
            lang = None
    if lang is None:  # a scenario's page: the language it opened in
        wid = (request.view_args or {}).get("wid", "")
        ws = current_app.extensions["sim"].workspaces.get(wid)
        lang = ws.lang if ws is not None else None
    return lang if lang in LANGS else "en"


def _text(message: str, lang: str) -> str:
    return message.text(lang) if isinstance(message, Reason) else message


def _error(status: int, message: str, problems: list[dict[str, str]] | None = None) -> Any:
    lang = _request_lang()
    if _wants_json():
        body: dict[str, Any] = {"ok": False, "error": _text(message, lang)}
        if problems is not None:
            body["problems"] = problems
        return jsonify(body), status
    try:
        page = render_template(
            "error.html",
            status=status,
            message=_text(message, lang),
            problems=problems or [],
            lang=lang,
        )
    except Exception:  # no URLs to build (a Host refused before routing): plain text
        return Response(f"{status}: {_text(message, lang)}\n", status, mimetype="text/plain")
    return page, status
