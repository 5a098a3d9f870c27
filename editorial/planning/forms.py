"""Forms of the Redaktionsplan: filters, moving a post, topic slots."""

from __future__ import annotations

import datetime as dt
from typing import Any
from typing import Self

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import UnitChoiceField
from accounts.models import OrgUnit
from accounts.models import User
from accounts.selectors import units_visible_to
from accounts.widgets import DateInput
from accounts.widgets import TimeInput
from channels_app.forms import ChannelsField
from channels_app.models import Channel
from channels_app.selectors import channels_for_user
from editorial.common.timeutil import BERLIN
from editorial.models import Post
from editorial.models import Topic
from editorial.planning.selectors import SLOT_STATUS
from editorial.planning.selectors import VIEWS
from editorial.planning.selectors import CalendarFilters
from editorial.planning.selectors import authors_for_user
from editorial.planning.selectors import berlin_datetime
from editorial.posts.selectors import channels_for_drafting
from editorial.posts.selectors import topics_for_drafting
from editorial.posts.selectors import units_for_authoring

OCCURRENCE_CHOICES = [
    ("first", _("The first time: still summer time (CEST, UTC+2)")),
    ("second", _("The second time: already winter time (CET, UTC+1)")),
]


def _occurrence_value(choice: str) -> bool | None:
    return {"first": False, "second": True}.get(choice)


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("View"),
        choices=[("month", _("Month")), ("week", _("Week")), ("list", _("List"))],
        required=False,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        empty_label=_("All channels"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic / campaign"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("All topics"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    author = forms.ModelChoiceField(
        label=_("Author"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All authors"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["unit"].queryset = units_visible_to(user).order_by("path")
        fields["channel"].queryset = channels_for_user(user).order_by("name")
        fields["topic"].queryset = topics_for_drafting(user)
        fields["author"].queryset = authors_for_user(user)
        fields["status"].choices = [
            ("", _("All statuses")),
            *Post.Status.choices,
            (SLOT_STATUS, _("Topic slots without a post")),
        ]

    def view_name(self) -> str:
        view = self.cleaned_data.get("view") if self.is_valid() else ""
        return view if view in VIEWS else "month"

    def anchor(self) -> dt.date:
        chosen = self.cleaned_data.get("date") if self.is_valid() else None
        return chosen or timezone.localdate(timezone=BERLIN)

    def filters(self) -> CalendarFilters:
        if not self.is_valid():
            return CalendarFilters()
        data = self.cleaned_data
        return CalendarFilters(
            unit=data["unit"],
            channel=data["channel"],
            topic=data["topic"],
            status=data["status"] or "",
            author=data["author"],
        )


class _BerlinTimeForm(forms.Form):
    """A Berlin day and time; the summer/winter choice appears when the time is doubled."""

    occurrence = forms.ChoiceField(
        label=_("This time happens twice that night. Which one do you mean?"),
        choices=OCCURRENCE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_occurrence = bool(self.data.get("occurrence"))

    def _resolve(self, day: dt.date, at: dt.time) -> dt.datetime | None:
        try:
            return berlin_datetime(
                day, at, second_occurrence=_occurrence_value(self.cleaned_data["occurrence"])
            )
        except ValidationError as error:
            if error.code == "ambiguous_time":
                self.show_occurrence = True
                self.add_error("occurrence", error)
            else:
                self.add_error("time" if "time" in self.fields else None, error)
            return None


class PostMoveForm(_BerlinTimeForm):
    date = forms.DateField(label=_("New date"), widget=DateInput())
    time = forms.TimeField(
        label=_("New time"),
        widget=TimeInput(),
        help_text=_("German time (Europe/Berlin), e.g. 09:30"),
    )
    field_order = ["date", "time", "occurrence"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time"):
            data["planned_at"] = self._resolve(data["date"], data["time"])
        return data


class SlotWritePostForm(_BerlinTimeForm):
    def __init__(self, *args: Any, slot_day: dt.date, slot_time: dt.time, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slot_day = slot_day
        self.slot_time = slot_time

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self._resolve(self.slot_day, self.slot_time) is not None:
            data["second_occurrence"] = _occurrence_value(data.get("occurrence", ""))
        return data


class SlotForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TimeInput(),
        help_text=_("Optional. German time (Europe/Berlin)."),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic / campaign"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("No topic"),
    )
    channels = ChannelsField()
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["unit"].queryset = units_for_authoring(user).order_by("path")
        fields["topic"].queryset = topics_for_drafting(user)
        fields["channels"].queryset = channels_for_drafting(user).order_by("name")

    @classmethod
    def filled_from(cls, instance: models.Model, *, user: User) -> Self:
        """The form for changing ``instance`` (a slot, a weekly format): its fields hold
        what the instance holds now."""
        return cls(initial=model_to_dict(instance, fields=list(cls.base_fields)), user=user)
