"""Scenario workbooks: a scenario file as an ``.xlsx`` workbook for people who keep their
figures in Excel or WPS, and back.

- :mod:`sim.workbook.layout`: the sheets, laid out from the schema's keys;
- :mod:`sim.workbook.write`: a scenario mapping as a workbook to fill in;
- :mod:`sim.workbook.bounds`: what a workbook may hold, checked before it is opened
  (shared strings, styles, cells, values beyond the rows and columns read);
- :mod:`sim.workbook.grids`: its sheets as rows of values, within those bounds;
- :mod:`sim.workbook.read`: a workbook as the mapping a TOML file gives, with the sheet,
  cell and column of every problem;
- :mod:`sim.workbook.totoml`: a scenario mapping as TOML text.

:func:`sim.scenario.load` reads ``.xlsx`` files through here, and validates what they
hold exactly as it validates TOML.
"""
