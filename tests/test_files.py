"""Every output is written aside and claimed atomically; nothing of the user's is replaced."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.files
from sim import load_scenario, run
from sim.cli import main
from sim.csv_safe import safe_cell
from sim.errors import ResultsError
from sim.files import MARKER, dumps, new_file, new_folder, rename_noreplace
from sim.store import write_run

from .conftest import REFERENCE, ROOT

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_files")


def test_failure_inside_leaves_no_folder(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    with pytest.raises(RuntimeError), new_folder(dest) as tmp:
        (tmp / "half.csv").write_text("a,b\n1,")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_leaves_the_old_results_intact(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    scenario = load_scenario(REFERENCE)
    write_run(dest, scenario, run(scenario))
    before = (dest / "flows.csv").read_bytes()
    with pytest.raises(KeyboardInterrupt), new_folder(dest, force=True) as tmp:
        (tmp / "flows.csv").write_text("partial")
        raise KeyboardInterrupt
    assert (dest / "flows.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_folder_that_appears_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    with pytest.raises(ResultsError, match="exists"), new_folder(dest, force=True) as tmp:
        (tmp / "flows.csv").write_text("sim's")
        dest.mkdir()
        (dest / "mine.txt").write_text("the user's")  # appears while sim works
    assert (dest / "mine.txt").read_text() == "the user's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_empty_folder_is_used_and_a_filled_one_refused(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()  # made by the user beforehand: nothing in it can be lost
    with new_folder(dest) as tmp:
        (tmp / "a").write_text("x")
    assert (dest / "a").read_text() == "x"
    other = tmp_path / "other"
    with pytest.raises(ResultsError), new_folder(other) as tmp:
        (tmp / "a").write_text("x")
        other.mkdir()
        (other / "theirs").write_text("y")  # filled meanwhile
    assert [p.name for p in other.iterdir()] == ["theirs"]


def test_force_replaces_only_what_sim_wrote(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "notes.txt").write_text("keep me")
    with pytest.raises(ResultsError, match="not written by sim"), new_folder(user, force=True):
        pass
    assert (user / "notes.txt").read_text() == "keep me"
    ours = tmp_path / "ours"
    with new_folder(ours) as tmp:
        (tmp / "a.csv").write_text("1")
    assert (ours / MARKER).is_file()
    with new_folder(ours, force=True) as tmp:
        (tmp / "b.csv").write_text("2")
    assert sorted(p.name for p in ours.iterdir()) == [MARKER, "b.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_force_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    with new_folder(real) as tmp:
        (tmp / "a").write_text("1")
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(ResultsError, match="symbolic link"), new_folder(link, force=True):
        pass
    assert link.is_symlink() and (real / "a").read_text() == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_rename_noreplace_refuses_an_existing_path(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("a")
    b.write_text("b")
    with pytest.raises(FileExistsError):
        rename_noreplace(a, b)
    assert b.read_text() == "b" and a.exists()


def test_concurrent_writers_one_wins(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    results: list[str] = []
    start = threading.Barrier(4)

    def write(k: int) -> None:
        start.wait()
        try:
            with new_folder(dest) as tmp:
                (tmp / "who").write_text(str(k))
                time.sleep(0.05)
            results.append("won")
        except ResultsError:
            results.append("refused")

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "refused", "refused", "won"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_two_runs_into_one_folder_one_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", "run", str(REFERENCE), "--out", str(dest)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in procs]
    assert sorted(code for _, code in outcomes) == [0, 2]
    assert any("exists" in err for err, code in outcomes if code == 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_new_file_and_figures(tmp_path: Path) -> None:
    path = tmp_path / "fig.png"
    result = CliRunner().invoke(
        main, ["plot", str(REFERENCE), "--kind", "comparison", "--out", str(path)]
    )
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(
        main, ["plot", str(REFERENCE), "--kind", "comparison", "--out", str(path)]
    )
    assert again.exit_code == 2 and "exists" in again.stderr
    forced = CliRunner().invoke(
        main, ["plot", str(REFERENCE), "--kind", "transfers", "--out", str(path), "--force"]
    )
    assert forced.exit_code == 0  # a figure sim wrote: its metadata says so
    user = tmp_path / "user.png"
    user.write_bytes(b"\x89PNG not sim's")
    refused = CliRunner().invoke(
        main, ["plot", str(REFERENCE), "--kind", "comparison", "--out", str(user), "--force"]
    )
    assert refused.exit_code == 2 and "not written by sim" in refused.stderr
    assert user.read_bytes() == b"\x89PNG not sim's"


@pytest.mark.parametrize(
    "where",
    [
        "under-a-file",
        "read-only",
        "proc",
        "dev-full",
    ],
)
def test_os_errors_are_bad_output_paths(tmp_path: Path, where: str) -> None:
    if where == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    if where == "under-a-file":
        (tmp_path / "file").write_text("x")
        dest = tmp_path / "file" / "out"
    elif where == "read-only":
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        dest = locked / "out"
    elif where == "proc":  # not writable even by root
        dest = Path("/proc/sim-out")
    else:
        dest = Path("/dev/full")
    result = CliRunner().invoke(main, ["run", str(REFERENCE), "--out", str(dest)])
    assert result.exit_code == 2, result.output
    assert str(dest) in result.stderr and "Traceback" not in result.stderr


def test_disk_full_leaves_nothing(tmp_path: Path) -> None:
    # a file size limit stands in for a full disk: writing the report fails part-way
    out = tmp_path / "report"
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from sim.cli import main\n"
        f"sys.argv = ['sim', 'report', {str(ROOT / 'scenarios' / 'gaozhu.toml')!r}, "
        f"'--out', {str(out)!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "cannot write" in proc.stderr and "File too large" in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    spec = folder / "s.toml"
    spec.write_text(
        f'[sweep]\nbase = "{REFERENCE}"\nn = 2000\n[sweep.parameters]\n'
        '"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }\n',
        encoding="utf-8",
    )
    from sim.sweep.execute import run_sweep

    run_sweep(spec, folder / "out")
    return folder / "out"


def _command(kind: str, out: Path, sweep: Path) -> list[str]:
    gaozhu = str(ROOT / "scenarios" / "gaozhu.toml")
    return {
        "run": ["run", str(REFERENCE), "--out", str(out)],
        "report": ["report", gaozhu, "--out", str(out)],
        "export": ["sweep", "export", str(sweep), "--to", "ema", "--dest", str(out)],
        "sensitivity": ["sensitivity", str(ROOT / "scenarios" / "sweeps" / "gaozhu.toml"),
                        "--n", "64", "--out", str(out)],
    }[kind]  # fmt: skip


WHOLE = {
    "run": {"flows.csv", "flows.parquet", "manifest.json", MARKER},
    "report": {"report.html", "tables.xlsx", MARKER},
    "export": {"experiments.csv", "outcomes.csv", MARKER},
    # the Gaozhu sweep declares correlated inputs: Shapley effects, not Sobol indices
    "sensitivity": {"shapley.csv", "morris.csv", "tornado.csv", "manifest.json", "inputs", MARKER},
}


@pytest.mark.parametrize("kind", ["run", "report", "export", "sensitivity"])
def test_killed_at_random_leaves_nothing_that_looks_whole(
    tmp_path: Path, kind: str, small_sweep: Path
) -> None:
    out = tmp_path / "out"
    rng = __import__("random").Random(kind)
    for _ in range(3):  # a kill in the first 0.7 s or so lands while sim is still imported
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", *_command(kind, out, small_sweep)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.7, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        visible = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
        if out.exists():  # finished before the kill: it must be whole
            assert WHOLE[kind] <= {p.name for p in out.iterdir()}
            return
        assert visible == []


def test_strict_json_and_safe_cells() -> None:
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})
    assert json.loads(dumps({"x": None})) == {"x": None}
    assert safe_cell("=HYPERLINK()") == "'=HYPERLINK()"
    assert safe_cell("@SUM(1)") == "'@SUM(1)" and safe_cell("\tx") == "'\tx"
    assert safe_cell("Linshui") == "Linshui" and safe_cell(-1.5) == -1.5


def test_no_formula_reaches_a_spreadsheet(tmp_path: Path, blank_pictures: None) -> None:
    import openpyxl
    import pandas as pd

    text = REFERENCE.read_text(encoding="utf-8").replace(
        'name = "Guang\'an (Sichuan)"', 'name = "=HYPERLINK(\\"http://x\\")"'
    )
    scenario = tmp_path / "evil.toml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "r"
    assert CliRunner().invoke(main, ["report", str(scenario), "--out", str(out)]).exit_code == 0
    book = openpyxl.load_workbook(out / "tables.xlsx")
    kinds = {cell.data_type for ws in book.worksheets for row in ws.iter_rows() for cell in row}
    assert "f" not in kinds
    run_out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(scenario), "--out", str(run_out)])
    assert result.exit_code == 0
    frame = pd.read_csv(run_out / "flows.csv")
    assert not any(str(v).startswith(("=", "+", "@")) for v in frame.to_numpy().ravel())


def test_new_file_refuses_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "x.svg"
    path.write_text("<svg>user</svg>")
    with pytest.raises(ResultsError, match="not written by sim"):
        new_file(path, b"<svg/>", force=True)
    assert path.read_text() == "<svg>user</svg>"
    assert sim.files.written_by_sim(path) is False
