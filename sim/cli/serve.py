"""``sim serve``: the local web page."""

from __future__ import annotations

from pathlib import Path

import click

from sim import i18n
from sim.cli.group import (
    SimPath,
    _load,
    debug_option,
    echo,
    lang_option,
    main,
)


@main.command()
@click.argument("file", required=False, type=SimPath(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. Only this machine can reach the default; any other "
    "(e.g. 0.0.0.0) lets others on the network in, with a warning.",
)
@lang_option
@debug_option
def serve(file: str | None, port: int, host: str, lang: str) -> None:
    """A local web page to explore an agreement: FILE (optional) opened first.

    Edit the agreement's terms (rule, shares, scope, window, compliance, floors, cap,
    review, every other clause), the alternatives and every input table (firms, land
    sales, investment and equity) in a form that checks as you type, each message
    beside its field; see `sim compare`'s table, where each party's
    gain comes from and the report's figures update; move the pool share and see each
    party's NPV against standing alone and whether the share is acceptable; sweep one
    input over a range in the background (with progress, cancellable); switch
    English/中文 (a Chinese workbook opens in Chinese); download the edited scenario
    (TOML or workbook), the report (HTML or Word) and its tables (xlsx).

    FILE may be a portfolio (`sim portfolio`, TOML or workbook): its page shows the
    consolidated results, the package deal and a year's settlement statement, with
    each park's pool shares and the fund's key figures to edit, and downloads the
    statement (xlsx, Word).

    \b
      pip install -e '.[serve]'            once: installs Flask
      sim serve scenarios/gaozhu.toml      then open http://127.0.0.1:8765
      sim serve --port 9000                start from the list of scenarios
      sim serve scenarios/portfolios/chengyu.toml   a portfolio's page

    The page can open the shipped scenarios and the .toml/.xlsx files in this folder
    (and one folder down), or an uploaded file (at most 10 MB). The server reads
    nothing but those, and writes nothing outside this folder: it keeps edits in
    memory and writes only short-lived temporary files here (an upload being read, a
    report being made). Ctrl-C stops it.
    """
    from sim.portfolio import load_portfolio
    from sim.portfolio.report import is_portfolio
    from sim.web import make_app, make_server, warm_up
    from sim.web.guard import is_loopback

    # a portfolio file or workbook opens the portfolio's page (docs/serve.md)
    portfolio = load_portfolio(file) if file is not None and is_portfolio(file) else None
    scenario = _load(file) if file is not None and portfolio is None else None
    local = is_loopback(host)
    app = make_app(
        Path.cwd(),
        scenario,
        portfolio=portfolio,
        name=file or "",
        loader=_load,  # files opened and uploaded on the page load as every command's do
        lang=lang,
    )
    server = make_server(app, host, port)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{server.server_port}/"
    if not local:
        echo(
            i18n.t("serve_exposed", lang, host=host, port=server.server_port, folder=Path.cwd()),
            err=True,
        )
    echo(i18n.t("serve_open", lang, url=url, folder=Path.cwd()))
    warm_up(app)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("\n" + i18n.t("serve_stopped", lang))
    finally:
        server.server_close()
