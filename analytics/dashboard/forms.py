"""The dashboard's filter: a period (a preset or two ISO dates) and, optionally, a unit (with
the units below it), a channel and a topic, each offered only among what the user reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from accounts.widgets import QuickSelect
from analytics.dashboard.selectors import DEFAULT_PRESET
from analytics.dashboard.selectors import Period
from channels_app.models import Channel
from editorial.models import Topic

# A longer period would still be answered quickly, but its daily table and chart would not
# fit the page weight; a year covers every report.
MAX_DAYS = 366

PRESET_CHOICES = [
    ("last_7", _("Last 7 days")),
    ("last_30", _("Last 30 days")),
    ("last_90", _("Last 90 days")),
    ("last_month", _("Last month")),
    ("custom", _("From … until …")),
]


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Channel) -> str:
        return obj.label


class DashboardFilterForm(forms.Form):
    preset = forms.ChoiceField(label=_("Period"), choices=PRESET_CHOICES, initial=DEFAULT_PRESET)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until (inclusive)"), required=False, widget=DateInput())
    # Quick selects: an authority offers hundreds of channels (the page's time).
    unit = UnitChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, widget=QuickSelect
    )
    channel = ChannelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False, widget=QuickSelect
    )
    topic = forms.ModelChoiceField(
        label=_("Topic or campaign"),
        queryset=Topic.objects.none(),
        required=False,
        widget=QuickSelect,
    )

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["unit"].queryset = OrgUnit.objects.filter(id__in=unit_ids).order_by("path")
        fields["channel"].queryset = (
            Channel.objects.filter(unit_id__in=unit_ids)
            .only("pk", "name", "platform", "unit_id")
            .order_by("name", "pk")
        )
        fields["topic"].queryset = Topic.objects.filter(
            unit_id__in=unit_ids, archived=False
        ).order_by("name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("preset") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if start is None:
            self.add_error("start", _("Enter the first day of the period."))
        if end is None:
            self.add_error("end", _("Enter the last day of the period."))
        if start and end:
            if end < start:
                self.add_error("end", _("The period cannot end before it starts."))
            elif end - start >= timedelta(days=MAX_DAYS):
                self.add_error("end", _("Choose a period of at most a year."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["preset"] == "custom":
            return Period(data["start"], data["end"])
        return Period.preset(data["preset"])

    def selection(self) -> dict[str, Any]:
        """The keyword arguments of ``dashboard_for`` besides the period."""
        data = self.cleaned_data
        return {
            "unit_ids": [data["unit"].pk] if data.get("unit") else None,
            "channel_ids": [data["channel"].pk] if data.get("channel") else None,
            "topic_ids": [data["topic"].pk] if data.get("topic") else None,
        }
