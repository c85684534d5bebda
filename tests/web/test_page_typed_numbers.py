"""A number typed on the page as an official writes it (``1,200``, ``1，200``, ``5亿元``,
``2021年``) is answered beside its field with the number to type, in the page's
language — not only ``must be a number, got the string '1,200'``, and never read
silently."""

from __future__ import annotations

from typing import Any

import pytest

from .test_serve import _post, app, client, wid

flask = pytest.importorskip("flask", reason="sim serve needs Flask: pip install -e '.[serve]'")

__all__ = ["app", "client", "wid"]  # the fixtures, shared with test_serve.py


@pytest.mark.parametrize(
    ("field", "typed", "zh", "en"),
    [
        ("firms.battery-plant.output", "1,200", "请只填数字：1,200 应写作 1200",
         "type the number alone: 1,200 is written 1200"),
        ("firms.battery-plant.output", "1，200", "请只填数字：1，200 应写作 1200",
         "1，200 is written 1200"),
        ("firms.battery-plant.output", "5亿元", "请只填数字：5亿元 应写作 5", "5亿元 is written 5"),
        ("firms.battery-plant.first_year", "2027年", "请只填数字：2027年 应写作 2027",
         "is written 2027"),
    ],
)  # fmt: skip
def test_a_number_typed_with_a_separator_or_unit_says_what_to_type(
    client: Any, wid: str, field: str, typed: str, zh: str, en: str
) -> None:
    for lang, said in (("zh", zh), ("en", en)):
        response = _post(client, wid, "validate", lang=lang, fields={field: typed})
        problems = response.json["problems"]
        assert [p["field"] for p in problems] == [field], problems
        assert said in problems[0]["message"], problems[0]["message"]
    # what is no number at all keeps the schema's reason
    response = _post(client, wid, "validate", lang="zh", fields={field: "很多"})
    assert response.json["problems"][0]["message"].startswith("须为")
