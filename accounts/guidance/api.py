"""REST API of guidance: one's checklist, the training records of the people of one's units."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.guidance.permissions import user_may_view_training_records
from accounts.guidance.selectors import checklist_for
from accounts.guidance.selectors import people_in_training_scope
from accounts.guidance.serializers import ChecklistSerializer
from accounts.guidance.serializers import TrainingRecordSerializer
from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.input import int_param
from accounts.models import User


class ChecklistView(APIView):
    """The signed-in user's onboarding checklist: the items of their roles, ticked by doing
    them in their practice space."""

    request: AuthenticatedRequest

    @extend_schema(responses=ChecklistSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(ChecklistSerializer(checklist_for(request.user)).data)


MayViewTrainingRecords = user_may(user_may_view_training_records)


@extend_schema(parameters=[OpenApiParameter("unit", OpenApiTypes.INT)])
class TrainingRecordListView(generics.ListAPIView):
    """Training records of the people with a role in the units the user administers or
    audits (system admins and auditors); ``unit``: only the people of that unit."""

    serializer_class = TrainingRecordSerializer
    permission_classes = [*generics.ListAPIView.permission_classes, MayViewTrainingRecords]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[User]:
        unit_id = int_param(self.request.query_params, "unit")
        return people_in_training_scope(self.request.user, unit_id=unit_id)


class TrainingRecordDetailView(generics.RetrieveAPIView):
    """One person's training record."""

    serializer_class = TrainingRecordSerializer
    permission_classes = [*generics.RetrieveAPIView.permission_classes, MayViewTrainingRecords]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[User]:
        return people_in_training_scope(self.request.user)
