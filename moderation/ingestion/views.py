"""Ingestion pages: each channel's streams and "fetch now".

A stream of a channel the user may not read answers 404; an auditor asking for a fetch 403.
Every change goes through ``moderation.ingestion.services``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import DomainError
from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.outcomes import carry_out
from moderation.common.permissions import channels_for_moderating
from moderation.ingestion.permissions import user_may_fetch_now
from moderation.ingestion.permissions import user_may_see_streams
from moderation.ingestion.selectors import streams_for_user
from moderation.ingestion.services import cursor_fetch_now


class StreamListView(PermissionMixin, View):
    permission = staticmethod(user_may_see_streams)

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        streams = list(streams_for_user(request.user))
        moderated = set(channels_for_moderating(request.user).values_list("pk", flat=True))
        rows = [(cursor, cursor.channel_id in moderated) for cursor in streams]
        return render(request, "moderation/ingestion/list.html", {"rows": rows})


class StreamFetchNowView(PermissionMixin, View):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        cursor = get_object_or_404(streams_for_user(request.user), pk=pk)
        if not user_may_fetch_now(request.user, cursor):
            raise PermissionDenied
        carry_out(
            request,
            lambda: cursor_fetch_now(actor=request.user, cursor=cursor),
            success=_("%(channel)s: %(stream)s will be fetched in a moment.")
            % {"channel": cursor.channel.name, "stream": cursor.get_stream_display()},
            refusals=(DomainError,),
        )
        return redirect(reverse("ingestion:list"))
