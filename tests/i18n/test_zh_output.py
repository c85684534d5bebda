"""``--lang zh`` on every text command: no English word is left, except ids, key paths,
file paths, option and command names, and a short list of names from the literature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.rules import CLAUSES, clause_rules, rules
from sim.scenario import load as load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
INVALID = Path(__file__).parents[1] / "data" / "invalid"
NAMES = {"Shapley", "Nash", "NPV", "PRIM", "CART", "CNY", "TOML", "JSON", "Banzhaf", "Kalai"}
NAMES |= {"Smorodinsky", "Savage", "Sobol", "Morris"}
"""Names from the literature, written as their authors' (the allowlist, kept short)."""
WORD = re.compile(r"[A-Za-z]{4,}")
CHINESE_PUNCTUATION = re.compile(r"[\u4e00-\u9fff）], |, [\u4e00-\u9fff（]|[\u4e00-\u9fff）] ?\(")
"""A list of Chinese words joined with ", ", or a half-width bracket after a Chinese word."""


def _words(*texts: str) -> set[str]:
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _ids(path: Path) -> set[str]:
    """The words of the scenario's own ids and labels, and of its file's path."""
    sc = load_scenario(path)
    ids = [sc.name, *sc.party_ids, *(f.id for f in sc.firms), *(s.label for s in sc.compare)]
    return _words(*ids, str(path))


def _registry() -> set[str]:
    """Rule ids, parameter names and kinds, clause names: what a scenario file writes."""
    out = [r.name for r in rules()] + [p.name + " " + p.kind for r in rules() for p in r.params]
    out += [c.name for clause in CLAUSES for c in clause_rules(clause)] + list(CLAUSES)
    return _words(*out, "sharing rule")


def _english(text: str, allowed: set[str]) -> set[str]:
    """English words of ``text`` outside ``allowed``, paths, options and `sim <command>`."""
    text = re.sub(r"(\S*/\S*|--[\w-]+|`[^`]*`|\bsim \w+)", " ", text)
    return {w for w in WORD.findall(text) if w not in NAMES and w.lower() not in allowed}


def _zh(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", [["run"], ["compare"], ["compare", "--explain"], ["game"]])
def test_a_scenario_in_chinese_has_no_english_word(command: list[str], path: Path) -> None:
    text = _zh(*command, str(path))
    assert "亿元" in text
    assert not _english(text, _ids(path) | _registry())
    # Chinese lists with 、 (沿用协议：范围, 基年 was not), brackets full-width
    assert not [line for line in text.splitlines() if CHINESE_PUNCTUATION.search(line)]


def test_several_files_in_chinese() -> None:
    files = [ROOT / "scenarios" / f for f in ("gaozhu.toml", "gaozhu-clauses.toml")]
    text = _zh("compare", *map(str, files))
    assert "各文件按其自身协议并列比较" in text
    assert not _english(text, _ids(files[0]) | _ids(files[1]) | _registry())


def test_rules_in_chinese_keep_their_references() -> None:
    text = _zh("rules")
    english = CliRunner().invoke(main, ["rules"]).output
    references = [line for line in english.splitlines() if line.startswith("  reference: ")]
    assert len(references) > 20
    for line in references:  # citations, as written
        assert line.replace("  reference: ", "  文献：") in text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("  文献："))
    assert not _english(body, _registry())


def test_validate_in_chinese() -> None:
    path = INVALID / "growth-below-minus-one.toml"
    assert not _english(_zh("validate", str(path)), _ids_of_invalid(path) | _registry())


def _ids_of_invalid(path: Path) -> set[str]:
    import tomllib

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = [data["meta"]["name"], *(p["id"] for p in data["parties"])]
    ids += [f["id"] for f in data["firms"]] + ["firms", "growth"]  # the key path
    return _words(*ids, str(path))


SWEEP = """[sweep]
base = "{base}"
design = "montecarlo"
n = 200
seed = 7

[sweep.parameters]
"firms.battery-plant.growth" = {{ dist = "uniform", low = 0.0, high = 0.08 }}
"horizon.discount_rate" = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"sharing.compliance" = {{ dist = "uniform", low = 0.4, high = 1.0 }}
"""


