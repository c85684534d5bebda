"""`sim sweep export --to salib`: what SALib's problem dictionary can say is exported
exactly; what it cannot (discrete choices, correlations) is refused or, with
--approximate, written with a note of each approximation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.sweep.export import salib_problem
from sim.sweep.spec import load_sweep

from ..conftest import DATA

BASE = str(DATA / "co-built-park.toml")

EXACT = """
design = "montecarlo"
n = 40
seed = 3
rules = ["agreement"]
standalone = false
[sweep.parameters]
"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }
"firms.battery-plant.growth" = { dist = "triangular", low = 0.0, mode = 0.03, high = 0.08 }
"firms.auto-parts.output" = { dist = "normal", mean = 12.0, sd = 3.0, low = 4.0 }
"firms.machinery.output" = { dist = "lognormal", mu = 3.0, sigma = 0.2 }
"sharing.compliance" = { dist = "normal", mean = 0.8, sd = 0.1, low = 0.4, high = 1.0 }
"""

INEXPRESSIBLE = """
design = "montecarlo"
n = 40
seed = 3
rules = ["agreement"]
standalone = false
[sweep.parameters]
"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.12 }
"firms.machinery.growth" = { dist = "uniform", low = 0.0, high = 0.06 }
[sweep.parameters."firms.battery-plant.first_year"]
dist = "choice"
values = [2023, 2024, 2025]
weights = [0.5, 0.3, 0.2]
[sweep.correlation]
parameters = ["firms.battery-plant.growth", "firms.machinery.growth"]
matrix = [[1.0, 0.5], [0.5, 1.0]]
"""


def run(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(f'[sweep]\nbase = "{BASE}"\n{body}', encoding="utf-8")
    folder = tmp_path / "r"
    done = CliRunner().invoke(main, ["sweep", str(path), "--out", str(folder), "--quiet"])
    assert done.exit_code == 0, done.output
    return folder


def test_exact_export_draws_the_sweeps_own_values(tmp_path: Path) -> None:
    """SALib's own scaling of the exported problem gives the values the sweep's inverse
    CDFs give, parameter by parameter (uniform, triang, truncnorm with one and two ends,
    lognorm); nothing is approximated and no note is written."""
    from SALib.util import scale_samples

    folder = run(tmp_path, EXACT)
    result = CliRunner().invoke(main, ["sweep", "export", str(folder), "--to", "salib"])
    assert result.exit_code == 0, result.output
    assert "approximated" not in result.output
    out = folder / "export-salib"
    assert not (out / "NOTE.txt").exists()
    problem = json.loads((out / "salib_problem.json").read_text())
    assert problem["dists"] == ["unif", "triang", "truncnorm", "lognorm", "truncnorm"]
    u = np.random.default_rng(0).uniform(0.001, 0.999, (2000, problem["num_vars"]))
    theirs = scale_samples(u.copy(), problem)
    spec = load_sweep(tmp_path / "sweep.toml")
    for j, p in enumerate(spec.parameters):
        ours = p.distribution.ppf(u[:, j])
        np.testing.assert_allclose(theirs[:, j], ours, rtol=1e-9, atol=1e-12, err_msg=p.path)


@pytest.mark.parametrize(
    "args", [{"mean": 1.0, "sd": 0.5}, {"mean": 1.0, "sd": 0.5, "high": 1.2}], ids=["norm", "high"]
)
def test_normal_without_both_ends_is_exact(args: dict[str, float]) -> None:
    """A normal open at both ends is SALib's ``norm``; one open at its lower end is a
    ``truncnorm`` whose written end lies 40 sd away, which draws the same values."""
    from SALib.util import scale_samples

    from sim.sweep.spec import Distribution

    params = [{"path": "x", "distribution": "normal", "args": args, "values": []}]
    problem, approx = salib_problem(params)
    assert approx == []
    u = np.linspace(1e-6, 1 - 1e-6, 5001)
    theirs = scale_samples(u[:, None].copy(), problem)[:, 0]
    np.testing.assert_allclose(theirs, Distribution("normal", args).ppf(u), rtol=1e-9)


def test_inexpressible_sweep_is_refused_naming_each_reason(tmp_path: Path) -> None:
    folder = run(tmp_path, INEXPRESSIBLE)
    result = CliRunner().invoke(main, ["sweep", "export", str(folder), "--to", "salib"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "firms.battery-plant.first_year: a discrete choice of 2023 (50%), 2024 (30%)" in text
    assert "sweep.correlation: firms.battery-plant.growth and firms.machinery.growth" in text
    assert "correlation of 0.5" in text and "--approximate" in text
    assert "Traceback" not in result.output
    assert not (folder / "export-salib").exists()


def test_approximate_export_writes_and_prints_each_approximation(tmp_path: Path) -> None:
    folder = run(tmp_path, INEXPRESSIBLE)
    result = CliRunner().invoke(
        main, ["sweep", "export", str(folder), "--to", "salib", "--approximate"]
    )
    assert result.exit_code == 0, result.output
    out = folder / "export-salib"
    problem = json.loads((out / "salib_problem.json").read_text())
    assert problem["bounds"][2] == [2023, 2025] and problem["dists"][2] == "unif"
    note = (out / "NOTE.txt").read_text(encoding="utf-8")
    printed = [line for line in result.output.splitlines() if line.startswith("approximated:")]
    assert len(printed) == 2
    for line in printed:
        assert line.removeprefix("approximated: ") in note
    assert "written as a continuous uniform on [2023, 2025]" in note
    assert "written as independent inputs" in note


def test_triangular_peaking_at_its_top_is_an_approximation() -> None:
    params = [{"path": "x", "distribution": "triangular", "args": {"low": 0, "mode": 1, "high": 1}}]
    problem, approx = salib_problem(params)
    assert problem["bounds"][0][2] < 1 and [a.parameter for a in approx] == ["x"]


@pytest.mark.parametrize("kind", ["values", "choice"])
def test_every_discrete_parameter_is_an_approximation(kind: str) -> None:
    params = [{"path": "y", "distribution": kind, "args": {}, "values": [1.0, 2.0, 5.0]}]
    problem, approx = salib_problem(params, {"parameters": {"y": {"dist": kind}}})
    assert problem["bounds"] == [[1.0, 5.0]] and len(approx) == 1
    assert "SALib has no discrete distribution" in approx[0].why


def test_approximations_are_printed_in_chinese(tmp_path: Path) -> None:
    folder = run(tmp_path, INEXPRESSIBLE)
    result = CliRunner().invoke(
        main, ["sweep", "export", str(folder), "--to", "salib", "--approximate", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    printed = [line for line in result.output.splitlines() if line.startswith("近似处理：")]
    assert len(printed) == 2, result.output
    assert any("上的连续均匀分布" in line for line in printed), printed
    assert any("相互独立的输入" in line for line in printed), printed
    text = re.sub(r"[\w<>\[\]-]*[._][\w.<>\[\]-]*", " ", "\n".join(printed))  # key paths
    words = set(re.findall(r"[A-Za-z]{4,}", text))
    assert words <= {"SALib", "Spearman", "copula"}, words
    # the note file beside the problem stays in English, the same as without --lang
    note = (folder / "export-salib" / "NOTE.txt").read_text(encoding="utf-8")
    assert "written as a continuous uniform on [2023, 2025]" in note


def test_an_inexpressible_sweep_is_refused_in_chinese(tmp_path: Path) -> None:
    folder = run(tmp_path, INEXPRESSIBLE)
    args = ["sweep", "export", str(folder), "--to", "salib", "--lang", "zh"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    text = " ".join(result.output.replace(str(folder), " ").split())
    assert "SALib 的问题字典无法表达此扫描的 2 项内容" in text, text
    assert "firms.battery-plant.first_year：在 2023 (50%), 2024 (30%)" in text, text
    text = re.sub(r"[\w<>\[\]-]*[._][\w.<>\[\]-]*", " ", text)  # key paths
    assert set(re.findall(r"[A-Za-z]{4,}", text)) <= {"SALib", "copula", "approximate"}, text
