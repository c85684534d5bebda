"""Hostile and malformed requests to every endpoint of `sim serve`: never a 500.

As tests/scenario/test_fuzz.py does for scenario files, valid requests are mutated at random:
their JSON bodies and forms (values of the wrong type, missing and extra fields,
unicode, nesting, size), the way they are sent (another content type, bytes that are not
JSON or not UTF-8, a body nested thousands deep), the names in their paths, and the
headers that make them the page's own (token, Origin, Sec-Fetch-Site). Each outcome must
be a 2xx or 3xx with a sane body (strict JSON with ``ok`` true, an SVG, a download, a
page, a redirect into the server) or a 4xx with one message (JSON ``{"ok": false,
"error": ...}`` from the endpoints, a page or a line of text otherwise); never a 5xx,
never a traceback in the body.

One target covers every endpoint (each example picks one). CI runs :data:`EXAMPLES`
examples, seeded; the long campaign is ``SIM_FUZZ_EXAMPLES=5000 python -m pytest
tests/web/test_serve_fuzz.py -p no:cacheprovider -s`` (it prints the outcomes by endpoint
and status; see docs/serve-security.md).
"""

from __future__ import annotations

import io
import json
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from sim.portfolio import load_portfolio
from sim.scenario import load

from ..conftest import ROOT
from ..scenario.test_fuzz import EXAMPLES, FUZZ, mutated

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

from sim.web import make_app  # noqa: E402  (after the Flask check)
from sim.web.explore import DOWNLOADS  # noqa: E402
from sim.web.portfolio import DOWNLOADS as STATEMENTS  # noqa: E402
from sim.web.portfolio_view import loaded  # noqa: E402

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_serve_fuzz")

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
MAX_FUZZ_POINTS = 12
"""Sweeps asked for more points are cut to this (each example stays quick; the limit
itself is tested in test_serve.py)."""


class Server:
    """One application for the whole run, its open scenario, a finished sweep."""

    def __init__(self, root: Path) -> None:
        self.app = make_app(root, load(GAOZHU), name="scenarios/gaozhu.toml")
        self.token: str = self.app.extensions["sim"].guard.token
        self.client = self.app.test_client()
        self.wid = self.client.get("/").headers["Location"].split("/w/")[1].split("?")[0]
        ws = self.app.extensions["sim"].workspaces.get(self.wid)
        self.fields: dict[str, str] = ws.form.values()
        body = {"lang": "en", "fields": {}, "input": "horizon.discount_rate", "low": 0.0,
                "high": 0.1, "points": 3}  # fmt: skip
        started = self.client.post(
            f"/w/{self.wid}/api/sweep", json=body, headers={"X-Sim-Token": self.token}
        )
        self.job = started.json["job"]
        for _ in range(400):
            if self.client.get(f"/w/{self.wid}/api/jobs/{self.job}").json["state"] != "running":
                break
            time.sleep(0.05)
        figures = self.client.post(
            f"/w/{self.wid}/api/evaluate", json={"fields": {}}, headers={"X-Sim-Token": self.token}
        ).json["figures"]
        self.figures = [f["key"] for f in figures]
        space = self.app.extensions["sim_portfolios"].add(load_portfolio(CHENGYU), "chengyu.toml")
        self.pid = space.id
        self.portfolio_fields: dict[str, str] = loaded(space)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(tmp_path_factory.mktemp("serve-fuzz"))
    yield server
    # the sweeps the examples started: stopped before the interpreter exits (a thread
    # still drawing when it does aborts the process)
    jobs = list(server.app.extensions["sim"].jobs._items.values())
    for job in jobs:
        job.cancel.set()
    deadline = time.monotonic() + 120
    while any(job.state == "running" for job in jobs) and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture(scope="module")
def outcomes() -> Iterator[Counter[tuple[str, int]]]:
    counts: Counter[tuple[str, int]] = Counter()
    started = time.perf_counter()
    yield counts
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    print(f"\nsim serve fuzz: {total} requests in {seconds:.0f} s")  # the campaign's record
    for (endpoint, status), n in sorted(counts.items()):
        print(f"  {endpoint:<16} {status}  {n}")


