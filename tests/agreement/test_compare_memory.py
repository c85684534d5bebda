"""`sim compare` estimates the memory of the cooperative game before building it and
refuses beyond a limit; running out of memory anyway is a clean exit 2."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from click.testing import CliRunner

import sim.compare  # noqa: F401  (loaded, to patch it in sys.modules)
from sim.agreement.memory import BASE_BYTES, game_memory, parse_bytes
from sim.cli import main
from sim.scenario import parse

from ..conftest import ROOT

GAOZHU = str(ROOT / "scenarios" / "gaozhu.toml")


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_a_game_beyond_the_limit_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*_: Any, **__: Any) -> None:
        raise AssertionError("the comparison ran")

    monkeypatch.setattr(sys.modules["sim.compare"], "compare", never)
    out = invoke("compare", GAOZHU, "--max-memory", "10MB")
    assert out.exit_code == 2 and out.stdout == ""
    assert "2^2 coalitions, estimated to need 120 MB" in out.stderr
    assert "more than the limit of 10 MB (--max-memory)" in out.stderr
    assert "raise it with --max-memory" in out.stderr and "Traceback" not in out.stderr
    both = invoke("compare", GAOZHU, GAOZHU, "--max-memory", "10MB")
    assert both.exit_code == 2 and "estimated to need" in both.stderr


def test_the_default_limit_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.agreement.memory as memory

    monkeypatch.setattr(memory, "default_memory_limit", lambda: 2**20)
    out = invoke("compare", GAOZHU)
    assert out.exit_code == 2
    assert "limit of 1 MB (the default, 75% of the memory this process can get)" in out.stderr


def test_within_the_limit_the_comparison_runs() -> None:
    out = invoke("compare", GAOZHU, "--max-memory", "1GB")
    assert out.exit_code == 0 and "shapley" in out.stdout


@pytest.mark.parametrize("size", ["3x", "0", "-1GB", "GB", "inf"])
def test_a_size_that_is_not_one_is_bad_input(size: str) -> None:
    out = invoke("compare", GAOZHU, "--max-memory", size)
    assert out.exit_code == 2 and "--max-memory" in out.stderr and "not a size" in out.stderr


def test_running_out_of_memory_is_exit_2_naming_what_ran_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exhausted(*_: Any, **__: Any) -> None:
        raise MemoryError

    monkeypatch.setattr(sys.modules["sim.compare"], "compare", exhausted)
    out = invoke("compare", GAOZHU, "--max-memory", "1TB")
    assert out.exit_code == 2 and "Traceback" not in out.stderr
    assert "out of memory: `sim compare` needed more memory than this process could get" in (
        out.stderr
    )
    assert "memory available" in out.stderr and "nothing was written" in out.stderr


def _parties(n: int, firms: int) -> Any:
    ids = [f"P{i}" for i in range(n)]
    firm = {
        "existing": False,
        "first_year": 2021,
        "output": 10.0,
        "growth": 0.0,
        "ramp_years": 1,
        "value_added_ratio": 0.25,
        "vat_rate": 0.13,
        "profit_margin": 0.06,
        "cit_rate": 0.15,
        "wage_ratio": 0.08,
        "pit_rate": 0.03,
        "surcharge_rate": 0.12,
        "other_local_rate": 0.005,
    }
    return parse(
        {
            "meta": {"name": "n"},
            "horizon": {"start_year": 2021, "years": 2, "discount_rate": 0.05},
            "parties": [{"id": p, "retained_share": 0.8} for p in ids],
            "firms": [
                firm | {"id": f"f{j}", "party": ids[j % n], "introduced_by": ids[0]}
                for j in range(firms)
            ],
            "sharing": {"rule": "source"},
        }
    )


def test_the_estimate_grows_as_two_to_the_parties_and_with_the_firms() -> None:
    # regression: the formula of sim.agreement.memory (measured against peaks in the README)
    assert game_memory(_parties(20, 60)) - BASE_BYTES == int(1.1 * (1 << 20) * 60 * 21)
    assert game_memory(_parties(20, 2)) - BASE_BYTES == 56 * (1 << 20) * 20  # the solvers
    assert game_memory(_parties(18, 60)) < game_memory(_parties(20, 60))
    assert game_memory(_parties(20, 30)) < game_memory(_parties(20, 60))
    assert game_memory(_parties(21, 60)) == 0  # beyond 20 parties the game is not built


def test_sizes() -> None:
    assert parse_bytes("4GB") == 4 * 2**30 and parse_bytes("1.5g") == 3 * 2**29
    assert parse_bytes("100000") == 100_000 and parse_bytes("64 KB") == 65536
