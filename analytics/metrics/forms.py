from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import ChannelAnalyticsSettings


class InsightsForm(forms.Form):
    insights_enabled = forms.BooleanField(
        label=_("Use the platform's Insights"),
        help_text=ChannelAnalyticsSettings._meta.get_field("insights_enabled").help_text,
        required=False,
    )
