"""Objects of the moderation area named by id in an API write (an item, a rule, an evidence
record). An id the user may not read answers exactly as an id that does not exist: the same
status, the same body (no hint that another authority's object exists), as
``accounts.fields`` does for units. Whether the user may *act* on a readable object is the
service's rule (403 or its own refusal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from moderation.common.permissions import channels_for_reading
from moderation.models import InboxItem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Readable = Callable[[User], QuerySet[Any]]


@extend_schema_field(OpenApiTypes.INT)
class ReadableField(serializers.PrimaryKeyRelatedField):
    """An id among ``readable(user)``; any other id gets the one answer ``unknown``. Needs
    the request in the serializer's context."""

    def __init__(self, *, readable: Readable, unknown: StrOrPromise, **kwargs: Any) -> None:
        self.readable = readable
        super().__init__(**kwargs)
        self.error_messages["does_not_exist"] = unknown

    def get_queryset(self) -> QuerySet[Any]:
        return self.readable(self.context["request"].user)


def readable_items(user: User) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(channel__in=channels_for_reading(user)).select_related(
        "channel__unit", "author"
    )


def item_field(**kwargs: Any) -> ReadableField:
    """An item of a channel the user reads."""
    return ReadableField(readable=readable_items, unknown=_("Unknown item."), **kwargs)
