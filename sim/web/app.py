"""The Flask application of ``sim serve``: pages, the JSON endpoints the page calls,
downloads, and the error handlers that turn every bad request into a 4xx with a message.

Safe by default: :mod:`sim.web.guard` checks every request (the Host header names this
server, no DNS rebinding; a request that changes anything carries the page's token and
comes from the page's own origin, no cross-site request; JSON bodies bounded in size
and depth); every request body is capped at :data:`sim.errors.MAX_INPUT_BYTES`;
templates escape every value (Jinja autoescape); the Content-Security-Policy allows
only this server's own script and style; no traceback ever reaches the browser.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import HTTPException

from sim import i18n, style
from sim.errors import MAX_INPUT_BYTES, InputError, ScenarioError, SimError
from sim.i18n import REASONS, Reason
from sim.output import _num
from sim.rules import CLAUSES, FACTORS
from sim.scenario import Scenario, parse
from sim.schema import value_text
from sim.web import explore
from sim.web.edits import FormError, apply, field_of, rows_of
from sim.web.form import ROW
from sim.web.guard import TOKEN_FIELD, Guard, Hosts, json_body
from sim.web.problems import field_label as group_label
from sim.web.problems import place, row_names
from sim.web.sweep import MAX_POINTS, Job, Jobs, run_sweep, sweepable
from sim.web.text import LANGS, clause_name, field_label, label, t
from sim.web.workspace import (
    SHIPPED,
    Loader,
    Workspace,
    Workspaces,
    file_lang,
    list_files,
    load_file,
    load_upload,
)

__all__ = ["create_app", "warm_up"]

_WID = re.compile(r"[A-Za-z0-9_-]{8,40}")
_CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
MAX_SHARES_PARTIES = 64


class State:
    """What the application keeps: its folder, the files it may read, the scenarios loaded."""

    def __init__(self, root: Path, shipped: Path, loader: Loader | None) -> None:
        self.root = root.resolve()
        self.shipped = shipped
        self.loader = loader
        self.workspaces = Workspaces()
        self.jobs = Jobs()
        self.guard = Guard(Hosts.of("localhost", 80))
        """The checks of every request; :func:`sim.web.make_server` sets the hosts."""
        self.lang = "en"
        """The start page's language when the request names none (``sim serve --lang``)."""

    def files(self) -> dict[str, Path]:
        """The files that can be opened, by key (listed afresh)."""
        return list_files(self.root, self.shipped)


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
        group_label=group_label,
        factors=FACTORS,
        ROW=ROW,
    )
    app.jinja_env.filters["num"] = lambda x: "—" if x is None else _num(x)
    app.jinja_env.filters["party_name"] = lambda pid, names: names.get(pid, pid)
    app.jinja_env.filters["pct"] = lambda x: "—" if x is None or x != x else f"{100 * x:.1f}%"
    app.before_request(state.guard.check)
    _routes(app, state)
    _errors(app)
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


# --------------------------------------------------------------------------- requests


def _lang(default: str = "en") -> str:
    """The page's language: the request's ``lang``, else ``default`` (a workbook's own)."""
    lang = request.values.get("lang", default)
    if lang not in LANGS:
        abort(400, Reason("page_lang", langs=", ".join(LANGS), got=repr(lang[:20])))
    g.lang = lang
    return lang


