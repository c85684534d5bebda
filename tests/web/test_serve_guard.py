"""sim serve refuses what its own page did not send: requests naming another host (DNS
rebinding), cross-site requests that would change its state (CSRF), and JSON bodies too
large or nested too deep."""

from __future__ import annotations

import http.client
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.scenario import load

from ..conftest import ROOT

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

from sim.web import make_app, make_server  # noqa: E402  (after the Flask check)
from sim.web.guard import MAX_DEPTH, MAX_JSON_BYTES, Hosts, is_loopback  # noqa: E402

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return make_app(tmp_path, load(GAOZHU), name="scenarios/gaozhu.toml")


def _token(app: flask.Flask) -> str:
    token: str = app.extensions["sim"].guard.token
    return token


def _wid(client: Any) -> str:
    m = re.search(r"/w/([A-Za-z0-9_-]+)", client.get("/").headers["Location"])
    assert m is not None
    return m.group(1)


# --------------------------------------------------------------------------- hosts


def _ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def _loopback(address: str) -> bool:
    try:
        with socket.socket() as s:
            s.bind((address, 0))
    except OSError:
        return False
    return True


@pytest.fixture
def listening(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, int]]:
    host: str = request.param
    if host == "::1" and not _ipv6():
        pytest.skip("no IPv6 loopback here")
    if host == "127.0.0.2" and not _loopback(host):
        pytest.skip("127.0.0.2 cannot be bound here")
    app = make_app(tmp_path, load(GAOZHU), name="scenarios/gaozhu.toml")
    server = make_server(app, host, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host, server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _get(host: str, port: int, header: str, path: str = "/open") -> tuple[int, str]:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", header)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("listening", "own", "foreign"),
    [
        (
            "127.0.0.1",
            ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"],
            ["attacker.example:{port}", "127.0.0.1:1", "127.0.0.2:{port}", "127.0.0.1", ""],
        ),
        (
            "127.0.0.2",
            ["127.0.0.2:{port}", "localhost:{port}"],
            ["attacker.example:{port}", "127.0.0.1:{port}", "rebind.attacker.example", ""],
        ),
        (
            "::1",
            ["[::1]:{port}", "[0:0:0:0:0:0:0:1]:{port}", "localhost:{port}"],
            ["attacker.example:{port}", "::1:{port}", "[::1]:1", "127.0.0.1:{port}", "[::2]:80"],
        ),
    ],
    indirect=["listening"],
)
def test_a_server_answers_to_its_own_host_forms_only(
    listening: tuple[str, int], own: list[str], foreign: list[str]
) -> None:
    host, port = listening
    for form in own:
        status, text = _get(host, port, form.format(port=port))
        assert status == 200, (form, text[:300])
        assert "Open a scenario" in text
    for form in foreign:
        status, text = _get(host, port, form.format(port=port))
        assert status == 400, (form, status)
        assert "not trusted: this server answers only to" in text, text[:300]
        assert "Traceback" not in text


def test_the_url_sim_serve_prints_for_ipv6_opens() -> None:
    if not _ipv6():
        pytest.skip("no IPv6 loopback here")
    import urllib.request

    from click.testing import CliRunner

    import sim.web
    from sim.cli import main

    seen: list[str] = []
    real = sim.web.make_server

    class Once:  # answers one request to the printed URL, then stops
        def __init__(self, app: flask.Flask, host: str, port: int) -> None:
            self.server = real(app, host, port)
            self.server_port = self.server.server_port

        def serve_forever(self) -> None:
            url = f"http://[::1]:{self.server_port}/open"
            thread = threading.Thread(target=self.server.serve_forever, daemon=True)
            thread.start()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    seen.append(f"{response.status} {response.read().decode()[:2000]}")
            finally:
                self.server.shutdown()
                thread.join(10)
            raise KeyboardInterrupt

        def server_close(self) -> None:
            self.server.server_close()

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sim.web, "make_server", Once)
        mp.setattr(sim.web, "warm_up", lambda app: None)
        result = CliRunner().invoke(main, ["serve", "--host", "::1", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "open http://[::1]:" in result.output and "warning" not in result.output
    assert seen and seen[0].startswith("200 ") and "Open a scenario" in seen[0]


@pytest.mark.parametrize(
    ("host", "header", "accepted"),
    [
        ("0.0.0.0", "192.168.1.20:8765", True),
        ("0.0.0.0", "localhost:8765", True),
        ("0.0.0.0", "[fe80::1]:8765", True),
        ("0.0.0.0", "attacker.example:8765", False),
        ("0.0.0.0", "192.168.1.20:9999", False),
        ("::", "[2001:db8::1]:8765", True),
        ("::", "rebind.attacker.example:8765", False),
        ("192.168.1.20", "192.168.1.20:8765", True),
        ("192.168.1.20", "localhost:8765", False),
        ("192.168.1.20", "10.0.0.1:8765", False),
        ("192.168.1.20", "attacker.example:8765", False),
        ("localhost", "localhost:8765", True),
        ("localhost", "127.0.0.1:8765", True),
        ("localhost", "attacker.example:8765", False),
        ("127.0.0.1", "127.0.0.1:8765:1", False),
        ("127.0.0.1", "127.0.0.1:+8765", False),
        ("127.0.0.1", "[127.0.0.1]:8765", False),
    ],
)
def test_other_interfaces_never_switch_the_host_check_off(
    host: str, header: str, accepted: bool
) -> None:
    assert Hosts.of(host, 8765).accepts(header) is accepted


def test_port_80_may_be_left_out() -> None:
    assert Hosts.of("127.0.0.1", 80).accepts("localhost")
    assert not Hosts.of("127.0.0.1", 8765).accepts("localhost")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False)],
)  # fmt: skip
def test_what_counts_as_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


