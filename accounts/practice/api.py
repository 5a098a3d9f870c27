"""``/api/v1/practice/``: the signed-in user's practice mode, read and switched."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.models import User
from accounts.practice.selectors import practice_mode_on
from accounts.practice.selectors import practice_unit_for
from accounts.practice.selectors import user_may_practise
from accounts.practice.serializers import PracticeStateSerializer
from accounts.practice.services import practice_mode_set

MayPractise = user_may(user_may_practise)


def _state(user: User) -> dict[str, Any]:
    unit = practice_unit_for(user)
    return {
        "active": practice_mode_on(user),
        "unit": unit.pk if unit else None,
        "unit_name": unit.name if unit else None,
        "channels": [
            {"id": c.pk, "name": c.name, "platform": c.platform}
            for c in (unit.channels.all() if unit else [])
        ],
    }


class PracticeStateView(APIView):
    """Practice mode (Übungsmodus) of the signed-in user: while active, the user works in
    their practice unit only (sandbox channels, a simulated colleague), and nothing leaves
    the sandbox. The first switch on makes the practice unit."""

    permission_classes = [*APIView.permission_classes, MayPractise]

    @extend_schema(responses=PracticeStateSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(PracticeStateSerializer(_state(request.user)).data)

    @extend_schema(request=PracticeStateSerializer, responses=PracticeStateSerializer)
    def put(self, request: AuthenticatedRequest) -> Response:
        serializer = PracticeStateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        practice_mode_set(
            user=request.user, active=serializer.validated_data["active"], request=request
        )
        return Response(PracticeStateSerializer(_state(request.user)).data)
