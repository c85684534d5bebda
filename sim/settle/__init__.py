"""Settlement statements (``sim settle``): for one year of a scenario, who pays whom,
how much and why (docs/settle.md).

- :mod:`sim.settle.ledger` — :func:`settle`: the year's pool, shares and each step of
  every transfer, from the model's own steps, and the payments after netting;
- :mod:`sim.settle.render` — the statement as text, JSON, ``statement.xlsx`` and
  ``statement.docx``, in English or Chinese.
"""

from __future__ import annotations

from sim.settle.ledger import (
    LINES,
    TAX_LINES,
    Contribution,
    Payment,
    Statement,
    net_payments,
    settle,
)
from sim.settle.render import document, render, statement_report, write

__all__ = [
    "LINES",
    "TAX_LINES",
    "Contribution",
    "Payment",
    "Statement",
    "document",
    "net_payments",
    "render",
    "settle",
    "statement_report",
    "write",
]
