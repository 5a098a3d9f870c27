"""REST API of post templates and recurring posts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_views import valid_body
from accounts.http import AuthenticatedRequest
from accounts.models import OrgUnit
from accounts.models import User
from channels_app.models import Channel
from editorial.models import Post
from editorial.models import PostTemplate
from editorial.post_templates.recurrence import post_make_recurring
from editorial.post_templates.recurrence import recurrence_stop
from editorial.post_templates.selectors import post_template_list_for_user
from editorial.post_templates.selectors import post_templates_for_user
from editorial.post_templates.serializers import CreatedPostSerializer
from editorial.post_templates.serializers import PostTemplateSerializer
from editorial.post_templates.serializers import RecurrenceSerializer
from editorial.post_templates.serializers import RecurrenceWriteSerializer
from editorial.post_templates.serializers import UseTemplateSerializer
from editorial.post_templates.services import post_from_template
from editorial.post_templates.services import post_template_create
from editorial.post_templates.services import post_template_delete
from editorial.post_templates.services import post_template_update
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import posts_for_user
from editorial.posts.selectors import units_for_authoring


def _channels(user: User, ids: list[int] | None) -> list[Channel] | None:
    """Unknown and forbidden channels get the same answer: ids of other units stay secret."""
    if ids is None:
        return None
    found = list(channels_for_drafting(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"channels": [_("You may not post on one of these channels.")]})
    return found


class PostTemplateListView(generics.ListAPIView):
    """Templates of the user's units; editors create (admins of the unit may mark them as
    emergency templates)."""

    serializer_class = PostTemplateSerializer
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[PostTemplate]:
        return post_template_list_for_user(self.request.user)

    @extend_schema(request=PostTemplateSerializer, responses={201: PostTemplateSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        data = valid_body(PostTemplateSerializer, request, request=request)
        # Units the user cannot see are unknown (400, UnitField); visible ones they may not
        # author in are forbidden (403).
        unit: OrgUnit = data.pop("unit")
        if not units_for_authoring(user).filter(pk=unit.pk).exists():
            raise PermissionDenied
        channels = _channels(user, data.pop("channels", [])) or []
        template = post_template_create(
            actor=user, unit=unit, channels=channels, request=request, **data
        )
        return Response(PostTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class PostTemplateDetailView(APIView):
    def _template(self, request: AuthenticatedRequest, pk: int) -> PostTemplate:
        return get_object_or_404(post_template_list_for_user(request.user), pk=pk)

    @extend_schema(responses=PostTemplateSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(PostTemplateSerializer(self._template(request, pk)).data)

    @extend_schema(request=PostTemplateSerializer, responses=PostTemplateSerializer)
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = request.user
        template = self._template(request, pk)
        serializer = PostTemplateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "unit" in data and data.pop("unit").pk != template.unit_id:
            raise ValidationError({"unit": [_("A template cannot move to another unit.")]})
        channels = _channels(user, data.pop("channels", None))
        template = post_template_update(
            actor=user, template=template, channels=channels, request=request, **data
        )
        return Response(PostTemplateSerializer(self._template(request, template.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        template = self._template(request, pk)
        post_template_delete(actor=request.user, template=template, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostTemplateUseView(APIView):
    @extend_schema(request=UseTemplateSerializer, responses={201: CreatedPostSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = request.user
        template = get_object_or_404(post_templates_for_user(user).select_related("unit"), pk=pk)
        data = valid_body(UseTemplateSerializer, request, request=request)
        # A unit the user cannot see: 400 (UnitField); one they may not author in: 403 from
        # the service.
        unit = data.get("unit")
        post = post_from_template(
            actor=user,
            template=template,
            values=data.get("values", {}),
            planned_at=data.get("planned_at"),
            unit=unit,
            request=request,
        )
        return Response(CreatedPostSerializer(post).data, status=status.HTTP_201_CREATED)


class PostRecurrenceView(APIView):
    """A post's series: read it, make the post recurring, stop the series."""

    def _post(self, request: AuthenticatedRequest, pk: int) -> Post:
        return get_object_or_404(
            posts_for_user(request.user).select_related("unit", "recurrence"),
            pk=pk,
        )

    @extend_schema(responses=RecurrenceSerializer)
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = self._post(request, pk)
        if post.recurrence is None:
            return Response({"detail": _("This post does not repeat.")}, status=404)
        return Response(RecurrenceSerializer(post.recurrence).data)

    @extend_schema(request=RecurrenceWriteSerializer, responses={201: RecurrenceSerializer})
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = self._post(request, pk)
        serializer = RecurrenceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recurrence = post_make_recurring(
            actor=request.user,
            post=post,
            request=request,
            **serializer.validated_data,
        )
        return Response(RecurrenceSerializer(recurrence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RecurrenceSerializer)
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        post = self._post(request, pk)
        if post.recurrence is None:
            return Response({"detail": _("This post does not repeat.")}, status=404)
        withdrawn = recurrence_stop(
            actor=request.user,
            recurrence=post.recurrence,
            request=request,
        )
        post.recurrence.refresh_from_db()
        return Response(
            RecurrenceSerializer(post.recurrence, context={"withdrawn": withdrawn}).data
        )
