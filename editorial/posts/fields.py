"""The topic named in an API write (posts, calendar slots)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from editorial.models import Topic
from editorial.posts.selectors import topics_for_drafting


@extend_schema_field(OpenApiTypes.INT)
class VisibleTopicField(serializers.PrimaryKeyRelatedField):
    """A topic id the requesting user may file posts and slots under; any other id (another
    authority's topic, an archived one) answers exactly as one that does not exist, so
    existence does not show (issue 16). Needs the request in the context."""

    def __init__(self, **kwargs: Any) -> None:
        # All topics only tell the schema generator the model; get_queryset narrows them.
        kwargs.setdefault("queryset", Topic.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Topic]:
        return topics_for_drafting(self.context["request"].user)
