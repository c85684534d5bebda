from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "co-built-park.toml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=40, deadline=None)
# a long run before landing a change to the arithmetic: pytest --hypothesis-profile=long
settings.register_profile(
    "long", max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctests and examples use paths relative to the repository root."""
    monkeypatch.chdir(ROOT)
