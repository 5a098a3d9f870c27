"""Form pieces shared by the editorial features: Berlin wall-clock date and time fields."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.widgets import DateInput
from accounts.widgets import TimeInput
from editorial.common.timeutil import BERLIN
from editorial.common.timeutil import berlin_to_aware
from editorial.common.timeutil import clocks_go_back_on
from editorial.common.timeutil import is_ambiguous

DST_CHOICES = [
    ("", _("—")),
    ("first", _("the first 02:00 to 02:59 (still summer time, CEST)")),
    ("second", _("the second 02:00 to 02:59 (already winter time, CET)")),
]


class BerlinDateTimeMixin(forms.Form):
    """Date and time as the press office thinks of them (Berlin wall clock), resolved to an
    aware instant; the summer/winter-time choice matters only in the ambiguous autumn hour."""

    planned_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    planned_time = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    dst_choice = forms.ChoiceField(
        label=_("If the time occurs twice (night of the change to winter time)"),
        choices=DST_CHOICES,
        required=False,
    )

    planned_required = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = self._chosen_day()
        if day is None or not clocks_go_back_on(day):
            # Asked only for the day whose night has the hour twice; on every other day the
            # question has no meaning and only puzzles. A time in that hour chosen on the
            # day itself shows it with the question's error.
            self.fields["dst_choice"].widget = forms.HiddenInput()

    def _chosen_day(self) -> date | None:
        if self.is_bound:
            raw = self.data.get(self.add_prefix("planned_date"))
            try:
                return date.fromisoformat(str(raw)) if raw else None
            except ValueError:
                return None
        day = self.get_initial_for_field(self.fields["planned_date"], "planned_date")
        return day if isinstance(day, date) else None

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data; the stubs allow None for overrides.
        data = cast(dict[str, Any], super().clean())
        day, time = data.get("planned_date"), data.get("planned_time")
        if day is None and time is None:
            if self.planned_required:
                self.add_error("planned_date", _("Choose a date and time."))
            data["planned_at"] = None
            return data
        if day is None or time is None:
            self.add_error("planned_time" if day else "planned_date", _("Give both date and time."))
            return data
        naive = datetime.combine(day, time)
        choice = data.get("dst_choice") or None
        try:
            data["planned_at"] = berlin_to_aware(
                naive, second_occurrence=None if choice is None else choice == "second"
            )
        except ValidationError as error:
            field = "dst_choice" if is_ambiguous(naive) else "planned_time"
            self.add_error(field, error)
        return data

    @staticmethod
    def initial_for(planned_at: datetime | None) -> dict[str, Any]:
        if planned_at is None:
            return {}
        local = timezone.localtime(planned_at, BERLIN)
        initial: dict[str, Any] = {"planned_date": local.date(), "planned_time": local.time()}
        if is_ambiguous(local.replace(tzinfo=None)):
            initial["dst_choice"] = "second" if local.fold else "first"
        return initial
