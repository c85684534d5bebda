"""A sweep folder's manifest, read and checked: what the summary, the export, the report
and ``sim sweep --resume`` learn of a finished or interrupted sweep."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.errors import ResultsError
from sim.i18n import Reason

__all__ = ["read_manifest"]


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the sweep folder ``folder``; :class:`~sim.errors.ResultsError` if
    it has none, it cannot be read, or it is not a sweep's."""
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(Reason("no_sweep_manifest", folder=folder)) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(Reason("unreadable_manifest", folder=folder, error=exc)) from None
    if data.get("kind") != "sweep":
        raise ResultsError(Reason("not_sweep_folder", folder=folder))
    return dict(data)
