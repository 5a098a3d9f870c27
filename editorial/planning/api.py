"""REST API of the Redaktionsplan (``/api/v1/calendar/``)."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_schema import query_rules
from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.input import filter_values
from editorial.models import CalendarSlot
from editorial.models import Post
from editorial.planning.forms import CalendarFilterForm
from editorial.planning.holidays import holidays_for_user
from editorial.planning.permissions import user_may_use_calendar
from editorial.planning.selectors import MAX_API_PERIOD_DAYS
from editorial.planning.selectors import SLOT_STATUS
from editorial.planning.selectors import calendar_entries
from editorial.planning.selectors import slots_for_user
from editorial.planning.serializers import CalendarSerializer
from editorial.planning.serializers import SlotSerializer
from editorial.planning.services import slot_create
from editorial.planning.services import slot_delete
from editorial.planning.services import slot_update

MayUseCalendar = user_may(user_may_use_calendar)


def _date_param(params: Any, name: str) -> date:
    value = params.get(name, "")
    parsed = parse_date(value) if value else None
    if parsed is None:
        raise ValidationError({name: [_("Expected an ISO 8601 date (YYYY-MM-DD).")]})
    return parsed


@extend_schema(
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First day"),
        OpenApiParameter(
            "end", OpenApiTypes.DATE, required=True, description="Last day (inclusive)"
        ),
        OpenApiParameter("unit", OpenApiTypes.INT, description="Unit and the units below it"),
        OpenApiParameter("channel", OpenApiTypes.INT),
        OpenApiParameter("topic", OpenApiTypes.INT),
        OpenApiParameter(
            "status",
            OpenApiTypes.STR,
            enum=[*Post.Status.values, SLOT_STATUS],
            description="A post status, or 'slot' for open topic slots only",
        ),
        OpenApiParameter("author", OpenApiTypes.INT),
    ],
    responses=CalendarSerializer,
    extensions=query_rules(
        "end is not before start and less than 366 days after it; unit, channel, topic and "
        "author name one the user may plan for."
    ),
)
class CalendarView(APIView):
    """Posts (by planned time, Europe/Berlin days), open topic slots and the public holidays
    of the user's federal states between two days; at most 366 days."""

    permission_classes = [*APIView.permission_classes, MayUseCalendar]

    def get(self, request: AuthenticatedRequest) -> Response:
        params = request.query_params
        start = _date_param(params, "start")
        end = _date_param(params, "end")
        if end < start:
            raise ValidationError({"end": [_("The end must not be before the start.")]})
        if (end - start).days >= MAX_API_PERIOD_DAYS:
            raise ValidationError(
                {"end": [_("At most %(days)s days at once.") % {"days": MAX_API_PERIOD_DAYS}]}
            )
        user = request.user
        # The page's filter form checks that unit, channel, topic and author are in scope.
        form = CalendarFilterForm(
            filter_values(params, ("unit", "channel", "topic", "status", "author")),
            user=user,
        )
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        filters = form.filters()
        until = end + timedelta(days=1)
        entries = calendar_entries(user, start, until, filters)
        holidays = holidays_for_user(user, start, until, unit=filters.unit)
        data = {
            "start": start,
            "end": end,
            "entries": [
                {**vars(entry), "channels": [_tag(t) for t in entry.channels], "url": entry.url}
                for entry in entries
            ],
            "holidays": [
                {"date": day, "name": name} for day, names in holidays.items() for name in names
            ],
        }
        return Response(CalendarSerializer(data).data)


def _tag(tag: Any) -> dict[str, Any]:
    return {"id": tag.id, "name": tag.name, "colour": tag.colour}


class SlotListView(generics.ListCreateAPIView):
    """Topic slots of the user's units; editors plan new ones."""

    serializer_class = SlotSerializer
    permission_classes = [*generics.ListCreateAPIView.permission_classes, MayUseCalendar]
    request: AuthenticatedRequest

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="From this day"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Up to this day (inclusive)"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CalendarSlot]:
        slots = slots_for_user(self.request.user).order_by("day", "time", "id")
        params = self.request.query_params
        if "start" in params:
            slots = slots.filter(day__gte=_date_param(params, "start"))
        if "end" in params:
            slots = slots.filter(day__lte=_date_param(params, "end"))
        return slots

    def perform_create(self, serializer: SlotSerializer) -> None:  # type: ignore[override]
        serializer.instance = slot_create(
            actor=self.request.user, request=self.request, **serializer.validated_data
        )


class SlotDetailView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = SlotSerializer
    permission_classes = [
        *generics.RetrieveUpdateDestroyAPIView.permission_classes,
        MayUseCalendar,
    ]
    http_method_names = ["get", "patch", "delete", "head", "options"]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[CalendarSlot]:
        return slots_for_user(self.request.user)

    def perform_update(self, serializer: SlotSerializer) -> None:  # type: ignore[override]
        data = dict(serializer.validated_data)
        channels = data.pop("channels", None)
        serializer.instance = slot_update(
            actor=self.request.user,
            slot=serializer.instance,  # type: ignore[arg-type]
            channels=channels,
            request=self.request,
            **data,
        )

    def perform_destroy(self, instance: CalendarSlot) -> None:
        slot_delete(actor=self.request.user, slot=instance, request=self.request)
