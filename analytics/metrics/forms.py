from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from accounts.widgets import DateInput
from analytics.models import ChannelAnalyticsSettings
from channels_app.models import Channel


class InsightsForm(forms.Form):
    insights_enabled = forms.BooleanField(
        label=_("Use the platform's Insights"),
        help_text=ChannelAnalyticsSettings._meta.get_field("insights_enabled").help_text,
        required=False,
    )


class MetricsFilterForm(forms.Form):
    """The list of the latest figures: a unit (with the units below it), a channel, and the
    days of publication (ISO dates), each offered only among what the user reads."""

    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False)
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), required=False)
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"], widget=DateInput())
    until = forms.DateField(required=False, input_formats=["%Y-%m-%d"], widget=DateInput())

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(id__in=unit_ids)  # type: ignore[attr-defined]
        self.fields["channel"].queryset = Channel.objects.filter(unit_id__in=unit_ids)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The period ends before it begins."))
        return cleaned