def test_a_sweep_in_chinese(tmp_path: Path) -> None:
    base = ROOT / "scenarios" / "gaozhu.toml"
    sweep = tmp_path / "small.toml"
    sweep.write_text(SWEEP.format(base=base.as_posix()), encoding="utf-8")
    folder = tmp_path / "sw"
    allowed = _ids(base) | _registry() | _words(SWEEP)
    outputs = [
        _zh("sweep", str(sweep), "--out", str(folder), "--quiet"),
        _zh("sweep", "summary", str(folder)),
        _zh("robust", str(sweep), "--out", str(tmp_path / "robust")),
        _zh("discover", str(folder), "--out", str(tmp_path / "discover")),
    ]
    assert "扫描 [gaozhu]：200 个情景，蒙特卡洛设计" in outputs[1]
    # an alternative by its Chinese name (label_zh), as `sim compare --lang zh` names it
    assert "新引进企业五五分成" in outputs[1] and "new firms 50:50" not in outputs[1]
    for text in outputs:
        assert not _english(text, allowed)


def test_english_is_unchanged() -> None:
    # the lines the tests of sim compare, game and sweep read, as before --lang
    text = CliRunner().invoke(main, ["compare", str(ROOT / "scenarios" / "gaozhu.toml")]).output
    assert "label              rule       NPV SC  NPV CQ" in text
    assert "gain = NPV − NPV under source (no agreement); all ≥ alone" in text


def _keys() -> set[str]:
    """The words of every key a file may hold (tables, keys, sweep keys, distributions):
    what a reason quotes as the user typed it."""
    from sim.schema import KEYS, TABLES
    from sim.sweep.distributions import DISTRIBUTIONS
    from sim.sweep.spec import SWEEP_KEYS

    keys = [k.path for k in KEYS] + list(TABLES) + list(SWEEP_KEYS) + list(DISTRIBUTIONS)
    return _words(
        *keys,
        "sweep low high mode mean sd mu sigma values weights dist kind matrix true false policy",
    )


def _reason_english(text: str, allowed: set[str]) -> set[str]:
    """English words of a message outside key paths, ids with . or _ and quoted values as
    typed (the TOML parser's complaint is told in Chinese, sim.syntax)."""
    text = re.sub(r"[\w<>\[\]-]*[._][\w.<>\[\]-]*", " ", text)
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", text)
    return _english(text, allowed | _keys() | _registry())


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.toml")), ids=lambda p: p.stem)
def test_a_bad_scenario_is_told_in_chinese(path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "zh"])
    assert result.exit_code in (1, 2) and "不是有效的情景文件" in result.output
    text = result.output.replace(str(path), " ")
    assert not _reason_english(text, _words(path.read_text(encoding="utf-8"))), text


