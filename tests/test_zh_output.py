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

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
INVALID = Path(__file__).parent / "data" / "invalid"
NAMES = {"Shapley", "Nash", "NPV", "PRIM", "CART", "CNY", "TOML", "Banzhaf", "Kalai"}
NAMES |= {"Smorodinsky", "Savage", "Sobol", "Morris"}
"""Names from the literature, written as their authors' (the allowlist, kept short)."""
WORD = re.compile(r"[A-Za-z]{4,}")


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
