"""Figures on the Agg backend: labels, legends, artists, files; Chinese text in a CJK font."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from sim import load_scenario, plots, run, style
from sim.compare import compare
from sim.report import comparison_table
from sim.store import flows_frame

from ..conftest import ROOT

# its module-scoped fixture is built once, on one worker (`--dist loadgroup` in pyproject.toml)
pytestmark = pytest.mark.xdist_group("test_plots")


@pytest.fixture(scope="module")
def gaozhu():  # type: ignore[no-untyped-def]
    scenario = load_scenario(ROOT / "scenarios" / "gaozhu.toml")
    return scenario, flows_frame(scenario, run(scenario)), comparison_table(compare(scenario))


@pytest.fixture(autouse=True)
def _closed() -> None:
    yield
    assert plt.get_fignums() == [], "a figure was left open"


def test_rule_comparison(gaozhu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, table = gaozhu
    with plots.figure() as (fig, ax):
        plots.rule_comparison(table, ax, names={"SC": "Linshui", "CQ": "Yubei"})
        assert len(ax.patches) == table["label"].nunique() * 2  # a bar per rule and party
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert {"Linshui", "Yubei", "No agreement (source)", "Standing alone"} <= set(legend)
        assert ax.get_ylabel() == "NPV (100m CNY)"
        path = style.save(fig, tmp_path / "comparison.png")
    assert path.stat().st_size > 10_000


def test_flows_and_transfers(gaozhu) -> None:  # type: ignore[no-untyped-def]
    scenario, frame, _ = gaozhu
    with plots.figure() as (_fig, ax):
        plots.flows(frame, "SC", ax)
        assert len(ax.patches) == 4 * scenario.n_years  # four streams a year
        assert [line.get_label() for line in ax.get_lines()].count("Net benefit") == 1
        assert ax.get_xlabel() == "Year"
    with plots.figure() as (_fig, ax):
        plots.transfers(frame, ax)
        assert len(ax.patches) == 2 * scenario.n_years
        assert ax.get_ylabel().startswith("Transfer received")


def test_sweep_figures() -> None:
    rng = np.random.default_rng(0)
    n = 400
    results = pd.DataFrame(
        {
            "rule": np.repeat(["agreement", "source"], n),
            "x": np.tile(rng.random(n), 2),
            "y": np.tile(rng.random(n), 2),
            "npv.A": rng.normal(1, 1, 2 * n),
            "npv.B": rng.normal(0, 1, 2 * n),
            "gain_vs_standalone.A": rng.normal(0.5, 1, 2 * n),
            "gain_vs_standalone.B": rng.normal(0.5, 1, 2 * n),
        }
    )
    with plots.figure() as (_fig, ax):
        plots.npv_distribution(results, ["A", "B"], ax)
        texts = [t.get_text() for t in ax.texts]
        assert len(texts) == 4 and all(t.endswith("%") for t in texts)  # P(loss) per box
    with plots.figure() as (_fig, ax):
        plots.heatmap(results, "x", "y", ["A", "B"], ax, bins=5)
        assert ax.collections[0].get_array().size == 25
    q = pd.DataFrame(
        {"party": ["A"] * 3, "year": [1, 2, 3], "p5": [0, 0, 0], "p50": [1, 2, 3], "p95": [2, 3, 4]}
    )
    with plots.figure() as (_fig, ax):
        plots.fan_chart(q, ax)
        assert len(ax.get_lines()) == 2  # median and the zero line
    band = pd.DataFrame({"value": [0, 1], "low": [0.3, 0.4], "high": [0.7, 0.8]})
    with plots.figure() as (_fig, ax):
        plots.acceptable_band(band, "A", ax, agreed=0.5)
        assert ax.get_ylim() == (0, 1)


def test_sensitivity_figures() -> None:
    t = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "low": [1.0, 2.5],
            "high": [3.0, 2.6],
            "S1": [0.7, 0.1],
            "S1_conf": [0.05, 0.02],
            "ST": [0.8, 0.2],
            "ST_conf": [0.05, 0.03],
            "mu_star": [2.0, 0.1],
            "sigma": [0.5, 0.05],
        }
    )
    with plots.figure() as (_fig, ax):
        plots.tornado(t, 2.0, ax)
        assert [tick.get_text() for tick in ax.get_yticklabels()] == ["b", "a"]  # widest on top
    with plots.figure() as (_fig, ax):
        plots.sobol_indices(t, ax)
        assert len(ax.patches) == 4
    with plots.figure() as (_fig, ax):
        plots.morris(t, ax)
        assert len(ax.texts) == 2


def test_chinese_labels_use_a_cjk_font(gaozhu) -> None:  # type: ignore[no-untyped-def]
    _, _, table = gaozhu
    _, path = style.cjk_font()
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "净现值亿元分享规则")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        with plots.figure("zh") as (fig, ax):
            plots.rule_comparison(table.assign(label="协议"), ax, lang="zh")
            fig.canvas.draw()
            title = ax.title
            assert title.get_text() == "各分享规则下的净现值"
            used = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
            assert Path(used) == Path(path)
            assert "DejaVu" not in Path(used).name


def test_shipped_font_covers_every_chinese_character_sim_writes() -> None:
    import re

    from fontTools.ttLib import TTFont

    cmap = TTFont(style.SHIPPED_FONT).getBestCmap()
    files = [*(ROOT / "sim").rglob("*.py"), *(ROOT / "scenarios").rglob("*.toml")]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    wanted = set(re.findall(r"[\u2e80-\u9fff\uff00-\uffef]", text))
    assert len(wanted) > 300  # the glossary, notes and the shipped scenarios' names
    assert sorted(ch for ch in wanted if ord(ch) not in cmap) == []
    assert style.SHIPPED_FONT.stat().st_size < 4_000_000
    assert (style.SHIPPED_FONT.parent / "OFL.txt").is_file()


def test_same_inputs_same_bytes(gaozhu, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, frame, _ = gaozhu
    for fmt in ("png", "svg", "pdf"):
        files = []
        for i in range(2):
            with plots.figure("zh") as (fig, ax):
                plots.flows(frame, "SC", ax, lang="zh")
                files.append(style.save(fig, tmp_path / f"{i}.{fmt}").read_bytes())
        assert files[0] == files[1], fmt


def test_decomposition_waterfall() -> None:
    from sim.report import decomposition_table

    scenario = load_scenario(ROOT / "scenarios" / "gaozhu-clauses.toml")
    table = decomposition_table(compare(scenario, explain=True), "agreement")
    assert set(table["feature"]) == {"tax", "investment"}
    with plots.figure() as (_fig, ax):
        plots.decomposition_waterfall(table, "SC", ax)
        assert len(ax.patches) == 3  # tax, investment and the total
        heights = [p.get_height() for p in ax.patches]
        parts = table[table["party"] == "SC"]["value"]
        assert heights[-1] == pytest.approx(parts.sum())
        labels = [t.get_text() for t in ax.texts]
        assert labels[-1] == f"{parts.sum():+.2f}".replace("-", "−")
        assert [t.get_text() for t in ax.get_xticklabels()] == ["Tax", "Investment", "Total"]

    # one clause: its part is the whole gain, drawn once (not again as a total)
    one = table[table["feature"] == "tax"]
    with plots.figure() as (_fig, ax):
        plots.decomposition_waterfall(one, "SC", ax, lang="zh")
        assert len(ax.patches) == 1
        assert ax.patches[0].get_height() == pytest.approx(one[one["party"] == "SC"]["value"].sum())
        assert [t.get_text() for t in ax.get_xticklabels()] == ["税收分成（即全部较无协议增减）"]


def _whole(fig) -> list[str]:  # type: ignore[no-untyped-def]
    """What is wrong with a drawn figure: a bar touching the top or bottom of its axes
    (clipped), a legend over an axes."""
    from matplotlib.patches import Rectangle

    fig.canvas.draw()
    wrong = []
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        lo, hi = ax.get_ylim()
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_height() != 0:
                ys = (patch.get_y(), patch.get_y() + patch.get_height())
                if (max(ys) > 0 and max(ys) >= hi) or (min(ys) < 0 and min(ys) <= lo):
                    wrong.append(f"a bar reaches the edge of {ax.get_title()!r}: {ys} in {lo, hi}")
        legends = [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]
        for legend in legends:
            if legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer)):
                wrong.append(f"a legend lies over {ax.get_title()!r}")
        title = ax.title.get_window_extent(renderer)
        if title.width and (title.x0 < 0 or title.x1 > fig.bbox.width):
            wrong.append(f"the title {ax.get_title()!r} runs past the picture's edge")
        for text in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()):
            if re.search(r"[\u4e00-\u9fff] ?\(|\) ?[\u4e00-\u9fff]|\(亿元", text):
                wrong.append(f"half-width brackets in Chinese: {text!r}")
    return wrong


def test_chinese_unit_labels_use_full_width_brackets(gaozhu) -> None:  # type: ignore[no-untyped-def]
    # the axes read 净收益 (亿元), half-width with a space, where Chinese text has 净收益（亿元）
    _, frame, table = gaozhu
    with plots.figure("zh") as (_fig, ax):
        plots.rule_comparison(table.assign(label="协议"), ax, lang="zh")
        assert ax.get_ylabel() == "净现值（亿元）"
    with plots.figure("zh") as (_fig, ax):
        plots.transfers(frame, ax, lang="zh")
        assert ax.get_ylabel().endswith("）（亿元）") and " (" not in ax.get_ylabel()
    with plots.figure() as (_fig, ax):
        plots.rule_comparison(table, ax)
        assert ax.get_ylabel() == "NPV (100m CNY)"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_title_wider_than_the_picture_is_broken_into_lines(lang: str) -> None:
    # the box chart's title (the event, its coverage and density) ran to the right edge
    limits = pd.DataFrame({
        "input": ["battery-plant: first year of output"], "low": [2025.0], "high": [2027.0],
        "lower": [2026.0], "upper": [np.nan], "lower_text": ["2026"], "upper_text": [""],
    })  # fmt: skip
    event = {
        "en": "Linshui, Guang'an (Sichuan) worse off under the agreement than with no "
        "agreement (1)\ncoverage 73% · density 61%",
        "zh": "在“协议”下，广安邻水（四川）劣于无协议（属地），且动力电池厂晚于 2026 年投产、"
        "邻水存量企业增速高于 6.2%（1）\n覆盖率 73% · 密度 61%",
    }[lang]
    with plots.figure(lang) as (fig, ax):
        plots.box_limits(limits, ax, lang=lang, title=event)
        assert _whole(fig) == []
        assert ax.get_title().replace("\n", "").replace(" ", "") == event.replace("\n", "").replace(
            " ", ""
        )


def test_report_figures_are_whole(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sim.cli import _report_for, main

    sweep = tmp_path / "s.toml"
    text = (ROOT / "scenarios" / "sweeps" / "gaozhu.toml").read_text(encoding="utf-8")
    base = (ROOT / "scenarios" / "gaozhu.toml").as_posix()
    sweep.write_text(
        text.replace('"../gaozhu.toml"', f'"{base}"').replace("n = 10000", "n = 300"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["sweep", str(sweep), "--out", str(tmp_path / "sw")])
    assert result.exit_code == 0, result.output
    wrong = []
    for target in (ROOT / "scenarios" / "gaozhu.toml", tmp_path / "sw"):
        for lang in ("en", "zh"):
            for figure in _report_for(str(target), lang).figures:
                with plots.figure(lang, figure.size) as (fig, ax):
                    figure.draw(ax)
                    wrong += [f"{target.name} {figure.key} {lang}: {w}" for w in _whole(fig)]
    assert wrong == []


def test_morris_labels_do_not_cover_each_other() -> None:
    # two inputs with nearly the same μ* and σ, and one at the right edge
    table = pd.DataFrame(
        {
            "parameter": ["a: first year of output", "a: output growth", "discount rate"],
            "mu_star": [2.1, 2.7, 10.0],
            "sigma": [0.898, 0.895, 1.07],
        }
    )
    ax = plots.morris(table)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    assert max(b.x1 for b in boxes) <= fig.bbox.x1  # nothing runs off the figure
    plt.close(fig)
