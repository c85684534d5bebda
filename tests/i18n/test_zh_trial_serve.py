"""The Chinese trial (issue 19) on ``sim serve`` and ``sim convert``: the lines they print
and the pages of a broken Chinese workbook are in the workbook's language (or --lang's),
a problem given by its cell as ``sim validate`` gives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.workbook.write import write_workbook

from .test_zh_trial import book, three_party

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

from sim.web import make_app  # noqa: E402  (after the Flask check)


def test_convert_says_what_it_wrote_in_the_workbook_s_language(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(book(tmp_path)), str(tmp_path / "s3.toml")])
    assert result.exit_code == 0, result.output
    assert "已写入" in result.output and "3 个参与方" in result.output
    assert "wrote" not in result.output and "parties" not in result.output


class _Stopped:
    server_port = 4321

    def serve_forever(self) -> None:
        raise KeyboardInterrupt

    def server_close(self) -> None:
        pass


@pytest.mark.parametrize("how", ["workbook", "lang"])
def test_serve_says_where_to_open_in_chinese(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.web

    apps = []
    monkeypatch.setattr(sim.web, "make_server", lambda app, h, p: apps.append(app) or _Stopped())
    monkeypatch.setattr(sim.web, "warm_up", lambda app: None)
    args = ["serve", str(book(tmp_path))] if how == "workbook" else ["serve", "--lang", "zh"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "请打开 http://127.0.0.1:4321/" in result.output and "已停止" in result.output
    assert "open http" not in result.output and "Ctrl-C to stop" not in result.output
    assert apps[0].extensions["sim"].lang == "zh"


def _client(app: flask.Flask) -> Any:
    client = app.test_client()
    client.environ_base["HTTP_X_SIM_TOKEN"] = app.extensions["sim"].guard.token
    return client


def test_a_broken_chinese_workbook_opened_from_the_list(tmp_path: Path) -> None:
    data = three_party()
    data["investment"]["equity"]["TN"] = 1.4
    (tmp_path / "bad.xlsx").write_bytes(write_workbook(data, "zh"))
    client = _client(make_app(tmp_path))
    response = client.post("/open", data={"file": "folder/bad.xlsx"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "参与方!E3" in page and "须在 [0, 1] 之内" in page  # the cell, as validate gives
    assert "<code>investment.equity.TN</code>" not in page
    listing = _client(make_app(tmp_path, lang="zh")).get("/open").get_data(as_text=True)
    assert "打开情景" in listing and "Open a scenario" not in listing
