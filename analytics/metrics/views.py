"""The per-channel Insights switch (Facebook and Instagram): one checkbox, reached from the
channel's page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.http import AuthenticatedHttpRequest
from accounts.views.base import PermissionMixin
from accounts.views.submissions import submit_form
from analytics.metrics.forms import InsightsForm
from analytics.metrics.permissions import user_may_switch_insights
from analytics.metrics.selectors import INSIGHTS_PLATFORMS
from analytics.metrics.selectors import insights_enabled
from analytics.metrics.services import channel_insights_set
from channels_app.models import Channel
from channels_app.selectors import channels_for_user


class ChannelInsightsView(PermissionMixin, View):
    template_name = "analytics/metrics/insights.html"

    def _channel(self, pk: int) -> Channel:
        channel = get_object_or_404(channels_for_user(self.request.user), pk=pk)
        if channel.platform not in INSIGHTS_PLATFORMS:
            raise Http404
        if not user_may_switch_insights(self.request.user, channel):
            raise PermissionDenied
        return channel

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(pk)
        form = InsightsForm(initial={"insights_enabled": insights_enabled(channel)})
        return render(request, self.template_name, {"form": form, "channel": channel})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(pk)
        form = InsightsForm(request.POST)
        saved = submit_form(
            request,
            form,
            lambda data: channel_insights_set(
                actor=request.user,
                channel=channel,
                enabled=data["insights_enabled"],
                request=request,
            ),
            success=_("The analytics settings of the channel have been saved."),
        )
        if saved is not None:
            return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template_name, {"form": form, "channel": channel})