_BASE = f'[sweep]\nbase = "{(ROOT / "scenarios" / "gaozhu.toml").as_posix()}"\n'
_PARAMS = (
    '[sweep.parameters]\n"horizon.discount_rate" = [0.03, 0.05]\n"sharing.compliance" = [0.5, 1]\n'
)
BAD_SWEEPS = {
    "no-table": '[meta]\nname = "x"\n',
    "keys": _BASE + 'design = "lattice"\nn = 0\nseed = -1\nspeed = 3\nstandalone = "yes"\n'
    'rules = ["agreement", "nope"]\n[sweep.parameters]\n"horizon.discount_rate" = [0.03]\n',
    "distributions": _BASE
    + """[sweep.parameters]
"horizon.discount_rate" = []
"sharing.compliance" = ["a"]
"firms.battery-plant.growth" = 3
"firms.battery-plant.output" = { dist = "beta" }
"firms.battery-plant.profit_margin" = { dist = "normal", mean = 0.1 }
"firms.battery-plant.vat_rate" = { dist = "uniform", low = 0.2, high = 0.1 }
"firms.battery-plant.cit_rate" = { dist = "triangular", low = 0.1, mode = 0.5, high = 0.2 }
"firms.battery-plant.pit_rate" = { dist = "normal", mean = 0.1, sd = 0 }
"firms.battery-plant.wage_ratio" = { dist = "lognormal", mu = 30, sigma = 1 }
"firms.battery-plant.surcharge_rate" = { dist = "normal", mean = 0, sd = 0.01, low = 0.6, high = 1 }
"firms.battery-plant.other_local_rate" = { dist = "choice", values = [0.1, 0.2], weights = [1] }
"firms.battery-plant.value_added_ratio" = { dist = "uniform", low = 0.1, hi = 0.2 }
"firms.yubei-cohort.growth" = { dist = "uniform", low = 5, high = 50 }
"firms.nowhere.growth" = [0.1]
"firms.battery-plant.colour" = [0.1]
"nothing.at.all" = [1]
"sharing.cap" = [1]
"firms.battery-plant.first_year" = { dist = "uniform", low = 2025, high = 2030 }
"firms.battery-plant.ramp_years" = { dist = "uniform", low = 1e13, high = 1e14 }
""",
    "grid-n": _BASE + 'design = "grid"\nn = 5\n' + _PARAMS,
    "grid-dist": _BASE + 'design = "grid"\n[sweep.parameters]\n'
    '"horizon.discount_rate" = { dist = "uniform", low = 0.03, high = 0.08 }\n',
    "sobol": _BASE + 'design = "sobol"\nn = 100\n' + _PARAMS,
    "no-parameters": _BASE + "n = 10\n",
    "correlation": _BASE + _PARAMS + '[sweep.correlation]\nkind = "x"\nparameters = '
    '["horizon.discount_rate", "sharing.compliance"]\nmatrix = [[1, 0.5], [0.4, 1]]\n',
    "correlation-names": _BASE + _PARAMS + '[sweep.correlation]\nparameters = ["nope"]\n',
    "base-missing": '[sweep]\nbase = "nowhere.toml"\n',
    "base-number": "[sweep]\nbase = 3\n",
    "base-and-more": _BASE + '[meta]\nname = "x"\n',
    "shares": _BASE + '[sweep.parameters]\n"sharing.shares.SC" = { dist = "uniform", low = 0.5, '
    'high = 0.9 }\n"sharing.shares.CQ" = { dist = "uniform", low = 0.3, high = 0.5 }\n',
    "extremes": _BASE + '[sweep.parameters]\n"horizon.discount_rate" = '
    '{ dist = "uniform", low = -0.99, high = 0.08 }\n',
    "policies": _BASE
    + '[sweep.parameters]\npolicy = { dist = "choice", values = ["x", "y"], weights = [1], '
    "w = 1 }\n"
    '"taxes.vat_local_share" = [0.4, 0.5]\n'
    '[[sweep.policies]]\nname = "x"\nset = { "firms.battery-plant.growth" = 0.1 }\n'
    '[[sweep.policies]]\nname = "x"\nset = { "taxes.vat_local_share" = 0.45 }\n',
    "policies-dist": _BASE + '[sweep.parameters]\npolicy = { dist = "uniform" }\n'
    '[[sweep.policies]]\nname = "x"\n',
    "policies-names": _BASE + '[sweep.parameters]\npolicy = ["z"]\n'
    '[[sweep.policies]]\nname = "x"\n',
    "policies-list": _BASE + "policies = 3\n[sweep.parameters]\npolicy = 3\n",
    "policies-weights": _BASE
    + '[sweep.parameters]\npolicy = { dist = "choice", weights = [1, 2] }\n'
    '[[sweep.policies]]\nname = "x"\n',
    "policies-none": _BASE + '[sweep.parameters]\npolicy = ["x"]\n',
    "policies-unchosen": _BASE + '[sweep.parameters]\n"horizon.discount_rate" = [0.03]\n'
    '[[sweep.policies]]\nname = "x"\n',
}
"""Sweep files with mistakes, together every reason a sweep file can be refused for."""


