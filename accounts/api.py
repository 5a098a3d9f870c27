"""REST API v1 for the signed-in user, organisational units and the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError

from accounts.audit import audit_action_label
from accounts.fields import UnitField
from accounts.http import AuthenticatedRequest
from accounts.http import user_may
from accounts.input import filter_values
from accounts.input import int_param
from accounts.models import AuditEntry
from accounts.models import OrgUnit
from accounts.models import Role
from accounts.models import RoleAssignment
from accounts.models import User
from accounts.selectors import audit_entries_for_user
from accounts.selectors import units_administered_by
from accounts.selectors import units_visible_to
from accounts.selectors import user_is_root_level
from accounts.selectors import user_may_administer
from accounts.selectors import user_may_view_audit
from accounts.selectors import user_role_assignments
from accounts.services import unit_create
from accounts.services import unit_update
from accounts.services import user_update_profile


class RoleAssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["unit", "unit_name", "role"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "two_factor_required", "roles"]
        read_only_fields = ["id", "email", "two_factor_required", "roles"]

    @extend_schema_field(RoleAssignmentSerializer(many=True))
    def get_roles(self, user: User) -> list[dict[str, Any]]:
        return RoleAssignmentSerializer(user_role_assignments(user), many=True).data  # type: ignore[return-value]


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user: read, and change name and language."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]
    request: AuthenticatedRequest

    def get_object(self) -> User:
        return self.request.user

    def perform_update(self, serializer: MeSerializer) -> None:  # type: ignore[override]
        user = self.get_object()
        data = serializer.validated_data
        user_update_profile(
            user=user,
            full_name=data.get("full_name", user.full_name),
            language=data.get("language", user.language),
            request=self.request,
        )


class UnitSerializer(serializers.ModelSerializer):
    # A parent the user cannot see: 400 "Unknown unit."; one they see but do not administer: 403.
    # The serializer metaclass moves declared fields into _declared_fields, so this does not
    # replace Field.parent (the serializer a field is bound to); mypy sees only the attribute.
    parent = UnitField(  # type: ignore[assignment]
        writable=units_administered_by, allow_null=True, required=False
    )

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "parent", "federal_state", "population", "path"]
        read_only_fields = ["id", "path"]

    def validate_parent(self, parent: OrgUnit | None) -> OrgUnit | None:
        user: User = self.context["request"].user
        if parent is None:
            if not user_is_root_level(user, [Role.SYSTEM_ADMIN]):
                raise ValidationError(_("Only an admin of a whole authority may do this."))
            return None
        return parent


IsSystemAdminForWrites = user_may(user_may_administer, writes_only=True)


class UnitListView(generics.ListCreateAPIView):
    """Units the user holds a role in, with everything below them. System admins create."""

    serializer_class = UnitSerializer
    permission_classes = [*generics.ListCreateAPIView.permission_classes, IsSystemAdminForWrites]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return units_visible_to(self.request.user).order_by("path")

    def perform_create(self, serializer: UnitSerializer) -> None:  # type: ignore[override]
        serializer.instance = unit_create(
            actor=self.request.user,
            request=self.request,
            **serializer.validated_data,
        )


class UnitDetailView(generics.RetrieveUpdateAPIView):
    serializer_class = UnitSerializer
    permission_classes = [
        *generics.RetrieveUpdateAPIView.permission_classes,
        IsSystemAdminForWrites,
    ]
    http_method_names = ["get", "patch", "head", "options"]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return units_visible_to(self.request.user)

    def perform_update(self, serializer: UnitSerializer) -> None:  # type: ignore[override]
        unit: OrgUnit = serializer.instance  # type: ignore[assignment]
        if not units_administered_by(self.request.user).filter(pk=unit.pk).exists():
            raise PermissionDenied
        data = serializer.validated_data
        parent = data.get("parent", unit.parent)
        if parent is not None and parent.path.startswith(unit.path):
            raise ValidationError({"parent": [_("A unit cannot be placed below itself.")]})
        unit_update(
            actor=self.request.user,
            unit=OrgUnit.objects.get(pk=unit.pk),
            name=data.get("name", unit.name),
            kind=data.get("kind", unit.kind),
            parent=parent,
            federal_state=data.get("federal_state", unit.federal_state),
            population=data.get("population", unit.population),
            request=self.request,
        )


class AuditEntrySerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField()
    target_type = serializers.SerializerMethodField()
    actor_token = serializers.CharField(source="actor_token.prefix", default=None, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "sequence",
            "created_at",
            "actor",
            "actor_label",
            "actor_token",
            "action",
            "description",
            "target_type",
            "target_id",
            "target_repr",
            "unit",
            "data",
            "ip_address",
            "previous_hash",
            "entry_hash",
            "key_id",
        ]

    def get_description(self, entry: AuditEntry) -> str:
        return audit_action_label(entry.action)

    def get_target_type(self, entry: AuditEntry) -> str | None:
        if entry.target_type is None:
            return None
        return f"{entry.target_type.app_label}.{entry.target_type.model}"


MayViewAudit = user_may(user_may_view_audit)


def _datetime_or_none(name: str, value: str | None) -> Any:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise ValidationError({name: [_("Expected an ISO 8601 date and time with offset.")]})
    return parsed


# A filter given is never empty (accounts.input.filter_values): the schema says so for text.
_GIVEN_TEXT = {"type": "string", "minLength": 1}
_AUDIT_FILTERS = ("actor", "action", "unit", "target_type", "target_id", "since", "until")


@extend_schema(
    parameters=[
        OpenApiParameter("actor", OpenApiTypes.INT),
        OpenApiParameter("action", _GIVEN_TEXT, description="Dotted name or its prefix"),
        OpenApiParameter("unit", OpenApiTypes.INT),
        OpenApiParameter("target_type", _GIVEN_TEXT, description="app_label.model"),
        OpenApiParameter("target_id", _GIVEN_TEXT),
        OpenApiParameter("since", OpenApiTypes.DATETIME),
        OpenApiParameter("until", OpenApiTypes.DATETIME),
    ]
)
class AuditEntryListView(generics.ListAPIView):
    """The audit log of the units the user audits (auditors and system admins)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [*generics.ListAPIView.permission_classes, MayViewAudit]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[AuditEntry]:
        params = self.request.query_params
        filter_values(params, _AUDIT_FILTERS)
        return audit_entries_for_user(
            self.request.user,
            actor_id=int_param(params, "actor"),
            action=params.get("action", ""),
            unit_id=int_param(params, "unit"),
            target_type=params.get("target_type", "").lower(),
            target_id=params.get("target_id", ""),
            since=_datetime_or_none("since", params.get("since")),
            until=_datetime_or_none("until", params.get("until")),
        )


class AuditEntryDetailView(generics.RetrieveAPIView):
    serializer_class = AuditEntrySerializer
    permission_classes = [*generics.RetrieveAPIView.permission_classes, MayViewAudit]
    lookup_field = "sequence"
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return audit_entries_for_user(self.request.user)