# --------------------------------------------------------------------------- requests

name_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["..", "../../etc/passwd", "%2e%2e", "\x00", "<script>", "NaN", " "]),
)


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="") or "x"


@st.composite
def json_request(draw: st.DrawFn, server: Server, endpoint: str) -> dict[str, Any]:
    """A page endpoint's body, valid, then mutated."""
    fields: dict[str, Any] = {}
    known = server.portfolio_fields if endpoint.startswith("p-") else server.fields
    for name in draw(st.lists(st.sampled_from(sorted(known)), max_size=6, unique=True)):
        fields[name] = known[name]
    body: dict[str, Any] = {"lang": draw(st.sampled_from(["en", "zh"])), "fields": fields}
    if endpoint.startswith("p-") and draw(st.booleans()):  # a portfolio's statement year
        body["year"] = draw(st.sampled_from([2021, 2030, 2041, 1999, "2030", "x", None]))
    if endpoint == "shares":
        x = draw(st.floats(0, 1))
        body["shares"] = {"SC": x, "CQ": 1 - x}
    elif endpoint == "sweep":
        body.update(input=draw(st.sampled_from(["horizon.discount_rate", "sharing.compliance",
                                                 "firms.battery-plant.growth"])),
                    low=0.0, high=0.1, points=draw(st.integers(2, MAX_FUZZ_POINTS)))  # fmt: skip
    if draw(st.booleans()):
        body = draw(mutated(body))
    if endpoint == "sweep" and isinstance(body, dict):
        points = body.get("points")
        if isinstance(points, int) and not isinstance(points, bool) and points > MAX_FUZZ_POINTS:
            body["points"] = MAX_FUZZ_POINTS
    return body


@st.composite
def encoded(draw: st.DrawFn, body: Any) -> tuple[bytes, str]:
    """``body`` as sent: JSON (usually), or in another form or content type."""
    how = draw(st.sampled_from(["json"] * 6 + ["text", "form", "bytes", "deep", "big", "nan"]))
    text = json.dumps(body, allow_nan=True, ensure_ascii=draw(st.booleans()))
    if how == "json":
        return text.encode(), "application/json"
    if how == "text":
        return text.encode(), draw(st.sampled_from(["text/plain", "application/xml", ""]))
    if how == "form":
        flat = body.get("fields", {}) if isinstance(body, dict) else {}
        pairs = {str(k): str(v) for k, v in (flat.items() if isinstance(flat, dict) else [])}
        return urllib.parse.urlencode(pairs).encode(), "application/x-www-form-urlencoded"
    if how == "bytes":
        return draw(st.binary(max_size=200)), "application/json"
    if how == "deep":
        depth = draw(st.sampled_from([15, 16, 17, 1000, 50_000]))
        return ('{"fields": ' + "[" * depth + "]" * depth + "}").encode(), "application/json"
    if how == "big":
        return b'{"fields": {}, "x": "' + b"y" * 1_000_001 + b'"}', "application/json"
    return text.replace("0.", "NaN, ").encode(), "application/json; charset=utf-8"


ENDPOINTS = ["validate", "evaluate", "shares", "figure", "sweep", "cancel", "job", "job-figure",
             "download", "open", "upload", "page", "start", "home", "font",
             "p-validate", "p-evaluate", "p-download", "p-page"]  # fmt: skip
"""``p-``: a portfolio's page (sim.web.portfolio)."""


@st.composite
def page_headers(draw: st.DrawFn, server: Server, kwargs: dict[str, Any]) -> dict[str, str]:
    """The headers of a request from the page (usually), or without the token, from
    another site or origin, or to another Host (then a form loses its token too)."""
    headers = {"X-Sim-Token": server.token}
    guard = draw(st.sampled_from(["page"] * 8 + ["no-token", "cross-site", "origin", "host"]))
    if guard == "no-token":
        headers = {}
        if isinstance(kwargs.get("data"), dict):
            kwargs["data"].pop("token", None)
    elif guard == "cross-site":
        headers["Sec-Fetch-Site"] = "cross-site"
    elif guard == "origin":
        headers["Origin"] = draw(st.sampled_from(["null", "http://attacker.example"]))
    elif guard == "host":
        headers["Host"] = draw(st.sampled_from(["attacker.example", "localhost:1", "[::1"]))
    return {**headers, "Accept": draw(st.sampled_from(["*/*", "application/json"]))}


