"""The channels named in an API write."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from channels_app.models import Channel
from channels_app.selectors import channels_for_user


class VisibleChannelField(serializers.PrimaryKeyRelatedField):
    """A channel id the requesting user sees; any other id (another authority's channel)
    answers exactly as an id of nothing, so existence does not show (issue 16). Whether the
    user may publish on it stays the service's rule. Needs the request in the context."""

    def __init__(self, **kwargs: Any) -> None:
        # All channels only tell the schema generator the model; get_queryset narrows them.
        kwargs.setdefault("queryset", Channel.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Channel]:
        return channels_for_user(self.context["request"].user)
