"""The date and time inputs every form of every app uses (and a quicker ``<select>``).

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
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

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


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written here rather than through one template
    include each (Django's way): a choice of a few hundred channels renders in about a
    millisecond instead of tens (the analytics dashboard's filter). The same markup as
    Django's templates: attributes, ``selected``, option groups."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, group_choices, _index in widget["optgroups"]:
            options = mark_safe(  # noqa: S308  # each option escaped by format_html
                "".join(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                    for option in group_choices
                )
            )
            if group_name:
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, options))
            else:
                parts.append(options)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308  # each part escaped by format_html
        )
