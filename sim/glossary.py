"""Kept for callers of earlier versions: the words now live in :mod:`sim.i18n`."""

from __future__ import annotations

from sim.i18n import unit
from sim.i18n.words import TERMS as ZH_TERMS

__all__ = ["ZH_TERMS", "unit"]