@st.composite
def portfolio_request(draw: st.DrawFn, server: Server, endpoint: str, lang: str
                      ) -> tuple[str, str, dict[str, Any]]:  # fmt: skip
    """(method, path, keyword arguments) of a request to a portfolio's page (``p-…``)."""
    pid = server.pid if draw(st.sampled_from([True] * 9 + [False])) else _quote(draw(name_text))
    kwargs: dict[str, Any]
    if endpoint in ("p-validate", "p-evaluate"):
        method, path = "POST", f"/p/{pid}/api/{endpoint[2:]}"
        data, content_type = draw(encoded(draw(json_request(server, endpoint))))
        kwargs = {"data": data, "content_type": content_type}
    elif endpoint == "p-download":
        what = draw(st.sampled_from([*sorted(STATEMENTS), None]))
        method, path = "POST", f"/p/{pid}/download/{what or _quote(draw(name_text))}"
        form = {"lang": lang, "token": server.token, "year": draw(st.sampled_from(["2030", ""]))}
        names = st.lists(st.sampled_from(sorted(server.portfolio_fields)), max_size=6, unique=True)
        for name in draw(names):
            form[name] = server.portfolio_fields[name]
        if draw(st.booleans()):
            form = draw(mutated(form))
        kwargs = {"data": {str(k): str(v) for k, v in form.items()}
                  if isinstance(form, dict) else {}}  # fmt: skip
    else:
        method, path = "GET", f"/p/{pid}"
        kwargs = {"query_string": {"lang": lang} if draw(st.booleans()) else {}}
    return method, path, kwargs


@st.composite
def request_for(draw: st.DrawFn, server: Server) -> tuple[str, str, str, dict[str, Any]]:  # noqa: C901
    """(endpoint, method, path, keyword arguments of the test client's ``open``)."""
    endpoint = draw(st.sampled_from(ENDPOINTS))
    wid = server.wid if draw(st.sampled_from([True] * 9 + [False])) else _quote(draw(name_text))
    lang = draw(st.sampled_from(["en", "zh", "fr", "", "<b>"]))
    kwargs: dict[str, Any] = {}
    if endpoint.startswith("p-"):
        method, path, kwargs = draw(portfolio_request(server, endpoint, lang))
    elif endpoint in ("validate", "evaluate", "shares", "figure", "sweep"):
        method, path = "POST", f"/w/{wid}/api/{endpoint}"
        if endpoint == "figure":
            key = draw(st.sampled_from(server.figures)) if draw(st.booleans()) else None
            path += "/" + (key or _quote(draw(name_text)))
        data, content_type = draw(encoded(draw(json_request(server, endpoint))))
        kwargs = {"data": data, "content_type": content_type}
    elif endpoint in ("cancel", "job", "job-figure"):
        jid = server.job if draw(st.booleans()) else _quote(draw(name_text))
        method = "POST" if endpoint == "cancel" else "GET"
        path = f"/w/{wid}/api/jobs/{jid}" + {"cancel": "/cancel", "job": "", "job-figure":
                                             "/figure"}[endpoint]  # fmt: skip
        kwargs = {"query_string": {"lang": lang}}
    elif endpoint == "download":
        what = draw(st.sampled_from([*sorted(DOWNLOADS), None]))
        method, path = "POST", f"/w/{wid}/download/{what or _quote(draw(name_text))}"
        form = {"lang": lang, "token": server.token}
        for name in draw(st.lists(st.sampled_from(sorted(server.fields)), max_size=6, unique=True)):
            form[name] = server.fields[name]
        if draw(st.booleans()):
            form = draw(mutated(form))
        kwargs = {"data": {str(k): str(v) for k, v in form.items()}
                  if isinstance(form, dict) else {}}  # fmt: skip
    elif endpoint == "open":
        file = draw(st.one_of(st.sampled_from(["shipped/gaozhu.toml", "shipped/nothing.toml"]),
                              name_text))  # fmt: skip
        method, path, kwargs = "POST", "/open", {"data": {"file": file, "lang": lang}}
    elif endpoint == "upload":
        content = GAOZHU.read_bytes()
        if draw(st.booleans()):
            at = draw(st.integers(0, len(content) - 1))
            content = content[:at] + draw(st.binary(max_size=20)) + content[at + 1 :]
        name = draw(st.sampled_from(["s.toml", "s.xlsx", "s.txt", "../s.toml", "", "名.toml"]))
        field = draw(st.sampled_from(["file", "file", "other"]))
        method, path = "POST", "/upload"
        kwargs = {
            "data": {field: (io.BytesIO(content), name), "token": server.token},
            "content_type": "multipart/form-data",
        }
    else:
        method = "GET"
        path = {"page": f"/w/{wid}", "start": "/open", "home": "/", "font": "/font/cjk.otf"}[
            endpoint
        ]
        kwargs = {"query_string": {"lang": lang} if draw(st.booleans()) else {}}
    kwargs["headers"] = draw(page_headers(server, kwargs))
    return endpoint, method, path, kwargs


