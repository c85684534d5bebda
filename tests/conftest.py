from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "co-built-park.toml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))

# CI and a developer's run draw as many examples (a failure on CI is met again at home),
# 30 per property: the 83 properties are a sixth of the suite's time at that; CI only
# tolerates its slower machine's data generation
settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
# a long run before landing a change to the arithmetic: pytest --hypothesis-profile=long
settings.register_profile(
    "long", max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

_COMPONENT = {"calc": "libsclo", "writer": "libswlo"}
"""The library each LibreOffice component installs beside ``soffice`` (Debian packages
libreoffice-calc and libreoffice-writer; the same names on macOS and Windows)."""


def libreoffice(component: str) -> str | None:
    """``soffice`` if LibreOffice is installed with ``component`` (``calc`` or ``writer``),
    else ``None``: ``soffice`` alone may be the core without the component a test needs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    program = Path(soffice).resolve().parent
    for where in (program, program.parent / "Frameworks", program.parent / "program"):
        if any(where.glob(f"{_COMPONENT[component]}.*")):
            return soffice
    return None


@contextmanager
def pictures_not_rasterised() -> Iterator[None]:
    """Within: every figure is still drawn (its code runs on real Axes, so a figure that
    fails still fails) but not rasterised: ``sim.style.to_bytes`` gives a small blank PNG
    or SVG. Rasterising at 200-300 dpi is most of the time of writing a report; this is for
    tests that read a report's text, tables and files, never its pictures' pixels (those
    are checked by tests/report/test_plots.py, test_report.py and test_report_docx.py)."""
    from PIL import Image

    from sim import style

    buf = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(buf, format="PNG")
    blank = {
        "png": buf.getvalue(),
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"></svg>',
    }

    def blank_picture(fig: Any, fmt: str = "png", *, dpi: int | None = None) -> bytes:
        return blank[fmt]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(style, "to_bytes", blank_picture)
        yield


@pytest.fixture
def blank_pictures() -> Iterator[None]:
    """The test runs within :func:`pictures_not_rasterised`."""
    with pictures_not_rasterised():
        yield


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctests and examples use paths relative to the repository root."""
    monkeypatch.chdir(ROOT)


def shipped_sweep(tmp_path: Path, n: int, base: str = "gaozhu.toml") -> Path:
    """The shipped Gaozhu sweep (``scenarios/sweeps/gaozhu.toml``) as a file in
    ``tmp_path`` of ``n`` scenarios, its base made absolute (``base``: another scenario of
    ``scenarios/``)."""
    text = (ROOT / "scenarios" / "sweeps" / "gaozhu.toml").read_text(encoding="utf-8")
    assert 'base = "../gaozhu.toml"' in text and "\nn = 10000\n" in text  # what is replaced
    absolute = (ROOT / "scenarios" / base).as_posix()
    text = text.replace('base = "../gaozhu.toml"', f'base = "{absolute}"')
    path = tmp_path / "shipped-sweep.toml"
    path.write_text(text.replace("n = 10000", f"n = {n}"), encoding="utf-8")
    return path


def interrupt_sweep(monkeypatch: pytest.MonkeyPatch, source: Path, folder: Path, at: int) -> None:
    """Run the sweep of ``source`` into ``folder`` in chunks of 100 scenarios, interrupted
    (as by Ctrl-C) when chunk number ``at`` (from 1) starts; then restore the chunk runner."""
    from sim.sweep import execute, run

    real = run.evaluate_chunk
    calls: list[object] = []

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == at:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "evaluate_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        execute.run_sweep(source, folder, chunk_size=100)
    monkeypatch.setattr(run, "evaluate_chunk", real)