@pytest.mark.parametrize("body", BAD_SWEEPS.values(), ids=BAD_SWEEPS)
def test_a_bad_sweep_file_is_told_in_chinese(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    out = str(tmp_path / "o")
    result = CliRunner().invoke(main, ["sweep", str(path), "--out", out, "--lang", "zh"])
    assert result.exit_code == 2 and "不是有效的扫描文件" in result.output, result.output
    allowed = _words(body) | _ids(ROOT / "scenarios" / "gaozhu.toml")
    assert not _reason_english(result.output, allowed), result.output


def test_a_refused_folder_and_an_old_spreadsheet_are_told_in_chinese(tmp_path: Path) -> None:
    base = str(ROOT / "scenarios" / "gaozhu.toml")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("x", encoding="utf-8")
    said = [
        CliRunner().invoke(
            main, ["report", base, "--out", str(tmp_path / "taken"), "--lang", "zh"]
        ),
        CliRunner().invoke(main, ["sweep", "summary", str(tmp_path), "--lang", "zh"]),
    ]
    taken = str(tmp_path / "taken.xlsx")
    said.append(CliRunner().invoke(main, ["template", taken, "--lang", "zh"]))
    said[-1] = CliRunner().invoke(main, ["template", taken, "--lang", "zh"])
    old = tmp_path / "park.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    said.append(CliRunner().invoke(main, ["validate", str(old), "--lang", "zh"]))
    assert "已存在；请换一个路径" in said[0].output
    assert "不是扫描文件夹（没有 manifest.json）" in said[1].output
    assert "已存在；sim 从不替换情景文件或工作簿" in said[2].output
    assert "sim 只读取 .xlsx 工作簿，不读取 .xls" in said[3].output
    for result in said:
        assert result.exit_code in (1, 2) and result.output.startswith("错误：")
        assert not _reason_english(result.output.replace(str(tmp_path), " "), set()), result.output


def _base_ids(sweep: Path) -> set[str]:
    """The ids of a sweep file's base scenario (where it can be read)."""
    import tomllib

    base = tomllib.loads(sweep.read_text(encoding="utf-8")).get("sweep", {}).get("base")
    try:
        return _ids(sweep.parent / base) if isinstance(base, str) else set()
    except Exception:  # a missing base is the file's mistake
        return set()


@pytest.mark.parametrize(
    "path",
    [
        *sorted((INVALID.parent / "invalid_sweeps").glob("*.toml")),
        *sorted((INVALID.parent / "invalid_games").glob("*.json")),
        *sorted((INVALID.parent / "invalid_portfolios").glob("*.toml")),
    ],
    ids=lambda p: p.name,
)
def test_the_shipped_bad_sweeps_and_games_are_told_in_chinese(tmp_path: Path, path: Path) -> None:
    if path.suffix == ".json":
        args = ["game", "solve", str(path)]
    elif path.parent.name == "invalid_portfolios":
        args = ["portfolio", "run", str(path)]
    else:
        args = ["sweep", str(path), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, [*args, "--lang", "zh"])
    assert result.exit_code == 2 and "不是有效的" in result.output, result.output
    text = result.output.replace(str(path), " ")
    allowed = _words(path.read_text(encoding="utf-8"))
    allowed |= _base_ids(path) if path.suffix == ".toml" else set()
    assert not _reason_english(text, allowed), result.output


def test_a_name_in_brackets_is_not_bracketed_twice() -> None:
    # 铜梁（重庆） beside its code read TL（铜梁（重庆））: a bracket inside a bracket
    from sim.i18n import Reason
    from sim.report.base import _flows_heading, _names

    scenario = load_scenario(ROOT / "scenarios" / "tri-city-formula.toml")
    names = _names(scenario, "zh")
    heads = [_flows_heading(p, names, "zh") for p in scenario.party_ids]
    assert any("铜梁，重庆" in h for h in heads), heads
    assert not any(re.search(r"（[^）]*（", h) for h in heads), heads
    reason = Reason("party_named", party="TL", name=names["TL"]).text("zh")
    assert reason == "TL（铜梁，重庆）"


@pytest.mark.parametrize(("lang", "words"), [("zh", "添加参与方"), ("en", "To add a party")])
def test_the_workbook_notes_say_how_to_add_a_party(tmp_path: Path, lang: str, words: str) -> None:
    import openpyxl

    from sim import i18n

    path = tmp_path / "book.xlsx"
    result = CliRunner().invoke(main, ["template", str(path), "--lang", lang])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
    usage = [i18n.t(k, lang, unit=i18n.unit("100m CNY", lang)) for k in i18n.USAGE]
    assert any(words in c for c in cells)
    assert all(line in cells for line in usage[:2] + usage[3:])


def test_sensitivity_in_chinese_has_no_english_word(tmp_path: Path) -> None:
    from sim.sensitivity_tables import OUTPUTS
    from sim.sweep.spec import load_sweep

    sweep = ROOT / "scenarios" / "sweeps" / "gaozhu.toml"
    args = ["sensitivity", str(sweep), "--n", "8", "--out", str(tmp_path / "s")]
    text = _zh(*args)
    assert "净现值" in text and "已写入" in text
    spec = load_sweep(str(sweep))
    ids = _ids(ROOT / "scenarios" / "gaozhu.toml") | _words(*spec.names, *OUTPUTS)
    cited = {"owen", "song", "nelson", "staum"}  # the literature, cited as written
    assert not _english(text, ids | cited)
