"""Sensitivity analysis describes the uncertainty the sweep file declares.

Each estimate is checked against an independent one: a brute-force first-order index
(variance of the conditional mean) on a large sample drawn with numpy/scipy directly
from the declared distributions — choice weights and a 0.5 correlation included — and,
for Shapley effects, the closed form for a linear model with Gaussian inputs (Iooss &
Prieur 2019, §3.1).
"""

from __future__ import annotations

import json
import re
import shutil
from itertools import combinations
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from sim.cli import main
from sim.errors import ResultsError
from sim.sensitivity import read_sensitivity, sensitivity, shapley_effects
from sim.sweep.designs import values_at
from sim.sweep.run import evaluate_outputs
from sim.sweep.spec import load_sweep

from ..conftest import ROOT

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_sensitivity")

GAOZHU = ROOT / "scenarios" / "gaozhu.toml"
BATTERY = (
    '"firms.battery-plant.growth" = { dist = "triangular", low = 0.0, mode = 0.03, high = 0.08 }'
)
START = (
    '"firms.battery-plant.first_year" = { dist = "choice", values = [2025, 2026, 2027], '
    "weights = [0.5, 0.3, 0.2] }"
)
COMPLIANCE = '"sharing.compliance" = { dist = "uniform", low = 0.4, high = 1.0 }'
LINSHUI = (
    '"firms.linshui-cohort.growth" = { dist = "normal", mean = 0.05, sd = 0.02, '
    "low = -0.05, high = 0.15 }"
)
CORRELATION = """[sweep.correlation]
parameters = ["firms.battery-plant.growth", "firms.linshui-cohort.growth"]
matrix = [[1.0, 0.5], [0.5, 1.0]]
"""


def _sweep(tmp_path: Path, *lines: str, extra: str = "", name: str = "s.toml") -> Path:
    path = tmp_path / name
    body = "\n".join(lines)
    path.write_text(
        f'[sweep]\nbase = "{GAOZHU.as_posix()}"\nseed = 11\n[sweep.parameters]\n{body}\n{extra}',
        encoding="utf-8",
    )
    return path


def first_order(x: np.ndarray, y: np.ndarray, bins: int = 100) -> float:
    """Brute force ``Var(E[Y | X]) / Var(Y)``: exact groups for a discrete ``x``, else
    ``bins`` equal-count bins."""
    values = np.unique(x)
    if len(values) <= 20:
        groups = [x == v for v in values]
    else:
        edges = np.quantile(x, np.linspace(0, 1, bins + 1))
        idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
        groups = [idx == b for b in range(bins)]
    m = y.mean()
    return float(sum(g.mean() * (y[g].mean() - m) ** 2 for g in groups) / y.var())


def _triangular(u: np.ndarray) -> np.ndarray:
    return np.asarray(stats.triang(c=0.03 / 0.08, loc=0.0, scale=0.08).ppf(u))


def test_choice_weights_are_sampled_as_declared() -> None:
    spec = load_sweep(_write_tmp(START))
    u = np.array([[0.1], [0.49], [0.51], [0.79], [0.81], [0.99]])
    assert values_at(spec, u)[:, 0].tolist() == [2025, 2025, 2026, 2026, 2027, 2027]


def _write_tmp(*lines: str) -> Path:
    import tempfile

    return _sweep(Path(tempfile.mkdtemp()), *lines)


