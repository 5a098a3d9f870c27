"""REST API of the media library (``/api/v1/media/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.errors import ConflictError
from accounts.http import AuthenticatedRequest
from accounts.input import int_param
from accounts.models import OrgUnit
from accounts.parsers import JSONObjectParser
from accounts.parsers import MultiPartParser
from accounts.selectors import unit_ids_for_roles
from editorial.media.permissions import MEDIA_EDIT_ROLES
from editorial.media.permissions import user_may_edit_media
from editorial.media.processing import media_upload_too_large_message
from editorial.media.selectors import media_assets_for_user
from editorial.media.serializers import MediaAssetSerializer
from editorial.media.serializers import MediaUpdateSerializer
from editorial.media.serializers import MediaUploadSerializer
from editorial.media.services import media_asset_delete
from editorial.media.services import media_asset_update
from editorial.media.services import media_asset_upload
from editorial.media.upload import install_media_upload_limit
from editorial.media.upload import media_upload_was_refused
from editorial.models import MediaAsset


class _UploadLimitMixin:
    """The size limit must be in place before DRF parses the body (see ``editorial.media.upload``);
    DRF hands the Django request's upload handlers to its multipart parser."""

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        if request.method in ("POST", "PUT", "PATCH"):
            install_media_upload_limit(request)
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]


def _request_data(request: Request, field: str) -> Any:
    data = request.data
    if media_upload_was_refused(request):
        raise ValidationError({field: [media_upload_too_large_message()]})
    return data


@extend_schema(
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="File name, alt text, caption, credit"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=MediaAsset.Kind.values),
        OpenApiParameter("unit", OpenApiTypes.INT, description="A unit and the units below it"),
    ],
    methods=["GET"],
)
@extend_schema(
    request={"multipart/form-data": MediaUploadSerializer},
    responses={
        201: MediaAssetSerializer,
        400: OpenApiResponse(
            description="Field messages: not an image or video, too large, too many pixels,"
            " unknown unit, subtitles not WebVTT/SRT."
        ),
        403: OpenApiResponse(description="No editor or channel-admin role in the unit."),
    },
    methods=["POST"],
)
class MediaAssetListView(_UploadLimitMixin, generics.ListCreateAPIView):
    """Media of the units where the user holds a role; editors and channel admins upload."""

    serializer_class = MediaAssetSerializer
    parser_classes = [MultiPartParser, FormParser]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[MediaAsset]:
        params = self.request.query_params
        kind = params.get("kind", "")
        if kind and kind not in MediaAsset.Kind.values:
            raise ValidationError({"kind": [_("Unknown kind.")]})
        return media_assets_for_user(
            self.request.user,
            query=params.get("q", "").strip(),
            kind=kind,
            unit_id=int_param(params, "unit"),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self.request.user
        serializer = MediaUploadSerializer(
            data=_request_data(request, "file"), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit: OrgUnit = data.pop("unit")
        if unit.pk not in unit_ids_for_roles(user, MEDIA_EDIT_ROLES):
            raise PermissionDenied(_("You may not upload media to this unit."))
        asset = media_asset_upload(
            actor=user,
            request=request,
            unit=unit,
            uploaded_file=data.pop("file"),
            **data,
        )
        return Response(MediaAssetSerializer(asset).data, status=status.HTTP_201_CREATED)


@extend_schema(
    request={
        "application/json": MediaUpdateSerializer,
        "multipart/form-data": MediaUpdateSerializer,
    },
    responses={200: MediaAssetSerializer},
    methods=["PATCH"],
)
@extend_schema(
    responses={
        204: None,
        409: OpenApiResponse(description="The asset is used by a post."),
    },
    methods=["DELETE"],
)
class MediaAssetDetailView(_UploadLimitMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = MediaAssetSerializer
    parser_classes = [JSONObjectParser, MultiPartParser, FormParser]
    http_method_names = ["get", "patch", "delete", "head", "options"]
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[MediaAsset]:
        return media_assets_for_user(self.request.user)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset: MediaAsset = self.get_object()
        data = _request_data(request, "captions_file")
        user = self.request.user
        if not user_may_edit_media(user, asset):
            raise PermissionDenied
        serializer = MediaUpdateSerializer(data=data, partial=True)
        serializer.is_valid(raise_exception=True)
        media_asset_update(
            actor=user,
            asset=asset,
            request=request,
            **serializer.validated_data,
        )
        return Response(MediaAssetSerializer(self.get_object()).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset: MediaAsset = self.get_object()
        user = self.request.user
        if not user_may_edit_media(user, asset):
            raise PermissionDenied
        try:
            media_asset_delete(actor=user, asset=asset, request=request)
        except DjangoValidationError as error:
            # The asset is still used by a post: a conflict with the current state (409).
            raise ConflictError(error.messages[0]) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