def _body() -> dict[str, Any]:
    """The JSON object of the request (415 unless it is JSON, 400 unless an object;
    bounded by :func:`sim.web.guard.json_body`)."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400, Reason("page_json_object"))
    return body


def _workspace(state: State, wid: str) -> Workspace:
    ws = state.workspaces.get(wid) if _WID.fullmatch(wid) else None
    if ws is None:
        abort(404, Reason("page_no_workspace"))
    return ws


def _fields(source: Mapping[str, Any]) -> dict[str, Any]:
    fields = source.get("fields", {})
    if not isinstance(fields, dict):
        abort(400, Reason("page_fields"))
    return fields


def _edited(
    ws: Workspace, fields: Mapping[str, Any], lang: str = "en"
) -> tuple[Scenario | None, list[dict[str, str]]]:
    """The workspace's scenario with ``fields`` written in, or its problems (each with
    the form field it belongs to, its place on the form, the field's label and the
    reason, in ``lang``: :func:`sim.web.problems.place`)."""
    try:
        data = apply(ws.data, ws.form, fields)
        rows = rows_of(ws.form, fields)
    except FormError as exc:
        abort(400, exc.args[0])
    try:
        return parse(data, source=ws.name), []
    except ScenarioError as exc:
        names = explore.names(ws.scenario, lang)
        placed = place(exc.problems, data, ws.form, lang, names, rows)
        return None, [p.json() for p in placed]


def _scenario(ws: Workspace, fields: Mapping[str, Any], lang: str = "en") -> Scenario:
    scenario, problems = _edited(ws, fields, lang)
    if scenario is None:
        raise _Problems(problems)
    return scenario


class _Problems(Exception):
    """The edited scenario is not valid: a 422 with its problems."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# --------------------------------------------------------------------------- routes


