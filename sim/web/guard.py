"""What a request must be for ``sim serve`` to act on it.

- **Addressed to this server.** The ``Host`` header must be one of the server's own
  forms (:class:`Hosts`): the address it listens on with its port (an IPv6 address in
  brackets, ``[::1]:8765``), and ``localhost`` when that address is a loopback one. A
  page on another site whose name was made to resolve to this machine (DNS
  rebinding) sends its own name and is refused with a 400. A server listening on
  every interface (``0.0.0.0``, ``::``) also answers to any address written as an IP
  literal and to this machine's names: a rebinding page cannot send those.
- **Sent by the server's own page.** Every request that can change what the server
  keeps or does (any method but GET, HEAD and OPTIONS: opening, uploading, the page's
  endpoints, sweeps, downloads) must carry the server's token (:attr:`Guard.token`,
  random per server, written into the page; the ``X-Sim-Token`` header or the
  ``token`` form field), must not come from another site (``Sec-Fetch-Site``
  ``same-origin`` or ``none``), and must name this server as its ``Origin`` when it
  names one. Otherwise a 403 says which.
- **A bounded JSON body.** At most :data:`MAX_JSON_BYTES`, nested at most
  :data:`MAX_DEPTH` deep (:func:`json_body`).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from flask import abort, request

from sim.i18n import Reason

__all__ = [
    "MAX_DEPTH",
    "MAX_JSON_BYTES",
    "SAFE_METHODS",
    "TOKEN_FIELD",
    "TOKEN_HEADER",
    "Guard",
    "Hosts",
    "is_loopback",
    "json_body",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing the server keeps: no token asked."""
TOKEN_HEADER = "X-Sim-Token"
TOKEN_FIELD = "token"
MAX_JSON_BYTES = 1_000_000
"""Largest JSON body of the page's endpoints [bytes] (the page sends a few kB)."""
MAX_DEPTH = 16
"""Deepest nesting of a JSON body (the page sends 3 levels)."""


def _split(header: str) -> tuple[str, int | None] | None:
    """``host[:port]`` → (host, port or ``None``); ``None`` when it is not that form."""
    if header.startswith("["):
        end = header.find("]")
        if end < 0:
            return None
        name, rest = header[: end + 1], header[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text_ = header.partition(":")
        if ":" in port_text_:
            return None  # an IPv6 address without brackets is not a Host
        port_text = port_text_ if colon else None
    if port_text is None:
        return name, None
    if not port_text.isascii() or not port_text.isdigit() or len(port_text) > 5:
        return None
    return name, int(port_text)


def _literal(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address written in ``name`` (an IPv6 one in brackets), or ``None``."""
    if name.startswith("[") and name.endswith("]"):
        try:
            return ipaddress.IPv6Address(name[1:-1])
        except ValueError:
            return None
    try:
        return ipaddress.IPv4Address(name)
    except ValueError:
        return None


def _machine_names() -> set[str]:
    names = {"localhost"}
    for name in (socket.gethostname(), socket.getfqdn()):
        if name:
            names.add(name.lower())
    return names


def is_loopback(host: str) -> bool:
    """Whether ``--host host`` keeps the server to this machine (127.0.0.0/8, ::1,
    localhost)."""
    name = host.strip().lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Hosts:
    """The ``Host`` header values a server answers to."""

    names: frozenset[str]
    """Host names and IP literals (lowercase, IPv6 in brackets)."""
    port: int
    any_literal: bool = False
    """Every IP literal too (a server listening on every interface)."""

    @classmethod
    def of(cls, host: str, port: int) -> Hosts:
        """The forms of a server listening on ``host`` (an address or a name) and
        ``port``."""
        name = host.strip().lower()
        try:
            ip = ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            names = {name}
            if name == "localhost":
                names |= {"127.0.0.1", "[::1]"}
            return cls(frozenset(names), port)
        if ip.is_unspecified:
            return cls(frozenset(_machine_names()), port, any_literal=True)
        own = f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
        names = {own, "localhost"} if ip.is_loopback else {own}
        return cls(frozenset(names), port)

    def accepts(self, header: str) -> bool:
        """Whether the ``Host`` header ``header`` names this server."""
        split = _split(header.strip().lower())
        if split is None:
            return False
        name, port = split
        if (port if port is not None else 80) != self.port:
            return False
        if name in self.names:
            return True
        ip = _literal(name)
        if ip is None:
            return False
        own = f"[{ip.compressed}]" if ip.version == 6 else ip.compressed
        return own in self.names or self.any_literal

    def describe(self) -> str:
        """The forms accepted, for a message."""
        shown = sorted(f"{n}:{self.port}" for n in self.names)
        if self.any_literal:
            shown.append(f"any IP address:{self.port}")
        return ", ".join(shown)


class Guard:
    """The checks of every request (a ``before_request`` hook: :meth:`check`)."""

    def __init__(self, hosts: Hosts) -> None:
        self.hosts = hosts
        """Replaced by :func:`sim.web.make_server` once the port is known."""
        self.token = secrets.token_urlsafe(32)

    def check(self) -> None:
        """Abort with a 400 (not this server) or a 403 (not from its own page)."""
        host = request.environ.get("HTTP_HOST", "")
        if not self.hosts.accepts(host):
            abort(400, Reason("page_host", host=repr(host[:100]), hosts=self.hosts.describe()))
        if request.method in SAFE_METHODS:
            return
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None and site not in ("same-origin", "none"):
            abort(403, Reason("page_other_site", site=site[:40]))
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{host}":
            abort(403, Reason("page_origin", origin=repr(origin[:100]), own=f"http://{host}"))
        sent = request.headers.get(TOKEN_HEADER)
        if sent is None and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            sent = request.form.get(TOKEN_FIELD)
        if not sent or not hmac.compare_digest(sent.encode(), self.token.encode()):
            abort(403, Reason("page_token"))


def _depth(value: Any) -> int:
    """How deep ``value`` nests (a scalar: 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def json_body() -> Any:
    """The request's JSON, bounded: 415 unless JSON, 413 above :data:`MAX_JSON_BYTES`,
    400 when not valid UTF-8 JSON or nested deeper than :data:`MAX_DEPTH`.

    Python's parser has no depth limit of its own: past the interpreter's recursion
    limit it raises ``RecursionError``, which is caught here as too deep."""
    if not request.is_json:
        abort(415, Reason("json_type"))
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort(413, Reason("json_large", most=f"{MAX_JSON_BYTES:,}"))
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        abort(413, Reason("json_large", most=f"{MAX_JSON_BYTES:,}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        abort(400, Reason("json_utf8", at=exc.start))
    try:
        value = json.loads(text)
    except RecursionError:
        abort(400, Reason("json_deep", most=MAX_DEPTH))
    except ValueError as exc:
        abort(400, Reason("json_invalid", error=str(exc)[:200]))
    if _depth(value) > MAX_DEPTH:
        abort(400, Reason("json_deep", most=MAX_DEPTH))
    return value