def test_sobol_first_order_matches_brute_force_with_choice_weights(tmp_path: Path) -> None:
    spec = load_sweep(_sweep(tmp_path, BATTERY, START, COMPLIANCE))
    result = sensitivity(spec, methods=("sobol",), n=4096)
    assert result.method == "sobol"
    rng = np.random.default_rng(3)
    m = 100_000
    x = np.column_stack(
        [
            _triangular(rng.random(m)),
            rng.choice([2025, 2026, 2027], size=m, p=[0.5, 0.3, 0.2]),
            rng.uniform(0.4, 1.0, m),
        ]
    )
    y = evaluate_outputs(spec, x)["npv"]
    table = result.sobol[result.sobol["output"] == "npv"]
    for i, party in enumerate(spec.scenario.party_ids):
        rows = table[table["party"] == party].set_index("parameter")
        for j, name in enumerate(spec.names):
            brute = first_order(x[:, j], y[:, i])
            found = rows.loc[name]
            assert abs(found["S1"] - brute) < max(found["S1_conf"], 0.015), (party, name)
    # the weights matter: uniform over the three years gives a different start-year index
    even = x.copy()
    even[:, 1] = rng.choice([2025, 2026, 2027], size=m)
    y_even = evaluate_outputs(spec, even)["npv"]
    sc = table[table["party"] == "SC"].set_index("parameter")
    found = sc.loc[spec.names[1]]
    assert abs(first_order(even[:, 1], y_even[:, 0]) - found["S1"]) > found["S1_conf"]


def test_shapley_effects_match_brute_force_with_a_half_correlation(tmp_path: Path) -> None:
    spec = load_sweep(_sweep(tmp_path, BATTERY, LINSHUI, extra=CORRELATION))
    result = sensitivity(spec, methods=("sobol",), n=2048)
    assert result.method == "shapley"
    assert [n.key for n in result.notes] == ["shapley_instead", "tornado_oat"]
    rng = np.random.default_rng(4)
    m = 100_000
    z = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=m)
    lo, hi = (-0.05 - 0.05) / 0.02, (0.15 - 0.05) / 0.02
    x = np.column_stack(
        [
            _triangular(stats.norm.cdf(z[:, 0])),
            stats.truncnorm(lo, hi, loc=0.05, scale=0.02).ppf(stats.norm.cdf(z[:, 1])),
        ]
    )
    y = evaluate_outputs(spec, x)["npv"]
    table = result.sobol[result.sobol["output"] == "npv"]
    for i, party in enumerate(spec.scenario.party_ids):
        s1 = [first_order(x[:, j], y[:, i]) for j in range(2)]
        # two inputs: Sh_1 = (1 + S1_1 − S1_2) / 2 with closed first-order indices
        brute = [(1 + s1[0] - s1[1]) / 2, (1 + s1[1] - s1[0]) / 2]
        found = table[table["party"] == party]["shapley_effect"].to_numpy()
        assert np.allclose(found, brute, atol=0.03), (party, found, brute)
        assert found.sum() == pytest.approx(1.0)


def _linear_gaussian_effects(beta: np.ndarray, sd: np.ndarray, corr: np.ndarray) -> np.ndarray:
    """Exact Shapley effects of ``Y = β·X``, ``X ~ N(0, diag(sd) corr diag(sd))``, from
    ``c(J) = β_J' Cov(X_J | X_{−J}) β_J`` over every subset."""
    cov = np.outer(sd, sd) * corr
    d = len(beta)

    def cost(free: tuple[int, ...]) -> float:
        if not free:
            return 0.0
        f, r = list(free), [j for j in range(d) if j not in free]
        cond = cov[np.ix_(f, f)]
        if r:
            cond = cond - cov[np.ix_(f, r)] @ np.linalg.solve(cov[np.ix_(r, r)], cov[np.ix_(r, f)])
        return float(beta[f] @ cond @ beta[f])

    total = float(beta @ cov @ beta)
    out = np.zeros(d)
    for i in range(d):
        others = [j for j in range(d) if j != i]
        for k in range(d):
            w = factorial(k) * factorial(d - k - 1) / factorial(d)
            for s in combinations(others, k):
                out[i] += w * (cost(tuple(sorted((*s, i)))) - cost(s))
    return out / total


