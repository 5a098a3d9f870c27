from __future__ import annotations

from django import forms

from analytics.models import ChannelAnalyticsSettings

_FIELD = ChannelAnalyticsSettings._meta.get_field("insights_enabled")


class InsightsForm(forms.Form):
    insights_enabled = forms.BooleanField(
        label=_FIELD.verbose_name, help_text=_FIELD.help_text, required=False
    )
