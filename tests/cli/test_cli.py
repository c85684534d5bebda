"""The commands, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main

from ..conftest import REFERENCE, ROOT


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_json_has_the_spec_shape() -> None:
    code, out, _ = invoke("run", str(REFERENCE), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {
        "scenario",
        "rule",
        "unit",
        "parties",
        "years",
        "flows",
        "source_tax",
        "upper_tier",
        "central",
        "npv",
        # extensions beyond SPEC section 4, documented in the README
        "gain_vs_source",
        "statistics",
        "decomposition",
    }
    assert doc["scenario"] == "co-built-park" and doc["rule"] == "fixed"
    assert doc["unit"] == "100m CNY" and doc["parties"] == ["SC", "CQ"]
    assert doc["years"] == list(range(2021, 2041))
    for p in ("SC", "CQ"):
        flows = doc["flows"][p]
        assert set(flows) == {"tax", "land", "dividends", "investment", "net"}
        assert all(len(v) == 20 for v in flows.values())
        assert all(x <= 0 for x in flows["investment"])
        for t in range(20):
            total = sum(flows[s][t] for s in ("tax", "land", "dividends", "investment"))
            assert flows["net"][t] == pytest.approx(total, abs=1e-12)
    assert len(doc["central"]) == 20
    assert doc["npv"]["SC"] == pytest.approx(18.930726165798724, rel=1e-12)


def test_run_text_is_readable() -> None:
    code, out, _ = invoke("run", str(REFERENCE))
    assert code == 0
    assert "Guang'an (Sichuan) [SC]" in out
    assert "NPV at 0.05 discount rate (100m CNY, 2021 = year 0)" in out
    assert "18.931" in out


def test_run_out_writes_tidy_tables_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "run1"
    code, _, _ = invoke("run", str(REFERENCE), "--out", str(out))
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".sim-output",
        "flows.csv",
        "flows.parquet",
        "inputs",
        "manifest.json",
    ]
    frame = pd.read_parquet(out / "flows.parquet")
    csv = pd.read_csv(out / "flows.csv")
    assert list(frame.columns) == [
        "scenario",
        "label",
        "rule",
        "party",
        "year",
        "stream",
        "value",
        "unit",
    ]
    assert len(frame) == len(csv)
    net = frame[(frame.party == "SC") & (frame.stream == "net")]
    assert len(net) == 20
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == "co-built-park"
    assert len(manifest["scenario"]["file_sha256"]) == 64
    assert manifest["rule"] == "fixed" and "numpy" in manifest["versions"]
    # a second run does not silently overwrite; --force replaces
    code, _, err = invoke("run", str(REFERENCE), "--out", str(out))
    assert code == 2 and "exists; choose another path, or --force" in err
    code, _, _ = invoke("run", str(REFERENCE), "--out", str(out), "--force")
    assert code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["run1"]


def test_compare_json() -> None:
    code, out, _ = invoke("compare", str(REFERENCE), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["scenario"] == "co-built-park"
    labels = [r["label"] for r in doc["results"]]
    assert labels == ["agreement", "source", "equity", "shapley", "nucleolus", "nash"]
    assert doc["results"][3]["in_core"] is True
    assert doc["results"][3]["all_gain_vs_standalone"] is True
    assert sum(doc["results"][3]["shares"].values()) == pytest.approx(1.0)
    source = doc["results"][1]
    assert source["rule"] == "source"
    assert source["gain_vs_source"] == {"SC": 0.0, "CQ": 0.0}
    own = doc["results"][0]
    assert sum(own["gain_vs_source"].values()) == pytest.approx(0.0, abs=1e-12)


def test_rules_lists_every_rule_with_reference() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    doc = json.loads(out)
    names = [r["name"] for r in doc["rules"]]
    assert {"source", "fixed", "equity", "formula", "introducer"} <= set(names)
    assert all(r["reference"] for r in doc["rules"])
    code, text, _ = invoke("rules")
    assert code == 0 and "财预〔2012〕40号" in text


def test_help_teaches() -> None:
    code, out, _ = invoke("--help")
    assert code == 0 and "sim compare scenarios/" in out
    code, out, _ = invoke("run", "--help")
    assert "--out" in out and "--format" in out


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(REFERENCE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("ok")


def test_internal_errors_are_one_line_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.agreement

    def boom(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(sim.agreement, "resolve", boom)
    code, _, err = invoke("run", str(REFERENCE))
    assert code == 70
    assert "internal error: ZeroDivisionError" in err and "Traceback" not in err


def test_a_conservation_error_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.agreement
    from sim.errors import ConservationError

    def broken(*_a: object, **_k: object) -> None:
        raise ConservationError("tax is not conserved: allocated 1.0, collected 2.0")

    monkeypatch.setattr(sim.agreement, "resolve", broken)
    code, _, err = invoke("run", str(REFERENCE))
    assert code == 70
    assert "tax is not conserved" in err and "This is a bug in sim" in err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", str(REFERENCE)], 0),
        (["validate", str(ROOT / "tests" / "data" / "invalid" / "unknown-rule.toml")], 1),
        (["run", str(ROOT / "tests" / "data" / "invalid" / "unknown-rule.toml")], 2),
        (["run", "no-such-file.toml"], 2),
    ],
)
def test_exit_codes_are_those_documented(args: list[str], code: int) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output


def test_an_interrupt_exits_130_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.agreement

    def interrupted(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.agreement, "resolve", interrupted)
    code, _, err = invoke("run", str(REFERENCE))
    assert code == 130 and "interrupted; nothing was written" in err


def test_compare_several_files_side_by_side(tmp_path: Path) -> None:
    gaozhu = ROOT / "scenarios" / "gaozhu.toml"
    text = gaozhu.read_text(encoding="utf-8")
    head, rest = text.split("[sharing]", 1)  # the counter-proposal changes [sharing] only
    counter = tmp_path / "counter.toml"
    counter.write_text(
        head + "[sharing]" + rest.replace("SC = 0.5, CQ = 0.5", "SC = 0.6, CQ = 0.4", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["compare", str(gaozhu), str(counter), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [f["file"] for f in doc["files"]] == ["gaozhu.toml", "counter.toml"]
    for path, entry in zip((gaozhu, counter), doc["files"], strict=True):
        one = json.loads(
            CliRunner().invoke(main, ["compare", str(path), "--format", "json"]).output
        )
        agreement = next(r for r in one["results"] if r["label"] == "agreement")
        assert entry["npv"] == agreement["npv"] and entry["standalone"] == one["standalone"]
    assert doc["files"][1]["npv"]["SC"] > doc["files"][0]["npv"]["SC"]
    text_out = CliRunner().invoke(main, ["compare", str(gaozhu), str(counter)]).output
    assert "counter.toml: fixed shares 0.6:0.4" in text_out
    bad = CliRunner().invoke(
        main, ["compare", str(gaozhu), str(ROOT / "scenarios" / "tri-city-formula.toml")]
    )
    assert bad.exit_code == 2 and "same parties and unit" in bad.output
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "nash is not in the core: {CD, DY} together get 3.286, less than the 5.143"),
        ("zh", "纳什谈判 不在核心内：{CD、DY} 合计得到 3.286，少于其自行合作的 5.143"),
    ],
)
def test_compare_says_why_a_row_every_party_accepts_is_not_in_the_core(
    lang: str, said: str
) -> None:
    """The tri-city Nash row read 'all ≥ alone: yes', 'in core: no' and nothing more: the
    pair Chengdu–Deyang gets less than it would on its own, and now the lines say so."""
    code, out, _ = invoke(
        "compare", str(ROOT / "scenarios" / "tri-city-formula.toml"), "--lang", lang
    )
    assert code == 0
    assert said in out
    assert sum("core:" in line or "核心内：" in line for line in out.splitlines()) == 1
