"""editable_fields_check, the guard of the ``*_update(**fields)`` services."""

from __future__ import annotations

import pytest

from accounts.updates import editable_fields_check


def test_editable_fields_pass() -> None:
    editable_fields_check({"title": "Neu", "text": ""}, ("title", "text", "topic"))
    editable_fields_check({}, ("title",))


def test_a_field_outside_the_editable_ones_is_named_in_the_refusal() -> None:
    with pytest.raises(ValueError, match=r"Not editable: \['status', 'unit'\]"):
        editable_fields_check({"unit": 1, "title": "Neu", "status": "draft"}, {"title"})