# --------------------------------------------------------------------------- outcomes


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def _check(endpoint: str, response: Any) -> None:
    status = response.status_code
    data = response.get_data()
    text = data.decode("utf-8", "replace")
    where = f"{endpoint} {status}: {text[:300]}"
    assert status < 500, where
    assert "Traceback" not in text and 'File "' not in text, where
    assert "internal error" not in text, where
    if 300 <= status < 400:
        # into the server: a workspace opened, or werkzeug's merging of "//" in a path
        location = urllib.parse.urlsplit(response.headers["Location"])
        assert location.netloc in ("", "localhost"), where
        assert location.path.startswith("/w/"), where
        return
    if status >= 400:
        if response.mimetype == "application/json":
            doc = _strict(text)
            assert doc["ok"] is False and isinstance(doc["error"], str) and doc["error"], where
        else:
            assert response.mimetype in ("text/html", "text/plain"), where
            assert str(status) in text, where
        return
    if response.mimetype == "application/json":
        doc = _strict(text)
        assert isinstance(doc, dict), where
        if endpoint in (
            "validate",
            "p-validate",
        ):  # the answer is whether the terms hold, and why not
            assert isinstance(doc["ok"], bool) and isinstance(doc["problems"], list), where
            assert doc["ok"] is (doc["problems"] == []), where
        else:
            assert doc.get("ok", True) is True, where
    elif response.mimetype == "image/svg+xml":
        assert data.lstrip().startswith((b"<?xml", b"<svg")), where
    elif response.mimetype == "text/html" and not endpoint.endswith("download"):
        assert "<html" in text, where
    elif endpoint == "font":
        assert response.mimetype == "font/otf" and data[:4] == b"OTTO", where
    else:
        assert endpoint.endswith("download") and len(data) > 0, where


@FUZZ
@seed(20261126)
@given(st.data())
def test_every_endpoint_answers_a_mutated_request_cleanly(
    server: Server, outcomes: Counter[tuple[str, int]], data: st.DataObject
) -> None:
    endpoint, method, path, kwargs = data.draw(request_for(server))
    response = server.client.open(path, method=method, **kwargs)
    try:
        _check(endpoint, response)
    finally:
        outcomes[(endpoint, response.status_code)] += 1
        response.close()


def test_the_campaign_covers_every_endpoint() -> None:
    app = make_app(ROOT)
    routed = {r.endpoint for r in app.url_map.iter_rules()} - {"static"}
    covered = {
        "validate", "evaluate", "shares", "figure", "sweep_start", "job_cancel", "job_state",
        "job_figure", "download", "open_file", "upload", "explore_page", "start", "home",
        "cjk_font", "portfolio_validate", "portfolio_evaluate", "portfolio_download",
        "portfolio_page",
    }  # fmt: skip
    assert routed == covered
    assert len(ENDPOINTS) == len(covered) and EXAMPLES >= 1
