"""A portfolio file's problems name its parties, parks and the fund's stakes by id
(``parks.wandakai.file``, ``fund.stakes.gaozhu.stake``), as a scenario file names its
firms; an item its id cannot name (missing, blank, malformed, taken; a stake of no
park) by its place, with the id's problem told there. The workbook finds each one's
cell by its row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.portfolio import PortfolioError, load_portfolio
from sim.portfolio.types import ROWS
from sim.schema.checks import indexed

from ..conftest import ROOT

CHENGYU = ROOT / "scenarios" / "portfolios" / "chengyu.toml"
SCENARIOS = ROOT / "scenarios"


def _chengyu(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """chengyu.toml with its park files found from ``tmp_path`` and ``edits`` made."""
    text = CHENGYU.read_text(encoding="utf-8").replace('file = "../', f'file = "{SCENARIOS}/')
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path)
    return [f"{p.where or p.path}: {p.reason}" for p in err.value.problems]


WANDAKAI = f'file = "{SCENARIOS}/wandakai.toml"'
STAKE = 'park = "wandakai"\nstake = 0.2'


def test_every_problem_names_its_item_by_its_id(tmp_path: Path) -> None:
    path = _chengyu(
        tmp_path,
        ('level = "province"\n\n[[parks]]', 'level = "state"\n\n[[parks]]'),  # CQ's
        ('{ SN = "SC", TN = "CQ" }', '{ SN = "SC", XX = "CQ" }'),
        (WANDAKAI, 'file = "nope.toml"'),
        (STAKE, 'park = "wandakai"\nstake = 1.5'),
    )
    got = _problems(path)
    assert [p.split(": ", 1)[0] for p in got] == [
        "parties.CQ.level",
        "parks.suitong.parties.XX",
        "parks.suitong.parties.TN",
        "parks.wandakai.file",
        "fund.stakes.wandakai.stake",
    ]
    assert f"parks.wandakai.file: {tmp_path / 'nope.toml'}: no such file" in got
    out = CliRunner().invoke(main, ["portfolio", "validate", str(path)])
    assert out.exit_code == 1 and "  parks.suitong.parties.XX: unknown party 'XX'" in out.output


@pytest.mark.parametrize(
    ("park_id", "why"),
    [
        (None, "parks[2].id: missing"),
        ('id = "  "', "parks[2].id: must not be empty"),
        ('id = "wan dakai"', "parks[2].id: must be a short id"),
        ('id = "gaozhu"', "parks[2].id: duplicate park id 'gaozhu'"),
    ],
)
def test_a_park_its_id_cannot_name_is_named_by_its_place(
    tmp_path: Path, park_id: str | None, why: str
) -> None:
    path = _chengyu(
        tmp_path,
        ('id = "wandakai"', park_id or ""),
        (WANDAKAI, 'file = "nope.toml"'),
    )
    got = _problems(path)
    assert any(p.startswith(why) for p in got), got
    assert f"parks[2].file: {tmp_path / 'nope.toml'}: no such file" in got
    stake = next(p for p in got if p.startswith("fund.stakes"))  # of no park declared
    assert stake.startswith("fund.stakes[1].park: unknown park 'wandakai' (known: gaozhu, ")
    assert stake.count("gaozhu") == 1 and "None" not in stake and "  " not in stake, stake


def test_a_stake_of_no_park_or_of_a_park_twice_is_named_by_its_place(tmp_path: Path) -> None:
    twice = f'{STAKE}\n\n[[fund.stakes]]\npark = "wandakai"\nstake = 2.0'
    path = _chengyu(tmp_path, ('park = "gaozhu"\nstake', 'park = "nowhere"\nstake'), (STAKE, twice))
    got = _problems(path)
    assert "fund.stakes[0].park: unknown park 'nowhere' (known: gaozhu, suitong, wandakai, " \
        "neirong)" in got  # fmt: skip
    assert "fund.stakes[2].park: duplicate park id 'wandakai'" in got
    assert any(p.startswith("fund.stakes[2].stake: must be in [0, 1)") for p in got), got
    assert not any(p.startswith("fund.stakes.") for p in got), got


# -- the workbook: each problem at its cell, found by its item's row ---------------------


def test_a_portfolio_s_items_by_their_rows() -> None:
    data = {
        "parties": [{"id": "SC"}, {"id": "CQ"}],
        "parks": [{"id": "gaozhu"}, {"id": "suitong"}],
        "fund": {"stakes": [{"park": "suitong"}, {"park": "gaozhu"}]},
    }
    assert indexed("parks.suitong.parties.XX", data, ROWS) == "parks[1].parties.XX"
    assert indexed("parties.CQ.level", data, ROWS) == "parties[1].level"
    assert indexed("fund.stakes.gaozhu.stake", data, ROWS) == "fund.stakes[1].stake"
    assert indexed("fund.shares.SC", data, ROWS) == "fund.shares.SC"
    assert indexed("parks.nowhere.file", data, ROWS) == "parks.nowhere.file"
    assert indexed("firms.gaozhu", data, ROWS) == "firms.gaozhu"  # not a portfolio's list


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "chengyu.xlsx"
    res = CliRunner().invoke(main, ["portfolio", "workbook", str(CHENGYU), str(out)])
    assert res.exit_code == 0, res.output
    return out


def _edited(book: Path, tmp_path: Path, cells: dict[str, object]) -> list[str]:
    wb = openpyxl.load_workbook(book)
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    wb.save(tmp_path / "p.xlsx")
    return _problems(tmp_path / "p.xlsx")


def test_a_workbooks_problems_land_on_their_items_cells(book: Path, tmp_path: Path) -> None:
    got = _edited(
        book,
        tmp_path,
        {
            "parties!D3": "state",  # CQ's level
            "parks!E3": "SN=SC, XX=CQ",  # suitong's parties
            "parks!D4": "nope.toml",  # wandakai's file
            "stakes!B3": 1.5,  # wandakai's stake
        },
    )
    assert [p.split(": ", 1)[0] for p in got] == [
        "parties!D3",
        "parks!E3",
        "parks!E3",
        "parks!D4",
        "stakes!B3",
    ]


def test_a_workbooks_park_named_by_its_place_or_a_dotted_id_lands_on_its_row(
    book: Path, tmp_path: Path
) -> None:
    got = _edited(
        book,
        tmp_path,
        {
            "parks!A3": "gaozhu.x",  # suitong renamed: gaozhu's id and more
            "parks!E3": "SN=SC, XX=CQ",
            "parks!A5": "gaozhu",  # neirong's id taken: named parks[3]
            "parks!E5": "NJ=SC, YY=CQ",
        },
    )
    assert [p.split(": ", 1)[0] for p in got] == [
        "parks!E3",
        "parks!E3",
        "parks!A5",
        *["parks!E5"] * 2,
    ]


def test_a_park_that_cannot_be_read_is_the_only_problem_told(tmp_path: Path) -> None:
    # a new user's missing Gaozhu file was followed by a fund error that was not one: the
    # other parks' years made the portfolio's horizon, and the fund's 2021 fell outside
    folder = ROOT / "scenarios" / "portfolios"
    text = (folder / "chengyu.toml").read_text(encoding="utf-8")
    broken = tmp_path / "p.toml"
    broken.write_text(
        text.replace('"../', f'"{folder.as_posix()}/../').replace("gaozhu.toml", "gone.toml"),
        encoding="utf-8",
    )
    with pytest.raises(PortfolioError) as info:
        load_portfolio(broken)
    paths = [p.path for p in info.value.problems]
    assert paths == ["parks.gaozhu.file"], paths
