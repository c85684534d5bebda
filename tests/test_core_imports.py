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
    """``sim`` and each of its packages has a layers contract that names each of its
    modules and packages, no more: a module on no layer escapes the contract."""
    import pkgutil
    import tomllib
    from pathlib import Path

    import sim

    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    linter = config["tool"]["importlinter"]
    assert linter["exclude_type_checking_imports"] is False  # type hints count
    contracts = {
        c["containers"][0]: c["layers"]
        for c in linter["contracts"]
        if c["type"] == "layers" and len(c.get("containers", ())) == 1
    }
    packages = {"sim": sim.__path__}
    packages |= {
        m.name: [str(Path(m.module_finder.path) / m.name.rsplit(".", 1)[-1])]  # type: ignore[union-attr]
        for m in pkgutil.walk_packages(sim.__path__, "sim.")
        if m.ispkg
    }
    assert len(packages) >= 15
    for package, path in packages.items():
        assert package in contracts, f"{package} has no layers contract"
        on_layers = {m.strip() for layer in contracts[package] for m in layer.split("|")}
        modules = {m.name for m in pkgutil.iter_modules(path)}
        assert modules - on_layers == set(), package  # on no layer: escapes the contract
        assert on_layers - modules == set(), package  # a layer naming a module that is gone
