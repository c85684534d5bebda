"""The core imports only numpy and scipy: no plotting, CLI or table libraries."""

from __future__ import annotations

import subprocess
import sys


def test_core_does_not_load_matplotlib_click_or_pandas() -> None:
    code = (
        "import sys, sim.model, sim.rules, sim.scenario, sim.compare, sim.agreement;"
        "import sim.games.nucleolus;"
        "sim.scenario.load('scenarios/gaozhu.toml');"  # a workbook reader only for workbooks
        "bad = [m for m in ('matplotlib', 'click', 'pandas', 'openpyxl') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
