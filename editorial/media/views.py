"""Media library pages: list, upload, detail with metadata and usage, delete, and the files
themselves behind an access check (MEDIA_ROOT is never served directly).

Assets of units the user has no role in answer 404; visible assets the user may not change
answer 403 on every change.

The views that accept files install ``editorial.media.upload``'s size limit before the body is
parsed. That needs ``csrf_exempt`` on ``dispatch`` (the CSRF middleware would read
``request.POST`` first, with the default handlers) and ``csrf_protect`` on the inner method
that does the work, as Django's upload handler documentation prescribes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.csrf import csrf_protect

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.models import User
from accounts.selectors import unit_ids_for_roles
from accounts.selectors import units_visible_to
from accounts.views.base import PermissionMixin
from accounts.views.errors import report_errors
from accounts.views.outcomes import carry_out
from accounts.views.paging import query_without_page
from accounts.views.submissions import submit_form
from editorial.media.derivatives import THUMBNAIL
from editorial.media.forms import MediaEditForm
from editorial.media.forms import MediaFilterForm
from editorial.media.forms import MediaUploadForm
from editorial.media.permissions import media_upload_units
from editorial.media.permissions import user_may_edit_media
from editorial.media.permissions import user_may_use_media_library
from editorial.media.processing import METADATA_FIELDS
from editorial.media.selectors import media_asset_usage
from editorial.media.selectors import media_assets_for_user
from editorial.media.selectors import media_assets_viewable_by
from editorial.media.selectors import media_public_file
from editorial.media.services import media_asset_delete
from editorial.media.services import media_asset_update
from editorial.media.services import media_asset_upload
from editorial.media.services import media_derivative_for
from editorial.media.upload import install_media_upload_limit
from editorial.media.upload import media_upload_was_refused
from editorial.models import MediaAsset

PAGE_SIZE = 30


def asset_for_user(user: User, pk: int) -> MediaAsset:
    return get_object_or_404(media_assets_for_user(user), pk=pk)


def _file_response(field_file: FieldFile, mime_type: str, filename: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mime_type, filename=filename)
    # Files of other users' units must not stay in shared caches.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class MediaListView(PermissionMixin, View):
    permission = user_may_use_media_library

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        form = MediaFilterForm(request.GET or None, units=units_visible_to(user).order_by("path"))
        filters: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "query": data["q"].strip(),
                "kind": data["kind"],
                "unit_id": data["unit"].pk if data["unit"] else None,
            }
        page = Paginator(media_assets_for_user(user, **filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "editorial/media/list.html",
            {
                "form": form,
                "page": page,
                "query": query_without_page(request),
                "filtered": any(filters.values()),
                "may_upload": media_upload_units(user).exists(),
                "today": timezone.localdate(),
            },
        )


@method_decorator(csrf_exempt, name="dispatch")
class MediaUploadView(PermissionMixin, View):
    template_name = "editorial/media/upload.html"

    @staticmethod
    def permission(user: User) -> bool:
        return media_upload_units(user).exists()

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = MediaUploadForm(units=media_upload_units(request.user))
        return self._render(request, form)

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        install_media_upload_limit(request)
        return self._post(request)

    @method_decorator(csrf_protect)
    def _post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        user = request.user
        form = MediaUploadForm(
            request.POST,
            request.FILES,
            units=media_upload_units(user),
            upload_refused=media_upload_was_refused(request),
        )
        asset = submit_form(
            request,
            form,
            lambda data: media_asset_upload(
                actor=user,
                request=request,
                unit=data["unit"],
                uploaded_file=data["file"],
                captions_file=data["captions_file"],
                **{name: data[name] for name in METADATA_FIELDS},
            ),
            success=_("The file has been added to the media library."),
            refusals=(ValidationError,),
        )
        if asset is not None:
            return redirect("media:detail", pk=asset.pk)
        return self._render(request, form)

    def _render(self, request: AuthenticatedHttpRequest, form: MediaUploadForm) -> HttpResponse:
        context = {"form": form, "max_upload_mb": settings.MEDIA_MAX_UPLOAD_MB}
        return render(request, self.template_name, context)


@method_decorator(csrf_exempt, name="dispatch")
class MediaDetailView(PermissionMixin, View):
    permission = user_may_use_media_library
    template_name = "editorial/media/detail.html"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        asset = asset_for_user(user, pk)
        form = None
        if user_may_edit_media(user, asset):
            form = MediaEditForm(
                initial={name: getattr(asset, name) for name in METADATA_FIELDS},
                is_video=asset.kind == MediaAsset.Kind.VIDEO,
                has_captions=bool(asset.captions_file),
            )
        return self._render(request, asset, form)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        install_media_upload_limit(request)
        return self._post(request, pk)

    @method_decorator(csrf_protect)
    def _post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        asset = asset_for_user(user, pk)
        if not user_may_edit_media(user, asset):
            raise PermissionDenied
        form = MediaEditForm(
            request.POST,
            request.FILES,
            is_video=asset.kind == MediaAsset.Kind.VIDEO,
            has_captions=bool(asset.captions_file),
            upload_refused=media_upload_was_refused(request),
        )
        if form.is_valid():
            data = form.cleaned_data
            metadata: dict[str, Any] = {name: data[name] for name in METADATA_FIELDS}
            if data.get("captions_file"):
                metadata["captions_file"] = data["captions_file"]
            elif data.get("remove_captions"):
                metadata["captions_file"] = None
            try:
                media_asset_update(actor=user, asset=asset, request=request, **metadata)
            except ValidationError as error:
                report_errors(request, error, form)
                asset.refresh_from_db()
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("media:detail", pk=asset.pk)
        return self._render(request, asset, form)

    def _render(
        self, request: AuthenticatedHttpRequest, asset: MediaAsset, form: MediaEditForm | None
    ) -> HttpResponse:
        user = request.user
        usage = list(media_asset_usage(asset))
        visible_units = unit_ids_for_roles(user, Role.values)
        visible_usage = [post for post in usage if post.unit_id in visible_units]
        return render(
            request,
            self.template_name,
            {
                "asset": asset,
                "form": form,
                "may_edit": form is not None,
                "usage": visible_usage,
                "hidden_usage": len(usage) - len(visible_usage),
                "in_use": bool(usage),
                "captions_are_webvtt": (asset.captions_file.name or "").endswith(".vtt"),
                "today": timezone.localdate(),
            },
        )


class MediaDeleteView(PermissionMixin, View):
    permission = user_may_use_media_library

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        asset = asset_for_user(user, pk)
        if not user_may_edit_media(user, asset):
            raise PermissionDenied
        name = asset.original_name
        if not carry_out(
            request,
            lambda: media_asset_delete(actor=user, asset=asset, request=request),
            success=_("“%(name)s” has been deleted.") % {"name": name},
            refusals=(ValidationError,),
        ):
            return redirect("media:detail", pk=asset.pk)
        return redirect("media:list")


class MediaFileView(PermissionMixin, View):
    """The original, its thumbnail or its subtitles, for users who may see the asset."""

    permission = user_may_use_media_library
    variant = "original"

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
        asset = get_object_or_404(media_assets_viewable_by(request.user), pk=pk)
        if self.variant == "captions":
            if not asset.captions_file:
                raise Http404
            vtt = (asset.captions_file.name or "").endswith(".vtt")
            return _file_response(
                asset.captions_file,
                "text/vtt; charset=utf-8" if vtt else "application/x-subrip; charset=utf-8",
                f"{asset.original_name.rsplit('.', 1)[0]}.{'vtt' if vtt else 'srt'}",
            )
        if self.variant == "thumbnail":
            if asset.kind != MediaAsset.Kind.IMAGE:
                raise Http404
            try:
                thumbnail = media_derivative_for(asset, THUMBNAIL)
            except ValidationError:
                thumbnail = None  # cannot be made smaller: the original has to do
            if thumbnail is not None:
                return _file_response(thumbnail.file, thumbnail.mime_type, asset.original_name)
        return _file_response(asset.file, asset.mime_type, asset.original_name)


def media_public_file_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """A file behind a signed, expiring URL, for platforms that fetch media themselves.

    No login: the signature is the authorisation. Invalid and expired links look the same."""
    found = media_public_file(token)
    if found is None:
        raise Http404
    field_file, mime_type = found
    response = _file_response(field_file, mime_type, (field_file.name or "").rsplit("/")[-1])
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
