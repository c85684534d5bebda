"""The JSON endpoints a scenario's page calls as it is edited (``/w/<wid>/api/…``):
validate the form, evaluate it (the tables, the slider's range, the figures' list),
the NPVs at the slider's shares, a figure, and a sweep of one input run in the
background (start, state, cancel, figure), added to the application by
:func:`register`. Each takes the page's fields (:mod:`sim.web.asked`) and answers
with the results, or with each problem placed beside its field."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from flask import Flask, Response, abort, jsonify, render_template

from sim.errors import SimError
from sim.i18n import Reason
from sim.web import explore
from sim.web.asked import (
    State,
    asked,
    body_lang,
    edited,
    fields_of,
    json_object,
    page_lang,
    scenario_of,
    workspace_of,
)
from sim.web.edits import field_of, rows_of
from sim.web.sweep import MAX_POINTS, Job, run_sweep, sweepable

__all__ = ["register"]


def register(app: Flask, state: State) -> None:  # noqa: C901  (one nested function per route)
    """Add the page's endpoints to ``app``."""

    @app.post("/w/<wid>/api/validate")
    def validate(wid: str) -> Any:
        body = json_object()
        lang = body_lang(body)
        scenario, problems = edited(workspace_of(state, wid), fields_of(body), lang)
        return jsonify({"ok": scenario is not None, "problems": problems})

    @app.post("/w/<wid>/api/evaluate")
    def evaluate(wid: str) -> Any:
        _, lang, scenario = asked(state, wid)
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
        body, lang, scenario = asked(state, wid)
        x = _share_vector(body.get("shares"), scenario.party_ids)
        out = explore.at_shares(scenario, x)
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
        _, lang, scenario = asked(state, wid)
        svg = explore.figure_svg(scenario, lang, key)
        if svg is None:
            abort(404, Reason("page_no_figure", got=repr(key[:50])))
        return Response(svg, mimetype="image/svg+xml")

    @app.post("/w/<wid>/api/sweep")
    def sweep_start(wid: str) -> Any:
        body = json_object()
        lang = body_lang(body)
        ws = workspace_of(state, wid)
        fields = fields_of(body)
        scenario = scenario_of(ws, fields, lang)  # the other terms must hold
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
        lang = page_lang()
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
                names=explore.names(workspace_of(state, wid).scenario, lang),
                unit=workspace_of(state, wid).scenario.unit,
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
