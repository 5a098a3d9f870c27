"""Forms for post templates, for using a template, and for recurring posts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.widgets import DateInput
from channels_app.forms import ChannelsField
from channels_app.models import Channel
from editorial.common.forms import BerlinDateTimeMixin
from editorial.models import PostTemplate
from editorial.models import Recurrence

PLACEHOLDER_HELP = _(
    "Write placeholders in curly braces, e.g. {ort}, {datum} or {uhrzeit}: whoever uses the"
    " template fills them in. Names consist of letters, digits and underscores. Write {{ or }}"
    " for a literal brace."
)


class PostTemplateForm(forms.Form):
    """Only the fields the person may change are shown: content for editors of the unit,
    the emergency mark for its channel and system admins."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PostTemplate.Kind.choices)
    title = forms.CharField(
        label=_("Internal title"),
        max_length=200,
        help_text=_("Placeholders work here too."),
    )
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), help_text=PLACEHOLDER_HELP
    )
    website_link = forms.URLField(
        label=_("Link to our website"), max_length=500, required=False, assume_scheme="https"
    )
    channels = ChannelsField()
    is_emergency = forms.BooleanField(
        label=_("Emergency template"),
        required=False,
        help_text=_(
            "Can be sent during a pause with one emergency approval. Only channel admins and"
            " system admins of the unit set this mark."
        ),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit] | None,
        channels: QuerySet[Channel],
        content: bool = True,
        emergency: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["channels"].queryset = channels.order_by("name")  # type: ignore[attr-defined]
        if not content:
            for name in ("name", "kind", "title", "text", "website_link", "channels"):
                del self.fields[name]
        if not emergency:
            del self.fields["is_emergency"]


class UseTemplateForm(BerlinDateTimeMixin):
    """One input per placeholder, then the unit and, optionally, date and time (Berlin)."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())

    field_order = ["unit", "planned_date", "planned_time", "dst_choice"]

    def __init__(
        self, *args: Any, placeholders: list[str], units: QuerySet[OrgUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.placeholders = placeholders
        # Placeholder names are user input: field names are indices, labels the names.
        value_fields = {
            f"value_{i}": forms.CharField(label=f"{{{name}}}", max_length=1000)
            for i, name in enumerate(placeholders)
        }
        self.fields = {**value_fields, **self.fields}
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # the planned time, DST-safe (BerlinDateTimeMixin)
        data["values"] = {
            name: data.get(f"value_{i}", "") for i, name in enumerate(self.placeholders)
        }
        return data


class RecurrenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Repeat"),
        choices=Recurrence.Frequency.choices,
        initial=Recurrence.Frequency.WEEKLY,
        help_text=_(
            "Same time of day (Berlin time) on every date. Monthly on the 29th to 31st falls on"
            " the last day of shorter months."
        ),
    )
    interval = forms.IntegerField(
        label=_("Every … days, weeks or months"), min_value=1, max_value=99, initial=1
    )
    until = forms.DateField(
        label=_("Until (last day, inclusive)"),
        required=False,
        widget=DateInput(),
    )
    count = forms.IntegerField(
        label=_("Number of posts in total (including this one)"),
        required=False,
        min_value=2,
        max_value=500,
        help_text=_("Leave both end fields empty for a series that runs until it is stopped."),
    )