def test_shapley_effects_linear_gaussian_closed_form() -> None:
    # Iooss & Prieur (2019), §3.1: Y = β1X1 + β2X2 + β3X3, X1 independent of (X2, X3)
    # with correlation ρ. Their closed form, with σ² = Var(Y):
    #   Sh1 = β1²σ1²/σ²,
    #   Sh2 = [β2²σ2²(1 − ρ²/2) + ρ²β3²σ3²/2 + ρβ2β3σ2σ3] / σ², and Sh3 symmetrically.
    beta, sd, rho = np.array([1.0, 1.0, 1.0]), np.array([1.0, 1.0, 2.0]), 0.5
    corr = np.array([[1, 0, 0], [0, 1, rho], [0, rho, 1.0]])
    var = (beta**2 * sd**2).sum() + 2 * rho * beta[1] * beta[2] * sd[1] * sd[2]
    b, s = beta * sd, sd
    closed = (
        np.array(
            [
                b[0] ** 2,
                b[1] ** 2 * (1 - rho**2 / 2) + rho**2 * b[2] ** 2 / 2 + rho * b[1] * b[2],
                b[2] ** 2 * (1 - rho**2 / 2) + rho**2 * b[1] ** 2 / 2 + rho * b[1] * b[2],
            ]
        )
        / var
    )
    assert np.allclose(closed, _linear_gaussian_effects(beta, s, corr))
    effects, found_var = shapley_effects(
        lambda z: (z * sd) @ beta[:, None], corr, n_var=40_000, n_outer=20_000, seed=2
    )
    assert np.allclose(effects[:, 0], closed, atol=0.02)
    assert found_var[0] == pytest.approx(var, rel=0.03)
    # a correlated input outside the model still gets an effect (Owen & Prieur 2017)
    eff, _ = shapley_effects(lambda z: z[:, :1], np.array([[1, 0.8], [0.8, 1.0]]),
                             n_var=20_000, n_outer=20_000, seed=3)  # fmt: skip
    assert eff[1, 0] > 0.2


def test_morris_with_a_lognormal_input_is_finite(tmp_path: Path) -> None:
    spec = load_sweep(
        _sweep(
            tmp_path, '"firms.battery-plant.output" = { dist = "lognormal", mu = 3.0, sigma = 0.4 }'
        )
    )
    result = sensitivity(spec, methods=("morris",), n=256)
    assert np.isfinite(result.morris[["mu_star", "sigma"]].to_numpy()).all()
    assert (result.morris["mu_star"] > 0).all()


