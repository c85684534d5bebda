"""Portfolios: the whole cooperation of several jurisdictions — several parks, each with
its own agreement, and a joint fund — consolidated per party, year and budget, played
as one cooperative game (the package deal) and settled as one payment per pair of
treasuries (docs/portfolio.md).

- :mod:`sim.portfolio.types` — what a portfolio file holds;
- :mod:`sim.portfolio.load` — reading and validating it (:func:`load_portfolio`);
- :mod:`sim.portfolio.parks` — each park run as ``sim run`` runs it alone;
- :mod:`sim.portfolio.fund` — the joint fund's money, year by year;
- :mod:`sim.portfolio.consolidate` — every stream of every park and the fund, by budget;
- :mod:`sim.portfolio.package` — the portfolio's game, its core, fair division and the
  smallest side payment;
- :mod:`sim.portfolio.statement` — the year's settlement, netted across the parks;
- :mod:`sim.portfolio.render` — all of it as text (English or Chinese) and JSON.
"""

from __future__ import annotations

from sim.portfolio.consolidate import BUDGETS, Consolidated, consolidate
from sim.portfolio.load import PortfolioError, load_portfolio, loads_portfolio
from sim.portfolio.package import Package, SidePayment, package, portfolio_game, side_payment
from sim.portfolio.types import Fund, Park, Portfolio, PortfolioParty, Stake

__all__ = [
    "BUDGETS",
    "Consolidated",
    "Fund",
    "Package",
    "Park",
    "Portfolio",
    "PortfolioError",
    "PortfolioParty",
    "SidePayment",
    "Stake",
    "consolidate",
    "load_portfolio",
    "loads_portfolio",
    "package",
    "portfolio_game",
    "side_payment",
]
