"""Decisions under uncertainty from a sweep: the pool shares that hold up
(:mod:`sim.decisions.robust`) and the conditions under which an agreement breaks
(:mod:`sim.decisions.discover`)."""
