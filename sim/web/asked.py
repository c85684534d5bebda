"""What the application keeps (:class:`State`) and what a request asks of it: the
page's language, the JSON body and its fields, the workspace named in the URL and its
scenario with the fields written in; each refusal is an ``abort`` with a
:class:`sim.i18n.Reason` (said in the page's language by :mod:`sim.web.errors`).

Shared by the routes of a scenario's page (:mod:`sim.web.pages`, :mod:`sim.web.api`)
and of a portfolio's (:mod:`sim.web.portfolio`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import abort, g, request

from sim.errors import ScenarioError
from sim.i18n import Reason
from sim.scenario import Scenario, parse
from sim.web import explore
from sim.web.edits import FormError, apply, rows_of
from sim.web.guard import Guard, Hosts, json_body
from sim.web.problems import place
from sim.web.sweep import Jobs
from sim.web.text import LANGS
from sim.web.workspace import Loader, Workspace, Workspaces, list_files

__all__ = [
    "Problems",
    "State",
    "asked",
    "body_lang",
    "edited",
    "fields_of",
    "json_object",
    "page_lang",
    "scenario_of",
    "workspace_of",
]


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


class Problems(Exception):
    """The edited scenario is not valid: a 422 with its problems."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def page_lang(default: str = "en") -> str:
    """The page's language: the request's ``lang``, else ``default`` (a workbook's own)."""
    return _checked(request.values.get("lang", default))


def body_lang(body: Mapping[str, Any]) -> str:
    """The language a JSON body (or a form) names, English when it names none."""
    return _checked(body.get("lang", "en"))


def _checked(lang: Any) -> str:
    if lang not in LANGS:
        abort(400, Reason("page_lang", langs=", ".join(LANGS), got=repr(str(lang)[:20])))
    g.lang = str(lang)  # the error page's language (sim.web.errors)
    return str(lang)


def json_object() -> dict[str, Any]:
    """The JSON object of the request (415 unless it is JSON, 400 unless an object;
    bounded by :func:`sim.web.guard.json_body`)."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400, Reason("page_json_object"))
    return body


def workspace_of(state: State, wid: str) -> Workspace:
    """The workspace ``wid`` (404 when there is none)."""
    ws = state.workspaces.get(wid)
    if ws is None:
        abort(404, Reason("page_no_workspace"))
    return ws


def fields_of(source: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields a body carries (400 unless an object)."""
    fields = source.get("fields", {})
    if not isinstance(fields, dict):
        abort(400, Reason("page_fields"))
    return fields


def edited(
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


def scenario_of(ws: Workspace, fields: Mapping[str, Any], lang: str = "en") -> Scenario:
    """The workspace's scenario with ``fields`` written in (:class:`Problems` when it is
    not valid)."""
    scenario, problems = edited(ws, fields, lang)
    if scenario is None:
        raise Problems(problems)
    return scenario


def asked(state: State, wid: str) -> tuple[dict[str, Any], str, Scenario]:
    """What a request to the page's endpoints asks about: its JSON body, its language and
    the workspace's scenario with the body's fields written in (a 422 when invalid)."""
    body = json_object()
    lang = body_lang(body)  # first: a missing workspace is said in the page's language
    ws = workspace_of(state, wid)
    return body, lang, scenario_of(ws, fields_of(body), lang)
