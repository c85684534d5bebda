"""The Flask application of ``sim serve``, made of its pages and downloads
(:mod:`sim.web.pages`), the JSON endpoints the page calls (:mod:`sim.web.api`) and
the error handlers that turn every bad request into a 4xx with a message
(:mod:`sim.web.errors`); what a request asks is read by :mod:`sim.web.asked`.

Safe by default: :mod:`sim.web.guard` checks every request (the Host header names this
server, no DNS rebinding; a request that changes anything carries the page's token and
comes from the page's own origin, no cross-site request; JSON bodies bounded in size
and depth); every request body is capped at :data:`sim.errors.MAX_INPUT_BYTES`;
templates escape every value (Jinja autoescape); the Content-Security-Policy allows
only this server's own script and style; no traceback ever reaches the browser.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response

from sim import i18n, style
from sim.errors import MAX_INPUT_BYTES
from sim.output import _num
from sim.rules import CLAUSES, FACTORS
from sim.scenario import Scenario, parse
from sim.schema import value_text
from sim.web import api, errors, explore, pages
from sim.web.asked import State
from sim.web.form import ROW
from sim.web.guard import TOKEN_FIELD
from sim.web.problems import field_label as group_label
from sim.web.sweep import sweepable
from sim.web.text import clause_name, field_label, label, t
from sim.web.workspace import SHIPPED, Loader, file_lang

__all__ = ["create_app", "warm_up"]

_CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(
    root: str | Path = ".",
    *,
    scenario: Scenario | None = None,
    name: str = "",
    shipped: Path = SHIPPED,
    loader: Loader | None = None,
    lang: str | None = None,
) -> Flask:
    """The application, serving the folder ``root``; ``scenario`` (named ``name``) is
    opened first; it answers to Host ``localhost`` until :func:`sim.web.make_server`
    gives it the address it listens on. ``loader`` reads the files opened and
    uploaded (``sim serve`` passes the commands' own; :func:`sim.scenario.load` by
    default); ``lang``: the page's language when a request names none (else the opened
    workbook's own, else English)."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_INPUT_BYTES,
        MAX_FORM_PARTS=5000,
        TRUSTED_HOSTS=None,  # sim.web.guard checks the Host, IPv6 and port included
        JSON_SORT_KEYS=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    state = State(Path(root), shipped, loader)
    state.lang = lang or "en"
    app.extensions["sim"] = state
    if scenario is not None:
        source = name or scenario.source
        state.workspaces.add(scenario, source, pin=True, lang=lang or file_lang(source))
    app.jinja_env.globals.update(
        t=t,
        label=label,
        clause_name=clause_name,
        clauses=CLAUSES,
        field_label=field_label,
        comparison_table=explore.comparison_table,
        explain_table=explore.explain_table,
        comparison_notes=explore.comparison_notes,
        colon=lambda lang: style.COLON[lang],
        value_text=value_text,
        sweepable=sweepable,
        token=state.guard.token,
        token_field=TOKEN_FIELD,
        word=i18n.t,
        with_unit=i18n.with_unit,
        group_label=group_label,
        factors=FACTORS,
        ROW=ROW,
    )
    app.jinja_env.filters["num"] = lambda x: "—" if x is None else _num(x)
    app.jinja_env.filters["party_name"] = lambda pid, names: names.get(pid, pid)
    app.jinja_env.filters["pct"] = lambda x: "—" if x is None or x != x else f"{100 * x:.1f}%"
    app.before_request(state.guard.check)
    pages.register(app, state)
    api.register(app, state)
    errors.register(app)
    app.after_request(_headers)
    return app


def warm_up(app: Flask) -> None:
    """Import what the page needs (matplotlib, pandas: seconds) and, for the scenario
    opened first, compute its page and report, so that the first request is quick.
    Meant for a background thread; a failure here only means a slower first page."""
    state: State = app.extensions["sim"]
    try:
        ws = state.workspaces.get(state.workspaces.pinned) if state.workspaces.pinned else None
        if ws is None:
            import sim.report  # noqa: F401

            return
        scenario = parse(ws.data, source=ws.name)
        explore.evaluate(scenario, "en")
        explore.figures(scenario, "en")
    except Exception:  # the first request will report it
        app.logger.debug("warm-up failed", exc_info=True)


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # no-referrer: Origin null
    response.headers.setdefault("Cache-Control", "no-store")  # the font may be kept
    return response
