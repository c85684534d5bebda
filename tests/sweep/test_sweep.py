"""Sweeps: validation, designs, determinism across chunks and executors, resume, storage."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from sim.cli import main
from sim.errors import ResultsError, ScenarioError
from sim.sweep import execute
from sim.sweep.designs import sample
from sim.sweep.execute import read_results, run_sweep
from sim.sweep.run import apply_parameters, evaluate_agreement
from sim.sweep.spec import load_sweep, parse_sweep
from sim.sweep.summary import summarize

from ..conftest import DATA, ROOT, interrupt_sweep

INVALID = sorted((DATA / "invalid_sweeps").glob("*.toml"))
BASE = str(DATA / "co-built-park.toml")


def sweep_file(tmp_path: Path, body: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'[sweep]\nbase = "{BASE}"\n{body}', encoding="utf-8")
    return path


SMALL = """
design = "montecarlo"
n = 600
seed = 11
rules = ["agreement", "source", "shapley"]
[sweep.parameters]
"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.12 }
"horizon.discount_rate" = { dist = "triangular", low = 0.03, mode = 0.05, high = 0.08 }
"sharing.compliance" = { dist = "uniform", low = 0.3, high = 1.0 }
"sharing.shares.SC" = { dist = "uniform", low = 0.2, high = 0.8 }
"""


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_broken_sweep_files(path: Path, tmp_path: Path) -> None:
    expected = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    assert expected in str(info.value)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not out.exists()


def test_same_numbers_whatever_the_chunking(tmp_path: Path) -> None:
    path = sweep_file(tmp_path, SMALL)
    a = run_sweep(path, tmp_path / "a", chunk_size=600)
    b = run_sweep(path, tmp_path / "b", chunk_size=97)
    assert (a.chunks_total, b.chunks_total) == (1, 7)
    pd.testing.assert_frame_equal(read_results(a.folder), read_results(b.folder))


def test_same_numbers_with_worker_processes(tmp_path: Path) -> None:
    path = sweep_file(tmp_path, SMALL)
    local = run_sweep(path, tmp_path / "local", chunk_size=150)
    pool = run_sweep(path, tmp_path / "pool", chunk_size=150, executor="processes", workers=2)
    pd.testing.assert_frame_equal(read_results(local.folder), read_results(pool.folder))


def test_same_numbers_on_a_local_dask_cluster(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    path = sweep_file(tmp_path, SMALL)
    local = run_sweep(path, tmp_path / "local", chunk_size=200)
    dask = run_sweep(path, tmp_path / "dask", chunk_size=200, executor="dask", workers=2)
    pd.testing.assert_frame_equal(read_results(local.folder), read_results(dask.folder))
    for part in sorted((local.folder / "parts").glob("*.parquet")):
        other = dask.folder / "parts" / part.name
        pd.testing.assert_frame_equal(pd.read_parquet(part), pd.read_parquet(other))


def test_same_numbers_on_a_cluster_started_by_the_dask_commands(tmp_path: Path) -> None:
    """The README's recipe: `dask scheduler` and `dask worker` processes, and `sim sweep
    --executor dask --scheduler ADDRESS` writing into a folder the workers share."""
    pytest.importorskip("dask.distributed")
    dask_cli = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    if subprocess.run([*dask_cli, "--help"], capture_output=True).returncode != 0:
        pytest.skip("the dask scheduler command is not available")
    info = tmp_path / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [*dask_cli, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(info)], **quiet,
    )  # fmt: skip
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text(encoding="utf-8"))["address"]
        workers = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(info),
             "--nworkers", "2", "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
            **quiet,
        )  # fmt: skip
        from dask.distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        path = sweep_file(tmp_path, SMALL)
        local = run_sweep(path, tmp_path / "local", chunk_size=100)
        result = CliRunner().invoke(
            main,
            ["sweep", str(path), "--out", str(tmp_path / "cluster"), "--chunk-size", "100",
             "--executor", "dask", "--scheduler", address, "--quiet"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        pd.testing.assert_frame_equal(
            read_results(local.folder), read_results(tmp_path / "cluster")
        )
    finally:
        for proc in (workers, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_table_layout_and_manifest(tmp_path: Path) -> None:
    path = sweep_file(tmp_path, SMALL)
    out = run_sweep(path, tmp_path / "r", chunk_size=256)
    frame = read_results(out.folder)
    assert len(frame) == 600 * 3
    assert list(frame.columns[:8]) == [
        "scenario",
        "rule",
        "status",
        "reason",
        "firms.battery-plant.growth",
        "horizon.discount_rate",
        "sharing.compliance",
        "sharing.shares.SC",
    ]
    for p in ("SC", "CQ"):
        for col in ("npv", "gain_vs_source", "gain_vs_standalone"):
            assert f"{col}.{p}" in frame
    source = frame[frame.rule == "source"]
    assert np.all(source["gain_vs_source.SC"] == 0)
    # keyed rules always have a value; with compliance down to 0.3 the pool can be too
    # small to move the Shapley targets, which the status says
    assert set(frame[frame.rule != "shapley"]["status"]) == {"ok"}
    assert set(frame["status"]) <= {"ok", "target not reached"}
    # sharing only moves money: every agreement has the source position's total NPV
    totals = frame.assign(total=frame["npv.SC"] + frame["npv.CQ"]).pivot(
        index="scenario", columns="rule", values="total"
    )
    np.testing.assert_allclose(totals["agreement"], totals["source"], rtol=1e-9, atol=1e-9)
    manifest = json.loads((out.folder / "manifest.json").read_text())
    assert manifest["complete"] and manifest["rows"] == 1800
    assert manifest["sweep"]["seed"] == 11 and manifest["chunk_size"] == 256
    assert len(manifest["sweep"]["digest"]) == 64 and manifest["versions"]["numpy"]


def test_interrupted_in_process_then_resumed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sweep_file(tmp_path, SMALL)
    whole = run_sweep(path, tmp_path / "whole", chunk_size=100)
    folder = tmp_path / "cut"
    interrupt_sweep(monkeypatch, path, folder, at=3)
    parts = sorted(p.name for p in (folder / "parts").iterdir())
    assert parts == ["part-000000.parquet", "part-000001.parquet"]  # nothing half-written
    assert not json.loads((folder / "manifest.json").read_text())["complete"]
    with pytest.raises(ResultsError, match="add --resume"):
        run_sweep(path, folder, chunk_size=100)
    again = run_sweep(path, folder, resume=True)
    assert again.chunks_run == 4
    pd.testing.assert_frame_equal(read_results(folder), read_results(whole.folder))


def test_killed_sweep_resumes_to_the_uninterrupted_table(tmp_path: Path) -> None:
    body = SMALL.replace("n = 600", "n = 24000").replace(
        'rules = ["agreement", "source", "shapley"]', 'rules = ["agreement", "source"]'
    )
    path = sweep_file(tmp_path, body)
    folder = tmp_path / "killed"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "sweep",
            str(path),
            "--out",
            str(folder),
            "--chunk-size",
            "200",
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = list((folder / "parts").glob("part-*.parquet")) if folder.exists() else []
        if len(parts) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list((folder / "parts").glob("part-*.parquet")))
    assert 0 < done < 120, "the sweep should be cut mid-way"
    assert not json.loads((folder / "manifest.json").read_text())["complete"]
    result = CliRunner().invoke(
        main, ["sweep", str(path), "--out", str(folder), "--resume", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    whole = run_sweep(path, tmp_path / "whole", chunk_size=200)
    pd.testing.assert_frame_equal(read_results(folder), read_results(whole.folder))
    assert not [p for p in (folder / "parts").iterdir() if p.name.startswith(".")]


def test_a_folder_of_another_sweep_is_never_written(tmp_path: Path) -> None:
    first = sweep_file(tmp_path, SMALL, "first.toml")
    other = sweep_file(tmp_path, SMALL.replace("seed = 11", "seed = 12"), "other.toml")
    folder = tmp_path / "r"
    run_sweep(first, folder)
    before = {p.name: p.stat().st_mtime_ns for p in (folder / "parts").iterdir()}
    for path, resume, words in (
        (other, False, "different sweep"),
        (other, True, "different sweep"),
        (first, False, "already complete"),
    ):
        with pytest.raises(ResultsError, match=words):
            run_sweep(path, folder, resume=resume)
    assert {p.name: p.stat().st_mtime_ns for p in (folder / "parts").iterdir()} == before
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("mine")
    with pytest.raises(ResultsError, match="not empty"):
        run_sweep(first, tmp_path / "junk")


def test_cli_summary_and_exports(tmp_path: Path) -> None:
    path = sweep_file(tmp_path, SMALL)
    folder = tmp_path / "r"
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(folder)])
    assert result.exit_code == 0, result.output
    assert "P(all ≥ alone)" in result.output and "600 scenarios" in result.output
    again = CliRunner().invoke(main, ["sweep", "summary", str(folder), "--format", "json"])
    doc = json.loads(again.stdout)
    assert set(doc["rules"]) == {"agreement", "source", "shapley"}
    sc = doc["rules"]["agreement"]["parties"]["SC"]
    assert sc["npv_p5"] <= sc["npv_p50"] <= sc["npv_p95"]
    assert doc["rules"]["source"]["parties"]["SC"]["p_worse_than_source"] == 0.0
    assert doc == summarize(folder)
    ema = CliRunner().invoke(main, ["sweep", "export", str(folder), "--to", "ema"])
    assert ema.exit_code == 0
    x = pd.read_csv(folder / "export-ema" / "experiments.csv")
    y = pd.read_csv(folder / "export-ema" / "outcomes.csv")
    assert len(x) == len(y) == 1800
    assert {"scenario", "policy", "model", "sharing.compliance"} <= set(x.columns)
    CliRunner().invoke(main, ["sweep", "export", str(folder), "--to", "salib"])
    problem = json.loads((folder / "export-salib" / "salib_problem.json").read_text())
    assert problem["num_vars"] == 4 and problem["dists"][1] == "triang"
    assert problem["bounds"][0] == [0.0, 0.12]


def test_shipped_sweep_validates() -> None:
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "gaozhu.toml")
    assert spec.n == 10_000 and spec.correlation is not None


# --- designs -------------------------------------------------------------------------


def spec_with(body: str) -> object:
    import tomllib

    return parse_sweep(tomllib.loads(f'[sweep]\nbase = "{BASE}"\n{body}'), str(DATA / "s.toml"))


def test_lhs_fills_every_stratum_once() -> None:
    spec = spec_with("""design = "lhs"\nn = 500\nseed = 3
[sweep.parameters]
"sharing.compliance" = { dist = "uniform", low = 0.0, high = 1.0 }
"horizon.discount_rate" = { dist = "uniform", low = 0.0, high = 0.1 }""")
    x = sample(spec, 0, 500)  # type: ignore[arg-type]
    for col, width in ((0, 1.0), (1, 0.1)):
        strata = np.floor(x[:, col] / width * 500).astype(int)
        assert sorted(strata.tolist()) == list(range(500))


def test_sobol_points_are_balanced() -> None:
    spec = spec_with("""design = "sobol"\nn = 1024\nseed = 5
[sweep.parameters]
"sharing.compliance" = { dist = "uniform", low = 0.0, high = 1.0 }
"horizon.discount_rate" = { dist = "uniform", low = 0.0, high = 1.0 }""")
    x = sample(spec, 0, 1024)  # type: ignore[arg-type]
    for col in range(2):
        counts = np.histogram(x[:, col], bins=16, range=(0, 1))[0]
        assert np.all(counts == 64)  # each of 16 equal bins holds exactly n/16 points
    np.testing.assert_array_equal(sample(spec, 300, 400), x[300:400])  # type: ignore[arg-type]


def test_grid_is_the_full_factorial() -> None:
    spec = spec_with("""design = "grid"
[sweep.parameters]
"sharing.compliance" = [0.5, 1.0]
"horizon.discount_rate" = [0.03, 0.05, 0.08]""")
    x = sample(spec, 0, 6)  # type: ignore[arg-type]
    assert x.tolist() == [
        [0.5, 0.03],
        [0.5, 0.05],
        [0.5, 0.08],
        [1.0, 0.03],
        [1.0, 0.05],
        [1.0, 0.08],
    ]


def test_distribution_moments_and_correlation() -> None:
    spec = spec_with("""n = 200000\nseed = 9
[sweep.parameters]
"firms.machinery.growth" = { dist = "normal", mean = 0.05, sd = 0.02, low = 0.0, high = 0.2 }
"firms.auto-parts.growth" = { dist = "triangular", low = 0.0, mode = 0.03, high = 0.09 }
"firms.battery-plant.output" = { dist = "lognormal", mu = 4.0, sigma = 0.25 }
"firms.battery-plant.first_year" = { dist = "choice", values = [2023, 2024], weights = [3, 1] }
"sharing.compliance" = { dist = "uniform", low = 0.4, high = 1.0 }
[sweep.correlation]
kind = "rank"
parameters = ["sharing.compliance", "firms.auto-parts.growth"]
matrix = [[1.0, -0.6], [-0.6, 1.0]]""")
    x = sample(spec, 0, 200_000)  # type: ignore[arg-type]
    a, b = (0.0 - 0.05) / 0.02, (0.2 - 0.05) / 0.02
    assert x[:, 0].mean() == pytest.approx(stats.truncnorm.mean(a, b, 0.05, 0.02), abs=2e-4)
    assert x[:, 1].mean() == pytest.approx(0.04, abs=3e-4)
    assert x[:, 2].mean() == pytest.approx(np.exp(4.0 + 0.25**2 / 2), rel=3e-3)
    assert np.mean(x[:, 3] == 2023) == pytest.approx(0.75, abs=5e-3)
    assert x[:, 4].mean() == pytest.approx(0.7, abs=2e-3)
    assert x[:, 4].var() == pytest.approx(0.6**2 / 12, rel=2e-2)
    rho = stats.spearmanr(x[:, 4], x[:, 1]).statistic
    assert rho == pytest.approx(-0.6, abs=0.01)


def test_share_sweeps_keep_shares_summing_to_one() -> None:
    three = DATA / "three-party-shares.toml"
    import tomllib

    spec = parse_sweep(
        tomllib.loads(f"""[sweep]\nbase = "{three}"\nn = 50
[sweep.parameters]
"sharing.shares.SC" = {{ dist = "uniform", low = 0.0, high = 0.6 }}"""),
        str(DATA / "s.toml"),
    )
    values = sample(spec, 0, 50)
    _, terms = apply_parameters(spec, values)
    shares = terms["agreement"].params["shares"]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(shares[:, 0], values[:, 0])
    # the others keep their 0.3 : 0.5 proportion
    np.testing.assert_allclose(shares[:, 1] / shares[:, 2], 0.6, rtol=1e-12)


def test_sigterm_free_environment() -> None:
    # the kill test above relies on POSIX signals
    assert hasattr(os, "kill")


@pytest.mark.parametrize(
    "kind,args,reference",
    [
        (
            "triangular",
            {"low": 0.0, "mode": 0.03, "high": 0.09},
            lambda u: stats.triang.ppf(u, 1 / 3, loc=0.0, scale=0.09),
        ),
        (
            "normal",
            {"mean": 0.05, "sd": 0.02, "low": 0.0, "high": 0.2},
            lambda u: stats.truncnorm.ppf(u, -2.5, 7.5, loc=0.05, scale=0.02),
        ),
        ("normal", {"mean": 1.0, "sd": 2.0}, lambda u: stats.norm.ppf(u, 1.0, 2.0)),
        (
            "lognormal",
            {"mu": 4.0, "sigma": 0.25},
            lambda u: stats.lognorm.ppf(u, 0.25, scale=np.exp(4.0)),
        ),
    ],
)
def test_inverse_cdfs_match_scipy_stats(kind: str, args: dict, reference: object) -> None:  # type: ignore[type-arg]
    from sim.sweep.spec import Distribution

    u = np.random.default_rng(0).random(10_000)
    got = Distribution(kind, args=args).ppf(u)
    np.testing.assert_allclose(got, reference(u), rtol=1e-10, atol=1e-12)  # type: ignore[operator]


def test_summary_of_a_finished_sweep_is_complete(tmp_path: Path) -> None:
    out = run_sweep(sweep_file(tmp_path, SMALL), tmp_path / "r", chunk_size=256)
    stored = json.loads((out.folder / "summary.json").read_text())
    assert stored["complete"] is True and stored["scenarios_done"] == stored["n"] == 600
    assert summarize(out.folder)["complete"] is True


@pytest.mark.parametrize("keep", [0, 20_000, execute.KEEP_BYTES])
def test_the_summary_kept_in_memory_is_the_summary_read_back(
    keep: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a sweep keeps what its summary reads while it fits (here: none, some, all chunks)
    monkeypatch.setattr(execute, "KEEP_BYTES", keep)
    out = run_sweep(sweep_file(tmp_path, SMALL), tmp_path / "r", chunk_size=97)
    stored = json.loads((out.folder / "summary.json").read_text())
    assert stored == json.loads(json.dumps(summarize(out.folder)))  # read from the parts


def test_a_sweep_writes_and_summarises_without_pandas(tmp_path: Path) -> None:
    # pyarrow's array() and to_numpy() import pandas: a fifth of a second per process
    path = sweep_file(tmp_path, SMALL)
    code = (
        "import sys\n"
        "from sim.sweep.execute import run_sweep\n"
        "from sim.sweep.summary import summarize\n"
        f"out = run_sweep({str(path)!r}, {str(tmp_path / 'r')!r}, chunk_size=200)\n"
        "summarize(out.folder)\n"
        "print('pandas' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip() == "False", proc.stderr[-2000:]


def test_text_columns_keep_their_labels_through_parquet(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.sweep.columns import Coded, coded, numeric, to_arrow

    a = Coded(np.array([0, 1, 1], dtype=np.int32), ("", "no core"))
    b = Coded(np.array([1, 0], dtype=np.int32), ("", "undefined: ε < 0"))
    both = Coded.concat([a, b])
    expected = ["", "no core", "no core", "undefined: ε < 0", ""]
    assert [both.labels[c] for c in both.codes] == expected
    x = np.arange(10.0).reshape(5, 2)[:, 1]  # not contiguous
    pq.write_table(to_arrow({"reason": both, "x": x}), tmp_path / "t.parquet")
    table = pq.read_table(tmp_path / "t.parquet")
    back = coded(table.column("reason"))
    assert [back.labels[c] for c in back.codes] == [both.labels[c] for c in both.codes]
    np.testing.assert_array_equal(numeric(table.column("x")), x)
    plain = pa.chunked_array([pa.array(["b", "a"]), pa.array(["a"])])  # not dictionary-encoded
    again = coded(plain)
    assert [again.labels[c] for c in again.codes] == ["b", "a", "a"]


UNDEFINED_SWEEP = """
n = 200
seed = 3
rules = ["agreement", "nash"]
[sweep.parameters]
"investment.return_rate" = { dist = "uniform", low = 0.0, high = 0.3 }
"""


def test_undefined_rows_are_flagged_left_out_and_counted(tmp_path: Path) -> None:
    # alone each party would build 200 and earn its return: for high returns cooperating
    # is worth less than going alone, and Nash bargaining has no solution
    base = (DATA / "co-built-park.toml").read_text(encoding="utf-8")
    scenario = tmp_path / "alone.toml"
    scenario.write_text(
        base + "\n[cooperation]\nstandalone_capex = { SC = 200.0, CQ = 200.0 }\n", encoding="utf-8"
    )
    path = tmp_path / "sweep.toml"
    path.write_text(f'[sweep]\nbase = "{scenario}"\n{UNDEFINED_SWEEP}', encoding="utf-8")
    out = run_sweep(path, tmp_path / "r")
    frame = read_results(out.folder)
    nash = frame[frame.rule == "nash"]
    undefined = nash["status"] == "undefined"
    assert 0 < undefined.sum() < len(nash)
    assert (
        nash.loc[undefined, "npv.SC"].isna().all() and nash.loc[~undefined, "npv.SC"].notna().all()
    )
    entry = out.summary["rules"]["nash"]
    assert entry["undefined"] == int(undefined.sum()) and entry["scenarios"] == 200
    assert set(nash.loc[undefined, "reason"]) == {next(iter(entry["reasons"]["undefined"]))}
    assert "worth less than standing alone" in next(iter(entry["reasons"]["undefined"]))
    # statistics over the defined scenarios only: everyone gains over standing alone there
    assert entry["p_all_gain"] == 1.0
    assert out.summary["rules"]["agreement"]["undefined"] == 0
    text = CliRunner().invoke(main, ["sweep", "summary", str(out.folder)]).output
    assert f"nash: undefined in {int(undefined.sum())} of 200 scenarios" in text


def test_clause_shares_can_be_swept(tmp_path: Path) -> None:
    base = (DATA / "co-built-park.toml").read_text(encoding="utf-8")
    scenario = tmp_path / "clauses.toml"
    scenario.write_text(
        base.replace(
            'dividends = "equity"',
            'dividends = { rule = "fixed", shares = { SC = 0.5, CQ = 0.5 } }',
        ),
        encoding="utf-8",
    )
    body = (
        'design = "grid"\nrules = ["agreement", "shapley"]\n[sweep.parameters]\n'
        '"sharing.dividends.shares.SC" = [0.2, 0.8]\n'
    )
    path = tmp_path / "sweep.toml"
    path.write_text(f'[sweep]\nbase = "{scenario}"\n{body}', encoding="utf-8")
    frame = read_results(run_sweep(path, tmp_path / "r").folder)
    agreement = frame[frame.rule == "agreement"].set_index("sharing.dividends.shares.SC")
    # 0.6 more of every year's dividends to SC, and the same less to CQ
    moved = agreement.loc[0.8, "npv.SC"] - agreement.loc[0.2, "npv.SC"]
    assert moved > 0
    assert agreement.loc[0.8, "npv.CQ"] - agreement.loc[0.2, "npv.CQ"] == pytest.approx(-moved)
    # the Shapley rule inherits the swept clause: its targets do not move, its shares do
    shapley = frame[frame.rule == "shapley"].set_index("sharing.dividends.shares.SC")
    np.testing.assert_allclose(shapley.loc[0.8, "npv.SC"], shapley.loc[0.2, "npv.SC"], atol=1e-9)


def test_a_clause_that_is_not_fixed_has_no_shares_to_sweep(tmp_path: Path) -> None:
    body = '[sweep.parameters]\n"sharing.land.shares.SC" = [0.2, 0.8]\n'
    with pytest.raises(ScenarioError, match="land clause is 'source', not \"fixed\" shares"):
        load_sweep(sweep_file(tmp_path, body))


def test_validate_takes_sweep_files() -> None:
    result = CliRunner().invoke(
        main, ["validate", str(ROOT / "scenarios" / "sweeps" / "gaozhu.toml")]
    )
    assert result.exit_code == 0 and result.output.startswith("ok")


def test_a_base_that_cannot_be_read_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    path = tmp_path / "sweep.toml"
    path.write_text(
        '[sweep]\nbase = "folder"\n[sweep.parameters]\n"horizon.discount_rate" = [0.05]\n'
    )
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "sweep.base: cannot be read" in result.stderr


def test_a_sweep_splits_the_agreements_gain_by_clause(tmp_path: Path) -> None:
    body = (
        'n = 64\nseed = 5\nrules = ["agreement", "shapley"]\n[sweep.parameters]\n'
        '"sharing.compliance" = { dist = "uniform", low = 0.5, high = 1.0 }\n'
    )
    path = tmp_path / "sweep.toml"
    base = ROOT / "scenarios" / "gaozhu-clauses.toml"
    path.write_text(f'[sweep]\nbase = "{base}"\n{body}', encoding="utf-8")
    spec = load_sweep(path)
    assert spec.explain == ("tax", "investment", "compliance")  # compliance is swept
    out = run_sweep(path, tmp_path / "r")
    frame = read_results(out.folder)
    agreement = frame[frame.rule == "agreement"]
    parts = agreement.filter(like="decomposition.").filter(like=".SC").sum(axis=1)
    np.testing.assert_allclose(parts, agreement["gain_vs_source.SC"], atol=1e-9)
    assert frame[frame.rule == "shapley"].filter(like="decomposition.").isna().all().all()
    medians = out.summary["rules"]["agreement"]["decomposition_median"]
    assert set(medians) == {"tax", "investment", "compliance"}
    assert "statistics_share_median" in out.summary["rules"]["agreement"]
    # one feature, nothing to split: no columns unless asked for
    plain = sweep_file(tmp_path, 'n = 8\n[sweep.parameters]\n"horizon.discount_rate" = [0.05]\n')
    assert load_sweep(plain).explain == ()


def test_a_sweep_file_edited_between_runs_is_read_afresh(tmp_path: Path) -> None:
    """One process, one path, two contents: the second run is of the second content (a
    cache by path alone once gave the first run's numbers again)."""
    path = sweep_file(tmp_path, SMALL)
    first = run_sweep(path, tmp_path / "a")
    path.write_text(path.read_text(encoding="utf-8").replace("seed = 11", "seed = 12"))
    second = run_sweep(path, tmp_path / "b")
    a, b = read_results(first.folder), read_results(second.folder)
    assert not np.array_equal(a["npv.SC"].to_numpy(), b["npv.SC"].to_numpy())
    execute._spec.cache_clear()  # a worker that starts after the edit refuses it
    with pytest.raises(ResultsError, match="changed while the sweep ran"):
        execute._spec(str(path.resolve()), load_sweep(sweep_file(tmp_path, SMALL, "o.toml")).digest)


@pytest.mark.parametrize("clause", ["floors", "cap"])
def test_fair_rules_with_floors_or_a_cap_in_a_sweep_of_many(clause: str, tmp_path: Path) -> None:
    """Resolving a fair-division rule on the model (floors or a cap make it piecewise)
    for many scenarios at once once failed on the rule's parameters written once; each
    row must be what that scenario gives alone."""
    text = (ROOT / "scenarios" / "chuanzhe-6-4-floor.toml").read_text(encoding="utf-8")
    if clause == "cap":
        text = text.replace("[sharing]\n", "[sharing]\ncap = 0.01\n", 1)
    base = tmp_path / "base.toml"
    base.write_text(text, encoding="utf-8")
    path = tmp_path / "s.toml"
    path.write_text(
        f'[sweep]\nbase = "{base}"\ndesign = "grid"\nrules = ["agreement", "shapley"]\n'
        '[sweep.parameters]\n"horizon.discount_rate" = [0.03, 0.05, 0.08]\n',
        encoding="utf-8",
    )
    frame = read_results(run_sweep(path, tmp_path / "out").folder)
    spec = load_sweep(path)
    for i, rate in enumerate([0.03, 0.05, 0.08]):
        alone = evaluate_agreement(spec, np.array([[rate]]), "shapley")[0][0]
        row = frame[(frame["scenario"] == i) & (frame["rule"] == "shapley")]
        got = row.filter(like="npv.").to_numpy()[0]
        np.testing.assert_allclose(got, alone, rtol=1e-9, atol=1e-9)


def test_the_summary_holds_no_column_of_every_row(tmp_path: Path) -> None:
    # what the summary keeps of a chunk: where each agreement's rows are (a range), the
    # rows that are not ok; columns are read one at a time, each agreement's rows copied
    from sim.sweep.summary import _Piece, _Rows

    out = run_sweep(sweep_file(tmp_path, SMALL), tmp_path / "r", chunk_size=200)
    piece = _Piece(None, out.folder / "parts" / "part-000000.parquet")
    assert all(isinstance(r, slice) for r in piece.rules.values())
    assert [r.stop - r.start for r in piece.rules.values()] == [200, 200, 200]
    assert len(piece.flagged) == len(piece.flag) < 200
    rows = _Rows([piece], [piece.rules["shapley"]])
    column = rows["npv.SC"]
    assert len(column) == 200 and column.base is None  # its own copy, not the part's buffer
