"""One broken portfolio file per mistake (tests/data/invalid_portfolios): each states the
words its message must contain (``# expect: …``), its items named by id where the id
can name them (``parks.suitong.file``) and by their place where it cannot
(``parks[1].id: missing``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.portfolio import PortfolioError, load_portfolio

from ..conftest import DATA
from ..scenario.test_invalid_files import assert_told, expectations

INVALID = sorted((DATA / "invalid_portfolios").glob("*.toml"))


def test_there_are_broken_portfolio_files() -> None:
    assert len(INVALID) >= 8


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_message_names_the_item_the_key_and_reason(path: Path) -> None:
    assert_told(path, load_portfolio, PortfolioError, "portfolio")
    result = CliRunner().invoke(main, ["portfolio", "run", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("error: ") and expectations(path)[0] in result.output
