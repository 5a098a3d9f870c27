"""``GET /api/v1/analytics/dashboard/``: the dashboard's tiles, goals and tables as the page
shows them, for a period (``period_start``/``period_end``, ISO dates; default the last 30
days) and optionally a unit (with the units below it), a channel and a topic. Everyone with
a role reads the figures of their units' subtree; another authority's unit is refused (400,
as a choice not offered)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_schema import query_rules
from accounts.http import AuthenticatedRequest
from accounts.input import filter_values
from analytics.dashboard.forms import DashboardFilterForm
from analytics.dashboard.permissions import unit_ids_for_dashboard
from analytics.dashboard.permissions import user_may_see_dashboard
from analytics.dashboard.selectors import DEFAULT_PRESET
from analytics.dashboard.selectors import dashboard_for
from analytics.dashboard.serializers import DashboardSerializer

PARAMETERS = [
    OpenApiParameter("period_start", OpenApiTypes.DATE, description="First day (with period_end)."),
    OpenApiParameter("period_end", OpenApiTypes.DATE, description="Last day, inclusive."),
    OpenApiParameter("unit", OpenApiTypes.INT, description="This unit and the units below it."),
    OpenApiParameter("channel", OpenApiTypes.INT, description="Only this channel."),
    OpenApiParameter("topic", OpenApiTypes.INT, description="Only posts of this topic."),
]


class DashboardView(APIView):
    """The dashboard, compared with the period of equal length before."""

    @extend_schema(
        parameters=PARAMETERS,
        responses=DashboardSerializer,
        extensions=query_rules(
            "period_start and period_end come together, the end not before the start and "
            "less than a year after it; unit, channel and topic name one the user reads."
        ),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        if not user_may_see_dashboard(request.user):
            raise PermissionDenied
        params = filter_values(request.query_params, (p.name for p in PARAMETERS))
        custom = bool(params["period_start"] or params["period_end"])
        form = DashboardFilterForm(
            {
                "preset": "custom" if custom else DEFAULT_PRESET,
                "start": params["period_start"],
                "end": params["period_end"],
                "unit": params["unit"],
                "channel": params["channel"],
                "topic": params["topic"],
            },
            unit_ids=unit_ids_for_dashboard(request.user),
        )
        if not form.is_valid():
            names = {"start": "period_start", "end": "period_end"}
            raise ValidationError(
                {
                    names.get(field, field): [str(e) for e in errors]
                    for field, errors in form.errors.items()
                }
            )
        dashboard = dashboard_for(request.user, period=form.period(), **form.selection())
        return Response(DashboardSerializer(dashboard).data)
