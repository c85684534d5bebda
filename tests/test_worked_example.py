"""The manual's hand-worked year (docs/money.md), and the reference example's NPVs."""

from __future__ import annotations

import pytest

from sim import load_scenario, run

from .conftest import REFERENCE, ROOT

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_worked_example")

# docs/money.md works out 2025 of the reference example by hand, firm by firm (section
# "A year worked by hand"). Each number below is printed there with 6 decimals.
FIRMS_2025 = {  # firm: (output, local tax, retained tax)
    "machinery": (22.510176, 0.722802, 0.578241),
    "auto-parts": (14.038303, 0.376395, 0.319936),
    "battery-plant": (69.984000, 2.079225, 1.767341),
    "logistics-hub": (15.900000, 0.524223, 0.419378),
}
PARTIES_2025 = {  # party: (source tax, tax under the agreement, dividends, net)
    "SC": (0.997620, 1.671601, 0.700000, 2.371601),
    "CQ": (2.087277, 1.413295, 0.700000, 2.113295),
}
POOL_2025 = 2.186719


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return run(load_scenario(REFERENCE))


def test_hand_worked_year_2025(result) -> None:  # type: ignore[no-untyped-def]
    t = 2025 - 2021
    for i, party in enumerate(result.parties):
        source, tax, dividends, net = PARTIES_2025[party]
        assert result.source_tax[0, i, t] == pytest.approx(source, abs=1e-6)
        assert result.tax[0, i, t] == pytest.approx(tax, abs=1e-6)
        assert result.dividends[0, i, t] == pytest.approx(dividends, abs=1e-12)
        assert result.net[0, i, t] == pytest.approx(net, abs=1e-6)
    pool = FIRMS_2025["battery-plant"][2] + FIRMS_2025["logistics-hub"][2]
    assert pool == pytest.approx(POOL_2025, abs=1e-6)


def test_hand_worked_firms_2025() -> None:
    from sim._reference import run_scalar  # noqa: F401  (the same arithmetic, firm by firm)
    from sim.model import batch_from_scenario, collect

    scenario = load_scenario(REFERENCE)
    collected = collect(batch_from_scenario(scenario))
    t = 2025 - 2021
    for j, firm in enumerate(scenario.firms):
        output, _local, retained = FIRMS_2025[firm.id]
        assert collected.output[0, j, t] == pytest.approx(output, abs=1e-6)
        assert collected.retained[0, j, t] == pytest.approx(retained, abs=1e-6)


def test_manual_prints_the_same_numbers() -> None:
    page = (ROOT / "docs" / "money.md").read_text(encoding="utf-8")
    for numbers in (*FIRMS_2025.values(), *PARTIES_2025.values(), (POOL_2025,)):
        for x in numbers:
            assert f"{x:.6f}" in page, f"docs/money.md lacks {x:.6f}"


def test_reference_example_npvs(result) -> None:  # type: ignore[no-untyped-def]
    # regression: SPEC's reference example under its own agreement
    assert result.npv[0].tolist() == pytest.approx(
        [18.930726165798724, 15.6538319514145], rel=1e-12
    )
