# ruff: noqa: F811  (tests take the org and people fixtures imported from tests.world)
"""The unit named in an API write (``accounts.fields.UnitField``): a unit the user cannot see
answers as one that does not exist; one they see but may not write in is forbidden."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from accounts.fields import UnitField
from accounts.models import User
from accounts.selectors import units_administered_by
from tests.conftest import Org
from tests.conftest import People
from tests.matrix import db  # noqa: F401  (each test in a savepoint of the module's transaction)
from tests.world import org  # noqa: F401  (built once per module)
from tests.world import people  # noqa: F401  (built once per module)
from tests.world import world  # noqa: F401  (built once per module)


class _Write(serializers.Serializer):
    unit = UnitField(writable=units_administered_by)


class _Visible(serializers.Serializer):
    unit = UnitField()


def _errors(serializer_class: type[serializers.Serializer], user: User, unit_id: int) -> object:
    request = APIRequestFactory().post("/")
    request.user = user
    serializer = serializer_class(data={"unit": unit_id}, context={"request": request})
    serializer.is_valid()
    return serializer.errors


def test_an_invisible_unit_answers_as_one_that_does_not_exist(org: Org, people: People) -> None:
    invisible = _errors(_Write, people.editor, org.police.pk)
    missing = _errors(_Write, people.editor, 999_999)
    assert invisible == missing and list(invisible) == ["unit"]  # type: ignore[call-overload]


def test_a_visible_unit_the_user_may_not_write_in_is_forbidden(org: Org, people: People) -> None:
    with pytest.raises(PermissionDenied):
        _errors(_Write, people.auditor, org.press.pk)


def test_a_writable_unit_is_accepted(org: Org, people: People) -> None:
    assert _errors(_Write, people.system_admin, org.press.pk) == {}


def test_without_writable_a_visible_unit_is_left_to_the_service(org: Org, people: People) -> None:
    assert _errors(_Visible, people.auditor, org.press.pk) == {}