def _routes(app: Flask, state: State) -> None:  # noqa: C901  (one nested function per route)
    @app.get("/")
    def home() -> Any:
        pinned = state.workspaces.get(state.workspaces.pinned) if state.workspaces.pinned else None
        if pinned is not None:  # in the language asked for, else the workbook's own
            lang = _lang(pinned.lang)
            return redirect(url_for("explore_page", wid=pinned.id, lang=lang))
        return start()

    @app.get("/font/cjk.otf")
    def cjk_font() -> Any:
        # the Chinese font the reports embed, for browsers on machines without one (the
        # page asks for it only where no CJK font of the system's comes first)
        response = send_file(style.SHIPPED_FONT, mimetype="font/otf", max_age=86_400)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response

    @app.get("/open")
    def start() -> Any:
        lang = _lang(state.lang)
        files = state.files()
        return render_template(
            "start.html",
            lang=lang,
            chosen="lang" in request.args,  # else a workbook opens in its own language
            shipped=[k for k in files if k.startswith("shipped/")],
            folder=[k for k in files if k.startswith("folder/")],
            root=state.root.name or str(state.root),
        )

    @app.post("/open")
    def open_file() -> Any:
        _lang()  # a bad one refused first
        key = request.form.get("file", "")
        path = state.files().get(key)
        if path is None:
            abort(404, Reason("page_not_listed", got=repr(key[:200])))
        name = key.split("/", 1)[1]
        ws = state.workspaces.add(load_file(path, name, state.loader), name, lang=file_lang(path))
        return redirect(url_for("explore_page", wid=ws.id, lang=_lang(ws.lang)), 303)

    @app.post("/upload")
    def upload() -> Any:
        _lang()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            abort(400, Reason("page_choose_file"))
        data = upload.stream.read(MAX_INPUT_BYTES + 1)
        scenario, own = load_upload(data, upload.filename, state.root, state.loader)
        ws = state.workspaces.add(scenario, scenario.source, lang=own)
        return redirect(url_for("explore_page", wid=ws.id, lang=_lang(ws.lang)), 303)

    @app.get("/w/<wid>")
    def explore_page(wid: str) -> Any:
        lang = _lang()
        ws = _workspace(state, wid)
        lang = _lang(ws.lang)
        return render_template(
            "explore.html",
            lang=lang,
            ws=ws,
            scenario=ws.scenario,
            form=ws.form,
            names=explore.names(ws.scenario, lang),
            rows=row_names(ws.data, ws.form.rows, lang),
            title=i18n.pick(lang, ws.scenario.title, ws.scenario.title_zh),
            unit=explore.unit(ws.scenario, lang),
        )

    @app.post("/w/<wid>/api/validate")
    def validate(wid: str) -> Any:
        body = _body()
        lang = _body_lang(body)
        scenario, problems = _edited(_workspace(state, wid), _fields(body), lang)
        return jsonify({"ok": scenario is not None, "problems": problems})

    @app.post("/w/<wid>/api/evaluate")
    def evaluate(wid: str) -> Any:
        _, lang, scenario = _asked(state, wid)
        started = time.perf_counter()
        ev = explore.evaluate(scenario, lang)
        context = {
            "ev": ev,
            "lang": lang,
            "names": explore.names(scenario, lang),
            "unit": explore.unit(scenario, lang),
        }
        html = {
            key: render_template(f"_{key}.html", **context)
            for key in ("comparison", "explain", "findings")
        }
        names = context["names"]
        try:
            figures = explore.figures(scenario, lang)
        except SimError:
            figures = []
        return jsonify(
            {
                "ok": True,
                "compare": ev.document,
                "slider": {
                    "parties": list(scenario.party_ids),
                    "names": names,
                    "shares": list(ev.slider.shares),
                    "feasible": ev.slider.feasible,
                    "low": _finite(ev.slider.low),
                    "high": _finite(ev.slider.high),
                    "exact": ev.slider.exact,
                    "lines": [[list(i) for i in line] for line in ev.slider.lines],
                    "fixed": scenario.sharing.rule == "fixed",
                },
                "figures": figures,
                "html": html,
                "seconds": round(time.perf_counter() - started, 4),
            }
        )

    @app.post("/w/<wid>/api/shares")
    def shares(wid: str) -> Any:
        body, lang, scenario = _asked(state, wid)
        x = _share_vector(body.get("shares"), scenario.party_ids)
        out = explore.at_shares(scenario, x, lang)
        out["html"] = render_template(
            "_shares.html",
            r=out,
            lang=lang,
            parties=scenario.party_ids,
            names=explore.names(scenario, lang),
        )
        return jsonify(out)

    @app.post("/w/<wid>/api/figure/<key>")
    def figure(wid: str, key: str) -> Any:
        _, lang, scenario = _asked(state, wid)
        svg = explore.figure_svg(scenario, lang, key)
        if svg is None:
            abort(404, Reason("page_no_figure", got=repr(key[:50])))
        return Response(svg, mimetype="image/svg+xml")

    @app.post("/w/<wid>/api/sweep")
    def sweep_start(wid: str) -> Any:
        body = _body()
        lang = _body_lang(body)
        ws = _workspace(state, wid)
        fields = _fields(body)
        scenario = _scenario(ws, fields, lang)  # the other terms must hold
        options = {s.name: s for s in sweepable(scenario, lang)}
        what = options.get(str(body.get("input")))
        if what is None:
            abort(400, Reason("page_sweep_input", options=", ".join(options)))
        low, high = _finite_number(body, "low"), _finite_number(body, "high")
        points = body.get("points")
        if isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= MAX_POINTS:
            abort(400, Reason("page_points", most=MAX_POINTS))
        if not low < high:
            abort(400, Reason("page_low_high", low=f"{low:g}", high=f"{high:g}"))
        values = tuple(float(x) for x in np.linspace(low, high, points))

        field = field_of(what.name, scenario, rows_of(ws.form, fields))

        def work(job: Job) -> None:
            run_sweep(job, ws.data, ws.form, fields, what, values, ws.name, field)

        job = state.jobs.start(ws.id, points, lang, work)
        if job is None:
            abort(429, Reason("page_busy"))
        return jsonify({"ok": True, "job": job.id, "total": points}), 202

    @app.get("/w/<wid>/api/jobs/<jid>")
    def job_state(wid: str, jid: str) -> Any:
        job = _job(state, wid, jid)
        lang = _lang()
        out: dict[str, Any] = {
            "ok": True,
            "state": job.state,
            "done": job.done,
            "total": job.total,
            "error": job.error,
        }
        if job.state == "done" and job.result is not None:
            out["html"] = render_template(
                "_sweep.html",
                r=job.result,
                job=job,
                wid=wid,
                lang=lang,
                names=explore.names(_workspace(state, wid).scenario, lang),
                unit=_workspace(state, wid).scenario.unit,
            )
        return jsonify(out)

    @app.post("/w/<wid>/api/jobs/<jid>/cancel")
    def job_cancel(wid: str, jid: str) -> Any:
        job = _job(state, wid, jid)
        job.cancel.set()
        return jsonify({"ok": True, "state": job.state})

    @app.get("/w/<wid>/api/jobs/<jid>/figure")
    def job_figure(wid: str, jid: str) -> Any:
        job = _job(state, wid, jid)
        if not job.figure:
            abort(404, Reason("page_no_job_figure"))
        return Response(job.figure, mimetype="image/svg+xml")

    @app.post("/w/<wid>/download/<what>")
    def download(wid: str, what: str) -> Any:
        ws = _workspace(state, wid)
        if what not in explore.DOWNLOADS:
            known = ", ".join(explore.DOWNLOADS)
            abort(404, Reason("page_no_download", got=repr(what[:50]), known=known))
        form = request.form.to_dict()
        form.pop(TOKEN_FIELD, None)
        lang = form.pop("lang", "en")
        if lang not in LANGS:
            abort(400, Reason("page_lang", langs=", ".join(LANGS), got=repr(lang[:20])))
        g.lang = lang
        scenario = _scenario(ws, form, lang)
        data, filename, mimetype = explore.download(scenario, what, lang, state.root)
        return Response(
            data,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


def _asked(state: State, wid: str) -> tuple[dict[str, Any], str, Scenario]:
    """What a request to the page's endpoints asks about: its JSON body, its language and
    the workspace's scenario with the body's fields written in (a 422 when invalid)."""
    body = _body()
    lang = _body_lang(body)  # first: a missing workspace is said in the page's language
    ws = _workspace(state, wid)
    return body, lang, _scenario(ws, _fields(body), lang)


def _job(state: State, wid: str, jid: str) -> Job:
    job = state.jobs.get(wid, jid)
    if job is None:
        abort(404, Reason("page_no_job"))
    return job


def _finite_number(body: Mapping[str, Any], key: str) -> float:
    x = body.get(key)
    if isinstance(x, bool) or not isinstance(x, int | float) or not np.isfinite(x):
        abort(400, Reason("page_finite", key=key, got=repr(str(x)[:30])))
    return float(x)


def _body_lang(body: Mapping[str, Any]) -> str:
    lang = body.get("lang", "en")
    if lang not in LANGS:
        abort(400, Reason("page_lang", langs=", ".join(LANGS), got=repr(str(lang)[:20])))
    g.lang = str(lang)
    return str(lang)


def _finite(values: tuple[float, ...]) -> list[float | None]:
    return [x if x == x else None for x in values]


def _share_vector(raw: Any, pids: tuple[str, ...]) -> tuple[float, ...]:
    """Pool shares from the request: a number in [0, 1] for every party, summing to 1."""
    if not isinstance(raw, dict) or set(raw) != set(pids):
        abort(400, Reason("page_shares", parties=", ".join(pids)))
    out = []
    for p in pids:
        x = raw[p]
        if isinstance(x, bool) or not isinstance(x, int | float) or not 0.0 <= x <= 1.0:
            abort(400, Reason("page_share", party=p, got=repr(str(x)[:30])))
        out.append(float(x))
    if abs(sum(out) - 1.0) > 1e-9:
        abort(400, Reason("page_shares_sum", total=f"{sum(out):.12g}"))
    return tuple(out)


# --------------------------------------------------------------------------- errors


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
        ws = current_app.extensions["sim"].workspaces.get(wid) if _WID.fullmatch(wid) else None
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


def _errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        message: str = exc.description or exc.name
        if message == type(exc).description and f"http_{exc.code}" in REASONS:
            message = Reason(f"http_{exc.code}")  # werkzeug's own words: ours, in two languages
        return _error(exc.code or 400, message)

    @app.errorhandler(_Problems)
    def problems(exc: _Problems) -> Any:
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


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"  # no-referrer: Origin null
    response.headers.setdefault("Cache-Control", "no-store")  # the font may be kept
    return response
