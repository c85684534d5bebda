"""``sim serve``: a local web page to explore an agreement.

For officials who would rather move a slider than edit TOML: load a scenario (a
shipped one, one from the folder the server was started in, or an upload), edit the
agreement's terms and the main inputs in a form that validates as they type (with the
schema's messages beside the fields), and see ``sim compare``'s table, the gain by
clause, the findings and the report's figures update; move the pool share and see each
party's NPV against standing alone and whether the share is acceptable; switch
between English and Chinese; download the edited scenario as TOML and the report.

- :mod:`sim.web.form` — the editable fields, edits → scenario mapping, problems → fields;
- :mod:`sim.web.problems` — each problem's place on the form, label and words in the
  page's language;
- :mod:`sim.web.explore` — what the page shows, from the functions the commands use;
- :mod:`sim.web.workspace` — the files the server may read, uploads, loaded scenarios;
- :mod:`sim.web.asked` — what the application keeps and what a request asks of it;
- :mod:`sim.web.pages`, :mod:`sim.web.api`, :mod:`sim.web.errors` — the pages and
  downloads, the JSON endpoints the page calls, the error handlers;
- :mod:`sim.web.app` — the Flask application made of them;
- :mod:`sim.web.portfolio_view`, :mod:`sim.web.portfolio_results` and
  :mod:`sim.web.portfolio` — a portfolio's page: its edits, its results and statement,
  and its routes.

Flask is an optional dependency (``pip install -e '.[serve]'``); :func:`serve` says so
when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import SimError
from sim.i18n import Reason

if TYPE_CHECKING:
    from flask import Flask

    from sim.portfolio import Portfolio
    from sim.scenario import Scenario

__all__ = ["MissingFlaskError", "make_app", "make_server", "warm_up"]


class MissingFlaskError(SimError):
    """``sim serve`` needs the optional dependency Flask (``sim[serve]``)."""

    exit_code = 2


def make_app(
    root: str | Path = ".",
    scenario: Scenario | None = None,
    *,
    portfolio: Portfolio | None = None,
    **kwargs: Any,
) -> Flask:
    """The Flask application serving ``root`` (see :func:`sim.web.app.create_app`), with
    the pages of portfolios (:func:`sim.web.portfolio.register`; ``portfolio`` opens
    first, named ``kwargs["name"]``, in ``kwargs["lang"]`` or its file's language).

    Raises
    ------
    MissingFlaskError
        When Flask is not installed.
    """
    try:
        from sim.web.app import create_app
        from sim.web.portfolio import register
    except ImportError as exc:
        if exc.name not in ("flask", "werkzeug", "jinja2"):
            raise
        raise MissingFlaskError(
            "sim serve needs Flask: pip install -e '.[serve]' (or pip install 'flask>=3.1')"
        ) from None
    app = create_app(root, scenario=scenario, **kwargs)
    register(app, portfolio, kwargs.get("name", ""), kwargs.get("lang"))
    return app


def make_server(app: Flask, host: str, port: int) -> Any:
    """A threaded WSGI server for ``app`` on ``host:port`` (port 0: a free one); the app
    then answers to that address's own Host forms only (:class:`sim.web.guard.Hosts`).

    Raises
    ------
    ResultsError
        When the port cannot be had (in use, or not allowed).
    """
    import logging

    from werkzeug.serving import make_server as werkzeug_server

    from sim.errors import ResultsError
    from sim.web.guard import Hosts

    # a line per request would bury the address and any warning: errors only
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    try:
        server = werkzeug_server(host, port, app, threaded=True)
    except OSError as exc:
        why = Reason("cannot_listen", host=host, port=port, error=exc.strerror or exc)
        raise ResultsError(why) from None
    except SystemExit:  # werkzeug exits when the port is taken
        raise ResultsError(Reason("port_in_use", host=host, port=port)) from None
    app.extensions["sim"].guard.hosts = Hosts.of(host, server.server_port)
    return server


def warm_up(app: Flask) -> None:
    """Prepare the first page in the background (:func:`sim.web.app.warm_up`)."""
    import threading

    from sim.web.app import warm_up as prepare

    threading.Thread(target=prepare, args=(app,), name="sim-warm-up", daemon=True).start()
