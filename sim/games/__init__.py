"""Cooperative games, claims problems and bargaining: the fair-division toolbox.

- :mod:`sim.games.tu` — TU games as arrays of coalition values; Shapley, Banzhaf,
  τ-value, equal surplus, proportional division.
- :mod:`sim.games.nucleolus` — nucleolus, prenucleolus, weighted (per-capita)
  nucleolus, least core, Kohlberg's check.
- :mod:`sim.games.batched` — the (pre, weighted) nucleolus of a whole batch of games at
  once, each result certified by Kohlberg's criterion.
- :mod:`sim.games.cost` — cost games of shared infrastructure: SCRB (also batched),
  Shapley value, nucleolus and per-capita nucleolus of the costs, the savings game, the
  core of a cost game.
- :mod:`sim.games.claims` — proportional, constrained equal awards and losses, Talmud,
  random arrival.
- :mod:`sim.games.bargaining` — Nash, Kalai–Smorodinsky, egalitarian.
- :mod:`sim.games.explicit` — the JSON files of ``sim game solve``.
"""

from sim.games.tu import Game, GameUndefinedError

__all__ = ["Game", "GameUndefinedError"]
