"""Reports: self-contained HTML checked in headless Chromium, xlsx read back, stable bytes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim import i18n, load_scenario
from sim.cli import main
from sim.style import FIGURE_KINDS

from ..conftest import ROOT, interrupt_sweep

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_report")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


def need_chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium (Debian package) for the report test")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module", params=["en", "zh"])
def report_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"report-{request.param}")
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(ROOT / "scenarios" / "gaozhu.toml"),
            "--lang",
            request.param,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained(report_dir: Path) -> None:
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r'src="(?!data:)', page)  # every image is embedded
    # comparison, flows of each party, transfers, and each party's gain by clause
    assert page.count("<figure") == 6 and page.count("<figcaption>") == 6
    assert "c4a448105bec"[:6] in page or "run" in page


def test_chinese_report_has_chinese_names_and_units(tmp_path: Path, blank_pictures: None) -> None:
    out = tmp_path / "zh"
    CliRunner().invoke(
        main, ["report", str(ROOT / "scenarios" / "gaozhu.toml"), "--lang", "zh", "--out", str(out)]
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "广安邻水（四川）" in page and "亿元" in page and "图 1." in page
    assert "@font-face" in page  # the CJK font travels with the page


def test_report_renders_in_chromium_without_broken_images(report_dir: Path, tmp_path: Path) -> None:
    browser = need_chromium()
    # a test-only copy of the page that writes the number of broken images into its title
    probe = report_dir / "probe.html"
    page = (report_dir / "report.html").read_text(encoding="utf-8")
    script = (
        "<script>window.addEventListener('load',()=>{const b=[...document.images]"
        ".filter(i=>!i.complete||i.naturalWidth===0).length;"
        "document.title='broken='+b+' images='+document.images.length;});</script>"
    )
    probe.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "<title>broken=0 images=6</title>" in dom.stdout, dom.stdout[:300]


def test_tables_export_to_xlsx(report_dir: Path) -> None:
    from sim.report.write import tidy_sheet

    lang = "zh" if "zh" in report_dir.name else "en"
    sheets = pd.read_excel(report_dir / "tables.xlsx", sheet_name=None)
    tidy = sheets[tidy_sheet("comparison (tidy)", lang)]
    assert set(tidy["party"]) == {"SC", "CQ"}
    assert {"npv", "gain_vs_source", "in_core"} <= set(tidy.columns)
    flows = sheets[tidy_sheet("flows (tidy)", lang)]
    assert len(flows) > 100
    # the tables for programs keep their keys as column names in either language, and
    # say so; a Chinese workbook names them, their agreements and their unit in Chinese
    assert list(sheets)[-1] == i18n.t("tidy_about", lang)
    if lang == "zh":
        assert not any("(tidy)" in name for name in sheets)
        assert "协议" in set(tidy["label"]) and set(flows["unit"]) == {"亿元"}
        assert "agreement" not in set(tidy["label"]) | set(flows["label"])


def test_sheet_names_are_whole(report_dir: Path) -> None:
    # within Excel's 31 characters, unique, and never cut inside a bracket: a party's
    # yearly flows are named by its code at least
    import openpyxl

    names = openpyxl.load_workbook(report_dir / "tables.xlsx", read_only=True).sheetnames
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name) <= 31 and name.count("(") == name.count(")"), name
        assert name.count("（") == name.count("）"), name
    assert sum(" SC" in n for n in names) == sum(" CQ" in n for n in names) == 1, names


def test_same_inputs_give_the_same_files(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        CliRunner().invoke(
            main,
            [
                "report",
                str(ROOT / "scenarios" / "co-built-park.toml"),
                "--lang",
                "zh",
                "--format",
                "svg",
                "--out",
                str(out),
            ],
        )
        outs.append(out)
    for path in sorted(outs[0].iterdir()):
        assert path.read_bytes() == (outs[1] / path.name).read_bytes(), path.name


def test_plot_command_writes_one_figure(tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    result = CliRunner().invoke(
        main,
        [
            "plot",
            str(ROOT / "scenarios" / "co-built-park.toml"),
            "--kind",
            "transfers",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(
        main, ["plot", str(ROOT / "scenarios" / "co-built-park.toml"), "--kind", "fan"]
    )
    assert bad.exit_code == 2 and "no fan figure" in bad.stderr


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stored sweep of Gaozhu (300 scenarios, three rules) in which each party is worse
    off than with no agreement in some scenarios: every sweep figure is drawn from it."""
    tmp = tmp_path_factory.mktemp("sweep")
    sweep = tmp / "s.toml"
    sweep.write_text(f"""[sweep]
base = "{ROOT / "scenarios" / "gaozhu.toml"}"
n = 300
seed = 4
rules = ["agreement", "source", "shapley"]
[sweep.parameters]
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.08 }}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"firms.linshui-cohort.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
""")
    folder = tmp / "r"
    assert CliRunner().invoke(main, ["sweep", str(sweep), "--out", str(folder)]).exit_code == 0
    return folder


