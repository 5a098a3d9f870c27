"""REST API of a channel's profile notes: read (whoever sees the channel), change the text
and the "present on the profile" check, adopt the starter text (channel admins)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest
from channels_app.models import Channel
from channels_app.profile_notes.serializers import ProfileNotesSerializer
from channels_app.profile_notes.serializers import ProfileNotesWriteSerializer
from channels_app.profile_notes.services import profile_notes_adopt
from channels_app.profile_notes.services import profile_notes_check
from channels_app.profile_notes.services import profile_notes_update
from channels_app.selectors import channels_for_user


def _channel(request: AuthenticatedRequest, pk: int) -> Channel:
    return get_object_or_404(channels_for_user(request.user), pk=pk)


class ProfileNotesView(APIView):
    @extend_schema(responses=ProfileNotesSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(ProfileNotesSerializer(_channel(request, pk)).data)

    @extend_schema(request=ProfileNotesWriteSerializer, responses=ProfileNotesSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        """Change the text (which clears the check) and/or set the check (audited)."""
        channel = _channel(request, pk)
        serializer = ProfileNotesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "profile_notes" in data:
            channel = profile_notes_update(
                actor=request.user, channel=channel, text=data["profile_notes"], request=request
            )
        if "present_on_profile" in data:
            channel = profile_notes_check(
                actor=request.user,
                channel=channel,
                present=data["present_on_profile"],
                request=request,
            )
        return Response(ProfileNotesSerializer(channel).data)


class ProfileNotesAdoptView(APIView):
    """Fill empty profile notes with the starter text for the platform (409 if not empty)."""

    @extend_schema(request=None, responses={201: ProfileNotesSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        channel = profile_notes_adopt(
            actor=request.user, channel=_channel(request, pk), request=request
        )
        return Response(ProfileNotesSerializer(channel).data, status=status.HTTP_201_CREATED)
