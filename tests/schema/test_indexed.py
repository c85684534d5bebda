"""A problem's key path by its item's row (:func:`sim.schema.checks.indexed`), as a
workbook's cells and the page's rows find it (a portfolio's items:
tests/portfolio/test_portfolio_ids.py)."""

from __future__ import annotations

from sim.schema.checks import indexed


def test_the_longest_id_that_fits_names_the_row() -> None:
    firms = {"firms": [{"id": "a"}, {"id": "a.b"}, {"id": "a.b"}]}
    assert indexed("firms.a.b.growth", firms) == "firms[1].growth"  # not firms[0].b.growth
    assert indexed("firms.a.growth", firms) == "firms[0].growth"
    assert indexed("firms[2].id", firms) == "firms[2].id"  # its id taken: named by its place
