"""With three or more parties, "acceptable" pool shares are those that leave every party
*and every coalition* at least as well off as on its own (the core, as `sim game` says).
When none exist, the findings must say so, not that no shares leave every *party* as well
off as standing alone: the drafted shares may well do that, as the line before says."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import load_scenario
from sim.agreement import acceptable
from sim.briefing import findings
from sim.compare import compare

# three parties; the drafted 0.2:0.5:0.3 (cap, floors, a review, shared land, rebates)
# leaves each at least as well off as alone, but A and B together would do better
STRESS = """
[meta]
name = "three-no-core"
unit = "100m CNY"

[horizon]
start_year = 2021
years = 8
discount_rate = -0.03

[[parties]]
id = "A"
name = "Alpha"
retained_share = 0.8
rebate_share = 0.3
rebate_years = 3

[[parties]]
id = "B"
name = "Beta"
retained_share = 0.85

[[parties]]
id = "C"
name = "Gamma"
retained_share = 0.6
"""
FIRM = """
[[firms]]
id = "{id}"
party = "{party}"
introduced_by = "{by}"
first_year = {first}
output = {output}
growth = {growth}
ramp_years = {ramp}
value_added_ratio = {va}
vat_rate = 0.13
profit_margin = {margin}
cit_rate = {cit}
wage_ratio = {wages}
pit_rate = 0.03
surcharge_rate = 0.12
other_local_rate = 0.005
"""
REST = """
[[land_sales]]
party = "C"
year = 2028
area_mu = 1000
price = 0.003
cost_share = 0.5
rural_earmark = 0.1

[[land_sales]]
party = "A"
year = 2021
area_mu = 500
price = 0.003
cost_share = 0.5
rural_earmark = 0.1

[investment]
capex = { 2021 = 5.0, 2022 = 3.0 }
equity = { A = 0.4, B = 0.35, C = 0.25 }
return_rate = 0.05
payout_ratio = 0.8

[sharing]
rule = "fixed"
shares = { A = 0.2, B = 0.5, C = 0.3 }
scope = "all"
land = "shared"
incentives = "tax"
cap = 0.25
floors = { C = 0.3, A = 0.35 }
review = { party = "A", below = 0.0, after = 3, shares = { A = 0.5, B = 0.3, C = 0.2 } }
"""


def _scenario(tmp_path: Path) -> Path:
    firms = [
        dict(id="a1", party="A", by="A", first=2021, output=20.0, growth=0.03, ramp=1,
             va=0.25, margin=0.06, cit=0.25, wages=0.1),
        dict(id="b1", party="B", by="A", first=2022, output=30.0, growth=0.1, ramp=3,
             va=0.3, margin=0.08, cit=0.15, wages=0.09),
        dict(id="c1", party="C", by="B", first=2021, output=5.0, growth=0.02, ramp=1,
             va=0.3, margin=0.08, cit=0.15, wages=0.09),
    ]  # fmt: skip
    path = tmp_path / "three.toml"
    path.write_text(STRESS + "".join(FIRM.format(**f) for f in firms) + REST, encoding="utf-8")
    return path


@pytest.mark.parametrize(("lang", "coalition"), [("en", "coalition"), ("zh", "联盟")])
def test_no_acceptable_shares_among_three_names_coalitions(
    tmp_path: Path, lang: str, coalition: str
) -> None:
    scenario = load_scenario(_scenario(tmp_path))
    comparison = compare(scenario)
    row = comparison.row("agreement")
    assert (row.npv >= comparison.standalone).all()  # every party at least as well off as alone
    assert not acceptable(scenario).feasible  # but no shares are in the core
    lines = findings(scenario, comparison, lang)
    none = next(line for line in lines if "no pool shares" in line or "任何分成比例" in line)
    assert coalition in none, none
