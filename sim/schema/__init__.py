"""The schema: every key of a scenario file, with its bounds, unit and names.

:mod:`sim.schema.keys` is the key table, every key a scenario file may have, numbers and
the rest (ids, names, choices, flags), each declared once with its default, what it
means, how many it stands for and, for a number, where a sweep sets it on a batch;
:mod:`sim.schema.fields` is the field table derived from it, every number a sweep can
set, and binds a sweep's key paths to a scenario. Scenario files are checked from here,
sweep parameters are bound through here, the workbook is laid out from here, and
tables, figures and reports take their names and units from here.
"""

from sim.schema.fields import (
    FIELDS,
    Binding,
    Field,
    bind,
    field,
    input_value,
    is_year,
    unit_text,
    value_text,
)
from sim.schema.keys import (
    ARRAYS,
    KEYS,
    MAX_ID,
    MAX_TEXT,
    SCHEDULED,
    SCOPES,
    SHARING_TERMS,
    TABLES,
    Key,
    interval,
    key,
    names,
)

__all__ = [
    "ARRAYS",
    "FIELDS",
    "KEYS",
    "MAX_ID",
    "MAX_TEXT",
    "SCHEDULED",
    "SCOPES",
    "SHARING_TERMS",
    "TABLES",
    "Binding",
    "Field",
    "Key",
    "bind",
    "field",
    "input_value",
    "interval",
    "is_year",
    "key",
    "names",
    "unit_text",
    "value_text",
]