def test_sweep_report(sweep_folder: Path, tmp_path: Path, blank_pictures: None) -> None:
    folder = sweep_folder
    out = tmp_path / "rep"
    result = CliRunner().invoke(main, ["report", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.png"))
    # the decisions: the robust shares, and PRIM's trade-off and box for each party that
    # is worse off than with no agreement in some but not all scenarios
    assert names[:5] == ["band.png", "box-1-CQ.png", "box-1-SC.png", "distribution.png", "fan.png"]
    assert names[5:] == ["heatmap.png", "robust.png", "tradeoff-1-CQ.png", "tradeoff-1-SC.png"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Minimax regret" in html and "Scenario discovery" in html
    # `sim plot` draws every kind of figure the report drew (its list is FIGURE_KINDS)
    for kind in ("band", "box", "distribution", "fan", "heatmap", "robust", "tradeoff"):
        assert kind in FIGURE_KINDS
        png = tmp_path / f"plot-{kind}.png"
        args = ["plot", str(folder), "--kind", kind, "--out", str(png)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (kind, result.output)
        assert png.read_bytes().startswith(b"\x89PNG")
    png = tmp_path / "box-cq.png"
    args = ["plot", str(folder), "--kind", "box", "--party", "CQ", "--out", str(png)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "box-cq.png" in result.output, result.output


def test_a_sweep_figure_drawn_alone_is_the_figure_of_the_report(sweep_folder: Path) -> None:
    # `sim plot` asks the sweep report for one kind and the analyses of the others are
    # skipped: what it draws must be what the whole report draws, to the byte (SVG)
    from sim.report import sweep_report

    whole = {f.key: f for f in sweep_report(sweep_folder, "zh").figures}
    for kind in ("fan", "box", "robust"):
        alone = [
            f
            for f in sweep_report(sweep_folder, "zh", only=(kind,)).figures
            if f.key.split("-")[0] == kind
        ]
        assert [f.key for f in alone] == [k for k in whole if k.split("-")[0] == kind] != []
        for f in alone:
            assert f.caption == whole[f.key].caption
            assert f.render("zh", "svg") == whole[f.key].render("zh", "svg"), f.key


def test_plot_takes_every_kind_a_scenario_report_draws(tmp_path: Path) -> None:
    from sim.report import scenario_report

    scenario = load_scenario(ROOT / "scenarios" / "gaozhu-clauses.toml")
    keys = {f.key for f in scenario_report(scenario, "en").figures}
    kinds = {k for k in FIGURE_KINDS if any(key == k or key.startswith(f"{k}-") for key in keys)}
    assert {"comparison", "waterfall", "flows", "transfers"} <= kinds
    for kind in sorted(kinds):
        png = tmp_path / f"{kind}.png"
        args = ["plot", str(ROOT / "scenarios" / "gaozhu-clauses.toml"), "--kind", kind]
        if kind in ("waterfall", "flows"):
            args += ["--party", "CQ"]
        result = CliRunner().invoke(main, [*args, "--out", str(png)])
        assert result.exit_code == 0, (kind, result.output)


def test_sensitivity_command(tmp_path: Path) -> None:
    sweep = tmp_path / "s.toml"
    sweep.write_text(f"""[sweep]
base = "{ROOT / "scenarios" / "co-built-park.toml"}"
seed = 5
[sweep.parameters]
"horizon.discount_rate" = {{ dist = "uniform", low = 0.02, high = 0.08 }}
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.12 }}
"land_sales.0.rural_earmark" = {{ dist = "uniform", low = 0.0, high = 0.3 }}
""")
    out = tmp_path / "sens"
    result = CliRunner().invoke(
        main, ["sensitivity", str(sweep), "--n", "256", "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    sobol = pd.read_csv(out / "sobol.csv")
    assert set(sobol["output"]) == {"npv", "gain_vs_source", "gain_vs_standalone"}
    sc = sobol[(sobol.party == "SC") & (sobol.output == "npv")].set_index("parameter")
    # SC's own land is not in this sale (it is CQ's) and land stays at source: no effect
    assert abs(sc.loc["land_sales.0.rural_earmark", "ST"]) < 0.01
    assert sc.loc["horizon.discount_rate", "ST"] > 0.5
    assert (out / "manifest.json").is_file() and (out / "tornado.csv").is_file()


def test_plot_from_a_run_folder(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    assert (
        CliRunner()
        .invoke(
            main, ["run", str(ROOT / "scenarios" / "co-built-park.toml"), "--out", str(run_dir)]
        )
        .exit_code
        == 0
    )
    out = tmp_path / "flows.svg"
    result = CliRunner().invoke(
        main, ["plot", str(run_dir), "--kind", "flows", "--format", "svg", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<?xml")


def _small_sweep(tmp_path: Path) -> Path:
    sweep = tmp_path / "s.toml"
    sweep.write_text(
        f'[sweep]\nbase = "{ROOT / "scenarios" / "gaozhu.toml"}"\nn = 300\nseed = 4\n'
        'rules = ["agreement", "source"]\n[sweep.parameters]\n'
        '"firms.battery-plant.growth" = { dist = "uniform", low = 0.0, high = 0.08 }\n',
        encoding="utf-8",
    )
    return sweep


def test_a_sweep_report_is_of_the_stored_run_whatever_happens_to_the_files(
    tmp_path: Path,
) -> None:
    from sim.report import sweep_report

    sweep = _small_sweep(tmp_path)
    folder = tmp_path / "r"
    assert CliRunner().invoke(main, ["sweep", str(sweep), "--out", str(folder)]).exit_code == 0
    before = sweep_report(folder)
    # edited: another n and another distribution; the report is still of the run
    sweep.write_text(sweep.read_text().replace("n = 300", "n = 50").replace("0.08", "0.5"))
    edited = sweep_report(folder)
    summary = dict(edited.summary)
    assert "n = 300" in summary["design"] and "has changed since the run" in summary["note"]
    pd.testing.assert_frame_equal(edited.tables["Summary"], before.tables["Summary"])
    # moved away: still reported, and said
    sweep.rename(tmp_path / "elsewhere.toml")
    gone = dict(sweep_report(folder).summary)
    assert "is no longer there" in gone["note"]
    result = CliRunner().invoke(main, ["discover", str(folder), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "no longer there" in result.output


def test_an_interrupted_sweep_is_labelled_incomplete_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.report import sweep_report

    folder = tmp_path / "cut"
    interrupt_sweep(monkeypatch, _small_sweep(tmp_path), folder, at=2)
    report = sweep_report(folder, lang="zh")
    assert dict(report.summary)["未完成"] == "未完成：已算 100 / 300 个情景"
    assert "未完成 100 / 300" in report.figures[0].caption
    text = CliRunner().invoke(main, ["sweep", "summary", str(folder)]).output
    assert "INCOMPLETE: 100 of 300 scenarios" in text
    export = CliRunner().invoke(main, ["sweep", "export", str(folder), "--to", "ema"])
    assert "INCOMPLETE" in export.output
    about = json.loads((folder / "export-ema" / "export.json").read_text())
    assert about["complete"] is False and about["scenarios_done"] == 100


def test_an_interrupted_sweep_s_discovery_figures_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PRIM's figures in a report were captioned n=300 where 100
    scenarios were done."""
    from sim.report import sweep_report

    sweep = _small_sweep(tmp_path)
    text = sweep.read_text(encoding="utf-8")  # SC worse off than at source now and then
    sweep.write_text(text + '"sharing.shares.SC" = { dist = "uniform", low = 0.3, high = 0.7 }\n')
    folder = tmp_path / "cut"
    interrupt_sweep(monkeypatch, sweep, folder, at=2)
    figures = {f.key: f.caption for f in sweep_report(folder).figures}
    assert any(k.startswith("tradeoff") for k in figures), figures  # discovery is in it
    for key, caption in figures.items():
        if key != "robust":  # robust evaluates the whole sweep file again: n=300
            assert "INCOMPLETE 100 / 300" in caption and "n=300" not in caption, (key, caption)


def test_run_folder_report_reads_its_stored_inputs(tmp_path: Path, blank_pictures: None) -> None:
    scenario = tmp_path / "park.toml"
    shutil.copy(ROOT / "scenarios" / "gaozhu.toml", scenario)
    run_dir = tmp_path / "run"
    assert CliRunner().invoke(main, ["run", str(scenario), "--out", str(run_dir)]).exit_code == 0
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            "discount_rate = 0.05", "discount_rate = 0.06"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "rep"
    result = CliRunner().invoke(main, ["report", str(run_dir), "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "已被修改" in page and "广安邻水（四川）" in page  # the note; names, not ids
    scenario.unlink()
    result = CliRunner().invoke(main, ["report", str(run_dir), "--out", str(tmp_path / "r2")])
    assert result.exit_code == 0 and "no longer there" in (
        tmp_path / "r2" / "report.html"
    ).read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["report", str(tmp_path), "--out", str(tmp_path / "r3")])
    assert bad.exit_code != 0 and "not a results folder" in bad.output


def test_cells_round_to_zero_without_a_sign_and_shares_read_as_percentages() -> None:
    from sim.report import _is_percent, cell_text

    assert cell_text(-0.0, False) == "0.000" and cell_text(-4e-4, False) == "0.000"
    assert cell_text(-4e-6, True) == "0.0%" and cell_text(-0.0105, True) == "−1.1%"
    assert cell_text(-1234.5, False) == "−1,234.500" and cell_text(float("nan"), False) == "—"
    assert _is_percent("growth") and _is_percent("增长率") and _is_percent("SC (share)")
    assert _is_percent("邻水（占比）") and not _is_percent("output (100m CNY)")


def test_a_column_of_words_reads_from_the_left() -> None:
    """Report tables right-aligned names, terms and conditions like numbers."""
    from sim.report.write import _html_table

    text = _html_table(pd.DataFrame({"label": ["a", "b"], "npv": [1.0, 2.0], "terms": ["x", None]}))
    assert text.count('<td class="t">') == 4 and '<th class="t">terms</th>' in text
    assert "<td>1.000</td>" in text and "<th>npv</th>" in text


def test_a_robust_folder_is_reported(tmp_path: Path) -> None:
    """`sim report` refused a `sim robust` folder; it renders it from the sweep file the
    folder records, and says which command's folder it expects for the ones it cannot."""
    sweep = tmp_path / "small.toml"
    base = (ROOT / "scenarios" / "gaozhu.toml").as_posix()
    sweep.write_text(
        f'[sweep]\nbase = "{base}"\ndesign = "montecarlo"\nn = 40\nseed = 3\n\n'
        '[sweep.parameters]\n"horizon.discount_rate" = '
        '{ dist = "uniform", low = 0.03, high = 0.08 }\n',
        encoding="utf-8",
    )
    folder = tmp_path / "robust"
    assert CliRunner().invoke(main, ["robust", str(sweep), "--out", str(folder)]).exit_code == 0
    out = tmp_path / "rep"
    done = CliRunner().invoke(main, ["report", str(folder), "--lang", "zh", "--out", str(out)])
    assert done.exit_code == 0, done.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "稳健分成比例" in page and (out / "robust.png").exists()
    sweep.write_text(sweep.read_text(encoding="utf-8").replace("n = 40", "n = 41"), "utf-8")
    changed = CliRunner().invoke(main, ["report", str(folder), "--out", str(tmp_path / "r2")])
    assert changed.exit_code == 2 and "has changed since: run `sim robust` again" in changed.output
    (folder / "manifest.json").write_text('{"kind": "discovery"}', encoding="utf-8")
    other = CliRunner().invoke(main, ["report", str(folder), "--lang", "zh"])
    assert other.exit_code == 2 and "这是 `sim discover` 的文件夹" in other.output


def test_tables_are_never_written_over_each_other_and_keep_their_slashes() -> None:
    """Two titles alike in their first 31 characters were written onto one sheet (the
    second over the first); 亿元/年 was named 亿元年."""
    import io

    import openpyxl

    from sim.report.write import _write_tables

    long = "Each party's NPV by park and year, "
    frames = {
        f"{long}first": pd.DataFrame({"a": [1.0]}),
        f"{long}second": pd.DataFrame({"a": [2.0]}),
        "净现值（亿元/年）": pd.DataFrame({"a": [3.0]}),
    }
    buffer = io.BytesIO()
    _write_tables(buffer, frames)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert len(book.sheetnames) == 3, book.sheetnames
    assert [book[s]["A2"].value for s in book.sheetnames] == [1.0, 2.0, 3.0]
    assert "净现值（亿元／年）" in book.sheetnames


def test_a_figure_of_no_kind_is_refused() -> None:
    # every figure a report draws is one `sim plot --kind` can draw
    from sim.report import Figure

    assert Figure("flows-CQ", "t", "c", lambda ax: None).key == "flows-CQ"
    with pytest.raises(ValueError, match="no kind"):
        Figure("portfolio-nothing", "t", "c", lambda ax: None)
