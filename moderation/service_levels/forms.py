"""The service-levels form: service hours per weekday as time inputs, targets, storm alert,
four-eyes replies; and the report's period."""

from __future__ import annotations

from datetime import date
from datetime import time
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from accounts.widgets import TimeInput
from moderation.common.selectors import EffectiveSettings
from moderation.service_levels.services import SERVICE_LEVEL_FIELDS
from moderation.service_levels.services import service_hours_clean

# Ranges offered per weekday in the form (the API takes any number).
SLOTS = 3


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=TimeInput(attrs={"step": 60}),
    )


class ServiceLevelsForm(forms.Form):
    first_response_minutes = forms.IntegerField(
        label=_("First response within (service minutes)"),
        min_value=1,
        max_value=60 * 24 * 30,
        help_text=_("Counted only during the service hours, e.g. 240 = four service hours."),
    )
    next_response_minutes = forms.IntegerField(
        label=_("Next response within (service minutes)"),
        min_value=1,
        max_value=60 * 24 * 30,
        help_text=_("When the same person writes again in a thread we already answered."),
    )
    storm_threshold = forms.IntegerField(
        label=_("Storm alert from (items on one channel)"), min_value=1, max_value=100000
    )
    storm_window_minutes = forms.IntegerField(
        label=_("Storm alert window (minutes)"), min_value=1, max_value=60 * 24
    )
    replies_need_approval = forms.BooleanField(
        label=_("Replies need a second person's approval"),
        required=False,
        help_text=_(
            "Four-eyes principle: a reply is sent only after another community manager approved it."
        ),
    )

    def __init__(self, *args: Any, settings: EffectiveSettings, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "first_response_minutes": settings.first_response_minutes,
            "next_response_minutes": settings.next_response_minutes,
            "storm_threshold": settings.storm_threshold,
            "storm_window_minutes": settings.storm_window_minutes,
            "replies_need_approval": settings.replies_need_approval,
        }
        hours = settings.service_hours or {}
        for day in range(7):
            for slot, (start, end) in enumerate(hours.get(str(day), [])[:SLOTS]):
                initial[f"day{day}_{slot}_start"] = time.fromisoformat(start)
                initial[f"day{day}_{slot}_end"] = time.fromisoformat(end)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for day in range(7):
            name = str(WEEKDAYS[day])
            for slot in range(SLOTS):
                number = slot + 1
                self.fields[f"day{day}_{slot}_start"] = _time_field(
                    _("%(day)s, range %(n)s: from") % {"day": name, "n": number}
                )
                self.fields[f"day{day}_{slot}_end"] = _time_field(
                    _("%(day)s, range %(n)s: until") % {"day": name, "n": number}
                )
        self.day_errors: dict[int, list[str]] = {}

    def days(self) -> list[dict[str, Any]]:
        """For the template: one fieldset per weekday with its ranges and errors."""
        return [
            {
                "number": day,
                "name": WEEKDAYS[day],
                "slots": [
                    (self[f"day{day}_{slot}_start"], self[f"day{day}_{slot}_end"])
                    for slot in range(SLOTS)
                ],
                "errors": self.day_errors.get(day, []),
            }
            for day in range(7)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: dict[str, list[list[str]]] = {}
        for day in range(7):
            ranges = []
            for slot in range(SLOTS):
                start = data.get(f"day{day}_{slot}_start")
                end = data.get(f"day{day}_{slot}_end")
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    self._day_error(day, _("Give both a start and an end for each range."))
                    continue
                ranges.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
            if ranges:
                hours[str(day)] = ranges
        for day in range(7):
            if str(day) not in hours:
                continue
            try:
                service_hours_clean({str(day): hours[str(day)]})
            except ValidationError as error:
                for message in error.messages:
                    self._day_error(day, message)
        if self.day_errors:
            raise ValidationError(
                _("The service hours need a correction (see the weekdays marked below).")
            )
        data["service_hours"] = hours
        return data

    def _day_error(self, day: int, message: Any) -> None:
        self.day_errors.setdefault(day, []).append(str(message))
        # Screen readers announce the day's inputs as invalid, not only the list above them.
        for slot in range(SLOTS):
            for end in ("start", "end"):
                widget = self.fields[f"day{day}_{slot}_{end}"].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"day{day}-errors"

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in SERVICE_LEVEL_FIELDS}


class ReportForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The period must end after it starts."))
            if (end - start).days > 366:
                raise ValidationError(_("Choose a period of at most a year."))
        return data


def default_period() -> tuple[date, date]:
    """The last 30 days, today included."""
    today = timezone.localdate()
    return today - timedelta(days=29), today