def test_an_undefined_agreement_is_refused_not_nan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.sensitivity as module

    real = module.evaluate_outputs

    def sometimes_undefined(spec, values):  # type: ignore[no-untyped-def]
        out = real(spec, values)
        out["npv"][::7] = np.nan
        return out

    monkeypatch.setattr(module, "evaluate_outputs", sometimes_undefined)
    sweep = _sweep(tmp_path, BATTERY)
    with pytest.raises(ResultsError, match=r"undefined at .* sample points"):
        sensitivity(load_sweep(sweep), n=64)
    result = CliRunner().invoke(main, ["sensitivity", str(sweep), "--n", "64",
                                       "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code != 0 and "undefined" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


TEXT: list[str] = []


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("sens")
    sweep = _sweep(tmp, BATTERY, LINSHUI, COMPLIANCE, extra=CORRELATION)
    out = tmp / "out"
    result = CliRunner().invoke(main, ["sensitivity", str(sweep), "--n", "128", "--out", str(out)])
    assert result.exit_code == 0, result.output
    TEXT.append(result.output)
    return sweep, out


def test_the_text_says_what_each_table_is(stored: tuple[Path, Path]) -> None:
    text = TEXT[0]
    assert "{" not in text.splitlines()[0]  # runs in words, not a dict
    assert "model runs: " in text and " for Shapley effects, " in text
    titles = [line for line in text.splitlines() if line.startswith("NPV, ")]
    assert [t.split(" (")[0] for t in titles] == [
        "NPV, Shapley effects",
        "NPV, Morris screening",
        "NPV, tornado",
    ]
    assert "100m CNY" in titles[1] and "input at 5%" in text  # readable heads, not the CSV names


def _printed(text: str, title: str) -> list[tuple[str, list[float]]]:
    """The party and numbers of each row of the printed table under ``title``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title)) + 1
    at = lines[start].index("input")  # where the input's column starts
    rows: list[tuple[str, list[float]]] = []
    party = ""
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        party = line[:at].strip() or party
        numbers: list[float] = []
        for token in reversed(line[at:].split()):  # the numbers right of the input's name
            try:
                numbers.insert(0, float(token))
            except ValueError:
                break
        if not numbers:  # a note under the table
            break
        rows.append((party, numbers))
    return rows


def test_each_partys_inputs_are_printed_largest_first(stored: tuple[Path, Path]) -> None:
    spec, result, _ = read_sensitivity(stored[1])
    for title, size in (
        ("NPV, Shapley effects", lambda r: abs(r[0])),
        ("NPV, Morris screening", lambda r: abs(r[0])),
        ("NPV, tornado", lambda r: abs(r[3] - r[2])),
    ):
        rows = _printed(TEXT[0], title)
        assert len(rows) == 2 * len(spec.names), title
        for party in ("SC", "CQ"):
            sizes = [size(r) for p, r in rows if p == party]
            assert sizes == sorted(sizes, reverse=True), (title, party, sizes)
    # the stored tables keep the inputs in the sweep file's order
    assert list(result.morris[result.morris["output"] == "npv"]["parameter"])[
        : len(spec.names)
    ] == [*spec.names]


def test_folder_holds_inputs_and_every_output(stored: tuple[Path, Path]) -> None:
    sweep, out = stored
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["method"] == "shapley" and manifest["kind"] == "sensitivity"
    assert (out / "inputs" / "scenario.toml").read_text(encoding="utf-8") == GAOZHU.read_text(
        encoding="utf-8"
    )
    table = pd.read_csv(out / "shapley.csv")
    assert set(table["output"]) == {"npv", "gain_vs_source", "gain_vs_standalone"}
    assert np.isfinite(table["shapley_effect"]).all()
    conf = table["shapley_effect_conf"]  # 95% bootstrap half-widths, as S1_conf
    assert (conf >= 0).all() and (conf[table["output"] == "npv"] > 0).all()
    spec, result, changed = read_sensitivity(out)
    assert changed is None and result.method == "shapley"
    assert spec.names == load_sweep(sweep).names


def test_plot_draws_stored_indices_without_recomputing(
    stored: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.sensitivity as module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed")

    monkeypatch.setattr(module, "sensitivity", refuse)
    monkeypatch.setattr(module, "evaluate_outputs", refuse)
    _, out = stored
    for kind in ("tornado", "shapley", "morris"):  # correlated inputs: Shapley effects
        png = tmp_path / f"{kind}.png"
        result = CliRunner().invoke(main, ["plot", str(out), "--kind", kind, "--out", str(png)])
        assert result.exit_code == 0, result.output
        assert png.stat().st_size > 10_000
        assert "(SC's; --party for another: CQ)" in result.output
    other = tmp_path / "cq.png"
    args = ["plot", str(out), "--kind", "morris", "--party", "CQ", "--out", str(other)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "(CQ's;" in result.output
    assert other.read_bytes() != (tmp_path / "morris.png").read_bytes()
    result = CliRunner().invoke(main, [*args[:4], "--party", "XX", "--out", str(other)])
    assert result.exit_code == 2 and "parties: SC, CQ" in result.output


def test_figures_are_named_after_what_they_draw(
    stored: tuple[Path, Path], tmp_path: Path, blank_pictures: None
) -> None:
    """Correlated inputs: the variance is split by Shapley effects, so the figures are
    shapley-<party>, and --kind sobol says where they are."""
    _, out = stored
    result = CliRunner().invoke(main, ["report", str(out), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "r").glob("*.png"))
    assert "shapley-SC.png" in files and "shapley-CQ.png" in files
    assert not [f for f in files if f.startswith("sobol")]
    png = tmp_path / "sobol.png"
    result = CliRunner().invoke(main, ["plot", str(out), "--kind", "sobol", "--out", str(png)])
    assert result.exit_code == 2 and not png.exists()
    assert "inputs are correlated" in result.output and "--kind shapley" in result.output


def test_plot_sobol_of_independent_inputs_and_shapley_refused(tmp_path: Path) -> None:
    sweep = _sweep(tmp_path, BATTERY, COMPLIANCE)
    png = tmp_path / "s.png"
    args = ["plot", str(sweep), "--kind", "sobol", "--out", str(png)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, [*args[:3], "shapley", "--out", str(tmp_path / "h.png")])
    assert result.exit_code == 2 and "--kind sobol" in result.output


def test_report_of_a_sensitivity_folder_after_the_sweep_file_changed(
    stored: tuple[Path, Path], tmp_path: Path, blank_pictures: None
) -> None:
    sweep, out = stored
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    moved = tmp_path / "moved.toml"
    shutil.copy(sweep, moved)
    moved.write_text(moved.read_text(encoding="utf-8").replace("0.4", "0.5"), encoding="utf-8")
    manifest["sweep"]["file"] = str(moved)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for lang, words in (("en", "changed"), ("zh", "已被修改")):
        dest = tmp_path / f"report-{lang}"
        result = CliRunner().invoke(main, ["report", str(copy), "--lang", lang, "--out", str(dest)])
        assert result.exit_code == 0, result.output
        html = (dest / "report.html").read_text(encoding="utf-8")
        assert words in html
        assert html.count("<img") >= 6  # tornado, Shapley effects, Morris for each party


def test_the_gains_drivers_are_printed_and_reported(
    stored: tuple[Path, Path], tmp_path: Path
) -> None:
    """Per party and output (the gains included), the inputs with the largest Shapley
    effect, largest first — in the printout and as the report's first table."""
    from sim.sensitivity_tables import top_inputs

    _, out = stored
    _, result, _ = read_sensitivity(out)
    top = top_inputs(result)
    assert list(dict.fromkeys(zip(top["party"], top["output"], strict=True))) == [
        (p, o) for p in ("SC", "CQ") for o in ("npv", "gain_vs_source", "gain_vs_standalone")
    ]
    for _, group in top.groupby(["party", "output"]):
        assert list(group["rank"]) == [1, 2, 3]
        assert group["value"].is_monotonic_decreasing
    text = TEXT[0]
    assert "the 3 inputs with the largest Shapley effect" in text
    for party in ("SC", "CQ"):
        row = top[(top["party"] == party) & (top["output"] == "gain_vs_standalone")]
        first = row.iloc[0]
        line = next(x for x in text.splitlines() if x.startswith(f"{party}  ") and
                    "gain over standing alone" in x)  # fmt: skip
        assert f"{first['parameter']} {first['value']:.3f}" in line
    result = CliRunner().invoke(main, ["report", str(out), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    first_table = page.split("<caption>", 2)[1]
    assert "What drives each party" in first_table and "gain over standing alone" in first_table


def test_the_json_notes_follow_lang(tmp_path: Path) -> None:
    """`sim sensitivity --format json --lang zh` wrote its notes in English; the keys
    (ids) stay English, the notes are in the language asked."""
    sweep = str(ROOT / "scenarios" / "sweeps" / "gaozhu.toml")
    docs = {}
    for lang in ("en", "zh"):
        args = ["sensitivity", sweep, "--n", "8", "--method", "morris", "--format", "json"]
        result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / lang), "--lang", lang])
        assert result.exit_code == 0, result.output
        docs[lang] = json.loads(result.output)
    assert set(docs["en"]) == set(docs["zh"]) and "notes" in docs["zh"]
    assert docs["en"]["notes"] and len(docs["en"]["notes"]) == len(docs["zh"]["notes"])
    han = re.compile(r"[\u4e00-\u9fff]")
    for en, zh in zip(docs["en"]["notes"], docs["zh"]["notes"], strict=True):
        assert en != zh and han.search(zh) and not han.search(en)
