"""REST API of the weekly formats (``/api/v1/weekly-formats/``): the same rules as the pages
(editors of a unit keep its formats)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics

from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from editorial.models import WeeklyFormat
from editorial.weekly_formats.permissions import user_may_use_weekly_formats
from editorial.weekly_formats.selectors import weekly_formats_for_user
from editorial.weekly_formats.serializers import WeeklyFormatSerializer
from editorial.weekly_formats.services import weekly_format_create
from editorial.weekly_formats.services import weekly_format_delete
from editorial.weekly_formats.services import weekly_format_pause
from editorial.weekly_formats.services import weekly_format_resume
from editorial.weekly_formats.services import weekly_format_update

MayUseWeeklyFormats = user_may(user_may_use_weekly_formats)


class _WeeklyFormatsOfUser(generics.GenericAPIView):
    """The formats of the units the user edits, read and written as the pages do."""

    serializer_class = WeeklyFormatSerializer
    permission_classes = [*generics.GenericAPIView.permission_classes, MayUseWeeklyFormats]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[WeeklyFormat]:
        return weekly_formats_for_user(self.request.user)


class WeeklyFormatListView(_WeeklyFormatsOfUser, generics.ListCreateAPIView):
    """The standing weekly formats of the units the user edits; a new one is planned at once
    as topic slots up to six weeks ahead."""

    def perform_create(self, serializer: WeeklyFormatSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        paused = data.pop("is_paused", False)
        weekly_format = weekly_format_create(actor=self.request.user, request=self.request, **data)
        if paused:
            weekly_format = weekly_format_pause(
                actor=self.request.user, weekly_format=weekly_format, request=self.request
            )
        serializer.instance = weekly_format


class WeeklyFormatDetailView(_WeeklyFormatsOfUser, generics.RetrieveUpdateDestroyAPIView):
    """A weekly format; PATCH changes it (its future slots without a post are planned anew)
    or pauses and resumes it (``paused``); DELETE removes it, its future slots leave the plan
    as on a pause."""

    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer: WeeklyFormatSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        channels = data.pop("channels", None)
        paused = data.pop("is_paused", None)
        actor, request = self.request.user, self.request
        weekly_format: WeeklyFormat = serializer.instance  # type: ignore[assignment]
        if data or channels is not None:
            weekly_format = weekly_format_update(
                actor=actor, weekly_format=weekly_format, channels=channels, request=request, **data
            )
        if paused is True:
            weekly_format = weekly_format_pause(
                actor=actor, weekly_format=weekly_format, request=request
            )
        elif paused is False:
            weekly_format = weekly_format_resume(
                actor=actor, weekly_format=weekly_format, request=request
            )
        serializer.instance = weekly_format

    def perform_destroy(self, instance: WeeklyFormat) -> None:
        weekly_format_delete(actor=self.request.user, weekly_format=instance, request=self.request)
