"""REST API for channels. Credentials are write-only: accepted by ``PUT credentials/``,
never part of any response."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from drf_spectacular.utils import inline_serializer
from rest_framework import generics
from rest_framework import serializers
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.fields import UnitField
from accounts.http import AuthenticatedRequest
from accounts.permissions import MANAGE_CHANNEL
from channels_app.adapters.base import Capabilities
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import PlatformError
from channels_app.adapters.registry import adapter_class
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from channels_app.selectors import units_for_new_channels
from channels_app.services import channel_connect_with_form
from channels_app.services import channel_create
from channels_app.services import channel_disconnect
from channels_app.services import channel_test_connection
from channels_app.services import channel_update
from channels_app.views import channel_for_user


def _channel(
    request: AuthenticatedRequest, pk: int, permission: str = "channels_app.view_channel"
) -> Channel:
    return channel_for_user(request.user, pk, permission)


# Each field of ``Capabilities`` as the API answers it (the notes as text): the schema
# follows the dataclass, and a field of a new kind is noticed here, not in a client.
_CAPABILITY_KINDS: dict[str, Any] = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "int | None": {"type": "integer", "nullable": True},
    "str | Promise": {"type": "string"},
}
CAPABILITIES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What the platform's adapter can do.",
    "properties": {
        field.name: dict(_CAPABILITY_KINDS[str(field.type)])
        for field in dataclasses.fields(Capabilities)
    },
    "required": [field.name for field in dataclasses.fields(Capabilities)],
    "readOnly": True,
}


class ChannelSerializer(serializers.ModelSerializer):
    schema_rules = (
        "The sandbox platform only where it is switched on, and nothing else in a practice "
        "space; a platform on servers of its own (Mastodon, …) needs base_url."
    )

    unit = UnitField(writable=units_for_new_channels)
    capabilities = serializers.SerializerMethodField()
    connect_method = serializers.SerializerMethodField()
    access_expiring = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "name",
            "platform",
            "unit",
            "status",
            "status_message",
            "last_contact_at",
            "account_id",
            "handle",
            "profile_url",
            "base_url",
            "access_expires_at",
            "access_expiring",
            "granted_scopes",
            "impressum_url",
            "privacy_url",
            "legal_note",
            "is_sandbox",
            "capabilities",
            "connect_method",
        ]
        read_only_fields = [
            "status",
            "status_message",
            "last_contact_at",
            "account_id",
            "handle",
            "profile_url",
            "access_expires_at",
            "granted_scopes",
            "is_sandbox",
        ]
        extra_kwargs = {
            "granted_scopes": {
                "help_text": "What the platform granted at the last connect (OAuth scopes, "
                "space-separated); empty where the platform does not say."
            }
        }

    @extend_schema_field(CAPABILITIES_SCHEMA)
    def get_capabilities(self, channel: Channel) -> dict[str, Any]:
        capabilities = adapter_class(channel.platform).capabilities
        return {
            k: str(v) if k in ("text_counting", "idempotency") else v
            for k, v in dataclasses.asdict(capabilities).items()
        }

    def get_connect_method(self, channel: Channel) -> str:
        return str(adapter_class(channel.platform).connect_method)

    def get_access_expiring(self, channel: Channel) -> bool:
        """Someone has to reconnect the channel within the warning period (or already)."""
        limit = timezone.now() + timedelta(days=settings.CHANNEL_EXPIRY_WARNING_DAYS)
        return channel.reconnect_by is not None and channel.reconnect_by <= limit


class ChannelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    base_url = serializers.URLField(max_length=300, required=False, allow_blank=True)
    impressum_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    privacy_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    legal_note = serializers.CharField(required=False, allow_blank=True)


class ChannelListView(generics.ListCreateAPIView):
    """Channels of the units that grant the user access; channel admins create."""

    serializer_class = ChannelSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Channel]:
        return channels_for_user(self.request.user).order_by("name")

    def perform_create(self, serializer: ChannelSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        serializer.instance = channel_create(
            actor=self.request.user,
            request=self.request,
            unit=data["unit"],
            platform=data["platform"],
            name=data["name"],
            base_url=data.get("base_url", ""),
            impressum_url=data.get("impressum_url", ""),
            privacy_url=data.get("privacy_url", ""),
            legal_note=data.get("legal_note", ""),
        )


class ChannelDetailView(APIView):
    @extend_schema(responses=ChannelSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        channel = _channel(request, pk)
        return Response(ChannelSerializer(channel, context={"request": request}).data)

    @extend_schema(request=ChannelUpdateSerializer, responses=ChannelSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        channel = _channel(request, pk, MANAGE_CHANNEL)
        serializer = ChannelUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = channel_update(
            actor=request.user,
            channel=channel,
            request=request,
            **serializer.validated_data,
        )
        return Response(ChannelSerializer(channel, context={"request": request}).data)


_RESULT = inline_serializer(
    "ChannelActionResult",
    {
        "ok": serializers.BooleanField(),
        "detail": serializers.CharField(),
        "error_type": serializers.CharField(required=False),
    },
)


def _platform_failure(error: PlatformError) -> Response:
    kind = "authentication" if isinstance(error, AuthenticationError) else type(error).__name__
    return Response(
        {"ok": False, "detail": error.message, "error_type": kind},
        status=status.HTTP_502_BAD_GATEWAY,
    )


class ChannelTestView(APIView):
    @extend_schema(request=None, responses={200: _RESULT, 502: _RESULT})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        channel = _channel(request, pk, MANAGE_CHANNEL)
        try:
            name = channel_test_connection(actor=request.user, channel=channel, request=request)
        except PlatformError as error:
            return _platform_failure(error)
        return Response({"ok": True, "detail": name})


class ChannelCredentialsView(APIView):
    """Write-only: connect a form-based platform (Bluesky, Telegram, Sandbox)."""

    http_method_names = ["put", "options"]

    @extend_schema(
        request=inline_serializer(
            "ChannelCredentials", {"values": serializers.DictField(child=serializers.CharField())}
        ),
        responses={204: None, 502: _RESULT},
    )
    def put(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = request.user
        channel = _channel(request, pk, MANAGE_CHANNEL)
        values = request.data.get("values") if isinstance(request.data, dict) else None
        fields = {f.name for f in adapter_class(channel.platform).credential_fields}
        if not isinstance(values, dict) or set(values) != fields:
            raise ValidationError(
                {
                    "values": [
                        _("Expected exactly these fields: %(fields)s")
                        % {"fields": ", ".join(sorted(fields))}
                    ]
                }
            )
        try:
            channel_connect_with_form(
                actor=user,
                channel=channel,
                values={k: str(v) for k, v in values.items()},
                request=request,
            )
        except PlatformError as error:
            return _platform_failure(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChannelDisconnectView(APIView):
    @extend_schema(request=None, responses=ChannelSerializer)
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        channel = _channel(request, pk, MANAGE_CHANNEL)
        channel = channel_disconnect(actor=request.user, channel=channel, request=request)
        return Response(ChannelSerializer(channel, context={"request": request}).data)
