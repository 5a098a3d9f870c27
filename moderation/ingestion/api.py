"""REST API of ingestion (``/api/v1/ingestion-streams/``): each channel's streams and how
they are doing; community managers ask for an immediate fetch."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api_views import ObjectActionView
from accounts.http import AuthenticatedRequest
from accounts.input import int_param
from moderation.ingestion.permissions import user_may_fetch_now
from moderation.ingestion.selectors import streams_for_user
from moderation.ingestion.serializers import IngestStreamSerializer
from moderation.ingestion.services import cursor_fetch_now
from moderation.models import IngestCursor


@extend_schema(
    parameters=[
        OpenApiParameter("channel", int, description="Only this channel's streams."),
        OpenApiParameter(
            "stream", str, enum=IngestCursor.Stream.values, description="Only this stream."
        ),
    ]
)
class IngestStreamListView(generics.ListAPIView):
    """The comments, mentions and direct-messages streams of every channel whose inbox the
    user reads: last success, last error, "not available for this channel" with its
    reason, items stored so far."""

    serializer_class = IngestStreamSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[IngestCursor]:
        streams = streams_for_user(self.request.user)
        channel = int_param(self.request.query_params, "channel")
        if channel is not None:
            streams = streams.filter(channel_id=channel)
        stream = self.request.query_params.get("stream")
        if stream:
            if stream not in IngestCursor.Stream.values:
                raise ValidationError({"stream": [_("Unknown stream.")]})
            streams = streams.filter(stream=stream)
        return streams


class IngestStreamDetailView(generics.RetrieveAPIView):
    serializer_class = IngestStreamSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[IngestCursor]:
        return streams_for_user(self.request.user)


class IngestStreamFetchNowView(ObjectActionView[IngestCursor]):
    """Fetch this stream now instead of at its next turn (community managers). 409 while a
    fetch runs or while the platform asked to wait (Retry-After)."""

    answer = IngestStreamSerializer
    answer_status = status.HTTP_202_ACCEPTED

    def target(self, pk: int) -> IngestCursor:
        cursor = get_object_or_404(streams_for_user(self.request.user), pk=pk)
        if not user_may_fetch_now(self.request.user, cursor):
            raise PermissionDenied
        return cursor

    def act(self, target: IngestCursor, data: dict[str, Any]) -> IngestCursor:
        cursor = cursor_fetch_now(actor=self.request.user, cursor=target)
        return streams_for_user(self.request.user).get(pk=cursor.pk)

    def respond(self, result: IngestCursor) -> Response:
        return Response(
            IngestStreamSerializer(result, context={"request": self.request}).data,
            status=self.answer_status,
        )
