"""The pages of ``sim serve`` a browser navigates to: the start page (a scenario to
open, from the shipped ones, the folder or an upload), a scenario's page, the Chinese
font, and the downloads of the edited scenario (its TOML, workbook and reports), added
to the application by :func:`register`. What the page asks for as it is edited is in
:mod:`sim.web.api`."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request, send_file, url_for

from sim import i18n, style
from sim.errors import MAX_INPUT_BYTES
from sim.i18n import Reason
from sim.web import explore
from sim.web.asked import State, body_lang, page_lang, scenario_of, workspace_of
from sim.web.guard import TOKEN_FIELD
from sim.web.problems import row_names
from sim.web.workspace import file_lang, load_file, load_upload

__all__ = ["register"]


def register(app: Flask, state: State) -> None:  # noqa: C901  (one nested function per route)
    """Add the pages to ``app``."""

    @app.get("/")
    def home() -> Any:
        pinned = state.workspaces.get(state.workspaces.pinned) if state.workspaces.pinned else None
        if pinned is not None:  # in the language asked for, else the workbook's own
            lang = page_lang(pinned.lang)
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
        lang = page_lang(state.lang)
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
        page_lang()  # a bad one refused first
        key = request.form.get("file", "")
        path = state.files().get(key)
        if path is None:
            abort(404, Reason("page_not_listed", got=repr(key[:200])))
        name = key.split("/", 1)[1]
        ws = state.workspaces.add(load_file(path, name, state.loader), name, lang=file_lang(path))
        return redirect(url_for("explore_page", wid=ws.id, lang=page_lang(ws.lang)), 303)

    @app.post("/upload")
    def upload() -> Any:
        page_lang()
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            abort(400, Reason("page_choose_file"))
        data = upload.stream.read(MAX_INPUT_BYTES + 1)
        scenario, own = load_upload(data, upload.filename, state.root, state.loader)
        ws = state.workspaces.add(scenario, scenario.source, lang=own)
        return redirect(url_for("explore_page", wid=ws.id, lang=page_lang(ws.lang)), 303)

    @app.get("/w/<wid>")
    def explore_page(wid: str) -> Any:
        lang = page_lang()
        ws = workspace_of(state, wid)
        lang = page_lang(ws.lang)
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

    @app.post("/w/<wid>/download/<what>")
    def download(wid: str, what: str) -> Any:
        ws = workspace_of(state, wid)
        if what not in explore.DOWNLOADS:
            known = ", ".join(explore.DOWNLOADS)
            abort(404, Reason("page_no_download", got=repr(what[:50]), known=known))
        form = request.form.to_dict()
        lang = body_lang(form)
        for name in (TOKEN_FIELD, "lang"):
            form.pop(name, None)
        scenario = scenario_of(ws, form, lang)
        data, filename, mimetype = explore.download(scenario, what, lang, state.root)
        return Response(
            data,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
