"""The date and time inputs every form of every app uses.

A browser's ``<input type="date">`` accepts only ISO values (``2026-12-05``), whatever the
page's language; Django's own ``DateInput`` writes the active language's first input format
(``05.12.2026`` in German), which the browser throws away: the field shows empty and the next
save fails for want of a date. So each widget here writes the one value its input type takes.
Parsing needs nothing of ours: Django accepts the ISO formats in every language.

``tests/test_form_dates.py`` holds every form field of type date, time or datetime in the
project to these widgets.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_TIME)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)


ISO_WIDGETS = (DateInput, TimeInput, DateTimeLocalInput)