# --------------------------------------------------------------------------- cross-site


def test_forty_cross_site_form_posts_are_refused_and_evict_nothing(app: flask.Flask) -> None:
    client = app.test_client()
    token = _token(app)
    opened = client.post("/open", data={"file": "shipped/tri-city-formula.toml", "token": token})
    assert opened.status_code == 303
    mine = opened.headers["Location"]
    for _ in range(40):  # what a page on another site can make the browser send
        attack = client.post(
            "/open",
            data={"file": "shipped/gaozhu.toml"},
            headers={"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
        )
        assert attack.status_code == 403
        assert "another site" in attack.get_data(as_text=True)
    assert client.get(mine).status_code == 200  # the user's scenario is still open


def _state_changing(app: flask.Flask) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}):
            path = re.sub(r"<[^>]+>", "x", rule.rule)
            out.append((method, path))
    return out


def test_every_state_changing_request_needs_the_token(app: flask.Flask) -> None:
    client = app.test_client()
    wid = _wid(client)
    found = _state_changing(app)
    assert {p.split("/")[-1] for _, p in found} >= {"open", "upload", "sweep", "cancel", "x"}
    for method, path in found:
        path = path.replace("/w/x/", f"/w/{wid}/")
        for body in ({"json": {"fields": {}}}, {"data": {"file": "shipped/gaozhu.toml"}}):
            response = client.open(path, method=method, **body)
            assert response.status_code == 403, (method, path, response.status_code)
            assert "token is missing or wrong" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("headers", "token", "words"),
    [
        ({}, "", "token is missing"),
        ({}, "not-the-token", "token is missing or wrong"),
        ({"Sec-Fetch-Site": "cross-site"}, None, "another site"),
        ({"Sec-Fetch-Site": "same-site"}, None, "another site"),  # another port of localhost
        ({"Origin": "http://attacker.example"}, None, "not from this server"),
        ({"Origin": "null"}, None, "not from this server"),
        ({"Origin": "http://localhost:8080"}, None, "not from this server"),
        ({"Origin": "https://localhost"}, None, "not from this server"),
    ],
)
def test_a_request_not_from_the_page_is_a_403_that_says_why(
    app: flask.Flask, headers: dict[str, str], token: str | None, words: str
) -> None:
    client = app.test_client()
    wid = _wid(client)
    sent = {**headers, "X-Sim-Token": _token(app) if token is None else token}
    response = client.post(f"/w/{wid}/api/validate", json={"fields": {}}, headers=sent)
    assert response.status_code == 403
    assert response.json["ok"] is False and words in response.json["error"]


def test_the_pages_own_requests_pass(app: flask.Flask) -> None:
    client = app.test_client()
    wid = _wid(client)
    page = client.get(f"/w/{wid}").get_data(as_text=True)
    token = _token(app)
    assert f'name="token" value="{token}"' in page and f'"token": "{token}"' in page
    assert f'name="token" value="{token}"' in client.get("/open").get_data(as_text=True)
    browser = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin", "X-Sim-Token": token}
    response = client.post(f"/w/{wid}/api/validate", json={"fields": {}}, headers=browser)
    assert response.status_code == 200 and response.json["ok"] is True
    download = client.post(
        f"/w/{wid}/download/scenario.toml",
        data={"lang": "en", "token": token, "sharing.shares.SC": "0.6", "sharing.shares.CQ": "0.4"},
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )
    assert download.status_code == 200 and b"SC = 0.6" in download.data
    typed = client.post("/open", data={"file": "shipped/gaozhu.toml", "token": token},
                        headers={"Sec-Fetch-Site": "none"})  # fmt: skip
    assert typed.status_code == 303
    assert client.get(f"/w/{wid}").headers["Referrer-Policy"] == "same-origin"


def test_each_server_has_its_own_token(tmp_path: Path) -> None:
    one, two = make_app(tmp_path), make_app(tmp_path)
    assert len(_token(one)) >= 40 and _token(one) != _token(two)
    response = two.test_client().post(
        "/open", data={"file": "shipped/gaozhu.toml", "token": _token(one)}
    )
    assert response.status_code == 403


# --------------------------------------------------------------------------- JSON bodies


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"[" * 100_000 + b"]" * 100_000, 400, "nested too deep"),
        (b'{"fields": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_001, 400, "nested too deep"),
        (
            b'{"fields": {"x": ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"}}",
            400,
            "nested too deep",
        ),
        (b'{"fields": {}, "pad": "' + b"x" * MAX_JSON_BYTES + b'"}', 413, "larger than"),
        (b'{"fields": {"sharing.cap": "\xff"}}', 400, "not UTF-8"),
        (b'{"fields": ', 400, "not valid JSON"),
    ],
    ids=["100000-deep", "5000-deep-object", "just-too-deep", "too-large", "not-utf8", "cut"],
)
def test_json_bodies_are_bounded(app: flask.Flask, body: bytes, status: int, words: str) -> None:
    client = app.test_client()
    wid = _wid(client)
    for endpoint in ("validate", "evaluate", "shares", "sweep", "figure/npv"):
        response = client.post(
            f"/w/{wid}/api/{endpoint}",
            data=body,
            content_type="application/json",
            headers={"X-Sim-Token": _token(app)},
        )
        assert response.status_code == status, (endpoint, response.get_data(as_text=True)[:300])
        assert words in response.json["error"]
