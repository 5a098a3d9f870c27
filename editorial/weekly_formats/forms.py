"""The weekly format form: a topic slot's fields (unit, title, time, topic, channels, note)
with a weekday and a first day in place of the slot's day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.widgets import DateInput
from accounts.widgets import TimeInput
from editorial.models import WeeklyFormat
from editorial.planning.forms import SlotForm


class WeeklyFormatForm(SlotForm):
    day = None  # type: ignore[assignment]  # a format has a weekday, not a day
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=WeeklyFormat.Weekday.choices, coerce=int
    )
    time = forms.TimeField(
        label=_("Time"), widget=TimeInput(), help_text=_("German time (Europe/Berlin), HH:MM.")
    )
    starts_on = forms.DateField(
        label=_("First day"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: planned from this day on (YYYY-MM-DD); empty: from today."),
    )

    field_order = ["unit", "title", "weekday", "time", "starts_on", "topic", "channels", "note"]

    def weekly_format_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["channels"] = list(data.pop("channels"))
        return data
