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


def test_every_module_of_sim_stands_on_a_layer_of_the_import_contract() -> None:
    import pkgutil
    import tomllib
    from pathlib import Path

    import sim

    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    linter = config["tool"]["importlinter"]
    assert linter["exclude_type_checking_imports"] is False  # type hints count
    (flow,) = (c for c in linter["contracts"] if c.get("containers") == ["sim"])
    on_layers = {m.strip() for layer in flow["layers"] for m in layer.split("|")}
    modules = {m.name for m in pkgutil.iter_modules(sim.__path__)}
    assert modules - on_layers == set()  # a module on no layer escapes the contract
    assert on_layers - modules == set()  # a layer naming a module that is gone
