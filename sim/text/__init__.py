"""The readable text of ``sim run``, ``sim compare``, ``sim game`` and ``sim rules``, in
English or Chinese.

Pure functions from results to ``str``; every word comes from the catalogue
(:mod:`sim.i18n`), so no renderer here compares a language code. The JSON documents
these commands print stay in :mod:`sim.output`.
"""

from __future__ import annotations

from sim.text.game import render_game, render_rules, render_solved
from sim.text.scenario import render_compare, render_files, render_run

__all__ = [
    "render_compare",
    "render_files",
    "render_game",
    "render_rules",
    "render_run",
    "render_solved",
]
