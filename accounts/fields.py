"""The unit named in an API write, checked in one place for every app.

* A unit the user cannot see at all answers exactly as a unit that does not exist: 400
  ``Unknown unit.`` (no hint that another authority's unit exists).
* A unit the user can see but may not write in is refused: 403 ``permission_denied``. Either
  by ``writable`` here, or, where the field has no ``writable``, by the service the view calls
  (which enforces its own rule and raises ``PermissionDenied``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.input import MAX_ID
from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import units_visible_to

UNKNOWN_UNIT = _("Unknown unit.")

WritableUnits = Callable[[User], QuerySet[OrgUnit]]


def unit_for_writing(user: User, unit: OrgUnit, writable: WritableUnits | None = None) -> OrgUnit:
    """``unit`` if the user sees it (and, with ``writable``, may write in it).

    Raises ``serializers.ValidationError(UNKNOWN_UNIT)`` for a unit the user cannot see and
    ``PermissionDenied`` for one they see but may not write in.
    """
    if not units_visible_to(user).filter(pk=unit.pk).exists():
        raise serializers.ValidationError(UNKNOWN_UNIT, code="does_not_exist")
    if writable is not None and not writable(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    return unit


class UnitField(serializers.PrimaryKeyRelatedField):
    """A unit by id, for writes: unknown and invisible ids get the same 400, a visible unit
    the user may not write in (``writable``) a 403. Needs the request in the context."""

    default_error_messages = {"does_not_exist": UNKNOWN_UNIT}

    def __init__(self, *, writable: WritableUnits | None = None, **kwargs: Any) -> None:
        self.writable = writable
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> OrgUnit:
        unit = super().to_internal_value(data)
        return unit_for_writing(self.context["request"].user, unit, self.writable)


class IdField(serializers.IntegerField):
    """An id given as a plain number (a query filter): 0 up to what the database's bigint
    ids hold, as the schema says; a larger number is refused (400), not sent to the
    database, which cannot take it (a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class KeptWhitespaceField(serializers.CharField):
    """Text kept as written (a reply's leading line breaks and indentation are part of it),
    yet required text still: whitespace alone is refused as blank, as from a trimmed field
    and as the schema's pattern says (``accounts.api_schema.NOT_BLANK``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["trim_whitespace"] = False
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str) and not self.allow_blank and data and not data.strip():
            self.fail("blank")
        return super().run_validation(data)
